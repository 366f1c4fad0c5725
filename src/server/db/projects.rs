//! Projects and the portfolio listing.

use super::jobs::{enqueue_review, job_view_from_row};
use crate::model::views::{CategoryView, ProjectInfo, ProjectRow};
use crate::model::Category;
use crate::model::Grade;
use sqlx::{Row, SqlitePool};

#[derive(Debug, thiserror::Error)]
pub enum InsertProjectError {
    #[error("this source is already registered")]
    Duplicate,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Registers a local project and queues its first review, in one transaction.
/// Returns (project id, job id).
pub async fn insert_local_project_with_review(
    pool: &SqlitePool,
    name: &str,
    source: &str,
    max_attempts: i64,
    now: i64,
) -> Result<(i64, i64), InsertProjectError> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO projects (name, source_kind, source, created_at) VALUES (?, 'local', ?, ?)
         RETURNING id",
    )
    .bind(name)
    .bind(source)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let project_id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(InsertProjectError::Duplicate)
        }
        Err(e) => return Err(e.into()),
    };
    let job_id = enqueue_review(&mut *tx, project_id, max_attempts, now).await?;
    tx.commit().await?;
    Ok((project_id, job_id))
}

/// The project registered for a local path, if any: (id, name).
pub async fn find_local_project(
    pool: &SqlitePool,
    source: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM projects WHERE source_kind = 'local' AND source = ?")
        .bind(source)
        .fetch_optional(pool)
        .await
}

pub async fn get_project(pool: &SqlitePool, id: i64) -> Result<Option<ProjectInfo>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, source_kind, source, created_at, team FROM projects WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(ProjectInfo {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            source_kind: r.try_get("source_kind")?,
            source: r.try_get("source")?,
            created_at: r.try_get("created_at")?,
            team: r.try_get("team")?,
        })
    })
    .transpose()
}

/// Every project with its latest review and latest job, in one query.
pub async fn list_portfolio(pool: &SqlitePool) -> Result<Vec<ProjectRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.source, p.team, r.languages,
                (SELECT group_concat(c.category || '=' || COALESCE(c.score, ''), ',')
                   FROM review_categories c WHERE c.review_id = r.id) AS categories,
                r.grade, r.score, r.finished_at AS review_finished_at,
                (SELECT COUNT(*) FROM findings f WHERE f.review_id = r.id AND f.severity = 'critical'
                   AND f.suppressed_reason IS NULL) AS open_critical,
                (SELECT COUNT(*) FROM findings f WHERE f.review_id = r.id AND f.severity = 'high'
                   AND f.suppressed_reason IS NULL) AS open_high,
                j.id AS job_id, j.kind AS job_kind, j.state AS job_state, j.attempts AS job_attempts,
                j.max_attempts AS job_max_attempts, j.last_error AS job_last_error, j.stage AS job_stage,
                j.files_done AS job_files_done, j.files_total AS job_files_total,
                j.created_at AS job_created_at, j.started_at AS job_started_at,
                j.finished_at AS job_finished_at, j.run_after AS job_run_after
         FROM projects p
         LEFT JOIN reviews r ON r.id = (SELECT id FROM reviews WHERE project_id = p.id
                                        ORDER BY finished_at DESC, id DESC LIMIT 1)
         LEFT JOIN jobs j ON j.id = (SELECT id FROM jobs WHERE project_id = p.id ORDER BY id DESC LIMIT 1)
         ORDER BY p.name COLLATE NOCASE, p.id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let grade: Option<String> = r.try_get("grade")?;
            let job_id: Option<i64> = r.try_get("job_id")?;
            Ok(ProjectRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                source: r.try_get("source")?,
                grade: grade.as_deref().and_then(Grade::parse),
                score: r.try_get("score")?,
                last_review_at: r.try_get("review_finished_at")?,
                open_critical: r.try_get("open_critical")?,
                open_high: r.try_get("open_high")?,
                job: match job_id {
                    Some(_) => Some(job_view_from_row(r, "job_")?),
                    None => None,
                },
                team: r.try_get("team")?,
                languages: language_names(r.try_get("languages")?),
                categories: category_scores(r.try_get("categories")?),
            })
        })
        .collect()
}

/// Language names from a review's `languages` JSON, most files first.
fn language_names(json: Option<String>) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Count {
        language: String,
    }
    json.and_then(|j| serde_json::from_str::<Vec<Count>>(&j).ok())
        .map(|counts| counts.into_iter().map(|c| c.language).collect())
        .unwrap_or_default()
}

/// `SEC=80,API=,...` (a `group_concat`) into category scores in catalog order.
fn category_scores(joined: Option<String>) -> Vec<CategoryView> {
    let joined = joined.unwrap_or_default();
    let mut out: Vec<CategoryView> = joined
        .split(',')
        .filter_map(|pair| {
            let (id, score) = pair.split_once('=')?;
            Some(CategoryView {
                category: Category::parse(id)?,
                score: score.parse().ok(),
            })
        })
        .collect();
    out.sort_by_key(|c| c.category);
    out
}

/// Sets or clears (empty) the team of a project. `false` when there is no such project.
pub async fn set_team(pool: &SqlitePool, id: i64, team: Option<&str>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE projects SET team = ? WHERE id = ?")
        .bind(team)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
