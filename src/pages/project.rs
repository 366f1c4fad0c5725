//! `/projects/{id}`: the scorecard of a project's latest review — grade and
//! how it was computed, category scores, findings with their code, the
//! checklist with evidence — and the project's job history.

use crate::api::{get_project_page, ApiError, RetryJob, ReviewNow};
use crate::components::{
    use_poll, GradeBadge, JobStatus, RouteMapSection, ScoreBar, ScoreTrend, SeverityChip,
    StatusChip, VerdictChip,
};
use crate::model::views::{
    format_utc, time_ago, CheckView, FindingView, JobState, JobView, ProjectPage as Page,
    ReviewPoint, ReviewView,
};
use crate::model::{Category, Verdict};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let review_now = ServerAction::<ReviewNow>::new();
    let retry = ServerAction::<RetryJob>::new();
    let active = RwSignal::new(false);
    let tick = use_poll(move || active.get_untracked());
    let page = Resource::new(
        move || {
            (
                id(),
                tick.get(),
                review_now.version().get(),
                retry.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_project_page(id).await,
                None => Err(ApiError::NotFound("That is not a project id.".into())),
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(p)) = page.get() {
            active.set(p.jobs.first().is_some_and(|j| j.state.is_active()));
        }
    });

    view! {
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading project…"</p> }>
            {move || page.get().map(|res| match res {
                Ok(p) => view! { <ProjectView page=p review_now retry /> }.into_any(),
                Err(e) => view! {
                    <Title text="Project · backlens" />
                    <div class="rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200" role="alert">
                        <h1 class="text-xl font-semibold">"Cannot show this project"</h1>
                        <p class="mt-2 text-slate-600">{e.to_string()}</p>
                        <A href="/" attr:class="mt-4 inline-block text-sky-700 underline">"Back to the portfolio"</A>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ProjectView(
    page: Page,
    review_now: ServerAction<ReviewNow>,
    retry: ServerAction<RetryJob>,
) -> impl IntoView {
    let now = page.now;
    let project_id = page.project.id;
    let latest_job = page.jobs.first().cloned();
    let busy = latest_job.as_ref().is_some_and(|j| j.state.is_active());
    let review = page.review.clone();
    view! {
        <Title text=format!("{} · backlens", page.project.name) />
        <nav class="text-sm text-slate-500" aria-label="Breadcrumb">
            <A href="/" attr:class="hover:underline">"Portfolio"</A>
            " / "
            <span class="text-slate-700">{page.project.name.clone()}</span>
        </nav>
        <section class="mt-3 flex flex-wrap items-start justify-between gap-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <div class="flex items-start gap-5">
                <GradeBadge grade=review.as_ref().map(|r| r.grade) large=true />
                <div>
                    <h1 class="text-2xl font-semibold tracking-tight">{page.project.name.clone()}</h1>
                    <div class="mt-1 font-mono text-xs text-slate-500">{page.project.source.clone()}</div>
                    {review.as_ref().map(|r| view! { <ReviewFacts review=r.clone() now /> })}
                    <div class="mt-3 flex items-center gap-2 text-xs text-slate-500 print:hidden">
                        <img src=format!("/badge/{project_id}.svg") alt="backlens badge" height="20" />
                        <span>"README badge:"</span>
                        <code class="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{format!("/badge/{project_id}.svg")}</code>
                    </div>
                </div>
            </div>
            <div class="flex flex-col items-end gap-3">
                {review.as_ref().map(|r| view! {
                    <div class="text-right">
                        <div class="text-4xl font-semibold tabular-nums" id="overall-score">{r.score}</div>
                        <div class="text-xs uppercase tracking-wide text-slate-500">"overall score"</div>
                    </div>
                })}
                <ActionForm action=review_now attr:class="print:hidden">
                    <input type="hidden" name="project_id" value=project_id />
                    <button
                        type="submit"
                        class="rounded-lg bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50"
                        disabled=move || busy || review_now.pending().get()
                        title=if busy { "A review of this project is already queued or running" } else { "Review the latest commit again" }
                    >
                        "Review now"
                    </button>
                </ActionForm>
                <JobStatus job=latest_job now />
            </div>
        </section>
        {match review {
            Some(r) => view! { <Scorecard review=r explanation=page.scoring_explanation.clone() /> }.into_any(),
            None => view! {
                <section class="mt-6 rounded-xl border-2 border-dashed border-slate-300 bg-white p-8 text-center">
                    <h2 class="text-lg font-semibold">"No review yet"</h2>
                    <p class="mt-1 text-slate-600">"The first review appears here as soon as the job finishes; this page updates by itself."</p>
                </section>
            }.into_any(),
        }}
        <History points=page.history.clone() />
        <JobHistory jobs=page.jobs now retry />
    }
}

#[component]
fn ReviewFacts(review: ReviewView, now: i64) -> impl IntoView {
    let commit = review
        .commit_sha
        .as_deref()
        .map(|c| c[..c.len().min(12)].to_string())
        .unwrap_or_else(|| "working tree".into());
    let langs = review
        .languages
        .iter()
        .map(|l| format!("{} ({})", l.language, l.files))
        .collect::<Vec<_>>()
        .join(", ");
    let delta = if review.has_previous {
        let new = review
            .findings
            .iter()
            .filter(|f| f.status == crate::model::views::FindingStatus::New)
            .count();
        format!(
            "{new} new · {} fixed since the previous review",
            review.fixed_since_previous
        )
    } else {
        "first review".to_string()
    };
    view! {
        <dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt class="text-slate-500">"Commit"</dt>
            <dd class="font-mono" id="review-commit" title=review.commit_sha.clone().unwrap_or_default()>{commit}</dd>
            <dt class="text-slate-500">"Reviewed"</dt>
            <dd title=format_utc(review.finished_at)>
                {format!("{} · {} ms · {} files", time_ago(now, review.finished_at), review.duration_ms, review.files_scanned)}
                {(review.files_skipped > 0).then(|| format!(" ({} skipped)", review.files_skipped))}
            </dd>
            <dt class="text-slate-500">"Languages"</dt>
            <dd>{if langs.is_empty() { "none detected".to_string() } else { langs }}</dd>
            <dt class="text-slate-500">"Changes"</dt>
            <dd>{delta}</dd>
        </dl>
    }
}

#[component]
fn Scorecard(review: ReviewView, explanation: String) -> impl IntoView {
    let evaluated = review
        .checks
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Pass | Verdict::Fail))
        .count();
    let not_checked = review
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::NotChecked)
        .count();
    let notes = review.notes.clone();
    view! {
        {(!notes.is_empty()).then(|| view! {
            <section class="mt-6 rounded-xl bg-amber-50 p-4 text-sm text-amber-900 ring-1 ring-amber-200" id="review-notes" role="note">
                <h2 class="font-semibold">"This review has notes"</h2>
                <ul class="mt-1 list-disc pl-5">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="mt-6 grid gap-6 lg:grid-cols-3">
            <div class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
                <h2 class="text-lg font-semibold">"Category scores"</h2>
                <div class="mt-4 grid gap-x-8 gap-y-4 sm:grid-cols-2">
                    {Category::ALL.into_iter().map(|cat| {
                        let score = review.categories.iter().find(|c| c.category == cat).and_then(|c| c.score);
                        view! {
                            <div data-category=cat.id()>
                                <div class="mb-1 flex justify-between text-sm">
                                    <span class="font-medium">{cat.title()}</span>
                                    <span class="font-mono text-xs text-slate-400">{cat.id()}</span>
                                </div>
                                <ScoreBar score />
                            </div>
                        }
                    }).collect_view()}
                </div>
                <VerdictCounts checks=review.checks.clone() />
            </div>
            <div class="rounded-xl bg-slate-900 p-6 text-slate-100 shadow-sm" id="grade-explanation">
                <h2 class="text-lg font-semibold">"How this grade was computed"</h2>
                <p class="mt-2 text-sm leading-relaxed text-slate-300">{explanation}</p>
                <p class="mt-3 text-sm leading-relaxed text-slate-300">
                    {format!(
                        "This review judged {evaluated} checks (scoring version {}). {not_checked} checks are not yet checked by this version of backlens; they count neither for nor against the grade.",
                        review.scoring_version
                    )}
                </p>
            </div>
        </section>
        <RouteMapSection review_id=review.id />
        <Findings findings=review.findings.clone() review_id=review.id />
        <Checklist checks=review.checks.clone() />
    }
}

/// How many checks got each verdict: the scale of what the grade rests on.
#[component]
fn VerdictCounts(checks: Vec<CheckView>) -> impl IntoView {
    let verdicts = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::NotApplicable,
        Verdict::CouldNotRun,
        Verdict::NotChecked,
    ];
    view! {
        <div class="mt-6 flex flex-wrap gap-x-5 gap-y-2 border-t border-slate-100 pt-4 text-sm text-slate-600" id="verdict-counts">
            {verdicts.into_iter().map(|v| {
                let n = checks.iter().filter(|c| c.verdict == v).count();
                view! { <span class="inline-flex items-center gap-2"><VerdictChip verdict=v /><span class="tabular-nums">{n}</span></span> }
            }).collect_view()}
        </div>
    }
}

#[component]
fn Findings(findings: Vec<FindingView>, review_id: i64) -> impl IntoView {
    let open = findings.iter().filter(|f| f.suppressed.is_none()).count();
    let suppressed = findings.len() - open;
    let heading = if suppressed > 0 {
        format!("Findings ({open} open, {suppressed} suppressed)")
    } else {
        format!("Findings ({open})")
    };
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="findings">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 class="text-lg font-semibold">{heading}</h2>
                <a
                    href=format!("/reviews/{review_id}/sarif")
                    download=""
                    rel="external"
                    class="rounded-md bg-white px-3 py-1 text-xs font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 print:hidden"
                    id="download-sarif"
                >
                    "Download SARIF"
                </a>
            </div>
            {if findings.is_empty() {
                view! { <p class="mt-2 text-slate-600">"No findings in the checks this version runs."</p> }.into_any()
            } else {
                view! {
                    <ol class="mt-4 space-y-4">
                        {findings.into_iter().map(|f| view! { <FindingCard finding=f /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FindingCard(finding: FindingView) -> impl IntoView {
    let location = if finding.end_line > finding.line {
        format!("{}:{}-{}", finding.path, finding.line, finding.end_line)
    } else {
        format!("{}:{}", finding.path, finding.line)
    };
    let first_line = finding.line;
    let location_attr = location.clone();
    let suppressed = finding.suppressed.is_some();
    let lines: Vec<(i64, String)> = finding
        .snippet
        .lines()
        .enumerate()
        .map(|(i, l)| (first_line + i as i64, l.to_string()))
        .collect();
    view! {
        <li
            class=if suppressed { "overflow-hidden rounded-lg opacity-70 ring-1 ring-slate-200" } else { "overflow-hidden rounded-lg ring-1 ring-slate-200" }
            data-check=finding.check_id.clone()
            data-location=location_attr
            data-suppressed=suppressed.to_string()
        >
            <div class="flex flex-wrap items-center gap-2 bg-slate-50 px-4 py-2 text-sm">
                <SeverityChip severity=finding.severity />
                <span class="font-mono text-xs font-semibold">{finding.check_id.clone()}</span>
                <span class="font-mono text-xs text-slate-700">{location}</span>
                {finding.suppressed.clone().map(|reason| view! {
                    <span class="rounded-full bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200" title="Accepted with a backlens-ignore comment in the code">
                        {format!("suppressed: {reason}")}
                    </span>
                })}
                <span class="ml-auto"><StatusChip status=finding.status /></span>
            </div>
            <p class="px-4 py-3 text-sm leading-relaxed text-slate-800">{finding.message.clone()}</p>
            <pre class="overflow-x-auto border-t border-slate-200 bg-slate-950 px-4 py-3 text-xs leading-5 text-slate-100"><code>
                {lines.into_iter().map(|(n, l)| view! {
                    <span class="block"><span class="mr-4 inline-block w-8 select-none text-right text-slate-500">{n}</span>{l}</span>
                }).collect_view()}
            </code></pre>
        </li>
    }
}

#[component]
fn Checklist(checks: Vec<CheckView>) -> impl IntoView {
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="checklist">
            <h2 class="text-lg font-semibold">"Checklist"</h2>
            <p class="mt-1 text-sm text-slate-600">"Every check with its verdict and the files that decided it."</p>
            {Category::ALL.into_iter().map(|cat| {
                let (judged, pending): (Vec<CheckView>, Vec<CheckView>) = checks
                    .iter()
                    .filter(|c| c.category == cat)
                    .cloned()
                    .partition(|c| c.verdict != Verdict::NotChecked);
                view! {
                    <h3 class="mt-6 text-sm font-semibold uppercase tracking-wide text-slate-500">{cat.title()}</h3>
                    {(!judged.is_empty()).then(|| view! {
                        <table class="mt-2 w-full text-sm">
                            <tbody class="divide-y divide-slate-100">
                                {judged.into_iter().map(|c| view! { <CheckRow check=c /> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    {(!pending.is_empty()).then(|| view! { <NotYetChecked checks=pending /> })}
                }
            }).collect_view()}
        </section>
    }
}

/// Checks this version does not run yet, listed as such (never as passed),
/// compactly so the judged ones stand out.
#[component]
fn NotYetChecked(checks: Vec<CheckView>) -> impl IntoView {
    view! {
        <div class="mt-2 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
            <VerdictChip verdict=Verdict::NotChecked />
            {checks.into_iter().map(|c| view! {
                <span
                    class="rounded border border-dashed border-slate-300 px-1.5 py-0.5 font-mono text-slate-500"
                    title=c.title.clone()
                    data-check-row=c.check_id.clone()
                    data-verdict=c.verdict.as_str()
                >
                    {c.check_id.clone()}
                </span>
            }).collect_view()}
        </div>
    }
}

#[component]
fn CheckRow(check: CheckView) -> impl IntoView {
    view! {
        <tr class="align-top" data-check-row=check.check_id.clone() data-verdict=check.verdict.as_str()>
            <td class="w-40 py-2 pr-3 font-mono text-xs">{check.check_id.clone()}</td>
            <td class="w-36 py-2 pr-3"><VerdictChip verdict=check.verdict /></td>
            <td class="py-2">
                <div class="font-medium">{check.title.clone()}</div>
                <div class="text-slate-600">{check.summary.clone()}</div>
                {(!check.evidence.is_empty()).then(|| view! {
                    <ul class="mt-1 space-y-0.5 text-xs">
                        {check.evidence.iter().take(12).map(|e| {
                            let loc = match e.line { Some(l) => format!("{}:{l}", e.path), None => e.path.clone() };
                            view! { <li><span class="font-mono text-slate-800">{loc}</span><span class="text-slate-500">{format!(" — {}", e.note)}</span></li> }
                        }).collect_view()}
                        {(check.evidence.len() > 12).then(|| view! { <li class="text-slate-500">{format!("and {} more", check.evidence.len() - 12)}</li> })}
                    </ul>
                })}
            </td>
        </tr>
    }
}

/// Score over time and the latest reviews with their commits.
#[component]
fn History(points: Vec<ReviewPoint>) -> impl IntoView {
    if points.is_empty() {
        return ().into_any();
    }
    let recent: Vec<ReviewPoint> = points.iter().rev().take(8).cloned().collect();
    view! {
        <section class="mt-6 grid gap-6 lg:grid-cols-5" id="history">
            <div class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 lg:col-span-3">
                <h2 class="text-lg font-semibold">"Score over time"</h2>
                <p class="mt-1 text-sm text-slate-600">
                    {format!("The last {} reviews; hover a point for its commit and findings.", points.len())}
                </p>
                <div class="mt-3"><ScoreTrend points=points /></div>
            </div>
            <div class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
                <h2 class="text-lg font-semibold">"Recent reviews"</h2>
                <table class="mt-3 w-full text-left text-sm">
                    <tbody class="divide-y divide-slate-100">
                        {recent.into_iter().map(|p| view! {
                            <tr>
                                <td class="py-1.5 pr-3 text-slate-600">{format_utc(p.finished_at)}</td>
                                <td class="py-1.5 pr-3 font-mono text-xs">{p.commit_sha.as_deref().map(|c| c[..c.len().min(10)].to_string()).unwrap_or_default()}</td>
                                <td class="py-1.5 pr-3"><GradeBadge grade=Some(p.grade) /></td>
                                <td class="py-1.5 pr-3 text-right font-semibold tabular-nums">{p.score}</td>
                                <td class="py-1.5 text-right text-xs text-slate-500">{format!("{} open", p.open_findings)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn JobHistory(jobs: Vec<JobView>, now: i64, retry: ServerAction<RetryJob>) -> impl IntoView {
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="jobs">
            <h2 class="text-lg font-semibold">"Jobs"</h2>
            <table class="mt-3 w-full text-left text-sm">
                <thead class="text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th class="py-2 pr-3">"Job"</th>
                        <th class="py-2 pr-3">"State"</th>
                        <th class="py-2 pr-3">"Attempts"</th>
                        <th class="py-2 pr-3">"Queued"</th>
                        <th class="py-2 pr-3">"Error"</th>
                        <th class="py-2"></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {jobs.into_iter().map(|j| {
                        let failed = j.state == JobState::Failed;
                        let job_id = j.id;
                        view! {
                            <tr class="align-top" data-job=j.id>
                                <td class="py-2 pr-3 font-mono text-xs">{format!("#{} {}", j.id, j.kind)}</td>
                                <td class="py-2 pr-3"><JobStatus job=Some(j.clone()) now /></td>
                                <td class="py-2 pr-3 tabular-nums">{format!("{} / {}", j.attempts, j.max_attempts)}</td>
                                <td class="py-2 pr-3 text-slate-600" title=format_utc(j.created_at)>{time_ago(now, j.created_at)}</td>
                                <td class="max-w-md py-2 pr-3 text-xs text-red-700">{j.last_error.clone().unwrap_or_default()}</td>
                                <td class="py-2 text-right">
                                    {failed.then(|| view! {
                                        <ActionForm action=retry>
                                            <input type="hidden" name="job_id" value=job_id />
                                            <button type="submit" class="rounded-md bg-white px-3 py-1 text-xs font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">"Retry"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
