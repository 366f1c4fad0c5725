//! The weekly review page and its Markdown/CSV exports over HTTP, on
//! synthetic history.

#![cfg(feature = "ssr")]

use backlens::model::week::IsoWeek;
use backlens::server::demo_data::{fill, DemoDataOptions};
use backlens::server::jobs::WorkerHandle;
use backlens::server::{db, http, now, settings::Settings, state::AppState};
use std::sync::Arc;

/// Leptos's task spawner is global to the process, and each `#[tokio::test]`
/// has its own runtime: two tests rendering pages at once can leave a page's
/// async resource on the other test's runtime, which ends and drops it (the
/// render then waits forever; seen about one run in six). The server has one
/// runtime, so only tests need this: they render one at a time.
static RENDERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn state(dir: &tempfile::TempDir) -> AppState {
    let url = format!("sqlite://{}", dir.path().join("w.db").display());
    let pool = db::connect_and_migrate(&url).await.unwrap();
    fill(
        &pool,
        &DemoDataOptions {
            projects: 40,
            weeks: 12,
            seed: 11,
            now: now(),
        },
    )
    .await
    .unwrap();
    AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("backlens")
            .build(),
        pool,
        worker: WorkerHandle::new(),
        settings: Arc::new(Settings::for_tests(
            "sqlite::memory:",
            dir.path().to_path_buf(),
        )),
    }
}

async fn get(state: &AppState, uri: &str) -> (u16, String, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = http::router(state.clone())
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8_lossy(&body).to_string(),
        disposition,
    )
}

#[tokio::test]
async fn the_weekly_page_shows_a_week_and_refuses_bad_ones() {
    let _one_at_a_time = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let current = IsoWeek::of_unix(now());
    let last = current.previous();

    let (status, html, _) = get(&state, &format!("/weekly/{last}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Weekly review") && html.contains(&last.to_string()));
    assert!(
        html.contains(&format!("/weekly/{}", last.previous())),
        "previous week link"
    );
    assert!(
        html.contains(&format!("/weekly/{current}")),
        "next week link"
    );
    assert!(html.contains(&format!("/weekly/{last}/export.md")));
    assert!(html.contains("Changes per project and category"));

    let (status, html, _) = get(&state, "/weekly").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&current.to_string()),
        "/weekly is the current week"
    );

    let (status, html, _) = get(&state, "/weekly/2026-W99").await;
    assert_eq!(status, 400);
    assert!(html.contains("That is not a week") && html.contains("no week 99"));
    let (status, html, _) = get(&state, &format!("/weekly/{}", current.next().next())).await;
    assert_eq!(status, 404);
    assert!(html.contains("has not started yet"));
}

#[tokio::test]
async fn the_weekly_exports_download_as_markdown_and_csv() {
    let _one_at_a_time = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let week = IsoWeek::of_unix(now()).previous();

    let (status, md, disposition) = get(&state, &format!("/weekly/{week}/export.md")).await;
    assert_eq!(status, 200);
    assert!(disposition.contains(&format!("backlens-weekly-{week}.md")));
    assert!(md.starts_with(&format!("# Weekly review {week}")));
    for heading in [
        "## Biggest regressions",
        "## Biggest improvements",
        "## New critical and high findings",
        "## Not reviewed for two weeks",
        "## Suppressions expiring soon",
        "## Changes per project and category",
    ] {
        assert!(md.contains(heading), "{heading} in {md}");
    }

    let (status, csv, disposition) = get(&state, &format!("/weekly/{week}/export.csv")).await;
    assert_eq!(status, 200);
    assert!(disposition.contains(".csv"));
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 40, "a header and one row per project");
    assert!(lines[1..]
        .iter()
        .all(|l| l.starts_with(&format!("{week},"))));

    let (status, _, _) = get(&state, "/weekly/current/export.csv").await;
    assert_eq!(status, 200);
    let (status, body, _) = get(&state, "/weekly/2026-W60/export.md").await;
    assert_eq!(status, 400, "{body}");
    let (status, _, _) = get(&state, &format!("/weekly/{week}/export.pdf")).await;
    assert_eq!(status, 404);
}
