//! Test output into counts and failing test names: JUnit XML (pytest and
//! most runners), `go test -json`, `cargo test`, node's test runner (TAP and
//! spec), jest's summary and Python's unittest.

use crate::model::quality::TestCounts;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Counts and the names of failing tests of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestRun {
    pub counts: TestCounts,
    pub failing: BTreeSet<String>,
}

/// Which parser reads a test step's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// A JUnit XML report the command wrote (path in the step).
    Junit,
    GoJson,
    Cargo,
    /// node --test (TAP or spec), jest, mocha, vitest summaries.
    Node,
    Unittest,
}

/// Names kept at most.
const MAX_NAMES: usize = 200;

/// Parses a JUnit XML report. `None` when it is not one.
pub fn junit(xml: &str) -> Option<TestRun> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let mut run = TestRun::default();
    let mut seen_any = false;
    for case in doc.descendants().filter(|n| n.has_tag_name("testcase")) {
        seen_any = true;
        let name = match (case.attribute("classname"), case.attribute("name")) {
            (Some(c), Some(n)) if !c.is_empty() => format!("{c}::{n}"),
            (_, Some(n)) => n.to_string(),
            _ => "(unnamed)".to_string(),
        };
        let child = |tag: &str| case.children().any(|c| c.has_tag_name(tag));
        if child("failure") || child("error") {
            run.counts.failed += 1;
            if run.failing.len() < MAX_NAMES {
                run.failing.insert(name);
            }
        } else if child("skipped") {
            run.counts.skipped += 1;
        } else {
            run.counts.passed += 1;
        }
    }
    let root_is_suite = doc
        .root_element()
        .tag_name()
        .name()
        .starts_with("testsuite");
    (seen_any || root_is_suite).then_some(run)
}

/// Parses the text output of a test command.
pub fn parse_text(format: TestFormat, output: &str) -> Option<TestRun> {
    match format {
        TestFormat::Junit => None,
        TestFormat::GoJson => go_json(output),
        TestFormat::Cargo => cargo(output),
        TestFormat::Node => node(output),
        TestFormat::Unittest => unittest(output),
    }
}

fn go_json(output: &str) -> Option<TestRun> {
    let mut run = TestRun::default();
    let mut any = false;
    for line in output.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(test) = v["Test"].as_str() else {
            continue;
        };
        any = true;
        let pkg = v["Package"].as_str().unwrap_or_default();
        match v["Action"].as_str() {
            Some("pass") => run.counts.passed += 1,
            Some("skip") => run.counts.skipped += 1,
            Some("fail") => {
                run.counts.failed += 1;
                if run.failing.len() < MAX_NAMES {
                    run.failing.insert(format!("{pkg}.{test}"));
                }
            }
            _ => {}
        }
    }
    any.then_some(run)
}

static CARGO_TEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^test (.+?) \.\.\. (ok|FAILED|ignored)").unwrap());

fn cargo(output: &str) -> Option<TestRun> {
    let mut run = TestRun::default();
    let mut any = false;
    for line in output.lines() {
        let Some(c) = CARGO_TEST.captures(line) else {
            continue;
        };
        any = true;
        match &c[2] {
            "ok" => run.counts.passed += 1,
            "ignored" => run.counts.skipped += 1,
            _ => {
                run.counts.failed += 1;
                if run.failing.len() < MAX_NAMES {
                    run.failing.insert(c[1].to_string());
                }
            }
        }
    }
    any.then_some(run)
}

static TAP_RESULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(not ok|ok) \d+ - (.*?)(\s+# (SKIP|TODO).*)?$").unwrap());
static SPEC_FAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*✖ (.+?) \(\d").unwrap());
static SUMMARY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:#|ℹ) (pass|fail|skipped|todo|cancelled) (\d+)$").unwrap());
static JEST_TESTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Tests:\s+(.*?)\d+ total").unwrap());
static JEST_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+) (passed|failed|skipped|todo)").unwrap());
static JEST_FAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*● (.+?)$").unwrap());

fn node(output: &str) -> Option<TestRun> {
    let mut run = TestRun::default();
    let mut summary = TestCounts::default();
    let mut have_summary = false;
    let mut any = false;
    for line in output.lines() {
        let line = line.trim_end();
        if let Some(c) = SUMMARY.captures(line) {
            have_summary = true;
            let n: u32 = c[2].parse().unwrap_or(0);
            match &c[1] {
                "pass" => summary.passed = n,
                "fail" => summary.failed = n,
                "skipped" | "todo" => summary.skipped += n,
                _ => summary.failed += n,
            }
            continue;
        }
        if let Some(c) = JEST_TESTS.captures(line) {
            have_summary = true;
            for p in JEST_PART.captures_iter(&c[1]) {
                let n: u32 = p[1].parse().unwrap_or(0);
                match &p[2] {
                    "passed" => summary.passed = n,
                    "failed" => summary.failed = n,
                    _ => summary.skipped += n,
                }
            }
            continue;
        }
        if let Some(c) = TAP_RESULT.captures(line) {
            // Nested results (indented) are subtests; count the top level.
            any = true;
            let name = c[3].to_string();
            if c.get(5).is_some() {
                run.counts.skipped += 1;
            } else if &c[2] == "ok" {
                run.counts.passed += 1;
            } else {
                run.counts.failed += 1;
                if run.failing.len() < MAX_NAMES {
                    run.failing.insert(name);
                }
            }
            continue;
        }
        if let Some(c) = SPEC_FAIL
            .captures(line)
            .or_else(|| JEST_FAIL.captures(line))
        {
            if run.failing.len() < MAX_NAMES && !c[1].starts_with("failing tests") {
                run.failing.insert(c[1].to_string());
            }
        }
    }
    if have_summary {
        run.counts = summary;
        return Some(run);
    }
    any.then_some(run)
}

static UNITTEST_RAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Ran (\d+) tests? in").unwrap());
static UNITTEST_FAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:FAIL|ERROR): (\S+) \(([^)]+)\)").unwrap());
static UNITTEST_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(OK|FAILED)(?: \((.*)\))?$").unwrap());

fn unittest(output: &str) -> Option<TestRun> {
    let mut run = TestRun::default();
    let mut total = None;
    let mut failed = 0u32;
    let mut skipped = 0u32;
    for line in output.lines() {
        let line = line.trim_end();
        if let Some(c) = UNITTEST_RAN.captures(line) {
            total = c[1].parse::<u32>().ok();
        } else if let Some(c) = UNITTEST_FAIL.captures(line) {
            if run.failing.len() < MAX_NAMES {
                run.failing.insert(format!("{}.{}", &c[2], &c[1]));
            }
        } else if let Some(c) = UNITTEST_END.captures(line) {
            for part in c.get(2).map(|m| m.as_str()).unwrap_or_default().split(", ") {
                let mut kv = part.split('=');
                let (k, v) = (
                    kv.next().unwrap_or(""),
                    kv.next().and_then(|v| v.parse::<u32>().ok()).unwrap_or(0),
                );
                match k {
                    "failures" | "errors" => failed += v,
                    "skipped" | "expected failures" => skipped += v,
                    _ => {}
                }
            }
        }
    }
    let total = total?;
    run.counts = TestCounts {
        passed: total.saturating_sub(failed + skipped),
        failed,
        skipped,
        flaky: 0,
    };
    Some(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_counts_and_names_failures() {
        let xml = r#"<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="4">
            <testcase classname="tests.test_calc" name="test_add" time="0.01"/>
            <testcase classname="tests.test_calc" name="test_sub"><failure message="assert 1 == 2">x</failure></testcase>
            <testcase classname="tests.test_calc" name="test_err"><error message="boom"/></testcase>
            <testcase classname="tests.test_calc" name="test_skip"><skipped message="later"/></testcase>
        </testsuite></testsuites>"#;
        let r = junit(xml).unwrap();
        assert_eq!(
            r.counts,
            TestCounts {
                passed: 1,
                failed: 2,
                skipped: 1,
                flaky: 0
            }
        );
        assert!(r.failing.contains("tests.test_calc::test_sub"));
        assert!(junit("<html/>").is_none());
        assert!(junit("not xml").is_none());
    }

    #[test]
    fn go_test_json_events() {
        let out = r#"{"Action":"run","Package":"m","Test":"TestA"}
{"Action":"pass","Package":"m","Test":"TestA","Elapsed":0}
{"Action":"fail","Package":"m","Test":"TestB","Elapsed":0}
{"Action":"skip","Package":"m","Test":"TestC","Elapsed":0}
{"Action":"fail","Package":"m","Elapsed":0.1}"#;
        let r = parse_text(TestFormat::GoJson, out).unwrap();
        assert_eq!(
            (r.counts.passed, r.counts.failed, r.counts.skipped),
            (1, 1, 1)
        );
        assert!(r.failing.contains("m.TestB"));
    }

    #[test]
    fn cargo_test_lines() {
        let out = "running 3 tests\ntest tests::adds ... ok\ntest tests::subtracts ... FAILED\ntest tests::later ... ignored\n\ntest result: FAILED. 1 passed; 1 failed; 1 ignored";
        let r = parse_text(TestFormat::Cargo, out).unwrap();
        assert_eq!(
            (r.counts.passed, r.counts.failed, r.counts.skipped),
            (1, 1, 1)
        );
        assert!(r.failing.contains("tests::subtracts"));
    }

    #[test]
    fn node_tap_and_summary() {
        let out = "TAP version 13\n# Subtest: adds\nok 1 - adds\n  ---\n  ...\n# Subtest: subtracts\nnot ok 2 - subtracts\n  ---\n  ...\nok 3 - later # SKIP\n1..3\n# tests 3\n# pass 1\n# fail 1\n# cancelled 0\n# skipped 1\n# todo 0\n";
        let r = parse_text(TestFormat::Node, out).unwrap();
        assert_eq!(
            (r.counts.passed, r.counts.failed, r.counts.skipped),
            (1, 1, 1)
        );
        assert!(r.failing.contains("subtracts"));
        let spec = "✔ adds (0.5ms)\n✖ subtracts (1.2ms)\nℹ tests 2\nℹ pass 1\nℹ fail 1\n";
        let r = parse_text(TestFormat::Node, spec).unwrap();
        assert_eq!((r.counts.passed, r.counts.failed), (1, 1));
        assert!(r.failing.contains("subtracts"));
        let jest = "  ● math › subtracts\n\nTests:       1 failed, 2 passed, 3 total\n";
        let r = parse_text(TestFormat::Node, jest).unwrap();
        assert_eq!((r.counts.passed, r.counts.failed), (2, 1));
        assert!(r.failing.contains("math › subtracts"));
    }

    #[test]
    fn unittest_summary() {
        let out = "..F.s\n======\nFAIL: test_sub (tests.test_calc.CalcTest.test_sub)\n------\nRan 5 tests in 0.001s\n\nFAILED (failures=1, skipped=1)\n";
        let r = parse_text(TestFormat::Unittest, out).unwrap();
        assert_eq!(
            (r.counts.passed, r.counts.failed, r.counts.skipped),
            (3, 1, 1)
        );
        assert_eq!(r.failing.len(), 1);
        assert!(parse_text(TestFormat::Unittest, "nothing").is_none());
    }
}
