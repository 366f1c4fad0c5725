//! `/weekly/{iso-week}` (and `/weekly` for the current week): what changed
//! across all projects since the previous week, for the weekly meeting —
//! biggest regressions and improvements, new critical/high findings, stale
//! projects, suppressions expiring soon, per-project category deltas — with
//! Markdown and CSV exports and a layout that prints and reads on a projector.

use crate::api::{get_weekly_page, ApiError};
use crate::components::{pager, GradeBadge, SeverityChip};
use crate::model::views::format_utc;
use crate::model::week::IsoWeek;
use crate::model::weekly::ProjectWeek;
use crate::model::weekly_page::{Section, Shown, WeeklyPageView, WeeklyQuery};
use crate::model::Category;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn WeeklyPage() -> impl IntoView {
    let params = use_params_map();
    // None: `/weekly` (the current week); Some(Err): not an ISO week.
    let week = move || params.read().get("week").map(|w| IsoWeek::parse(&w));
    // `?show=stale&page=2`: a whole section, a page of the per-project table.
    let query_map = use_query_map();
    let query = move || query_map.with(|m| WeeklyQuery::from_params(|k| m.get(k)));
    let report = crate::api::codec::resource(
        move || (week(), query()),
        |(week, query)| async move {
            match week {
                None => get_weekly_page(None, query).await,
                Some(Ok(w)) => get_weekly_page(Some(w), query).await,
                Some(Err(e)) => Err(ApiError::NotFound(e.to_string())),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading the weekly review…"</p> }>
            {move || report.get().map(|res| match res {
                Ok(r) => view! { <WeeklyView report=r /> }.into_any(),
                Err(e) => {
                    let bad_label = matches!(week(), Some(Err(_)));
                    #[cfg(feature = "ssr")]
                    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                        resp.set_status(if bad_label {
                            axum::http::StatusCode::BAD_REQUEST
                        } else {
                            axum::http::StatusCode::NOT_FOUND
                        });
                    }
                    view! {
                        <Title text="Weekly review · backlens" />
                        <div class="mx-auto max-w-xl rounded-xl bg-white p-10 shadow-sm ring-1 ring-slate-200" role="alert">
                            <h1 class="text-2xl font-semibold">
                                {if bad_label { "That is not a week" } else { "No review for that week" }}
                            </h1>
                            <p class="mt-3 text-lg text-slate-700" id="weekly-error">{e.to_string()}</p>
                            <A href="/weekly" attr:class="mt-6 inline-block text-lg text-sky-700 underline">"Go to this week's review"</A>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

fn delta_text(delta: i64) -> String {
    match delta {
        d if d > 0 => format!("+{d}"),
        0 => "±0".to_string(),
        d => format!("\u{2212}{}", -d),
    }
}

fn delta_class(delta: i64) -> &'static str {
    match delta {
        d if d <= -5 => "font-semibold text-red-700",
        d if d < 0 => "text-red-700",
        d if d >= 5 => "font-semibold text-green-700",
        d if d > 0 => "text-green-700",
        _ => "text-slate-500",
    }
}

#[component]
fn Delta(delta: Option<i64>) -> impl IntoView {
    match delta {
        Some(d) => {
            view! { <span class=format!("tabular-nums {}", delta_class(d))>{delta_text(d)}</span> }
                .into_any()
        }
        None => view! { <span class="text-slate-400">"–"</span> }.into_any(),
    }
}

/// "Show all N" / "Show the top 10" under a section.
fn show_toggle<T>(r: &WeeklyPageView, section: Section, shown: &Shown<T>) -> impl IntoView {
    if shown.total <= crate::model::weekly_page::SECTION_TOP {
        return ().into_any();
    }
    let (href, text) = if shown.all {
        (
            WeeklyQuery {
                show: None,
                ..r.query
            }
            .href(r.week),
            format!("Show the top {}", crate::model::weekly_page::SECTION_TOP),
        )
    } else {
        (
            WeeklyQuery {
                show: Some(section),
                ..r.query
            }
            .href(r.week),
            format!("Show all {}", shown.total),
        )
    };
    view! {
        <p class="mt-3 print:hidden">
            <A href=href attr:class="font-medium text-sky-800 underline hover:text-sky-900" attr:data-show=section.as_str()>{text}</A>
        </p>
    }
    .into_any()
}

/// "(10 of 37)" or "(37)".
fn count_label<T>(shown: &Shown<T>, plus: bool) -> String {
    let plus = if plus { "+" } else { "" };
    if shown.all {
        format!("({}{plus})", shown.total)
    } else {
        format!("({} of {}{plus})", shown.items.len(), shown.total)
    }
}

#[component]
fn WeeklyView(report: WeeklyPageView) -> impl IntoView {
    let r = report;
    let week = r.week.to_string();
    let md = format!("/weekly/{week}/export.md");
    let csv = format!("/weekly/{week}/export.csv");
    let previous = format!("/weekly/{}", r.previous_week);
    let next = r.next_week.map(|w| (format!("/weekly/{w}"), w.to_string()));
    let permalink = format!("/weekly/{week}");
    let unchanged = r.unchanged;
    let findings_plus = r.new_severe_truncated;
    let regressions_toggle = show_toggle(&r, Section::Regressions, &r.regressions);
    let improvements_toggle = show_toggle(&r, Section::Improvements, &r.improvements);
    let findings_toggle = show_toggle(&r, Section::Findings, &r.new_severe_findings);
    let stale_toggle = show_toggle(&r, Section::Stale, &r.stale_projects);
    let expiring_toggle = show_toggle(&r, Section::Expiring, &r.expiring_suppressions);
    let (this_week, query) = (r.week, r.query);
    let page_href = move |page: usize| {
        format!(
            "{}#per-project",
            WeeklyQuery { page, ..query }.path(this_week)
        )
    };
    let tile = |label: &'static str, value: String, id: &'static str| {
        view! {
            <div class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
                <div class="text-3xl font-semibold tabular-nums" id=id>{value}</div>
                <div class="mt-1 text-sm font-medium text-slate-600">{label}</div>
            </div>
        }
    };
    view! {
        <Title text=format!("Weekly review {week} · backlens") />
        <div class="weekly-report text-base" data-week=week.clone()>
            <header class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-semibold tracking-tight">"Weekly review"</h1>
                    <p class="mt-1 text-xl text-slate-700">
                        <span class="font-semibold" id="week-label">{week.clone()}</span>
                        " · " {r.date_range.clone()}
                    </p>
                    <p class="mt-1 text-sm text-slate-500">
                        {format!("{} projects · generated {} · permalink ", r.projects, format_utc(r.generated_at))}
                        <a href=permalink.clone() class="underline" id="permalink">{permalink.clone()}</a>
                    </p>
                </div>
                <nav class="flex flex-wrap items-center gap-2 print:hidden" aria-label="Weeks and exports">
                    <A href=previous attr:class="rounded-lg bg-white px-4 py-2 font-medium ring-1 ring-slate-300 hover:bg-slate-50" attr:id="previous-week">
                        {format!("\u{2190} {}", r.previous_week)}
                    </A>
                    {match next {
                        Some((href, label)) => view! {
                            <A href=href attr:class="rounded-lg bg-white px-4 py-2 font-medium ring-1 ring-slate-300 hover:bg-slate-50" attr:id="next-week">
                                {format!("{label} \u{2192}")}
                            </A>
                        }.into_any(),
                        None => view! {
                            <span class="rounded-lg px-4 py-2 text-slate-400 ring-1 ring-slate-200" title="This is the current week">"this week"</span>
                        }.into_any(),
                    }}
                    <a href=md download class="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800" id="export-md">"Markdown"</a>
                    <a href=csv download class="rounded-lg bg-sky-700 px-4 py-2 font-semibold text-white hover:bg-sky-800" id="export-csv">"CSV"</a>
                </nav>
            </header>

            <div class="mt-6 grid grid-cols-2 gap-4 md:grid-cols-5">
                {tile("reviews this week", r.reviews_this_week.to_string(), "tile-reviews")}
                {tile("regressions", r.regressions.total.to_string(), "tile-regressions")}
                {tile("new critical / high", format!("{}{}", r.new_severe_findings.total, if findings_plus { "+" } else { "" }), "tile-new-findings")}
                {tile("not reviewed for 2 weeks", r.stale_projects.total.to_string(), "tile-stale")}
                {tile("suppressions ending soon", r.expiring_suppressions.total.to_string(), "tile-expiring")}
            </div>

            {(r.rescored_projects > 0).then(|| view! {
                <p class="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900 ring-1 ring-amber-300" id="rescored-note">
                    {format!("{} project(s) were scored with a new scoring version this week. Their change comes from the new formula, not from the code, and is left out of regressions and improvements.", r.rescored_projects)}
                </p>
            })}

            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <Movers title="Biggest regressions" id="regressions" count=count_label(&r.regressions, false) list=r.regressions.items.clone() empty="No project got worse this week." toggle=regressions_toggle.into_any() />
                <Movers title="Biggest improvements" id="improvements" count=count_label(&r.improvements, false) list=r.improvements.items.clone() empty="No project improved this week." toggle=improvements_toggle.into_any() />
            </div>

            <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="findings">
                <h2 class="text-xl font-semibold" id="new-findings">
                    {format!("New critical and high findings {}", count_label(&r.new_severe_findings, findings_plus))}
                </h2>
                {if r.new_severe_findings.items.is_empty() {
                    view! { <p class="mt-3 text-slate-600">"None this week."</p> }.into_any()
                } else {
                    view! {
                        <table class="mt-3 w-full text-left">
                            <thead class="border-b border-slate-300 text-sm text-slate-600">
                                <tr><th class="py-2 pr-3">"Severity"</th><th class="pr-3">"Project"</th><th class="pr-3">"Check"</th><th class="pr-3">"Location"</th><th>"Message"</th></tr>
                            </thead>
                            <tbody>
                                {r.new_severe_findings.items.clone().into_iter().map(|f| view! {
                                    <tr class="border-b border-slate-100 align-top">
                                        <td class="py-2 pr-3"><SeverityChip severity=f.severity /></td>
                                        <td class="py-2 pr-3 font-medium"><A href=format!("/projects/{}", f.project_id) attr:class="text-sky-800 hover:underline">{f.project.clone()}</A></td>
                                        <td class="py-2 pr-3 font-mono text-sm">{f.check_id.clone()}</td>
                                        <td class="py-2 pr-3 font-mono text-sm break-all">{format!("{}:{}", f.path, f.line)}</td>
                                        <td class="py-2 text-sm text-slate-700">{f.message.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(findings_plus && r.new_severe_findings.all).then(|| view! {
                            <p class="mt-2 text-sm text-slate-600">"More than these: the Markdown and CSV exports list them all."</p>
                        })}
                    }.into_any()
                }}
                {findings_toggle}
            </section>

            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <section class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="stale">
                    <h2 class="text-xl font-semibold">{format!("Not reviewed for two weeks {}", count_label(&r.stale_projects, false))}</h2>
                    {if r.stale_projects.items.is_empty() {
                        view! { <p class="mt-3 text-slate-600">"Every project was reviewed in the last two weeks."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-3 divide-y divide-slate-100">
                                {r.stale_projects.items.clone().into_iter().map(|p| { let row_name = p.name.clone(); view! {
                                    <li class="flex justify-between gap-4 py-2" data-project=row_name>
                                        <A href=format!("/projects/{}", p.project_id) attr:class="font-medium text-sky-800 hover:underline">{p.name.clone()}</A>
                                        <span class="text-slate-600">{p.last_review_at.map_or("never reviewed".to_string(), |t| format!("last {}", &format_utc(t)[..10]))}</span>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {stale_toggle}
                </section>
                <section class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="expiring">
                    <h2 class="text-xl font-semibold">{format!("Suppressions expiring soon {}", count_label(&r.expiring_suppressions, false))}</h2>
                    {if r.expiring_suppressions.items.is_empty() {
                        view! { <p class="mt-3 text-slate-600">"None in the next two weeks."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-3 divide-y divide-slate-100">
                                {r.expiring_suppressions.items.clone().into_iter().map(|s| view! {
                                    <li class="py-2">
                                        <div class="flex justify-between gap-4">
                                            <span class="font-medium">{s.project.clone()} " · " <span class="font-mono text-sm">{s.check_id.clone()}</span></span>
                                            <span class="font-semibold tabular-nums text-amber-800">{format!("until {}", s.until)}</span>
                                        </div>
                                        <div class="font-mono text-sm text-slate-600 break-all">{format!("{}:{}", s.path, s.line)}</div>
                                        <div class="text-sm text-slate-700">{s.reason.clone()}</div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {expiring_toggle}
                </section>
            </div>

            <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="per-project">
                <h2 class="text-xl font-semibold">{format!("Changes per project and category ({})", r.changed_paging.total)}</h2>
                {if r.changed.is_empty() {
                    view! { <p class="mt-3 text-slate-600">"No score changed this week."</p> }.into_any()
                } else {
                    view! {
                        <div class="overflow-x-auto">
                            <table class="mt-3 w-full text-left">
                                <thead class="border-b border-slate-300 text-sm text-slate-600">
                                    <tr>
                                        <th class="py-2 pr-3">"Project"</th><th class="pr-3">"Grade"</th><th class="pr-3 text-right">"Score"</th><th class="pr-3 text-right">"Change"</th>
                                        {Category::ALL.iter().map(|c| view! { <th class="px-2 text-right" title=c.title()>{c.id()}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {r.changed.clone().into_iter().map(|p| {
                                        let cats = Category::ALL.iter().map(|c| {
                                            let d = p.categories.iter().find(|x| x.category == *c).and_then(|x| x.delta);
                                            view! { <td class="px-2 py-2 text-right"><Delta delta=d /></td> }
                                        }).collect_view();
                                        let row_name = p.name.clone();
                                        view! {
                                            <tr class="border-b border-slate-100" data-project=row_name>
                                                <td class="py-2 pr-3 font-medium"><A href=format!("/projects/{}", p.project_id) attr:class="text-sky-800 hover:underline">{p.name.clone()}</A></td>
                                                <td class="py-2 pr-3"><GradeBadge grade=p.grade /></td>
                                                <td class="py-2 pr-3 text-right tabular-nums">{p.score.map_or("–".to_string(), |s| s.to_string())}</td>
                                                <td class="py-2 pr-3 text-right">
                                                    <Delta delta=p.delta />
                                                    {p.scoring_changed.then(|| view! { <span class="ml-1 text-xs text-amber-800" title="scored with a new scoring version">"new scoring"</span> })}
                                                </td>
                                                {cats}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {pager(r.changed_paging, "projects", "weekly-pager", page_href)}
                        {(unchanged > 0).then(|| view! { <p class="mt-2 text-sm text-slate-600">{format!("{unchanged} other project(s) unchanged.")}</p> })}
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn Movers(
    title: &'static str,
    id: &'static str,
    count: String,
    list: Vec<ProjectWeek>,
    empty: &'static str,
    toggle: AnyView,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id=id>
            <h2 class="text-xl font-semibold">{format!("{title} {count}")}</h2>
            {if list.is_empty() {
                view! { <p class="mt-3 text-slate-600">{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="mt-3 w-full text-left">
                        <thead class="border-b border-slate-300 text-sm text-slate-600">
                            <tr><th class="py-2 pr-3">"Project"</th><th class="pr-3">"Grade"</th><th class="pr-3 text-right">"Score"</th><th class="text-right">"Change"</th></tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|p| { let row_name = p.name.clone(); view! {
                                <tr class="border-b border-slate-100" data-project=row_name>
                                    <td class="py-2 pr-3 font-medium"><A href=format!("/projects/{}", p.project_id) attr:class="text-sky-800 hover:underline">{p.name.clone()}</A></td>
                                    <td class="py-2 pr-3"><GradeBadge grade=p.grade /></td>
                                    <td class="py-2 pr-3 text-right tabular-nums text-slate-600">
                                        {format!("{} \u{2192} {}", p.score_before.map_or("–".into(), |s| s.to_string()), p.score.map_or("–".into(), |s| s.to_string()))}
                                    </td>
                                    <td class="py-2 text-right text-lg"><Delta delta=p.delta /></td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {toggle}
        </section>
    }
}
