//! The quality-loop panel of the project page: the project's own lint,
//! type-check and tests as backlens ran them in the sandbox — each step's
//! command, verdict, duration, counts, diagnostics and captured log — the
//! tests that were flaky lately, a Cancel button while a loop runs, and Run
//! again once one failed, was cancelled or could not run.

use super::{use_poll, JobStatus, VerdictChip};
use crate::api::{get_quality_panel, CancelQualityJob, RunQualityAgain};
use crate::model::quality::{FlakyTestView, QualityPanel, QualityRunView, StepView};
use crate::model::views::{format_utc, time_ago, JobState};
use leptos::prelude::*;

#[component]
pub fn QualityLoop(project_id: i64) -> impl IntoView {
    let cancel = ServerAction::<CancelQualityJob>::new();
    let again = ServerAction::<RunQualityAgain>::new();
    let active = RwSignal::new(false);
    let tick = use_poll(move || active.get_untracked());
    let panel = crate::api::codec::resource(
        move || {
            (
                project_id,
                tick.get(),
                cancel.version().get(),
                again.version().get(),
            )
        },
        |(id, ..)| get_quality_panel(id),
    );
    Effect::new(move |_| {
        if let Some(Ok(p)) = panel.get() {
            active.set(p.job.as_ref().is_some_and(|j| j.state.is_active()));
        }
    });
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="quality-loop">
            <Transition fallback=|| view! { <p class="text-slate-500">"Loading the quality loop…"</p> }>
                {move || panel.get().map(|res| match res {
                    Ok(p) => view! { <Panel panel=p project_id cancel again /> }.into_any(),
                    Err(e) => view! { <p class="text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Panel(
    panel: QualityPanel,
    project_id: i64,
    cancel: ServerAction<CancelQualityJob>,
    again: ServerAction<RunQualityAgain>,
) -> impl IntoView {
    let now = panel.now;
    let job = panel.job.clone();
    let running = job.as_ref().filter(|j| j.state.is_active()).map(|j| j.id);
    // A loop that failed, was cancelled or could not run can be queued again.
    let can_run_again = panel.enabled
        && running.is_none()
        && (job
            .as_ref()
            .is_some_and(|j| matches!(j.state, JobState::Failed | JobState::Cancelled))
            || panel
                .run
                .as_ref()
                .is_some_and(|r| r.state == "could_not_run"));
    let sandbox_off = panel.sandbox_off || panel.run.as_ref().is_some_and(|r| r.sandbox == "off");
    view! {
        <div class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h2 class="text-lg font-semibold">"Quality loop"</h2>
                <p class="mt-1 text-sm text-slate-600">
                    "The project's own linter, type-checker and tests, run by backlens in a sandbox (no network, a copy of the repository, time and memory limits) on the reviewed commit."
                </p>
            </div>
            <div class="flex items-center gap-3 print:hidden">
                <JobStatus job=job now />
                {running.map(|id| view! {
                    <ActionForm action=cancel>
                        <input type="hidden" name="job_id" value=id />
                        <button
                            type="submit"
                            id="cancel-quality"
                            class="rounded-md bg-white px-3 py-1 text-sm font-semibold text-red-700 ring-1 ring-red-300 hover:bg-red-50"
                        >
                            "Cancel"
                        </button>
                    </ActionForm>
                })}
                {can_run_again.then(|| view! {
                    <ActionForm action=again>
                        <input type="hidden" name="project_id" value=project_id />
                        <button
                            type="submit"
                            id="run-quality-again"
                            class="rounded-md bg-white px-3 py-1 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
                            disabled=move || again.pending().get()
                        >
                            "Run again"
                        </button>
                    </ActionForm>
                })}
            </div>
        </div>
        {move || again.value().get().and_then(Result::err).map(|e| view! {
            <p class="mt-3 rounded bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200" role="alert" id="run-quality-again-error">
                {e.to_string()}
            </p>
        })}
        {sandbox_off.then(|| view! {
            <div class="mt-4 rounded-lg bg-red-50 p-3 text-sm font-semibold text-red-800 ring-1 ring-red-300" role="alert" id="sandbox-off">
                "Danger: the sandbox is switched off (BACKLENS_QUALITY_SANDBOX=off). Reviewed projects' code runs with backlens's own user, files, secrets and network."
            </div>
        })}
        {(!panel.enabled).then(|| view! {
            <p class="mt-4 text-sm text-slate-600">"The quality loop is switched off on this server (BACKLENS_QUALITY=false)."</p>
        })}
        {match panel.run.clone() {
            Some(run) => view! { <Run run now /> }.into_any(),
            // Cancelled before it stored a run (while copying or installing):
            // a loop did start, so "none has run" would be wrong.
            None if panel.job.as_ref().is_some_and(|j| j.state == JobState::Cancelled) => view! {
                <p class="mt-4 rounded-lg border-2 border-dashed border-slate-200 p-4 text-center text-slate-600" id="quality-empty">
                    "This run was cancelled before its first step finished; the review keeps its earlier loop verdicts."
                </p>
            }.into_any(),
            None => view! {
                <p class="mt-4 rounded-lg border-2 border-dashed border-slate-200 p-4 text-center text-slate-600" id="quality-empty">
                    "No quality loop has run yet. It runs after each review, on the same commit."
                </p>
            }.into_any(),
        }}
        <Flaky tests=panel.flaky.clone() now />
    }
}

#[component]
fn Run(run: QualityRunView, now: i64) -> impl IntoView {
    let commit = run
        .commit_sha
        .as_deref()
        .map(|c| c[..c.len().min(12)].to_string())
        .unwrap_or_default();
    let state_note = match run.state.as_str() {
        "cancelled" => {
            Some("This run was cancelled; the review keeps its earlier loop verdicts.".to_string())
        }
        "could_not_run" => Some(format!(
            "The loop could not run: {}.",
            run.note.clone().unwrap_or_default()
        )),
        _ => None,
    };
    view! {
        <p class="mt-3 text-sm text-slate-600" id="quality-run-facts" title=format_utc(run.finished_at)>
            {format!(
                "Commit {commit} · {} · {:.1} s · sandbox: {} · network: {}",
                time_ago(now, run.finished_at),
                run.duration_ms as f64 / 1000.0,
                run.sandbox,
                run.network,
            )}
        </p>
        {state_note.map(|n| view! { <p class="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200">{n}</p> })}
        <div class="mt-4 grid gap-3 sm:grid-cols-3" id="loop-verdicts">
            {run.verdicts.iter().map(|v| view! {
                <div class="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-loop-check=v.check_id.clone()>
                    <div class="flex items-center justify-between gap-2">
                        <span class="font-mono text-xs text-slate-500">{v.check_id.clone()}</span>
                        <VerdictChip verdict=v.verdict />
                    </div>
                    <p class="mt-1 text-sm text-slate-700">{v.summary.clone()}</p>
                </div>
            }).collect_view()}
        </div>
        <ol class="mt-4 space-y-3">
            {run.steps.into_iter().map(|s| view! { <Step step=s /> }).collect_view()}
        </ol>
    }
}

#[component]
fn Step(step: StepView) -> impl IntoView {
    let counts = step.tests.clone().map(|c| {
        format!(
            "{} passed · {} failed · {} skipped{}",
            c.passed,
            c.failed,
            c.skipped,
            if c.flaky > 0 {
                format!(" · {} flaky", c.flaky)
            } else {
                String::new()
            }
        )
    });
    let log_label = if step.log_cut_bytes > 0 {
        format!("Captured output ({} bytes cut)", step.log_cut_bytes)
    } else {
        "Captured output".to_string()
    };
    let has_log = !step.log.is_empty();
    let diagnostics = step.diagnostics.clone();
    let n_diag = diagnostics.len();
    view! {
        <li class="rounded-lg p-4 ring-1 ring-slate-200" data-step=step.kind.as_str() data-verdict=step.verdict.as_str()>
            <div class="flex flex-wrap items-center gap-3">
                <VerdictChip verdict=step.verdict />
                <span class="font-semibold">{step.kind.label()}</span>
                <span class="text-sm text-slate-500">{format!("{} · {}", step.ecosystem, step.tool)}</span>
                <span class="ml-auto text-sm tabular-nums text-slate-500">
                    {format!("{:.1} s", step.duration_ms as f64 / 1000.0)}
                    {step.exit_code.map(|c| format!(" · exit {c}"))}
                    {step.timed_out.then_some(" · timed out")}
                </span>
            </div>
            <code class="mt-2 block overflow-x-auto rounded bg-slate-100 px-2 py-1 text-xs text-slate-800">{format!("$ {}", step.command)}</code>
            <p class="mt-2 text-sm text-slate-700">{step.summary.clone()}</p>
            {counts.map(|c| view! { <p class="mt-1 text-sm font-medium tabular-nums text-slate-800" data-test-counts="">{c}</p> })}
            {(!step.failing_tests.is_empty()).then(|| view! {
                <div class="mt-2 text-sm">
                    <span class="font-medium text-red-800">"Failing tests: "</span>
                    <span class="font-mono text-xs">{step.failing_tests.join(", ")}</span>
                </div>
            })}
            {(!step.flaky_tests.is_empty()).then(|| view! {
                <div class="mt-1 text-sm">
                    <span class="font-medium text-amber-800">"Flaky (passed on the re-run): "</span>
                    <span class="font-mono text-xs">{step.flaky_tests.join(", ")}</span>
                </div>
            })}
            {(n_diag > 0).then(|| view! {
                <details class="mt-2" open=n_diag <= 10>
                    <summary class="cursor-pointer text-sm font-medium text-slate-700">{format!("Diagnostics ({n_diag})")}</summary>
                    <table class="mt-2 w-full text-left text-sm">
                        <tbody>
                            {diagnostics.into_iter().map(|d| {
                                let place = match (d.line, d.column) {
                                    (Some(l), Some(c)) => format!("{}:{l}:{c}", d.path),
                                    (Some(l), None) => format!("{}:{l}", d.path),
                                    _ => d.path.clone(),
                                };
                                view! {
                                    <tr class="border-t border-slate-100 align-top" data-diagnostic="">
                                        <td class="py-1 pr-3 font-mono text-xs text-slate-700">{place}</td>
                                        <td class="py-1 pr-3 text-xs">
                                            <span class=if d.severity == "error" { "text-red-700" } else { "text-amber-700" }>{d.severity.clone()}</span>
                                        </td>
                                        <td class="py-1 pr-3 font-mono text-xs text-slate-500">{d.rule.clone().unwrap_or_default()}</td>
                                        <td class="py-1 text-slate-800">{d.message.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            })}
            {has_log.then(|| view! {
                <details class="mt-2">
                    <summary class="cursor-pointer text-sm text-slate-600">{log_label}</summary>
                    <pre class="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-3 text-xs text-slate-100">{step.log.clone()}</pre>
                </details>
            })}
        </li>
    }
}

#[component]
fn Flaky(tests: Vec<FlakyTestView>, now: i64) -> impl IntoView {
    view! {
        <div class="mt-5 border-t border-slate-100 pt-4" id="flaky-tests">
            <h3 class="text-sm font-semibold">"Flaky tests in recent loops"</h3>
            {if tests.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-500">"None: no test failed and then passed on its immediate re-run."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 space-y-1 text-sm">
                        {tests.into_iter().map(|t| view! {
                            <li>
                                <span class="font-mono text-xs">{t.name}</span>
                                <span class="text-slate-500">{format!(" · flaky in {} run{} · last {}", t.runs, if t.runs == 1 { "" } else { "s" }, time_ago(now, t.last_seen))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
