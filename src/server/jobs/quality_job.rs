//! The `quality` job: export the reviewed commit, run the quality loop on it
//! in the sandbox off the async threads, store the run, and write its LOOP-*
//! verdicts (and the new scores) into the review. Quality jobs have their own
//! worker with its own concurrency limit; a person can cancel one from the
//! project page, which kills the loop's process tree.

use super::{backoff_secs, JobOutcome};
use crate::model::views::JobState;
use crate::server::db::jobs::{record_failure, Job};
use crate::server::db::projects::get_project;
use crate::server::db::quality::{
    self as store, claim_next_quality_job, enqueue_quality, NewQualityRun, QualityPayload,
};
use crate::server::git::export_commit;
use crate::server::now;
use crate::server::quality::settings::QualitySettings;
use crate::server::quality::{check_results, run_loop, LoopOutcome, LoopSettings, LoopState};
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How the quality worker runs loops.
#[derive(Clone, Debug)]
pub struct QualityJobConfig {
    pub loop_settings: LoopSettings,
    pub concurrency: usize,
    pub max_attempts: i64,
    pub backoff_base_secs: i64,
}

impl QualityJobConfig {
    pub fn from_settings(q: &QualitySettings, max_attempts: i64, backoff_base_secs: i64) -> Self {
        QualityJobConfig {
            loop_settings: q.loop_settings(),
            concurrency: q.concurrency.max(1) as usize,
            max_attempts,
            backoff_base_secs,
        }
    }
}

/// How often a running loop looks whether it was cancelled.
const CANCEL_POLL: Duration = Duration::from_millis(400);

/// Queues the loop for a review that just succeeded.
pub async fn enqueue_after_review(pool: &SqlitePool, review_id: i64, config: &QualityJobConfig) {
    match enqueue_quality(pool, review_id, config.max_attempts, now()).await {
        Ok(Some(job_id)) => tracing::info!(review_id, job_id, "quality loop queued"),
        Ok(None) => {}
        Err(e) => tracing::error!(review_id, error = %e, "cannot queue the quality loop"),
    }
}

/// Claims the next due quality job and runs it to the end. `None` when
/// nothing is due. The quality worker is made of this step; tests drive it.
pub async fn run_next_quality_job(
    pool: &SqlitePool,
    config: &QualityJobConfig,
) -> Result<Option<(i64, JobOutcome)>, sqlx::Error> {
    let Some((job, payload)) = claim_next_quality_job(pool, now()).await? else {
        return Ok(None);
    };
    let outcome = execute(pool, config, &job, &payload).await?;
    Ok(Some((job.id, outcome)))
}

#[tracing::instrument(skip_all, fields(job_id = job.id, kind = "quality", attempt = job.view.attempts))]
async fn execute(
    pool: &SqlitePool,
    config: &QualityJobConfig,
    job: &Job,
    payload: &QualityPayload,
) -> Result<JobOutcome, sqlx::Error> {
    match run(pool, config, job, payload).await {
        Ok(()) => {
            let state = store::job_state(pool, job.id).await?;
            if state.as_deref() == Some("cancelled") {
                tracing::info!("quality loop cancelled");
                return Ok(JobOutcome::Failed {
                    error: "cancelled".into(),
                    state: JobState::Cancelled,
                });
            }
            tracing::info!("quality loop finished");
            Ok(JobOutcome::Succeeded)
        }
        Err(error) => {
            if store::job_state(pool, job.id).await?.as_deref() == Some("cancelled") {
                return Ok(JobOutcome::Failed {
                    error,
                    state: JobState::Cancelled,
                });
            }
            let attempts = job.view.attempts;
            let retry_at = (attempts < job.view.max_attempts)
                .then(|| now() + backoff_secs(config.backoff_base_secs, attempts));
            let state = record_failure(pool, job.id, &error, now(), retry_at).await?;
            tracing::warn!(%error, state = state.as_str(), "quality job attempt failed");
            Ok(JobOutcome::Failed { error, state })
        }
    }
}

async fn run(
    pool: &SqlitePool,
    config: &QualityJobConfig,
    job: &Job,
    payload: &QualityPayload,
) -> Result<(), String> {
    let project = get_project(pool, job.project_id)
        .await
        .map_err(|e| format!("cannot load project: {e}"))?
        .ok_or_else(|| "the project was deleted".to_string())?;
    let started_at = now();
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch_for_cancel(pool.clone(), job.id, cancel.clone()));
    let (stage_tx, mut stage_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stages = {
        let pool = pool.clone();
        let id = job.id;
        tokio::spawn(async move {
            while let Some(stage) = stage_rx.recv().await {
                if let Err(e) = store::update_stage(&pool, id, &stage).await {
                    tracing::warn!(job_id = id, error = %e, "cannot record the stage");
                }
            }
        })
    };
    let settings = config.loop_settings.clone();
    let source = (project.source_kind == "local").then(|| PathBuf::from(&project.source));
    let commit = payload.commit.clone();
    let flag = cancel.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        loop_on_commit(source, commit.as_deref(), &settings, &flag, &mut |s| {
            let _ = stage_tx.send(s.to_string());
        })
    })
    .await;
    watcher.abort();
    let _ = stages.await;
    let outcome = outcome.map_err(|e| format!("the quality loop crashed: {e}"))??;
    let checks = if outcome.state == LoopState::Cancelled {
        Vec::new()
    } else {
        check_results(&outcome)
    };
    store::save_quality_run_and_finish_job(
        pool,
        NewQualityRun {
            project_id: project.id,
            job_id: job.id,
            review_id: Some(payload.review_id),
            commit_sha: payload.commit.as_deref(),
            state: outcome.state.as_str(),
            note: outcome.note.as_deref(),
            sandbox: outcome.sandbox.as_str(),
            network: if outcome.network {
                "registries"
            } else {
                "none"
            },
            verdicts: &outcome.verdicts,
            steps: &outcome.steps,
            checks: &checks,
            started_at,
            finished_at: now(),
            duration_ms: outcome.duration_ms,
        },
        crate::server::review::rescore,
    )
    .await
    .map_err(|e| format!("cannot store the quality run: {e}"))?;
    Ok(())
}

/// Exports the commit into a fresh work folder and runs the loop there.
fn loop_on_commit(
    source: Option<PathBuf>,
    commit: Option<&str>,
    settings: &LoopSettings,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&str),
) -> Result<LoopOutcome, String> {
    // Said on the page as "could not run", not retried as a failure.
    let (Some(source), Some(commit)) = (source, commit) else {
        let why = if commit.is_none() {
            "the review has no commit to check"
        } else {
            "the quality loop reads local repositories only in this version"
        };
        return Ok(LoopOutcome::could_not_run(settings, why));
    };
    let (_work, copy, tmp) = crate::server::quality::work_folder()?;
    on_step("exporting");
    export_commit(&source, commit, &copy).map_err(|e| e.to_string())?;
    Ok(run_loop(&copy, &tmp, settings, cancel, on_step))
}

async fn watch_for_cancel(pool: SqlitePool, job_id: i64, cancel: Arc<AtomicBool>) {
    loop {
        tokio::time::sleep(CANCEL_POLL).await;
        match store::job_state(&pool, job_id).await {
            Ok(Some(state)) if state == "running" => {}
            // Cancelled, or gone (project deleted): stop the loop.
            Ok(_) => {
                cancel.store(true, Ordering::Relaxed);
                return;
            }
            Err(e) => tracing::warn!(job_id, error = %e, "cannot read the job state"),
        }
    }
}

/// Starts the quality worker: its own loop over quality jobs, at most
/// `config.concurrency` at once.
pub fn spawn_quality_worker(
    pool: SqlitePool,
    config: QualityJobConfig,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let slots = Arc::new(tokio::sync::Semaphore::new(config.concurrency.max(1)));
        loop {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            match claim_next_quality_job(&pool, now()).await {
                Ok(Some((job, payload))) => {
                    let (pool, config) = (pool.clone(), config.clone());
                    tokio::spawn(async move {
                        if let Err(e) = execute(&pool, &config, &job, &payload).await {
                            tracing::error!(job_id = job.id, error = %e, "could not record the quality job's result");
                        }
                        drop(permit);
                    });
                }
                Ok(None) => {
                    drop(permit);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    drop(permit);
                    tracing::error!(error = %e, "cannot read the quality job queue");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    })
}
