//! Check runs (with a GitHub App): the request bodies backlens sends, kept
//! pure so GitHub's limits are tested here — an `output.summary` of at most
//! 65,535 characters, at most 50 annotations per request.

use crate::model::{Finding, Severity};
use serde_json::{json, Value};

/// The check run's name on GitHub.
pub const CHECK_NAME: &str = "backlens";
/// GitHub's limit on `output.summary` (and `output.text`).
pub const MAX_SUMMARY_CHARS: usize = 65_535;
/// GitHub's limit on annotations per create/update request.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;
/// GitHub's limit on an annotation's `title`.
const MAX_TITLE_CHARS: usize = 255;
/// A generous cap on an annotation's `message` (GitHub allows 64 KB).
const MAX_MESSAGE_CHARS: usize = 4_000;

/// ISO 8601 (`2026-11-22T04:05:06Z`) of a unix time, as GitHub takes it.
pub fn iso8601(t: i64) -> String {
    let (y, m, d) = crate::model::week::civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// `POST /repos/{o}/{r}/check-runs` when the review starts.
pub fn start_body(head_sha: &str, details_url: Option<&str>, started_at: &str) -> Value {
    let mut body = json!({
        "name": CHECK_NAME,
        "head_sha": head_sha,
        "status": "in_progress",
        "started_at": started_at,
        "output": {
            "title": "backlens is reviewing this commit",
            "summary": "The review has started; this check completes when it is stored.",
        },
    });
    if let Some(url) = details_url {
        body["details_url"] = json!(url);
    }
    body
}

/// How a check run ends.
pub struct Completion<'a> {
    pub passed: bool,
    /// Like the commit status's description.
    pub title: &'a str,
    pub summary: &'a str,
    pub details_url: Option<&'a str>,
    pub completed_at: &'a str,
    pub findings: &'a [Finding],
}

/// The PATCH bodies that complete a check run: the first sets `completed`,
/// the conclusion and the first 50 annotations; each further body adds the
/// next 50 (GitHub appends annotations across updates).
pub fn completion_bodies(c: &Completion<'_>) -> Vec<Value> {
    let title: String = c.title.chars().take(MAX_TITLE_CHARS).collect();
    let summary = truncate_summary(c.summary);
    let annotations: Vec<Value> = c
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(annotation)
        .collect();
    let mut chunks: Vec<&[Value]> = annotations.chunks(ANNOTATIONS_PER_REQUEST).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut body = json!({
                "output": {
                    "title": title,
                    "summary": summary,
                    "annotations": chunk,
                },
            });
            if i == 0 {
                body["status"] = json!("completed");
                body["conclusion"] = json!(if c.passed { "success" } else { "failure" });
                body["completed_at"] = json!(c.completed_at);
                if let Some(url) = c.details_url {
                    body["details_url"] = json!(url);
                }
            }
            body
        })
        .collect()
}

/// The PATCH body of a review that could not finish.
pub fn error_body(message: &str, details_url: Option<&str>, completed_at: &str) -> Value {
    let title: String = format!("review failed: {message}")
        .chars()
        .take(MAX_TITLE_CHARS)
        .collect();
    let mut body = json!({
        "status": "completed",
        "conclusion": "failure",
        "completed_at": completed_at,
        "output": {"title": title, "summary": truncate_summary(message)},
    });
    if let Some(url) = details_url {
        body["details_url"] = json!(url);
    }
    body
}

fn annotation(f: &Finding) -> Value {
    let level = match f.severity {
        Severity::Critical | Severity::High => "failure",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    };
    let start = f.line.max(1);
    let end = f.end_line.max(start);
    json!({
        "path": f.path,
        "start_line": start,
        "end_line": end,
        "annotation_level": level,
        "message": f.message.chars().take(MAX_MESSAGE_CHARS).collect::<String>(),
        "title": f.check_id.chars().take(MAX_TITLE_CHARS).collect::<String>(),
    })
}

/// The summary cut to GitHub's limit at a character boundary, with a note.
pub fn truncate_summary(summary: &str) -> String {
    if summary.chars().count() <= MAX_SUMMARY_CHARS {
        return summary.to_string();
    }
    const NOTE: &str =
        "\n\n… (cut to GitHub's 65,535-character limit; the review page has everything)";
    let keep = MAX_SUMMARY_CHARS - NOTE.chars().count();
    let mut out: String = summary.chars().take(keep).collect();
    out.push_str(NOTE);
    out
}

/// The Markdown summary: the gate's verdict, then the open findings.
pub fn summary_markdown(gate: &str, details_url: Option<&str>, findings: &[Finding]) -> String {
    let open: Vec<&Finding> = findings.iter().filter(|f| f.suppressed.is_none()).collect();
    let mut s = format!("**{gate}**\n\n");
    if let Some(url) = details_url {
        s.push_str(&format!("Full review: {url}\n\n"));
    }
    if open.is_empty() {
        s.push_str("No open findings.\n");
        return s;
    }
    s.push_str(&format!("{} open findings:\n\n", open.len()));
    for f in open {
        s.push_str(&format!(
            "- **{}** `{}` {}:{} — {}\n",
            f.severity.as_str(),
            f.check_id,
            f.path,
            f.line,
            f.message.lines().next().unwrap_or_default()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(i: u32, severity: Severity) -> Finding {
        Finding {
            check_id: format!("SEC-{i:03}"),
            severity,
            path: format!("src/f{i}.ts"),
            line: i + 1,
            end_line: i + 2,
            snippet: String::new(),
            message: "ünïcödé message".into(),
            fingerprint: format!("fp{i}"),
            suppressed: None,
            suppressed_until: None,
        }
    }

    #[test]
    fn annotations_go_out_fifty_at_a_time_and_only_the_first_completes() {
        let findings: Vec<Finding> = (0..120).map(|i| finding(i, Severity::Medium)).collect();
        let bodies = completion_bodies(&Completion {
            passed: false,
            title: "Gate failed",
            summary: "s",
            details_url: Some("https://b.example/projects/1/reviews/2"),
            completed_at: "2026-11-22T00:00:00Z",
            findings: &findings,
        });
        let sizes: Vec<usize> = bodies
            .iter()
            .map(|b| b["output"]["annotations"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, vec![50, 50, 20]);
        assert_eq!(bodies[0]["conclusion"], "failure");
        assert_eq!(bodies[0]["status"], "completed");
        assert!(bodies[1].get("conclusion").is_none());
        let a = &bodies[2]["output"]["annotations"][19];
        assert_eq!(a["title"], "SEC-119");
        assert_eq!(a["annotation_level"], "warning");
        assert_eq!(a["start_line"], 120);
        assert_eq!(a["end_line"], 121);
    }

    #[test]
    fn no_findings_still_complete_the_run_and_levels_follow_severity() {
        let none = completion_bodies(&Completion {
            passed: true,
            title: "ok",
            summary: "s",
            details_url: None,
            completed_at: "t",
            findings: &[],
        });
        assert_eq!(none.len(), 1);
        assert_eq!(none[0]["conclusion"], "success");
        let levels: Vec<Value> = [Severity::Critical, Severity::High, Severity::Low]
            .into_iter()
            .map(|s| annotation(&finding(1, s))["annotation_level"].clone())
            .collect();
        assert_eq!(levels, vec!["failure", "failure", "notice"]);
    }

    #[test]
    fn timestamps_are_iso_8601() {
        assert_eq!(iso8601(1_468_275_250), "2016-07-11T22:14:10Z");
    }

    #[test]
    fn a_huge_summary_is_cut_at_a_character_boundary_with_a_note() {
        let huge = "é".repeat(MAX_SUMMARY_CHARS + 10);
        let cut = truncate_summary(&huge);
        assert_eq!(cut.chars().count(), MAX_SUMMARY_CHARS);
        assert!(cut.ends_with("the review page has everything)"));
        let exact = "x".repeat(MAX_SUMMARY_CHARS);
        assert_eq!(truncate_summary(&exact), exact);
    }
}
