//! Server functions of the GitHub side: one review's page, the quality gate,
//! the settings page.

use super::ApiError;
use crate::model::github::{QualityGate, ReviewPageData, SettingsPageData};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetReviewPage, prefix = "/sfn", endpoint = "review_page")]
pub async fn get_review_page(project_id: i64, review_id: i64) -> Result<ReviewPageData, ApiError> {
    let state = super::app_state()?;
    services::github::review_page(&state.pool, project_id, review_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("Project #{project_id} has no review #{review_id}."))
        })
}

#[server(name = GetQualityGate, prefix = "/sfn", endpoint = "quality_gate")]
pub async fn get_quality_gate(project_id: i64) -> Result<QualityGate, ApiError> {
    let state = super::app_state()?;
    Ok(services::github::quality_gate(&state.pool, project_id).await?)
}

/// Saves a project's gate; a checkbox sends `fail_on_new_high` only when ticked.
#[server(name = SaveQualityGate, prefix = "/sfn", endpoint = "save_quality_gate")]
pub async fn save_quality_gate(
    project_id: i64,
    min_grade: String,
    fail_on_new_high: Option<String>,
) -> Result<QualityGate, ApiError> {
    let state = super::app_state()?;
    services::github::save_quality_gate(
        &state.pool,
        project_id,
        &min_grade,
        fail_on_new_high.is_some(),
    )
    .await?
    .map_err(ApiError::NotFound)
}

#[server(name = GetSettingsPage, prefix = "/sfn", endpoint = "settings_page")]
pub async fn get_settings_page() -> Result<SettingsPageData, ApiError> {
    let state = super::app_state()?;
    Ok(services::github::settings_page(&state.pool, &state.settings.github).await?)
}
