//! `/projects/{id}/reviews/{review_id}`: exactly one review — the page a
//! commit status on GitHub links to. It says what was reviewed and why (a
//! pull request, a push), what the quality gate decided, what changed against
//! the base (new, fixed and unchanged findings, score delta), then the full
//! scorecard.

use super::project::Scorecard;
use crate::api::{get_review_page, ApiError};
use crate::components::{GradeBadge, SeverityChip};
use crate::model::github::{Comparison, ReviewPageData};
use crate::model::views::{format_utc, FindingView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            p.get("id").and_then(|s| s.parse::<i64>().ok()),
            p.get("review_id").and_then(|s| s.parse::<i64>().ok()),
        )
    };
    let page = crate::api::codec::resource(ids, |ids| async move {
        match ids {
            (Some(project), Some(review)) => get_review_page(project, review).await,
            _ => Err(ApiError::NotFound("That is not a review address.".into())),
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading review…"</p> }>
            {move || page.get().map(|res| match res {
                Ok(p) => view! { <ReviewView page=p /> }.into_any(),
                Err(e) => view! {
                    <Title text="Review · backlens" />
                    <div class="rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200" role="alert">
                        <h1 class="text-xl font-semibold">"Cannot show this review"</h1>
                        <p class="mt-2 text-slate-600">{e.to_string()}</p>
                        <A href="/" attr:class="mt-4 inline-block text-sky-700 underline">"Back to the portfolio"</A>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

fn short(sha: &str) -> String {
    sha[..sha.len().min(10)].to_string()
}

#[component]
fn ReviewView(page: ReviewPageData) -> impl IntoView {
    let r = page.review.clone();
    let project_id = page.project.id;
    let commit = r.commit_sha.clone().unwrap_or_default();
    let commit_link = match (&page.repo_url, &r.commit_sha) {
        (Some(repo), Some(sha)) => Some(format!("{repo}/commit/{sha}")),
        _ => None,
    };
    let pr_link = match (&page.repo_url, page.pull_request) {
        (Some(repo), Some(n)) => Some((format!("{repo}/pull/{n}"), n)),
        _ => None,
    };
    let heading = match page.pull_request {
        Some(n) => format!("Pull request #{n} of {}", page.project.name),
        None => format!("Review of {}", page.project.name),
    };
    let gate = page.gate_result.clone();
    view! {
        <Title text=format!("{heading} · backlens") />
        <nav class="text-sm text-slate-500" aria-label="Breadcrumb">
            <A href="/" attr:class="hover:underline">"Portfolio"</A>
            " / "
            <A href=format!("/projects/{project_id}") attr:class="hover:underline">{page.project.name.clone()}</A>
            " / "
            <span class="text-slate-700">{format!("review #{}", r.id)}</span>
        </nav>
        <section class="mt-3 flex flex-wrap items-start justify-between gap-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="review-header" data-review-id=r.id>
            <div class="flex items-start gap-5">
                <GradeBadge grade=Some(r.grade) large=true />
                <div>
                    <h1 class="text-2xl font-semibold tracking-tight" id="review-heading">{heading}</h1>
                    <dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                        <dt class="text-slate-500">"Commit"</dt>
                        <dd class="font-mono" id="review-commit" title=commit.clone()>
                            {match commit_link {
                                Some(href) => view! { <a href=href rel="external" class="text-sky-700 underline">{short(&commit)}</a> }.into_any(),
                                None => view! { <span>{if commit.is_empty() { "working tree".to_string() } else { short(&commit) }}</span> }.into_any(),
                            }}
                        </dd>
                        <dt class="text-slate-500">"Asked by"</dt>
                        <dd id="review-trigger">
                            {page.trigger.clone()}
                            {pr_link.map(|(href, n)| view! { " · " <a href=href rel="external" class="text-sky-700 underline">{format!("open #{n} on GitHub")}</a> })}
                        </dd>
                        <dt class="text-slate-500">"Reviewed"</dt>
                        <dd>{format!("{} · {} files · {} ms", format_utc(r.finished_at), r.files_scanned, r.duration_ms)}</dd>
                    </dl>
                </div>
            </div>
            <div class="text-right">
                <div class="text-4xl font-semibold tabular-nums" id="overall-score">{r.score}</div>
                <div class="text-xs uppercase tracking-wide text-slate-500">"overall score"</div>
                {page.comparison.as_ref().map(|c| view! { <Delta delta=c.score_delta /> })}
            </div>
        </section>

        <section
            class=if gate.passed { "mt-6 rounded-xl bg-emerald-50 p-5 ring-1 ring-emerald-200" } else { "mt-6 rounded-xl bg-red-50 p-5 ring-1 ring-red-200" }
            id="gate-result" data-passed=gate.passed.to_string()
        >
            <div class="flex flex-wrap items-baseline gap-3">
                <h2 class=if gate.passed { "text-lg font-semibold text-emerald-900" } else { "text-lg font-semibold text-red-900" }>
                    {if gate.passed { "Quality gate passed" } else { "Quality gate failed" }}
                </h2>
                <span class="font-mono text-sm text-slate-700" id="gate-description">{gate.description.clone()}</span>
            </div>
            <p class="mt-1 text-sm text-slate-700">
                {format!(
                    "The gate asks for grade {} or better{}.",
                    page.gate.min_grade.as_str(),
                    if page.gate.fail_on_new_high { " and no new critical or high findings" } else { "" }
                )}
                {(!gate.reasons.is_empty()).then(|| format!(" Failed because: {}.", gate.reasons.join("; ")))}
            </p>
            {page.status.clone().map(|s| view! {
                <p class="mt-1 text-xs text-slate-600" id="posted-status">
                    {format!("Posted to GitHub as “{}”: {}", s.state, s.description)}
                    {s.error.map(|e| view! { <span class="text-red-700">{format!(" — but posting failed: {e}")}</span> })}
                </p>
            })}
        </section>

        {match (page.comparison.clone(), page.base_missing.clone()) {
            (Some(c), _) => view! { <Changes comparison=c /> }.into_any(),
            (None, Some(base)) => view! {
                <section class="mt-6 rounded-xl bg-amber-50 p-5 text-sm text-amber-900 ring-1 ring-amber-200" id="changes">
                    <h2 class="text-lg font-semibold">"No comparison with the base"</h2>
                    <p class="mt-1">{format!("The base commit {} could not be reviewed, so every finding below counts as this commit's own.", short(&base))}</p>
                </section>
            }.into_any(),
            (None, None) => view! {
                <section class="mt-6 rounded-xl bg-white p-5 text-sm text-slate-600 ring-1 ring-slate-200" id="changes">
                    "This is the project's first review: there is nothing to compare it with."
                </section>
            }.into_any(),
        }}

        <Scorecard review=r explanation=page.scoring_explanation.clone() />
    }
}

#[component]
fn Delta(delta: i64) -> impl IntoView {
    let (text, class) = match delta {
        d if d > 0 => (format!("+{d} vs base"), "text-emerald-700"),
        d if d < 0 => (format!("{d} vs base"), "text-red-700"),
        _ => ("±0 vs base".to_string(), "text-slate-500"),
    };
    view! { <div class=format!("mt-1 text-sm font-semibold tabular-nums {class}") id="score-delta">{text}</div> }
}

#[component]
fn Changes(comparison: Comparison) -> impl IntoView {
    let c = comparison;
    let base = c
        .base_commit
        .as_deref()
        .map(short)
        .unwrap_or_else(|| "?".into());
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="changes">
            <h2 class="text-lg font-semibold">{format!("What changed against {}", c.against)}</h2>
            <p class="mt-1 text-sm text-slate-600">
                {format!(
                    "Base commit {base}: grade {} ({}) → this commit: score {} by {}.",
                    c.base_grade.as_str(),
                    c.base_score,
                    if c.score_delta >= 0 { "up" } else { "down" },
                    c.score_delta.abs()
                )}
            </p>
            <div class="mt-4 grid gap-4 md:grid-cols-3">
                <Bucket title="New" id="new-findings" tone="border-red-300 bg-red-50" findings=c.new.clone() empty="No new findings." />
                <Bucket title="Fixed" id="fixed-findings" tone="border-emerald-300 bg-emerald-50" findings=c.fixed.clone() empty="Nothing fixed." />
                <Bucket title="Unchanged" id="unchanged-findings" tone="border-slate-200 bg-slate-50" findings=c.unchanged.clone() empty="None." />
            </div>
        </section>
    }
}

#[component]
fn Bucket(
    title: &'static str,
    id: &'static str,
    tone: &'static str,
    findings: Vec<FindingView>,
    empty: &'static str,
) -> impl IntoView {
    let n = findings.len();
    view! {
        <div class=format!("rounded-lg border-l-4 p-4 {tone}") id=id data-count=n>
            <h3 class="font-semibold">{format!("{title} ({n})")}</h3>
            {if findings.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-600">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-2 text-sm">
                        {findings.into_iter().map(|f| view! {
                            <li class="leading-snug">
                                <div class="flex flex-wrap items-center gap-2">
                                    <SeverityChip severity=f.severity />
                                    <span class="font-mono text-xs font-semibold">{f.check_id.clone()}</span>
                                </div>
                                <div class="font-mono text-xs text-slate-700">{format!("{}:{}", f.path, f.line)}</div>
                                <div class="text-slate-700">{f.message.lines().next().unwrap_or_default().to_string()}</div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
