//! The `review` job of a GitHub project: resolve the commit (the job's
//! payload, else the default branch's head), post a `pending` status, fetch
//! the commit's tarball and extract it safely, review it, store the review,
//! and post `success`/`failure` from the project's quality gate with a link
//! to exactly that review's page. For a pull request, the base commit is
//! reviewed first when no review of it exists, so the PR can be compared.
//! With a GitHub App, a `backlens` check run (in progress, then completed
//! with the same verdict and the findings as annotations) replaces the status.

use super::review_job::write_progress;
use super::WorkerConfig;
use crate::model::views::ProjectInfo;
use crate::model::Finding;
use crate::server::db::github as store;
use crate::server::db::jobs::Job;
use crate::server::db::projects::get_project;
use crate::server::db::reviews::{save_review_and_finish_job, NewReview};
use crate::server::github::check_run::{self, Completion};
use crate::server::github::client::GitHubClient;
use crate::server::github::tarball::{extract_tar_gz, Limits};
use crate::server::github::{
    is_commit_sha, CommitStatus, GitHubApi, RepoName, StatusState, STATUS_CONTEXT,
};
use crate::server::now;
use crate::server::review::{review_tree, ReviewOptions, ReviewProgress, ReviewReport};
use crate::server::services::github::review_page;
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::time::Instant;
use tokio::sync::watch;

/// The largest tarball downloaded (compressed).
const MAX_TARBALL_BYTES: u64 = 512 * 1024 * 1024;

/// Runs the job when its project comes from GitHub; `None` for other projects.
pub(super) async fn run_if_github(
    pool: &SqlitePool,
    config: &WorkerConfig,
    job: &Job,
) -> Option<Result<(), String>> {
    let project = match get_project(pool, job.project_id).await {
        Ok(Some(p)) if p.source_kind == "github" => p,
        Ok(_) => return None,
        Err(e) => return Some(Err(format!("cannot load project: {e}"))),
    };
    let api = match GitHubClient::new(&config.github, pool.clone()) {
        Ok(c) => c,
        Err(e) => return Some(Err(e.to_string())),
    };
    Some(run(pool, config, &api, &project, job).await)
}

async fn run(
    pool: &SqlitePool,
    config: &WorkerConfig,
    api: &dyn GitHubApi,
    project: &ProjectInfo,
    job: &Job,
) -> Result<(), String> {
    let repo = store::repository_of_project(pool, project.id)
        .await
        .map_err(|e| format!("cannot load the repository: {e}"))?
        .ok_or("the project has no GitHub repository on record")?;
    let name = crate::server::github::parse_repo_reference(&repo.full_name)?;
    let payload = store::job_payload(pool, job.id)
        .await
        .map_err(|e| format!("cannot read the job: {e}"))?
        .unwrap_or_default();
    let text = |key: &str| {
        payload
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let (commit, of_default_branch) = match text("commit") {
        // A push to the default branch moved its head to this commit.
        Some(c) if is_commit_sha(&c) => (
            c.to_ascii_lowercase(),
            text("trigger").is_some_and(|t| t.starts_with("push to ")),
        ),
        Some(c) => return Err(format!("the job names {c:?}, which is not a commit SHA")),
        None => (
            api.branch_head(&name, &repo.default_branch)
                .await
                .map_err(|e| e.to_string())?,
            true,
        ),
    };

    // A scheduled re-review has nothing to do when the branch has not moved.
    let skip_if_unchanged =
        payload.get("skip_if_unchanged").and_then(|v| v.as_bool()) == Some(true);
    if of_default_branch
        && skip_if_unchanged
        && repo.last_head_sha.as_deref() == Some(commit.as_str())
    {
        let note = format!(
            "skipped: {} is still at {}",
            repo.default_branch,
            &commit[..12]
        );
        tracing::info!(%note, "scheduled re-review skipped");
        return store::finish_job_skipped(pool, job.id, &note, now())
            .await
            .map_err(|e| format!("cannot record the skipped review: {e}"));
    }

    // A PR is compared with its base: review the base first if nobody has.
    if let Some(base) = text("base_sha").filter(|b| is_commit_sha(b)) {
        let known = store::review_at_commit(pool, project.id, &base)
            .await
            .map_err(|e| e.to_string())?;
        if known.is_none() {
            review_base(
                pool,
                api,
                &name,
                project.id,
                &base,
                payload.get("pull_request"),
                config.review_cache_of(project.id),
            )
            .await;
        }
    }

    let public = config.github.public_url().map(str::to_string);
    let project_url = public
        .as_ref()
        .map(|u| format!("{u}/projects/{}", project.id));
    let checks = api.uses_check_runs();
    let mut check_run_id = None;
    if checks {
        let body =
            check_run::start_body(&commit, project_url.as_deref(), &check_run::iso8601(now()));
        match api.create_check_run(&name, &body).await {
            Ok(id) => check_run_id = Some(id),
            Err(e) => tracing::warn!(error = %e, "cannot create the check run"),
        }
    } else {
        post_status(
            api,
            &name,
            &commit,
            StatusState::Pending,
            "backlens is reviewing this commit".into(),
            project_url.clone(),
            None,
            pool,
        )
        .await;
    }

    let (review_id, findings) = match fetch_and_review(
        pool,
        api,
        &name,
        &commit,
        (project.id, job.id),
        config.review_cache_of(project.id),
    )
    .await
    {
        Ok(done) => done,
        Err(e) if checks => {
            if let Some(id) = check_run_id {
                let body =
                    check_run::error_body(&e, project_url.as_deref(), &check_run::iso8601(now()));
                if let Err(e) = api.update_check_run(&name, id, &body).await {
                    tracing::warn!(error = %e, "cannot complete the failed check run");
                }
            }
            return Err(e);
        }
        Err(e) => {
            let short: String = format!("review failed: {e}").chars().take(140).collect();
            post_status(
                api,
                &name,
                &commit,
                StatusState::Error,
                short,
                project_url,
                None,
                pool,
            )
            .await;
            return Err(e);
        }
    };
    if of_default_branch {
        if let Err(e) = store::set_last_head(pool, project.id, &commit).await {
            tracing::warn!(error = %e, "cannot record the reviewed head");
        }
    }
    let page = review_page(pool, project.id, review_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the stored review vanished")?;
    let state = if page.gate_result.passed {
        StatusState::Success
    } else {
        StatusState::Failure
    };
    let target = public.map(|u| format!("{u}/projects/{}/reviews/{review_id}", project.id));
    if checks {
        let completion = Completion {
            passed: page.gate_result.passed,
            title: &page.gate_result.description,
            summary: &check_run::summary_markdown(
                &page.gate_result.description,
                target.as_deref(),
                &findings,
            ),
            details_url: target.as_deref(),
            completed_at: &check_run::iso8601(now()),
            findings: &findings,
        };
        let result = complete_check_run(api, &name, &commit, check_run_id, &completion).await;
        if let Err(e) = &result {
            tracing::warn!(error = %e, "cannot complete the check run");
        }
        if let Err(e) = store::record_status(
            pool,
            review_id,
            state.as_str(),
            &page.gate_result.description,
            target.as_deref(),
            result.err().as_deref(),
            now(),
        )
        .await
        {
            tracing::warn!(error = %e, "cannot record the check run");
        }
        return Ok(());
    }
    post_status(
        api,
        &name,
        &commit,
        state,
        page.gate_result.description.clone(),
        target,
        Some(review_id),
        pool,
    )
    .await;
    Ok(())
}

/// Completes the check run (creating it first when the start failed): the
/// conclusion with the first 50 annotations, then the rest 50 at a time.
async fn complete_check_run(
    api: &dyn GitHubApi,
    name: &RepoName,
    commit: &str,
    id: Option<u64>,
    completion: &Completion<'_>,
) -> Result<(), String> {
    let id = match id {
        Some(id) => id,
        None => {
            let body =
                check_run::start_body(commit, completion.details_url, completion.completed_at);
            api.create_check_run(name, &body)
                .await
                .map_err(|e| e.to_string())?
        }
    };
    for body in check_run::completion_bodies(completion) {
        api.update_check_run(name, id, &body)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Reviews a PR's base commit as its own (already running) job. A failure is
/// recorded on that job and logged; the PR review goes on without a base.
async fn review_base(
    pool: &SqlitePool,
    api: &dyn GitHubApi,
    name: &RepoName,
    project_id: i64,
    base: &str,
    pull_request: Option<&serde_json::Value>,
    cache: Option<PathBuf>,
) {
    let trigger = match pull_request.and_then(|v| v.as_i64()) {
        Some(n) => format!("base of pull request #{n}"),
        None => "base commit".to_string(),
    };
    let payload = serde_json::json!({"commit": base, "trigger": trigger});
    let job_id = match store::insert_running_job(pool, project_id, &payload, now()).await {
        Ok(id) => id,
        Err(e) => {
            tracing::warn!(error = %e, "cannot create the base review job");
            return;
        }
    };
    if let Err(e) = fetch_and_review(pool, api, name, base, (project_id, job_id), cache).await {
        tracing::warn!(error = %e, base, "review of the PR's base failed");
        let _ = store::fail_job(pool, job_id, &e, now()).await;
    }
}

/// Downloads, extracts, reviews and stores one commit; the review id and its findings.
async fn fetch_and_review(
    pool: &SqlitePool,
    api: &dyn GitHubApi,
    name: &RepoName,
    commit: &str,
    (project_id, job_id): (i64, i64),
    cache: Option<PathBuf>,
) -> Result<(i64, Vec<Finding>), String> {
    let started_at = now();
    let clock = Instant::now();
    let work = tempfile::Builder::new()
        .prefix("backlens-github-")
        .tempdir()
        .map_err(|e| format!("cannot create a work folder: {e}"))?;
    let (tx, rx) = watch::channel::<Option<ReviewProgress>>(None);
    let progress = tokio::spawn(write_progress(pool.clone(), job_id, rx));
    let _ = tx.send_replace(Some(ReviewProgress {
        stage: "downloading",
        files_done: 0,
        files_total: 0,
    }));
    let archive = work.path().join("commit.tar.gz");
    let downloaded = api
        .download_tarball(name, commit, &archive, MAX_TARBALL_BYTES)
        .await;
    if let Err(e) = downloaded {
        progress.abort();
        return Err(e.to_string());
    }
    let tree = work.path().join("tree");
    let reviewed = tokio::task::spawn_blocking(move || -> Result<ReviewReport, String> {
        std::fs::create_dir(&tree).map_err(|e| format!("cannot create a work folder: {e}"))?;
        let _ = tx.send_replace(Some(ReviewProgress {
            stage: "extracting",
            files_done: 0,
            files_total: 0,
        }));
        extract_tar_gz(&archive, &tree, &Limits::default()).map_err(|e| e.to_string())?;
        let opts = ReviewOptions {
            respect_gitignore: false,
            cache,
            ..ReviewOptions::default()
        };
        review_tree(&tree, &opts, &mut |p| {
            let _ = tx.send_replace(Some(p));
        })
        .map_err(|e| format!("review failed: {e}"))
    })
    .await;
    progress.abort();
    let report = reviewed.map_err(|e| format!("the review crashed: {e}"))??;
    let id = save_review_and_finish_job(
        pool,
        NewReview {
            project_id,
            job_id,
            commit_sha: Some(commit),
            report: &report,
            started_at,
            finished_at: now(),
            duration_ms: clock.elapsed().as_millis() as i64,
        },
    )
    .await
    .map_err(|e| format!("cannot store the review: {e}"))?;
    Ok((id, report.findings))
}

/// Posts a commit status; a failure is logged and recorded, never fatal.
#[allow(clippy::too_many_arguments)]
async fn post_status(
    api: &dyn GitHubApi,
    name: &RepoName,
    commit: &str,
    state: StatusState,
    description: String,
    target_url: Option<String>,
    review_id: Option<i64>,
    pool: &SqlitePool,
) {
    let status = CommitStatus {
        state,
        target_url: target_url.clone(),
        description: description.clone(),
        context: STATUS_CONTEXT.to_string(),
    };
    let result = api.create_status(name, commit, &status).await;
    if let Err(e) = &result {
        tracing::warn!(error = %e, state = state.as_str(), "cannot post the commit status");
    }
    if let Some(review_id) = review_id {
        let error = result.err().map(|e| e.to_string());
        if let Err(e) = store::record_status(
            pool,
            review_id,
            state.as_str(),
            &description,
            target_url.as_deref(),
            error.as_deref(),
            now(),
        )
        .await
        {
            tracing::warn!(error = %e, "cannot record the commit status");
        }
    }
}
