//! API-ERRORS (practice): one central error handler and one error format.
//! Express error middleware `(err, req, res, next)`, Fastify
//! `setErrorHandler`, Hono `onError`, a Koa `try { await next() } catch`
//! middleware, NestJS exception filters or its built-in `HttpException`
//! handling; FastAPI `exception_handler` (or its built-in `HTTPException`
//! handler), Flask `errorhandler`, Django `handler500`/DRF `EXCEPTION_HANDLER`;
//! Echo `HTTPErrorHandler`, Fiber `ErrorHandler`, Gin error middleware, a Go
//! function that writes every error response; axum `impl IntoResponse for
//! AppError`, actix `impl ResponseError for`.

use super::facts::ProjectFacts;
use super::sec_api::{describe_evidence, practice_from_signals, Scope, Signal};
use crate::model::CheckResult;

pub const CHECK_ID: &str = "API-ERRORS";
const KIND: &str = "error-handler";

const fn s(pattern: &'static str, note: &'static str) -> Signal {
    Signal {
        kind: KIND,
        pattern,
        note,
        scope: Scope::Code,
    }
}

pub const SIGNALS: &[Signal] = &[
    s(
        r"\(\s*(?:err|error|e|ex|exception)\s*(?::\s*[\w.<>|\s]+)?,\s*_?(?:req|request)\w*\s*(?::\s*[\w.<>]+)?,\s*_?(?:res|response|reply)\w*\s*(?::\s*[\w.<>]+)?,\s*_?next\w*",
        "Express error middleware (err, req, res, next)",
    ),
    s(r"\.setErrorHandler\(", "Fastify setErrorHandler"),
    s(r"\.onError\(", "Hono onError handler"),
    s(
        r"try\s*\{\s*await\s+next\(\)",
        "Koa error-handling middleware",
    ),
    s(
        r"@Catch\(|useGlobalFilters\(|\bAPP_FILTER\b",
        "NestJS exception filter",
    ),
    s(
        r"\bthrow new (?:HttpException|NotFoundException|BadRequestException|UnauthorizedException|ForbiddenException|ConflictException)\(",
        "NestJS built-in exception layer (HttpException)",
    ),
    s(
        r"\.exception_handler\(|\.add_exception_handler\(",
        "FastAPI exception handler",
    ),
    s(
        r"\braise HTTPException\(",
        "FastAPI HTTPException handler (one {\"detail\": …} format)",
    ),
    s(
        r"\.errorhandler\(|\.register_error_handler\(",
        "Flask error handler",
    ),
    s(
        r"^\s*handler(?:500|404|400)\s*=|['\x22]EXCEPTION_HANDLER['\x22]|def process_exception\(",
        "Django error handler",
    ),
    s(
        r"\bHTTPErrorHandler\s*=|\bErrorHandler:\s",
        "central error handler (Echo/Fiber)",
    ),
    s(r"gin\.CustomRecovery|\bc\.Errors\b", "Gin error middleware"),
    s(
        r"^func\s+(?:\([^)]*\)\s*)?\w*(?:[Ee]rror|[Ff]ail|[Pp]roblem)\w*\s*\(\s*w\s+http\.ResponseWriter",
        "one function writes error responses",
    ),
    s(
        r"impl\s+(?:axum::response::)?IntoResponse\s+for\s+\w*(?:Error|Err|Problem)\b",
        "axum error type (IntoResponse)",
    ),
    s(
        r"impl\s+(?:actix_web::)?(?:error::)?ResponseError\s+for\s",
        "actix-web ResponseError",
    ),
];

pub fn check(facts: &ProjectFacts) -> CheckResult {
    practice_from_signals(
        CHECK_ID,
        facts,
        &[KIND],
        |ev| {
            format!(
                "Errors go through a central handler: {}.",
                describe_evidence(ev)
            )
        },
        || {
            "No central error handler: no Express error middleware (err, req, res, next), Fastify setErrorHandler, Hono onError, NestJS exception filter, FastAPI/Flask exception handler, Django handler500, Echo/Fiber error handler or axum/actix error type. Each handler answers errors its own way (or the framework's default HTML page leaks through); add one handler that maps errors to one JSON format.".to_string()
        },
    )
}
