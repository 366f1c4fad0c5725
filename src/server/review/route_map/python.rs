//! Routes of FastAPI, Flask and Django (with Django REST framework), over
//! Python syntax trees.

use super::super::syntax::{first_line, named_children, py_literal_text, ParsedFile};
use super::classify::short;
use super::{FileRoutes, FnRec, Global, GlobalKind, Handler, Mount, RawRoute, RouterDef, Use};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

pub fn collect(file: &ParsedFile) -> FileRoutes {
    let mut out = FileRoutes {
        path: file.path.to_string(),
        grammar: Some(file.grammar),
        ..FileRoutes::default()
    };
    globals(file, &mut out);
    file.for_each_of(
        &[
            "assignment",
            "import_from_statement",
            "function_definition",
            "class_definition",
        ],
        |node| match node.kind_name() {
            "assignment" => assignment(file, node, &mut out),
            "import_from_statement" => import_from(file, node, &mut out),
            "function_definition" | "class_definition" => {
                if let Some(rec) = def_rec(file, node) {
                    out.functions.push(rec);
                }
            }
            _ => {}
        },
    );
    file.for_each_of(&["decorated_definition", "call"], |node| {
        match node.kind_name() {
            "decorated_definition" => decorated(file, node, &mut out),
            "call" => call(file, node, &mut out),
            _ => {}
        }
    });
    out
}

/// DRF settings: `DEFAULT_PERMISSION_CLASSES`, `DEFAULT_THROTTLE_CLASSES`;
/// flask-limiter `default_limits`.
fn globals(file: &ParsedFile, out: &mut FileRoutes) {
    let line_at = |offset: usize| file.text[..offset].matches('\n').count() as u32 + 1;
    if let Some(at) = file.text.find("DEFAULT_PERMISSION_CLASSES") {
        let window: String = file.text[at..].chars().take(300).collect();
        let list = window.split(']').next().unwrap_or("");
        if list.contains("IsAuthenticated")
            || list.contains("IsAdminUser")
            || list.contains("DjangoModelPermissions")
        {
            out.globals.push(Global {
                kind: GlobalKind::AuthGuard,
                name: "DEFAULT_PERMISSION_CLASSES".into(),
                file: file.path.into(),
                line: line_at(at),
            });
        }
    }
    if let Some(at) = file.text.find("DEFAULT_THROTTLE_CLASSES") {
        out.globals.push(Global {
            kind: GlobalKind::RateLimit,
            name: "DEFAULT_THROTTLE_CLASSES".into(),
            file: file.path.into(),
            line: line_at(at),
        });
    }
    if let Some(at) = file.text.find("default_limits") {
        out.globals.push(Global {
            kind: GlobalKind::RateLimit,
            name: "Limiter(default_limits=…)".into(),
            file: file.path.into(),
            line: line_at(at),
        });
    }
}

fn def_rec(file: &ParsedFile, node: Node) -> Option<FnRec> {
    let name = file.text_of(node.field("name")?).to_string();
    let qualifier = file
        .ancestors(node)
        .find(|a| a.kind_name() == "class_definition")
        .and_then(|c| c.field("name"))
        .map(|n| file.text_of(n).to_string());
    let mut decorators = Vec::new();
    if let Some(parent) = file
        .parent(node)
        .filter(|p| p.kind_name() == "decorated_definition")
    {
        for d in named_children(parent)
            .into_iter()
            .filter(|d| d.kind_name() == "decorator")
        {
            decorators.push(file.text_of(d).trim_start_matches('@').trim().to_string());
        }
    }
    let params = node
        .field("parameters")
        .or_else(|| node.field("superclasses"))
        .map(|p| file.text_of(p).to_string())
        .unwrap_or_default();
    Some(FnRec {
        file: file.path.to_string(),
        name,
        qualifier,
        line: first_line(node),
        start: node.start_byte(),
        end: node.end_byte(),
        decorators,
        params,
    })
}

fn import_from(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let Some(module) = node
        .field("module_name")
        .map(|m| file.text_of(m).to_string())
    else {
        return;
    };
    for name in named_children(node).into_iter().skip(1) {
        let (imported, local) = match name.kind_name() {
            "dotted_name" => (
                file.text_of(name).to_string(),
                file.text_of(name).to_string(),
            ),
            "aliased_import" => {
                let (Some(n), Some(a)) = (name.field("name"), name.field("alias")) else {
                    continue;
                };
                (file.text_of(n).to_string(), file.text_of(a).to_string())
            }
            _ => continue,
        };
        // `from app.routers import items`: items may be a module or a name.
        out.imports.push((local, module.clone(), Some(imported)));
    }
}

/// Keyword argument value of a call: `prefix="/x"`.
fn kwarg<'a>(file: &ParsedFile, call: Node<'a>, key: &str) -> Option<Node<'a>> {
    let args = call.field("arguments")?;
    named_children(args).into_iter().find_map(|a| {
        (a.kind_name() == "keyword_argument"
            && a.field("name").is_some_and(|n| file.text_of(n) == key))
        .then(|| a.field("value"))
        .flatten()
    })
}

fn list_items(file: &ParsedFile, node: Option<Node>) -> Vec<String> {
    match node {
        Some(n) if matches!(n.kind_name(), "list" | "tuple") => named_children(n)
            .into_iter()
            .map(|i| short(file.text_of(i)))
            .collect(),
        Some(n) => vec![short(file.text_of(n))],
        None => Vec::new(),
    }
}

fn callee<'a>(file: &ParsedFile<'a>, call: Node) -> &'a str {
    call.field("function")
        .map(|f| file.text_of(f))
        .unwrap_or("")
}

/// `app = FastAPI()`, `router = APIRouter(prefix=…)`, `bp = Blueprint(…, url_prefix=…)`,
/// `urlpatterns = [...]`.
fn assignment(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
        return;
    };
    let var = file.text_of(left).to_string();
    if right.kind_name() != "call" {
        return;
    }
    let ctor = callee(file, right);
    let last = ctor.rsplit('.').next().unwrap_or(ctor);
    let (framework, root, prefix_key) = match last {
        "FastAPI" => ("FastAPI", true, None),
        "APIRouter" => ("FastAPI", false, Some("prefix")),
        "Flask" => ("Flask", true, None),
        "Blueprint" => ("Flask", false, Some("url_prefix")),
        _ => return,
    };
    let prefix = prefix_key
        .and_then(|k| kwarg(file, right, k))
        .and_then(|v| py_literal_text(file, v))
        .unwrap_or_default();
    let middleware = list_items(file, kwarg(file, right, "dependencies"));
    out.routers.push(RouterDef {
        var,
        prefix,
        middleware,
        root,
        framework,
    });
}

/// `@app.get("/x")`, `@bp.route("/x", methods=[…])`, `@router.post(…, dependencies=[…])`,
/// with the other decorators and the `Depends(...)` parameters of the function.
fn decorated(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let Some(def) = node
        .field("definition")
        .filter(|d| d.kind_name() == "function_definition")
    else {
        return;
    };
    let decorators: Vec<Node> = named_children(node)
        .into_iter()
        .filter(|d| d.kind_name() == "decorator")
        .collect();
    let Some(name) = def.field("name").map(|n| file.text_of(n).to_string()) else {
        return;
    };
    let params = def
        .field("parameters")
        .map(|p| file.text_of(p))
        .unwrap_or("");
    for (i, decorator) in decorators.iter().enumerate() {
        let Some(call) = decorator.named_child(0).filter(|c| c.kind_name() == "call") else {
            // @bp.before_request on a function: router-wide hook.
            let text = file.text_of(*decorator).trim_start_matches('@').trim();
            if let Some((router, "before_request" | "before_app_request")) = text.rsplit_once('.') {
                out.uses.push(Use {
                    router: router.to_string(),
                    middleware: vec![name.clone()],
                    line: first_line(*decorator),
                    prefix: None,
                    all: true,
                });
            }
            continue;
        };
        let function = callee(file, call);
        let Some((router, method)) = function.rsplit_once('.') else {
            continue;
        };
        if !(METHODS.contains(&method) || matches!(method, "route" | "api_route" | "websocket")) {
            continue;
        }
        let Some(first) = call.field("arguments").and_then(|a| a.named_child(0)) else {
            continue;
        };
        let Some(path) = py_literal_text(file, first) else {
            continue;
        };
        if !(path.is_empty() || path.starts_with('/')) {
            continue;
        }
        let methods = if METHODS.contains(&method) {
            vec![method.to_ascii_uppercase()]
        } else {
            let listed: Vec<String> = list_items(file, kwarg(file, call, "methods"))
                .iter()
                .map(|m| m.trim_matches(['"', '\'']).to_ascii_uppercase())
                .collect();
            if listed.is_empty() {
                if method == "route" {
                    vec!["GET".to_string()]
                } else {
                    vec!["ANY".to_string()]
                }
            } else {
                listed
            }
        };
        let mut middleware = list_items(file, kwarg(file, call, "dependencies"));
        for (j, other) in decorators.iter().enumerate() {
            if j != i {
                middleware.push(short(file.text_of(*other).trim_start_matches('@')));
            }
        }
        middleware.extend(depends_in(params));
        let framework = if method == "route" { "Flask" } else { "" };
        out.routes.push(RawRoute {
            owner: router.to_string(),
            methods,
            path,
            handler: Handler::Named {
                name: name.clone(),
                qualifier: None,
            },
            line: first_line(*decorator),
            middleware,
            schema: None,
            framework,
        });
    }
}

/// `Depends(get_current_user)`, `Security(...)` in a parameter list.
pub fn depends_in(params: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["Depends(", "Security("] {
        let mut rest = params;
        while let Some(at) = rest.find(key) {
            let tail = &rest[at..];
            let mut depth = 0;
            let mut end = tail.len();
            for (k, ch) in tail.char_indices() {
                match ch {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push(short(&tail[..end]));
            rest = &tail[end..];
        }
    }
    out
}

fn call(file: &ParsedFile, node: Node, out: &mut FileRoutes) {
    let function = callee(file, node);
    let line = first_line(node);
    let args = node
        .field("arguments")
        .map(named_children)
        .unwrap_or_default();
    let positional: Vec<Node> = args
        .iter()
        .copied()
        .filter(|a| a.kind_name() != "keyword_argument")
        .collect();
    if let Some((parent, method)) = function.rsplit_once('.') {
        match method {
            "include_router" | "register_blueprint" => {
                let Some(child) = positional.first() else {
                    return;
                };
                let key = if method == "include_router" {
                    "prefix"
                } else {
                    "url_prefix"
                };
                let prefix = kwarg(file, node, key)
                    .and_then(|v| py_literal_text(file, v))
                    .unwrap_or_default();
                let middleware = list_items(file, kwarg(file, node, "dependencies"));
                out.mounts.push(Mount {
                    parent: parent.to_string(),
                    prefix,
                    child: file.text_of(*child).to_string(),
                    middleware,
                    line,
                });
            }
            "add_middleware" => {
                if let Some(m) = positional.first() {
                    out.uses.push(Use {
                        router: parent.to_string(),
                        middleware: vec![short(file.text_of(*m))],
                        line,
                        prefix: None,
                        all: true,
                    });
                }
            }
            "add_url_rule" | "add_api_route" => {
                let Some(path) = positional.first().and_then(|p| py_literal_text(file, *p)) else {
                    return;
                };
                let handler = kwarg(file, node, "view_func")
                    .or_else(|| kwarg(file, node, "endpoint"))
                    .or_else(|| {
                        positional
                            .get(if method == "add_url_rule" { 2 } else { 1 })
                            .copied()
                    });
                let methods: Vec<String> = list_items(file, kwarg(file, node, "methods"))
                    .iter()
                    .map(|m| m.trim_matches(['"', '\'']).to_ascii_uppercase())
                    .collect();
                out.routes.push(RawRoute {
                    owner: parent.to_string(),
                    methods: if methods.is_empty() {
                        vec!["GET".into()]
                    } else {
                        methods
                    },
                    path,
                    handler: handler
                        .map(|h| view_handler(file, h, &mut Vec::new()))
                        .unwrap_or_default(),
                    line,
                    middleware: list_items(file, kwarg(file, node, "dependencies")),
                    schema: None,
                    framework: "",
                });
            }
            "register" if positional.len() >= 2 => {
                // DRF: router.register(r"orders", OrderViewSet)
                let Some(prefix) = py_literal_text(file, positional[0]) else {
                    return;
                };
                let handler = file.text_of(positional[1]).to_string();
                out.routes.push(RawRoute {
                    owner: format!("drf:{parent}"),
                    methods: vec!["ANY".into()],
                    path: format!("{}/", prefix.trim_start_matches('^').trim_end_matches('/')),
                    handler: Handler::Named {
                        name: handler,
                        qualifier: None,
                    },
                    line,
                    middleware: Vec::new(),
                    schema: None,
                    framework: "Django",
                });
            }
            _ => {}
        }
        return;
    }
    // Django: path("orders/", views.create_order), path("api/", include("api.urls"))
    if !matches!(function, "path" | "re_path" | "url") || positional.len() < 2 {
        return;
    }
    let Some(route) = py_literal_text(file, positional[0]) else {
        return;
    };
    let route = route
        .trim_start_matches('^')
        .trim_end_matches('$')
        .to_string();
    let target = positional[1];
    if target.kind_name() == "call" && callee(file, target) == "include" {
        let Some(arg) = target.field("arguments").and_then(|a| a.named_child(0)) else {
            return;
        };
        let child = if let Some(module) = py_literal_text(file, arg) {
            format!("module:{module}")
        } else {
            let text = file.text_of(arg);
            // include(router.urls) for a DRF router
            match text.strip_suffix(".urls") {
                Some(router) => format!("drf:{router}"),
                None => format!("module:{text}"),
            }
        };
        out.mounts.push(Mount {
            parent: "urlpatterns".into(),
            prefix: route,
            child,
            middleware: Vec::new(),
            line,
        });
        return;
    }
    let mut middleware = Vec::new();
    let handler = view_handler(file, target, &mut middleware);
    out.routes.push(RawRoute {
        owner: "urlpatterns".into(),
        methods: Vec::new(),
        path: route,
        handler,
        line,
        middleware,
        schema: None,
        framework: "Django",
    });
}

/// `views.create_order`, `OrderView.as_view()`, `login_required(views.x)`.
fn view_handler(file: &ParsedFile, node: Node, wrappers: &mut Vec<String>) -> Handler {
    match node.kind_name() {
        "identifier" => Handler::Named {
            name: file.text_of(node).to_string(),
            qualifier: None,
        },
        "attribute" => {
            let name = node
                .field("attribute")
                .map(|a| file.text_of(a).to_string())
                .unwrap_or_default();
            let qualifier = node.field("object").map(|o| file.text_of(o).to_string());
            Handler::Named { name, qualifier }
        }
        "call" => {
            let function = node.field("function");
            if let Some(f) = function.filter(|f| f.kind_name() == "attribute") {
                if f.field("attribute")
                    .is_some_and(|a| file.text_of(a) == "as_view")
                {
                    if let Some(object) = f.field("object") {
                        return view_handler(file, object, wrappers);
                    }
                }
            }
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            match args.first() {
                Some(inner) => {
                    wrappers.push(short(callee(file, node)));
                    view_handler(file, *inner, wrappers)
                }
                None => Handler::Unknown,
            }
        }
        _ => Handler::Unknown,
    }
}
