//! SEC-SQLI (CWE-89): SQL text built from strings with non-constant values,
//! over JS/TS and Python syntax trees.
//!
//! A *building expression* is a JS/TS template literal with `${}`, a `+`
//! chain or `.concat(...)`, or a Python f-string, `%` formatting, `.format()`
//! or `+` chain. It is flagged when its literal text reads like SQL and one of
//! the values it mixes in is not a constant: `critical` when the value comes
//! from request input, `high` otherwise. Parameterized queries, tagged
//! templates (sql`…`), ORM calls and log messages are not building expressions.

use super::findings::Draft;
use super::syntax::{
    is_function, js_literal_text, named_children, py_literal_text, unwrap_expression, ParsedFile,
    MAX_DEPTH,
};
use super::taint::{origin, Origin, Resolver};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-SQLI";

/// Values of one building expression whose origin is looked up, at most.
const MAX_VALUES_JUDGED: usize = 256;

/// Stands for a value mixed into the SQL text.
const VALUE_MARKER: &str = "__v__";

/// What one file showed.
#[derive(Debug, Default)]
pub struct SqlScan {
    pub drafts: Vec<Draft>,
    /// Lines of string literals that read like SQL (parameterized or not).
    pub sql_lines: Vec<u32>,
}

/// A piece of a building expression.
enum Part<'t> {
    Text(String),
    Value(Node<'t>),
}

/// Does this text (string literal content, values replaced by a marker) read
/// like SQL?
pub fn looks_like_sql(text: &str) -> bool {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let tok = r#"[\w."`\[\]()*]+"#;
        let name = r#"[\w."`\[\]]+"#;
        [
            format!(
                r"(?i)\bselect\s+(?:distinct\s+|top\s+\d+\s+)?{tok}(?:\s+as\s+\w+)?(?:\s*,\s*{tok}(?:\s+as\s+\w+)?)*\s+from\s+{name}"
            ),
            format!(
                r"(?i)\binsert\s+(?:or\s+\w+\s+)?into\s+{name}\s*(?:\(|values\b|select\b|set\b|default\b|{VALUE_MARKER})"
            ),
            format!(r"(?i)\bupdate\s+{name}\s+set\s+{name}\s*="),
            format!(r"(?i)\bdelete\s+from\s+{name}"),
            format!(
                r"(?i)\bwhere\s+{tok}\s*(?:=|<>|!=|<=|>=|<|>|like\b|ilike\b|in\s*\(|between\b|is\s+(?:not\s+)?null\b)"
            ),
            format!(r"(?i)^\s*(?:and|or)\s+{name}\s*(?:=|<>|!=|<=|>=|like\b|ilike\b|in\s*\()"),
            r"(?i)^\s*order\s+by\s+".to_string(),
            r"(?i)\b(?:create|drop|alter|truncate)\s+table\s+".to_string(),
        ]
        .iter()
        .map(|p| Regex::new(p).expect("valid SQL pattern"))
        .collect()
    });
    if !may_be_sql(text) {
        return false;
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    patterns.iter().any(|re| re.is_match(&collapsed))
}

/// A cheap necessary condition of [`looks_like_sql`]: every pattern needs
/// one of these words (or a leading `and`/`or`). Most strings of a program
/// have none, and skip the patterns. Non-ASCII text always goes on to them,
/// since Unicode case folding matches more than ASCII lower-casing (`ſ`).
fn may_be_sql(text: &str) -> bool {
    if !text.is_ascii() {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let lead = lower.trim_start();
    [
        "select", "insert", "update", "delete", "where", "order", "table",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || lead.starts_with("and")
        || lead.starts_with("or")
}

/// The kinds [`is_plain_string`] and [`building_kind`] accept, in the four
/// languages: the scan visits only these.
pub(super) const SCAN_KINDS: &[&str] = &[
    "string",
    "template_string",
    "concatenated_string",
    "interpreted_string_literal",
    "raw_string_literal",
    "string_literal",
    "binary_expression",
    "binary_operator",
    "call_expression",
    "call",
    "macro_invocation",
];

/// Scans one parsed JS/TS/Python file.
pub fn scan(file: &ParsedFile) -> SqlScan {
    let consts = Resolver::new(file);
    let mut out = SqlScan::default();
    let mut flagged: Vec<std::ops::Range<usize>> = Vec::new();
    let python = file.grammar.is_python();
    file.for_each_of(SCAN_KINDS, |node| {
        if is_plain_string(file, node, python) && !is_bare_statement(file, node) {
            if let Some(text) = literal_with_markers(file, node) {
                if out.sql_lines.len() < 20 && looks_like_sql(&text) {
                    out.sql_lines.push(super::syntax::first_line(node));
                }
            }
        }
        let Some(how) = building_kind(file, node) else {
            return;
        };
        let range = node.byte_range();
        if flagged
            .iter()
            .any(|f| f.start <= range.start && range.end <= f.end)
        {
            return;
        }
        if let Some(draft) = judge(file, &consts, node, how) {
            flagged.push(range);
            out.drafts.push(draft);
        }
    });
    out
}

/// A string on its own as a statement: a docstring, not a query.
fn is_bare_statement(file: &ParsedFile, node: Node) -> bool {
    file.parent(node)
        .is_some_and(|p| p.kind_name() == "expression_statement" && p.named_child_count() == 1)
}

/// A string literal node worth testing for SQL text (the outermost one).
pub(super) fn is_plain_string(file: &ParsedFile, node: Node, python: bool) -> bool {
    if !(file.grammar.is_js() || python) {
        return matches!(
            node.kind_name(),
            "interpreted_string_literal" | "raw_string_literal" | "string_literal"
        ) && file.parent(node).is_none_or(|p| {
            p.kind_name() != "token_tree"
                || super::lang::macro_call(file, file.parent(p).unwrap_or(p))
                    .is_none_or(|(n, _)| !n.starts_with("format"))
        });
    }
    match node.kind_name() {
        "string" | "template_string" if !python => true,
        "string" => file
            .parent(node)
            .is_none_or(|p| p.kind_name() != "concatenated_string"),
        "concatenated_string" => true,
        _ => false,
    }
}

/// The literal text of a string node with interpolations replaced by the
/// marker.
fn literal_with_markers(file: &ParsedFile, node: Node) -> Option<String> {
    let parts = flatten(file, node, 0);
    let mut text = String::new();
    for part in parts {
        match part {
            Part::Text(t) => text.push_str(&t),
            Part::Value(_) => text.push_str(VALUE_MARKER),
        }
    }
    Some(text)
}

/// How a node builds a string, if it is a building expression that should be
/// judged on its own (the outermost of a `+` chain).
pub(super) fn building_kind(file: &ParsedFile, node: Node) -> Option<&'static str> {
    let python = file.grammar.is_python();
    if !(file.grammar.is_js() || python) {
        return go_rust_building_kind(file, node);
    }
    match node.kind_name() {
        "template_string" if !python => {
            let has_substitution = named_children(node)
                .iter()
                .any(|c| c.kind_name() == "template_substitution");
            let tagged = file.parent(node).is_some_and(|p| {
                p.kind_name() == "call_expression" && p.field("arguments") == Some(node)
            });
            (has_substitution && !tagged).then_some("a template literal")
        }
        "binary_expression" | "binary_operator" => {
            let op = node.field("operator")?.kind_name();
            if op == "+" {
                let parent_is_plus = outer_parent(file, node).is_some_and(|p| {
                    matches!(p.kind_name(), "binary_expression" | "binary_operator")
                        && p.field("operator").map(|o| o.kind_name()) == Some("+")
                });
                (!parent_is_plus).then_some("string concatenation")
            } else if op == "%" && python {
                let left = unwrap_expression(node.field("left")?);
                let text = py_literal_text(file, left)?;
                percent_placeholder()
                    .is_match(&text)
                    .then_some("`%` formatting")
            } else {
                None
            }
        }
        "string" if python => {
            let interpolated = named_children(node)
                .iter()
                .any(|c| c.kind_name() == "interpolation");
            let in_concatenation = file
                .parent(node)
                .is_some_and(|p| p.kind_name() == "concatenated_string");
            (interpolated && !in_concatenation).then_some("an f-string")
        }
        "concatenated_string" => {
            let interpolated = named_children(node).iter().any(|s| {
                named_children(*s)
                    .iter()
                    .any(|c| c.kind_name() == "interpolation")
            });
            interpolated.then_some("an f-string")
        }
        "call_expression" | "call" => {
            let function = node.field("function")?;
            let (object, method) = match function.kind_name() {
                "member_expression" => (function.field("object")?, function.field("property")?),
                "attribute" => (function.field("object")?, function.field("attribute")?),
                _ => return None,
            };
            let object = unwrap_expression(object);
            let literal_object = matches!(
                object.kind_name(),
                "string" | "template_string" | "concatenated_string"
            );
            match (file.text_of(method), python) {
                ("concat", false) if literal_object => Some("`.concat()`"),
                ("format", true) if literal_object => Some("`.format()`"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The parent of a node, skipping parentheses.
fn outer_parent<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<Node<'t>> {
    file.ancestors(node)
        .find(|p| p.kind_name() != "parenthesized_expression")
}

fn percent_placeholder() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"%(?:\([A-Za-z_]\w*\))?[-+ #0-9.]*[sdifr]").expect("valid"))
}

fn format_placeholder() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{[^{}]*\}").expect("valid"))
}

/// The literal text and mixed-in values of a building expression.
fn flatten<'t>(file: &ParsedFile, node: Node<'t>, depth: usize) -> Vec<Part<'t>> {
    if depth > MAX_DEPTH {
        return vec![Part::Value(node)];
    }
    let node = unwrap_expression(node);
    let python = file.grammar.is_python();
    if !(file.grammar.is_js() || python) {
        if let Some(parts) = go_rust_flatten(file, node) {
            return parts;
        }
    }
    match node.kind_name() {
        "string" if !python => vec![Part::Text(
            js_literal_text(file, node).unwrap_or_default().to_string(),
        )],
        "template_string" => named_children(node)
            .into_iter()
            .filter_map(|c| match c.kind_name() {
                "string_fragment" | "escape_sequence" => {
                    Some(Part::Text(file.text_of(c).to_string()))
                }
                "template_substitution" => c.named_child(0).map(Part::Value),
                _ => None,
            })
            .collect(),
        "string" => named_children(node)
            .into_iter()
            .filter_map(|c| match c.kind_name() {
                "string_content" | "escape_sequence" => {
                    Some(Part::Text(file.text_of(c).to_string()))
                }
                "interpolation" => c
                    .field("expression")
                    .or_else(|| c.named_child(0))
                    .map(Part::Value),
                _ => None,
            })
            .collect(),
        "concatenated_string" => named_children(node)
            .into_iter()
            .flat_map(|c| flatten(file, c, depth + 1))
            .collect(),
        "binary_expression" | "binary_operator" => {
            let op = node.field("operator").map(|o| o.kind_name());
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return vec![Part::Value(node)];
            };
            match op {
                Some("+") => {
                    // Long `+` chains nest as deep as they are long: walk them
                    // with a stack, not recursion.
                    let mut parts = Vec::new();
                    let mut stack = vec![right, left];
                    while let Some(operand) = stack.pop() {
                        let operand = unwrap_expression(operand);
                        let nested_plus =
                            matches!(operand.kind_name(), "binary_expression" | "binary_operator")
                                && operand.field("operator").map(|o| o.kind_name()) == Some("+");
                        match (nested_plus, operand.field("left"), operand.field("right")) {
                            (true, Some(l), Some(r)) => {
                                stack.push(r);
                                stack.push(l);
                            }
                            _ => parts.extend(flatten(file, operand, depth + 1)),
                        }
                    }
                    parts
                }
                Some("%") if python => match py_literal_text(file, unwrap_expression(left)) {
                    Some(text) => {
                        let mut parts = vec![Part::Text(
                            percent_placeholder()
                                .replace_all(&text, VALUE_MARKER)
                                .into_owned(),
                        )];
                        parts.extend(spread_values(unwrap_expression(right)));
                        parts
                    }
                    None => vec![Part::Value(node)],
                },
                _ => vec![Part::Value(node)],
            }
        }
        "call_expression" | "call" => {
            let method_and_object = node.field("function").and_then(|f| {
                let object = f.field("object").map(unwrap_expression).filter(|o| {
                    matches!(
                        o.kind_name(),
                        "string" | "template_string" | "concatenated_string"
                    )
                })?;
                let method = f.field("property").or_else(|| f.field("attribute"))?;
                Some((file.text_of(method), object))
            });
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            match method_and_object {
                Some(("concat", object)) if !python => {
                    let mut parts = flatten(file, object, depth + 1);
                    for arg in args {
                        parts.extend(flatten(file, arg, depth + 1));
                    }
                    parts
                }
                Some(("format", object)) if python => {
                    let text = py_literal_text(file, object).unwrap_or_default();
                    let mut parts = vec![Part::Text(
                        format_placeholder()
                            .replace_all(&text, VALUE_MARKER)
                            .into_owned(),
                    )];
                    for arg in args {
                        let value = if arg.kind_name() == "keyword_argument" {
                            arg.field("value").unwrap_or(arg)
                        } else {
                            arg
                        };
                        parts.push(Part::Value(value));
                    }
                    parts
                }
                _ => vec![Part::Value(node)],
            }
        }
        _ => vec![Part::Value(node)],
    }
}

/// The values of the right side of `%`: a tuple's elements, a dict's values,
/// or the expression itself.
fn spread_values(node: Node) -> Vec<Part> {
    match node.kind_name() {
        "tuple" => named_children(node).into_iter().map(Part::Value).collect(),
        "dictionary" => named_children(node)
            .into_iter()
            .filter_map(|pair| pair.field("value"))
            .map(Part::Value)
            .collect(),
        _ => vec![Part::Value(node)],
    }
}

/// Decides whether a building expression is SQL injection, and how bad.
fn judge<'t>(
    file: &ParsedFile<'t>,
    consts: &Resolver<'t>,
    node: Node<'t>,
    how: &str,
) -> Option<Draft> {
    let parts = flatten(file, node, 0);
    // The cheap tests first: is it SQL at all, and not a log or error message?
    let mut text = String::new();
    for part in &parts {
        match part {
            Part::Text(t) => text.push_str(t),
            Part::Value(_) => text.push_str(VALUE_MARKER),
        }
    }
    let sql =
        looks_like_sql(&text) || (in_fragment_context(file, node) && looks_like_fragment(&text));
    if !sql || is_message_context(file, node) {
        return None;
    }
    let mut text_before = String::new();
    let mut worst: Option<(Origin, Node, String)> = None;
    let mut values_judged = 0usize;
    for part in &parts {
        if worst
            .as_ref()
            .is_some_and(|(w, _, _)| *w == Origin::RequestInput)
        {
            break;
        }
        match part {
            Part::Text(t) => text_before.push_str(t),
            Part::Value(value) if values_judged >= MAX_VALUES_JUDGED => {
                // Enough: the rest counts as non-constant.
                if worst.as_ref().is_none_or(|(w, _, _)| *w < Origin::Other) {
                    worst = Some((Origin::Other, *value, text_before.clone()));
                }
                break;
            }
            Part::Value(value) => {
                values_judged += 1;
                let mut o = if is_placeholder_list(file, *value) {
                    Origin::Constant
                } else {
                    origin(file, consts, *value, 0)
                };
                // `"… = $" + (i + 1)` numbers a placeholder; it is not a value.
                if text_before.ends_with('$') && o != Origin::RequestInput {
                    o = Origin::Constant;
                }
                if worst.as_ref().is_none_or(|(w, _, _)| o > *w) {
                    worst = Some((o, *value, text_before.clone()));
                }
                text_before.push_str(VALUE_MARKER);
            }
        }
    }
    let (worst_origin, worst_node, text_before) = worst?;
    if worst_origin == Origin::Constant {
        return None;
    }
    let severity = if worst_origin == Origin::RequestInput {
        Severity::Critical
    } else {
        Severity::High
    };
    let value = short_code(file.text_of(worst_node));
    let source = if worst_origin == Origin::RequestInput {
        format!("request input (`{value}`)")
    } else {
        format!("a value that is not a constant (`{value}`)")
    };
    let risk = if worst_origin == Origin::RequestInput {
        "whoever sends the request can rewrite the query (SQL injection, CWE-89)"
    } else {
        "if that value ever carries user input, the query can be rewritten (SQL injection, CWE-89)"
    };
    let fix = if file.grammar == super::language::Grammar::Go {
        "Keep the SQL text constant and pass values as arguments: `db.Query(\"SELECT … WHERE id = $1\", id)` (`?` for MySQL/SQLite), or the query builder/ORM."
    } else if file.grammar == super::language::Grammar::Rust {
        "Keep the SQL text constant and bind values: `sqlx::query(\"SELECT … WHERE id = $1\").bind(id)` (or the checked `query!` macro), or Diesel's query DSL."
    } else if file.grammar.is_python() {
        "Keep the SQL text constant and pass values separately: `%s` placeholders with a params tuple, e.g. `cursor.execute(\"SELECT … WHERE id = %s\", (item_id,))`, or bound parameters in SQLAlchemy: `text(\"SELECT … WHERE id = :id\")` executed with `{\"id\": item_id}`, or the ORM."
    } else {
        "Keep the SQL text constant and pass values separately: `$1`/`?` placeholders with the driver's values array, e.g. `pool.query(\"SELECT … WHERE id = $1\", [id])`, or the query builder/ORM."
    };
    let identifier_hint = if names_an_identifier(&text_before) {
        " Table and column names cannot be bound as parameters: map them through a fixed allow-list."
    } else {
        ""
    };
    Some(Draft {
        check_id: CHECK_ID,
        severity,
        line: super::syntax::first_line(node),
        end_line: super::syntax::last_line(node),
        message: format!("SQL built by {how} from {source}: {risk}. {fix}{identifier_hint}"),
        code: file.text_of(node).to_string(),
        secrets: Vec::new(),
    })
}

/// Does the SQL text right before a value expect an identifier (a table or
/// column name) rather than a value?
fn names_an_identifier(text_before: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)\b(?:from|join|into|update|table|order\s+by|group\s+by)\s*["`]?$"#)
            .expect("valid")
    })
    .is_match(text_before.trim_end())
}

/// Is this string a log line or an error message rather than a query?
fn is_message_context(file: &ParsedFile, node: Node) -> bool {
    static LOG_CALL: OnceLock<Regex> = OnceLock::new();
    let log_call = LOG_CALL.get_or_init(|| {
        Regex::new(
            r"^(?:print|debug)$|(?:^|\.)_?(?:console|logger|log|logging)\.\w+$|(?:^|\.)\w*(?:Error|Exception)$",
        )
        .expect("valid")
    });
    for ancestor in file.ancestors(node) {
        if is_function(ancestor)
            || ancestor.kind_name().ends_with("statement")
                && ancestor.kind_name() != "expression_statement"
        {
            return matches!(ancestor.kind_name(), "throw_statement" | "raise_statement");
        }
        if matches!(
            ancestor.kind_name(),
            "call_expression" | "call" | "new_expression"
        ) {
            let callee = ancestor
                .field("function")
                .or_else(|| ancestor.field("constructor"));
            if callee.is_some_and(|c| log_call.is_match(file.text_of(c))) {
                return true;
            }
        }
    }
    false
}

/// Code shown inside a message: whitespace collapsed, at most 60 characters.
fn short_code(code: &str) -> String {
    let collapsed = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= 60 {
        collapsed
    } else {
        let mut out: String = collapsed.chars().take(59).collect();
        out.push('…');
        out
    }
}

/// Go `fmt.Sprintf("…", …)` and Rust `format!("…", …)` build strings.
fn go_rust_building_kind(file: &ParsedFile, node: Node) -> Option<&'static str> {
    match node.kind_name() {
        "binary_expression" => {
            let op = node.field("operator").map(|o| file.text_of(o));
            let parent_is_plus = outer_parent(file, node).is_some_and(|p| {
                p.kind_name() == "binary_expression"
                    && p.field("operator").map(|o| file.text_of(o)) == Some("+")
            });
            (op == Some("+") && !parent_is_plus).then_some("string concatenation")
        }
        "call_expression" if file.grammar == super::language::Grammar::Go => {
            let callee = node.field("function").map(|f| file.text_of(f))?;
            matches!(callee, "fmt.Sprintf").then_some("`fmt.Sprintf`")
        }
        "macro_invocation" => {
            let (name, _) = super::lang::macro_call(file, node)?;
            (name == "format").then_some("`format!`")
        }
        _ => None,
    }
}

/// The pieces of a Go/Rust building expression.
fn go_rust_flatten<'t>(file: &ParsedFile, node: Node<'t>) -> Option<Vec<Part<'t>>> {
    if let Some(text) = super::lang::string_value(file, node) {
        return Some(vec![Part::Text(text)]);
    }
    match node.kind_name() {
        "call_expression" if file.grammar == super::language::Grammar::Go => {
            let callee = node.field("function").map(|f| file.text_of(f))?;
            if callee != "fmt.Sprintf" {
                return None;
            }
            let args = named_children(node.field("arguments")?);
            let format = super::lang::string_value(file, *args.first()?)?;
            let mut parts = vec![Part::Text(
                go_verbs().replace_all(&format, VALUE_MARKER).into_owned(),
            )];
            parts.extend(args[1..].iter().map(|a| Part::Value(*a)));
            Some(parts)
        }
        "macro_invocation" => {
            let (_, tree) = super::lang::macro_call(file, node)?;
            let format = named_children(tree)
                .into_iter()
                .find(|t| matches!(t.kind_name(), "string_literal" | "raw_string_literal"))
                .and_then(|t| super::lang::string_value(file, t))?;
            Some(vec![
                Part::Text(
                    format_placeholder()
                        .replace_all(&format, VALUE_MARKER)
                        .into_owned(),
                ),
                Part::Value(node),
            ])
        }
        _ => None,
    }
}

fn go_verbs() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"%[-+ #0-9.]*[vsdqxXfgt]").expect("valid"))
}

/// A list of placeholders, not a value: `ids.map(() => "?").join(",")`,
/// `Array(n).fill("?").join(",")`, `", ".join(["%s"] * len(ids))`,
/// `",".join("?" for _ in ids)`, `strings.Repeat("?,", n)`.
fn is_placeholder_list(file: &ParsedFile, value: Node) -> bool {
    let value = unwrap_expression(value);
    if value.kind_name() == "identifier" {
        // `const marks = ids.map(() => "?").join(",")` earlier in the function.
        let name = file.text_of(value);
        let scope =
            super::lang::enclosing_function(file, value).unwrap_or_else(|| file.tree.root_node());
        let mut assigned = file
            .descendants(scope)
            .filter(|n| n.start_byte() < value.start_byte())
            .filter_map(|n| match n.kind_name() {
                "variable_declarator" => Some((n.field("name")?, n.field("value")?)),
                "assignment" | "assignment_expression" | "short_var_declaration" => {
                    Some((n.field("left")?, n.field("right")?))
                }
                _ => None,
            })
            .filter(|(target, _)| file.text_of(*target) == name)
            .map(|(_, v)| {
                if v.kind_name() == "expression_list" {
                    v.named_child(0).unwrap_or(v)
                } else {
                    v
                }
            })
            .peekable();
        return assigned.peek().is_some()
            && assigned.all(|v| v.kind_name() != "identifier" && is_placeholder_list(file, v));
    }
    let Some(c) = super::lang::call(file, value) else {
        return false;
    };
    let placeholder = |n: Node| {
        super::lang::string_value(file, n).is_some_and(|t| is_placeholder_text(&t))
            || (n.kind_name() == "template_string" && {
                let text: String = named_children(n)
                    .iter()
                    .filter(|c| c.kind_name() == "string_fragment")
                    .map(|c| file.text_of(*c))
                    .collect();
                is_placeholder_text(&text)
            })
    };
    match c.name {
        "join" if file.grammar.is_js() => {
            let Some(inner) = c
                .object
                .and_then(|o| super::lang::call(file, unwrap_expression(o)))
            else {
                return false;
            };
            match inner.name {
                "fill" => inner.args.first().is_some_and(|a| placeholder(*a)),
                "map" => inner.args.first().is_some_and(|f| {
                    let body = f.field("body");
                    body.is_some_and(|b| {
                        let b = unwrap_expression(b);
                        placeholder(b)
                            || (b.kind_name() == "statement_block"
                                && file
                                    .descendants(b)
                                    .filter(|n| n.kind_name() == "return_statement")
                                    .all(|r| r.named_child(0).is_some_and(placeholder)))
                    })
                }),
                _ => false,
            }
        }
        "join" if file.grammar.is_python() => {
            let Some(arg) = c.args.first().map(|a| unwrap_expression(*a)) else {
                return false;
            };
            match arg.kind_name() {
                // ["%s"] * len(ids)
                "binary_operator" => arg.field("left").is_some_and(|l| {
                    let l = unwrap_expression(l);
                    l.kind_name() == "list" && named_children(l).into_iter().all(placeholder)
                }),
                "generator_expression" | "list_comprehension" => {
                    arg.field("body").is_some_and(placeholder)
                }
                _ => false,
            }
        }
        "Repeat" => {
            c.object_text(file) == "strings" && c.args.first().is_some_and(|a| placeholder(*a))
        }
        _ => false,
    }
}

fn is_placeholder_text(text: &str) -> bool {
    !text.trim().is_empty()
        && text.chars().all(|ch| {
            matches!(
                ch,
                '?' | '$' | ':' | '@' | '%' | 's' | ',' | ' ' | '(' | ')' | '{' | '}'
            ) || ch.is_ascii_digit()
        })
}

/// Is the expression the SQL argument of a query-builder method that takes a
/// raw fragment: TypeORM/Knex `.where()`, `.andWhere()`, `.orWhere()`,
/// `.having()`, `.whereRaw()`, `.orderByRaw()`, `.raw()`, Sequelize
/// `literal()`, SQLAlchemy `text()`, Django `RawSQL()`/`.extra(where=…)`?
fn in_fragment_context(file: &ParsedFile, node: Node) -> bool {
    let Some(args) = outer_parent(file, node).filter(|p| {
        matches!(
            p.kind_name(),
            "arguments" | "argument_list" | "keyword_argument" | "list"
        )
    }) else {
        return false;
    };
    let call_node = file
        .ancestors(args)
        .find(|a| matches!(a.kind_name(), "call_expression" | "call"));
    call_node
        .and_then(|c| super::lang::call(file, c))
        .is_some_and(|c| {
            matches!(
                c.name,
                "where"
                    | "andWhere"
                    | "orWhere"
                    | "having"
                    | "andHaving"
                    | "orHaving"
                    | "whereRaw"
                    | "orWhereRaw"
                    | "andWhereRaw"
                    | "havingRaw"
                    | "orderByRaw"
                    | "groupByRaw"
                    | "joinRaw"
                    | "raw"
                    | "literal"
                    | "text"
                    | "RawSQL"
                    | "extra"
                    | "filter"
            ) && c.args.first().is_some_and(|first| {
                first.byte_range().contains(&node.start_byte())
                    || first.kind_name() == "keyword_argument"
            })
        })
}

/// A WHERE-clause fragment: a comparison (`name = '…'`, `age > …`, `x LIKE …`, `id IN (…)`).
fn looks_like_fragment(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)[\w."`\]]\s*(?:=|<>|!=|<=|>=|<|>|\blike\b|\bilike\b|\bin\s*\(|\bis\s+(?:not\s+)?null\b)|^\s*[\w."`]+\s+(?:asc|desc)\s*$"#).expect("valid")
    })
    .is_match(text)
}

#[cfg(test)]
mod tests {
    use super::super::language::Grammar;
    use super::super::syntax::Parsers;
    use super::*;

    fn scan_code(path: &str, code: &str) -> SqlScan {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        scan(&file)
    }

    fn severities(path: &str, code: &str) -> Vec<(Severity, u32)> {
        scan_code(path, code)
            .drafts
            .iter()
            .map(|d| (d.severity, d.line))
            .collect()
    }

    #[test]
    fn sql_concatenated_from_request_query_is_flagged_critical() {
        let code = "app.get('/orders', async (req, res) => {\n  const rows = await pool.query(\"SELECT * FROM orders WHERE customer_id = '\" + req.query.customer + \"'\");\n  res.json(rows);\n});\n";
        let scan = scan_code("src/routes/orders.ts", code);
        assert_eq!(scan.drafts.len(), 1);
        let d = &scan.drafts[0];
        assert_eq!((d.severity, d.line, d.end_line), (Severity::Critical, 2, 2));
        assert!(d.message.contains("request input"), "{}", d.message);
        assert!(d.message.contains("$1"), "{}", d.message);
    }

    #[test]
    fn template_literal_with_a_route_parameter_is_flagged_critical() {
        let code = "router.get('/users/:id', async (req, res) => {\n  const { id } = req.params;\n  const sql = `SELECT id, email\n    FROM users\n    WHERE id = ${id}`;\n  await db.query(sql);\n});\n";
        let scan = scan_code("src/users.js", code);
        assert_eq!(scan.drafts.len(), 1);
        assert_eq!(scan.drafts[0].severity, Severity::Critical);
        assert_eq!((scan.drafts[0].line, scan.drafts[0].end_line), (3, 5));
    }

    #[test]
    fn sql_built_from_a_function_argument_is_flagged_high() {
        let code = "export function findByStatus(status: string) {\n  return pool.query(`SELECT * FROM orders WHERE status = '${status}'`);\n}\n";
        assert_eq!(severities("src/repo.ts", code), vec![(Severity::High, 2)]);
        let concat = "function f(x) { return 'DELETE FROM carts WHERE id = '.concat(x); }";
        assert_eq!(severities("a.js", concat), vec![(Severity::High, 1)]);
    }

    #[test]
    fn parameterized_queries_are_not_flagged() {
        let code = "app.get('/o/:id', async (req, res) => {\n  await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);\n  await db.execute(`UPDATE orders SET status = ? WHERE id = ?`, [req.body.status, req.params.id]);\n  await sql`SELECT * FROM orders WHERE id = ${req.params.id}`;\n});\n";
        let scan = scan_code("src/a.ts", code);
        assert!(scan.drafts.is_empty(), "{:?}", scan.drafts);
        assert_eq!(scan.sql_lines, vec![2, 3, 4]);
    }

    #[test]
    fn a_template_literal_built_only_from_constants_is_not_flagged() {
        let code = "const TABLE = 'orders';\nconst LIMIT = 50;\nconst q = `SELECT * FROM ${TABLE} WHERE status = $1 LIMIT ${LIMIT}`;\nconst p = 'SELECT * FROM ' + TABLE + ' WHERE id = $' + (1 + 1);\n";
        assert!(severities("a.ts", code).is_empty());
    }

    #[test]
    fn non_sql_concatenation_is_not_flagged() {
        let code = "fastify.log.info(`deleted from orders where id = ${id}`);\nconst doc = `Call this to insert into ${target}.`;\nfunction greet(name) { return 'Hello ' + name + ', select an option from the menu'; }\nconst where = `Where are you, ${user}?`;\nconsole.log('DELETE FROM orders WHERE id = ' + id);\nthrow new Error(`SELECT failed for table ${t} where id = ${id}`);\n";
        assert!(severities("a.js", code).is_empty());
        let code = "def greet(name):\n    \"\"\"Select a greeting from the table where name = name.\"\"\"\n    return f\"Hello {name}\"\n\nlogger.info(\"deleted from items where id = %s\" % item_id)\n";
        assert!(severities("a.py", code).is_empty());
    }

    #[test]
    fn docstrings_and_prose_do_not_count_as_sql_in_the_code() {
        let code = "def plist(self):\n    \"\"\"Returns the items to insert into Info.plist.\"\"\"\n    return {}\n";
        assert!(scan_code("gyp.py", code).sql_lines.is_empty());
        let code = "const help = 'Select one of the files, then update the list.';\n";
        assert!(scan_code("a.js", code).sql_lines.is_empty());
    }

    #[test]
    fn python_fstring_from_a_handler_parameter_is_flagged_critical() {
        let code = "@router.get(\"/items\")\ndef search(name: str, db: Session = Depends(get_db)):\n    return db.execute(text(f\"SELECT * FROM items WHERE name = '{name}'\")).all()\n";
        let scan = scan_code("app/routes/items.py", code);
        assert_eq!(scan.drafts.len(), 1);
        assert_eq!(scan.drafts[0].severity, Severity::Critical);
        assert!(
            scan.drafts[0].message.contains("%s"),
            "{}",
            scan.drafts[0].message
        );
    }

    #[test]
    fn python_percent_format_and_concatenation_are_flagged() {
        let code = "def by_owner(cursor, owner):\n    cursor.execute(\"SELECT * FROM items WHERE owner = '%s'\" % owner)\n    cursor.execute(\"DELETE FROM items WHERE id = {}\".format(owner))\n    cursor.execute(\"UPDATE items SET owner = '\" + owner + \"'\")\n\ndef view(request):\n    q = request.GET['q']\n    cursor.execute(\"SELECT * FROM items WHERE name LIKE '%%%s%%'\" % (q,))\n";
        assert_eq!(
            severities("db.py", code),
            vec![
                (Severity::High, 2),
                (Severity::High, 3),
                (Severity::High, 4),
                (Severity::Critical, 8)
            ]
        );
    }

    #[test]
    fn python_parameterized_queries_and_module_constants_are_not_flagged() {
        let code = "TABLE = \"items\"\n\ndef get(cursor, item_id):\n    cursor.execute(\"SELECT * FROM items WHERE id = %s\", (item_id,))\n    cursor.execute(f\"SELECT * FROM {TABLE} WHERE id = %s\", (item_id,))\n    session.execute(text(\"SELECT * FROM items WHERE id = :id\"), {\"id\": item_id})\n    return session.query(Item).filter(Item.id == item_id).first()\n";
        let scan = scan_code("repo.py", code);
        assert!(scan.drafts.is_empty(), "{:?}", scan.drafts);
        assert_eq!(scan.sql_lines.len(), 3);
    }

    #[test]
    fn identifiers_from_input_get_an_allow_list_hint() {
        let code = "app.get('/o', (req, res) => db.query('SELECT * FROM orders ORDER BY ' + req.query.sort));";
        let scan = scan_code("a.js", code);
        assert!(scan.drafts[0].message.contains("allow-list"));
    }

    #[test]
    fn placeholder_lists_are_not_values() {
        let js = "function byIds(ids: string[]) {\n  const marks = ids.map(() => \"?\").join(\",\");\n  db.query(`SELECT * FROM orders WHERE id IN (${marks})`, ids);\n  db.query(`SELECT * FROM orders WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(\", \")})`, ids);\n  db.query(`SELECT * FROM orders WHERE id IN (${Array(ids.length).fill(\"?\").join(\",\")})`, ids);\n  db.query(`SELECT * FROM orders WHERE id IN (${ids.join(\",\")})`);\n}\n";
        assert_eq!(severities("src/repo.ts", js), vec![(Severity::High, 6)]);
        let py = "def by_ids(cursor, ids):\n    marks = \", \".join([\"%s\"] * len(ids))\n    cursor.execute(f\"SELECT * FROM items WHERE id IN ({marks})\", ids)\n    cursor.execute(\"SELECT * FROM items WHERE id IN (%s)\" % \",\".join(\"?\" for _ in ids), ids)\n    cursor.execute(\"SELECT * FROM items WHERE id IN (%s)\" % \",\".join(ids))\n";
        assert_eq!(severities("repo.py", py), vec![(Severity::High, 5)]);
    }

    #[test]
    fn query_builder_fragments_are_sql() {
        let ts = "class C {\n@Get()\nlist(@Query(\"name\") name: string) {\n  return this.repo.createQueryBuilder(\"u\").where(`u.name = '${name}'`).getMany();\n}\nfind(name: string) {\n  return this.repo.createQueryBuilder(\"u\").where(\"u.name = :name\", { name }).getMany();\n}\nraw(sort: string) {\n  return knex(\"users\").whereRaw(`age > ${sort}`);\n}\nlabel(name: string) { return items.filter((i) => i.name === name); }\n}\n";
        assert_eq!(
            severities("src/users.controller.ts", ts),
            vec![(Severity::Critical, 4), (Severity::High, 10)]
        );
        let py = "def search(session, term):\n    return session.query(User).filter(text(f\"name = '{term}'\")).all()\n";
        assert_eq!(severities("repo.py", py), vec![(Severity::High, 2)]);
    }

    #[test]
    fn go_and_rust_sql_built_from_strings() {
        let go = "package x\nconst table = \"orders\"\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get(\"name\")\n\trows, _ := db.Query(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n\tq := fmt.Sprintf(\"SELECT * FROM users WHERE name = '%s'\", name)\n\tdb.Query(\"SELECT * FROM users WHERE name = $1\", name)\n\tdb.Query(\"SELECT * FROM \" + table + \" WHERE id = $1\", 1)\n\tlog.Printf(\"select from users where name = %s\", name)\n}\nfunc byStatus(status string) { db.Query(fmt.Sprintf(\"SELECT * FROM orders WHERE status = '%s'\", status)) }\n";
        assert_eq!(
            severities("main.go", go),
            vec![
                (Severity::Critical, 5),
                (Severity::Critical, 6),
                (Severity::High, 11)
            ]
        );
        let rs = "const TABLE: &str = \"orders\";\nasync fn h(Query(q): Query<Search>, State(pool): State<PgPool>) {\n    let sql = format!(\"SELECT * FROM users WHERE name = '{}'\", q.name);\n    sqlx::query(&sql).fetch_all(&pool).await;\n    sqlx::query(\"SELECT * FROM users WHERE name = $1\").bind(&q.name).fetch_all(&pool).await;\n    let t = format!(\"SELECT * FROM {TABLE} WHERE id = $1\");\n    let msg = format!(\"Hello {}\", q.name);\n}\nfn by_status(status: &str) -> String { format!(\"SELECT * FROM orders WHERE status = '{status}'\") }\n";
        assert_eq!(
            severities("src/main.rs", rs),
            vec![(Severity::Critical, 3), (Severity::High, 9)]
        );
    }

    #[test]
    fn sql_text_is_recognised_and_prose_is_not() {
        for sql in [
            "SELECT * FROM orders WHERE id = __v__",
            "select id, name as n from users",
            "SELECT count(*) FROM t",
            "INSERT INTO orders (a) VALUES (__v__)",
            "update users set name = 'x'",
            "DELETE FROM carts",
            " WHERE customer_id = '__v__'",
            " AND status = __v__",
        ] {
            assert!(looks_like_sql(sql), "{sql}");
        }
        for prose in [
            "Hello __v__",
            "Where are you?",
            "Please update your profile",
            "selected from __v__",
            "Delete the file",
        ] {
            assert!(!looks_like_sql(prose), "{prose}");
        }
    }
}
