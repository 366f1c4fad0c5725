//! Rendered pages kept in memory per URL: the portfolio (`/`), project pages
//! (`/projects/…`) and the weekly review (`/weekly…`) — every variant of their
//! query string is its own entry. An entry is served only while the database's
//! data version (see `db::data_version`) is the one read before the page was
//! rendered, so a write — a project added, a review stored, a job's progress,
//! a team set, from this process or another — makes the next request render
//! afresh. A time-to-live of [`PAGE_TTL`] bounds what depends on the clock
//! alone ("reviewed 3 minutes ago", which week is current). Only complete
//! `200 text/html` answers are kept; everything else passes through.

use super::cache::VersionedCache;
use super::db::data_version::data_version;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a page may be served while nothing was written.
pub const PAGE_TTL: Duration = Duration::from_secs(10);
/// Pages kept at most, and their bytes.
pub const MAX_PAGES: usize = 256;
pub const MAX_PAGE_BYTES: usize = 24 * 1024 * 1024;

/// A rendered page.
pub struct CachedPage {
    headers: HeaderMap,
    body: Bytes,
}

/// What the middleware needs: the cache, the database to read the version,
/// and the pages being rendered right now.
#[derive(Clone)]
pub struct PageCache {
    pages: VersionedCache<String, CachedPage>,
    pool: SqlitePool,
    /// One lock per URL being rendered: when many requests miss the same
    /// page at once (at start, after a write, when the time-to-live runs
    /// out), one renders it and the others wait for its copy instead of all
    /// rendering it side by side on the same cores.
    rendering: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl PageCache {
    pub fn new(pool: SqlitePool) -> Self {
        PageCache {
            pages: VersionedCache::new(MAX_PAGES, MAX_PAGE_BYTES, Some(PAGE_TTL)),
            pool,
            rendering: Arc::default(),
        }
    }

    /// The render lock of `key` (made when nobody renders it).
    fn render_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        rendering.entry(key.to_string()).or_default().clone()
    }

    /// Forgets `key`'s render lock once its page is rendered (waiters hold
    /// their own handle), so the map only ever holds pages in flight.
    fn rendered(&self, key: &str) {
        let mut rendering = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        rendering.remove(key);
    }
}

/// Whether `path` is a page this cache keeps.
fn cacheable(path: &str) -> bool {
    path == "/"
        || (path.starts_with("/projects/") && !path.ends_with("/sarif"))
        || path == "/weekly"
        || (path.starts_with("/weekly/") && path.matches('/').count() == 2)
}

/// The middleware: answers from the cache or renders and keeps the page.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !cacheable(request.uri().path()) {
        return next.run(request).await;
    }
    let key = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    // Read before rendering: a write during the render moves the version,
    // so what is stored below can never pass for newer data than it is.
    let version = match data_version(&cache.pool).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the data version; page not cached");
            return next.run(request).await;
        }
    };
    if let Some(page) = cache.pages.get(&key, version) {
        return answer(&page, "hit");
    }
    let lock = cache.render_lock(&key);
    let _rendering = lock.lock().await;
    // Whoever held the lock may have rendered this page meanwhile.
    let version = match data_version(&cache.pool).await {
        Ok(v) => v,
        Err(_) => version,
    };
    if let Some(page) = cache.pages.get(&key, version) {
        return answer(&page, "hit");
    }
    let _forget = ForgetOnDrop(&cache, &key);
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, path = %key, "page body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let bytes = body.len() + key.len();
    let page = cache
        .pages
        .put(key.clone(), version, bytes, CachedPage { headers, body });
    answer(&page, "miss")
}

/// Forgets a page's render lock when its render ends, however it ends
/// (stored, passed through, failed).
struct ForgetOnDrop<'a>(&'a PageCache, &'a str);

impl Drop for ForgetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.rendered(self.1);
    }
}

fn answer(page: &CachedPage, how: &'static str) -> Response {
    let mut response = Response::new(Body::from(page.body.clone()));
    *response.headers_mut() = page.headers.clone();
    response
        .headers_mut()
        .insert("x-backlens-cache", HeaderValue::from_static(how));
    response
}

#[cfg(test)]
mod tests {
    use super::cacheable;

    #[test]
    fn only_the_pages_are_cached() {
        for p in [
            "/",
            "/projects/3",
            "/projects/3/reviews/9",
            "/weekly",
            "/weekly/2026-W47",
        ] {
            assert!(cacheable(p), "{p}");
        }
        for p in [
            "/weekly/2026-W47/export.md",
            "/settings",
            "/import",
            "/api/v1/projects",
            "/sfn/portfolio",
            "/events/jobs",
            "/reviews/3/sarif",
            "/badge/1.svg",
        ] {
            assert!(!cacheable(p), "{p}");
        }
    }
}
