//! Use cases shared by server functions, jobs and the CLI. They validate,
//! call the repositories in `db`, and return DTOs from `model`.

pub mod projects;
pub mod reviews;
pub mod routes;

/// A failure a caller cannot fix by changing its input.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}
