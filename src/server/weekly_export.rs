//! The weekly review as Markdown (pastes into a meeting document) and CSV
//! (one row per project, for spreadsheets). Pure functions of the report.

use crate::model::views::format_utc;
use crate::model::week::IsoWeek;
use crate::model::weekly::{ProjectWeek, WeeklyReport};
use crate::model::Category;
use crate::server::services::weekly::WeeklyError;
use crate::server::services::weekly_cache::cached_weekly_report;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// A table cell: no line breaks, pipes escaped, HTML tags defused (many
/// Markdown renderers pass HTML through).
fn cell(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn signed(delta: i64) -> String {
    match delta {
        d if d > 0 => format!("+{d}"),
        0 => "±0".to_string(),
        // A real minus sign reads better in documents than a hyphen.
        d => format!("\u{2212}{}", -d),
    }
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| v.to_string())
}

fn movers(out: &mut String, title: &str, list: &[ProjectWeek]) {
    let _ = writeln!(out, "## {title}\n");
    if list.is_empty() {
        out.push_str("None this week.\n\n");
        return;
    }
    out.push_str("| Project | Grade | Score | Change |\n|---|---|---|---|\n");
    for p in list {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} ({} → {}) |",
            cell(&p.name),
            p.grade.map_or("–", |g| g.as_str()),
            opt(p.score),
            signed(p.delta.unwrap_or(0)),
            opt(p.score_before),
            opt(p.score),
        );
    }
    out.push('\n');
}

/// The report as a Markdown document.
pub fn render_markdown(r: &WeeklyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Weekly review {} ({})\n", r.week, r.date_range);
    let _ = writeln!(
        out,
        "{} projects · {} reviews this week · generated {}\n",
        r.projects.len(),
        r.reviews_this_week,
        format_utc(r.generated_at)
    );
    if r.rescored_projects > 0 {
        let _ = writeln!(
            out,
            "> {} project(s) were scored with a new scoring version this week: their change is a new formula, not a change in the code, and is left out of regressions and improvements.\n",
            r.rescored_projects
        );
    }
    movers(&mut out, "Biggest regressions", &r.regressions);
    movers(&mut out, "Biggest improvements", &r.improvements);

    let _ = writeln!(
        out,
        "## New critical and high findings ({}{})\n",
        r.new_severe_findings.len(),
        if r.new_severe_truncated { "+" } else { "" }
    );
    if r.new_severe_findings.is_empty() {
        out.push_str("None this week.\n\n");
    } else {
        out.push_str(
            "| Severity | Project | Check | Location | Message |\n|---|---|---|---|---|\n",
        );
        for f in &r.new_severe_findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}:{}` | {} |",
                f.severity.as_str(),
                cell(&f.project),
                cell(&f.check_id),
                cell(&f.path).replace('`', "'"),
                f.line,
                cell(&f.message)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "## Not reviewed for two weeks ({})\n",
        r.stale_projects.len()
    );
    if r.stale_projects.is_empty() {
        out.push_str("Every project was reviewed in the last two weeks.\n\n");
    } else {
        out.push_str("| Project | Last review |\n|---|---|\n");
        for p in &r.stale_projects {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(&p.name),
                p.last_review_at.map_or("never".to_string(), format_utc)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "## Suppressions expiring soon ({})\n",
        r.expiring_suppressions.len()
    );
    if r.expiring_suppressions.is_empty() {
        out.push_str("None in the next two weeks.\n\n");
    } else {
        out.push_str("| Until | Project | Check | Location | Reason |\n|---|---|---|---|---|\n");
        for s in &r.expiring_suppressions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}:{}` | {} |",
                s.until,
                cell(&s.project),
                cell(&s.check_id),
                cell(&s.path).replace('`', "'"),
                s.line,
                cell(&s.reason)
            );
        }
        out.push('\n');
    }

    let changed: Vec<&ProjectWeek> = r.projects.iter().filter(|p| p.changed()).collect();
    let changed_count = changed.len();
    let _ = writeln!(
        out,
        "## Changes per project and category ({changed_count})\n"
    );
    if changed.is_empty() {
        out.push_str("No score changed this week.\n");
    } else {
        out.push_str("| Project | Grade | Score | Change |");
        for c in Category::ALL {
            let _ = write!(out, " {} |", c.id());
        }
        out.push_str("\n|---|---|---|---|");
        out.push_str(&"---|".repeat(Category::ALL.len()));
        out.push('\n');
        for p in changed {
            let _ = write!(
                out,
                "| {} | {} | {} | {}{} |",
                cell(&p.name),
                p.grade.map_or("–", |g| g.as_str()),
                opt(p.score),
                p.delta.map_or("–".to_string(), signed),
                if p.scoring_changed {
                    " (new scoring)"
                } else {
                    ""
                }
            );
            for c in Category::ALL {
                let d = p.categories.iter().find(|x| x.category == c);
                let _ = write!(
                    out,
                    " {} |",
                    d.and_then(|d| d.delta).map_or("–".to_string(), signed)
                );
            }
            out.push('\n');
        }
    }
    let unchanged = r.projects.len() - changed_count;
    if unchanged > 0 && changed_count > 0 {
        let _ = writeln!(out, "\n{unchanged} other project(s) unchanged.");
    }
    out
}

/// A CSV field (RFC 4180); text that a spreadsheet would run as a formula
/// is prefixed with `'`.
fn csv_text(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv_num(v: Option<i64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// One row per project: score and grade, change against the previous week,
/// status flags, and each category's score and change.
pub fn render_csv(r: &WeeklyReport) -> String {
    let mut out = String::from(
        "week,project_id,project,grade,score,score_previous_week,change,scoring_changed,reviewed_this_week,stale,last_review_utc",
    );
    for c in Category::ALL {
        let _ = write!(out, ",{0},{0}_change", c.id());
    }
    out.push_str("\r\n");
    for p in &r.projects {
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.week,
            p.project_id,
            csv_text(&p.name),
            p.grade.map_or("", |g| g.as_str()),
            csv_num(p.score),
            csv_num(p.score_before),
            csv_num(p.delta),
            p.scoring_changed,
            p.reviewed_this_week,
            p.stale,
            p.last_review_at.map_or_else(String::new, format_utc),
        );
        for c in Category::ALL {
            let d = p.categories.iter().find(|x| x.category == c);
            let _ = write!(
                out,
                ",{},{}",
                csv_num(d.and_then(|d| d.now)),
                csv_num(d.and_then(|d| d.delta))
            );
        }
        out.push_str("\r\n");
    }
    out
}

/// `/weekly/{week}/export.md` and `/weekly/{week}/export.csv` (`week` may
/// be `current`): the report as a file to download.
pub async fn download(
    State(state): State<AppState>,
    Path((week, file)): Path<(String, String)>,
) -> Response {
    let plain = |status: StatusCode, text: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    };
    let (markdown, ext) = match file.as_str() {
        "export.md" => (true, "md"),
        "export.csv" => (false, "csv"),
        _ => {
            return plain(
                StatusCode::NOT_FOUND,
                "weekly exports are /weekly/{week}/export.md and /weekly/{week}/export.csv".into(),
            )
        }
    };
    let now = crate::server::now();
    let week = if week == "current" {
        IsoWeek::of_unix(now)
    } else {
        match IsoWeek::parse(&week) {
            Ok(w) => w,
            Err(e) => return plain(StatusCode::BAD_REQUEST, e.to_string()),
        }
    };
    let report = match cached_weekly_report(&state.pool, week, now).await {
        Ok(r) => r,
        Err(e @ WeeklyError::Future { .. }) => return plain(StatusCode::NOT_FOUND, e.to_string()),
        Err(WeeklyError::Service(e)) => {
            tracing::error!(error = %e, "weekly export failed");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the export failed; the server log has the details".into(),
            );
        }
    };
    let (body, content_type) = if markdown {
        (render_markdown(&report), "text/markdown; charset=utf-8")
    } else {
        (render_csv(&report), "text/csv; charset=utf-8")
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"backlens-weekly-{week}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::week::IsoWeek;
    use crate::model::weekly::CategoryDelta;
    use crate::model::Grade;

    fn project(name: &str, before: i64, now: i64) -> ProjectWeek {
        ProjectWeek {
            project_id: 1,
            name: name.into(),
            grade: Some(Grade::C),
            score: Some(now),
            score_before: Some(before),
            delta: Some(now - before),
            scoring_changed: false,
            scoring_version: Some(1),
            last_review_at: Some(1_795_000_000),
            reviewed_this_week: true,
            stale: false,
            categories: vec![CategoryDelta {
                category: Category::Sec,
                before: Some(90),
                now: Some(70),
                delta: Some(-20),
            }],
        }
    }

    fn report(p: ProjectWeek) -> WeeklyReport {
        let week = IsoWeek::parse("2026-W47").unwrap();
        WeeklyReport {
            week,
            previous_week: week.previous(),
            next_week: None,
            date_range: week.date_range_label(),
            generated_at: 1_795_000_000,
            reviews_this_week: 3,
            regressions: vec![p.clone()],
            improvements: vec![],
            new_severe_findings: vec![],
            new_severe_truncated: false,
            stale_projects: vec![],
            expiring_suppressions: vec![],
            rescored_projects: 0,
            projects: vec![p],
        }
    }

    #[test]
    fn markdown_tables_cannot_be_broken_by_names() {
        let md = render_markdown(&report(project("evil|<script>\nname", 80, 72)));
        assert!(md.starts_with("# Weekly review 2026-W47 (16\u{2013}22 Nov 2026)"));
        assert!(
            md.contains("| evil\\|&lt;script&gt; name | C | 72 | \u{2212}8 (80 → 72) |"),
            "{md}"
        );
        assert!(!md.contains("<script>"));
        assert!(md.contains("| SEC |"));
        assert!(md.contains("\u{2212}20"));
    }

    #[test]
    fn csv_quotes_fields_and_defuses_formulas() {
        let csv = render_csv(&report(project("=HYPERLINK(\"x\"),y", 80, 72)));
        let mut lines = csv.split("\r\n");
        let header = lines.next().unwrap();
        assert!(header.starts_with("week,project_id,project,grade,score"));
        assert!(header.ends_with("TEST,TEST_change"));
        let row = lines.next().unwrap();
        assert!(
            row.starts_with("2026-W47,1,\"'=HYPERLINK(\"\"x\"\"),y\",C,72,80,-8,false,true,false,"),
            "{row}"
        );
        assert!(row.contains(",70,-20,"));
        assert_eq!(header.split(',').count(), 11 + 12);
    }
}
