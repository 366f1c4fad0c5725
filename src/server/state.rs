//! State handed to axum handlers and, through context, to server functions.

use super::jobs::WorkerHandle;
use super::settings::Settings;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub worker: WorkerHandle,
    pub settings: Arc<Settings>,
}
