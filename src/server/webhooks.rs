//! `POST /webhooks/github`: GitHub's deliveries, verified and turned into
//! queued reviews by `services::github::handle_webhook` (no network I/O, so
//! the answer comes in milliseconds; the review runs in the job queue).

use super::services::github::{handle_webhook, Delivery, WebhookReply};
use super::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

/// GitHub caps payloads at 25 MB.
const MAX_PAYLOAD: usize = 25 * 1024 * 1024;

/// The webhook route, merged into the application router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks/github", post(github_webhook))
        .layer(DefaultBodyLimit::max(MAX_PAYLOAD))
}

async fn github_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = Delivery {
        event: header("x-github-event"),
        delivery_id: header("x-github-delivery"),
        signature: header("x-hub-signature-256"),
        body: &body,
    };
    let max_attempts = state.settings.job_max_attempts as i64;
    match handle_webhook(&state.pool, &state.settings.github, delivery, max_attempts).await {
        Ok(WebhookReply::Unauthorized(reason)) => {
            (StatusCode::UNAUTHORIZED, Json(json!({"error": reason}))).into_response()
        }
        Ok(WebhookReply::BadRequest(reason)) => {
            (StatusCode::BAD_REQUEST, Json(json!({"error": reason}))).into_response()
        }
        Ok(WebhookReply::Pong) => (StatusCode::OK, Json(json!({"status": "pong"}))).into_response(),
        Ok(WebhookReply::Accepted { job_id, note }) => {
            if job_id.is_some() {
                state.worker.wake();
            }
            (
                StatusCode::ACCEPTED,
                Json(json!({"status": "accepted", "job_id": job_id, "note": note})),
            )
                .into_response()
        }
        Ok(WebhookReply::Duplicate) => (
            StatusCode::ACCEPTED,
            Json(json!({"status": "duplicate", "note": "this delivery was already handled"})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "webhook failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "internal error"})),
            )
                .into_response()
        }
    }
}
