//! The quality loop as a job: queued after a review of the same commit, run
//! by its own worker step, stored, fed into the review's scorecard, shown on
//! the project page, cancelled from it — while other jobs and pages go on.

#![cfg(feature = "ssr")]

use backlens::model::views::{AddProjectOutcome, JobState};
use backlens::model::Verdict;
use backlens::server::db::{self, quality as quality_db};
use backlens::server::jobs::quality_job::{run_next_quality_job, QualityJobConfig};
use backlens::server::jobs::{run_next_job, JobOutcome, WorkerConfig, WorkerHandle};
use backlens::server::quality::settings::QualitySettings;
use backlens::server::services::{projects, quality, reviews};
use backlens::server::{http, settings::Settings, state::AppState};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/quality-fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    backlens::server::quality::copy_tree(from, to).unwrap();
}

fn commit_all(dir: &Path) {
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "--quiet"]);
    git(&["add", "--force", "--all"]);
    git(&["commit", "--quiet", "-m", "fixture"]);
}

struct App {
    pool: SqlitePool,
    dir: tempfile::TempDir,
    config: WorkerConfig,
    quality: QualityJobConfig,
}

async fn app(step_timeout_secs: u64) -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = db::connect_and_migrate(&url).await.unwrap();
    let mut settings = QualitySettings::defaults();
    settings.step_timeout_secs = step_timeout_secs;
    let quality = QualityJobConfig::from_settings(&settings, 2, 1);
    App {
        pool,
        dir,
        config: WorkerConfig {
            concurrency: 1,
            backoff_base_secs: 1,
            github: Default::default(),
            quality: Some(quality.clone()),
            review_cache: None,
        },
        quality,
    }
}

impl App {
    async fn add_repo(&self, name: &str, from: &Path) -> i64 {
        let repo = self.dir.path().join(name);
        copy_dir(from, &repo);
        commit_all(&repo);
        match projects::add_local_project(
            &self.pool,
            &repo.canonicalize().unwrap().to_string_lossy(),
            2,
        )
        .await
        .unwrap()
        {
            AddProjectOutcome::Added { id, .. } => id,
            other => panic!("{other:?}"),
        }
    }

    fn state(&self) -> AppState {
        AppState {
            leptos_options: leptos::prelude::LeptosOptions::builder()
                .output_name("backlens")
                .build(),
            pool: self.pool.clone(),
            worker: WorkerHandle::new(),
            settings: Arc::new(Settings::for_tests(
                "sqlite::memory:",
                self.dir.path().to_path_buf(),
            )),
        }
    }

    async fn get(&self, uri: &str) -> (u16, String) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let response = http::router(self.state())
            .oneshot(
                axum::http::Request::get(uri)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).to_string())
    }
}

#[tokio::test]
async fn a_review_queues_the_loop_whose_verdicts_feed_the_scorecard() {
    let app = app(120).await;
    let id = app.add_repo("python-bad", &fixture("python-bad")).await;
    let (_, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
    let before = reviews::project_page(&app.pool, id)
        .await
        .unwrap()
        .unwrap()
        .review
        .unwrap();
    let loop_check = |r: &backlens::model::views::ReviewView, id: &str| {
        r.checks.iter().find(|c| c.check_id == id).unwrap().clone()
    };
    assert_eq!(
        loop_check(&before, "LOOP-TESTS").verdict,
        Verdict::NotChecked
    );
    // The review job queued the loop; the review queue never runs it.
    assert!(run_next_job(&app.pool, &app.config)
        .await
        .unwrap()
        .is_none());
    let (job_id, outcome) = run_next_quality_job(&app.pool, &app.quality)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);

    let after = reviews::project_page(&app.pool, id)
        .await
        .unwrap()
        .unwrap()
        .review
        .unwrap();
    assert_eq!(after.id, before.id);
    for check in ["LOOP-LINT", "LOOP-TYPECHECK", "LOOP-TESTS"] {
        assert_eq!(loop_check(&after, check).verdict, Verdict::Fail, "{check}");
    }
    let lint = loop_check(&after, "LOOP-LINT");
    assert!(
        lint.evidence
            .iter()
            .any(|e| e.path == "app/calc.py" && e.line == Some(1)),
        "{lint:?}"
    );
    // Three failed loop checks more in TEST: its score and the overall score drop.
    let test_score = |r: &backlens::model::views::ReviewView| {
        r.categories
            .iter()
            .find(|c| c.category.id() == "TEST")
            .unwrap()
            .score
    };
    assert!(
        test_score(&after) < test_score(&before),
        "{:?} -> {:?}",
        test_score(&before),
        test_score(&after)
    );
    assert!(after.score < before.score);

    let panel = quality::quality_panel(&app.pool, id, &QualitySettings::defaults())
        .await
        .unwrap()
        .unwrap();
    let run = panel.run.unwrap();
    assert_eq!(run.job_id, job_id);
    assert_eq!(run.state, "finished");
    assert_eq!(run.sandbox, "bubblewrap");
    assert_eq!(run.commit_sha, before.commit_sha);
    assert!(run
        .steps
        .iter()
        .any(|s| s.failing_tests == ["tests.test_calc::test_add_negative"]));
    assert_eq!(panel.job.unwrap().state, JobState::Succeeded);

    // The page renders the panel on the server.
    let (status, body) = app.get(&format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Quality loop"), "{body}");
}

#[tokio::test]
async fn a_hostile_loop_is_cancelled_from_the_page_while_other_jobs_and_pages_go_on() {
    let app = app(120).await;
    let hostile_src = tempfile::tempdir().unwrap();
    std::fs::write(
        hostile_src.path().join("test_spin_c4d2.py"),
        "def test_spin_c4d2() -> None:\n    while True:\n        pass\n",
    )
    .unwrap();
    let hostile = app.add_repo("hostile", hostile_src.path()).await;
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let tidy = app.add_repo("tidy", &fixture("python-pass")).await;

    let pool = app.pool.clone();
    let qcfg = app.quality.clone();
    let running = tokio::spawn(async move { run_next_quality_job(&pool, &qcfg).await });
    // Wait for the tests step to start.
    let job = loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let job = quality_db::latest_quality_job(&app.pool, hostile)
            .await
            .unwrap()
            .unwrap();
        if job.stage.as_deref().is_some_and(|s| s.starts_with("tests")) {
            break job;
        }
    };
    // Meanwhile another project's review runs and the pages answer.
    let (_, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
    assert!(reviews::project_page(&app.pool, tidy)
        .await
        .unwrap()
        .unwrap()
        .review
        .is_some());
    assert_eq!(app.get("/healthz").await.0, 200);
    assert_eq!(app.get(&format!("/projects/{tidy}")).await.0, 200);

    let cancelled = quality::cancel_quality_job(&app.pool, job.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.state, JobState::Cancelled);
    let started = std::time::Instant::now();
    let (job_id, outcome) = tokio::time::timeout(Duration::from_secs(20), running)
        .await
        .expect("the loop stops soon after the cancel")
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(job_id, job.id);
    assert!(matches!(
        outcome,
        JobOutcome::Failed {
            state: JobState::Cancelled,
            ..
        }
    ));
    let job = quality_db::latest_quality_job(&app.pool, hostile)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        job.state,
        JobState::Cancelled,
        "the cancel is not overwritten"
    );
    let run = quality_db::latest_quality_run(&app.pool, hostile)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.state, "cancelled");
    // The whole tree is gone.
    let alive = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains("spin_c4d2"))
                .unwrap_or(false)
        })
        .count();
    assert_eq!(alive, 0);
    // A cancelled loop does not touch the review's verdicts.
    let review = reviews::project_page(&app.pool, hostile)
        .await
        .unwrap()
        .unwrap()
        .review
        .unwrap();
    let tests = review
        .checks
        .iter()
        .find(|c| c.check_id == "LOOP-TESTS")
        .unwrap();
    assert_eq!(tests.verdict, Verdict::NotChecked);
    // Cancelling twice is refused.
    assert!(quality::cancel_quality_job(&app.pool, job.id)
        .await
        .unwrap()
        .is_none());
}
