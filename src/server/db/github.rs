//! SQL of the GitHub intake: repository facts, quality gates, webhook
//! deliveries, the ETag cache, API statistics, posted statuses, job payloads.

use crate::model::github::{ApiBudget, QualityGate};
use crate::model::Grade;
use sqlx::{Row, SqliteExecutor, SqlitePool};

/// Facts stored about a GitHub project's repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryRow {
    pub project_id: i64,
    pub full_name: String,
    pub default_branch: String,
    pub html_url: String,
    pub last_head_sha: Option<String>,
}

#[allow(clippy::too_many_arguments)]
/// Registers a GitHub project with its repository facts and first review job,
/// in one transaction. `Ok(None)` when `owner/repo` is already registered.
pub async fn insert_github_project(
    pool: &SqlitePool,
    full_name: &str,
    default_branch: &str,
    html_url: &str,
    private: bool,
    archived: bool,
    max_attempts: i64,
    now: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO projects (name, source_kind, source, created_at) VALUES (?, 'github', ?, ?)
         RETURNING id",
    )
    .bind(full_name)
    .bind(full_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let project_id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e),
    };
    sqlx::query(
        "INSERT INTO github_repositories (project_id, default_branch, html_url, private, archived,
                                          last_scheduled_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(project_id)
    .bind(default_branch)
    .bind(html_url)
    .bind(private)
    .bind(archived)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO quality_gates (project_id) VALUES (?)")
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    let job_id = super::jobs::enqueue_review(&mut *tx, project_id, max_attempts, now).await?;
    tx.commit().await?;
    Ok(Some((project_id, job_id)))
}

/// The GitHub project registered for `owner/repo` (case-insensitive, as GitHub names are).
pub async fn find_github_project(
    pool: &SqlitePool,
    full_name: &str,
) -> Result<Option<RepositoryRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.id, p.source, g.default_branch, g.html_url, g.last_head_sha
         FROM projects p JOIN github_repositories g ON g.project_id = p.id
         WHERE p.source_kind = 'github' AND p.source = ? COLLATE NOCASE",
    )
    .bind(full_name)
    .fetch_optional(pool)
    .await?;
    row.map(|r| repository_from_row(&r)).transpose()
}

pub async fn repository_of_project(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<RepositoryRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.id, p.source, g.default_branch, g.html_url, g.last_head_sha
         FROM projects p JOIN github_repositories g ON g.project_id = p.id
         WHERE p.id = ?",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| repository_from_row(&r)).transpose()
}

fn repository_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<RepositoryRow, sqlx::Error> {
    Ok(RepositoryRow {
        project_id: r.try_get("id")?,
        full_name: r.try_get("source")?,
        default_branch: r.try_get("default_branch")?,
        html_url: r.try_get("html_url")?,
        last_head_sha: r.try_get("last_head_sha")?,
    })
}

pub async fn set_last_head(
    pool: &SqlitePool,
    project_id: i64,
    sha: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE github_repositories SET last_head_sha = ? WHERE project_id = ?")
        .bind(sha)
        .bind(project_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The project's quality gate (the defaults when none is stored).
pub async fn quality_gate(pool: &SqlitePool, project_id: i64) -> Result<QualityGate, sqlx::Error> {
    let row: Option<(String, bool)> = sqlx::query_as(
        "SELECT min_grade, fail_on_new_high FROM quality_gates WHERE project_id = ?",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((grade, fail_on_new_high)) => QualityGate {
            min_grade: Grade::parse(&grade).unwrap_or(QualityGate::default().min_grade),
            fail_on_new_high,
        },
        None => QualityGate::default(),
    })
}

pub async fn save_quality_gate(
    pool: &SqlitePool,
    project_id: i64,
    gate: &QualityGate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quality_gates (project_id, min_grade, fail_on_new_high) VALUES (?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET min_grade = excluded.min_grade,
                                                fail_on_new_high = excluded.fail_on_new_high",
    )
    .bind(project_id)
    .bind(gate.min_grade.as_str())
    .bind(gate.fail_on_new_high)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a webhook delivery and, when `job` is given, enqueues that review
/// job with its payload — in one transaction. `Ok(None)` when the delivery id
/// was seen before (nothing is enqueued); else the job id, if one was queued.
pub async fn accept_delivery(
    pool: &SqlitePool,
    delivery_id: &str,
    event: &str,
    outcome: &str,
    job: Option<(i64, &serde_json::Value, i64)>,
    now: i64,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let fresh = sqlx::query(
        "INSERT INTO webhook_deliveries (delivery_id, event, received_at, outcome) VALUES (?, ?, ?, ?)
         ON CONFLICT (delivery_id) DO NOTHING",
    )
    .bind(delivery_id)
    .bind(event)
    .bind(now)
    .bind(outcome)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        return Ok(None);
    }
    let mut job_id = None;
    if let Some((project_id, payload, max_attempts)) = job {
        let id =
            enqueue_review_with_payload(&mut *tx, project_id, payload, max_attempts, now).await?;
        sqlx::query("UPDATE webhook_deliveries SET job_id = ? WHERE delivery_id = ?")
            .bind(id)
            .bind(delivery_id)
            .execute(&mut *tx)
            .await?;
        job_id = Some(id);
    }
    tx.commit().await?;
    Ok(Some(job_id))
}

/// A queued review job carrying a JSON payload (commit, PR, base).
pub async fn enqueue_review_with_payload(
    db: impl SqliteExecutor<'_>,
    project_id: i64,
    payload: &serde_json::Value,
    max_attempts: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, project_id, state, attempts, max_attempts, run_after, created_at, payload)
         VALUES ('review', ?, 'queued', 0, ?, ?, ?, ?) RETURNING id",
    )
    .bind(project_id)
    .bind(max_attempts)
    .bind(now)
    .bind(now)
    .bind(payload.to_string())
    .fetch_one(db)
    .await
}

/// A job created already running, for work done inside another job (the
/// review of a PR's base commit). The review saved for it marks it done.
pub async fn insert_running_job(
    pool: &SqlitePool,
    project_id: i64,
    payload: &serde_json::Value,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, project_id, state, attempts, max_attempts, run_after, created_at,
                           started_at, stage, payload)
         VALUES ('review', ?, 'running', 1, 1, ?, ?, ?, 'starting', ?) RETURNING id",
    )
    .bind(project_id)
    .bind(now)
    .bind(now)
    .bind(now)
    .bind(payload.to_string())
    .fetch_one(pool)
    .await
}

/// Marks a job created by [`insert_running_job`] failed.
pub async fn fail_job(
    pool: &SqlitePool,
    job_id: i64,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET state = 'failed', last_error = ?, finished_at = ? WHERE id = ?")
        .bind(error)
        .bind(now)
        .bind(job_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The JSON payload of a job, if any.
pub async fn job_payload(
    pool: &SqlitePool,
    job_id: i64,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    let text: Option<Option<String>> = sqlx::query_scalar("SELECT payload FROM jobs WHERE id = ?")
        .bind(job_id)
        .fetch_optional(pool)
        .await?;
    Ok(text.flatten().and_then(|t| serde_json::from_str(&t).ok()))
}

/// How many deliveries were accepted (tests and the settings page).
pub async fn count_deliveries(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries")
        .fetch_one(pool)
        .await
}

/// The latest review of a project at a commit: (review id, job id).
pub async fn review_at_commit(
    pool: &SqlitePool,
    project_id: i64,
    sha: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM reviews WHERE project_id = ? AND commit_sha = ?
         ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .bind(project_id)
    .bind(sha)
    .fetch_optional(pool)
    .await
}

/// The review of the project finished just before `review_id`.
pub async fn previous_review(
    pool: &SqlitePool,
    project_id: i64,
    review_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.id FROM reviews r, reviews cur
         WHERE cur.id = ? AND r.project_id = ? AND (r.finished_at, r.id) < (cur.finished_at, cur.id)
         ORDER BY r.finished_at DESC, r.id DESC LIMIT 1",
    )
    .bind(review_id)
    .bind(project_id)
    .fetch_optional(pool)
    .await
}

/// The project and job a review belongs to.
pub async fn review_owner(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT project_id, job_id FROM reviews WHERE id = ?")
        .bind(review_id)
        .fetch_optional(pool)
        .await
}

// ---- ETag cache and API statistics ----

pub async fn etag_lookup(
    pool: &SqlitePool,
    url: &str,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as("SELECT etag, body FROM github_etags WHERE url = ?")
        .bind(url)
        .fetch_optional(pool)
        .await
}

pub async fn etag_store(
    pool: &SqlitePool,
    url: &str,
    etag: &str,
    body: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO github_etags (url, etag, body, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body,
                                         fetched_at = excluded.fetched_at",
    )
    .bind(url)
    .bind(etag)
    .bind(body)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn record_api_call(
    pool: &SqlitePool,
    conditional: bool,
    not_modified: bool,
    limit: Option<i64>,
    remaining: Option<i64>,
    reset: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE github_api_stats SET requests = requests + 1,
                conditional = conditional + ?, not_modified = not_modified + ?,
                rate_limit = COALESCE(?, rate_limit), rate_remaining = COALESCE(?, rate_remaining),
                rate_reset = COALESCE(?, rate_reset), updated_at = ?
         WHERE id = 1",
    )
    .bind(conditional as i64)
    .bind(not_modified as i64)
    .bind(limit)
    .bind(remaining)
    .bind(reset)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn record_retry(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE github_api_stats SET retries = retries + 1 WHERE id = 1")
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn api_stats(pool: &SqlitePool) -> Result<ApiBudget, sqlx::Error> {
    let r = sqlx::query(
        "SELECT requests, conditional, not_modified, retries, rate_limit, rate_remaining, rate_reset,
                updated_at FROM github_api_stats WHERE id = 1",
    )
    .fetch_one(pool)
    .await?;
    Ok(ApiBudget {
        requests: r.try_get("requests")?,
        conditional: r.try_get("conditional")?,
        not_modified: r.try_get("not_modified")?,
        retries: r.try_get("retries")?,
        rate_limit: r.try_get("rate_limit")?,
        rate_remaining: r.try_get("rate_remaining")?,
        rate_reset: r.try_get("rate_reset")?,
        updated_at: r.try_get("updated_at")?,
    })
}

// ---- Commit statuses ----

pub async fn record_status(
    pool: &SqlitePool,
    review_id: i64,
    state: &str,
    description: &str,
    target_url: Option<&str>,
    error: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO github_statuses (review_id, state, description, target_url, posted_at, error)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (review_id) DO UPDATE SET state = excluded.state, description = excluded.description,
             target_url = excluded.target_url, posted_at = excluded.posted_at, error = excluded.error",
    )
    .bind(review_id)
    .bind(state)
    .bind(description)
    .bind(target_url)
    .bind(now)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}

/// (state, description, error) of the status posted for a review.
pub async fn status_of_review(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT state, description, error FROM github_statuses WHERE review_id = ?")
        .bind(review_id)
        .fetch_optional(pool)
        .await
}

/// Fingerprint, severity and whether suppressed, for every finding of a review.
pub async fn finding_keys(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT fingerprint, severity, suppressed_reason IS NOT NULL FROM findings WHERE review_id = ?",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await
}

// ---- Scheduled re-reviews ----

/// The payload of a scheduled re-review.
pub fn scheduled_payload() -> serde_json::Value {
    serde_json::json!({"trigger": "scheduled re-review", "skip_if_unchanged": true})
}

/// Queues a re-review of every GitHub project whose schedule is due and that
/// has no job queued or running, and notes the time; in one transaction.
/// Returns the queued job ids.
pub async fn enqueue_due_scheduled_reviews(
    pool: &SqlitePool,
    max_attempts: i64,
    now: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT g.project_id FROM github_repositories g JOIN projects p ON p.id = g.project_id
         WHERE g.review_every_hours > 0
           AND COALESCE(g.last_scheduled_at, p.created_at) + g.review_every_hours * 3600 <= ?
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.project_id = g.project_id
                           AND j.state IN ('queued', 'running'))
         ORDER BY g.project_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut jobs = Vec::with_capacity(due.len());
    for project_id in due {
        let id = enqueue_review_with_payload(
            &mut *tx,
            project_id,
            &scheduled_payload(),
            max_attempts,
            now,
        )
        .await?;
        sqlx::query("UPDATE github_repositories SET last_scheduled_at = ? WHERE project_id = ?")
            .bind(now)
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        jobs.push(id);
    }
    tx.commit().await?;
    Ok(jobs)
}

/// Ends a job that had nothing to do, saying why in its stage.
pub async fn finish_job_skipped(
    pool: &SqlitePool,
    job_id: i64,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'succeeded', finished_at = ?, stage = ?, last_error = NULL
         WHERE id = ?",
    )
    .bind(now)
    .bind(note)
    .bind(job_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A GitHub project's re-review interval in hours (`None`: not a GitHub project).
pub async fn review_schedule(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT review_every_hours FROM github_repositories WHERE project_id = ?")
        .bind(project_id)
        .fetch_optional(pool)
        .await
}

pub async fn set_review_schedule(
    pool: &SqlitePool,
    project_id: i64,
    hours: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE github_repositories SET review_every_hours = ? WHERE project_id = ?")
        .bind(hours)
        .bind(project_id)
        .execute(pool)
        .await?;
    Ok(())
}
