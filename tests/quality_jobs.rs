//! The quality loop as a job: queued after a review of the same commit, run
//! by its own worker step, stored, fed into the review's scorecard, shown on
//! the project page, cancelled from it — while other jobs and pages go on.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::views::JobState;
use backlens::model::Verdict;
use backlens::server::db::quality as quality_db;
use backlens::server::jobs::quality_job::{run_next_quality_job, QualityJobConfig};
use backlens::server::jobs::{run_next_job, JobOutcome, WorkerConfig};
use backlens::server::quality::settings::QualitySettings;
use backlens::server::services::{quality, reviews};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;

struct App {
    pool: SqlitePool,
    dir: tempfile::TempDir,
    config: WorkerConfig,
    quality: QualityJobConfig,
}

async fn app(step_timeout_secs: u64) -> App {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    let mut settings = QualitySettings::defaults();
    settings.step_timeout_secs = step_timeout_secs;
    let quality = QualityJobConfig::from_settings(&settings, 2, 1);
    App {
        pool,
        dir,
        config: WorkerConfig {
            quality: Some(quality.clone()),
            ..common::worker_config()
        },
        quality,
    }
}

impl App {
    async fn add_repo(&self, name: &str, from: &Path) -> i64 {
        let repo = self.dir.path().join(name);
        backlens::server::quality::copy_tree(from, &repo).unwrap();
        common::git::commit_all(&repo);
        common::add_local_project(
            &self.pool,
            &repo.canonicalize().unwrap().to_string_lossy(),
            2,
        )
        .await
    }

    async fn get(&self, uri: &str) -> (u16, String) {
        common::http::get(&common::http::app_state(&self.pool, self.dir.path()), uri).await
    }

    /// Calls a server function the way the page does.
    async fn post(&self, uri: &str, form: &str) -> (u16, String) {
        let state = common::http::app_state(&self.pool, self.dir.path());
        common::http::post_form(&state, uri, form).await
    }
}

#[tokio::test]
async fn a_review_queues_the_loop_whose_verdicts_feed_the_scorecard() {
    let app = app(120).await;
    let id = app
        .add_repo("python-bad", &common::quality_fixture("python-bad"))
        .await;
    let (_, outcome) = run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    assert_eq!(outcome, JobOutcome::Succeeded);
    let before = common::latest_review(&app.pool, id).await;
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

    let after = common::latest_review(&app.pool, id).await;
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
    let tidy = app
        .add_repo("tidy", &common::quality_fixture("python-pass"))
        .await;

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
    let review = common::latest_review(&app.pool, hostile).await;
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

#[tokio::test]
async fn a_cancelled_loop_runs_again_from_the_page_once_at_a_time() {
    use backlens::server::services::quality::RunAgain;
    let app = app(120).await;
    let settings = QualitySettings::defaults();
    let id = app
        .add_repo("tidy", &common::quality_fixture("python-pass"))
        .await;
    let again = |project| quality::run_quality_again(&app.pool, project, &settings, 2);

    // Before its review there is no commit to run the loop on.
    assert_eq!(again(id).await.unwrap(), RunAgain::NoReview);
    run_next_job(&app.pool, &app.config).await.unwrap().unwrap();
    let review = common::latest_review(&app.pool, id).await;

    // The loop the review queued is cancelled before it starts.
    let first = quality_db::latest_quality_job(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.state, JobState::Queued);
    match again(id).await.unwrap() {
        RunAgain::AlreadyActive(job) => assert_eq!(job.id, first.id),
        other => panic!("a queued loop is not queued twice: {other:?}"),
    }
    quality::cancel_quality_job(&app.pool, first.id)
        .await
        .unwrap()
        .unwrap();

    // Run again: a new job on the latest review's commit; a second click
    // queues nothing more.
    let RunAgain::Queued(queued) = again(id).await.unwrap() else {
        panic!("a cancelled loop runs again")
    };
    assert!(queued.id > first.id);
    assert_eq!(
        (queued.kind.as_str(), queued.state),
        ("quality", JobState::Queued)
    );
    assert_eq!(
        again(id).await.unwrap(),
        RunAgain::AlreadyActive(queued.clone())
    );
    let (status, body) = app
        .post("/sfn/run_quality_again", &format!("project_id={id}"))
        .await;
    assert_ne!(status, 200, "{body}");
    assert!(
        body.contains(&format!("already queued (job #{})", queued.id)),
        "{body}"
    );
    let quality_jobs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'quality' AND project_id = ?")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        quality_jobs, 2,
        "the cancelled loop and the one queued again"
    );

    // The new job runs the loop on the reviewed commit and feeds the review.
    let (job_id, outcome) = run_next_quality_job(&app.pool, &app.quality)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((job_id, outcome), (queued.id, JobOutcome::Succeeded));
    let run = quality_db::latest_quality_run(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (run.job_id, run.commit_sha.clone()),
        (queued.id, review.commit_sha.clone())
    );
    let after = common::latest_review(&app.pool, id).await;
    let tests = after
        .checks
        .iter()
        .find(|c| c.check_id == "LOOP-TESTS")
        .unwrap();
    assert_eq!(tests.verdict, Verdict::Pass);

    // Over HTTP, as the page's button sends it.
    let (status, body) = app
        .post("/sfn/run_quality_again", &format!("project_id={id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    let job: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (job["kind"].as_str(), job["state"].as_str()),
        (Some("quality"), Some("queued"))
    );

    // An unknown project, and a server that runs no loops.
    assert_eq!(again(id + 99).await.unwrap(), RunAgain::NoSuchProject);
    let off = QualitySettings {
        enabled: false,
        ..QualitySettings::defaults()
    };
    assert_eq!(
        quality::run_quality_again(&app.pool, id, &off, 2)
            .await
            .unwrap(),
        RunAgain::SwitchedOff
    );
}
