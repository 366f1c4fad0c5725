//! Small colored labels: grades, verdicts, severities, finding status.

use crate::model::views::FindingStatus;
use crate::model::{Grade, Severity, Verdict};
use leptos::prelude::*;

fn grade_classes(grade: Option<Grade>) -> &'static str {
    match grade {
        Some(Grade::A) => "bg-emerald-600 text-white",
        Some(Grade::B) => "bg-lime-600 text-white",
        Some(Grade::C) => "bg-amber-500 text-white",
        Some(Grade::D) => "bg-orange-600 text-white",
        Some(Grade::F) => "bg-red-700 text-white",
        None => "bg-slate-200 text-slate-500",
    }
}

/// The letter grade in a colored square; a dash before the first review.
#[component]
pub fn GradeBadge(grade: Option<Grade>, #[prop(optional)] large: bool) -> impl IntoView {
    let size = if large {
        "h-20 w-20 text-5xl rounded-2xl"
    } else {
        "h-9 w-9 text-lg rounded-lg"
    };
    let label = grade.map(|g| g.as_str()).unwrap_or("–");
    let title = match grade {
        Some(g) => format!("Grade {}", g.as_str()),
        None => "Not reviewed yet".to_string(),
    };
    view! {
        <span
            class=format!("inline-flex shrink-0 items-center justify-center font-bold {size} {}", grade_classes(grade))
            title=title
            data-grade=label
        >
            {label}
        </span>
    }
}

/// A 0–100 score with a bar; "n/a" when the category had nothing to judge.
#[component]
pub fn ScoreBar(score: Option<i64>) -> impl IntoView {
    match score {
        Some(s) => {
            let color = match s {
                90.. => "bg-emerald-500",
                80..=89 => "bg-lime-500",
                70..=79 => "bg-amber-400",
                60..=69 => "bg-orange-500",
                _ => "bg-red-600",
            };
            view! {
                <div class="flex items-center gap-3">
                    <div class="h-2 w-full overflow-hidden rounded-full bg-slate-200">
                        <div class=format!("h-2 rounded-full {color}") style=format!("width: {}%", s.clamp(0, 100))></div>
                    </div>
                    <span class="w-8 text-right text-sm font-semibold tabular-nums">{s}</span>
                </div>
            }
            .into_any()
        }
        None => view! { <span class="text-sm text-slate-400" title="No check of this category could be evaluated yet">"n/a"</span> }.into_any(),
    }
}

#[component]
pub fn VerdictChip(verdict: Verdict) -> impl IntoView {
    let classes = match verdict {
        Verdict::Pass => "bg-emerald-100 text-emerald-800 ring-emerald-200",
        Verdict::Fail => "bg-red-100 text-red-800 ring-red-200",
        Verdict::NotApplicable => "bg-slate-100 text-slate-600 ring-slate-200",
        Verdict::NotChecked => "bg-white text-slate-400 ring-slate-200 border-dashed",
        Verdict::CouldNotRun => "bg-amber-100 text-amber-800 ring-amber-200",
    };
    view! {
        <span
            class=format!("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {classes}")
            data-verdict=verdict.as_str()
        >
            {verdict.label()}
        </span>
    }
}

#[component]
pub fn SeverityChip(severity: Severity) -> impl IntoView {
    let classes = match severity {
        Severity::Critical => "bg-red-700 text-white",
        Severity::High => "bg-orange-500 text-white",
        Severity::Medium => "bg-amber-200 text-amber-900",
        Severity::Low => "bg-slate-200 text-slate-700",
    };
    view! {
        <span data-severity=severity.as_str() class=format!("inline-flex rounded px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide {classes}")>
            {severity.as_str()}
        </span>
    }
}

#[component]
pub fn StatusChip(status: FindingStatus) -> impl IntoView {
    let (label, classes) = match status {
        FindingStatus::New => ("new", "bg-sky-100 text-sky-800 ring-sky-200"),
        FindingStatus::Unchanged => ("unchanged", "bg-slate-100 text-slate-600 ring-slate-200"),
    };
    view! {
        <span class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {classes}")>
            {label}
        </span>
    }
}
