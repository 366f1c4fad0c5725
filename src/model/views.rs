//! DTOs the pages render, filled by the server and sent to the browser as they are.

use super::catalog::{Category, CheckKind};
use super::review::{Evidence, Grade, Severity, Verdict};
use serde::{Deserialize, Serialize};

/// State of a background job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    /// Stopped by a person (quality-loop jobs); never retried.
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        match s {
            "queued" => Some(JobState::Queued),
            "running" => Some(JobState::Running),
            "succeeded" => Some(JobState::Succeeded),
            "failed" => Some(JobState::Failed),
            "cancelled" => Some(JobState::Cancelled),
            _ => None,
        }
    }

    /// Queued or running: the page keeps polling while a job is active.
    pub fn is_active(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

/// A job as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub stage: Option<String>,
    pub files_done: Option<i64>,
    pub files_total: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Queued jobs waiting for a retry: when they run next.
    pub run_after: i64,
}

/// One row of the portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub source: String,
    pub grade: Option<Grade>,
    pub score: Option<i64>,
    pub last_review_at: Option<i64>,
    pub open_critical: i64,
    pub open_high: i64,
    pub job: Option<JobView>,
    /// The team that owns the project, as set on its page.
    pub team: Option<String>,
    /// Languages of the latest review, most files first.
    pub languages: Vec<String>,
    /// Category scores of the latest review, in catalog order.
    pub categories: Vec<CategoryView>,
}

/// The portfolio page: one page of the projects that match the URL's query,
/// the summary bar over all projects, the sparklines of the rows shown, the
/// weekly trend, and the clock the server read them at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub now: i64,
    /// The rows of this page only.
    pub projects: Vec<ProjectRow>,
    /// Summary over every project; sparklines of `projects` only.
    pub trends: super::trends::PortfolioTrends,
    pub weeks: Vec<super::portfolio_trends::PortfolioWeek>,
    /// Which page of the matching projects this is.
    pub paging: super::paging::PageInfo,
    /// Projects with a queued or running job.
    pub running: usize,
}

/// What the portfolio's filters offer: every language and team of any project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioFilters {
    pub languages: Vec<String>,
    pub teams: Vec<String>,
}

/// A project's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectInfo {
    pub id: i64,
    pub name: String,
    pub source_kind: String,
    pub source: String,
    pub created_at: i64,
    pub team: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub category: Category,
    pub score: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckView {
    pub check_id: String,
    pub title: String,
    pub category: Category,
    pub kind: CheckKind,
    pub verdict: Verdict,
    pub summary: String,
    pub evidence: Vec<Evidence>,
    /// Findings of this check in the review (finding-kind checks only).
    pub findings: i64,
}

/// Whether a finding is new since the previous review of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FindingStatus {
    New,
    Unchanged,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::New => "new",
            FindingStatus::Unchanged => "unchanged",
        }
    }

    pub fn parse(s: &str) -> Option<FindingStatus> {
        match s {
            "new" => Some(FindingStatus::New),
            "unchanged" => Some(FindingStatus::Unchanged),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FindingView {
    pub id: i64,
    pub check_id: String,
    pub severity: Severity,
    pub path: String,
    pub line: i64,
    pub end_line: i64,
    pub snippet: String,
    pub message: String,
    pub fingerprint: String,
    pub status: FindingStatus,
    /// The reason given in the code when the finding is suppressed.
    pub suppressed: Option<String>,
    /// The day (`YYYY-MM-DD`) its `.backlens.toml` suppression expires.
    #[serde(default)]
    pub suppressed_until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LanguageView {
    pub language: String,
    pub files: i64,
}

/// A stored review with everything the scorecard shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub id: i64,
    pub job_id: i64,
    pub commit_sha: Option<String>,
    pub scoring_version: i64,
    pub score: i64,
    pub grade: Grade,
    pub files_scanned: i64,
    pub files_skipped: i64,
    pub languages: Vec<LanguageView>,
    pub started_at: i64,
    pub finished_at: i64,
    pub duration_ms: i64,
    pub categories: Vec<CategoryView>,
    pub checks: Vec<CheckView>,
    pub findings: Vec<FindingView>,
    /// Findings of the previous review whose fingerprint is gone in this one.
    pub fixed_since_previous: i64,
    pub has_previous: bool,
    /// Problems the review met that people should fix (a malformed
    /// `.backlens.toml`, say).
    pub notes: Vec<String>,
}

/// One past review, for the trend chart and the history list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewPoint {
    pub id: i64,
    pub finished_at: i64,
    pub score: i64,
    pub grade: Grade,
    pub scoring_version: i64,
    pub commit_sha: Option<String>,
    pub open_findings: i64,
}

/// The project page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectPage {
    pub now: i64,
    pub project: ProjectInfo,
    pub review: Option<ReviewView>,
    /// Recent reviews, oldest first.
    pub history: Vec<ReviewPoint>,
    pub jobs: Vec<JobView>,
    pub scoring_explanation: String,
}

/// Answer to the "add project" form: validation problems are answers, not errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddProjectOutcome {
    Added { id: i64, name: String },
    Rejected { message: String },
}

/// "3 min ago" from two unix times; `then` in the future reads "just now".
pub fn time_ago(now: i64, then: i64) -> String {
    let secs = (now - then).max(0);
    match secs {
        0..=9 => "just now".to_string(),
        10..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        86_400..=172_799 => "1 day ago".to_string(),
        _ => format!("{} days ago", secs / 86_400),
    }
}

/// "in 12 s" for a time ahead of now.
pub fn time_until(now: i64, then: i64) -> String {
    let secs = (then - now).max(0);
    if secs < 60 {
        format!("in {secs} s")
    } else {
        format!("in {} min", secs / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ago_reads_like_a_person_would_say_it() {
        assert_eq!(time_ago(100, 95), "just now");
        assert_eq!(time_ago(100, 70), "30 s ago");
        assert_eq!(time_ago(4000, 400), "1 h ago");
        assert_eq!(time_ago(3999, 400), "59 min ago");
        assert_eq!(time_ago(100_000, 0), "1 day ago");
        assert_eq!(time_ago(200_000, 0), "2 days ago");
        assert_eq!(time_ago(0, 50), "just now");
    }
}

/// "2026-11-22 10:04 UTC" from unix seconds (proleptic Gregorian, no time zone database).
pub fn format_utc(ts: i64) -> String {
    let secs = ts.rem_euclid(86_400);
    let (year, month, day) = super::week::civil_from_days(ts.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
}

#[cfg(test)]
mod format_tests {
    use super::format_utc;

    #[test]
    fn utc_dates_match_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_000_000), "2026-11-18 11:06 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
    }
}
