//! `.backlens.toml` at the root of a reviewed repository: the team's own
//! settings for its review. A file that cannot be read or parsed is a note on
//! the review pointing at the line, and the review runs with defaults; an
//! entry that makes no sense (unknown check, bad date) is skipped with a note.
//!
//! ```toml
//! exclude = ["scripts/**", "legacy/"]       # paths not reviewed (gitignore-style globs)
//!
//! [checks]
//! disable = ["SEC-SECRET"]                  # verdict "not applicable", with the reason
//!
//! [severity]
//! "SEC-SQLI" = "medium"                     # severity of a check's findings
//!
//! [[suppress]]                              # accept findings of a check in some files
//! check = "SEC-SECRET"
//! path = "tests/fixtures/**"
//! reason = "fake keys for the parser tests"
//! owner = "alice"
//! expires = "2027-01-31"                    # open again after this day
//!
//! [project]                                 # when detection from manifests/imports fails
//! language = "go"                           # typescript, javascript, python, go, rust
//! framework = ["gin"]                       # express, fastify, hono, nestjs, koa, fastapi,
//!                                           # django, flask, net/http, gin, echo, fiber, axum, actix-web
//! ```

use crate::model::catalog::find_check;
use crate::model::Severity;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file's name, at the root of the reviewed tree.
pub const FILE_NAME: &str = ".backlens.toml";
/// Larger files are not read.
const MAX_BYTES: usize = 64 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    checks: RawChecks,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    suppress: Vec<RawSuppression>,
    #[serde(default)]
    project: RawProject,
    /// The quality loop's table, read by `server::quality::detect`.
    #[serde(default, rename = "quality")]
    _quality: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    #[serde(default)]
    language: Option<toml::Spanned<String>>,
    /// `framework = "gin"` or `framework = ["gin", "net/http"]`.
    #[serde(default)]
    framework: Option<toml::Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecks {
    #[serde(default)]
    disable: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    check: String,
    #[serde(default)]
    path: Option<String>,
    reason: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    expires: Option<String>,
}

/// A suppression from the file, ready to match findings.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub check_id: String,
    path: Option<GlobMatcher>,
    pub reason: String,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, compared as text (same format).
    pub expires: Option<String>,
}

impl Suppression {
    pub fn matches(&self, check_id: &str, path: &str) -> bool {
        self.check_id == check_id && self.path.as_ref().is_none_or(|g| g.is_match(path))
    }

    /// The reason as shown on a suppressed finding.
    pub fn describe(&self) -> String {
        let mut text = self.reason.clone();
        if let Some(owner) = &self.owner {
            text.push_str(&format!(" (owner: {owner}"));
            match &self.expires {
                Some(day) => text.push_str(&format!(", until {day})")),
                None => text.push(')'),
            }
        } else if let Some(day) = &self.expires {
            text.push_str(&format!(" (until {day})"));
        }
        text
    }
}

/// The project's settings; `Default` when it has no `.backlens.toml`.
#[derive(Clone, Debug, Default)]
pub struct ProjectConfig {
    pub exclude: Vec<String>,
    pub disabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub suppressions: Vec<Suppression>,
    /// Problems with the file, for the review's notes.
    pub notes: Vec<String>,
    /// `[project] language`: the language the team declares (lower-case).
    pub language: Option<String>,
    /// `[project] framework`: framework keys the team declares, with the
    /// line of the file they are on.
    pub frameworks: Vec<(String, u32)>,
}

impl ProjectConfig {
    pub fn is_disabled(&self, check_id: &str) -> bool {
        self.disabled.iter().any(|d| d == check_id)
    }
}

/// Reads `.backlens.toml` under `root`, if there is one.
pub fn load(root: &std::path::Path) -> ProjectConfig {
    let path = root.join(FILE_NAME);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return ProjectConfig::default();
    };
    let fail = |why: String| ProjectConfig {
        notes: vec![format!(
            "{FILE_NAME} was ignored: {why}. The review used the defaults."
        )],
        ..ProjectConfig::default()
    };
    if !meta.is_file() {
        return fail("it is not a regular file".into());
    }
    if meta.len() as usize > MAX_BYTES {
        return fail(format!("it is larger than {} KiB", MAX_BYTES / 1024));
    }
    match std::fs::read(&path).map(String::from_utf8) {
        Ok(Ok(text)) => parse(&text),
        Ok(Err(_)) => fail("it is not UTF-8 text".into()),
        Err(e) => fail(format!("it cannot be read ({e})")),
    }
}

/// Parses the file's text.
pub fn parse(text: &str) -> ProjectConfig {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let at = e
                .span()
                .map(|span| {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!(" at line {line}")
                })
                .unwrap_or_default();
            return ProjectConfig {
                notes: vec![format!(
                    "{FILE_NAME} has an error{at}: {}. The review used the defaults.",
                    e.message().trim()
                )],
                ..ProjectConfig::default()
            };
        }
    };
    let mut config = ProjectConfig::default();
    let line_of = |span: std::ops::Range<usize>| {
        text[..span.start.min(text.len())].matches('\n').count() as u32 + 1
    };
    if let Some(language) = raw.project.language {
        let line = line_of(language.span());
        let value = language.into_inner();
        let lower = value.trim().to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "typescript" | "javascript" | "python" | "go" | "rust"
        ) {
            config.language = Some(lower);
        } else {
            config.notes.push(format!(
                "{FILE_NAME} line {line}: [project] language = {value:?} was skipped: use typescript, javascript, python, go or rust."
            ));
        }
    }
    if let Some(framework) = raw.project.framework {
        let line = line_of(framework.span());
        let values = match framework.into_inner() {
            toml::Value::String(one) => vec![toml::Value::String(one)],
            toml::Value::Array(many) => many,
            other => vec![other],
        };
        for value in values {
            let Some(name) = value.as_str() else {
                config.notes.push(format!(
                    "{FILE_NAME} line {line}: [project] framework {value:?} was skipped: write the framework's name in quotes."
                ));
                continue;
            };
            match super::route_map::framework_by_key(name) {
                Some(def) => config.frameworks.push((def.key.to_string(), line)),
                None => config.notes.push(format!(
                    "{FILE_NAME} line {line}: [project] framework {name:?} was skipped: use one of {}.",
                    super::route_map::FRAMEWORK_KEYS.join(", ")
                )),
            }
        }
    }
    if let Some(language) = &config.language {
        let family = match language.as_str() {
            "typescript" | "javascript" => "TypeScript/JavaScript",
            "python" => "Python",
            "go" => "Go",
            _ => "Rust",
        };
        for (key, line) in &config.frameworks {
            if let Some(def) = super::route_map::framework_by_key(key) {
                if def.language != family {
                    config.notes.push(format!(
                        "{FILE_NAME} line {line}: [project] framework {key:?} is a {} framework, but language = {language:?}; both were kept.",
                        def.language
                    ));
                }
            }
        }
    }
    for pattern in raw.exclude {
        if pattern.trim().is_empty() {
            continue;
        }
        config.exclude.push(pattern);
    }
    for id in raw.checks.disable {
        match find_check(&id) {
            Some(def) => config.disabled.push(def.id.to_string()),
            None => config.notes.push(unknown_check(&id, "[checks] disable")),
        }
    }
    for (id, level) in raw.severity {
        match (find_check(&id), Severity::parse(&level.to_ascii_lowercase())) {
            (None, _) => config.notes.push(unknown_check(&id, "[severity]")),
            (Some(_), None) => config.notes.push(format!(
                "{FILE_NAME}: [severity] {id} = {level:?} was skipped: use critical, high, medium or low."
            )),
            (Some(def), Some(severity)) => {
                config.severity.insert(def.id.to_string(), severity);
            }
        }
    }
    for s in raw.suppress {
        if find_check(&s.check).is_none() {
            config.notes.push(unknown_check(&s.check, "[[suppress]]"));
            continue;
        }
        if s.reason.trim().is_empty() {
            config.notes.push(format!(
                "{FILE_NAME}: a [[suppress]] of {} was skipped: it needs a reason.",
                s.check
            ));
            continue;
        }
        if let Some(day) = &s.expires {
            if !is_iso_day(day) {
                config.notes.push(format!(
                    "{FILE_NAME}: a [[suppress]] of {} was skipped: expires = {day:?} is not a YYYY-MM-DD date.",
                    s.check
                ));
                continue;
            }
        }
        let path = match s
            .path
            .as_deref()
            .map(|p| Glob::new(p).map(|g| g.compile_matcher()))
        {
            Some(Err(e)) => {
                config.notes.push(format!(
                    "{FILE_NAME}: a [[suppress]] of {} was skipped: path is not a valid glob ({e}).",
                    s.check
                ));
                continue;
            }
            Some(Ok(m)) => Some(m),
            None => None,
        };
        config.suppressions.push(Suppression {
            check_id: s.check,
            path,
            reason: s.reason.trim().to_string(),
            owner: s.owner,
            expires: s.expires,
        });
    }
    config
}

fn unknown_check(id: &str, place: &str) -> String {
    format!(
        "{FILE_NAME}: {place} names {id:?}, which is not a check of the checklist; it was skipped."
    )
}

fn is_iso_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    crate::model::views::format_utc(secs)[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
exclude = ["scripts/**"]

[checks]
disable = ["SEC-SECRET"]

[severity]
"SEC-SQLI" = "Medium"

[[suppress]]
check = "SEC-SQLI"
path = "src/reports/**"
reason = "report columns come from an allow-list"
owner = "alice"
expires = "2027-01-31"
"#;

    #[test]
    fn every_setting_is_read() {
        let c = parse(FULL);
        assert!(c.notes.is_empty(), "{:?}", c.notes);
        assert_eq!(c.exclude, vec!["scripts/**"]);
        assert!(c.is_disabled("SEC-SECRET"));
        assert_eq!(c.severity.get("SEC-SQLI"), Some(&Severity::Medium));
        let s = &c.suppressions[0];
        assert!(s.matches("SEC-SQLI", "src/reports/sales.ts"));
        assert!(!s.matches("SEC-SQLI", "src/routes/orders.ts"));
        assert!(!s.matches("SEC-SECRET", "src/reports/sales.ts"));
        assert_eq!(
            s.describe(),
            "report columns come from an allow-list (owner: alice, until 2027-01-31)"
        );
    }

    #[test]
    fn a_malformed_file_is_a_note_with_its_line_and_defaults_apply() {
        let c = parse("exclude = [\"a\"]\n\n[checks]\ndisable = [SEC-SQLI]\n");
        assert_eq!(c.notes.len(), 1);
        assert!(c.notes[0].contains("at line 4"), "{}", c.notes[0]);
        assert!(c.disabled.is_empty() && c.exclude.is_empty());
    }

    #[test]
    fn unknown_keys_checks_levels_and_dates_are_skipped_with_a_note() {
        let c = parse("colour = \"blue\"\n");
        assert!(c.notes[0].contains("at line 1"), "{:?}", c.notes);
        let c = parse(
            "[checks]\ndisable = [\"SEC-NOPE\", \"DATA-TX\"]\n[severity]\n\"SEC-SQLI\" = \"dire\"\n\
             [[suppress]]\ncheck = \"SEC-SQLI\"\nreason = \"x\"\nexpires = \"31/01/2027\"\n\
             [[suppress]]\ncheck = \"SEC-SQLI\"\nreason = \"  \"\n",
        );
        assert_eq!(c.disabled, vec!["DATA-TX"]);
        assert!(c.severity.is_empty());
        assert!(c.suppressions.is_empty());
        assert_eq!(c.notes.len(), 4, "{:?}", c.notes);
    }

    #[test]
    fn a_missing_file_means_defaults_without_notes() {
        let dir = tempfile::tempdir().unwrap();
        let c = load(dir.path());
        assert!(c.notes.is_empty() && c.suppressions.is_empty());
        std::fs::write(dir.path().join(FILE_NAME), [0xff, 0xfe, 0x00]).unwrap();
        assert!(load(dir.path()).notes[0].contains("not UTF-8"));
    }

    #[test]
    fn iso_days_are_checked() {
        assert!(is_iso_day("2027-01-31"));
        assert!(!is_iso_day("2027-13-01"));
        assert!(!is_iso_day("2027-1-31"));
        assert_eq!(today().len(), 10);
    }
}
