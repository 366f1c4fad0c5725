//! API-VERSIONING (practice): a versioning strategy, as a path prefix
//! (`/v1/orders`, `/api/v2`, a router mounted or grouped under `/v1`) or a
//! version header (`Accept-Version`, `API-Version`), or NestJS versioning.

use super::facts::ProjectFacts;
use super::sec_api::{describe_evidence, practice_from_signals, Scope, Signal};
use crate::model::{CheckResult, Evidence};

pub const CHECK_ID: &str = "API-VERSIONING";
const KIND: &str = "versioning";

pub const SIGNALS: &[Signal] = &[
    Signal {
        kind: KIND,
        pattern: r#"["'`]/(?:api/)?v\d+(?:\.\d+)?(?:/[^"'`]*)?["'`]"#,
        note: "versioned path prefix",
        scope: Scope::Code,
    },
    Signal {
        kind: KIND,
        pattern: r#"(?i)["'](?:x-)?(?:accept-version|api-version)["']"#,
        note: "version header",
        scope: Scope::Code,
    },
    Signal {
        kind: KIND,
        pattern: r"\benableVersioning\(|\bVersioningType\.|@Version\(",
        note: "NestJS versioning",
        scope: Scope::Code,
    },
];

/// Does a route path carry a version segment (`/v1/...`, `/api/v2/...`)?
pub fn is_versioned_path(path: &str) -> bool {
    path.split('/').any(|seg| {
        seg.len() >= 2
            && (seg.starts_with('v') || seg.starts_with('V'))
            && seg[1..].chars().next().is_some_and(|c| c.is_ascii_digit())
            && seg[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

pub fn check(facts: &ProjectFacts) -> CheckResult {
    let mut checked = practice_from_signals(
        CHECK_ID,
        facts,
        &[KIND],
        |ev| format!("The API is versioned: {}.", describe_evidence(ev)),
        || {
            "No versioning strategy: no route or router prefix like /v1 or /api/v1 and no version header (Accept-Version, API-Version). The first breaking change will break every client at once; mount the routes under /v1 (or read a version header) so a /v2 can live next to it.".to_string()
        },
    );
    if checked.verdict == crate::model::Verdict::Fail {
        // Routes registered with a full versioned path count too.
        let versioned: Vec<Evidence> = facts
            .routes
            .iter()
            .filter(|r| is_versioned_path(&r.route))
            .take(5)
            .map(|r| Evidence {
                path: r.file.clone(),
                line: Some(r.line),
                note: format!("route `{}`", r.route),
            })
            .collect();
        if !versioned.is_empty() {
            checked.verdict = crate::model::Verdict::Pass;
            checked.summary = format!("The API is versioned: {}.", describe_evidence(&versioned));
            checked.evidence = versioned;
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_segments_are_recognised() {
        assert!(is_versioned_path("/api/v1/orders"));
        assert!(is_versioned_path("/v2"));
        assert!(is_versioned_path("v1.1/items"));
        assert!(!is_versioned_path("/videos"));
        assert!(!is_versioned_path("/v/1"));
        assert!(!is_versioned_path("/orders/:v1"));
    }
}
