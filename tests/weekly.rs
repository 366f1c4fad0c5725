//! The weekly review page and its Markdown/CSV exports over HTTP, on
//! synthetic history.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::week::IsoWeek;
use backlens::server::demo_data::{fill, DemoDataOptions};
use backlens::server::{now, state::AppState};

async fn state(dir: &tempfile::TempDir) -> AppState {
    let pool = common::database(dir.path()).await;
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
    common::http::app_state(&pool, dir.path())
}

async fn get(state: &AppState, uri: &str) -> (u16, String, String) {
    let answer = common::http::send(
        state,
        axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    (
        answer.status,
        answer.text(),
        answer.header("content-disposition"),
    )
}

#[tokio::test]
async fn the_weekly_page_shows_a_week_and_refuses_bad_ones() {
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
