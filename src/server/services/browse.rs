//! Reading projects, reviews and findings page by page for the JSON API.
//! Callers pass parsed, range-checked parameters.

use super::ServiceError;
use crate::model::api::{FindingList, ProjectDetail, ProjectList, ReviewList, ReviewResource};
use crate::model::views::ProjectRow;
use crate::model::Grade;
use crate::server::db::history::{self, FindingFilter};
use crate::server::db::{projects, reviews};
use crate::server::now;
use sqlx::SqlitePool;

/// How the project list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectSort {
    Name,
    Score,
    Grade,
    LastReview,
}

/// Filters and page of the project list.
#[derive(Clone, Debug)]
pub struct ProjectQuery {
    pub grade: Option<Grade>,
    /// Case-insensitive part of the name or source.
    pub search: Option<String>,
    /// Only projects not reviewed for two weeks (true) or only the others (false).
    pub stale: Option<bool>,
    pub sort: ProjectSort,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

const STALE_AFTER_SECS: i64 = 14 * 86_400;

/// The portfolio filtered, sorted and cut to a page.
pub async fn list_projects(
    pool: &SqlitePool,
    q: &ProjectQuery,
) -> Result<ProjectList, ServiceError> {
    let stale_before = now() - STALE_AFTER_SECS;
    let needle = q.search.as_deref().map(str::to_lowercase);
    let mut rows: Vec<ProjectRow> = projects::list_portfolio(pool)
        .await?
        .into_iter()
        .filter(|p| q.grade.is_none() || p.grade == q.grade)
        .filter(|p| {
            needle.as_deref().is_none_or(|n| {
                p.name.to_lowercase().contains(n) || p.source.to_lowercase().contains(n)
            })
        })
        .filter(|p| {
            q.stale
                .is_none_or(|s| s == p.last_review_at.is_none_or(|t| t < stale_before))
        })
        .collect();
    // Projects without a review sort last whichever the direction.
    match q.sort {
        ProjectSort::Name => rows.sort_by_key(|p| (p.name.to_lowercase(), p.id)),
        ProjectSort::Score => rows.sort_by_key(|p| (p.score.is_none(), p.score, p.id)),
        ProjectSort::Grade => rows.sort_by_key(|p| (p.grade.is_none(), p.grade, p.id)),
        ProjectSort::LastReview => {
            rows.sort_by_key(|p| (p.last_review_at.is_none(), p.last_review_at, p.id))
        }
    }
    if q.descending {
        let reviewed = rows
            .iter()
            .position(|p| match q.sort {
                ProjectSort::Name => false,
                ProjectSort::Score => p.score.is_none(),
                ProjectSort::Grade => p.grade.is_none(),
                ProjectSort::LastReview => p.last_review_at.is_none(),
            })
            .unwrap_or(rows.len());
        rows[..reviewed].reverse();
    }
    let total = rows.len() as i64;
    let items = rows
        .into_iter()
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .collect();
    Ok(ProjectList {
        total,
        limit: q.limit,
        offset: q.offset,
        items,
    })
}

/// A project with its latest review; `None` when there is no such project.
pub async fn project_detail(
    pool: &SqlitePool,
    project_id: i64,
) -> Result<Option<ProjectDetail>, ServiceError> {
    let Some(project) = projects::get_project(pool, project_id).await? else {
        return Ok(None);
    };
    let latest_review = reviews::list_review_history(pool, project_id, 1)
        .await?
        .pop();
    let categories = match &latest_review {
        Some(r) => history::list_review_categories(pool, r.id).await?,
        None => Vec::new(),
    };
    Ok(Some(ProjectDetail {
        project,
        latest_review,
        categories,
        reviews: reviews::count_reviews(pool, project_id).await?,
    }))
}

/// A page of the project's reviews; `None` when there is no such project.
pub async fn review_list(
    pool: &SqlitePool,
    project_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Option<ReviewList>, ServiceError> {
    if projects::get_project(pool, project_id).await?.is_none() {
        return Ok(None);
    }
    let (items, total) = history::list_reviews_page(pool, project_id, limit, offset).await?;
    Ok(Some(ReviewList {
        total,
        limit,
        offset,
        items,
    }))
}

/// One review in full; `None` when there is no such review.
pub async fn review_resource(
    pool: &SqlitePool,
    review_id: i64,
) -> Result<Option<ReviewResource>, ServiceError> {
    let Some(project_id) = history::review_project(pool, review_id).await? else {
        return Ok(None);
    };
    Ok(reviews::review_view(pool, review_id)
        .await?
        .map(|review| ReviewResource { project_id, review }))
}

/// A page of a review's findings; `None` when there is no such review.
pub async fn finding_list(
    pool: &SqlitePool,
    review_id: i64,
    filter: &FindingFilter,
    limit: i64,
    offset: i64,
) -> Result<Option<FindingList>, ServiceError> {
    if history::review_project(pool, review_id).await?.is_none() {
        return Ok(None);
    }
    let (items, total) =
        history::list_findings_page(pool, review_id, filter, limit, offset).await?;
    Ok(Some(FindingList {
        total,
        limit,
        offset,
        items,
    }))
}
