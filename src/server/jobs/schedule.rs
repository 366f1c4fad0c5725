//! Scheduled re-reviews: every few minutes, queue a review of each GitHub
//! project whose schedule (default nightly) is due. The job skips the review
//! when the default branch's head has not moved since the last one.

use super::WorkerHandle;
use crate::server::db::github::enqueue_due_scheduled_reviews;
use crate::server::now;
use sqlx::SqlitePool;
use std::time::Duration;

/// How often the scheduler looks for due projects.
const TICK: Duration = Duration::from_secs(300);

/// Queues the due re-reviews now; returns their job ids.
pub async fn enqueue_scheduled_reviews(
    pool: &SqlitePool,
    max_attempts: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let jobs = enqueue_due_scheduled_reviews(pool, max_attempts, now()).await?;
    if !jobs.is_empty() {
        tracing::info!(jobs = ?jobs, "scheduled re-reviews queued");
    }
    Ok(jobs)
}

/// Runs the scheduler on the runtime until the process ends.
pub fn spawn_scheduler(
    pool: SqlitePool,
    worker: WorkerHandle,
    max_attempts: i64,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match enqueue_scheduled_reviews(&pool, max_attempts).await {
                Ok(jobs) if !jobs.is_empty() => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "cannot queue scheduled re-reviews"),
            }
            tokio::time::sleep(TICK).await;
        }
    })
}
