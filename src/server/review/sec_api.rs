//! Glue for the SEC and API checks beyond SQL injection and secrets: runs
//! their per-file rules, gathers what their project-wide verdicts need, and
//! gives those verdicts.
//!
//! Finding checks (SEC-PASSWORD, SEC-JWT, SEC-ERRLEAK, SEC-CORS,
//! SEC-INJECTION, SEC-TLS, API-STATUS, API-PAGINATION) run over syntax trees
//! of production code (test code and fixtures are left out). Practice checks
//! (SEC-HEADERS, SEC-ENVSECRETS, API-ERRORS, API-OPENAPI, API-VERSIONING,
//! API-IDEMPOTENCY) collect *signals*: lines of code, manifests and file names
//! that show the practice, kept as evidence.

use super::checks::{finding_check, list_some, plural, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::file_kinds::{file_name, is_docs_path, is_test_or_fixture_path};
use super::findings::Draft;
use super::language::Grammar;
use super::syntax::ParsedFile;
use super::{
    api_errors, api_status, cors, env_secrets, errleak, headers, idempotency, injection, jwt,
    openapi, pagination, password, tls, versioning,
};
use crate::model::{CheckResult, Evidence, Finding, Verdict};
use crate::server::review::facts::Empty;
use regex::{Regex, RegexSet};
use std::collections::{BTreeMap, BTreeSet};

/// Signals kept per kind, at most (evidence lists stay short).
const MAX_SIGNALS: usize = 40;

/// What the per-file pass learned for the SEC/API verdicts.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// Practice signals by name (see each practice module), with where.
    #[serde(with = "super::interned::name_map")]
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub signals: BTreeMap<&'static str, Vec<Evidence>>,
    /// Production code files parsed, by grammar family ("JS/TS", "Python", "Go", "Rust").
    #[serde(with = "super::interned::name_map")]
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub code_files: BTreeMap<&'static str, usize>,
    /// Places each finding rule found relevant (a JWT library import, a CORS
    /// configuration, a shell call...): decides "not applicable".
    #[serde(with = "super::interned::name_map")]
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub relevant: BTreeMap<&'static str, Vec<Evidence>>,
    /// HTTP routes seen by the SEC/API rules themselves: (method, path, file, line).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub routes: Vec<(String, String, String, u32)>,
    /// Environment variable names read by the code.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub env_names: BTreeSet<String>,
    /// Upper-case words of README/docs files (where env variables are documented).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub documented_words: BTreeSet<String>,
}

impl Facts {
    /// Records a practice signal or a relevance mark.
    pub fn signal(&mut self, kind: &'static str, path: &str, line: u32, note: String) {
        push_capped(self.signals.entry(kind).or_default(), path, line, note);
    }

    pub fn relevant(&mut self, check: &'static str, path: &str, line: u32, note: String) {
        push_capped(self.relevant.entry(check).or_default(), path, line, note);
    }

    pub fn signals_of(&self, kind: &str) -> &[Evidence] {
        self.signals.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn relevant_to(&self, check: &str) -> &[Evidence] {
        self.relevant.get(check).map_or(&[], Vec::as_slice)
    }

    pub fn code_total(&self) -> usize {
        self.code_files.values().sum()
    }

    /// "4 JS/TS, 2 Go"
    pub fn describe_code(&self) -> String {
        self.code_files
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn push_capped(list: &mut Vec<Evidence>, path: &str, line: u32, note: String) {
    if list.len() < MAX_SIGNALS
        && !list
            .iter()
            .any(|e| e.path == path && e.line == Some(line) && e.note == note)
    {
        list.push(Evidence {
            path: path.to_string(),
            line: Some(line),
            note,
        });
    }
}

/// The family name of a grammar, for summaries.
pub fn family(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::TypeScript | Grammar::Tsx => "JS/TS",
        Grammar::Python => "Python",
        Grammar::Go => "Go",
        Grammar::Rust => "Rust",
    }
}

/// A line-regex signal: in which files it counts, the pattern, and the note.
pub struct Signal {
    pub kind: &'static str,
    pub pattern: &'static str,
    pub note: &'static str,
    pub scope: Scope,
}

/// Which files a signal is looked for in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Source code (outside tests) and manifests.
    CodeAndManifests,
    /// Source code only.
    Code,
    /// Configuration and code files (YAML, TOML, JSON, INI included).
    Any,
}

/// Every signal with its line regex, and one set of the same patterns over
/// whole texts: a file is read line by line only for the signals the set
/// finds somewhere in it (most files match none).
struct Compiled {
    signals: Vec<(&'static Signal, Regex)>,
    /// The same patterns in multi-line, CRLF-aware mode (`^`/`$` at every
    /// line), so a match on any line is a match of the set on the text.
    anywhere: RegexSet,
}

fn compiled() -> &'static Compiled {
    static ALL: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let signals: Vec<(&'static Signal, Regex)> = [
            headers::SIGNALS,
            openapi::SIGNALS,
            versioning::SIGNALS,
            api_errors::SIGNALS,
            idempotency::SIGNALS,
            env_secrets::SIGNALS,
            cors::SIGNALS,
            jwt::SIGNALS,
        ]
        .into_iter()
        .flatten()
        .map(|s| (s, Regex::new(s.pattern).expect("valid signal pattern")))
        .collect();
        // Without `\b`: a Unicode word boundary would push the set onto its
        // slowest engine, and dropping an assertion only widens the match.
        let anywhere = RegexSet::new(
            signals
                .iter()
                .map(|(s, _)| format!("(?mR){}", s.pattern.replace(r"\b", ""))),
        )
        .expect("valid signal patterns");
        Compiled { signals, anywhere }
    })
}

/// One file: practice signals from its lines, then (when parsed) the finding
/// rules over its tree. Returns the finding drafts.
pub fn scan_file(
    path: &str,
    text: &str,
    parsed: Option<&ParsedFile>,
    is_manifest: bool,
    facts: &mut Facts,
) -> Vec<Draft> {
    if is_test_or_fixture_path(path) {
        return Vec::new();
    }
    let lower_name = file_name(path).to_ascii_lowercase();
    if is_docs_path(path) || lower_name.starts_with("readme") {
        env_secrets::collect_documented_words(text, facts);
        return Vec::new();
    }
    let is_code = parsed.is_some();
    let is_config = [".yaml", ".yml", ".toml", ".json", ".ini", ".cfg", ".conf"]
        .iter()
        .any(|ext| lower_name.ends_with(ext));
    if is_code || is_manifest || is_config {
        let compiled = compiled();
        let somewhere = compiled.anywhere.matches(text);
        for (k, (signal, re)) in compiled.signals.iter().enumerate() {
            if !somewhere.matched(k) {
                continue;
            }
            let applies = match signal.scope {
                Scope::Code => is_code,
                Scope::CodeAndManifests => is_code || is_manifest,
                Scope::Any => true,
            };
            if !applies {
                continue;
            }
            for (i, line) in text.lines().enumerate() {
                if line.len() > 2_000 || is_comment_line(line) {
                    continue;
                }
                if re.is_match(line) {
                    let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                    facts.signal(signal.kind, path, line_no, signal.note.to_string());
                    break;
                }
            }
        }
    }
    let Some(file) = parsed else {
        return Vec::new();
    };
    *facts.code_files.entry(family(file.grammar)).or_insert(0) += 1;
    env_secrets::collect_env_names(text, facts);
    idempotency::collect_routes(file, facts);
    let mut drafts = Vec::new();
    drafts.extend(password::scan(file, facts));
    drafts.extend(jwt::scan(file, facts));
    drafts.extend(errleak::scan(file));
    drafts.extend(cors::scan(file, facts));
    drafts.extend(injection::scan(file, facts));
    drafts.extend(tls::scan(file));
    drafts.extend(api_status::scan(file));
    drafts.extend(pagination::scan(file));
    drafts
}

/// Takes the project's route map (full paths, mount prefixes joined) in place
/// of the routes the SEC/API rules collected themselves, when it has any.
pub fn adopt_route_map<'a>(
    facts: &mut Facts,
    routes: impl Iterator<Item = &'a crate::model::RouteInfo>,
) {
    let mapped: Vec<(String, String, String, u32)> = routes
        .map(|r| (r.method.clone(), r.path.clone(), r.file.clone(), r.line))
        .collect();
    if !mapped.is_empty() {
        facts.routes = mapped;
    }
}

/// A comment line (`//`, `#` but not `#[`, `*`, `/*`, `--`): it mentions a
/// practice without showing it.
fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.starts_with("--")
        || (t.starts_with('#') && !t.starts_with("#[") && !t.starts_with("#!["))
}

/// The checks this module gives verdicts for.
pub const OWNED: &[&str] = &[
    password::CHECK_ID,
    jwt::CHECK_ID,
    errleak::CHECK_ID,
    cors::CHECK_ID,
    injection::CHECK_ID,
    tls::CHECK_ID,
    headers::CHECK_ID,
    env_secrets::CHECK_ID,
    api_errors::CHECK_ID,
    api_status::CHECK_ID,
    openapi::CHECK_ID,
    versioning::CHECK_ID,
    pagination::CHECK_ID,
    idempotency::CHECK_ID,
];

pub fn owns(id: &str) -> bool {
    OWNED.contains(&id)
}

/// Does the project serve HTTP routes (as far as any rule can tell)?
pub fn has_routes(facts: &ProjectFacts) -> bool {
    !facts.routes.is_empty() || !facts.sec_api.routes.is_empty()
}

/// Where the project's routes are, for evidence (first few files).
pub fn route_files(facts: &ProjectFacts) -> Vec<String> {
    let mut files: Vec<String> = facts
        .routes
        .iter()
        .map(|r| r.file.clone())
        .chain(facts.sec_api.routes.iter().map(|r| r.2.clone()))
        .collect();
    files.sort();
    files.dedup();
    files
}

pub const NO_ROUTES: &str = "No HTTP route registrations found (Express/Fastify/Koa/Hono/NestJS, FastAPI/Flask/Django, net/http/Gin/Echo/Fiber, axum/actix-web); this does not look like an HTTP server.";

/// The verdict of one owned check.
pub fn check(id: &str, facts: &ProjectFacts, findings: &[Finding]) -> CheckResult {
    let f = &facts.sec_api;
    let code = f.code_total();
    let examined = || format!("in {code} source files: {}", f.describe_code());
    match id {
        headers::CHECK_ID => headers::check(facts),
        env_secrets::CHECK_ID => env_secrets::check(facts, findings),
        api_errors::CHECK_ID => api_errors::check(facts),
        openapi::CHECK_ID => openapi::check(facts),
        versioning::CHECK_ID => versioning::check(facts),
        idempotency::CHECK_ID => idempotency::check(facts),
        password::CHECK_ID => relevant_finding_check(
            id,
            facts,
            findings,
            "code that handles passwords",
            "No code handles passwords (no password fields, hashing or comparison outside tests).",
        ),
        jwt::CHECK_ID => relevant_finding_check(
            id,
            facts,
            findings,
            "JWT library use",
            "No JWT library in manifests or imports (jsonwebtoken, jose, PyJWT, python-jose, golang-jwt, jsonwebtoken crate...).",
        ),
        cors::CHECK_ID => relevant_finding_check(
            id,
            facts,
            findings,
            "CORS configuration",
            "No CORS configuration (cors middleware, CORSMiddleware, Access-Control-Allow-Origin headers): browsers keep the same-origin policy.",
        ),
        injection::CHECK_ID => relevant_finding_check(
            id,
            facts,
            findings,
            "shell command or file-system call",
            "No shell commands or file-system calls with computed paths in production code.",
        ),
        errleak::CHECK_ID | api_status::CHECK_ID | pagination::CHECK_ID => {
            let applicable = if has_routes(facts) { code } else { 0 };
            let what = match id {
                errleak::CHECK_ID => "No internal errors or stack traces sent to clients",
                api_status::CHECK_ID => "No error answered with 200 and no success with an error status",
                _ => "No list endpoint returns an unbounded collection",
            };
            finding_check(
                id,
                findings,
                applicable,
                || format!("{what} ({}).", examined()),
                NO_ROUTES,
            )
        }
        _ => finding_check(
            id,
            findings,
            code,
            || {
                format!(
                    "No TLS verification switched off and no plain-http calls to external hosts ({}).",
                    examined()
                )
            },
            "No TypeScript, JavaScript, Python, Go or Rust source files to examine.",
        ),
    }
}

/// A finding check that applies only where its subject appears; the pass
/// verdict names the places it looked at.
fn relevant_finding_check(
    id: &str,
    facts: &ProjectFacts,
    findings: &[Finding],
    subject: &str,
    not_applicable: &str,
) -> CheckResult {
    let places: Vec<Evidence> = facts
        .sec_api
        .relevant_to(id)
        .iter()
        .chain(facts.sec_api.signals_of(id))
        .cloned()
        .collect();
    let places = places.as_slice();
    let mut checked = finding_check(
        id,
        findings,
        places.len(),
        || {
            let files: Vec<String> = places
                .iter()
                .map(|e| e.path.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            format!(
                "No problem found in {} place{} with {subject} ({}).",
                places.len(),
                plural(places.len()),
                list_some(&files, 4)
            )
        },
        not_applicable,
    );
    if checked.verdict == Verdict::Pass && checked.evidence.is_empty() {
        checked.evidence = places.iter().take(MAX_EVIDENCE).cloned().collect();
    }
    checked
}

/// A practice verdict from signals: pass with them as evidence, else fail
/// (or not applicable when the project serves no routes).
pub fn practice_from_signals(
    id: &str,
    facts: &ProjectFacts,
    kinds: &[&str],
    pass: impl FnOnce(&[Evidence]) -> String,
    fail: impl FnOnce() -> String,
) -> CheckResult {
    if !has_routes(facts) {
        return result(
            id,
            Verdict::NotApplicable,
            NO_ROUTES.to_string(),
            Vec::new(),
        );
    }
    let evidence: Vec<Evidence> = kinds
        .iter()
        .flat_map(|k| facts.sec_api.signals_of(k).iter().cloned())
        .take(MAX_EVIDENCE)
        .collect();
    if evidence.is_empty() {
        let routes = route_files(facts);
        let ev = routes
            .iter()
            .take(MAX_EVIDENCE)
            .map(|p| Evidence {
                path: p.clone(),
                line: None,
                note: "registers routes".to_string(),
            })
            .collect();
        result(id, Verdict::Fail, fail(), ev)
    } else {
        result(id, Verdict::Pass, pass(&evidence), evidence)
    }
}

/// "helmet (src/app.ts:12), ..." for a pass summary.
pub fn describe_evidence(evidence: &[Evidence]) -> String {
    let items: Vec<String> = evidence
        .iter()
        .map(|e| match e.line {
            Some(l) => format!("{} ({}:{l})", e.note, e.path),
            None => format!("{} ({})", e.note, e.path),
        })
        .collect();
    list_some(&items, 3)
}

impl super::merge::Merge for Facts {
    fn fold_in(&mut self, later: Self) {
        use super::merge::{capped, capped_set};
        for (kind, list) in later.signals {
            capped(self.signals.entry(kind).or_default(), list, MAX_SIGNALS);
        }
        self.code_files.fold_in(later.code_files);
        for (check, list) in later.relevant {
            capped(self.relevant.entry(check).or_default(), list, MAX_SIGNALS);
        }
        capped(
            &mut self.routes,
            later.routes,
            super::idempotency::MAX_ROUTES,
        );
        capped_set(
            &mut self.env_names,
            later.env_names,
            super::env_secrets::MAX_ENV_NAMES,
        );
        capped_set(
            &mut self.documented_words,
            later.documented_words,
            super::env_secrets::MAX_DOCUMENTED_WORDS,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn samples() -> std::path::PathBuf {
        let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        [
            manifest.join("src/server/demo/samples"),
            manifest.join("samples"),
        ]
        .into_iter()
        .find(|p| p.join("orders-api").is_dir())
        .expect("samples directory")
    }

    fn verdicts(path: &std::path::Path) -> (Vec<CheckResult>, Vec<Finding>) {
        let report =
            super::super::review_tree(path, &super::super::ReviewOptions::default(), &mut |_| {})
                .unwrap();
        (report.checks, report.findings)
    }

    #[test]
    fn the_demo_samples_get_the_sec_and_api_verdicts_they_were_written_for() {
        let (checks, findings) = verdicts(&samples().join("orders-api"));
        let verdict = |checks: &[CheckResult], id: &str| {
            checks.iter().find(|c| c.check_id == id).unwrap().verdict
        };
        // orders-api: SHA-256 passwords, err.message sent back, no headers,
        // no OpenAPI/versioning/idempotency, an unbounded list of orders.
        for (id, expected) in [
            ("SEC-PASSWORD", Verdict::Fail),
            ("SEC-JWT", Verdict::Pass),
            ("SEC-ERRLEAK", Verdict::Fail),
            ("SEC-CORS", Verdict::NotApplicable),
            ("SEC-INJECTION", Verdict::NotApplicable),
            ("SEC-TLS", Verdict::Pass),
            ("SEC-HEADERS", Verdict::Fail),
            ("SEC-ENVSECRETS", Verdict::Fail),
            ("API-ERRORS", Verdict::Pass),
            ("API-STATUS", Verdict::Pass),
            ("API-OPENAPI", Verdict::Fail),
            ("API-VERSIONING", Verdict::Fail),
            ("API-PAGINATION", Verdict::Fail),
            ("API-IDEMPOTENCY", Verdict::Fail),
        ] {
            assert_eq!(verdict(&checks, id), expected, "orders-api {id}");
        }
        let password = findings
            .iter()
            .find(|f| f.check_id == "SEC-PASSWORD")
            .unwrap();
        assert_eq!(
            (password.path.as_str(), password.severity),
            ("src/routes/users.ts", Severity::High)
        );
        assert!(
            password.message.contains("SHA256") && password.message.contains("bcrypt"),
            "{}",
            password.message
        );

        // inventory-service: tidy.
        let (checks, findings) = verdicts(&samples().join("inventory-service"));
        for id in OWNED {
            let v = verdict(&checks, id);
            let summary = &checks.iter().find(|c| c.check_id == *id).unwrap().summary;
            assert!(
                matches!(v, Verdict::Pass | Verdict::NotApplicable),
                "inventory-service {id}: {v:?} {summary}"
            );
            assert!(!findings.iter().any(|f| f.check_id == *id), "{id}");
        }
        assert_eq!(verdict(&checks, "API-OPENAPI"), Verdict::Pass);
        assert_eq!(verdict(&checks, "API-VERSIONING"), Verdict::Pass);
        assert_eq!(verdict(&checks, "SEC-HEADERS"), Verdict::Pass);
        assert_eq!(verdict(&checks, "SEC-ENVSECRETS"), Verdict::Pass);
    }

    /// Development aid: `REVIEW_PATH=dir cargo test print_sec_api -- --ignored --nocapture`
    /// prints the SEC/API verdicts and findings of a tree.
    #[test]
    #[ignore]
    fn print_sec_api_verdicts() {
        let Some(path) = std::env::var_os("REVIEW_PATH") else {
            return;
        };
        let report = super::super::review_tree(
            std::path::Path::new(&path),
            &super::super::ReviewOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        for c in &report.checks {
            if owns(&c.check_id) || c.check_id == "SEC-SQLI" || c.check_id == "SEC-SECRET" {
                println!("{:<16} {:?}: {}", c.check_id, c.verdict, c.summary);
                for e in &c.evidence {
                    println!("      {}:{:?} {}", e.path, e.line, e.note);
                }
            }
        }
        for f in &report.findings {
            if owns(&f.check_id) || f.check_id == "SEC-SQLI" || f.check_id == "SEC-SECRET" {
                println!(
                    "{} {:?} {}:{} {}",
                    f.check_id, f.severity, f.path, f.line, f.message
                );
            }
        }
        println!(
            "grade {:?} score {}",
            report.scorecard.grade, report.scorecard.score
        );
    }
}
