//! GitHub intake. The rest of backlens talks to GitHub only through the
//! [`GitHubApi`] trait and the plain types here; [`client::GitHubClient`] is
//! the real implementation (octocrab, with ETag caching, rate limits and
//! retries), and tests point it at a fake server with `BACKLENS_GITHUB_API_URL`.

pub mod app;
pub mod check_run;
pub mod client;
pub mod settings;
pub mod signature;
pub mod source;
pub mod tarball;
pub mod webhook;

pub use source::{looks_like_github, parse_owner, parse_repo_reference, RepoName};

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

/// A repository as backlens needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoInfo {
    pub full_name: String,
    pub default_branch: String,
    pub html_url: String,
    pub private: bool,
    pub archived: bool,
    /// GitHub reports size 0 for a repository without commits.
    pub empty: bool,
    pub language: Option<String>,
    pub pushed_at: Option<String>,
    pub description: Option<String>,
}

/// State of a commit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusState {
    Pending,
    Success,
    Failure,
    Error,
}

impl StatusState {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusState::Pending => "pending",
            StatusState::Success => "success",
            StatusState::Failure => "failure",
            StatusState::Error => "error",
        }
    }
}

/// A commit status to post (context `backlens`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitStatus {
    pub state: StatusState,
    pub target_url: Option<String>,
    /// GitHub keeps at most 140 characters.
    pub description: String,
    pub context: String,
}

/// The commit status context backlens posts under.
pub const STATUS_CONTEXT: &str = "backlens";

/// What went wrong talking to GitHub, in words a team lead understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GitHubError {
    #[error("{0} was not found on GitHub (a wrong name, a deleted repository, or a private one this token cannot see)")]
    NotFound(String),
    #[error("GitHub refused the credentials (401): check BACKLENS_GITHUB_TOKEN")]
    Unauthorized,
    #[error("GitHub refused the request (403): {0}")]
    Forbidden(String),
    #[error("GitHub's rate limit is used up until {reset_at} (unix time); backlens will try again later")]
    RateLimited { reset_at: i64 },
    #[error("GitHub answered {status}: {message}")]
    Http { status: u16, message: String },
    #[error("cannot reach GitHub: {0}")]
    Transport(String),
    #[error("unexpected answer from GitHub: {0}")]
    Decode(String),
    #[error("{0}")]
    Local(String),
}

/// A boxed future, so the trait can be used as `dyn GitHubApi`.
pub type ApiFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, GitHubError>> + Send + 'a>>;

/// Everything backlens asks of GitHub.
pub trait GitHubApi: Send + Sync {
    /// A repository's facts (`GET /repos/{owner}/{repo}`).
    fn repository<'a>(&'a self, name: &'a RepoName) -> ApiFuture<'a, RepoInfo>;
    /// The commit a branch points at (`GET /repos/{o}/{r}/branches/{branch}`).
    fn branch_head<'a>(&'a self, name: &'a RepoName, branch: &'a str) -> ApiFuture<'a, String>;
    /// Streams the tarball of a commit to `dest`; at most `max_bytes`. Returns the bytes written.
    fn download_tarball<'a>(
        &'a self,
        name: &'a RepoName,
        sha: &'a str,
        dest: &'a Path,
        max_bytes: u64,
    ) -> ApiFuture<'a, u64>;
    /// Posts a commit status (`POST /repos/{o}/{r}/statuses/{sha}`).
    fn create_status<'a>(
        &'a self,
        name: &'a RepoName,
        sha: &'a str,
        status: &'a CommitStatus,
    ) -> ApiFuture<'a, ()>;
    /// Every repository of an organisation or user, all pages.
    fn owner_repositories<'a>(&'a self, owner: &'a str) -> ApiFuture<'a, Vec<RepoInfo>>;
    /// Whether results go out as check runs (a GitHub App) instead of commit statuses.
    fn uses_check_runs(&self) -> bool {
        false
    }
    /// Creates a check run (`POST /repos/{o}/{r}/check-runs`); its id.
    fn create_check_run<'a>(
        &'a self,
        name: &'a RepoName,
        body: &'a serde_json::Value,
    ) -> ApiFuture<'a, u64> {
        let _ = (name, body);
        Box::pin(async { Err(GitHubError::Local("check runs need a GitHub App".into())) })
    }
    /// Updates a check run (`PATCH /repos/{o}/{r}/check-runs/{id}`).
    fn update_check_run<'a>(
        &'a self,
        name: &'a RepoName,
        id: u64,
        body: &'a serde_json::Value,
    ) -> ApiFuture<'a, ()> {
        let _ = (name, id, body);
        Box::pin(async { Err(GitHubError::Local("check runs need a GitHub App".into())) })
    }
}

/// Whether a string is a full 40-hex commit SHA.
pub fn is_commit_sha(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}
