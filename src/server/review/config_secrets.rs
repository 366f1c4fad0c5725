//! SEC-SECRET in configuration files (YAML, JSON, TOML, INI, properties and
//! `*.env`-style files that are not committed dotenv files): a secret-like
//! key (`password`, `apiKey`, `client_secret`, `db.password`...) whose value
//! is a long, high-entropy string. Placeholders, templates (`${VAR}`,
//! `{{ .Values.x }}`), references and URLs are not secrets; documented
//! examples, docs and test fixtures are left out (their values are examples),
//! as are lock files.

use super::file_kinds::{file_name, is_docs_path, is_example_file, is_test_or_fixture_path};
use super::findings::Draft;
use super::mask::mask;
use super::secrets::{is_plausible_secret, is_secret_name, looks_like_placeholder, CHECK_ID};
use crate::model::Severity;
use regex::Regex;
use std::sync::OnceLock;

/// Is this a configuration file the rule reads?
fn is_config_file(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    if name.ends_with(".lock")
        || name.contains("lock.")
        || name == "package.json"
        || name == "tsconfig.json"
        || name.ends_with(".min.json")
    {
        return false;
    }
    [
        ".yaml",
        ".yml",
        ".json",
        ".toml",
        ".ini",
        ".properties",
        ".conf",
        ".cfg",
        ".env",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

/// Shannon entropy of a string, in bits per character.
pub fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

/// Long and random enough to be a generated credential, not a word.
fn is_high_entropy(value: &str) -> bool {
    let len = value.chars().count();
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    len >= 12 && entropy(value) >= 3.3 && classes >= 2
}

fn line_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"^\s*(?:-\s+)?["']?([A-Za-z0-9_.\-]+)["']?\s*[:=]\s*(?:"([^"]*)"|'([^']*)'|([^\s#,;"'{}\[\]]+))\s*,?\s*(?:[#;].*)?$"#).expect("valid")
    })
}

pub fn scan(path: &str, text: &str) -> Vec<Draft> {
    if !is_config_file(path)
        || is_example_file(path)
        || is_docs_path(path)
        || is_test_or_fixture_path(path)
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > 1_000 {
            continue;
        }
        let Some(caps) = line_pattern().captures(raw) else {
            continue;
        };
        let key = &caps[1];
        let value = caps
            .get(2)
            .or(caps.get(3))
            .or(caps.get(4))
            .map_or("", |m| m.as_str());
        let last = key.rsplit('.').next().unwrap_or(key);
        if !is_secret_name(last) || value.is_empty() {
            continue;
        }
        let templated = value.starts_with('$')
            || value.contains("${")
            || value.contains("{{")
            || value.starts_with('%')
            || value.starts_with("ENC[")
            || value.starts_with("vault:")
            || value.starts_with("arn:");
        if templated
            || looks_like_placeholder(value)
            || !is_plausible_secret(value, last, false)
            || !is_high_entropy(value)
        {
            continue;
        }
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.push(Draft {
            check_id: CHECK_ID,
            severity: Severity::High,
            line,
            end_line: line,
            message: format!(
                "Configuration file sets `{key}` to a literal secret (`{}`): anyone who can read the repository can use it (CWE-798). Reference an environment variable or a secret store instead (`${{{}}}`, a Kubernetes Secret, Vault), and rotate this value: it stays in the git history.",
                mask(value),
                last.to_ascii_uppercase().replace(['-', '.'], "_")
            ),
            code: raw.trim().to_string(),
            secrets: vec![value.to_string()],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Vec<u32> {
        scan(path, text).iter().map(|d| d.line).collect()
    }

    #[test]
    fn secret_keys_with_random_values_are_found_in_config_files() {
        let yaml = "database:\n  host: db.internal\n  password: \"q8Zr!v2Lk9#pWx4T\"\n  user: orders\napi:\n  apiKey: 9f2c1e7d4b8a6f3e2d1c0b9a8f7e6d5c\n  token: ${API_TOKEN}\n  client_secret: changeme\n  passwordPolicy: strong-and-long-2024\n";
        assert_eq!(found("config/production.yaml", yaml), vec![3, 6]);
        let json = "{\n  \"jwtSecret\": \"Zk3v9Qp2Lx8Rt6Wm4Yb1\",\n  \"port\": 8080,\n  \"secret\": \"{{ .Values.secret }}\"\n}\n";
        assert_eq!(found("config/app.json", json), vec![2]);
        let env = "DB_PASSWORD=Tr0ub4dor-3xyz-Q8\nLOG_LEVEL=debug\n";
        assert_eq!(found("deploy/app.env", env), vec![1]);
    }

    #[test]
    fn examples_docs_fixtures_and_words_are_not_flagged() {
        let yaml = "password: q8Zr!v2Lk9#pWx4T\n";
        assert!(found("config/app.example.yaml", yaml).is_empty());
        assert!(found("docs/config.yaml", yaml).is_empty());
        assert!(found("tests/fixtures/config.yaml", yaml).is_empty());
        let words = "password: correcthorsebattery\nsecret: abcdefghijklmnop\n";
        assert!(found("config/app.yaml", words).is_empty());
        assert!(found("package-lock.json", "\"token\": \"q8Zr!v2Lk9#pWx4T\"\n").is_empty());
    }
}
