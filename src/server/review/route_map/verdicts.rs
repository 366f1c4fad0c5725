//! SEC-AUTHZ, SEC-VALIDATION and SEC-RATELIMIT, decided from the route map.

use super::super::findings::Draft;
use super::BuiltRoute;
use crate::model::{
    AspectStatus, CheckResult, Evidence, Finding, FrameworkInfo, Severity, Verdict,
};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

pub const AUTHZ_ID: &str = "SEC-AUTHZ";
pub const VALIDATION_ID: &str = "SEC-VALIDATION";
pub const RATELIMIT_ID: &str = "SEC-RATELIMIT";

/// Path segments of routes that are public by design: sign-in and sign-up,
/// password reset, OAuth callbacks, health probes, webhooks, docs.
static PUBLIC_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(login|logout|signin|sign-in|sign_in|signup|sign-up|sign_up|register|registration|auth|oauth|oauth2|callback|sso|saml|refresh|forgot|forgot-password|reset|reset-password|password-reset|verify|verify-email|confirm|activate|magic-link|health|healthz|healthcheck|ready|readyz|live|livez|ping|status|metrics|webhook|webhooks|hooks|docs|swagger|openapi|openapi\.json|redoc|favicon\.ico|robots\.txt|public|static|assets|version|csrf|csrf-token)$").unwrap()
});
/// Path segments of data worth guarding even when only read.
static SENSITIVE_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(users?|admin|accounts?|me|profile|orders?|payments?|invoices?|customers?|billing|settings|internal|exports?|reports?|audit|secrets?|api-?keys?|members?|employees?|transactions?|subscriptions?)$").unwrap()
});
static AUTH_ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(login|signin|sign-in|sign_in|signup|sign-up|sign_up|register|token|refresh|forgot|forgot-password|reset|reset-password|password-reset|password|otp|verify|magic-link|sessions?)$").unwrap()
});

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn is_public_by_design(path: &str) -> bool {
    path == "/" || segments(path).any(|s| PUBLIC_PATH.is_match(s))
}

fn is_auth_endpoint(route: &BuiltRoute) -> bool {
    route.info.method != "GET" && segments(&route.info.path).any(|s| AUTH_ENDPOINT.is_match(s))
}

fn changes_data(route: &BuiltRoute) -> bool {
    match route.info.method.as_str() {
        "POST" | "PUT" | "PATCH" | "DELETE" => true,
        "ANY" => route.writes,
        _ => false,
    }
}

fn exposes_sensitive(route: &BuiltRoute) -> bool {
    matches!(route.info.method.as_str(), "GET" | "ANY")
        && segments(&route.info.path).any(|s| SENSITIVE_PATH.is_match(s))
}

/// The guard the project uses on its other routes: name, file and line.
fn project_guard(routes: &[BuiltRoute]) -> Option<(&str, &str, u32)> {
    routes
        .iter()
        .find(|r| r.info.auth.status == AspectStatus::Yes)
        .map(|r| (r.info.auth.by.as_str(), r.info.file.as_str(), r.info.line))
}

fn authz_fix(framework: &str, guard: &str) -> String {
    if let Some(extractor) = guard.strip_suffix(" extractor") {
        return format!("Take the `{extractor}` extractor as a parameter of the handler, as the guarded routes do, or wrap its router in the authentication middleware.");
    }
    match framework {
        "Express" => format!("Add `{guard}` to the route (`router.post(path, {guard}, handler)`) or mount its router behind it (`app.use(\"/prefix\", {guard}, router)`)."),
        "Koa" => format!("Run `{guard}` before the route (`router.use({guard})` on its router or as route middleware)."),
        "Hono" => format!("Register `{guard}` for the path (`app.use(\"/prefix/*\", {guard})`) before the route, or pass it as route middleware."),
        "Fastify" => format!("Add `onRequest: [{guard}]` (or `preHandler`) to the route options, or `addHook(\"onRequest\", …)` in its plugin."),
        "NestJS" => format!("Put `@UseGuards({guard})` on the method or its controller, or register the guard as `APP_GUARD` and mark the public routes with a `@Public()` decorator."),
        "FastAPI" => format!("Add a dependency that checks the caller (`user = Depends({guard})`) to the route, or `dependencies=[Depends(...)]` on its `APIRouter`/`include_router`."),
        "Flask" => format!("Decorate the view with `@{guard}` (or check the user in a `before_request` hook of its blueprint)."),
        "Django" => format!("Decorate the view with `@{guard}` or, for Django REST framework, set `permission_classes = [IsAuthenticated]` (or a project-wide `DEFAULT_PERMISSION_CLASSES`)."),
        "Gin" | "Echo" | "Fiber" => format!("Register the route on a group that uses the auth middleware (`g := r.Group(\"/prefix\", {guard})` or `g.Use({guard})`)."),
        "net/http" => format!("Wrap the handler in the auth middleware (`mux.Handle(pattern, {guard}(handler))`)."),
        "axum" => format!("Add `.route_layer(middleware::from_fn({guard}))` to its router, or take an authenticating extractor (`user: AuthUser`) in the handler."),
        "actix-web" => format!("`.wrap({guard})` the scope it is in, or take an authenticating extractor in the handler."),
        _ => format!("Put `{guard}` in front of it."),
    }
}

fn validation_fix(framework: &str) -> &'static str {
    match framework {
        "Express" | "Koa" => "Parse it with a schema before use (`const body = CreateOrder.parse(req.body)` with zod, or a celebrate/express-validator middleware on the route) and use only the parsed value.",
        "Hono" => "Add a validator middleware to the route (`zValidator(\"json\", schema)`) and read `c.req.valid(\"json\")` instead of the raw request.",
        "Fastify" => "Declare `schema: { body, querystring, params }` on the route; Fastify validates it (Ajv) before the handler runs.",
        "NestJS" => "Type the parameter with a DTO class carrying class-validator decorators and enable `ValidationPipe` (`app.useGlobalPipes(new ValidationPipe({ whitelist: true }))`).",
        "FastAPI" => "Declare a Pydantic model parameter (`item: ItemCreate`) instead of reading the raw request; FastAPI validates it and answers 422.",
        "Flask" => "Load it through a schema (`Schema().load(request.get_json())` with marshmallow, `Model.model_validate(...)` with pydantic, or webargs `@use_args`).",
        "Django" => "Bind it to a Form or a DRF Serializer (`serializer = OrderSerializer(data=request.data)`) and use it only after `is_valid()`.",
        "Gin" => "Bind it into a struct with `binding:\"required,…\"` tags (`if err := c.ShouldBindJSON(&req); err != nil { … }`).",
        "Echo" => "Bind it into a struct and call `c.Validate(&req)` with a registered validator (go-playground/validator tags).",
        "Fiber" => "Parse it into a struct (`c.BodyParser(&req)`) and check it with go-playground/validator (`validate.Struct(req)`).",
        "net/http" => "Decode it into a struct and validate the struct (go-playground/validator `validate.Struct`, or an explicit `Validate()` method) before use.",
        "axum" => "Take a typed extractor (`Json<CreateOrder>`, `Query<Params>` with `#[derive(Deserialize)]`) instead of `Json<Value>`/`String`, and check ranges and lengths (validator crate).",
        "actix-web" => "Take a typed extractor (`web::Json<CreateOrder>` with `#[derive(Deserialize)]`) instead of raw bytes or `serde_json::Value`.",
        _ => "Validate it against a schema before use.",
    }
}

/// Finding drafts by file: unguarded routes (SEC-AUTHZ) and handlers that
/// use request input without a schema (SEC-VALIDATION).
pub fn route_findings(routes: &[BuiltRoute]) -> Vec<(String, Draft)> {
    let mut out = Vec::new();
    let guard = project_guard(routes);
    let mut seen_authz: BTreeSet<(String, u32)> = BTreeSet::new();
    for route in routes {
        let r = &route.info;
        if r.auth.status != AspectStatus::No
            || r.auth.by.starts_with("marked public")
            || is_public_by_design(&r.path)
        {
            continue;
        }
        let mutating = changes_data(route);
        // Without any guard in the project, backlens cannot tell a forgotten
        // guard from a service authenticated upstream (gateway, mesh): the
        // verdict says so instead of flagging every route.
        let Some((g, file, line)) = guard else {
            continue;
        };
        let (severity, why) = if mutating {
            (Severity::High, "it changes data")
        } else if exposes_sensitive(route) {
            (
                Severity::Medium,
                "it returns data that other routes protect",
            )
        } else {
            continue;
        };
        if !seen_authz.insert((r.file.clone(), r.line)) {
            continue;
        }
        let guard_name = g
            .split(" (")
            .next()
            .unwrap_or(g)
            .trim_end_matches(" in the handler")
            .to_string();
        let context = format!("while this project guards other routes with `{g}` ({file}:{line})");
        out.push((
            r.file.clone(),
            Draft {
                check_id: AUTHZ_ID,
                severity,
                line: r.line,
                end_line: r.line,
                message: format!(
                    "{} {} ({}) has no authentication guard, {context}: {why}, and anyone who can reach the server can call it (CWE-862). {}",
                    r.method,
                    r.path,
                    r.handler,
                    authz_fix(&r.framework, &guard_name)
                ),
                code: format!("{} {} {}", r.method, r.path, r.handler),
                secrets: Vec::new(),
            },
        ));
    }
    let mut seen_validation: BTreeSet<(String, u32)> = BTreeSet::new();
    for route in routes {
        let r = &route.info;
        if r.validation.status != AspectStatus::No {
            continue;
        }
        // Query and path parameters are listed in the route map; only
        // request bodies read without a schema are findings.
        let (Some(file), Some((what, line)), true) =
            (&route.handler_file, &route.input, route.body)
        else {
            continue;
        };
        if !seen_validation.insert((file.clone(), *line)) {
            continue;
        }
        out.push((
            file.clone(),
            Draft {
                check_id: VALIDATION_ID,
                severity: Severity::Medium,
                line: *line,
                end_line: *line,
                message: format!(
                    "{} {} ({}) uses `{what}` without a schema: unchecked input reaches the handler's logic and storage, so wrong types, missing fields and oversized values fail deep inside or are stored as-is (CWE-20). {}",
                    r.method,
                    r.path,
                    r.handler,
                    validation_fix(&r.framework)
                ),
                code: format!("{} {} {} {what}", r.method, r.path, r.handler),
                secrets: Vec::new(),
            },
        ));
    }
    out
}

fn result(id: &str, verdict: Verdict, summary: String, evidence: Vec<Evidence>) -> CheckResult {
    let def = crate::model::catalog::find_check(id).expect("check id from the catalog");
    CheckResult {
        check_id: def.id.to_string(),
        category: def.category,
        kind: def.kind,
        verdict,
        summary,
        evidence,
    }
}

fn count(
    routes: &[BuiltRoute],
    pick: impl Fn(&BuiltRoute) -> AspectStatus,
    status: AspectStatus,
) -> usize {
    routes.iter().filter(|r| pick(r) == status).count()
}

fn finding_verdict(
    id: &str,
    findings: &[Finding],
    routes: &[BuiltRoute],
    pass: String,
) -> CheckResult {
    let open: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check_id == id && f.suppressed.is_none())
        .collect();
    let suppressed = findings
        .iter()
        .filter(|f| f.check_id == id && f.suppressed.is_some())
        .count();
    if open.is_empty() {
        let mut summary = pass;
        if suppressed > 0 {
            summary.push_str(&format!(" {suppressed} finding(s) suppressed."));
        }
        return result(id, Verdict::Pass, summary, Vec::new());
    }
    let files: BTreeSet<&str> = open.iter().map(|f| f.path.as_str()).collect();
    let evidence = open
        .iter()
        .take(20)
        .map(|f| Evidence {
            path: f.path.clone(),
            line: Some(f.line),
            note: f
                .message
                .split(':')
                .next()
                .unwrap_or("")
                .chars()
                .take(100)
                .collect(),
        })
        .collect();
    let mut summary = format!(
        "{} finding{} in {} file{} over {} routes.",
        open.len(),
        if open.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        routes.len()
    );
    if suppressed > 0 {
        summary.push_str(&format!(" {suppressed} more suppressed."));
    }
    result(id, Verdict::Fail, summary, evidence)
}

/// The three verdicts. `frameworks` only words the not-applicable reasons.
pub fn evaluate_checks(
    routes: &[BuiltRoute],
    frameworks: &[FrameworkInfo],
    findings: &[Finding],
) -> Vec<CheckResult> {
    let no_routes = if frameworks.is_empty() {
        "No HTTP routes: no supported web framework (Express, Fastify, Hono, NestJS, Koa, FastAPI, Django, Flask, net/http, Gin, Echo, Fiber, axum, actix-web) was detected. Declare it with `framework = [...]` in .backlens.toml if detection missed it.".to_string()
    } else {
        let names: Vec<&str> = frameworks.iter().map(|f| f.name.as_str()).collect();
        format!(
            "No HTTP route registrations were found, although the project uses {}.",
            names.join(", ")
        )
    };
    if routes.is_empty() {
        return vec![
            result(
                AUTHZ_ID,
                Verdict::NotApplicable,
                no_routes.clone(),
                Vec::new(),
            ),
            result(
                VALIDATION_ID,
                Verdict::NotApplicable,
                no_routes.clone(),
                Vec::new(),
            ),
            result(RATELIMIT_ID, Verdict::NotApplicable, no_routes, Vec::new()),
        ];
    }
    let auth_yes = count(routes, |r| r.info.auth.status, AspectStatus::Yes);
    let auth_unknown = count(routes, |r| r.info.auth.status, AspectStatus::Unknown);
    let open_writes: Vec<&BuiltRoute> = routes
        .iter()
        .filter(|r| {
            r.info.auth.status == AspectStatus::No
                && changes_data(r)
                && !is_public_by_design(&r.info.path)
        })
        .collect();
    let authz = if auth_yes == 0 {
        let summary = format!(
            "No route of the {} has an authentication guard in the code, so backlens cannot tell a forgotten guard from a service that is authenticated in front of it (API gateway, service mesh). {} route(s) change data with no guard{}; if nothing authenticates callers before they reach this service, add authentication.",
            routes.len(),
            open_writes.len(),
            if open_writes.is_empty() { String::new() } else { format!(" (see the route map: {})", open_writes.iter().take(3).map(|r| format!("{} {}", r.info.method, r.info.path)).collect::<Vec<_>>().join(", ")) }
        );
        let evidence = open_writes
            .iter()
            .take(20)
            .map(|r| Evidence {
                path: r.info.file.clone(),
                line: Some(r.info.line),
                note: format!("{} {}: no guard", r.info.method, r.info.path),
            })
            .collect();
        result(AUTHZ_ID, Verdict::NotApplicable, summary, evidence)
    } else {
        finding_verdict(
        AUTHZ_ID,
        findings,
        routes,
        format!(
            "{} routes: {auth_yes} behind an authentication guard, {auth_unknown} undecided, the others public by design (sign-in, health, webhooks, read-only pages).",
            routes.len()
        ),
    )
    };
    let val_yes = count(routes, |r| r.info.validation.status, AspectStatus::Yes);
    let val_na = count(
        routes,
        |r| r.info.validation.status,
        AspectStatus::NotApplicable,
    );
    let params_only = routes
        .iter()
        .filter(|r| r.info.validation.status == AspectStatus::No && !r.body)
        .count();
    let mut validation = finding_verdict(
        VALIDATION_ID,
        findings,
        routes,
        format!("{} routes: {val_yes} validate their input with a schema or typed parameters, {val_na} read no request input.", routes.len()),
    );
    if params_only > 0 {
        validation.summary.push_str(&format!(
            " {params_only} route(s) read query or path parameters without a schema: they are marked in the route map, not reported as findings."
        ));
    }
    vec![authz, validation, rate_limit(routes)]
}

fn rate_limit(routes: &[BuiltRoute]) -> CheckResult {
    let limited: Vec<&BuiltRoute> = routes
        .iter()
        .filter(|r| r.info.rate_limit.status == AspectStatus::Yes)
        .collect();
    let auth_endpoints: Vec<&BuiltRoute> = routes.iter().filter(|r| is_auth_endpoint(r)).collect();
    let unprotected: Vec<&BuiltRoute> = auth_endpoints
        .iter()
        .copied()
        .filter(|r| r.info.rate_limit.status != AspectStatus::Yes)
        .collect();
    let evidence_of = |rs: &[&BuiltRoute], note: &dyn Fn(&BuiltRoute) -> String| -> Vec<Evidence> {
        rs.iter()
            .take(20)
            .map(|r| Evidence {
                path: r.info.file.clone(),
                line: Some(r.info.line),
                note: note(r),
            })
            .collect()
    };
    if limited.is_empty() {
        let shown: Vec<&BuiltRoute> = if unprotected.is_empty() {
            routes.iter().take(5).collect()
        } else {
            unprotected.clone()
        };
        let summary = if auth_endpoints.is_empty() {
            format!("None of the {} routes is rate limited: add a limiter (express-rate-limit, @nestjs/throttler, slowapi, flask-limiter, tower_governor, Gin/Echo/Fiber limiter middleware) at least in front of the routes that cost the most.", routes.len())
        } else {
            format!("None of the {} routes is rate limited, including {} sign-in/sign-up/token endpoint(s) that invite credential stuffing and brute force. Put a limiter in front of them at least.", routes.len(), auth_endpoints.len())
        };
        return result(
            RATELIMIT_ID,
            Verdict::Fail,
            summary,
            evidence_of(&shown, &|r| {
                format!("{} {}: no rate limiter", r.info.method, r.info.path)
            }),
        );
    }
    if !unprotected.is_empty() {
        let summary = format!(
            "{} of {} routes are rate limited, but not the authentication endpoint(s) {}: those are the ones attackers hammer.",
            limited.len(),
            routes.len(),
            unprotected.iter().take(4).map(|r| format!("{} {}", r.info.method, r.info.path)).collect::<Vec<_>>().join(", ")
        );
        return result(
            RATELIMIT_ID,
            Verdict::Fail,
            summary,
            evidence_of(&unprotected, &|r| {
                format!("{} {}: no rate limiter", r.info.method, r.info.path)
            }),
        );
    }
    let limiters: BTreeSet<&str> = limited
        .iter()
        .map(|r| r.info.rate_limit.by.as_str())
        .collect();
    let summary = format!(
        "{} of {} routes are rate limited ({}){}.",
        limited.len(),
        routes.len(),
        limiters
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        if auth_endpoints.is_empty() {
            String::new()
        } else {
            ", authentication endpoints included".to_string()
        }
    );
    let mut evidence: Vec<&BuiltRoute> = Vec::new();
    for l in &limiters {
        if let Some(r) = limited.iter().find(|r| r.info.rate_limit.by == *l) {
            evidence.push(r);
        }
    }
    result(
        RATELIMIT_ID,
        Verdict::Pass,
        summary,
        evidence_of(&evidence, &|r| {
            format!(
                "{} {}: {}",
                r.info.method, r.info.path, r.info.rate_limit.by
            )
        }),
    )
}
