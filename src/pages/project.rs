//! `/projects/{id}`: the scorecard of a project's latest review — grade and
//! how it was computed, category scores, findings with their code, the
//! checklist with evidence — and the project's job history.

use crate::api::{
    get_project_page, get_project_trends, ApiError, RetryJob, ReviewNow, SetProjectTeam,
};
use crate::components::{
    use_live_jobs, use_poll, use_refresh_key, GradeBadge, JobStatus, ProjectTrendCharts,
    RouteMapSection, ScoreBar, ScoreTrend, SeverityChip, StatusChip, VerdictChip,
};
use crate::model::views::{
    format_utc, time_ago, CheckView, FindingStatus, FindingView, JobState, JobView,
    ProjectPage as Page, ReviewPoint, ReviewView,
};
use crate::model::{Category, Severity, Verdict};
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
    // The live feed says when jobs start and end; polling is the fallback
    // while it is not connected.
    let live = use_live_jobs();
    let refresh = use_refresh_key();
    let tick = use_poll(move || active.get_untracked() && !live.connected.get_untracked());
    let page = crate::api::codec::resource(
        move || {
            (
                id(),
                tick.get(),
                refresh.get(),
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
    // Quality loops have their own queue: only a review blocks "Review now".
    let busy = page
        .jobs
        .iter()
        .find(|j| j.kind != "quality")
        .is_some_and(|j| j.state.is_active());
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
                    <TeamEditor project_id team=page.project.team.clone() />
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
        {(page.project.source_kind == "github").then(|| view! { <crate::components::QualityGateForm project_id /> })}
        <crate::components::QualityLoop project_id />
        <History points=page.history.clone() project_id />
        <TrendsSection project_id reviews=page.history.len() />
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

/// The scorecard of one review (also on the single review's page).
#[component]
pub(crate) fn Scorecard(review: ReviewView, explanation: String) -> impl IntoView {
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
    let total = findings.len();
    let heading = if suppressed > 0 {
        format!("Findings ({open} open, {suppressed} suppressed)")
    } else {
        format!("Findings ({open})")
    };
    let category = RwSignal::new(None::<Category>);
    let severity = RwSignal::new(None::<Severity>);
    let status = RwSignal::new(StatusFilter::All);
    let findings = StoredValue::new(findings);
    let shown = Memo::new(move |_| {
        let (c, s, st) = (category.get(), severity.get(), status.get());
        findings.with_value(|all| {
            all.iter()
                .filter(|f| c.is_none_or(|c| category_of(&f.check_id) == Some(c)))
                .filter(|f| s.is_none_or(|s| f.severity == s))
                .filter(|f| st.keeps(f))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let select = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
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
            {if total == 0 {
                view! { <p class="mt-2 text-slate-600">"No findings in the checks this version runs."</p> }.into_any()
            } else {
                view! {
                    <div class="mt-4 flex flex-wrap items-center gap-3 text-sm print:hidden" id="finding-filters">
                        <label class="flex items-center gap-2">
                            <span class="text-slate-500">"Category"</span>
                            <select class=select id="filter-category" on:change=move |ev| category.set(Category::parse(&event_target_value(&ev)))>
                                <option value="">"All"</option>
                                {Category::ALL.into_iter().map(|c| view! { <option value=c.id()>{c.title()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="flex items-center gap-2">
                            <span class="text-slate-500">"Severity"</span>
                            <select class=select id="filter-severity" on:change=move |ev| severity.set(Severity::parse(&event_target_value(&ev)))>
                                <option value="">"All"</option>
                                {[Severity::Critical, Severity::High, Severity::Medium, Severity::Low].into_iter().map(|s| view! {
                                    <option value=s.as_str()>{s.as_str()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="flex items-center gap-2">
                            <span class="text-slate-500">"Status"</span>
                            <select class=select id="filter-status" on:change=move |ev| status.set(StatusFilter::parse(&event_target_value(&ev)))>
                                {StatusFilter::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <span class="text-slate-500" id="findings-showing">
                            {move || format!("{} of {total} shown", shown.with(Vec::len))}
                        </span>
                    </div>
                    <ol class="mt-4 space-y-4">
                        <For each=move || shown.get() key=|f| f.id let:f>
                            <FindingCard finding=f />
                        </For>
                    </ol>
                    {move || shown.with(Vec::is_empty).then(|| view! {
                        <p class="mt-4 text-slate-500">"No finding matches these filters."</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// The category a check belongs to, from the catalog.
fn category_of(check_id: &str) -> Option<Category> {
    crate::model::catalog::find_check(check_id).map(|c| c.category)
}

/// Which findings the status filter keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StatusFilter {
    All,
    Open,
    New,
    Unchanged,
    Suppressed,
}

impl StatusFilter {
    const ALL: [StatusFilter; 5] = [
        StatusFilter::All,
        StatusFilter::Open,
        StatusFilter::New,
        StatusFilter::Unchanged,
        StatusFilter::Suppressed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Open => "open",
            StatusFilter::New => "new",
            StatusFilter::Unchanged => "unchanged",
            StatusFilter::Suppressed => "suppressed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Open => "Open (not suppressed)",
            StatusFilter::New => "New since previous review",
            StatusFilter::Unchanged => "Unchanged",
            StatusFilter::Suppressed => "Suppressed",
        }
    }

    fn parse(s: &str) -> StatusFilter {
        StatusFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .unwrap_or(StatusFilter::All)
    }

    fn keeps(self, f: &FindingView) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => f.suppressed.is_none(),
            StatusFilter::New => f.status == FindingStatus::New,
            StatusFilter::Unchanged => f.status == FindingStatus::Unchanged,
            StatusFilter::Suppressed => f.suppressed.is_some(),
        }
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
fn History(points: Vec<ReviewPoint>, project_id: i64) -> impl IntoView {
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
                                <td class="py-1.5 pr-3 text-slate-600">
                                    <A href=format!("/projects/{project_id}/reviews/{}", p.id) attr:class="hover:underline">{format_utc(p.finished_at)}</A>
                                </td>
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

/// The team that owns the project (the portfolio filters by it), editable in place.
#[component]
fn TeamEditor(project_id: i64, team: Option<String>) -> impl IntoView {
    let save = ServerAction::<SetProjectTeam>::new();
    let current = RwSignal::new(team.clone());
    Effect::new(move |_| {
        if let Some(Ok(stored)) = save.value().get() {
            current.set(stored);
        }
    });
    view! {
        <ActionForm action=save attr:class="mt-2 flex items-center gap-2 text-sm print:hidden" attr:id="team-form">
            <input type="hidden" name="project_id" value=project_id />
            <label for="team-input" class="text-slate-500">"Team"</label>
            <input id="team-input" name="team" type="text" maxlength="60" value=team.unwrap_or_default()
                placeholder="none" autocomplete="off"
                class="w-40 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200" />
            <button type="submit" class="rounded-md bg-white px-2 py-1 text-xs font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
                disabled=move || save.pending().get()>"Save"</button>
            {move || match save.value().get() {
                Some(Ok(_)) => view! {
                    <span class="text-xs text-emerald-700" role="status" id="team-saved">
                        {move || match current.get() { Some(t) => format!("Saved: {t}"), None => "Team cleared".to_string() }}
                    </span>
                }.into_any(),
                Some(Err(e)) => view! { <span class="text-xs text-red-700" role="alert" id="team-error">{e.to_string()}</span> }.into_any(),
                None => ().into_any(),
            }}
        </ActionForm>
    }
}

/// The trend charts, fetched on their own so the scorecard never waits for
/// a year of history; refetched when a review ends.
#[component]
fn TrendsSection(project_id: i64, reviews: usize) -> impl IntoView {
    let refresh = use_refresh_key();
    let trends = crate::api::codec::resource(
        move || (project_id, reviews, refresh.get()),
        |(id, ..)| get_project_trends(id, None),
    );
    view! {
        <Transition fallback=|| view! { <p class="mt-6 text-sm text-slate-500">"Loading trends…"</p> }>
            {move || trends.get().map(|res| match res {
                Ok(t) => view! { <ProjectTrendCharts trends=t /> }.into_any(),
                Err(e) => view! {
                    <p class="mt-6 rounded-lg bg-red-50 p-4 text-sm text-red-800" role="alert">{format!("Trends are unavailable: {e}")}</p>
                }.into_any(),
            })}
        </Transition>
    }
}
