//! OBS-HEALTH: health and readiness endpoints among the app's routes.

use super::checks::{list_some, plural, result, MAX_EVIDENCE};
use super::facts::ProjectFacts;
use super::routes::is_health_route;
use crate::model::{CheckResult, Evidence, Verdict};

pub const CHECK_ID: &str = "OBS-HEALTH";

pub fn check(facts: &ProjectFacts) -> CheckResult {
    if facts.routes.is_empty() {
        return result(
            CHECK_ID,
            Verdict::NotApplicable,
            "No HTTP route registrations found (looked for app/router .get/.post/... calls, @app.get/@router.route decorators, NestJS @Get, Django path(), Go HandleFunc/GET/Get, axum/actix .route() and #[get]); this does not look like an HTTP server.".to_string(),
            Vec::new(),
        );
    }
    let health: Vec<_> = facts
        .routes
        .iter()
        .filter(|r| is_health_route(&r.route))
        .collect();
    if !health.is_empty() {
        let names: Vec<String> = health.iter().map(|r| r.route.clone()).collect();
        return result(
            CHECK_ID,
            Verdict::Pass,
            format!(
                "Health/readiness endpoint{} found: {}.",
                plural(health.len()),
                list_some(&names, 4)
            ),
            health
                .iter()
                .take(MAX_EVIDENCE)
                .map(|r| Evidence {
                    path: r.file.clone(),
                    line: Some(r.line),
                    note: format!("health route `{}`", r.route),
                })
                .collect(),
        );
    }
    let mut files: Vec<String> = facts.routes.iter().map(|r| r.file.clone()).collect();
    files.dedup();
    result(
        CHECK_ID,
        Verdict::Fail,
        format!(
            "{} HTTP route{} registered (in {}) but none is a health or readiness endpoint: looked for /health, /healthz, /livez, /readyz, /ready, /ping or /status, also under a prefix such as /api/health. Orchestrators and load balancers need one to know when to restart or route around an instance.",
            facts.routes.len(),
            plural(facts.routes.len()),
            list_some(&files, 3)
        ),
        facts
            .routes
            .iter()
            .take(MAX_EVIDENCE)
            .map(|r| Evidence {
                path: r.file.clone(),
                line: Some(r.line),
                note: format!("route `{}`", r.route),
            })
            .collect(),
    )
}
