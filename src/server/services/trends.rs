//! Trends for the charts: a project's history and the portfolio's sparklines
//! and summary, assembled from a fixed number of queries.

use super::ServiceError;
use crate::model::trends::{
    GradeCount, PortfolioSummary, PortfolioTrends, ProjectTrends, ScoringVersionChange, SparkPoint,
    Sparkline, TrendPoint, WeekFindingFlow,
};
use crate::model::views::CategoryView;
use crate::model::week::IsoWeek;
use crate::model::{Category, Grade};
use crate::server::db::{projects, trends};
use sqlx::SqlitePool;
use std::collections::HashMap;

/// Weeks of history the project charts show unless asked otherwise.
pub const DEFAULT_TREND_WEEKS: i64 = 52;
/// The widest window a caller may ask for (ten years).
pub const MAX_TREND_WEEKS: i64 = 520;
/// At most this many reviews are drawn (the newest), whatever the window.
pub const MAX_TREND_POINTS: i64 = 1000;
/// Weeks a portfolio sparkline covers, the current one included.
pub const SPARKLINE_WEEKS: i64 = 12;
/// A project whose latest review is older than this is stale.
pub const STALE_AFTER_SECS: i64 = 14 * 86_400;

/// A project's trends over the `weeks` ISO weeks up to the one holding
/// `now` (clamped to 1..=MAX_TREND_WEEKS). `None` when there is no such project.
pub async fn project_trends(
    pool: &SqlitePool,
    project_id: i64,
    weeks: i64,
    now: i64,
) -> Result<Option<ProjectTrends>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(None);
    }
    let weeks = weeks.clamp(1, MAX_TREND_WEEKS);
    let to_week = IsoWeek::of_unix(now);
    let from_week = IsoWeek::from_index(to_week.index() - (weeks - 1));
    let rows =
        trends::list_project_trend_rows(pool, project_id, from_week.start(), MAX_TREND_POINTS)
            .await?;
    let since = rows.first().map_or(from_week.start(), |r| r.finished_at);
    let mut categories: HashMap<i64, Vec<CategoryView>> = HashMap::new();
    for c in trends::list_project_category_rows(pool, project_id, since).await? {
        // A category this build does not know (stored by a newer engine) is
        // left off the charts rather than failing them.
        if let Some(category) = Category::parse(&c.category) {
            categories
                .entry(c.review_id)
                .or_default()
                .push(CategoryView {
                    category,
                    score: c.score,
                });
        }
    }
    let mut points = Vec::with_capacity(rows.len());
    for row in rows {
        let grade = Grade::parse(&row.grade).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "grade".into(),
            source: format!("unknown grade {:?}", row.grade).into(),
        })?;
        let mut cats = categories.remove(&row.review_id).unwrap_or_default();
        cats.sort_by_key(|c| c.category);
        points.push(TrendPoint {
            review_id: row.review_id,
            finished_at: row.finished_at,
            week: IsoWeek::of_unix(row.finished_at),
            score: row.score,
            grade,
            scoring_version: row.scoring_version,
            duration_ms: row.duration_ms,
            opened: row.opened,
            fixed: row.fixed,
            categories: cats,
        });
    }
    Ok(Some(ProjectTrends {
        project_id,
        scoring_changes: scoring_changes(&points),
        findings_per_week: findings_per_week(&points, from_week, to_week),
        from_week,
        to_week,
        points,
    }))
}

/// Consecutive reviews scored with different formula versions.
fn scoring_changes(points: &[TrendPoint]) -> Vec<ScoringVersionChange> {
    points
        .windows(2)
        .filter(|w| w[0].scoring_version != w[1].scoring_version)
        .map(|w| ScoringVersionChange {
            review_id: w[1].review_id,
            finished_at: w[1].finished_at,
            from_version: w[0].scoring_version,
            to_version: w[1].scoring_version,
        })
        .collect()
}

/// Opened and fixed findings summed per ISO week, every week of the window
/// present (zeros for weeks without reviews) so charts get an even axis.
fn findings_per_week(points: &[TrendPoint], from: IsoWeek, to: IsoWeek) -> Vec<WeekFindingFlow> {
    let mut weeks: Vec<WeekFindingFlow> = (from.index()..=to.index())
        .map(|i| WeekFindingFlow {
            week: IsoWeek::from_index(i),
            opened: 0,
            fixed: 0,
            reviews: 0,
        })
        .collect();
    for p in points {
        let at = p.week.index() - from.index();
        if let Some(w) = usize::try_from(at).ok().and_then(|i| weeks.get_mut(i)) {
            w.opened += p.opened;
            w.fixed += p.fixed;
            w.reviews += 1;
        }
    }
    weeks
}

/// The portfolio's summary bar and every project's sparkline: three queries
/// whatever the number of projects.
pub async fn portfolio_trends(
    pool: &SqlitePool,
    now: i64,
) -> Result<PortfolioTrends, ServiceError> {
    let week = IsoWeek::of_unix(now);
    let first_week = IsoWeek::from_index(week.index() - (SPARKLINE_WEEKS - 1));
    let groups = trends::list_grade_groups(pool, now - STALE_AFTER_SECS).await?;
    let reviews_this_week = trends::count_reviews_between(pool, week.start(), week.end()).await?;
    let rows = trends::list_sparkline_rows(pool, first_week.start()).await?;

    let mut summary = PortfolioSummary {
        projects: 0,
        by_grade: [Grade::A, Grade::B, Grade::C, Grade::D, Grade::F]
            .into_iter()
            .map(|grade| GradeCount { grade, projects: 0 })
            .collect(),
        not_reviewed: 0,
        open_critical: 0,
        open_high: 0,
        week,
        reviews_this_week,
        stale_projects: 0,
    };
    for g in groups {
        summary.projects += g.projects;
        summary.stale_projects += g.stale;
        summary.open_critical += g.open_critical;
        summary.open_high += g.open_high;
        match g.grade.as_deref().and_then(Grade::parse) {
            Some(grade) => {
                if let Some(c) = summary.by_grade.iter_mut().find(|c| c.grade == grade) {
                    c.projects += g.projects;
                }
            }
            None => summary.not_reviewed += g.projects,
        }
    }

    // Rows come by project, then time: the last review of each week wins.
    let mut sparklines: Vec<Sparkline> = Vec::new();
    for r in rows {
        let point = SparkPoint {
            week: IsoWeek::of_unix(r.finished_at),
            score: r.score,
            scoring_version: r.scoring_version,
        };
        match sparklines.last_mut() {
            Some(s) if s.project_id == r.project_id => match s.points.last_mut() {
                Some(last) if last.week == point.week => *last = point,
                _ => s.points.push(point),
            },
            _ => sparklines.push(Sparkline {
                project_id: r.project_id,
                points: vec![point],
            }),
        }
    }
    Ok(PortfolioTrends {
        now,
        summary,
        sparklines,
        weeks: SPARKLINE_WEEKS,
    })
}
