//! Queries of the weekly review: every project's latest review at the end of
//! a week and of the week before, their category scores, new critical/high
//! findings of the week, and suppressions about to expire. A fixed number of
//! queries whatever the number of projects, each served by an index (see the
//! plan test below).

use sqlx::{Row, SqlitePool};

/// A project with its latest review by the end of the week (`cur`) and by
/// the end of the week before (`prev`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRow {
    pub project_id: i64,
    pub name: String,
    pub cur: Option<ReviewAt>,
    pub prev: Option<ReviewAt>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewAt {
    pub review_id: i64,
    pub score: i64,
    pub grade: String,
    pub scoring_version: i64,
    pub finished_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFindingRow {
    pub finding_id: i64,
    pub project_id: i64,
    pub project: String,
    pub review_id: i64,
    pub check_id: String,
    pub severity: String,
    pub path: String,
    pub line: i64,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiringRow {
    pub project_id: i64,
    pub project: String,
    pub check_id: String,
    pub path: String,
    pub line: i64,
    pub until: String,
    pub reason: String,
}

const SQL_SNAPSHOT: &str = "
SELECT p.id AS project_id, p.name AS name,
       cur.id AS cur_id, cur.score AS cur_score, cur.grade AS cur_grade,
       cur.scoring_version AS cur_version, cur.finished_at AS cur_finished,
       prev.id AS prev_id, prev.score AS prev_score, prev.grade AS prev_grade,
       prev.scoring_version AS prev_version, prev.finished_at AS prev_finished
FROM projects p
LEFT JOIN reviews cur ON cur.id = (SELECT id FROM reviews WHERE project_id = p.id AND finished_at < ?1
                                   ORDER BY finished_at DESC, id DESC LIMIT 1)
LEFT JOIN reviews prev ON prev.id = (SELECT id FROM reviews WHERE project_id = p.id AND finished_at < ?2
                                     ORDER BY finished_at DESC, id DESC LIMIT 1)
WHERE p.created_at < ?1
ORDER BY p.name COLLATE NOCASE, p.id";

const SQL_CATEGORIES_OF: &str = "
SELECT rc.review_id, rc.category, rc.score FROM review_categories rc
WHERE rc.review_id IN (SELECT value FROM json_each(?1))";

const SQL_NEW_SEVERE: &str = "
SELECT f.id AS finding_id, r.project_id AS project_id, p.name AS project, r.id AS review_id,
       f.check_id, f.severity, f.path, f.line, f.message
FROM reviews r
JOIN findings f ON f.review_id = r.id
JOIN projects p ON p.id = r.project_id
WHERE r.finished_at >= ?1 AND r.finished_at < ?2
  AND f.status = 'new' AND f.severity IN ('critical', 'high') AND f.suppressed_reason IS NULL
ORDER BY f.severity = 'high', p.name COLLATE NOCASE, f.path, f.line
LIMIT ?3";

const SQL_EXPIRING: &str = "
SELECT r.project_id AS project_id, p.name AS project, f.check_id, f.path, f.line,
       f.suppressed_until AS until, COALESCE(f.suppressed_reason, '') AS reason
FROM findings f
JOIN reviews r ON r.id = f.review_id
JOIN projects p ON p.id = r.project_id
WHERE f.review_id IN (SELECT value FROM json_each(?1))
  AND f.suppressed_until >= ?2 AND f.suppressed_until < ?3
ORDER BY f.suppressed_until, p.name COLLATE NOCASE, f.path, f.line
LIMIT ?4";

fn review_at(r: &sqlx::sqlite::SqliteRow, prefix: &str) -> Result<Option<ReviewAt>, sqlx::Error> {
    let id: Option<i64> = r.try_get(format!("{prefix}_id").as_str())?;
    let Some(review_id) = id else {
        return Ok(None);
    };
    Ok(Some(ReviewAt {
        review_id,
        score: r.try_get(format!("{prefix}_score").as_str())?,
        grade: r.try_get(format!("{prefix}_grade").as_str())?,
        scoring_version: r.try_get(format!("{prefix}_version").as_str())?,
        finished_at: r.try_get(format!("{prefix}_finished").as_str())?,
    }))
}

/// Projects created before `end`, each with its latest review finished
/// before `end` and before `start`, by name.
pub async fn list_week_snapshot(
    pool: &SqlitePool,
    start: i64,
    end: i64,
) -> Result<Vec<SnapshotRow>, sqlx::Error> {
    sqlx::query(SQL_SNAPSHOT)
        .bind(end)
        .bind(start)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SnapshotRow {
                project_id: r.try_get("project_id")?,
                name: r.try_get("name")?,
                cur: review_at(r, "cur")?,
                prev: review_at(r, "prev")?,
            })
        })
        .collect()
}

/// Category scores of the given reviews: (review id, category, score).
pub async fn list_categories_of(
    pool: &SqlitePool,
    review_ids: &[i64],
) -> Result<Vec<(i64, String, Option<i64>)>, sqlx::Error> {
    if review_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(review_ids).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query_as(SQL_CATEGORIES_OF)
        .bind(ids)
        .fetch_all(pool)
        .await
}

/// Critical and high findings, open, first seen by a review finished in
/// `[start, end)`; critical first. At most `limit`.
pub async fn list_new_severe_findings(
    pool: &SqlitePool,
    start: i64,
    end: i64,
    limit: i64,
) -> Result<Vec<NewFindingRow>, sqlx::Error> {
    sqlx::query(SQL_NEW_SEVERE)
        .bind(start)
        .bind(end)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(NewFindingRow {
                finding_id: r.try_get("finding_id")?,
                project_id: r.try_get("project_id")?,
                project: r.try_get("project")?,
                review_id: r.try_get("review_id")?,
                check_id: r.try_get("check_id")?,
                severity: r.try_get("severity")?,
                path: r.try_get("path")?,
                line: r.try_get("line")?,
                message: r.try_get("message")?,
            })
        })
        .collect()
}

/// Suppressions in the given reviews that end on a day in `[from, to)`
/// (`YYYY-MM-DD`, compared as text), soonest first. At most `limit`.
pub async fn list_expiring_suppressions(
    pool: &SqlitePool,
    review_ids: &[i64],
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<ExpiringRow>, sqlx::Error> {
    if review_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(review_ids).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(SQL_EXPIRING)
        .bind(ids)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ExpiringRow {
                project_id: r.try_get("project_id")?,
                project: r.try_get("project")?,
                check_id: r.try_get("check_id")?,
                path: r.try_get("path")?,
                line: r.try_get("line")?,
                until: r.try_get("until")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod plan_tests {
    use crate::server::db::migrated_pool;
    use crate::server::db::trends::plan_tests::full_scans;

    #[tokio::test]
    async fn weekly_queries_use_indexes_and_never_scan_reviews_or_findings() {
        let (_dir, pool) = migrated_pool().await;
        for (name, sql) in [
            ("snapshot", super::SQL_SNAPSHOT),
            ("categories_of", super::SQL_CATEGORIES_OF),
            ("new_severe", super::SQL_NEW_SEVERE),
            ("expiring", super::SQL_EXPIRING),
        ] {
            let scans = full_scans(&pool, sql).await;
            assert!(scans.is_empty(), "{name} scans a big table: {scans:?}");
        }
    }
}
