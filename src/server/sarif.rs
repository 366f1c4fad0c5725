//! SARIF 2.1.0 export of a review, in the shape GitHub code scanning accepts:
//! one rule per finding-kind check with descriptions and help, `level` and
//! `security-severity`, one location per result, `partialFingerprints`, and
//! suppressed findings marked as suppressed in source.

use crate::model::{catalog::CheckDef, Category, CheckKind, Severity, CATALOG};
use serde_json::{json, Value};

/// One finding, whether it comes from a fresh review or from the database.
pub struct SarifResult<'a> {
    pub check_id: &'a str,
    pub severity: Severity,
    pub path: &'a str,
    pub line: u32,
    pub end_line: u32,
    pub message: &'a str,
    pub snippet: &'a str,
    pub fingerprint: &'a str,
    pub suppressed: Option<&'a str>,
}

impl<'a> From<&'a crate::model::Finding> for SarifResult<'a> {
    fn from(f: &'a crate::model::Finding) -> Self {
        SarifResult {
            check_id: &f.check_id,
            severity: f.severity,
            path: &f.path,
            line: f.line,
            end_line: f.end_line,
            message: &f.message,
            snippet: &f.snippet,
            fingerprint: &f.fingerprint,
            suppressed: f.suppressed.as_deref(),
        }
    }
}

impl<'a> From<&'a crate::model::views::FindingView> for SarifResult<'a> {
    fn from(f: &'a crate::model::views::FindingView) -> Self {
        SarifResult {
            check_id: &f.check_id,
            severity: f.severity,
            path: &f.path,
            line: f.line.max(0) as u32,
            end_line: f.end_line.max(0) as u32,
            message: &f.message,
            snippet: &f.snippet,
            fingerprint: &f.fingerprint,
            suppressed: f.suppressed.as_deref(),
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's scale: over 9 critical, 7–8.9 high, 4–6.9 medium, under 4 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn rule(def: &CheckDef) -> Value {
    let cwe: Vec<String> = def.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    // "security" is the tag GitHub keys security-severity on; the category
    // title of SEC already is that word.
    let mut tags = vec![def.category.title().to_lowercase()];
    tags.extend(
        cwe.iter()
            .map(|c| format!("external/cwe/{}", c.to_lowercase())),
    );
    let help = format!(
        "{}. backlens checklist item {} ({}){}. Each result's message says why it matters here and how to fix it.",
        def.title,
        def.id,
        def.category.title(),
        if cwe.is_empty() { String::new() } else { format!(", {}", cwe.join(", ")) }
    );
    json!({
        "id": def.id,
        "name": def.id.replace('-', ""),
        "shortDescription": {"text": def.title},
        "fullDescription": {"text": help},
        "help": {"text": help, "markdown": format!("**{}** — {help}", def.id)},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": tags, "precision": "high", "security-severity": if def.category == Category::Sec { "8.0" } else { "4.0" }},
    })
}

/// The SARIF log of one review.
pub fn render(results: &[SarifResult<'_>], commit: Option<&str>) -> Value {
    let rules: Vec<&CheckDef> = CATALOG
        .iter()
        .filter(|c| c.kind == CheckKind::Finding)
        .collect();
    let results: Vec<Value> = results
        .iter()
        .map(|r| {
            let index = rules.iter().position(|c| c.id == r.check_id);
            let mut result = json!({
                "ruleId": r.check_id,
                "level": level(r.severity),
                "message": {"text": r.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": r.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": r.line.max(1),
                            "endLine": r.end_line.max(r.line).max(1),
                            "snippet": {"text": r.snippet},
                        },
                    },
                }],
                "partialFingerprints": {"backlensFingerprint/v1": r.fingerprint},
                "properties": {"security-severity": security_severity(r.severity), "severity": r.severity.as_str()},
            });
            if let Some(index) = index {
                result["ruleIndex"] = json!(index);
            }
            if let Some(reason) = r.suppressed {
                result["suppressions"] = json!([{"kind": "inSource", "justification": reason}]);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "backlens",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/backlens/backlens",
            "rules": rules.iter().map(|d| rule(d)).collect::<Vec<_>>(),
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the reviewed repository."}}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let Some(commit) = commit {
        run["properties"] = json!({"commit": commit});
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(suppressed: Option<&str>) -> SarifResult<'_> {
        SarifResult {
            check_id: "SEC-SQLI",
            severity: Severity::Critical,
            path: "src/routes/orders.ts",
            line: 13,
            end_line: 13,
            message: "SQL built by string concatenation",
            snippet: "\"SELECT …\" + req.query.customer",
            fingerprint: "abc123",
            suppressed,
        }
    }

    #[test]
    fn a_result_points_at_its_rule_location_and_fingerprint() {
        let log = render(&[finding(None)], Some("3661ceb2c4a3"));
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let result = &run["results"][0];
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "SEC-SQLI");
        assert_eq!(result["level"], "error");
        assert_eq!(result["properties"]["security-severity"], "9.5");
        assert_eq!(result["locations"].as_array().unwrap().len(), 1);
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            13
        );
        assert_eq!(
            result["partialFingerprints"]["backlensFingerprint/v1"],
            "abc123"
        );
        assert!(result.get("suppressions").is_none());
        let rule = &run["tool"]["driver"]["rules"][index];
        assert!(rule["help"]["text"].as_str().unwrap().contains("CWE-89"));
        assert_eq!(run["properties"]["commit"], "3661ceb2c4a3");
    }

    #[test]
    fn a_suppressed_finding_is_marked_in_source_with_its_reason() {
        let log = render(&[finding(Some("allow-listed"))], None);
        let s = &log["runs"][0]["results"][0]["suppressions"][0];
        assert_eq!(s["kind"], "inSource");
        assert_eq!(s["justification"], "allow-listed");
    }

    #[test]
    fn every_finding_check_is_a_rule_and_practices_are_not() {
        let log = render(&[], None);
        let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"SEC-SQLI") && ids.contains(&"DATA-NPLUS1"));
        assert!(!ids.contains(&"DATA-MIGRATIONS"));
        for rule in log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
        {
            let tags: Vec<&str> = rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let unique: std::collections::HashSet<_> = tags.iter().collect();
            assert_eq!(
                unique.len(),
                tags.len(),
                "SARIF wants unique tags: {tags:?}"
            );
        }
        let sqli = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert!(sqli["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "security"));
    }
}
