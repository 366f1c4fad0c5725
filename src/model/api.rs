//! Envelopes of the JSON API (`/api/v1`): pages of lists, a project with its
//! latest review, a review with its project, and the one error format.

use super::views::{CategoryView, FindingView, ProjectInfo, ProjectRow, ReviewPoint, ReviewView};
use serde::{Deserialize, Serialize};

/// A page of projects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectList {
    /// Projects matching the filters (all pages).
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<ProjectRow>,
}

/// A project with its latest review's grade, score and category scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProjectDetail {
    pub project: ProjectInfo,
    pub latest_review: Option<ReviewPoint>,
    pub categories: Vec<CategoryView>,
    pub reviews: i64,
}

/// A page of a project's reviews, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewList {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<ReviewPoint>,
}

/// One review with its verdicts and findings, and the project it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewResource {
    pub project_id: i64,
    pub review: ReviewView,
}

/// A page of a review's findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FindingList {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<FindingView>,
}

/// Every error of the API: `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiErrorDetail {
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    /// `bad_request`, `not_found`, `method_not_allowed` or `internal`.
    pub code: String,
    /// What was wrong, for a person; never internal details.
    pub message: String,
}
