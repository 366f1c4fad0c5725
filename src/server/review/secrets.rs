//! SEC-SECRET (CWE-798): secrets committed to source.
//!
//! (a) known token formats in any text file ([`super::secret_patterns`]);
//! (b) over JS/TS/Python syntax trees, a string literal given to a secret-like
//!     name (variable, property, keyword argument, dict key, parameter default),
//!     including as the fallback of an environment read, or passed as the key
//!     of `jwt.sign`/`jwt.encode`;
//! (c) committed `.env` files, one finding per secret-like key with a value.
//!
//! Known formats are `critical`, the rest `high`; test files, fixtures, docs
//! and examples are downgraded to `low`. Values are always masked.

use super::file_kinds::{
    is_committed_env_file, is_docs_path, is_example_file, is_test_or_fixture_path,
};
use super::findings::Draft;
use super::mask::mask;
use super::secret_patterns::find_on_line;
use super::syntax::{
    first_line, js_literal_text, last_line, named_children, py_literal_text, target_name,
    unwrap_expression, ParsedFile,
};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-SECRET";

/// Name fragments (lower-cased, separators removed) that mark a secret.
const SECRET_NAME_PARTS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "token",
    "apikey",
    "privatekey",
    "signingkey",
    "accesskey",
    "authkey",
    "encryptionkey",
    "masterkey",
    "hmackey",
    "jwtkey",
    "credentials",
];

/// Words that mark a name as something *about* a secret, not the secret
/// itself (`token_url`, `passwordField`, `TOKEN_TTL`, `AWS_ACCESS_KEY_ID`).
const NOT_SECRET_WORDS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "endpoints",
    "path",
    "file",
    "dir",
    "name",
    "label",
    "placeholder",
    "pattern",
    "regex",
    "regexp",
    "policy",
    "hint",
    "prompt",
    "message",
    "msg",
    "field",
    "column",
    "param",
    "header",
    "type",
    "prefix",
    "length",
    "len",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "expire",
    "timeout",
    "lifetime",
    "env",
    "reset",
    "route",
    "error",
    "required",
    "hash",
    "hashed",
    "rounds",
    "cookie",
    "storage",
    "format",
    "version",
    "algorithm",
    "alg",
    "input",
    "confirm",
    "confirmation",
    "valid",
    "validator",
    "strength",
    "forgot",
    "change",
    "update",
    "show",
    "visible",
    "mode",
    "id",
    "ids",
    "min",
    "max",
    "limit",
    "size",
    "schema",
    "rule",
    "rules",
    "selector",
    "icon",
    "text",
    "title",
    "description",
    "template",
    "tokenizer",
    "tokens",
    "count",
    "issuer",
    "audience",
    "next",
    "page",
    "continuation",
    "arn",
    "source",
    "ref",
    "end",
    "start",
    "last",
    "used",
    "output",
];

/// The words of an identifier: split at non-alphanumerics and camelCase humps.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let hump = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_ascii_uppercase()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if hump && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Is this variable/key name the name of a secret?
pub fn is_secret_name(name: &str) -> bool {
    // Only identifier-like names: not `AWS::IAM::AccessKey` or `alias/aws/secret`.
    let identifier_like = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    if !identifier_like {
        return false;
    }
    let words = words(name);
    let joined = words.concat();
    SECRET_NAME_PARTS.iter().any(|p| joined.contains(p))
        && !words.iter().any(|w| NOT_SECRET_WORDS.contains(&w.as_str()))
}

/// A value that documents where a secret goes rather than being one
/// (`changeme`, `your-api-key`, `<token>`, `xxxxxxxx`, ...).
pub fn looks_like_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    [
        "change",
        "replace",
        "your",
        "example",
        "dummy",
        "placeholder",
        "todo",
        "fixme",
        "xxx",
        "sample",
        "insert",
        "redacted",
        "notreal",
        "not-a-real",
        "fake",
        "<",
        "...",
        "…",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// Could this literal be a real secret? Filters out empty and short values,
/// prose, templates, environment variable names, paths and URLs, and (in
/// example/template files) placeholders.
pub fn is_plausible_secret(value: &str, name: &str, in_example_file: bool) -> bool {
    let v = value.trim();
    if v.chars().count() < 8 {
        return false;
    }
    let first = v.chars().next().unwrap_or(' ');
    let templated = v.contains("${")
        || v.contains("{{")
        || v.starts_with('$')
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('%') && v.ends_with('%'));
    let same_char = v.chars().all(|c| c == first);
    let env_name = v
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && first.is_ascii_uppercase();
    let words: Vec<&str> = v.split_whitespace().collect();
    let prose = words.len() >= 2
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || "'.,:;!?()-".contains(c))
        });
    let url_or_path = (v.starts_with("http://") || v.starts_with("https://")) && !v.contains('@')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || (v.starts_with('/') && !v.contains(' '))
        || [".pem", ".key", ".crt", ".json", ".txt", ".p12", ".pfx"]
            .iter()
            .any(|ext| v.to_ascii_lowercase().ends_with(ext));
    let same_as_name = normalized(v) == normalized(name);
    // A regular expression (`r"[^\s]+"`), an HTTP header name
    // (`Access-Control-Allow-Credentials`), or a vendor's documented dummy.
    let regex_like = [
        "(?", "[^", "\\s", "\\d", "\\w", "\\b", ".*", ".+", "[a-z", "[A-Z", "[0-9",
    ]
    .iter()
    .any(|p| v.contains(p));
    let header_like = v.split('-').count() >= 2
        && v.split('-').all(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && w.chars().skip(1).all(|c| c.is_ascii_lowercase())
        });
    let documented_dummy = v.contains("EXAMPLE");
    let placeholder = in_example_file && looks_like_placeholder(v);
    !(templated
        || same_char
        || env_name
        || prose
        || url_or_path
        || same_as_name
        || placeholder
        || regex_like
        || header_like
        || documented_dummy)
}

fn normalized(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// All SEC-SECRET drafts of one file: known formats, literal assignments (when
/// parsed) and `.env` keys; at most one per line (the most severe, with every
/// secret of the line kept for masking); downgraded in tests and docs.
pub fn scan_file(path: &str, text: &str, parsed: Option<&ParsedFile>) -> Vec<Draft> {
    let mut drafts = scan_known_formats(path, text);
    if let Some(file) = parsed {
        drafts.extend(scan_tree(file));
    }
    if is_committed_env_file(path) {
        drafts.extend(scan_env_file(text));
    } else {
        drafts.extend(super::config_secrets::scan(path, text));
    }
    let mut drafts = one_per_line(drafts);
    for draft in &mut drafts {
        downgrade_outside_production_code(path, draft);
    }
    drafts
}

/// (a) Known token formats, line by line.
pub fn scan_known_formats(path: &str, text: &str) -> Vec<Draft> {
    let in_example = is_example_file(path);
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let matches = find_on_line(line, lines.get(i + 1).copied(), in_example);
        let Some(first) = matches.first() else {
            continue;
        };
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let shown = if first.secret.is_empty() {
            String::new()
        } else {
            format!(" (`{}`)", mask(&first.secret))
        };
        out.push(Draft {
            check_id: CHECK_ID,
            severity: Severity::Critical,
            line: line_no,
            end_line: line_no,
            message: format!(
                "A {kind} is committed in source{shown}: anyone who can read the repository can use it (CWE-798). {advice}",
                kind = first.kind,
                advice = first.advice
            ),
            code: line.trim().to_string(),
            secrets: matches
                .into_iter()
                .map(|m| m.secret)
                .filter(|s| !s.is_empty())
                .collect(),
        });
    }
    out
}

/// How a literal reached a secret-like name.
pub(super) enum Assigned {
    /// `NAME = "literal"`.
    Literal,
    /// `process.env.X || "literal"`, `os.getenv("X", "literal")`.
    EnvFallback,
    /// `jwt.sign(payload, "literal")`.
    JwtKey,
}

/// (b) Literal secrets over the syntax tree of a JS/TS/Python file.
pub fn scan_tree(file: &ParsedFile) -> Vec<Draft> {
    if !(file.grammar.is_js() || file.grammar.is_python()) {
        return super::code_secrets::scan(file);
    }
    let in_example = is_example_file(file.path);
    let python = file.grammar.is_python();
    let mut out = Vec::new();
    // The kinds of the match below, and calls (JWT keys).
    let kinds = [
        "variable_declarator",
        "public_field_definition",
        "field_definition",
        "assignment_expression",
        "assignment",
        "pair",
        "keyword_argument",
        "default_parameter",
        "typed_default_parameter",
        "object_assignment_pattern",
        "assignment_pattern",
        "binary_expression",
        "boolean_operator",
        "call",
        "call_expression",
    ];
    file.for_each_of(&kinds, |node| {
        let mut candidates: Vec<(String, Node, Node)> = Vec::new();
        let field = |n: &str| node.field(n);
        match node.kind_name() {
            "variable_declarator" | "public_field_definition" | "field_definition" => {
                let name = field("name").or_else(|| field("property"));
                if let (Some(name), Some(value)) = (name, field("value")) {
                    if let Some(n) = target_name(file, name) {
                        candidates.push((n.to_string(), value, node));
                    }
                }
            }
            "assignment_expression" | "assignment" => {
                if let (Some(left), Some(right)) = (field("left"), field("right")) {
                    if let Some(n) = target_name(file, left) {
                        candidates.push((n.to_string(), right, node));
                    }
                }
            }
            "pair" => {
                if let (Some(key), Some(value)) = (field("key"), field("value")) {
                    let name = if python {
                        py_literal_text(file, key)
                    } else {
                        target_name(file, key).map(str::to_string)
                    };
                    if let Some(n) = name {
                        candidates.push((n, value, node));
                    }
                }
            }
            "keyword_argument" | "default_parameter" | "typed_default_parameter" => {
                if let (Some(name), Some(value)) = (field("name"), field("value")) {
                    candidates.push((file.text_of(name).to_string(), value, node));
                }
            }
            "object_assignment_pattern" | "assignment_pattern" => {
                // `const { JWT_SECRET = "…" } = process.env;`, `function f(password = "…")`.
                if let (Some(left), Some(right)) = (field("left"), field("right")) {
                    let from_env = file
                        .ancestors(node)
                        .find(|a| a.kind_name() == "variable_declarator")
                        .and_then(|d| d.field("value"))
                        .is_some_and(|v| file.text_of(v).contains("env"));
                    let name = file.text_of(left);
                    if let Some(value) = literal_value(file, right) {
                        if is_secret_name(name) && is_plausible_secret(&value, name, in_example) {
                            let how = if from_env {
                                Assigned::EnvFallback
                            } else {
                                Assigned::Literal
                            };
                            out.push(draft(file, node, name, &value, how));
                        }
                    }
                }
            }
            "binary_expression" | "boolean_operator" | "call" => {
                // A fallback anywhere, named by the environment variable.
                if let Some((env, _)) = env_fallback(file, node) {
                    candidates.push((env, node, node));
                }
            }
            _ => {}
        }
        if matches!(node.kind_name(), "call_expression" | "call") {
            if let Some(key) = jwt_key_argument(file, node) {
                if let Some(value) = literal_value(file, key) {
                    if is_plausible_secret(&value, "", in_example) {
                        out.push(draft(file, node, "JWT_SECRET", &value, Assigned::JwtKey));
                    }
                }
            }
        }
        for (name, value_node, context) in candidates {
            let value_node = unwrap_expression(value_node);
            let (value, how, env_name) = if let Some(v) = literal_value(file, value_node) {
                (v, Assigned::Literal, None)
            } else if let Some((env, v)) = env_fallback(file, value_node) {
                (v, Assigned::EnvFallback, Some(env))
            } else {
                continue;
            };
            let secret_named =
                is_secret_name(&name) || env_name.as_deref().is_some_and(is_secret_name);
            if secret_named && is_plausible_secret(&value, &name, in_example) {
                let shown = env_name
                    .filter(|e| is_secret_name(e) && !is_secret_name(&name))
                    .unwrap_or(name);
                out.push(draft(file, context, &shown, &value, how));
            }
        }
    });
    out
}

pub(super) fn draft(
    file: &ParsedFile,
    context: Node,
    name: &str,
    value: &str,
    how: Assigned,
) -> Draft {
    let masked = mask(value);
    let env = env_var_name(name);
    let read_it = if file.grammar.is_python() {
        format!("`os.environ[\"{env}\"]` or a pydantic-settings field without a default")
    } else if file.grammar == super::language::Grammar::Go {
        format!("`os.Getenv(\"{env}\")`, checked at start-up")
    } else if file.grammar == super::language::Grammar::Rust {
        format!("`std::env::var(\"{env}\")?`, checked at start-up")
    } else {
        format!("`process.env.{env}`, checked at start-up")
    };
    let message = match how {
        Assigned::Literal => format!(
            "Hard-coded {kind} in `{name}` (`{masked}`): anyone who can read the repository or its history can use it (CWE-798). Read it from the environment ({read_it}) or a secret manager, and rotate this value: it stays in the git history.",
            kind = kind_of(name)
        ),
        Assigned::EnvFallback => format!(
            "Hard-coded fallback for `{name}` (`{masked}`): when the variable is not set, the app silently runs with a {kind} that is in the repository (CWE-798). Fail at start-up when it is missing instead of falling back ({read_it}), and rotate this value.",
            kind = kind_of(name)
        ),
        Assigned::JwtKey => format!(
            "JWT signing key passed as a literal (`{masked}`): anyone who can read the repository can forge valid tokens (CWE-798). Read the key from the environment ({read_it}) and rotate it."
        ),
    };
    Draft {
        check_id: CHECK_ID,
        severity: Severity::High,
        line: first_line(context),
        end_line: last_line(context),
        message,
        code: file.text_of(context).to_string(),
        secrets: vec![value.to_string()],
    }
}

/// What kind of secret a name holds, for messages.
fn kind_of(name: &str) -> &'static str {
    let n = normalized(name);
    if n.contains("jwt") || n.contains("signing") {
        "JWT signing secret"
    } else if n.contains("pass") || n.contains("pwd") {
        "password"
    } else if n.contains("apikey") {
        "API key"
    } else if n.contains("privatekey") {
        "private key"
    } else if n.contains("token") {
        "token"
    } else {
        "secret"
    }
}

/// `jwtSecret` / `jwt-secret` / `JWT_SECRET` → `JWT_SECRET`.
fn env_var_name(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if out.is_empty() {
        "SECRET".to_string()
    } else {
        out
    }
}

/// The content of a string literal (no interpolation), in either language.
fn literal_value(file: &ParsedFile, node: Node) -> Option<String> {
    let node = unwrap_expression(node);
    if file.grammar.is_python() {
        if matches!(node.kind_name(), "string" | "concatenated_string") {
            return py_literal_text(file, node);
        }
        None
    } else {
        js_literal_text(file, node).map(str::to_string)
    }
}

/// `process.env.X || "lit"`, `process.env.X ?? "lit"`, `os.getenv("X", "lit")`,
/// `os.environ.get("X", "lit")`, `os.environ.get("X") or "lit"`: the variable
/// name (or the left-hand code) and the literal fallback.
fn env_fallback(file: &ParsedFile, node: Node) -> Option<(String, String)> {
    match node.kind_name() {
        "binary_expression" | "boolean_operator" => {
            let op = node.field("operator")?.kind_name();
            if !matches!(op, "||" | "??" | "or") {
                return None;
            }
            let left = unwrap_expression(node.field("left")?);
            let value = literal_value(file, node.field("right")?)?;
            let left_text = file.text_of(left);
            let env = if left.kind_name() == "member_expression" && left_text.contains("env") {
                target_name(file, left)?.to_string()
            } else if left.kind_name() == "call" {
                env_read_name(file, left)?
            } else {
                return None;
            };
            Some((env, value))
        }
        "call" => {
            let env = env_read_name(file, node)?;
            let args = named_children(node.field("arguments")?);
            let default = args
                .iter()
                .find(|a| {
                    a.kind_name() == "keyword_argument"
                        && a.field("name")
                            .is_some_and(|n| file.text_of(n) == "default")
                })
                .and_then(|a| a.field("value"))
                .or_else(|| {
                    args.get(1)
                        .copied()
                        .filter(|a| a.kind_name() != "keyword_argument")
                })?;
            Some((env, literal_value(file, default)?))
        }
        _ => None,
    }
}

/// The variable name of a Python environment read (`os.getenv("X")`,
/// `os.environ.get("X")`, `config("X")`).
fn env_read_name(file: &ParsedFile, call: Node) -> Option<String> {
    let function = file.text_of(call.field("function")?);
    let reads_env = function == "getenv"
        || function.ends_with(".getenv")
        || function.ends_with("environ.get")
        || function.ends_with("environ.setdefault")
        || function == "config"
        || function == "env"
        || function.starts_with("env.");
    if !reads_env {
        return None;
    }
    let first = call.field("arguments")?.named_child(0)?;
    literal_value(file, first)
}

/// The key argument of `jwt.sign(payload, key)` / `jwt.verify(token, key)` /
/// `jwt.encode(payload, key)` / `jwt.decode(token, key)`.
fn jwt_key_argument<'t>(file: &ParsedFile, call: Node<'t>) -> Option<Node<'t>> {
    let function = file.text_of(call.field("function")?);
    let is_jwt = matches!(
        function,
        "jwt.sign"
            | "jwt.verify"
            | "jwt.encode"
            | "jwt.decode"
            | "jsonwebtoken.sign"
            | "jsonwebtoken.verify"
    );
    if !is_jwt {
        return None;
    }
    call.field("arguments")?.named_child(1)
}

/// (c) A committed `.env` file: one draft per secret-like key with a value.
pub fn scan_env_file(text: &str) -> Vec<Draft> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let value = env_value(value);
        if value.is_empty() || !is_secret_name(key) || value.starts_with('$') {
            continue;
        }
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.push(Draft {
            check_id: CHECK_ID,
            severity: Severity::High,
            line: line_no,
            end_line: line_no,
            message: format!(
                "Committed `.env` file sets `{key}` (`{}`): a `.env` file holds one environment's real configuration and must not be in git (CWE-798). Remove it from the repository (`git rm --cached`), list it in `.gitignore`, rotate the value, and commit a `.env.example` with placeholders instead.",
                mask(&value)
            ),
            code: raw.trim().to_string(),
            secrets: vec![value],
        });
    }
    out
}

/// The value of a dotenv line: quotes removed, trailing comment dropped.
fn env_value(raw: &str) -> String {
    let v = raw.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or("").to_string();
        }
    }
    v.split(" #").next().unwrap_or("").trim().to_string()
}

/// Keeps the most severe draft of each line, with every secret of that line.
fn one_per_line(mut drafts: Vec<Draft>) -> Vec<Draft> {
    drafts.sort_by_key(|d| (d.line, d.severity));
    let mut out: Vec<Draft> = Vec::new();
    for draft in drafts {
        match out.last_mut() {
            Some(last) if last.line == draft.line => {
                for s in draft.secrets {
                    if !last.secrets.contains(&s) {
                        last.secrets.push(s);
                    }
                }
                last.end_line = last.end_line.max(draft.end_line);
            }
            _ => out.push(draft),
        }
    }
    out
}

/// Secrets in test code, fixtures, docs and examples are most likely dummies:
/// reported as `low`, saying so.
fn downgrade_outside_production_code(path: &str, draft: &mut Draft) {
    let place = if is_test_or_fixture_path(path) {
        "a test file or fixture"
    } else if is_docs_path(path) {
        "documentation or an example"
    } else {
        return;
    };
    draft.severity = Severity::Low;
    draft.message.push_str(&format!(
        " Found in {place}, so reported as low: check that it is not a real credential."
    ));
}

#[cfg(test)]
mod tests {
    use super::super::findings::finish_file;
    use super::super::language::Grammar;
    use super::super::syntax::Parsers;
    use super::*;

    fn scan(path: &str, code: &str) -> Vec<Draft> {
        let tree = Grammar::of_path(path).map(|g| (g, Parsers::default().parse(g, code).unwrap()));
        let parsed = tree
            .as_ref()
            .map(|(grammar, tree)| ParsedFile::new(path, code, *grammar, tree));
        scan_file(path, code, parsed.as_ref())
    }

    fn lines_and_severities(path: &str, code: &str) -> Vec<(u32, Severity)> {
        scan(path, code)
            .iter()
            .map(|d| (d.line, d.severity))
            .collect()
    }

    #[test]
    fn hard_coded_jwt_secret_is_flagged_high_and_masked() {
        let code = "import jwt from 'jsonwebtoken';\nconst JWT_SECRET = \"orders-api-signing-secret-2023\";\nexport const sign = (p: object) => jwt.sign(p, JWT_SECRET);\n";
        let drafts = scan("src/auth.ts", code);
        assert_eq!(drafts.len(), 1);
        assert_eq!((drafts[0].line, drafts[0].severity), (2, Severity::High));
        assert!(
            drafts[0].message.contains("JWT signing secret"),
            "{}",
            drafts[0].message
        );
        let findings = finish_file("src/auth.ts", code, drafts);
        let f = &findings[0].finding;
        assert!(!f.snippet.contains("signing-secret-2023"), "{}", f.snippet);
        assert!(!f.message.contains("signing-secret-2023"), "{}", f.message);
        assert!(f.snippet.contains("orde…(30 chars)"), "{}", f.snippet);
        assert!(!findings[0].code_key.contains("signing-secret"));
    }

    #[test]
    fn secrets_in_objects_keywords_dicts_and_fallbacks_are_flagged() {
        let js = "const config = {\n  db: { password: 'Tr0ub4dor&3xyz' },\n  apiKey: process.env.API_KEY || 'live-4f9a8b7c6d5e',\n};\nthis.clientSecret = 'a8f5f167f44f4964e6c998dee827110c';\njwt.sign(payload, 'literal-signing-key-123');\n";
        assert_eq!(
            lines_and_severities("src/config.js", js),
            vec![
                (2, Severity::High),
                (3, Severity::High),
                (5, Severity::High),
                (6, Severity::High)
            ]
        );
        let destructured =
            "const { PORT = '3000', JWT_SECRET = 'fallback-signing-secret-1' } = process.env;\n";
        let drafts = scan("src/env.ts", destructured);
        assert_eq!(drafts.len(), 1);
        assert!(
            drafts[0].message.contains("fallback"),
            "{}",
            drafts[0].message
        );
        let py = "SECRET_KEY = 'django-insecure-8f7s6d5f4g3h'\nengine = connect(password='Tr0ub4dor&3xyz')\ncreds = {'api_token': 'tok_4f9a8b7c6d5e4f3a'}\njwt_secret = os.getenv('JWT_SECRET', 'dev-signing-secret-123')\n";
        assert_eq!(
            lines_and_severities("app/settings.py", py),
            vec![
                (1, Severity::High),
                (2, Severity::High),
                (3, Severity::High),
                (4, Severity::High)
            ]
        );
    }

    #[test]
    fn a_secret_assigned_to_a_config_key_is_flagged() {
        let py = "app.config[\"SECRET_KEY\"] = \"dev-secret-key-that-ships-to-prod\"\nsettings['api_token'] = os.environ['API_TOKEN']\n";
        let found = scan("app/views.py", py);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 1);
        let js = "config['jwtSecret'] = 'a-long-hard-coded-signing-secret';\nheaders['Accept'] = 'application/json';\n";
        assert_eq!(scan("src/a.ts", js).len(), 1);
    }

    #[test]
    fn a_secret_read_from_the_environment_is_not_flagged() {
        let js = "const JWT_SECRET = process.env.JWT_SECRET;\nconst token = req.headers.authorization;\nconst password = await bcrypt.hash(body.password, 12);\nconst PASSWORD_FIELD = 'password';\nconst secretName = 'orders/jwt-signing-key';\nconst dbPassword = `${process.env.DB_PASSWORD}`;\n";
        assert!(scan("src/config.ts", js).is_empty());
        let py = "JWT_SECRET = os.environ['JWT_SECRET']\ntoken = os.getenv('API_TOKEN')\nclass Settings(BaseSettings):\n    jwt_secret: str\n    database_password: SecretStr = Field(..., alias='DB_PASSWORD')\n";
        assert!(scan("app/config.py", py).is_empty());
    }

    #[test]
    fn short_empty_prose_and_template_values_are_not_secrets() {
        let py = "_TOKEN_END = r'(?=\\s|$)'\nALLOW_CREDENTIALS = 'Access-Control-Allow-Credentials'\nSECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\nTYPES = {'AWS::IAM::AccessKey': '72c2f1a9b3d4e5f6'}\n";
        assert!(scan("app/consts.py", py).is_empty());
        let js = "const password = '';\nconst token = 'abc';\nconst passwordHint = 'at least 12 characters';\nconst secret = 'Please enter your secret';\nconst apiToken = '{{API_TOKEN}}';\nconst authToken = 'AUTH_TOKEN';\n";
        assert!(scan("src/a.ts", js).is_empty());
    }

    #[test]
    fn placeholders_pass_only_in_example_files() {
        let code = "const JWT_SECRET = 'changeme-please-123';\n";
        assert!(scan("config.example.js", code).is_empty());
        assert_eq!(scan("src/config.js", code).len(), 1);
    }

    #[test]
    fn known_token_formats_are_critical_and_win_over_the_name_rule() {
        let code = "export const GITHUB_TOKEN = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';\n";
        let drafts = scan("src/github.ts", code);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].severity, Severity::Critical);
        assert!(drafts[0].message.contains("GitHub token"));
        assert!(
            !drafts[0].message.contains("aB3dE5gH7jK9"),
            "{}",
            drafts[0].message
        );
    }

    #[test]
    fn committed_env_files_give_one_finding_per_secret_key() {
        let env = "# local settings\nPORT=3000\nDB_PASSWORD=\"Tr0ub4dor&3\"\nJWT_SECRET=local-dev-secret-value\nSTRIPE_KEY=\nAPI_TOKEN=${VAULT_TOKEN}\n";
        assert_eq!(
            lines_and_severities(".env", env),
            vec![(3, Severity::High), (4, Severity::High)]
        );
        assert!(scan(".env.example", env).is_empty());
        let drafts = scan(".env.production", env);
        let findings = finish_file(".env.production", env, drafts);
        assert!(findings
            .iter()
            .all(|f| !f.finding.snippet.contains("Tr0ub4dor")));
    }

    #[test]
    fn secrets_in_tests_and_docs_are_downgraded_to_low() {
        let code = "const password = 'Tr0ub4dor&3xyz';\n";
        let drafts = scan("src/__tests__/login.test.ts", code);
        assert_eq!(drafts[0].severity, Severity::Low);
        assert!(drafts[0].message.contains("test file"));
        let md = "Use `ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5` as token.\n";
        assert_eq!(
            lines_and_severities("docs/setup.md", md),
            vec![(1, Severity::Low)]
        );
    }

    #[test]
    fn secret_names_are_recognised_in_any_case_style() {
        for name in [
            "JWT_SECRET",
            "jwtSecret",
            "db_password",
            "apiKey",
            "API-KEY",
            "client_secret",
            "accessToken",
            "private_key",
            "signingKey",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "token_url",
            "passwordField",
            "secretName",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "tokenizer",
            "key",
            "password_hash",
            "monkey",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert_eq!(env_var_name("jwtSecret"), "JWT_SECRET");
        assert_eq!(env_var_name("db-password"), "DB_PASSWORD");
    }
}
