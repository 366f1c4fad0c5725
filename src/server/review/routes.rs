//! HTTP route registrations found over syntax trees: Express/Koa/Hono/Fastify
//! style `app.get("/x", handler)`, `router.route("/x")`, `fastify.route({ url })`,
//! NestJS `@Get("x")`/`@Controller("x")`, FastAPI/Flask decorators
//! `@app.get("/x")`/`@bp.route("/x")`, Django `path("x/", view)`, Starlette
//! `Route("/x", endpoint)`.

use super::syntax::{first_line, js_literal_text, named_children, py_literal_text, ParsedFile};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

/// One route registration.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Route {
    /// The file it is registered in.
    pub file: String,
    pub line: u32,
    /// The URL path as written (`/orders/:id`, `healthz/`).
    pub route: String,
}

const JS_ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "head", "options", "route",
];
const PY_ROUTE_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "route",
    "api_route",
    "websocket",
];
const NEST_DECORATORS: &[&str] = &[
    "Get",
    "Post",
    "Put",
    "Patch",
    "Delete",
    "All",
    "Head",
    "Options",
    "Controller",
];
/// Names of objects that routes are registered on (by suffix, lower-cased).
const ROUTER_NAMES: &[&str] = &[
    "app", "router", "server", "fastify", "api", "routes", "route", "hono", "koa", "instance",
];

/// The route registrations of one parsed file.
pub fn collect(file: &ParsedFile) -> Vec<Route> {
    let mut out = Vec::new();
    let kinds = ["call_expression", "call", "decorator", "attribute_item"];
    file.for_each_of(&kinds, |node| {
        let found = if file.grammar.is_python() {
            python_route(file, node)
        } else if file.grammar.is_js() {
            js_route(file, node)
        } else if file.grammar == super::language::Grammar::Go {
            go_route(file, node)
        } else {
            rust_route(file, node)
        };
        if let Some(route) = found {
            out.push(Route {
                file: file.path.to_string(),
                line: first_line(node),
                route,
            });
        }
    });
    out
}

fn js_route(file: &ParsedFile, node: Node) -> Option<String> {
    match node.kind_name() {
        "call_expression" => {
            let function = node.field("function")?;
            let args = named_children(node.field("arguments")?);
            if function.kind_name() != "member_expression" {
                return None;
            }
            let method = file.text_of(function.field("property")?);
            let object = function.field("object")?;
            if !JS_ROUTE_METHODS.contains(&method) || !is_router_name(object_name(file, object)?) {
                return None;
            }
            let first = *args.first()?;
            if first.kind_name() == "object" && method == "route" {
                // fastify.route({ method: "GET", url: "/health", handler })
                return named_children(first).into_iter().find_map(|pair| {
                    let key = file.text_of(pair.field("key")?);
                    if key == "url" || key == "path" {
                        js_literal_text(file, pair.field("value")?).map(str::to_string)
                    } else {
                        None
                    }
                });
            }
            let path = js_literal_text(file, first)?;
            if method != "route" && args.len() < 2 {
                // `app.get("env")` reads a setting.
                return None;
            }
            Some(path.to_string())
        }
        "decorator" => {
            let call = node
                .named_child(0)
                .filter(|c| c.kind_name() == "call_expression")?;
            let name = file.text_of(call.field("function")?);
            if !NEST_DECORATORS.contains(&name) {
                return None;
            }
            let args = named_children(call.field("arguments")?);
            match args.first() {
                Some(first) => js_literal_text(file, *first).map(str::to_string),
                None => Some("/".to_string()),
            }
        }
        _ => None,
    }
}

const GO_ROUTE_METHODS: &[&str] = &[
    "HandleFunc",
    "Handle",
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "Any",
    "Get",
    "Post",
    "Put",
    "Patch",
    "Delete",
    "Head",
    "Options",
    "All",
    "Add",
    "Match",
];

/// The text of a Go or Rust string literal.
fn go_rust_literal<'a>(file: &ParsedFile<'a>, node: Node) -> Option<&'a str> {
    match node.kind_name() {
        "interpreted_string_literal" | "raw_string_literal" | "string_literal" => {
            let t = file.text_of(node);
            let t = t.trim_start_matches('r').trim_matches('#');
            t.get(1..t.len().saturating_sub(1))
        }
        _ => None,
    }
}

/// net/http, Gin, Echo, Fiber, chi, gorilla: `mux.HandleFunc("GET /x", h)`,
/// `r.GET("/x", h)`, `app.Get("/x", h)`.
fn go_route(file: &ParsedFile, node: Node) -> Option<String> {
    if node.kind_name() != "call_expression" {
        return None;
    }
    let function = node.field("function")?;
    if function.kind_name() != "selector_expression" {
        return None;
    }
    let method = file.text_of(function.field("field")?);
    if !GO_ROUTE_METHODS.contains(&method) {
        return None;
    }
    let args = named_children(node.field("arguments")?);
    if args.len() < 2 {
        return None;
    }
    let pattern = go_rust_literal(file, args[0])?;
    // Go 1.22 patterns carry the method: "GET /orders/{id}".
    let path = pattern.rsplit(' ').next().unwrap_or(pattern);
    path.starts_with('/').then(|| path.to_string())
}

/// axum and actix-web: `.route("/x", get(h))`, `web::resource("/x")`,
/// `#[get("/x")]`.
fn rust_route(file: &ParsedFile, node: Node) -> Option<String> {
    match node.kind_name() {
        "call_expression" => {
            let function = node.field("function")?;
            let name = match function.kind_name() {
                "field_expression" => file.text_of(function.field("field")?),
                "scoped_identifier" => file.text_of(function.field("name")?),
                _ => return None,
            };
            if !matches!(
                name,
                "route" | "resource" | "nest_service" | "route_service"
            ) {
                return None;
            }
            let first = node.field("arguments")?.named_child(0)?;
            let path = go_rust_literal(file, first)?;
            path.starts_with('/').then(|| path.to_string())
        }
        "attribute_item" => {
            let text = file.text_of(node);
            let name = text
                .trim_start_matches("#[")
                .split('(')
                .next()?
                .rsplit("::")
                .next()?;
            if !matches!(
                name,
                "get" | "post" | "put" | "patch" | "delete" | "head" | "route"
            ) {
                return None;
            }
            let path = text.split('"').nth(1)?;
            path.starts_with('/').then(|| path.to_string())
        }
        _ => None,
    }
}

/// The last name in an object expression: `app`, `this.router` → `router`.
fn object_name<'a>(file: &ParsedFile<'a>, object: Node) -> Option<&'a str> {
    match object.kind_name() {
        "identifier" => Some(file.text_of(object)),
        "member_expression" => Some(file.text_of(object.field("property")?)),
        _ => None,
    }
}

fn is_router_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "r" || ROUTER_NAMES.iter().any(|suffix| lower.ends_with(suffix))
}

fn python_route(file: &ParsedFile, node: Node) -> Option<String> {
    match node.kind_name() {
        "decorator" => {
            let call = node.named_child(0).filter(|c| c.kind_name() == "call")?;
            let function = call.field("function")?;
            if function.kind_name() != "attribute" {
                return None;
            }
            let method = file.text_of(function.field("attribute")?);
            if !PY_ROUTE_METHODS.contains(&method) {
                return None;
            }
            let first = call.field("arguments")?.named_child(0)?;
            let path = py_literal_text(file, first)?;
            (path.is_empty() || path.starts_with('/')).then_some(path)
        }
        "call" => {
            let function = call_name(file, node)?;
            let args = named_children(node.field("arguments")?);
            let first = py_literal_text(file, *args.first()?)?;
            let registers = match function {
                "path" | "re_path" | "url" => args.len() >= 2,
                "Route" => args.len() >= 2 && first.starts_with('/'),
                "add_url_rule" | "add_api_route" | "add_route" => first.starts_with('/'),
                _ => false,
            };
            registers.then_some(first)
        }
        _ => None,
    }
}

/// `path` for `path(...)`, `add_url_rule` for `app.add_url_rule(...)`.
fn call_name<'a>(file: &ParsedFile<'a>, call: Node) -> Option<&'a str> {
    let function = call.field("function")?;
    match function.kind_name() {
        "identifier" => Some(file.text_of(function)),
        "attribute" => {
            let name = file.text_of(function.field("attribute")?);
            matches!(name, "add_url_rule" | "add_api_route" | "add_route").then_some(name)
        }
        _ => None,
    }
}

/// Segments that name a health, liveness or readiness endpoint.
const HEALTH_SEGMENTS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "health_check",
    "livez",
    "live",
    "liveness",
    "readyz",
    "ready",
    "readiness",
    "ping",
    "status",
];

/// Is this route a health/readiness endpoint (`/health`, `/api/healthz`,
/// `/readyz`, `/ping`, `/status`, `health/live`)? Routes with parameters
/// (`/orders/:id/status`) are not.
pub fn is_health_route(route: &str) -> bool {
    let cleaned = route
        .trim()
        .trim_start_matches('^')
        .trim_end_matches('$')
        .to_ascii_lowercase();
    let segments: Vec<&str> = cleaned.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty()
        || segments
            .iter()
            .any(|s| s.contains([':', '{', '<', '*', '(', '[']))
    {
        return false;
    }
    let last = segments[segments.len() - 1];
    HEALTH_SEGMENTS.contains(&last)
        || segments.iter().any(|s| {
            [
                "health",
                "healthz",
                "healthcheck",
                "health-check",
                "health_check",
            ]
            .contains(s)
        })
}

#[cfg(test)]
mod tests {
    use super::super::language::Grammar;
    use super::super::syntax::Parsers;
    use super::*;

    fn routes(path: &str, code: &str) -> Vec<(u32, String)> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        collect(&file)
            .into_iter()
            .map(|r| (r.line, r.route))
            .collect()
    }

    #[test]
    fn express_hono_fastify_and_nest_routes_are_found() {
        let code = "app.get('/health', (req, res) => res.send('ok'));\nrouter.post('/orders', createOrder);\nthis.app.route('/items').get(list);\nfastify.route({ method: 'GET', url: '/readyz', handler });\napp.get('env');\naxios.get('/api/users', cfg);\nmap.get('/x', 1);\n@Controller('users') class U { @Get(':id') one() {} }\n";
        assert_eq!(
            routes("src/server.ts", code),
            vec![
                (1, "/health".to_string()),
                (2, "/orders".to_string()),
                (3, "/items".to_string()),
                (4, "/readyz".to_string()),
                (8, "users".to_string()),
                (8, ":id".to_string()),
            ]
        );
    }

    #[test]
    fn fastapi_flask_and_django_routes_are_found() {
        let code = "@app.get(\"/healthz\")\ndef health():\n    return {}\n\n@bp.route(\"/items/<int:id>\", methods=[\"GET\"])\ndef item(id):\n    pass\n\n@pytest.mark.parametrize(\"x\", [1])\ndef test_x(x):\n    pass\n\nurlpatterns = [path(\"ready/\", views.ready), path(\"admin/\", admin.site.urls)]\n";
        assert_eq!(
            routes("app/main.py", code),
            vec![
                (1, "/healthz".to_string()),
                (5, "/items/<int:id>".to_string()),
                (13, "ready/".to_string()),
                (13, "admin/".to_string()),
            ]
        );
    }

    #[test]
    fn go_and_rust_routes_are_found() {
        let go = "package main\nfunc main() {\n\tmux.HandleFunc(\"GET /healthz\", health)\n\tr.GET(\"/orders/:id\", h.Get)\n\tapp.Get(\"/readyz\", func(c *fiber.Ctx) error { return nil })\n\tos.Getenv(\"PORT\")\n}\n";
        assert_eq!(
            routes("main.go", go),
            vec![
                (3, "/healthz".to_string()),
                (4, "/orders/:id".to_string()),
                (5, "/readyz".to_string()),
            ]
        );
        let rs = "#[get(\"/health\")]\nasync fn health() -> &'static str { \"ok\" }\nfn app() -> Router {\n    Router::new().route(\"/orders\", get(list)).route(\"/livez\", get(live))\n}\n";
        assert_eq!(
            routes("src/main.rs", rs),
            vec![
                (1, "/health".to_string()),
                // The outer `.route(...)` call starts first.
                (4, "/livez".to_string()),
                (4, "/orders".to_string()),
            ]
        );
    }

    #[test]
    fn health_routes_are_recognised_with_prefixes_but_not_as_resource_fields() {
        for r in [
            "/health",
            "/healthz",
            "/livez",
            "/readyz",
            "/ready",
            "/ping",
            "/status",
            "/api/health",
            "/api/v1/healthz",
            "healthz/",
            "^health/$",
            "/health/live",
        ] {
            assert!(is_health_route(r), "{r}");
        }
        for r in [
            "/",
            "/orders",
            "/orders/:id/status",
            "/users/{id}/ping",
            "/statuses",
            "/healthy-snacks",
        ] {
            assert!(!is_health_route(r), "{r}");
        }
    }
}
