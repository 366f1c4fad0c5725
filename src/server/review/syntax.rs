//! Parsing with tree-sitter and small helpers over syntax trees. Every walk
//! here is iterative (a tree cursor) or depth-bounded, so deeply nested code
//! cannot overflow the stack.

use super::language::Grammar;
use rustc_hash::FxHashMap;
use std::time::{Duration, Instant};
use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

/// Longest a single file may take to parse, in CPU time of the parsing
/// thread: on a loaded machine, wall-clock time alone would give up on big
/// files sooner, and the same commit would get a different review.
pub const PARSE_TIME_BUDGET: Duration = Duration::from_secs(5);

/// CPU time used by the calling thread so far; `None` where the clock is
/// not available (then the wall-clock budget alone applies).
fn thread_cpu_time() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes the timespec it is given, nothing else.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    ok.then(|| {
        Duration::new(
            u64::try_from(ts.tv_sec).unwrap_or(0),
            u32::try_from(ts.tv_nsec).unwrap_or(0),
        )
    })
}

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
        self.parse_within(grammar, text, PARSE_TIME_BUDGET)
    }

    /// [`Parsers::parse`] with another budget.
    fn parse_within(&mut self, grammar: Grammar, text: &str, budget: Duration) -> Option<Tree> {
        let slot = match grammar {
            Grammar::TypeScript => &mut self.typescript,
            Grammar::Tsx => &mut self.tsx,
            Grammar::Python => &mut self.python,
            Grammar::Go => &mut self.go,
            Grammar::Rust => &mut self.rust,
        };
        if slot.is_none() {
            crate::server::alloc::give_tree_sitter_mimalloc();
            #[allow(clippy::disallowed_methods)] // the one place parsers are made
            let mut parser = Parser::new();
            parser.set_language(&grammar.ts_language()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        let bytes = text.as_bytes();
        let deadline = Instant::now() + budget;
        let cpu_start = thread_cpu_time();
        // The progress callback returns `true` to stop parsing: past the
        // budget in wall-clock time (a cheap check) and in CPU time.
        let mut past_deadline = |_: &ParseState| {
            Instant::now() > deadline
                && match (cpu_start, thread_cpu_time()) {
                    (Some(start), Some(now)) => now.saturating_sub(start) > budget,
                    _ => true,
                }
        };
        let options = ParseOptions::new().progress_callback(&mut past_deadline);
        parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(options),
        )
    }
}

/// Fast node kinds and fields. tree-sitter's `Node::kind` turns a C string
/// into `&str` on every call (a `strlen` and a UTF-8 check), and
/// `Node::child_by_field_name` compares the name with every field name of
/// the grammar. Rules ask both for every node they look at, which made them a
/// third of a review's time; these read tables built once per grammar
/// instead. `Node::kind` and `child_by_field_name` are disallowed by
/// `clippy.toml` for that reason.
pub trait NodeExt<'t> {
    /// The node's kind, as `Node::kind` names it.
    fn kind_name(&self) -> &'static str;
    /// The child in field `name`, as `Node::child_by_field_name` finds it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn kind_name(&self) -> &'static str {
        match grammar_table(*self) {
            // Out of the table: the ERROR node's id (`u16::MAX`).
            #[allow(clippy::disallowed_methods)]
            Some(table) => table
                .kinds
                .get(usize::from(self.kind_id()))
                .copied()
                .unwrap_or_else(|| self.kind()),
            #[allow(clippy::disallowed_methods)]
            None => self.kind(),
        }
    }

    #[inline]
    fn field(&self, name: &str) -> Option<Node<'t>> {
        match grammar_table(*self) {
            Some(table) => self.child_by_field_id(*table.fields.get(name)?),
            #[allow(clippy::disallowed_methods)]
            None => self.child_by_field_name(name),
        }
    }
}

/// Kind names by kind id and field ids by name, for one grammar.
struct GrammarTable {
    /// The grammar's `TSLanguage`, as an address (what nodes point at).
    language: usize,
    kinds: Box<[&'static str]>,
    /// Kind ids by name (several ids may share a name: aliases, a keyword
    /// that is also a node).
    ids: FxHashMap<&'static str, Vec<u16>>,
    fields: FxHashMap<&'static str, u16>,
}

fn grammar_tables() -> &'static [GrammarTable] {
    static TABLES: std::sync::OnceLock<Vec<GrammarTable>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        Grammar::ALL
            .iter()
            .map(|grammar| {
                let language = grammar.ts_language();
                let kinds: Box<[&'static str]> = (0..language.node_kind_count())
                    .map(|id| {
                        u16::try_from(id)
                            .ok()
                            .and_then(|id| language.node_kind_for_id(id))
                            .unwrap_or("")
                    })
                    .collect();
                let mut ids: FxHashMap<&'static str, Vec<u16>> = FxHashMap::default();
                for (id, kind) in kinds.iter().enumerate() {
                    if let Ok(id) = u16::try_from(id) {
                        ids.entry(*kind).or_default().push(id);
                    }
                }
                let fields = (1..=language.field_count())
                    .filter_map(|id| {
                        let id = u16::try_from(id).ok()?;
                        Some((language.field_name_for_id(id)?, id))
                    })
                    .collect();
                // The grammars are static C data: the address stays valid
                // (and equal to what every tree of that grammar points at)
                // for the life of the process.
                let language = language.into_raw() as usize;
                GrammarTable {
                    language,
                    kinds,
                    ids,
                    fields,
                }
            })
            .collect()
    })
}

/// The table of a grammar (`grammar_tables` follows `Grammar::ALL`).
fn table_of(grammar: Grammar) -> &'static GrammarTable {
    let position = Grammar::ALL.iter().position(|g| *g == grammar).unwrap_or(0);
    &grammar_tables()[position]
}

#[inline]
fn grammar_table(node: Node) -> Option<&'static GrammarTable> {
    // SAFETY: `ts_node_language` reads the language pointer of the node's
    // tree, which the node's lifetime keeps alive; nothing is written.
    let language = unsafe { tree_sitter::ffi::ts_node_language(node.into_raw()) } as usize;
    grammar_tables().iter().find(|t| t.language == language)
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
    /// One past the index of each node's last descendant: a node's subtree
    /// is `nodes[i..ends[i]]`.
    ends: Vec<usize>,
    /// Node indexes grouped by kind (a counting sort of the nodes' kind
    /// ids), each group in document order: the nodes of kind bucket `b` are
    /// `by_kind[kind_starts[b]..kind_starts[b + 1]]`. A walk that wants a
    /// few kinds visits only their nodes instead of testing every node.
    by_kind: Vec<u32>,
    kind_starts: Vec<u32>,
    /// Node id → index in `nodes`.
    /// Built on the first question: many files are never asked.
    index: std::cell::OnceCell<FxHashMap<usize, usize>>,
    /// Every call of the file, decoded once ([`super::lang::call`]).
    calls: Vec<super::lang::Call<'a>>,
    /// Node id → index in `calls`.
    call_index: FxHashMap<usize, usize>,
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
        let mut ends = Vec::new();
        let mut kind_ids: Vec<u16> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let i = nodes.len();
            let node = cursor.node();
            kind_ids.push(node.kind_id());
            nodes.push(node);
            parents.push(stack.last().copied().unwrap_or(usize::MAX));
            ends.push(i + 1);
            if cursor.goto_first_child() {
                stack.push(i);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                if let Some(done) = stack.pop() {
                    ends[done] = nodes.len();
                }
            }
        }
        let (by_kind, kind_starts) = group_by_kind(&kind_ids, table_of(grammar).kinds.len());
        let mut file = ParsedFile {
            path,
            text,
            grammar,
            tree,
            nodes,
            parents,
            ends,
            by_kind,
            kind_starts,
            index: std::cell::OnceCell::new(),
            calls: Vec::new(),
            call_index: FxHashMap::default(),
            mentions: Default::default(),
        };
        let mut calls = Vec::new();
        let mut call_index = FxHashMap::default();
        file.for_each_of(super::lang::CALL_KINDS, |node| {
            if let Some(call) = super::lang::decode_call(&file, node) {
                call_index.insert(node.id(), calls.len());
                calls.push(call);
            }
        });
        file.calls = calls;
        file.call_index = call_index;
        file
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

    /// The call `node` is, decoded when the file was parsed (only calls are
    /// in `call_index`).
    pub fn call_at(&self, node: Node<'a>) -> Option<&super::lang::Call<'a>> {
        self.calls.get(*self.call_index.get(&node.id())?)
    }

    /// Where a node of this file's tree is in `nodes`.
    fn index_of(&self, node: Node) -> Option<&usize> {
        self.index
            .get_or_init(|| {
                self.nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.id(), i))
                    .collect()
            })
            .get(&node.id())
    }

    /// The parent of a node of this file's tree.
    pub fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        match self.index_of(node) {
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

    /// Every node below `node` (itself included), in document order: a
    /// slice of the file's node list, found without walking the tree.
    pub fn descendants(&self, node: Node<'a>) -> std::iter::Copied<std::slice::Iter<'_, Node<'a>>> {
        let subtree = match self.index_of(node) {
            Some(&i) => self.nodes.get(i..self.ends[i]).unwrap_or_default(),
            // Every node of this file's tree is indexed; a node of another
            // tree has no descendants here.
            None => &[],
        };
        subtree.iter().copied()
    }

    /// Every node of one of `kinds`, in document order. The kinds are
    /// compared as ids over a compact array, so a rule that wants a few
    /// kinds does not touch the other nodes at all.
    pub fn for_each_of(&self, kinds: &[&str], mut visit: impl FnMut(Node<'a>)) {
        let table = table_of(self.grammar);
        let mut wanted: Vec<usize> = kinds
            .iter()
            .filter_map(|k| table.ids.get(k))
            .flatten()
            .map(|&id| kind_bucket(id, table.kinds.len()))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let group = |bucket: usize| {
            let (start, end) = (self.kind_starts[bucket], self.kind_starts[bucket + 1]);
            &self.by_kind[start as usize..end as usize]
        };
        match wanted.as_slice() {
            [] => {}
            [one] => group(*one)
                .iter()
                .for_each(|&i| visit(self.nodes[i as usize])),
            several => {
                let mut hits: Vec<u32> = several.iter().flat_map(|&b| group(b)).copied().collect();
                hits.sort_unstable();
                hits.iter().for_each(|&i| visit(self.nodes[i as usize]));
            }
        }
    }

    /// Every node of the tree, in document order.
    pub fn for_each_node(&self, mut visit: impl FnMut(Node<'a>)) {
        for node in &self.nodes {
            visit(*node);
        }
    }
}

/// The bucket of a kind id: the id itself, or one bucket past the grammar's
/// kinds for ids outside them (the ERROR node's `u16::MAX`).
fn kind_bucket(id: u16, kinds: usize) -> usize {
    usize::from(id).min(kinds)
}

/// Counting sort of node indexes by kind bucket: `(by_kind, starts)` with
/// the indexes of bucket `b` at `by_kind[starts[b]..starts[b + 1]]`, in
/// ascending (document) order.
fn group_by_kind(kind_ids: &[u16], kinds: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; kinds + 2];
    for &id in kind_ids {
        starts[kind_bucket(id, kinds) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut by_kind = vec![0u32; kind_ids.len()];
    for (i, &id) in kind_ids.iter().enumerate() {
        let slot = &mut next[kind_bucket(id, kinds)];
        by_kind[*slot as usize] = i as u32;
        *slot += 1;
    }
    (by_kind, starts)
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
        match node.kind_name() {
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
        node.kind_name(),
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
    match node.kind_name() {
        "string" => strip_quotes(file.text_of(node), 1),
        "template_string" => {
            let mut cursor = node.walk();
            let has_substitution = node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "template_substitution");
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
    match node.kind_name() {
        "string" => {
            let mut out = String::new();
            for child in named_children(node) {
                match child.kind_name() {
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
    match node.kind_name() {
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
            .field("argument")
            .or_else(|| node.field("operand"))
            .is_some_and(|n| matches!(n.kind_name(), "number" | "integer" | "float")),
        _ => false,
    }
}

/// The name an assignment target binds, for secret-name checks: `x`, the last
/// property of `a.b.x`, `this.x`, or `self.x`.
pub fn target_name<'a>(file: &ParsedFile<'a>, node: Node) -> Option<&'a str> {
    let node = unwrap_expression(node);
    match node.kind_name() {
        "identifier"
        | "property_identifier"
        | "private_property_identifier"
        | "shorthand_property_identifier" => Some(file.text_of(node).trim_start_matches('#')),
        "member_expression" => node
            .field("property")
            .map(|p| file.text_of(p).trim_start_matches('#')),
        "attribute" => node.field("attribute").map(|p| file.text_of(p)),
        // `config["SECRET_KEY"] = …`: the key names the target.
        "subscript_expression" => node
            .field("index")
            .and_then(|index| target_name(file, index)),
        "subscript" => node
            .field("subscript")
            .filter(|key| key.kind_name() == "string")
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
    fn kinds_and_fields_from_the_tables_equal_tree_sitter_s_own() {
        let samples = [
            (
                Grammar::TypeScript,
                "const a: number = f(1) +;\nclass C { m() { return <T>x; } }\n",
            ),
            (
                Grammar::Tsx,
                "export default () => <div a={1}>{b}</div>;\nconst = ;\n",
            ),
            (
                Grammar::Python,
                "def f(x=1):\n    return x[0] if x else )\n",
            ),
            (
                Grammar::Go,
                "package p\nfunc f() { x := T{A: 1}; go g(x) }\n@@ ))\n",
            ),
            (
                Grammar::Rust,
                "fn f() -> u8 { let x = S { a: 1 }; m!(x); x.a }\n@@ ))\n",
            ),
        ];
        let fields = [
            "name",
            "value",
            "left",
            "right",
            "function",
            "arguments",
            "body",
            "type",
        ];
        for (grammar, text) in samples {
            let tree = parse(grammar, text);
            let file = ParsedFile::new("x", text, grammar, &tree);
            let mut saw_error = false;
            file.for_each_node(|n| {
                #[allow(clippy::disallowed_methods)]
                let (kind, by_name) = (n.kind(), |f: &str| n.child_by_field_name(f));
                assert_eq!(n.kind_name(), kind, "{grammar:?}");
                saw_error |= kind == "ERROR";
                for f in fields {
                    assert_eq!(n.field(f), by_name(f), "{grammar:?} {kind}.{f}");
                }
            });
            assert!(saw_error, "{grammar:?}: the sample has a syntax error");
        }
    }

    #[test]
    fn a_parse_past_its_budget_gives_up() {
        let text = "x = [f(a, b) + g(c) for a in range(10)]\n".repeat(10_000);
        let mut parsers = Parsers::default();
        assert!(parsers
            .parse_within(Grammar::Python, &text, Duration::from_millis(1))
            .is_none());
        assert!(parsers.parse(Grammar::Python, &text).is_some());
    }

    #[test]
    fn the_parse_budget_counts_this_thread_s_cpu_time() {
        let start = thread_cpu_time().expect("Linux has a per-thread CPU clock");
        // Busy work on this thread moves its clock; sleeping would not.
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(std::hint::black_box(i));
        }
        std::hint::black_box(x);
        let busy = thread_cpu_time().unwrap() - start;
        std::thread::sleep(Duration::from_millis(50));
        let idle = thread_cpu_time().unwrap() - start - busy;
        assert!(busy > Duration::from_millis(1), "{busy:?}");
        assert!(idle < Duration::from_millis(25), "{idle:?}");
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
        assert!(file.descendants(tree.root_node()).len() == count);
        let deepest = file
            .descendants(tree.root_node())
            .find(|n| n.kind_name() == "integer")
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
            if matches!(n.kind_name(), "string" | "template_string") {
                found.push(js_literal_text(&file, n).map(str::to_string));
            }
        });
        assert_eq!(found, vec![Some("x1".into()), Some("y2".into()), None]);

        let text = "a = 'x1'\nb = f\"y{a}\"\nc = 'p' \"q\"\n";
        let tree = parse(Grammar::Python, text);
        let file = ParsedFile::new("a.py", text, Grammar::Python, &tree);
        let mut found = Vec::new();
        file.for_each_node(|n| {
            if matches!(n.kind_name(), "string" | "concatenated_string")
                && n.parent()
                    .is_some_and(|p| p.kind_name() != "concatenated_string")
            {
                found.push(py_literal_text(&file, n));
            }
        });
        assert_eq!(found, vec![Some("x1".into()), None, Some("pq".into())]);
    }
}
