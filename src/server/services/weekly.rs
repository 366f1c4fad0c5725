//! The weekly review: what changed across all projects in one ISO week.

use super::ServiceError;
use crate::model::week::{iso_date, IsoWeek};
use crate::model::weekly::{
    movers, CategoryDelta, ExpiringSuppression, NewSevereFinding, ProjectWeek, WeeklyReport,
};
use crate::model::{Category, Grade, Severity};
use crate::server::db::weekly as db;
use std::collections::HashMap;

use sqlx::SqlitePool;

/// How many regressions and improvements the report lists.
pub const TOP_MOVERS: usize = 10;
/// At most this many new critical/high findings are listed.
pub const MAX_NEW_SEVERE: i64 = 200;
/// Suppressions ending within this many days after the week are "soon".
pub const EXPIRY_HORIZON_DAYS: i64 = 14;
/// At most this many expiring suppressions are listed.
pub const MAX_EXPIRING: i64 = 200;
/// No review for this long before the end of the week: stale.
pub const STALE_AFTER_SECS: i64 = 14 * 86_400;

/// Why a weekly report cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum WeeklyError {
    #[error("{week} has not started yet (this is {current})")]
    Future { week: IsoWeek, current: IsoWeek },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sqlx::Error> for WeeklyError {
    fn from(e: sqlx::Error) -> Self {
        WeeklyError::Service(e.into())
    }
}

/// The report of `week` as of `now`. A week after the current one is refused.
#[tracing::instrument(skip(pool))]
pub async fn weekly_report(
    pool: &SqlitePool,
    week: IsoWeek,
    now: i64,
) -> Result<WeeklyReport, WeeklyError> {
    let current = IsoWeek::of_unix(now);
    if week > current {
        return Err(WeeklyError::Future { week, current });
    }
    let (start, end) = (week.start(), week.end());
    let snapshot = db::list_week_snapshot(pool, start, end).await?;
    let mut ids: Vec<i64> = snapshot
        .iter()
        .flat_map(|s| [s.cur.as_ref(), s.prev.as_ref()])
        .flatten()
        .map(|r| r.review_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut categories: HashMap<i64, Vec<(Category, Option<i64>)>> = HashMap::new();
    for (review_id, category, score) in db::list_categories_of(pool, &ids).await? {
        if let Some(c) = Category::parse(&category) {
            categories.entry(review_id).or_default().push((c, score));
        }
    }

    let stale_before = end.min(now) - STALE_AFTER_SECS;
    let projects: Vec<ProjectWeek> = snapshot
        .iter()
        .map(|s| {
            let cur = s.cur.as_ref();
            let prev = s.prev.as_ref();
            let score = cur.map(|r| r.score);
            let score_before = prev.map(|r| r.score);
            let scoring_changed =
                matches!((cur, prev), (Some(c), Some(p)) if c.scoring_version != p.scoring_version);
            let empty = Vec::new();
            let now_cats = cur
                .and_then(|r| categories.get(&r.review_id))
                .unwrap_or(&empty);
            let before_cats = prev
                .and_then(|r| categories.get(&r.review_id))
                .unwrap_or(&empty);
            let category_deltas = Category::ALL
                .iter()
                .filter_map(|c| {
                    let find = |list: &Vec<(Category, Option<i64>)>| {
                        list.iter().find(|(x, _)| x == c).map(|(_, s)| *s)
                    };
                    let (n, b) = (find(now_cats), find(before_cats));
                    if n.is_none() && b.is_none() {
                        return None;
                    }
                    let (n, b) = (n.flatten(), b.flatten());
                    Some(CategoryDelta {
                        category: *c,
                        now: n,
                        before: b,
                        delta: n.zip(b).map(|(n, b)| n - b),
                    })
                })
                .collect();
            ProjectWeek {
                project_id: s.project_id,
                name: s.name.clone(),
                grade: cur.and_then(|r| Grade::parse(&r.grade)),
                score,
                score_before,
                delta: score.zip(score_before).map(|(n, b)| n - b),
                scoring_changed,
                scoring_version: cur.map(|r| r.scoring_version),
                last_review_at: cur.map(|r| r.finished_at),
                reviewed_this_week: cur.is_some_and(|r| r.finished_at >= start),
                stale: cur.is_none_or(|r| r.finished_at < stale_before),
                categories: category_deltas,
            }
        })
        .collect();

    let top = |worse| {
        movers(&projects, worse)
            .into_iter()
            .take(TOP_MOVERS)
            .cloned()
            .collect()
    };
    let (regressions, improvements) = (top(true), top(false));

    let mut new_rows = db::list_new_severe_findings(pool, start, end, MAX_NEW_SEVERE + 1).await?;
    let new_severe_truncated = new_rows.len() as i64 > MAX_NEW_SEVERE;
    new_rows.truncate(MAX_NEW_SEVERE as usize);
    let new_severe_findings = new_rows
        .into_iter()
        .filter_map(|r| {
            Some(NewSevereFinding {
                severity: Severity::parse(&r.severity)?,
                finding_id: r.finding_id,
                project_id: r.project_id,
                project: r.project,
                review_id: r.review_id,
                check_id: r.check_id,
                path: r.path,
                line: r.line,
                message: r.message,
            })
        })
        .collect();

    let current_ids: Vec<i64> = snapshot
        .iter()
        .filter_map(|s| s.cur.as_ref().map(|r| r.review_id))
        .collect();
    let expiring_suppressions = db::list_expiring_suppressions(
        pool,
        &current_ids,
        &iso_date(start),
        &iso_date(end + EXPIRY_HORIZON_DAYS * 86_400),
        MAX_EXPIRING,
    )
    .await?
    .into_iter()
    .map(|r| ExpiringSuppression {
        project_id: r.project_id,
        project: r.project,
        check_id: r.check_id,
        path: r.path,
        line: r.line,
        until: r.until,
        reason: r.reason,
    })
    .collect();

    let reviews_this_week =
        crate::server::db::trends::count_reviews_between(pool, start, end).await?;
    Ok(WeeklyReport {
        week,
        previous_week: week.previous(),
        next_week: (week < current).then(|| week.next()),
        date_range: week.date_range_label(),
        generated_at: now,
        reviews_this_week,
        regressions,
        improvements,
        new_severe_findings,
        new_severe_truncated,
        stale_projects: projects.iter().filter(|p| p.stale).cloned().collect(),
        expiring_suppressions,
        rescored_projects: projects.iter().filter(|p| p.scoring_changed).count() as i64,
        projects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::demo_data::{fill, DemoDataOptions};

    #[tokio::test]
    async fn a_scoring_version_change_is_not_a_regression() {
        let (_dir, pool) = crate::server::db::migrated_pool().await;
        let now = crate::server::now();
        let opts = DemoDataOptions {
            projects: 30,
            weeks: 9,
            seed: 2,
            now,
        };
        fill(&pool, &opts).await.unwrap();
        // demo-data switches to scoring version 2 two thirds into the history.
        let current = IsoWeek::of_unix(now);
        let change = IsoWeek::from_index(current.index() - 8 + 6);
        let r = weekly_report(&pool, change, now).await.unwrap();
        assert!(r.rescored_projects > 0);
        assert!(r.projects.iter().any(|p| p.scoring_changed));
        assert!(r
            .regressions
            .iter()
            .chain(&r.improvements)
            .all(|p| !p.scoring_changed));
        assert!(r.regressions.windows(2).all(|w| w[0].delta <= w[1].delta));
        let before = weekly_report(&pool, change.previous(), now).await.unwrap();
        assert_eq!(before.rescored_projects, 0);
        assert_eq!(before.next_week, Some(change));
        // Every project delta is the difference of the two snapshots.
        for p in &r.projects {
            assert_eq!(p.delta, p.score.zip(p.score_before).map(|(a, b)| a - b));
        }
        assert!(matches!(
            weekly_report(&pool, current.next(), now).await,
            Err(WeeklyError::Future { .. })
        ));
    }
}
