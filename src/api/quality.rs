//! The quality-loop panel: read it, cancel a running loop, run one again.

use super::ApiError;
use crate::model::quality::QualityPanel;
use crate::model::views::JobView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetQualityPanel, prefix = "/sfn", endpoint = "quality_panel", output = crate::api::codec::StrJson)]
pub async fn get_quality_panel(project_id: i64) -> Result<QualityPanel, ApiError> {
    let state = super::app_state()?;
    services::quality::quality_panel(&state.pool, project_id, &state.settings.quality)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no project #{project_id}.")))
}

#[server(name = CancelQualityJob, prefix = "/sfn", endpoint = "cancel_quality_job", output = crate::api::codec::StrJson)]
pub async fn cancel_quality_job(job_id: i64) -> Result<JobView, ApiError> {
    let state = super::app_state()?;
    services::quality::cancel_quality_job(&state.pool, job_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Job #{job_id} is not a queued or running quality loop."
            ))
        })
}

/// Queues the project's quality loop again (after one failed, was cancelled
/// or could not run); refused while one is queued or running.
#[server(name = RunQualityAgain, prefix = "/sfn", endpoint = "run_quality_again", output = crate::api::codec::StrJson)]
pub async fn run_quality_again(project_id: i64) -> Result<JobView, ApiError> {
    use services::quality::RunAgain;
    let state = super::app_state()?;
    let max_attempts = state.settings.job_max_attempts as i64;
    match services::quality::run_quality_again(
        &state.pool,
        project_id,
        &state.settings.quality,
        max_attempts,
    )
    .await?
    {
        RunAgain::Queued(job) => Ok(job),
        RunAgain::AlreadyActive(job) => Err(ApiError::Invalid(format!(
            "A quality loop of this project is already {} (job #{}); nothing new was queued.",
            job.state.as_str(),
            job.id
        ))),
        RunAgain::NoReview => Err(ApiError::Invalid(
            "This project has no review yet: the loop runs on the commit of a review.".into(),
        )),
        RunAgain::SwitchedOff => Err(ApiError::Invalid(
            "The quality loop is switched off on this server (BACKLENS_QUALITY=false).".into(),
        )),
        RunAgain::NoSuchProject => Err(ApiError::NotFound(format!(
            "There is no project #{project_id}."
        ))),
    }
}
