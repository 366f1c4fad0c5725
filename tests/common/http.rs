//! Requests through the real router (`server::http::router`), in process.

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use backlens::server::jobs::WorkerHandle;
use backlens::server::{http, settings::Settings, state::AppState};
use http_body_util::BodyExt;
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

/// The state `serve` builds, on `pool`, with test settings whose data
/// folder is `data_dir`.
pub fn app_state(pool: &SqlitePool, data_dir: &Path) -> AppState {
    app_state_with(
        pool,
        Settings::for_tests("sqlite::memory:", data_dir.to_path_buf()),
    )
}

/// The same with `settings` of the test's own.
pub fn app_state_with(pool: &SqlitePool, settings: Settings) -> AppState {
    AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("backlens")
            .build(),
        pool: pool.clone(),
        worker: WorkerHandle::new(),
        settings: Arc::new(settings),
    }
}

/// An answer of the router: status, headers and the whole body.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    /// A header's value, or "" when it is absent.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

/// Sends `request` through the router and reads the whole answer.
pub async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = http::router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

/// `GET uri`: status and body as text.
pub async fn get(state: &AppState, uri: &str) -> (u16, String) {
    let answer = send(state, Request::get(uri).body(Body::empty()).unwrap()).await;
    (answer.status, answer.text())
}

/// Calls a server function the way the browser does (a form-encoded POST).
pub async fn post_form(state: &AppState, uri: &str, form: &str) -> (u16, String) {
    let request = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    let answer = send(state, request).await;
    (answer.status, answer.text())
}
