//! Use cases shared by server functions, jobs and the CLI. They validate,
//! call the repositories in `db`, and return DTOs from `model`.

pub mod browse;
pub mod github;
pub mod portfolio_trends;
pub mod projects;
pub mod quality;
pub mod reviews;
pub mod routes;
pub mod trends;
pub mod weekly;
pub mod weekly_cache;

/// A failure a caller cannot fix by changing its input.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}
