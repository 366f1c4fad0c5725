//! The route map end to end: a demo project is reviewed by the worker, its
//! routes are stored with the review and shown on the project page, and the
//! CLI's JSON carries them.

#![cfg(feature = "ssr")]

use backlens::model::views::AddProjectOutcome;
use backlens::model::AspectStatus;
use backlens::server::db::{self, routes as route_repo};
use backlens::server::jobs::{run_next_job, JobOutcome, WorkerConfig, WorkerHandle};
use backlens::server::services::{projects, reviews, routes};
use backlens::server::{demo, http, settings::Settings, state::AppState};
use std::sync::Arc;

struct TestApp {
    pool: sqlx::SqlitePool,
    repos: std::path::PathBuf,
    dir: tempfile::TempDir,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = db::connect_and_migrate(&url).await.unwrap();
    let repos = dir.path().join("repos");
    demo::write_sample_repositories(&repos).unwrap();
    let repos = repos.canonicalize().unwrap();
    TestApp { pool, repos, dir }
}

async fn review(app: &TestApp, name: &str) -> (i64, i64) {
    let path = app.repos.join(name).to_string_lossy().to_string();
    let id = match projects::add_local_project(&app.pool, &path, 3)
        .await
        .unwrap()
    {
        AddProjectOutcome::Added { id, .. } => id,
        other => panic!("expected Added, got {other:?}"),
    };
    let config = WorkerConfig {
        concurrency: 1,
        backoff_base_secs: 1,
        github: Default::default(),
        quality: None,
        review_cache: None,
    };
    let (_, outcome) = run_next_job(&app.pool, &config).await.unwrap().unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
    let review = reviews::project_page(&app.pool, id)
        .await
        .unwrap()
        .unwrap()
        .review
        .expect("a stored review");
    (id, review.id)
}

async fn get(app: &TestApp, uri: &str) -> (u16, String) {
    send(
        app,
        axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
}

/// Calls a server function the way the browser does (a form-encoded POST).
async fn call(app: &TestApp, uri: &str, form: &str) -> (u16, String) {
    let request = axum::http::Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form.to_string()))
        .unwrap();
    send(app, request).await
}

async fn send(app: &TestApp, request: axum::http::Request<axum::body::Body>) -> (u16, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let state = AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("backlens")
            .build(),
        pool: app.pool.clone(),
        worker: WorkerHandle::new(),
        settings: Arc::new(Settings::for_tests(
            "sqlite::memory:",
            app.dir.path().to_path_buf(),
        )),
    };
    let response = http::router(state).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).to_string())
}

#[tokio::test]
async fn a_reviewed_project_stores_its_routes_and_shows_them_on_its_page() {
    let app = spawn_app().await;
    let (project_id, review_id) = review(&app, "orders-api").await;

    let map = routes::route_map(&app.pool, review_id).await.unwrap();
    assert_eq!(
        map.frameworks
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Express"]
    );
    let route = |method: &str, path: &str| {
        map.routes
            .iter()
            .find(|r| r.method == method && r.path == path)
            .unwrap_or_else(|| panic!("{method} {path} in {:#?}", map.routes))
    };
    let create = route("POST", "/orders");
    assert_eq!(create.auth.status, AspectStatus::Yes);
    assert_eq!(create.auth.by, "requireAuth");
    assert_eq!(create.validation.status, AspectStatus::No);
    assert_eq!(create.file, "src/routes/orders.ts");
    let login = route("POST", "/users/login");
    assert_eq!(login.auth.status, AspectStatus::No);
    assert_eq!(login.rate_limit.status, AspectStatus::No);
    assert_eq!(
        route_repo::count_routes(&app.pool, review_id)
            .await
            .unwrap(),
        map.routes.len() as i64
    );

    let (status, html) = get(&app, &format!("/projects/{project_id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Route map"), "{html}");

    // The server function the section loads its table from.
    let (status, json) = call(&app, "/sfn/route_map", &format!("review_id={review_id}")).await;
    assert_eq!(status, 200, "{json}");
    let body: serde_json::Value = serde_json::from_str(&json).unwrap();
    let paths: Vec<&str> = body["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"/users/login"), "{json}");
}

#[tokio::test]
async fn a_rate_limited_project_is_marked_so_and_an_unknown_review_has_an_empty_map() {
    let app = spawn_app().await;
    let (_, review_id) = review(&app, "inventory-service").await;
    let map = routes::route_map(&app.pool, review_id).await.unwrap();
    assert!(map.frameworks.iter().any(|f| f.name == "FastAPI"));
    assert!(map
        .routes
        .iter()
        .all(|r| r.rate_limit.status == AspectStatus::Yes));
    let (status, json) = call(&app, "/sfn/route_map", "review_id=999999").await;
    assert_eq!(status, 200, "an unknown review has an empty map: {json}");
    let body: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(body["routes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_cli_json_carries_frameworks_and_routes() {
    let dir = tempfile::tempdir().unwrap();
    let repos = demo::write_sample_repositories(dir.path()).unwrap();
    let _ = repos;
    let root = dir.path().join("orders-api");
    let report = backlens::server::review::review_tree(
        &root,
        &backlens::server::review::ReviewOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let json = backlens::server::cli::review_json(None, &report);
    assert_eq!(json["frameworks"][0]["name"], "Express");
    let routes = json["routes"].as_array().unwrap();
    assert!(!routes.is_empty());
    let first = &routes[0];
    for key in [
        "method",
        "path",
        "handler",
        "file",
        "line",
        "framework",
        "middleware",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert!(["yes", "no", "unknown", "not_applicable"]
        .contains(&first["auth"]["status"].as_str().unwrap()));
    assert!(first["auth"]["by"].is_string());
}
