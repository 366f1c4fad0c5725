//! GitHub intake against a fake GitHub: an axum app started by each test that
//! answers with the shapes GitHub documents (bodies from the REST description's
//! examples in tests/fixtures/github/rest, webhook payloads from
//! tests/fixtures/github). The real client (octocrab) talks to it over HTTP.

#![cfg(feature = "ssr")]

mod common;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use backlens::model::views::{AddProjectOutcome, JobState};
use backlens::server::db::{github as gh_store, reviews as review_repo};
use backlens::server::github::client::{GitHubClient, RetryPolicy};
use backlens::server::github::settings::{GitHubSettings, Secret};
use backlens::server::github::signature::sign;
use backlens::server::github::{GitHubApi, GitHubError, RepoName};
use backlens::server::jobs::{run_next_job, JobOutcome, WorkerConfig};
use backlens::server::services::github as gh_service;
use backlens::server::{now, settings::Settings, state::AppState};
use common::fake_github::{self, sha, tarball};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use sqlx::SqlitePool;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- fake GitHub

type Scripted = (u16, Vec<(&'static str, String)>, String);

#[derive(Default)]
struct Fake {
    base: String,
    repos: HashMap<String, Value>,
    heads: HashMap<String, String>,
    tarballs: HashMap<String, Vec<u8>>,
    statuses: Vec<(String, String, Value)>,
    scripted: HashMap<String, VecDeque<Scripted>>,
    /// (method, path and query, If-None-Match)
    log: Vec<(String, String, Option<String>)>,
    org_repos: Vec<Value>,
    remaining: i64,
}

type Shared = fake_github::Shared<Fake>;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// GitHub's documented `repos/get` example, renamed.
fn repo_json(full_name: &str, archived: bool, size: i64) -> Value {
    let mut v = fixture("rest/repos-get.json");
    let (owner, name) = full_name.split_once('/').unwrap();
    v["full_name"] = json!(full_name);
    v["name"] = json!(name);
    v["owner"]["login"] = json!(owner);
    v["html_url"] = json!(format!("https://github.com/{full_name}"));
    v["default_branch"] = json!("main");
    v["archived"] = json!(archived);
    v["size"] = json!(size);
    v
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(
            json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}),
        ),
    )
        .into_response()
}

async fn fake_handler(
    State(fake): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let pq = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let mut f = fake.lock().unwrap();
    let inm = headers
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    f.log.push((method.to_string(), pq.clone(), inm.clone()));
    f.remaining -= 1;
    let rate = [
        ("x-ratelimit-limit", "5000".to_string()),
        ("x-ratelimit-remaining", f.remaining.to_string()),
        ("x-ratelimit-reset", (now() + 3600).to_string()),
    ];
    if let Some((status, hdrs, body)) = f.scripted.get_mut(&path).and_then(|q| q.pop_front()) {
        let mut r = Response::builder().status(status);
        for (k, v) in hdrs {
            r = r.header(k, v);
        }
        return r.body(Body::from(body)).unwrap();
    }
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let with_rate = |mut r: Response| {
        for (k, v) in &rate {
            r.headers_mut().insert(*k, v.parse().unwrap());
        }
        r
    };
    let response = match (method.as_str(), seg.as_slice()) {
        ("GET", ["repos", o, r]) => match f.repos.get(&format!("{o}/{r}").to_lowercase()) {
            Some(repo) => {
                let body = repo.to_string();
                let etag = format!(
                    "\"{:x}\"",
                    body.len() * 31 + body.bytes().map(|b| b as usize).sum::<usize>()
                );
                if inm.as_deref() == Some(etag.as_str()) {
                    Response::builder()
                        .status(304)
                        .header("etag", etag)
                        .body(Body::empty())
                        .unwrap()
                } else {
                    Response::builder()
                        .status(200)
                        .header("content-type", "application/json; charset=utf-8")
                        .header("etag", etag)
                        .body(Body::from(body))
                        .unwrap()
                }
            }
            None => not_found(),
        },
        ("GET", ["repos", o, r, "branches", b]) => match f.heads.get(&format!("{o}/{r}/{b}")) {
            // The documented `branch-with-protection` shape, trimmed to what matters.
            Some(sha) => axum::Json(json!({
                "name": b,
                "commit": {"sha": sha, "url": format!("{}/repos/{o}/{r}/commits/{sha}", f.base)},
                "protected": false,
                "_links": {"self": "", "html": ""},
                "protection_url": ""
            }))
            .into_response(),
            None => (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"message": "Branch not found"})),
            )
                .into_response(),
        },
        // GitHub answers 302 to codeload; the client follows it.
        ("GET", ["repos", o, r, "tarball", sha]) => Response::builder()
            .status(302)
            .header(
                "location",
                format!("{}/codeload/{o}/{r}/legacy.tar.gz/{sha}", f.base),
            )
            .body(Body::empty())
            .unwrap(),
        ("GET", ["codeload", _, _, "legacy.tar.gz", sha]) => match f.tarballs.get(*sha) {
            Some(bytes) => Response::builder()
                .status(200)
                .header("content-type", "application/x-gzip")
                .body(Body::from(bytes.clone()))
                .unwrap(),
            None => not_found(),
        },
        ("POST", ["repos", o, r, "statuses", sha]) => {
            let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            f.statuses
                .push((format!("{o}/{r}"), sha.to_string(), sent.clone()));
            let mut answer = fixture("rest/create-commit-status.json");
            answer["state"] = sent["state"].clone();
            answer["target_url"] = sent["target_url"].clone();
            answer["description"] = sent["description"].clone();
            answer["context"] = sent["context"].clone();
            (StatusCode::CREATED, axum::Json(answer)).into_response()
        }
        ("GET", ["orgs", _org, "repos"]) => {
            let page: usize = uri
                .query()
                .unwrap_or_default()
                .split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let per = 100;
            let last = f.org_repos.len().div_ceil(per).max(1);
            let items: Vec<Value> = f
                .org_repos
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .cloned()
                .collect();
            let mut r = axum::Json(Value::Array(items)).into_response();
            if page < last {
                let link = format!(
                    "<{base}{path}?per_page=100&page={n}>; rel=\"next\", <{base}{path}?per_page=100&page={last}>; rel=\"last\"",
                    base = f.base,
                    n = page + 1
                );
                r.headers_mut().insert("link", link.parse().unwrap());
            }
            r
        }
        _ => not_found(),
    };
    with_rate(response)
}

async fn start_fake() -> (Shared, String) {
    fake_github::start(
        |base| Fake {
            base,
            remaining: 5000,
            ..Fake::default()
        },
        fake_handler,
    )
    .await
}

// ---------------------------------------------------------------- tarballs

/// A tarball holding one hostile entry (names written into the raw header,
/// since the tar crate's builder refuses them).
fn hostile_tarball(name: &str, kind: tar::EntryType, link: Option<&str>) -> Vec<u8> {
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    let mut ok = tar::Header::new_gnu();
    ok.set_size(2);
    ok.set_mode(0o644);
    b.append_data(&mut ok, "o-r-1/ok.ts", &b"ok"[..]).unwrap();
    let mut h = tar::Header::new_old();
    h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    if let Some(link) = link {
        h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    h.set_entry_type(kind);
    h.set_size(if kind == tar::EntryType::Regular {
        4
    } else {
        0
    });
    h.set_mode(0o644);
    h.set_cksum();
    let data: &[u8] = if kind == tar::EntryType::Regular {
        b"evil"
    } else {
        b""
    };
    b.append(&h, data).unwrap();
    b.into_inner().unwrap().finish().unwrap()
}

const CLEAN_TS: &str = "import { Router } from \"express\";\nimport { pool } from \"./db\";\n\nexport const ordersRouter = Router();\n\nordersRouter.get(\"/:id\", async (req, res) => {\n  const { rows } = await pool.query(\"SELECT * FROM orders WHERE id = $1\", [req.params.id]);\n  res.json(rows[0]);\n});\n";

const INJECTION_TS: &str = "import { Router } from \"express\";\nimport { pool } from \"./db\";\n\nexport const reportsRouter = Router();\n\nreportsRouter.get(\"/\", async (req, res) => {\n  const { rows } = await pool.query(\n    \"SELECT * FROM orders WHERE customer_id = '\" + req.query.customer + \"' ORDER BY created_at DESC\",\n  );\n  res.json(rows);\n});\n";

fn base_files() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "package.json",
            "{\"name\": \"api\", \"dependencies\": {\"express\": \"^4.19.0\"}}",
        ),
        ("src/orders.ts", CLEAN_TS),
        ("README.md", "# api\n"),
    ]
}

// ---------------------------------------------------------------- app

struct TestApp {
    pool: SqlitePool,
    db_url: String,
    api_base: String,
    _dir: tempfile::TempDir,
    fake: Shared,
    settings: GitHubSettings,
    config: WorkerConfig,
}

const SECRET: &str = "It's a Secret to Everybody";
const PUBLIC: &str = "https://backlens.example.com";

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path());
    let pool = common::database(dir.path()).await;
    let (fake, base) = start_fake().await;
    let mut settings = GitHubSettings::with_api_url(&base);
    settings.github_token = Some(Secret::new("ghp_test_token_never_logged"));
    settings.webhook_secret = Some(Secret::new(SECRET));
    settings.public_url = Some(PUBLIC.to_string());
    let config = WorkerConfig {
        github: settings.clone(),
        ..common::worker_config()
    };
    TestApp {
        pool,
        db_url: url,
        api_base: base,
        _dir: dir,
        fake,
        settings,
        config,
    }
}

impl TestApp {
    fn client(&self) -> GitHubClient {
        GitHubClient::new(&self.settings, self.pool.clone())
            .unwrap()
            .with_policy(RetryPolicy {
                max_attempts: 4,
                base_delay: Duration::from_millis(20),
                max_wait: Duration::from_secs(5),
            })
    }

    fn add_repo(&self, full_name: &str, archived: bool, size: i64) {
        self.fake.lock().unwrap().repos.insert(
            full_name.to_lowercase(),
            repo_json(full_name, archived, size),
        );
    }

    fn set_head(&self, full_name: &str, sha: &str, files: &[(&str, &str)]) {
        let mut f = self.fake.lock().unwrap();
        f.heads.insert(format!("{full_name}/main"), sha.to_string());
        let prefix = format!("{}-{}", full_name.replace('/', "-"), &sha[..7]);
        f.tarballs.insert(sha.to_string(), tarball(&prefix, files));
    }

    fn add_tarball(&self, sha: &str, bytes: Vec<u8>) {
        self.fake
            .lock()
            .unwrap()
            .tarballs
            .insert(sha.to_string(), bytes);
    }

    fn script(&self, path: &str, responses: Vec<Scripted>) {
        self.fake
            .lock()
            .unwrap()
            .scripted
            .insert(path.to_string(), responses.into());
    }

    fn statuses(&self) -> Vec<(String, String, Value)> {
        self.fake.lock().unwrap().statuses.clone()
    }

    fn state(&self) -> AppState {
        let mut settings = Settings::for_tests("sqlite::memory:", self._dir.path().to_path_buf());
        settings.github = self.settings.clone();
        common::http::app_state_with(&self.pool, settings)
    }

    async fn add(&self, input: &str) -> AddProjectOutcome {
        gh_service::add_from_input(&self.pool, &self.settings, input, 1)
            .await
            .unwrap()
    }

    async fn add_ok(&self, input: &str) -> i64 {
        match self.add(input).await {
            AddProjectOutcome::Added { id, .. } => id,
            other => panic!("expected Added, got {other:?}"),
        }
    }

    async fn run_job(&self) -> JobOutcome {
        run_next_job(&self.pool, &self.config)
            .await
            .unwrap()
            .expect("a job ran")
            .1
    }

    async fn post_webhook(
        &self,
        event: &str,
        delivery: &str,
        body: &[u8],
        signature: Option<String>,
    ) -> (u16, Value) {
        let mut req = axum::http::Request::post("/webhooks/github")
            .header("content-type", "application/json")
            .header("x-github-event", event)
            .header("x-github-delivery", delivery);
        if let Some(sig) = signature {
            req = req.header("x-hub-signature-256", sig);
        }
        let answer =
            common::http::send(&self.state(), req.body(Body::from(body.to_vec())).unwrap()).await;
        (
            answer.status,
            serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
        )
    }

    async fn get_page(&self, uri: &str) -> (u16, String) {
        common::http::get(&self.state(), uri).await
    }

    async fn jobs(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

/// GitHub's example `pull_request` delivery, pointed at our repository and commits.
fn pull_request_body(action: &str, repo: &str, number: i64, head: &str, base: &str) -> Vec<u8> {
    let mut v = fixture(&format!("pull_request.{action}.json"));
    v["number"] = json!(number);
    v["pull_request"]["number"] = json!(number);
    v["pull_request"]["head"]["sha"] = json!(head);
    v["pull_request"]["base"]["sha"] = json!(base);
    v["repository"]["full_name"] = json!(repo);
    serde_json::to_vec(&v).unwrap()
}

// ---------------------------------------------------------------- client

#[tokio::test]
async fn an_organisations_repositories_are_read_across_pages() {
    let app = spawn_app().await;
    let template = fixture("rest/repos-list-for-org.json")[0].clone();
    let repos: Vec<Value> = (0..130)
        .map(|i| {
            let mut r = template.clone();
            r["full_name"] = json!(format!("acme/service-{i}"));
            r["archived"] = json!(i % 10 == 0);
            r
        })
        .collect();
    app.fake.lock().unwrap().org_repos = repos;
    let got = app.client().owner_repositories("acme").await.unwrap();
    assert_eq!(got.len(), 130);
    assert_eq!(got[129].full_name, "acme/service-129");
    assert_eq!(got.iter().filter(|r| r.archived).count(), 13);
    let log = app.fake.lock().unwrap().log.clone();
    assert!(log.iter().any(|(_, p, _)| p.contains("page=2")), "{log:?}");
    assert_eq!(log.len(), 2);
}

#[tokio::test]
async fn a_second_read_is_answered_304_from_the_etag_cache() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    let name = RepoName {
        owner: "acme".into(),
        repo: "api".into(),
    };
    let first = app.client().repository(&name).await.unwrap();
    let second = app.client().repository(&name).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(first.default_branch, "main");
    let log = app.fake.lock().unwrap().log.clone();
    assert_eq!(log[0].2, None, "the first request is unconditional");
    assert!(log[1].2.is_some(), "the second request sends If-None-Match");
    let stats = gh_store::api_stats(&app.pool).await.unwrap();
    assert_eq!(
        (stats.requests, stats.conditional, stats.not_modified),
        (2, 1, 1)
    );
    assert_eq!(stats.etag_hit_rate(), Some(100));
    assert_eq!(stats.rate_limit, Some(5000));
}

#[tokio::test]
async fn a_403_rate_limit_waits_for_the_reset_or_fails_with_it() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    let name = RepoName {
        owner: "acme".into(),
        repo: "api".into(),
    };
    let limited = |reset: i64| -> Scripted {
        (
            403,
            vec![
                ("x-ratelimit-limit", "5000".into()),
                ("x-ratelimit-remaining", "0".into()),
                ("x-ratelimit-reset", reset.to_string()),
                ("content-type", "application/json".into()),
            ],
            r#"{"message":"API rate limit exceeded"}"#.into(),
        )
    };
    // Resets in a second: the client waits and succeeds.
    app.script("/repos/acme/api", vec![limited(now() + 1)]);
    let clock = Instant::now();
    let repo = app.client().repository(&name).await.unwrap();
    assert_eq!(repo.full_name, "acme/api");
    assert!(
        clock.elapsed() >= Duration::from_secs(1),
        "{:?}",
        clock.elapsed()
    );
    assert_eq!(gh_store::api_stats(&app.pool).await.unwrap().retries, 1);

    // Resets in an hour: fail at once with the reset time...
    let reset = now() + 3600;
    app.script("/repos/acme/api", vec![limited(reset)]);
    let err = app.client().repository(&name).await.unwrap_err();
    assert_eq!(err, GitHubError::RateLimited { reset_at: reset });
    // ...and spend no further request until then.
    let before = app.fake.lock().unwrap().log.len();
    let err = app.client().repository(&name).await.unwrap_err();
    assert!(matches!(err, GitHubError::RateLimited { .. }));
    assert_eq!(app.fake.lock().unwrap().log.len(), before);
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_that_many_seconds() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.script(
        "/repos/acme/api",
        vec![(
            429,
            vec![("retry-after", "1".into())],
            r#"{"message":"secondary rate limit"}"#.into(),
        )],
    );
    let clock = Instant::now();
    let name = RepoName {
        owner: "acme".into(),
        repo: "api".into(),
    };
    app.client().repository(&name).await.unwrap();
    assert!(clock.elapsed() >= Duration::from_secs(1));
    assert_eq!(app.fake.lock().unwrap().log.len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_then_succeed_or_give_up() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    let e500: Scripted = (500, vec![], r#"{"message":"Server Error"}"#.into());
    let e502: Scripted = (502, vec![], "bad gateway".into());
    app.script("/repos/acme/api", vec![e500.clone(), e502.clone()]);
    let name = RepoName {
        owner: "acme".into(),
        repo: "api".into(),
    };
    app.client().repository(&name).await.unwrap();
    assert_eq!(gh_store::api_stats(&app.pool).await.unwrap().retries, 2);

    app.script(
        "/repos/acme/api",
        vec![e500.clone(), e500.clone(), e500.clone(), e500],
    );
    let err = app.client().repository(&name).await.unwrap_err();
    assert!(
        matches!(err, GitHubError::Http { status: 500, .. }),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- intake

#[tokio::test]
async fn wrong_deleted_archived_and_empty_repositories_get_clear_messages() {
    let app = spawn_app().await;
    app.add_repo("acme/old", true, 10);
    app.add_repo("acme/new", false, 0);
    let rejected = |o: AddProjectOutcome| match o {
        AddProjectOutcome::Rejected { message } => message,
        other => panic!("expected a rejection, got {other:?}"),
    };
    let msg = rejected(app.add("acme/deleted").await);
    assert!(
        msg.contains("no repository acme/deleted") && msg.contains("private"),
        "{msg}"
    );
    let msg = rejected(app.add("https://github.com/acme/old").await);
    assert!(msg.contains("archived"), "{msg}");
    let msg = rejected(app.add("git@github.com:acme/new.git").await);
    assert!(msg.contains("empty"), "{msg}");
    let msg = rejected(app.add("acme/bad name").await);
    assert!(msg.contains("not a valid GitHub repository name"), "{msg}");
    let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(projects, 0, "nothing stored for a rejected source");
    assert_eq!(app.jobs().await, 0);
}

#[tokio::test]
async fn a_github_project_is_reviewed_at_its_default_branch_head() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    let head = sha('a');
    app.set_head("acme/api", &head, &base_files());
    let id = app.add_ok("https://github.com/acme/api/tree/main").await;
    // Any other spelling of the same repository is a duplicate.
    assert!(matches!(
        app.add("ACME/api").await,
        AddProjectOutcome::Rejected { .. }
    ));
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    let review = review_repo::latest_review_view(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(review.commit_sha.as_deref(), Some(head.as_str()));
    assert!(review.files_scanned >= 2, "{review:?}");
    let repo = gh_store::repository_of_project(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(repo.last_head_sha.as_deref(), Some(head.as_str()));
    // pending, then what the gate decided.
    let page = gh_service::review_page(&app.pool, id, review.id)
        .await
        .unwrap()
        .unwrap();
    let statuses = app.statuses();
    let states: Vec<&str> = statuses
        .iter()
        .map(|(_, _, s)| s["state"].as_str().unwrap())
        .collect();
    let decided = if page.gate_result.passed {
        "success"
    } else {
        "failure"
    };
    assert_eq!(states, vec!["pending", decided]);
    assert_eq!(
        statuses[1].2["description"],
        page.gate_result.description.as_str()
    );
    assert_eq!(statuses[1].2["context"], "backlens");
    assert_eq!(
        statuses[1].2["target_url"],
        format!("{PUBLIC}/projects/{id}/reviews/{}", review.id)
    );
}

#[tokio::test]
async fn hostile_tarballs_fail_the_job_with_the_reason_and_keep_stored_reviews() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    let id = app.add_ok("acme/api").await;
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    let kept = review_repo::latest_review_view(&app.pool, id)
        .await
        .unwrap()
        .unwrap();

    use tar::EntryType as T;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            hostile_tarball("/etc/cron.d/evil", T::Regular, None),
            "absolute path",
        ),
        (
            hostile_tarball("o-r-1/../../evil", T::Regular, None),
            "'..'",
        ),
        (
            hostile_tarball("o-r-1/passwd", T::Symlink, Some("/etc/passwd")),
            "symbolic link",
        ),
        (
            hostile_tarball("o-r-1/up", T::Symlink, Some("../../x")),
            "pointing outside",
        ),
        (
            hostile_tarball("o-r-1/hard", T::Link, Some("../x")),
            "hard link",
        ),
        (hostile_tarball("o-r-1/dev", T::Char, None), "device file"),
        (hostile_tarball("o-r-1/pipe", T::Fifo, None), "FIFO"),
    ];
    for (i, (bytes, reason)) in cases.into_iter().enumerate() {
        let commit = format!("{:040x}", 0xbad0 + i);
        app.add_tarball(&commit, bytes);
        let payload = json!({"commit": commit, "trigger": "test"});
        gh_store::enqueue_review_with_payload(&app.pool, id, &payload, 1, now())
            .await
            .unwrap();
        match app.run_job().await {
            JobOutcome::Failed { error, state } => {
                assert_eq!(state, JobState::Failed);
                assert!(
                    error.contains("unsafe archive") && error.contains(reason),
                    "{error}"
                );
            }
            other => panic!("hostile archive {reason} was accepted: {other:?}"),
        }
        // The commit gets an error status, and the stored review is untouched.
        let last = app.statuses().last().cloned().unwrap();
        assert_eq!(
            (last.1.as_str(), last.2["state"].as_str()),
            (commit.as_str(), Some("error"))
        );
        let latest = review_repo::latest_review_view(&app.pool, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest, kept);
    }
}

// ---------------------------------------------------------------- webhooks

#[tokio::test]
async fn a_webhook_with_a_bad_or_missing_signature_is_401_and_queues_nothing() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    app.add_ok("acme/api").await;
    app.run_job().await;
    let jobs = app.jobs().await;
    let body = pull_request_body("opened", "acme/api", 7, &sha('b'), &sha('a'));
    let wrong = sign(b"not the secret", &body);
    assert_eq!(
        app.post_webhook("pull_request", "d-1", &body, Some(wrong))
            .await
            .0,
        401
    );
    assert_eq!(
        app.post_webhook("pull_request", "d-2", &body, None).await.0,
        401
    );
    // A valid signature of another body does not sign this one.
    let other = sign(SECRET.as_bytes(), b"{}");
    assert_eq!(
        app.post_webhook("pull_request", "d-3", &body, Some(other))
            .await
            .0,
        401
    );
    assert_eq!(app.jobs().await, jobs);
    assert_eq!(gh_store::count_deliveries(&app.pool).await.unwrap(), 0);
}

#[tokio::test]
async fn a_redelivery_queues_one_job() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    app.add_ok("acme/api").await;
    app.run_job().await;
    let jobs = app.jobs().await;
    let body = pull_request_body("synchronize", "acme/api", 7, &sha('b'), &sha('a'));
    let sig = sign(SECRET.as_bytes(), &body);
    let clock = Instant::now();
    let (status, first) = app
        .post_webhook("pull_request", "delivery-42", &body, Some(sig.clone()))
        .await;
    assert_eq!(status, 202, "{first}");
    assert!(
        clock.elapsed() < Duration::from_millis(500),
        "answered in {:?}",
        clock.elapsed()
    );
    assert!(first["job_id"].is_i64());
    let (status, second) = app
        .post_webhook("pull_request", "delivery-42", &body, Some(sig))
        .await;
    assert_eq!(
        (status, second["status"].as_str()),
        (202, Some("duplicate"))
    );
    assert_eq!(app.jobs().await, jobs + 1);
    let payload = gh_store::job_payload(&app.pool, first["job_id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(payload["commit"], sha('b'));
    assert_eq!(payload["base_sha"], sha('a'));
    assert_eq!(payload["pull_request"], 7);
}

#[tokio::test]
async fn ping_unknown_events_malformed_json_and_pushes() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    app.add_ok("acme/api").await;
    app.run_job().await;
    let jobs = app.jobs().await;
    let signed = |b: &[u8]| Some(sign(SECRET.as_bytes(), b));

    let ping = fixture_bytes("ping.json");
    assert_eq!(
        app.post_webhook("ping", "p-1", &ping, signed(&ping))
            .await
            .0,
        200
    );
    let star = br#"{"action":"created"}"#;
    assert_eq!(
        app.post_webhook("star", "s-1", star, signed(star)).await.0,
        202
    );
    let bad = b"{\"ref\": ";
    assert_eq!(
        app.post_webhook("push", "m-1", bad, signed(bad)).await.0,
        400
    );
    let closed = fixture_bytes("pull_request.closed.json");
    assert_eq!(
        app.post_webhook("pull_request", "c-1", &closed, signed(&closed))
            .await
            .0,
        202
    );
    // A push to another branch is ignored; to the default branch, reviewed.
    let push = |git_ref: &str, after: &str| {
        let mut v = fixture("push.json");
        v["ref"] = json!(git_ref);
        v["after"] = json!(after);
        v["deleted"] = json!(false);
        v["repository"]["full_name"] = json!("acme/api");
        v["repository"]["default_branch"] = json!("main");
        serde_json::to_vec(&v).unwrap()
    };
    let feature = push("refs/heads/feature", &sha('c'));
    assert_eq!(
        app.post_webhook("push", "u-1", &feature, signed(&feature))
            .await
            .1["job_id"],
        Value::Null
    );
    assert_eq!(app.jobs().await, jobs);
    let main = push("refs/heads/main", &sha('c'));
    let (status, reply) = app.post_webhook("push", "u-2", &main, signed(&main)).await;
    assert_eq!(status, 202);
    let job = reply["job_id"].as_i64().expect("a queued review");
    assert_eq!(
        gh_store::job_payload(&app.pool, job)
            .await
            .unwrap()
            .unwrap()["commit"],
        sha('c')
    );
    assert_eq!(app.jobs().await, jobs + 1);
    // Reviewing the pushed head records it as the branch's head (a scheduled
    // re-review of the same head is then skipped).
    app.add_tarball(&sha('c'), tarball("acme-api-ccccccc", &base_files()));
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    let project = gh_store::find_github_project(&app.pool, "acme/api")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(project.last_head_sha, Some(sha('c')));
    // A repository not in the portfolio is accepted and ignored.
    let elsewhere = pull_request_body("opened", "other/repo", 1, &sha('d'), &sha('e'));
    let (status, reply) = app
        .post_webhook("pull_request", "o-1", &elsewhere, signed(&elsewhere))
        .await;
    assert_eq!((status, reply["job_id"].clone()), (202, Value::Null));
}

#[tokio::test]
async fn a_pull_request_gets_a_status_that_links_to_its_review_page() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    let (base, bad_head, good_head) = (sha('a'), sha('b'), sha('c'));
    app.set_head("acme/api", &base, &base_files());
    // The PR's base is not reviewed yet: the PR job reviews it first.
    let id = {
        let id = match gh_store::insert_github_project(
            &app.pool,
            "acme/api",
            "main",
            "https://github.com/acme/api",
            false,
            false,
            1,
            now(),
        )
        .await
        .unwrap()
        {
            Some((id, job)) => {
                // Drop the first review job: the base must come from the PR job.
                sqlx::query("DELETE FROM jobs WHERE id = ?")
                    .bind(job)
                    .execute(&app.pool)
                    .await
                    .unwrap();
                id
            }
            None => unreachable!(),
        };
        id
    };
    // Only new high findings decide here, whatever the grade of this tiny app.
    gh_service::save_quality_gate(&app.pool, id, "F", true)
        .await
        .unwrap()
        .unwrap();
    let mut with_injection = base_files();
    with_injection.push(("src/reports.ts", INJECTION_TS));
    app.add_tarball(&bad_head, tarball("acme-api-bbbbbbb", &with_injection));

    let body = pull_request_body("opened", "acme/api", 7, &bad_head, &base);
    let (status, _) = app
        .post_webhook(
            "pull_request",
            "pr-7-1",
            &body,
            Some(sign(SECRET.as_bytes(), &body)),
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);

    let head_review = gh_store::review_at_commit(&app.pool, id, &bad_head)
        .await
        .unwrap()
        .expect("head reviewed");
    assert!(
        gh_store::review_at_commit(&app.pool, id, &base)
            .await
            .unwrap()
            .is_some(),
        "base reviewed too"
    );
    let statuses: Vec<Value> = app
        .statuses()
        .into_iter()
        .filter(|(_, s, _)| *s == bad_head)
        .map(|(_, _, v)| v)
        .collect();
    assert_eq!(statuses[0]["state"], "pending");
    let last = statuses.last().unwrap();
    assert_eq!(last["state"], "failure", "{last}");
    let description = last["description"].as_str().unwrap();
    assert!(
        description.contains(" new high · 0 fixed") && !description.contains("· 0 new high"),
        "{description}"
    );
    let target = last["target_url"].as_str().unwrap();
    assert_eq!(
        target,
        format!("{PUBLIC}/projects/{id}/reviews/{head_review}")
    );

    // The link opens that review's page, which explains the PR on its own.
    let path = target.strip_prefix(PUBLIC).unwrap();
    let (code, html) = app.get_page(path).await;
    assert_eq!(code, 200);
    assert!(
        html.contains("Pull request #7 of acme/api"),
        "{}",
        &html[..html.len().min(2000)]
    );
    assert!(html.contains("Quality gate failed"));
    assert!(html.contains("the base of pull request #7"));
    assert!(html.contains("src/reports.ts"));
    let page = gh_service::review_page(&app.pool, id, head_review)
        .await
        .unwrap()
        .unwrap();
    let cmp = page.comparison.expect("compared with the base");
    assert!(!cmp.new.is_empty() && cmp.fixed.is_empty());
    assert!(cmp.new.iter().all(|f| f.path == "src/reports.ts"));
    assert!(cmp.score_delta < 0, "{}", cmp.score_delta);

    // A second PR fixing it (head without the file, base = the bad head) passes.
    app.add_tarball(&good_head, tarball("acme-api-ccccccc", &base_files()));
    let body = pull_request_body("synchronize", "acme/api", 8, &good_head, &bad_head);
    app.post_webhook(
        "pull_request",
        "pr-8-1",
        &body,
        Some(sign(SECRET.as_bytes(), &body)),
    )
    .await;
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    let good_review = gh_store::review_at_commit(&app.pool, id, &good_head)
        .await
        .unwrap()
        .unwrap();
    let last = app.statuses().last().cloned().unwrap().2;
    assert_eq!(last["state"], "success", "{last}");
    assert!(last["description"]
        .as_str()
        .unwrap()
        .contains("· 0 new high ·"));
    assert!(!last["description"].as_str().unwrap().contains("· 0 fixed"));
    assert_eq!(
        last["target_url"],
        format!("{PUBLIC}/projects/{id}/reviews/{good_review}")
    );

    // Another project's id in the URL is not found.
    let (code, _) = app
        .get_page(&format!("/projects/{}/reviews/{good_review}", id + 1))
        .await;
    assert_ne!(code, 500);
}

#[tokio::test]
async fn the_settings_page_shows_what_is_configured_but_never_a_secret() {
    let app = spawn_app().await;
    let (code, html) = app.get_page("/settings").await;
    assert_eq!(code, 200);
    assert!(html.contains("BACKLENS_WEBHOOK_SECRET"));
    assert!(!html.contains(SECRET) && !html.contains("It&#x27;s a Secret"));
    assert!(!html.contains("ghp_test_token_never_logged"));
    assert!(html.contains("configured"));
}

// ---------------------------------------------------------------- schedule, CLI

#[tokio::test]
async fn a_scheduled_re_review_is_skipped_while_the_head_has_not_moved() {
    use backlens::server::jobs::schedule::enqueue_scheduled_reviews;
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    let id = app.add_ok("acme/api").await;
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    // Not due yet (nightly by default, counted from the project's creation).
    assert!(enqueue_scheduled_reviews(&app.pool, 1)
        .await
        .unwrap()
        .is_empty());
    let make_due = || async {
        sqlx::query("UPDATE github_repositories SET last_scheduled_at = ?")
            .bind(now() - 25 * 3600)
            .execute(&app.pool)
            .await
            .unwrap();
    };
    make_due().await;
    let jobs = enqueue_scheduled_reviews(&app.pool, 1).await.unwrap();
    assert_eq!(jobs.len(), 1);
    // Queued once: the next tick finds it active (and no longer due).
    assert!(enqueue_scheduled_reviews(&app.pool, 1)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    assert_eq!(
        review_repo::count_reviews(&app.pool, id).await.unwrap(),
        1,
        "skipped: same head"
    );
    let job = backlens::server::db::jobs::get_job(&app.pool, jobs[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.view.state, JobState::Succeeded);
    assert!(job.view.stage.unwrap_or_default().starts_with("skipped"));

    // The branch moved: the next scheduled review reviews the new head.
    app.set_head("acme/api", &sha('b'), &base_files());
    make_due().await;
    assert_eq!(
        enqueue_scheduled_reviews(&app.pool, 1).await.unwrap().len(),
        1
    );
    assert_eq!(app.run_job().await, JobOutcome::Succeeded);
    assert_eq!(review_repo::count_reviews(&app.pool, id).await.unwrap(), 2);
    assert!(gh_store::review_at_commit(&app.pool, id, &sha('b'))
        .await
        .unwrap()
        .is_some());

    // A project set to "never" is not scheduled.
    gh_service::save_review_schedule(&app.pool, id, 0)
        .await
        .unwrap()
        .unwrap();
    make_due().await;
    assert!(enqueue_scheduled_reviews(&app.pool, 1)
        .await
        .unwrap()
        .is_empty());
    assert!(gh_service::save_review_schedule(&app.pool, id, 5)
        .await
        .unwrap()
        .is_err());
}

#[tokio::test]
async fn backlens_add_registers_a_source_with_the_forms_validation() {
    let app = spawn_app().await;
    app.add_repo("acme/api", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    let run = |source: &str| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_backlens"))
            .args(["add", source])
            .env("BACKLENS_DATABASE_URL", &app.db_url)
            .env("BACKLENS_GITHUB_API_URL", &app.api_base)
            .env("BACKLENS_GITHUB_TOKEN", "ghp_cli_token_never_printed")
            .env("RUST_LOG", "debug")
            .output()
    };
    let out = run("git@github.com:acme/api.git").await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("added acme/api"), "{stdout}");
    assert!(!stdout.contains("ghp_cli_token") && !stderr.contains("ghp_cli_token"));
    assert!(gh_store::find_github_project(&app.pool, "acme/api")
        .await
        .unwrap()
        .is_some());

    for (source, message) in [
        ("acme/api", "already in the portfolio"),
        ("acme/missing", "no repository acme/missing"),
        ("/no/such/dir", "No such directory"),
    ] {
        let out = run(source).await.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{source}: {stderr}");
        assert!(stderr.contains(message), "{source}: {stderr}");
    }
}

#[tokio::test]
async fn an_owners_repositories_are_listed_for_import_and_imported() {
    use backlens::model::github::OwnerRepos;
    let app = spawn_app().await;
    let template = fixture("rest/repos-list-for-org.json")[0].clone();
    let entry = |name: &str, archived: bool, size: i64| {
        let mut r = template.clone();
        r["full_name"] = json!(name);
        r["archived"] = json!(archived);
        r["size"] = json!(size);
        r
    };
    app.fake.lock().unwrap().org_repos = vec![
        entry("acme/api", false, 10),
        entry("acme/old", true, 10),
        entry("acme/web", false, 10),
    ];
    app.add_repo("acme/api", false, 10);
    app.add_repo("acme/web", false, 10);
    app.set_head("acme/api", &sha('a'), &base_files());
    app.add_ok("acme/api").await;
    let client = app.client();
    let OwnerRepos::Listed { owner, repos } =
        gh_service::owner_repositories(&app.pool, &client, "https://github.com/acme")
            .await
            .unwrap()
    else {
        panic!("not listed");
    };
    assert_eq!(owner, "acme");
    let flags: Vec<(&str, bool, bool)> = repos
        .iter()
        .map(|r| (r.full_name.as_str(), r.archived, r.already_added))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("acme/api", false, true),
            ("acme/old", true, false),
            ("acme/web", false, false)
        ]
    );
    assert_eq!(repos[0].language.as_deref(), template["language"].as_str());

    let results = gh_service::import_repositories(&app.pool, &client, "acme/web\nacme/api\n", 1)
        .await
        .unwrap();
    assert!(
        matches!(results[0].1, AddProjectOutcome::Added { .. }),
        "{results:?}"
    );
    assert!(
        matches!(results[1].1, AddProjectOutcome::Rejected { .. }),
        "{results:?}"
    );
    assert!(matches!(
        gh_service::owner_repositories(&app.pool, &client, "not an owner")
            .await
            .unwrap(),
        OwnerRepos::Rejected { .. }
    ));
}
