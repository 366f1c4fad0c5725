//! Trend queries: a project's review history with category scores, the
//! portfolio's sparklines and summary. Each read is one query (or a fixed
//! pair), never one per project, and every one is served by an index; the
//! tests below check that with `EXPLAIN QUERY PLAN`.

use sqlx::sqlite::SqliteConnection;
use sqlx::{Row, SqlitePool};

/// One review as the trend charts see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendRow {
    pub review_id: i64,
    pub finished_at: i64,
    pub score: i64,
    pub grade: String,
    pub scoring_version: i64,
    pub duration_ms: i64,
    pub opened: i64,
    pub fixed: i64,
}

/// One category score of one review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRow {
    pub review_id: i64,
    pub category: String,
    pub score: Option<i64>,
}

/// One review in the sparkline window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparkRow {
    pub project_id: i64,
    pub finished_at: i64,
    pub score: i64,
    pub scoring_version: i64,
}

/// Projects grouped by the grade of their latest review (`None`: no review).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeGroup {
    pub grade: Option<String>,
    pub projects: i64,
    pub stale: i64,
    pub open_critical: i64,
    pub open_high: i64,
}

const SQL_RECORD_FLOW: &str = "
UPDATE reviews SET
    opened_findings = (SELECT COUNT(*) FROM findings WHERE review_id = ?1 AND status = 'new'),
    fixed_findings = COALESCE((
        SELECT COUNT(*) FROM findings pf
        WHERE pf.review_id = (
                SELECT prev.id FROM reviews prev JOIN reviews cur ON cur.id = ?1
                WHERE prev.project_id = cur.project_id
                  AND (prev.finished_at, prev.id) < (cur.finished_at, cur.id)
                ORDER BY prev.finished_at DESC, prev.id DESC LIMIT 1)
          AND pf.fingerprint NOT IN (SELECT fingerprint FROM findings WHERE review_id = ?1)
    ), 0)
WHERE id = ?1";

const SQL_PROJECT_REVIEWS: &str = "
SELECT id, finished_at, score, grade, scoring_version, duration_ms, opened_findings, fixed_findings
FROM reviews WHERE project_id = ?1 AND finished_at >= ?2
ORDER BY finished_at DESC, id DESC LIMIT ?3";

const SQL_PROJECT_CATEGORIES: &str = "
SELECT rc.review_id, rc.category, rc.score
FROM reviews r JOIN review_categories rc ON rc.review_id = r.id
WHERE r.project_id = ?1 AND r.finished_at >= ?2";

const SQL_SPARKLINES: &str = "
SELECT r.project_id, r.finished_at, r.score, r.scoring_version
FROM projects p JOIN reviews r ON r.project_id = p.id AND r.finished_at >= ?1";

const SQL_GRADE_GROUPS: &str = "
SELECT r.grade AS grade, COUNT(*) AS projects,
       SUM(CASE WHEN r.id IS NULL OR r.finished_at < ?1 THEN 1 ELSE 0 END) AS stale,
       COALESCE(SUM((SELECT COUNT(*) FROM findings f WHERE f.review_id = r.id
                       AND f.severity = 'critical' AND f.suppressed_reason IS NULL)), 0) AS open_critical,
       COALESCE(SUM((SELECT COUNT(*) FROM findings f WHERE f.review_id = r.id
                       AND f.severity = 'high' AND f.suppressed_reason IS NULL)), 0) AS open_high
FROM projects p
LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE project_id = p.id
                               ORDER BY finished_at DESC, id DESC LIMIT 1)
GROUP BY r.grade";

const SQL_REVIEWS_BETWEEN: &str =
    "SELECT COUNT(*) FROM reviews WHERE finished_at >= ?1 AND finished_at < ?2";

/// Counts what a freshly stored review opened and fixed against the
/// project's previous review; part of the transaction that stores it.
pub async fn record_finding_flow(
    conn: &mut SqliteConnection,
    review_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(SQL_RECORD_FLOW)
        .bind(review_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The project's newest `limit` reviews finished at or after `since`, oldest first.
pub async fn list_project_trend_rows(
    pool: &SqlitePool,
    project_id: i64,
    since: i64,
    limit: i64,
) -> Result<Vec<TrendRow>, sqlx::Error> {
    let mut rows = sqlx::query(SQL_PROJECT_REVIEWS)
        .bind(project_id)
        .bind(since)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(TrendRow {
                review_id: r.try_get("id")?,
                finished_at: r.try_get("finished_at")?,
                score: r.try_get("score")?,
                grade: r.try_get("grade")?,
                scoring_version: r.try_get("scoring_version")?,
                duration_ms: r.try_get("duration_ms")?,
                opened: r.try_get("opened_findings")?,
                fixed: r.try_get("fixed_findings")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    rows.reverse();
    Ok(rows)
}

/// Category scores of the project's reviews finished at or after `since`.
pub async fn list_project_category_rows(
    pool: &SqlitePool,
    project_id: i64,
    since: i64,
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    sqlx::query(SQL_PROJECT_CATEGORIES)
        .bind(project_id)
        .bind(since)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(CategoryRow {
                review_id: r.try_get("review_id")?,
                category: r.try_get("category")?,
                score: r.try_get("score")?,
            })
        })
        .collect()
}

/// Every review of every project finished at or after `since`, by project
/// then time: one query for all sparklines.
pub async fn list_sparkline_rows(
    pool: &SqlitePool,
    since: i64,
) -> Result<Vec<SparkRow>, sqlx::Error> {
    sqlx::query_as::<_, (i64, i64, i64, i64)>(SQL_SPARKLINES)
        .bind(since)
        .fetch_all(pool)
        .await
        .map(|rows| {
            rows.into_iter()
                .map(
                    |(project_id, finished_at, score, scoring_version)| SparkRow {
                        project_id,
                        finished_at,
                        score,
                        scoring_version,
                    },
                )
                .collect::<Vec<_>>()
        })
        .map(|mut rows| {
            // Sorted here: an ORDER BY makes SQLite walk the whole
            // reviews_by_project index instead of seeking the window.
            rows.sort_by_key(|r| (r.project_id, r.finished_at));
            rows
        })
}

/// Projects grouped by the grade of their latest review, with open
/// critical/high findings and how many were last reviewed before `stale_before`.
pub async fn list_grade_groups(
    pool: &SqlitePool,
    stale_before: i64,
) -> Result<Vec<GradeGroup>, sqlx::Error> {
    sqlx::query(SQL_GRADE_GROUPS)
        .bind(stale_before)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(GradeGroup {
                grade: r.try_get("grade")?,
                projects: r.try_get("projects")?,
                stale: r.try_get("stale")?,
                open_critical: r.try_get("open_critical")?,
                open_high: r.try_get("open_high")?,
            })
        })
        .collect()
}

/// Reviews of any project finished in `[from, to)`.
pub async fn count_reviews_between(
    pool: &SqlitePool,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(SQL_REVIEWS_BETWEEN)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await
}

/// The hot queries of this module, for the query-plan test.
#[cfg(test)]
pub(crate) const HOT_QUERIES: &[(&str, &str)] = &[
    ("record_finding_flow", SQL_RECORD_FLOW),
    ("project_reviews", SQL_PROJECT_REVIEWS),
    ("project_categories", SQL_PROJECT_CATEGORIES),
    ("sparklines", SQL_SPARKLINES),
    ("grade_groups", SQL_GRADE_GROUPS),
    ("reviews_between", SQL_REVIEWS_BETWEEN),
];

#[cfg(test)]
pub(crate) mod plan_tests {
    use crate::server::db::migrated_pool;
    use sqlx::SqlitePool;

    /// Lines of `EXPLAIN QUERY PLAN` that read a whole table or index of the
    /// big tables (reviews, review_categories, findings, check_results).
    /// Scanning `projects` is expected: every project is listed.
    pub(crate) async fn full_scans(pool: &SqlitePool, sql: &str) -> Vec<String> {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(pool)
                .await
                .unwrap_or_else(|e| panic!("cannot plan {sql}: {e}"));
        let big = ["reviews", "review_categories", "findings", "check_results"];
        // Aliases the queries of `db` give those tables (`p` is always `projects`).
        let aliases = ["r", "rc", "f", "pf", "cf", "prev", "cur"];
        rows.into_iter()
            .map(|(_, _, _, detail)| detail)
            .filter(|detail| {
                let Some(rest) = detail.strip_prefix("SCAN ") else {
                    return false;
                };
                let table = rest.split_whitespace().next().unwrap_or_default();
                big.contains(&table) || aliases.contains(&table)
            })
            .collect()
    }

    #[tokio::test]
    async fn trend_queries_use_indexes_and_never_scan_reviews_or_findings() {
        let (_dir, pool) = migrated_pool().await;
        for (name, sql) in super::HOT_QUERIES {
            let scans = full_scans(&pool, sql).await;
            assert!(scans.is_empty(), "{name} scans a big table: {scans:?}");
        }
    }

    #[tokio::test]
    async fn the_plan_check_catches_a_full_scan() {
        let (_dir, pool) = migrated_pool().await;
        let scans = full_scans(&pool, "SELECT * FROM reviews WHERE duration_ms > 5").await;
        assert_eq!(scans.len(), 1, "{scans:?}");
    }
}
