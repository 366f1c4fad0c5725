//! The database: pool, migrations, and one repository module per table group.
//! All SQL of backlens lives under this module.

pub mod data_version;
pub mod demo_data;
pub mod github;
pub mod history;
pub mod jobs;
pub mod portfolio_filters;
pub mod portfolio_trends;
pub mod projects;
pub mod quality;
pub mod reviews;
pub mod routes;
pub mod trends;
pub mod weekly;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// Migrations embedded from `migrations/` at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL {url:?}: {source}")]
    BadUrl { url: String, source: sqlx::Error },
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Open(sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A stored value that does not decode, as sqlx's column-decode error.
fn decode_err(column: &str, msg: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: msg.into(),
    }
}

/// Opens (creating when missing) the SQLite database in WAL mode with a busy
/// timeout and foreign keys on, and applies pending migrations.
pub async fn connect_and_migrate(url: &str) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbError::BadUrl {
            url: url.to_string(),
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let file = options.get_filename();
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        if file.to_string_lossy() != ":memory:" {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(DbError::Open)?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Ready means: the database answers and every embedded migration is applied.
pub async fn check_ready(pool: &SqlitePool) -> Result<(), String> {
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(pool)
            .await
            .map_err(|e| format!("database unreachable: {e}"))?;
    let expected = MIGRATOR.iter().count() as i64;
    if applied < expected {
        return Err(format!("{applied} of {expected} migrations applied"));
    }
    Ok(())
}

/// A migrated database in a temporary folder, for unit tests; the folder
/// lives as long as the returned guard. The planner sees the real schema
/// without ANALYZE statistics, as in production.
#[cfg(test)]
pub(crate) async fn migrated_pool() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = connect_and_migrate(&url).await.unwrap();
    (dir, pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database made by the first migrations, holding a project with a
    /// reviewed job, keeps every row through the migrations that rebuild
    /// `projects` and `jobs` (a rebuild with foreign keys on would cascade
    /// the reviews away).
    #[tokio::test]
    async fn table_rebuilds_keep_stored_reviews() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old-migrations");
        std::fs::create_dir(&old).unwrap();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap()
        {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.as_str() < "20261122000004" {
                std::fs::copy(&path, old.join(&name)).unwrap();
            }
        }
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO projects (id, name, source_kind, source, created_at) VALUES (7, 'p', 'local', '/p', 1);
             INSERT INTO jobs (id, kind, project_id, state, run_after, created_at) VALUES (9, 'review', 7, 'succeeded', 1, 1);
             INSERT INTO reviews (id, project_id, job_id, scoring_version, score, grade, files_scanned,
                                  files_skipped, languages, started_at, finished_at, duration_ms)
                 VALUES (11, 7, 9, 1, 80, 'B', 3, 0, '[]', 1, 2, 1);",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;

        let pool = connect_and_migrate(&url).await.unwrap();
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM projects WHERE id = 7),
                    (SELECT COUNT(*) FROM jobs WHERE id = 9 AND project_id = 7),
                    (SELECT COUNT(*) FROM reviews WHERE id = 11 AND job_id = 9)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(counts, (1, 1, 1));
        let fk_on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(fk_on, 1, "foreign keys are back on after the rebuild");
        let problems: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert!(problems.is_empty(), "dangling references: {problems:?}");
        // The widened constraints accept what GitHub intake and the quality loop store.
        sqlx::query("INSERT INTO projects (name, source_kind, source, created_at) VALUES ('o/r', 'github', 'o/r', 1)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO jobs (kind, project_id, state, run_after, created_at, payload) VALUES ('quality', 7, 'cancelled', 1, 1, '{\"commit\":\"abc\"}')")
            .execute(&pool)
            .await
            .unwrap();
        let bad = sqlx::query("INSERT INTO jobs (kind, project_id, state, run_after, created_at, payload) VALUES ('review', 7, 'queued', 1, 1, 'not json')")
            .execute(&pool)
            .await;
        assert!(bad.is_err(), "a payload must be JSON");
    }
}
