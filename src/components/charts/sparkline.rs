//! A score line small enough for a table cell: no axes, the last point
//! marked, the numbers in its title.

use leptos::prelude::*;

const W: f64 = 96.0;
const H: f64 = 28.0;
const PAD: f64 = 3.0;

/// Scores 0–100, oldest first; gaps (`None`) are weeks without a review.
#[component]
pub fn Sparkline(values: Vec<Option<i64>>, label: String) -> impl IntoView {
    let n = values.len();
    let known: Vec<(usize, i64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    if known.is_empty() {
        return view! { <span class="text-xs text-slate-400">"no history"</span> }.into_any();
    }
    let x = |i: usize| {
        if n <= 1 {
            W / 2.0
        } else {
            PAD + i as f64 * (W - 2.0 * PAD) / (n - 1) as f64
        }
    };
    let y = |v: i64| PAD + (100 - v.clamp(0, 100)) as f64 / 100.0 * (H - 2.0 * PAD);
    let points = known
        .iter()
        .map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let (last_i, last_v) = *known.last().expect("not empty");
    let first_v = known[0].1;
    let color = match last_v - first_v {
        d if d >= 3 => "#059669",
        d if d <= -3 => "#dc2626",
        _ => "#475569",
    };
    let title = format!(
        "{label}: {}",
        known
            .iter()
            .map(|(_, v)| v.to_string())
            .collect::<Vec<_>>()
            .join(" → ")
    );
    let aria = title.clone();
    let count = known.len();
    view! {
        <svg viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=aria data-sparkline=count>
            <title>{title}</title>
            <line x1=PAD x2=W - PAD y1=y(70) y2=y(70) stroke="#e2e8f0" stroke-dasharray="2 2" />
            <polyline points=points fill="none" stroke=color stroke-width="1.75" stroke-linejoin="round" />
            <circle cx=x(last_i) cy=y(last_v) r="2.5" fill=color />
        </svg>
    }
    .into_any()
}
