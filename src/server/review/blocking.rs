//! ARCH-BLOCKING: calls that block the thread on an async path.
//!
//! * JS/TS: `*Sync` calls (`fs.readFileSync`, `crypto.pbkdf2Sync`,
//!   `bcrypt.hashSync`, `execSync`...) inside an `async` function or a route
//!   handler. Module-level and start-up code (a plain function) may block.
//! * Python: `time.sleep`, `requests.*`, `urllib.request.urlopen`,
//!   `subprocess.run/call/check_output`, sync `httpx.get/post` inside an
//!   `async def` (a plain `def` handler runs in a thread pool: fine).
//! * Rust: `std::thread::sleep`, `std::fs::*`, `reqwest::blocking` and
//!   `std::process::Command::output/status` inside an `async fn`/async block;
//!   `spawn_blocking` closures are not async and are fine.
//! * Go has no async functions: goroutines may block, so the check does not
//!   apply to Go.

use super::findings::Draft;
use super::functions::{enclosing_function, is_async, is_handler};
use super::language::Grammar;
use super::syntax::{first_line, last_line, ParsedFile};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;

pub const CHECK_ID: &str = "ARCH-BLOCKING";

const PY_BLOCKING: &[(&str, &str)] = &[
    ("time.sleep", "`await asyncio.sleep(...)`"),
    (
        "requests.get",
        "an async client such as `httpx.AsyncClient` (`await client.get(...)`)",
    ),
    (
        "requests.post",
        "an async client such as `httpx.AsyncClient` (`await client.post(...)`)",
    ),
    (
        "requests.put",
        "an async client such as `httpx.AsyncClient`",
    ),
    (
        "requests.patch",
        "an async client such as `httpx.AsyncClient`",
    ),
    (
        "requests.delete",
        "an async client such as `httpx.AsyncClient`",
    ),
    (
        "requests.request",
        "an async client such as `httpx.AsyncClient`",
    ),
    (
        "requests.head",
        "an async client such as `httpx.AsyncClient`",
    ),
    ("httpx.get", "`httpx.AsyncClient` (`await client.get(...)`)"),
    (
        "httpx.post",
        "`httpx.AsyncClient` (`await client.post(...)`)",
    ),
    (
        "urllib.request.urlopen",
        "an async client such as `httpx.AsyncClient`",
    ),
    ("urlopen", "an async client such as `httpx.AsyncClient`"),
    (
        "subprocess.run",
        "`await asyncio.create_subprocess_exec(...)`",
    ),
    (
        "subprocess.call",
        "`await asyncio.create_subprocess_exec(...)`",
    ),
    (
        "subprocess.check_output",
        "`await asyncio.create_subprocess_exec(...)`",
    ),
    (
        "subprocess.check_call",
        "`await asyncio.create_subprocess_exec(...)`",
    ),
];

/// Scans one parsed file.
pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    if super::file_kinds::is_test_or_fixture_path(file.path) || file.grammar == Grammar::Go {
        return Vec::new();
    }
    let rust_uses_tokio_fs = file.grammar == Grammar::Rust
        && (file.mentions("use tokio::fs") || file.mentions("use async_std::fs"));
    let rust_uses_std_fs = file.grammar == Grammar::Rust
        && (file.mentions("use std::fs") || file.mentions("use std::{fs"));
    let py_sleep_imported = file.grammar.is_python() && file.mentions("from time import sleep");
    let mut out = Vec::new();
    // JS and Python rules read calls only; Rust's also read other nodes
    // with a `function` field (`generic_function`).
    let mut visit = |node| {
        let found = match file.grammar {
            Grammar::TypeScript | Grammar::Tsx => js_blocking(file, node),
            Grammar::Python => py_blocking(file, node, py_sleep_imported),
            Grammar::Rust => rust_blocking(file, node, rust_uses_std_fs && !rust_uses_tokio_fs),
            Grammar::Go => None,
        };
        let Some((what, severity, fix)) = found else {
            return;
        };
        let Some(function) = enclosing_function(file, node) else {
            return;
        };
        let on_async_path =
            is_async(file, function) || (file.grammar.is_js() && is_handler(file, function));
        if !on_async_path {
            return;
        }
        let context = match file.grammar {
            Grammar::Python => "inside an `async def`: it stops the event loop, so every other request of this worker waits until it returns",
            Grammar::Rust => "inside async code: it blocks a runtime worker thread, stalling every task scheduled on it",
            _ => "on a request path: Node runs all requests on one thread, so every other request waits until it returns",
        };
        out.push(Draft {
            check_id: CHECK_ID,
            severity,
            line: first_line(node),
            end_line: last_line(node).min(first_line(node) + 2),
            message: format!("`{what}` blocks {context}. Use {fix} instead."),
            code: what.to_string(),
            secrets: Vec::new(),
        });
    };
    if file.grammar == Grammar::Rust {
        file.for_each_node(&mut visit);
    } else {
        file.for_each_of(&["call_expression", "call"], &mut visit);
    }
    out
}

fn callee_text<'a>(file: &ParsedFile<'a>, node: tree_sitter::Node) -> Option<&'a str> {
    if !matches!(node.kind_name(), "call_expression" | "call") {
        return None;
    }
    node.field("function").map(|f| file.text_of(f))
}

fn js_blocking(
    file: &ParsedFile,
    node: tree_sitter::Node,
) -> Option<(String, Severity, &'static str)> {
    let callee = callee_text(file, node)?;
    let name = callee.rsplit('.').next().unwrap_or(callee);
    if name.len() <= 4 || !name.ends_with("Sync") || !name.chars().next()?.is_ascii_lowercase() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let heavy = [
        "pbkdf2",
        "scrypt",
        "hash",
        "compare",
        "exec",
        "spawn",
        "gzip",
        "gunzip",
        "deflate",
        "inflate",
        "brotli",
        "generatekeypair",
    ]
    .iter()
    .any(|h| lower.contains(h));
    let fix = if lower.contains("pbkdf2") || lower.contains("scrypt") {
        "the callback or promise form (`util.promisify(crypto.pbkdf2)`)"
    } else if lower.contains("hash") || lower.contains("compare") {
        "the async form (`await bcrypt.hash(...)` / `await bcrypt.compare(...)`)"
    } else if lower.contains("exec") || lower.contains("spawn") {
        "`child_process.execFile`/`spawn` with a callback or `util.promisify`"
    } else if ["gzip", "gunzip", "deflate", "inflate", "brotli"]
        .iter()
        .any(|z| lower.contains(z))
    {
        "the async form (`await promisify(zlib.gzip)(buffer)`) or a stream"
    } else {
        "the promise API (`await fs.promises.readFile(...)`, `node:fs/promises`)"
    };
    Some((
        callee.to_string(),
        if heavy {
            Severity::High
        } else {
            Severity::Medium
        },
        fix,
    ))
}

fn py_blocking(
    file: &ParsedFile,
    node: tree_sitter::Node,
    sleep_imported: bool,
) -> Option<(String, Severity, &'static str)> {
    let callee = callee_text(file, node)?;
    if callee == "sleep" && sleep_imported {
        return Some((
            callee.to_string(),
            Severity::High,
            "`await asyncio.sleep(...)`",
        ));
    }
    PY_BLOCKING
        .iter()
        .find(|(name, _)| *name == callee)
        .map(|(name, fix)| (name.to_string(), Severity::High, *fix))
}

fn rust_blocking(
    file: &ParsedFile,
    node: tree_sitter::Node,
    bare_fs_is_std: bool,
) -> Option<(String, Severity, &'static str)> {
    // A path call (`std::fs::read(..)`), not a method on its result.
    let function = node.field("function")?;
    if !matches!(
        function.kind_name(),
        "scoped_identifier" | "identifier" | "generic_function"
    ) {
        return None;
    }
    let callee = callee_text(file, node)?;
    let callee = callee.split("::<").next().unwrap_or(callee);
    if matches!(callee, "std::thread::sleep" | "thread::sleep") {
        return Some((
            callee.to_string(),
            Severity::High,
            "`tokio::time::sleep(...).await`",
        ));
    }
    let fs_call = callee
        .strip_prefix("std::fs::")
        .or_else(|| callee.strip_prefix("fs::").filter(|_| bare_fs_is_std));
    // Functions that touch the disk; constructors (`DirBuilder::new`) do not.
    let blocks_on_disk = fs_call.is_some_and(|f| {
        matches!(
            f,
            "read"
                | "read_to_string"
                | "write"
                | "read_dir"
                | "create_dir"
                | "create_dir_all"
                | "remove_file"
                | "remove_dir"
                | "remove_dir_all"
                | "copy"
                | "rename"
                | "metadata"
                | "symlink_metadata"
                | "canonicalize"
                | "hard_link"
                | "read_link"
                | "set_permissions"
                | "File::open"
                | "File::create"
                | "File::create_new"
        )
    });
    if blocks_on_disk {
        return Some((
            callee.to_string(),
            Severity::Medium,
            "`tokio::fs` (`tokio::fs::read_to_string(path).await`) or `tokio::task::spawn_blocking`",
        ));
    }
    if callee.starts_with("reqwest::blocking::") {
        return Some((
            callee.to_string(),
            Severity::High,
            "the async `reqwest::Client` (`.send().await`)",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::syntax::Parsers;
    use super::*;

    fn lines(path: &str, code: &str) -> Vec<u32> {
        let grammar = Grammar::of_path(path).unwrap();
        let tree = Parsers::default().parse(grammar, code).unwrap();
        let file = ParsedFile::new(path, code, grammar, &tree);
        scan(&file).iter().map(|d| d.line).collect()
    }

    #[test]
    fn blocking_calls_on_async_paths_only() {
        let js = "const cfg = fs.readFileSync('cfg.json');\nfunction boot() { return fs.existsSync('x'); }\napp.post('/login', async (req, res) => {\n  const h = bcrypt.hashSync(req.body.password, 10);\n});\n";
        assert_eq!(lines("src/app.js", js), vec![4]);
        let py = "import time\nasync def handler():\n    time.sleep(1)\n    await asyncio.sleep(1)\n\ndef sync_handler():\n    time.sleep(1)\n";
        assert_eq!(lines("app/main.py", py), vec![3]);
        let rs = "use std::fs;\nasync fn h() {\n    std::thread::sleep(d);\n    let s = fs::read_to_string(p);\n    tokio::task::spawn_blocking(move || std::fs::read(p));\n    tokio::time::sleep(d).await;\n}\nfn main() { std::thread::sleep(d); }\n";
        assert_eq!(lines("src/main.rs", rs), vec![3, 4]);
    }
}
