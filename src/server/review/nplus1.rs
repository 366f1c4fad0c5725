//! DATA-NPLUS1: a query issued inside a loop over the results of another
//! query (one query for the list, then one more per row).
//!
//! Within each function, names bound from a database call (`const { rows } =
//! await pool.query(...)`, `orders = session.scalars(...)`, `rows, err :=
//! db.Query(...)`, `let orders = sqlx::query_as(...).fetch_all(&pool)`) and
//! names derived from them (`const ids = rows.map(r => r.id)`) are *query
//! results*. A loop whose header reads a query result (`for (const o of
//! rows)`, `for o in orders`, `for rows.Next()`, `for o in &orders`,
//! `rows.map(async r => ...)`) with a database call in its body is reported
//! at that inner call. A loop over request input (`for (const item of
//! req.body.items)`) is not N+1.

use super::db_calls::{calls_in, db_call, DbCall};
use super::findings::Draft;
use super::functions::is_function_node;
use super::language::Grammar;
use super::syntax::{first_line, last_line, named_children, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use std::collections::HashSet;
use tree_sitter::Node;

pub const CHECK_ID: &str = "DATA-NPLUS1";

/// A binding statement: the names it binds and the value they come from.
pub struct Binding<'t> {
    pub names: Vec<&'t str>,
    pub value: Node<'t>,
    pub statement: Node<'t>,
}

/// The names a pattern binds (identifiers inside destructuring, tuples,
/// expression lists).
fn pattern_names<'t>(file: &ParsedFile<'t>, pattern: Node<'t>) -> Vec<&'t str> {
    file.descendants(pattern)
        .filter(|n| {
            matches!(
                n.kind_name(),
                "identifier" | "shorthand_property_identifier_pattern"
            ) && !file.parent(*n).is_some_and(|p| {
                (p.kind_name() == "pair_pattern" && p.field("key") == Some(*n))
                    || p.kind_name().contains("type")
            })
        })
        .map(|n| file.text_of(n))
        .filter(|n| *n != "_" && *n != "err")
        .collect()
}

/// Every binding statement in `scope` (nested functions included), in
/// document order.
pub fn bindings<'t>(file: &ParsedFile<'t>, scope: Node<'t>) -> Vec<Binding<'t>> {
    let mut out = Vec::new();
    for node in file.descendants(scope) {
        let (left, right) = match node.kind_name() {
            "variable_declarator" => (node.field("name"), node.field("value")),
            "assignment_expression" | "assignment" | "augmented_assignment" => {
                (node.field("left"), node.field("right"))
            }
            "short_var_declaration" | "assignment_statement" => {
                (node.field("left"), node.field("right"))
            }
            "var_spec" => (node.field("name"), node.field("value")),
            "let_declaration" => (node.field("pattern"), node.field("value")),
            "for_in_clause" => (node.field("left"), node.field("right")),
            _ => (None, None),
        };
        if let (Some(left), Some(right)) = (left, right) {
            let names = if left.kind_name() == "identifier" {
                vec![file.text_of(left)]
            } else {
                pattern_names(file, left)
            };
            if !names.is_empty() {
                out.push(Binding {
                    names,
                    value: right,
                    statement: node,
                });
            }
        }
    }
    out
}

/// Identifiers read in a subtree.
pub fn identifiers<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> HashSet<&'t str> {
    file.descendants(node)
        .filter(|n| n.kind_name() == "identifier")
        .map(|n| file.text_of(n))
        .collect()
}

fn contains_db_call(file: &ParsedFile, node: Node) -> bool {
    file.descendants(node)
        .into_iter()
        .any(|n| db_call(file, n).is_some_and(|c| !c.commit))
}

/// Names holding query results in `scope` (bound from a query, or derived
/// from such a name).
fn query_results<'t>(file: &ParsedFile<'t>, scope: Node<'t>) -> HashSet<&'t str> {
    let all = bindings(file, scope);
    let mut derived: HashSet<&str> = HashSet::new();
    for b in &all {
        if contains_db_call(file, b.value) {
            derived.extend(b.names.iter().copied());
        }
    }
    // GORM and sqlx fill their results through a pointer: `db.Find(&orders)`,
    // `db.Select(&orders, q)`.
    if file.grammar == Grammar::Go {
        for call in super::db_calls::calls_in(file, scope) {
            let whole = super::db_calls::chain_top(file, call.node);
            for n in file.descendants(whole) {
                if n.kind_name() == "unary_expression" && file.text_of(n).starts_with('&') {
                    if let Some(operand) = n.field("operand") {
                        if operand.kind_name() == "identifier" {
                            derived.insert(file.text_of(operand));
                        }
                    }
                }
            }
        }
    }
    for _ in 0..3 {
        let before = derived.len();
        for b in &all {
            if identifiers(file, b.value)
                .iter()
                .any(|i| derived.contains(i))
            {
                derived.extend(b.names.iter().copied());
            }
        }
        if derived.len() == before {
            break;
        }
    }
    derived
}

/// The header (what is iterated) and body of a loop node.
fn loop_parts<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<(Vec<Node<'t>>, Node<'t>)> {
    match node.kind_name() {
        "for_in_statement" | "for_statement" | "for_expression" | "while_statement" => {
            let body = node.field("body")?;
            let header: Vec<Node> = named_children(node)
                .into_iter()
                .filter(|c| c.id() != body.id() && c.kind_name() != "comment")
                .collect();
            Some((header, body))
        }
        "list_comprehension"
        | "generator_expression"
        | "set_comprehension"
        | "dictionary_comprehension" => {
            let body = node.field("body")?;
            let header: Vec<Node> = named_children(node)
                .into_iter()
                .filter(|c| c.kind_name() == "for_in_clause")
                .filter_map(|c| c.field("right"))
                .collect();
            Some((header, body))
        }
        // rows.map(async (r) => ...), rows.forEach(...), orders.iter().map(|o| ...)
        "call_expression" => {
            let function = node.field("function")?;
            let method = function
                .field("property")
                .or_else(|| function.field("field"))
                .map(|m| file.text_of(m))?;
            if !matches!(
                method,
                "map" | "forEach" | "flatMap" | "for_each" | "then" | "filter_map"
            ) {
                return None;
            }
            let object = function
                .field("object")
                .or_else(|| function.field("value"))?;
            let callback = named_children(node.field("arguments")?)
                .into_iter()
                .find(|a| is_function_node(*a))?;
            Some((vec![object], callback))
        }
        _ => None,
    }
}

/// Scans one parsed file; `calls` are its database calls (every finding is
/// one of them, so a file without any is not walked).
pub fn scan(file: &ParsedFile, calls: &[DbCall]) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) || calls.iter().all(|c| c.commit) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut reported: HashSet<usize> = HashSet::new();
    let mut scopes: Vec<Node> = Vec::new();
    file.for_each_of(super::functions::FUNCTION_KINDS, |n| {
        if is_function_node(n) && file.ancestors(n).all(|a| !is_function_node(a)) {
            scopes.push(n);
        }
    });
    for scope in scopes {
        let results = query_results(file, scope);
        if results.is_empty() {
            continue;
        }
        for node in file.descendants(scope) {
            let Some((header, body)) = loop_parts(file, node) else {
                continue;
            };
            let outer_query = header
                .iter()
                .find_map(|h| calls_in(file, *h).into_iter().find(|c| !c.commit));
            let over_results = outer_query.is_some()
                || header
                    .iter()
                    .any(|h| identifiers(file, *h).iter().any(|i| results.contains(i)));
            if !over_results {
                continue;
            }
            let inner = calls_in(file, body).into_iter().find(|c| !c.commit);
            let Some(inner) = inner else { continue };
            if !reported.insert(inner.node.id()) {
                continue;
            }
            out.push(draft(file, node, &inner));
        }
    }
    out
}

fn draft(file: &ParsedFile, loop_node: Node, inner: &DbCall) -> Draft {
    let fix = match file.grammar {
        Grammar::Python if file.mentions("django") => {
            "load the related rows up front with `select_related(...)`/`prefetch_related(...)`, or one `filter(id__in=ids)` query"
        }
        Grammar::Python => {
            "load the related rows with one query: eager loading (`selectinload(...)`/`joinedload(...)`) or `WHERE id IN (...)`"
        }
        Grammar::Go => "fetch the related rows in one query (`WHERE id = ANY($1)` / a JOIN, or GORM `Preload`) and group them in memory",
        Grammar::Rust => "fetch the related rows in one query (`WHERE id = ANY($1)` with the collected ids, or a JOIN) and group them in memory",
        _ if file.mentions("prisma") => {
            "load the relation in the first query (`include: { ... }`) or with one `findMany({ where: { id: { in: ids } } })`"
        }
        _ => "fetch the related rows with one query (a JOIN, or `WHERE id = ANY($1)` with the collected ids) and group them in memory",
    };
    Draft {
        check_id: CHECK_ID,
        severity: Severity::Medium,
        line: first_line(inner.node),
        end_line: last_line(inner.node).min(first_line(inner.node) + 2),
        message: format!(
            "{} runs once per row of the loop on line {} over another query's results: N rows cost N+1 round trips to the database, and the endpoint slows down as the data grows. To fix it, {fix}.",
            super::layers::describe_call(file, inner),
            first_line(loop_node)
        ),
        code: file.text_of(inner.node).lines().next().unwrap_or("").to_string(),
        secrets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax::Parsers;
    use super::*;

    fn lines(path: &str, code: &str) -> Vec<u32> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        let calls = calls_in(&file, tree.root_node());
        scan(&file, &calls).iter().map(|d| d.line).collect()
    }

    #[test]
    fn queries_in_loops_over_query_results_are_found() {
        let js = "async function list(req, res) {\n  const { rows } = await pool.query('SELECT * FROM orders');\n  for (const o of rows) {\n    o.items = (await pool.query('SELECT * FROM items WHERE order_id = $1', [o.id])).rows;\n  }\n  for (const item of req.body.items) {\n    await pool.query('SELECT 1 FROM skus WHERE sku = $1', [item.sku]);\n  }\n}\n";
        assert_eq!(lines("src/a.ts", js), vec![4]);
        let py = "def view(session):\n    orders = session.scalars(select(Order)).all()\n    for o in orders:\n        session.execute(select(Item).where(Item.order_id == o.id))\n    for sku in ['a', 'b']:\n        session.execute(select(Item))\n";
        assert_eq!(lines("app/a.py", py), vec![4]);
        let go = "package x\nfunc f() {\n\trows, err := db.Query(\"SELECT id FROM orders\")\n\tfor rows.Next() {\n\t\tdb.QueryRow(\"SELECT count(*) FROM items WHERE order_id = $1\", id)\n\t}\n}\n";
        assert_eq!(lines("a.go", go), vec![5]);
        let rs = "async fn f(pool: PgPool) {\n    let orders = sqlx::query_as::<_, O>(\"SELECT * FROM orders\").fetch_all(&pool).await?;\n    for o in &orders {\n        let items = sqlx::query_as::<_, I>(\"SELECT * FROM items WHERE order_id = $1\").bind(o.id).fetch_all(&pool).await?;\n    }\n}\n";
        assert_eq!(lines("a.rs", rs), vec![4]);
    }
}
