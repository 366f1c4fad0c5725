//! OBS-LOGSECRETS: passwords, tokens, keys or whole request bodies written to
//! logs.
//!
//! A logging call is `console.*`, `logger.*`/`log.*` (any receiver whose name
//! ends in `log`/`logger`), Python `logging.*`, Go `log.Print*`/`slog.*`/zap,
//! Rust `info!`/`warn!`/`error!`/`debug!`/`trace!`/`println!`/`eprintln!`.
//! Its arguments are read as code: an identifier, property or key named like
//! a secret (`password`, `token`, `apiKey`, `authorization`, `secret`...),
//! a structured-log field key of that name (`zap.String("password", pw)`,
//! `"token", t` in slog), a Rust format argument `{password}`, or the whole
//! request body/headers (`req.body`, `request.json()`, `r.Body`,
//! `request.headers`). Words inside message text (`"invalid password"`) are
//! not read, nor names such as `passwordResetAt` or `tokenCount`.

use super::findings::Draft;
use super::language::Grammar;
use super::syntax::{first_line, last_line, named_children, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "OBS-LOGSECRETS";

const LOG_METHODS: &[&str] = &[
    "log",
    "info",
    "warn",
    "warning",
    "error",
    "debug",
    "trace",
    "fatal",
    "critical",
    "exception",
    "Print",
    "Printf",
    "Println",
    "Fatal",
    "Fatalf",
    "Fatalln",
    "Panic",
    "Panicf",
    "Info",
    "Infof",
    "Infow",
    "Warn",
    "Warnf",
    "Warnw",
    "Error",
    "Errorf",
    "Errorw",
    "Debug",
    "Debugf",
    "Debugw",
    "InfoContext",
    "WarnContext",
    "ErrorContext",
    "DebugContext",
    "Msg",
    "Msgf",
    "Interface",
];
const RUST_LOG_MACROS: &[&str] = &[
    "info", "warn", "error", "debug", "trace", "println", "eprintln", "print", "eprint", "event",
];

/// Secret words, matched against the words of a name.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "authorization",
    "cookie",
    "privatekey",
    "creditcard",
    "cardnumber",
    "cvv",
    "ssn",
    "otp",
    "pin",
    "credentials",
    "jwt",
    "bearer",
];
/// Words that make a secret-looking name harmless (`passwordResetAt`,
/// `tokenCount`, `secretName`, `tokenType`).
const HARMLESS_WORDS: &[&str] = &[
    "at", "count", "length", "len", "changed", "expires", "expiry", "expired", "exp", "ttl",
    "type", "id", "ids", "name", "names", "policy", "valid", "invalid", "required", "reset",
    "hint", "strength", "field", "fields", "url", "path", "header", "prefix", "kind", "version",
    "set", "present", "missing", "hash", "hashed", "is", "has", "updated", "created", "rotated",
    "age", "last", "error", "err", "len", "key_id", "spinner", "input",
];

fn name_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && chars[i - 1].is_ascii_lowercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Is this name the name of a secret value?
pub fn is_secret_value_name(name: &str) -> bool {
    let words = name_words(name);
    if words.is_empty() || words.iter().any(|w| HARMLESS_WORDS.contains(&w.as_str())) {
        return false;
    }
    let joined = words.concat();
    SECRET_WORDS.iter().any(|s| {
        words.iter().any(|w| w == s)
            || (s.len() > 5 && joined.contains(s))
            || (*s == "token" && words.last().is_some_and(|w| w == "token" || w == "tokens"))
    })
}

/// Scans one parsed file.
pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) {
        return Vec::new();
    }
    let mut out = Vec::new();
    file.for_each_of(LOG_CALL_KINDS, |node| {
        let Some(args) = log_arguments(file, node) else { return };
        if let Some((what, severity)) = leaked(file, &args) {
            let fix = match file.grammar {
                Grammar::Python => "log an identifier instead (`user_id`), or mask it with a logging filter",
                Grammar::Go => "log an identifier instead, or mark the field as redacted (a `slog.LogValuer` returning `\"[REDACTED]\"`)",
                Grammar::Rust => "log an identifier instead, or wrap the value in `secrecy::SecretString` so it prints as `[REDACTED]`",
                _ => "log an identifier instead (`userId`), or configure the logger's `redact` paths (pino: `redact: ['req.body.password']`)",
            };
            out.push(Draft {
                check_id: CHECK_ID,
                severity,
                line: first_line(node),
                end_line: last_line(node).min(first_line(node) + 2),
                message: format!(
                    "This log call writes {what}: logs are read by many more people and systems than the database, and kept for a long time, so the value leaks to everyone with log access. To fix it, {fix}."
                ),
                code: file.text_of(node).lines().next().unwrap_or("").to_string(),
                secrets: Vec::new(),
            });
        }
    });
    out
}

/// How many logging calls the file makes.
pub fn count_log_calls(file: &ParsedFile) -> usize {
    let mut n = 0;
    file.for_each_of(LOG_CALL_KINDS, |node| {
        if log_arguments(file, node).is_some() {
            n += 1;
        }
    });
    n
}

/// The argument nodes of a logging call, if `node` is one.
/// The kinds [`log_arguments`] reads.
pub(super) const LOG_CALL_KINDS: &[&str] = &["call_expression", "call", "macro_invocation"];

pub(super) fn log_arguments<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<Vec<Node<'t>>> {
    match node.kind_name() {
        "call_expression" | "call" => {
            let function = node.field("function")?;
            let (object, method) = match function.kind_name() {
                "member_expression" => (function.field("object")?, function.field("property")?),
                "attribute" => (function.field("object")?, function.field("attribute")?),
                "selector_expression" => (function.field("operand")?, function.field("field")?),
                _ => return None,
            };
            let method = file.text_of(method);
            let object_name = super::db_calls::last_name(file, object)
                .unwrap_or_else(|| file.text_of(object))
                .to_ascii_lowercase();
            let object_text = file.text_of(object).to_ascii_lowercase();
            let is_logger = object_text.contains("getlogger(")
                || object_text.starts_with("structlog.")
                || object_name == "console"
                || object_name == "logging"
                || object_name == "slog"
                || object_name.ends_with("log")
                || object_name.ends_with("logger")
                || object_name == "zap"
                || object_name == "sugar";
            if !is_logger || !LOG_METHODS.contains(&method) {
                return None;
            }
            Some(named_children(node.field("arguments")?))
        }
        "macro_invocation" => {
            let name = file.text_of(node.field("macro")?);
            let short = name.rsplit("::").next().unwrap_or(name);
            if !RUST_LOG_MACROS.contains(&short) {
                return None;
            }
            let tt = named_children(node)
                .into_iter()
                .find(|c| c.kind_name() == "token_tree")?;
            Some(named_children(tt))
        }
        _ => None,
    }
}

/// What secret a log call's arguments contain, and how bad it is.
fn leaked(file: &ParsedFile, args: &[Node]) -> Option<(String, Severity)> {
    for (i, arg) in args.iter().enumerate() {
        for n in file.descendants(*arg) {
            match n.kind_name() {
                "identifier"
                | "property_identifier"
                | "shorthand_property_identifier"
                | "field_identifier" => {
                    let name = file.text_of(n);
                    // A key with a literal value (`{ password: "***" }`) hides it.
                    if let Some(parent) = file.parent(n) {
                        if parent.kind_name() == "pair" && parent.field("key") == Some(n) {
                            let literal = parent.field("value").is_some_and(|v| {
                                matches!(
                                    v.kind_name(),
                                    "string"
                                        | "template_string"
                                        | "number"
                                        | "true"
                                        | "false"
                                        | "null"
                                ) || v.field("function").is_some_and(|f| {
                                    hides_value(&file.text_of(f).to_ascii_lowercase())
                                })
                            });
                            if literal {
                                continue;
                            }
                        }
                        // `user.passwordHash`-style parents are handled by the name itself;
                        // the object of a member (`token.length`) is not logged whole.
                        if matches!(
                            parent.kind_name(),
                            "member_expression"
                                | "attribute"
                                | "selector_expression"
                                | "field_expression"
                        ) && parent
                            .field("object")
                            .or_else(|| parent.field("operand"))
                            .or_else(|| parent.field("value"))
                            == Some(n)
                        {
                            continue;
                        }
                        if matches!(parent.kind_name(), "call_expression" | "call")
                            && parent.field("function") == Some(n)
                        {
                            continue;
                        }
                        if parent.kind_name() == "keyword_argument"
                            && parent.field("name") == Some(n)
                        {
                            // extra={"x": ...} keywords are not values
                            continue;
                        }
                    }
                    if is_secret_value_name(name) && !hidden_by_a_call(file, n, *arg) {
                        return Some((format!("the secret `{name}`"), Severity::High));
                    }
                }
                "member_expression" | "attribute" | "selector_expression" => {
                    let text = file.text_of(n);
                    let whole_body = matches!(
                        text,
                        "req.body"
                            | "request.body"
                            | "ctx.request.body"
                            | "ctx.body"
                            | "req.headers"
                            | "request.headers"
                            | "r.Body"
                            | "r.Header"
                            | "request.data"
                            | "request.form"
                            | "request.POST"
                            | "request.json"
                            | "c.Request.Body"
                            | "req.cookies"
                    );
                    let parent_is_member = file.parent(n).is_some_and(|p| {
                        matches!(
                            p.kind_name(),
                            "member_expression"
                                | "attribute"
                                | "selector_expression"
                                | "subscript_expression"
                                | "subscript"
                        ) && p
                            .field("object")
                            .or_else(|| p.field("operand"))
                            .or_else(|| p.field("value"))
                            == Some(n)
                    });
                    let called = file.parent(n).is_some_and(|p| {
                        matches!(p.kind_name(), "call_expression" | "call")
                            && p.field("function") == Some(n)
                    });
                    if whole_body && (!parent_is_member || called) {
                        return Some((
                            format!("the whole request (`{text}`), passwords and tokens included"),
                            Severity::Medium,
                        ));
                    }
                }
                // payload["password"], req.body["token"]
                "subscript" | "subscript_expression" => {
                    let key = n
                        .field("subscript")
                        .or_else(|| n.field("index"))
                        .and_then(|k| super::db_calls::literal_text(file, k));
                    if let Some(key) = key.filter(|k| is_secret_value_name(k)) {
                        return Some((format!("the secret `{key}`"), Severity::High));
                    }
                }
                "string" | "interpreted_string_literal" | "string_literal" => {
                    let text = super::db_calls::literal_text(file, n).unwrap_or_default();
                    // Structured field keys: zap.String("password", pw), slog "token", t.
                    let is_key = !text.contains(' ')
                        && is_secret_value_name(&text)
                        && (file.parent(n).is_some_and(|p| {
                            p.kind_name() == "argument_list"
                                && file.parent(p).is_some_and(|c| {
                                    c.field("function").is_some_and(|f| {
                                        file.text_of(f).starts_with("zap.")
                                            || file.text_of(f).starts_with("slog.")
                                    })
                                })
                        }) || (file.grammar == Grammar::Go
                            && i > 0
                            && args.get(i + 1).is_some_and(|next| {
                                !matches!(
                                    next.kind_name(),
                                    "interpreted_string_literal" | "raw_string_literal"
                                )
                            })));
                    if is_key {
                        return Some((format!("a `{text}` field"), Severity::High));
                    }
                    // Rust inline format arguments: "{password}"
                    if file.grammar == Grammar::Rust {
                        for part in text.split('{').skip(1) {
                            let name = part.split(['}', ':']).next().unwrap_or("");
                            if is_secret_value_name(name) {
                                return Some((format!("the secret `{name}`"), Severity::High));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// Does a call of this name hide the value it is given?
fn hides_value(callee: &str) -> bool {
    [
        "mask",
        "redact",
        "hash",
        "obfuscate",
        "len",
        "truncate",
        "sha",
        "digest",
        "fingerprint",
    ]
    .iter()
    .any(|w| callee.contains(w))
}

/// Is the value passed through a call that hides it on its way to the log
/// (`mask(token)`, `redact(password)`, `hash(pw)`, `len(token)`)?
fn hidden_by_a_call(file: &ParsedFile, node: Node, arg: Node) -> bool {
    for a in file.ancestors(node) {
        if matches!(a.kind_name(), "call_expression" | "call") {
            let callee = a
                .field("function")
                .map(|f| file.text_of(f).to_ascii_lowercase())
                .unwrap_or_default();
            if hides_value(&callee) {
                return true;
            }
        }
        if a.id() == arg.id() {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::syntax::Parsers;
    use super::*;

    fn lines(path: &str, code: &str) -> Vec<u32> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        scan(&file).iter().map(|d| d.line).collect()
    }

    #[test]
    fn secret_names_are_told_from_harmless_ones() {
        for n in [
            "password",
            "newPassword",
            "api_key",
            "accessToken",
            "refresh_token",
            "authorization",
            "clientSecret",
        ] {
            assert!(is_secret_value_name(n), "{n}");
        }
        for n in [
            "passwordResetAt",
            "tokenCount",
            "token_type",
            "userId",
            "passwordPolicy",
            "tokenizer",
            "secretName",
        ] {
            assert!(!is_secret_value_name(n), "{n}");
        }
    }

    #[test]
    fn secrets_and_bodies_in_log_calls_are_found() {
        let js = "console.log('login', email, password);\nlogger.info({ body: req.body }, 'signup');\nconsole.log('invalid password for', email);\nlogger.info({ userId, passwordResetAt });\nlogger.debug({ password: '[redacted]' });\nlogger.info({ token: maskToken(token) });\nconsole.log(req.body.email);\n";
        assert_eq!(lines("src/a.ts", js), vec![1, 2]);
        let py = "logger.info('login %s %s', email, password)\nlogging.info(f'token={token}')\nlogger.info('password changed for %s', user_id)\n";
        assert_eq!(lines("app/a.py", py), vec![1, 2]);
        let go = "package x\nfunc f() {\n\tlog.Printf(\"login %s %s\", email, password)\n\tlogger.Info(\"login\", zap.String(\"token\", tok))\n\tlog.Printf(\"password reset for %s\", email)\n}\n";
        assert_eq!(lines("a.go", go), vec![3, 4]);
        let rs = "fn f() {\n    info!(\"login {email} {password}\");\n    tracing::info!(token = %token, \"issued\");\n    info!(\"password changed for {}\", user_id);\n}\n";
        assert_eq!(lines("a.rs", rs), vec![2, 3]);
    }
}
