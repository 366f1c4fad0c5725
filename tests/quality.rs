//! The quality loop end to end in its sandbox: the fixture projects of
//! tests/quality-fixtures (one that passes and one with a lint error, a type
//! error and a failing test at known lines, per tool chain) and hostile
//! projects (network, writes outside the copy, backlens's secrets, a fork
//! bomb, an endless loop, a gigabyte of output), each contained.

mod common;

use backlens::model::quality::{StepKind, StepView};
use backlens::model::Verdict;
use backlens::server::quality::sandbox::{Limits, SandboxMode};
use backlens::server::quality::settings::QualitySettings;
use backlens::server::quality::{copy_tree, run_loop, LoopOutcome, LoopSettings};
use common::quality_fixture as fixture;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn settings(step_timeout_secs: u64) -> LoopSettings {
    let mut s = QualitySettings::defaults().loop_settings();
    s.step_timeout = Duration::from_secs(step_timeout_secs);
    s.loop_timeout = Duration::from_secs(600);
    s
}

/// Runs the loop on a copy of `project` (the fixtures stay untouched).
fn run_on(project: &Path, settings: &LoopSettings) -> LoopOutcome {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("repo");
    let tmp = dir.path().join("tmp");
    copy_tree(project, &copy).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let cancel = AtomicBool::new(false);
    run_loop(&copy, &tmp, settings, &cancel, &mut |_| {})
}

fn step(outcome: &LoopOutcome, kind: StepKind) -> &StepView {
    outcome
        .steps
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} step in {:#?}", outcome.steps))
}

fn verdict(outcome: &LoopOutcome, check: &str) -> Verdict {
    outcome
        .verdicts
        .iter()
        .find(|v| v.check_id == check)
        .unwrap()
        .verdict
}

fn tools_installed() -> bool {
    QualitySettings::defaults()
        .tools_dir()
        .join("venv/bin/pytest")
        .exists()
}

const LOOP_CHECKS: [&str; 3] = ["LOOP-LINT", "LOOP-TYPECHECK", "LOOP-TESTS"];

/// Every loop check of `o` has the verdict `expected`.
fn assert_loop_verdicts(o: &LoopOutcome, expected: Verdict) {
    for check in LOOP_CHECKS {
        assert_eq!(verdict(o, check), expected, "{check}: {:#?}", o.steps);
    }
}

/// What marks the expected diagnostic: its rule, or words of its message.
enum Diagnostic<'a> {
    Rule(&'a str),
    Says(&'a str),
}

/// The step `kind` of `o` failed with the expected diagnostic at `path:line`;
/// the step.
fn assert_fails_at<'o>(
    o: &'o LoopOutcome,
    kind: StepKind,
    path: &str,
    line: u32,
    expected: Diagnostic,
) -> &'o StepView {
    let s = step(o, kind);
    assert_eq!(s.verdict, Verdict::Fail, "{s:#?}");
    assert!(
        s.diagnostics.iter().any(|d| d.path == path
            && d.line == Some(line)
            && match expected {
                Diagnostic::Rule(rule) => d.rule.as_deref() == Some(rule),
                Diagnostic::Says(words) => d.message.contains(words),
            }),
        "{s:#?}"
    );
    s
}

/// The tests step of `o` failed with `passed`/`failed` tests; the step.
fn assert_tests_fail(o: &LoopOutcome, passed: u32, failed: u32) -> &StepView {
    let tests = step(o, StepKind::Tests);
    assert_eq!(tests.verdict, Verdict::Fail, "{tests:#?}");
    let c = tests.tests.clone().unwrap();
    assert_eq!((c.passed, c.failed), (passed, failed), "{tests:#?}");
    tests
}

#[test]
fn python_fixture_that_passes() {
    assert!(
        tools_installed(),
        "run ./dev.sh setup to install the loop's tools"
    );
    let o = run_on(&fixture("python-pass"), &settings(120));
    assert_eq!(o.sandbox, SandboxMode::Bubblewrap);
    assert_loop_verdicts(&o, Verdict::Pass);
    let tests = step(&o, StepKind::Tests).tests.clone().unwrap();
    assert_eq!((tests.passed, tests.failed), (1, 0));
}

#[test]
fn python_fixture_with_problems_at_known_lines() {
    use Diagnostic::Rule;
    let o = run_on(&fixture("python-bad"), &settings(120));
    assert_fails_at(&o, StepKind::Lint, "app/calc.py", 1, Rule("F401"));
    assert_fails_at(
        &o,
        StepKind::Typecheck,
        "app/calc.py",
        9,
        Rule("return-value"),
    );
    let tests = assert_tests_fail(&o, 1, 1);
    assert_eq!(tests.tests.as_ref().unwrap().flaky, 0);
    assert_eq!(
        tests.failing_tests,
        ["tests.test_calc::test_add_negative".to_string()]
    );
    assert!(tests.duration_ms > 0);
    assert_loop_verdicts(&o, Verdict::Fail);
}

#[test]
fn node_fixtures_pass_and_fail_at_known_lines() {
    use Diagnostic::Rule;
    assert_loop_verdicts(
        &run_on(&fixture("node-pass"), &settings(120)),
        Verdict::Pass,
    );
    let bad = run_on(&fixture("node-bad"), &settings(120));
    assert_fails_at(
        &bad,
        StepKind::Lint,
        "src/util.js",
        2,
        Rule("no-unused-vars"),
    );
    assert_fails_at(&bad, StepKind::Typecheck, "src/math.ts", 5, Rule("TS2322"));
    let tests = assert_tests_fail(&bad, 1, 1);
    assert!(tests.failing_tests.iter().any(|n| n == "adds negatives"));
}

#[test]
fn rust_fixtures_pass_and_fail_at_known_lines() {
    use Diagnostic::Rule;
    assert_loop_verdicts(
        &run_on(&fixture("rust-pass"), &settings(300)),
        Verdict::Pass,
    );
    let bad = run_on(&fixture("rust-bad"), &settings(300));
    assert_fails_at(
        &bad,
        StepKind::Lint,
        "src/lib.rs",
        2,
        Rule("clippy::needless_return"),
    );
    assert_fails_at(
        &bad,
        StepKind::Typecheck,
        "benches/broken.rs",
        2,
        Rule("E0308"),
    );
    let tests = step(&bad, StepKind::Tests);
    assert_eq!(tests.verdict, Verdict::Fail, "{tests:#?}");
    assert_eq!(tests.failing_tests, ["tests::adds_negatives".to_string()]);
}

#[test]
fn go_fixtures_pass_and_fail_at_known_lines() {
    use Diagnostic::Says;
    let ok = run_on(&fixture("go-pass"), &settings(300));
    assert_loop_verdicts(&ok, Verdict::Pass);
    let c = step(&ok, StepKind::Tests).tests.clone().unwrap();
    assert_eq!((c.passed, c.failed), (1, 0));
    let bad = run_on(&fixture("go-bad"), &settings(300));
    assert_fails_at(
        &bad,
        StepKind::Lint,
        "calc/calc.go",
        7,
        Says("self-assignment of sum to sum"),
    );
    let tc = assert_fails_at(
        &bad,
        StepKind::Typecheck,
        "cmd/broken/main.go",
        6,
        Says("cannot use \"three\""),
    );
    assert!(
        !tc.diagnostics.iter().any(|d| d.path.starts_with("calc/")),
        "{tc:#?}"
    );
    let tests = assert_tests_fail(&bad, 1, 1);
    assert_eq!(
        tests.failing_tests,
        ["example.com/gobad/calc.TestAddNegative".to_string()]
    );
    assert!(tests.log.contains("calc_test.go:13"), "{}", tests.log);
    assert_loop_verdicts(&bad, Verdict::Fail);
}

#[test]
fn a_project_without_its_dependencies_could_not_run_rather_than_fail() {
    let dir = tempfile::tempdir().unwrap();
    common::git::write_files(
        dir.path(),
        &[
            ("requirements.txt", "fastapi\n"),
            ("app.py", "import fastapi\n\napp = fastapi.FastAPI()\n"),
            (
                "test_app.py",
                "from app import app\n\n\ndef test_app() -> None:\n    assert app\n",
            ),
        ],
    );
    let o = run_on(dir.path(), &settings(120));
    let tests = step(&o, StepKind::Tests);
    assert_eq!(tests.verdict, Verdict::CouldNotRun, "{tests:#?}");
    assert!(tests.summary.contains("fastapi"), "{}", tests.summary);
    assert_eq!(verdict(&o, "LOOP-TESTS"), Verdict::CouldNotRun);
    // No type-checker configured: not applicable, said so.
    assert_eq!(verdict(&o, "LOOP-TYPECHECK"), Verdict::NotApplicable);
}

#[test]
fn a_test_that_passes_on_the_rerun_is_flaky_and_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    common::git::write_files(
        dir.path(),
        &[(
            "test_flaky.py",
            "import os\n\n\ndef test_sometimes() -> None:\n    marker = 'first-run.marker'\n    if not os.path.exists(marker):\n        open(marker, 'w').close()\n        assert False, 'fails the first time'\n\n\ndef test_always() -> None:\n    assert True\n",
        )],
    );
    let o = run_on(dir.path(), &settings(120));
    let tests = step(&o, StepKind::Tests);
    assert_eq!(tests.verdict, Verdict::Pass, "{tests:#?}");
    let c = tests.tests.clone().unwrap();
    assert_eq!((c.passed, c.failed, c.flaky), (1, 0, 1));
    assert_eq!(
        tests.flaky_tests,
        ["test_flaky::test_sometimes".to_string()]
    );
}

// ---- hostile projects ----------------------------------------------------

fn python_test(body: &str) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    common::git::write_files(&dir, &[("test_hostile.py", body)]);
    dir
}

#[test]
fn hostile_no_connection_reaches_a_listener_on_the_host() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let project = python_test(&format!(
        "import socket\n\n\ndef test_connects() -> None:\n    s = socket.create_connection(('127.0.0.1', {port}), timeout=3)\n    s.sendall(b'stolen')\n"
    ));
    let o = run_on(&project, &settings(60));
    let tests = step(&o, StepKind::Tests);
    assert_eq!(tests.verdict, Verdict::Fail, "{tests:#?}");
    assert!(
        tests.log.contains("Connection refused") || tests.log.contains("unreachable"),
        "{}",
        tests.log
    );
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("a connection arrived from the sandbox: {other:?}"),
    }
}

#[test]
fn hostile_nothing_is_written_outside_the_copy() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("pwned.txt");
    let project = python_test(&format!(
        "import os\n\n\ndef test_writes() -> None:\n    for p in [{target:?}, '/usr/pwned.txt', '/etc/pwned.txt', '/root/pwned.txt', '/pwned.txt']:\n        try:\n            open(p, 'w').write('x')\n            print('WROTE', p)\n        except OSError as e:\n            print('REFUSED', p, e)\n    assert False\n",
        target = target.display().to_string()
    ));
    let o = run_on(&project, &settings(60));
    let tests = step(&o, StepKind::Tests);
    assert!(!target.exists(), "the sandbox wrote outside its copy");
    for p in [
        "/usr/pwned.txt",
        "/etc/pwned.txt",
        "/root/pwned.txt",
        "/pwned.txt",
    ] {
        assert!(!Path::new(p).exists(), "{p} was written");
    }
    assert!(
        !tests.log.contains("WROTE /usr") && !tests.log.contains("WROTE /etc"),
        "{}",
        tests.log
    );
}

#[test]
fn hostile_backlens_secrets_are_not_in_the_sandbox() {
    // The variables backlens itself is configured with.
    std::env::set_var("BACKLENS_GITHUB_TOKEN", "ghp_secret_token_value_123");
    std::env::set_var("BACKLENS_WEBHOOK_SECRET", "webhook-secret-value-456");
    std::env::set_var(
        "BACKLENS_DATABASE_URL",
        "sqlite:///secret/path/db-789.sqlite",
    );
    let project = python_test(
        "import os\n\n\ndef test_env() -> None:\n    for k, v in sorted(os.environ.items()):\n        print(f'{k}={v}')\n    print(open('/proc/1/environ', 'rb').read())\n    assert False\n",
    );
    let o = run_on(&project, &settings(60));
    let log = &step(&o, StepKind::Tests).log;
    assert!(log.contains("PATH="), "the environment was printed: {log}");
    for secret in [
        "ghp_secret_token_value_123",
        "webhook-secret-value-456",
        "db-789",
        "BACKLENS_",
    ] {
        assert!(!log.contains(secret), "{secret} reached the sandbox: {log}");
    }
}

/// Processes on the machine whose command line contains `marker`.
fn processes_with(marker: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(marker))
                .unwrap_or(false)
        })
        .count()
}

#[test]
fn hostile_a_fork_bomb_is_limited_and_killed_with_its_tree() {
    let marker = "forkbomb_7f3a";
    let project = python_test(&format!(
        "import os, time\n\n\ndef test_{marker}() -> None:\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            time.sleep(0.01)\n"
    ));
    let mut s = settings(6);
    s.limits = Limits {
        max_processes: 48,
        ..s.limits.clone()
    };
    let started = std::time::Instant::now();
    let o = run_on(&project, &s);
    let tests = step(&o, StepKind::Tests);
    assert!(tests.timed_out, "{tests:#?}");
    assert_eq!(tests.verdict, Verdict::Fail);
    assert!(started.elapsed() < Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(processes_with(marker), 0, "processes of the bomb survived");
}

#[test]
fn hostile_an_endless_loop_is_killed_at_the_timeout() {
    let marker = "endless_b21c";
    let project = python_test(&format!(
        "def test_{marker}() -> None:\n    while True:\n        pass\n"
    ));
    let started = std::time::Instant::now();
    let o = run_on(&project, &settings(3));
    let tests = step(&o, StepKind::Tests);
    assert!(tests.timed_out);
    assert_eq!(tests.verdict, Verdict::Fail);
    assert!(tests.summary.contains("timeout"), "{}", tests.summary);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(processes_with(marker), 0);
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn hostile_a_gigabyte_of_output_is_cut_and_memory_stays_bounded() {
    // The project's test command itself prints (pytest would capture the
    // output of a test function into a file, which the file-size limit cuts).
    let project = python_test("def test_x() -> None:\n    pass\n");
    common::git::write_files(
        &project,
        &[
            (".backlens.toml", "[quality]\ntests = \"python3 print_gigabyte.py\"\n"),
            (
                "print_gigabyte.py",
                "import os\nchunk = b'x' * (1 << 20)\nfor _ in range(1024):\n    os.write(1, chunk)\nraise SystemExit(1)\n",
            ),
        ],
    );
    let before = peak_rss_kib();
    let o = run_on(&project, &settings(120));
    let tests = step(&o, StepKind::Tests);
    assert!(
        tests.log.len() <= 300 * 1024,
        "stored log is {} bytes",
        tests.log.len()
    );
    assert!(
        tests.log_cut_bytes > 1_000_000_000 - 10_000_000,
        "{}",
        tests.log_cut_bytes
    );
    assert!(tests.log.contains("bytes of output cut here by backlens"));
    let grown_mib = (peak_rss_kib().saturating_sub(before)) / 1024;
    assert!(grown_mib < 200, "memory grew by {grown_mib} MiB");
}

#[test]
fn without_bubblewrap_the_loop_could_not_run_and_runs_nothing() {
    let mut s = settings(30);
    s.tools.bwrap = PathBuf::from("/nonexistent/bwrap");
    let marker = tempfile::tempdir().unwrap();
    let flag = marker.path().join("ran");
    let project = python_test(&format!(
        "def test_x() -> None:\n    open({:?}, 'w').write('ran')\n",
        flag.display().to_string()
    ));
    let o = run_on(&project, &s);
    assert_eq!(o.state, backlens::server::quality::LoopState::CouldNotRun);
    assert!(
        o.note
            .as_deref()
            .unwrap()
            .starts_with("sandbox unavailable"),
        "{:?}",
        o.note
    );
    assert!(o.steps.is_empty());
    assert_loop_verdicts(&o, Verdict::CouldNotRun);
    assert!(!flag.exists(), "ran unsandboxed");
}

#[test]
fn the_whole_loop_timeout_bounds_every_step() {
    let marker = "looptimeout_e91a";
    let project = python_test(&format!(
        "def test_{marker}() -> None:\n    while True:\n        pass\n"
    ));
    let mut s = settings(600);
    s.loop_timeout = Duration::from_secs(4);
    let started = std::time::Instant::now();
    let o = run_on(&project, &s);
    assert!(started.elapsed() < Duration::from_secs(30));
    let tests = step(&o, StepKind::Tests);
    assert!(tests.timed_out, "{tests:#?}");
    assert_eq!(tests.verdict, Verdict::Fail);
    assert_eq!(processes_with(marker), 0);
}
