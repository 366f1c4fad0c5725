//! The HTTP surface: health endpoints, Leptos pages and server functions,
//! static files from the site root.

use super::db::check_ready;
use super::state::AppState;
use crate::app::{shell, App};
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = app_routes();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/badge/{file}", get(badge))
        .route("/reviews/{id}/sarif", get(review_sarif))
        .route("/events/jobs", get(super::live::job_events))
        .merge(super::api_v1::router())
        .route("/weekly/{week}/{file}", get(super::weekly_export::download))
        .merge(super::webhooks::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), render)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::Extension(super::live::LiveFeed::new(
            state.pool.clone(),
        )))
        .layer(axum::middleware::from_fn_with_state(
            super::page_cache::PageCache::new(state.pool.clone()),
            super::page_cache::serve,
        ))
        // Brotli or gzip, whichever the client prefers (brotli on a tie), at
        // tower-http's levels for on-the-fly compression (brotli 4, gzip 6):
        // pages, JSON, and a debug build's site. A release build writes
        // `.br` (quality 11) and `.gz` beside each file of the site
        // (`cargo leptos build --release --precompress`); the static file
        // handler sends those as they are, and this layer lets them pass.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(vary_on_encoding))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The Leptos app's routes, generated once per process. Generating them
/// renders the app; doing that while another router of the process renders
/// an `SsrMode::Async` page (the weekly page) left that page waiting forever.
/// The server builds one router, but the tests build one per test and ran
/// into it (tests/weekly.rs hung about one run in fifteen).
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A precompressed file (the `.br`/`.gz` of a static file) depends on the
/// request's `Accept-Encoding` as much as a compressed page does, but
/// `ServeDir` does not say so and `CompressionLayer` only says it for what
/// it compresses itself: add `Vary: Accept-Encoding` so that a cache never
/// hands brotli to a client that asked for gzip.
async fn vary_on_encoding(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    let varies = headers.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if headers.contains_key(header::CONTENT_ENCODING) && !varies {
        headers.append(
            header::VARY,
            header::HeaderValue::from_static("accept-encoding"),
        );
    }
    response
}

/// The process is up and serving.
async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// The database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match check_ready(&state.pool).await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ready"}))),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "not_ready", "reason": reason})),
        ),
    }
}

/// `/badge/{id}.svg`: the project's grade and score for a README.
async fn badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> axum::response::Response {
    let Some(id) = file
        .strip_suffix(".svg")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return (
            StatusCode::NOT_FOUND,
            "badges are at /badge/{project id}.svg",
        )
            .into_response();
    };
    match super::services::reviews::badge_state(&state.pool, id).await {
        Ok(Some(badge)) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                // Proxies such as GitHub's image cache must ask again.
                (header::CACHE_CONTROL, "no-cache, max-age=0"),
            ],
            super::badge::render_badge(&badge),
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, format!("there is no project #{id}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "badge failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `/reviews/{id}/sarif`: the review as a SARIF 2.1.0 file to download.
async fn review_sarif(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> axum::response::Response {
    let Ok(id) = id.parse::<i64>() else {
        return (StatusCode::BAD_REQUEST, "a review id is a number").into_response();
    };
    match super::services::reviews::review_sarif(&state.pool, id).await {
        Ok(Some((file_name, log))) => (
            [
                (header::CONTENT_TYPE, "application/sarif+json".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            log.to_string(),
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, format!("there is no review #{id}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "SARIF export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
