//! `/settings`: which GitHub settings are configured (never a secret's
//! value), the API budget left, the ETag cache's hit rate and retries.

use crate::api::get_settings_page;
use crate::model::github::SettingsPageData;
use crate::model::views::format_utc;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let page = crate::api::codec::resource(|| (), |_| get_settings_page());
    view! {
        <Title text="Settings · backlens" />
        <h1 class="text-2xl font-semibold tracking-tight">"Settings"</h1>
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || page.get().map(|res| match res {
                Ok(p) => view! { <SettingsView page=p /> }.into_any(),
                Err(e) => view! { <p class="mt-4 text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn SettingsView(page: SettingsPageData) -> impl IntoView {
    let b = page.budget.clone();
    let budget = match (b.rate_remaining, b.rate_limit) {
        (Some(rem), Some(limit)) => format!("{rem} of {limit} requests left"),
        (Some(rem), None) => format!("{rem} requests left"),
        _ => "not known yet (no request made)".to_string(),
    };
    let reset = b.rate_reset.map(format_utc).unwrap_or_else(|| "–".into());
    let hit_rate = match b.etag_hit_rate() {
        Some(p) => format!(
            "{p} % ({} of {} conditional requests answered 304)",
            b.not_modified, b.conditional
        ),
        None => "no conditional request yet".to_string(),
    };
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="github-budget">
            <h2 class="text-lg font-semibold">"GitHub API"</h2>
            <dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
                <dt class="text-slate-500">"Budget"</dt><dd id="api-budget">{budget}</dd>
                <dt class="text-slate-500">"Resets"</dt><dd>{reset}</dd>
                <dt class="text-slate-500">"ETag hit rate"</dt><dd id="etag-hit-rate">{hit_rate}</dd>
                <dt class="text-slate-500">"Requests"</dt><dd>{format!("{} made, {} retried (5xx, rate limits)", b.requests, b.retries)}</dd>
                <dt class="text-slate-500">"Webhook deliveries"</dt><dd id="deliveries">{page.deliveries}</dd>
            </dl>
        </section>
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="github-settings">
            <h2 class="text-lg font-semibold">"GitHub settings"</h2>
            <p class="mt-1 text-sm text-slate-600">"Set as environment variables when starting backlens. Secrets show only whether they are set."</p>
            <table class="mt-3 w-full text-left text-sm">
                <tbody class="divide-y divide-slate-100">
                    {page.settings.into_iter().map(|s| view! {
                        <tr data-setting=s.variable.clone() data-configured=s.configured.to_string()>
                            <td class="py-2 pr-4 font-mono text-xs">{s.variable.clone()}</td>
                            <td class="py-2 pr-4">
                                {if s.configured {
                                    view! { <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">"configured"</span> }.into_any()
                                } else {
                                    view! { <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">"not set"</span> }.into_any()
                                }}
                            </td>
                            <td class="py-2 pr-4 font-mono text-xs text-slate-700">{s.value.clone().unwrap_or_default()}</td>
                            <td class="py-2 text-slate-600">{s.meaning.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
