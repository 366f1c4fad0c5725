//! The state of a project's latest job, with progress while it runs.

use super::live::use_live_jobs;
use crate::model::views::{time_ago, time_until, JobState, JobView};
use leptos::prelude::*;

/// "Queued", "Running · parsing 12/40 files", "Succeeded 3 min ago",
/// "Failed: <error>" — whatever the latest job says.
#[component]
pub fn JobStatus(job: Option<JobView>, now: i64) -> impl IntoView {
    let Some(job) = job else {
        return view! { <span class="text-sm text-slate-400">"No jobs yet"</span> }.into_any();
    };
    let state = job.state.as_str();
    match job.state {
        JobState::Queued => {
            let waiting = if job.run_after > now {
                format!(
                    "Retry {} (attempt {} of {})",
                    time_until(now, job.run_after),
                    job.attempts + 1,
                    job.max_attempts
                )
            } else {
                "Queued".to_string()
            };
            view! {
                <span class="inline-flex items-center gap-2 text-sm text-slate-600" data-job-state=state>
                    <span class="h-2 w-2 rounded-full bg-slate-400"></span>
                    {waiting}
                </span>
            }
            .into_any()
        }
        JobState::Running => view! { <RunningJob job now /> }.into_any(),
        JobState::Succeeded => {
            let when = job
                .finished_at
                .map(|t| time_ago(now, t))
                .unwrap_or_default();
            view! {
                <span class="inline-flex items-center gap-2 text-sm text-emerald-700" data-job-state=state>
                    <span class="h-2 w-2 rounded-full bg-emerald-500"></span>
                    {if job.kind == "quality" { format!("Quality loop ran {when}") } else { format!("Reviewed {when}") }}
                </span>
            }
            .into_any()
        }
        JobState::Failed => {
            let error = job.last_error.clone().unwrap_or_default();
            view! {
                <span class="inline-flex items-center gap-2 text-sm text-red-700" data-job-state=state title=error.clone()>
                    <span class="h-2 w-2 rounded-full bg-red-600"></span>
                    {format!("Failed after {} attempts", job.attempts)}
                </span>
            }
            .into_any()
        }
        JobState::Cancelled => view! {
            <span class="inline-flex items-center gap-2 text-sm text-slate-600" data-job-state=state>
                <span class="h-2 w-2 rounded-full bg-slate-500"></span>
                "Cancelled"
            </span>
        }
        .into_any(),
    }
}

/// A running job's stage, files done of total, elapsed time and a progress
/// bar, updated from the live feed (the page's own data until it arrives).
#[component]
fn RunningJob(job: JobView, now: i64) -> impl IntoView {
    let live = use_live_jobs();
    let kind = job.kind.clone();
    let id = job.id;
    let progress = move || match live.job(id) {
        Some((j, server_now)) => (
            j.stage,
            j.files_done.unwrap_or(0),
            j.files_total.unwrap_or(0),
            j.started_at,
            server_now,
        ),
        None => (
            job.stage.clone(),
            job.files_done.unwrap_or(0),
            job.files_total.unwrap_or(0),
            job.started_at,
            now,
        ),
    };
    let progress = Memo::new(move |_| progress());
    let detail = move || {
        let (stage, done, total, started, now) = progress.get();
        let stage = stage.unwrap_or_else(|| "starting".into());
        let mut text = if total > 0 {
            format!("{stage} · {done}/{total} files")
        } else {
            stage
        };
        if let Some(started) = started {
            text.push_str(&format!(" · {}", elapsed(now - started)));
        }
        text
    };
    let width = move || {
        let (_, done, total, _, _) = progress.get();
        let pct = if total > 0 {
            (done * 100 / total).clamp(0, 100)
        } else {
            0
        };
        format!("width: {pct}%")
    };
    view! {
        <span class="inline-flex min-w-40 flex-col gap-1 text-sm text-sky-700" data-job-state="running">
            <span class="inline-flex items-center gap-2">
                <span class="h-2 w-2 animate-pulse rounded-full bg-sky-500"></span>
                {if kind == "quality" { "Quality loop · " } else { "Reviewing · " }}
                {detail}
            </span>
            <span class="h-1.5 w-full overflow-hidden rounded bg-sky-100" role="progressbar" aria-label="Review progress">
                <span class="block h-1.5 bg-sky-500 transition-all" style=width></span>
            </span>
        </span>
    }
}

/// "4 s", "2 min 5 s".
fn elapsed(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}
