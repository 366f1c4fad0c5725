//! Registering projects and reading the portfolio.

use super::ServiceError;
use crate::model::views::{AddProjectOutcome, Portfolio};
use crate::server::db::projects::{self, InsertProjectError};
use crate::server::git::validate_repository_root;
use crate::server::now;
use sqlx::SqlitePool;

/// Registers a local git repository and queues its first review. Bad input
/// is a `Rejected` answer with a message for the form, and stores nothing.
#[tracing::instrument(skip(pool))]
pub async fn add_local_project(
    pool: &SqlitePool,
    raw_path: &str,
    max_attempts: i64,
) -> Result<AddProjectOutcome, ServiceError> {
    let path = match validate_repository_root(raw_path) {
        Ok(p) => p,
        Err(message) => return Ok(AddProjectOutcome::Rejected { message }),
    };
    let source = path.to_string_lossy().to_string();
    if let Some((_, name)) = projects::find_local_project(pool, &source).await? {
        return Ok(duplicate(&name, &source));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| source.clone());
    match projects::insert_local_project_with_review(pool, &name, &source, max_attempts, now())
        .await
    {
        Ok((id, job_id)) => {
            tracing::info!(project_id = id, job_id, %source, "project added, review queued");
            Ok(AddProjectOutcome::Added { id, name })
        }
        // Lost a race with another request adding the same path.
        Err(InsertProjectError::Duplicate) => Ok(duplicate(&name, &source)),
        Err(InsertProjectError::Db(e)) => Err(e.into()),
    }
}

fn duplicate(name: &str, source: &str) -> AddProjectOutcome {
    AddProjectOutcome::Rejected {
        message: format!("{source} is already in the portfolio as \u{201c}{name}\u{201d}."),
    }
}

pub async fn portfolio(pool: &SqlitePool) -> Result<Portfolio, ServiceError> {
    let now = now();
    Ok(Portfolio {
        now,
        projects: projects::list_portfolio(pool).await?,
        trends: super::trends::portfolio_trends(pool, now).await?,
        weeks: super::portfolio_trends::portfolio_weeks(
            pool,
            super::portfolio_trends::PORTFOLIO_TREND_WEEKS,
            now,
        )
        .await?,
    })
}

/// The longest team name.
pub const MAX_TEAM_CHARS: usize = 60;

/// What setting a project's team came to.
#[derive(Debug, PartialEq, Eq)]
pub enum TeamUpdate {
    /// Stored (`None`: cleared).
    Saved(Option<String>),
    /// A name the form must refuse, and why; nothing stored.
    Rejected(String),
    NoSuchProject,
}

/// Sets the team that owns a project; blank clears it.
pub async fn set_team(
    pool: &SqlitePool,
    project_id: i64,
    raw: &str,
) -> Result<TeamUpdate, ServiceError> {
    let team = raw.trim();
    if team.chars().count() > MAX_TEAM_CHARS {
        return Ok(TeamUpdate::Rejected(format!(
            "A team name has at most {MAX_TEAM_CHARS} characters."
        )));
    }
    if team.chars().any(char::is_control) {
        return Ok(TeamUpdate::Rejected(
            "A team name is one line of text.".into(),
        ));
    }
    let team = (!team.is_empty()).then(|| team.to_string());
    if !projects::set_team(pool, project_id, team.as_deref()).await? {
        return Ok(TeamUpdate::NoSuchProject);
    }
    Ok(TeamUpdate::Saved(team))
}
