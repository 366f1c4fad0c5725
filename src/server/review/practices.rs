//! The practice checks OBS-LOGGING, OBS-METRICS, OBS-TRACING, OBS-SHUTDOWN,
//! TEST-CI, TEST-TYPES and ARCH-DI: what each file shows (a package in a
//! manifest, an import, a call, a config file), and the verdicts with the
//! files that decided them.
//!
//! Libraries are recognised in manifests (package.json, requirements,
//! pyproject, go.mod, Cargo.toml) and in imports; behaviour (a SIGTERM
//! handler, `console.log` in server code, `any` types) over syntax trees.

use super::checks::{list_some, plural, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::file_kinds::{file_name, is_test_or_fixture_path};
use super::language::Grammar;
use super::syntax::{first_line, named_children, ParsedFile};
use crate::model::{CheckResult, Evidence, Verdict};
use crate::server::review::facts::Empty;
use crate::server::review::syntax::NodeExt;

/// Evidence kept per practice signal, at most (and the smaller caps of the
/// lists that are only examples).
const MAX_LISTED: usize = 200;
const MAX_PRINTS: usize = 5;
const MAX_SERVERS: usize = 20;
const MAX_TSCONFIGS: usize = 50;
const MAX_ANY_EXAMPLES: usize = 5;

pub const LOGGING_CHECK_ID: &str = "OBS-LOGGING";
pub const METRICS_CHECK_ID: &str = "OBS-METRICS";
pub const TRACING_CHECK_ID: &str = "OBS-TRACING";
pub const SHUTDOWN_CHECK_ID: &str = "OBS-SHUTDOWN";
pub const CI_CHECK_ID: &str = "TEST-CI";
pub const TYPES_CHECK_ID: &str = "TEST-TYPES";
pub const DI_CHECK_ID: &str = "ARCH-DI";

/// Structured loggers, by the name they appear under in manifests/imports.
const STRUCTURED_LOGGERS: &[&str] = &[
    "pino",
    "winston",
    "bunyan",
    "@nestjs/pino",
    "nestjs-pino",
    "pino-http",
    "structlog",
    "python-json-logger",
    "pythonjsonlogger",
    "loguru",
    "go.uber.org/zap",
    "github.com/rs/zerolog",
    "log/slog",
    "github.com/sirupsen/logrus",
    "tracing-subscriber",
    "tracing",
    "slog",
    "json_logging",
    "ecs-logging",
    "@google-cloud/logging-winston",
];
const METRICS_LIBS: &[&str] = &[
    "prom-client",
    "express-prom-bundle",
    "@willsoto/nestjs-prometheus",
    "fastify-metrics",
    "@opentelemetry/exporter-prometheus",
    "prometheus_client",
    "prometheus-client",
    "prometheus-fastapi-instrumentator",
    "prometheus_fastapi_instrumentator",
    "django-prometheus",
    "django_prometheus",
    "starlette-exporter",
    "starlette_exporter",
    "prometheus-flask-exporter",
    "prometheus_flask_exporter",
    "github.com/prometheus/client_golang",
    "metrics-exporter-prometheus",
    "prometheus",
    "axum-prometheus",
    "actix-web-prom",
    "opentelemetry-prometheus",
    "hono/prometheus",
    "@hono/prometheus",
    "aioprometheus",
    "github.com/labstack/echo-contrib/prometheus",
    "github.com/ansrivas/fiberprometheus",
    "github.com/zsais/go-gin-prometheus",
];
const TRACING_LIBS: &[&str] = &[
    "@opentelemetry/api",
    "@opentelemetry/sdk-node",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/auto-instrumentations-node",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-instrumentation-fastapi",
    "opentelemetry-instrumentation-django",
    "opentelemetry-instrumentation-flask",
    "opentelemetry-distro",
    "opentelemetry",
    "go.opentelemetry.io/otel",
    "go.opentelemetry.io/contrib",
    "tracing-opentelemetry",
    "opentelemetry-otlp",
    "opentelemetry_sdk",
    "dd-trace",
    "ddtrace",
    "elastic-apm-node",
    "elasticapm",
    "@sentry/tracing",
    "jaeger-client",
    "@autotelic/fastify-opentelemetry",
    "@hono/otel",
    "logfire",
];
/// Servers that drain in-flight requests on SIGTERM by themselves.
const GRACEFUL_SERVERS: &[&str] = &[
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "daphne",
    "granian",
    "actix-web",
];
const JS_SHUTDOWN_LIBS: &[&str] = &[
    "@godaddy/terminus",
    "http-terminator",
    "stoppable",
    "close-with-grace",
    "fastify-graceful-shutdown",
    "lightship",
    "@hapi/hapi",
];

/// What the files of the project show for these practices.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PracticeFacts {
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub structured_logging: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub stdlib_logging: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub prints: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub print_count: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub metrics: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub tracing: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub shutdown: Vec<Evidence>,
    /// SIGINT-only handlers (`os.Interrupt`, `ctrl_c()`): not enough in a container.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub sigint_only: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub graceful_servers: Vec<Evidence>,
    /// `signal.Notify` without `Shutdown` (Go): catches but does not drain.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub go_notify: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub go_shutdown: Vec<Evidence>,
    /// Server entry points by language: "js", "python", "go", "rust".
    #[serde(with = "super::interned::name_pairs")]
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub servers: Vec<(&'static str, Evidence)>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub ci_files: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub ci_test_steps: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub ts_files: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub js_files: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub python_files: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub go_files: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub rust_files: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub tsconfigs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub any_count: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub ts_lines: usize,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub any_examples: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub python_type_checker: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub di_injected: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub di_global: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub django: bool,
    /// Rust source files with `#[test]` functions (unit tests live beside the code).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub rust_inline_tests: Vec<Evidence>,
}

fn ev(path: &str, line: Option<u32>, note: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        line,
        note: note.into(),
    }
}

fn push(list: &mut Vec<Evidence>, e: Evidence) {
    if list.len() < MAX_LISTED && !list.iter().any(|x| x.path == e.path && x.note == e.note) {
        list.push(e);
    }
}

/// The manifest dependency names and their lines.
fn manifest_names(path: &str, text: &str) -> Vec<(String, u32)> {
    let name = file_name(path).to_ascii_lowercase();
    let mut out = Vec::new();
    if name == "package.json" {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            for section in ["dependencies", "devDependencies", "optionalDependencies"] {
                if let Some(deps) = json.get(section).and_then(|d| d.as_object()) {
                    for dep in deps.keys() {
                        let line = text
                            .lines()
                            .position(|l| l.contains(&format!("\"{dep}\"")))
                            .map_or(1, |i| i + 1);
                        out.push((dep.clone(), u32::try_from(line).unwrap_or(1)));
                    }
                }
            }
        }
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        let token: String = l
            .trim_start_matches(['"', '\'', '-', ' '])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-_./@".contains(*c))
            .collect();
        if !token.is_empty() {
            out.push((
                token.to_ascii_lowercase(),
                u32::try_from(i + 1).unwrap_or(1),
            ));
        }
        for part in l.split('"').skip(1).step_by(2) {
            let t: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_./@".contains(*c))
                .collect();
            if !t.is_empty() {
                out.push((t.to_ascii_lowercase(), u32::try_from(i + 1).unwrap_or(1)));
            }
        }
    }
    out
}

fn matches_lib(found: &str, lib: &str) -> bool {
    found == lib
        || (lib.contains('/')
            && found.starts_with(lib)
            && found[lib.len()..].starts_with(['/', ' ']))
        || found.replace('_', "-") == lib.replace('_', "-")
}

/// Any text file: manifests, CI configuration, type-checker configuration.
pub fn record_text(path: &str, text: &str, p: &mut PracticeFacts) {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    if super::manifests::is_manifest(path) {
        for (dep, line) in manifest_names(path, text) {
            let e = |what: &str| ev(path, Some(line), format!("{what} `{dep}`"));
            if STRUCTURED_LOGGERS.iter().any(|l| matches_lib(&dep, l))
                && dep != "slog"
                && dep != "tracing"
            {
                push(&mut p.structured_logging, e("structured logger"));
            }
            if name == "cargo.toml" && (dep == "tracing-subscriber" || dep == "slog") {
                push(&mut p.structured_logging, e("structured logger"));
            }
            if METRICS_LIBS.iter().any(|l| matches_lib(&dep, l))
                && !(dep == "prometheus" && name == "package.json")
            {
                push(&mut p.metrics, e("metrics library"));
            }
            let tracing_lib = TRACING_LIBS.iter().any(|l| {
                matches_lib(&dep, l)
                    || (l.ends_with("opentelemetry") && dep.starts_with("opentelemetry"))
                    || dep.starts_with("@opentelemetry/")
                    || dep.starts_with("go.opentelemetry.io/otel")
            });
            // The Prometheus exporter is metrics, not traces.
            if tracing_lib && dep != "@opentelemetry/exporter-prometheus" {
                push(&mut p.tracing, e("tracing library"));
            }
            if GRACEFUL_SERVERS.contains(&dep.as_str()) {
                push(
                    &mut p.graceful_servers,
                    e("server that drains requests on SIGTERM"),
                );
            }
            if JS_SHUTDOWN_LIBS.contains(&dep.as_str()) {
                push(&mut p.shutdown, e("graceful shutdown library"));
            }
            if matches!(dep.as_str(), "mypy" | "pyright" | "basedpyright") {
                push(&mut p.python_type_checker, e("type checker dependency"));
            }
            if dep == "django" {
                p.django = true;
            }
        }
    }
    // CI configuration.
    let is_ci = (lower.starts_with(".github/workflows/")
        && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || name == ".gitlab-ci.yml"
        || lower == ".circleci/config.yml"
        || name == "azure-pipelines.yml"
        || name == "jenkinsfile"
        || name == ".travis.yml"
        || name == "bitbucket-pipelines.yml"
        || name == ".drone.yml"
        || lower.starts_with(".buildkite/")
        || name == ".woodpecker.yml"
        || lower.starts_with(".woodpecker/");
    if is_ci {
        push(&mut p.ci_files, ev(path, None, "CI configuration"));
        if let Some((line, cmd)) = test_command(text) {
            push(
                &mut p.ci_test_steps,
                ev(path, Some(line), format!("runs `{cmd}`")),
            );
        }
    }
    // Type-checker configuration.
    let is_tsconfig = name == "tsconfig.json"
        || (name.starts_with("tsconfig.") && name.ends_with(".json"))
        || name == "jsconfig.json";
    if is_tsconfig && p.tsconfigs.len() < MAX_TSCONFIGS {
        p.tsconfigs.push((path.to_string(), text.to_string()));
    }
    if matches!(name, "mypy.ini" | ".mypy.ini" | "pyrightconfig.json") {
        push(
            &mut p.python_type_checker,
            ev(path, None, "type checker configuration"),
        );
    }
    if matches!(name, "pyproject.toml" | "setup.cfg" | "tox.ini") {
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with("[tool.mypy")
                || t.starts_with("[tool.pyright")
                || t.starts_with("[tool.basedpyright")
                || t == "[mypy]"
                || t.starts_with("[mypy-")
            {
                push(
                    &mut p.python_type_checker,
                    ev(
                        path,
                        Some(u32::try_from(i + 1).unwrap_or(1)),
                        format!("type checker configuration `{t}`"),
                    ),
                );
                break;
            }
        }
    }
    if matches!(
        name,
        ".pre-commit-config.yaml" | "makefile" | "noxfile.py" | "tox.ini"
    ) || is_ci
    {
        if let Some(i) = text.lines().position(|l| {
            let l = l.trim();
            !l.starts_with('#')
                && (l.contains("mypy ")
                    || l.ends_with("mypy")
                    || l.contains("pyright")
                    || l.contains("mirrors-mypy"))
        }) {
            push(
                &mut p.python_type_checker,
                ev(
                    path,
                    Some(u32::try_from(i + 1).unwrap_or(1)),
                    "runs the type checker",
                ),
            );
        }
    }
}

/// The first line of a CI file that runs a test suite.
pub fn test_command(text: &str) -> Option<(u32, String)> {
    const COMMANDS: &[&str] = &[
        "npm test",
        "npm run test",
        "npm t",
        "npm run ci",
        "yarn test",
        "yarn run test",
        "pnpm test",
        "pnpm run test",
        "pnpm -r test",
        "bun test",
        "npx vitest",
        "npx jest",
        "vitest run",
        "jest",
        "pytest",
        "python -m pytest",
        "python -m unittest",
        "manage.py test",
        "tox",
        "nox",
        "go test",
        "gotestsum",
        "cargo test",
        "cargo nextest",
        "make test",
        "make check",
        "just test",
        "poetry run pytest",
        "uv run pytest",
        "hatch test",
        "hatch run test",
    ];
    for (i, line) in text.lines().enumerate() {
        let t = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run:")
            .trim();
        if t.starts_with('#') {
            continue;
        }
        for c in COMMANDS {
            let hit = t.starts_with(c)
                || t.contains(&format!(" {c}"))
                || t.contains(&format!("&& {c}"))
                || t.contains(&format!("\"{c}"));
            if hit {
                let after = t.split(c).nth(1).unwrap_or("");
                if c.len() <= 4 && !after.is_empty() && !after.starts_with([' ', '"', '\'']) {
                    continue;
                }
                return Some((u32::try_from(i + 1).unwrap_or(1), c.to_string()));
            }
        }
    }
    None
}

/// Parsed source files: imports, prints, signal handlers, `any`, DI.
pub fn record_tree(file: &ParsedFile, p: &mut PracticeFacts) {
    let test = is_test_or_fixture_path(file.path);
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            if file.path.ends_with(".ts")
                || file.path.ends_with(".tsx")
                || file.path.ends_with(".mts")
                || file.path.ends_with(".cts")
            {
                p.ts_files += 1;
            } else {
                p.js_files += 1;
            }
        }
        Grammar::Python => p.python_files += 1,
        Grammar::Go => p.go_files += 1,
        Grammar::Rust => p.rust_files += 1,
    }
    if test {
        return;
    }
    let path = file.path;
    let is_ts = file.grammar == Grammar::TypeScript || file.path.ends_with(".tsx");
    if is_ts && !file.path.ends_with(".d.ts") {
        p.ts_lines += file.text.lines().count();
    }
    let module_names = module_level_names(file);
    // What the imports, the per-language rules (`js_node`... `rust_node`:
    // calls, `any`, attributes, macros) and the database calls look at.
    let kinds = [
        super::db_calls::DB_CALL_KINDS,
        &[
            "import_statement",
            "import_from_statement",
            "import_spec",
            "use_declaration",
            "predefined_type",
            "attribute_item",
        ],
    ]
    .concat();
    file.for_each_of(&kinds, |n| {
        let line = first_line(n);
        match n.kind_name() {
            // Imports.
            "import_statement"
            | "import_from_statement"
            | "import_spec"
            | "use_declaration"
            | "call_expression"
            | "call"
                if is_import(file, n) =>
            {
                let module = import_module(file, n);
                let m = module.as_str();
                if STRUCTURED_LOGGERS
                    .iter()
                    .any(|l| matches_lib(m, l) || m.starts_with(&format!("{l}::")))
                {
                    push(
                        &mut p.structured_logging,
                        ev(path, Some(line), format!("imports `{m}`")),
                    );
                }
                if m == "logging" || m == "log" || m == "logging.config" {
                    push(
                        &mut p.stdlib_logging,
                        ev(path, Some(line), format!("imports `{m}`")),
                    );
                }
                if METRICS_LIBS.iter().any(|l| {
                    matches_lib(m, l)
                        || m.starts_with(&format!("{l}::"))
                        || m.starts_with(&format!("{l}/"))
                        || m.starts_with(&format!("{l}."))
                }) {
                    push(
                        &mut p.metrics,
                        ev(path, Some(line), format!("imports `{m}`")),
                    );
                }
                if m.starts_with("@opentelemetry/")
                    || m.starts_with("opentelemetry")
                    || m.starts_with("go.opentelemetry.io/")
                    || m.starts_with("tracing_opentelemetry")
                    || m == "dd-trace"
                    || m == "ddtrace"
                {
                    push(
                        &mut p.tracing,
                        ev(path, Some(line), format!("imports `{m}`")),
                    );
                }
            }
            _ => {}
        }
        match file.grammar {
            Grammar::TypeScript | Grammar::Tsx => js_node(file, n, p),
            Grammar::Python => py_node(file, n, p),
            Grammar::Go => go_node(file, n, p),
            Grammar::Rust => rust_node(file, n, p),
        }
        di_from_db_calls(file, n, p, &module_names);
    });
}

fn is_import(file: &ParsedFile, n: tree_sitter::Node) -> bool {
    match n.kind_name() {
        "call_expression" => n
            .field("function")
            .is_some_and(|f| file.text_of(f) == "require" || f.kind_name() == "import"),
        "call" => false,
        _ => true,
    }
}

fn import_module(file: &ParsedFile, n: tree_sitter::Node) -> String {
    let text = match n.kind_name() {
        "import_statement" if file.grammar.is_js() => {
            n.field("source").map(|s| file.text_of(s)).unwrap_or("")
        }
        "call_expression" => n
            .field("arguments")
            .and_then(|a| a.named_child(0))
            .map(|s| file.text_of(s))
            .unwrap_or(""),
        "import_statement" => n.named_child(0).map(|s| file.text_of(s)).unwrap_or(""),
        "import_from_statement" => n
            .field("module_name")
            .map(|s| file.text_of(s))
            .unwrap_or(""),
        "import_spec" => n.field("path").map(|s| file.text_of(s)).unwrap_or(""),
        "use_declaration" => n.field("argument").map(|s| file.text_of(s)).unwrap_or(""),
        _ => "",
    };
    let t = text.trim_matches(['"', '\'', '`']);
    let t = t.split(" as ").next().unwrap_or(t);
    t.to_ascii_lowercase()
}

fn callee<'a>(file: &ParsedFile<'a>, n: tree_sitter::Node) -> Option<&'a str> {
    if !matches!(n.kind_name(), "call_expression" | "call") {
        return None;
    }
    n.field("function").map(|f| file.text_of(f))
}

fn server_entry(p: &mut PracticeFacts, lang: &'static str, e: Evidence) {
    if p.servers.len() < MAX_SERVERS
        && !p
            .servers
            .iter()
            .any(|(l, x)| *l == lang && x.path == e.path)
    {
        p.servers.push((lang, e));
    }
}

fn js_node(file: &ParsedFile, n: tree_sitter::Node, p: &mut PracticeFacts) {
    let path = file.path;
    let line = first_line(n);
    if n.kind_name() == "predefined_type" && file.text_of(n) == "any" {
        p.any_count += 1;
        if p.any_examples.len() < MAX_ANY_EXAMPLES {
            p.any_examples.push(ev(path, Some(line), "`any` type"));
        }
        return;
    }
    let Some(c) = callee(file, n) else { return };
    let args = n.field("arguments").map(|a| file.text_of(a)).unwrap_or("");
    if matches!(
        c,
        "console.log" | "console.info" | "console.warn" | "console.error" | "console.debug"
    ) {
        p.print_count += 1;
        if p.prints.len() < MAX_PRINTS {
            p.prints.push(ev(path, Some(line), format!("`{c}`")));
        }
    }
    if (c == "process.on" || c == "process.once") && args.contains("SIGTERM") {
        push(
            &mut p.shutdown,
            ev(
                path,
                Some(line),
                "handles SIGTERM (`process.on('SIGTERM')`)",
            ),
        );
    } else if (c == "process.on" || c == "process.once") && args.contains("SIGINT") {
        push(
            &mut p.sigint_only,
            ev(path, Some(line), "handles only SIGINT"),
        );
    }
    if c.ends_with(".enableShutdownHooks") {
        push(
            &mut p.shutdown,
            ev(path, Some(line), "NestJS `enableShutdownHooks()`"),
        );
    }
    if c.ends_with(".listen")
        || c == "serve"
        || c.ends_with("NestFactory.create")
        || c == "NestFactory.create"
    {
        server_entry(
            p,
            "js",
            ev(path, Some(line), format!("starts the server (`{c}`)")),
        );
    }
    if (c == "Fastify" || c == "fastify") && args.contains("logger") {
        push(
            &mut p.structured_logging,
            ev(path, Some(line), "Fastify's built-in pino logger"),
        );
    }
    // DI: NestJS constructor injection, Hono/Koa context, app.locals.
    if c.ends_with("Injectable") {
        push(
            &mut p.di_injected,
            ev(path, Some(line), "NestJS `@Injectable()` provider"),
        );
    }
}

fn py_node(file: &ParsedFile, n: tree_sitter::Node, p: &mut PracticeFacts) {
    let path = file.path;
    let line = first_line(n);
    let Some(c) = callee(file, n) else { return };
    let args = n.field("arguments").map(|a| file.text_of(a)).unwrap_or("");
    if c == "print" {
        p.print_count += 1;
        if p.prints.len() < MAX_PRINTS {
            p.prints.push(ev(path, Some(line), "`print`"));
        }
    }
    if matches!(c, "signal.signal" | "loop.add_signal_handler" | "signal")
        && args.contains("SIGTERM")
    {
        push(&mut p.shutdown, ev(path, Some(line), "handles SIGTERM"));
    }
    if c == "uvicorn.run" || c.ends_with(".run") && file.mentions("uvicorn") {
        push(
            &mut p.graceful_servers,
            ev(
                path,
                Some(line),
                "runs under uvicorn, which drains requests on SIGTERM",
            ),
        );
    }
    if c == "Depends" {
        push(
            &mut p.di_injected,
            ev(path, Some(line), "FastAPI `Depends(...)`"),
        );
    }
    if c.ends_with("JsonFormatter")
        || c.ends_with("jsonlogger.JsonFormatter")
        || (c.ends_with("dictConfig") && file.mentions("json"))
    {
        push(
            &mut p.structured_logging,
            ev(path, Some(line), "JSON log formatter"),
        );
    }
    if matches!(
        c,
        "FastAPI" | "Flask" | "get_wsgi_application" | "get_asgi_application" | "Starlette"
    ) {
        server_entry(
            p,
            "python",
            ev(path, Some(line), format!("creates the app (`{c}`)")),
        );
    }
}

fn go_node(file: &ParsedFile, n: tree_sitter::Node, p: &mut PracticeFacts) {
    let path = file.path;
    let line = first_line(n);
    let Some(c) = callee(file, n) else { return };
    let args = n.field("arguments").map(|a| file.text_of(a)).unwrap_or("");
    if matches!(c, "fmt.Println" | "fmt.Printf" | "fmt.Print") {
        p.print_count += 1;
        if p.prints.len() < MAX_PRINTS {
            p.prints.push(ev(path, Some(line), format!("`{c}`")));
        }
    }
    if c.starts_with("log.Print") || c.starts_with("log.Fatal") {
        push(
            &mut p.stdlib_logging,
            ev(path, Some(line), "standard `log` package"),
        );
    }
    if c == "signal.Notify" || c == "signal.NotifyContext" {
        if args.contains("SIGTERM") {
            push(
                &mut p.go_notify,
                ev(path, Some(line), format!("`{c}` with SIGTERM")),
            );
        } else {
            push(
                &mut p.sigint_only,
                ev(
                    path,
                    Some(line),
                    format!("`{c}` without SIGTERM (only Ctrl-C)"),
                ),
            );
        }
    }
    if c.ends_with(".Shutdown")
        || c.ends_with(".ShutdownWithContext")
        || c.ends_with(".GracefulStop")
    {
        push(
            &mut p.go_shutdown,
            ev(path, Some(line), format!("drains requests (`{c}`)")),
        );
    }
    if c.ends_with("ListenAndServe")
        || c.ends_with(".Run") && file.mentions("gin")
        || c.ends_with(".Start") && file.mentions("echo")
        || c.ends_with(".Listen")
    {
        server_entry(
            p,
            "go",
            ev(path, Some(line), format!("starts the server (`{c}`)")),
        );
    }
}

fn rust_node(file: &ParsedFile, n: tree_sitter::Node, p: &mut PracticeFacts) {
    let path = file.path;
    let line = first_line(n);
    if n.kind_name() == "attribute_item" {
        let text = file.text_of(n).replace(' ', "");
        if [
            "#[test]",
            "#[tokio::test",
            "#[actix_web::test",
            "#[actix_rt::test",
            "#[sqlx::test",
            "#[rstest",
        ]
        .iter()
        .any(|t| text.starts_with(t))
            && p.rust_inline_tests.len() < MAX_LISTED
            && !p.rust_inline_tests.iter().any(|e| e.path == path)
        {
            p.rust_inline_tests
                .push(ev(path, Some(line), "Rust unit tests (`#[test]`)"));
        }
        return;
    }
    if n.kind_name() == "macro_invocation" {
        let name = n.field("macro").map(|m| file.text_of(m)).unwrap_or("");
        if matches!(name, "println" | "eprintln" | "print" | "eprint") {
            p.print_count += 1;
            if p.prints.len() < MAX_PRINTS {
                p.prints.push(ev(path, Some(line), format!("`{name}!`")));
            }
        }
        return;
    }
    let Some(c) = callee(file, n) else { return };
    let text = file.text_of(n);
    if c.ends_with("with_graceful_shutdown") {
        let fn_text = file.text;
        if fn_text.contains("SignalKind::terminate") || fn_text.contains("SIGTERM") {
            push(
                &mut p.shutdown,
                ev(path, Some(line), "axum `with_graceful_shutdown` on SIGTERM"),
            );
        } else {
            push(
                &mut p.sigint_only,
                ev(
                    path,
                    Some(line),
                    "`with_graceful_shutdown` on Ctrl-C only (no `SignalKind::terminate()`)",
                ),
            );
        }
    }
    if c.ends_with("HttpServer::new") && !file.mentions("disable_signals") {
        push(
            &mut p.shutdown,
            ev(
                path,
                Some(line),
                "actix-web drains requests on SIGTERM by default",
            ),
        );
    }
    if c.ends_with("axum::serve")
        || c == "serve"
        || c.ends_with("HttpServer::new")
        || c.ends_with("Server::bind")
    {
        server_entry(
            p,
            "rust",
            ev(path, Some(line), format!("starts the server (`{c}`)")),
        );
    }
    let _ = text;
}

/// ARCH-DI evidence from database calls in handlers and services: the
/// handle reached through a parameter, `this`/`self`, request context or app
/// state is injected; one imported from a module or held in a global is not.
fn di_from_db_calls(
    file: &ParsedFile,
    n: tree_sitter::Node,
    p: &mut PracticeFacts,
    module_names: &std::collections::HashSet<String>,
) {
    let Some(call) = super::db_calls::db_call(file, n) else {
        return;
    };
    if call.commit {
        return;
    }
    // Django managers and model statics are the framework's design, not a choice.
    if file.text_of(call.receiver).ends_with(".objects")
        || file
            .text_of(call.receiver)
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
    {
        return;
    }
    let root = super::db_calls::root_node(call.receiver);
    let root_name = file.text_of(root);
    let Some(function) = super::functions::enclosing_function(file, n) else {
        return;
    };
    let line = first_line(n);
    if matches!(root.kind_name(), "this" | "self") || root_name == "self" || root_name == "this" {
        push(
            &mut p.di_injected,
            ev(
                file.path,
                Some(line),
                format!("uses `{}` held by its object", file.text_of(call.receiver)),
            ),
        );
        return;
    }
    if is_parameter_of(file, function, root_name) {
        push(
            &mut p.di_injected,
            ev(
                file.path,
                Some(line),
                format!("receives `{root_name}` as a parameter"),
            ),
        );
        return;
    }
    if module_names.contains(root_name) {
        push(
            &mut p.di_global,
            ev(
                file.path,
                Some(line),
                format!("uses the module-level `{root_name}`"),
            ),
        );
    }
}

fn is_parameter_of(file: &ParsedFile, function: tree_sitter::Node, name: &str) -> bool {
    let mut node = Some(function);
    // The enclosing functions' parameters (closures see their parents').
    for _ in 0..6 {
        let Some(f) = node else { return false };
        let params = f
            .field("parameters")
            .or_else(|| f.field("parameter"))
            .or_else(|| f.field("receiver"));
        let mut found = params.is_some_and(|p| super::nplus1::identifiers(file, p).contains(name));
        if let Some(r) = f.field("receiver") {
            found |= super::nplus1::identifiers(file, r).contains(name);
        }
        if found {
            return true;
        }
        node = super::functions::enclosing_function(file, f);
    }
    false
}

/// Names imported or declared at the top level of the file.
fn module_level_names(file: &ParsedFile) -> std::collections::HashSet<String> {
    let root = file.tree.root_node();
    let mut names = std::collections::HashSet::new();
    for stmt in named_children(root) {
        let kind = stmt.kind_name();
        let declares = matches!(
            kind,
            "import_statement"
                | "import_from_statement"
                | "lexical_declaration"
                | "variable_declaration"
                | "expression_statement"
                | "var_declaration"
                | "static_item"
                | "const_item"
                | "export_statement"
                | "import_declaration"
        );
        if !declares || (kind == "expression_statement" && !file.text_of(stmt).contains('=')) {
            continue;
        }
        // Only the names bound, not what the initializer reads.
        if kind == "expression_statement" {
            if let Some(left) = stmt.named_child(0).and_then(|a| a.field("left")) {
                names.extend(
                    super::nplus1::identifiers(file, left)
                        .into_iter()
                        .map(str::to_string),
                );
            }
            continue;
        }
        names.extend(
            super::nplus1::identifiers(file, stmt)
                .into_iter()
                .map(str::to_string),
        );
    }
    names
}

/// The verdict of one practice check.
pub fn check(id: &str, facts: &ProjectFacts) -> CheckResult {
    let p = &facts.design.practices;
    let code_files = p.ts_files + p.js_files + p.python_files + p.go_files + p.rust_files;
    if code_files == 0 {
        return result(
            id,
            Verdict::NotApplicable,
            "No TypeScript, JavaScript, Python, Go or Rust source to judge.".to_string(),
            Vec::new(),
        );
    }
    match id {
        LOGGING_CHECK_ID => logging(p, facts.design.log_calls),
        METRICS_CHECK_ID => library_practice(
            id,
            &p.metrics,
            "Prometheus-compatible metrics",
            "No metrics library found: looked for prom-client, express-prom-bundle, prometheus_client, prometheus-fastapi-instrumentator, django-prometheus, client_golang, metrics-exporter-prometheus, axum-prometheus, actix-web-prom and the OpenTelemetry Prometheus exporter. Without request rates, latencies and error counts, an outage is noticed by users first. Add one and expose `/metrics`.",
        ),
        TRACING_CHECK_ID => library_practice(
            id,
            &p.tracing,
            "Distributed tracing",
            "No tracing found: looked for OpenTelemetry SDKs and instrumentations (@opentelemetry/*, opentelemetry-*, go.opentelemetry.io/otel, tracing-opentelemetry), dd-trace and elastic-apm. Without traces a slow request cannot be followed across services and the database. Add the OpenTelemetry SDK with the framework's auto-instrumentation.",
        ),
        SHUTDOWN_CHECK_ID => shutdown(p),
        CI_CHECK_ID => ci(p),
        TYPES_CHECK_ID => types(p),
        DI_CHECK_ID => di(p, facts),
        _ => result(id, Verdict::NotChecked, super::checks::NOT_CHECKED_SUMMARY.to_string(), Vec::new()),
    }
}

fn capped(list: &[Evidence]) -> Vec<Evidence> {
    list.iter().take(MAX_EVIDENCE).cloned().collect()
}

fn files_of(list: &[Evidence]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|e| e.path.clone()).collect();
    v.dedup();
    v
}

fn library_practice(id: &str, found: &[Evidence], what: &str, missing: &str) -> CheckResult {
    if found.is_empty() {
        return result(id, Verdict::Fail, missing.to_string(), Vec::new());
    }
    result(
        id,
        Verdict::Pass,
        format!(
            "{what}: {} ({}).",
            found
                .iter()
                .map(|e| e.note.as_str())
                .take(3)
                .collect::<Vec<_>>()
                .join(", "),
            list_some(&files_of(found), 3)
        ),
        capped(found),
    )
}

fn logging(p: &PracticeFacts, log_calls: usize) -> CheckResult {
    let prints = if p.print_count > 0 {
        format!(
            " {} print/console call{} remain in server code.",
            p.print_count,
            plural(p.print_count)
        )
    } else {
        String::new()
    };
    if !p.structured_logging.is_empty() {
        let mut e = capped(&p.structured_logging);
        e.extend(p.prints.iter().take(3).cloned());
        return result(
            LOGGING_CHECK_ID,
            Verdict::Pass,
            format!(
                "Structured logging: {} ({}).{prints}",
                p.structured_logging
                    .iter()
                    .map(|e| e.note.as_str())
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(", "),
                list_some(&files_of(&p.structured_logging), 3)
            ),
            e,
        );
    }
    let mut e = capped(&p.stdlib_logging);
    e.extend(p.prints.iter().cloned());
    let how = if !p.stdlib_logging.is_empty() {
        format!(
            "the code logs with a plain-text logger ({}) and no JSON formatter",
            list_some(&files_of(&p.stdlib_logging), 3)
        )
    } else if p.print_count > 0 {
        format!(
            "the code writes {} print/console.log call{} and uses no logger",
            p.print_count,
            plural(p.print_count)
        )
    } else {
        if log_calls > 0 {
            format!(
                "the code makes {log_calls} call{} to a framework or plain-text logger, with no JSON/structured logger configured",
                plural(log_calls)
            )
        } else {
            "the code does not log at all".to_string()
        }
    };
    result(
        LOGGING_CHECK_ID,
        Verdict::Fail,
        format!("No structured logging: {how}. Plain lines cannot be searched or filtered by field (request id, user, status) in a log system. Use pino/winston (JSON), structlog or python-json-logger, slog/zap/zerolog, or tracing with a JSON subscriber."),
        e,
    )
}

fn shutdown(p: &PracticeFacts) -> CheckResult {
    let mut langs: Vec<&str> = p.servers.iter().map(|(l, _)| *l).collect();
    langs.sort();
    langs.dedup();
    if langs.is_empty() {
        // No server start found; libraries alone still tell.
        if !p.shutdown.is_empty() || !p.graceful_servers.is_empty() {
            let mut e = capped(&p.shutdown);
            e.extend(capped(&p.graceful_servers));
            return result(
                SHUTDOWN_CHECK_ID,
                Verdict::Pass,
                format!(
                    "Graceful shutdown: {}.",
                    e.iter()
                        .map(|x| x.note.as_str())
                        .take(2)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                e,
            );
        }
        return result(SHUTDOWN_CHECK_ID, Verdict::NotApplicable, "No server start-up found (no `listen`, app factory, `ListenAndServe` or `axum::serve`), so there is no process to shut down.".to_string(), Vec::new());
    }
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for lang in &langs {
        let entry = p
            .servers
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, e)| e.clone())
            .unwrap();
        let (ok, why, mut evidence): (bool, String, Vec<Evidence>) = match *lang {
            "js" => {
                let ok = !p.shutdown.is_empty();
                (
                    ok,
                    if ok {
                        "handles SIGTERM".into()
                    } else if !p.sigint_only.is_empty() {
                        "the Node server handles SIGINT but not SIGTERM, which is what Docker and Kubernetes send".into()
                    } else {
                        "the Node server never listens for SIGTERM: in-flight requests are cut off on every deploy. Add `process.on('SIGTERM', () => server.close(...))` (or NestJS `enableShutdownHooks()`, @godaddy/terminus)".into()
                    },
                    capped(&p.shutdown),
                )
            }
            "python" => {
                let mut e = capped(&p.graceful_servers);
                e.extend(capped(&p.shutdown));
                let ok = !e.is_empty();
                (
                    ok,
                    if ok {
                        "runs under a server that drains requests on SIGTERM".into()
                    } else {
                        "the Python app declares no production server (uvicorn, gunicorn, hypercorn) and handles no SIGTERM: run it under gunicorn/uvicorn, which finish in-flight requests on SIGTERM".into()
                    },
                    e,
                )
            }
            "go" => {
                let ok = !p.go_notify.is_empty() && !p.go_shutdown.is_empty();
                let why = if ok {
                    "catches SIGTERM with `signal.Notify` and drains with `Shutdown`".to_string()
                } else if !p.go_notify.is_empty() {
                    "catches SIGTERM but never calls `srv.Shutdown(ctx)`, so in-flight requests are dropped".to_string()
                } else if !p.sigint_only.is_empty() {
                    "`signal.Notify` listens for Ctrl-C (`os.Interrupt`) only, not `syscall.SIGTERM`, which is what Docker and Kubernetes send".to_string()
                } else {
                    "the Go server never handles SIGTERM: use `signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)` and `srv.Shutdown(ctx)`".to_string()
                };
                let mut e = capped(&p.go_notify);
                e.extend(capped(&p.go_shutdown));
                e.extend(capped(&p.sigint_only));
                (ok, why, e)
            }
            _ => {
                let ok = !p.shutdown.is_empty();
                let why = if ok {
                    "shuts down gracefully on SIGTERM".to_string()
                } else if !p.sigint_only.is_empty() {
                    "the graceful-shutdown future waits for Ctrl-C only: add `tokio::signal::unix::signal(SignalKind::terminate())`".to_string()
                } else {
                    "the Rust server never handles SIGTERM: use axum's `with_graceful_shutdown` with a SIGTERM future".to_string()
                };
                let mut e = capped(&p.shutdown);
                e.extend(capped(&p.sigint_only));
                (ok, why, e)
            }
        };
        evidence.insert(0, entry);
        let name = match *lang {
            "js" => "Node",
            "python" => "Python",
            "go" => "Go",
            _ => "Rust",
        };
        if ok {
            passed.push((name, why, evidence))
        } else {
            failed.push((name, why, evidence))
        }
    }
    if failed.is_empty() {
        let e: Vec<Evidence> = passed
            .iter()
            .flat_map(|(_, _, e)| e.clone())
            .take(MAX_EVIDENCE)
            .collect();
        let why: Vec<String> = passed
            .iter()
            .map(|(n, w, _)| format!("the {n} server {w}"))
            .collect();
        return result(
            SHUTDOWN_CHECK_ID,
            Verdict::Pass,
            format!("Graceful shutdown: {}.", why.join("; ")),
            e,
        );
    }
    let e: Vec<Evidence> = failed
        .iter()
        .flat_map(|(_, _, e)| e.clone())
        .take(MAX_EVIDENCE)
        .collect();
    let why: Vec<String> = failed.iter().map(|(n, w, _)| format!("{n}: {w}")).collect();
    result(
        SHUTDOWN_CHECK_ID,
        Verdict::Fail,
        format!("No graceful shutdown on SIGTERM. {}.", why.join("; ")),
        e,
    )
}

fn ci(p: &PracticeFacts) -> CheckResult {
    if p.ci_files.is_empty() {
        return result(CI_CHECK_ID, Verdict::Fail, "No CI configuration found: looked for .github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, azure-pipelines.yml, Jenkinsfile, .travis.yml, bitbucket-pipelines.yml, .drone.yml, .buildkite/ and .woodpecker. Without CI, nothing stops a change that breaks the tests from being merged.".to_string(), Vec::new());
    }
    if p.ci_test_steps.is_empty() {
        return result(CI_CHECK_ID, Verdict::Fail, format!("CI is configured ({}) but no step runs the tests (looked for npm/yarn/pnpm test, vitest, jest, pytest, tox, go test, cargo test, make test): it builds or deploys without checking.", list_some(&files_of(&p.ci_files), 3)), capped(&p.ci_files));
    }
    result(
        CI_CHECK_ID,
        Verdict::Pass,
        format!(
            "CI runs the tests: {} ({}).",
            p.ci_test_steps[0].note,
            list_some(&files_of(&p.ci_test_steps), 3)
        ),
        capped(&p.ci_test_steps),
    )
}

/// Does a tsconfig (or one it extends, among the project's) set `strict`?
fn tsconfig_strict(configs: &[(String, String)], path: &str, depth: usize) -> Option<bool> {
    let (_, text) = configs.iter().find(|(p, _)| p == path)?;
    let cleaned: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let compact: String = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("\"strict\":true") {
        return Some(true);
    }
    if compact.contains("\"strict\":false") {
        return Some(false);
    }
    let extends = compact
        .split("\"extends\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())?;
    if extends.contains("strictest")
        || extends.starts_with("@tsconfig/node")
        || extends.contains("@tsconfig/recommended")
    {
        return Some(true);
    }
    if depth > 4 {
        return None;
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut target = if dir.is_empty() {
        extends.trim_start_matches("./").to_string()
    } else {
        format!("{dir}/{}", extends.trim_start_matches("./"))
    };
    if !target.ends_with(".json") {
        target.push_str(".json");
    }
    tsconfig_strict(configs, &target, depth + 1)
}

fn types(p: &PracticeFacts) -> CheckResult {
    let mut problems = Vec::new();
    let mut good = Vec::new();
    let mut evidence = Vec::new();
    if p.ts_files > 0 {
        let main = p
            .tsconfigs
            .iter()
            .filter(|(path, _)| file_name(path) == "tsconfig.json")
            .min_by_key(|(path, _)| path.matches('/').count());
        match main {
            None => {
                problems.push("TypeScript without a tsconfig.json, so `strict` is off".to_string())
            }
            Some((path, _)) => {
                let strict = tsconfig_strict(&p.tsconfigs, path, 0).unwrap_or(false);
                evidence.push(ev(
                    path,
                    None,
                    if strict {
                        "`strict: true`"
                    } else {
                        "`strict` not enabled"
                    },
                ));
                if strict {
                    good.push(format!("TypeScript `strict` ({path})"));
                } else {
                    problems.push(format!("{path} does not enable `\"strict\": true`"));
                }
            }
        }
        let per_k = if p.ts_lines == 0 {
            0.0
        } else {
            p.any_count as f64 * 1000.0 / p.ts_lines as f64
        };
        if p.any_count > 0 && per_k > 10.0 {
            problems.push(format!(
                "{} `any` types ({per_k:.0} per 1000 lines) switch the checks off",
                p.any_count
            ));
            evidence.extend(p.any_examples.iter().cloned());
        } else if p.any_count > 0 {
            good.push(format!(
                "{} `any` type{} ({per_k:.1} per 1000 lines)",
                p.any_count,
                plural(p.any_count)
            ));
        }
    } else if p.js_files > 0 {
        let check_js = p
            .tsconfigs
            .iter()
            .any(|(_, t)| t.replace(' ', "").contains("\"checkJs\":true"));
        if check_js {
            good.push("JavaScript checked by TypeScript (`checkJs`)".to_string());
        } else {
            problems.push(
                "plain JavaScript with no type checking (no TypeScript, no `checkJs`)".to_string(),
            );
        }
    }
    if p.python_files > 0 {
        if p.python_type_checker.is_empty() {
            problems.push("Python without a type checker: no mypy or pyright configuration or run (pyproject [tool.mypy]/[tool.pyright], mypy.ini, pyrightconfig.json, CI step)".to_string());
        } else {
            good.push(format!(
                "Python type-checked ({})",
                p.python_type_checker[0].note
            ));
            evidence.extend(p.python_type_checker.iter().take(5).cloned());
        }
    }
    if p.go_files > 0 {
        good.push("Go is statically typed and the compiler checks it".to_string());
    }
    if p.rust_files > 0 {
        good.push("Rust is statically typed and the compiler checks it".to_string());
    }
    if problems.is_empty() {
        result(
            TYPES_CHECK_ID,
            Verdict::Pass,
            format!("Types are enforced: {}.", good.join("; ")),
            evidence,
        )
    } else {
        result(TYPES_CHECK_ID, Verdict::Fail, format!("Types are not enforced: {}. Type errors then reach production instead of failing the build.", problems.join("; ")), evidence)
    }
}

fn di(p: &PracticeFacts, facts: &ProjectFacts) -> CheckResult {
    let (inj, glob) = (p.di_injected.len(), p.di_global.len());
    if inj == 0 && glob == 0 {
        if p.django && facts.design.files_with_queries > 0 {
            return result(DI_CHECK_ID, Verdict::NotApplicable, "Django: models and managers are global by the framework's design; there are no other shared dependencies to inject.".to_string(), Vec::new());
        }
        return result(DI_CHECK_ID, Verdict::NotApplicable, "No shared dependencies (database handles or clients) used by the code, so there is nothing to inject.".to_string(), Vec::new());
    }
    if glob == 0 || inj >= 2 * glob {
        let mut e = capped(&p.di_injected);
        e.extend(p.di_global.iter().take(5).cloned());
        let also = if glob > 0 {
            format!(
                " ({glob} use{} of module-level handles remain)",
                plural(glob)
            )
        } else {
            String::new()
        };
        return result(DI_CHECK_ID, Verdict::Pass, format!("Dependencies are passed in: {inj} place{} reach{} the database through a parameter, `this`/`self` or app state ({}){also}.", plural(inj), if inj == 1 { "es" } else { "" }, list_some(&files_of(&p.di_injected), 3)), e);
    }
    let mut e = capped(&p.di_global);
    e.extend(p.di_injected.iter().take(5).cloned());
    result(DI_CHECK_ID, Verdict::Fail, format!("Dependencies are imported globals: {glob} database call{} use{} a module-level handle ({}) against {inj} passed in. Code that imports its database cannot be tested with a fake or given another connection; pass the handle in (constructor, function parameter, app state, `Depends`).", plural(glob), if glob == 1 { "s" } else { "" }, list_some(&files_of(&p.di_global), 3)), e)
}

crate::merge_fields!(PracticeFacts {
    structured_logging: MAX_LISTED,
    stdlib_logging: MAX_LISTED,
    prints: MAX_PRINTS,
    print_count,
    metrics: MAX_LISTED,
    tracing: MAX_LISTED,
    shutdown: MAX_LISTED,
    sigint_only: MAX_LISTED,
    graceful_servers: MAX_LISTED,
    go_notify: MAX_LISTED,
    go_shutdown: MAX_LISTED,
    servers: MAX_SERVERS,
    ci_files: MAX_LISTED,
    ci_test_steps: MAX_LISTED,
    ts_files,
    js_files,
    python_files,
    go_files,
    rust_files,
    tsconfigs: MAX_TSCONFIGS,
    any_count,
    ts_lines,
    any_examples: MAX_ANY_EXAMPLES,
    python_type_checker: MAX_LISTED,
    di_injected: MAX_LISTED,
    di_global: MAX_LISTED,
    django,
    rust_inline_tests: MAX_LISTED,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_test_commands_are_recognised() {
        assert!(test_command(
            "jobs:\n  test:\n    steps:\n      - run: npm ci\n      - run: npm test\n"
        )
        .is_some());
        assert_eq!(
            test_command("steps:\n  - run: go test ./...\n").map(|(l, _)| l),
            Some(2)
        );
        assert!(test_command("steps:\n  - run: npm run build\n  - run: docker push x\n").is_none());
        assert!(test_command("script:\n  - jestify deploy\n").is_none());
    }

    #[test]
    fn tsconfig_strictness_follows_extends() {
        let configs = vec![
            (
                "tsconfig.json".to_string(),
                "{ \"extends\": \"./tsconfig.base.json\" }".to_string(),
            ),
            (
                "tsconfig.base.json".to_string(),
                "{ // base\n \"compilerOptions\": { \"strict\": true } }".to_string(),
            ),
            (
                "a/tsconfig.json".to_string(),
                "{ \"compilerOptions\": { \"strict\": false } }".to_string(),
            ),
        ];
        assert_eq!(tsconfig_strict(&configs, "tsconfig.json", 0), Some(true));
        assert_eq!(tsconfig_strict(&configs, "a/tsconfig.json", 0), Some(false));
    }
}
