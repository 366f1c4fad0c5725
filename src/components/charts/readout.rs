//! What the line and bar charts share for hovering and naming their series:
//! the hit areas that say which x position the pointer is over, the readout
//! (the values of every series there) and the legend under the chart.

use super::Frame;
use leptos::prelude::*;

/// How a series is drawn, so its swatch in the readout and the legend
/// looks like it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Swatch {
    /// A line, thicker when it is emphasized.
    Line {
        emphasis: bool,
    },
    Bar,
}

impl Swatch {
    fn readout_class(self) -> &'static str {
        match self {
            Swatch::Line { .. } => "h-2 w-2 rounded-full",
            Swatch::Bar => "h-2 w-2 rounded-sm",
        }
    }

    fn legend_class(self) -> &'static str {
        match self {
            Swatch::Line { emphasis: true } => "h-1 w-4 rounded",
            Swatch::Line { emphasis: false } => "h-0.5 w-4 rounded",
            Swatch::Bar => "h-2.5 w-2.5 rounded-sm",
        }
    }
}

/// One series as the readout and the legend name it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Key {
    pub name: String,
    /// A CSS color.
    pub color: &'static str,
    pub swatch: Swatch,
    /// Its value at each x position, formatted ("–" where it has none).
    pub values: Vec<String>,
}

/// Transparent columns over the plot, one per x position, that set `hover`
/// when the pointer enters them (inside the chart's `<svg>`, drawn last so
/// they are on top).
#[component]
pub(crate) fn HitAreas(
    frame: Frame,
    count: usize,
    hover: RwSignal<Option<usize>>,
) -> impl IntoView {
    let slot = frame.slot_width(count);
    (0..count)
        .map(|i| {
            view! {
                <rect x=frame.slot_center(i, count) - slot / 2.0 y=frame.top width=slot height=frame.plot_bottom() - frame.top
                    fill="transparent" data-slot=i on:mouseenter=move |_| hover.set(Some(i)) />
            }
        })
        .collect_view()
}

/// The box over the chart with the x position's label and every series'
/// value there, while the pointer is over the plot. It sits beside the
/// position: on its right, or on its left in the right part of the chart.
#[component]
pub(crate) fn Readout(
    frame: Frame,
    /// The x position under the pointer.
    hover: RwSignal<Option<usize>>,
    /// One label per x position.
    labels: StoredValue<Vec<String>>,
    keys: StoredValue<Vec<Key>>,
) -> impl IntoView {
    let n = labels.with_value(Vec::len);
    move || {
        hover.get().map(|i| {
            let left = frame.slot_center(i, n) / frame.width * 100.0;
            let (anchor, shift) = if left > 60.0 {
                ("right", 100.0 - left)
            } else {
                ("left", left)
            };
            view! {
                <div class="pointer-events-none absolute top-2 z-10 min-w-40 rounded-lg bg-slate-900/95 px-3 py-2 text-xs text-white shadow-lg"
                    style=format!("{anchor}: calc({shift:.1}% + 8px)") role="status" data-chart-readout="">
                    <div class="mb-1 font-semibold">{labels.with_value(|l| l.get(i).cloned().unwrap_or_default())}</div>
                    {keys.with_value(|all| all.iter().map(|k| {
                        let value = k.values.get(i).cloned().unwrap_or_else(|| "–".into());
                        view! {
                            <div class="flex items-center justify-between gap-4">
                                <span class="flex items-center gap-1.5"><span class=k.swatch.readout_class() style=format!("background: {}", k.color)></span>{k.name.clone()}</span>
                                <span class="tabular-nums">{value}</span>
                            </div>
                        }
                    }).collect_view())}
                </div>
            }
        })
    }
}

/// The names of the series with their swatches, under the chart.
#[component]
pub(crate) fn Legend(keys: StoredValue<Vec<Key>>) -> impl IntoView {
    view! {
        <figcaption class="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
            {keys.with_value(|all| all.iter().map(|k| view! {
                <span class="inline-flex items-center gap-1.5">
                    <span class=k.swatch.legend_class() style=format!("background: {}", k.color)></span>
                    {k.name.clone()}
                </span>
            }).collect_view())}
        </figcaption>
    }
}
