//! The quality loop: the reviewed project's own linter, type-checker and
//! tests, run in a sandbox on a copy of the repository, parsed into
//! diagnostics and test counts, and turned into the LOOP-LINT,
//! LOOP-TYPECHECK and LOOP-TESTS verdicts. Synchronous: call it from a
//! blocking task.

pub mod capture;
pub mod cli;
pub mod detect;
pub mod diagnostics;
pub mod sandbox;
pub mod settings;
pub mod test_results;

use crate::model::quality::{LoopVerdict, StepKind, StepView, TestCounts};
use crate::model::{CheckResult, Evidence, Verdict};
use detect::PlannedStep;
use sandbox::{Exit, Limits, RunResult, RunSpec, SandboxMode, ToolPaths};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use test_results::TestRun;

/// How one loop runs.
#[derive(Clone, Debug)]
pub struct LoopSettings {
    pub mode: SandboxMode,
    /// The prepare step may reach package registries.
    pub network_registries: bool,
    pub step_timeout: Duration,
    pub loop_timeout: Duration,
    pub limits: Limits,
    pub tools: ToolPaths,
}

/// How a loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopState {
    Finished,
    Cancelled,
    /// The sandbox (or the copy) could not be made: nothing ran.
    CouldNotRun,
}

impl LoopState {
    pub fn as_str(self) -> &'static str {
        match self {
            LoopState::Finished => "finished",
            LoopState::Cancelled => "cancelled",
            LoopState::CouldNotRun => "could_not_run",
        }
    }
}

#[derive(Clone, Debug)]
pub struct LoopOutcome {
    pub state: LoopState,
    pub note: Option<String>,
    pub sandbox: SandboxMode,
    pub network: bool,
    pub duration_ms: i64,
    pub steps: Vec<StepView>,
    pub verdicts: Vec<LoopVerdict>,
    /// Problems with `.backlens.toml`'s `[quality]` table.
    pub notes: Vec<String>,
}

/// The stored log of a step: stdout and stderr, each cut to its share.
const LOG_HEAD: usize = 96 * 1024;
const LOG_TAIL: usize = 32 * 1024;

/// Runs the loop on `copy`, a copy of the repository this loop may change
/// (the sandbox hands it to its own user). `tmp` becomes the private `/tmp`.
pub fn run_loop(
    copy: &Path,
    tmp: &Path,
    settings: &LoopSettings,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&str),
) -> LoopOutcome {
    let clock = Instant::now();
    let cfg = detect::load_config(copy);
    let planned = detect::plan(copy, &cfg, &settings.tools, settings.network_registries);
    let mut outcome = LoopOutcome {
        state: LoopState::Finished,
        note: None,
        sandbox: settings.mode,
        network: settings.network_registries,
        duration_ms: 0,
        steps: Vec::new(),
        verdicts: Vec::new(),
        notes: cfg.notes.clone(),
    };
    match settings.mode {
        SandboxMode::Bubblewrap => {
            if let Err(why) = sandbox::probe(&settings.tools) {
                tracing::error!(%why, "quality loop: the sandbox cannot start");
                outcome.state = LoopState::CouldNotRun;
                outcome.note = Some(format!("sandbox unavailable: {why}"));
                outcome.verdicts = could_not_run_verdicts("sandbox unavailable");
                outcome.duration_ms = clock.elapsed().as_millis() as i64;
                return outcome;
            }
        }
        SandboxMode::Off => tracing::warn!(
            "DANGER: BACKLENS_QUALITY_SANDBOX=off — the reviewed project's own code runs \
             unsandboxed, with backlens's user, files and network"
        ),
    }
    let deadline = clock + settings.loop_timeout;
    for step in &planned {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            outcome.state = LoopState::Cancelled;
            outcome.note = Some("cancelled".into());
            break;
        }
        on_step(&format!("{} ({})", step.kind.as_str(), step.tool));
        let remaining = deadline.saturating_duration_since(Instant::now());
        let view = if remaining.is_zero() {
            skipped(
                step,
                Verdict::CouldNotRun,
                format!(
                    "The whole loop ran out of its {} s before this step.",
                    settings.loop_timeout.as_secs()
                ),
            )
        } else {
            run_step(step, copy, tmp, settings, remaining, cancel)
        };
        let failed_prepare = step.kind == StepKind::Prepare && view.verdict != Verdict::Pass;
        outcome.steps.push(view);
        if failed_prepare {
            tracing::info!("quality loop: the prepare step did not pass; checks run without it");
        }
    }
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        outcome.state = LoopState::Cancelled;
        outcome.note = Some("cancelled".into());
    }
    outcome.verdicts = verdicts(&outcome.steps);
    outcome.duration_ms = clock.elapsed().as_millis() as i64;
    outcome
}

impl LoopOutcome {
    /// A loop that could not start at all, for `why`.
    pub fn could_not_run(settings: &LoopSettings, why: &str) -> LoopOutcome {
        LoopOutcome {
            state: LoopState::CouldNotRun,
            note: Some(why.to_string()),
            sandbox: settings.mode,
            network: settings.network_registries,
            duration_ms: 0,
            steps: Vec::new(),
            verdicts: could_not_run_verdicts(why),
            notes: Vec::new(),
        }
    }
}

fn could_not_run_verdicts(why: &str) -> Vec<LoopVerdict> {
    [StepKind::Lint, StepKind::Typecheck, StepKind::Tests]
        .iter()
        .map(|k| LoopVerdict {
            check_id: k.check_id().unwrap_or_default().to_string(),
            verdict: Verdict::CouldNotRun,
            summary: format!("Could not run: {why}."),
        })
        .collect()
}

fn skipped(step: &PlannedStep, verdict: Verdict, summary: String) -> StepView {
    StepView {
        kind: step.kind,
        ecosystem: step.ecosystem.to_string(),
        tool: step.tool.clone(),
        command: step.command_line(),
        verdict,
        summary,
        duration_ms: 0,
        exit_code: None,
        timed_out: false,
        diagnostics: Vec::new(),
        tests: None,
        failing_tests: Vec::new(),
        flaky_tests: Vec::new(),
        log: String::new(),
        log_cut_bytes: 0,
    }
}

fn step_env(copy: &Path, settings: &LoopSettings) -> Vec<(String, String)> {
    // The project's own virtualenv (made by the prepare step) comes first.
    if copy.join(detect::PY_VENV).join("bin").is_dir() {
        let venv_bin = format!(
            "{}/{}/bin",
            sandbox::work_dir_inside(settings.mode, copy),
            detect::PY_VENV
        );
        let mut dirs = vec![venv_bin];
        dirs.extend(
            settings
                .tools
                .bin_dirs
                .iter()
                .map(|d| d.display().to_string()),
        );
        dirs.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(String::from));
        return vec![("PATH".into(), dirs.join(":"))];
    }
    Vec::new()
}

fn execute(
    step: &PlannedStep,
    copy: &Path,
    tmp: &Path,
    settings: &LoopSettings,
    timeout: Duration,
    cancel: &AtomicBool,
) -> RunResult {
    let env = step_env(copy, settings);
    sandbox::run(
        settings.mode,
        &RunSpec {
            work: copy,
            tmp,
            argv: &step.argv,
            env: &env,
            network: step.kind == StepKind::Prepare && settings.network_registries,
            timeout,
            limits: &settings.limits,
            tools: &settings.tools,
            cancel,
        },
    )
}

/// Reads a report the command wrote in the copy, refusing anything that
/// leads out of it (the command could leave a symlink to a host file). The
/// sandbox's processes are all gone when this runs.
fn read_report(copy: &Path, rel: &str) -> Option<String> {
    let root = std::fs::canonicalize(copy).ok()?;
    let path = std::fs::canonicalize(copy.join(rel)).ok()?;
    if !path.starts_with(&root) {
        return None;
    }
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 16 * 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn test_run_of(step: &PlannedStep, copy: &Path, res: &RunResult) -> Option<TestRun> {
    if let Some(rel) = &step.junit {
        if let Some(run) = read_report(copy, rel).and_then(|x| test_results::junit(&x)) {
            return Some(run);
        }
    }
    let text = format!("{}\n{}", res.stdout.text(), res.stderr.text());
    step.tests.and_then(|f| test_results::parse_text(f, &text))
}

fn log_of(res: &RunResult) -> (String, i64) {
    let (out, cut_out) = res.stdout.excerpt(LOG_HEAD, LOG_TAIL);
    let (err, cut_err) = res.stderr.excerpt(LOG_HEAD, LOG_TAIL);
    let mut log = out;
    if !err.trim().is_empty() {
        if !log.is_empty() && !log.ends_with('\n') {
            log.push('\n');
        }
        log.push_str("--- stderr ---\n");
        log.push_str(&err);
    }
    (log, (cut_out + cut_err) as i64)
}

/// Lines of output that say a dependency or tool is missing.
fn missing_dependency(text: &str) -> Option<String> {
    const SIGNS: &[&str] = &[
        "ModuleNotFoundError",
        "No module named",
        "Cannot find module",
        "ERR_MODULE_NOT_FOUND",
        "command not found",
        ": not found",
        "no matching package named",
        "failed to load source for dependency",
        "attempting to make an HTTP request, but --offline was specified",
        "cannot find package",
        "missing go.sum entry",
        "Could not resolve dependency",
    ];
    text.lines()
        .find(|l| SIGNS.iter().any(|s| l.contains(s)))
        .map(|l| l.trim().chars().take(200).collect())
}

fn run_step(
    step: &PlannedStep,
    copy: &Path,
    tmp: &Path,
    settings: &LoopSettings,
    remaining: Duration,
    cancel: &AtomicBool,
) -> StepView {
    if step.switched_off {
        return skipped(
            step,
            Verdict::NotApplicable,
            "Switched off in .backlens.toml.".into(),
        );
    }
    if let Some(why) = &step.unavailable {
        return skipped(step, Verdict::CouldNotRun, format!("Could not run: {why}."));
    }
    let program = &step.argv[0];
    if sandbox::find_program(program, copy, &settings.tools).is_none() {
        return skipped(
            step,
            Verdict::CouldNotRun,
            format!("Could not run: {program} is not installed."),
        );
    }
    let timeout = settings.step_timeout.min(remaining);
    let started = Instant::now();
    let res = execute(step, copy, tmp, settings, timeout, cancel);
    let (log, cut) = log_of(&res);
    let mut view = skipped(step, Verdict::Fail, String::new());
    view.log = log;
    view.log_cut_bytes = cut;
    view.timed_out = res.timed_out;
    view.exit_code = match res.exit {
        Exit::Code(c) => Some(c),
        _ => None,
    };
    let root = sandbox::work_dir_inside(settings.mode, copy);
    let text = format!("{}\n{}", res.stdout.text(), res.stderr.text());
    if let Some(format) = step.diag {
        let source = match format {
            diagnostics::DiagFormat::EslintJson
            | diagnostics::DiagFormat::RuffJson
            | diagnostics::DiagFormat::CargoJson => res.stdout.text(),
            _ => text.clone(),
        };
        view.diagnostics = diagnostics::parse(format, &source, &root);
    }
    let first = (step.kind == StepKind::Tests)
        .then(|| test_run_of(step, copy, &res))
        .flatten();
    let (verdict, summary) = judge(step, &res, &view, first.as_ref(), &text, timeout);
    view.verdict = verdict;
    view.summary = summary;
    if let Some(run) = &first {
        view.tests = Some(run.counts.clone());
        view.failing_tests = run.failing.iter().cloned().collect();
    }
    // A failed test that passes on one immediate re-run is flaky.
    let time_left = remaining.saturating_sub(started.elapsed());
    if step.kind == StepKind::Tests
        && verdict == Verdict::Fail
        && !res.timed_out
        && !res.cancelled
        && first.as_ref().is_some_and(|r| r.counts.failed > 0)
        && !time_left.is_zero()
    {
        let again = execute(
            step,
            copy,
            tmp,
            settings,
            settings.step_timeout.min(time_left),
            cancel,
        );
        let second = test_run_of(step, copy, &again);
        let first = first.expect("checked above");
        let still: BTreeSet<String> = match &second {
            Some(s) => s.failing.clone(),
            None => first.failing.clone(),
        };
        let flaky: Vec<String> = if again.success() {
            first.failing.iter().cloned().collect()
        } else {
            first.failing.difference(&still).cloned().collect()
        };
        if !flaky.is_empty() || again.success() {
            let n_flaky = if again.success() {
                first.counts.failed
            } else {
                flaky.len() as u32
            };
            let counts = TestCounts {
                failed: first.counts.failed.saturating_sub(n_flaky),
                passed: first.counts.passed,
                skipped: first.counts.skipped,
                flaky: n_flaky,
            };
            view.failing_tests = first
                .failing
                .iter()
                .filter(|n| !flaky.contains(n))
                .cloned()
                .collect();
            view.flaky_tests = flaky;
            if counts.failed == 0 {
                view.verdict = Verdict::Pass;
                view.summary = format!(
                    "{} passed, {} skipped; {} flaky (failed, then passed on an immediate re-run).",
                    counts.passed, counts.skipped, counts.flaky
                );
            } else {
                view.summary = format!(
                    "{} failed, {} passed, {} skipped; {} flaky (passed on the re-run).",
                    counts.failed, counts.passed, counts.skipped, counts.flaky
                );
            }
            view.tests = Some(counts);
        }
    }
    view.duration_ms = started.elapsed().as_millis() as i64;
    view
}

/// The verdict of a step from its exit and what its output said.
fn judge(
    step: &PlannedStep,
    res: &RunResult,
    view: &StepView,
    tests: Option<&TestRun>,
    text: &str,
    timeout: Duration,
) -> (Verdict, String) {
    if res.cancelled {
        return (Verdict::CouldNotRun, "Cancelled while running.".into());
    }
    if res.timed_out {
        return (
            Verdict::Fail,
            format!(
                "Killed after the {} s timeout (the whole process tree).",
                timeout.as_secs()
            ),
        );
    }
    let code = match &res.exit {
        Exit::SpawnFailed(why) => return (Verdict::CouldNotRun, format!("Could not run: {why}.")),
        Exit::Signal(sig) => {
            return (
                Verdict::Fail,
                format!("Killed by signal {sig} (a resource limit: memory, CPU time, file size or processes)."),
            )
        }
        Exit::Code(c) => *c,
    };
    if let (Some(why), true) = (&step.deps_missing, code != 0) {
        return (
            Verdict::CouldNotRun,
            format!("Could not run: dependencies are not installed ({why})."),
        );
    }
    let diags = &view.diagnostics;
    let errors = diags.iter().filter(|d| d.severity == "error").count();
    let warnings = diags.len() - errors;
    let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match step.kind {
        StepKind::Prepare => {
            if code == 0 {
                (Verdict::Pass, "Dependencies installed.".into())
            } else {
                (
                    Verdict::CouldNotRun,
                    format!("Installing dependencies failed (exit status {code}); the checks ran without them."),
                )
            }
        }
        StepKind::Tests => {
            let Some(run) = tests else {
                if code == 0 {
                    return (
                        Verdict::Pass,
                        "The test command passed (no per-test results recognised).".into(),
                    );
                }
                if let Some(line) = missing_dependency(text) {
                    return (
                        Verdict::CouldNotRun,
                        format!("Could not run: a dependency is missing ({line})."),
                    );
                }
                if code == 5 && step.tool == "pytest" {
                    return (Verdict::NotApplicable, "pytest collected no tests.".into());
                }
                return (
                    Verdict::Fail,
                    format!("The test command exited with status {code}; no test results were recognised (see the log)."),
                );
            };
            let c = &run.counts;
            if code != 0 && c.passed == 0 && c.failed > 0 {
                if let Some(line) = missing_dependency(text) {
                    return (
                        Verdict::CouldNotRun,
                        format!("Could not run: a dependency is missing ({line})."),
                    );
                }
            }
            if c.failed > 0 || code != 0 {
                let names: Vec<&str> = run.failing.iter().take(3).map(String::as_str).collect();
                (
                    Verdict::Fail,
                    format!(
                        "{} failed, {} passed, {} skipped{}.",
                        c.failed,
                        c.passed,
                        c.skipped,
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", names.join(", "))
                        }
                    ),
                )
            } else if c.passed + c.skipped == 0 {
                (
                    Verdict::NotApplicable,
                    "The test command ran no tests.".into(),
                )
            } else {
                (
                    Verdict::Pass,
                    format!("{} passed, {} skipped.", c.passed, c.skipped),
                )
            }
        }
        StepKind::Lint | StepKind::Typecheck => {
            let real: Vec<_> = diags
                .iter()
                .filter(|d| {
                    !diagnostics::is_missing_import(d) && d.rule.as_deref() != Some("TS2307")
                })
                .collect();
            // clippy's lints are warnings: any of them fails the lint step.
            let clippy_lint = step.kind == StepKind::Lint
                && step.diag == Some(diagnostics::DiagFormat::CargoJson);
            if code == 0 && (!clippy_lint || diags.is_empty()) {
                return if warnings > 0 {
                    (
                        Verdict::Pass,
                        format!("Passed with {}.", counted(warnings, "warning")),
                    )
                } else {
                    (
                        Verdict::Pass,
                        format!("{} reported no problems.", step.tool),
                    )
                };
            }
            if code == 127 {
                if let Some(line) = missing_dependency(text) {
                    return (Verdict::CouldNotRun, format!("Could not run: {line}."));
                }
            }
            if real.is_empty() {
                // Nothing but "module not found": the dependencies are missing.
                let missing =
                    missing_dependency(text).or_else(|| diags.first().map(|d| d.message.clone()));
                if let Some(line) = missing {
                    return (
                        Verdict::CouldNotRun,
                        format!("Could not run: dependencies are not installed ({line})."),
                    );
                }
            }
            if diags.is_empty() {
                return (
                    Verdict::Fail,
                    format!("{} exited with status {code}; no diagnostics were recognised (see the log).", step.tool),
                );
            }
            (
                Verdict::Fail,
                format!(
                    "{}{}.",
                    counted(errors, "error"),
                    if warnings > 0 {
                        format!(", {}", counted(warnings, "warning"))
                    } else {
                        String::new()
                    }
                ),
            )
        }
    }
}

/// LOOP-LINT, LOOP-TYPECHECK and LOOP-TESTS from the steps: a step that
/// failed fails its check; otherwise one that could not run makes it
/// "could not run" (never a silent pass); otherwise a pass passes it.
pub fn verdicts(steps: &[StepView]) -> Vec<LoopVerdict> {
    [StepKind::Lint, StepKind::Typecheck, StepKind::Tests]
        .iter()
        .map(|&kind| {
            let of: Vec<&StepView> = steps.iter().filter(|s| s.kind == kind).collect();
            let has = |v: Verdict| of.iter().any(|s| s.verdict == v);
            let verdict = if has(Verdict::Fail) {
                Verdict::Fail
            } else if has(Verdict::CouldNotRun) {
                Verdict::CouldNotRun
            } else if has(Verdict::Pass) {
                Verdict::Pass
            } else {
                Verdict::NotApplicable
            };
            let summary = if of.is_empty() {
                format!(
                    "No {} detected for this project.",
                    match kind {
                        StepKind::Lint => "linter",
                        StepKind::Typecheck => "type-checker",
                        _ => "test suite",
                    }
                )
            } else {
                of.iter()
                    .map(|s| format!("{}: {}", s.tool, s.summary))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            LoopVerdict {
                check_id: kind.check_id().unwrap_or_default().to_string(),
                verdict,
                summary,
            }
        })
        .collect()
}

/// The LOOP-* check results of a loop, with the diagnostics as evidence.
pub fn check_results(outcome: &LoopOutcome) -> Vec<CheckResult> {
    outcome
        .verdicts
        .iter()
        .map(|v| {
            let kind = match v.check_id.as_str() {
                "LOOP-LINT" => StepKind::Lint,
                "LOOP-TYPECHECK" => StepKind::Typecheck,
                _ => StepKind::Tests,
            };
            let evidence: Vec<Evidence> = outcome
                .steps
                .iter()
                .filter(|s| s.kind == kind)
                .flat_map(|s| {
                    s.diagnostics.iter().take(20).map(|d| Evidence {
                        path: d.path.clone(),
                        line: d.line,
                        note: format!(
                            "{}{}: {}",
                            s.tool,
                            d.rule.as_ref().map(|r| format!(" {r}")).unwrap_or_default(),
                            d.message
                        ),
                    })
                })
                .take(50)
                .collect();
            let def = crate::model::catalog::find_check(&v.check_id)
                .expect("LOOP checks are in the catalog");
            CheckResult {
                check_id: def.id.to_string(),
                category: def.category,
                kind: def.kind,
                verdict: v.verdict,
                summary: v.summary.clone(),
                evidence,
            }
        })
        .collect()
}

/// A work folder for one loop: `repo/` (the copy of the project the loop
/// runs in) and `tmp/` (the sandbox's temporary folder), both made; removed
/// when the returned handle drops.
pub fn work_folder() -> Result<(tempfile::TempDir, PathBuf, PathBuf), String> {
    let failed = |e: std::io::Error| format!("cannot create a work folder: {e}");
    let work = tempfile::Builder::new()
        .prefix("backlens-quality-")
        .tempdir()
        .map_err(failed)?;
    let (copy, tmp) = (work.path().join("repo"), work.path().join("tmp"));
    for dir in [&copy, &tmp] {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    Ok((work, copy, tmp))
}

/// Copies a working tree for the loop (the CLI's `--quality`): regular files
/// and folders, symlinks as symlinks, `.git` left out.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == ".git" {
            continue;
        }
        let ft = entry.file_type()?;
        let dest = to.join(&name);
        if ft.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &dest)?;
        } else if ft.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if ft.is_file() {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}
