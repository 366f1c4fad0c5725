//! The walks that visit only some kinds (`ParsedFile::for_each_of`) miss
//! nothing: over every source file of the corpus and the demo samples, each
//! node a rule's gate accepts has one of the kinds that walk visits.

use super::db_calls::{db_call, DB_CALL_KINDS};
use super::functions::{is_function_node, FUNCTION_KINDS};
use super::lang::{decode_call, pair_parts, CALL_KINDS, PAIR_KINDS};
use super::language::Grammar;
use super::log_secrets::{log_arguments, LOG_CALL_KINDS};
use super::parallel_tests::{corpus_dir, samples_dir};
use super::sqli::{building_kind, is_plain_string, SCAN_KINDS};
use super::syntax::{NodeExt, ParsedFile, Parsers};
use tree_sitter::Node;

/// A rule gate: its name, whether it accepts a node, the kinds its walk
/// visits, and the least number of nodes the corpus must give it.
type Gate = (
    &'static str,
    fn(&ParsedFile, Node) -> bool,
    &'static [&'static str],
    usize,
);

const GATES: &[Gate] = &[
    // The decoder itself: `lang::call` answers only for nodes the
    // `CALL_KINDS` walk already decoded, so it could not show a kind missing.
    ("call", |f, n| decode_call(f, n).is_some(), CALL_KINDS, 500),
    (
        "SQL candidate",
        |f, n| is_plain_string(f, n, f.grammar.is_python()) || building_kind(f, n).is_some(),
        SCAN_KINDS,
        500,
    ),
    (
        "database call",
        |f, n| db_call(f, n).is_some(),
        DB_CALL_KINDS,
        100,
    ),
    (
        "key/value pair",
        |f, n| pair_parts(f, n).is_some(),
        PAIR_KINDS,
        50,
    ),
    ("function", |_, n| is_function_node(n), FUNCTION_KINDS, 200),
    (
        "log call",
        |f, n| log_arguments(f, n).is_some(),
        LOG_CALL_KINDS,
        20,
    ),
];

#[test]
fn kind_gated_walks_see_every_node_their_rules_accept() {
    let mut parsers = Parsers::default();
    let mut files = 0;
    let mut accepted = [0usize; GATES.len()];
    for root in [corpus_dir(), samples_dir()] {
        for entry in ignore::WalkBuilder::new(&root).hidden(false).build() {
            let entry = entry.unwrap();
            let path = entry.path().to_string_lossy().to_string();
            let Some(grammar) = Grammar::of_path(&path) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let tree = parsers.parse(grammar, &text).expect("parses");
            let file = ParsedFile::new(&path, &text, grammar, &tree);
            files += 1;
            let mut all = Vec::new();
            file.for_each_node(|n| all.push(n));
            for n in &all {
                let kind = n.kind_name();
                for (count, (name, accepts, kinds, _)) in accepted.iter_mut().zip(GATES) {
                    if accepts(&file, *n) {
                        *count += 1;
                        assert!(kinds.contains(&kind), "{path}: {name} of kind {kind}");
                    }
                }
            }
            for kinds in [
                CALL_KINDS,
                FUNCTION_KINDS,
                &["pair", "string"][..],
                &["string", "pair", "string"][..],
            ] {
                let mut seen = Vec::new();
                file.for_each_of(kinds, |n| seen.push(n.id()));
                let expected: Vec<usize> = all
                    .iter()
                    .filter(|n| kinds.contains(&n.kind_name()))
                    .map(|n| n.id())
                    .collect();
                assert_eq!(seen, expected, "{path}: for_each_of({kinds:?})");
            }
        }
    }
    // The corpus exercises every gate, in every language.
    assert!(files > 50, "{files} files");
    for (count, (name, _, _, least)) in accepted.iter().zip(GATES) {
        assert!(count >= least, "only {count} nodes for the {name} gate");
    }
}
