//! DATA-TX: several dependent writes outside a transaction.
//!
//! Within one function, a write whose values come from an earlier write (the
//! inserted row's id, an object the ORM just saved) is *dependent*: if it
//! fails, the first write stays and the data is half-done. They are fine
//! inside a transaction: a transaction handle (`tx.Exec`, `trx(...)`,
//! `&mut *tx`), a transaction callback or block (`prisma.$transaction`,
//! `knex.transaction`, `with transaction.atomic()`, `@transaction.atomic`,
//! `db.Transaction(func...)`), or a function that opens one (`BEGIN`,
//! `pool.begin()`, `db.BeginTx`). SQLAlchemy sessions and DB-API connections
//! keep writes in one implicit transaction until `commit()`: there only a
//! commit *between* dependent writes is reported.

use super::db_calls::DbCall;
use super::findings::Draft;
use super::functions::Function;
use super::language::Grammar;
use super::nplus1::{bindings, identifiers};
use super::syntax::{first_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use std::collections::HashSet;
use tree_sitter::Node;

pub const CHECK_ID: &str = "DATA-TX";

const OPENS_TRANSACTION: &[&str] = &[
    "BEGIN",
    ".begin(",
    ".Begin(",
    "BeginTx(",
    "startTransaction",
    "$transaction",
    ".transaction(",
    "Transaction(",
    "transaction.atomic",
    "with_transaction",
    "withTransaction",
    "begin_nested",
    "session.begin",
    ".begin()",
    "Begin()",
];

/// Scans one parsed file.
/// `calls` are the file's database calls ([`calls_in`] of the root).
pub fn scan<'t>(file: &ParsedFile<'t>, functions: &[Function], calls: &[DbCall<'t>]) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) {
        return Vec::new();
    }
    if calls.iter().filter(|c| c.write).count() < 2 {
        return Vec::new();
    }
    let implicit_tx_python =
        file.grammar.is_python() && !file.mentions("asyncpg") && !file.mentions("django");
    // Each call's owning function, found once.
    let named: HashSet<usize> = functions
        .iter()
        .filter(|f| f.handler || f.name.is_some())
        .map(|f| f.node.id())
        .collect();
    let owners: Vec<Option<usize>> = calls
        .iter()
        .map(|c| {
            file.ancestors(c.node)
                .find(|a| named.contains(&a.id()))
                .map(|o| o.id())
        })
        .collect();
    let mut out = Vec::new();
    for function in functions.iter().filter(|f| f.handler || f.name.is_some()) {
        if !owners.contains(&Some(function.node.id())) {
            continue;
        }
        let text = file.text_of(function.node);
        if OPENS_TRANSACTION.iter().any(|t| text.contains(t))
            || decorated_atomic(file, function.node)
        {
            continue;
        }
        let mine: Vec<&DbCall> = calls
            .iter()
            .zip(&owners)
            .filter(|(_, o)| **o == Some(function.node.id()))
            .map(|(c, _)| c)
            .collect();
        let events: Vec<&DbCall> = mine
            .into_iter()
            .filter(|c| (c.write || c.commit) && !c.on_transaction)
            .collect();
        if let Some((first, second)) =
            dependent_pair(file, function.node, &events, implicit_tx_python)
        {
            out.push(draft(file, function, first, second, implicit_tx_python));
        }
    }
    out
}

fn decorated_atomic(file: &ParsedFile, node: Node) -> bool {
    file.parent(node)
        .filter(|p| p.kind_name() == "decorated_definition")
        .is_some_and(|p| {
            file.text_of(p)
                .split("def ")
                .next()
                .unwrap_or("")
                .contains("atomic")
        })
}

/// Names an earlier write produces: what its statement binds, the object it
/// saves (`order.save()`, `db.Create(&order)`, `session.add(order)`).
fn produced<'t>(file: &ParsedFile<'t>, scope: Node<'t>, call: &DbCall<'t>) -> HashSet<&'t str> {
    let mut names: HashSet<&str> = HashSet::new();
    let all = bindings(file, scope);
    for b in &all {
        if b.value.start_byte() <= call.node.start_byte()
            && call.node.end_byte() <= b.value.end_byte()
        {
            names.extend(b.names.iter().copied());
        }
    }
    let callee = call
        .node
        .field("function")
        .map(|f| file.text_of(f))
        .unwrap_or("");
    if callee.ends_with(".save")
        || callee.ends_with(".Create")
        || callee.ends_with(".Save")
        || callee.ends_with(".add")
        || callee.ends_with(".create")
        || callee.ends_with(".insert")
    {
        if callee.ends_with(".save") {
            if let Some(r) = call
                .node
                .field("function")
                .and_then(|f| f.field("object").or_else(|| f.field("operand")))
            {
                names.extend(identifiers(file, r));
            }
        }
        if let Some(args) = call.node.field("arguments") {
            if let Some(first) = args.named_child(0) {
                if matches!(first.kind_name(), "identifier" | "unary_expression") {
                    names.extend(identifiers(file, first));
                }
            }
        }
    }
    // Derived names, in document order after the write.
    for _ in 0..3 {
        let before = names.len();
        for b in &all {
            if b.statement.start_byte() > call.node.end_byte()
                && identifiers(file, b.value).iter().any(|i| names.contains(i))
            {
                names.extend(b.names.iter().copied());
            }
        }
        if names.len() == before {
            break;
        }
    }
    names.retain(|n| {
        !matches!(
            *n,
            "db" | "pool"
                | "session"
                | "conn"
                | "tx"
                | "err"
                | "ctx"
                | "req"
                | "res"
                | "self"
                | "this"
        )
    });
    names
}

fn dependent_pair<'a, 't>(
    file: &ParsedFile<'t>,
    scope: Node<'t>,
    events: &[&'a DbCall<'t>],
    implicit_tx: bool,
) -> Option<(&'a DbCall<'t>, &'a DbCall<'t>)> {
    for (i, first) in events.iter().enumerate() {
        if !first.write {
            continue;
        }
        let names = produced(file, scope, first);
        if names.is_empty() {
            continue;
        }
        let mut committed_between = false;
        for second in &events[i + 1..] {
            if second.commit {
                committed_between = true;
                continue;
            }
            if !second.write || (implicit_tx && !committed_between) {
                continue;
            }
            let whole = super::db_calls::chain_top(file, second.node);
            if identifiers(file, whole).iter().any(|n| names.contains(n)) {
                return Some((first, second));
            }
        }
    }
    None
}

fn draft(
    file: &ParsedFile,
    function: &Function,
    first: &DbCall,
    second: &DbCall,
    implicit_tx: bool,
) -> Draft {
    let fix = match file.grammar {
        Grammar::Python if file.mentions("django") => "wrap them in `with transaction.atomic():` (or decorate the view with `@transaction.atomic`)",
        Grammar::Python if implicit_tx => "commit once, after the last write (use `session.flush()` to get generated ids before it), or wrap the block in `with session.begin():`",
        Grammar::Python => "run them inside `async with conn.transaction():`",
        Grammar::Go => "run them on one `tx, err := db.BeginTx(ctx, nil)` with `defer tx.Rollback()` and `tx.Commit()` at the end (GORM: `db.Transaction(func(tx *gorm.DB) error { ... })`)",
        Grammar::Rust => "run them on one transaction: `let mut tx = pool.begin().await?;`, execute both on `&mut *tx`, then `tx.commit().await?`",
        _ if file.mentions("prisma") => "run them in `prisma.$transaction(async (tx) => { ... })` or as one nested write",
        _ => "run them on one client inside a transaction (`const client = await pool.connect(); await client.query('BEGIN') ... COMMIT`, or your query builder's `transaction(...)`)",
    };
    let name = function
        .name
        .map(|n| format!("`{n}`"))
        .unwrap_or_else(|| "This handler".to_string());
    let how = if implicit_tx {
        " with a commit in between"
    } else {
        " with no transaction"
    };
    Draft {
        check_id: CHECK_ID,
        severity: Severity::High,
        line: first_line(first.node),
        end_line: first_line(second.node),
        message: format!(
            "{name} writes on line {} and again on line {} with values from the first write{how}: if the second write fails, the first one stays and the data is left half-done. To fix it, {fix}.",
            first_line(first.node),
            first_line(second.node),
        ),
        code: file.text_of(first.node).lines().next().unwrap_or("").to_string(),
        secrets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::db_calls::calls_in;
    use super::super::syntax::Parsers;
    use super::*;

    fn lines(path: &str, code: &str) -> Vec<u32> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        let functions = super::super::functions::functions(&file);
        scan(&file, &functions, &calls_in(&file, tree.root_node()))
            .iter()
            .map(|d| d.line)
            .collect()
    }

    #[test]
    fn dependent_writes_outside_transactions_are_found() {
        let js = "async function create(input) {\n  const { rows } = await pool.query('INSERT INTO orders (a) VALUES ($1) RETURNING id', [input.a]);\n  for (const item of input.items) {\n    await pool.query('INSERT INTO order_items (order_id) VALUES ($1)', [rows[0].id]);\n  }\n}\nasync function independent(a) {\n  await pool.query('UPDATE a SET x = 1');\n  await pool.query('UPDATE b SET y = 2');\n}\nasync function inTx(input) {\n  await prisma.$transaction(async (tx) => {\n    const o = await tx.order.create({ data: input });\n    await tx.item.create({ data: { orderId: o.id } });\n  });\n}\n";
        assert_eq!(lines("src/a.ts", js), vec![2]);
        let py = "def create(session, data):\n    order = Order(**data)\n    session.add(order)\n    session.flush()\n    session.add(Item(order_id=order.id))\n    session.commit()\n\ndef create_twice(session, data):\n    order = Order(**data)\n    session.add(order)\n    session.commit()\n    session.add(Item(order_id=order.id))\n    session.commit()\n";
        assert_eq!(lines("app/a.py", py), vec![10]);
        let go = "package x\nfunc create(db *sql.DB) error {\n\tres, err := db.Exec(\"INSERT INTO orders (a) VALUES (1)\")\n\tid, _ := res.LastInsertId()\n\t_, err = db.Exec(\"INSERT INTO items (order_id) VALUES (?)\", id)\n\treturn err\n}\nfunc createTx(db *sql.DB) error {\n\ttx, _ := db.Begin()\n\tres, _ := tx.Exec(\"INSERT INTO orders (a) VALUES (1)\")\n\tid, _ := res.LastInsertId()\n\t_, err := tx.Exec(\"INSERT INTO items (order_id) VALUES (?)\", id)\n\treturn err\n}\n";
        assert_eq!(lines("a.go", go), vec![3]);
    }
}
