//! The route map of a review: the frameworks detected and, for every HTTP
//! route, whether it is authenticated, validates its input and is rate
//! limited, with the deciding guard, schema or limiter on hover.

use crate::api::get_route_map;
use crate::model::{AspectStatus, RouteAspect, RouteInfo, RouteMap};
use leptos::prelude::*;

/// Loads and shows the route map stored with review `review_id`.
#[component]
pub fn RouteMapSection(review_id: i64) -> impl IntoView {
    let map = crate::api::codec::resource(move || review_id, get_route_map);
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="route-map" aria-labelledby="route-map-title">
            <h2 id="route-map-title" class="text-xl font-semibold">"Route map"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "Every HTTP route backlens found, with the full path its routers give it. Hover a mark to see the guard, schema or limiter that decided it."
            </p>
            <Transition fallback=|| view! { <p class="mt-3 text-slate-500">"Loading routes…"</p> }>
                {move || map.get().map(|res| match res {
                    Ok(m) => view! { <RouteMapView map=m /> }.into_any(),
                    Err(e) => view! {
                        <p class="mt-3 text-red-700" role="alert">{format!("Cannot load the route map: {e}")}</p>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RouteMapView(map: RouteMap) -> impl IntoView {
    let total = map.routes.len();
    let count = |pick: fn(&RouteInfo) -> AspectStatus| {
        map.routes
            .iter()
            .filter(|r| pick(r) == AspectStatus::Yes)
            .count()
    };
    let authed = count(|r| r.auth.status);
    let validated = count(|r| r.validation.status);
    let limited = count(|r| r.rate_limit.status);
    view! {
        <div class="mt-4 flex flex-wrap items-center gap-2" data-testid="frameworks">
            <span class="text-sm font-medium text-slate-700">"Frameworks:"</span>
            {if map.frameworks.is_empty() {
                view! { <span class="text-sm text-slate-500">"none detected (declare one with framework = [...] in .backlens.toml)"</span> }.into_any()
            } else {
                map.frameworks.iter().map(|f| {
                    let title = match f.line {
                        Some(l) => format!("{} ({}:{l})", f.source, f.path),
                        None => format!("{} ({})", f.source, f.path),
                    };
                    view! {
                        <span class="rounded-full bg-indigo-50 px-3 py-1 text-sm font-semibold text-indigo-800 ring-1 ring-indigo-200" title=title>
                            {f.name.clone()}
                            <span class="ml-1 font-normal text-indigo-600">{format!("· {}", f.language)}</span>
                        </span>
                    }
                }).collect_view().into_any()
            }}
        </div>
        {if total == 0 {
            view! {
                <p class="mt-4 text-slate-600" data-testid="no-routes">"No HTTP routes were found in this review."</p>
            }.into_any()
        } else {
            view! {
                <p class="mt-3 text-sm text-slate-700" data-testid="route-summary">
                    {format!("{total} route{}: {authed} authenticated, {validated} validating their input, {limited} rate limited.", if total == 1 { "" } else { "s" })}
                </p>
                <div class="mt-3 overflow-x-auto">
                    <table class="min-w-full text-left text-base" data-testid="route-table">
                        <thead class="border-b-2 border-slate-200 text-sm uppercase tracking-wide text-slate-500">
                            <tr>
                                <th scope="col" class="py-2 pr-4">"Method"</th>
                                <th scope="col" class="py-2 pr-4">"Path"</th>
                                <th scope="col" class="py-2 pr-4">"Handler"</th>
                                <th scope="col" class="py-2 pr-4 text-center">"Auth"</th>
                                <th scope="col" class="py-2 pr-4 text-center">"Validation"</th>
                                <th scope="col" class="py-2 text-center">"Rate limit"</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {map.routes.into_iter().map(|r| view! { <RouteRow route=r /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="mt-3 text-sm text-slate-500">
                    <span class="font-semibold text-emerald-700">"✓"</span>" yes · "
                    <span class="font-semibold text-red-700">"✗"</span>" no · "
                    <span class="font-semibold text-amber-700">"?"</span>" cannot tell · "
                    <span class="font-semibold text-slate-400">"–"</span>" not needed (no input read)"
                </p>
            }.into_any()
        }}
    }
}

fn method_classes(method: &str) -> &'static str {
    match method {
        "GET" | "HEAD" => "bg-sky-100 text-sky-800",
        "POST" => "bg-emerald-100 text-emerald-800",
        "PUT" | "PATCH" => "bg-amber-100 text-amber-900",
        "DELETE" => "bg-red-100 text-red-800",
        _ => "bg-slate-100 text-slate-700",
    }
}

#[component]
fn RouteRow(route: RouteInfo) -> impl IntoView {
    let middleware = if route.middleware.is_empty() {
        "No middleware".to_string()
    } else {
        format!("Middleware: {}", route.middleware.join(" → "))
    };
    view! {
        <tr class="align-top" data-testid="route-row" data-method=route.method.clone() data-path=route.path.clone()>
            <td class="py-2 pr-4">
                <span class=format!("inline-block rounded px-2 py-0.5 font-mono text-sm font-bold {}", method_classes(&route.method))>
                    {route.method.clone()}
                </span>
            </td>
            <td class="py-2 pr-4 font-mono text-sm font-semibold text-slate-900 break-all">{route.path.clone()}</td>
            <td class="py-2 pr-4 text-sm" title=middleware>
                <div class="font-mono text-slate-800">{route.handler.clone()}</div>
                <div class="font-mono text-xs text-slate-500">{format!("{}:{} · {}", route.file, route.line, route.framework)}</div>
            </td>
            <td class="py-2 pr-4 text-center"><AspectMark aspect=route.auth what="authenticated" /></td>
            <td class="py-2 pr-4 text-center"><AspectMark aspect=route.validation what="input validated" /></td>
            <td class="py-2 text-center"><AspectMark aspect=route.rate_limit what="rate limited" /></td>
        </tr>
    }
}

/// ✓ ✗ ? or – in a colored circle; the title says what decided it.
#[component]
fn AspectMark(aspect: RouteAspect, what: &'static str) -> impl IntoView {
    let (mark, classes, word) = match aspect.status {
        AspectStatus::Yes => (
            "✓",
            "bg-emerald-100 text-emerald-800 ring-emerald-300",
            "yes",
        ),
        AspectStatus::No => ("✗", "bg-red-100 text-red-800 ring-red-300", "no"),
        AspectStatus::Unknown => (
            "?",
            "bg-amber-100 text-amber-900 ring-amber-300",
            "cannot tell",
        ),
        AspectStatus::NotApplicable => (
            "–",
            "bg-slate-50 text-slate-400 ring-slate-200",
            "not needed",
        ),
    };
    let title = format!("{what}: {word} — {}", aspect.by);
    view! {
        <span
            class=format!("inline-flex h-8 w-8 items-center justify-center rounded-full text-lg font-bold ring-1 {classes}")
            title=title.clone()
            aria-label=title
            data-status=aspect.status.as_str()
        >
            {mark}
        </span>
    }
}
