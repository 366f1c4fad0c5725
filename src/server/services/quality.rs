//! The quality-loop panel of the project page, and cancelling a loop.

use super::ServiceError;
use crate::model::quality::QualityPanel;
use crate::model::views::JobView;
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
