//! Reading stored history page by page for the JSON API: a project's
//! reviews, one review's category scores, a review's findings with filters.

use super::reviews::finding_from_row;
use crate::model::views::{CategoryView, FindingView, ReviewPoint};
use crate::model::{Category, Grade};
use sqlx::{Row, SqlitePool};

/// Which findings of a review to list.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    /// Category id (`SEC`, ...): findings of that category's checks.
    pub category: Option<Category>,
    pub severity: Option<crate::model::Severity>,
    pub status: Option<FindingState>,
}

/// `new` and `unchanged` are open findings; `suppressed` are accepted ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingState {
    New,
    Unchanged,
    Suppressed,
}

// One WHERE clause for the page and its count; NULL parameters mean "any".
// The category matches the check id's prefix (`SEC-...`), as the catalog names them.
const FINDING_FILTER: &str = "review_id = ?1
   AND (?2 IS NULL OR substr(check_id, 1, length(?2) + 1) = ?2 || '-')
   AND (?3 IS NULL OR severity = ?3)
   AND (?4 IS NULL
        OR (?4 = 'suppressed' AND suppressed_reason IS NOT NULL)
        OR (?4 <> 'suppressed' AND suppressed_reason IS NULL AND status = ?4))";

/// The project's reviews newest first: (page, total).
pub async fn list_reviews_page(
    pool: &SqlitePool,
    project_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ReviewPoint>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE project_id = ?")
        .bind(project_id)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query(
        "SELECT r.id, r.finished_at, r.score, r.grade, r.scoring_version, r.commit_sha,
                (SELECT COUNT(*) FROM findings f
                  WHERE f.review_id = r.id AND f.suppressed_reason IS NULL) AS open_findings
         FROM reviews r WHERE r.project_id = ?
         ORDER BY r.finished_at DESC, r.id DESC LIMIT ? OFFSET ?",
    )
    .bind(project_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            let grade: String = r.try_get("grade")?;
            Ok(ReviewPoint {
                id: r.try_get("id")?,
                finished_at: r.try_get("finished_at")?,
                score: r.try_get("score")?,
                grade: Grade::parse(&grade).ok_or_else(|| sqlx::Error::ColumnDecode {
                    index: "grade".into(),
                    source: format!("unknown grade {grade:?}").into(),
                })?,
                scoring_version: r.try_get("scoring_version")?,
                commit_sha: r.try_get("commit_sha")?,
                open_findings: r.try_get("open_findings")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((items, total))
}

/// Category scores of one review, in catalog order (unknown ids left out).
pub async fn list_review_categories(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Vec<CategoryView>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT category, score FROM review_categories WHERE review_id = ?")
            .bind(review_id)
            .fetch_all(pool)
            .await?;
    let mut list: Vec<CategoryView> = rows
        .into_iter()
        .filter_map(|(c, score)| {
            Category::parse(&c).map(|category| CategoryView { category, score })
        })
        .collect();
    list.sort_by_key(|c| c.category);
    Ok(list)
}

/// The project a review belongs to, if the review exists.
pub async fn review_project(pool: &SqlitePool, review_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT project_id FROM reviews WHERE id = ?")
        .bind(review_id)
        .fetch_optional(pool)
        .await
}

/// A page of a review's findings matching the filter, worst first: (page, total).
pub async fn list_findings_page(
    pool: &SqlitePool,
    review_id: i64,
    filter: &FindingFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<FindingView>, i64), sqlx::Error> {
    let category = filter.category.map(|c| c.id());
    let severity = filter.severity.map(|s| s.as_str());
    let status = filter.status.map(|s| match s {
        FindingState::New => "new",
        FindingState::Unchanged => "unchanged",
        FindingState::Suppressed => "suppressed",
    });
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM findings WHERE {FINDING_FILTER}"
    )))
    .bind(review_id)
    .bind(category)
    .bind(severity)
    .bind(status)
    .fetch_one(pool)
    .await?;
    let items = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM findings WHERE {FINDING_FILTER}
         ORDER BY suppressed_reason IS NOT NULL,
                  CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
                  path, line, id
         LIMIT ?5 OFFSET ?6",
        super::reviews::FINDING_COLUMNS
    )))
    .bind(review_id)
    .bind(category)
    .bind(severity)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?
    .iter()
    .map(finding_from_row)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((items, total))
}
