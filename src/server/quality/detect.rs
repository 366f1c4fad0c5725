//! Which steps the loop runs for a repository: its tool chains (Node,
//! Python, Rust, Go) from the files it has, and the `[quality]` table of its
//! `.backlens.toml`, which can replace a step's command or switch it off:
//!
//! ```toml
//! [quality]
//! lint = "npm run lint:ci"   # run this instead (through sh -c)
//! typecheck = false          # do not run this step
//! prepare = "npm ci --ignore-scripts"
//! ```

use super::diagnostics::DiagFormat;
use super::sandbox::{find_program, ToolPaths};
use super::test_results::TestFormat;
use crate::model::quality::StepKind;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Where a pytest run writes its JUnit report, relative to the copy.
pub const JUNIT_PATH: &str = ".backlens-quality/junit.xml";
/// The project's own virtualenv made by the Python prepare step.
pub const PY_VENV: &str = ".backlens-venv";

/// A step to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    pub kind: StepKind,
    pub ecosystem: &'static str,
    pub tool: String,
    pub argv: Vec<String>,
    pub diag: Option<DiagFormat>,
    pub tests: Option<TestFormat>,
    /// A JUnit report the command writes (relative to the copy).
    pub junit: Option<String>,
    /// Known before running that it cannot run, and why.
    pub unavailable: Option<String>,
    /// Switched off by `.backlens.toml`.
    pub switched_off: bool,
    /// The project declares dependencies that are not installed in the copy:
    /// a failure of this step says nothing about the project.
    pub deps_missing: Option<String>,
}

impl PlannedStep {
    fn new(kind: StepKind, ecosystem: &'static str, tool: &str, argv: &[&str]) -> PlannedStep {
        PlannedStep {
            kind,
            ecosystem,
            tool: tool.to_string(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            diag: None,
            tests: None,
            junit: None,
            unavailable: None,
            switched_off: false,
            deps_missing: None,
        }
    }

    fn diag(mut self, f: DiagFormat) -> Self {
        self.diag = Some(f);
        self
    }

    fn tests(mut self, f: TestFormat) -> Self {
        self.tests = Some(f);
        self
    }

    /// The command as people would type it.
    pub fn command_line(&self) -> String {
        if self.argv.first().map(String::as_str) == Some("sh") && self.argv.len() == 3 {
            return self.argv[2].clone();
        }
        self.argv.join(" ")
    }
}

/// One entry of `[quality]`: a command, or `false` to switch the step off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Override {
    Command(String),
    Off,
}

/// The `[quality]` table of `.backlens.toml`, and problems with it.
#[derive(Clone, Debug, Default)]
pub struct QualityConfig {
    pub overrides: BTreeMap<StepKind, Override>,
    pub notes: Vec<String>,
}

/// Reads the `[quality]` table of `root/.backlens.toml` (other tables are the
/// review engine's business).
pub fn load_config(root: &Path) -> QualityConfig {
    let path = root.join(".backlens.toml");
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return QualityConfig::default();
    };
    if !meta.is_file() || meta.len() > 64 * 1024 {
        return QualityConfig::default();
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return QualityConfig::default();
    };
    parse_config(&text)
}

pub fn parse_config(text: &str) -> QualityConfig {
    let mut cfg = QualityConfig::default();
    let Ok(doc) = text.parse::<toml::Table>() else {
        // The review engine reports a malformed file with its line.
        return cfg;
    };
    let Some(table) = doc.get("quality") else {
        return cfg;
    };
    let Some(table) = table.as_table() else {
        cfg.notes
            .push(".backlens.toml: [quality] must be a table; it was ignored.".into());
        return cfg;
    };
    for (key, value) in table {
        let Some(kind) = StepKind::parse(key) else {
            cfg.notes.push(format!(
                ".backlens.toml: [quality] {key:?} is not a step (prepare, lint, typecheck, tests); ignored."
            ));
            continue;
        };
        match value {
            toml::Value::String(s) if !s.trim().is_empty() => {
                cfg.overrides.insert(kind, Override::Command(s.clone()));
            }
            toml::Value::Boolean(false) => {
                cfg.overrides.insert(kind, Override::Off);
            }
            toml::Value::Boolean(true) => {}
            _ => cfg.notes.push(format!(
                ".backlens.toml: [quality] {key} must be a command or false; ignored."
            )),
        }
    }
    cfg
}

fn exists(root: &Path, rel: &str) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok()
}

fn read_small(root: &Path, rel: &str) -> Option<String> {
    let p = root.join(rel);
    let meta = std::fs::symlink_metadata(&p).ok()?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(p).ok()
}

/// Python files within a few levels of the root (not in dependency folders).
fn has_python(root: &Path) -> bool {
    fn walk(dir: &Path, depth: u32) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_file() && name.ends_with(".py") {
                return true;
            }
            if ft.is_dir()
                && depth > 0
                && !name.starts_with('.')
                && !matches!(
                    name.as_str(),
                    "node_modules" | "venv" | "target" | "__pycache__"
                )
                && walk(&e.path(), depth - 1)
            {
                return true;
            }
        }
        false
    }
    walk(root, 3)
}

fn has_python_tests(root: &Path) -> bool {
    fn walk(dir: &Path, depth: u32) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_file()
                && name.ends_with(".py")
                && (name.starts_with("test_")
                    || name.ends_with("_test.py")
                    || name == "conftest.py")
            {
                return true;
            }
            if ft.is_dir()
                && depth > 0
                && !name.starts_with('.')
                && !matches!(name.as_str(), "node_modules" | "venv" | "target")
                && walk(&e.path(), depth - 1)
            {
                return true;
            }
        }
        false
    }
    walk(root, 4)
}

fn section(text: &Option<String>, header: &str) -> bool {
    text.as_deref()
        .is_some_and(|t| t.lines().any(|l| l.trim() == header))
}

/// The steps for `root`: prepare steps first (only when `network` is
/// allowed), then lint, type-check and tests of each tool chain found.
pub fn plan(
    root: &Path,
    cfg: &QualityConfig,
    tools: &ToolPaths,
    network: bool,
) -> Vec<PlannedStep> {
    let mut steps = Vec::new();
    if exists(root, "package.json") {
        steps.extend(node(root, tools, network));
    }
    if exists(root, "pyproject.toml")
        || exists(root, "setup.py")
        || exists(root, "requirements.txt")
        || has_python(root)
    {
        steps.extend(python(root, tools, network));
    }
    if exists(root, "Cargo.toml") {
        steps.extend(rust(network));
    }
    if exists(root, "go.mod") {
        steps.extend(go(root, tools, network));
    }
    apply_overrides(steps, cfg)
}

fn apply_overrides(mut steps: Vec<PlannedStep>, cfg: &QualityConfig) -> Vec<PlannedStep> {
    for (&kind, ov) in &cfg.overrides {
        let detected: Vec<usize> = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == kind)
            .map(|(i, _)| i)
            .collect();
        match ov {
            Override::Off => {
                for &i in &detected {
                    steps[i].switched_off = true;
                }
                if detected.is_empty() {
                    let mut s = PlannedStep::new(kind, "config", "switched off", &[]);
                    s.switched_off = true;
                    steps.push(s);
                }
            }
            Override::Command(cmd) => {
                // The first detected step of this kind keeps its parser; the
                // command replaces all of them.
                let template = detected.first().map(|&i| steps[i].clone());
                steps.retain(|s| s.kind != kind);
                let mut s = template.unwrap_or_else(|| guess(kind, cmd));
                s.argv = vec!["sh".into(), "-c".into(), cmd.clone()];
                s.tool = format!("{} (from .backlens.toml)", s.tool);
                s.unavailable = None;
                steps.push(s);
            }
        }
    }
    steps.sort_by_key(|s| s.kind);
    steps
}

/// Parsers for a command we did not detect, from its words.
fn guess(kind: StepKind, cmd: &str) -> PlannedStep {
    let mut s = PlannedStep::new(kind, "custom", "custom command", &[]);
    match kind {
        StepKind::Lint | StepKind::Typecheck => {
            s.diag = Some(if cmd.contains("mypy") {
                DiagFormat::Mypy
            } else if cmd.contains("flake8") || cmd.contains("go vet") {
                DiagFormat::Flake8
            } else {
                DiagFormat::ScriptText
            });
        }
        StepKind::Tests => {
            s.tests = Some(if cmd.contains("cargo test") {
                TestFormat::Cargo
            } else if cmd.contains("unittest") {
                TestFormat::Unittest
            } else if cmd.contains("-json") {
                TestFormat::GoJson
            } else {
                TestFormat::Node
            });
        }
        StepKind::Prepare => {}
    }
    s
}

fn node(root: &Path, tools: &ToolPaths, network: bool) -> Vec<PlannedStep> {
    let pkg: Value = read_small(root, "package.json")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let scripts = pkg["scripts"].as_object().cloned().unwrap_or_default();
    let script = |name: &str| scripts.get(name).and_then(Value::as_str).map(String::from);
    let has_deps = ["dependencies", "devDependencies"]
        .iter()
        .any(|k| pkg[*k].as_object().is_some_and(|o| !o.is_empty()));
    let mut steps = Vec::new();
    if network && has_deps {
        let argv: &[&str] = if exists(root, "package-lock.json") {
            &["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
        } else {
            &[
                "npm",
                "install",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
            ]
        };
        steps.push(PlannedStep::new(StepKind::Prepare, "node", "npm", argv));
    }
    let local = |bin: &str| {
        let rel = format!("node_modules/.bin/{bin}");
        if find_program(&rel, root, tools).is_some() {
            rel
        } else {
            bin.to_string()
        }
    };
    if script("lint").is_some() {
        steps.push(
            PlannedStep::new(
                StepKind::Lint,
                "node",
                "npm run lint",
                &["npm", "run", "--silent", "lint"],
            )
            .diag(DiagFormat::ScriptText),
        );
    } else if [
        "eslint.config.js",
        "eslint.config.mjs",
        "eslint.config.cjs",
        ".eslintrc.js",
        ".eslintrc.cjs",
        ".eslintrc.json",
        ".eslintrc.yml",
        ".eslintrc",
    ]
    .iter()
    .any(|f| exists(root, f))
    {
        let eslint = local("eslint");
        steps.push(
            PlannedStep::new(
                StepKind::Lint,
                "node",
                "eslint",
                &[&eslint, "--format", "json", "."],
            )
            .diag(DiagFormat::EslintJson),
        );
    }
    if let Some(name) = ["typecheck", "type-check"]
        .into_iter()
        .find(|n| script(n).is_some())
    {
        steps.push(
            PlannedStep::new(
                StepKind::Typecheck,
                "node",
                &format!("npm run {name}"),
                &["npm", "run", "--silent", name],
            )
            .diag(DiagFormat::ScriptText),
        );
    } else if exists(root, "tsconfig.json") {
        let tsc = local("tsc");
        steps.push(
            PlannedStep::new(
                StepKind::Typecheck,
                "node",
                "tsc",
                &[&tsc, "--noEmit", "--pretty", "false", "-p", "tsconfig.json"],
            )
            .diag(DiagFormat::Tsc),
        );
    }
    if let Some(test) = script("test") {
        if !test.contains("no test specified") {
            steps.push(
                PlannedStep::new(
                    StepKind::Tests,
                    "node",
                    "npm test",
                    &["npm", "test", "--silent"],
                )
                .tests(TestFormat::Node),
            );
        }
    }
    if has_deps && !exists(root, "node_modules") && !network {
        let why = "package.json declares dependencies and node_modules is not there; \
                   BACKLENS_QUALITY_NETWORK=registries lets the prepare step install them";
        for s in steps.iter_mut().filter(|s| s.kind != StepKind::Prepare) {
            s.deps_missing = Some(why.to_string());
        }
    }
    steps
}

fn python(root: &Path, tools: &ToolPaths, network: bool) -> Vec<PlannedStep> {
    let pyproject = read_small(root, "pyproject.toml");
    let setup_cfg = read_small(root, "setup.cfg");
    let tox = read_small(root, "tox.ini");
    let mut steps = Vec::new();
    if network {
        let install = if exists(root, "requirements.txt") {
            "-r requirements.txt"
        } else if pyproject.is_some() || exists(root, "setup.py") {
            "."
        } else {
            ""
        };
        if !install.is_empty() {
            let cmd = format!(
                "python3 -m venv --system-site-packages {PY_VENV} && {PY_VENV}/bin/pip install --quiet --disable-pip-version-check {install}"
            );
            steps.push(PlannedStep::new(
                StepKind::Prepare,
                "python",
                "pip",
                &["sh", "-c", &cmd],
            ));
        }
    }
    let flake8 =
        exists(root, ".flake8") || section(&setup_cfg, "[flake8]") || section(&tox, "[flake8]");
    let ruff = exists(root, "ruff.toml")
        || exists(root, ".ruff.toml")
        || pyproject
            .as_deref()
            .is_some_and(|t| t.contains("[tool.ruff"));
    if flake8 && !ruff {
        steps.push(
            PlannedStep::new(StepKind::Lint, "python", "flake8", &["flake8", "."])
                .diag(DiagFormat::Flake8),
        );
    } else {
        steps.push(
            PlannedStep::new(
                StepKind::Lint,
                "python",
                "ruff",
                &[
                    "ruff",
                    "check",
                    "--output-format",
                    "json",
                    "--no-cache",
                    ".",
                ],
            )
            .diag(DiagFormat::RuffJson),
        );
    }
    let mypy = exists(root, "mypy.ini")
        || exists(root, ".mypy.ini")
        || section(&setup_cfg, "[mypy]")
        || pyproject
            .as_deref()
            .is_some_and(|t| t.contains("[tool.mypy"));
    let pyright = exists(root, "pyrightconfig.json")
        || pyproject
            .as_deref()
            .is_some_and(|t| t.contains("[tool.pyright"));
    if mypy {
        steps.push(
            PlannedStep::new(
                StepKind::Typecheck,
                "python",
                "mypy",
                &[
                    "mypy",
                    "--no-color-output",
                    "--no-error-summary",
                    "--cache-dir",
                    "/tmp/mypy-cache",
                    ".",
                ],
            )
            .diag(DiagFormat::Mypy),
        );
    } else if pyright {
        steps.push(
            PlannedStep::new(StepKind::Typecheck, "python", "pyright", &["pyright"])
                .diag(DiagFormat::ScriptText),
        );
    }
    if has_python_tests(root) || exists(root, "pytest.ini") {
        let pytest_available = tools.bin_dirs.iter().any(|d| d.join("pytest").exists());
        if pytest_available {
            let mut s = PlannedStep::new(
                StepKind::Tests,
                "python",
                "pytest",
                &[
                    "python",
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    &format!("--junitxml={JUNIT_PATH}"),
                ],
            )
            .tests(TestFormat::Unittest);
            s.junit = Some(JUNIT_PATH.to_string());
            steps.push(s);
        } else {
            steps.push(
                PlannedStep::new(
                    StepKind::Tests,
                    "python",
                    "unittest",
                    &["python3", "-m", "unittest", "discover", "-v"],
                )
                .tests(TestFormat::Unittest),
            );
        }
    }
    steps
}

fn rust(network: bool) -> Vec<PlannedStep> {
    let mut steps = Vec::new();
    if network {
        steps.push(PlannedStep::new(
            StepKind::Prepare,
            "rust",
            "cargo fetch",
            &["cargo", "fetch"],
        ));
    }
    steps.push(
        PlannedStep::new(
            StepKind::Lint,
            "rust",
            "clippy",
            &[
                "cargo",
                "clippy",
                "--offline",
                "--all-targets",
                "--message-format=json",
                "--quiet",
            ],
        )
        .diag(DiagFormat::CargoJson),
    );
    steps.push(
        PlannedStep::new(
            StepKind::Typecheck,
            "rust",
            "cargo check",
            &[
                "cargo",
                "check",
                "--offline",
                "--all-targets",
                "--message-format=json",
                "--quiet",
            ],
        )
        .diag(DiagFormat::CargoJson),
    );
    steps.push(
        PlannedStep::new(
            StepKind::Tests,
            "rust",
            "cargo test",
            &["cargo", "test", "--offline", "--no-fail-fast"],
        )
        .tests(TestFormat::Cargo),
    );
    steps
}

fn go(root: &Path, tools: &ToolPaths, network: bool) -> Vec<PlannedStep> {
    let missing = find_program("go", root, tools)
        .is_none()
        .then(|| "go toolchain not installed".to_string());
    let mut steps = Vec::new();
    if network {
        steps.push(PlannedStep::new(
            StepKind::Prepare,
            "go",
            "go mod download",
            &["go", "mod", "download"],
        ));
    }
    steps.push(
        PlannedStep::new(StepKind::Lint, "go", "go vet", &["go", "vet", "./..."])
            .diag(DiagFormat::GoVet),
    );
    steps.push(
        PlannedStep::new(
            StepKind::Typecheck,
            "go",
            "go build",
            &["go", "build", "./..."],
        )
        .diag(DiagFormat::GoVet),
    );
    steps.push(
        PlannedStep::new(
            StepKind::Tests,
            "go",
            "go test",
            &["go", "test", "-json", "./..."],
        )
        .tests(TestFormat::GoJson),
    );
    for s in &mut steps {
        s.unavailable = missing.clone();
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (p, c) in files {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, c).unwrap();
        }
    }

    #[test]
    fn node_scripts_and_tsconfig_become_steps() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                (
                    "package.json",
                    r#"{"scripts":{"lint":"eslint .","test":"node --test"}}"#,
                ),
                ("tsconfig.json", "{}"),
            ],
        );
        let steps = plan(
            d.path(),
            &QualityConfig::default(),
            &ToolPaths::default(),
            false,
        );
        let cmds: Vec<String> = steps.iter().map(|s| s.command_line()).collect();
        assert_eq!(
            cmds,
            [
                "npm run --silent lint",
                "tsc --noEmit --pretty false -p tsconfig.json",
                "npm test --silent"
            ]
        );
    }

    #[test]
    fn python_steps_follow_the_configuration() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                ("pyproject.toml", "[tool.mypy]\nstrict = true\n"),
                ("app/main.py", "x = 1\n"),
                ("tests/test_main.py", "def test_x(): pass\n"),
            ],
        );
        let steps = plan(
            d.path(),
            &QualityConfig::default(),
            &ToolPaths::default(),
            false,
        );
        let tools: Vec<&str> = steps.iter().map(|s| s.tool.as_str()).collect();
        // Without pytest among backlens's tools, unittest runs the tests.
        assert_eq!(tools, ["ruff", "mypy", "unittest"]);
        // Prepare only with registries allowed.
        let with_net = plan(
            d.path(),
            &QualityConfig::default(),
            &ToolPaths::default(),
            true,
        );
        assert_eq!(with_net[0].kind, StepKind::Prepare);
    }

    #[test]
    fn backlens_toml_overrides_and_switches_steps_off() {
        let cfg = parse_config(
            "exclude = []\n[quality]\nlint = \"flake8 --max-line-length 100\"\ntypecheck = false\nbogus = 1\ntests = 3\n",
        );
        assert_eq!(cfg.notes.len(), 2, "{:?}", cfg.notes);
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[("pyproject.toml", "[tool.mypy]\n"), ("a.py", "")],
        );
        let steps = plan(d.path(), &cfg, &ToolPaths::default(), false);
        let lint = steps.iter().find(|s| s.kind == StepKind::Lint).unwrap();
        assert_eq!(lint.command_line(), "flake8 --max-line-length 100");
        assert_eq!(lint.argv[0], "sh");
        let tc = steps
            .iter()
            .find(|s| s.kind == StepKind::Typecheck)
            .unwrap();
        assert!(tc.switched_off);
    }

    #[test]
    fn go_without_a_toolchain_says_so() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), &[("go.mod", "module m\n")]);
        let steps = plan(
            d.path(),
            &QualityConfig::default(),
            &ToolPaths::default(),
            false,
        );
        if find_program("go", d.path(), &ToolPaths::default()).is_none() {
            assert!(steps
                .iter()
                .all(|s| s.unavailable.as_deref() == Some("go toolchain not installed")));
        }
        assert_eq!(steps.len(), 3);
    }
}
