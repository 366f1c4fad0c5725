//! DTOs of the GitHub side: the quality gate, a single review's page with
//! what a pull request changed against its base, and the settings page.

use super::review::{Grade, Severity};
use super::views::{FindingView, ProjectInfo, ReviewView};
use serde::{Deserialize, Serialize};

/// Decides the commit status posted to GitHub.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityGate {
    /// The lowest grade that passes.
    pub min_grade: Grade,
    /// Fail when the commit brings new critical or high findings against its base.
    pub fail_on_new_high: bool,
}

impl Default for QualityGate {
    /// Grade C or better and no new high-severity findings.
    fn default() -> QualityGate {
        QualityGate {
            min_grade: Grade::C,
            fail_on_new_high: true,
        }
    }
}

/// A GitHub project's own settings, edited on its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitHubProjectSettings {
    pub gate: QualityGate,
    /// Re-review the default branch every this many hours (0: never; default 24).
    pub review_every_hours: i64,
}

/// The re-review intervals offered on the project page: (hours, label).
pub const REVIEW_SCHEDULES: [(i64, &str); 5] = [
    (0, "never"),
    (6, "every 6 hours"),
    (12, "every 12 hours"),
    (24, "nightly"),
    (168, "weekly"),
];

/// What the gate made of one review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateResult {
    pub passed: bool,
    /// Why it failed (empty when it passed).
    pub reasons: Vec<String>,
    /// The commit status description, e.g. `B (82) · 2 new high · 1 fixed`.
    pub description: String,
}

/// Whether a severity counts as "high" for the gate (critical or high).
pub fn is_high(severity: Severity) -> bool {
    matches!(severity, Severity::Critical | Severity::High)
}

/// Applies the gate. `new_high` counts open critical/high findings that are new
/// against the base; `fixed` counts base findings gone in this commit.
pub fn evaluate_gate(
    gate: &QualityGate,
    grade: Grade,
    score: i64,
    new_high: i64,
    fixed: i64,
) -> GateResult {
    let mut reasons = Vec::new();
    // Grades order A < B < … < F: "below" the minimum is greater.
    if grade > gate.min_grade {
        reasons.push(format!(
            "grade {} is below the required {}",
            grade.as_str(),
            gate.min_grade.as_str()
        ));
    }
    if gate.fail_on_new_high && new_high > 0 {
        reasons.push(format!(
            "{new_high} new high-severity finding{}",
            if new_high == 1 { "" } else { "s" }
        ));
    }
    GateResult {
        passed: reasons.is_empty(),
        description: format!(
            "{} ({score}) · {new_high} new high · {fixed} fixed",
            grade.as_str()
        ),
        reasons,
    }
}

/// A review compared with the review of its base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// "the base of pull request #3" or "the previous review".
    pub against: String,
    pub base_review_id: i64,
    pub base_commit: Option<String>,
    pub base_grade: Grade,
    pub base_score: i64,
    /// This review's score minus the base's.
    pub score_delta: i64,
    pub new: Vec<FindingView>,
    pub fixed: Vec<FindingView>,
    pub unchanged: Vec<FindingView>,
}

/// The commit status backlens posted for a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedStatus {
    pub state: String,
    pub description: String,
    /// Why posting failed, when it did.
    pub error: Option<String>,
}

/// The page of exactly one review (`/projects/{id}/reviews/{review_id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPageData {
    pub now: i64,
    pub project: ProjectInfo,
    /// The repository on GitHub, for links to files at the commit.
    pub repo_url: Option<String>,
    pub review: ReviewView,
    /// Set when the review was of a pull request's head.
    pub pull_request: Option<i64>,
    /// What asked for it: "pull request #3", "push to main", "manual".
    pub trigger: String,
    pub comparison: Option<Comparison>,
    /// A PR's base commit that could not be compared (no review of it).
    pub base_missing: Option<String>,
    pub gate: QualityGate,
    pub gate_result: GateResult,
    pub status: Option<PostedStatus>,
    /// How the grade is computed (the same text as the project page).
    pub scoring_explanation: String,
}

/// One repository of an organisation or user, for the import list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoChoice {
    pub full_name: String,
    pub description: Option<String>,
    pub language: Option<String>,
    pub archived: bool,
    pub private: bool,
    pub empty: bool,
    /// `pushed_at` as GitHub reports it (ISO 8601), when known.
    pub pushed_at: Option<String>,
    pub already_added: bool,
}

/// The answer to "list this owner's repositories": the list, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OwnerRepos {
    Listed {
        owner: String,
        repos: Vec<RepoChoice>,
    },
    Rejected {
        message: String,
    },
}

/// What importing each selected repository came to: (name, outcome).
pub type ImportResult = Vec<(String, super::views::AddProjectOutcome)>;

/// The GitHub API budget as last reported, and the ETag cache's hit rate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiBudget {
    pub requests: i64,
    pub conditional: i64,
    pub not_modified: i64,
    pub retries: i64,
    pub rate_limit: Option<i64>,
    pub rate_remaining: Option<i64>,
    pub rate_reset: Option<i64>,
    pub updated_at: Option<i64>,
}

impl ApiBudget {
    /// Share of conditional requests answered 304, in percent.
    pub fn etag_hit_rate(&self) -> Option<i64> {
        (self.conditional > 0).then(|| self.not_modified * 100 / self.conditional)
    }
}

/// One setting: its variable, whether it is set, and (for non-secrets) its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingState {
    pub variable: String,
    pub configured: bool,
    /// Shown only for settings that are not secrets.
    pub value: Option<String>,
    pub meaning: String,
}

/// The settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPageData {
    pub now: i64,
    pub settings: Vec<SettingState>,
    pub budget: ApiBudget,
    pub deliveries: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_fails_on_grade_or_new_high_findings() {
        let gate = QualityGate::default();
        let ok = evaluate_gate(&gate, Grade::B, 82, 0, 1);
        assert!(ok.passed);
        assert_eq!(ok.description, "B (82) · 0 new high · 1 fixed");

        let high = evaluate_gate(&gate, Grade::B, 82, 2, 1);
        assert!(!high.passed);
        assert_eq!(high.description, "B (82) · 2 new high · 1 fixed");
        assert_eq!(high.reasons, vec!["2 new high-severity findings"]);

        let low = evaluate_gate(&gate, Grade::D, 55, 0, 0);
        assert!(!low.passed);
        assert!(low.reasons[0].contains("below the required C"));

        let lenient = QualityGate {
            min_grade: Grade::F,
            fail_on_new_high: false,
        };
        assert!(evaluate_gate(&lenient, Grade::F, 10, 3, 0).passed);
    }
}
