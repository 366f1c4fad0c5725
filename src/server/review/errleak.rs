//! SEC-ERRLEAK (CWE-209): internal errors and stack traces sent to clients.
//!
//! * JS/TS: inside a `catch (err)` block or an error handler
//!   (`(err, req, res, next)`, Fastify `setErrorHandler`, Hono `onError`), a
//!   response (`res.json/send`, `reply.send`, `c.json`, `ctx.body =`) built
//!   from the error: `err.stack` (high), `err.message`/the error itself
//!   (medium) unless answered with a 4xx status or guarded by an
//!   `instanceof`/`expose`/environment check.
//! * Python: inside `except Exception as e:`, a response or `HTTPException`
//!   detail built from `e`/`str(e)` (medium), `traceback.format_exc()` in a
//!   response (high); Django `DEBUG = True` in settings, `FastAPI(debug=True)`,
//!   Flask `app.run(debug=True)` outside a `__main__` guard.
//! * Go: `http.Error(w, err.Error(), 500)`, `c.JSON(500, ... err.Error())`,
//!   `c.String(http.StatusInternalServerError, err.Error())`.
//! * Rust: `(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())`,
//!   `HttpResponse::InternalServerError().body(e.to_string())`.

use super::findings::Draft;
use super::lang::{call, draft, is_true, mentions, short, Call};
use super::language::Grammar;
use super::syntax::{named_children, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-ERRLEAK";

fn fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Log the exception server-side (`logger.exception(...)`) and answer with a generic message and an error id, e.g. `{\"detail\": \"internal error\", \"id\": request_id}`.",
        Grammar::Go => "Log the error (`slog.Error(\"...\", \"err\", err)`) and answer `http.Error(w, \"internal error\", http.StatusInternalServerError)`.",
        Grammar::Rust => "Log the error (`tracing::error!(?err)`) and answer `(StatusCode::INTERNAL_SERVER_ERROR, \"internal error\")`.",
        _ => "Log the error server-side and answer with a generic message, e.g. `res.status(500).json({ error: \"internal error\", id: requestId })`.",
    }
}

const WHY: &str = "error messages and stack traces reveal file paths, library versions, SQL and internal state that help an attacker (CWE-209)";

pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    let mut out = Vec::new();
    match file.grammar {
        Grammar::Python => python(file, &mut out),
        Grammar::Go => go(file, &mut out),
        Grammar::Rust => rust(file, &mut out),
        _ => js(file, &mut out),
    }
    out
}

/// The name of the error variable in scope at `node`: a catch parameter or
/// the first parameter of an error handler.
fn js_error_name<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<&'t str> {
    for ancestor in file.ancestors(node) {
        if ancestor.kind_name() == "catch_clause" {
            return ancestor.field("parameter").map(|p| file.text_of(p));
        }
        if super::lang::is_any_function(ancestor) {
            let params = ancestor
                .field("parameters")
                .map(named_children)
                .unwrap_or_default();
            let first = params.first().map(|p| {
                file.text_of(*p)
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            });
            let registered_as_error_handler = file
                .parent(ancestor)
                .and_then(|a| file.parent(a))
                .and_then(|c| call(file, c))
                .is_some_and(|c| matches!(c.name, "setErrorHandler" | "onError"));
            if let Some(first) = first {
                if (params.len() == 4 || registered_as_error_handler)
                    && matches!(first.as_str(), "err" | "error" | "e" | "ex" | "exception")
                {
                    let p = params[0];
                    let ident = file
                        .descendants(p)
                        .into_iter()
                        .find(|n| n.kind_name() == "identifier")
                        .unwrap_or(p);
                    return Some(file.text_of(ident));
                }
            }
            // Keep looking outwards only through callbacks of a catch.
        }
    }
    None
}

/// A 4xx status literal in a response chain (`res.status(400)`, `reply.code(404)`, `c.json(x, 400)`).
fn client_error_status(file: &ParsedFile, node: Node) -> bool {
    let text = file.text_of(node);
    let re_status = ["status(4", "code(4", "Status(4", ", 4"];
    re_status.iter().any(|p| text.contains(p))
}

/// Is the node under a condition that looks at the error kind or the environment?
fn guarded(file: &ParsedFile, node: Node) -> bool {
    file.ancestors(node)
        .take_while(|a| !super::lang::is_any_function(*a))
        .filter_map(|a| match a.kind_name() {
            "if_statement" | "ternary_expression" | "conditional_expression" => {
                a.field("condition")
            }
            _ => None,
        })
        .any(|cond| {
            let t = file.text_of(cond);
            [
                "instanceof",
                "expose",
                "status",
                "NODE_ENV",
                "isDev",
                "development",
                "debug",
                "DEBUG",
                "isinstance",
                "code",
            ]
            .iter()
            .any(|w| t.contains(w))
        })
}

fn js(file: &ParsedFile, out: &mut Vec<Draft>) {
    let kinds = [super::lang::CALL_KINDS, &["assignment_expression"]].concat();
    file.for_each_of(&kinds, |node| {
        let (payload, response_node): (Vec<Node>, Node) = if let Some(c) = call(file, node) {
            if !is_js_response_call(file, c) {
                return;
            }
            (c.args.clone(), node)
        } else if node.kind_name() == "assignment_expression" {
            let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
            if !(left.ends_with(".body") && left.starts_with("ctx")) {
                return;
            }
            (node.field("right").into_iter().collect(), node)
        } else {
            return;
        };
        let Some(err) = js_error_name(file, node) else {
            return;
        };
        let stack = payload
            .iter()
            .any(|p| file.text_of(*p).contains(&format!("{err}.stack")));
        let leaks = stack
            || payload
                .iter()
                .any(|p| mentions(file, *p, err) && !only_safe_fields(file, *p, err));
        if !leaks || guarded(file, node) {
            return;
        }
        let statement = file
            .ancestors(node)
            .find(|a| a.kind_name() == "expression_statement")
            .unwrap_or(node);
        if !stack && client_error_status(file, statement) {
            return;
        }
        let (severity, what) = if stack {
            (Severity::High, format!("the stack trace (`{err}.stack`)"))
        } else {
            (
                Severity::Medium,
                format!("the internal error (`{}`)", short(file, response_node)),
            )
        };
        out.push(draft(
            CHECK_ID,
            severity,
            response_node,
            file,
            format!("Sends {what} to the client: {WHY}. {}", fix(file.grammar)),
        ));
    });
}

/// `err.status`, `err.code`, `err.name`: fields that do not leak details.
fn only_safe_fields(file: &ParsedFile, node: Node, err: &str) -> bool {
    let text = file.text_of(node);
    let mut rest = text;
    let mut found_any = false;
    while let Some(at) = rest.find(err) {
        let after = &rest[at + err.len()..];
        let before_ok = at == 0
            || !rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if before_ok && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            found_any = true;
            let field: String = after
                .strip_prefix('.')
                .map(|f| {
                    f.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .unwrap_or_default();
            if !matches!(
                field.as_str(),
                "status" | "statusCode" | "code" | "name" | "expose"
            ) {
                return false;
            }
        }
        rest = &rest[at + err.len()..];
    }
    found_any
}

fn is_js_response_call(file: &ParsedFile, c: &Call) -> bool {
    let object = c.object_text(file);
    let root = object.split(['.', '(']).next().unwrap_or("");
    match c.name {
        "json" | "send" | "end" | "write" | "jsonp" => matches!(
            root,
            "res" | "response" | "reply" | "resp" | "c" | "ctx" | "h"
        ),
        "text" | "html" => root == "c",
        _ => false,
    }
}

fn python(file: &ParsedFile, out: &mut Vec<Draft>) {
    let settings = super::file_kinds::file_name(file.path).starts_with("settings")
        || file.path.contains("/settings/");
    let kinds = [super::lang::CALL_KINDS, &["assignment"]].concat();
    file.for_each_of(&kinds, |node| {
        if node.kind_name() == "assignment" && settings {
            let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
            let at_top = file.parent(node).and_then(|p| file.parent(p)).is_some_and(|m| m.kind_name() == "module");
            let name = super::file_kinds::file_name(file.path);
            let dev_settings = ["dev", "local", "test"].iter().any(|w| name.contains(w));
            if left == "DEBUG" && at_top && !dev_settings && node.field("right").is_some_and(|r| file.text_of(r) == "True") {
                out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("`DEBUG = True` in Django settings: every error page shows the stack trace, local variables and settings to whoever triggers it; {WHY}. Read it from the environment (`DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"`) so production runs with DEBUG off.")));
            }
            return;
        }
        let Some(c) = call(file, node) else { return };
        // FastAPI(debug=True), app.run(debug=True) outside `if __name__ == "__main__":`
        if (c.name == "FastAPI" || (c.name == "run" && c.object.is_some())) && c.option(file, "debug").is_some_and(|v| file.text_of(v) == "True") {
            let in_main_guard = file.ancestors(node).any(|a| a.kind_name() == "if_statement" && a.field("condition").is_some_and(|cnd| file.text_of(cnd).contains("__main__")));
            if !in_main_guard {
                let what = if c.name == "run" { "the Werkzeug debugger (which also runs code sent from the browser)" } else { "tracebacks in 500 responses" };
                out.push(draft(CHECK_ID, Severity::High, node, file, format!("`debug=True` turns on {what}: {WHY}. Read the flag from the environment and keep it off in production.")));
            }
            return;
        }
        let is_response = matches!(c.name, "jsonify" | "JSONResponse" | "JsonResponse" | "HttpResponse" | "Response" | "PlainTextResponse" | "HTTPException" | "make_response" | "abort");
        let traceback = c.args.iter().any(|a| file.text_of(*a).contains("traceback.format_exc") || file.text_of(*a).contains("format_exception"));
        if is_response && traceback {
            out.push(draft(CHECK_ID, Severity::High, node, file, format!("Sends the traceback to the client: {WHY}. {}", fix(file.grammar))));
            return;
        }
        if !is_response {
            return;
        }
        let Some((err, caught)) = python_error_name(file, node) else { return };
        if !c.args.iter().any(|a| mentions(file, *a, &err)) || guarded(file, node) {
            return;
        }
        let client_error_types = ["ValidationError", "ValueError", "KeyError", "HTTPException", "JSONDecodeError", "PermissionDenied", "DoesNotExist", "NotFound", "BadRequest"];
        if client_error_types.iter().any(|t| caught.contains(t)) {
            return;
        }
        let status_4xx = c.args.iter().any(|a| {
            let t = file.text_of(*a);
            t.starts_with("status_code=4") || t.starts_with("status=4") || t.contains("HTTP_4") || t.starts_with('4')
        }) || file.parent(node).is_some_and(|p| p.kind_name() == "expression_list" && file.text_of(p).contains(", 4"));
        if status_4xx {
            return;
        }
        out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("Sends the exception text (`{}`) to the client: {WHY}. {}", short(file, node), fix(file.grammar))));
    });
    // Python `return {"error": str(e)}, 500` in an except block.
    file.for_each_of(&["return_statement"], |node| {
        if node.kind_name() != "return_statement" {
            return;
        }
        let Some(value) = node.named_child(0) else {
            return;
        };
        if !matches!(value.kind_name(), "dictionary" | "expression_list") {
            return;
        }
        let text = file.text_of(value);
        if matches!(value.kind_name(), "expression_list") && !text.contains("500") {
            return;
        }
        let Some((err, caught)) = python_error_name(file, node) else {
            return;
        };
        if caught.contains("ValidationError")
            || caught.contains("ValueError")
            || guarded(file, node)
        {
            return;
        }
        let dict = if value.kind_name() == "dictionary" {
            Some(value)
        } else {
            value
                .named_child(0)
                .filter(|d| d.kind_name() == "dictionary")
        };
        if dict.is_some_and(|d| mentions(file, d, &err)) {
            out.push(draft(
                CHECK_ID,
                Severity::Medium,
                node,
                file,
                format!(
                    "Returns the exception text (`{}`) to the client: {WHY}. {}",
                    short(file, node),
                    fix(file.grammar)
                ),
            ));
        }
    });
}

/// The `as` name and the caught types of the enclosing `except` clause.
fn python_error_name(file: &ParsedFile, node: Node) -> Option<(String, String)> {
    let clause = file
        .ancestors(node)
        .take_while(|a| !super::lang::is_any_function(*a))
        .find(|a| a.kind_name() == "except_clause")?;
    let text = file.text_of(clause);
    let header = text.split(':').next().unwrap_or("");
    let (caught, name) = header.rsplit_once(" as ")?;
    Some((
        name.trim().to_string(),
        caught.trim_start_matches("except").trim().to_string(),
    ))
}

fn go(file: &ParsedFile, out: &mut Vec<Draft>) {
    file.for_each_of(super::lang::CALL_KINDS, |node| {
        let Some(c) = call(file, node) else { return };
        let args = c.positional();
        let (status, body): (Option<Node>, Vec<Node>) = match c.name {
            "Error" if c.object_text(file) == "http" && args.len() == 3 => {
                (Some(args[2]), vec![args[1]])
            }
            "JSON" | "String" | "AbortWithStatusJSON" | "IndentedJSON" | "XML"
                if args.len() >= 2 =>
            {
                (Some(args[0]), args[1..].to_vec())
            }
            "SendString" | "JSON" if args.len() == 1 => {
                // fiber: c.Status(500).SendString(err.Error())
                let status = c
                    .object
                    .and_then(|o| call(file, o))
                    .filter(|s| s.name == "Status")
                    .and_then(|s| s.positional().first().copied());
                (status, args.clone())
            }
            _ => return,
        };
        let status_text = status.map(|s| file.text_of(s)).unwrap_or("");
        if !(status_text == "500" || status_text.ends_with("StatusInternalServerError")) {
            return;
        }
        let leaks = body.iter().any(|b| {
            let t = file.text_of(*b);
            t.contains(".Error()")
                || t.contains("%v\", err")
                || t.contains("%s\", err")
                || t.contains("%w")
        });
        if leaks {
            out.push(draft(
                CHECK_ID,
                Severity::Medium,
                node,
                file,
                format!(
                    "Sends the internal error text (`{}`) with a 500: {WHY}. {}",
                    short(file, node),
                    fix(file.grammar)
                ),
            ));
        }
    });
}

fn rust(file: &ParsedFile, out: &mut Vec<Draft>) {
    let leaks = |file: &ParsedFile, n: Node| {
        let t = file.text_of(n);
        (t.contains(".to_string()") || t.contains("format!"))
            && (mentions(file, n, "e") || mentions(file, n, "err") || mentions(file, n, "error"))
    };
    let kinds = [super::lang::CALL_KINDS, &["tuple_expression"]].concat();
    file.for_each_of(&kinds, |node| {
        if node.kind_name() == "tuple_expression" {
            let items = named_children(node);
            if items.len() >= 2 && file.text_of(items[0]).ends_with("INTERNAL_SERVER_ERROR") && items[1..].iter().any(|i| leaks(file, *i)) {
                out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("Sends the internal error text with a 500 (`{}`): {WHY}. {}", short(file, node), fix(file.grammar))));
            }
            return;
        }
        let Some(c) = call(file, node) else { return };
        if matches!(c.name, "body" | "json") && c.object_text(file).contains("InternalServerError()") && c.args.iter().any(|a| leaks(file, *a)) {
            out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("Sends the internal error text with a 500 (`{}`): {WHY}. Log the error and answer `HttpResponse::InternalServerError().finish()`.", short(file, node))));
        }
    });
    let _ = is_true;
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    #[test]
    fn js_error_responses() {
        let js = "app.use((err, req, res, next) => {\n  res.status(500).json({ error: err.message });\n});\nrouter.get('/a', async (req, res) => {\n  try { await x(); } catch (e) {\n    res.status(500).send(e.stack);\n    res.status(400).json({ error: e.message });\n    res.status(500).json({ error: 'internal error' });\n    if (e instanceof ValidationError) res.status(500).json({ error: e.message });\n    res.status(e.status || 500).json({ code: e.code });\n  }\n});\n";
        assert_eq!(lines("src/app.ts", js, scan), vec![2, 6]);
        let koa = "app.use(async (ctx, next) => {\n  try { await next(); } catch (err) {\n    ctx.status = 500;\n    ctx.body = { message: err.message };\n  }\n});\n";
        assert_eq!(lines("src/app.js", koa, scan), vec![4]);
    }

    #[test]
    fn python_error_responses_and_debug_flags() {
        let py = "@app.get('/x')\ndef x():\n    try:\n        run()\n    except Exception as e:\n        raise HTTPException(status_code=500, detail=str(e))\n    try:\n        run()\n    except ValueError as e:\n        raise HTTPException(status_code=400, detail=str(e))\n    try:\n        run()\n    except Exception as exc:\n        return jsonify({'error': traceback.format_exc()}), 500\n    try:\n        run()\n    except Exception as exc:\n        return {'error': str(exc)}, 500\n";
        assert_eq!(lines("app/main.py", py, scan), vec![6, 14, 18]);
        let settings = "DEBUG = True\n";
        assert_eq!(lines("shop/settings.py", settings, scan), vec![1]);
        assert!(lines("shop/settings_dev.py", settings, scan).is_empty());
        let flask = "app.run(debug=True)\nif __name__ == '__main__':\n    app.run(debug=True)\n";
        assert_eq!(lines("app.py", flask, scan), vec![1]);
    }

    #[test]
    fn go_and_rust_error_responses() {
        let go = "package x\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tif err != nil { http.Error(w, err.Error(), http.StatusInternalServerError); return }\n\tif err != nil { http.Error(w, err.Error(), http.StatusBadRequest); return }\n\tif err != nil { http.Error(w, \"internal error\", http.StatusInternalServerError) }\n}\nfunc g(c *gin.Context) { c.JSON(http.StatusInternalServerError, gin.H{\"error\": err.Error()}) }\n";
        assert_eq!(lines("main.go", go, scan), vec![3, 7]);
        let rs = "async fn h() -> impl IntoResponse {\n    match run().await {\n        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),\n        Ok(_) => (StatusCode::INTERNAL_SERVER_ERROR, \"internal error\").into_response(),\n    }\n}\n";
        assert_eq!(lines("src/main.rs", rs, scan), vec![3]);
    }
}
