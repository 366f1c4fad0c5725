//! The harness the integration tests share (`mod common;` in a test crate):
//! a migrated temporary database, the worker's test configuration, an
//! `AppState` and requests through the real router (`http`), git
//! repositories with one commit (`git`) and the pieces of a fake GitHub
//! (`fake_github`).

// Each test crate uses its own part of the harness.
#![allow(dead_code)]

pub mod fake_github;
pub mod git;
pub mod http;

use backlens::model::views::{AddProjectOutcome, ReviewView};
use backlens::server::jobs::WorkerConfig;
use backlens::server::services::{projects, reviews};
use backlens::server::{db, demo};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};

/// The URL of a database file `test.db` in `dir`.
pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("test.db").display())
}

/// A fresh database in `dir` with every migration applied.
pub async fn database(dir: &Path) -> SqlitePool {
    db::connect_and_migrate(&database_url(dir)).await.unwrap()
}

/// The demo backends written as git repositories under `dir/repos`; that
/// folder, canonical (projects are registered by absolute path).
pub fn demo_repositories(dir: &Path) -> PathBuf {
    let repos = dir.join("repos");
    demo::write_sample_repositories(&repos).unwrap();
    repos.canonicalize().unwrap()
}

/// Registers the local repository at `path`; the new project's id (fails the
/// test when it is refused).
pub async fn add_local_project(pool: &SqlitePool, path: &str, max_attempts: i64) -> i64 {
    match projects::add_local_project(pool, path, max_attempts)
        .await
        .unwrap()
    {
        AddProjectOutcome::Added { id, .. } => id,
        other => panic!("expected Added, got {other:?}"),
    }
}

/// A project of tests/quality-fixtures.
pub fn quality_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/quality-fixtures")
        .join(name)
}

/// The latest stored review of a project that exists and has one.
pub async fn latest_review(pool: &SqlitePool, project_id: i64) -> ReviewView {
    reviews::project_page(pool, project_id)
        .await
        .unwrap()
        .expect("project exists")
        .review
        .expect("a stored review")
}

/// The worker as the tests drive it: one job at a time, a 1 s backoff base,
/// no GitHub credentials, no quality loop.
pub fn worker_config() -> WorkerConfig {
    WorkerConfig {
        concurrency: 1,
        backoff_base_secs: 1,
        github: Default::default(),
        quality: None,
        review_cache: None,
    }
}
