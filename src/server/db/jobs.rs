//! The persistent job queue: enqueue, claim, finish, retry, recover.

use crate::model::views::{JobState, JobView};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor, SqlitePool};

/// The columns every job query returns (a macro so queries stay `&'static str`).
macro_rules! job_columns {
    () => {
        "id, kind, project_id, state, attempts, max_attempts, run_after, last_error, stage, \
         files_done, files_total, created_at, started_at, finished_at"
    };
}
pub(super) use job_columns;

/// A job row as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub project_id: i64,
    pub view: JobView,
}

/// Reads a job from a row whose job columns carry `prefix` (`""` or `"job_"`).
pub(super) fn job_view_from_row(row: &SqliteRow, prefix: &str) -> Result<JobView, sqlx::Error> {
    let col = |name: &str| format!("{prefix}{name}");
    let state: String = row.try_get(col("state").as_str())?;
    Ok(JobView {
        id: row.try_get(col("id").as_str())?,
        kind: row.try_get(col("kind").as_str())?,
        state: JobState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: col("state"),
            source: format!("unknown job state {state:?}").into(),
        })?,
        attempts: row.try_get(col("attempts").as_str())?,
        max_attempts: row.try_get(col("max_attempts").as_str())?,
        last_error: row.try_get(col("last_error").as_str())?,
        stage: row.try_get(col("stage").as_str())?,
        files_done: row.try_get(col("files_done").as_str())?,
        files_total: row.try_get(col("files_total").as_str())?,
        created_at: row.try_get(col("created_at").as_str())?,
        started_at: row.try_get(col("started_at").as_str())?,
        finished_at: row.try_get(col("finished_at").as_str())?,
        run_after: row.try_get(col("run_after").as_str())?,
    })
}

pub(super) fn job_from_row(row: &SqliteRow) -> Result<Job, sqlx::Error> {
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        project_id: row.try_get("project_id")?,
        view: job_view_from_row(row, "")?,
    })
}

/// Adds a queued review job for a project; returns its id.
pub async fn enqueue_review(
    db: impl SqliteExecutor<'_>,
    project_id: i64,
    max_attempts: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO jobs (kind, project_id, state, attempts, max_attempts, run_after, created_at)
         VALUES ('review', ?, 'queued', 0, ?, ?, ?) RETURNING id",
    )
    .bind(project_id)
    .bind(max_attempts)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await
}

/// The queued or running job of a project, if any (quality loops have their
/// own queue, see `db::quality`).
pub async fn find_active_job(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<Job>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        job_columns!(),
        " FROM jobs WHERE project_id = ? AND kind <> 'quality' AND state IN ('queued', 'running')
         ORDER BY id DESC LIMIT 1"
    );
    let row = sqlx::query(sql)
        .bind(project_id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

pub async fn get_job(pool: &SqlitePool, id: i64) -> Result<Option<Job>, sqlx::Error> {
    let sql = concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = ?");
    let row = sqlx::query(sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Atomically takes the oldest due queued job and marks it running (not
/// quality loops: their worker has its own concurrency limit).
pub async fn claim_next_job(pool: &SqlitePool, now: i64) -> Result<Option<Job>, sqlx::Error> {
    let sql = concat!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?,
                finished_at = NULL, stage = 'starting', files_done = NULL, files_total = NULL
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind <> 'quality' AND run_after <= ?
                     ORDER BY run_after, id LIMIT 1)
           AND state = 'queued'
         RETURNING ",
        job_columns!(),
        ""
    );
    let row = sqlx::query(sql)
        .bind(now)
        .bind(now)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Records how far a running job is.
pub async fn update_progress(
    pool: &SqlitePool,
    id: i64,
    stage: &str,
    files_done: i64,
    files_total: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET stage = ?, files_done = ?, files_total = ? WHERE id = ? AND state = 'running'",
    )
    .bind(stage)
    .bind(files_done)
    .bind(files_total)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_succeeded(
    db: impl SqliteExecutor<'_>,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'succeeded', finished_at = ?, stage = 'done', last_error = NULL
         WHERE id = ?",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt: back to the queue after `retry_at`, or failed for
/// good when no attempts are left. Returns the new state.
pub async fn record_failure(
    pool: &SqlitePool,
    id: i64,
    error: &str,
    now: i64,
    retry_at: Option<i64>,
) -> Result<JobState, sqlx::Error> {
    let state: String = sqlx::query_scalar(
        "UPDATE jobs SET
            state = CASE WHEN ?1 IS NOT NULL AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,
            run_after = COALESCE(?1, run_after),
            last_error = ?2,
            stage = NULL,
            finished_at = CASE WHEN ?1 IS NOT NULL AND attempts < max_attempts THEN NULL ELSE ?3 END
         WHERE id = ?4
         RETURNING state",
    )
    .bind(retry_at)
    .bind(error)
    .bind(now)
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(JobState::parse(&state).unwrap_or(JobState::Failed))
}

/// Puts jobs left `running` by a crash back in the queue, or marks them
/// failed when that was their last attempt (a job that kills the process
/// must not take it down at every start). Returns (id, new state).
pub async fn requeue_interrupted_jobs(
    pool: &SqlitePool,
    now: i64,
) -> Result<Vec<(i64, JobState)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "UPDATE jobs SET
            state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
            finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE ?1 END,
            run_after = ?1, stage = NULL,
            last_error = 'interrupted: backlens stopped while this job ran'
         WHERE state = 'running' RETURNING id, state",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, state)| (id, JobState::parse(&state).unwrap_or(JobState::Failed)))
        .collect())
}

/// Puts a failed job back in the queue with fresh attempts. None when the job
/// is missing or not failed.
pub async fn retry_failed_job(
    pool: &SqlitePool,
    id: i64,
    now: i64,
) -> Result<Option<Job>, sqlx::Error> {
    let sql = concat!(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_after = ?, finished_at = NULL,
                started_at = NULL, stage = NULL
         WHERE id = ? AND state = 'failed' RETURNING ",
        job_columns!(),
        ""
    );
    let row = sqlx::query(sql)
        .bind(now)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// A project's most recent review jobs, newest first (quality loops show in
/// their own panel, see `db::quality::latest_quality_job`).
pub async fn list_jobs_for_project(
    pool: &SqlitePool,
    project_id: i64,
    limit: i64,
) -> Result<Vec<JobView>, sqlx::Error> {
    let sql = concat!(
        "SELECT ",
        job_columns!(),
        " FROM jobs WHERE project_id = ? AND kind <> 'quality' ORDER BY id DESC LIMIT ?"
    );
    let rows = sqlx::query(sql)
        .bind(project_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| job_view_from_row(r, "")).collect()
}

/// The earliest time a queued job becomes due, for the worker's sleep.
pub async fn next_due_time(pool: &SqlitePool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(run_after) FROM jobs WHERE state = 'queued'")
        .fetch_one(pool)
        .await
}

/// The live feed's view of the queue: every queued or running job with its
/// progress, and a marker that changes whenever a job ends. Two index range
/// scans on `jobs_queue`, whatever the size of the history.
pub async fn live_snapshot(
    pool: &SqlitePool,
    now: i64,
) -> Result<crate::model::live::LiveSnapshot, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, project_id, kind, state, stage, files_done, files_total, started_at
         FROM jobs WHERE state IN ('queued', 'running') ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let jobs = rows
        .iter()
        .map(|r| {
            Ok(crate::model::live::LiveJob {
                id: r.try_get("id")?,
                project_id: r.try_get("project_id")?,
                kind: r.try_get("kind")?,
                state: r.try_get("state")?,
                stage: r.try_get("stage")?,
                files_done: r.try_get("files_done")?,
                files_total: r.try_get("files_total")?,
                started_at: r.try_get("started_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let (ended, last_end): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(finished_at) FROM jobs
         WHERE state IN ('succeeded', 'failed', 'cancelled')",
    )
    .fetch_one(pool)
    .await?;
    Ok(crate::model::live::LiveSnapshot {
        now,
        jobs,
        finished_marker: format!("{ended}:{}", last_end.unwrap_or(0)),
    })
}
