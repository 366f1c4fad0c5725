//! What a review produces: verdicts with evidence, findings, scores.

use super::catalog::{Category, CheckKind};
use serde::{Deserialize, Serialize};

/// The verdict of one check on one review. `NotChecked` and `CouldNotRun` are
/// never counted as passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Verdict {
    Pass,
    Fail,
    NotApplicable,
    NotChecked,
    CouldNotRun,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "not_applicable",
            Verdict::NotChecked => "not_checked",
            Verdict::CouldNotRun => "could_not_run",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "pass" => Some(Verdict::Pass),
            "fail" => Some(Verdict::Fail),
            "not_applicable" => Some(Verdict::NotApplicable),
            "not_checked" => Some(Verdict::NotChecked),
            "could_not_run" => Some(Verdict::CouldNotRun),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "Pass",
            Verdict::Fail => "Fail",
            Verdict::NotApplicable => "Not applicable",
            Verdict::NotChecked => "Not yet checked",
            Verdict::CouldNotRun => "Could not run",
        }
    }
}

/// How bad a finding is. Ordered from worst to mildest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "critical" => Some(Severity::Critical),
            "high" => Some(Severity::High),
            "medium" => Some(Severity::Medium),
            "low" => Some(Severity::Low),
            _ => None,
        }
    }
}

/// A file (and line, when one line decided it) that backs a verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub path: String,
    pub line: Option<u32>,
    /// Why this file counts, in a few words ("alembic migration", "pytest test file").
    pub note: String,
}

/// The verdict of one checklist item, with what decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check_id: String,
    pub category: Category,
    pub kind: CheckKind,
    pub verdict: Verdict,
    /// One or two sentences: why this verdict.
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

/// A bad pattern at a place in the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    pub severity: Severity,
    /// Path relative to the reviewed root, with `/` separators.
    pub path: String,
    /// 1-based first and last line.
    pub line: u32,
    pub end_line: u32,
    /// The offending lines (secrets masked), at most a few lines.
    pub snippet: String,
    /// Why it matters and how to fix it.
    pub message: String,
    /// Stable across commits when unrelated lines move.
    pub fingerprint: String,
    /// Why the team accepted this finding, from a `backlens-ignore CHECK: reason`
    /// comment beside the code. Suppressed findings stay listed but cost no
    /// points and do not fail their check.
    #[serde(default)]
    pub suppressed: Option<String>,
    /// The day (`YYYY-MM-DD`) a `.backlens.toml` suppression of this finding
    /// expires; `None` when open, suppressed inline or without an end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_until: Option<String>,
}

/// A letter grade from the overall score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }

    pub fn parse(s: &str) -> Option<Grade> {
        match s {
            "A" => Some(Grade::A),
            "B" => Some(Grade::B),
            "C" => Some(Grade::C),
            "D" => Some(Grade::D),
            "F" => Some(Grade::F),
            _ => None,
        }
    }
}

/// Score of one category; `None` when no check of it could be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryScore {
    pub category: Category,
    pub score: Option<u8>,
}

/// Overall result of a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub scoring_version: u32,
    pub score: u8,
    pub grade: Grade,
    pub categories: Vec<CategoryScore>,
}
