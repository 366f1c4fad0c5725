//! Parsing with tree-sitter and small helpers over syntax trees. Every walk
//! here is iterative (a tree cursor) or depth-bounded, so deeply nested code
//! cannot overflow the stack.

use super::language::Grammar;
use rustc_hash::FxHashMap;
use std::time::{Duration, Instant};
use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

/// Longest a single file may take to parse.
pub const PARSE_TIME_BUDGET: Duration = Duration::from_secs(5);

/// Bound for the few recursive helpers of the engine (expression flattening,
/// name resolution). Anything deeper is treated conservatively.
pub const MAX_DEPTH: usize = 48;

/// One parser per grammar, created on first use and reused across files.
#[derive(Default)]
pub struct Parsers {
    typescript: Option<Parser>,
    tsx: Option<Parser>,
    python: Option<Parser>,
    go: Option<Parser>,
    rust: Option<Parser>,
}

impl Parsers {
    /// Parses `text` with `grammar`; `None` when tree-sitter gives up or the
    /// file takes longer than [`PARSE_TIME_BUDGET`] (hostile input).
    pub fn parse(&mut self, grammar: Grammar, text: &str) -> Option<Tree> {
        let slot = match grammar {
            Grammar::TypeScript => &mut self.typescript,
            Grammar::Tsx => &mut self.tsx,
            Grammar::Python => &mut self.python,
            Grammar::Go => &mut self.go,
            Grammar::Rust => &mut self.rust,
        };
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&grammar.ts_language()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        let bytes = text.as_bytes();
        let deadline = Instant::now() + PARSE_TIME_BUDGET;
        // The progress callback returns `true` to stop parsing.
        let mut past_deadline = |_: &ParseState| Instant::now() > deadline;
        let options = ParseOptions::new().progress_callback(&mut past_deadline);
        parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(options),
        )
    }
}

/// A parsed file: its path, text, grammar and tree, and the tree's nodes in
/// document order (walked once, shared by every rule).
pub struct ParsedFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub grammar: Grammar,
    pub tree: &'a Tree,
    nodes: Vec<Node<'a>>,
    /// Index (in `nodes`) of each node's parent; `usize::MAX` for the root.
    parents: Vec<usize>,
    /// Node id → index in `nodes`.
    index: FxHashMap<usize, usize>,
    /// Answers of [`ParsedFile::mentions`] so far.
    mentions: std::cell::RefCell<Vec<(&'static str, bool)>>,
}

impl<'a> ParsedFile<'a> {
    /// Indexes the tree in one iterative walk. tree-sitter's own
    /// `Node::parent` searches down from the root, which is quadratic on
    /// deeply nested code; [`ParsedFile::parent`] is a lookup.
    pub fn new(path: &'a str, text: &'a str, grammar: Grammar, tree: &'a Tree) -> Self {
        let mut nodes = Vec::new();
        let mut parents = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            nodes.push(cursor.node());
            parents.push(stack.last().copied().unwrap_or(usize::MAX));
            if cursor.goto_first_child() {
                stack.push(nodes.len() - 1);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                stack.pop();
            }
        }
        let index = nodes.iter().enumerate().map(|(i, n)| (n.id(), i)).collect();
        ParsedFile {
            path,
            text,
            grammar,
            tree,
            nodes,
            parents,
            index,
            mentions: Default::default(),
        }
    }

    /// Whether the file's text contains `needle` anywhere (a library name,
    /// an import). Rules ask this per node; the text is searched once per
    /// needle.
    pub fn mentions(&self, needle: &'static str) -> bool {
        if let Some(&(_, hit)) = self.mentions.borrow().iter().find(|(n, _)| *n == needle) {
            return hit;
        }
        let hit = self.text.contains(needle);
        self.mentions.borrow_mut().push((needle, hit));
        hit
    }

    /// The parent of a node of this file's tree.
    pub fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        match self.index.get(&node.id()) {
            Some(&i) => self
                .parents
                .get(i)
                .and_then(|&p| self.nodes.get(p))
                .copied(),
            None => node.parent(),
        }
    }

    /// The ancestors of a node, nearest first.
    pub fn ancestors(&self, node: Node<'a>) -> impl Iterator<Item = Node<'a>> + '_ {
        std::iter::successors(self.parent(node), move |n| self.parent(*n))
    }

    /// The source text of a node.
    pub fn text_of(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// Every node of the tree, in document order.
    pub fn for_each_node(&self, mut visit: impl FnMut(Node<'a>)) {
        for node in &self.nodes {
            visit(*node);
        }
    }
}

/// Every node below `node` (itself included), in document order.
pub fn descendants(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    let root_id = node.id();
    loop {
        out.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == root_id {
                return out;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// 1-based first line of a node.
pub fn first_line(node: Node) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// 1-based last line of a node.
pub fn last_line(node: Node) -> u32 {
    let end = node.end_position();
    let row = if end.column == 0 && end.row > node.start_position().row {
        end.row
    } else {
        end.row + 1
    };
    u32::try_from(row).unwrap_or(u32::MAX)
}

/// Strips wrappers that do not change a value: parentheses and TypeScript
/// type assertions (`x as T`, `x!`, `x satisfies T`, `<T>x`).
pub fn unwrap_expression(mut node: Node) -> Node {
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// The named children of a node.
pub fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Is this node a function (declaration, expression, arrow, method, lambda)?
pub fn is_function(node: Node) -> bool {
    matches!(
        node.kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
            | "function_definition"
            | "lambda"
    )
}

/// The text inside a JS/TS string literal (`"…"`, `'…'`) or a template literal
/// without substitutions, quotes removed and escapes left as written.
pub fn js_literal_text<'a>(file: &ParsedFile<'a>, node: Node) -> Option<&'a str> {
    match node.kind() {
        "string" => strip_quotes(file.text_of(node), 1),
        "template_string" => {
            let mut cursor = node.walk();
            let has_substitution = node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "template_substitution");
            if has_substitution {
                None
            } else {
                strip_quotes(file.text_of(node), 1)
            }
        }
        _ => None,
    }
}

/// The content of a Python string literal without interpolations
/// (`"…"`, `'…'`, `"""…"""`, `r"…"`, `b"…"`; an f-string with no `{}`), or of an
/// implicit concatenation of such literals.
pub fn py_literal_text(file: &ParsedFile, node: Node) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            for child in named_children(node) {
                match child.kind() {
                    "string_content" | "escape_sequence" => out.push_str(file.text_of(child)),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => {
            let mut out = String::new();
            for child in named_children(node) {
                out.push_str(&py_literal_text(file, child)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// A JS/TS or Python string or number literal.
pub fn is_constant_literal(file: &ParsedFile, node: Node) -> bool {
    let node = unwrap_expression(node);
    match node.kind() {
        "number" | "integer" | "float" | "true" | "false" | "null" | "none" | "undefined" => true,
        "string" | "template_string" | "concatenated_string" => {
            if file.grammar.is_python() {
                py_literal_text(file, node).is_some()
            } else if file.grammar.is_js() {
                js_literal_text(file, node).is_some()
            } else {
                false
            }
        }
        "unary_expression" | "unary_operator" => node
            .child_by_field_name("argument")
            .or_else(|| node.child_by_field_name("operand"))
            .is_some_and(|n| matches!(n.kind(), "number" | "integer" | "float")),
        _ => false,
    }
}

/// The name an assignment target binds, for secret-name checks: `x`, the last
/// property of `a.b.x`, `this.x`, or `self.x`.
pub fn target_name<'a>(file: &ParsedFile<'a>, node: Node) -> Option<&'a str> {
    let node = unwrap_expression(node);
    match node.kind() {
        "identifier"
        | "property_identifier"
        | "private_property_identifier"
        | "shorthand_property_identifier" => Some(file.text_of(node).trim_start_matches('#')),
        "member_expression" => node
            .child_by_field_name("property")
            .map(|p| file.text_of(p).trim_start_matches('#')),
        "attribute" => node
            .child_by_field_name("attribute")
            .map(|p| file.text_of(p)),
        // `config["SECRET_KEY"] = …`: the key names the target.
        "subscript_expression" => node
            .child_by_field_name("index")
            .and_then(|index| target_name(file, index)),
        "subscript" => node
            .child_by_field_name("subscript")
            .filter(|key| key.kind() == "string")
            .map(|key| file.text_of(key))
            .filter(|text| {
                text.starts_with(['"', '\''])
                    && !text.starts_with("\"\"\"")
                    && !text.starts_with("'''")
            })
            .and_then(|text| strip_quotes(text, 1)),

        "string" => {
            if file.grammar.is_js() {
                js_literal_text(file, node)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn strip_quotes(text: &str, n: usize) -> Option<&str> {
    if text.len() < 2 * n {
        return None;
    }
    text.get(n..text.len() - n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(grammar: Grammar, text: &str) -> Tree {
        Parsers::default().parse(grammar, text).unwrap()
    }

    #[test]
    fn deeply_nested_code_is_walked_without_overflowing_the_stack() {
        let depth = 5_000;
        let text = format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
        let tree = parse(Grammar::Python, &text);
        let file = ParsedFile::new("deep.py", &text, Grammar::Python, &tree);
        let mut count = 0usize;
        file.for_each_node(|_| count += 1);
        assert!(count > depth);
        assert!(descendants(tree.root_node()).len() == count);
        let deepest = descendants(tree.root_node())
            .into_iter()
            .find(|n| n.kind() == "integer")
            .unwrap();
        assert!(file.ancestors(deepest).count() > depth);
    }

    #[test]
    fn literal_text_is_read_for_both_languages() {
        let text = "const a = 'x1'; const b = `y2`; const c = `z${a}`;";
        let tree = parse(Grammar::TypeScript, text);
        let file = ParsedFile::new("a.ts", text, Grammar::TypeScript, &tree);
        let mut found = Vec::new();
        file.for_each_node(|n| {
            if matches!(n.kind(), "string" | "template_string") {
                found.push(js_literal_text(&file, n).map(str::to_string));
            }
        });
        assert_eq!(found, vec![Some("x1".into()), Some("y2".into()), None]);

        let text = "a = 'x1'\nb = f\"y{a}\"\nc = 'p' \"q\"\n";
        let tree = parse(Grammar::Python, text);
        let file = ParsedFile::new("a.py", text, Grammar::Python, &tree);
        let mut found = Vec::new();
        file.for_each_node(|n| {
            if matches!(n.kind(), "string" | "concatenated_string")
                && n.parent()
                    .is_some_and(|p| p.kind() != "concatenated_string")
            {
                found.push(py_literal_text(&file, n));
            }
        });
        assert_eq!(found, vec![Some("x1".into()), None, Some("pq".into())]);
    }
}
