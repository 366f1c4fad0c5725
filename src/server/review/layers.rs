//! ARCH-LAYERS: database access written inside route handlers instead of a
//! service/repository the handler calls.
//!
//! Per file, every database call ([`super::db_calls`]) is attributed to its
//! nearest handler-or-named function. Handlers in place are reported at once;
//! named functions are candidates, kept when some file registers a route
//! handler by that name (`router.post("/", createOrder)`) and the function
//! does not live in a data-layer file (`repositories/`, `services/`, `db/`,
//! `models/`...). Calls through a repository object are the layering this
//! check asks for and are never reported.

use super::db_calls::{last_name, DbCall};
use super::findings::{Draft, Pending};
use super::functions::Function;
use super::syntax::{first_line, last_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::facts::Empty;
use crate::server::review::syntax::NodeExt;
use std::collections::HashSet;

pub const CHECK_ID: &str = "ARCH-LAYERS";

/// What the per-file pass learns.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LayersFacts {
    /// Names registered as route handlers by reference, anywhere.
    pub handler_refs: HashSet<String>,
    /// Findings of named functions, kept only when the name is a handler's:
    /// (path, line, function name).
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub candidates: Vec<(String, u32, String)>,
    /// Route handlers seen (in place), for the pass summary.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub handlers: usize,
    /// Files with database calls, for the not-applicable verdict.
    #[serde(default, skip_serializing_if = "Empty::is_empty_value")]
    pub files_with_queries: usize,
}

/// Path segments of data-layer files, where queries belong.
const DATA_LAYER_DIRS: &[&str] = &[
    "repositories",
    "repository",
    "repos",
    "repo",
    "services",
    "service",
    "db",
    "database",
    "models",
    "model",
    "dal",
    "data",
    "store",
    "stores",
    "storage",
    "persistence",
    "queries",
    "dao",
    "migrations",
    "domain",
    "usecases",
    "core",
    "internal/store",
];

fn is_data_layer_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = super::file_kinds::file_name(&lower);
    lower
        .split('/')
        .rev()
        .skip(1)
        .any(|seg| DATA_LAYER_DIRS.contains(&seg))
        || [
            "repository",
            "repo.",
            "service",
            "store",
            "dao",
            "models.py",
            "db.",
            "database.",
        ]
        .iter()
        .any(|m| name.contains(m))
}

/// Scans one parsed file.
/// `calls` are the file's database calls ([`calls_in`] of the root).
pub fn scan<'t>(
    file: &ParsedFile<'t>,
    functions: &[Function],
    calls: &[DbCall<'t>],
    facts: &mut LayersFacts,
) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) {
        return Vec::new();
    }
    facts.handlers += functions.iter().filter(|f| f.handler).count();
    for name in super::functions::handler_refs(file) {
        facts.handler_refs.insert(name);
    }
    if calls.is_empty() {
        return Vec::new();
    }
    facts.files_with_queries += 1;
    let data_layer = is_data_layer_path(file.path);
    let mut drafts = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let by_id: std::collections::HashMap<usize, usize> = functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.handler || f.name.is_some())
        .map(|(i, f)| (f.node.id(), i))
        .collect();
    for call in calls.iter().filter(|c| !c.via_repository && !c.commit) {
        let owner = file
            .ancestors(call.node)
            .find_map(|a| by_id.get(&a.id()).map(|&i| &functions[i]));
        let Some(owner) = owner else { continue };
        if !seen.insert(owner.node.id()) {
            continue;
        }
        // A health or readiness probe pinging the database is its job.
        let probe = owner.name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            ["health", "ready", "live", "ping", "status"]
                .iter()
                .any(|w| n.contains(w))
        }) || file
            .text_of(call.node)
            .to_ascii_lowercase()
            .contains("select 1");
        if probe {
            continue;
        }
        if !owner.handler {
            if data_layer {
                continue;
            }
            let name = owner.name.unwrap_or_default().to_string();
            facts
                .candidates
                .push((file.path.to_string(), first_line(call.node), name));
        }
        drafts.push(draft(file, owner, call));
    }
    drafts
}

fn draft(file: &ParsedFile, owner: &Function, call: &DbCall) -> Draft {
    let what = describe_call(file, call);
    let name = owner
        .name
        .map(|n| format!("route handler `{n}`"))
        .unwrap_or_else(|| format!("route handler on line {}", first_line(owner.node)));
    let raw_sql = file
        .text_of(call.node)
        .to_ascii_lowercase()
        .contains("select ")
        || file
            .text_of(call.node)
            .to_ascii_lowercase()
            .contains("insert ")
        || file
            .text_of(call.node)
            .to_ascii_lowercase()
            .contains("update ")
        || file
            .text_of(call.node)
            .to_ascii_lowercase()
            .contains("delete ");
    let (severity, fix) = match file.grammar {
        super::language::Grammar::Python => (
            if raw_sql { Severity::Medium } else { Severity::Low },
            "move the query into a repository or service function (e.g. `items_repository.get(session, item_id)`) and call that from the view",
        ),
        super::language::Grammar::Go => (
            Severity::Medium,
            "move the query into a store/repository type the handler holds (e.g. `h.orders.ByCustomer(ctx, id)`)",
        ),
        super::language::Grammar::Rust => (
            Severity::Medium,
            "move the query into a repository function taking the pool (e.g. `orders::by_customer(&pool, id)`) and call it from the handler",
        ),
        _ => (
            if raw_sql { Severity::Medium } else { Severity::Low },
            "move the query into a repository or service module (e.g. `ordersRepository.findByCustomer(id)`) and call that from the handler",
        ),
    };
    Draft {
        check_id: CHECK_ID,
        severity,
        line: first_line(call.node),
        end_line: last_line(call.node).min(first_line(call.node) + 2),
        message: format!(
            "The {name} queries the database itself ({what}): HTTP handling and data access are mixed, so the query cannot be reused or tested without a request. To fix it, {fix}."
        ),
        code: file.text_of(call.node).lines().next().unwrap_or("").to_string(),
        secrets: Vec::new(),
    }
}

/// `pool.query`, `prisma.order.findMany`, `session.execute`.
pub fn describe_call(file: &ParsedFile, call: &DbCall) -> String {
    let text = file
        .text_of(call.node.field("function").unwrap_or(call.node))
        .trim_start_matches("await ")
        .split(['(', '<'])
        .next()
        .unwrap_or("")
        .trim_end_matches("::")
        .split(['(', '<'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<String>();
    if text.is_empty() || text.len() > 60 {
        format!("`{}`", last_name(file, call.receiver).unwrap_or("query"))
    } else {
        format!("`{text}`")
    }
}

/// Drops candidates of named functions that no route registers.
pub fn settle(facts: &LayersFacts, pending: &mut Vec<Pending>) {
    let dropped: HashSet<(&str, u32)> = facts
        .candidates
        .iter()
        .filter(|(_, _, name)| !facts.handler_refs.contains(name))
        .map(|(path, line, _)| (path.as_str(), *line))
        .collect();
    pending.retain(|p| {
        p.finding.check_id != CHECK_ID
            || !dropped.contains(&(p.finding.path.as_str(), p.finding.line))
    });
}

crate::merge_fields!(LayersFacts {
    handler_refs,
    candidates,
    handlers,
    files_with_queries
});

#[cfg(test)]
mod tests {
    use super::super::db_calls::calls_in;
    use super::super::language::Grammar;
    use super::super::syntax::Parsers;
    use super::*;

    fn lines(path: &str, code: &str) -> (Vec<u32>, LayersFacts) {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        let functions = super::super::functions::functions(&file);
        let mut facts = LayersFacts::default();
        let calls = calls_in(&file, tree.root_node());
        let drafts = scan(&file, &functions, &calls, &mut facts);
        (drafts.iter().map(|d| d.line).collect(), facts)
    }

    #[test]
    fn queries_in_handlers_are_found_but_repository_calls_are_not() {
        let code = "router.get('/', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM orders');\n  res.json(rows);\n});\nrouter.get('/x', async (req, res) => {\n  res.json(await ordersRepository.find());\n});\n";
        assert_eq!(lines("src/routes/orders.ts", code).0, vec![2]);
        let code = "export async function createOrder(input) {\n  await pool.query('INSERT INTO orders VALUES (1)');\n}\n";
        let (found, facts) = lines("src/controllers/orders.ts", code);
        assert_eq!(found, vec![2]);
        assert_eq!(facts.candidates.len(), 1);
        let (found, _) = lines(
            "src/repositories/orders.ts",
            "export async function byId(id) {\n  return pool.query('SELECT 1');\n}\n",
        );
        assert!(found.is_empty());
    }
}
