//! The weekly review: what changed across all projects between the end of
//! the previous ISO week and the end of this one.

use super::catalog::Category;
use super::review::{Grade, Severity};
use super::week::IsoWeek;
use serde::{Deserialize, Serialize};

/// A category's score at the end of the previous week and of this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryDelta {
    pub category: Category,
    pub before: Option<i64>,
    pub now: Option<i64>,
    /// `now - before` when both exist.
    pub delta: Option<i64>,
}

/// One project: its latest review at the end of this week against the
/// latest at the end of the previous week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectWeek {
    pub project_id: i64,
    pub name: String,
    pub grade: Option<Grade>,
    pub score: Option<i64>,
    pub score_before: Option<i64>,
    /// `score - score_before` when both exist.
    pub delta: Option<i64>,
    /// The two scores come from different versions of the formula: the
    /// delta is not a regression or an improvement of the code.
    pub scoring_changed: bool,
    pub scoring_version: Option<i64>,
    /// Finished time of the latest review by the end of the week.
    pub last_review_at: Option<i64>,
    /// Reviewed during this week.
    pub reviewed_this_week: bool,
    /// No review in the two weeks before the end of this week.
    pub stale: bool,
    pub categories: Vec<CategoryDelta>,
}

impl ProjectWeek {
    /// Its score or a category score moved this week.
    pub fn changed(&self) -> bool {
        self.delta.is_some_and(|d| d != 0)
            || self
                .categories
                .iter()
                .any(|c| c.delta.is_some_and(|d| d != 0))
    }
}

/// Every project whose score went down (`worse`) or up this week, biggest
/// change first, then by name; projects rescored with a new formula are left
/// out (their delta is not a change of the code).
pub fn movers(projects: &[ProjectWeek], worse: bool) -> Vec<&ProjectWeek> {
    let mut list: Vec<(i64, &ProjectWeek)> = projects
        .iter()
        .filter(|p| !p.scoring_changed)
        .filter_map(|p| p.delta.map(|d| (d, p)))
        .filter(|(d, _)| if worse { *d < 0 } else { *d > 0 })
        .collect();
    list.sort_by_key(|(d, p)| (if worse { *d } else { -*d }, p.name.to_lowercase()));
    list.into_iter().map(|(_, p)| p).collect()
}

/// A critical or high finding first seen in a review of this week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewSevereFinding {
    pub finding_id: i64,
    pub project_id: i64,
    pub project: String,
    pub review_id: i64,
    pub check_id: String,
    pub severity: Severity,
    pub path: String,
    pub line: i64,
    pub message: String,
}

/// A suppression in a project's current review that ends soon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpiringSuppression {
    pub project_id: i64,
    pub project: String,
    pub check_id: String,
    pub path: String,
    pub line: i64,
    /// `YYYY-MM-DD`: the finding is open again after this day.
    pub until: String,
    pub reason: String,
}

/// Everything the weekly page, its exports and the API show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeeklyReport {
    pub week: IsoWeek,
    pub previous_week: IsoWeek,
    /// `None` when this is the current week (nothing after it yet).
    pub next_week: Option<IsoWeek>,
    /// "16–22 Nov 2026".
    pub date_range: String,
    /// Unix seconds when the report was computed; for the current week it
    /// covers reviews up to then.
    pub generated_at: i64,
    pub reviews_this_week: i64,
    /// Biggest score drops and gains (scoring-version changes left out).
    pub regressions: Vec<ProjectWeek>,
    pub improvements: Vec<ProjectWeek>,
    pub new_severe_findings: Vec<NewSevereFinding>,
    /// More new critical/high findings exist than listed.
    pub new_severe_truncated: bool,
    pub stale_projects: Vec<ProjectWeek>,
    pub expiring_suppressions: Vec<ExpiringSuppression>,
    /// Projects whose score changed formula this week.
    pub rescored_projects: i64,
    /// Every project that existed by the end of the week, by name.
    pub projects: Vec<ProjectWeek>,
}
