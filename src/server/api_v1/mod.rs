//! The JSON API under `/api/v1` for scripts and CI: projects, reviews,
//! findings, trends and the weekly review. Handlers parse and range-check
//! their input (bad ids and parameters are 400, missing things 404, never
//! 500), call one service, and return a DTO. The OpenAPI document at
//! `/api/v1/openapi.json` is generated from these handlers and the DTOs, so
//! it cannot drift from the routes.

mod error;

pub use error::ApiV1Error;
use error::{in_range, parse_id, ApiQuery};

use crate::model::api::{
    ApiErrorBody, FindingList, ProjectDetail, ProjectList, ReviewList, ReviewResource,
};
use crate::model::trends::{PortfolioTrends, ProjectTrends};
use crate::model::week::IsoWeek;
use crate::model::weekly::WeeklyReport;
use crate::model::{Category, Grade, Severity};
use crate::server::db::history::{FindingFilter, FindingState};
use crate::server::now;
use crate::server::services::browse::{self, ProjectQuery, ProjectSort};
use crate::server::services::trends::{self, DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS};
use crate::server::services::weekly::WeeklyError;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Everything under `/api/v1`, to merge into the application router.
pub fn router() -> Router<AppState> {
    let (router, doc) = openapi_router().split_for_parts();
    let doc = Arc::new(doc);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .route("/api/v1", get(no_route).fallback(no_route))
        .route("/api/v1/", get(no_route).fallback(no_route))
        .route("/api/v1/{*rest}", get(no_route).fallback(no_route))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The OpenAPI document of every route (also what the tests check).
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi_router().into_openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "backlens API",
        description = "Projects, reviews, findings, trends and the weekly review of a backlens server. Errors are always `{\"error\": {\"status\", \"code\", \"message\"}}`."
    ),
    components(schemas(ApiErrorBody))
)]
struct ApiDoc;

fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_projects))
        .routes(routes!(get_project))
        .routes(routes!(list_project_reviews))
        .routes(routes!(get_project_trends))
        .routes(routes!(get_review))
        .routes(routes!(list_review_findings))
        .routes(routes!(get_portfolio_summary))
        .routes(routes!(get_weekly))
}

async fn no_route() -> ApiV1Error {
    ApiV1Error::not_found("no such API route: see /api/v1/openapi.json")
}

async fn method_not_allowed() -> ApiV1Error {
    ApiV1Error {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "this route does not accept that method (the API is read-only: GET)".into(),
    }
}

type ApiResult<T> = Result<Json<T>, ApiV1Error>;

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    Name,
    Score,
    Grade,
    LastReview,
}

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderParam {
    Asc,
    Desc,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectsParams {
    /// Only projects whose latest review has this grade.
    grade: Option<Grade>,
    /// Part of the name or source, any case (at most 200 characters).
    q: Option<String>,
    /// `true`: only projects not reviewed for two weeks; `false`: only the others.
    stale: Option<bool>,
    /// Order (default `name`); projects without a review come last.
    sort: Option<SortParam>,
    /// `asc` (default) or `desc`.
    order: Option<OrderParam>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<i64>,
    /// Projects to skip, at least 0 (default 0).
    offset: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// Items to skip, at least 0 (default 0).
    offset: Option<i64>,
}

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    New,
    Unchanged,
    Suppressed,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FindingParams {
    /// Only findings of this category's checks.
    category: Option<Category>,
    severity: Option<Severity>,
    /// `new` and `unchanged` are open findings (against the previous review); `suppressed` were accepted.
    status: Option<StatusParam>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<i64>,
    /// Findings to skip, at least 0 (default 0).
    offset: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// ISO weeks up to the current one, 1 to 520 (default 52).
    weeks: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}

fn page(limit: Option<i64>, offset: Option<i64>, default: i64) -> Result<(i64, i64), ApiV1Error> {
    Ok((
        in_range("limit", limit.unwrap_or(default), 1, 500)?,
        in_range("offset", offset.unwrap_or(0), 0, i64::from(i32::MAX))?,
    ))
}

/// Projects with their latest grade, score and job, filtered and paged.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ProjectsParams),
    responses((status = 200, body = ProjectList), (status = 400, body = ApiErrorBody)))]
async fn list_projects(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ProjectsParams>,
) -> ApiResult<ProjectList> {
    let (limit, offset) = page(p.limit, p.offset, 100)?;
    if p.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiV1Error::bad_request("q must be at most 200 characters"));
    }
    let query = ProjectQuery {
        grade: p.grade,
        search: p.q.filter(|q| !q.trim().is_empty()),
        stale: p.stale,
        sort: match p.sort.unwrap_or(SortParam::Name) {
            SortParam::Name => ProjectSort::Name,
            SortParam::Score => ProjectSort::Score,
            SortParam::Grade => ProjectSort::Grade,
            SortParam::LastReview => ProjectSort::LastReview,
        },
        descending: matches!(p.order, Some(OrderParam::Desc)),
        limit,
        offset,
    };
    Ok(Json(browse::list_projects(&state.pool, &query).await?))
}

/// One project with its latest review's grade, score and category scores.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects",
    params(("id" = i64, Path, description = "Project id"), NoParams),
    responses((status = 200, body = ProjectDetail), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn get_project(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(_): ApiQuery<NoParams>,
) -> ApiResult<ProjectDetail> {
    let id = parse_id(&id, "project")?;
    browse::project_detail(&state.pool, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiV1Error::not_found(format!("there is no project {id}")))
}

/// A project's reviews, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/reviews", tag = "reviews",
    params(("id" = i64, Path, description = "Project id"), PageParams),
    responses((status = 200, body = ReviewList), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn list_project_reviews(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<ReviewList> {
    let id = parse_id(&id, "project")?;
    let (limit, offset) = page(p.limit, p.offset, 50)?;
    browse::review_list(&state.pool, id, limit, offset)
        .await?
        .map(Json)
        .ok_or_else(|| ApiV1Error::not_found(format!("there is no project {id}")))
}

/// A project's trends: scores per category and overall (with the scoring
/// version and where it changed), findings opened and fixed per ISO week,
/// review durations.
#[utoipa::path(get, path = "/api/v1/projects/{id}/trends", tag = "trends",
    params(("id" = i64, Path, description = "Project id"), TrendParams),
    responses((status = 200, body = ProjectTrends), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn get_project_trends(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<TrendParams>,
) -> ApiResult<ProjectTrends> {
    let id = parse_id(&id, "project")?;
    let weeks = in_range(
        "weeks",
        p.weeks.unwrap_or(DEFAULT_TREND_WEEKS),
        1,
        MAX_TREND_WEEKS,
    )?;
    trends::project_trends(&state.pool, id, weeks, now())
        .await?
        .map(Json)
        .ok_or_else(|| ApiV1Error::not_found(format!("there is no project {id}")))
}

/// One review: scores, verdicts with evidence, findings.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews",
    params(("id" = i64, Path, description = "Review id"), NoParams),
    responses((status = 200, body = ReviewResource), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn get_review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(_): ApiQuery<NoParams>,
) -> ApiResult<ReviewResource> {
    let id = parse_id(&id, "review")?;
    browse::review_resource(&state.pool, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiV1Error::not_found(format!("there is no review {id}")))
}

/// A review's findings, worst first, filtered by category, severity and status.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/findings", tag = "reviews",
    params(("id" = i64, Path, description = "Review id"), FindingParams),
    responses((status = 200, body = FindingList), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn list_review_findings(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<FindingParams>,
) -> ApiResult<FindingList> {
    let id = parse_id(&id, "review")?;
    let (limit, offset) = page(p.limit, p.offset, 100)?;
    let filter = FindingFilter {
        category: p.category,
        severity: p.severity,
        status: p.status.map(|s| match s {
            StatusParam::New => FindingState::New,
            StatusParam::Unchanged => FindingState::Unchanged,
            StatusParam::Suppressed => FindingState::Suppressed,
        }),
    };
    browse::finding_list(&state.pool, id, &filter, limit, offset)
        .await?
        .map(Json)
        .ok_or_else(|| ApiV1Error::not_found(format!("there is no review {id}")))
}

/// The portfolio's summary (projects by grade, open critical/high findings,
/// reviews this week, stale projects) and every project's 12-week sparkline.
#[utoipa::path(get, path = "/api/v1/portfolio/summary", tag = "trends", params(NoParams),
    responses((status = 200, body = PortfolioTrends), (status = 400, body = ApiErrorBody)))]
async fn get_portfolio_summary(
    State(state): State<AppState>,
    ApiQuery(_): ApiQuery<NoParams>,
) -> ApiResult<PortfolioTrends> {
    Ok(Json(trends::portfolio_trends(&state.pool, now()).await?))
}

/// The weekly review of an ISO week (`2026-W47`, or `current`): regressions
/// and improvements, new critical/high findings, stale projects, expiring
/// suppressions, per-project category deltas.
#[utoipa::path(get, path = "/api/v1/weekly/{week}", tag = "weekly",
    params(("week" = String, Path, description = "ISO week such as 2026-W47, or current"), NoParams),
    responses((status = 200, body = WeeklyReport), (status = 400, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn get_weekly(
    State(state): State<AppState>,
    Path(week): Path<String>,
    ApiQuery(_): ApiQuery<NoParams>,
) -> ApiResult<WeeklyReport> {
    let now = now();
    let week = if week == "current" {
        IsoWeek::of_unix(now)
    } else {
        IsoWeek::parse(&week).map_err(|e| ApiV1Error::bad_request(e.to_string()))?
    };
    match crate::server::services::weekly_cache::cached_weekly_report(&state.pool, week, now).await
    {
        Ok(report) => Ok(Json(report.as_ref().clone())),
        Err(e @ WeeklyError::Future { .. }) => Err(ApiV1Error::not_found(e.to_string())),
        Err(WeeklyError::Service(e)) => Err(e.into()),
    }
}
