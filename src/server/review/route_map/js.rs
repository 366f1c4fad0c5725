//! Routes of Express, Fastify, Hono, Koa and NestJS, over TypeScript/JavaScript
//! syntax trees.

use super::super::syntax::{
    first_line, js_literal_text, named_children, unwrap_expression, ParsedFile,
};
use super::classify::short;
use super::{FileRoutes, FnRec, Global, GlobalKind, Handler, Mount, RawRoute, RouterDef, Use};
use crate::server::review::syntax::NodeExt;
use regex::Regex;
use std::sync::LazyLock;
use tree_sitter::Node;

const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "head", "options",
];
const NEST_METHODS: &[&str] = &[
    "Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options",
];

static ROUTER_CTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:await\s+)?(new\s+)?(express\s*\.\s*Router|express|Router|KoaRouter|Hono|Koa|Fastify|fastify|OpenAPIHono)\s*(?:<[^>]*>)?\s*\(").unwrap()
});
static PREFIX_OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"prefix\s*:\s*['"`]([^'"`]*)['"`]"#).unwrap());
static BASE_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.basePath\(\s*['"`]([^'"`]*)['"`]"#).unwrap());
static CONTROLLER_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"Controller\(\s*(?:\{[^}]*path\s*:\s*)?['"`]([^'"`]*)['"`]"#).unwrap()
});
static FIRST_STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*['"`]([^'"`]*)['"`]"#).unwrap());
static GLOBAL_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"setGlobalPrefix\(\s*['"`]([^'"`]*)['"`]"#).unwrap());
static APP_GUARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"provide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*(\w+)").unwrap());
static GLOBAL_GUARDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"useGlobalGuards\(\s*(?:new\s+)?(\w+)").unwrap());

pub fn collect(file: &ParsedFile) -> FileRoutes {
    let mut out = FileRoutes {
        path: file.path.to_string(),
        grammar: Some(file.grammar),
        ..FileRoutes::default()
    };
    globals(file, &mut out);
    // Routers, imports, exports and functions first: registrations refer to them.
    file.for_each_of(
        &[
            "variable_declarator",
            "import_statement",
            "export_statement",
            "assignment_expression",
            "function_declaration",
            "method_definition",
            "public_field_definition",
            "pair",
        ],
        |node| match node.kind_name() {
            "variable_declarator" => declarator(file, node, &mut out),
            "import_statement" => import(file, node, &mut out),
            "export_statement" => export(file, node, &mut out),
            "assignment_expression" => module_exports(file, node, &mut out),
            "function_declaration" | "method_definition" | "public_field_definition" | "pair" => {
                if let Some(rec) = function_rec(file, node) {
                    out.functions.push(rec);
                }
            }
            _ => {}
        },
    );
    file.for_each_of(
        &["call_expression", "class_declaration"],
        |node| match node.kind_name() {
            "call_expression" => call(file, node, &mut out),
            "class_declaration" => nest_controller(file, node, &mut out),
            _ => {}
        },
    );
    out
}

fn globals(file: &ParsedFile, out: &mut FileRoutes) {
    let line_at = |offset: usize| file.text[..offset].matches('\n').count() as u32 + 1;
    let mut push = |kind, name: String, offset| {
        out.globals.push(Global {
            kind,
            name,
            file: file.path.to_string(),
            line: line_at(offset),
        })
    };
    for c in GLOBAL_PREFIX.captures_iter(file.text) {
        push(
            GlobalKind::Prefix,
            c[1].to_string(),
            c.get(0).unwrap().start(),
        );
    }
    for c in APP_GUARD
        .captures_iter(file.text)
        .chain(GLOBAL_GUARDS.captures_iter(file.text))
    {
        let name = c[1].to_string();
        let kind = if super::classify::role(&name) == super::classify::Role::RateLimit {
            GlobalKind::RateLimit
        } else {
            GlobalKind::AuthGuard
        };
        push(kind, name, c.get(0).unwrap().start());
    }
    if let Some(at) = file.text.find("useGlobalPipes(") {
        if file.text[at..]
            .chars()
            .take(200)
            .collect::<String>()
            .contains("ValidationPipe")
        {
            push(GlobalKind::ValidationPipe, "ValidationPipe".to_string(), at);
        }
    }
}

fn declarator(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let (Some(name), Some(value)) = (node.field("name"), node.field("value")) else {
        return;
    };
    let var = file.text_of(name).to_string();
    let value = unwrap_expression(value);
    let text = file.text_of(value);
    if let Some(c) = ROUTER_CTOR.captures(text) {
        let ctor = c[2].replace(' ', "");
        let (framework, root) = match ctor.as_str() {
            "express" => ("Express", true),
            "express.Router" => ("Express", false),
            "Router" | "KoaRouter" => ("", false),
            "Hono" | "OpenAPIHono" => ("Hono", true),
            "Koa" => ("Koa", true),
            _ => ("Fastify", true),
        };
        let mut prefix = String::new();
        // new Router({ prefix: "/api" }), new Hono().basePath("/api")
        if let Some(p) = PREFIX_OPTION.captures(text) {
            prefix = p[1].to_string();
        }
        if let Some(p) = BASE_PATH.captures(text) {
            prefix = p[1].to_string();
        }
        out.routers.push(RouterDef {
            var,
            prefix,
            middleware: Vec::new(),
            root,
            framework,
        });
        return;
    }
    // const users = require("./users")
    if value.kind_name() == "call_expression" {
        if let Some(module) = require_of(file, value) {
            out.imports.push((var.clone(), module, None));
        }
    }
    if matches!(
        value.kind_name(),
        "arrow_function" | "function_expression" | "function"
    ) {
        out.functions
            .push(fn_rec(file, value, var, None, Vec::new()));
    }
}

fn require_of(file: &ParsedFile, call: Node) -> Option<String> {
    let function = call.field("function")?;
    if file.text_of(function) != "require" {
        return None;
    }
    let arg = call.field("arguments")?.named_child(0)?;
    js_literal_text(file, arg).map(str::to_string)
}

fn import(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let Some(source) = node.field("source").and_then(|s| js_literal_text(file, s)) else {
        return;
    };
    for clause in named_children(node)
        .into_iter()
        .filter(|c| c.kind_name() == "import_clause")
    {
        for part in named_children(clause) {
            match part.kind_name() {
                "identifier" => {
                    out.imports
                        .push((file.text_of(part).to_string(), source.to_string(), None))
                }
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        out.imports
                            .push((file.text_of(id).to_string(), source.to_string(), None));
                    }
                }
                "named_imports" => {
                    for spec in named_children(part) {
                        let Some(name) = spec.field("name") else {
                            continue;
                        };
                        let alias = spec.field("alias").unwrap_or(name);
                        out.imports.push((
                            file.text_of(alias).to_string(),
                            source.to_string(),
                            Some(file.text_of(name).to_string()),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}

fn export(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let text = file.text_of(node);
    if !text.starts_with("export default") {
        return;
    }
    if let Some(value) = node.field("value") {
        let value = unwrap_expression(value);
        match value.kind_name() {
            "identifier" => out.default_export = Some(file.text_of(value).to_string()),
            "arrow_function" | "function_expression" | "function" => {
                out.default_export = Some("fn:default".to_string());
                out.functions
                    .push(fn_rec(file, value, "default".to_string(), None, Vec::new()));
            }
            _ => {}
        }
    } else if let Some(decl) = node.field("declaration") {
        if decl.kind_name() == "function_declaration" {
            let name = decl
                .field("name")
                .map(|n| file.text_of(n))
                .unwrap_or("default");
            out.default_export = Some(format!("fn:{name}"));
        } else if let Some(name) = decl.field("name") {
            out.default_export = Some(file.text_of(name).to_string());
        }
    }
}

/// `module.exports = router`
fn module_exports(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
        return;
    };
    if file.text_of(left) != "module.exports" {
        return;
    }
    let right = unwrap_expression(right);
    match right.kind_name() {
        "identifier" => out.default_export = Some(file.text_of(right).to_string()),
        "arrow_function" | "function_expression" | "function" => {
            out.default_export = Some("fn:default".to_string());
            out.functions
                .push(fn_rec(file, right, "default".to_string(), None, Vec::new()));
        }
        _ => {}
    }
}

fn function_rec(file: &ParsedFile, node: Node) -> Option<FnRec> {
    match node.kind_name() {
        "function_declaration" => {
            let name = file.text_of(node.field("name")?).to_string();
            Some(fn_rec(file, node, name, None, Vec::new()))
        }
        "method_definition" => {
            let name = file.text_of(node.field("name")?).to_string();
            let class = enclosing_class(file, node);
            Some(fn_rec(
                file,
                node,
                name,
                class,
                preceding_decorators(file, node),
            ))
        }
        "public_field_definition" | "pair" => {
            let key = node.field("name").or_else(|| node.field("key"))?;
            let value = unwrap_expression(node.field("value")?);
            if !matches!(
                value.kind_name(),
                "arrow_function" | "function_expression" | "function"
            ) {
                return None;
            }
            let qualifier = if node.kind_name() == "pair" {
                // const ordersController = { create: async (req, res) => {} }
                file.ancestors(node)
                    .find(|a| a.kind_name() == "variable_declarator")
                    .and_then(|d| d.field("name"))
                    .map(|n| file.text_of(n).to_string())
            } else {
                enclosing_class(file, node)
            };
            Some(fn_rec(
                file,
                value,
                file.text_of(key).to_string(),
                qualifier,
                Vec::new(),
            ))
        }
        _ => None,
    }
}

fn enclosing_class(file: &ParsedFile, node: Node) -> Option<String> {
    file.ancestors(node)
        .find(|a| matches!(a.kind_name(), "class_declaration" | "class"))
        .and_then(|c| c.field("name"))
        .map(|n| file.text_of(n).to_string())
}

/// Decorators written before a class member (siblings in the class body).
fn preceding_decorators(file: &ParsedFile, node: Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev = node.prev_named_sibling();
    while let Some(p) = prev {
        if p.kind_name() != "decorator" {
            break;
        }
        out.push(file.text_of(p).trim_start_matches('@').to_string());
        prev = p.prev_named_sibling();
    }
    out.reverse();
    // Decorators can also be children of the member itself.
    for child in named_children(node) {
        if child.kind_name() == "decorator" {
            out.push(file.text_of(child).trim_start_matches('@').to_string());
        }
    }
    out
}

fn fn_rec(
    file: &ParsedFile,
    node: Node,
    name: String,
    qualifier: Option<String>,
    decorators: Vec<String>,
) -> FnRec {
    let params = node
        .field("parameters")
        .or_else(|| node.field("parameter"))
        .map(|p| file.text_of(p).to_string())
        .unwrap_or_default();
    FnRec {
        file: file.path.to_string(),
        name,
        qualifier,
        line: first_line(node),
        start: node.start_byte(),
        end: node.end_byte(),
        decorators,
        params,
    }
}

/// The router a registration is made on: `app`, `this.router` → `router`. A
/// parameter of the enclosing function is `fn:NAME` (a plugin or a
/// `(app) => { … }` route module).
fn owner_of(file: &ParsedFile, object: Node) -> Option<String> {
    let name = match object.kind_name() {
        "identifier" => file.text_of(object),
        "member_expression" => file.text_of(object.field("property")?),
        _ => return None,
    };
    if object.kind_name() == "identifier" {
        for anc in file.ancestors(object) {
            if !matches!(
                anc.kind_name(),
                "function_declaration"
                    | "arrow_function"
                    | "function_expression"
                    | "function"
                    | "method_definition"
            ) {
                continue;
            }
            let params = anc.field("parameters").or_else(|| anc.field("parameter"));
            let is_param = params.is_some_and(|p| {
                file.descendants(p)
                    .any(|d| d.kind_name() == "identifier" && file.text_of(d) == name)
            });
            if is_param {
                return Some(format!("fn:{}", function_name(file, anc)));
            }
        }
    }
    Some(name.to_string())
}

fn function_name(file: &ParsedFile, node: Node) -> String {
    if let Some(n) = node.field("name") {
        return file.text_of(n).to_string();
    }
    for anc in file.ancestors(node).take(3) {
        match anc.kind_name() {
            "variable_declarator" => {
                if let Some(n) = anc.field("name") {
                    return file.text_of(n).to_string();
                }
            }
            "export_statement" => return "default".to_string(),
            "assignment_expression"
                if anc
                    .field("left")
                    .is_some_and(|l| file.text_of(l) == "module.exports") =>
            {
                return "default".to_string();
            }
            _ => {}
        }
    }
    format!("anonymous@{}", first_line(node))
}

fn is_known_router(out: &FileRoutes, owner: &str) -> bool {
    owner.starts_with("fn:") || out.routers.iter().any(|r| r.var == owner)
}

fn looks_like_router(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "r"
        || [
            "app", "router", "server", "fastify", "api", "routes", "hono", "instance", "v1", "v2",
            "admin",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
}

fn call(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let Some(function) = node.field("function") else {
        return;
    };
    let Some(args_node) = node.field("arguments") else {
        return;
    };
    let args = named_children(args_node);
    if function.kind_name() != "member_expression" {
        // require("./routes")(app), registerRoutes(app)
        mount_by_call(file, node, function, &args, out);
        return;
    }
    let (Some(prop), Some(object)) = (function.field("property"), function.field("object")) else {
        return;
    };
    let method = file.text_of(prop);
    let line = first_line(node);
    // router.route("/x").get(h).post(h2)
    if METHODS.contains(&method) && object.kind_name() == "call_expression" {
        if let Some((owner, path)) = route_chain(file, object) {
            if let Some(route) = registration(file, owner, method, path, &args, line) {
                out.routes.push(route);
            }
            return;
        }
    }
    let Some(owner) = owner_of(file, object) else {
        return;
    };
    let router_like = is_known_router(out, &owner) || looks_like_router(&owner);
    if !router_like {
        return;
    }
    match method {
        m if METHODS.contains(&m) => {
            let Some(first) = args.first() else { return };
            let Some(path) = js_literal_text(file, *first) else {
                return;
            };
            if args.len() < 2 {
                return; // app.get("env") reads a setting
            }
            if let Some(route) = registration(file, owner, m, path.to_string(), &args[1..], line) {
                out.routes.push(route);
            }
        }
        "route" => {
            // fastify.route({ method, url, handler }); Hono app.route("/x", sub)
            let Some(first) = args.first() else { return };
            if first.kind_name() == "object" {
                fastify_route_object(file, owner, *first, line, out);
            } else if args.len() == 2 {
                if let Some(prefix) = js_literal_text(file, *first) {
                    if let Some(child) = child_ref(file, args[1]) {
                        out.mounts.push(Mount {
                            parent: owner,
                            prefix: prefix.to_string(),
                            child,
                            middleware: Vec::new(),
                            line,
                        });
                    }
                }
            }
        }
        "use" => use_call(file, owner, &args, line, out),
        "register" => {
            // fastify.register(plugin, { prefix: "/x" })
            let Some(first) = args.first() else { return };
            let Some(child) = child_ref(file, *first) else {
                return;
            };
            let mut prefix = String::new();
            if let Some(opts) = args.get(1).filter(|a| a.kind_name() == "object") {
                for pair in named_children(*opts) {
                    if pair
                        .field("key")
                        .is_some_and(|k| file.text_of(k) == "prefix")
                    {
                        if let Some(v) = pair.field("value").and_then(|v| js_literal_text(file, v))
                        {
                            prefix = v.to_string();
                        }
                    }
                }
            }
            let middleware = if role_of_text(file.text_of(*first)) {
                vec![short(file.text_of(*first))]
            } else {
                Vec::new()
            };
            out.mounts.push(Mount {
                parent: owner,
                prefix,
                child,
                middleware,
                line,
            });
        }
        "addHook" => {
            // fastify.addHook("onRequest", fastify.authenticate)
            let hook = args
                .first()
                .and_then(|a| js_literal_text(file, *a))
                .unwrap_or("");
            if matches!(
                hook,
                "onRequest" | "preHandler" | "preValidation" | "preParsing"
            ) {
                if let Some(h) = args.get(1) {
                    out.uses.push(Use {
                        router: owner,
                        middleware: vec![short(file.text_of(*h))],
                        line,
                        prefix: None,
                        all: false,
                    });
                }
            }
        }
        "basePath" => {}
        _ => {}
    }
}

/// A plugin registered for its side effect (`fastify.register(rateLimit)`).
fn role_of_text(text: &str) -> bool {
    !matches!(super::classify::role(text), super::classify::Role::Other)
}

fn route_chain(file: &ParsedFile, call: Node) -> Option<(String, String)> {
    let mut node = call;
    for _ in 0..16 {
        let function = node.field("function")?;
        if function.kind_name() != "member_expression" {
            return None;
        }
        let prop = file.text_of(function.field("property")?);
        let object = function.field("object")?;
        if prop == "route" {
            let arg = node.field("arguments")?.named_child(0)?;
            let path = js_literal_text(file, arg)?;
            return Some((owner_of(file, object)?, path.to_string()));
        }
        if !METHODS.contains(&prop) || object.kind_name() != "call_expression" {
            return None;
        }
        node = object;
    }
    None
}

fn use_call(file: &ParsedFile, owner: String, args: &[Node], line: u32, out: &mut FileRoutes) {
    let mut rest = args;
    let mut prefix = None;
    if let Some(first) = args.first() {
        if let Some(p) = js_literal_text(file, *first) {
            prefix = Some(p.to_string());
            rest = &args[1..];
        }
    }
    let mut middleware = Vec::new();
    for arg in rest {
        for arg in flatten_array(*arg) {
            if let Some(child) = mounted_child(file, arg, out) {
                out.mounts.push(Mount {
                    parent: owner.clone(),
                    prefix: prefix.clone().unwrap_or_default(),
                    child,
                    middleware: middleware.clone(),
                    line,
                });
            } else {
                middleware.push(short(file.text_of(arg)));
            }
        }
    }
    let mounted_any = out
        .mounts
        .last()
        .is_some_and(|m| m.line == line && m.parent == owner);
    if !middleware.is_empty() && !mounted_any {
        // Hono: app.use("/api/*", auth) — a path pattern.
        let prefix = prefix.map(|p| p.trim_end_matches('*').trim_end_matches('/').to_string());
        out.uses.push(Use {
            router: owner,
            middleware,
            line,
            prefix: prefix.filter(|p| !p.is_empty()),
            all: false,
        });
    }
}

fn flatten_array(node: Node) -> Vec<Node> {
    let node = unwrap_expression(node);
    if node.kind_name() == "array" {
        named_children(node)
    } else {
        vec![node]
    }
}

/// Is this `use` argument a router (a known router variable, an imported
/// module, `require("./x")`, `router.routes()`)?
fn mounted_child(file: &ParsedFile, arg: Node, out: &FileRoutes) -> Option<String> {
    let arg = unwrap_expression(arg);
    match arg.kind_name() {
        "identifier" => {
            let name = file.text_of(arg);
            // An imported guard (`requireAuth`, `limiter`) is middleware;
            // other imported names are routers of the module.
            let known = out.routers.iter().any(|r| r.var == name)
                || (out
                    .imports
                    .iter()
                    .any(|(local, module, _)| local == name && module.starts_with('.'))
                    && super::classify::role(name) == super::classify::Role::Other);
            known.then(|| name.to_string())
        }
        "call_expression" => {
            if let Some(module) = require_of(file, arg) {
                return module.starts_with('.').then(|| format!("require:{module}"));
            }
            // koa: app.use(router.routes()), router.middleware()
            let function = arg.field("function")?;
            if function.kind_name() == "member_expression" {
                let prop = file.text_of(function.field("property")?);
                let object = function.field("object")?;
                if matches!(prop, "routes" | "middleware") && object.kind_name() == "identifier" {
                    return Some(file.text_of(object).to_string());
                }
            }
            None
        }
        "member_expression" => {
            // app.use("/x", users.router)
            let object = arg.field("object")?;
            let name = file.text_of(object);
            out.imports
                .iter()
                .any(|(local, m, _)| local == name && m.starts_with('.'))
                .then(|| file.text_of(arg).to_string())
        }
        _ => None,
    }
}

fn child_ref(file: &ParsedFile, arg: Node) -> Option<String> {
    let arg = unwrap_expression(arg);
    match arg.kind_name() {
        "identifier" | "member_expression" => Some(file.text_of(arg).to_string()),
        "call_expression" => {
            if let Some(module) = require_of(file, arg) {
                return Some(format!("require:{module}"));
            }
            // import("./routes") or routes()
            None
        }
        "arrow_function" | "function_expression" | "function" => {
            Some(format!("fn:anonymous@{}", first_line(arg)))
        }
        _ => None,
    }
}

/// `require("./routes")(app)`, `registerRoutes(app)`.
fn mount_by_call(
    file: &ParsedFile,
    node: Node,
    function: Node,
    args: &[Node],
    out: &mut FileRoutes,
) {
    let Some(first) = args.first() else { return };
    if first.kind_name() != "identifier" {
        return;
    }
    let parent = file.text_of(*first);
    if !out.routers.iter().any(|r| r.var == parent) {
        return;
    }
    let child = if function.kind_name() == "call_expression" {
        require_of(file, function).map(|m| format!("require:{m}"))
    } else if function.kind_name() == "identifier" {
        let name = file.text_of(function);
        if out.imports.iter().any(|(l, _, _)| l == name) {
            Some(name.to_string())
        } else {
            Some(format!("fn:{name}"))
        }
    } else {
        None
    };
    if let Some(child) = child {
        out.mounts.push(Mount {
            parent: parent.to_string(),
            prefix: String::new(),
            child,
            middleware: Vec::new(),
            line: first_line(node),
        });
    }
}

/// A route registration: middleware arguments, then the handler (last).
fn registration(
    file: &ParsedFile,
    owner: String,
    method: &str,
    path: String,
    args: &[Node],
    line: u32,
) -> Option<RawRoute> {
    let (last, middle) = args.split_last()?;
    let mut route = RawRoute {
        owner,
        methods: vec![method_name(method)],
        path,
        line,
        ..RawRoute::default()
    };
    for arg in middle {
        if arg.kind_name() == "object" {
            fastify_options(file, *arg, &mut route);
            continue;
        }
        for m in flatten_array(*arg) {
            route.middleware.push(short(file.text_of(m)));
        }
    }
    route.handler = handler_of(file, *last);
    Some(route)
}

fn method_name(m: &str) -> String {
    match m {
        "all" => "ANY".to_string(),
        "del" => "DELETE".to_string(),
        other => other.to_ascii_uppercase(),
    }
}

/// Fastify route options: `preHandler`, `onRequest`, `schema`, `config.rateLimit`.
fn fastify_options(file: &ParsedFile, object: Node, route: &mut RawRoute) {
    for pair in named_children(object) {
        let Some(key) = pair.field("key").map(|k| file.text_of(k)) else {
            if pair.kind_name() == "shorthand_property_identifier" && file.text_of(pair) == "schema"
            {
                route.schema = Some("Fastify route schema".to_string());
            }
            continue;
        };
        let Some(value) = pair.field("value") else {
            continue;
        };
        match key {
            "preHandler" | "onRequest" | "preValidation" | "preParsing" => {
                for m in flatten_array(value) {
                    route.middleware.push(short(file.text_of(m)));
                }
            }
            "schema" => route.schema = Some("Fastify route schema".to_string()),
            "config" if file.text_of(value).contains("rateLimit") => {
                route.middleware.push("config.rateLimit".to_string())
            }
            _ => {}
        }
    }
}

fn fastify_route_object(
    file: &ParsedFile,
    owner: String,
    object: Node,
    line: u32,
    out: &mut FileRoutes,
) {
    let mut route = RawRoute {
        owner,
        line,
        ..RawRoute::default()
    };
    let mut has_url = false;
    for pair in named_children(object) {
        let Some(key) = pair.field("key").map(|k| file.text_of(k)) else {
            continue;
        };
        let Some(value) = pair.field("value") else {
            continue;
        };
        match key {
            "url" | "path" => {
                if let Some(p) = js_literal_text(file, value) {
                    route.path = p.to_string();
                    has_url = true;
                }
            }
            "method" => {
                route.methods = flatten_array(value)
                    .into_iter()
                    .filter_map(|m| js_literal_text(file, m))
                    .map(|m| m.to_ascii_uppercase())
                    .collect();
            }
            "handler" => route.handler = handler_of(file, value),
            _ => {}
        }
    }
    fastify_options(file, object, &mut route);
    if has_url {
        if route.methods.is_empty() {
            route.methods.push("ANY".to_string());
        }
        out.routes.push(route);
    }
}

fn handler_of(file: &ParsedFile, node: Node) -> Handler {
    let node = unwrap_expression(node);
    match node.kind_name() {
        "identifier" => Handler::Named {
            name: file.text_of(node).to_string(),
            qualifier: None,
        },
        "member_expression" => {
            let object = node
                .field("object")
                .map(|o| file.text_of(o).trim_start_matches("this.").to_string());
            let name = node
                .field("property")
                .map(|p| file.text_of(p).to_string())
                .unwrap_or_default();
            Handler::Named {
                name,
                qualifier: object,
            }
        }
        "arrow_function" | "function_expression" | "function" => Handler::Inline(fn_rec(
            file,
            node,
            "inline handler".to_string(),
            None,
            Vec::new(),
        )),
        "call_expression" => {
            // asyncHandler(createOrder), ctrl.create.bind(ctrl)
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            match args.last() {
                Some(inner) => handler_of(file, *inner),
                None => {
                    if let Some(f) = node.field("function") {
                        if f.kind_name() == "member_expression" {
                            if let Some(o) = f.field("object") {
                                return handler_of(file, o);
                            }
                        }
                    }
                    Handler::Unknown
                }
            }
        }
        _ => Handler::Unknown,
    }
}

/// NestJS: `@Controller("orders")` classes and their `@Get()`/`@Post()` methods,
/// with class and method guards (`@UseGuards`), `@Public()`, `@Throttle`.
fn nest_controller(file: &ParsedFile, class: Node, out: &mut FileRoutes) {
    let mut decorators: Vec<String> = named_children(class)
        .into_iter()
        .filter(|c| c.kind_name() == "decorator")
        .map(|d| file.text_of(d).trim_start_matches('@').to_string())
        .collect();
    if let Some(parent) = file
        .parent(class)
        .filter(|p| p.kind_name() == "export_statement")
    {
        for d in named_children(parent)
            .into_iter()
            .filter(|c| c.kind_name() == "decorator")
        {
            decorators.push(file.text_of(d).trim_start_matches('@').to_string());
        }
    }
    let Some(controller) = decorators.iter().find(|d| d.starts_with("Controller(")) else {
        return;
    };
    let prefix = CONTROLLER_PATH
        .captures(controller)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    let Some(class_name) = class.field("name").map(|n| file.text_of(n).to_string()) else {
        return;
    };
    let class_middleware: Vec<String> = decorators
        .iter()
        .filter(|d| !d.starts_with("Controller("))
        .map(|d| short(d))
        .collect();
    out.routers.push(RouterDef {
        var: class_name.clone(),
        prefix,
        middleware: class_middleware,
        root: true,
        framework: "NestJS",
    });
    let Some(body) = class.field("body") else {
        return;
    };
    for member in named_children(body) {
        if member.kind_name() != "method_definition" {
            continue;
        }
        let decorators = preceding_decorators(file, member);
        let Some(http) = decorators
            .iter()
            .find(|d| NEST_METHODS.iter().any(|m| d.starts_with(&format!("{m}("))))
        else {
            continue;
        };
        let (verb, rest) = http.split_once('(').unwrap_or((http, ""));
        let path = FIRST_STRING
            .captures(rest)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        let Some(name) = member.field("name").map(|n| file.text_of(n).to_string()) else {
            continue;
        };
        out.routes.push(RawRoute {
            owner: class_name.clone(),
            methods: vec![method_name(&verb.to_ascii_lowercase())],
            path,
            handler: Handler::Named {
                name,
                qualifier: Some(class_name.clone()),
            },
            line: first_line(member),
            middleware: decorators
                .iter()
                .filter(|d| *d != http)
                .map(|d| short(d))
                .collect(),
            schema: None,
            framework: "NestJS",
        });
    }
}
