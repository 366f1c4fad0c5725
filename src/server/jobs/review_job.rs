//! The `review` job: export the project's HEAD commit, run the checklist
//! engine on it off the async threads, store the result.

use crate::server::db::jobs::{update_progress, Job};
use crate::server::db::projects::get_project;
use crate::server::db::reviews::{save_review_and_finish_job, NewReview};
use crate::server::git::export_head;
use crate::server::now;
use crate::server::review::{review_tree, ReviewOptions, ReviewProgress, ReviewReport};
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How often progress is written to the database at most.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(300);

/// Runs one review job; the error is the message stored on the job.
pub(super) async fn run(
    pool: &SqlitePool,
    job: &Job,
    config: &super::WorkerConfig,
) -> Result<i64, String> {
    let project = get_project(pool, job.project_id)
        .await
        .map_err(|e| format!("cannot load project: {e}"))?
        .ok_or_else(|| "the project was deleted".to_string())?;
    let started_at = now();
    let clock = Instant::now();
    let (tx, rx) = watch::channel::<Option<ReviewProgress>>(None);
    let progress = tokio::spawn(write_progress(pool.clone(), job.id, rx));

    let source = PathBuf::from(&project.source);
    let cache = config.review_cache_of(project.id);
    let reviewed = tokio::task::spawn_blocking(move || review_commit(&source, cache, &tx)).await;
    let duration_ms = clock.elapsed().as_millis() as i64;
    // Progress of a finished review no longer matters; don't wait for the
    // writer's next tick.
    progress.abort();
    let (sha, report) = reviewed.map_err(|e| format!("the review crashed: {e}"))??;

    save_review_and_finish_job(
        pool,
        NewReview {
            project_id: project.id,
            job_id: job.id,
            commit_sha: Some(&sha),
            report: &report,
            started_at,
            finished_at: now(),
            duration_ms,
        },
    )
    .await
    .map_err(|e| format!("cannot store the review: {e}"))
}

fn review_commit(
    source: &std::path::Path,
    cache: Option<PathBuf>,
    tx: &watch::Sender<Option<ReviewProgress>>,
) -> Result<(String, ReviewReport), String> {
    let work = tempfile::Builder::new()
        .prefix("backlens-review-")
        .tempdir()
        .map_err(|e| format!("cannot create a work folder: {e}"))?;
    let _ = tx.send_replace(Some(ReviewProgress {
        stage: "exporting",
        files_done: 0,
        files_total: 0,
    }));
    let sha = export_head(source, work.path()).map_err(|e| e.to_string())?;
    // The export holds exactly the committed files: review them all.
    let opts = ReviewOptions {
        respect_gitignore: false,
        cache,
        ..ReviewOptions::default()
    };
    let report = review_tree(work.path(), &opts, &mut |p| {
        let _ = tx.send_replace(Some(p));
    })
    .map_err(|e| format!("review failed: {e}"))?;
    Ok((sha, report))
}

pub(super) async fn write_progress(
    pool: SqlitePool,
    job_id: i64,
    mut rx: watch::Receiver<Option<ReviewProgress>>,
) {
    while rx.changed().await.is_ok() {
        let latest = rx.borrow_and_update().clone();
        if let Some(p) = latest {
            if let Err(e) = update_progress(
                &pool,
                job_id,
                p.stage,
                p.files_done as i64,
                p.files_total as i64,
            )
            .await
            {
                tracing::warn!(job_id, error = %e, "cannot record progress");
            }
        }
        tokio::time::sleep(PROGRESS_INTERVAL).await;
    }
}
