//! A GitHub project's own settings, editable on its page: the quality gate
//! that decides the commit status backlens posts (success or failure), and
//! how often the default branch is re-reviewed.

use crate::api::{get_github_project_settings, SaveGitHubProjectSettings};
use crate::model::github::REVIEW_SCHEDULES;
use crate::model::Grade;
use leptos::prelude::*;

#[component]
pub fn QualityGateForm(project_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveGitHubProjectSettings>::new();
    let settings = crate::api::codec::resource(
        move || save.version().get(),
        move |_| get_github_project_settings(project_id),
    );
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 print:hidden" id="quality-gate">
            <h2 class="text-lg font-semibold">"GitHub status and schedule"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "Each reviewed commit gets a backlens status on GitHub: success when the grade is at least the minimum and (if ticked) the commit brings no new critical or high findings against its base; failure otherwise. Scheduled re-reviews are skipped while the default branch has not moved."
            </p>
            <Transition fallback=|| view! { <p class="mt-3 text-sm text-slate-500">"Loading…"</p> }>
                {move || settings.get().map(|res| match res {
                    Ok(s) => view! {
                        <ActionForm action=save attr:class="mt-4 flex flex-wrap items-center gap-5 text-sm">
                            <input type="hidden" name="project_id" value=project_id />
                            <label class="flex items-center gap-2">
                                "Minimum grade"
                                <select name="min_grade" class="rounded-md border border-slate-300 px-2 py-1" id="gate-min-grade">
                                    {[Grade::A, Grade::B, Grade::C, Grade::D, Grade::F].into_iter().map(|gr| view! {
                                        <option value=gr.as_str() selected=gr == s.gate.min_grade>{gr.as_str()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="flex items-center gap-2">
                                <input type="checkbox" name="fail_on_new_high" value="on" checked=s.gate.fail_on_new_high id="gate-new-high" />
                                "Fail on new high-severity findings"
                            </label>
                            <label class="flex items-center gap-2">
                                "Re-review"
                                <select name="review_every_hours" class="rounded-md border border-slate-300 px-2 py-1" id="review-schedule">
                                    {REVIEW_SCHEDULES.into_iter().map(|(hours, label)| view! {
                                        <option value=hours selected=hours == s.review_every_hours>{label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="submit" class="rounded-md bg-white px-3 py-1 text-xs font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">"Save"</button>
                            {move || save.value().get().map(|r| match r {
                                Ok(_) => view! { <span class="text-emerald-700" role="status">"Saved."</span> }.into_any(),
                                Err(e) => view! { <span class="text-red-700" role="alert">{e.to_string()}</span> }.into_any(),
                            })}
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! { <p class="mt-3 text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
