//! The quality-loop panel of the project page: cancelling a loop, and
//! running one again.

use super::ServiceError;
use crate::model::quality::QualityPanel;
use crate::model::views::JobView;
use crate::server::db::quality::QualityAgain;
use crate::server::db::{projects, quality};
use crate::server::now;
use crate::server::quality::settings::{QualitySettings, SandboxSetting};
use sqlx::SqlitePool;

/// Runs of the loop searched for flaky tests.
const FLAKY_RUNS: i64 = 20;

/// What the quality-loop panel shows. `None` when the project does not exist.
pub async fn quality_panel(
    pool: &SqlitePool,
    project_id: i64,
    settings: &QualitySettings,
) -> Result<Option<QualityPanel>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(QualityPanel {
        now: now(),
        sandbox_off: settings.sandbox == SandboxSetting::Off,
        enabled: settings.enabled,
        run: quality::latest_quality_run(pool, project_id).await?,
        job: quality::latest_quality_job(pool, project_id).await?,
        flaky: quality::recent_flaky_tests(pool, project_id, FLAKY_RUNS).await?,
    }))
}

/// Cancels a queued or running loop (its process tree is killed within a
/// second). `None` when it is not a quality job that is queued or running.
#[tracing::instrument(skip(pool))]
pub async fn cancel_quality_job(
    pool: &SqlitePool,
    job_id: i64,
) -> Result<Option<JobView>, ServiceError> {
    let job = quality::cancel_quality_job(pool, job_id, now()).await?;
    if job.is_some() {
        tracing::info!(job_id, "quality loop cancelled from the project page");
    }
    Ok(job)
}

/// What asking for a project's quality loop again came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunAgain {
    /// A new loop is queued on the commit of the project's latest review.
    Queued(JobView),
    /// One of the project's loops is queued or running already: nothing queued.
    AlreadyActive(JobView),
    /// The project has no review yet; the loop runs on a reviewed commit.
    NoReview,
    /// The server runs no loops (`BACKLENS_QUALITY=false`).
    SwitchedOff,
    NoSuchProject,
}

/// Queues the project's quality loop again — after one failed, was
/// cancelled or could not run — unless one is queued or running already.
#[tracing::instrument(skip(pool, settings))]
pub async fn run_quality_again(
    pool: &SqlitePool,
    project_id: i64,
    settings: &QualitySettings,
    max_attempts: i64,
) -> Result<RunAgain, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(RunAgain::NoSuchProject);
    }
    if !settings.enabled {
        return Ok(RunAgain::SwitchedOff);
    }
    Ok(
        match quality::enqueue_quality_again(pool, project_id, max_attempts, now()).await? {
            QualityAgain::Queued(job) => {
                tracing::info!(
                    job_id = job.id,
                    "quality loop queued again from the project page"
                );
                RunAgain::Queued(job)
            }
            QualityAgain::AlreadyActive(job) => RunAgain::AlreadyActive(job),
            QualityAgain::NoReview => RunAgain::NoReview,
        },
    )
}
