//! Trend DTOs: a project's history (scores per category, overall score with
//! its scoring version, findings opened vs fixed per ISO week, review
//! durations) and the portfolio's sparklines and summary. Filled by
//! `server::services::trends`, drawn by the chart components.

use super::catalog::Category;
use super::review::Grade;
use super::views::CategoryView;
use super::week::IsoWeek;
use serde::{Deserialize, Serialize};

/// One review on a project's trend charts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    pub review_id: i64,
    pub finished_at: i64,
    pub week: IsoWeek,
    pub score: i64,
    pub grade: Grade,
    /// Scores computed with different versions of the formula are not
    /// comparable: charts mark where this changes.
    pub scoring_version: i64,
    pub duration_ms: i64,
    /// Findings first seen in this review (fingerprint absent from the
    /// previous review of the project; all of them for the first review).
    pub opened: i64,
    /// Findings of the previous review whose fingerprint is gone in this one.
    pub fixed: i64,
    pub categories: Vec<CategoryView>,
}

/// Where the scoring formula changed between two consecutive reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoringVersionChange {
    /// The first review scored with the new version.
    pub review_id: i64,
    pub finished_at: i64,
    pub from_version: i64,
    pub to_version: i64,
}

/// Findings opened and fixed during one ISO week (summed over its reviews).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeekFindingFlow {
    pub week: IsoWeek,
    pub opened: i64,
    pub fixed: i64,
    /// Reviews finished that week (0: a gap in the history).
    pub reviews: i64,
}

/// One category's score over time (`None`: no check of it could be evaluated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySeries {
    pub category: Category,
    /// (review finished_at, score), oldest first.
    pub points: Vec<(i64, Option<i64>)>,
}

/// A project's trends over a window of weeks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectTrends {
    pub project_id: i64,
    /// First and last week of the window (inclusive).
    pub from_week: IsoWeek,
    pub to_week: IsoWeek,
    /// Reviews in the window, oldest first.
    pub points: Vec<TrendPoint>,
    pub scoring_changes: Vec<ScoringVersionChange>,
    /// Every week of the window, gaps included, oldest first.
    pub findings_per_week: Vec<WeekFindingFlow>,
}

impl ProjectTrends {
    /// The score of each category over time, in catalog order of categories
    /// that appear in the window.
    pub fn category_series(&self) -> Vec<CategorySeries> {
        let mut series: Vec<CategorySeries> = Vec::new();
        for p in &self.points {
            for c in &p.categories {
                let at = match series.iter().position(|s| s.category == c.category) {
                    Some(i) => i,
                    None => {
                        series.push(CategorySeries {
                            category: c.category,
                            points: Vec::new(),
                        });
                        series.len() - 1
                    }
                };
                series[at].points.push((p.finished_at, c.score));
            }
        }
        series.sort_by_key(|s| s.category);
        series
    }
}

/// One point of a portfolio sparkline: the last review of an ISO week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SparkPoint {
    pub week: IsoWeek,
    pub score: i64,
    pub scoring_version: i64,
}

/// A project's score over the last weeks (weeks without a review have no point).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Sparkline {
    pub project_id: i64,
    pub points: Vec<SparkPoint>,
}

/// How many projects have a grade (by their latest review).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GradeCount {
    pub grade: Grade,
    pub projects: i64,
}

/// The portfolio's summary bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortfolioSummary {
    pub projects: i64,
    /// Every grade A to F, zeros included.
    pub by_grade: Vec<GradeCount>,
    pub not_reviewed: i64,
    /// Open (not suppressed) critical and high findings in the latest reviews.
    pub open_critical: i64,
    pub open_high: i64,
    /// The current ISO week and the reviews finished in it so far.
    pub week: IsoWeek,
    pub reviews_this_week: i64,
    /// Projects whose latest review is older than two weeks (or that have none).
    pub stale_projects: i64,
}

/// What the portfolio needs beyond its table: summary and sparklines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortfolioTrends {
    pub now: i64,
    pub summary: PortfolioSummary,
    /// Sparklines of every project with a review in the window, by project id.
    pub sparklines: Vec<Sparkline>,
    /// Weeks the sparklines cover (the last is the current week).
    pub weeks: i64,
}

impl PortfolioTrends {
    pub fn sparkline(&self, project_id: i64) -> Option<&Sparkline> {
        self.sparklines
            .binary_search_by_key(&project_id, |s| s.project_id)
            .ok()
            .map(|i| &self.sparklines[i])
    }
}
