//! One verdict per catalog entry, in catalog order: the practices and finding
//! checks this version implements, `not_checked` for the rest.

use super::facts::ProjectFacts;
use super::{health, migrations, sec_api, secrets, sqli, test_presence};
use crate::model::{CheckResult, Evidence, Finding, Severity, Verdict, CATALOG};

pub const NOT_CHECKED_SUMMARY: &str = "Not yet checked by this version of backlens.";
/// Evidence entries listed for one verdict, at most.
pub const MAX_EVIDENCE: usize = 20;

/// The verdicts of every check of the catalog, in catalog order.
pub fn evaluate(facts: &ProjectFacts, findings: &[Finding]) -> Vec<CheckResult> {
    CATALOG
        .iter()
        .map(|def| match def.id {
            sqli::CHECK_ID => finding_check(
                def.id,
                findings,
                facts.coverage.parsed_total(),
                || {
                    format!(
                        "No SQL built from strings in {} files examined ({}).",
                        facts.coverage.parsed_total(),
                        facts.coverage.describe_parsed()
                    )
                },
                "No TypeScript, JavaScript, Python, Go or Rust files to examine.",
            ),
            secrets::CHECK_ID => finding_check(
                def.id,
                findings,
                facts.coverage.text_total(),
                || {
                    format!(
                        "No committed secrets in {} files examined ({}).",
                        facts.coverage.text_total(),
                        facts.coverage.describe_text()
                    )
                },
                "No text files to examine.",
            ),
            migrations::CHECK_ID => migrations::check(facts),
            test_presence::CHECK_ID => test_presence::check(facts),
            health::CHECK_ID => health::check(facts),
            id if sec_api::owns(id) => sec_api::check(id, facts, findings),
            id if super::design::CHECK_IDS.contains(&id) => {
                super::design::check(id, facts, findings)
            }
            _ => result(
                def.id,
                Verdict::NotChecked,
                NOT_CHECKED_SUMMARY.to_string(),
                Vec::new(),
            ),
        })
        .collect()
}

/// A check result with the category and kind of the catalog entry.
pub fn result(id: &str, verdict: Verdict, summary: String, evidence: Vec<Evidence>) -> CheckResult {
    let def = crate::model::catalog::find_check(id).expect("check id from the catalog");
    CheckResult {
        check_id: def.id.to_string(),
        category: def.category,
        kind: def.kind,
        verdict,
        summary,
        evidence,
    }
}

/// The verdict of a finding-kind check: fail with ≥1 finding, pass when files
/// it covers were examined, not applicable otherwise.
pub fn finding_check(
    id: &str,
    findings: &[Finding],
    files_examined: usize,
    pass_summary: impl FnOnce() -> String,
    not_applicable: &str,
) -> CheckResult {
    let (suppressed, mine): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .filter(|f| f.check_id == id)
        .partition(|f| f.suppressed.is_some());
    if mine.is_empty() && !suppressed.is_empty() {
        let evidence = suppressed
            .iter()
            .take(MAX_EVIDENCE)
            .map(|f| Evidence {
                path: f.path.clone(),
                line: Some(f.line),
                note: format!(
                    "suppressed: {}",
                    f.suppressed.as_deref().unwrap_or_default()
                ),
            })
            .collect();
        let summary = format!(
            "No open findings; {} suppressed in the code with a backlens-ignore comment.",
            suppressed.len()
        );
        return result(id, Verdict::Pass, summary, evidence);
    }
    if mine.is_empty() {
        return if files_examined == 0 {
            result(
                id,
                Verdict::NotApplicable,
                not_applicable.to_string(),
                Vec::new(),
            )
        } else {
            result(id, Verdict::Pass, pass_summary(), Vec::new())
        };
    }
    let mut by_severity = Vec::new();
    for severity in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let n = mine.iter().filter(|f| f.severity == severity).count();
        if n > 0 {
            by_severity.push(format!("{n} {}", severity.as_str()));
        }
    }
    let mut files: Vec<&str> = mine.iter().map(|f| f.path.as_str()).collect();
    files.dedup();
    let mut summary = format!(
        "{} finding{} ({}) in {} file{}.",
        mine.len(),
        plural(mine.len()),
        by_severity.join(", "),
        files.len(),
        plural(files.len())
    );
    if !suppressed.is_empty() {
        summary.push_str(&format!(" {} more suppressed.", suppressed.len()));
    }
    let evidence = mine
        .iter()
        .take(MAX_EVIDENCE)
        .map(|f| Evidence {
            path: f.path.clone(),
            line: Some(f.line),
            note: format!("{}: {}", f.severity.as_str(), headline(&f.message)),
        })
        .collect();
    result(id, Verdict::Fail, summary, evidence)
}

/// The first clause of a message (up to its first `": "`), at most 100 chars.
fn headline(message: &str) -> String {
    let head = message.split(": ").next().unwrap_or(message);
    if head.chars().count() <= 100 {
        head.to_string()
    } else {
        let mut out: String = head.chars().take(99).collect();
        out.push('…');
        out
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "a, b, c and 4 more"
pub fn list_some(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let mut out = shown.join(", ");
    if items.len() > max {
        out.push_str(&format!(" and {} more", items.len() - max));
    }
    out
}
