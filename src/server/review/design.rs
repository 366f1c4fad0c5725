//! The architecture, data, observability and testing checks (ARCH-*, DATA-NPLUS1/
//! FKINDEX/TX, OBS-*, TEST-CI/TYPES): what they collect per file, the
//! project-wide pass that settles candidate findings, and their verdicts.

use super::checks::{finding_check, plural, result};
use super::facts::ProjectFacts;
use super::findings::{Draft, Pending};
use super::language::Grammar;
use super::syntax::ParsedFile;
use super::{blocking, fk_index, giant, layers, log_secrets, nplus1, practices, transactions};
use crate::model::{CheckResult, Finding, Verdict};
use crate::server::review::facts::Empty;

/// What the per-file pass learns for these checks.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DesignFacts {
    pub layers: layers::LayersFacts,
    pub giant: giant::GiantFacts,
    pub fk: fk_index::FkFacts,
    pub practices: practices::PracticeFacts,
    /// Files parsed, by grammar family: "js", "python", "go", "rust".
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub parsed_js: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub parsed_python: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub parsed_go: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub parsed_rust: usize,
    /// Async functions and JS handlers (the async paths ARCH-BLOCKING reads).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub async_paths: usize,
    /// Files with database calls, and with writes.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub files_with_queries: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub files_with_writes: usize,
    /// Logging calls seen.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub log_calls: usize,
}

/// Per-file collection over any text file (manifests, CI, SQL, configs).
pub fn analyze_text(path: &str, text: &str, facts: &mut DesignFacts) -> Vec<Draft> {
    practices::record_text(path, text, &mut facts.practices);
    fk_index::scan_text(path, text, &mut facts.fk)
}

/// Per-file rules over a parsed file.
pub fn analyze(file: &ParsedFile, facts: &mut DesignFacts) -> Vec<Draft> {
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => facts.parsed_js += 1,
        Grammar::Python => facts.parsed_python += 1,
        Grammar::Go => facts.parsed_go += 1,
        Grammar::Rust => facts.parsed_rust += 1,
    }
    practices::record_tree(file, &mut facts.practices);
    let mut drafts = fk_index::scan_tree(file, &mut facts.fk);
    if super::file_kinds::is_test_or_fixture_path(file.path) {
        return drafts;
    }
    let functions = super::functions::functions(file);
    facts.async_paths += functions
        .iter()
        .filter(|f| f.is_async || (file.grammar.is_js() && f.handler))
        .count();
    let calls = super::db_calls::calls_in(file, file.tree.root_node());
    if !calls.is_empty() {
        facts.files_with_queries += 1;
    }
    if calls.iter().any(|c| c.write) {
        facts.files_with_writes += 1;
    }
    facts.log_calls += log_secrets::count_log_calls(file);
    drafts.extend(layers::scan(file, &functions, &calls, &mut facts.layers));
    drafts.extend(blocking::scan(file));
    drafts.extend(giant::scan(file, &functions, &mut facts.giant));
    drafts.extend(nplus1::scan(file, &calls));
    drafts.extend(transactions::scan(file, &functions, &calls));
    drafts.extend(log_secrets::scan(file));
    drafts
}

/// The project-wide pass: keeps the candidate findings that the whole
/// project confirms (handlers registered by name, outliers of the project's
/// norm, foreign keys no file indexes).
pub fn settle(facts: &DesignFacts, pending: &mut Vec<Pending>) {
    layers::settle(&facts.layers, pending);
    giant::settle(&facts.giant, &facts.layers.handler_refs, pending);
    fk_index::settle(&facts.fk, pending);
}

/// The checks of this module.
pub const CHECK_IDS: &[&str] = &[
    layers::CHECK_ID,
    blocking::CHECK_ID,
    giant::CHECK_ID,
    practices::DI_CHECK_ID,
    nplus1::CHECK_ID,
    fk_index::CHECK_ID,
    transactions::CHECK_ID,
    practices::LOGGING_CHECK_ID,
    log_secrets::CHECK_ID,
    practices::METRICS_CHECK_ID,
    practices::TRACING_CHECK_ID,
    practices::SHUTDOWN_CHECK_ID,
    practices::CI_CHECK_ID,
    practices::TYPES_CHECK_ID,
];

/// The verdict of one of [`CHECK_IDS`].
pub fn check(id: &str, facts: &ProjectFacts, findings: &[Finding]) -> CheckResult {
    let d = &facts.design;
    let parsed = d.parsed_js + d.parsed_python + d.parsed_go + d.parsed_rust;
    match id {
        layers::CHECK_ID => {
            let handlers = d.layers.handlers + d.layers.handler_refs.len();
            if parsed == 0 || handlers == 0 {
                return na(id, "No route handlers found, so there is no controller layer to keep free of queries.");
            }
            if d.files_with_queries == 0 {
                return na(id, "No database calls found in the code (no SQL driver, ORM or query builder calls), so handlers cannot mix in data access.");
            }
            finding_check(
                id,
                findings,
                parsed,
                || {
                    format!(
                "No database calls inside route handlers: {} handler{} found, queries are in {} other file{}.",
                d.layers.handlers, plural(d.layers.handlers), d.files_with_queries, plural(d.files_with_queries)
            )
                },
                "",
            )
        }
        blocking::CHECK_ID => {
            let async_langs = d.parsed_js + d.parsed_python + d.parsed_rust;
            if async_langs == 0 {
                return na(
                    id,
                    if d.parsed_go > 0 {
                        "Only Go code: Go has no async functions (each request runs on its own goroutine), so blocking calls do not stall other requests."
                    } else {
                        "No TypeScript, JavaScript, Python or Rust code to examine."
                    },
                );
            }
            if d.async_paths == 0 {
                return na(id, "No async functions or request handlers found, so nothing runs on an event loop or async runtime.");
            }
            finding_check(
                id,
                findings,
                parsed,
                || {
                    format!(
                "No blocking calls (`*Sync`, `time.sleep`, `requests`, `std::thread::sleep`, `std::fs`) on {} async function{} and handler{}.",
                d.async_paths, plural(d.async_paths), plural(d.async_paths)
            )
                },
                "",
            )
        }
        giant::CHECK_ID => {
            if d.giant.functions.is_empty() && d.giant.files.is_empty() {
                return na(id, "No source files outside tests to measure.");
            }
            let n = giant::norm(
                &d.giant
                    .functions
                    .iter()
                    .map(|s| s.lines)
                    .collect::<Vec<_>>(),
            );
            let longest = d.giant.functions.iter().max_by_key(|s| s.lines);
            finding_check(
                id,
                findings,
                parsed,
                || {
                    match longest {
                Some(l) => format!(
                    "No function or file far beyond the project's norm: {} functions, median {:.0} lines, longest `{}` ({} lines in {}).",
                    n.count, n.median, l.name, l.lines, l.path
                ),
                None => format!("No file far beyond the project's norm ({} files measured).", d.giant.files.len()),
            }
                },
                "",
            )
        }
        nplus1::CHECK_ID => {
            if d.files_with_queries == 0 {
                return na(
                    id,
                    "No database calls found in the code, so no query can run inside a loop.",
                );
            }
            finding_check(
                id,
                findings,
                parsed,
                || {
                    format!(
                "No query inside a loop over another query's results, in {} file{} with database calls.",
                d.files_with_queries, plural(d.files_with_queries)
            )
                },
                "",
            )
        }
        transactions::CHECK_ID => {
            if d.files_with_writes == 0 {
                return na(id, "No database writes found in the code (no INSERT/UPDATE/DELETE or ORM create/save calls).");
            }
            finding_check(
                id,
                findings,
                parsed,
                || {
                    format!(
                "No dependent writes outside a transaction, in {} file{} that write to the database.",
                d.files_with_writes, plural(d.files_with_writes)
            )
                },
                "",
            )
        }
        log_secrets::CHECK_ID => {
            if d.log_calls == 0 {
                return na(id, "No logging calls found in the code.");
            }
            finding_check(
                id,
                findings,
                parsed,
                || {
                    format!(
                "None of the {} logging call{} writes a password, token, key or whole request body.",
                d.log_calls, plural(d.log_calls)
            )
                },
                "",
            )
        }
        fk_index::CHECK_ID => fk_index::check(&d.fk, findings),
        _ => practices::check(id, facts),
    }
}

fn na(id: &str, why: &str) -> CheckResult {
    result(id, Verdict::NotApplicable, why.to_string(), Vec::new())
}

crate::merge_fields!(DesignFacts {
    layers,
    giant,
    fk,
    practices,
    parsed_js,
    parsed_python,
    parsed_go,
    parsed_rust,
    async_paths,
    files_with_queries,
    files_with_writes,
    log_calls,
});
