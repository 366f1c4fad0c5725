//! Asking for reviews and reading them back.

use super::ServiceError;
use crate::model::views::{JobView, ProjectPage};
use crate::model::Grade;
use crate::server::badge::BadgeState;
use crate::server::db::{jobs, projects, reviews};
use crate::server::now;
use crate::server::review::scoring_explanation;
use crate::server::sarif::{self, SarifResult};
use sqlx::SqlitePool;

/// How many past jobs the project page lists.
const JOB_HISTORY: i64 = 20;
/// How many past reviews the trend chart shows.
const REVIEW_HISTORY: i64 = 52;

/// Queues a review of a project, unless one is already queued or running
/// (then that one is returned). `None` when the project does not exist.
#[tracing::instrument(skip(pool))]
pub async fn request_review(
    pool: &SqlitePool,
    project_id: i64,
    max_attempts: i64,
) -> Result<Option<JobView>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(None);
    }
    if let Some(active) = jobs::find_active_job(pool, project_id).await? {
        return Ok(Some(active.view));
    }
    let id = jobs::enqueue_review(pool, project_id, max_attempts, now()).await?;
    Ok(jobs::get_job(pool, id).await?.map(|j| j.view))
}

/// Puts a failed job back in the queue. `None` when it is missing or not failed.
#[tracing::instrument(skip(pool))]
pub async fn retry_job(pool: &SqlitePool, job_id: i64) -> Result<Option<JobView>, ServiceError> {
    Ok(jobs::retry_failed_job(pool, job_id, now())
        .await?
        .map(|j| j.view))
}

/// Everything the project page shows. `None` when the project does not exist.
pub async fn project_page(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<ProjectPage>, ServiceError> {
    let Some(project) = projects::get_project(pool, project_id).await? else {
        return Ok(None);
    };
    Ok(Some(ProjectPage {
        now: now(),
        review: reviews::latest_review_view(pool, project_id).await?,
        history: reviews::list_review_history(pool, project_id, REVIEW_HISTORY).await?,
        jobs: jobs::list_jobs_for_project(pool, project_id, JOB_HISTORY).await?,
        scoring_explanation: scoring_explanation().to_string(),
        project,
    }))
}

/// What the project's badge says. `None` when the project does not exist.
pub async fn badge_state(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<BadgeState>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(
        match reviews::latest_grade_and_score(pool, project_id).await? {
            Some((grade, score)) => match Grade::parse(&grade) {
                Some(grade) => BadgeState::Reviewed { grade, score },
                None => BadgeState::NotReviewed,
            },
            None => BadgeState::NotReviewed,
        },
    ))
}

/// A review as a SARIF 2.1.0 log, with a file name for the download.
/// `None` when there is no such review.
pub async fn review_sarif(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<(String, serde_json::Value)>, ServiceError> {
    let Some((commit, project, findings)) = reviews::review_for_export(pool, review_id).await?
    else {
        return Ok(None);
    };
    let results: Vec<SarifResult<'_>> = findings.iter().map(Into::into).collect();
    let short = commit
        .as_deref()
        .map(|c| &c[..c.len().min(12)])
        .unwrap_or("review");
    let safe_name: String = project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(Some((
        format!("backlens-{safe_name}-{short}.sarif"),
        sarif::render(&results, commit.as_deref()),
    )))
}
