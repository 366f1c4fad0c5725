//! Several lines over shared x positions (reviews or weeks), with a legend,
//! guide lines, version markers and, once hydrated, a hover readout.

use super::readout::{HitAreas, Key, Legend, Readout, Swatch};
use super::{format_value, label_anchor, label_every, labelled, nice_max, Frame, Marker, Series};
use leptos::prelude::*;

#[component]
pub fn LineChart(
    /// DOM id of the chart (tests and links find it by id).
    id: &'static str,
    /// What the chart shows, for screen readers.
    label: String,
    /// One label per x position ("2026-W47", a date).
    x_labels: Vec<String>,
    series: Vec<Series>,
    #[prop(optional)] markers: Vec<Marker>,
    /// Fixed top of the y axis (100 for scores); from the data when `None`.
    #[prop(optional)]
    y_max: Option<f64>,
    /// Unit of the values: "" (plain), "ms", "%".
    #[prop(optional)]
    unit: &'static str,
    /// The chart spans the page: a wider canvas keeps its text the same size.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let frame = if wide { Frame::WIDE } else { Frame::STANDARD };
    let n = x_labels.len();
    let data_max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    let max = y_max.unwrap_or_else(|| nice_max(data_max));
    let guides: Vec<f64> = (0..=4).map(|i| max * i as f64 / 4.0).collect();
    let every = label_every(n, if wide { 14 } else { 7 });
    let hover = RwSignal::new(None::<usize>);
    let labels = StoredValue::new(x_labels.clone());
    let keys = StoredValue::new(
        series
            .iter()
            .map(|s| Key {
                name: s.name.clone(),
                color: s.color,
                swatch: Swatch::Line {
                    emphasis: s.emphasis,
                },
                values: s
                    .values
                    .iter()
                    .map(|v| v.map_or_else(|| "–".into(), |v| format_value(v, unit)))
                    .collect(),
            })
            .collect::<Vec<_>>(),
    );
    let slot = frame.slot_width(n);

    // Each series as polylines broken where values are missing.
    let paths: Vec<(Series, Vec<String>)> = series
        .into_iter()
        .map(|s| {
            let mut runs: Vec<String> = Vec::new();
            let mut current: Vec<String> = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => current.push(format!(
                        "{:.1},{:.1}",
                        frame.slot_center(i, n),
                        frame.y_of(*v, max)
                    )),
                    None if !current.is_empty() => {
                        runs.push(std::mem::take(&mut current).join(" "))
                    }
                    None => {}
                }
            }
            if !current.is_empty() {
                runs.push(current.join(" "));
            }
            (s, runs)
        })
        .collect();

    view! {
        <figure class="relative" id=id>
            <svg
                viewBox=format!("0 0 {} {}", frame.width, frame.height)
                class="h-auto w-full select-none"
                role="img"
                aria-label=label
                on:mouseleave=move |_| hover.set(None)
            >
                {guides.iter().map(|g| view! {
                    <line x1=frame.left x2=frame.width - frame.right y1=frame.y_of(*g, max) y2=frame.y_of(*g, max)
                        stroke=if *g == 0.0 { "#cbd5e1" } else { "#eef2f7" } />
                    <text x=frame.left - 6.0 y=frame.y_of(*g, max) + 3.5 text-anchor="end" font-size="10" fill="#64748b">
                        {format_value(*g, unit)}
                    </text>
                }).collect_view()}
                {x_labels.iter().enumerate().filter(|(i, _)| labelled(*i, n, every)).map(|(i, l)| {
                    let (x, anchor) = label_anchor(&frame, i, n);
                    view! { <text x=x y=frame.height - 8.0 text-anchor=anchor font-size="10" fill="#64748b">{l.clone()}</text> }
                }).collect_view()}
                {markers.into_iter().filter(|m| m.before < n).map(|m| {
                    let x = frame.slot_center(m.before, n) - slot / 2.0;
                    view! {
                        <g data-marker=m.label.clone()>
                            <line x1=x x2=x y1=frame.top y2=frame.plot_bottom() stroke="#7c3aed" stroke-dasharray="4 3" />
                            <text x=x + 4.0 y=frame.top + 10.0 font-size="10" fill="#6d28d9">{m.label.clone()}</text>
                        </g>
                    }
                }).collect_view()}
                {move || hover.get().map(|i| {
                    let x = frame.slot_center(i, n);
                    view! { <line x1=x x2=x y1=frame.top y2=frame.plot_bottom() stroke="#94a3b8" /> }
                })}
                {paths.into_iter().map(|(s, runs)| {
                    let width = if s.emphasis { "3" } else { "1.75" };
                    let color = s.color;
                    let dots: Vec<(f64, f64, String)> = s.values.iter().enumerate().filter_map(|(i, v)| {
                        v.map(|v| (frame.slot_center(i, n), frame.y_of(v, max), format!("{} · {}: {}", x_labels[i], s.name, format_value(v, unit))))
                    }).collect();
                    view! {
                        <g data-series=s.name.clone()>
                            {runs.into_iter().map(|points| view! {
                                <polyline points=points fill="none" stroke=color stroke-width=width stroke-linejoin="round" stroke-linecap="round" />
                            }).collect_view()}
                            {(n <= 60).then(|| dots.into_iter().map(|(x, y, tip)| view! {
                                <circle cx=x cy=y r=if s.emphasis { "3.5" } else { "2.5" } fill=color><title>{tip}</title></circle>
                            }).collect_view())}
                        </g>
                    }
                }).collect_view()}
                <HitAreas frame count=n hover />
            </svg>
            <Readout frame hover labels keys />
            <Legend keys />
        </figure>
    }
}
