//! GitHub App authentication and check runs against a fake GitHub (an axum
//! app per test, like tests/github.rs): the fake verifies the App JWT's RS256
//! signature with the public half of a key generated here by `openssl`,
//! checks its claims, hands out installation tokens with an `expires_at`,
//! refuses repository requests without a valid one, and records check runs.

#![cfg(feature = "ssr")]

mod common;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use backlens::server::db::github as gh_store;
use backlens::server::github::app::REFRESH_BEFORE_SECS;
use backlens::server::github::check_run::{iso8601, MAX_SUMMARY_CHARS};
use backlens::server::github::client::GitHubClient;
use backlens::server::github::settings::GitHubSettings;
use backlens::server::github::{GitHubApi, RepoName};
use backlens::server::jobs::{run_next_job, JobOutcome, WorkerConfig};
use backlens::server::now;
use backlens::server::services::github as gh_service;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::fake_github::{self, sha, tarball};
use serde_json::{json, Value};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

const APP_ID: u64 = 4242;
const PUBLIC: &str = "https://backlens.example.com";

// ---------------------------------------------------------------- fake GitHub

#[derive(Default)]
struct Fake {
    base: String,
    /// PKCS#1 DER of the App's public key.
    public_key: Vec<u8>,
    heads: HashMap<String, String>,
    tarballs: HashMap<String, Vec<u8>>,
    /// Lifetime of the installation tokens handed out.
    token_ttl: i64,
    /// Tokens handed out: token → expires_at.
    issued: HashMap<String, i64>,
    /// Claims of every verified JWT.
    jwt_claims: Vec<Value>,
    /// Requests refused for bad credentials (path).
    refused: Vec<String>,
    check_runs_created: Vec<Value>,
    /// (check run id, body)
    check_run_patches: Vec<(u64, Value)>,
    statuses: Vec<Value>,
}

type Shared = fake_github::Shared<Fake>;

fn unauthorized(f: &mut Fake, path: &str, why: &str) -> Response {
    f.refused.push(path.to_string());
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"message": why})),
    )
        .into_response()
}

/// Verifies an RS256 JWT with the App's public key; its claims.
fn verify_jwt(public_key: &[u8], jwt: &str) -> Result<Value, String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return Err("not a JWT".into());
    }
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(parts[0])
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    if header["alg"] != "RS256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(parts[2])
        .map_err(|e| e.to_string())?;
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        public_key,
    )
    .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
    .map_err(|_| "bad signature".to_string())?;
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(parts[1])
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let (iat, exp) = (
        claims["iat"].as_i64().ok_or("no iat")?,
        claims["exp"].as_i64().ok_or("no exp")?,
    );
    if claims["iss"] != json!(APP_ID.to_string()) {
        return Err(format!("iss {}", claims["iss"]));
    }
    if exp - iat > 600 || exp <= now() || iat > now() {
        return Err(format!("iat {iat} exp {exp} now {}", now()));
    }
    Ok(claims)
}

async fn fake_handler(
    State(fake): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let mut f = fake.lock().unwrap();
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string();
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let app_endpoint = matches!(
        (method.as_str(), seg.as_slice()),
        ("GET", ["repos", _, _, "installation"])
            | ("POST", ["app", "installations", _, "access_tokens"])
    );
    if app_endpoint {
        match verify_jwt(&f.public_key, &bearer) {
            Ok(claims) => f.jwt_claims.push(claims),
            Err(e) => return unauthorized(&mut f, &path, &format!("bad JWT: {e}")),
        }
    } else if seg.first() == Some(&"repos") {
        let valid = f.issued.get(&bearer).is_some_and(|exp| *exp > now());
        if !valid {
            return unauthorized(&mut f, &path, "Bad credentials");
        }
    }
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match (method.as_str(), seg.as_slice()) {
        ("GET", ["repos", "acme", "api", "installation"]) => {
            axum::Json(json!({"id": 77, "app_id": APP_ID, "account": {"login": "acme"}}))
                .into_response()
        }
        ("GET", ["repos", _, _, "installation"]) => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"message": "Not Found"})),
        )
            .into_response(),
        ("POST", ["app", "installations", "77", "access_tokens"]) => {
            let token = format!("ghs_fake{}", f.issued.len() + 1);
            let expires_at = now() + f.token_ttl;
            f.issued.insert(token.clone(), expires_at);
            (
                StatusCode::CREATED,
                axum::Json(json!({
                    "token": token,
                    "expires_at": iso8601(expires_at),
                    "permissions": {"checks": "write", "contents": "read"},
                    "repository_selection": "selected"
                })),
            )
                .into_response()
        }
        ("GET", ["repos", o, r]) => axum::Json(json!({
            "full_name": format!("{o}/{r}"), "default_branch": "main",
            "html_url": format!("https://github.com/{o}/{r}"), "private": true,
            "archived": false, "size": 10
        }))
        .into_response(),
        ("GET", ["repos", o, r, "branches", b]) => match f.heads.get(&format!("{o}/{r}/{b}")) {
            Some(sha) => axum::Json(json!({"name": b, "commit": {"sha": sha}})).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        ("GET", ["repos", _, _, "tarball", sha]) => match f.tarballs.get(*sha) {
            Some(bytes) => Response::builder()
                .status(200)
                .header("content-type", "application/x-gzip")
                .body(Body::from(bytes.clone()))
                .unwrap(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        ("POST", ["repos", _, _, "check-runs"]) => {
            f.check_runs_created.push(sent.clone());
            let id = 9000 + f.check_runs_created.len() as u64;
            let mut answer = sent;
            answer["id"] = json!(id);
            answer["url"] = json!(format!("{}{path}/{id}", f.base));
            (StatusCode::CREATED, axum::Json(answer)).into_response()
        }
        ("PATCH", ["repos", _, _, "check-runs", id]) => {
            let id: u64 = id.parse().unwrap();
            f.check_run_patches.push((id, sent.clone()));
            let mut answer = sent;
            answer["id"] = json!(id);
            axum::Json(answer).into_response()
        }
        ("POST", ["repos", _, _, "statuses", _]) => {
            f.statuses.push(sent);
            StatusCode::CREATED.into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start_fake(public_key: Vec<u8>) -> (Shared, String) {
    fake_github::start(
        |base| Fake {
            base,
            public_key,
            token_ttl: 3600,
            ..Fake::default()
        },
        fake_handler,
    )
    .await
}

// ---------------------------------------------------------------- keys, tarballs

/// A fresh 2048-bit RSA key in PKCS#1 PEM (as GitHub hands out App keys) and
/// its public half as PKCS#1 DER.
fn generate_key(dir: &Path) -> (std::path::PathBuf, Vec<u8>) {
    let pem = dir.join("app.pem");
    let out = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&pem)
        .arg("2048")
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = Command::new("openssl")
        .args(["rsa", "-RSAPublicKey_out", "-outform", "DER", "-in"])
        .arg(&pem)
        .output()
        .unwrap();
    assert!(public.status.success());
    assert!(std::fs::read_to_string(&pem)
        .unwrap()
        .contains("BEGIN RSA PRIVATE KEY"));
    (pem, public.stdout)
}

fn clean_files() -> Vec<(&'static str, String)> {
    vec![
        (
            "package.json",
            "{\"name\": \"api\", \"dependencies\": {\"express\": \"^4.19.0\"}}".into(),
        ),
        ("README.md", "# api\n".into()),
    ]
}

/// The clean files plus 120 committed AWS key ids: 120 SEC-SECRET findings.
fn files_with_120_secrets() -> Vec<(&'static str, String)> {
    let keys: String = (0..120)
        .map(|i| {
            let id = format!("{i:016}").replace('0', "Q");
            format!("const k{i} = \"AKIA{id}\";\n")
        })
        .collect();
    let mut files = clean_files();
    files.push(("src/keys.ts", keys));
    files
}

// ---------------------------------------------------------------- app

struct TestApp {
    pool: SqlitePool,
    dir: tempfile::TempDir,
    fake: Shared,
    settings: GitHubSettings,
    config: WorkerConfig,
    project_id: i64,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (pem, public_key) = generate_key(dir.path());
    let pool = common::database(dir.path()).await;
    let (fake, base) = start_fake(public_key).await;
    let mut settings = GitHubSettings::with_api_url(&base);
    settings.github_app_id = Some(APP_ID);
    settings.github_app_private_key_file = Some(pem);
    settings.public_url = Some(PUBLIC.to_string());
    let config = WorkerConfig {
        github: settings.clone(),
        ..common::worker_config()
    };
    let (project_id, first_job) = gh_store::insert_github_project(
        &pool,
        "acme/api",
        "main",
        "https://github.com/acme/api",
        true,
        false,
        1,
        now(),
    )
    .await
    .unwrap()
    .expect("a new project");
    sqlx::query("DELETE FROM jobs WHERE id = ?")
        .bind(first_job)
        .execute(&pool)
        .await
        .unwrap();
    // Only new high or critical findings decide, whatever the grade.
    gh_service::save_quality_gate(&pool, project_id, "F", true)
        .await
        .unwrap()
        .unwrap();
    TestApp {
        pool,
        dir,
        fake,
        settings,
        config,
        project_id,
    }
}

impl TestApp {
    fn add_commit(&self, sha: &str, files: &[(&str, String)]) {
        self.fake.lock().unwrap().tarballs.insert(
            sha.to_string(),
            tarball(&format!("acme-api-{}", &sha[..7]), files),
        );
    }

    /// Queues a pull request's review (as the webhook does) and runs it.
    async fn review_pr(&self, number: i64, head: &str, base: &str) -> JobOutcome {
        let payload = json!({
            "commit": head, "base_sha": base, "pull_request": number,
            "trigger": format!("pull request #{number}")
        });
        gh_store::enqueue_review_with_payload(&self.pool, self.project_id, &payload, 1, now())
            .await
            .unwrap();
        let (_, outcome) = run_next_job(&self.pool, &self.config)
            .await
            .unwrap()
            .expect("a job ran");
        outcome
    }

    fn with<T>(&self, f: impl FnOnce(&Fake) -> T) -> T {
        f(&self.fake.lock().unwrap())
    }

    fn client(&self) -> GitHubClient {
        GitHubClient::new(&self.settings, self.pool.clone()).unwrap()
    }
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn a_pull_request_gets_one_check_run_completed_with_the_gate_and_review_link() {
    let app = spawn_app().await;
    let (base, head) = (sha('a'), sha('b'));
    app.add_commit(&base, &clean_files());
    app.add_commit(&head, &clean_files());
    assert_eq!(app.review_pr(3, &head, &base).await, JobOutcome::Succeeded);

    let review = gh_store::review_at_commit(&app.pool, app.project_id, &head)
        .await
        .unwrap()
        .expect("head reviewed");
    let expected_url = format!("{PUBLIC}/projects/{}/reviews/{review}", app.project_id);
    app.with(|f| {
        assert!(f.refused.is_empty(), "refused: {:?}", f.refused);
        assert!(f.statuses.is_empty(), "no commit statuses with an App");
        assert_eq!(f.check_runs_created.len(), 1, "{:?}", f.check_runs_created);
        let created = &f.check_runs_created[0];
        assert_eq!(created["name"], "backlens");
        assert_eq!(created["head_sha"], json!(head));
        assert_eq!(created["status"], "in_progress");
        assert_eq!(f.check_run_patches.len(), 1);
        let (id, done) = &f.check_run_patches[0];
        assert_eq!(*id, 9001);
        assert_eq!(done["status"], "completed");
        assert_eq!(done["conclusion"], "success");
        assert_eq!(done["details_url"], json!(expected_url));
        assert!(!done["output"]["title"].as_str().unwrap().is_empty());
        assert!(done["output"]["summary"]
            .as_str()
            .unwrap()
            .contains("No open findings"));
        // JWT claims as GitHub requires them.
        assert!(!f.jwt_claims.is_empty());
        for c in &f.jwt_claims {
            let (iat, exp) = (c["iat"].as_i64().unwrap(), c["exp"].as_i64().unwrap());
            assert!(exp - iat <= 600);
            assert!(iat <= now() - 59, "iat is backdated");
        }
    });
    // The outcome is on record like a status, linked to the same page.
    let recorded: (String, Option<String>) =
        sqlx::query_as("SELECT state, target_url FROM github_statuses WHERE review_id = ?")
            .bind(review)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(recorded, ("success".to_string(), Some(expected_url)));
}

#[tokio::test]
async fn a_review_with_120_findings_fails_and_sends_annotations_50_50_20() {
    let app = spawn_app().await;
    let (base, head) = (sha('c'), sha('d'));
    app.add_commit(&base, &clean_files());
    app.add_commit(&head, &files_with_120_secrets());
    assert_eq!(app.review_pr(9, &head, &base).await, JobOutcome::Succeeded);

    app.with(|f| {
        assert_eq!(f.check_runs_created.len(), 1);
        let sizes: Vec<usize> = f
            .check_run_patches
            .iter()
            .map(|(_, b)| b["output"]["annotations"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, vec![50, 50, 20]);
        assert!(f.check_run_patches.iter().all(|(id, _)| *id == 9001));
        let first = &f.check_run_patches[0].1;
        assert_eq!(first["conclusion"], "failure");
        assert_eq!(first["status"], "completed");
        assert!(f.check_run_patches[1..]
            .iter()
            .all(|(_, b)| b.get("conclusion").is_none()));
        let mut lines = Vec::new();
        for (_, b) in &f.check_run_patches {
            let summary = b["output"]["summary"].as_str().unwrap();
            assert!(summary.chars().count() <= MAX_SUMMARY_CHARS);
            assert!(summary.contains("120 open findings"), "{summary:.200}");
            for a in b["output"]["annotations"].as_array().unwrap() {
                assert_eq!(a["path"], "src/keys.ts");
                assert_eq!(a["title"], "SEC-SECRET");
                assert_eq!(a["annotation_level"], "failure");
                assert!(a["message"].as_str().unwrap().contains("AWS"));
                assert_eq!(a["start_line"], a["end_line"]);
                lines.push(a["start_line"].as_u64().unwrap());
            }
        }
        lines.sort();
        assert_eq!(lines, (1..=120).collect::<Vec<u64>>());
    });
}

#[tokio::test]
async fn the_installation_token_is_reused_while_valid_and_refreshed_near_expiry() {
    let app = spawn_app().await;
    let repo = RepoName {
        owner: "acme".into(),
        repo: "api".into(),
    };
    let client = app.client();
    client.repository(&repo).await.unwrap();
    client.repository(&repo).await.unwrap();
    // Another client of the same process shares the in-memory token.
    app.client().repository(&repo).await.unwrap();
    assert_eq!(
        app.with(|f| f.issued.len()),
        1,
        "one token for three requests"
    );

    // A token that expires just outside the refresh window is still used...
    let other = RepoName {
        owner: "acme".into(),
        repo: "API".into(),
    };
    app.fake.lock().unwrap().token_ttl = REFRESH_BEFORE_SECS + 3;
    backlens::server::github::app::forget_token(app.settings.api_url(), APP_ID, "acme/api");
    client.repository(&other).await.unwrap();
    client.repository(&other).await.unwrap();
    assert_eq!(app.with(|f| f.issued.len()), 2);
    // ...and replaced once it is within REFRESH_BEFORE_SECS of expiring.
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    client.repository(&other).await.unwrap();
    assert_eq!(app.with(|f| f.issued.len()), 3);
    app.with(|f| assert!(f.refused.is_empty(), "{:?}", f.refused));

    // /settings says App auth works and until when, never the token.
    let page = gh_service::settings_page(&app.pool, &app.settings)
        .await
        .unwrap();
    let printed = serde_json::to_string(&page).unwrap();
    assert!(!printed.contains("ghs_fake"), "{printed}");
    let app_row = page
        .settings
        .iter()
        .find(|s| s.variable == "BACKLENS_GITHUB_APP_ID")
        .unwrap();
    assert_eq!(app_row.value.as_deref(), Some("4242"));
    assert!(
        app_row.meaning.contains("is working") && app_row.meaning.contains("acme/api until"),
        "{}",
        app_row.meaning
    );
}

#[tokio::test]
async fn a_repository_without_the_app_installed_fails_the_job_in_words() {
    let app = spawn_app().await;
    gh_store::insert_github_project(
        &app.pool,
        "acme/other",
        "main",
        "https://github.com/acme/other",
        true,
        false,
        1,
        now(),
    )
    .await
    .unwrap()
    .expect("added");
    let (_, outcome) = run_next_job(&app.pool, &app.config)
        .await
        .unwrap()
        .expect("a job ran");
    match outcome {
        JobOutcome::Failed { error, .. } => {
            assert!(error.contains("install the GitHub App"), "{error}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_bad_key_file_is_a_clear_error_not_a_panic() {
    let app = spawn_app().await;
    let bad = app.dir.path().join("bad.pem");
    std::fs::write(&bad, "this is not a key\n").unwrap();
    let mut settings = app.settings.clone();
    settings.github_app_private_key_file = Some(bad.clone());
    let error = match GitHubClient::new(&settings, app.pool.clone()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a bad key must be refused"),
    };
    assert!(
        error.contains("BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE") && error.contains("not a PEM file"),
        "{error}"
    );
    settings.github_app_private_key_file = Some(app.dir.path().join("missing.pem"));
    let error = backlens::server::github::app::load(&settings).unwrap_err();
    assert!(error.contains("cannot read"), "{error}");
    settings.github_app_private_key_file = None;
    let error = backlens::server::github::app::load(&settings).unwrap_err();
    assert!(
        error.contains("BACKLENS_GITHUB_APP_PRIVATE_KEY_FILE is not"),
        "{error}"
    );

    settings.github_app_private_key_file = Some(bad);
    let page = gh_service::settings_page(&app.pool, &settings)
        .await
        .unwrap();
    let row = page
        .settings
        .iter()
        .find(|s| s.variable == "BACKLENS_GITHUB_APP_ID")
        .unwrap();
    assert!(row.meaning.contains("NOT working"), "{}", row.meaning);

    // A job run with the bad key fails with the reason.
    let mut config = app.config.clone();
    config.github = settings;
    let (_, outcome) = {
        let payload = json!({"commit": sha('e'), "trigger": "manual"});
        gh_store::enqueue_review_with_payload(&app.pool, app.project_id, &payload, 1, now())
            .await
            .unwrap();
        run_next_job(&app.pool, &config).await.unwrap().unwrap()
    };
    match outcome {
        JobOutcome::Failed { error, .. } => assert!(error.contains("not a PEM file"), "{error}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(app.client().uses_check_runs());
    app.with(|f| assert!(f.check_runs_created.is_empty() && f.statuses.is_empty()));
}
