//! The route map end to end: a demo project is reviewed by the worker, its
//! routes are stored with the review and shown on the project page, and the
//! CLI's JSON carries them.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::AspectStatus;
use backlens::server::db::routes as route_repo;
use backlens::server::jobs::{run_next_job, JobOutcome};
use backlens::server::services::routes;
use backlens::server::{demo, state::AppState};

struct TestApp {
    pool: sqlx::SqlitePool,
    repos: std::path::PathBuf,
    dir: tempfile::TempDir,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    let repos = common::demo_repositories(dir.path());
    TestApp { pool, repos, dir }
}

async fn review(app: &TestApp, name: &str) -> (i64, i64) {
    let path = app.repos.join(name).to_string_lossy().to_string();
    let id = common::add_local_project(&app.pool, &path, 3).await;
    let (_, outcome) = run_next_job(&app.pool, &common::worker_config())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
    (id, common::latest_review(&app.pool, id).await.id)
}

fn state(app: &TestApp) -> AppState {
    common::http::app_state(&app.pool, app.dir.path())
}

async fn get(app: &TestApp, uri: &str) -> (u16, String) {
    common::http::get(&state(app), uri).await
}

/// Calls a server function the way the browser does (a form-encoded POST).
async fn call(app: &TestApp, uri: &str, form: &str) -> (u16, String) {
    common::http::post_form(&state(app), uri, form).await
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
