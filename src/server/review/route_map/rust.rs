//! Routes of axum (`Router::new().route("/x", get(h).post(h2))`, `.nest`,
//! `.merge`, `.layer`, `.route_layer`) and actix-web (`#[get("/x")]` macros,
//! `App::new().service(..)`, `web::scope`, `web::resource`, `.route`,
//! `.wrap`, `.configure`), over Rust syntax trees.

use super::super::syntax::{first_line, named_children, ParsedFile};
use super::classify::short;
use super::{FileRoutes, FnRec, Handler, Mount, RawRoute, RouterDef, Use};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

const AXUM_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "any", "trace",
];
const ACTIX_ATTRS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "route",
];

pub fn collect(file: &ParsedFile) -> FileRoutes {
    let framework = if file.mentions("actix_web") {
        "actix-web"
    } else {
        "axum"
    };
    let mut out = FileRoutes {
        path: file.path.to_string(),
        grammar: Some(file.grammar),
        ..FileRoutes::default()
    };
    file.for_each_of(&["function_item"], |node| {
        if node.kind_name() == "function_item" {
            function(file, node, &mut out);
        }
    });
    file.for_each_of(&["call_expression"], |node| {
        if node.kind_name() == "call_expression" && is_chain_top(file, node) {
            chain(file, node, framework, &mut out);
        }
    });
    out
}

fn attributes(file: &ParsedFile, node: Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev = node.prev_named_sibling();
    while let Some(p) = prev {
        match p.kind_name() {
            "attribute_item" => out.push(
                file.text_of(p)
                    .trim_start_matches("#[")
                    .trim_end_matches(']')
                    .to_string(),
            ),
            "line_comment" | "block_comment" => {}
            _ => break,
        }
        prev = p.prev_named_sibling();
    }
    out.reverse();
    out
}

/// Records the function; an actix route macro on it is a route owned by
/// `attr:NAME` (mounted where `.service(NAME)` names it).
fn function(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let Some(name) = node.field("name").map(|n| file.text_of(n).to_string()) else {
        return;
    };
    let attrs = attributes(file, node);
    let qualifier = file
        .ancestors(node)
        .find(|a| a.kind_name() == "impl_item")
        .and_then(|i| i.field("type"))
        .map(|t| file.text_of(t).to_string());
    out.functions.push(FnRec {
        file: file.path.to_string(),
        name: name.clone(),
        qualifier,
        line: first_line(node),
        start: node.start_byte(),
        end: node.end_byte(),
        decorators: attrs.clone(),
        params: node
            .field("parameters")
            .map(|p| file.text_of(p).to_string())
            .unwrap_or_default(),
    });
    for attr in &attrs {
        let (macro_name, args) = attr.split_once('(').unwrap_or((attr, ""));
        let macro_name = macro_name.trim().rsplit("::").next().unwrap_or("");
        if !ACTIX_ATTRS.contains(&macro_name) {
            continue;
        }
        let Some(path) = args.split('"').nth(1) else {
            continue;
        };
        let methods = if macro_name == "route" {
            let listed: Vec<String> = args
                .split("method")
                .skip(1)
                .filter_map(|m| m.split('"').nth(1))
                .map(|m| m.to_ascii_uppercase())
                .collect();
            if listed.is_empty() {
                vec!["ANY".to_string()]
            } else {
                listed
            }
        } else {
            vec![macro_name.to_ascii_uppercase()]
        };
        let mut middleware: Vec<String> = attrs
            .iter()
            .filter(|a| *a != attr)
            .map(|a| short(a))
            .collect();
        if let Some(w) = args.split("wrap").nth(1).and_then(|w| w.split('"').nth(1)) {
            middleware.push(short(w));
        }
        out.routes.push(RawRoute {
            owner: format!("attr:{name}"),
            methods,
            path: path.to_string(),
            handler: Handler::Named {
                name: name.clone(),
                qualifier: None,
            },
            line: first_line(node),
            middleware,
            schema: None,
            framework: "actix-web",
        });
    }
}

fn is_chain_top(file: &ParsedFile, node: Node) -> bool {
    match file.parent(node) {
        Some(p) => p.kind_name() != "field_expression",
        None => true,
    }
}

struct Step<'a> {
    name: &'a str,
    /// 1-based line of the method name (a chain's call nodes all start
    /// where the chain starts).
    line: u32,
    args: Vec<Node<'a>>,
}

/// `a.b(x).c(y)` → base `a`, steps `[b(x), c(y)]`.
fn unroll<'a>(file: &ParsedFile<'a>, top: Node<'a>) -> (Node<'a>, Vec<Step<'a>>) {
    let mut steps = Vec::new();
    let mut node = top;
    for _ in 0..256 {
        if node.kind_name() != "call_expression" {
            break;
        }
        let Some(function) = node.field("function") else {
            break;
        };
        if function.kind_name() != "field_expression" {
            break;
        }
        let (Some(value), Some(field)) = (function.field("value"), function.field("field")) else {
            break;
        };
        steps.push(Step {
            name: file.text_of(field),
            line: first_line(field),
            args: node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default(),
        });
        node = value;
    }
    steps.reverse();
    (node, steps)
}

fn callee_text<'a>(file: &ParsedFile<'a>, call: Node) -> &'a str {
    call.field("function")
        .map(|f| file.text_of(f))
        .unwrap_or("")
}

fn rust_string(file: &ParsedFile, node: Node) -> Option<String> {
    if node.kind_name() != "string_literal" && node.kind_name() != "raw_string_literal" {
        return None;
    }
    let t = file.text_of(node);
    let start = t.find('"')? + 1;
    let end = t.rfind('"')?;
    (end >= start).then(|| t[start..end].to_string())
}

/// Owner of a chain: the `let` it is bound to, `fn:NAME` when it is a
/// function's result or starts from a parameter, `scope@BYTE` for a
/// `web::scope`/`web::resource` given to `.service(...)`.
fn chain_owner(file: &ParsedFile, top: Node, base: Node) -> (String, bool) {
    let base_text = file.text_of(base);
    if base.kind_name() == "call_expression" {
        let callee = callee_text(file, base);
        if callee.ends_with("scope") || callee.ends_with("resource") {
            return (format!("scope@{}", top.start_byte()), false);
        }
    }
    let enclosing_fn = file
        .ancestors(top)
        .find(|a| a.kind_name() == "function_item");
    let fn_name = enclosing_fn
        .and_then(|f| f.field("name"))
        .map(|n| file.text_of(n).to_string())
        .unwrap_or_default();
    if base.kind_name() == "identifier" {
        let is_param = enclosing_fn
            .and_then(|f| f.field("parameters"))
            .is_some_and(|p| {
                named_children(p).iter().any(|param| {
                    param.field("pattern").is_some_and(|pat| {
                        file.text_of(pat).trim_start_matches("mut ") == base_text
                    })
                })
            });
        if is_param {
            return (format!("fn:{fn_name}"), false);
        }
    }
    for anc in file.ancestors(top).take(4) {
        if anc.kind_name() == "let_declaration" {
            if let Some(pattern) = anc.field("pattern") {
                let var = file
                    .text_of(pattern)
                    .trim_start_matches("mut ")
                    .trim()
                    .to_string();
                let root = fn_name == "main" || callee_text(file, base).contains("App::new");
                return (var, root);
            }
        }
        if anc.kind_name() == "function_item" {
            break;
        }
    }
    // The function's result (tail expression or `return`).
    let parent = file.parent(top);
    let is_tail = parent.is_some_and(|p| {
        (p.kind_name() == "block"
            && p.named_child(p.named_child_count().saturating_sub(1))
                .map(|n| n.id())
                == Some(top.id()))
            || p.kind_name() == "return_expression"
    });
    if is_tail && !fn_name.is_empty() && fn_name != "main" {
        return (format!("fn:{fn_name}"), false);
    }
    (format!("app@{}", file.path), true)
}

fn chain(file: &ParsedFile, top: Node, framework: &'static str, out: &mut FileRoutes) {
    let (base, steps) = unroll(file, top);
    let relevant = steps.iter().any(|s| {
        matches!(
            s.name,
            "route"
                | "nest"
                | "merge"
                | "layer"
                | "route_layer"
                | "service"
                | "wrap"
                | "configure"
                | "nest_service"
                | "to"
        )
    });
    if !relevant {
        return;
    }
    let base_text = file.text_of(base);
    let base_callee = if base.kind_name() == "call_expression" {
        callee_text(file, base)
    } else {
        ""
    };
    let is_router_base = base_callee.ends_with("Router::new")
        || base_callee.ends_with("App::new")
        || base_callee.ends_with("scope")
        || base_callee.ends_with("resource")
        || base.kind_name() == "identifier";
    if !is_router_base {
        return;
    }
    let (owner, root) = chain_owner(file, top, base);
    let mut prefix = String::new();
    if base_callee.ends_with("scope") || base_callee.ends_with("resource") {
        let arg = base.field("arguments").and_then(|a| a.named_child(0));
        prefix = arg.and_then(|a| rust_string(file, a)).unwrap_or_default();
    }
    if !out.routers.iter().any(|r| r.var == owner) {
        out.routers.push(RouterDef {
            var: owner.clone(),
            prefix,
            middleware: Vec::new(),
            root,
            framework,
        });
    }
    if base.kind_name() == "identifier" && !owner.starts_with("fn:") && base_text != owner {
        out.mounts.push(Mount {
            parent: owner.clone(),
            prefix: String::new(),
            child: base_text.to_string(),
            middleware: Vec::new(),
            line: first_line(top),
        });
    }
    let routes_before = out.routes.len();
    let mounts_before = out.mounts.len();
    for step in &steps {
        let line = step.line;
        match step.name {
            "route" => {
                let (path, method_router) = match step.args.as_slice() {
                    [p, m] => (rust_string(file, *p).unwrap_or_default(), *m),
                    [m] => (String::new(), *m),
                    _ => continue,
                };
                for (methods, handler, middleware) in method_router_entries(file, method_router) {
                    out.routes.push(RawRoute {
                        owner: owner.clone(),
                        methods,
                        path: path.clone(),
                        handler,
                        line,
                        middleware,
                        schema: None,
                        framework,
                    });
                }
            }
            "to" if base_callee.ends_with("resource") => {
                if let Some(h) = step.args.first() {
                    out.routes.push(RawRoute {
                        owner: owner.clone(),
                        methods: vec!["ANY".into()],
                        path: String::new(),
                        handler: handler_of(file, *h),
                        line,
                        middleware: Vec::new(),
                        schema: None,
                        framework,
                    });
                }
            }
            "nest" | "nest_service" | "merge" | "service" | "configure" => {
                let (p, child) = match (step.name, step.args.as_slice()) {
                    ("nest" | "nest_service", [p, c]) => {
                        (rust_string(file, *p).unwrap_or_default(), *c)
                    }
                    (_, [c]) => (String::new(), *c),
                    _ => continue,
                };
                if let Some(child) = child_ref(file, child, step.name) {
                    out.mounts.push(Mount {
                        parent: owner.clone(),
                        prefix: p,
                        child,
                        middleware: Vec::new(),
                        line,
                    });
                }
            }
            "layer" | "route_layer" => {
                let Some(l) = step.args.first() else { continue };
                let name = short(file.text_of(*l));
                // axum: a layer wraps what was added before it.
                for route in &mut out.routes[routes_before..] {
                    route.middleware.push(name.clone());
                }
                for mount in &mut out.mounts[mounts_before..] {
                    mount.middleware.push(name.clone());
                }
                if base.kind_name() == "identifier" {
                    out.uses.push(Use {
                        router: owner.clone(),
                        middleware: vec![name],
                        line,
                        prefix: None,
                        all: true,
                    });
                }
            }
            "wrap" => {
                // actix: wraps every service of the app or scope.
                let Some(l) = step.args.first() else { continue };
                out.uses.push(Use {
                    router: owner.clone(),
                    middleware: vec![short(file.text_of(*l))],
                    line,
                    prefix: None,
                    all: true,
                });
            }
            _ => {}
        }
    }
}

fn child_ref(file: &ParsedFile, node: Node, step: &str) -> Option<String> {
    match node.kind_name() {
        "identifier" if step == "service" => Some(format!("attr:{}", file.text_of(node))),
        "identifier" if step == "configure" => Some(format!("fn:{}", file.text_of(node))),
        "scoped_identifier" if step == "service" => {
            Some(format!("attr:{}", file.text_of(node).rsplit("::").next()?))
        }
        "scoped_identifier" if step == "configure" => {
            Some(format!("fn:{}", file.text_of(node).rsplit("::").next()?))
        }
        "identifier" => Some(file.text_of(node).to_string()),
        "call_expression" => {
            let callee = callee_text(file, node);
            if callee.ends_with("scope")
                || callee.ends_with("resource")
                || callee.ends_with("Router::new")
            {
                // An inline scope without a chain: nothing to mount.
                return None;
            }
            if node
                .field("function")
                .is_some_and(|f| f.kind_name() == "field_expression")
            {
                // web::scope("/x").service(..): the chain top is this node.
                return Some(format!("scope@{}", node.start_byte()));
            }
            Some(format!(
                "fn:{}",
                callee.rsplit("::").next().unwrap_or(callee)
            ))
        }
        _ => None,
    }
}

/// `get(h).post(h2).layer(l)`, `web::get().to(h)`, `on(MethodFilter::POST, h)`.
fn method_router_entries(
    file: &ParsedFile,
    node: Node,
) -> Vec<(Vec<String>, Handler, Vec<String>)> {
    let mut out = Vec::new();
    let (base, steps) = unroll(file, node);
    let mut layers = Vec::new();
    // axum: base `get(h)`; actix: base `web::get()` then `.to(h)`.
    if base.kind_name() == "call_expression" {
        let callee = callee_text(file, base);
        let name = callee.rsplit("::").next().unwrap_or(callee);
        let args = base
            .field("arguments")
            .map(named_children)
            .unwrap_or_default();
        if AXUM_METHODS.contains(&name) {
            let method = if name == "any" {
                "ANY".to_string()
            } else {
                name.to_ascii_uppercase()
            };
            match args.first() {
                Some(h) => out.push((vec![method], handler_of(file, *h), Vec::new())),
                None => {
                    // actix: web::get().to(h)
                    if let Some(to) = steps.iter().find(|s| s.name == "to") {
                        if let Some(h) = to.args.first() {
                            out.push((vec![method], handler_of(file, *h), Vec::new()));
                        }
                    }
                }
            }
        } else if name == "on" && args.len() == 2 {
            let filter = file.text_of(args[0]);
            let method = filter
                .rsplit("::")
                .next()
                .unwrap_or(filter)
                .to_ascii_uppercase();
            out.push((vec![method], handler_of(file, args[1]), Vec::new()));
        }
    }
    for step in &steps {
        if AXUM_METHODS.contains(&step.name) {
            if let Some(h) = step.args.first() {
                let method = if step.name == "any" {
                    "ANY".to_string()
                } else {
                    step.name.to_ascii_uppercase()
                };
                out.push((vec![method], handler_of(file, *h), Vec::new()));
            }
        } else if matches!(step.name, "layer" | "route_layer" | "wrap") {
            if let Some(l) = step.args.first() {
                layers.push(short(file.text_of(*l)));
            }
        }
    }
    for entry in &mut out {
        entry.2.extend(layers.iter().cloned());
    }
    out
}

fn handler_of(file: &ParsedFile, node: Node) -> Handler {
    match node.kind_name() {
        "identifier" => Handler::Named {
            name: file.text_of(node).to_string(),
            qualifier: None,
        },
        "scoped_identifier" => {
            let text = file.text_of(node);
            let (q, n) = text.rsplit_once("::").unwrap_or(("", text));
            Handler::Named {
                name: n.to_string(),
                qualifier: (!q.is_empty()).then(|| q.to_string()),
            }
        }
        "closure_expression" => Handler::Inline(FnRec {
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
        _ => Handler::Unknown,
    }
}
