//! `/`: every project with its grade, score, last review and live job state,
//! and the form that adds a project.

use crate::api::{get_portfolio, AddProject};
use crate::components::{use_poll, GradeBadge, JobStatus};
use crate::model::views::{time_ago, AddProjectOutcome, Portfolio, ProjectRow};
use crate::model::Grade;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let add = ServerAction::<AddProject>::new();
    let active = RwSignal::new(false);
    let tick = use_poll(move || active.get_untracked());
    let portfolio = Resource::new(
        move || (tick.get(), add.version().get()),
        |_| get_portfolio(),
    );
    Effect::new(move |_| {
        if let Some(Ok(p)) = portfolio.get() {
            active.set(
                p.projects
                    .iter()
                    .any(|r| r.job.as_ref().is_some_and(|j| j.state.is_active())),
            );
        }
    });

    view! {
        <Title text="Portfolio · backlens" />
        <div class="flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Portfolio"</h1>
                <p class="mt-1 text-sm text-slate-600">
                    "Every backend project, graded against the backend review checklist."
                </p>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="mt-6 text-slate-500">"Loading projects…"</p> }>
            {move || portfolio.get().map(|res| match res {
                Ok(p) => view! { <Summary portfolio=p.clone() /> <ProjectTable portfolio=p /> }.into_any(),
                Err(e) => view! { <p class="mt-6 rounded-lg bg-red-50 p-4 text-red-800" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
        <AddProjectForm add />
    }
}

#[component]
fn Summary(portfolio: Portfolio) -> impl IntoView {
    let reviewed = portfolio
        .projects
        .iter()
        .filter(|p| p.grade.is_some())
        .count();
    let critical: i64 = portfolio.projects.iter().map(|p| p.open_critical).sum();
    let high: i64 = portfolio.projects.iter().map(|p| p.open_high).sum();
    let running = portfolio
        .projects
        .iter()
        .filter(|p| p.job.as_ref().is_some_and(|j| j.state.is_active()))
        .count();
    let grades: Vec<(Grade, usize)> = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::F]
        .into_iter()
        .map(|g| {
            (
                g,
                portfolio
                    .projects
                    .iter()
                    .filter(|p| p.grade == Some(g))
                    .count(),
            )
        })
        .collect();
    view! {
        <section class="mt-6 grid grid-cols-2 gap-4 md:grid-cols-4" aria-label="Summary">
            <Stat label="Projects" value=portfolio.projects.len().to_string() detail=format!("{reviewed} reviewed") />
            <Stat label="Critical findings" value=critical.to_string() detail=format!("{high} high") />
            <Stat label="Reviews running" value=running.to_string() detail="queued or running".to_string() />
            <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <div class="text-xs font-medium uppercase tracking-wide text-slate-500">"Grades"</div>
                <div class="mt-2 flex gap-2">
                    {grades.into_iter().map(|(g, n)| view! {
                        <span class="flex flex-col items-center gap-1">
                            <GradeBadge grade=Some(g) />
                            <span class="text-xs tabular-nums text-slate-600">{n}</span>
                        </span>
                    }).collect_view()}
                </div>
            </div>
        </section>
    }
}

#[component]
fn Stat(label: &'static str, value: String, detail: String) -> impl IntoView {
    view! {
        <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <div class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
            <div class="mt-1 text-3xl font-semibold tabular-nums">{value}</div>
            <div class="text-sm text-slate-500">{detail}</div>
        </div>
    }
}

#[component]
fn ProjectTable(portfolio: Portfolio) -> impl IntoView {
    if portfolio.projects.is_empty() {
        return view! {
            <div class="mt-6 rounded-xl border-2 border-dashed border-slate-300 bg-white p-10 text-center">
                <h2 class="text-lg font-semibold">"No projects yet"</h2>
                <p class="mt-1 text-slate-600">"Add a local git repository below; backlens reviews it right away."</p>
            </div>
        }
        .into_any();
    }
    let now = portfolio.now;
    view! {
        <div class="mt-6 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full divide-y divide-slate-200" id="projects">
                <thead class="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                    <tr>
                        <th class="px-4 py-3">"Grade"</th>
                        <th class="px-4 py-3">"Project"</th>
                        <th class="px-4 py-3 text-right">"Score"</th>
                        <th class="px-4 py-3">"Open findings"</th>
                        <th class="px-4 py-3">"Last review"</th>
                        <th class="px-4 py-3">"Job"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {portfolio.projects.into_iter().map(|p| view! { <ProjectRowView row=p now /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ProjectRowView(row: ProjectRow, now: i64) -> impl IntoView {
    let href = format!("/projects/{}", row.id);
    let name = row.name.clone();
    let last = row
        .last_review_at
        .map(|t| time_ago(now, t))
        .unwrap_or_else(|| "never".into());
    view! {
        <tr class="hover:bg-slate-50" data-project=name>
            <td class="px-4 py-3"><GradeBadge grade=row.grade /></td>
            <td class="px-4 py-3">
                <A href=href attr:class="font-medium text-sky-800 hover:underline">{row.name.clone()}</A>
                <div class="max-w-md truncate font-mono text-xs text-slate-500" title=row.source.clone()>{row.source.clone()}</div>
            </td>
            <td class="px-4 py-3 text-right text-lg font-semibold tabular-nums">
                {row.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}
            </td>
            <td class="px-4 py-3 text-sm">
                {if row.grade.is_none() {
                    view! { <span class="text-slate-400">"–"</span> }.into_any()
                } else if row.open_critical + row.open_high == 0 {
                    view! { <span class="text-slate-500">"no critical or high"</span> }.into_any()
                } else {
                    view! {
                        <span class="flex gap-2">
                            <span class="rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{format!("{} critical", row.open_critical)}</span>
                            <span class="rounded bg-orange-500 px-1.5 py-0.5 text-xs font-semibold text-white">{format!("{} high", row.open_high)}</span>
                        </span>
                    }.into_any()
                }}
            </td>
            <td class="px-4 py-3 text-sm text-slate-600">{last}</td>
            <td class="px-4 py-3"><JobStatus job=row.job now /></td>
        </tr>
    }
}

#[component]
fn AddProjectForm(add: ServerAction<AddProject>) -> impl IntoView {
    let value = add.value();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    // Clear the field once a project was added.
    Effect::new(move |_| {
        if let Some(Ok(AddProjectOutcome::Added { .. })) = value.get() {
            if let Some(el) = input.get() {
                el.set_value("");
            }
        }
    });
    view! {
        <section class="mt-8 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 print:hidden">
            <h2 class="text-lg font-semibold">"Add a project"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "The absolute path of a git repository on this server, or a GitHub repository (owner/repo or its URL). backlens reviews its latest commit."
            </p>
            <ActionForm action=add attr:class="mt-4 flex flex-wrap gap-3" attr:id="add-project">
                <label class="sr-only" for="project-path">"Repository path or GitHub repository"</label>
                <input
                    node_ref=input
                    id="project-path"
                    name="path"
                    type="text"
                    required
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="/srv/repos/orders-api  or  octo-org/orders-api"
                    class="min-w-80 flex-1 rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm shadow-inner focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
                />
                <button
                    type="submit"
                    class="rounded-lg bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-sky-800 disabled:opacity-50"
                    disabled=move || add.pending().get()
                >
                    {move || if add.pending().get() { "Adding…" } else { "Add project" }}
                </button>
            </ActionForm>
            {move || match value.get() {
                Some(Ok(AddProjectOutcome::Rejected { message })) => view! {
                    <p class="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" role="alert" id="add-project-error">{message}</p>
                }.into_any(),
                Some(Ok(AddProjectOutcome::Added { name, .. })) => view! {
                    <p class="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200" role="status">
                        {format!("Added {name}. Its first review is queued.")}
                    </p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <p class="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800" role="alert">{e.to_string()}</p>
                }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
