//! API-STATUS: status codes that contradict the outcome — an error body
//! (`{ error: … }`, `success: false`, `status: "error"`) sent with 200, or a
//! success body (`success: true`, `ok: true`) sent with a 4xx/5xx status.
//! Express/Fastify/Koa/Hono responses, Flask/FastAPI/Django returns, Gin/Echo
//! `c.JSON`, net/http `json.NewEncoder(w).Encode` without `WriteHeader`,
//! axum `(StatusCode::OK, Json(json!({"error": …})))`, actix `HttpResponse::Ok()`.

use super::findings::Draft;
use super::lang::{
    call, draft, is_false, is_true, keyed_values, macro_call, short, string_value, Call,
};
use super::language::Grammar;
use super::syntax::{named_children, unwrap_expression, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "API-STATUS";

/// What a response body says about the outcome.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Error,
    Success,
    Unknown,
}

fn body_outcome(file: &ParsedFile, body: Node) -> Outcome {
    let body = unwrap_expression(body);
    if body.kind_name() == "macro_invocation" {
        // Rust json!({...})
        let text: String = file.text_of(body).split_whitespace().collect();
        if text.contains("\"error\":")
            || text.contains("\"errors\":")
            || text.contains("\"success\":false")
        {
            return Outcome::Error;
        }
        if text.contains("\"success\":true") || text.contains("\"ok\":true") {
            return Outcome::Success;
        }
        return Outcome::Unknown;
    }
    let pairs = keyed_values(file, body);
    let mut outcome = Outcome::Unknown;
    for (k, v) in pairs {
        let v = unwrap_expression(v);
        let nullish =
            matches!(v.kind_name(), "null" | "none" | "undefined" | "nil") || is_false(file, v);
        match k.as_str() {
            "error" | "errors" | "err" if !nullish => return Outcome::Error,
            "success" | "ok" => {
                if is_false(file, v) {
                    return Outcome::Error;
                }
                if is_true(file, v) {
                    outcome = Outcome::Success;
                }
            }
            "status" => match string_value(file, v).as_deref() {
                Some("error" | "fail" | "failed" | "failure") => return Outcome::Error,
                Some("success" | "ok") => outcome = Outcome::Success,
                _ => {}
            },
            _ => {}
        }
    }
    outcome
}

fn report(out: &mut Vec<Draft>, file: &ParsedFile, node: Node, outcome: Outcome, status: &str) {
    let message = match outcome {
        Outcome::Error => format!(
            "An error body is answered with {status} (`{}`): clients, caches, retries and monitoring read 200 as success, so failures go unnoticed and get cached. Send the matching 4xx/5xx status with the error body{}.",
            short(file, node),
            fix(file.grammar, true)
        ),
        _ => format!(
            "A success body is answered with error status {status} (`{}`): clients treat the request as failed and retry it. Send 2xx for success{}.",
            short(file, node),
            fix(file.grammar, false)
        ),
    };
    out.push(draft(CHECK_ID, Severity::Medium, node, file, message));
}

fn fix(grammar: Grammar, error: bool) -> &'static str {
    match (grammar, error) {
        (Grammar::Python, true) => ", e.g. `raise HTTPException(status_code=400, detail=...)` or `return jsonify(error=...), 400`",
        (Grammar::Go, true) => ", e.g. `c.JSON(http.StatusBadRequest, gin.H{\"error\": ...})` or `w.WriteHeader(http.StatusBadRequest)` before writing",
        (Grammar::Rust, true) => ", e.g. `(StatusCode::BAD_REQUEST, Json(json!({\"error\": ...})))`",
        (_, true) => ", e.g. `res.status(400).json({ error: ... })`",
        _ => "",
    }
}

pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    let mut out = Vec::new();
    // Calls, Koa's `ctx.body =`, Python's `return {...}`, Rust's `(status, body)`.
    let kinds = [
        super::lang::CALL_KINDS,
        &[
            "assignment_expression",
            "return_statement",
            "tuple_expression",
        ],
    ]
    .concat();
    file.for_each_of(&kinds, |node| match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => js(file, node, &mut out),
        Grammar::Python => python(file, node, &mut out),
        Grammar::Go => go(file, node, &mut out),
        Grammar::Rust => rust(file, node, &mut out),
    });
    out
}

/// A status number from a literal or a named constant (`http.StatusOK`, `StatusCode::OK`, `status.HTTP_400_BAD_REQUEST`).
fn status_number(file: &ParsedFile, node: Node) -> Option<u16> {
    let text = file.text_of(unwrap_expression(node));
    if let Ok(n) = text.parse::<u16>() {
        return Some(n);
    }
    let name = text.rsplit(['.', ':']).next().unwrap_or(text);
    if let Some(rest) = name.strip_prefix("HTTP_") {
        return rest.get(..3)?.parse().ok();
    }
    match name {
        "StatusOK" | "OK" => Some(200),
        "StatusCreated" | "CREATED" => Some(201),
        "StatusBadRequest" | "BAD_REQUEST" => Some(400),
        "StatusUnauthorized" | "UNAUTHORIZED" => Some(401),
        "StatusForbidden" | "FORBIDDEN" => Some(403),
        "StatusNotFound" | "NOT_FOUND" => Some(404),
        "StatusConflict" | "CONFLICT" => Some(409),
        "StatusUnprocessableEntity" | "UNPROCESSABLE_ENTITY" => Some(422),
        "StatusInternalServerError" | "INTERNAL_SERVER_ERROR" => Some(500),
        "StatusServiceUnavailable" | "SERVICE_UNAVAILABLE" => Some(503),
        _ => None,
    }
}

fn judge(
    out: &mut Vec<Draft>,
    file: &ParsedFile,
    node: Node,
    outcome: Outcome,
    status: Option<u16>,
) {
    match (outcome, status) {
        (Outcome::Error, Some(200)) => report(out, file, node, outcome, "200"),
        (Outcome::Success, Some(s)) if s >= 400 => report(out, file, node, outcome, &s.to_string()),
        _ => {}
    }
}

/// Was a status set earlier in the enclosing block (`res.status(…)`, `ctx.status =`, `res.statusCode =`, `w.WriteHeader(`)?
fn status_set_before(file: &ParsedFile, node: Node) -> bool {
    let Some(block) = file
        .ancestors(node)
        .find(|a| matches!(a.kind_name(), "statement_block" | "block" | "function_body"))
    else {
        return false;
    };
    let before = &file.text[block.start_byte()..node.start_byte()];
    [
        ".status(",
        ".status =",
        "statusCode",
        ".code(",
        "WriteHeader(",
        "status_code =",
        ".status_code",
    ]
    .iter()
    .any(|p| before.contains(p))
}

fn js(file: &ParsedFile, node: Node, out: &mut Vec<Draft>) {
    if node.kind_name() == "assignment_expression" {
        let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
        if left == "ctx.body" {
            let outcome = node
                .field("right")
                .map_or(Outcome::Unknown, |r| body_outcome(file, r));
            if outcome == Outcome::Error && !status_set_before(file, node) {
                report(out, file, node, outcome, "200 (Koa's default)");
            }
        }
        return;
    }
    let Some(c) = call(file, node) else { return };
    if !matches!(c.name, "json" | "send") {
        return;
    }
    let object = c.object_text(file);
    let root = object.split(['.', '(']).next().unwrap_or("");
    if !matches!(root, "res" | "response" | "reply" | "resp" | "c") {
        return;
    }
    let Some(body) = c.args.first() else { return };
    let outcome = body_outcome(file, *body);
    if outcome == Outcome::Unknown {
        return;
    }
    let status = chain_status(file, c);
    match status {
        Some(s) => judge(out, file, node, outcome, Some(s)),
        None if root == "c" && c.args.len() >= 2 => {}
        None if outcome == Outcome::Error
            && !object.contains('(')
            && !status_set_before(file, node) =>
        {
            report(out, file, node, outcome, "200 (no status set)")
        }
        None => {}
    }
}

/// The status of a JS response chain: `res.status(404).json()`, `reply.code(400).send()`, `c.json(x, 400)`.
fn chain_status(file: &ParsedFile, c: &Call) -> Option<u16> {
    if c.object_text(file) == "c" {
        return c.args.get(1).and_then(|s| status_number(file, *s));
    }
    let mut current = c.object;
    while let Some(o) = current {
        let inner = call(file, unwrap_expression(o))?;
        if matches!(inner.name, "status" | "code" | "sendStatus") {
            return inner
                .args
                .first()
                .and_then(|s| status_number(file, *s))
                .or(Some(0));
        }
        current = inner.object;
    }
    None
}

fn python(file: &ParsedFile, node: Node, out: &mut Vec<Draft>) {
    if let Some(c) = call(file, node) {
        let constructor = matches!(c.name, "JSONResponse" | "JsonResponse" | "jsonify");
        if !constructor {
            return;
        }
        let body = c
            .option(file, "content")
            .or_else(|| c.positional().first().copied());
        let outcome = match (c.name, body) {
            ("jsonify", None) => {
                // jsonify(error="...")
                if c.option(file, "error").is_some() {
                    Outcome::Error
                } else {
                    Outcome::Unknown
                }
            }
            (_, Some(b)) => body_outcome(file, b),
            _ => Outcome::Unknown,
        };
        if outcome == Outcome::Unknown {
            return;
        }
        let status = c
            .option(file, "status_code")
            .or_else(|| c.option(file, "status"))
            .and_then(|s| status_number(file, s));
        // `return jsonify(...), 400`
        let tuple_status = file
            .parent(node)
            .filter(|p| p.kind_name() == "expression_list" || p.kind_name() == "tuple")
            .and_then(|p| named_children(p).get(1).copied())
            .and_then(|s| status_number(file, s));
        let status = status.or(tuple_status);
        if status.is_none()
            && outcome == Outcome::Error
            && file
                .parent(node)
                .is_some_and(|p| p.kind_name() == "return_statement")
            && !status_set_before(file, node)
        {
            report(out, file, node, outcome, "200 (no status given)");
        } else {
            judge(out, file, node, outcome, status);
        }
        return;
    }
    // `return {"error": ...}` from a route handler.
    if node.kind_name() == "return_statement" {
        let Some(value) = node.named_child(0) else {
            return;
        };
        if value.kind_name() != "dictionary" {
            return;
        }
        let Some(function) = super::lang::enclosing_function(file, node) else {
            return;
        };
        if !super::taint::is_route_handler(file, function) {
            return;
        }
        if body_outcome(file, value) == Outcome::Error && !status_set_before(file, node) {
            report(out, file, node, Outcome::Error, "200 (no status given)");
        }
    }
}

fn go(file: &ParsedFile, node: Node, out: &mut Vec<Draft>) {
    let Some(c) = call(file, node) else { return };
    let args = c.positional();
    match c.name {
        "JSON" | "IndentedJSON" | "AbortWithStatusJSON" if args.len() == 2 => {
            let outcome = body_outcome(file, args[1]);
            judge(out, file, node, outcome, status_number(file, args[0]));
        }
        "Encode" if c.object_text(file).contains("NewEncoder(w)") => {
            let Some(body) = args.first() else { return };
            let outcome = body_outcome(file, *body);
            if outcome == Outcome::Error && !status_set_before(file, node) {
                report(out, file, node, outcome, "200 (no WriteHeader)");
            }
        }
        _ => {}
    }
}

fn rust(file: &ParsedFile, node: Node, out: &mut Vec<Draft>) {
    if node.kind_name() == "tuple_expression" {
        let items = named_children(node);
        if items.len() >= 2 {
            if let Some(status) = status_number(file, items[0]) {
                // (StatusCode::OK, Json(json!({...})))
                let body = call(file, items[1])
                    .and_then(|c| c.args.first().copied())
                    .unwrap_or(items[1]);
                judge(out, file, node, body_outcome(file, body), Some(status));
            }
        }
        return;
    }
    let Some(c) = call(file, node) else { return };
    if c.name != "json" {
        return;
    }
    let object: String = c.object_text(file).split_whitespace().collect();
    let status = if object.ends_with("HttpResponse::Ok()") {
        Some(200)
    } else if object.ends_with("HttpResponse::InternalServerError()") {
        Some(500)
    } else if object.ends_with("HttpResponse::BadRequest()") {
        Some(400)
    } else if object.ends_with("HttpResponse::NotFound()") {
        Some(404)
    } else {
        None
    };
    if let Some(body) = c.args.first() {
        judge(out, file, node, body_outcome(file, *body), status);
    }
    let _ = macro_call;
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    #[test]
    fn js_responses() {
        let js = "router.post('/a', async (req, res) => {\n  try { await x(); } catch (e) {\n    res.json({ error: 'could not save' });\n    res.status(400).json({ error: 'bad input' });\n    res.status(200).send({ success: false });\n    res.status(500).json({ success: true });\n    res.json({ error: null, data: 1 });\n  }\n});\napp.get('/b', (c) => c.json({ error: 'nope' }, 404));\napp.get('/c', (c) => c.json({ error: 'nope' }, 200));\n";
        assert_eq!(lines("src/a.ts", js, scan), vec![3, 5, 6, 11]);
        let koa = "router.get('/x', async (ctx) => {\n  ctx.body = { error: 'missing' };\n});\nrouter.get('/y', async (ctx) => {\n  ctx.status = 404;\n  ctx.body = { error: 'missing' };\n});\n";
        assert_eq!(lines("src/a.js", koa, scan), vec![2]);
    }

    #[test]
    fn python_go_rust_responses() {
        let py = "@app.route('/a')\ndef a():\n    if not ok:\n        return jsonify({'error': 'missing'})\n    if bad:\n        return jsonify({'error': 'bad'}), 400\n    return JSONResponse({'error': 'x'}, status_code=200)\n\n@app.get('/b')\ndef b():\n    return {'error': 'not found'}\n";
        assert_eq!(lines("app/views.py", py, scan), vec![4, 7, 11]);
        let go = "package x\nfunc h(c *gin.Context) {\n\tc.JSON(http.StatusOK, gin.H{\"error\": \"not found\"})\n\tc.JSON(http.StatusNotFound, gin.H{\"error\": \"not found\"})\n}\n";
        assert_eq!(lines("main.go", go, scan), vec![3]);
        let rs = "async fn h() -> impl IntoResponse {\n    (StatusCode::OK, Json(json!({\"error\": \"missing\"})))\n}\nasync fn g() -> HttpResponse { HttpResponse::Ok().json(json!({\"error\": \"x\"})) }\nasync fn k() -> HttpResponse { HttpResponse::NotFound().json(json!({\"error\": \"x\"})) }\n";
        assert_eq!(lines("src/main.rs", rs, scan), vec![2, 4]);
    }
}
