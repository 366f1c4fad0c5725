//! Server-only code. Each submodule is one layer; SQL lives in `db` only.

/// tree-sitter's allocator (mimalloc).
pub mod alloc;
/// The JSON API under `/api/v1` and its OpenAPI document.
pub mod api_v1;
/// README badges: grade and score as an SVG.
pub mod badge;
/// A bounded in-memory cache valid for one data version of the database.
pub mod cache;
/// Command line: `serve`, `review`, `demo-repos`.
pub mod cli;
/// SQLite pool, migrations and the repositories (all SQL is here).
pub mod db;
/// Demo projects: sample backends shipped in the binary, written out as git repositories.
pub mod demo;
/// Synthetic review history for demos and benchmarks (`backlens demo-data`).
pub mod demo_data;
/// Local git repositories: validation, HEAD commit, exporting a commit's tree.
pub mod git;
/// GitHub: settings, repository names, the API client, tarballs, webhooks.
pub mod github;
/// HTTP router: pages, server functions, health endpoints, static files.
pub mod http;
/// The persistent job queue's worker and its job kinds.
pub mod jobs;
/// The live feed of job progress (server-sent events).
pub mod live;
/// Rendered pages kept per URL until the data version moves.
pub mod page_cache;
/// The quality loop: the project's own lint, type-check and tests in a sandbox.
pub mod quality;
/// The checklist engine: pure, no I/O beyond reading the tree it is given.
pub mod review;
/// SARIF 2.1.0 export of a review (CLI and download).
pub mod sarif;
/// Use cases shared by server functions, jobs and the CLI.
pub mod services;
/// Settings from `BACKLENS_*` environment variables and flags.
pub mod settings;
/// State handed to handlers and server functions.
pub mod state;
/// tracing subscriber: text or JSON logs.
pub mod telemetry;
/// `POST /webhooks/github`.
pub mod webhooks;
/// The weekly review as Markdown and CSV downloads.
pub mod weekly_export;

/// Current time as unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
