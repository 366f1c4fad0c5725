//! The real [`GitHubApi`]: octocrab underneath, with what GitHub asks of API
//! clients done here so it is visible and tested:
//! - conditional GETs with the ETag cached in the database (a 304 costs no
//!   rate limit and answers from the cache);
//! - the primary rate limit (`x-ratelimit-remaining` / `x-ratelimit-reset`):
//!   when it is used up, wait for the reset if that is soon, else fail with
//!   the reset time;
//! - secondary limits (403/429 with `retry-after`): wait as told;
//! - 5xx and transport errors: retry with exponential backoff and jitter.
//!
//! octocrab's own retry layer is off, so every attempt is counted here.
//!
//! With a GitHub App configured, requests about a repository carry that
//! repository's installation token (see [`super::app`]), other requests the
//! personal token if there is one, and results go out as check runs.

use super::app::{self, AppKey, CachedToken};
use super::settings::{GitHubSettings, Secret};
use super::{ApiFuture, CommitStatus, GitHubApi, GitHubError, RepoInfo, RepoName};
use crate::server::db::github as store;
use crate::server::now;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::BodyExt;
use octocrab::service::middleware::retry::RetryConfig;
use octocrab::Octocrab;
use serde::Deserialize;
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// How patient the client is.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff after a 5xx; doubles per attempt, plus up to 50 % jitter.
    pub base_delay: Duration,
    /// The longest the client waits for a rate limit to reset or a
    /// `retry-after`; beyond it the request fails with the reset time.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
        }
    }
}

pub struct GitHubClient {
    octo: Octocrab,
    pool: SqlitePool,
    policy: RetryPolicy,
    api_url: String,
    /// The GitHub App, when configured: installation tokens per repository.
    app: Option<Arc<AppKey>>,
    /// The personal token, sent by hand when an App is configured.
    token: Option<Secret>,
}

/// One answered request.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl GitHubClient {
    /// A client for the configured API address and token (anonymous without one).
    pub fn new(settings: &GitHubSettings, pool: SqlitePool) -> Result<GitHubClient, GitHubError> {
        let builder = Octocrab::builder()
            .add_retry_config(RetryConfig::None)
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .add_header(header::ACCEPT, "application/vnd.github+json".to_string())
            .add_header(
                header::HeaderName::from_static("x-github-api-version"),
                "2022-11-28".to_string(),
            )
            .base_uri(settings.api_url())
            .map_err(|e| {
                GitHubError::Local(format!(
                    "BACKLENS_GITHUB_API_URL {:?} is not a URL: {e}",
                    settings.api_url()
                ))
            })?;
        let app = app::load(settings).map_err(GitHubError::Local)?;
        let built = match (&app, &settings.github_token) {
            (None, Some(token)) => builder.personal_token(token.expose().to_string()).build(),
            _ => builder.build(),
        };
        Ok(GitHubClient {
            octo: built
                .map_err(|e| GitHubError::Local(format!("cannot build the GitHub client: {e}")))?,
            pool,
            policy: RetryPolicy::default(),
            api_url: settings.api_url().to_string(),
            app,
            token: settings.github_token.clone(),
        })
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> GitHubClient {
        self.policy = policy;
        self
    }

    /// Sends a request with the credentials it needs (see [`Self::auth_for`]).
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        conditional: bool,
    ) -> Result<Answer, GitHubError> {
        let auth = self.auth_for(path).await?;
        let answer = self
            .send_with(method, path, body, conditional, auth)
            .await?;
        if answer.status == StatusCode::UNAUTHORIZED {
            if let (Some(key), Some(repo)) = (&self.app, repo_of_path(path)) {
                // A revoked or expired installation token: fetch a new one next time.
                app::forget_token(&self.api_url, key.app_id, &repo);
            }
        }
        Ok(answer)
    }

    /// The `Authorization` header for a request when octocrab does not add
    /// one itself: with an App, the repository's installation token (or the
    /// personal token for requests about no repository).
    async fn auth_for(&self, path: &str) -> Result<Option<HeaderValue>, GitHubError> {
        let Some(key) = &self.app else {
            return Ok(None);
        };
        match repo_of_path(path) {
            Some(repo) => {
                let token = self.installation_token(key, &repo).await?;
                bearer(token.expose()).map(Some)
            }
            None => match &self.token {
                Some(t) => bearer(t.expose()).map(Some),
                None => Ok(None),
            },
        }
    }

    /// The installation token for `repo` (`owner/name` as in the path):
    /// from the cache while valid, else found with the App's JWT.
    async fn installation_token(&self, key: &AppKey, repo: &str) -> Result<Secret, GitHubError> {
        let at = now();
        if let Some(token) = app::cached_token(&self.api_url, key.app_id, repo, at) {
            return Ok(token);
        }
        let jwt = key.jwt(at).map_err(GitHubError::Local)?;
        let auth = Some(bearer(&jwt)?);
        let what = format!("the GitHub App {}'s installation on {repo}", key.app_id);
        let answer = self
            .send_with(
                Method::GET,
                &format!("/repos/{repo}/installation"),
                None,
                false,
                auth.clone(),
            )
            .await?;
        #[derive(Deserialize)]
        struct Installation {
            id: u64,
        }
        let installation: Installation = decode(app_answer(answer, &what)?, &what)?;
        let answer = self
            .send_with(
                Method::POST,
                &format!("/app/installations/{}/access_tokens", installation.id),
                Some(&serde_json::json!({})),
                false,
                auth,
            )
            .await?;
        #[derive(Deserialize)]
        struct AccessToken {
            token: String,
            expires_at: String,
        }
        let what = format!("an installation token for {repo}");
        let token: AccessToken = decode(app_answer(answer, &what)?, &what)?;
        let expires_at = app::parse_timestamp(&token.expires_at).ok_or_else(|| {
            GitHubError::Decode(format!(
                "{what}: expires_at {:?} is not a timestamp",
                token.expires_at
            ))
        })?;
        let secret = Secret::new(token.token);
        app::store_token(
            &self.api_url,
            key.app_id,
            repo,
            CachedToken {
                token: secret.clone(),
                expires_at,
            },
        );
        tracing::info!(
            app_id = key.app_id,
            repo,
            expires_at,
            "GitHub App installation token obtained"
        );
        Ok(secret)
    }

    /// Sends a request with the retry and rate-limit rules; the answer is
    /// returned whatever its status once no rule asks for another attempt.
    async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        conditional: bool,
        auth: Option<HeaderValue>,
    ) -> Result<Answer, GitHubError> {
        let cached = if conditional {
            store::etag_lookup(&self.pool, path).await.map_err(db_err)?
        } else {
            None
        };
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.wait_for_primary_limit().await?;
            let mut headers = HeaderMap::new();
            if let Some((etag, _)) = &cached {
                if let Ok(v) = HeaderValue::from_str(etag) {
                    headers.insert(header::IF_NONE_MATCH, v);
                }
            }
            if let Some(auth) = &auth {
                headers.insert(header::AUTHORIZATION, auth.clone());
            }
            let result = if method == Method::GET {
                self.octo._get_with_headers(path, Some(headers)).await
            } else {
                let mut builder = axum::http::Request::builder()
                    .method(method.clone())
                    .uri(path);
                for (k, v) in headers.iter() {
                    builder = builder.header(k, v);
                }
                match self.octo.build_request(builder, body) {
                    Ok(request) => self.octo.execute(request).await,
                    Err(e) => Err(e),
                }
            };
            let response = match result {
                Ok(r) => r,
                Err(e) => {
                    if attempt < self.policy.max_attempts {
                        self.note_retry().await;
                        tokio::time::sleep(self.backoff(attempt)).await;
                        continue;
                    }
                    return Err(GitHubError::Transport(e.to_string()));
                }
            };
            let (parts, body_stream) = response.into_parts();
            let bytes = body_stream
                .collect()
                .await
                .map_err(|e| GitHubError::Transport(e.to_string()))?
                .to_bytes();
            let status = parts.status;
            let headers = parts.headers;
            self.record(
                &headers,
                cached.is_some(),
                status == StatusCode::NOT_MODIFIED,
            )
            .await;
            if status == StatusCode::NOT_MODIFIED {
                if let Some((_, body)) = cached {
                    return Ok(Answer {
                        status: StatusCode::OK,
                        headers,
                        body: Bytes::from(body),
                    });
                }
            }
            if let Some(wait) = self.limit_wait(status, &headers)? {
                if attempt < self.policy.max_attempts {
                    self.note_retry().await;
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(limit_error(&headers));
            }
            if status.is_server_error() && attempt < self.policy.max_attempts {
                self.note_retry().await;
                tokio::time::sleep(self.backoff(attempt)).await;
                continue;
            }
            if conditional && status == StatusCode::OK {
                if let Some(etag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok()) {
                    if let Err(e) = store::etag_store(&self.pool, path, etag, &bytes, now()).await {
                        tracing::warn!(error = %e, "cannot cache a GitHub answer");
                    }
                }
            }
            return Ok(Answer {
                status,
                headers,
                body: bytes,
            });
        }
    }

    /// Exponential backoff with up to 50 % jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.policy.base_delay.as_millis() as u64 * (1u64 << (attempt - 1).min(10));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64)
            .unwrap_or(0);
        let jitter = if base == 0 { 0 } else { nanos % (base / 2 + 1) };
        Duration::from_millis(base + jitter)
    }

    /// How long to wait before retrying a rate-limited answer; `None` when the
    /// answer is not a rate limit. Errors when the wait would be too long.
    fn limit_wait(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<Option<Duration>, GitHubError> {
        if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
            return Ok(None);
        }
        let wait = if let Some(secs) = header_i64(headers, "retry-after") {
            Duration::from_secs(secs.max(0) as u64)
        } else if header_i64(headers, "x-ratelimit-remaining") == Some(0) {
            let reset = header_i64(headers, "x-ratelimit-reset").unwrap_or_else(now);
            Duration::from_secs((reset - now()).max(0) as u64 + 1)
        } else if status == StatusCode::TOO_MANY_REQUESTS {
            Duration::from_secs(60)
        } else {
            // A plain 403: permissions, not a limit.
            return Ok(None);
        };
        if wait > self.policy.max_wait {
            return Err(limit_error(headers));
        }
        Ok(Some(wait))
    }

    /// Before a request: when the stored budget is used up, wait for its
    /// reset if that is soon, else fail without spending a request.
    async fn wait_for_primary_limit(&self) -> Result<(), GitHubError> {
        let Ok(stats) = store::api_stats(&self.pool).await else {
            return Ok(());
        };
        if let (Some(0), Some(reset)) = (stats.rate_remaining, stats.rate_reset) {
            let left = reset - now();
            if left > 0 {
                if Duration::from_secs(left as u64) > self.policy.max_wait {
                    return Err(GitHubError::RateLimited { reset_at: reset });
                }
                tokio::time::sleep(Duration::from_secs(left as u64 + 1)).await;
            }
        }
        Ok(())
    }

    async fn record(&self, headers: &HeaderMap, conditional: bool, not_modified: bool) {
        let r = store::record_api_call(
            &self.pool,
            conditional,
            not_modified,
            header_i64(headers, "x-ratelimit-limit"),
            header_i64(headers, "x-ratelimit-remaining"),
            header_i64(headers, "x-ratelimit-reset"),
            now(),
        )
        .await;
        if let Err(e) = r {
            tracing::warn!(error = %e, "cannot record GitHub API use");
        }
    }

    async fn note_retry(&self) {
        if let Err(e) = store::record_retry(&self.pool).await {
            tracing::warn!(error = %e, "cannot record a GitHub retry");
        }
    }

    async fn get_json<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        what: &str,
    ) -> Result<(T, HeaderMap), GitHubError> {
        let answer = self.send(Method::GET, path, None, true).await?;
        let answer = check_status(answer, what)?;
        let value = serde_json::from_slice(&answer.body)
            .map_err(|e| GitHubError::Decode(format!("{what}: {e}")))?;
        Ok((value, answer.headers))
    }
}

/// `owner/repo` of a `/repos/{owner}/{repo}/...` path, lower case.
fn repo_of_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/repos/")?;
    let rest = rest.split(['?', '#']).next()?;
    let mut parts = rest.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let repo = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{repo}").to_ascii_lowercase())
}

fn bearer(token: &str) -> Result<HeaderValue, GitHubError> {
    let mut v = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        GitHubError::Local("a GitHub credential holds characters a header cannot".into())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// Answers to the App's own requests, whose 401/404 mean something else.
fn app_answer(answer: Answer, what: &str) -> Result<Answer, GitHubError> {
    match answer.status {
        StatusCode::UNAUTHORIZED => Err(GitHubError::Local(format!(
            "GitHub refused the App's JWT for {what} (401: {}): check BACKLENS_GITHUB_APP_ID and BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE",
            message_of(&answer.body)
        ))),
        StatusCode::NOT_FOUND => Err(GitHubError::Local(format!(
            "{what} was not found: install the GitHub App on the repository"
        ))),
        _ => check_status(answer, what),
    }
}

fn decode<T: for<'de> Deserialize<'de>>(answer: Answer, what: &str) -> Result<T, GitHubError> {
    serde_json::from_slice(&answer.body).map_err(|e| GitHubError::Decode(format!("{what}: {e}")))
}

fn db_err(e: sqlx::Error) -> GitHubError {
    GitHubError::Local(format!("database: {e}"))
}

fn header_i64(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn limit_error(headers: &HeaderMap) -> GitHubError {
    let reset = header_i64(headers, "x-ratelimit-reset")
        .or_else(|| header_i64(headers, "retry-after").map(|s| now() + s))
        .unwrap_or_else(|| now() + 60);
    GitHubError::RateLimited { reset_at: reset }
}

/// GitHub's error body: `{"message": "..."}`.
fn message_of(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct E {
        message: Option<String>,
    }
    serde_json::from_slice::<E>(body)
        .ok()
        .and_then(|e| e.message)
        .unwrap_or_else(|| String::from_utf8_lossy(&body[..body.len().min(200)]).to_string())
}

fn check_status(answer: Answer, what: &str) -> Result<Answer, GitHubError> {
    match answer.status {
        s if s.is_success() => Ok(answer),
        StatusCode::NOT_FOUND => Err(GitHubError::NotFound(what.to_string())),
        StatusCode::UNAUTHORIZED => Err(GitHubError::Unauthorized),
        StatusCode::FORBIDDEN => Err(GitHubError::Forbidden(message_of(&answer.body))),
        s => Err(GitHubError::Http {
            status: s.as_u16(),
            message: message_of(&answer.body),
        }),
    }
}

/// `GET /repos/{o}/{r}` and the list endpoints, as GitHub documents them.
#[derive(Deserialize)]
struct RepoJson {
    full_name: String,
    default_branch: Option<String>,
    html_url: String,
    #[serde(default)]
    private: bool,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    size: Option<i64>,
    language: Option<String>,
    pushed_at: Option<String>,
    description: Option<String>,
}

impl From<RepoJson> for RepoInfo {
    fn from(r: RepoJson) -> RepoInfo {
        RepoInfo {
            full_name: r.full_name,
            default_branch: r.default_branch.unwrap_or_else(|| "main".to_string()),
            html_url: r.html_url,
            private: r.private,
            archived: r.archived,
            empty: r.size == Some(0),
            language: r.language,
            pushed_at: r.pushed_at,
            description: r.description,
        }
    }
}

/// Path-safe segment (owner/repo names are validated; branches may hold `/`).
fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The `rel="next"` URL of a `Link` header, as a path and query on the API.
fn next_page(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(header::LINK)?.to_str().ok()?;
    for part in link.split(',') {
        let mut pieces = part.split(';');
        let url = pieces
            .next()?
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        if pieces.any(|p| p.trim() == "rel=\"next\"") {
            let uri: axum::http::Uri = url.parse().ok()?;
            return uri.path_and_query().map(|p| p.as_str().to_string());
        }
    }
    None
}

/// Safety cap on pages of an owner's repositories (100 per page).
const MAX_PAGES: usize = 50;

impl GitHubApi for GitHubClient {
    fn repository<'a>(&'a self, name: &'a RepoName) -> ApiFuture<'a, RepoInfo> {
        Box::pin(async move {
            let path = format!("/repos/{}/{}", seg(&name.owner), seg(&name.repo));
            let (repo, _): (RepoJson, _) = self.get_json(&path, &name.full_name()).await?;
            Ok(repo.into())
        })
    }

    fn branch_head<'a>(&'a self, name: &'a RepoName, branch: &'a str) -> ApiFuture<'a, String> {
        Box::pin(async move {
            #[derive(Deserialize)]
            struct Commit {
                sha: String,
            }
            #[derive(Deserialize)]
            struct Branch {
                commit: Commit,
            }
            let path = format!(
                "/repos/{}/{}/branches/{}",
                seg(&name.owner),
                seg(&name.repo),
                seg(branch)
            );
            let what = format!("branch {branch} of {}", name.full_name());
            let (b, _): (Branch, _) = self.get_json(&path, &what).await?;
            if !super::is_commit_sha(&b.commit.sha) {
                return Err(GitHubError::Decode(format!("{what}: not a commit SHA")));
            }
            Ok(b.commit.sha)
        })
    }

    fn download_tarball<'a>(
        &'a self,
        name: &'a RepoName,
        sha: &'a str,
        dest: &'a Path,
        max_bytes: u64,
    ) -> ApiFuture<'a, u64> {
        Box::pin(async move {
            if !super::is_commit_sha(sha) {
                return Err(GitHubError::Local(format!("{sha:?} is not a commit SHA")));
            }
            let path = format!(
                "/repos/{}/{}/tarball/{sha}",
                seg(&name.owner),
                seg(&name.repo)
            );
            let what = format!("commit {sha} of {}", name.full_name());
            let mut attempt = 0;
            loop {
                attempt += 1;
                self.wait_for_primary_limit().await?;
                let mut headers = HeaderMap::new();
                if let Some(auth) = self.auth_for(&path).await? {
                    headers.insert(header::AUTHORIZATION, auth);
                }
                let response = match self
                    .octo
                    ._get_with_headers(path.as_str(), Some(headers))
                    .await
                {
                    Ok(r) => r,
                    Err(e) if attempt < self.policy.max_attempts => {
                        tracing::debug!(error = %e, "tarball request failed; retrying");
                        self.note_retry().await;
                        tokio::time::sleep(self.backoff(attempt)).await;
                        continue;
                    }
                    Err(e) => return Err(GitHubError::Transport(e.to_string())),
                };
                let (parts, mut body) = response.into_parts();
                self.record(&parts.headers, false, false).await;
                if !parts.status.is_success() {
                    let bytes = body
                        .collect()
                        .await
                        .map(|c| c.to_bytes())
                        .unwrap_or_default();
                    if let Some(wait) = self.limit_wait(parts.status, &parts.headers)? {
                        if attempt < self.policy.max_attempts {
                            self.note_retry().await;
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        return Err(limit_error(&parts.headers));
                    }
                    if parts.status.is_server_error() && attempt < self.policy.max_attempts {
                        self.note_retry().await;
                        tokio::time::sleep(self.backoff(attempt)).await;
                        continue;
                    }
                    let answer = Answer {
                        status: parts.status,
                        headers: parts.headers,
                        body: bytes,
                    };
                    return check_status(answer, &what).map(|_| 0);
                }
                // Stream to disk, never holding the archive in memory.
                let mut file = tokio::fs::File::create(dest)
                    .await
                    .map_err(|e| GitHubError::Local(format!("cannot write the tarball: {e}")))?;
                let mut written: u64 = 0;
                while let Some(frame) = body.frame().await {
                    let frame = frame.map_err(|e| GitHubError::Transport(e.to_string()))?;
                    if let Ok(data) = frame.into_data() {
                        written += data.len() as u64;
                        if written > max_bytes {
                            return Err(GitHubError::Local(format!(
                                "the tarball of {what} is larger than {max_bytes} bytes"
                            )));
                        }
                        file.write_all(&data).await.map_err(|e| {
                            GitHubError::Local(format!("cannot write the tarball: {e}"))
                        })?;
                    }
                }
                file.flush()
                    .await
                    .map_err(|e| GitHubError::Local(format!("cannot write the tarball: {e}")))?;
                return Ok(written);
            }
        })
    }

    fn create_status<'a>(
        &'a self,
        name: &'a RepoName,
        sha: &'a str,
        status: &'a CommitStatus,
    ) -> ApiFuture<'a, ()> {
        Box::pin(async move {
            let path = format!(
                "/repos/{}/{}/statuses/{sha}",
                seg(&name.owner),
                seg(&name.repo)
            );
            let description: String = status.description.chars().take(140).collect();
            let mut body = serde_json::json!({
                "state": status.state.as_str(),
                "description": description,
                "context": status.context,
            });
            if let Some(url) = &status.target_url {
                body["target_url"] = serde_json::Value::String(url.clone());
            }
            let answer = self.send(Method::POST, &path, Some(&body), false).await?;
            check_status(answer, &format!("commit {sha} of {}", name.full_name()))?;
            Ok(())
        })
    }

    fn uses_check_runs(&self) -> bool {
        self.app.is_some()
    }

    fn create_check_run<'a>(
        &'a self,
        name: &'a RepoName,
        body: &'a serde_json::Value,
    ) -> ApiFuture<'a, u64> {
        Box::pin(async move {
            let path = format!("/repos/{}/{}/check-runs", seg(&name.owner), seg(&name.repo));
            let what = format!("a check run on {}", name.full_name());
            let answer = self.send(Method::POST, &path, Some(body), false).await?;
            #[derive(Deserialize)]
            struct Created {
                id: u64,
            }
            let created: Created = decode(check_status(answer, &what)?, &what)?;
            Ok(created.id)
        })
    }

    fn update_check_run<'a>(
        &'a self,
        name: &'a RepoName,
        id: u64,
        body: &'a serde_json::Value,
    ) -> ApiFuture<'a, ()> {
        Box::pin(async move {
            let path = format!(
                "/repos/{}/{}/check-runs/{id}",
                seg(&name.owner),
                seg(&name.repo)
            );
            let what = format!("check run {id} on {}", name.full_name());
            let answer = self.send(Method::PATCH, &path, Some(body), false).await?;
            check_status(answer, &what)?;
            Ok(())
        })
    }

    fn owner_repositories<'a>(&'a self, owner: &'a str) -> ApiFuture<'a, Vec<RepoInfo>> {
        Box::pin(async move {
            let mut out = Vec::new();
            let first_org = format!("/orgs/{}/repos?per_page=100&type=all", seg(owner));
            let mut next = Some(first_org);
            let mut tried_user = false;
            let mut pages = 0;
            while let Some(path) = next.take() {
                pages += 1;
                if pages > MAX_PAGES {
                    break;
                }
                let result: Result<(Vec<RepoJson>, HeaderMap), _> =
                    self.get_json(&path, &format!("owner {owner}")).await;
                match result {
                    Ok((repos, headers)) => {
                        out.extend(repos.into_iter().map(RepoInfo::from));
                        next = next_page(&headers);
                    }
                    // Not an organisation: a user.
                    Err(GitHubError::NotFound(_)) if !tried_user && out.is_empty() => {
                        tried_user = true;
                        next = Some(format!(
                            "/users/{}/repos?per_page=100&type=owner",
                            seg(owner)
                        ));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }
}
