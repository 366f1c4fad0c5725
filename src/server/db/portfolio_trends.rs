//! The portfolio's weekly aggregates: two grouped range scans over
//! `reviews_by_finished`, whatever the number of projects.

use crate::model::week::IsoWeek;
use sqlx::{Row, SqlitePool};

/// Totals of the reviews finished in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekTotalsRow {
    pub week_index: i64,
    pub reviews: i64,
    pub avg_score: f64,
    pub opened: i64,
    pub fixed: i64,
    pub avg_duration_ms: f64,
    pub max_scoring_version: i64,
}

/// One category's average in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekCategoryRow {
    pub week_index: i64,
    pub category: String,
    pub avg_score: Option<f64>,
}

pub(crate) const SQL_WEEK_TOTALS: &str = "
SELECT (r.finished_at + ?2) / ?3 AS week_index, COUNT(*) AS reviews, AVG(r.score) AS avg_score,
       SUM(r.opened_findings) AS opened, SUM(r.fixed_findings) AS fixed,
       AVG(r.duration_ms) AS avg_duration_ms, MAX(r.scoring_version) AS max_scoring_version
FROM reviews r WHERE r.finished_at >= ?1
GROUP BY week_index";

pub(crate) const SQL_WEEK_CATEGORIES: &str = "
SELECT (r.finished_at + ?2) / ?3 AS week_index, rc.category AS category, AVG(rc.score) AS avg_score
FROM reviews r JOIN review_categories rc ON rc.review_id = r.id
WHERE r.finished_at >= ?1
GROUP BY week_index, rc.category";

/// Per-week totals of reviews finished at or after `since` (a week start).
pub async fn list_week_totals(
    pool: &SqlitePool,
    since: i64,
) -> Result<Vec<WeekTotalsRow>, sqlx::Error> {
    sqlx::query(SQL_WEEK_TOTALS)
        .bind(since)
        .bind(IsoWeek::SQL_INDEX_OFFSET)
        .bind(IsoWeek::SECONDS)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(WeekTotalsRow {
                week_index: r.try_get("week_index")?,
                reviews: r.try_get("reviews")?,
                avg_score: r.try_get("avg_score")?,
                opened: r.try_get("opened")?,
                fixed: r.try_get("fixed")?,
                avg_duration_ms: r.try_get("avg_duration_ms")?,
                max_scoring_version: r.try_get("max_scoring_version")?,
            })
        })
        .collect()
}

/// Per-week category averages of reviews finished at or after `since`.
pub async fn list_week_categories(
    pool: &SqlitePool,
    since: i64,
) -> Result<Vec<WeekCategoryRow>, sqlx::Error> {
    sqlx::query(SQL_WEEK_CATEGORIES)
        .bind(since)
        .bind(IsoWeek::SQL_INDEX_OFFSET)
        .bind(IsoWeek::SECONDS)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(WeekCategoryRow {
                week_index: r.try_get("week_index")?,
                category: r.try_get("category")?,
                avg_score: r.try_get("avg_score")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::migrated_pool;
    use super::super::trends::plan_tests::full_scans;

    #[tokio::test]
    async fn weekly_aggregates_read_a_range_of_the_finished_index() {
        let (_dir, pool) = migrated_pool().await;
        for sql in [super::SQL_WEEK_TOTALS, super::SQL_WEEK_CATEGORIES] {
            let scans = full_scans(&pool, sql).await;
            assert!(scans.is_empty(), "{sql} scans a big table: {scans:?}");
        }
    }
}
