//! Integration tests: each gets its own temporary SQLite database and its own
//! copies of the demo repositories, and drives the worker one job at a time.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::views::{AddProjectOutcome, FindingStatus, JobState, ReviewView};
use backlens::model::{Grade, Verdict};
use backlens::server::db::{jobs as job_repo, reviews as review_repo};
use backlens::server::jobs::{recover_interrupted_jobs, run_next_job, JobOutcome, WorkerConfig};
use backlens::server::services::projects::TeamUpdate;
use backlens::server::services::{projects, reviews};
use backlens::server::{demo, http, now, state::AppState};
use sqlx::SqlitePool;
use std::path::PathBuf;

struct TestApp {
    pool: SqlitePool,
    repos: PathBuf,
    dir: tempfile::TempDir,
    config: WorkerConfig,
}

impl TestApp {
    fn repo(&self, name: &str) -> String {
        self.repos.join(name).to_string_lossy().to_string()
    }

    async fn latest_review(&self, project_id: i64) -> ReviewView {
        common::latest_review(&self.pool, project_id).await
    }

    async fn add(&self, path: &str) -> AddProjectOutcome {
        projects::add_local_project(&self.pool, path, 3)
            .await
            .unwrap()
    }

    async fn add_ok(&self, path: &str, max_attempts: i64) -> i64 {
        common::add_local_project(&self.pool, path, max_attempts).await
    }
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    let repos = common::demo_repositories(dir.path());
    TestApp {
        pool,
        repos,
        dir,
        config: common::worker_config(),
    }
}

#[tokio::test]
async fn adding_a_project_queues_a_review_that_the_worker_stores() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;

    let queued = job_repo::find_active_job(&app.pool, id)
        .await
        .unwrap()
        .expect("a queued job");
    assert_eq!(queued.view.state, JobState::Queued);

    let (job_id, outcome) = run_next_job(&app.pool, &app.config)
        .await
        .unwrap()
        .expect("a job ran");
    assert_eq!(job_id, queued.id);
    assert_eq!(outcome, JobOutcome::Succeeded);
    assert!(
        run_next_job(&app.pool, &app.config)
            .await
            .unwrap()
            .is_none(),
        "queue is empty"
    );

    let page = reviews::project_page(&app.pool, id).await.unwrap().unwrap();
    let review = page.review.expect("review stored");
    assert_eq!(review.commit_sha.as_deref().map(str::len), Some(40));
    assert!(
        matches!(review.grade, Grade::D | Grade::F),
        "grade {:?}",
        review.grade
    );
    let sqli: Vec<_> = review
        .findings
        .iter()
        .filter(|f| f.check_id == "SEC-SQLI")
        .collect();
    assert!(!sqli.is_empty(), "SQL injection found");
    assert!(review.findings.iter().any(|f| f.check_id == "SEC-SECRET"));
    assert!(review
        .findings
        .iter()
        .all(|f| f.status == FindingStatus::New));
    assert_eq!(review.checks.len(), backlens::model::CATALOG.len());
    let verdict = |id: &str| {
        review
            .checks
            .iter()
            .find(|c| c.check_id == id)
            .unwrap()
            .verdict
    };
    assert_eq!(verdict("SEC-SQLI"), Verdict::Fail);
    assert_eq!(verdict("DATA-MIGRATIONS"), Verdict::Fail);
    assert_eq!(
        verdict("SEC-CORS"),
        Verdict::NotApplicable,
        "orders-api configures no CORS: not applicable, never a silent pass"
    );
    assert_eq!(page.jobs[0].state, JobState::Succeeded);

    // A second review of the same commit: same findings, now unchanged.
    let again = reviews::request_review(&app.pool, id, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.state, JobState::Queued);
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let second = app.latest_review(id).await;
    assert_ne!(second.id, review.id);
    assert_eq!(second.findings.len(), review.findings.len());
    assert!(second
        .findings
        .iter()
        .all(|f| f.status == FindingStatus::Unchanged));
    assert_eq!(second.fixed_since_previous, 0);
    assert!(second.has_previous);
    let history = reviews::project_page(&app.pool, id)
        .await
        .unwrap()
        .unwrap()
        .history;
    assert_eq!(
        history.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![review.id, second.id],
        "oldest first"
    );
    assert_eq!(history[1].open_findings, second.findings.len() as i64);
}

#[tokio::test]
async fn a_tidy_project_gets_an_a() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("inventory-service"), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = app.latest_review(id).await;
    assert_eq!(review.grade, Grade::A);
    assert!(review.findings.is_empty(), "{:?}", review.findings);
}

#[tokio::test]
async fn the_review_of_a_commit_sees_a_force_added_env_file_but_not_uncommitted_files() {
    let app = spawn_app().await;
    let repo = common::git::commit_repository(
        &app.dir.path().join("leaky"),
        &[
            (".gitignore", ".env\n"),
            (
                ".env",
                "STRIPE_SECRET=very-long-local-payment-secret-value\n",
            ),
            ("server.py", "PORT = 8000\n"),
        ],
    );
    // Written after the commit: not part of what is reviewed.
    std::fs::write(
        repo.join("scratch.py"),
        "query = f\"SELECT * FROM t WHERE id = {user_id}\"\n",
    )
    .unwrap();

    let id = app.add_ok(repo.to_str().unwrap(), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = app.latest_review(id).await;
    assert!(
        review
            .findings
            .iter()
            .any(|f| f.check_id == "SEC-SECRET" && f.path == ".env"),
        "{:?}",
        review.findings
    );
    assert!(review.findings.iter().all(|f| f.path != "scratch.py"));
    assert!(review
        .findings
        .iter()
        .all(|f| !f.snippet.contains("very-long-local-payment")));
}

#[tokio::test]
async fn a_finding_suppressed_in_the_code_stays_listed_but_does_not_count() {
    let app = spawn_app().await;
    let repo = common::git::commit_repository(
        &app.dir.path().join("accepted"),
        &[
            ("package.json", "{\"dependencies\": {\"express\": \"4\"}}\n"),
            (
                "src/report.ts",
                "export async function report(req, db) {\n\
                 \x20 // backlens-ignore SEC-SQLI: column comes from a fixed allow-list\n\
                 \x20 return db.query(\"SELECT * FROM sales ORDER BY \" + req.query.column);\n\
                 }\n",
            ),
        ],
    );
    let id = app.add_ok(repo.to_str().unwrap(), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = app.latest_review(id).await;
    let sqli: Vec<_> = review
        .findings
        .iter()
        .filter(|f| f.check_id == "SEC-SQLI")
        .collect();
    assert_eq!(sqli.len(), 1, "{:?}", review.findings);
    assert_eq!(
        sqli[0].suppressed.as_deref(),
        Some("column comes from a fixed allow-list")
    );
    let check = review
        .checks
        .iter()
        .find(|c| c.check_id == "SEC-SQLI")
        .unwrap();
    assert_eq!(check.verdict, Verdict::Pass, "{}", check.summary);
    assert!(check.summary.contains("suppressed"));
    let row = projects::portfolio(&app.pool)
        .await
        .unwrap()
        .projects
        .remove(0);
    assert_eq!(row.open_critical, 0, "suppressed findings are not open");
    // The same code with a constant ORDER BY scores the same: an accepted
    // finding costs no points.
    let clean = common::git::commit_repository(
        &app.dir.path().join("clean"),
        &[
            ("package.json", "{\"dependencies\": {\"express\": \"4\"}}\n"),
            (
                "src/report.ts",
                "export async function report(req, db) {\n\
                 \x20 // the column is fixed\n\
                 \x20 return db.query(\"SELECT * FROM sales ORDER BY created_at\");\n\
                 }\n",
            ),
        ],
    );
    let clean_id = app.add_ok(clean.to_str().unwrap(), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let clean_review = app.latest_review(clean_id).await;
    assert!(clean_review
        .findings
        .iter()
        .all(|f| f.check_id != "SEC-SQLI"));
    let security = |r: &ReviewView| {
        r.categories
            .iter()
            .find(|c| c.category == backlens::model::Category::Sec)
            .unwrap()
            .score
    };
    assert!(security(&review).is_some());
    assert_eq!(
        security(&review),
        security(&clean_review),
        "an accepted finding costs no points"
    );
    assert_eq!(review.score, clean_review.score);
}

#[tokio::test]
async fn a_malformed_backlens_toml_is_stored_as_a_note_and_shown_on_the_page() {
    let app = spawn_app().await;
    let repo = common::git::commit_repository(
        &app.dir.path().join("configured"),
        &[
            (
                ".backlens.toml",
                "[checks]\ndisable = [\"SEC-NOPE\"]\n[severity\n",
            ),
            ("app.py", "PORT = 8000\n"),
        ],
    );
    let id = app.add_ok(repo.to_str().unwrap(), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = app.latest_review(id).await;
    assert_eq!(review.notes.len(), 1, "{:?}", review.notes);
    assert!(review.notes[0].contains("line 3"), "{}", review.notes[0]);
    let (status, html) = get(&app, &format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("This review has notes") && html.contains("line 3"));
}

#[tokio::test]
async fn asking_for_a_review_while_one_is_queued_returns_the_queued_one() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;
    let first = reviews::request_review(&app.pool, id, 3)
        .await
        .unwrap()
        .unwrap();
    let second = reviews::request_review(&app.pool, id, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, second.id);
    assert!(reviews::request_review(&app.pool, 9999, 3)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn bad_paths_are_rejected_with_a_reason_and_store_nothing() {
    let app = spawn_app().await;
    let plain = app.dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let file = app.dir.path().join("notes.txt");
    std::fs::write(&file, "hi").unwrap();
    let cases = [
        ("", "Enter the path"),
        ("relative/path", "absolute"),
        ("/definitely/not/here", "No such directory"),
        (file.to_str().unwrap(), "not a directory"),
        (plain.to_str().unwrap(), "not a git repository"),
    ];
    for (input, expected) in cases {
        match app.add(input).await {
            AddProjectOutcome::Rejected { message } => {
                assert!(message.contains(expected), "{input:?}: {message}")
            }
            other => panic!("{input:?} was accepted: {other:?}"),
        }
    }
    assert!(projects::portfolio(&app.pool)
        .await
        .unwrap()
        .projects
        .is_empty());

    app.add_ok(&app.repo("orders-api"), 3).await;
    // The same repository again, also spelled with a trailing slash.
    for spelling in [
        app.repo("orders-api"),
        format!("{}/", app.repo("orders-api")),
    ] {
        match app.add(&spelling).await {
            AddProjectOutcome::Rejected { message } => {
                assert!(message.contains("already"), "{message}")
            }
            other => panic!("duplicate accepted: {other:?}"),
        }
    }
    assert_eq!(
        projects::portfolio(&app.pool).await.unwrap().projects.len(),
        1
    );
}

#[tokio::test]
async fn a_job_left_running_by_a_crash_is_rerun_without_doubling_findings() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;

    // The process died while the job ran: it is `running` with no review.
    let claimed = job_repo::claim_next_job(&app.pool, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.view.state, JobState::Running);
    assert_eq!(
        recover_interrupted_jobs(&app.pool).await.unwrap(),
        vec![claimed.id]
    );
    let (job_id, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!((job_id, outcome), (claimed.id, JobOutcome::Succeeded));
    let review = app.latest_review(id).await;
    let stored = review_repo::count_findings(&app.pool, review.id)
        .await
        .unwrap();
    assert!(stored > 0);

    // Even a job found `running` after its review was stored is re-run into
    // the same single review, not a second copy of its findings.
    sqlx::query("UPDATE jobs SET state = 'running' WHERE id = ?")
        .bind(job_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        recover_interrupted_jobs(&app.pool).await.unwrap(),
        vec![job_id]
    );
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!(review_repo::count_reviews(&app.pool, id).await.unwrap(), 1);
    let rerun = app.latest_review(id).await;
    assert_eq!(
        review_repo::count_findings(&app.pool, rerun.id)
            .await
            .unwrap(),
        stored
    );
}

#[tokio::test]
async fn a_job_that_crashed_the_process_on_its_last_attempt_is_failed_not_rerun() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 1).await;
    let claimed = job_repo::claim_next_job(&app.pool, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        recover_interrupted_jobs(&app.pool).await.unwrap(),
        vec![claimed.id]
    );
    assert!(run_next_job(&app.pool, &app.config)
        .await
        .unwrap()
        .is_none());
    let page = reviews::project_page(&app.pool, id).await.unwrap().unwrap();
    assert_eq!(page.jobs[0].state, JobState::Failed);
    assert!(page.jobs[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("interrupted"));
}

#[tokio::test]
async fn a_failing_job_records_its_error_and_retries_with_backoff() {
    let app = spawn_app().await;
    let repo = app.repo("orders-api");
    let id = app.add_ok(&repo, 2).await;
    std::fs::remove_dir_all(&repo).unwrap();

    let before = now();
    let (job_id, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    match outcome {
        JobOutcome::Failed { error, state } => {
            assert!(error.contains("gone"), "{error}");
            assert_eq!(state, JobState::Queued, "retried");
        }
        other => panic!("{other:?}"),
    }
    let job = job_repo::get_job(&app.pool, job_id).await.unwrap().unwrap();
    assert_eq!(job.view.attempts, 1);
    assert!(job.view.last_error.as_deref().unwrap().contains("gone"));
    assert!(job.view.run_after > before, "backoff delays the retry");
    assert!(
        run_next_job(&app.pool, &app.config)
            .await
            .unwrap()
            .is_none(),
        "not due yet"
    );

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (_, outcome) = run_next_job(&app.pool, &app.config)
        .await
        .unwrap()
        .expect("retry ran");
    assert!(
        matches!(
            outcome,
            JobOutcome::Failed {
                state: JobState::Failed,
                ..
            }
        ),
        "{outcome:?}"
    );
    let page = reviews::project_page(&app.pool, id).await.unwrap().unwrap();
    assert!(page.review.is_none());
    assert_eq!(page.jobs[0].state, JobState::Failed);
    assert_eq!(page.jobs[0].attempts, 2);

    // A person fixes the cause and presses Retry.
    demo::write_sample_repositories(&app.repos).unwrap();
    let retried = reviews::retry_job(&app.pool, job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((retried.state, retried.attempts), (JobState::Queued, 0));
    assert!(
        reviews::retry_job(&app.pool, job_id)
            .await
            .unwrap()
            .is_none(),
        "only failed jobs retry"
    );
    let (_, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
}

fn app_state(app: &TestApp) -> AppState {
    common::http::app_state(&app.pool, app.dir.path())
}

async fn get(app: &TestApp, uri: &str) -> (u16, String) {
    common::http::get(&app_state(app), uri).await
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let (status, body) = get(&app, "/healthz").await;
    assert_eq!((status, body.contains("ok")), (200, true));
    let (status, body) = get(&app, "/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""status":"ready""#), "{body}");
}

#[tokio::test]
async fn pages_render_on_the_server_with_stored_results() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();

    let (status, html) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Portfolio") && html.contains("orders-api"),
        "{html}"
    );

    let (status, html) = get(&app, &format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("SEC-SQLI") && html.contains("How this grade was computed"));

    let (status, html) = get(&app, "/projects/424242").await;
    assert_eq!(status, 200, "the page renders its own not-found message");
    assert!(html.contains("no project #424242"), "{html}");

    let (status, _) = get(&app, "/no/such/page").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn badges_show_the_latest_grade_and_refuse_unknown_projects() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("inventory-service"), 3).await;
    let (status, svg) = get(&app, &format!("/badge/{id}.svg")).await;
    assert_eq!(status, 200);
    assert!(svg.contains("not reviewed"), "{svg}");
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let (status, svg) = get(&app, &format!("/badge/{id}.svg")).await;
    assert_eq!(status, 200);
    assert!(svg.contains(">A · 100</text>"), "{svg}");
    for bad in ["/badge/999.svg", "/badge/abc.svg", "/badge/1.png"] {
        assert_eq!(get(&app, bad).await.0, 404, "{bad}");
    }
}

#[tokio::test]
async fn a_review_downloads_as_sarif_and_bad_ids_are_refused() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = app.latest_review(id).await;
    let (status, body) = get(&app, &format!("/reviews/{}/sarif", review.id)).await;
    assert_eq!(status, 200);
    let log: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), review.findings.len());
    assert!(results.iter().any(|r| r["ruleId"] == "SEC-SQLI"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "src/routes/orders.ts"));
    assert_eq!(get(&app, "/reviews/987654/sarif").await.0, 404);
    assert_eq!(get(&app, "/reviews/abc/sarif").await.0, 400);
}

#[test]
fn cli_review_prints_the_documented_json_and_rejects_bad_paths() {
    let dir = tempfile::tempdir().unwrap();
    let repos = demo::write_sample_repositories(dir.path()).unwrap();
    let orders = repos.iter().find(|r| r.ends_with("orders-api")).unwrap();
    let bin = env!("CARGO_BIN_EXE_backlens");

    let out = std::process::Command::new(bin)
        .args(["review", orders.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "commit",
        "grade",
        "score",
        "scoring_version",
        "categories",
        "checks",
        "findings",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["commit"].as_str().map(str::len), Some(40));
    let finding = &json["findings"][0];
    for key in [
        "check",
        "severity",
        "path",
        "line",
        "end_line",
        "message",
        "fingerprint",
    ] {
        assert!(finding.get(key).is_some(), "finding lacks {key}");
    }
    let check = &json["checks"][0];
    for key in ["id", "kind", "verdict", "evidence"] {
        assert!(check.get(key).is_some(), "check lacks {key}");
    }

    let text = std::process::Command::new(bin)
        .args(["review", orders.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("SEC-SQLI"));

    let sarif = std::process::Command::new(bin)
        .args(["review", orders.to_str().unwrap(), "--format", "sarif"])
        .output()
        .unwrap();
    assert!(sarif.status.success());
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["runs"][0]["results"].as_array().unwrap().len(),
        json["findings"].as_array().unwrap().len()
    );

    // The quality gate.
    let inventory = repos
        .iter()
        .find(|r| r.ends_with("inventory-service"))
        .unwrap();
    let gate = |path: &std::path::Path, grade: &str| {
        std::process::Command::new(bin)
            .args([
                "review",
                path.to_str().unwrap(),
                "--format",
                "json",
                "--fail-under",
                grade,
            ])
            .output()
            .unwrap()
    };
    let failed = gate(orders, "C");
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("quality gate failed"));
    assert!(!failed.stdout.is_empty(), "the result is still printed");
    assert_eq!(gate(orders, "F").status.code(), Some(0));
    assert_eq!(gate(inventory, "a").status.code(), Some(0));
    assert_eq!(gate(inventory, "Z").status.code(), Some(2), "not a grade");

    for bad in ["/definitely/not/here", "Cargo.toml"] {
        let out = std::process::Command::new(bin)
            .args(["review", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(!out.stderr.is_empty());
    }
}

/// Reads server-sent events from a streaming body until one `jobs` event
/// arrives, and returns its JSON.
async fn next_jobs_event(body: &mut axum::body::Body) -> serde_json::Value {
    use http_body_util::BodyExt;
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s")
            .expect("the stream stays open")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        if let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if event.contains("event: jobs") {
                let data = event
                    .lines()
                    .find_map(|l| l.strip_prefix("data: "))
                    .expect("a data line");
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn the_live_feed_streams_queued_jobs_and_says_when_they_end() {
    use tower::ServiceExt;
    let app = spawn_app().await;
    let project = app.add_ok(&app.repo("orders-api"), 3).await;
    let response = http::router(app_state(&app))
        .oneshot(
            axum::http::Request::get("/events/jobs")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut body = response.into_body();
    let first = next_jobs_event(&mut body).await;
    let jobs = first["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{first}");
    assert_eq!(jobs[0]["project_id"], project);
    assert_eq!(jobs[0]["state"], "queued");
    let marker = first["finished_marker"].as_str().unwrap().to_string();

    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    // The feed may still show the job running (it reads the queue twice a
    // second); within a few events it says the job ended.
    let mut after = next_jobs_event(&mut body).await;
    for _ in 0..5 {
        if after["jobs"].as_array().unwrap().is_empty() {
            break;
        }
        after = next_jobs_event(&mut body).await;
    }
    assert!(after["jobs"].as_array().unwrap().is_empty(), "{after}");
    assert_ne!(after["finished_marker"].as_str().unwrap(), marker);
}

#[tokio::test]
async fn the_portfolio_carries_team_languages_and_category_scores() {
    let app = spawn_app().await;
    let id = app.add_ok(&app.repo("orders-api"), 3).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();

    assert_eq!(
        projects::set_team(&app.pool, id, "  payments  ")
            .await
            .unwrap(),
        TeamUpdate::Saved(Some("payments".to_string()))
    );
    let too_long = "x".repeat(61);
    assert!(matches!(
        projects::set_team(&app.pool, id, &too_long).await.unwrap(),
        TeamUpdate::Rejected(_)
    ));
    assert!(matches!(
        projects::set_team(&app.pool, id, "a\nb").await.unwrap(),
        TeamUpdate::Rejected(_)
    ));
    assert_eq!(
        projects::set_team(&app.pool, 9999, "x").await.unwrap(),
        TeamUpdate::NoSuchProject
    );

    let portfolio = projects::portfolio(&app.pool).await.unwrap();
    let row = &portfolio.projects[0];
    assert_eq!(
        row.team.as_deref(),
        Some("payments"),
        "a rejected name kept the stored one"
    );
    assert_eq!(
        row.languages.first().map(String::as_str),
        Some("TypeScript")
    );
    assert_eq!(row.categories.len(), 6);
    assert_eq!(portfolio.trends.summary.reviews_this_week, 1);

    // Blank clears it.
    assert_eq!(
        projects::set_team(&app.pool, id, " ").await.unwrap(),
        TeamUpdate::Saved(None)
    );
    let portfolio = projects::portfolio(&app.pool).await.unwrap();
    assert_eq!(portfolio.projects[0].team, None);
}
