//! `backlens review PATH --quality`: the loop on a copy of a working tree,
//! its LOOP-* verdicts written into the report, and its output for people
//! and for scripts.

use super::{check_results, copy_tree, run_loop, settings, LoopOutcome};
use crate::server::review::{rescore, ReviewReport};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Runs the loop on a copy of `path` (the working tree as it is, `.git`
/// left out) and puts its verdicts into `report`, scored again.
pub fn run_on_working_tree(path: &Path, report: &mut ReviewReport) -> Result<LoopOutcome, String> {
    let settings = settings::from_env().map_err(|e| format!("BACKLENS_QUALITY_* settings: {e}"))?;
    let (_work, copy, tmp) = super::work_folder()?;
    copy_tree(path, &copy).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
    let cancel = AtomicBool::new(false);
    let outcome = run_loop(
        &copy,
        &tmp,
        &settings.loop_settings(),
        &cancel,
        &mut |step| {
            eprintln!("backlens: quality loop: {step}");
        },
    );
    for result in check_results(&outcome) {
        if let Some(c) = report
            .checks
            .iter_mut()
            .find(|c| c.check_id == result.check_id)
        {
            *c = result;
        }
    }
    report.notes.extend(outcome.notes.iter().cloned());
    report.scorecard = rescore(&report.checks, &report.findings);
    Ok(outcome)
}

/// The loop in the JSON output (`quality` key).
pub fn outcome_json(o: &LoopOutcome) -> Value {
    json!({
        "state": o.state.as_str(),
        "note": o.note,
        "sandbox": o.sandbox.as_str(),
        "network": if o.network { "registries" } else { "none" },
        "duration_ms": o.duration_ms,
        "verdicts": o.verdicts.iter().map(|v| json!({
            "id": v.check_id, "verdict": v.verdict.as_str(), "summary": v.summary,
        })).collect::<Vec<_>>(),
        "steps": o.steps.iter().map(|s| json!({
            "kind": s.kind.as_str(),
            "ecosystem": s.ecosystem,
            "tool": s.tool,
            "command": s.command,
            "verdict": s.verdict.as_str(),
            "summary": s.summary,
            "duration_ms": s.duration_ms,
            "exit_code": s.exit_code,
            "timed_out": s.timed_out,
            "tests": s.tests,
            "failing_tests": s.failing_tests,
            "flaky_tests": s.flaky_tests,
            "findings": s.diagnostics.iter().map(|d| json!({
                "path": d.path, "line": d.line, "column": d.column,
                "severity": d.severity, "rule": d.rule, "message": d.message,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The loop for a terminal.
pub fn outcome_text(o: &LoopOutcome) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nQuality loop ({} sandbox, {:.1} s){}:",
        o.sandbox.as_str(),
        o.duration_ms as f64 / 1000.0,
        o.note
            .as_ref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default()
    );
    for s in &o.steps {
        let _ = writeln!(
            out,
            "  {:<15} {:<10} {:<28} {}",
            s.verdict.label(),
            s.kind.as_str(),
            s.tool,
            s.summary
        );
        for d in s.diagnostics.iter().take(20) {
            let _ = writeln!(
                out,
                "      {}:{} {} {}",
                d.path,
                d.line.unwrap_or(0),
                d.rule.as_deref().unwrap_or(""),
                d.message
            );
        }
    }
    out
}
