//! The trend charts of a project: category scores per review (scoring
//! version changes marked), findings opened vs fixed per ISO week, and review
//! duration. Server-rendered SVG with a hover readout once hydrated.

use super::charts::{BarChart, LineChart, Marker, Series, CATEGORY_COLORS};
use crate::model::portfolio_trends::PortfolioWeek;
use crate::model::trends::ProjectTrends;
use crate::model::week::iso_date;
use crate::model::Category;
use leptos::prelude::*;

#[component]
pub fn ProjectTrendCharts(trends: ProjectTrends) -> impl IntoView {
    if trends.points.is_empty() {
        return view! {
            <section class="mt-6 rounded-xl bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200" id="trends">
                <h2 class="text-lg font-semibold text-slate-900">"Trends"</h2>
                <p class="mt-1">"No review in the last weeks yet: the charts appear after the first one."</p>
            </section>
        }
        .into_any();
    }
    let labels = review_labels(&trends);
    let series = score_series(
        trends.points.iter().map(|p| Some(p.score as f64)).collect(),
        |category| {
            trends
                .points
                .iter()
                .map(|p| {
                    p.categories
                        .iter()
                        .find(|c| c.category == category)
                        .and_then(|c| c.score)
                        .map(|s| s as f64)
                })
                .collect()
        },
    );
    let markers: Vec<Marker> = trends
        .scoring_changes
        .iter()
        .filter_map(|c| {
            let before = trends
                .points
                .iter()
                .position(|p| p.review_id == c.review_id)?;
            Some(Marker {
                before,
                label: format!("scoring v{}", c.to_version),
            })
        })
        .collect();
    let version_note = (!markers.is_empty()).then_some(
        "A dashed violet line marks a new version of the scoring formula: a jump there is the formula, not the code.",
    );
    let weeks: Vec<String> = trends
        .findings_per_week
        .iter()
        .map(|w| {
            let (_, n) = w.week.year_week();
            format!("W{n:02}")
        })
        .collect();
    let flow = vec![
        (
            "Opened".to_string(),
            "#dc2626",
            trends
                .findings_per_week
                .iter()
                .map(|w| w.opened as f64)
                .collect(),
        ),
        (
            "Fixed".to_string(),
            "#059669",
            trends
                .findings_per_week
                .iter()
                .map(|w| w.fixed as f64)
                .collect(),
        ),
    ];
    let durations = vec![Series {
        name: "Review duration".into(),
        color: "#0369a1",
        values: trends
            .points
            .iter()
            .map(|p| Some(p.duration_ms as f64))
            .collect(),
        emphasis: true,
    }];
    let span = format!("{} to {}", trends.from_week, trends.to_week);
    view! {
        <section class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="trends">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-lg font-semibold">"Trends"</h2>
                <span class="text-sm text-slate-500">{format!("{} reviews, {span}", labels.len())}</span>
            </div>
            <h3 class="mt-4 text-sm font-semibold text-slate-700">"Category scores per review"</h3>
            {version_note.map(|n| view! { <p class="text-xs text-violet-700">{n}</p> })}
            <LineChart id="category-trend" label="Overall and category scores per review".to_string()
                x_labels=labels.clone() series y_max=100.0 markers wide=true />
            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <div>
                    <h3 class="text-sm font-semibold text-slate-700">"Findings opened vs fixed per week"</h3>
                    <BarChart id="findings-flow" label="Findings opened and fixed per ISO week".to_string()
                        x_labels=weeks series=flow />
                </div>
                <div>
                    <h3 class="text-sm font-semibold text-slate-700">"Review duration"</h3>
                    <LineChart id="duration-trend" label="Duration of each review".to_string()
                        x_labels=labels series=durations unit="ms" />
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// The overall score's line (emphasized), then one line per category that
/// has a value somewhere, in catalog order and the category colors.
fn score_series(
    overall: Vec<Option<f64>>,
    category_values: impl Fn(Category) -> Vec<Option<f64>>,
) -> Vec<Series> {
    let overall = Series {
        name: "Overall".into(),
        color: "#0f172a",
        values: overall,
        emphasis: true,
    };
    let categories =
        Category::ALL
            .into_iter()
            .zip(CATEGORY_COLORS)
            .filter_map(|(category, color)| {
                let values = category_values(category);
                values.iter().any(Option::is_some).then(|| Series {
                    name: category.title().to_string(),
                    color,
                    values,
                    emphasis: false,
                })
            });
    std::iter::once(overall).chain(categories).collect()
}

/// The portfolio's weekly trend: average scores of the reviews finished each
/// week (overall and per category), findings opened vs fixed, review duration.
#[component]
pub fn PortfolioTrendCharts(weeks: Vec<PortfolioWeek>) -> impl IntoView {
    if weeks.iter().all(|w| w.reviews == 0) {
        return ().into_any();
    }
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| {
            let (_, n) = w.week.year_week();
            format!("W{n:02}")
        })
        .collect();
    let series = score_series(weeks.iter().map(|w| w.avg_score).collect(), |category| {
        weeks
            .iter()
            .map(|w| {
                w.categories
                    .iter()
                    .find(|(c, _)| *c == category)
                    .and_then(|(_, v)| *v)
            })
            .collect()
    });
    let markers: Vec<Marker> = weeks
        .iter()
        .enumerate()
        .filter(|(_, w)| w.scoring_version_changed)
        .map(|(i, _)| Marker {
            before: i,
            label: "new scoring".into(),
        })
        .collect();
    let flow = vec![
        (
            "Opened".to_string(),
            "#dc2626",
            weeks.iter().map(|w| w.opened as f64).collect(),
        ),
        (
            "Fixed".to_string(),
            "#059669",
            weeks.iter().map(|w| w.fixed as f64).collect(),
        ),
    ];
    let durations = vec![Series {
        name: "Average review duration".into(),
        color: "#0369a1",
        values: weeks.iter().map(|w| w.avg_duration_ms).collect(),
        emphasis: true,
    }];
    view! {
        <section class="mt-8 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200" id="portfolio-trends">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-lg font-semibold">"Portfolio trends"</h2>
                <span class="text-sm text-slate-500">{format!("last {} weeks, all projects; hover for the numbers", weeks.len())}</span>
            </div>
            <h3 class="mt-4 text-sm font-semibold text-slate-700">"Average scores of the reviews finished each week"</h3>
            <LineChart id="portfolio-score-trend" label="Average overall and category scores per ISO week".to_string()
                x_labels=labels.clone() series y_max=100.0 markers wide=true />
            <div class="mt-6 grid gap-6 lg:grid-cols-2">
                <div>
                    <h3 class="text-sm font-semibold text-slate-700">"Findings opened vs fixed per week"</h3>
                    <BarChart id="portfolio-findings-flow" label="Findings opened and fixed per ISO week, all projects".to_string()
                        x_labels=labels.clone() series=flow />
                </div>
                <div>
                    <h3 class="text-sm font-semibold text-slate-700">"Average review duration"</h3>
                    <LineChart id="portfolio-duration-trend" label="Average review duration per ISO week".to_string()
                        x_labels=labels series=durations unit="ms" />
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// One label per review: its date, or date and time when several reviews
/// share a day.
fn review_labels(trends: &ProjectTrends) -> Vec<String> {
    let days: Vec<String> = trends
        .points
        .iter()
        .map(|p| iso_date(p.finished_at))
        .collect();
    let mut sorted = days.clone();
    sorted.dedup();
    if sorted.len() == days.len() {
        return days;
    }
    trends
        .points
        .iter()
        .map(|p| {
            let utc = crate::model::views::format_utc(p.finished_at);
            // "2026-11-22 03:05 UTC" → "11-22 03:05"
            utc.get(5..16).unwrap_or(&utc).to_string()
        })
        .collect()
}
