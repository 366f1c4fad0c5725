//! The state of a project's latest job, with progress while it runs.

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
        JobState::Running => {
            let stage = job.stage.clone().unwrap_or_else(|| "starting".into());
            let (done, total) = (job.files_done.unwrap_or(0), job.files_total.unwrap_or(0));
            let pct = if total > 0 {
                (done * 100 / total).clamp(0, 100)
            } else {
                0
            };
            let detail = if total > 0 {
                format!("{stage} · {done}/{total} files")
            } else {
                stage
            };
            view! {
                <span class="inline-flex min-w-40 flex-col gap-1 text-sm text-sky-700" data-job-state=state>
                    <span class="inline-flex items-center gap-2">
                        <span class="h-2 w-2 animate-pulse rounded-full bg-sky-500"></span>
                        {if job.kind == "quality" { "Quality loop · " } else { "Reviewing · " }}
                        {detail}
                    </span>
                    <span class="h-1 w-full overflow-hidden rounded bg-sky-100">
                        <span class="block h-1 bg-sky-500 transition-all" style=format!("width: {pct}%")></span>
                    </span>
                </span>
            }
            .into_any()
        }
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
