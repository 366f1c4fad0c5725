//! The live feed in the browser: one `EventSource` on `/events/jobs` for the
//! whole app. Pages read the latest snapshot for progress bars and refetch
//! their data when [`use_refresh_key`] changes (a job started or ended).
//! On the server the snapshot stays `None`, so the first render and the
//! hydrated one agree.

use crate::model::live::{LiveJob, LiveSnapshot};
use leptos::prelude::*;

/// The app-wide live state.
#[derive(Clone, Copy)]
pub struct LiveJobs {
    /// The latest snapshot, once the feed has sent one.
    pub snapshot: RwSignal<Option<LiveSnapshot>>,
    /// The feed is open. While it is not, pages fall back to polling.
    pub connected: RwSignal<bool>,
}

impl LiveJobs {
    /// The live state of one job, when the feed knows it.
    pub fn job(&self, id: i64) -> Option<(LiveJob, i64)> {
        self.snapshot.with(|s| {
            s.as_ref().and_then(|s| {
                s.jobs
                    .iter()
                    .find(|j| j.id == id)
                    .map(|j| (j.clone(), s.now))
            })
        })
    }
}

/// Creates the live state and, in the browser, opens the feed. Call once, in `App`.
pub fn provide_live_jobs() {
    let live = LiveJobs {
        snapshot: RwSignal::new(None),
        connected: RwSignal::new(false),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::open_feed(live));
}

/// The live state provided by `App` (an inert one outside it).
pub fn use_live_jobs() -> LiveJobs {
    use_context::<LiveJobs>().unwrap_or_else(|| LiveJobs {
        snapshot: RwSignal::new(None),
        connected: RwSignal::new(false),
    })
}

/// Changes when a job is queued, starts, ends or is retried — not on mere
/// progress — so a page refetches its data exactly when there is news.
pub fn use_refresh_key() -> Memo<String> {
    let live = use_live_jobs();
    Memo::new(move |_| {
        live.snapshot.with(|s| match s {
            None => String::new(),
            Some(s) => {
                let mut key = s.finished_marker.clone();
                for j in &s.jobs {
                    key.push_str(&format!(";{}={}", j.id, j.state));
                }
                key
            }
        })
    })
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::LiveJobs;
    use crate::model::live::LiveSnapshot;
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    /// Opens `/events/jobs`. The browser reconnects by itself after an error;
    /// the feed lives as long as the page, so its callbacks are leaked on purpose.
    pub fn open_feed(live: LiveJobs) {
        let Ok(source) = EventSource::new("/events/jobs") else {
            return;
        };
        let on_jobs = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            if let Ok(snapshot) = crate::api::codec::from_json::<LiveSnapshot>(&text) {
                live.connected.set(true);
                live.snapshot.set(Some(snapshot));
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            live.connected.set(false);
        });
        let _ = source.add_event_listener_with_callback("jobs", on_jobs.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_jobs.forget();
        on_error.forget();
    }
}
