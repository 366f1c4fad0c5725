//! `/`: every project with its grade, score, last review and live job state,
//! and the form that adds a project.

use crate::api::{get_portfolio, get_portfolio_filters, AddProject};
use crate::components::charts::Sparkline;
use crate::components::PortfolioTrendCharts;
use crate::components::{pager, use_live_jobs, use_poll, use_refresh_key, GradeBadge, JobStatus};
use crate::model::portfolio_query::{PortfolioQuery, SortKey};
use crate::model::trends::PortfolioTrends;
use crate::model::views::{time_ago, AddProjectOutcome, CategoryView, Portfolio, ProjectRow};
use crate::model::week::IsoWeek;
use crate::model::Grade;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let add = ServerAction::<AddProject>::new();
    let active = RwSignal::new(false);
    // The live feed says when jobs start and end; polling is the fallback
    // while it is not connected.
    let live = use_live_jobs();
    let refresh = use_refresh_key();
    let tick = use_poll(move || active.get_untracked() && !live.connected.get_untracked());
    // The server filters, sorts and pages: only the rows shown come over.
    let query = use_portfolio_query();
    let portfolio = crate::api::codec::resource(
        move || (query.get(), tick.get(), refresh.get(), add.version().get()),
        |(q, ..)| get_portfolio(q),
    );
    // The filters' choices, apart: typing in the search does not rebuild them.
    let filters = crate::api::codec::resource(
        move || (refresh.get(), add.version().get()),
        |_| get_portfolio_filters(),
    );
    Effect::new(move |_| {
        if let Some(Ok(p)) = portfolio.get() {
            active.set(p.running > 0);
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
                Ok(p) => view! { <Summary portfolio=p /> }.into_any(),
                Err(e) => view! { <p class="mt-6 rounded-lg bg-red-50 p-4 text-red-800" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || filters.get().and_then(Result::ok).map(|f| view! {
                <Filters query languages=f.languages teams=f.teams />
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || portfolio.get().and_then(Result::ok).map(|p| {
                let weeks = p.weeks.clone();
                view! {
                    <ProjectTable portfolio=p query />
                    <PortfolioTrendCharts weeks />
                }
            })}
        </Transition>
        <AddProjectForm add />
    }
}

#[component]
fn Summary(portfolio: Portfolio) -> impl IntoView {
    let summary = portfolio.trends.summary.clone();
    let reviewed = summary.projects - summary.not_reviewed;
    let running = portfolio.running;
    let week = summary.week;
    view! {
        <section class="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-5" aria-label="Summary">
            <Stat label="Projects" value=summary.projects.to_string()
                detail=format!("{reviewed} reviewed · {} not for 2 weeks", summary.stale_projects) />
            <Stat label="Critical + high open" value=(summary.open_critical + summary.open_high).to_string()
                detail=format!("{} critical, {} high", summary.open_critical, summary.open_high) />
            <Stat label="Reviews this week" value=summary.reviews_this_week.to_string()
                detail=format!("{week} · {}", week.date_range_label()) />
            <Stat label="Running now" value=running.to_string() detail="reviews queued or running".to_string() />
            <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <div class="text-xs font-medium uppercase tracking-wide text-slate-500">"Projects by grade"</div>
                <div class="mt-2 flex gap-2" id="grade-distribution">
                    {summary.by_grade.into_iter().map(|g| view! {
                        <span class="flex flex-col items-center gap-1" data-grade-count=g.grade.as_str()>
                            <GradeBadge grade=Some(g.grade) />
                            <span class="text-sm font-semibold tabular-nums text-slate-700">{g.projects}</span>
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

/// The portfolio's search, filters and order, read from the URL.
fn use_portfolio_query() -> Memo<PortfolioQuery> {
    let params = use_query_map();
    Memo::new(move |_| params.with(|m| PortfolioQuery::from_params(|k| m.get(k))))
}

/// Replaces the URL's query (no new history entry, no scroll).
fn navigate_to_query() -> impl Fn(PortfolioQuery) + Clone + 'static {
    let navigate = use_navigate();
    move |q: PortfolioQuery| {
        navigate(
            &format!("/{}", q.to_query_string()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    }
}

#[component]
fn ProjectTable(portfolio: Portfolio, query: Memo<PortfolioQuery>) -> impl IntoView {
    if portfolio.trends.summary.projects == 0 {
        return view! {
            <div class="mt-6 rounded-xl border-2 border-dashed border-slate-300 bg-white p-10 text-center">
                <h2 class="text-lg font-semibold">"No projects yet"</h2>
                <p class="mt-1 text-slate-600">"Add a local git repository below; backlens reviews it right away."</p>
            </div>
        }
        .into_any();
    }
    let now = portfolio.now;
    let total = portfolio.trends.summary.projects;
    let paging = portfolio.paging;
    let trends = portfolio.trends;
    let rows = portfolio.projects;
    let asked = query.get_untracked();
    let page_href = move |page: usize| format!("/{}", asked.with_page(page).to_query_string());
    let empty = rows.is_empty();
    let matching = paging.total;
    view! {
        <div class="mt-3 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full divide-y divide-slate-200" id="projects">
                <thead class="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                    <tr>
                        <SortHeader label="Grade" key=SortKey::Grade query />
                        <SortHeader label="Project" key=SortKey::Name query />
                        <SortHeader label="Score" key=SortKey::Score query right=true />
                        <th class="whitespace-nowrap px-4 py-3" scope="col">"12 weeks"</th>
                        <th class="px-4 py-3" scope="col">"Categories"</th>
                        <SortHeader label="Open findings" key=SortKey::Findings query />
                        <SortHeader label="Last review" key=SortKey::LastReview query />
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|p| {
                        let spark = spark_values(&trends, p.id);
                        view! { <ProjectRowView spark row=p now /> }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! {
                <p class="px-4 py-8 text-center text-slate-500" id="no-matches">
                    "No project matches these filters. "
                    <A href="/" attr:class="font-medium text-sky-800 hover:underline">"Show all projects"</A>
                </p>
            })}
        </div>
        {paging.clamped.then(|| view! {
            <p class="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" id="page-clamped">
                {format!("There is no page {} of this list; this is its last page.", asked_page(query))}
            </p>
        })}
        {pager(paging, "projects", "portfolio-pager", page_href)}
        <p class="mt-1 text-sm text-slate-500" id="showing">
            {format!("Showing {} of {total} projects", matching)}
        </p>
    }
    .into_any()
}

fn asked_page(query: Memo<PortfolioQuery>) -> usize {
    query.get_untracked().page
}

/// Search box and grade / language / team filters. Without JavaScript they
/// are a plain GET form; hydrated, every change applies at once.
#[component]
fn Filters(
    query: Memo<PortfolioQuery>,
    languages: Vec<String>,
    teams: Vec<String>,
) -> impl IntoView {
    let go = navigate_to_query();
    let initial = query.get_untracked();
    let on_search = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            go(PortfolioQuery {
                q: event_target_value(&ev),
                page: 1,
                ..query.get_untracked()
            })
        }
    };
    let on_grade = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            go(PortfolioQuery {
                grade: Grade::parse(&event_target_value(&ev)),
                page: 1,
                ..query.get_untracked()
            })
        }
    };
    let on_language = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(PortfolioQuery {
                language: (!v.is_empty()).then_some(v),
                page: 1,
                ..query.get_untracked()
            })
        }
    };
    let on_team = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(PortfolioQuery {
                team: (!v.is_empty()).then_some(v),
                page: 1,
                ..query.get_untracked()
            })
        }
    };
    let select = "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";
    let selected_grade = initial
        .grade
        .map(|g| g.as_str().to_string())
        .unwrap_or_default();
    let selected_language = initial.language.clone().unwrap_or_default();
    let selected_team = initial.team.clone().unwrap_or_default();
    view! {
        <form method="get" action="/" class="mt-8 flex flex-wrap items-end gap-3 print:hidden" id="portfolio-filters"
            on:submit=|ev| ev.prevent_default()>
            // Without JavaScript the form keeps the order (and starts at page 1).
            {(initial.sort != SortKey::default()).then(|| view! { <input type="hidden" name="sort" value=initial.sort.as_str() /> })}
            {(initial.desc != initial.sort.default_desc()).then(|| view! { <input type="hidden" name="dir" value=if initial.desc { "desc" } else { "asc" } /> })}
            <div class="flex min-w-64 flex-1 flex-col gap-1">
                <label for="filter-q" class="text-xs font-medium uppercase tracking-wide text-slate-500">"Search"</label>
                <input id="filter-q" name="q" type="search" value=initial.q.clone() on:input=on_search
                    placeholder="Name or path" autocomplete="off"
                    class="rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-inner focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200" />
            </div>
            <div class="flex flex-col gap-1">
                <label for="filter-grade" class="text-xs font-medium uppercase tracking-wide text-slate-500">"Grade"</label>
                <select id="filter-grade" name="grade" class=select on:change=on_grade
                    prop:value=move || query.get().grade.map(|g| g.as_str().to_string()).unwrap_or_default()>
                    <option value="" selected=selected_grade.is_empty()>"All grades"</option>
                    {["A", "B", "C", "D", "F"].into_iter().map(|g| view! {
                        <option value=g selected=selected_grade == g>{format!("Grade {g}")}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="flex flex-col gap-1">
                <label for="filter-language" class="text-xs font-medium uppercase tracking-wide text-slate-500">"Language"</label>
                <select id="filter-language" name="language" class=select on:change=on_language
                    prop:value=move || query.get().language.unwrap_or_default()>
                    <option value="" selected=selected_language.is_empty()>"All languages"</option>
                    {languages.into_iter().map(|l| {
                        let selected = l == selected_language;
                        view! { <option value=l.clone() selected=selected>{l.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="flex flex-col gap-1">
                <label for="filter-team" class="text-xs font-medium uppercase tracking-wide text-slate-500">"Team"</label>
                <select id="filter-team" name="team" class=select on:change=on_team
                    prop:value=move || query.get().team.unwrap_or_default()>
                    <option value="" selected=selected_team.is_empty()>"All teams"</option>
                    {teams.into_iter().map(|t| {
                        let selected = t == selected_team;
                        view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <noscript>
                <button type="submit" class="rounded-lg bg-slate-800 px-4 py-2 text-sm font-semibold text-white">"Apply"</button>
            </noscript>
            {move || query.get().is_filtered().then(|| view! {
                <A href="/" attr:class="py-2 text-sm font-medium text-sky-800 hover:underline" attr:id="clear-filters">"Clear filters"</A>
            })}
        </form>
    }
}

/// A column header that sorts by `key`; a second click flips the order.
#[component]
fn SortHeader(
    label: &'static str,
    key: SortKey,
    query: Memo<PortfolioQuery>,
    #[prop(optional)] right: bool,
) -> impl IntoView {
    let href = move || format!("/{}", query.get().sorted_by(key).to_query_string());
    let state = move || {
        let q = query.get();
        if q.sort != key {
            "none"
        } else if q.desc {
            "descending"
        } else {
            "ascending"
        }
    };
    let arrow = move || match state() {
        "ascending" => "▲",
        "descending" => "▼",
        _ => "",
    };
    view! {
        <th class=if right { "whitespace-nowrap px-4 py-3 text-right" } else { "whitespace-nowrap px-4 py-3" } scope="col" aria-sort=state>
            <A href=href attr:class="inline-flex items-center gap-1 hover:text-slate-900" attr:data-sort=key.as_str()>
                {label}
                <span class="text-[10px]" aria-hidden="true">{arrow}</span>
            </A>
        </th>
    }
}

#[component]
fn ProjectRowView(row: ProjectRow, spark: Vec<Option<i64>>, now: i64) -> impl IntoView {
    let href = format!("/projects/{}", row.id);
    let name = row.name.clone();
    let last = row
        .last_review_at
        .map(|t| format!("Reviewed {}", time_ago(now, t)))
        .unwrap_or_else(|| "Not reviewed yet".into());
    let languages = row.languages.join(", ");
    let spark_label = format!("{} score, last 12 weeks", row.name);
    view! {
        <tr class="hover:bg-slate-50" data-project=name>
            <td class="px-4 py-3"><GradeBadge grade=row.grade /></td>
            <td class="px-4 py-3">
                <div class="flex items-center gap-2">
                    <A href=href attr:class="font-medium text-sky-800 hover:underline">{row.name.clone()}</A>
                    {row.team.clone().map(|t| view! {
                        <span class="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800 ring-1 ring-indigo-200" data-team=t.clone()>{t.clone()}</span>
                    })}
                </div>
                <div class="max-w-xs truncate font-mono text-xs text-slate-500" title=row.source.clone()>{row.source.clone()}</div>
                {(!languages.is_empty()).then(|| view! { <div class="text-xs text-slate-500">{languages}</div> })}
            </td>
            <td class="px-4 py-3 text-right text-lg font-semibold tabular-nums">
                {row.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}
            </td>
            <td class="px-4 py-3"><Sparkline values=spark label=spark_label /></td>
            <td class="px-4 py-3"><CategoryCells categories=row.categories.clone() /></td>
            <td class="px-4 py-3 text-sm">
                {if row.grade.is_none() {
                    view! { <span class="text-slate-400">"–"</span> }.into_any()
                } else if row.open_critical + row.open_high == 0 {
                    view! { <span class="text-slate-500">"no critical or high"</span> }.into_any()
                } else {
                    view! {
                        <span class="flex gap-2">
                            <span class=count_chip(row.open_critical, "bg-red-700")>{format!("{} critical", row.open_critical)}</span>
                            <span class=count_chip(row.open_high, "bg-orange-500")>{format!("{} high", row.open_high)}</span>
                        </span>
                    }.into_any()
                }}
            </td>
            // The latest job says it all (queued, running with progress,
            // reviewed when, failed); without one, when the last review was.
            <td class="px-4 py-3">
                {match row.job {
                    Some(job) => view! { <JobStatus job=Some(job) now /> }.into_any(),
                    None => view! { <span class="text-sm text-slate-600">{last}</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// A project's score per week of the sparkline window (the last review of
/// each week; `None` for weeks without one), oldest first.
fn spark_values(trends: &PortfolioTrends, project_id: i64) -> Vec<Option<i64>> {
    let last = IsoWeek::of_unix(trends.now);
    let first = last.index() - (trends.weeks - 1);
    let mut values = vec![None; trends.weeks.max(0) as usize];
    if let Some(line) = trends.sparkline(project_id) {
        for p in &line.points {
            let slot = p.week.index() - first;
            if (0..trends.weeks).contains(&slot) {
                values[slot as usize] = Some(p.score);
            }
        }
    }
    values
}

/// Classes of a finding-count chip: colored when there is something to see.
fn count_chip(count: i64, color: &str) -> String {
    if count > 0 {
        format!("whitespace-nowrap rounded {color} px-1.5 py-0.5 text-xs font-semibold text-white")
    } else {
        "whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-500"
            .into()
    }
}

/// Six small colored cells: the category scores of the latest review.
#[component]
fn CategoryCells(categories: Vec<CategoryView>) -> impl IntoView {
    if categories.is_empty() {
        return view! { <span class="text-slate-400">"–"</span> }.into_any();
    }
    view! {
        <div class="flex gap-1" role="list" aria-label="Category scores">
            {categories.into_iter().map(|c| {
                let (label, classes) = match c.score {
                    Some(s) => (s.to_string(), match s {
                        90.. => "bg-emerald-100 text-emerald-900 ring-emerald-300",
                        70..=89 => "bg-lime-100 text-lime-900 ring-lime-300",
                        50..=69 => "bg-amber-100 text-amber-900 ring-amber-300",
                        _ => "bg-red-100 text-red-900 ring-red-300",
                    }),
                    None => ("–".to_string(), "bg-slate-50 text-slate-400 ring-slate-200"),
                };
                let title = format!("{}: {}", c.category.title(), c.score.map(|s| s.to_string()).unwrap_or_else(|| "not applicable".into()));
                view! {
                    <span role="listitem" title=title data-category=c.category.id()
                        class=format!("flex w-10 flex-col items-center rounded py-0.5 ring-1 {classes}")>
                        <span class="text-[10px] font-medium leading-tight opacity-80">{c.category.id()}</span>
                        <span class="text-xs font-semibold tabular-nums leading-tight">{label}</span>
                    </span>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
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
