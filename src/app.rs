//! The HTML shell and the router of pages.

use crate::pages::{
    ImportRoute, NotFound, PortfolioPage, ProjectPage, ReviewRoute, SettingsRoute, WeeklyPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{Lazy, ParamSegment, SsrMode, StaticSegment};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-100 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::provide_live_jobs();
    // `hydrate()` (lib.rs) marks the page as interactive once hydrated.
    view! {
        <Stylesheet id="leptos" href="/pkg/backlens.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="backlens reviews backend projects against the backend review checklist." />
        <Router>
            <header class="border-b border-slate-800 bg-slate-900 text-white print:hidden">
                <div class="mx-auto flex max-w-7xl items-center gap-8 px-6 py-3">
                    <A href="/" attr:class="flex items-center gap-2 text-lg font-semibold tracking-tight">
                        <img src="/favicon.svg" alt="" class="h-6 w-6" />
                        "backlens"
                    </A>
                    <nav class="flex gap-5 text-sm text-slate-300">
                        <A href="/" attr:class="hover:text-white">"Portfolio"</A>
                        <A href="/weekly" attr:class="hover:text-white">"Weekly review"</A>
                        <A href="/import" attr:class="hover:text-white">"Import from GitHub"</A>
                        <A href="/settings" attr:class="hover:text-white">"Settings"</A>
                    </nav>
                </div>
            </header>
            <main class="mx-auto max-w-7xl px-6 py-8">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=StaticSegment("") view=PortfolioPage />
                    <Route path=(StaticSegment("projects"), ParamSegment("id")) view=ProjectPage />
                    // Async: the status (404 for a week not yet begun) is known before the first byte.
                    <Route path=StaticSegment("weekly") view=WeeklyPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("weekly"), ParamSegment("week")) view=WeeklyPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("projects"), ParamSegment("id"), StaticSegment("reviews"), ParamSegment("review_id")) view={Lazy::<ReviewRoute>::new()} />
                    <Route path=StaticSegment("settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=StaticSegment("import") view={Lazy::<ImportRoute>::new()} />
                </Routes>
            </main>
        </Router>
    }
}
