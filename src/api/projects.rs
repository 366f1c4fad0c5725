//! Projects, reviews and jobs.

use super::ApiError;
use crate::model::portfolio_query::PortfolioQuery;
use crate::model::views::{AddProjectOutcome, JobView, Portfolio, PortfolioFilters, ProjectPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::services;

#[server(name = GetPortfolio, prefix = "/sfn", endpoint = "portfolio", output = crate::api::codec::StrJson)]
pub async fn get_portfolio(query: PortfolioQuery) -> Result<Portfolio, ApiError> {
    let state = super::app_state()?;
    Ok(services::projects::portfolio_page(&state.pool, &query).await?)
}

#[server(name = GetPortfolioFilters, prefix = "/sfn", endpoint = "portfolio_filters", output = crate::api::codec::StrJson)]
pub async fn get_portfolio_filters() -> Result<PortfolioFilters, ApiError> {
    let state = super::app_state()?;
    Ok(services::projects::portfolio_filters(&state.pool).await?)
}

#[server(name = AddProject, prefix = "/sfn", endpoint = "add_project", output = crate::api::codec::StrJson)]
pub async fn add_project(path: String) -> Result<AddProjectOutcome, ApiError> {
    let state = super::app_state()?;
    let max_attempts = state.settings.job_max_attempts as i64;
    let outcome =
        services::github::add_from_input(&state.pool, &state.settings.github, &path, max_attempts)
            .await?;
    if matches!(outcome, AddProjectOutcome::Added { .. }) {
        state.worker.wake();
    }
    Ok(outcome)
}

#[server(name = GetProjectPage, prefix = "/sfn", endpoint = "project_page", output = crate::api::codec::StrJson)]
pub async fn get_project_page(id: i64) -> Result<ProjectPage, ApiError> {
    let state = super::app_state()?;
    services::reviews::project_page(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no project #{id}.")))
}

#[server(name = ReviewNow, prefix = "/sfn", endpoint = "review_now", output = crate::api::codec::StrJson)]
pub async fn review_now(project_id: i64) -> Result<JobView, ApiError> {
    let state = super::app_state()?;
    let max_attempts = state.settings.job_max_attempts as i64;
    let job = services::reviews::request_review(&state.pool, project_id, max_attempts)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no project #{project_id}.")))?;
    state.worker.wake();
    Ok(job)
}

#[server(name = RetryJob, prefix = "/sfn", endpoint = "retry_job", output = crate::api::codec::StrJson)]
pub async fn retry_job(job_id: i64) -> Result<JobView, ApiError> {
    let state = super::app_state()?;
    let job = services::reviews::retry_job(&state.pool, job_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Job #{job_id} is not a failed job.")))?;
    state.worker.wake();
    Ok(job)
}

/// Sets (or, blank, clears) the team that owns a project; returns the team stored.
#[server(name = SetProjectTeam, prefix = "/sfn", endpoint = "set_project_team", output = crate::api::codec::StrJson)]
pub async fn set_project_team(project_id: i64, team: String) -> Result<Option<String>, ApiError> {
    let state = super::app_state()?;
    use services::projects::TeamUpdate;
    match services::projects::set_team(&state.pool, project_id, &team).await? {
        TeamUpdate::NoSuchProject => Err(ApiError::NotFound(format!(
            "There is no project #{project_id}."
        ))),
        TeamUpdate::Rejected(message) => Err(ApiError::Invalid(message)),
        TeamUpdate::Saved(team) => Ok(team),
    }
}

/// A project's trends over the last year (`weeks` ISO weeks, default 52).
#[server(name = GetProjectTrends, prefix = "/sfn", endpoint = "project_trends", output = crate::api::codec::StrJson)]
pub async fn get_project_trends(
    project_id: i64,
    weeks: Option<i64>,
) -> Result<crate::model::trends::ProjectTrends, ApiError> {
    let state = super::app_state()?;
    let weeks = weeks.unwrap_or(services::trends::DEFAULT_TREND_WEEKS);
    services::trends::project_trends(&state.pool, project_id, weeks, crate::server::now())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no project #{project_id}.")))
}
