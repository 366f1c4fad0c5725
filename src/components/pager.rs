//! The pager under a paged table: "rows 51–100 of 500", previous/next and
//! page links. Plain links (the page number is in the URL), so it works
//! without JavaScript; hydrated, the router follows them without a reload.
//! Plain `<a>`, not the router's `<A>`: `<A>` marks every link to the same
//! path `aria-current="page"`, whatever its query.

use crate::model::paging::PageInfo;
use leptos::prelude::*;

const LINK: &str = "min-w-9 rounded-lg bg-white px-3 py-1.5 text-center font-medium text-sky-800 ring-1 ring-slate-300 hover:bg-slate-50";
const CURRENT: &str =
    "min-w-9 rounded-lg bg-slate-800 px-3 py-1.5 text-center font-semibold text-white ring-1 ring-slate-800";
const DISABLED: &str = "rounded-lg px-3 py-1.5 text-slate-400 ring-1 ring-slate-200";

/// `href(page)` is the URL of page `page` with every other parameter kept.
/// `noun` names the rows ("projects"); `id` is the nav's element id.
pub fn pager(
    info: PageInfo,
    noun: &'static str,
    id: &'static str,
    href: impl Fn(usize) -> String,
) -> impl IntoView {
    let label = info.label(noun);
    let links = (info.pages > 1).then(|| {
        let prev = (info.page > 1).then(|| href(info.page - 1));
        let next = (info.page < info.pages).then(|| href(info.page + 1));
        let numbers = info
            .links()
            .into_iter()
            .map(|p| match p {
                Some(p) if p == info.page => view! {
                    <span class=CURRENT aria-current="page" data-page=p data-current="true">{p}</span>
                }
                .into_any(),
                Some(p) => view! {
                    <a href=href(p) class=LINK data-page=p aria-label=format!("Page {p}")>{p}</a>
                }
                .into_any(),
                None => view! { <span class="px-1 text-slate-500" aria-hidden="true">"…"</span> }.into_any(),
            })
            .collect_view();
        view! {
            <div class="flex flex-wrap items-center gap-1.5">
                {match prev {
                    Some(h) => view! { <a href=h class=LINK rel="prev" data-pager="prev">"\u{2190} Previous"</a> }.into_any(),
                    None => view! { <span class=DISABLED>"\u{2190} Previous"</span> }.into_any(),
                }}
                {numbers}
                {match next {
                    Some(h) => view! { <a href=h class=LINK rel="next" data-pager="next">"Next \u{2192}"</a> }.into_any(),
                    None => view! { <span class=DISABLED>"Next \u{2192}"</span> }.into_any(),
                }}
            </div>
        }
    });
    view! {
        <nav class="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm print:hidden" aria-label=format!("Pages of {noun}") id=id>
            <p class="text-slate-600" data-pager="label">
                {label}
                {(info.pages > 1).then(|| format!(" \u{b7} page {} of {}", info.page, info.pages))}
            </p>
            {links}
        </nav>
    }
}
