//! The worker that drains the persistent job queue (`jobs` table): bounded
//! concurrency, retries with exponential backoff, recovery after a crash.

mod github_review;
pub mod quality_job;
mod review_job;
/// Scheduled re-reviews of GitHub projects (default nightly).
pub mod schedule;

use super::db::jobs::{self as queue, Job};
use super::now;
use crate::model::views::JobState;
use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

/// Wakes the worker when a job is enqueued, so it does not wait for its poll.
#[derive(Clone, Default)]
pub struct WorkerHandle {
    notify: Arc<Notify>,
}

impl WorkerHandle {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn wake(&self) {
        self.notify.notify_one();
    }
}

#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub concurrency: usize,
    pub backoff_base_secs: i64,
    /// GitHub API address, token and public URL for reviews of GitHub projects.
    pub github: crate::server::github::settings::GitHubSettings,
    /// Queue a quality loop after each successful review (`None`: never).
    pub quality: Option<quality_job::QualityJobConfig>,
    /// Where reviews keep each project's review cache (`None`: no cache,
    /// every review analyzes every file).
    pub review_cache: Option<std::path::PathBuf>,
}

impl WorkerConfig {
    /// The review cache file of one project.
    pub fn review_cache_of(&self, project_id: i64) -> Option<std::path::PathBuf> {
        self.review_cache
            .as_ref()
            .map(|dir| dir.join(format!("project-{project_id}.cache")))
    }
}

/// The longest the worker sleeps without looking at the queue.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// The longest retry delay, whatever the attempt.
const MAX_BACKOFF_SECS: i64 = 3600;

/// Delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped.
pub fn backoff_secs(base: i64, attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    base.saturating_mul(1_i64 << exp).min(MAX_BACKOFF_SECS)
}

/// What running one job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Succeeded,
    /// Failed this attempt; the state says whether it will be retried.
    Failed {
        error: String,
        state: JobState,
    },
}

/// Puts jobs interrupted by a crash back in the queue (or fails them when no
/// attempt is left); logs each one. Returns their ids.
pub async fn recover_interrupted_jobs(pool: &SqlitePool) -> Result<Vec<i64>, sqlx::Error> {
    let jobs = queue::requeue_interrupted_jobs(pool, now()).await?;
    for (id, state) in &jobs {
        tracing::warn!(
            job_id = id,
            state = state.as_str(),
            "job was running when backlens stopped"
        );
    }
    Ok(jobs.into_iter().map(|(id, _)| id).collect())
}

/// Claims the next due job and runs it to the end. `None` when nothing is due.
/// The worker loop is made of this step, and tests drive it directly.
pub async fn run_next_job(
    pool: &SqlitePool,
    config: &WorkerConfig,
) -> Result<Option<(i64, JobOutcome)>, sqlx::Error> {
    let Some(job) = queue::claim_next_job(pool, now()).await? else {
        return Ok(None);
    };
    let outcome = execute(pool, config, &job).await?;
    Ok(Some((job.id, outcome)))
}

#[tracing::instrument(skip(pool, config, job), fields(job_id = job.id, kind = %job.kind, attempt = job.view.attempts))]
async fn execute(
    pool: &SqlitePool,
    config: &WorkerConfig,
    job: &Job,
) -> Result<JobOutcome, sqlx::Error> {
    let result = match job.kind.as_str() {
        "review" => match github_review::run_if_github(pool, config, job).await {
            Some(result) => result,
            None => match review_job::run(pool, job, config).await {
                Ok(review_id) => {
                    if let Some(quality) = &config.quality {
                        quality_job::enqueue_after_review(pool, review_id, quality).await;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            },
        },
        other => Err(format!("unknown job kind {other:?}")),
    };
    match result {
        Ok(()) => {
            tracing::info!("job succeeded");
            Ok(JobOutcome::Succeeded)
        }
        Err(error) => {
            let attempts = job.view.attempts;
            let retry_at = (attempts < job.view.max_attempts)
                .then(|| now() + backoff_secs(config.backoff_base_secs, attempts));
            let state = queue::record_failure(pool, job.id, &error, now(), retry_at).await?;
            tracing::warn!(%error, state = state.as_str(), "job attempt failed");
            Ok(JobOutcome::Failed { error, state })
        }
    }
}

/// Starts the worker loop on the runtime. It runs until the process ends.
pub fn spawn_worker(
    pool: SqlitePool,
    handle: WorkerHandle,
    config: WorkerConfig,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
        loop {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            match queue::claim_next_job(&pool, now()).await {
                Ok(Some(job)) => {
                    let (pool, config, handle) = (pool.clone(), config.clone(), handle.clone());
                    tokio::spawn(async move {
                        if let Err(e) = execute(&pool, &config, &job).await {
                            tracing::error!(job_id = job.id, error = %e, "could not record job result");
                        }
                        drop(permit);
                        // A retry may now be due sooner than the idle poll.
                        handle.wake();
                    });
                }
                Ok(None) => {
                    drop(permit);
                    let wait = match queue::next_due_time(&pool).await {
                        Ok(Some(due)) => Duration::from_secs((due - now()).clamp(0, 5) as u64),
                        _ => IDLE_POLL,
                    };
                    tokio::select! {
                        _ = handle.notify.notified() => {}
                        _ = tokio::time::sleep(wait.max(Duration::from_millis(200))) => {}
                    }
                }
                Err(e) => {
                    drop(permit);
                    tracing::error!(error = %e, "cannot read the job queue");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_per_attempt_and_is_capped() {
        assert_eq!(backoff_secs(10, 1), 10);
        assert_eq!(backoff_secs(10, 2), 20);
        assert_eq!(backoff_secs(10, 3), 40);
        assert_eq!(backoff_secs(10, 30), 3600);
    }
}
