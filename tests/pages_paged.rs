//! The portfolio and weekly pages at scale: server-side pages that keep the
//! URL's filters, clamped page numbers, sections with "show all", the
//! rendered-page cache, and that a write shows on the very next request.

#![cfg(feature = "ssr")]

use backlens::model::week::IsoWeek;
use backlens::server::demo_data::{fill, DemoDataOptions};
use backlens::server::jobs::WorkerHandle;
use backlens::server::{db, http, now, services, settings::Settings, state::AppState};
use std::sync::Arc;

/// Pages render one at a time (Leptos's spawner is global and each test has
/// its own runtime; see tests/weekly.rs).
static RENDERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PROJECTS: usize = 120;

async fn state(dir: &tempfile::TempDir) -> AppState {
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let pool = db::connect_and_migrate(&url).await.unwrap();
    fill(
        &pool,
        &DemoDataOptions {
            projects: PROJECTS,
            weeks: 6,
            seed: 21,
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

/// (status, body, the cache's verdict) of a GET through one router.
async fn get(router: &axum::Router, uri: &str) -> (u16, String, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = router
        .clone()
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cache = response
        .headers()
        .get("x-backlens-cache")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).to_string(), cache)
}

/// Rows of the portfolio table in a page.
fn rows(html: &str) -> usize {
    html.matches("\" class=\"hover:bg-slate-50\">").count()
}

#[tokio::test]
async fn the_portfolio_is_paged_on_the_server_and_keeps_its_filters() {
    let _one = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let router = http::router(state.clone());

    let (status, first, _) = get(&router, "/").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 50, "one page of rows, not all {PROJECTS}");
    assert!(first.contains("projects 1\u{2013}50 of 120"), "pager label");
    assert!(first.contains("href=\"/?page=2\""), "link to page 2");
    // The summary bar still counts every project.
    assert!(first.contains(&format!("{PROJECTS} reviewed")) || first.contains(">120<"));

    let (_, second, _) = get(&router, "/?page=2").await;
    assert_eq!(rows(&second), 50);
    assert!(second.contains("projects 51\u{2013}100 of 120"));
    let (_, last, _) = get(&router, "/?page=3").await;
    assert_eq!(rows(&last), 20);

    // Past the end: the last page, said so; nonsense: the first page. Never 500.
    let (status, past, _) = get(&router, "/?page=40").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&past), 20);
    assert!(past.contains("There is no page 40"));
    for bad in [
        "/?page=abc",
        "/?page=-2",
        "/?page=0",
        "/?page=99999999999999999999999",
    ] {
        let (status, html, _) = get(&router, bad).await;
        assert_eq!(status, 200, "{bad}");
        assert_eq!(rows(&html), 50, "{bad}");
    }

    // A filter narrows across all pages and the pager keeps it.
    let (_, sorted, _) = get(&router, "/?sort=score&dir=desc&page=2").await;
    assert!(
        sorted.contains("href=\"/?sort=score&amp;dir=desc&amp;page=3\"")
            || sorted.contains("href=\"/?sort=score&dir=desc&page=3\""),
        "next page keeps the order"
    );
    assert!(
        sorted.contains("href=\"/?sort=score&amp;dir=desc\"")
            || sorted.contains("href=\"/?sort=score&dir=desc\""),
        "page 1 keeps the order"
    );
    let (_, none, _) = get(&router, "/?q=no-such-project-anywhere").await;
    assert_eq!(rows(&none), 0);
    assert!(none.contains("No project matches these filters"));
}

#[tokio::test]
async fn a_write_shows_on_the_next_request_and_an_unchanged_page_comes_from_the_cache() {
    let _one = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let router = http::router(state.clone());

    let (_, a, how) = get(&router, "/?sort=last_review").await;
    assert_eq!(how, "miss");
    let (_, b, how) = get(&router, "/?sort=last_review").await;
    assert_eq!(how, "hit", "nothing was written");
    assert_eq!(a, b);

    // A new project (and its queued review) is on the page at once.
    let (id, _job) = db::projects::insert_local_project_with_review(
        &state.pool,
        "aaa-brand-new",
        "/srv/aaa-brand-new",
        3,
        now(),
    )
    .await
    .unwrap();
    let (_, html, how) = get(&router, "/").await;
    assert_eq!(how, "miss");
    assert!(
        html.contains("data-project=\"aaa-brand-new\""),
        "the new project, first by name"
    );
    let (_, html, how) = get(&router, "/").await;
    assert_eq!(how, "hit");
    assert!(html.contains("aaa-brand-new"));

    // A team set through the service shows on the portfolio and the project page.
    let (_, page, _) = get(&router, &format!("/projects/{id}")).await;
    assert!(!page.contains("platform-core"));
    services::projects::set_team(&state.pool, id, "platform-core")
        .await
        .unwrap();
    let (_, html, how) = get(&router, "/").await;
    assert_eq!(how, "miss");
    assert!(html.contains("data-team=\"platform-core\""));
    let (_, page, _) = get(&router, &format!("/projects/{id}")).await;
    assert!(page.contains("platform-core"));

    // The job's progress is a write too: the page follows it.
    let job = db::jobs::claim_next_job(&state.pool, now() + 1)
        .await
        .unwrap()
        .expect("a queued review");
    db::jobs::update_progress(&state.pool, job.id, "checks", 7, 9)
        .await
        .unwrap();
    let (_, html, how) = get(&router, "/").await;
    assert_eq!(how, "miss");
    assert!(html.contains("7/9 files"), "progress shown");

    // A write by another connection (another process on the same file: the
    // CLI's demo-data) invalidates as well: the version lives in the database.
    let other = db::connect_and_migrate(&format!("sqlite://{}", dir.path().join("p.db").display()))
        .await
        .unwrap();
    let before = get(&router, "/").await.1;
    fill(
        &other,
        &DemoDataOptions {
            projects: 3,
            weeks: 2,
            seed: 99,
            now: now(),
        },
    )
    .await
    .unwrap();
    let (_, after, how) = get(&router, "/").await;
    assert_eq!(how, "miss");
    assert_ne!(before, after);
    assert!(
        after.contains(&format!("{} projects", PROJECTS + 4))
            || after.contains(&format!(">{}<", PROJECTS + 4))
    );

    // Other pages are never cached.
    let (_, _, how) = get(&router, "/settings").await;
    assert_eq!(how, "");
}

#[tokio::test]
async fn the_weekly_page_shows_the_top_of_each_section_and_pages_its_table() {
    let _one = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let router = http::router(state.clone());
    let week = IsoWeek::of_unix(now()).previous();
    let report = services::weekly::weekly_report(&state.pool, week, now())
        .await
        .unwrap();
    let changed = report
        .projects
        .iter()
        .filter(|p| {
            p.delta.is_some_and(|d| d != 0)
                || p.categories.iter().any(|c| c.delta.is_some_and(|d| d != 0))
        })
        .count();
    assert!(changed > 50, "enough history for two pages ({changed})");

    let (status, html, _) = get(&router, &format!("/weekly/{week}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("projects 1\u{2013}50 of {changed}")));
    assert!(html.contains(&format!("/weekly/{week}?page=2#per-project")));
    let (status, html, _) = get(&router, &format!("/weekly/{week}?page=2")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(
        "projects 51\u{2013}{} of {changed}",
        changed.min(100)
    )));
    let (status, _, _) = get(&router, &format!("/weekly/{week}?page=zz&show=nonsense")).await;
    assert_eq!(status, 200);

    // Stale projects: the top ten with the count, all of them on request.
    let stale = report.stale_projects.len();
    if stale > 10 {
        assert!(html.contains(&format!("Not reviewed for two weeks (10 of {stale})")));
        let (_, all, _) = get(&router, &format!("/weekly/{week}?show=stale")).await;
        assert!(all.contains(&format!("Not reviewed for two weeks ({stale})")));
    }
    // The CSV stays complete.
    let (_, csv, _) = get(&router, &format!("/weekly/{week}/export.csv")).await;
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        1 + report.projects.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_that_miss_the_same_page_at_once_render_it_once() {
    let _one = RENDERING.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir).await;
    let router = http::router(state.clone());
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let router = router.clone();
        requests.spawn(async move { get(&router, "/weekly").await });
    }
    let answers = requests.join_all().await;
    assert!(answers.iter().all(|(status, _, _)| *status == 200));
    let misses = answers.iter().filter(|(_, _, how)| how == "miss").count();
    assert_eq!(misses, 1, "one request renders, the others get its copy");
    assert!(answers.iter().all(|(_, body, _)| *body == answers[0].1));
}
