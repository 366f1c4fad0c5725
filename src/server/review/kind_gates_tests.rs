//! The walks that visit only some kinds (`ParsedFile::for_each_of`) miss
//! nothing: over every source file of the corpus and the demo samples, each
//! node a rule's gate accepts has one of the kinds that walk visits.

use super::db_calls::{db_call, DB_CALL_KINDS};
use super::functions::{is_function_node, FUNCTION_KINDS};
use super::lang::{call, pair_parts, CALL_KINDS, PAIR_KINDS};
use super::language::Grammar;
use super::log_secrets::{log_arguments, LOG_CALL_KINDS};
use super::parallel_tests::{corpus_dir, samples_dir};
use super::sqli::{building_kind, is_plain_string, SCAN_KINDS};
use super::syntax::{NodeExt, ParsedFile, Parsers};

#[test]
fn kind_gated_walks_see_every_node_their_rules_accept() {
    let mut parsers = Parsers::default();
    let (mut files, mut calls, mut functions, mut logs, mut pairs, mut sql, mut db) =
        (0, 0, 0, 0, 0, 0, 0);
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
                if call(&file, *n).is_some() {
                    calls += 1;
                    assert!(CALL_KINDS.contains(&kind), "{path}: call of kind {kind}");
                }
                let python = file.grammar.is_python();
                if is_plain_string(&file, *n, python) || building_kind(&file, *n).is_some() {
                    sql += 1;
                    assert!(
                        SCAN_KINDS.contains(&kind),
                        "{path}: SQL scan of kind {kind}"
                    );
                }
                if db_call(&file, *n).is_some() {
                    db += 1;
                    assert!(
                        DB_CALL_KINDS.contains(&kind),
                        "{path}: database call of kind {kind}"
                    );
                }
                if pair_parts(&file, *n).is_some() {
                    pairs += 1;
                    assert!(PAIR_KINDS.contains(&kind), "{path}: pair of kind {kind}");
                }
                if is_function_node(*n) {
                    functions += 1;
                    assert!(
                        FUNCTION_KINDS.contains(&kind),
                        "{path}: function of kind {kind}"
                    );
                }
                if log_arguments(&file, *n).is_some() {
                    logs += 1;
                    assert!(
                        LOG_CALL_KINDS.contains(&kind),
                        "{path}: log call of kind {kind}"
                    );
                }
            }
            for kinds in [CALL_KINDS, FUNCTION_KINDS, &["pair", "string"][..]] {
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
    assert!(
        calls > 500 && functions > 200 && logs > 20 && pairs > 50 && sql > 500 && db > 100,
        "{calls} calls, {functions} functions, {logs} log calls, {pairs} pairs, {sql} SQL candidates, {db} database calls"
    );
}
