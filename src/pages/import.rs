//! `/import`: every repository of a GitHub organisation or user (all pages),
//! with language, archived and last push, to pick the ones to add.

use crate::api::{import_repositories, ListOwnerRepositories};
use crate::model::github::{OwnerRepos, RepoChoice};
use crate::model::views::AddProjectOutcome;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeSet;

#[component]
pub fn ImportPage() -> impl IntoView {
    let list = ServerAction::<ListOwnerRepositories>::new();
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let import = Action::new(|names: &String| {
        let names = names.clone();
        async move { import_repositories(names).await }
    });
    view! {
        <Title text="Import from GitHub · backlens" />
        <h1 class="text-2xl font-semibold tracking-tight">"Import from GitHub"</h1>
        <p class="mt-1 text-slate-600">"List every repository of an organisation or user, then pick the backends to add. Each gets its first review queued."</p>
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <ActionForm action=list attr:class="flex flex-wrap items-center gap-3" attr:id="list-owner">
                <label class="text-sm font-medium" for="owner">"Organisation or user"</label>
                <input
                    id="owner"
                    name="owner"
                    type="text"
                    required
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="octo-org"
                    class="min-w-64 rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm shadow-inner focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
                />
                <button
                    type="submit"
                    class="rounded-lg bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-sky-800 disabled:opacity-50"
                    disabled=move || list.pending().get()
                >
                    {move || if list.pending().get() { "Listing…" } else { "List repositories" }}
                </button>
            </ActionForm>
            {move || match list.value().get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="mt-4 text-sm text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(OwnerRepos::Rejected { message })) => view! {
                    <p class="mt-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" role="alert" id="import-error">{message}</p>
                }.into_any(),
                Some(Ok(OwnerRepos::Listed { owner, repos })) => view! {
                    <RepoTable owner repos selected />
                    <div class="mt-4 flex items-center gap-4">
                        <button
                            type="button"
                            id="import-selected"
                            class="rounded-lg bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-sky-800 disabled:opacity-50"
                            disabled=move || selected.with(|s| s.is_empty()) || import.pending().get()
                            on:click=move |_| {
                                let names = selected.with(|s| s.iter().cloned().collect::<Vec<_>>().join("\n"));
                                import.dispatch(names);
                            }
                        >
                            {move || format!("Import {} selected", selected.with(|s| s.len()))}
                        </button>
                    </div>
                }.into_any(),
            }}
            {move || import.value().get().map(|res| match res {
                Ok(results) => view! {
                    <ul class="mt-4 space-y-1 text-sm" id="import-results">
                        {results.into_iter().map(|(name, outcome)| match outcome {
                            AddProjectOutcome::Added { id, .. } => view! {
                                <li class="text-emerald-800">
                                    <a href=format!("/projects/{id}") class="underline">{format!("Added {name}")}</a>
                                    " — its first review is queued."
                                </li>
                            }.into_any(),
                            AddProjectOutcome::Rejected { message } => view! {
                                <li class="text-red-800">{format!("{name}: {message}")}</li>
                            }.into_any(),
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="mt-4 text-sm text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn RepoTable(
    owner: String,
    repos: Vec<RepoChoice>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let n = repos.len();
    view! {
        <h2 class="mt-6 text-lg font-semibold">{format!("{n} repositories of {owner}")}</h2>
        <table class="mt-3 w-full text-left text-sm" id="owner-repos">
            <thead class="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                    <th class="py-2 pr-3"></th>
                    <th class="py-2 pr-3">"Repository"</th>
                    <th class="py-2 pr-3">"Language"</th>
                    <th class="py-2 pr-3">"Last push"</th>
                    <th class="py-2">"State"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {repos.into_iter().map(|r| {
                    let blocked = r.archived || r.empty || r.already_added;
                    let state = if r.already_added {
                        "already in the portfolio"
                    } else if r.archived {
                        "archived"
                    } else if r.empty {
                        "empty"
                    } else if r.private {
                        "private"
                    } else {
                        "public"
                    };
                    let name = r.full_name.clone();
                    let checked_name = name.clone();
                    view! {
                        <tr data-repo=r.full_name.clone() class=if blocked { "text-slate-400" } else { "" }>
                            <td class="py-2 pr-3">
                                <input
                                    type="checkbox"
                                    aria-label=format!("Select {}", r.full_name)
                                    disabled=blocked
                                    prop:checked=move || selected.with(|s| s.contains(&checked_name))
                                    on:change=move |_| {
                                        let name = name.clone();
                                        selected.update(|s| {
                                            if !s.remove(&name) {
                                                s.insert(name);
                                            }
                                        });
                                    }
                                />
                            </td>
                            <td class="py-2 pr-3">
                                <div class="font-mono text-xs font-semibold">{r.full_name.clone()}</div>
                                <div class="text-xs text-slate-500">{r.description.clone().unwrap_or_default()}</div>
                            </td>
                            <td class="py-2 pr-3">{r.language.clone().unwrap_or_else(|| "–".into())}</td>
                            <td class="py-2 pr-3 font-mono text-xs">{r.pushed_at.clone().map(|p| p.replace('T', " ").replace('Z', " UTC")).unwrap_or_else(|| "never".into())}</td>
                            <td class="py-2 text-xs">{state}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
