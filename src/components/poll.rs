//! Polling in the browser: pages refetch their data when the tick changes.

use leptos::prelude::*;
use std::time::Duration;

/// How often the page looks while something is queued or running.
const FAST: Duration = Duration::from_millis(1500);
/// When nothing runs, it looks every this many fast ticks (12 s).
const SLOW_EVERY: u64 = 8;

/// A counter that the browser bumps every 1.5 s while `active()` is true and
/// every 12 s otherwise. On the server it stays 0, so the first render and the
/// hydrated one agree.
pub fn use_poll(active: impl Fn() -> bool + Send + Sync + 'static) -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0_u64);
    let active = StoredValue::new(active);
    Effect::new(move |_| {
        let beats = StoredValue::new(0_u64);
        let handle = set_interval_with_handle(
            move || {
                beats.update_value(|b| *b += 1);
                let fast = active.with_value(|f| f());
                if fast || beats.get_value().is_multiple_of(SLOW_EVERY) {
                    set_tick.update(|t| *t += 1);
                }
            },
            FAST,
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    tick
}
