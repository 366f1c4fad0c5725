//! API-PAGINATION: list endpoints that return unbounded collections. Inside
//! route handlers (see [`super::functions::is_handler`]), a list query with
//! no limit anywhere in its chain or arguments:
//!
//! * JS/TS: Prisma `findMany()` without `take`, Sequelize `findAll()` without
//!   `limit`, TypeORM/Mongoose `find()` without `take`/`.limit()`,
//!   `getMany()` without `.take()`/`.limit()`, SQL `SELECT` without `LIMIT`.
//! * Python: Django `Model.objects.all()/filter()` not sliced or paginated,
//!   SQLAlchemy `.all()` without `.limit()`, SQL without `LIMIT`.
//! * Go: GORM `db.Find(&list)` without `.Limit()`, SQL without `LIMIT`.
//! * Rust: sqlx `fetch_all` of SQL without `LIMIT`, Diesel `.load()` without `.limit()`.
//!
//! Queries by id, aggregates, and writes are not lists.

use super::findings::Draft;
use super::functions::is_handler;
use super::lang::{call, draft, enclosing_function, keyed_values, short, string_value, Call};
use super::language::Grammar;
use super::syntax::{unwrap_expression, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::Node;

pub const CHECK_ID: &str = "API-PAGINATION";

/// A SELECT that returns a list: no LIMIT/TOP/FETCH, no aggregate, not by id.
pub fn unbounded_select(sql: &str) -> bool {
    static RE: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    let (select, bounded, by_key) = RE.get_or_init(|| {
        (
            Regex::new(r"(?is)^\s*(?:with\b.*\)\s*)?select\s").expect("valid"),
            Regex::new(r"(?i)\blimit\b|\btop\s*\(?\d|\bfetch\s+(?:first|next)\b|\b(?:count|sum|avg|min|max)\s*\(|\bexists\s*\(|\bpaginate\b").expect("valid"),
            Regex::new(r#"(?i)\bwhere\b[^;]*?\b(?:\w+\.)?"?(?:id|uuid|\w+_id|email|sku|slug|username)"?\s*=\s*(?:\$\d+|\?|:\w+|%s|@\w+)"#).expect("valid"),
        )
    });
    static BY_IDS: OnceLock<Regex> = OnceLock::new();
    let by_ids = BY_IDS.get_or_init(|| {
        Regex::new(r"(?is)\bwhere\b.*\b(?:\w+\.)?(?:id|uuid)\s+in\s*\(").expect("valid")
    });
    select.is_match(sql)
        && !bounded.is_match(sql)
        && !by_ids.is_match(sql)
        && !sql.to_ascii_lowercase().starts_with("select 1")
        && !is_single_row(sql, by_key)
}

fn is_single_row(sql: &str, by_key: &Regex) -> bool {
    // `WHERE id = $1` finds one row; `WHERE customer_id = $1` is still a list.
    by_key.find_iter(sql).any(|m| {
        let t = m.as_str().to_ascii_lowercase();
        !t.contains("_id")
    })
}

fn fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Take `limit`/`cursor` query parameters with a maximum (e.g. `limit: int = Query(50, le=200)`) and apply them (`.limit(limit).offset(offset)`, a Django `Paginator`, or `LIMIT %s`).",
        Grammar::Go => "Read `limit`/`cursor` query parameters with a maximum and apply them (`db.Limit(limit).Offset(offset).Find(&items)` or `LIMIT $1`).",
        Grammar::Rust => "Take a `Query<Page>` with `limit` (capped) and `cursor`/`offset`, and apply them (`LIMIT $1 OFFSET $2`, Diesel `.limit(limit)`).",
        _ => "Read `limit`/`cursor` query parameters with a maximum and apply them (Prisma `take`/`cursor`, TypeORM `take`/`skip`, Sequelize `limit`/`offset`, `LIMIT $1` in SQL), and return the next cursor.",
    }
}

pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut handler_cache: Vec<(usize, bool)> = Vec::new();
    file.for_each_of(super::lang::CALL_KINDS, |node| {
        let Some(c) = call(file, node) else { return };
        let Some(kind) = list_query(file, c) else { return };
        let Some(function) = enclosing_function(file, node) else { return };
        let handler = match handler_cache.iter().find(|(id, _)| *id == function.id()) {
            Some((_, h)) => *h,
            None => {
                let h = is_handler(file, function);
                handler_cache.push((function.id(), h));
                h
            }
        };
        if !handler {
            return;
        }
        // A query per item of a loop fetches a child collection (DATA-NPLUS1's
        // concern), not the endpoint's list.
        let in_loop = file
            .ancestors(node)
            .take_while(|a| a.id() != function.id())
            .any(|a| matches!(a.kind_name(), "for_statement" | "for_in_statement" | "while_statement" | "for_expression" | "while_expression" | "list_comprehension"));
        if in_loop {
            return;
        }
        out.push(draft(
            CHECK_ID,
            Severity::Medium,
            node,
            file,
            format!(
                "A list endpoint returns every matching row ({kind}: `{}`): as the table grows, responses get slower and larger until they time out or exhaust memory, and anyone can ask for everything at once. {}",
                short(file, node),
                fix(file.grammar)
            ),
        ));
    });
    out
}

/// The method names chained after a call (`find().sort().limit()` → sort, limit).
fn chain_after<'t>(file: &ParsedFile<'t>, node: Node<'t>) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut current = node;
    for _ in 0..16 {
        let Some(parent) = file.parent(current) else {
            break;
        };
        let member = matches!(
            parent.kind_name(),
            "member_expression" | "attribute" | "field_expression" | "selector_expression"
        );
        if member {
            let name = parent
                .field("property")
                .or_else(|| parent.field("attribute"))
                .or_else(|| parent.field("field"))
                .map(|n| file.text_of(n));
            if let Some(n) = name {
                out.push(n);
            }
            current = parent;
            continue;
        }
        if matches!(
            parent.kind_name(),
            "call_expression" | "call" | "await_expression" | "await" | "parenthesized_expression"
        ) {
            current = parent;
            continue;
        }
        if parent.kind_name() == "subscript"
            && parent
                .field("subscript")
                .is_some_and(|s| s.kind_name() == "slice")
        {
            out.push("[:]");
        }
        break;
    }
    out
}

/// The methods called before this one on the same chain (`session.query(X).filter(...).all()` → query, filter).
fn chain_before<'t>(file: &ParsedFile<'t>, c: &Call<'t>) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut current = c.object;
    for _ in 0..16 {
        let Some(o) = current else { break };
        let o = unwrap_expression(o);
        match call(file, o) {
            Some(inner) => {
                out.push(inner.name);
                current = inner.object;
            }
            None => {
                if let Some(inner) = o
                    .field("object")
                    .or_else(|| o.field("value"))
                    .or_else(|| o.field("operand"))
                {
                    if let Some(p) = o
                        .field("property")
                        .or_else(|| o.field("attribute"))
                        .or_else(|| o.field("field"))
                    {
                        out.push(file.text_of(p));
                    }
                    current = Some(inner);
                } else {
                    break;
                }
            }
        }
    }
    out
}

const LIMITS: &[&str] = &[
    "limit",
    "Limit",
    "take",
    "Take",
    "paginate",
    "Paginate",
    "slice",
    "[:]",
    "first",
    "First",
    "one",
    "get",
    "count",
    "Count",
    "exists",
    "fetch_one",
    "fetch_optional",
    "get_result",
    "first_or_404",
    "get_or_404",
    "scalar",
    "scalar_one",
    "one_or_none",
    "page",
    "Page",
    "cursor",
    "findOne",
    "findUnique",
    "findFirst",
    "aggregate",
];

/// Is this call an unbounded list query? Returns what kind, for the message.
fn list_query(file: &ParsedFile, c: &Call) -> Option<&'static str> {
    let after = chain_after(file, c.node);
    let before = chain_before(file, c);
    if after
        .iter()
        .chain(before.iter())
        .any(|m| LIMITS.contains(m))
    {
        return None;
    }
    // A limit inside the chain's arguments: `session.scalars(select(X).limit(50)).all()`.
    let chain_text = file.text_of(c.node);
    if [".limit(", ".take(", ".Limit(", ".paginate(", ".slice("]
        .iter()
        .any(|l| chain_text.contains(l))
    {
        return None;
    }
    let has_key = |keys: &[&str]| {
        c.args.iter().any(|a| {
            keyed_values(file, *a)
                .iter()
                .any(|(k, _)| keys.contains(&k.as_str()))
        })
    };
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => match c.name {
            "findMany" if !has_key(&["take", "cursor"]) => Some("Prisma findMany without take"),
            "findAll"
                if !has_key(&["limit"])
                    && c.object_text(file)
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_ascii_uppercase()) =>
            {
                Some("findAll without limit")
            }
            "find" if !has_key(&["take", "limit"]) && is_model_receiver(file, c) => {
                Some("find without a limit")
            }
            "getMany" => Some("getMany without take"),
            "query" | "all" | "execute" | "many" | "manyOrNone" | "any" => js_sql(file, c),
            _ => None,
        },
        Grammar::Python => match c.name {
            "all"
                if before.contains(&"objects")
                    || before.contains(&"query")
                    || before.contains(&"scalars")
                    || before.contains(&"select")
                    || before.contains(&"execute") =>
            {
                Some("query without a limit")
            }
            "filter" | "exclude" | "order_by"
                if before.first() == Some(&"objects")
                    && after.is_empty()
                    && returned_or_listed(file, c.node) =>
            {
                Some("Django queryset without slicing or a Paginator")
            }
            "execute" => {
                let sql = c.positional().first().and_then(|a| sql_text(file, *a))?;
                (unbounded_select(&sql) && after.contains(&"fetchall")
                    || unbounded_select(&sql)
                        && file
                            .text_of(enclosing_function(file, c.node)?)
                            .contains("fetchall()"))
                .then_some("SQL without LIMIT")
            }
            _ => None,
        },
        Grammar::Go => match c.name {
            "Find" if !c.object_text(file).is_empty() && is_gorm(file, c) => {
                Some("GORM Find without Limit")
            }
            "Query" | "QueryContext" | "Select" | "SelectContext" => {
                let sql = c.positional().iter().find_map(|a| sql_text(file, *a))?;
                unbounded_select(&sql).then_some("SQL without LIMIT")
            }
            _ => None,
        },
        Grammar::Rust => match c.name {
            "fetch_all" => {
                let origin = before.first().copied().unwrap_or("");
                let query_call = c.object.and_then(|o| call(file, unwrap_expression(o)));
                let sql = query_call
                    .and_then(|q| q.positional().iter().find_map(|a| sql_text(file, *a)))
                    .or_else(|| rust_macro_sql(file, c))?;
                let _ = origin;
                unbounded_select(&sql).then_some("SQL without LIMIT")
            }
            "load" if !before.is_empty() => Some("Diesel load without limit"),
            _ => None,
        },
    }
}

fn rust_macro_sql(file: &ParsedFile, c: &Call) -> Option<String> {
    let object = unwrap_expression(c.object?);
    let (name, tree) = super::lang::macro_call(file, object)?;
    if !name.starts_with("query") {
        return None;
    }
    super::syntax::named_children(tree)
        .into_iter()
        .find_map(|n| sql_text(file, n))
}

/// The SQL text of a literal, or of a concatenation/template with `?` where
/// values go.
fn sql_text(file: &ParsedFile, node: Node) -> Option<String> {
    let s = built_text(file, node, 0)?;
    s.to_ascii_lowercase().contains("select").then_some(s)
}

/// Literal text with `?` where a value is mixed in (`+` chains, template
/// literals, f-strings, Go/JS/Python/Rust literals).
fn built_text(file: &ParsedFile, node: Node, depth: usize) -> Option<String> {
    let node = unwrap_expression(node);
    if let Some(s) = string_value(file, node) {
        return Some(s);
    }
    if depth > 24 {
        return None;
    }
    match node.kind_name() {
        "binary_expression" | "binary_operator" => {
            let op = node.field("operator").map(|o| file.text_of(o));
            if op == Some("%") {
                // Python `"... %s" % value`
                return built_text(file, node.field("left")?, depth + 1);
            }
            if op != Some("+") {
                return None;
            }
            let left = node.field("left")?;
            let right = node.field("right")?;
            let l = built_text(file, left, depth + 1).unwrap_or_else(|| "?".to_string());
            let r = built_text(file, right, depth + 1).unwrap_or_else(|| "?".to_string());
            (l != "?" || r != "?").then(|| l + &r)
        }
        "template_string" | "string" => {
            let mut out = String::new();
            for child in super::syntax::named_children(node) {
                match child.kind_name() {
                    "string_fragment" | "string_content" | "escape_sequence" => {
                        out.push_str(file.text_of(child))
                    }
                    "template_substitution" | "interpolation" => out.push('?'),
                    _ => {}
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn js_sql(file: &ParsedFile, c: &Call) -> Option<&'static str> {
    let sql = c
        .positional()
        .first()
        .and_then(|a| sql_text(file, *a))
        .or_else(|| {
            // db.prepare("SELECT ...").all()
            let inner = call(file, unwrap_expression(c.object?))?;
            (inner.name == "prepare")
                .then(|| inner.positional().first().and_then(|a| sql_text(file, *a)))?
        })?;
    (c.name != "execute" || unbounded_select(&sql)).then_some(())?;
    unbounded_select(&sql).then_some("SQL without LIMIT")
}

fn is_model_receiver(file: &ParsedFile, c: &Call) -> bool {
    let object = c.object_text(file);
    let last = object.rsplit('.').next().unwrap_or(object);
    last.chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_uppercase())
        || last.to_ascii_lowercase().ends_with("repository")
        || last.to_ascii_lowercase().ends_with("repo")
        || last.to_ascii_lowercase().ends_with("model")
}

fn is_gorm(file: &ParsedFile, c: &Call) -> bool {
    let root = c
        .object_text(file)
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    root.contains("db") || root.contains("gorm") || root == "tx" || file.mentions("gorm.io")
}

/// Is the queryset returned or materialised (`list(...)`, serialized, iterated into a response)?
fn returned_or_listed(file: &ParsedFile, node: Node) -> bool {
    let Some(parent) = file.parent(node) else {
        return false;
    };
    matches!(
        parent.kind_name(),
        "return_statement"
            | "assignment"
            | "argument_list"
            | "list_comprehension"
            | "for_in_clause"
    )
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    #[test]
    fn unbounded_sql_is_told_from_bounded_and_single_row_sql() {
        assert!(unbounded_select(
            "SELECT * FROM orders ORDER BY created_at DESC"
        ));
        assert!(unbounded_select(
            "SELECT * FROM orders WHERE customer_id = $1"
        ));
        assert!(!unbounded_select("SELECT * FROM orders WHERE id = $1"));
        assert!(!unbounded_select("SELECT * FROM orders LIMIT $1 OFFSET $2"));
        assert!(!unbounded_select("SELECT count(*) FROM orders"));
        assert!(!unbounded_select("INSERT INTO orders (a) VALUES ($1)"));
        assert!(!unbounded_select(
            "SELECT id, email FROM users WHERE email = $1"
        ));
        assert!(!unbounded_select(
            "SELECT id FROM shipments WHERE id IN (?,?,?)"
        ));
    }

    #[test]
    fn list_queries_in_handlers() {
        let js = "router.get('/orders', async (req, res) => {\n  res.json(await prisma.order.findMany({ where: { status: 'open' } }));\n  res.json(await prisma.order.findMany({ take: 50 }));\n  const rows = await Order.find({}).sort({ createdAt: -1 });\n  const few = await Order.find({}).limit(20);\n  const { rows: all } = await pool.query('SELECT * FROM orders ORDER BY id');\n  const one = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);\n});\nasync function report() { return prisma.order.findMany(); }\n";
        assert_eq!(lines("src/orders.ts", js, scan), vec![2, 4, 6]);
        let py = "def product_list(request):\n    products = Product.objects.filter(category=request.GET.get('c'))\n    page = Product.objects.all()[:50]\n    return JsonResponse({'p': list(Product.objects.all())})\n\n@router.get('/items')\ndef items(session: SessionDep):\n    return session.scalars(select(Item).limit(50)).all()\n\n@router.get('/all')\ndef all_items(session: SessionDep):\n    return session.scalars(select(Item)).all()\n";
        assert_eq!(lines("shop/views.py", py, scan), vec![2, 4, 12]);
        let go = "package x\nfunc list(c *gin.Context) {\n\tvar items []Item\n\tdb.Find(&items)\n\tdb.Limit(50).Find(&items)\n}\n";
        assert_eq!(lines("main.go", go, scan), vec![4]);
        let rs = "async fn list(State(pool): State<PgPool>) -> Json<Vec<Item>> {\n    let items = sqlx::query_as::<_, Item>(\"SELECT * FROM items\").fetch_all(&pool).await.unwrap();\n    let few = sqlx::query_as::<_, Item>(\"SELECT * FROM items LIMIT 50\").fetch_all(&pool).await.unwrap();\n    Json(items)\n}\n";
        assert_eq!(lines("src/main.rs", rs, scan), vec![2]);
    }

    #[test]
    fn concatenated_sql_in_a_typed_query() {
        let js = "ordersRouter.get(\"/\", async (req, res, next) => {\n  try {\n    const { rows } = await pool.query<OrderRow>(\n      \"SELECT * FROM orders WHERE customer_id = '\" + req.query.customer + \"' ORDER BY created_at DESC\",\n    );\n    res.json(rows);\n  } catch (err) { next(err); }\n});\n";
        assert_eq!(lines("src/routes/orders.ts", js, scan), vec![3]);
    }
}
