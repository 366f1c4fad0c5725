//! Two bars per x position (findings opened vs fixed per week), with a hover
//! readout once hydrated.

use super::readout::{HitAreas, Key, Legend, Readout, Swatch};
use super::{count_max, format_value, label_anchor, label_every, labelled, Frame};
use leptos::prelude::*;

#[component]
pub fn BarChart(
    id: &'static str,
    label: String,
    x_labels: Vec<String>,
    /// (name, color, one value per x position) — two or three series.
    series: Vec<(String, &'static str, Vec<f64>)>,
) -> impl IntoView {
    let frame = Frame::STANDARD;
    let n = x_labels.len();
    // Counts: at least 4 so the four guide lines fall on whole numbers.
    let max = count_max(
        series
            .iter()
            .flat_map(|(_, _, v)| v.iter())
            .fold(0.0_f64, |a, b| a.max(*b)),
    );
    let slot = frame.slot_width(n);
    let groups = series.len().max(1) as f64;
    let bar = (slot * 0.8 / groups).max(1.0);
    let every = label_every(n, 7);
    let hover = RwSignal::new(None::<usize>);
    let labels = StoredValue::new(x_labels.clone());
    let keys = StoredValue::new(
        series
            .iter()
            .map(|(name, color, values)| Key {
                name: name.clone(),
                color,
                swatch: Swatch::Bar,
                values: values.iter().map(|v| format_value(*v, "")).collect(),
            })
            .collect::<Vec<_>>(),
    );
    view! {
        <figure class="relative" id=id>
            <svg viewBox=format!("0 0 {} {}", frame.width, frame.height) class="h-auto w-full select-none" role="img" aria-label=label
                on:mouseleave=move |_| hover.set(None)>
                {(0..=4).map(|i| {
                    let g = max * i as f64 / 4.0;
                    view! {
                        <line x1=frame.left x2=frame.width - frame.right y1=frame.y_of(g, max) y2=frame.y_of(g, max)
                            stroke=if i == 0 { "#cbd5e1" } else { "#eef2f7" } />
                        <text x=frame.left - 6.0 y=frame.y_of(g, max) + 3.5 text-anchor="end" font-size="10" fill="#64748b">{format!("{g:.0}")}</text>
                    }
                }).collect_view()}
                {x_labels.iter().enumerate().filter(|(i, _)| labelled(*i, n, every)).map(|(i, l)| {
                    let (x, anchor) = label_anchor(&frame, i, n);
                    view! { <text x=x y=frame.height - 8.0 text-anchor=anchor font-size="10" fill="#64748b">{l.clone()}</text> }
                }).collect_view()}
                {move || hover.get().map(|i| view! {
                    <rect x=frame.slot_center(i, n) - slot / 2.0 y=frame.top width=slot height=frame.plot_bottom() - frame.top fill="#f1f5f9" />
                })}
                {series.iter().enumerate().map(|(k, (name, color, values))| {
                    let color = *color;
                    values.iter().enumerate().map(|(i, v)| {
                        let x = frame.slot_center(i, n) - bar * groups / 2.0 + bar * k as f64;
                        let y = frame.y_of(*v, max);
                        view! {
                            <rect x=x y=y width=(bar - 1.0).max(0.5) height=frame.plot_bottom() - y fill=color data-series=name.clone()>
                                <title>{format!("{} · {name}: {v:.0}", x_labels[i])}</title>
                            </rect>
                        }
                    }).collect_view()
                }).collect_view()}
                <HitAreas frame count=n hover />
            </svg>
            <Readout frame hover labels keys />
            <Legend keys />
        </figure>
    }
}
