//! SEC-ENVSECRETS (CWE-798, practice): configuration and secrets read from the
//! environment, documented by an example file (`.env.example`, `.env.sample`,
//! ...) or the README, and no real secrets committed (no committed `.env`, no
//! open SEC-SECRET finding of high or critical severity).

use super::checks::{list_some, plural, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::file_kinds::{file_name, is_committed_env_file, is_test_or_fixture_path};
use super::sec_api::{describe_evidence, Facts, Scope, Signal};
use crate::model::{CheckResult, Evidence, Finding, Severity, Verdict};
use regex::Regex;
use std::sync::OnceLock;

/// Environment variable names read by the code, and upper-case words of the
/// docs, kept at most.
pub const MAX_ENV_NAMES: usize = 500;
pub const MAX_DOCUMENTED_WORDS: usize = 5_000;

pub const CHECK_ID: &str = "SEC-ENVSECRETS";
const KIND: &str = "env-read";

const fn s(pattern: &'static str, note: &'static str) -> Signal {
    Signal {
        kind: KIND,
        pattern,
        note,
        scope: Scope::Code,
    }
}

pub const SIGNALS: &[Signal] = &[
    s(
        r"\bprocess\.env\b|\bimport\.meta\.env\b|\bBun\.env\b|\bDeno\.env\b",
        "reads process.env",
    ),
    s(r"\bos\.environ\b|\bos\.getenv\(", "reads os.environ"),
    s(
        r"\bBaseSettings\b",
        "pydantic settings from the environment",
    ),
    s(
        r"\benviron\.Env\(|\bfrom decouple import|\benv\.(?:str|bool|int)\(",
        "django-environ / python-decouple",
    ),
    s(
        r"\bos\.(?:Getenv|LookupEnv)\(|\bviper\.|\benvconfig\.|\bcaarlos0/env",
        "reads the environment (Go)",
    ),
    s(
        r"\b(?:std::)?env::var(?:_os)?\(|\bdotenvy?\b|\benvy::|\bconfig::Environment\b|#\[arg\([^)]*env\b",
        "reads the environment (Rust)",
    ),
];

/// Names of example files that document the environment.
fn is_env_example(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    (name.starts_with(".env") || name.ends_with(".env") || name.starts_with("env."))
        && ["example", "sample", "template", "dist", "defaults", "tmpl"]
            .iter()
            .any(|m| name.contains(m))
}

/// Environment variable names read in code (`process.env.X`, `os.environ["X"]`,
/// `os.getenv("X")`, `os.Getenv("X")`, `env::var("X")`).
pub fn collect_env_names(text: &str, facts: &mut Facts) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r#"(?:process\.env\.|process\.env\[["']|os\.environ\[["']|os\.environ\.get\(["']|os\.getenv\(["']|os\.Getenv\("|os\.LookupEnv\("|env::var\(")([A-Z][A-Z0-9_]{1,60})"#,
        )
        .expect("valid")
    });
    for caps in re.captures_iter(text).take(200) {
        if facts.env_names.len() < MAX_ENV_NAMES {
            facts.env_names.insert(caps[1].to_string());
        }
    }
}

/// Upper-case words of README/docs text, where variables get documented.
pub fn collect_documented_words(text: &str, facts: &mut Facts) {
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.len() >= 3
            && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && facts.documented_words.len() < MAX_DOCUMENTED_WORDS
        {
            facts.documented_words.insert(word.to_string());
        }
    }
}

pub fn check(facts: &ProjectFacts, findings: &[Finding]) -> CheckResult {
    let f = &facts.sec_api;
    if f.code_total() == 0 {
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            "No TypeScript, JavaScript, Python, Go or Rust source files to examine.".to_string(),
            Vec::new(),
        );
    }
    let reads: Vec<Evidence> = f.signals_of(KIND).to_vec();
    let examples: Vec<Evidence> = facts
        .all_paths
        .iter()
        .filter(|p| is_env_example(p))
        .take(3)
        .map(|p| Evidence {
            path: p.clone(),
            line: None,
            note: "example environment file".to_string(),
        })
        .collect();
    let committed: Vec<Evidence> = facts
        .all_paths
        .iter()
        .filter(|p| is_committed_env_file(p) && !is_test_or_fixture_path(p))
        .take(5)
        .map(|p| Evidence {
            path: p.clone(),
            line: None,
            note: "committed .env file".to_string(),
        })
        .collect();
    let leaked: Vec<&Finding> = findings
        .iter()
        .filter(|x| {
            x.check_id == super::secrets::CHECK_ID
                && x.suppressed.is_none()
                && matches!(x.severity, Severity::Critical | Severity::High)
        })
        .collect();

    let mut problems = Vec::new();
    let mut evidence = Vec::new();
    if !committed.is_empty() {
        problems.push(format!(
            "a real environment file is committed ({})",
            committed
                .iter()
                .map(|e| e.path.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        evidence.extend(committed.iter().cloned());
    }
    if !leaked.is_empty() {
        let files: Vec<String> = leaked
            .iter()
            .map(|x| x.path.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        problems.push(format!(
            "{} secret{} hard-coded in source (see SEC-SECRET: {})",
            leaked.len(),
            plural(leaked.len()),
            list_some(&files, 3)
        ));
        evidence.extend(leaked.iter().take(5).map(|x| Evidence {
            path: x.path.clone(),
            line: Some(x.line),
            note: "hard-coded secret (SEC-SECRET)".to_string(),
        }));
    }
    if reads.is_empty() {
        problems.push("no configuration is read from the environment".to_string());
    } else if examples.is_empty() {
        let documented = f.env_names.iter().any(|n| f.documented_words.contains(n));
        if !documented {
            let names: Vec<String> = f.env_names.iter().cloned().collect();
            problems.push(if names.is_empty() {
                "no .env.example (or README section) documents the variables it needs".to_string()
            } else {
                format!(
                    "no .env.example (or README section) documents the variables it reads ({})",
                    list_some(&names, 5)
                )
            });
        }
    }
    evidence.extend(reads.iter().take(5).cloned());
    evidence.extend(examples.iter().cloned());
    evidence.truncate(MAX_EVIDENCE);
    if problems.is_empty() {
        let mut summary = format!(
            "Configuration comes from the environment: {}",
            describe_evidence(&reads)
        );
        if examples.is_empty() {
            summary.push_str("; the variables are documented in the README");
        } else {
            summary.push_str(&format!("; documented by {}", examples[0].path));
        }
        summary.push_str("; no secrets committed.");
        return result(CHECK_ID, Verdict::Pass, summary, evidence);
    }
    let mut text = problems.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    result(
        CHECK_ID,
        Verdict::Fail,
        format!(
            "{text}. Read every secret and environment-specific setting from the environment (failing at start-up when one is missing), commit a .env.example with placeholders, and keep real values out of git (CWE-798)."
        ),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_env_files_are_told_from_real_ones() {
        assert!(is_env_example(".env.example"));
        assert!(is_env_example("deploy/.env.sample"));
        assert!(is_env_example("example.env"));
        assert!(!is_env_example(".env"));
        assert!(!is_env_example(".env.production"));
    }
}
