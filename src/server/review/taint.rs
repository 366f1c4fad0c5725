//! "Taint-lite": where a value in an expression comes from. A value is a
//! constant (a literal, a `const NAME = "…"` in JS, a module-level UPPER_CASE
//! literal in Python), request input (`req.*`, `request.*`, `ctx.*`, `params`,
//! `query`, `body`, a parameter of a route handler, or a local variable
//! assigned from one of these), or anything else. Name resolution is by name
//! within the file: no types, no imports, no calls followed.

use super::syntax::{
    is_constant_literal, is_function, named_children, unwrap_expression, ParsedFile, MAX_DEPTH,
};
use crate::server::review::syntax::NodeExt;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// Where a value comes from, from harmless to dangerous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Constant,
    Other,
    RequestInput,
}

/// Identifiers that hold request input by convention.
const REQUEST_NAMES: &[&str] = &["req", "request", "ctx", "params", "query", "body"];
/// Property names that lead into request input (`c.req.query`, `request.args`).
const REQUEST_PROPERTIES: &[&str] = &[
    "req",
    "request",
    "params",
    "query",
    "body",
    "query_params",
    "path_params",
];
/// Methods of `app`/`router`-like objects that register route handlers.
pub const ROUTE_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "del",
    "all",
    "head",
    "options",
    "route",
    "use",
    "api_route",
    "websocket",
];
/// NestJS parameter decorators that inject request input.
const NEST_INPUT_DECORATORS: &[&str] = &["Param", "Query", "Body", "Headers", "Req", "Request"];

/// What name resolution needs to know about one file: its constants, and
/// every assignment indexed by the name it binds. Built in one pass; lookups
/// then cost the number of assignments of that name, and a per-file budget
/// bounds the total work on hostile input.
pub struct Resolver<'t> {
    constants: HashSet<String>,
    /// Bound name → (assignment node, assigned value), in document order.
    assignments: HashMap<String, Vec<(Node<'t>, Node<'t>)>>,
    budget: Cell<usize>,
    /// When set, a call carries request input only through string-building
    /// functions ([`PASS_THROUGH_CALLS`]) or as a method of the request itself:
    /// `db.get(User, id)` returns a record, not the id.
    strict_calls: Cell<bool>,
}

/// Calls whose result still carries their arguments' text (for the strict mode).
const PASS_THROUGH_CALLS: &[&str] = &[
    "join",
    "format",
    "str",
    "String",
    "resolve",
    "normalize",
    "concat",
    "replace",
    "trim",
    "strip",
    "lower",
    "upper",
    "toString",
    "toLowerCase",
    "toUpperCase",
    "Sprintf",
    "Join",
    "to_string",
    "to_owned",
    "fspath",
    "Path",
    "urljoin",
    "unquote",
    "decodeURIComponent",
    "fromPath",
    "Clean",
    "as_str",
    "clone",
    "into",
    "from",
    "Sprint",
    "TrimSpace",
    "f",
];

/// Earlier assignments of a name looked at by one resolution, at most.
const MAX_ASSIGNMENTS_CONSIDERED: usize = 32;

/// Identifier resolutions allowed per file; past it, values count as
/// non-constant (never as request input).
const RESOLUTION_BUDGET: usize = 20_000;

impl<'t> Resolver<'t> {
    /// Constants are, in JS/TS, `const NAME = <literal>` anywhere in the file
    /// (or a `+` of such constants); in Python, `UPPER_CASE = <literal>` at
    /// module level or in a class body.
    pub fn new(file: &ParsedFile<'t>) -> Resolver<'t> {
        let mut constants = HashSet::new();
        let mut assignments: HashMap<String, Vec<(Node<'t>, Node<'t>)>> = HashMap::new();
        let python = file.grammar.is_python();
        if !(file.grammar.is_js() || python) {
            file.for_each_node(|node| {
                go_rust_bindings(file, node, &mut constants, &mut assignments)
            });
            return Resolver::from_parts(constants, assignments);
        }
        let kinds = [
            "variable_declarator",
            "assignment_expression",
            "augmented_assignment_expression",
            "assignment",
            "augmented_assignment",
        ];
        file.for_each_of(&kinds, |node| {
            let (target, value) = match node.kind_name() {
                "variable_declarator" => (node.field("name"), node.field("value")),
                "assignment_expression"
                | "augmented_assignment_expression"
                | "assignment"
                | "augmented_assignment" => (node.field("left"), node.field("right")),
                _ => return,
            };
            let (Some(target), Some(value)) = (target, value) else {
                return;
            };
            for name in bound_names(file, target) {
                assignments
                    .entry(name.to_string())
                    .or_default()
                    .push((node, value));
            }
            if target.kind_name() != "identifier" {
                return;
            }
            let name = file.text_of(target);
            let is_constant = if python {
                // Module level, or a class body (`class Repo: _ORDER = "…"`).
                let at_top = node.kind_name() == "assignment"
                    && file
                        .parent(node)
                        .filter(|p| p.kind_name() == "expression_statement")
                        .and_then(|p| file.parent(p))
                        .is_some_and(|p| {
                            p.kind_name() == "module"
                                || (p.kind_name() == "block"
                                    && file
                                        .parent(p)
                                        .is_some_and(|c| c.kind_name() == "class_definition"))
                        });
                at_top && is_upper_case(name)
            } else {
                node.kind_name() == "variable_declarator"
                    && file
                        .parent(node)
                        .filter(|p| p.kind_name() == "lexical_declaration")
                        .and_then(|p| p.child(0))
                        .is_some_and(|k| k.kind_name() == "const")
            };
            if is_constant && is_constant_expression(file, &constants, value, 0) {
                constants.insert(name.to_string());
            }
        });
        Resolver::from_parts(constants, assignments)
    }

    fn from_parts(
        constants: HashSet<String>,
        assignments: HashMap<String, Vec<(Node<'t>, Node<'t>)>>,
    ) -> Resolver<'t> {
        Resolver {
            constants,
            assignments,
            budget: Cell::new(RESOLUTION_BUDGET),
            strict_calls: Cell::new(false),
        }
    }

    /// Switches the strict call mode on or off (see `strict_calls`).
    pub fn set_strict_calls(&self, strict: bool) {
        self.strict_calls.set(strict);
    }

    pub fn contains(&self, name: &str) -> bool {
        self.constants.contains(name)
    }

    /// Takes one resolution from the budget; `false` once it is spent.
    fn spend(&self) -> bool {
        let left = self.budget.get();
        if left == 0 {
            return false;
        }
        self.budget.set(left - 1);
        true
    }

    /// Values assigned to `name` inside `scope` before `use_site`
    /// (`const x = …`, `let {x} = …`, `x = …`, `x += …`, Python `x = …`).
    fn assignments_before(&self, scope: Node<'t>, name: &str, use_site: Node<'t>) -> Vec<Node<'t>> {
        let use_start = use_site.start_byte();
        let scope_range = scope.byte_range();
        self.assignments
            .get(name)
            .map(|list| {
                list.iter()
                    .filter(|(assignment, _)| {
                        let start = assignment.start_byte();
                        scope_range.contains(&start)
                            && start < use_start
                            // `x = x + 1` at the use site itself is not an earlier assignment.
                            && !assignment.byte_range().contains(&use_start)
                    })
                    .map(|(_, value)| *value)
                    .collect::<Vec<_>>()
            })
            .map(|mut values: Vec<Node<'t>>| {
                // The nearest earlier assignments decide; older ones rarely matter.
                let skip = values.len().saturating_sub(MAX_ASSIGNMENTS_CONSIDERED);
                values.drain(..skip);
                values
            })
            .unwrap_or_default()
    }
}

fn is_upper_case(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A literal, a known constant, or `+` of those.
fn is_constant_expression(
    file: &ParsedFile,
    known: &HashSet<String>,
    node: Node,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let node = unwrap_expression(node);
    match node.kind_name() {
        "identifier" => known.contains(file.text_of(node)),
        "binary_expression" | "binary_operator" => {
            let op = node.field("operator").map(|o| o.kind_name());
            op == Some("+")
                && [node.field("left"), node.field("right")]
                    .into_iter()
                    .all(|side| {
                        side.is_some_and(|s| is_constant_expression(file, known, s, depth + 1))
                    })
        }
        _ => is_constant_literal(file, node),
    }
}

/// Where the value of `node` comes from.
pub fn origin<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    node: Node<'t>,
    depth: usize,
) -> Origin {
    if depth > MAX_DEPTH {
        return Origin::Other;
    }
    let node = unwrap_expression(node);
    if is_constant_literal(file, node) {
        return Origin::Constant;
    }
    if !(file.grammar.is_js() || file.grammar.is_python()) {
        if let Some(o) = go_rust_origin(file, consts, node, depth) {
            return o;
        }
    }
    match node.kind_name() {
        "identifier" => resolve_identifier(file, consts, node, depth),
        "template_string" | "string" | "concatenated_string" => named_children(node)
            .into_iter()
            .filter(|c| {
                matches!(
                    c.kind_name(),
                    "template_substitution" | "interpolation" | "string"
                )
            })
            .map(|c| origin(file, consts, c, depth + 1))
            .max()
            .unwrap_or(Origin::Constant),
        "template_substitution" => named_children(node)
            .into_iter()
            .map(|c| origin(file, consts, c, depth + 1))
            .max()
            .unwrap_or(Origin::Constant),
        "interpolation" => node
            .field("expression")
            .or_else(|| node.named_child(0))
            .map_or(Origin::Other, |e| origin(file, consts, e, depth + 1)),
        "member_expression" | "subscript_expression" | "attribute" | "subscript" => {
            if reads_request(file, node) {
                Origin::RequestInput
            } else {
                match chain_root(node) {
                    Some(root) if root.kind_name() == "identifier" => {
                        if resolve_identifier(file, consts, root, depth + 1) == Origin::RequestInput
                        {
                            Origin::RequestInput
                        } else {
                            Origin::Other
                        }
                    }
                    _ => Origin::Other,
                }
            }
        }
        "call_expression" | "call" => {
            let callee = node.field("function");
            let callee_object = callee.and_then(|c| {
                c.field("object")
                    .or_else(|| c.field("value"))
                    .or_else(|| c.field("operand"))
            });
            if callee_object.is_some_and(|o| {
                reads_request(file, o)
                    || (o.kind_name() == "identifier"
                        && resolve_identifier(file, consts, o, depth + 1) == Origin::RequestInput)
            }) {
                return Origin::RequestInput;
            }
            if consts.strict_calls.get() {
                let name = callee.map(|c| {
                    let last = c
                        .field("property")
                        .or_else(|| c.field("attribute"))
                        .or_else(|| c.field("field"))
                        .or_else(|| c.field("name"))
                        .unwrap_or(c);
                    file.text_of(last)
                });
                if !name.is_some_and(|n| PASS_THROUGH_CALLS.contains(&n)) {
                    return Origin::Other;
                }
            }
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            if args
                .into_iter()
                .any(|a| origin(file, consts, a, depth + 1) == Origin::RequestInput)
            {
                Origin::RequestInput
            } else {
                Origin::Other
            }
        }
        "binary_expression"
        | "binary_operator"
        | "boolean_operator"
        | "ternary_expression"
        | "conditional_expression"
        | "await_expression"
        | "await"
        | "unary_expression"
        | "unary_operator"
        | "array"
        | "list"
        | "tuple"
        | "keyword_argument"
        | "spread_element"
        | "list_splat"
        | "not_operator" => named_children(node)
            .into_iter()
            .filter(|c| c.kind_name() != "comment")
            .map(|c| origin(file, consts, c, depth + 1))
            .max()
            .unwrap_or(Origin::Constant),
        _ => Origin::Other,
    }
}

/// The innermost object of a member/attribute/subscript/call chain.
fn chain_root(mut node: Node) -> Option<Node> {
    for _ in 0..MAX_DEPTH {
        node = unwrap_expression(node);
        let next = match node.kind_name() {
            "member_expression" | "subscript_expression" | "attribute" => node.field("object"),
            "subscript" => node.field("value"),
            "call_expression" | "call" => node.field("function"),
            _ => return Some(node),
        };
        node = next?;
    }
    None
}

/// Does this member/attribute chain read request input: `req.query.x`,
/// `request.args["x"]`, `ctx.params.id`, `c.req.query("x")`?
fn reads_request(file: &ParsedFile, node: Node) -> bool {
    let mut current = unwrap_expression(node);
    for _ in 0..MAX_DEPTH {
        let (next, property) = match current.kind_name() {
            "member_expression" => (current.field("object"), current.field("property")),
            "attribute" => (current.field("object"), current.field("attribute")),
            "subscript_expression" => (current.field("object"), None),
            "subscript" => (current.field("value"), None),
            "call_expression" | "call" => (current.field("function"), None),
            "identifier" => return REQUEST_NAMES.contains(&file.text_of(current)),
            _ => return false,
        };
        if property.is_some_and(|p| {
            REQUEST_PROPERTIES.contains(&file.text_of(p))
                && file.parent(current).is_some_and(|parent| {
                    // `db.query(...)` calls a method named `query`; it does not read input.
                    !(matches!(parent.kind_name(), "call_expression" | "call")
                        && parent.field("function") == Some(current))
                })
        }) {
            return true;
        }
        match next {
            Some(n) => current = unwrap_expression(n),
            None => return false,
        }
    }
    false
}

/// Resolves an identifier by name: file constants, then the enclosing
/// functions' parameters and earlier local assignments, then module level.
fn resolve_identifier<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    ident: Node<'t>,
    depth: usize,
) -> Origin {
    let name = file.text_of(ident);
    if consts.contains(name) {
        return Origin::Constant;
    }
    if depth > MAX_DEPTH || !consts.spend() {
        return Origin::Other;
    }
    let by_name = if REQUEST_NAMES.contains(&name) {
        Origin::RequestInput
    } else {
        Origin::Other
    };
    for scope in file
        .ancestors(ident)
        .filter(|n| is_function(*n) || super::lang::is_any_function(*n))
    {
        if let Some(param) = parameters(file, scope).into_iter().find(|p| p.name == name) {
            return if param.request_input || (is_route_handler(file, scope) && !param.injected) {
                Origin::RequestInput
            } else {
                by_name
            };
        }
        let assigned = consts.assignments_before(scope, name, ident);
        if !assigned.is_empty() {
            return assigned
                .into_iter()
                .map(|value| origin(file, consts, value, depth + 1))
                .max()
                .unwrap_or(Origin::Other)
                .max(by_name);
        }
    }
    // Module level: only request-ness carries over (a mutable module variable
    // is not a constant).
    let root = file.tree.root_node();
    let module_level = consts.assignments_before(root, name, ident);
    let from_module = module_level
        .into_iter()
        .map(|value| origin(file, consts, value, depth + 1))
        .max();
    if from_module == Some(Origin::RequestInput) {
        return Origin::RequestInput;
    }
    by_name
}

/// A parameter of a function.
struct Param<'a> {
    name: &'a str,
    /// Marked as request input by a decorator (`@Param()`, `@Body()`, ...).
    request_input: bool,
    /// Injected by the framework rather than taken from the request
    /// (FastAPI `Depends(...)`), or `self`/`cls`.
    injected: bool,
}

fn parameters<'a>(file: &ParsedFile<'a>, function: Node) -> Vec<Param<'a>> {
    let mut out = Vec::new();
    let params = function
        .field("parameters")
        .or_else(|| function.field("parameter"));
    let Some(params) = params else {
        return out;
    };
    if params.kind_name() == "identifier" {
        out.push(Param {
            name: file.text_of(params),
            request_input: false,
            injected: false,
        });
        return out;
    }
    for param in named_children(params) {
        if matches!(
            param.kind_name(),
            "parameter_declaration"
                | "parameter"
                | "self_parameter"
                | "variadic_parameter_declaration"
        ) {
            let ty = param.field("type").map(|t| file.text_of(t)).unwrap_or("");
            let (input, injected) = typed_param_role(ty);
            if let Some(pattern) = param.field("pattern").or(Some(param)) {
                for name in bound_names(file, pattern) {
                    out.push(Param {
                        name,
                        request_input: input,
                        injected: injected || name == "self",
                    });
                }
            }
            continue;
        }
        let decorated_input = named_children(param).into_iter().any(|c| {
            c.kind_name() == "decorator"
                && file.descendants(c).into_iter().any(|d| {
                    d.kind_name() == "identifier"
                        && NEST_INPUT_DECORATORS.contains(&file.text_of(d))
                })
        });
        let injected = param
            .field("value")
            .and_then(|v| v.field("function"))
            .is_some_and(|f| file.text_of(f) == "Depends");
        let pattern = match param.kind_name() {
            "required_parameter" | "optional_parameter" => param.field("pattern"),
            "default_parameter" | "typed_default_parameter" => param.field("name"),
            "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                param.named_child(0)
            }
            "assignment_pattern" => param.field("left"),
            _ => Some(param),
        };
        let Some(pattern) = pattern else { continue };
        for name in bound_names(file, pattern) {
            let injected = injected || name == "self" || name == "cls";
            out.push(Param {
                name,
                request_input: decorated_input,
                injected,
            });
        }
    }
    out
}

/// The names a binding pattern introduces (`x`, `{ a, b: c }`, `[a, b]`, `a, b`).
fn bound_names<'a>(file: &ParsedFile<'a>, pattern: Node) -> Vec<&'a str> {
    file.descendants(pattern)
        .filter(|n| {
            matches!(
                n.kind_name(),
                "identifier" | "shorthand_property_identifier_pattern"
            ) && !file.parent(*n).is_some_and(|p| {
                // `{ a: b }` binds `b`, not the key; defaults bind nothing.
                (p.kind_name() == "pair_pattern" && p.field("key") == Some(*n))
                    || (p.kind_name() == "object_assignment_pattern"
                        && p.field("right") == Some(*n))
                    || p.kind_name() == "type_annotation"
                    || p.field("type") == Some(*n)
                    || p.kind_name() == "scoped_identifier"
                    || p.kind_name() == "type"
            })
        })
        .map(|n| file.text_of(n))
        .collect()
}

/// Is this function a route handler: passed to `app.get(...)`-style route
/// registration, decorated with `@app.get(...)`/`@router.post(...)`, or taking
/// a `req`/`request`/`ctx` first parameter?
pub fn is_route_handler(file: &ParsedFile, function: Node) -> bool {
    if let Some(first) = parameters(file, function).first() {
        if ["req", "request", "ctx", "context"].contains(&first.name) {
            return true;
        }
    }
    if file.grammar.is_python() {
        return file
            .parent(function)
            .filter(|p| p.kind_name() == "decorated_definition")
            .is_some_and(|def| {
                named_children(def)
                    .into_iter()
                    .filter(|c| c.kind_name() == "decorator")
                    .any(|d| {
                        file.descendants(d).into_iter().any(|n| {
                            n.kind_name() == "attribute"
                                && n.field("attribute")
                                    .is_some_and(|a| ROUTE_METHODS.contains(&file.text_of(a)))
                        })
                    })
            });
    }
    // Passed (possibly wrapped once or twice, e.g. `asyncHandler(fn)`) to
    // `something.get(...)`.
    let mut node = function;
    for _ in 0..3 {
        let Some(args) = file.parent(node).filter(|p| p.kind_name() == "arguments") else {
            return false;
        };
        let Some(call) = file.parent(args) else {
            return false;
        };
        let is_route_call = call
            .field("function")
            .filter(|f| f.kind_name() == "member_expression")
            .and_then(|f| f.field("property"))
            .is_some_and(|p| ROUTE_METHODS.contains(&file.text_of(p)));
        if is_route_call {
            return true;
        }
        node = call;
    }
    false
}

/// Go/Rust: the role of a handler parameter by its type: request input
/// (`*http.Request`, `*gin.Context`, `echo.Context`, `*fiber.Ctx`, axum/actix
/// `Path<…>`, `Query<…>`, `Json<…>`, `Form<…>`, `HttpRequest`) or injected
/// state (`State<…>`, `Extension<…>`, `web::Data<…>`).
fn typed_param_role(ty: &str) -> (bool, bool) {
    let ty: String = ty.split_whitespace().collect();
    let ty = ty.trim_start_matches(['*', '&']).trim_start_matches("mut");
    // `axum::extract::Query<Search>` → `Query`
    let base = ty.split('<').next().unwrap_or(ty);
    let base = base.rsplit("::").next().unwrap_or(base);
    // Extractors are generic (`Path<i64>`); a plain `&Path` is std::path::Path.
    let generic = ty.contains('<');
    let input = matches!(
        ty,
        "http.Request" | "gin.Context" | "echo.Context" | "fiber.Ctx"
    ) || (generic && matches!(base, "Path" | "Query" | "Json" | "Form"))
        || matches!(base, "HttpRequest" | "Multipart" | "RawQuery" | "Payload")
        || (base == "Request" && (ty.contains("extract::") || ty.starts_with("Request<")));
    let injected = matches!(base, "State" | "Extension" | "Data");
    (input, injected)
}

/// Go/Rust bindings for the resolver: `x := …`, `x = …`, `var x = …`,
/// `const X = "…"`, `let x = …`, `const X: &str = "…"`.
fn go_rust_bindings<'t>(
    file: &ParsedFile<'t>,
    node: Node<'t>,
    constants: &mut HashSet<String>,
    assignments: &mut HashMap<String, Vec<(Node<'t>, Node<'t>)>>,
) {
    let (targets, values): (Vec<Node>, Vec<Node>) = match node.kind_name() {
        "short_var_declaration" | "assignment_statement" => {
            let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                return;
            };
            (named_children(l), named_children(r))
        }
        "var_spec" | "const_spec" => {
            let mut cursor = node.walk();
            let names: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
            let values = node.field("value").map(named_children).unwrap_or_default();
            (names, values)
        }
        "let_declaration" => match (node.field("pattern"), node.field("value")) {
            (Some(p), Some(v)) => (vec![p], vec![v]),
            _ => return,
        },
        "const_item" | "static_item" => match (node.field("name"), node.field("value")) {
            (Some(n), Some(v)) => (vec![n], vec![v]),
            _ => return,
        },
        "assignment_expression" | "compound_assignment_expr" => {
            match (node.field("left"), node.field("right")) {
                (Some(l), Some(r)) => (vec![l], vec![r]),
                _ => return,
            }
        }
        _ => return,
    };
    if values.is_empty() {
        return;
    }
    let constant_decl = matches!(
        node.kind_name(),
        "const_spec" | "const_item" | "static_item"
    );
    for (i, target) in targets.iter().enumerate() {
        let value = if targets.len() == values.len() {
            values[i]
        } else {
            values[0]
        };
        for name in bound_names(file, *target) {
            assignments
                .entry(name.to_string())
                .or_default()
                .push((node, value));
            if constant_decl
                && (super::lang::string_value(file, value).is_some() || is_number(value))
            {
                constants.insert(name.to_string());
            }
        }
    }
}

fn is_number(node: Node) -> bool {
    matches!(
        node.kind_name(),
        "int_literal" | "float_literal" | "integer_literal"
    )
}

/// Go/Rust expressions the JS/Python rules do not know: literals, selector
/// and field chains, `format!`, references, `?`, `.await`.
fn go_rust_origin<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    node: Node<'t>,
    depth: usize,
) -> Option<Origin> {
    if super::lang::string_value(file, node).is_some()
        || is_number(node)
        || matches!(
            node.kind_name(),
            "true" | "false" | "nil" | "boolean_literal"
        )
    {
        return Some(Origin::Constant);
    }
    match node.kind_name() {
        "selector_expression" | "field_expression" | "index_expression" => {
            let mut root = node;
            for _ in 0..MAX_DEPTH {
                let next = match root.kind_name() {
                    "selector_expression" | "index_expression" => {
                        root.field("operand").or_else(|| root.named_child(0))
                    }
                    "field_expression" => root.field("value"),
                    "call_expression" => root.field("function"),
                    "reference_expression"
                    | "try_expression"
                    | "await_expression"
                    | "parenthesized_expression" => {
                        root.field("value").or_else(|| root.named_child(0))
                    }
                    _ => None,
                };
                match next {
                    Some(n) => root = n,
                    None => break,
                }
            }
            Some(if root.kind_name() == "identifier" {
                match resolve_identifier(file, consts, root, depth + 1) {
                    Origin::RequestInput => Origin::RequestInput,
                    _ => Origin::Other,
                }
            } else {
                Origin::Other
            })
        }
        "reference_expression"
        | "try_expression"
        | "await_expression"
        | "unary_expression"
        | "type_cast_expression" => node
            .field("value")
            .or_else(|| node.named_child(0))
            .map(|n| origin(file, consts, n, depth + 1)),
        "call_expression" => {
            // Go/Rust method on a request value: `r.URL.Query().Get("x")`, `c.Query("x")`.
            let callee = node.field("function")?;
            if matches!(
                callee.kind_name(),
                "selector_expression" | "field_expression"
            ) {
                let via_receiver = go_rust_origin(file, consts, callee, depth + 1);
                if via_receiver == Some(Origin::RequestInput) {
                    return Some(Origin::RequestInput);
                }
            }
            None
        }
        "macro_invocation" => Some(macro_origin(file, consts, node, depth)),
        _ => None,
    }
}

/// The origin of a Rust `format!`-like macro: the worst of the values it
/// mixes in, positional (`format!("{}", id)`) or inline (`format!("{id}")`).
pub fn macro_origin<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    node: Node<'t>,
    depth: usize,
) -> Origin {
    let Some((_, tree)) = super::lang::macro_call(file, node) else {
        return Origin::Other;
    };
    let mut worst = Origin::Constant;
    for token in file.descendants(tree) {
        match token.kind_name() {
            "identifier" => {
                // `a.b` inside a token tree: judge the first name of the path.
                let after_dot = token
                    .prev_sibling()
                    .is_some_and(|p| file.text_of(p) == "." || file.text_of(p) == "::");
                let before_colons = token
                    .next_sibling()
                    .is_some_and(|n| file.text_of(n) == "::");
                if after_dot || before_colons {
                    continue;
                }
                let o = resolve_identifier(file, consts, token, depth + 1);
                // A named argument `name = value` binds a name; its value is judged on its own.
                worst = worst.max(o);
            }
            "string_literal" | "raw_string_literal" => {
                // Inline names: `{id}`, `{user_id:?}`
                let text = file.text_of(token);
                let mut rest = text;
                while let Some(open) = rest.find('{') {
                    rest = &rest[open + 1..];
                    if rest.starts_with('{') {
                        rest = &rest[1..];
                        continue;
                    }
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && !name.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        worst = worst.max(resolve_name(file, consts, &name, node, depth + 1));
                    }
                }
            }
            _ => {}
        }
        if worst == Origin::RequestInput {
            break;
        }
    }
    worst
}

/// Resolves a name used at `site` (an inline `format!` argument).
fn resolve_name<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    name: &str,
    site: Node<'t>,
    depth: usize,
) -> Origin {
    if consts.contains(name) {
        return Origin::Constant;
    }
    if depth > MAX_DEPTH || !consts.spend() {
        return Origin::Other;
    }
    for scope in file
        .ancestors(site)
        .filter(|n| super::lang::is_any_function(*n))
    {
        if let Some(param) = parameters(file, scope).into_iter().find(|p| p.name == name) {
            return if param.request_input {
                Origin::RequestInput
            } else {
                Origin::Other
            };
        }
        let assigned = consts.assignments_before(scope, name, site);
        if !assigned.is_empty() {
            return assigned
                .into_iter()
                .map(|value| origin(file, consts, value, depth + 1))
                .max()
                .unwrap_or(Origin::Other);
        }
    }
    Origin::Other
}

#[cfg(test)]
mod tests {
    use super::super::language::Grammar;
    use super::super::syntax::Parsers;
    use super::*;

    /// The origin of the expression `probe(<expr>)` placed at the end of `code`.
    fn origin_of_probe(grammar: Grammar, code: &str) -> Origin {
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new("x", code, grammar, &tree);
        let consts = Resolver::new(&file);
        let mut found = None;
        file.for_each_node(|n| {
            if matches!(n.kind_name(), "call_expression" | "call")
                && n.field("function")
                    .is_some_and(|f| file.text_of(f) == "probe")
            {
                let arg = n.field("arguments").unwrap().named_child(0).unwrap();
                found = Some(origin(&file, &consts, arg, 0));
            }
        });
        found.expect("probe call")
    }

    #[test]
    fn js_constants_and_request_input_are_told_apart() {
        let ts = Grammar::TypeScript;
        assert_eq!(
            origin_of_probe(ts, "const T = 'orders';\nprobe(T);"),
            Origin::Constant
        );
        assert_eq!(
            origin_of_probe(ts, "let t = 'orders';\nprobe(t);"),
            Origin::Other
        );
        assert_eq!(
            origin_of_probe(ts, "probe(req.query.customer);"),
            Origin::RequestInput
        );
        assert_eq!(
            origin_of_probe(
                ts,
                "app.get('/x', (rq, rs) => { const { id } = rq.params; probe(id); });"
            ),
            Origin::RequestInput
        );
        assert_eq!(
            origin_of_probe(
                ts,
                "router.post('/x', async ({ body }) => { probe(body.name); });"
            ),
            Origin::RequestInput
        );
        assert_eq!(
            origin_of_probe(
                ts,
                "function find(customerId: string) { probe(customerId); }"
            ),
            Origin::Other
        );
        assert_eq!(
            origin_of_probe(ts, "probe(c.req.query('id'));"),
            Origin::RequestInput
        );
        assert_eq!(origin_of_probe(ts, "probe(db.query('x'));"), Origin::Other);
    }

    #[test]
    fn go_and_rust_handler_input_is_request_input() {
        let go = Grammar::Go;
        let code = "package x\nconst table = \"orders\"\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get(\"name\")\n\tprobe(name)\n}\n";
        assert_eq!(origin_of_probe(go, code), Origin::RequestInput);
        let code =
            "package x\nfunc h(c *gin.Context) { id := c.Param(\"id\"); probe(\"x\" + id) }\n";
        assert_eq!(origin_of_probe(go, code), Origin::RequestInput);
        let code = "package x\nconst table = \"orders\"\nfunc h(c *gin.Context) { probe(table) }\n";
        assert_eq!(origin_of_probe(go, code), Origin::Constant);
        let code = "package x\nfunc find(status string) { probe(status) }\n";
        assert_eq!(origin_of_probe(go, code), Origin::Other);
        let rs = Grammar::Rust;
        let code = "async fn h(Path(id): Path<i64>, State(db): State<Pool>) { probe(id); }\n";
        assert_eq!(origin_of_probe(rs, code), Origin::RequestInput);
        let code = "async fn h(Path(id): Path<i64>, State(db): State<Pool>) { probe(db); }\n";
        assert_eq!(origin_of_probe(rs, code), Origin::Other);
        let code = "async fn h(Query(q): Query<Search>) { let sql = format!(\"SELECT * FROM t WHERE n = '{}'\", q.name); probe(sql); }\n";
        assert_eq!(origin_of_probe(rs, code), Origin::RequestInput);
        let code =
            "const T: &str = \"orders\";\nfn f() { probe(format!(\"SELECT * FROM {T}\")); }\n";
        assert_eq!(origin_of_probe(rs, code), Origin::Constant);
    }

    #[test]
    fn python_module_constants_handler_parameters_and_dependencies_are_told_apart() {
        let py = Grammar::Python;
        assert_eq!(
            origin_of_probe(py, "TABLE = 'items'\nprobe(TABLE)\n"),
            Origin::Constant
        );
        assert_eq!(
            origin_of_probe(py, "table = 'items'\nprobe(table)\n"),
            Origin::Other
        );
        let handler = "@router.get('/items')\ndef list_items(name: str, db: Session = Depends(get_db)):\n    probe(name)\n";
        assert_eq!(origin_of_probe(py, handler), Origin::RequestInput);
        let injected = "@router.get('/items')\ndef list_items(name: str, db: Session = Depends(get_db)):\n    probe(db)\n";
        assert_eq!(origin_of_probe(py, injected), Origin::Other);
        let flask = "def search():\n    term = request.args.get('q')\n    probe(term)\n";
        assert_eq!(origin_of_probe(py, flask), Origin::RequestInput);
    }
}
