//! Server functions of the GitHub side: one review's page, a project's quality
//! gate and re-review schedule, the settings page.

use super::ApiError;
use crate::model::github::{
    GitHubProjectSettings, ImportResult, OwnerRepos, ReviewPageData, SettingsPageData,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetReviewPage, prefix = "/sfn", endpoint = "review_page", output = crate::api::codec::StrJson)]
pub async fn get_review_page(project_id: i64, review_id: i64) -> Result<ReviewPageData, ApiError> {
    let state = super::app_state()?;
    services::github::review_page(&state.pool, project_id, review_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("Project #{project_id} has no review #{review_id}."))
        })
}

#[server(name = GetGitHubProjectSettings, prefix = "/sfn", endpoint = "github_project_settings", output = crate::api::codec::StrJson)]
pub async fn get_github_project_settings(
    project_id: i64,
) -> Result<GitHubProjectSettings, ApiError> {
    let state = super::app_state()?;
    services::github::project_settings(&state.pool, project_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("Project #{project_id} is not a GitHub project."))
        })
}

/// Saves a project's gate and schedule; a checkbox sends `fail_on_new_high`
/// only when ticked.
#[server(name = SaveGitHubProjectSettings, prefix = "/sfn", endpoint = "save_github_project_settings", output = crate::api::codec::StrJson)]
pub async fn save_github_project_settings(
    project_id: i64,
    min_grade: String,
    fail_on_new_high: Option<String>,
    review_every_hours: i64,
) -> Result<GitHubProjectSettings, ApiError> {
    let state = super::app_state()?;
    services::github::save_review_schedule(&state.pool, project_id, review_every_hours)
        .await?
        .map_err(ApiError::NotFound)?;
    let gate = services::github::save_quality_gate(
        &state.pool,
        project_id,
        &min_grade,
        fail_on_new_high.is_some(),
    )
    .await?
    .map_err(ApiError::NotFound)?;
    Ok(GitHubProjectSettings {
        gate,
        review_every_hours,
    })
}

#[server(name = GetSettingsPage, prefix = "/sfn", endpoint = "settings_page", output = crate::api::codec::StrJson)]
pub async fn get_settings_page() -> Result<SettingsPageData, ApiError> {
    let state = super::app_state()?;
    Ok(services::github::settings_page(&state.pool, &state.settings.github).await?)
}

#[server(name = ListOwnerRepositories, prefix = "/sfn", endpoint = "owner_repositories", output = crate::api::codec::StrJson)]
pub async fn list_owner_repositories(owner: String) -> Result<OwnerRepos, ApiError> {
    let state = super::app_state()?;
    let client = match services::github::client(&state.pool, &state.settings.github) {
        Ok(c) => c,
        Err(message) => return Ok(OwnerRepos::Rejected { message }),
    };
    Ok(services::github::owner_repositories(&state.pool, &client, &owner).await?)
}

/// Imports the selected repositories, one `owner/repo` per line.
#[server(name = ImportRepositories, prefix = "/sfn", endpoint = "import_repositories", output = crate::api::codec::StrJson)]
pub async fn import_repositories(names: String) -> Result<ImportResult, ApiError> {
    let state = super::app_state()?;
    let client = services::github::client(&state.pool, &state.settings.github)
        .map_err(ApiError::NotFound)?;
    let max_attempts = state.settings.job_max_attempts as i64;
    let result =
        services::github::import_repositories(&state.pool, &client, &names, max_attempts).await?;
    state.worker.wake();
    Ok(result)
}
