//! Functions of a parsed file, in the four languages: their names, whether they
//! are `async`, and whether they are HTTP route handlers, for ARCH-LAYERS,
//! ARCH-BLOCKING, ARCH-GIANT, DATA-NPLUS1 and DATA-TX.
//!
//! A function is a handler *in place* when it is passed to a route
//! registration (`app.get("/x", async (req, res) => ...)`), decorated as one
//! (`@app.post`, NestJS `@Post()`, actix `#[get("/")]`), or has a handler's
//! signature (`req`/`request` first parameter, Go `http.ResponseWriter` /
//! `*gin.Context` / `echo.Context` / `*fiber.Ctx`, axum extractors). Handlers
//! registered by name (`router.post("/", createOrder)`, `path("x/", views.x)`,
//! `r.HandleFunc("/x", h.Create)`, `.route("/x", get(list))`) are listed as
//! references and matched across files by the checks.

use super::language::Grammar;
use super::syntax::{is_function, named_children, ParsedFile};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

/// One function of a file.
#[derive(Clone, Copy, Debug)]
pub struct Function<'t> {
    pub node: Node<'t>,
    pub name: Option<&'t str>,
    pub is_async: bool,
    pub handler: bool,
}

const NEST_ROUTE_DECORATORS: &[&str] = &[
    "Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options",
];
const RUST_ROUTE_ATTRIBUTES: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "route", "options",
];
const ROUTE_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "del",
    "all",
    "head",
    "options",
    "use",
    "route",
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "Get",
    "Post",
    "Put",
    "Patch",
    "Delete",
    "Handle",
    "HandleFunc",
    "Any",
    "Group",
    "Add",
    "to",
    "on",
    "any",
    "add_url_rule",
    "add_api_route",
];

/// The kinds [`is_function_node`] accepts.
pub const FUNCTION_KINDS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
    "function_definition",
    "lambda",
    "method_declaration",
    "func_literal",
    "function_item",
    "closure_expression",
];

/// Is this node a function (or an `async` block) in any of the four languages?
pub fn is_function_node(node: Node) -> bool {
    is_function(node)
        || matches!(
            node.kind_name(),
            "method_declaration" | "func_literal" | "function_item" | "closure_expression"
        )
}

/// The nearest enclosing function (or async block) of a node, not itself.
pub fn enclosing_function<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<Node<'t>> {
    file.ancestors(node)
        .find(|n| is_function_node(*n) || n.kind_name() == "async_block")
}

/// Every function of the file, in document order.
pub fn functions<'t>(file: &ParsedFile<'t>) -> Vec<Function<'t>> {
    let mut out = Vec::new();
    file.for_each_of(FUNCTION_KINDS, |node| {
        if is_function_node(node) {
            out.push(Function {
                node,
                name: name_of(file, node),
                is_async: is_async(file, node),
                handler: is_handler(file, node),
            });
        }
    });
    out
}

/// The name a function is known by: its own, or the variable, property or
/// key it is assigned to.
pub fn name_of<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<&'t str> {
    if let Some(name) = node.field("name") {
        return Some(file.text_of(name));
    }
    let parent = file.parent(node)?;
    match parent.kind_name() {
        "variable_declarator" | "pair" | "public_field_definition" | "field_definition" => parent
            .field("name")
            .or_else(|| parent.field("key"))
            .or_else(|| parent.field("property"))
            .map(|n| file.text_of(n)),
        "assignment_expression" | "assignment" => parent
            .field("left")
            .and_then(|l| super::db_calls::last_name(file, l)),
        _ => None,
    }
}

/// Is the function `async` (an async block counts)?
pub fn is_async(file: &ParsedFile, node: Node) -> bool {
    match file.grammar {
        Grammar::Python => file.text_of(node).starts_with("async"),
        Grammar::Go => false,
        Grammar::Rust => {
            node.kind_name() == "async_block"
                || named_children(node).iter().any(|c| {
                    c.kind_name() == "function_modifiers" && file.text_of(*c).contains("async")
                })
                || (node.kind_name() == "closure_expression"
                    && file.text_of(node).starts_with("async"))
        }
        Grammar::TypeScript | Grammar::Tsx => {
            let mut cursor = node.walk();
            let async_kw = node.children(&mut cursor).any(|c| c.kind_name() == "async");
            async_kw
        }
    }
}

/// Is this function a route handler in place (see the module docs)?
pub fn is_handler(file: &ParsedFile, node: Node) -> bool {
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            if node.kind_name() == "method_definition" {
                return nest_route_method(file, node);
            }
            js_route_handler(file, node)
        }
        Grammar::Python => {
            if node.kind_name() != "function_definition" {
                return false;
            }
            if super::taint::is_route_handler(file, node) {
                return true;
            }
            // Django class-based views: def get(self, request, ...)
            node.field("parameters").is_some_and(|p| {
                named_children(p)
                    .iter()
                    .take(2)
                    .any(|c| matches!(file.text_of(*c), "request" | "req"))
            })
        }
        Grammar::Go => node.field("parameters").is_some_and(|p| {
            let params = file.text_of(p);
            params.contains("http.ResponseWriter")
                || params.contains("gin.Context")
                || params.contains("echo.Context")
                || params.contains("fiber.Ctx")
        }),
        Grammar::Rust => {
            if node.kind_name() != "function_item" {
                return false;
            }
            if rust_route_attribute(file, node) {
                return true;
            }
            let params = node
                .field("parameters")
                .map(|p| file.text_of(p))
                .unwrap_or("");
            is_async(file, node)
                && [
                    "State<",
                    "Json<",
                    "Path<",
                    "Query<",
                    "Extension<",
                    "web::Data<",
                    "web::Json<",
                    "web::Path<",
                    "web::Query<",
                    "HttpRequest",
                    "Form<",
                ]
                .iter()
                .any(|t| params.contains(t))
        }
    }
}

/// A JS function with a `req`/`request`/`ctx`/`context` first parameter, or
/// passed (possibly wrapped, `asyncHandler(fn)`) to a route registration
/// whose first argument is a path: `router.get("/x", fn)`. `Promise.all(...)`
/// or `list.map(...)` are not route registrations.
fn js_route_handler(file: &ParsedFile, function: Node) -> bool {
    let first_param = function
        .field("parameters")
        .and_then(|p| p.named_child(0))
        .or_else(|| function.field("parameter"));
    if let Some(param) = first_param {
        let name = param
            .field("pattern")
            .map(|p| file.text_of(p))
            .unwrap_or_else(|| file.text_of(param));
        if ["req", "request", "ctx", "context"].contains(&name) {
            return true;
        }
    }
    let mut node = function;
    for _ in 0..3 {
        let Some(args) = file.parent(node).filter(|p| p.kind_name() == "arguments") else {
            return false;
        };
        let Some(call) = file.parent(args) else {
            return false;
        };
        let method = call
            .field("function")
            .filter(|f| f.kind_name() == "member_expression")
            .and_then(|f| f.field("property"))
            .map(|p| file.text_of(p));
        let path_first = args.named_child(0).is_some_and(|a| {
            super::syntax::js_literal_text(file, a)
                .is_some_and(|t| t.starts_with('/') || t.is_empty())
        });
        if method.is_some_and(|m| ROUTE_METHODS.contains(&m)) && path_first {
            return true;
        }
        node = call;
    }
    false
}

fn nest_route_method(file: &ParsedFile, method: Node) -> bool {
    // Decorators are the method's preceding siblings in the class body.
    let mut sibling = method.prev_named_sibling();
    while let Some(s) = sibling {
        if s.kind_name() != "decorator" {
            break;
        }
        let name = s
            .named_child(0)
            .map(|c| c.field("function").unwrap_or(c))
            .map(|f| file.text_of(f))
            .unwrap_or("");
        if NEST_ROUTE_DECORATORS.contains(&name) {
            return true;
        }
        sibling = s.prev_named_sibling();
    }
    false
}

fn rust_route_attribute(file: &ParsedFile, function: Node) -> bool {
    let mut sibling = function.prev_named_sibling();
    while let Some(s) = sibling {
        if s.kind_name() != "attribute_item" {
            break;
        }
        let text = file.text_of(s);
        let name = text
            .trim_start_matches("#[")
            .split(['(', ']'])
            .next()
            .unwrap_or("")
            .rsplit("::")
            .next()
            .unwrap_or("");
        if RUST_ROUTE_ATTRIBUTES.contains(&name) && text.contains("(\"/") {
            return true;
        }
        sibling = s.prev_named_sibling();
    }
    false
}

/// Names of functions this file registers as route handlers by reference.
pub fn handler_refs(file: &ParsedFile) -> Vec<String> {
    let mut out = Vec::new();
    file.for_each_of(&["call_expression", "call"], |node| {
        let (function, args) = match node.kind_name() {
            "call_expression" | "call" => (node.field("function"), node.field("arguments")),
            _ => return,
        };
        let (Some(function), Some(args)) = (function, args) else {
            return;
        };
        let method = super::db_calls::last_name(file, function).unwrap_or(file.text_of(function));
        let args = named_children(args);
        let Some(first) = args.first() else {
            return;
        };
        let first_text = super::db_calls::literal_text(file, *first);
        let is_python_path =
            file.grammar.is_python() && matches!(method, "path" | "re_path" | "url");
        let registers = is_python_path
            || (ROUTE_METHODS.contains(&method)
                && first_text
                    .as_deref()
                    .is_some_and(|t| t.starts_with('/') || t.is_empty()));
        if !registers {
            return;
        }
        // The handler is the last argument (middleware comes before it).
        if let Some(arg) = args.iter().skip(1).last() {
            for n in file.descendants(*arg) {
                if is_function_node(n) {
                    break;
                }
                let name = match n.kind_name() {
                    "identifier" | "property_identifier" | "field_identifier" => {
                        Some(file.text_of(n))
                    }
                    _ => None,
                };
                if let Some(name) = name {
                    if name.len() > 1
                        && !ROUTE_METHODS.contains(&name)
                        && !out.iter().any(|o: &String| o == name)
                    {
                        out.push(name.to_string());
                    }
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::syntax::Parsers;
    use super::*;

    fn handlers(path: &str, code: &str) -> Vec<(Option<String>, bool)> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        functions(&file)
            .into_iter()
            .filter(|f| f.handler)
            .map(|f| (f.name.map(str::to_string), f.is_async))
            .collect()
    }

    #[test]
    fn handlers_are_found_in_the_four_languages() {
        assert_eq!(
            handlers("a.ts", "router.get('/', async (req, res) => { res.json(1) });\nfunction helper(a) { return a }\n@Controller('x') class C { @Post() async create(@Body() b) {} list() {} }\n"),
            vec![(None, true), (Some("create".into()), true)]
        );
        assert_eq!(
            handlers("a.py", "@router.get('/items')\nasync def list_items():\n    pass\n\ndef helper(x):\n    pass\n"),
            vec![(Some("list_items".into()), true)]
        );
        assert_eq!(
            handlers("a.go", "package x\nfunc (h *H) Create(w http.ResponseWriter, r *http.Request) {}\nfunc helper(a int) {}\n"),
            vec![(Some("Create".into()), false)]
        );
        assert_eq!(
            handlers("a.rs", "#[get(\"/x\")]\nasync fn one() -> String { String::new() }\nasync fn two(State(db): State<Db>) {}\nasync fn helper(a: u8) {}\n"),
            vec![(Some("one".into()), true), (Some("two".into()), true)]
        );
    }

    #[test]
    fn handlers_registered_by_name_are_listed() {
        let refs = |path: &str, code: &str| {
            let grammar = Grammar::of_path(path).unwrap();
            let tree = Parsers::default().parse(grammar, code).unwrap();
            let file = ParsedFile::new(path, code, grammar, &tree);
            handler_refs(&file)
        };
        assert_eq!(
            refs(
                "a.ts",
                "router.post('/', requireAuth, orders.create);\nmap.get('k');\n"
            ),
            vec!["orders", "create"]
        );
        assert_eq!(
            refs(
                "a.py",
                "urlpatterns = [path('orders/', views.order_list)]\n"
            ),
            vec!["views", "order_list"]
        );
        assert_eq!(
            refs(
                "a.go",
                "package x\nfunc main() { r.HandleFunc(\"/orders\", h.Create) }\n"
            ),
            vec!["Create"]
        );
        assert_eq!(
            refs(
                "a.rs",
                "fn app() { Router::new().route(\"/orders\", get(list).post(create)); }\n"
            ),
            vec!["list", "create"]
        );
    }
}
