//! The quality loop as the pages and the CLI show it: each step of the
//! project's own lint, type-check and tests, with its verdict and evidence.

use super::review::Verdict;
use super::views::JobView;
use serde::{Deserialize, Serialize};

/// What a step of the loop does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Installs dependencies (the only step that may reach package registries).
    Prepare,
    Lint,
    Typecheck,
    Tests,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Prepare => "prepare",
            StepKind::Lint => "lint",
            StepKind::Typecheck => "typecheck",
            StepKind::Tests => "tests",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        match s {
            "prepare" => Some(StepKind::Prepare),
            "lint" => Some(StepKind::Lint),
            "typecheck" => Some(StepKind::Typecheck),
            "tests" => Some(StepKind::Tests),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Prepare => "Prepare",
            StepKind::Lint => "Lint",
            StepKind::Typecheck => "Type-check",
            StepKind::Tests => "Tests",
        }
    }

    /// The checklist item a check step decides (`None` for prepare).
    pub fn check_id(self) -> Option<&'static str> {
        match self {
            StepKind::Prepare => None,
            StepKind::Lint => Some("LOOP-LINT"),
            StepKind::Typecheck => Some("LOOP-TYPECHECK"),
            StepKind::Tests => Some("LOOP-TESTS"),
        }
    }
}

/// One diagnostic of a linter or type-checker, at a place in the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Relative to the repository root, `/` separators.
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// `error` or `warning` (as the tool said).
    pub severity: String,
    /// The tool's rule or error code (`no-unused-vars`, `TS2322`, `F401`).
    pub rule: Option<String>,
    pub message: String,
}

/// What a test step counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCounts {
    pub passed: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Failed on the first run, passed on one immediate re-run; not in `failed`.
    pub flaky: u32,
}

/// One step of a loop run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub kind: StepKind,
    /// `node`, `python`, `rust`, `go`.
    pub ecosystem: String,
    /// `eslint`, `tsc`, `ruff`, `pytest`, `cargo test`…
    pub tool: String,
    /// The command as run (inside the sandbox, in the repository copy).
    pub command: String,
    pub verdict: Verdict,
    /// Why this verdict, in a sentence.
    pub summary: String,
    pub duration_ms: i64,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub tests: Option<TestCounts>,
    pub failing_tests: Vec<String>,
    pub flaky_tests: Vec<String>,
    /// Captured stdout and stderr, at most 256 KB (head and tail kept).
    pub log: String,
    /// Bytes of output left out of `log`.
    pub log_cut_bytes: i64,
}

/// The verdict of one LOOP-* check of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoopVerdict {
    pub check_id: String,
    pub verdict: Verdict,
    pub summary: String,
}

/// A stored run of the quality loop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityRunView {
    pub id: i64,
    pub job_id: i64,
    pub review_id: Option<i64>,
    pub commit_sha: Option<String>,
    /// `finished`, `cancelled` or `could_not_run`.
    pub state: String,
    /// Why the loop could not run or was cut short.
    pub note: Option<String>,
    /// `bubblewrap`, or `off` when the operator switched the sandbox off.
    pub sandbox: String,
    /// `none` or `registries` (prepare step only).
    pub network: String,
    pub started_at: i64,
    pub finished_at: i64,
    pub duration_ms: i64,
    pub verdicts: Vec<LoopVerdict>,
    pub steps: Vec<StepView>,
}

/// A test that was flaky in recent runs of the loop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlakyTestView {
    pub name: String,
    /// In how many of the recent runs it was flaky.
    pub runs: i64,
    pub last_seen: i64,
}

/// The quality-loop panel of the project page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityPanel {
    pub now: i64,
    /// The operator runs the loop without the sandbox (dangerous).
    pub sandbox_off: bool,
    /// Whether the server queues loops after reviews at all.
    pub enabled: bool,
    pub run: Option<QualityRunView>,
    /// The project's latest quality job (queued, running, or finished).
    pub job: Option<JobView>,
    pub flaky: Vec<FlakyTestView>,
}
