//! API-OPENAPI (practice): an OpenAPI/Swagger description, written
//! (`openapi.yaml`, `swagger.json`) or generated (FastAPI, django-ninja,
//! @nestjs/swagger, swagger-jsdoc, @fastify/swagger, drf-spectacular, drf-yasg,
//! flask-smorest, flasgger, apispec, swaggo, utoipa, aide, poem-openapi...).

use super::checks::result;
use super::facts::ProjectFacts;
use super::file_kinds::file_name;
use super::sec_api::{describe_evidence, practice_from_signals, Scope, Signal};
use crate::model::{CheckResult, Evidence, Verdict};

pub const CHECK_ID: &str = "API-OPENAPI";
const KIND: &str = "openapi";

const fn s(pattern: &'static str, note: &'static str, scope: Scope) -> Signal {
    Signal {
        kind: KIND,
        pattern,
        note,
        scope,
    }
}

pub const SIGNALS: &[Signal] = &[
    s(
        r#"["'](?:@nestjs/swagger|swagger-jsdoc|swagger-ui-express|@fastify/swagger|@hono/zod-openapi|@hono/swagger-ui|tsoa|express-openapi-validator|express-openapi|@asteasolutions/zod-to-openapi)["']"#,
        "OpenAPI generator",
        Scope::CodeAndManifests,
    ),
    s(
        r"(?i)\b(?:drf[-_]spectacular|drf[-_]yasg|flask[-_]smorest|flasgger|apispec|spectree|flask[-_]openapi3|django[-_]ninja)\b",
        "OpenAPI generator",
        Scope::CodeAndManifests,
    ),
    s(
        r"\bFastAPI\(",
        "FastAPI (serves a generated /openapi.json)",
        Scope::Code,
    ),
    s(
        r"\bNinjaAPI\(",
        "django-ninja (generated OpenAPI)",
        Scope::Code,
    ),
    s(
        r"swaggo/swag|^\s*//\s*@(?:Router|Summary)\s",
        "swaggo annotations",
        Scope::CodeAndManifests,
    ),
    s(
        r"oapi-codegen|ogen-go/ogen|goa\.design/goa",
        "OpenAPI code generation",
        Scope::CodeAndManifests,
    ),
    s(
        r#"^\s*(?:utoipa|aide|paperclip|rocket_okapi|poem-openapi|okapi|apistos)\s*="|\butoipa::|#\[derive\([^)]*OpenApi"#,
        "OpenAPI crate",
        Scope::CodeAndManifests,
    ),
    Signal {
        kind: "openapi-disabled",
        pattern: r"openapi_url\s*=\s*None",
        note: "openapi_url=None",
        scope: Scope::Code,
    },
    s(
        r#"^\s*["']?(?:openapi|swagger)["']?\s*:\s*["']?[23]\."#,
        "OpenAPI document",
        Scope::Any,
    ),
];

/// Files named like an OpenAPI description.
fn is_spec_file(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .or_else(|| name.strip_suffix(".json"));
    stem.is_some_and(|s| {
        s == "openapi"
            || s == "swagger"
            || s.ends_with(".openapi")
            || s.ends_with("-openapi")
            || s == "api-docs"
    })
}

pub fn check(facts: &ProjectFacts) -> CheckResult {
    let specs: Vec<Evidence> = facts
        .all_paths
        .iter()
        .filter(|p| is_spec_file(p))
        .take(5)
        .map(|p| Evidence {
            path: p.clone(),
            line: None,
            note: "OpenAPI/Swagger file".to_string(),
        })
        .collect();
    if !specs.is_empty() {
        let summary = format!(
            "An OpenAPI description is committed: {}.",
            describe_evidence(&specs)
        );
        return result(CHECK_ID, Verdict::Pass, summary, specs);
    }
    // FastAPI with `openapi_url=None` switches the generated document off.
    let disabled = facts
        .sec_api
        .signals_of("openapi-disabled")
        .first()
        .cloned();
    let mut checked = practice_from_signals(
        CHECK_ID,
        facts,
        &[KIND],
        |ev| {
            format!(
                "The API is described by OpenAPI: {}.",
                describe_evidence(ev)
            )
        },
        || {
            "No OpenAPI/Swagger description: no openapi.yaml/swagger.json in the repository and no generator (FastAPI, django-ninja, @nestjs/swagger, swagger-jsdoc, @fastify/swagger, drf-spectacular, flask-smorest, swaggo, utoipa...). Clients and reviewers have to read the code to learn the API; generate the description from the route definitions and publish it.".to_string()
        },
    );
    if let (Some(off), Verdict::Pass) = (disabled, checked.verdict) {
        if checked
            .evidence
            .iter()
            .all(|e| e.note.starts_with("FastAPI"))
        {
            checked.verdict = Verdict::Fail;
            checked.summary = format!(
                "FastAPI's generated OpenAPI document is switched off (`openapi_url=None` in {}:{}) and no other description exists.",
                off.path,
                off.line.unwrap_or(0)
            );
            checked.evidence = vec![off];
        }
    }
    checked
}
