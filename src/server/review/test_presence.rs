//! TEST-PRESENT: do tests exist, and do they reach the app's routes?

use super::checks::{list_some, plural, result};
use super::facts::ProjectFacts;
use super::file_kinds::{file_name, is_test_file, test_file_note};
use super::routes::is_health_route;
use crate::model::{CheckResult, Evidence, Verdict};

pub const CHECK_ID: &str = "TEST-PRESENT";
const MAX_LISTED: usize = 10;

const LOOKED_FOR: &str = "looked for *.test.* and *.spec.* files, test_*.py and *_test.py, *_test.go, Rust #[test] functions, files under test/, tests/ or __tests__/, pytest.ini and conftest.py";

pub fn check(facts: &ProjectFacts) -> CheckResult {
    if facts.coverage.text.keys().all(Option::is_none) {
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            "No source code found (no TypeScript, JavaScript, Python, Go or Rust files), so there is nothing to test.".to_string(),
            Vec::new(),
        );
    }
    let inline = &facts.design.practices.rust_inline_tests;
    let mut tests: Vec<&String> = facts
        .all_paths
        .iter()
        .filter(|p| is_test_file(p) || inline.iter().any(|e| &e.path == *p))
        .collect();
    if tests.is_empty() {
        let evidence: Vec<Evidence> = facts.npm_test_scripts.clone();
        let script_note = facts
            .npm_test_scripts
            .first()
            .map(|e| format!(" ({} declares {})", e.path, e.note))
            .unwrap_or_default();
        return result(
            CHECK_ID,
            Verdict::Fail,
            format!("No tests found{script_note}: {LOOKED_FOR}."),
            evidence,
        );
    }
    // Test code first, set-up files (pytest.ini, conftest.py) last.
    tests.sort_by_key(|p| {
        let name = file_name(p);
        (name == "pytest.ini" || name == "conftest.py", p.as_str())
    });
    let evidence = tests
        .iter()
        .take(MAX_LISTED)
        .map(|p| match inline.iter().find(|e| &e.path == *p) {
            Some(e) if !is_test_file(p) => e.clone(),
            _ => Evidence {
                path: (*p).clone(),
                line: None,
                note: test_file_note(p).to_string(),
            },
        })
        .collect();
    let names: Vec<String> = tests.iter().map(|p| (*p).clone()).collect();
    result(
        CHECK_ID,
        Verdict::Pass,
        format!(
            "Found {} test file{} ({}). {}",
            tests.len(),
            plural(tests.len()),
            list_some(&names, 3),
            critical_paths_note(facts)
        ),
        evidence,
    )
}

/// Whether the tests mention the app's routes (a textual check).
fn critical_paths_note(facts: &ProjectFacts) -> String {
    let mut prefixes: Vec<String> = facts
        .routes
        .iter()
        .filter(|r| !is_health_route(&r.route))
        .filter_map(|r| static_prefix(&r.route))
        .collect();
    prefixes.sort();
    prefixes.dedup();
    if prefixes.is_empty() {
        return "No application routes were found to compare them with.".to_string();
    }
    let mentioned: Vec<String> = prefixes
        .iter()
        .filter(|prefix| {
            facts
                .test_texts
                .iter()
                .any(|(_, text)| text.contains(prefix.as_str()))
        })
        .cloned()
        .collect();
    if mentioned.is_empty() {
        format!(
            "Critical paths: no test file mentions any of the app's routes ({}), so the handlers may be untested.",
            list_some(&prefixes, 4)
        )
    } else if mentioned.len() == prefixes.len() {
        format!(
            "Critical paths: the tests mention every route of the app ({}).",
            list_some(&mentioned, 4)
        )
    } else {
        let missing: Vec<String> = prefixes
            .iter()
            .filter(|p| !mentioned.contains(p))
            .cloned()
            .collect();
        format!(
            "Critical paths: the tests mention {} but not {}.",
            list_some(&mentioned, 4),
            list_some(&missing, 4)
        )
    }
}

/// The literal start of a route, up to its first parameter, with a leading
/// slash: `/orders/:id` → `/orders`, `items/<int:pk>/` → `/items`.
fn static_prefix(route: &str) -> Option<String> {
    let segments: Vec<&str> = route
        .trim_start_matches('^')
        .trim_end_matches('$')
        .split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| !s.contains([':', '{', '<', '*', '(', '[']))
        .collect();
    if segments.is_empty() {
        None
    } else {
        Some(format!("/{}", segments.join("/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_prefixes_stop_at_the_first_parameter() {
        assert_eq!(static_prefix("/orders/:id").as_deref(), Some("/orders"));
        assert_eq!(static_prefix("items/<int:pk>/").as_deref(), Some("/items"));
        assert_eq!(
            static_prefix("/api/v1/items/{item_id}").as_deref(),
            Some("/api/v1/items")
        );
        assert_eq!(static_prefix("/"), None);
        assert_eq!(static_prefix(":id"), None);
    }
}
