//! Database calls recognised over syntax trees, in the four languages, for
//! ARCH-LAYERS, DATA-NPLUS1, DATA-TX and ARCH-DI:
//!
//! * JS/TS: `pool.query(...)`, `db.execute(...)`, Prisma `prisma.user.findMany`,
//!   Mongoose/Sequelize statics `User.findOne(...)`, TypeORM repositories,
//!   Knex `knex("t")`/`db("t")`, Drizzle `db.select()/insert()/update()/delete()`,
//!   MongoDB collections.
//! * Python: `session.execute/scalars/add/query/get(Model, id)`, DB-API cursors,
//!   asyncpg `conn.fetch/execute`, Django `Model.objects.*` and `.save()`.
//! * Go: `database/sql`, sqlx and pgx (`db.Query/QueryRow/Exec...`), GORM
//!   (`db.Find/First/Create/Save/...`).
//! * Rust: `sqlx::query*` (functions and macros), Diesel `insert_into/update/
//!   delete` and `.load/.get_result(conn)`, SeaORM `.one/.all/.insert(db)`,
//!   rusqlite/postgres `conn.execute/query`.
//!
//! Receivers are recognised by name (`db`, `pool`, `conn`, `session`, `tx`,
//! names ending in `db`/`pool`/`session`...), so an HTTP `client.get(url)` or a
//! `map.get(key)` is not a query.

use super::language::Grammar;
use super::syntax::{
    js_literal_text, named_children, py_literal_text, unwrap_expression, ParsedFile,
};
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

/// One database call.
#[derive(Clone, Copy, Debug)]
pub struct DbCall<'t> {
    /// The call (the innermost call of a chain that identifies the query).
    pub node: Node<'t>,
    /// Inserts, updates or deletes.
    pub write: bool,
    /// Runs on a transaction handle (`tx.Exec`, `trx(...)`, `&mut *tx`).
    pub on_transaction: bool,
    /// A commit of pending writes (`session.commit()`, `conn.commit()`).
    pub commit: bool,
    /// Goes through a repository object (`orderRepository.save`).
    pub via_repository: bool,
    /// The receiver expression as written (`pool`, `this.db`, `prisma`).
    pub receiver: Node<'t>,
}

const JS_QUERY_METHODS: &[&str] = &[
    "query",
    "execute",
    "raw",
    "$queryRaw",
    "$executeRaw",
    "$queryRawUnsafe",
    "$executeRawUnsafe",
    "none",
    "one",
    "oneOrNone",
    "many",
    "manyOrNone",
    "any",
];
const PRISMA_OPS: &[&str] = &[
    "findMany",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "create",
    "createMany",
    "update",
    "updateMany",
    "upsert",
    "delete",
    "deleteMany",
    "count",
    "aggregate",
    "groupBy",
];
const MODEL_OPS: &[&str] = &[
    "find",
    "findOne",
    "findById",
    "findAll",
    "findByPk",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findAndCountAll",
    "create",
    "insertMany",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "destroy",
    "bulkCreate",
    "countDocuments",
    "upsert",
    "findOrCreate",
];
const REPOSITORY_OPS: &[&str] = &[
    "find",
    "findOne",
    "findOneBy",
    "findBy",
    "findAndCount",
    "findOneOrFail",
    "save",
    "insert",
    "update",
    "delete",
    "remove",
    "count",
    "createQueryBuilder",
    "query",
    "upsert",
    "softDelete",
];
const MONGO_OPS: &[&str] = &[
    "find",
    "findOne",
    "insertOne",
    "insertMany",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "aggregate",
    "countDocuments",
    "replaceOne",
    "findOneAndUpdate",
    "bulkWrite",
];
const JS_BUILTINS: &[&str] = &[
    "Object", "Array", "Promise", "Math", "JSON", "Date", "Number", "String", "Reflect", "Map",
    "Set", "Buffer", "URL", "Intl", "Error", "Symbol", "Proxy", "WeakMap", "Atomics", "Boolean",
];
const WRITE_WORDS: &[&str] = &[
    "insert",
    "update",
    "delete",
    "del",
    "create",
    "save",
    "upsert",
    "destroy",
    "remove",
    "replace",
    "merge",
    "add",
    "add_all",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "createMany",
    "updateMany",
    "deleteMany",
    "insertMany",
    "insertOne",
    "updateOne",
    "deleteOne",
    "bulkCreate",
    "Create",
    "Save",
    "Delete",
    "Update",
    "Updates",
    "Exec",
    "ExecContext",
    "NamedExec",
    "NamedExecContext",
    "values",
    "set",
    "softDelete",
    "findOneAndUpdate",
    "findByIdAndUpdate",
    "findOneAndDelete",
    "findByIdAndDelete",
    "replaceOne",
    "bulkWrite",
];
const PY_SESSION_OPS: &[&str] = &[
    "execute",
    "executemany",
    "scalars",
    "scalar",
    "query",
    "add",
    "add_all",
    "delete",
    "merge",
    "fetch",
    "fetchrow",
    "fetchval",
    "get",
    "bulk_save_objects",
    "commit",
];
const DJANGO_OPS: &[&str] = &[
    "all",
    "filter",
    "get",
    "exclude",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "count",
    "first",
    "last",
    "values",
    "values_list",
    "aggregate",
    "annotate",
    "select_related",
    "prefetch_related",
    "order_by",
    "exists",
    "in_bulk",
    "raw",
];
const GO_SQL_OPS: &[&str] = &[
    "Query",
    "QueryRow",
    "QueryContext",
    "QueryRowContext",
    "Exec",
    "ExecContext",
    "Get",
    "GetContext",
    "Select",
    "SelectContext",
    "NamedExec",
    "NamedExecContext",
    "NamedQuery",
    "Queryx",
    "QueryRowx",
    "QueryxContext",
    "QueryRowxContext",
];
const GORM_OPS: &[&str] = &[
    "Find", "First", "Last", "Take", "Create", "Save", "Delete", "Updates", "Update", "Where",
    "Raw", "Model", "Preload", "Joins", "Table", "Count", "Pluck", "Scan",
];
const RUST_EXEC_OPS: &[&str] = &[
    "fetch_one",
    "fetch_all",
    "fetch_optional",
    "fetch",
    "execute",
    "load",
    "get_result",
    "get_results",
    "one",
    "all",
    "insert",
    "exec",
    "query_row",
    "query",
    "query_one",
    "query_opt",
];

/// Is this receiver name (last segment, any case) a database handle?
pub fn is_db_name(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "db" | "database"
            | "pool"
            | "conn"
            | "connection"
            | "cursor"
            | "cur"
            | "session"
            | "sess"
            | "tx"
            | "trx"
            | "txn"
            | "transaction"
            | "knex"
            | "sequelize"
            | "prisma"
            | "em"
            | "entitymanager"
            | "datasource"
            | "queryrunner"
            | "orm"
            | "pg"
            | "client"
            | "dbclient"
    ) || lower.ends_with("db")
        || lower.ends_with("pool")
        || lower.ends_with("_session")
        || lower.ends_with("session") && lower.len() > 7 && !lower.contains("http")
        || lower.ends_with("conn")
        || lower.ends_with("prisma")
}

/// Is this name a transaction handle?
pub fn is_tx_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(lower.as_str(), "tx" | "trx" | "txn" | "transaction" | "t")
        || lower.ends_with("tx")
        || lower.ends_with("txn")
        || lower.ends_with("transaction")
}

/// The last name of a receiver expression: `pool`, `this.db` → `db`,
/// `self.session` → `session`, `h.store.db` → `db`, `state.pool` → `pool`.
pub fn last_name<'a>(file: &ParsedFile<'a>, node: Node) -> Option<&'a str> {
    let node = unwrap_expression(node);
    match node.kind_name() {
        "identifier" | "property_identifier" | "field_identifier" | "this" | "self" => {
            Some(file.text_of(node))
        }
        "member_expression" => node.field("property").map(|p| file.text_of(p)),
        "attribute" => node.field("attribute").map(|p| file.text_of(p)),
        "selector_expression" => node.field("field").map(|p| file.text_of(p)),
        "field_expression" => node.field("field").map(|p| file.text_of(p)),
        "reference_expression" | "unary_expression" => node
            .field("value")
            .or_else(|| node.field("argument"))
            .or_else(|| node.field("operand"))
            .or_else(|| node.named_child(node.named_child_count().saturating_sub(1)))
            .and_then(|n| last_name(file, n)),
        "await_expression" => node.named_child(0).and_then(|n| last_name(file, n)),
        _ => None,
    }
}

/// The root identifier of a receiver chain: `this.db` → `this`,
/// `req.app.locals.db` → `req`, `h.db` → `h`, `db` → `db`.
pub fn root_node(node: Node) -> Node {
    let mut node = unwrap_expression(node);
    for _ in 0..super::syntax::MAX_DEPTH {
        let next = match node.kind_name() {
            "member_expression" | "field_expression" => {
                node.field("object").or_else(|| node.field("value"))
            }
            "attribute" => node.field("object"),
            "selector_expression" => node.field("operand"),
            "call_expression" | "call" => node.field("function"),
            "reference_expression" => node.field("value"),
            "unary_expression" => node.field("argument").or_else(|| node.field("operand")),
            "await_expression" | "parenthesized_expression" => node.named_child(0),
            _ => None,
        };
        match next {
            Some(n) => node = unwrap_expression(n),
            None => return node,
        }
    }
    node
}

/// The method names chained after `node` (`knex("t").where(..).insert(..)` →
/// `where`, `insert`).
fn chained_methods<'a>(file: &ParsedFile<'a>, node: Node) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut current = node;
    for _ in 0..24 {
        let Some(parent) = file.parent(current) else {
            break;
        };
        match parent.kind_name() {
            "member_expression" | "attribute" | "selector_expression" | "field_expression" => {
                let field = parent
                    .field("property")
                    .or_else(|| parent.field("attribute"))
                    .or_else(|| parent.field("field"));
                if let Some(f) = field {
                    out.push(file.text_of(f));
                }
            }
            "call_expression"
            | "call"
            | "await_expression"
            | "parenthesized_expression"
            | "try_expression"
            | "arguments" => {
                if parent.kind_name() == "arguments" {
                    break;
                }
            }
            _ => break,
        }
        current = parent;
    }
    out
}

/// The text of a string literal argument in any of the four languages.
pub fn literal_text(file: &ParsedFile, node: Node) -> Option<String> {
    let node = unwrap_expression(node);
    match file.grammar {
        Grammar::Python => py_literal_text(file, node),
        Grammar::TypeScript | Grammar::Tsx => js_literal_text(file, node).map(str::to_string),
        Grammar::Go | Grammar::Rust => match node.kind_name() {
            "interpreted_string_literal" | "string_literal" => {
                let t = file.text_of(node);
                t.get(1..t.len().saturating_sub(1)).map(str::to_string)
            }
            "raw_string_literal" => {
                let t = file.text_of(node);
                let start = t.find('"').map_or(1, |i| i + 1);
                let end = t.rfind('"').unwrap_or(t.len());
                t.get(start..end.max(start)).map(str::to_string)
            }
            _ => None,
        },
    }
}

/// Does this SQL text write?
pub fn sql_writes(sql: &str) -> bool {
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        first.as_str(),
        "insert" | "update" | "delete" | "replace" | "merge" | "upsert"
    )
}

fn first_arg<'t>(call: Node<'t>) -> Option<Node<'t>> {
    call.field("arguments").and_then(|a| {
        named_children(a)
            .into_iter()
            .find(|n| n.kind_name() != "comment")
    })
}

fn arg_count(call: Node) -> usize {
    call.field("arguments").map_or(0, |a| {
        named_children(a)
            .into_iter()
            .filter(|n| n.kind_name() != "comment")
            .count()
    })
}

/// The kinds [`db_call`] accepts, in the four languages.
pub const DB_CALL_KINDS: &[&str] = &["call_expression", "call", "macro_invocation"];

/// The database call at `node`, if it is one.
pub fn db_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<DbCall<'t>> {
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => js_call(file, node),
        Grammar::Python => py_call(file, node),
        Grammar::Go => go_call(file, node),
        Grammar::Rust => rust_call(file, node),
    }
}

fn call<'t>(node: Node<'t>, receiver: Node<'t>, write: bool) -> DbCall<'t> {
    DbCall {
        node,
        write,
        on_transaction: false,
        commit: false,
        via_repository: false,
        receiver,
    }
}

fn js_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<DbCall<'t>> {
    if node.kind_name() != "call_expression" {
        return None;
    }
    let mut function = node.field("function")?;
    // `await pool.query<Row>(...)` parses as a call of `await pool.query`.
    if function.kind_name() == "await_expression" {
        function = function.named_child(0)?;
    }
    if function.kind_name() == "identifier" {
        // knex("orders").insert(...), db("orders").where(...)
        let name = file.text_of(function);
        if matches!(name, "knex" | "db" | "trx")
            && first_arg(node)
                .and_then(|a| literal_text(file, a))
                .is_some()
        {
            let chain = chained_methods(file, node);
            let write = chain.iter().any(|m| WRITE_WORDS.contains(m));
            let mut c = call(node, function, write);
            c.on_transaction = name == "trx";
            return Some(c);
        }
        return None;
    }
    if function.kind_name() != "member_expression" {
        return None;
    }
    let method = file.text_of(function.field("property")?);
    let object = unwrap_expression(function.field("object")?);
    let receiver_name = last_name(file, object).unwrap_or("");
    let chain = || chained_methods(file, node);
    // Prisma: prisma.user.findMany(...), tx.order.create(...)
    if PRISMA_OPS.contains(&method) && object.kind_name() == "member_expression" {
        let base = object.field("object")?;
        let base_name = last_name(file, base).unwrap_or("");
        if is_db_name(base_name) {
            let mut c = call(node, base, WRITE_WORDS.contains(&method));
            c.on_transaction = is_tx_name(base_name);
            return Some(c);
        }
    }
    if JS_QUERY_METHODS.contains(&method) && is_db_name(receiver_name) {
        if method == "one" || method == "none" || method == "any" || method == "many" {
            // pg-promise only with a SQL literal.
            first_arg(node)
                .and_then(|a| literal_text(file, a))
                .filter(|t| super::sqli::looks_like_sql(t))?;
        }
        let write = first_arg(node).is_some_and(|a| {
            literal_text(file, a).is_some_and(|t| sql_writes(&t)) || {
                let text = file.text_of(a);
                let t = text.trim_start_matches(['`', '"', '\'']);
                sql_writes(t)
            }
        });
        let mut c = call(node, object, write);
        c.on_transaction = is_tx_name(receiver_name);
        return Some(c);
    }
    // Drizzle: db.select().from(t), db.insert(t).values(...)
    if matches!(
        method,
        "select" | "insert" | "update" | "delete" | "selectDistinct"
    ) && is_db_name(receiver_name)
        && receiver_name != "client"
    {
        let mut c = call(
            node,
            object,
            method != "select" && method != "selectDistinct",
        );
        c.on_transaction = is_tx_name(receiver_name);
        return Some(c);
    }
    // Mongoose / Sequelize statics: User.findOne(...)
    if object.kind_name() == "identifier"
        && MODEL_OPS.contains(&method)
        && receiver_name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && !JS_BUILTINS.contains(&receiver_name)
        && receiver_name.chars().any(|c| c.is_ascii_lowercase())
    {
        return Some(call(node, object, WRITE_WORDS.contains(&method)));
    }
    let lower = receiver_name.to_ascii_lowercase();
    if (lower.ends_with("repository") || lower.ends_with("repo"))
        && REPOSITORY_OPS.contains(&method)
    {
        let mut c = call(node, object, WRITE_WORDS.contains(&method));
        c.via_repository = true;
        return Some(c);
    }
    if (lower.ends_with("collection") || lower == "coll") && MONGO_OPS.contains(&method) {
        return Some(call(node, object, WRITE_WORDS.contains(&method)));
    }
    let _ = chain;
    None
}

fn py_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<DbCall<'t>> {
    if node.kind_name() != "call" {
        return None;
    }
    let function = node.field("function")?;
    if function.kind_name() != "attribute" {
        return None;
    }
    let method = file.text_of(function.field("attribute")?);
    let object = function.field("object")?;
    // Django: Order.objects.filter(...)
    if object.kind_name() == "attribute"
        && object
            .field("attribute")
            .is_some_and(|a| file.text_of(a) == "objects")
        && DJANGO_OPS.contains(&method)
    {
        return Some(call(node, object, WRITE_WORDS.contains(&method)));
    }
    // Django instance writes: order.save(), order.delete() in a Django file.
    if matches!(method, "save" | "delete")
        && object.kind_name() == "identifier"
        && file.mentions("django")
        && !is_db_name(file.text_of(object))
    {
        return Some(call(node, object, true));
    }
    let receiver_name = last_name(file, object).unwrap_or("");
    if !is_db_name(receiver_name) || receiver_name == "client" {
        return None;
    }
    if method == "commit" {
        let mut c = call(node, object, false);
        c.commit = true;
        return Some(c);
    }
    if !PY_SESSION_OPS.contains(&method) {
        return None;
    }
    if method == "get" {
        // session.get(Item, item_id): a model class first.
        let first = first_arg(node)?;
        let name = file.text_of(first);
        if arg_count(node) < 2 || !name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            return None;
        }
    }
    let write = match method {
        "add" | "add_all" | "delete" | "merge" | "bulk_save_objects" => true,
        "execute" | "executemany" => first_arg(node).is_some_and(|a| {
            let a = unwrap_expression(a);
            let text = if a.kind_name() == "call" {
                // text("UPDATE ..."), insert(Item).values(...)
                let callee = a.field("function").map(|f| file.text_of(f)).unwrap_or("");
                if matches!(
                    callee,
                    "insert" | "update" | "delete" | "sa.insert" | "sa.update" | "sa.delete"
                ) || callee.ends_with(".values")
                {
                    return true;
                }
                first_arg(a)
                    .and_then(|x| literal_text(file, x))
                    .unwrap_or_default()
            } else {
                literal_text(file, a).unwrap_or_else(|| {
                    file.text_of(a)
                        .trim_start_matches(['"', '\'', 'f'])
                        .to_string()
                })
            };
            sql_writes(&text)
        }),
        _ => false,
    };
    let mut c = call(node, object, write);
    c.on_transaction = is_tx_name(receiver_name);
    Some(c)
}

fn go_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<DbCall<'t>> {
    if node.kind_name() != "call_expression" {
        return None;
    }
    let function = node.field("function")?;
    if function.kind_name() != "selector_expression" {
        return None;
    }
    let method = file.text_of(function.field("field")?);
    let mut operand = function.field("operand")?;
    // GORM chains: `db.WithContext(ctx).Where(...).Find(&x)` is a query of `db`,
    // reported once at its outermost query method.
    let mut chained = false;
    for _ in 0..8 {
        if operand.kind_name() != "call_expression" {
            break;
        }
        let Some(inner) = operand
            .field("function")
            .filter(|f| f.kind_name() == "selector_expression")
            .and_then(|f| f.field("operand"))
        else {
            break;
        };
        operand = inner;
        chained = true;
    }
    let receiver_name = last_name(file, operand).unwrap_or("");
    if !is_db_name(receiver_name) && !is_tx_name(receiver_name) {
        return None;
    }
    if chained && !GORM_OPS.contains(&method) {
        return None;
    }
    if method == "Commit" {
        let mut c = call(node, operand, false);
        c.commit = true;
        c.on_transaction = true;
        return Some(c);
    }
    // An `http.Client` is often called `client`: only SQL methods count there.
    if receiver_name.eq_ignore_ascii_case("client")
        && !(method.starts_with("Query") || method.starts_with("Exec"))
    {
        return None;
    }
    let write = if GO_SQL_OPS.contains(&method) {
        method.starts_with("Exec")
            || method.starts_with("NamedExec")
            || node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default()
                .iter()
                .any(|a| literal_text(file, *a).is_some_and(|t| sql_writes(&t)))
    } else if GORM_OPS.contains(&method) {
        WRITE_WORDS.contains(&method)
            || chained_methods(file, node)
                .iter()
                .any(|m| WRITE_WORDS.contains(m))
    } else {
        return None;
    };
    let mut c = call(node, operand, write);
    c.on_transaction = is_tx_name(receiver_name);
    Some(c)
}

fn rust_call<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Option<DbCall<'t>> {
    match node.kind_name() {
        "macro_invocation" => {
            let name = file.text_of(node.field("macro")?);
            let short = name.rsplit("::").next().unwrap_or(name);
            if !matches!(
                short,
                "query" | "query_as" | "query_scalar" | "query_file" | "query_file_as"
            ) || !(name.starts_with("sqlx::") || file.mentions("sqlx"))
            {
                return None;
            }
            let sql = named_children(node)
                .into_iter()
                .find(|c| c.kind_name() == "token_tree")
                .and_then(|tt| {
                    named_children(tt)
                        .into_iter()
                        .find(|c| matches!(c.kind_name(), "string_literal" | "raw_string_literal"))
                })
                .and_then(|s| literal_text(file, s))
                .unwrap_or_default();
            Some(rust_finish(file, node, sql_writes(&sql)))
        }
        "call_expression" => {
            let function = node.field("function")?;
            let text = file.text_of(function);
            let generic = text.split("::<").next().unwrap_or(text);
            let short = generic.rsplit("::").next().unwrap_or(generic);
            if matches!(
                function.kind_name(),
                "scoped_identifier" | "identifier" | "generic_function"
            ) {
                if generic.starts_with("sqlx::")
                    || (file.mentions("use sqlx")
                        && matches!(short, "query" | "query_as" | "query_scalar"))
                {
                    if !matches!(
                        short,
                        "query" | "query_as" | "query_scalar" | "query_with" | "query_as_with"
                    ) {
                        return None;
                    }
                    let sql = first_arg(node)
                        .and_then(|a| literal_text(file, a))
                        .unwrap_or_default();
                    return Some(rust_finish(file, node, sql_writes(&sql)));
                }
                if (generic.starts_with("diesel::") || file.mentions("diesel"))
                    && matches!(short, "insert_into" | "update" | "delete" | "replace_into")
                {
                    return Some(rust_finish(file, node, true));
                }
                return None;
            }
            if function.kind_name() != "field_expression" {
                return None;
            }
            let method = file.text_of(function.field("field")?);
            let value = function.field("value")?;
            let receiver_name = last_name(file, value).unwrap_or("");
            // conn.execute(sql, params), client.query(sql, &[..]) (rusqlite, postgres)
            if matches!(
                method,
                "execute" | "query" | "query_row" | "query_one" | "query_opt" | "prepare"
            ) && is_db_name(receiver_name)
                && arg_count(node) >= 1
                && first_arg(node)
                    .and_then(|a| literal_text(file, a))
                    .is_some()
            {
                let sql = first_arg(node)
                    .and_then(|a| literal_text(file, a))
                    .unwrap_or_default();
                let mut c = call(node, value, sql_writes(&sql));
                c.on_transaction = is_tx_name(receiver_name);
                return Some(c);
            }
            if method == "commit" && is_tx_name(receiver_name) {
                let mut c = call(node, value, false);
                c.commit = true;
                c.on_transaction = true;
                return Some(c);
            }
            // SeaORM / Diesel terminal calls with a connection argument:
            // Order::find().all(&db), query.load::<T>(&mut conn)
            if RUST_EXEC_OPS.contains(&method) && arg_count(node) == 1 {
                let arg = first_arg(node)?;
                let arg_name = last_name(file, arg).unwrap_or("");
                if !(is_db_name(arg_name) || is_tx_name(arg_name)) {
                    return None;
                }
                // The sqlx chain is reported at its `sqlx::query` call.
                if text_has_sqlx_root(file, value) {
                    return None;
                }
                let write = matches!(method, "insert" | "exec" | "execute")
                    || file.text_of(value).contains("::delete")
                    || file.text_of(value).contains("::update");
                let mut c = call(node, arg, write);
                c.on_transaction = is_tx_name(arg_name);
                return Some(c);
            }
            None
        }
        _ => None,
    }
}

fn text_has_sqlx_root(file: &ParsedFile, value: Node) -> bool {
    let t = file.text_of(value);
    t.contains("query(")
        || t.contains("query_as")
        || t.contains("query!")
        || t.contains("query_scalar")
        || t.contains("insert_into")
        || t.contains("diesel::update")
        || t.contains("diesel::delete")
}

/// A sqlx/diesel chain: writes as decided, on a transaction when the executor
/// argument of the chain's terminal call names one (`&mut *tx`).
fn rust_finish<'t>(file: &ParsedFile<'t>, node: Node<'t>, write: bool) -> DbCall<'t> {
    let mut executor = node;
    let mut current = node;
    for _ in 0..16 {
        let Some(parent) = file.parent(current) else {
            break;
        };
        match parent.kind_name() {
            "field_expression" | "await_expression" | "try_expression" => {}
            "call_expression" => {
                if let Some(arg) = first_arg(parent) {
                    if parent
                        .field("function")
                        .and_then(|f| f.field("field"))
                        .is_some_and(|f| RUST_EXEC_OPS.contains(&file.text_of(f)))
                    {
                        executor = arg;
                    }
                }
            }
            _ => break,
        }
        current = parent;
    }
    let exec_name = if executor == node {
        ""
    } else {
        last_name(file, executor).unwrap_or("")
    };
    let mut c = call(node, executor, write);
    c.on_transaction = is_tx_name(exec_name);
    c
}

/// The whole chain a call is part of: `sqlx::query(..).bind(id).execute(pool)`
/// for its `sqlx::query(..)`, `knex("t").insert(row)` for its `knex("t")`.
pub fn chain_top<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Node<'t> {
    let mut top = node;
    for _ in 0..24 {
        let Some(parent) = file.parent(top) else {
            break;
        };
        if !matches!(
            parent.kind_name(),
            "member_expression"
                | "attribute"
                | "selector_expression"
                | "field_expression"
                | "call_expression"
                | "call"
                | "await_expression"
                | "try_expression"
                | "parenthesized_expression"
        ) {
            break;
        }
        top = parent;
    }
    top
}

/// Every database call inside `scope`, outermost chains once, in document
/// order.
pub fn calls_in<'t>(file: &ParsedFile<'t>, scope: Node<'t>) -> Vec<DbCall<'t>> {
    let mut out: Vec<DbCall<'t>> = Vec::new();
    for node in file.descendants(scope) {
        if let Some(c) = db_call(file, node) {
            // A call nested inside another reported one (chains) is the same query.
            if out.iter().any(|o| {
                o.node.start_byte() <= c.node.start_byte() && c.node.end_byte() <= o.node.end_byte()
            }) {
                continue;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::syntax::Parsers;
    use super::*;

    fn found(path: &str, code: &str) -> Vec<(u32, bool)> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        calls_in(&file, tree.root_node())
            .into_iter()
            .map(|c| (super::super::syntax::first_line(c.node), c.write))
            .collect()
    }

    #[test]
    fn queries_are_recognised_in_the_four_languages() {
        let js = "await pool.query<Row>('SELECT 1');\nawait pool.query(`INSERT INTO t VALUES ($1)`, [a]);\nawait prisma.user.findMany();\nawait User.findOne({ id });\nObject.create(null);\nawait http.get('/x');\nmap.get(k);\nawait knex('orders').insert({ a });\n";
        assert_eq!(
            found("a.ts", js),
            vec![(1, false), (2, true), (3, false), (4, false), (8, true)]
        );
        let py = "session.execute(select(Item))\nsession.add(item)\nrequests.get(url)\nsession.get(Item, 1)\nOrder.objects.filter(a=1)\ncur.execute('UPDATE t SET a = 1')\n";
        assert_eq!(
            found("a.py", py),
            vec![(1, false), (2, true), (4, false), (5, false), (6, true)]
        );
        let go = "package x\nfunc f() {\n\trows, _ := db.Query(\"SELECT 1\")\n\tdb.Exec(\"DELETE FROM t\")\n\tclient.Get(url)\n\ts.db.Where(\"a = ?\", 1).First(&u)\n}\n";
        assert_eq!(found("a.go", go), vec![(3, false), (4, true), (6, false)]);
        let rs = "async fn f(pool: PgPool) {\n    let rows = sqlx::query_as::<_, Order>(\"SELECT * FROM orders\").fetch_all(&pool).await?;\n    sqlx::query!(\"INSERT INTO t (a) VALUES ($1)\", a).execute(&mut *tx).await?;\n    let v = vec.iter().map(|x| x + 1);\n}\n";
        assert_eq!(found("a.rs", rs), vec![(2, false), (3, true)]);
    }
}
