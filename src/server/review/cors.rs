//! SEC-CORS (CWE-942): CORS that lets any origin make credentialed requests,
//! or that reflects whatever origin asks. Over the `cors` package (Express,
//! Koa, Fastify, NestJS `enableCors`, Hono `cors`), hand-written
//! `Access-Control-Allow-Origin` headers, Starlette/FastAPI `CORSMiddleware`,
//! flask-cors, django-cors-headers settings, Go `cors.Config`/`cors.Options`/
//! Echo `CORSConfig`, tower-http `CorsLayer` and actix-cors.

use super::findings::Draft;
use super::lang::{call, draft, is_true, keyed_values, string_value, Call};
use super::language::Grammar;
use super::sec_api::{Facts, Scope, Signal};
use super::syntax::{first_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-CORS";

pub const SIGNALS: &[Signal] = &[Signal {
    kind: CHECK_ID,
    pattern: r#"(?i)["'](?:cors|@fastify/cors|@koa/cors|koa2-cors|flask-cors|flask_cors|django-cors-headers|fastapi\.middleware\.cors|starlette\.middleware\.cors|github\.com/rs/cors|github\.com/gin-contrib/cors)["']|\bCORSMiddleware\b|\bCorsLayer\b|\bactix_cors\b|^\s*CORS_[A-Z_]+\s*="#,
    note: "CORS configuration",
    scope: Scope::CodeAndManifests,
}];

/// How an origin setting behaves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Origin {
    /// `*` for everyone.
    Any,
    /// Echoes the caller's Origin back (`origin: true`, a callback that
    /// always allows, `AllowOriginFunc` returning true, `mirror_request()`).
    Reflect,
    /// An allow-list or a single origin.
    Restricted,
}

fn example_fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "List the trusted front-ends: `allow_origins=[\"https://app.example.com\"]` (CORSMiddleware) or `origins=[...]` (flask-cors) / `CORS_ALLOWED_ORIGINS` (django-cors-headers).",
        Grammar::Go => "List the trusted front-ends: `AllowOrigins: []string{\"https://app.example.com\"}` and drop the catch-all.",
        Grammar::Rust => "List the trusted front-ends: `CorsLayer::new().allow_origin([\"https://app.example.com\".parse()?]).allow_credentials(true)` (actix: `Cors::default().allowed_origin(\"https://app.example.com\")`).",
        _ => "List the trusted front-ends: `cors({ origin: [\"https://app.example.com\"], credentials: true })`.",
    }
}

fn report(
    out: &mut Vec<Draft>,
    file: &ParsedFile,
    node: Node,
    origin: Origin,
    credentials: bool,
    what: &str,
) {
    let (severity, why) = match (origin, credentials) {
        (Origin::Reflect, true) | (Origin::Any, true) => (
            Severity::High,
            "any website a signed-in user visits can call this API with the user's cookies or credentials and read the answers (CWE-942)",
        ),
        (Origin::Reflect, false) => (
            Severity::Medium,
            "every origin is echoed back as allowed, so any website can read this API's responses from a user's browser, and adding credentials later makes it an account-takeover hole (CWE-942)",
        ),
        _ => return,
    };
    let what_origin = match origin {
        Origin::Reflect => "reflects any requesting origin",
        _ => "allows any origin",
    };
    let creds = if credentials {
        " together with credentials"
    } else {
        ""
    };
    out.push(draft(
        CHECK_ID,
        severity,
        node,
        file,
        format!(
            "CORS {what_origin}{creds} ({what}): {why}. {}",
            example_fix(file.grammar)
        ),
    ));
}

/// A JS/Go origin value: `true`, `"*"`, `["*"]`, an always-true callback.
fn origin_of(file: &ParsedFile, value: Node) -> Origin {
    if is_true(file, value) {
        return Origin::Reflect;
    }
    if let Some(s) = string_value(file, value) {
        return if s == "*" {
            Origin::Any
        } else {
            Origin::Restricted
        };
    }
    let text = file.text_of(value);
    if matches!(value.kind_name(), "array" | "list" | "composite_literal") {
        return if text.contains("\"*\"") || text.contains("'*'") {
            Origin::Any
        } else {
            Origin::Restricted
        };
    }
    if super::lang::is_any_function(value) {
        return if always_allows(file, value) {
            Origin::Reflect
        } else {
            Origin::Restricted
        };
    }
    Origin::Restricted
}

/// A callback that allows every origin: it never compares the origin to
/// anything and calls back with `true`, returns `true`, or returns the origin.
fn always_allows(file: &ParsedFile, function: Node) -> bool {
    let text = file.text_of(function);
    let compares = [
        "includes(",
        "indexOf(",
        ".has(",
        ".test(",
        "===",
        "==",
        "startsWith(",
        "endsWith(",
        "match(",
        "Contains(",
        "HasSuffix(",
        "HasPrefix(",
        " in ",
    ]
    .iter()
    .any(|p| text.contains(p));
    if compares {
        return false;
    }
    let body = function
        .field("body")
        .map(|b| file.text_of(b).trim().to_string())
        .unwrap_or_default();
    let first_param = function
        .field("parameters")
        .or_else(|| function.field("parameter"))
        .and_then(|p| {
            if p.kind_name() == "identifier" {
                Some(p)
            } else {
                p.named_child(0)
            }
        })
        .map(|p| {
            file.text_of(p)
                .split(':')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    text.contains(", true)")
        || body == "true"
        || body.contains("return true")
        || (!first_param.is_empty()
            && (body == first_param || body.contains(&format!("return {first_param}"))))
}

pub fn scan(file: &ParsedFile, facts: &mut Facts) -> Vec<Draft> {
    let mut out = Vec::new();
    let credentials_header = file_sets_credentials_header(file);
    if file.grammar == Grammar::Python {
        file.for_each_node(|node| python_rule(file, node, facts, &mut out));
        return out;
    }
    let kinds = [super::lang::CALL_KINDS, &["composite_literal"]].concat();
    file.for_each_of(&kinds, |node| match file.grammar {
        Grammar::Python => {} // walked whole above
        Grammar::Go => {
            if node.kind_name() == "composite_literal" {
                go_config(file, node, facts, &mut out);
            }
            if let Some(c) = call(file, node) {
                header_rule(file, c, credentials_header, facts, &mut out);
            }
        }
        Grammar::Rust => rust_chain(file, node, facts, &mut out),
        _ => {
            if let Some(c) = call(file, node) {
                js_options(file, c, facts, &mut out);
                header_rule(file, c, credentials_header, facts, &mut out);
            }
        }
    });
    out
}

/// Does the file send `Access-Control-Allow-Credentials: true` by hand?
fn file_sets_credentials_header(file: &ParsedFile) -> bool {
    let lower = file.text.to_ascii_lowercase();
    lower
        .split("access-control-allow-credentials")
        .skip(1)
        .any(|rest| rest.chars().take(40).collect::<String>().contains("true"))
}

/// `cors({...})`, `enableCors({...})`, `register(cors, {...})`, `NestFactory.create(M, { cors: {...} })`.
fn js_options(file: &ParsedFile, c: &Call, facts: &mut Facts, out: &mut Vec<Draft>) {
    let is_cors = matches!(c.name, "cors" | "enableCors" | "CORS")
        || (c.name == "register"
            && c.args
                .first()
                .is_some_and(|a| file.text_of(*a).to_ascii_lowercase().contains("cors")));
    let options = if is_cors {
        facts.relevant(
            CHECK_ID,
            file.path,
            first_line(c.node),
            format!("`{}`", super::lang::short(file, c.callee)),
        );
        c.args.iter().copied().find(|a| a.kind_name() == "object")
    } else if c.name == "create" && c.object_text(file).ends_with("NestFactory") {
        c.args
            .iter()
            .find(|a| a.kind_name() == "object")
            .and_then(|o| {
                keyed_values(file, *o)
                    .into_iter()
                    .find(|(k, _)| k == "cors")
                    .map(|(_, v)| v)
            })
            .filter(|v| v.kind_name() == "object")
    } else {
        None
    };
    let Some(options) = options else { return };
    let pairs = keyed_values(file, options);
    let origin = pairs
        .iter()
        .find(|(k, _)| k == "origin")
        .map(|(_, v)| origin_of(file, *v));
    let credentials = pairs
        .iter()
        .any(|(k, v)| k == "credentials" && is_true(file, *v));
    if let Some(origin) = origin {
        report(
            out,
            file,
            c.node,
            origin,
            credentials,
            &format!("`{}`", super::lang::short(file, options)),
        );
    }
}

/// `res.setHeader("Access-Control-Allow-Origin", req.headers.origin)`,
/// `w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))`.
fn header_rule(
    file: &ParsedFile,
    c: &Call,
    credentials: bool,
    facts: &mut Facts,
    out: &mut Vec<Draft>,
) {
    if !matches!(
        c.name,
        "setHeader" | "header" | "set" | "Set" | "append" | "Add" | "writeHead"
    ) {
        return;
    }
    let args = c.positional();
    let (Some(name), Some(value)) = (args.first(), args.get(1)) else {
        return;
    };
    if string_value(file, *name)
        .is_none_or(|n| !n.eq_ignore_ascii_case("access-control-allow-origin"))
    {
        return;
    }
    facts.relevant(
        CHECK_ID,
        file.path,
        first_line(c.node),
        "sets Access-Control-Allow-Origin".to_string(),
    );
    let origin = if string_value(file, *value).as_deref() == Some("*") {
        Origin::Any
    } else if file.text_of(*value).to_ascii_lowercase().contains("origin")
        && !guarded_by_allow_list(file, c.node)
    {
        Origin::Reflect
    } else {
        Origin::Restricted
    };
    report(
        out,
        file,
        c.node,
        origin,
        credentials,
        "`Access-Control-Allow-Origin` set by hand",
    );
}

/// Is the node inside an `if` that checks the origin against a list?
fn guarded_by_allow_list(file: &ParsedFile, node: Node) -> bool {
    file.ancestors(node)
        .take_while(|a| !super::lang::is_any_function(*a))
        .filter(|a| matches!(a.kind_name(), "if_statement" | "if_expression"))
        .any(|a| {
            let cond = a.field("condition").map(|c| file.text_of(c)).unwrap_or("");
            [
                "includes(",
                "indexOf(",
                ".has(",
                "===",
                "==",
                " in ",
                "Contains(",
                "contains(",
            ]
            .iter()
            .any(|p| cond.contains(p))
        })
}

fn python_rule(file: &ParsedFile, node: Node, facts: &mut Facts, out: &mut Vec<Draft>) {
    // Django settings: CORS_ALLOW_ALL_ORIGINS = True with CORS_ALLOW_CREDENTIALS = True.
    if node.kind_name() == "assignment" {
        let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
        if matches!(left, "CORS_ALLOW_ALL_ORIGINS" | "CORS_ORIGIN_ALLOW_ALL") {
            facts.relevant(CHECK_ID, file.path, first_line(node), format!("`{left}`"));
            let all = node
                .field("right")
                .is_some_and(|r| file.text_of(r) == "True");
            let creds = file.text.lines().any(|l| {
                let l = l.replace(' ', "");
                l.starts_with("CORS_ALLOW_CREDENTIALS=True")
            });
            if all {
                report(
                    out,
                    file,
                    node,
                    Origin::Any,
                    creds,
                    &format!("`{left} = True`"),
                );
            }
        }
        // response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
        if left
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
        {
            facts.relevant(
                CHECK_ID,
                file.path,
                first_line(node),
                "sets Access-Control-Allow-Origin".to_string(),
            );
            let right = node.field("right").map(|r| file.text_of(r)).unwrap_or("");
            if right.to_ascii_lowercase().contains("origin") && !guarded_by_allow_list(file, node) {
                report(
                    out,
                    file,
                    node,
                    Origin::Reflect,
                    file_sets_credentials_header(file),
                    "`Access-Control-Allow-Origin` set by hand",
                );
            }
        }
        return;
    }
    let Some(c) = call(file, node) else { return };
    let args = c.positional();
    let starlette = c.name == "add_middleware"
        && args
            .first()
            .is_some_and(|a| file.text_of(*a).ends_with("CORSMiddleware"))
        || (c.name == "Middleware"
            && args
                .first()
                .is_some_and(|a| file.text_of(*a).ends_with("CORSMiddleware")));
    if starlette {
        facts.relevant(
            CHECK_ID,
            file.path,
            first_line(node),
            "CORSMiddleware".to_string(),
        );
        let origins = c
            .option(file, "allow_origins")
            .map(|v| file.text_of(v))
            .unwrap_or("");
        let regex = c
            .option(file, "allow_origin_regex")
            .and_then(|v| string_value(file, v))
            .unwrap_or_default();
        let origin = if origins.contains("\"*\"")
            || origins.contains("'*'")
            || matches!(regex.as_str(), ".*" | ".+" | "^.*$" | "https?://.*")
        {
            Origin::Any
        } else {
            Origin::Restricted
        };
        let creds = c
            .option(file, "allow_credentials")
            .is_some_and(|v| file.text_of(v) == "True");
        report(out, file, node, origin, creds, "`CORSMiddleware`");
        return;
    }
    if matches!(c.name, "CORS" | "cross_origin") {
        facts.relevant(
            CHECK_ID,
            file.path,
            first_line(node),
            format!("flask-cors `{}`", c.name),
        );
        let origins = c
            .option(file, "origins")
            .or_else(|| c.option(file, "resources"))
            .map(|v| file.text_of(v).to_string());
        let origin = match origins {
            None => Origin::Any,
            Some(o) if o.contains("\"*\"") || o.contains("'*'") => Origin::Any,
            Some(_) => Origin::Restricted,
        };
        let creds = c
            .option(file, "supports_credentials")
            .is_some_and(|v| file.text_of(v) == "True");
        // flask-cors echoes the request origin when credentials are on.
        report(
            out,
            file,
            node,
            if creds && origin == Origin::Any {
                Origin::Reflect
            } else {
                origin
            },
            creds,
            &format!("flask-cors `{}`", c.name),
        );
    }
}

/// Go: `cors.Config{...}`, `cors.Options{...}`, `middleware.CORSConfig{...}`.
fn go_config(file: &ParsedFile, node: Node, facts: &mut Facts, out: &mut Vec<Draft>) {
    let ty = node.field("type").map(|t| file.text_of(t)).unwrap_or("");
    if !(ty.starts_with("cors.") || ty.ends_with("CORSConfig")) {
        return;
    }
    facts.relevant(CHECK_ID, file.path, first_line(node), format!("`{ty}`"));
    let pairs = keyed_values(file, node);
    let mut origin = Origin::Restricted;
    let mut creds = false;
    for (k, v) in &pairs {
        match k.as_str() {
            "AllowAllOrigins" if is_true(file, *v) => origin = Origin::Any,
            "AllowOrigins" | "AllowedOrigins" if origin_of(file, *v) == Origin::Any => {
                origin = Origin::Any
            }
            "AllowOriginFunc" | "AllowOriginsFunc" | "AllowOriginRequestFunc"
                if always_allows(file, *v) =>
            {
                origin = Origin::Reflect
            }
            "AllowCredentials" if is_true(file, *v) => creds = true,
            _ => {}
        }
    }
    report(out, file, node, origin, creds, &format!("`{ty}`"));
}

/// Rust: a `CorsLayer::…`/`Cors::…` builder chain, judged as a whole and
/// reported where it starts.
fn rust_chain(file: &ParsedFile, node: Node, facts: &mut Facts, out: &mut Vec<Draft>) {
    let Some(c) = call(file, node) else { return };
    let object = c.object_text(file);
    if !(c.callee.kind_name() == "scoped_identifier"
        && matches!(object.rsplit("::").next(), Some("CorsLayer" | "Cors")))
    {
        return;
    }
    // Climb `.method(...)` links while they continue the builder.
    let mut top = node;
    while let Some((field, next)) = file
        .parent(top)
        .filter(|p| p.kind_name() == "field_expression")
        .and_then(|field| {
            file.parent(field)
                .filter(|p| p.kind_name() == "call_expression")
                .map(|next| (field, next))
        })
    {
        let method = field.field("field").map(|f| file.text_of(f)).unwrap_or("");
        if !(method.starts_with("allow")
            || method.starts_with("expose")
            || method.starts_with("max_age")
            || method.starts_with("supports")
            || method.starts_with("send_wildcard")
            || method.starts_with("vary")
            || method.starts_with("block"))
        {
            break;
        }
        top = next;
    }
    facts.relevant(
        CHECK_ID,
        file.path,
        first_line(node),
        "CORS layer".to_string(),
    );
    let text: String = file.text_of(top).split_whitespace().collect();
    let creds = text.contains("allow_credentials(true)") || text.contains("supports_credentials()");
    let (origin, creds) = if text.starts_with("CorsLayer::very_permissive()")
        || text.starts_with("Cors::permissive()")
    {
        (Origin::Reflect, true)
    } else if text.contains("mirror_request()") {
        (Origin::Reflect, creds)
    } else if text.contains("allow_origin(Any)")
        || text.contains("AllowOrigin::any()")
        || text.contains("allow_any_origin()")
    {
        (Origin::Any, creds)
    } else {
        (Origin::Restricted, creds)
    };
    report(
        out,
        file,
        node,
        origin,
        creds,
        &format!("`{}`", super::lang::short(file, top)),
    );
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    fn rule(file: &ParsedFile) -> Vec<Draft> {
        scan(file, &mut Facts::default())
    }

    #[test]
    fn js_cors_options_and_hand_written_headers() {
        let js = "app.use(cors({ origin: true, credentials: true }));\napp.use(cors({ origin: ['https://shop.example.com'], credentials: true }));\napp.use(cors());\napp.use(cors({ origin: (origin, cb) => cb(null, true), credentials: true }));\napp.use(cors({ origin: (origin, cb) => cb(null, allowed.includes(origin)), credentials: true }));\napp.use(cors({ origin: '*' }));\n";
        assert_eq!(lines("src/app.js", js, rule), vec![1, 4]);
        let js = "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n";
        assert_eq!(lines("src/app.js", js, rule), vec![2]);
        let guarded = "app.use((req, res, next) => {\n  if (ALLOWED.includes(req.headers.origin)) {\n    res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  }\n  next();\n});\n";
        assert!(lines("src/app.js", guarded, rule).is_empty());
        let nest = "const app = await NestFactory.create(AppModule, { cors: { origin: true, credentials: true } });\napp.enableCors({ origin: 'https://a.example.com', credentials: true });\n";
        assert_eq!(lines("src/main.ts", nest, rule), vec![1]);
    }

    #[test]
    fn python_go_and_rust_cors() {
        let py = "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\napp.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_credentials=True)\napp.add_middleware(CORSMiddleware, allow_origins=['*'])\nCORS(app, supports_credentials=True)\nCORS(app, origins=['https://a.example.com'], supports_credentials=True)\n";
        assert_eq!(lines("app/main.py", py, rule), vec![1, 4]);
        let dj = "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n";
        assert_eq!(lines("proj/settings.py", dj, rule), vec![1]);
        let go = "package x\nvar a = cors.Config{AllowAllOrigins: true, AllowCredentials: true}\nvar b = cors.Config{AllowOrigins: []string{\"https://a.example.com\"}, AllowCredentials: true}\nvar c = cors.Options{AllowOriginFunc: func(o string) bool { return true }, AllowCredentials: true}\n";
        assert_eq!(lines("main.go", go, rule), vec![2, 4]);
        let rs = "fn app() { let a = CorsLayer::very_permissive(); let b = CorsLayer::new().allow_origin(Any).allow_credentials(true); let c = CorsLayer::permissive(); let d = Cors::default().allowed_origin(\"https://a.example.com\").supports_credentials(); }\n";
        assert_eq!(run_count(rs), 2);
    }

    fn run_count(code: &str) -> usize {
        super::super::lang::test_support::run("src/main.rs", code, rule).len()
    }
}
