//! Linter and type-checker output into [`Diagnostic`]s with file and line:
//! eslint (JSON and the default "stylish" text), tsc, ruff (JSON), flake8,
//! mypy, cargo/clippy (JSON messages) and go vet.

use crate::model::quality::Diagnostic;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// Which parser reads a step's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagFormat {
    EslintJson,
    /// eslint's default output, and tsc's, in whatever a script prints.
    ScriptText,
    Tsc,
    RuffJson,
    Flake8,
    Mypy,
    CargoJson,
    GoVet,
}

/// At most this many diagnostics are kept per step.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Parses `output`; paths are made relative to `root` (the repository copy
/// as the tool saw it, e.g. `/work`).
pub fn parse(format: DiagFormat, output: &str, root: &str) -> Vec<Diagnostic> {
    let mut out = match format {
        DiagFormat::EslintJson => eslint_json(output, root),
        DiagFormat::ScriptText => {
            let mut d = eslint_stylish(output, root);
            d.extend(tsc(output, root));
            d.extend(colon_style(output, root));
            d
        }
        DiagFormat::Tsc => tsc(output, root),
        DiagFormat::RuffJson => ruff_json(output, root),
        DiagFormat::Flake8 | DiagFormat::GoVet => colon_style(output, root),
        DiagFormat::Mypy => mypy(output, root),
        DiagFormat::CargoJson => cargo_json(output, root),
    };
    out.truncate(MAX_DIAGNOSTICS);
    out
}

/// `/work/src/a.ts` → `src/a.ts`; `./a.py` → `a.py`.
pub fn relative(path: &str, root: &str) -> String {
    let root = root.trim_end_matches('/');
    let p = path
        .strip_prefix(root)
        .map(|r| r.trim_start_matches('/'))
        .unwrap_or(path);
    p.trim_start_matches("./").to_string()
}

fn first_json_value(output: &str, open: char) -> Option<Value> {
    let start = output.find(open)?;
    let mut de = serde_json::Deserializer::from_str(&output[start..]).into_iter::<Value>();
    de.next()?.ok()
}

fn eslint_json(output: &str, root: &str) -> Vec<Diagnostic> {
    let Some(Value::Array(files)) = first_json_value(output, '[') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for file in files {
        let path = relative(file["filePath"].as_str().unwrap_or_default(), root);
        for m in file["messages"].as_array().into_iter().flatten() {
            out.push(Diagnostic {
                path: path.clone(),
                line: m["line"].as_u64().map(|n| n as u32),
                column: m["column"].as_u64().map(|n| n as u32),
                severity: if m["severity"].as_u64() == Some(2) || m["fatal"].as_bool() == Some(true)
                {
                    "error".into()
                } else {
                    "warning".into()
                },
                rule: m["ruleId"].as_str().map(String::from),
                message: m["message"].as_str().unwrap_or_default().to_string(),
            });
        }
    }
    out
}

static STYLISH_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?\s*$").unwrap()
});

fn eslint_stylish(output: &str, root: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut file: Option<String> = None;
    for line in output.lines() {
        if line.starts_with('/')
            || (!line.starts_with(' ')
                && line.contains('.')
                && !line.contains(':')
                && !line.trim().is_empty()
                && !line.contains(' '))
        {
            file = Some(relative(line.trim(), root));
            continue;
        }
        if line.trim().is_empty() {
            file = None;
            continue;
        }
        if let (Some(f), Some(c)) = (&file, STYLISH_LINE.captures(line)) {
            out.push(Diagnostic {
                path: f.clone(),
                line: c[1].parse().ok(),
                column: c[2].parse().ok(),
                severity: c[3].to_string(),
                rule: c.get(5).map(|m| m.as_str().to_string()),
                message: c[4].trim().to_string(),
            });
        }
    }
    out
}

static TSC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S[^(\n]*)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$").unwrap()
});

fn tsc(output: &str, root: &str) -> Vec<Diagnostic> {
    output
        .lines()
        .filter_map(|l| TSC_LINE.captures(l.trim_end()))
        .map(|c| Diagnostic {
            path: relative(&c[1], root),
            line: c[2].parse().ok(),
            column: c[3].parse().ok(),
            severity: c[4].to_string(),
            rule: Some(c[5].to_string()),
            message: c[6].to_string(),
        })
        .collect()
}

fn ruff_json(output: &str, root: &str) -> Vec<Diagnostic> {
    let Some(Value::Array(items)) = first_json_value(output, '[') else {
        return Vec::new();
    };
    items
        .iter()
        .map(|d| Diagnostic {
            path: relative(d["filename"].as_str().unwrap_or_default(), root),
            line: d["location"]["row"].as_u64().map(|n| n as u32),
            column: d["location"]["column"].as_u64().map(|n| n as u32),
            severity: "error".into(),
            rule: d["code"].as_str().map(String::from),
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

static COLON_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // path:line:col: message   (flake8: "E501 line too long"; go vet: "vet: ..." or plain)
    Regex::new(
        r"^(?:vet: )?([^\s:][^:\n]*\.(?:py|go|js|ts|tsx|jsx|mjs|cjs|rs)):(\d+):(?:(\d+):)? (.*)$",
    )
    .unwrap()
});
static FLAKE8_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([A-Z]+\d+) (.*)$").unwrap());

fn colon_style(output: &str, root: &str) -> Vec<Diagnostic> {
    output
        .lines()
        .filter_map(|l| COLON_LINE.captures(l.trim_end()))
        .filter(|c| {
            !c[4].starts_with("error:")
                && !c[4].starts_with("note:")
                && !c[4].starts_with("warning:")
        })
        .map(|c| {
            let msg = c[4].to_string();
            let (rule, message) = match FLAKE8_CODE.captures(&msg) {
                Some(m) => (Some(m[1].to_string()), m[2].to_string()),
                None => (None, msg),
            };
            Diagnostic {
                path: relative(&c[1], root),
                line: c[2].parse().ok(),
                column: c.get(3).and_then(|m| m.as_str().parse().ok()),
                severity: "error".into(),
                rule,
                message,
            }
        })
        .collect()
}

static MYPY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([^\s:][^:\n]*\.pyi?):(\d+):(?:(\d+):)? (error|warning): (.*?)(?:  \[([a-z0-9-]+)\])?$",
    )
    .unwrap()
});

fn mypy(output: &str, root: &str) -> Vec<Diagnostic> {
    output
        .lines()
        .filter_map(|l| MYPY_LINE.captures(l.trim_end()))
        .map(|c| Diagnostic {
            path: relative(&c[1], root),
            line: c[2].parse().ok(),
            column: c.get(3).and_then(|m| m.as_str().parse().ok()),
            severity: c[4].to_string(),
            rule: c.get(6).map(|m| m.as_str().to_string()),
            message: c[5].to_string(),
        })
        .collect()
}

/// mypy errors that only say a dependency is not installed.
pub fn is_missing_import(d: &Diagnostic) -> bool {
    matches!(
        d.rule.as_deref(),
        Some("import-not-found") | Some("import-untyped") | Some("import")
    ) || d
        .message
        .starts_with("Cannot find implementation or library stub")
}

fn cargo_json(output: &str, root: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for line in output.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" {
            continue;
        }
        let m = &v["message"];
        let level = m["level"].as_str().unwrap_or_default();
        if level != "error" && level != "warning" {
            continue;
        }
        let Some(span) = m["spans"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["is_primary"] == true))
        else {
            continue; // "aborting due to previous error", summaries
        };
        out.push(Diagnostic {
            path: relative(span["file_name"].as_str().unwrap_or_default(), root),
            line: span["line_start"].as_u64().map(|n| n as u32),
            column: span["column_start"].as_u64().map(|n| n as u32),
            severity: level.to_string(),
            rule: m["code"]["code"].as_str().map(String::from),
            message: m["message"].as_str().unwrap_or_default().to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eslint_json_gives_file_line_and_rule() {
        let out = r#"[{"filePath":"/work/src/app.js","messages":[{"ruleId":"no-unused-vars","severity":2,"message":"'x' is assigned a value but never used.","line":3,"column":7}],"errorCount":1}]"#;
        let d = parse(DiagFormat::EslintJson, out, "/work");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "src/app.js");
        assert_eq!((d[0].line, d[0].column), (Some(3), Some(7)));
        assert_eq!(d[0].rule.as_deref(), Some("no-unused-vars"));
        assert_eq!(d[0].severity, "error");
    }

    #[test]
    fn eslint_stylish_and_tsc_text_from_scripts() {
        let out = "\n/work/src/app.js\n  3:7  error  'unused' is assigned a value but never used  no-unused-vars\n  9:1  warning  Unexpected console statement  no-console\n\n✖ 2 problems (1 error, 1 warning)\n\nsrc/types.ts(4,7): error TS2322: Type 'string' is not assignable to type 'number'.\n";
        let d = parse(DiagFormat::ScriptText, out, "/work");
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[0].path, "src/app.js");
        assert_eq!(d[0].rule.as_deref(), Some("no-unused-vars"));
        assert_eq!(d[1].severity, "warning");
        assert_eq!(d[2].path, "src/types.ts");
        assert_eq!(d[2].line, Some(4));
        assert_eq!(d[2].rule.as_deref(), Some("TS2322"));
    }

    #[test]
    fn ruff_json_and_flake8_text() {
        let out = r#"[{"code":"F401","filename":"/work/app/util.py","location":{"column":8,"row":1},"message":"`os` imported but unused"}]"#;
        let d = parse(DiagFormat::RuffJson, out, "/work");
        assert_eq!(d[0].path, "app/util.py");
        assert_eq!(d[0].rule.as_deref(), Some("F401"));
        let d = parse(
            DiagFormat::Flake8,
            "./app/util.py:1:1: F401 'os' imported but unused\n",
            "/work",
        );
        assert_eq!(d[0].path, "app/util.py");
        assert_eq!(d[0].rule.as_deref(), Some("F401"));
        assert_eq!(d[0].line, Some(1));
    }

    #[test]
    fn mypy_lines_with_codes_and_missing_imports() {
        let out = "app/calc.py:5: error: Incompatible return value type (got \"str\", expected \"int\")  [return-value]\napp/main.py:1: error: Cannot find implementation or library stub for module named \"fastapi\"  [import-not-found]\nFound 2 errors in 2 files (checked 3 source files)\n";
        let d = parse(DiagFormat::Mypy, out, "/work");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].rule.as_deref(), Some("return-value"));
        assert_eq!(d[0].line, Some(5));
        assert!(!is_missing_import(&d[0]));
        assert!(is_missing_import(&d[1]));
    }

    #[test]
    fn clippy_json_primary_spans_only() {
        let out = concat!(
            r#"{"reason":"compiler-artifact","target":{}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"level":"warning","message":"this `if` has identical blocks","code":{"code":"clippy::if_same_then_else"},"spans":[{"file_name":"src/lib.rs","line_start":7,"column_start":5,"is_primary":true}]}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"level":"warning","message":"1 warning emitted","code":null,"spans":[]}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"level":"error","message":"mismatched types","code":{"code":"E0308"},"spans":[{"file_name":"/work/src/main.rs","line_start":3,"column_start":18,"is_primary":true}]}}"#,
            "\n",
        );
        let d = parse(DiagFormat::CargoJson, out, "/work");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].rule.as_deref(), Some("clippy::if_same_then_else"));
        assert_eq!(d[1].path, "src/main.rs");
        assert_eq!(d[1].severity, "error");
    }

    #[test]
    fn go_vet_lines() {
        let out = "# example.com/m\nvet: ./main.go:9:2: fmt.Printf format %d has arg s of wrong type string\n./util.go:4:6: unreachable code\n";
        let d = parse(DiagFormat::GoVet, out, "/work");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].path, "main.go");
        assert_eq!((d[0].line, d[0].column), (Some(9), Some(2)));
        assert_eq!(d[1].path, "util.go");
    }
}
