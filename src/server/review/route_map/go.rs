//! Routes of net/http (Go 1.22 `mux.HandleFunc("GET /x", h)` patterns
//! included), Gin, Echo and Fiber, over Go syntax trees.

use super::super::syntax::{first_line, named_children, ParsedFile};
use super::classify::short;
use super::{FileRoutes, FnRec, Handler, Mount, RawRoute, RouterDef, Use};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

const VERBS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "Any",
];
const FIBER_VERBS: &[&str] = &[
    "Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "All",
];

fn framework_of(text: &str) -> &'static str {
    if text.contains("github.com/gin-gonic/gin") {
        "Gin"
    } else if text.contains("github.com/labstack/echo") {
        "Echo"
    } else if text.contains("github.com/gofiber/fiber") {
        "Fiber"
    } else {
        "net/http"
    }
}

pub fn collect(file: &ParsedFile) -> FileRoutes {
    let framework = framework_of(file.text);
    let mut out = FileRoutes {
        path: file.path.to_string(),
        grammar: Some(file.grammar),
        ..FileRoutes::default()
    };
    file.for_each_of(
        &[
            "function_declaration",
            "method_declaration",
            "short_var_declaration",
            "assignment_statement",
            "var_spec",
        ],
        |node| match node.kind_name() {
            "function_declaration" | "method_declaration" => {
                if let Some(rec) = fn_rec(file, node) {
                    out.functions.push(rec);
                }
            }
            "short_var_declaration" | "assignment_statement" | "var_spec" => {
                declaration(file, node, framework, &mut out)
            }
            _ => {}
        },
    );
    file.for_each_of(&["call_expression"], |node| {
        if node.kind_name() == "call_expression" {
            call(file, node, framework, &mut out);
        }
    });
    out
}

fn fn_rec(file: &ParsedFile, node: Node) -> Option<FnRec> {
    let name = file.text_of(node.field("name")?).to_string();
    let qualifier = node.field("receiver").and_then(|r| {
        let text = file.text_of(r);
        text.trim_matches(['(', ')'])
            .split_whitespace()
            .last()
            .map(|t| t.trim_start_matches('*').to_string())
    });
    Some(FnRec {
        file: file.path.to_string(),
        name,
        qualifier,
        line: first_line(node),
        start: node.start_byte(),
        end: node.end_byte(),
        decorators: Vec::new(),
        params: node
            .field("parameters")
            .map(|p| file.text_of(p).to_string())
            .unwrap_or_default(),
    })
}

/// `r := gin.Default()`, `e := echo.New()`, `app := fiber.New()`,
/// `mux := http.NewServeMux()`, `api := r.Group("/api", auth)`.
fn declaration(file: &ParsedFile, node: Node, framework: &'static str, out: &mut FileRoutes) {
    let (left, right) = match node.kind_name() {
        "var_spec" => (node.field("name"), node.field("value")),
        _ => (node.field("left"), node.field("right")),
    };
    let (Some(left), Some(right)) = (left, right) else {
        return;
    };
    let Some(var) = left.named_child(0).map(|n| file.text_of(n).to_string()) else {
        return;
    };
    let Some(value) = right
        .named_child(0)
        .filter(|v| v.kind_name() == "call_expression")
    else {
        return;
    };
    let Some(function) = value.field("function") else {
        return;
    };
    let ftext = file.text_of(function);
    let root = matches!(
        ftext,
        "gin.Default"
            | "gin.New"
            | "echo.New"
            | "fiber.New"
            | "http.NewServeMux"
            | "chi.NewRouter"
            | "mux.NewRouter"
    );
    if root {
        out.routers.push(RouterDef {
            var,
            prefix: String::new(),
            middleware: Vec::new(),
            root: true,
            framework,
        });
        return;
    }
    if function.kind_name() == "selector_expression"
        && function
            .field("field")
            .is_some_and(|f| matches!(file.text_of(f), "Group" | "PathPrefix" | "Subrouter"))
    {
        let Some(parent) = function.field("operand").map(|o| owner_of(file, o)) else {
            return;
        };
        let args = value
            .field("arguments")
            .map(named_children)
            .unwrap_or_default();
        let prefix = args
            .first()
            .and_then(|a| go_string(file, *a))
            .unwrap_or_default();
        let middleware = args
            .iter()
            .skip(1)
            .map(|m| short(file.text_of(*m)))
            .collect();
        out.routers.push(RouterDef {
            var: var.clone(),
            prefix: String::new(),
            middleware: Vec::new(),
            root: false,
            framework,
        });
        out.mounts.push(Mount {
            parent,
            prefix,
            child: var,
            middleware,
            line: first_line(node),
        });
    }
}

pub fn go_string(file: &ParsedFile, node: Node) -> Option<String> {
    match node.kind_name() {
        "interpreted_string_literal" | "raw_string_literal" => {
            let t = file.text_of(node);
            Some(t.get(1..t.len().saturating_sub(1))?.to_string())
        }
        _ => None,
    }
}

/// The router a call is made on; a parameter of the enclosing function
/// (`func registerOrders(g *gin.RouterGroup)`) is `fn:registerOrders`.
fn owner_of(file: &ParsedFile, operand: Node) -> String {
    let name = file.text_of(operand);
    if operand.kind_name() == "identifier" {
        for anc in file.ancestors(operand) {
            if !matches!(
                anc.kind_name(),
                "function_declaration" | "method_declaration"
            ) {
                continue;
            }
            let params = anc.field("parameters");
            let is_param = params.is_some_and(|p| {
                named_children(p).iter().any(|decl| {
                    named_children(*decl)
                        .iter()
                        .any(|n| n.kind_name() == "identifier" && file.text_of(*n) == name)
                })
            });
            if is_param {
                let fname = anc.field("name").map(|n| file.text_of(n)).unwrap_or("");
                return format!("fn:{fname}");
            }
            break;
        }
    }
    name.to_string()
}

fn call(file: &ParsedFile, node: Node, framework: &'static str, out: &mut FileRoutes) {
    let Some(function) = node.field("function") else {
        return;
    };
    let args = node
        .field("arguments")
        .map(named_children)
        .unwrap_or_default();
    let line = first_line(node);
    if function.kind_name() == "identifier"
        || (function.kind_name() == "selector_expression" && !is_router_call(file, function, out))
    {
        // registerOrders(api): a function that registers routes on a router.
        for arg in &args {
            if arg.kind_name() == "identifier" {
                let name = file.text_of(*arg);
                if out.routers.iter().any(|r| r.var == name)
                    || owner_of(file, *arg).starts_with("fn:") && is_router_param(file, *arg)
                {
                    let callee = match function.kind_name() {
                        "selector_expression" => function
                            .field("field")
                            .map(|f| file.text_of(f))
                            .unwrap_or(""),
                        _ => file.text_of(function),
                    };
                    out.mounts.push(Mount {
                        parent: owner_of(file, *arg),
                        prefix: String::new(),
                        child: format!("fn:{callee}"),
                        middleware: Vec::new(),
                        line,
                    });
                }
            }
        }
        return;
    }
    if function.kind_name() != "selector_expression" {
        return;
    }
    let (Some(operand), Some(field)) = (function.field("operand"), function.field("field")) else {
        return;
    };
    let method = file.text_of(field);
    let owner = owner_of(file, operand);
    match method {
        "HandleFunc" | "Handle" => {
            let Some(pattern) = args.first().and_then(|a| go_string(file, *a)) else {
                return;
            };
            let Some(h) = args.get(1) else { return };
            let (methods, path) = match pattern.split_once(' ') {
                Some((m, p)) if m.chars().all(|c| c.is_ascii_uppercase()) && !m.is_empty() => {
                    (vec![m.to_string()], p.trim().to_string())
                }
                _ => (vec!["ANY".to_string()], pattern.clone()),
            };
            // gorilla/mux: .HandleFunc("/x", h).Methods("POST")
            let methods = gorilla_methods(file, node).unwrap_or(methods);
            let mut middleware = Vec::new();
            let handler = unwrap_handler(file, *h, &mut middleware);
            out.routes.push(RawRoute {
                owner,
                methods,
                path,
                handler,
                line,
                middleware,
                schema: None,
                framework: "net/http",
            });
        }
        m if VERBS.contains(&m) || FIBER_VERBS.contains(&m) || m == "Handle" => {
            let Some(path) = args.first().and_then(|a| go_string(file, *a)) else {
                return;
            };
            let rest = &args[1..];
            if rest.is_empty() {
                return;
            }
            // Echo: e.GET(path, handler, middleware...); Gin/Fiber: middleware..., handler.
            let echo = framework == "Echo";
            let (handler_node, mw): (Node, Vec<Node>) = if echo {
                (rest[0], rest[1..].to_vec())
            } else {
                (rest[rest.len() - 1], rest[..rest.len() - 1].to_vec())
            };
            let mut middleware: Vec<String> = mw.iter().map(|m| short(file.text_of(*m))).collect();
            let handler = unwrap_handler(file, handler_node, &mut middleware);
            let verb = if m == "Any" || m == "All" {
                "ANY".to_string()
            } else {
                m.to_ascii_uppercase()
            };
            out.routes.push(RawRoute {
                owner,
                methods: vec![verb],
                path,
                handler,
                line,
                middleware,
                schema: None,
                framework,
            });
        }
        "Use" | "Pre" => {
            let middleware: Vec<String> = args.iter().map(|a| short(file.text_of(*a))).collect();
            if !middleware.is_empty() {
                out.uses.push(Use {
                    router: owner,
                    middleware,
                    line,
                    prefix: None,
                    all: framework == "Echo",
                });
            }
        }
        "Route" => {
            // chi: r.Route("/x", func(r chi.Router) { ... }) — routes inside are on the closure's parameter.
            let Some(prefix) = args.first().and_then(|a| go_string(file, *a)) else {
                return;
            };
            if let Some(closure) = args.get(1).filter(|a| a.kind_name() == "func_literal") {
                out.mounts.push(Mount {
                    parent: owner,
                    prefix,
                    child: format!("closure@{}", first_line(*closure)),
                    middleware: Vec::new(),
                    line,
                });
            }
        }
        _ => {}
    }
}

fn is_router_call(file: &ParsedFile, function: Node, out: &FileRoutes) -> bool {
    let Some(field) = function.field("field").map(|f| file.text_of(f)) else {
        return false;
    };
    let operand = function
        .field("operand")
        .map(|o| file.text_of(o))
        .unwrap_or("");
    matches!(
        field,
        "HandleFunc" | "Handle" | "Use" | "Pre" | "Route" | "Group"
    ) || ((VERBS.contains(&field) || FIBER_VERBS.contains(&field))
        && (out.routers.iter().any(|r| r.var == operand)
            || operand.len() <= 3
            || operand.ends_with("outer")
            || operand.ends_with("pp")
            || operand.ends_with("pi")))
}

fn is_router_param(file: &ParsedFile, arg: Node) -> bool {
    let name = file.text_of(arg);
    file.ancestors(arg)
        .find(|a| matches!(a.kind_name(), "function_declaration" | "method_declaration"))
        .and_then(|f| f.field("parameters"))
        .is_some_and(|p| {
            named_children(p).iter().any(|decl| {
                let text = file.text_of(*decl);
                text.split_whitespace().next() == Some(name)
                    && [
                        "gin.RouterGroup",
                        "gin.Engine",
                        "gin.IRouter",
                        "echo.Echo",
                        "echo.Group",
                        "fiber.Router",
                        "fiber.App",
                        "http.ServeMux",
                        "chi.Router",
                        "mux.Router",
                    ]
                    .iter()
                    .any(|t| text.contains(t))
            })
        })
}

fn gorilla_methods(file: &ParsedFile, call: Node) -> Option<Vec<String>> {
    let parent = file.parent(call)?;
    if parent.kind_name() != "selector_expression" {
        return None;
    }
    if parent.field("field").map(|f| file.text_of(f)) != Some("Methods") {
        return None;
    }
    let outer = file.parent(parent)?;
    let args = outer.field("arguments").map(named_children)?;
    let methods: Vec<String> = args.iter().filter_map(|a| go_string(file, *a)).collect();
    (!methods.is_empty()).then_some(methods)
}

/// `requireAuth(http.HandlerFunc(h.create))` → handler `h.create`, middleware
/// `requireAuth`.
fn unwrap_handler(file: &ParsedFile, node: Node, middleware: &mut Vec<String>) -> Handler {
    match node.kind_name() {
        "identifier" => Handler::Named {
            name: file.text_of(node).to_string(),
            qualifier: None,
        },
        "selector_expression" => Handler::Named {
            name: node
                .field("field")
                .map(|f| file.text_of(f).to_string())
                .unwrap_or_default(),
            qualifier: node.field("operand").map(|o| file.text_of(o).to_string()),
        },
        "func_literal" => Handler::Inline(FnRec {
            file: file.path.to_string(),
            name: "inline handler".into(),
            qualifier: None,
            line: first_line(node),
            start: node.start_byte(),
            end: node.end_byte(),
            decorators: Vec::new(),
            params: node
                .field("parameters")
                .map(|p| file.text_of(p).to_string())
                .unwrap_or_default(),
        }),
        "call_expression" => {
            let function = node
                .field("function")
                .map(|f| file.text_of(f))
                .unwrap_or("");
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            if !matches!(function, "http.HandlerFunc" | "http.Handler") {
                middleware.push(short(function));
            }
            match args.last() {
                Some(inner) => unwrap_handler(file, *inner, middleware),
                None => Handler::Unknown,
            }
        }
        _ => Handler::Unknown,
    }
}
