//! Integration tests of the JSON API under /api/v1: every route with good
//! and bad input, the one error format, and the OpenAPI document.

#![cfg(feature = "ssr")]

mod common;

use backlens::model::week::IsoWeek;
use backlens::server::demo_data::{fill, DemoDataOptions};
use backlens::server::{api_v1, now, state::AppState};
use serde_json::Value;

struct Api {
    state: AppState,
    _dir: tempfile::TempDir,
}

/// A fresh database with 10 synthetic projects × 8 weeks of history.
async fn spawn_api() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let pool = common::database(dir.path()).await;
    fill(
        &pool,
        &DemoDataOptions {
            projects: 10,
            weeks: 8,
            seed: 3,
            now: now(),
        },
    )
    .await
    .unwrap();
    Api {
        state: common::http::app_state(&pool, dir.path()),
        _dir: dir,
    }
}

impl Api {
    async fn call(&self, method: &str, uri: &str) -> (u16, Value) {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let answer = common::http::send(&self.state, request).await;
        let (status, content_type) = (answer.status, answer.header("content-type"));
        let body = answer.body;
        assert!(
            content_type.starts_with("application/json"),
            "{method} {uri}: {status} with content type {content_type:?}: {}",
            String::from_utf8_lossy(&body)
        );
        (status, serde_json::from_slice(&body).unwrap())
    }

    async fn ok(&self, uri: &str) -> Value {
        let (status, body) = self.call("GET", uri).await;
        assert_eq!(status, 200, "GET {uri}: {body}");
        body
    }

    /// Asserts the API's one error format with this status; returns the message.
    async fn error(&self, uri: &str, status: u16) -> String {
        self.error_for("GET", uri, status).await
    }

    async fn error_for(&self, method: &str, uri: &str, status: u16) -> String {
        let (got, body) = self.call(method, uri).await;
        assert_eq!(got, status, "{method} {uri}: {body}");
        let e = &body["error"];
        assert_eq!(e["status"], status, "{body}");
        let code = e["code"].as_str().unwrap();
        let expected = match status {
            400 => "bad_request",
            404 => "not_found",
            405 => "method_not_allowed",
            _ => "internal",
        };
        assert_eq!(code, expected, "{body}");
        let message = e["message"].as_str().unwrap().to_string();
        assert!(!message.is_empty());
        message
    }
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn projects_list_filters_sorts_and_pages() {
    let api = spawn_api().await;
    let all = api.ok("/api/v1/projects").await;
    assert_eq!(all["total"], 10);
    let mut sorted = names(&all);
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names(&all), sorted, "by name by default");

    let grade = all["items"][0]["grade"].as_str().unwrap().to_string();
    let same = api.ok(&format!("/api/v1/projects?grade={grade}")).await;
    assert!(same["total"].as_i64().unwrap() >= 1);
    assert!(same["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["grade"] == grade.as_str()));

    let found = api.ok("/api/v1/projects?q=BILLING").await;
    assert_eq!(names(&found), vec!["billing-api".to_string()]);

    let by_score = api.ok("/api/v1/projects?sort=score&order=desc").await;
    let scores: Vec<i64> = by_score["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["score"].as_i64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let page = api.ok("/api/v1/projects?limit=3&offset=3").await;
    assert_eq!(page["total"], 10);
    assert_eq!(names(&page), names(&all)[3..6].to_vec());

    let stale = api.ok("/api/v1/projects?stale=true").await["total"]
        .as_i64()
        .unwrap();
    let fresh = api.ok("/api/v1/projects?stale=false").await["total"]
        .as_i64()
        .unwrap();
    assert_eq!(stale + fresh, 10);

    for bad in [
        "/api/v1/projects?grade=Z",
        "/api/v1/projects?limit=0",
        "/api/v1/projects?limit=501",
        "/api/v1/projects?limit=abc",
        "/api/v1/projects?offset=-1",
        "/api/v1/projects?sort=size",
        "/api/v1/projects?stale=maybe",
        "/api/v1/projects?colour=red",
    ] {
        api.error(bad, 400).await;
    }
    let long = "x".repeat(201);
    api.error(&format!("/api/v1/projects?q={long}"), 400).await;
    let msg = api.error("/api/v1/projects?limit=0", 400).await;
    assert!(msg.contains("limit"), "{msg}");
    let msg = api.error("/api/v1/projects?colour=red", 400).await;
    assert!(msg.contains("colour"), "{msg}");
}

#[tokio::test]
async fn one_project_and_its_reviews() {
    let api = spawn_api().await;
    let p = api.ok("/api/v1/projects/1").await;
    assert_eq!(p["project"]["id"], 1);
    assert!(p["latest_review"]["score"].is_i64());
    assert!(!p["categories"].as_array().unwrap().is_empty());
    let count = p["reviews"].as_i64().unwrap();

    let reviews = api.ok("/api/v1/projects/1/reviews").await;
    assert_eq!(reviews["total"], count);
    let times: Vec<i64> = reviews["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["finished_at"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(reviews["items"][0]["id"], p["latest_review"]["id"]);
    let two = api.ok("/api/v1/projects/1/reviews?limit=2&offset=1").await;
    assert_eq!(two["items"].as_array().unwrap().len(), 2);
    assert_eq!(two["items"][0]["id"], reviews["items"][1]["id"]);

    for (uri, status) in [
        ("/api/v1/projects/999", 404),
        ("/api/v1/projects/abc", 400),
        ("/api/v1/projects/0", 400),
        ("/api/v1/projects/-4", 400),
        ("/api/v1/projects/99999999999999999999", 400),
        ("/api/v1/projects/1?x=1", 400),
        ("/api/v1/projects/999/reviews", 404),
        ("/api/v1/projects/x/reviews", 400),
        ("/api/v1/projects/1/reviews?limit=-1", 400),
        ("/api/v1/projects/1/reviews?offset=x", 400),
    ] {
        api.error(uri, status).await;
    }
}

#[tokio::test]
async fn one_review_and_its_findings_with_filters() {
    let api = spawn_api().await;
    let latest = api.ok("/api/v1/projects/1").await["latest_review"]["id"]
        .as_i64()
        .unwrap();
    let review = api.ok(&format!("/api/v1/reviews/{latest}")).await;
    assert_eq!(review["project_id"], 1);
    assert_eq!(review["review"]["id"], latest);
    let stored = review["review"]["findings"].as_array().unwrap().len() as i64;
    assert!(!review["review"]["checks"].as_array().unwrap().is_empty());

    let all = api
        .ok(&format!("/api/v1/reviews/{latest}/findings?limit=500"))
        .await;
    assert_eq!(all["total"], stored);
    let count = |v: &Value| v["items"].as_array().unwrap().len() as i64;
    assert_eq!(count(&all), stored);

    let mut by_status = 0;
    for status in ["new", "unchanged", "suppressed"] {
        let page = api
            .ok(&format!(
                "/api/v1/reviews/{latest}/findings?status={status}&limit=500"
            ))
            .await;
        for f in page["items"].as_array().unwrap() {
            match status {
                "suppressed" => assert!(f["suppressed"].is_string()),
                s => {
                    assert!(f["suppressed"].is_null());
                    assert_eq!(f["status"], s);
                }
            }
        }
        by_status += page["total"].as_i64().unwrap();
    }
    assert_eq!(by_status, stored, "the statuses partition the findings");

    let mut by_severity = 0;
    for severity in ["critical", "high", "medium", "low"] {
        let page = api
            .ok(&format!(
                "/api/v1/reviews/{latest}/findings?severity={severity}&limit=500"
            ))
            .await;
        assert!(page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == severity));
        by_severity += page["total"].as_i64().unwrap();
    }
    assert_eq!(by_severity, stored);
    let sec = api
        .ok(&format!(
            "/api/v1/reviews/{latest}/findings?category=SEC&limit=500"
        ))
        .await;
    assert!(sec["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["check_id"].as_str().unwrap().starts_with("SEC-")));
    let one = api
        .ok(&format!("/api/v1/reviews/{latest}/findings?limit=1"))
        .await;
    assert!(count(&one) <= 1);

    for (uri, status) in [
        ("/api/v1/reviews/999999".to_string(), 404),
        ("/api/v1/reviews/nope".to_string(), 400),
        ("/api/v1/reviews/999999/findings".to_string(), 404),
        ("/api/v1/reviews/1.5/findings".to_string(), 400),
        (
            format!("/api/v1/reviews/{latest}/findings?severity=urgent"),
            400,
        ),
        (
            format!("/api/v1/reviews/{latest}/findings?category=sec"),
            400,
        ),
        (
            format!("/api/v1/reviews/{latest}/findings?status=fixed"),
            400,
        ),
        (format!("/api/v1/reviews/{latest}/findings?limit=1000"), 400),
    ] {
        api.error(&uri, status).await;
    }
}

#[tokio::test]
async fn trends_and_portfolio_summary() {
    let api = spawn_api().await;
    let t = api.ok("/api/v1/projects/2/trends?weeks=8").await;
    assert_eq!(t["project_id"], 2);
    assert_eq!(t["findings_per_week"].as_array().unwrap().len(), 8);
    let points = t["points"].as_array().unwrap();
    assert!(!points.is_empty());
    assert!(points
        .iter()
        .all(|p| p["duration_ms"].as_i64().unwrap() > 0));
    assert_eq!(t["to_week"], IsoWeek::of_unix(now()).to_string());
    let default = api.ok("/api/v1/projects/2/trends").await;
    assert_eq!(default["findings_per_week"].as_array().unwrap().len(), 52);

    let s = api.ok("/api/v1/portfolio/summary").await;
    assert_eq!(s["summary"]["projects"], 10);
    let graded: i64 = s["summary"]["by_grade"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["projects"].as_i64().unwrap())
        .sum();
    assert_eq!(graded + s["summary"]["not_reviewed"].as_i64().unwrap(), 10);
    assert!(!s["sparklines"].as_array().unwrap().is_empty());

    for (uri, status) in [
        ("/api/v1/projects/2/trends?weeks=0", 400),
        ("/api/v1/projects/2/trends?weeks=521", 400),
        ("/api/v1/projects/2/trends?weeks=many", 400),
        ("/api/v1/projects/404/trends", 404),
        ("/api/v1/projects/two/trends", 400),
        ("/api/v1/portfolio/summary?weeks=3", 400),
    ] {
        api.error(uri, status).await;
    }
}

#[tokio::test]
async fn weekly_summary_of_a_week() {
    let api = spawn_api().await;
    let current = IsoWeek::of_unix(now());
    let w = api.ok("/api/v1/weekly/current").await;
    assert_eq!(w["week"], current.to_string());
    assert!(w["next_week"].is_null(), "nothing after the current week");
    assert_eq!(w["projects"].as_array().unwrap().len(), 10);
    let last = api
        .ok(&format!("/api/v1/weekly/{}", current.previous()))
        .await;
    assert_eq!(last["week"], current.previous().to_string());
    assert_eq!(last["next_week"], current.to_string());
    assert!(last["reviews_this_week"].as_i64().unwrap() > 0);

    let msg = api.error("/api/v1/weekly/2026-W99", 400).await;
    assert!(msg.contains("no week 99"), "{msg}");
    api.error("/api/v1/weekly/banana", 400).await;
    api.error(&format!("/api/v1/weekly/{}", current.next().next()), 404)
        .await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_format() {
    let api = spawn_api().await;
    api.error("/api/v1/nope", 404).await;
    api.error("/api/v1/projects/1/nope", 404).await;
    api.error("/api/v1", 404).await;
    api.error_for("POST", "/api/v1/projects", 405).await;
    api.error_for("DELETE", "/api/v1/projects/1", 405).await;
}

/// Every route the API serves is in the OpenAPI document and every path of
/// the document is served (a documented path answers something other than
/// "no such route").
#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let api = spawn_api().await;
    let served = api.ok("/api/v1/openapi.json").await;
    assert!(served["openapi"].as_str().unwrap().starts_with("3."));
    let doc = serde_json::to_value(api_v1::openapi()).unwrap();
    assert_eq!(served["paths"], doc["paths"]);
    let mut paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        vec![
            "/api/v1/portfolio/summary",
            "/api/v1/projects",
            "/api/v1/projects/{id}",
            "/api/v1/projects/{id}/reviews",
            "/api/v1/projects/{id}/trends",
            "/api/v1/reviews/{id}",
            "/api/v1/reviews/{id}/findings",
            "/api/v1/weekly/{week}",
        ]
    );
    let latest = api.ok("/api/v1/projects/1").await["latest_review"]["id"]
        .as_i64()
        .unwrap();
    for path in paths {
        let uri = if path.starts_with("/api/v1/reviews") {
            path.replace("{id}", &latest.to_string())
        } else {
            path.replace("{id}", "1").replace("{week}", "current")
        };
        let body = api.ok(&uri).await;
        assert!(body.get("error").is_none(), "{uri}: {body}");
        let item = &doc["paths"][path]["get"];
        assert!(
            item["responses"]["200"].is_object(),
            "{path} documents its 200"
        );
        assert!(
            item["responses"]["400"].is_object(),
            "{path} documents its 400"
        );
    }
    for schema in [
        "ProjectList",
        "ReviewView",
        "FindingView",
        "ProjectTrends",
        "WeeklyReport",
        "ApiErrorBody",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
}
