//! From what a rule saw to a reported finding: secrets masked, snippet cut,
//! findings sorted, fingerprints assigned.

use super::fingerprint::{assign, normalize};
use super::mask::Masker;
use super::snippet::excerpt_masked;
use super::suppressions::inline_suppression;
use crate::model::{Finding, Severity};
use std::collections::HashMap;

/// What a rule reports about one place in one file.
#[derive(Clone, Debug)]
pub struct Draft {
    pub check_id: &'static str,
    pub severity: Severity,
    /// 1-based first and last line.
    pub line: u32,
    pub end_line: u32,
    /// Why it matters and how to fix it (secrets already masked).
    pub message: String,
    /// The offending code as written (masked here before any use).
    pub code: String,
    /// Secret values seen at this place; masked wherever they appear.
    pub secrets: Vec<String>,
}

/// A finding waiting for its fingerprint, with the normalized code it is
/// fingerprinted by.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub finding: Finding,
    pub code_key: String,
}

/// Findings of one check reported for one file, at most; the last one says
/// how many more there were.
pub const MAX_PER_CHECK_AND_FILE: usize = 200;

/// Turns the drafts of one file into pending findings. Every secret seen
/// anywhere in the file is masked in every snippet, message and code key of it.
pub fn finish_file(path: &str, text: &str, drafts: Vec<Draft>) -> Vec<Pending> {
    let secrets: Vec<String> = drafts
        .iter()
        .flat_map(|d| d.secrets.iter().cloned())
        .collect();
    let masker = Masker::new(&secrets);
    let mut kept: Vec<Draft> = Vec::new();
    let mut per_check: HashMap<&'static str, usize> = HashMap::new();
    for draft in drafts {
        let count = per_check.entry(draft.check_id).or_insert(0);
        *count += 1;
        if *count <= MAX_PER_CHECK_AND_FILE {
            kept.push(draft);
        }
    }
    for (check_id, count) in per_check {
        if count > MAX_PER_CHECK_AND_FILE {
            if let Some(last) = kept.iter_mut().rev().find(|d| d.check_id == check_id) {
                last.message.push_str(&format!(
                    " ({} more {check_id} findings in this file are not listed.)",
                    count - MAX_PER_CHECK_AND_FILE
                ));
            }
        }
    }
    kept.into_iter()
        .map(|d| Pending {
            code_key: normalize(&masker.apply(&d.code)),
            finding: Finding {
                check_id: d.check_id.to_string(),
                severity: d.severity,
                path: path.to_string(),
                line: d.line,
                end_line: d.end_line.max(d.line),
                snippet: excerpt_masked(text, d.line, d.end_line, &masker),
                message: masker.apply(&d.message),
                fingerprint: String::new(),
                suppressed: inline_suppression(text, d.line, d.check_id).map(|r| masker.apply(&r)),
                suppressed_until: None,
            },
        })
        .collect()
}

/// Sorts findings by path, line and check id, and fingerprints them.
pub fn finalize(mut pending: Vec<Pending>) -> Vec<Finding> {
    pending.sort_by(|a, b| {
        let (x, y) = (&a.finding, &b.finding);
        (
            &x.path,
            x.line,
            &x.check_id,
            x.end_line,
            x.severity,
            &x.message,
        )
            .cmp(&(
                &y.path,
                y.line,
                &y.check_id,
                y.end_line,
                y.severity,
                &y.message,
            ))
    });
    let fingerprints = assign(pending.iter().map(|p| {
        (
            p.finding.check_id.as_str(),
            p.finding.path.as_str(),
            p.code_key.as_str(),
        )
    }));
    pending
        .into_iter()
        .zip(fingerprints)
        .map(|(p, fingerprint)| Finding {
            fingerprint,
            ..p.finding
        })
        .collect()
}
