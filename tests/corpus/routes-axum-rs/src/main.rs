use axum::{
    extract::{Path, State},
    middleware,
    routing::{delete, get, post},
    Json, Router,
};
use serde::Deserialize;

mod auth;
mod todos;

#[derive(Deserialize)]
struct NewTodo {
    title: String,
}

fn protected() -> Router<todos::Store> {
    Router::new()
        .route("/todos", get(list_todos).post(create_todo))
        .route("/todos/{id}/done", post(finish_todo))
        .route_layer(middleware::from_fn(auth::require_auth))
}

#[tokio::main]
async fn main() {
    let store = todos::Store::default();
    let app = Router::new()
        .route("/health", get(health))
        .route("/login", post(login)) // lookalike: SEC-AUTHZ
        .route("/todos/{id}", delete(delete_todo)) // expect: SEC-AUTHZ
        .nest("/api", protected())
        .with_state(store);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn health() -> &'static str {
    "ok"
}

async fn login(Json(body): Json<serde_json::Value>) -> Json<auth::Session> { // expect: SEC-VALIDATION
    Json(auth::open_session(&body))
}

async fn list_todos(State(store): State<todos::Store>) -> Json<Vec<todos::Todo>> {
    Json(store.list())
}

async fn create_todo(State(store): State<todos::Store>, Json(input): Json<NewTodo>) -> Json<todos::Todo> { // lookalike: SEC-VALIDATION
    Json(store.add(input.title))
}

async fn finish_todo(State(store): State<todos::Store>, Path(id): Path<u64>) -> Json<todos::Todo> {
    Json(store.finish(id))
}

async fn delete_todo(State(store): State<todos::Store>, Path(id): Path<u64>) {
    store.remove(id);
}
