//! Cross-language views of syntax-tree nodes for the SEC and API rules: calls
//! (callee name, receiver, arguments), string literals, keyed values (object
//! literals, keyword arguments, Go composite literals, Rust struct literals)
//! and booleans, over TypeScript/JavaScript, Python, Go and Rust trees.

use super::language::Grammar;
use super::syntax::{
    js_literal_text, named_children, py_literal_text, unwrap_expression, ParsedFile, MAX_DEPTH,
};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

/// A function or method call.
#[derive(Clone, Debug)]
pub struct Call<'t> {
    pub node: Node<'t>,
    /// The whole callee (`jwt.decode`, `hashlib.md5`, `Command::new`).
    pub callee: Node<'t>,
    /// The last name of the callee (`decode`, `md5`, `new`).
    pub name: &'t str,
    /// The receiver or path before that name (`jwt`, `hashlib`, `Command`).
    pub object: Option<Node<'t>>,
    /// Positional and keyword arguments, in order (comments left out).
    pub args: Vec<Node<'t>>,
}

impl<'t> Call<'t> {
    /// The text of the receiver, `""` without one.
    pub fn object_text(&self, file: &ParsedFile<'t>) -> &'t str {
        self.object.map_or("", |o| file.text_of(o))
    }

    /// Positional arguments (Python keyword arguments left out).
    pub fn positional(&self) -> Vec<Node<'t>> {
        self.args
            .iter()
            .copied()
            .filter(|a| a.kind_name() != "keyword_argument")
            .collect()
    }

    /// The value of a Python keyword argument, or of a key of a JS object
    /// literal / Go composite literal / Rust struct literal argument.
    pub fn option(&self, file: &ParsedFile<'t>, key: &str) -> Option<Node<'t>> {
        self.args.iter().find_map(|a| {
            if a.kind_name() == "keyword_argument" {
                let name = a.field("name")?;
                return (file.text_of(name) == key)
                    .then(|| a.field("value"))
                    .flatten();
            }
            keyed_values(file, *a)
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
        })
    }
}

/// The kinds [`call`] decodes: walks that only want calls visit just these.
pub const CALL_KINDS: &[&str] = &["call_expression", "call", "new_expression"];

/// The call a node is, in any of the four languages (`new X(...)` included).
/// Decoded once per file, when the file is parsed: rules ask for the same
/// calls many times.
pub fn call<'f, 't>(file: &'f ParsedFile<'t>, node: Node<'t>) -> Option<&'f Call<'t>> {
    file.call_at(node)
}

/// Decodes the call a node is; [`ParsedFile::new`] does it for every node
/// of [`CALL_KINDS`].
pub(super) fn decode_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<Call<'t>> {
    let (callee, args) = match node.kind_name() {
        "call_expression" | "call" => (node.field("function")?, node.field("arguments")),
        "new_expression" => (node.field("constructor")?, node.field("arguments")),
        _ => return None,
    };
    let mut callee = unwrap_expression(callee);
    // `await pool.query<Row>(...)` parses as a call of `await pool.query`.
    if callee.kind_name() == "await_expression" {
        callee = unwrap_expression(callee.named_child(0)?);
    }
    let (name, object) = callee_parts(file, callee)?;
    let args = match args {
        // A tagged template (sql`...`) is not a call with arguments.
        Some(a) if a.kind_name() == "template_string" => return None,
        // `",".join(x for x in xs)`: the generator is the one argument.
        Some(a) if a.kind_name() == "generator_expression" => vec![a],
        Some(a) => named_children(a)
            .into_iter()
            .filter(|c| c.kind_name() != "comment")
            .collect(),
        None => Vec::new(),
    };
    Some(Call {
        node,
        callee,
        name,
        object,
        args,
    })
}

/// The last name of a callee and what comes before it.
fn callee_parts<'t>(
    file: &ParsedFile<'t>,
    callee: Node<'t>,
) -> Option<(&'t str, Option<Node<'t>>)> {
    let (name, object) = match callee.kind_name() {
        "identifier" | "field_identifier" | "type_identifier" => {
            return Some((file.text_of(callee), None))
        }
        "member_expression" => ("property", "object"),
        "attribute" => ("attribute", "object"),
        "selector_expression" => ("field", "operand"),
        "field_expression" => ("field", "value"),
        "scoped_identifier" => ("name", "path"),
        // Go generics (`f[T](x)`) and Rust turbofish (`f::<T>(x)`).
        "generic_function" | "index_expression" => {
            let inner = callee
                .field("function")
                .or_else(|| callee.field("operand"))
                .or_else(|| callee.named_child(0))?;
            return callee_parts(file, inner);
        }
        _ => return None,
    };
    let name = callee.field(name)?;
    Some((file.text_of(name), callee.field(object)))
}

/// A Rust macro invocation: its name (`format`) and its token tree.
pub fn macro_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<(&'t str, Node<'t>)> {
    if node.kind_name() != "macro_invocation" {
        return None;
    }
    let name = node.field("macro")?;
    let name = match name.kind_name() {
        "scoped_identifier" => file.text_of(name.field("name")?),
        _ => file.text_of(name),
    };
    let tree = named_children(node)
        .into_iter()
        .find(|c| c.kind_name() == "token_tree")?;
    Some((name, tree))
}

/// The text of a string literal in any of the four languages, seen through
/// harmless conversions (`"x".to_string()`, `String::from("x")`, `[]byte("x")`,
/// `b"x"`, `"x".into()`, `"x".as_bytes()`). `None` for anything that is not
/// a constant string.
pub fn string_value(file: &ParsedFile, node: Node) -> Option<String> {
    string_value_at(file, node, 0)
}

fn string_value_at(file: &ParsedFile, node: Node, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let node = unwrap_expression(node);
    match file.grammar {
        Grammar::Python => {
            if matches!(node.kind_name(), "string" | "concatenated_string") {
                return py_literal_text(file, node);
            }
            None
        }
        Grammar::TypeScript | Grammar::Tsx => js_literal_text(file, node).map(str::to_string),
        Grammar::Go => match node.kind_name() {
            "interpreted_string_literal" | "raw_string_literal" => {
                let text = file.text_of(node);
                Some(text.get(1..text.len().saturating_sub(1))?.to_string())
            }
            // `[]byte("x")`, `string("x")`
            "call_expression" | "type_conversion_expression" => {
                let args = node
                    .field("arguments")
                    .map(named_children)
                    .or_else(|| node.field("operand").map(|o| vec![o]))?;
                if args.len() == 1 {
                    let function = node
                        .field("function")
                        .or_else(|| node.field("type"))
                        .map(|f| file.text_of(f))
                        .unwrap_or_default();
                    if matches!(function, "[]byte" | "string" | "[]rune") {
                        return string_value_at(file, args[0], depth + 1);
                    }
                }
                None
            }
            _ => None,
        },
        Grammar::Rust => match node.kind_name() {
            "string_literal" | "raw_string_literal" => Some(
                named_children(node)
                    .into_iter()
                    .filter(|c| matches!(c.kind_name(), "string_content" | "escape_sequence"))
                    .map(|c| file.text_of(c))
                    .collect(),
            ),
            "reference_expression" => string_value_at(file, node.field("value")?, depth + 1),
            "call_expression" => {
                let c = call(file, node)?;
                match (c.name, c.object, c.args.as_slice()) {
                    ("to_string" | "to_owned" | "into" | "as_bytes" | "as_ref", Some(o), []) => {
                        string_value_at(file, o, depth + 1)
                    }
                    ("from" | "new", Some(_), [arg]) => string_value_at(file, *arg, depth + 1),
                    _ => None,
                }
            }
            _ => None,
        },
    }
}

/// Is this node the boolean `true` (`True` in Python)?
pub fn is_true(file: &ParsedFile, node: Node) -> bool {
    let node = unwrap_expression(node);
    matches!(node.kind_name(), "true" | "boolean_literal") && file.text_of(node) == "true"
        || node.kind_name() == "true"
}

/// Is this node the boolean `false` (`False` in Python)?
pub fn is_false(file: &ParsedFile, node: Node) -> bool {
    let node = unwrap_expression(node);
    node.kind_name() == "false"
        || (node.kind_name() == "boolean_literal" && file.text_of(node) == "false")
}

/// The key/value pairs of an object-like literal: a JS object, a Python dict,
/// a Go composite literal, a Rust struct literal. Keys are names or string
/// keys; shorthand properties (`{ origin }`) map to themselves.
pub fn keyed_values<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Vec<(String, Node<'t>)> {
    let node = unwrap_expression(node);
    let mut out = Vec::new();
    match node.kind_name() {
        "object" | "dictionary" => {
            for pair in named_children(node) {
                match pair.kind_name() {
                    "pair" => {
                        if let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) {
                            if let Some(key) = key_name(file, k) {
                                out.push((key, v));
                            }
                        }
                    }
                    "shorthand_property_identifier" => {
                        out.push((file.text_of(pair).to_string(), pair));
                    }
                    _ => {}
                }
            }
        }
        "composite_literal" => {
            if let Some(body) = node.field("body") {
                for element in named_children(body) {
                    if element.kind_name() != "keyed_element" {
                        continue;
                    }
                    let k = element.field("key").or_else(|| element.named_child(0));
                    let v = element.field("value").or_else(|| element.named_child(1));
                    if let (Some(k), Some(v)) = (k, v) {
                        let k = k
                            .named_child(0)
                            .filter(|_| k.kind_name() == "literal_element")
                            .unwrap_or(k);
                        let v = v
                            .named_child(0)
                            .filter(|_| v.kind_name() == "literal_element")
                            .unwrap_or(v);
                        if let Some(key) = key_name(file, k) {
                            out.push((key, v));
                        }
                    }
                }
            }
        }
        "struct_expression" => {
            if let Some(body) = node.field("body") {
                for field in named_children(body) {
                    match field.kind_name() {
                        "field_initializer" => {
                            if let (Some(k), Some(v)) = (field.field("field"), field.field("value"))
                            {
                                out.push((file.text_of(k).to_string(), v));
                            }
                        }
                        "shorthand_field_initializer" => {
                            out.push((file.text_of(field).to_string(), field));
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// The kinds [`pair_parts`] reads.
pub const PAIR_KINDS: &[&str] = &[
    "pair",
    "keyword_argument",
    "field_initializer",
    "keyed_element",
];

/// A single key/value node as (key, value): a JS/Python `pair`, a Python
/// keyword argument, a Go `keyed_element`, a Rust `field_initializer`.
pub fn pair_parts<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<(String, Node<'t>)> {
    match node.kind_name() {
        "pair" => Some((key_name(file, node.field("key")?)?, node.field("value")?)),
        "keyword_argument" => Some((
            file.text_of(node.field("name")?).to_string(),
            node.field("value")?,
        )),
        "field_initializer" => Some((
            file.text_of(node.field("field")?).to_string(),
            node.field("value")?,
        )),
        "keyed_element" => {
            let k = node.field("key").or_else(|| node.named_child(0))?;
            let v = node.field("value").or_else(|| node.named_child(1))?;
            let k = if k.kind_name() == "literal_element" {
                k.named_child(0)?
            } else {
                k
            };
            let v = if v.kind_name() == "literal_element" {
                v.named_child(0)?
            } else {
                v
            };
            Some((key_name(file, k)?, v))
        }
        _ => None,
    }
}

/// A key as a name: an identifier, or the content of a string key.
fn key_name(file: &ParsedFile, key: Node) -> Option<String> {
    match key.kind_name() {
        "property_identifier" | "identifier" | "field_identifier" => {
            Some(file.text_of(key).to_string())
        }
        _ => string_value(file, key),
    }
}

/// The nearest enclosing function of a node (any language).
pub fn enclosing_function<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<Node<'t>> {
    file.ancestors(node).find(|n| is_any_function(*n))
}

/// A function in any of the four languages.
pub fn is_any_function(node: Node) -> bool {
    super::syntax::is_function(node)
        || matches!(
            node.kind_name(),
            "method_declaration" | "func_literal" | "function_item" | "closure_expression"
        )
}

/// Is the node inside Rust test code: a `#[cfg(test)]` module or a
/// `#[test]`/`#[tokio::test]` function?
pub fn in_rust_test_code(file: &ParsedFile, node: Node) -> bool {
    if file.grammar != Grammar::Rust {
        return false;
    }
    file.ancestors(node)
        .filter(|a| matches!(a.kind_name(), "mod_item" | "function_item"))
        .any(|item| {
            let mut sibling = item.prev_named_sibling();
            while let Some(s) = sibling.filter(|s| s.kind_name() == "attribute_item") {
                let text = file.text_of(s);
                if text.contains("cfg(test)") || text.contains("test]") {
                    return true;
                }
                sibling = s.prev_named_sibling();
            }
            false
        })
}

/// The source text of a node with whitespace collapsed, at most 80 characters.
pub fn short(file: &ParsedFile, node: Node) -> String {
    let collapsed = file
        .text_of(node)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.chars().count() <= 80 {
        collapsed
    } else {
        let mut out: String = collapsed.chars().take(79).collect();
        out.push('…');
        out
    }
}

/// Identifiers and member chains mentioned anywhere below `node` (bounded).
pub fn mentions(file: &ParsedFile, node: Node, needle: &str) -> bool {
    let mut stack = vec![(node, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_DEPTH * 4 {
            continue;
        }
        if matches!(
            n.kind_name(),
            "identifier"
                | "property_identifier"
                | "field_identifier"
                | "shorthand_property_identifier"
        ) && file.text_of(n) == needle
        {
            return true;
        }
        let mut cursor = n.walk();
        for child in n.named_children(&mut cursor) {
            stack.push((child, depth + 1));
        }
    }
    false
}

/// A finding draft at a node.
pub fn draft(
    check_id: &'static str,
    severity: crate::model::Severity,
    node: Node,
    file: &ParsedFile,
    message: String,
) -> super::findings::Draft {
    super::findings::Draft {
        check_id,
        severity,
        line: super::syntax::first_line(node),
        end_line: super::syntax::last_line(node),
        message,
        code: file.text_of(node).to_string(),
        secrets: Vec::new(),
    }
}

#[cfg(test)]
pub mod test_support {
    use super::super::findings::Draft;
    use super::super::language::Grammar;
    use super::super::syntax::{ParsedFile, Parsers};

    /// Parses `code` as the file `path` and runs `rule` on it.
    pub fn run(path: &str, code: &str, rule: fn(&ParsedFile) -> Vec<Draft>) -> Vec<Draft> {
        let grammar = Grammar::of_path(path).expect("a parsed language");
        let tree = Parsers::default().parse(grammar, code).expect("parses");
        let file = ParsedFile::new(path, code, grammar, &tree);
        rule(&file)
    }

    /// The lines of the drafts of `rule` on `code`.
    pub fn lines(path: &str, code: &str, rule: fn(&ParsedFile) -> Vec<Draft>) -> Vec<u32> {
        run(path, code, rule).iter().map(|d| d.line).collect()
    }
}
