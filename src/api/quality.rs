//! The quality-loop panel: read it, cancel a running loop.

use super::ApiError;
use crate::model::quality::QualityPanel;
use crate::model::views::JobView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetQualityPanel, prefix = "/sfn", endpoint = "quality_panel")]
pub async fn get_quality_panel(project_id: i64) -> Result<QualityPanel, ApiError> {
    let state = super::app_state()?;
    services::quality::quality_panel(&state.pool, project_id, &state.settings.quality)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no project #{project_id}.")))
}

#[server(name = CancelQualityJob, prefix = "/sfn", endpoint = "cancel_quality_job")]
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
