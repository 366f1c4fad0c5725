//! The score of a project's reviews over time, as server-rendered SVG: it
//! shows without JavaScript and prints. Hand-written rather than a chart
//! crate: it is one line with a few marks, and no chart crate renders
//! through Leptos 0.8's SSR without pulling in a canvas or JS runtime.

use crate::model::views::{format_utc, ReviewPoint};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 26.0;

fn y_of(score: i64) -> f64 {
    TOP + (100.0 - score.clamp(0, 100) as f64) / 100.0 * (HEIGHT - TOP - BOTTOM)
}

fn x_of(index: usize, count: usize) -> f64 {
    if count <= 1 {
        return (LEFT + WIDTH - RIGHT) / 2.0;
    }
    LEFT + index as f64 * (WIDTH - LEFT - RIGHT) / (count - 1) as f64
}

fn day(ts: i64) -> String {
    format_utc(ts).chars().take(10).collect()
}

/// Score per review, grade thresholds as guides, and a marked line where the
/// scoring formula changed so a jump is not read as a regression.
#[component]
pub fn ScoreTrend(points: Vec<ReviewPoint>) -> impl IntoView {
    let n = points.len();
    let line = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(i, n), y_of(p.score)))
        .collect::<Vec<_>>()
        .join(" ");
    let guides = [(90, "A"), (80, "B"), (70, "C"), (60, "D")];
    let version_changes: Vec<(f64, i64)> = points
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].scoring_version != w[1].scoring_version)
        .map(|(i, w)| ((x_of(i, n) + x_of(i + 1, n)) / 2.0, w[1].scoring_version))
        .collect();
    let first = points
        .first()
        .map(|p| day(p.finished_at))
        .unwrap_or_default();
    let last = points
        .last()
        .map(|p| day(p.finished_at))
        .unwrap_or_default();
    view! {
        <svg
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            class="h-auto w-full"
            role="img"
            aria-label=format!("Score of the last {n} reviews")
            id="score-trend"
        >
            {guides.into_iter().map(|(score, grade)| view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=y_of(score) y2=y_of(score) stroke="#e2e8f0" stroke-dasharray="3 3" />
                <text x=LEFT - 8.0 y=y_of(score) + 4.0 text-anchor="end" font-size="10" fill="#94a3b8">{grade}</text>
            }).collect_view()}
            <line x1=LEFT x2=WIDTH - RIGHT y1=y_of(0) y2=y_of(0) stroke="#cbd5e1" />
            {version_changes.into_iter().map(|(x, version)| view! {
                <line x1=x x2=x y1=TOP y2=HEIGHT - BOTTOM stroke="#7c3aed" stroke-dasharray="4 3" />
                <text x=x + 4.0 y=TOP + 10.0 font-size="10" fill="#7c3aed">{format!("scoring v{version}")}</text>
            }).collect_view()}
            <polyline points=line fill="none" stroke="#0369a1" stroke-width="2" stroke-linejoin="round" />
            {points.iter().enumerate().map(|(i, p)| {
                let commit = p.commit_sha.as_deref().map(|c| &c[..c.len().min(10)]).unwrap_or("no commit");
                let tip = format!(
                    "{} · grade {} · score {} · {} open findings · {commit}",
                    format_utc(p.finished_at), p.grade.as_str(), p.score, p.open_findings
                );
                view! {
                    <circle cx=x_of(i, n) cy=y_of(p.score) r="4" fill="#0369a1" stroke="#fff" stroke-width="1.5" data-review=p.id>
                        <title>{tip}</title>
                    </circle>
                }
            }).collect_view()}
            <text x=LEFT y=HEIGHT - 8.0 font-size="10" fill="#64748b">{first}</text>
            <text x=WIDTH - RIGHT y=HEIGHT - 8.0 font-size="10" fill="#64748b" text-anchor="end">{last}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_map_to_the_plot_area_top_to_bottom() {
        assert_eq!(y_of(100), TOP);
        assert_eq!(y_of(0), HEIGHT - BOTTOM);
        assert!(y_of(50) > y_of(90));
        assert_eq!(y_of(150), TOP, "clamped");
    }

    #[test]
    fn reviews_spread_across_the_width() {
        assert_eq!(x_of(0, 3), LEFT);
        assert_eq!(x_of(2, 3), WIDTH - RIGHT);
        assert_eq!(x_of(0, 1), (LEFT + WIDTH - RIGHT) / 2.0);
    }
}
