//! backlens: a self-hosted dashboard that reviews backend projects.
//!
//! Layers import only downward: `pages`/`components` → `api` → `model`;
//! on the server `api` → `server::services` → `server::{db, review, jobs}`.

// A build without `--cfg erase_components` (cargo-leptos passes it to dev and,
// with `always-erase-components`, release builds) types whole pages as one
// nested view type; the project page's is deeper than rustc's default of 128.
#![recursion_limit = "256"]

/// Server functions the pages call: thin, one call into a service each.
pub mod api;
/// Shell and router of pages.
pub mod app;
/// Reusable view pieces: grade badge, job state, verdict chip.
pub mod components;
/// Types shared by server and browser: catalog, verdicts, DTOs.
pub mod model;
/// One page per file.
pub mod pages;
/// Everything that only runs on the server: settings, database, engine, jobs.
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: hydrates the server-rendered page.
///
/// Asynchronously, as `leptos::mount::hydrate_lazy` does: a page that is a
/// lazy route (`pages::lazy`) hydrates once its wasm chunk has arrived.
/// Then `data-hydrated="true"` on `<html>` marks the page as interactive
/// (end-to-end tests wait for it before clicking). An effect would mark it
/// too early: effects run while the hydration still waits for the chunk,
/// and a click then would post the page's form without the app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use leptos::prelude::document;

    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        let mounted = leptos::mount::hydrate_from_async(body, app::App).await;
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        mounted.forget();
    });
}
