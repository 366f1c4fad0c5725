//! SEC-HEADERS (CWE-693, practice): a security-headers middleware (helmet,
//! @fastify/helmet, koa-helmet, Hono secureHeaders, flask-talisman, Django's
//! SecurityMiddleware, the `secure` package, unrolled/secure, gin-contrib/secure,
//! Echo's Secure middleware, Fiber's helmet, tower-http/actix headers) or code
//! that sets the headers itself.

use super::facts::ProjectFacts;
use super::sec_api::{describe_evidence, practice_from_signals, Scope, Signal};
use crate::model::CheckResult;

pub const CHECK_ID: &str = "SEC-HEADERS";
const KIND: &str = "headers";

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
        r#"["'](?:@fastify/|koa-|fastify-)?helmet["']"#,
        "helmet",
        Scope::CodeAndManifests,
    ),
    s(
        r"\bsecureHeaders\(",
        "Hono secureHeaders middleware",
        Scope::Code,
    ),
    s(
        r"(?i)flask[-_]talisman|\bTalisman\(",
        "flask-talisman",
        Scope::CodeAndManifests,
    ),
    s(
        r"django\.middleware\.security\.SecurityMiddleware",
        "Django SecurityMiddleware",
        Scope::Code,
    ),
    s(
        r"^\s*(?:from secure import|import secure\b)|\bsecure\.Secure\(",
        "the secure package",
        Scope::Code,
    ),
    s(
        r"unrolled/secure|gin-contrib/secure",
        "secure headers middleware",
        Scope::CodeAndManifests,
    ),
    s(
        r"\bmiddleware\.Secure(?:WithConfig)?\(",
        "Echo Secure middleware",
        Scope::Code,
    ),
    s(
        r"fiber/v\d/middleware/helmet|\bhelmet\.New\(",
        "Fiber helmet middleware",
        Scope::Code,
    ),
    s(
        r#"(?i)["'](?:x-content-type-options|strict-transport-security|content-security-policy|x-frame-options)["']|\b(?:X_CONTENT_TYPE_OPTIONS|STRICT_TRANSPORT_SECURITY|CONTENT_SECURITY_POLICY|X_FRAME_OPTIONS)\b"#,
        "sets security headers itself",
        Scope::Code,
    ),
];

pub fn check(facts: &ProjectFacts) -> CheckResult {
    practice_from_signals(
        CHECK_ID,
        facts,
        &[KIND],
        |ev| format!("Security headers are set: {}.", describe_evidence(ev)),
        || {
            "No security headers middleware (helmet, @fastify/helmet, Hono secureHeaders, flask-talisman, Django SecurityMiddleware, secure, unrolled/secure, Echo Secure, Fiber helmet, tower-http SetResponseHeaderLayer) and no code that sets X-Content-Type-Options, Strict-Transport-Security, Content-Security-Policy or X-Frame-Options: responses go out without the headers that stop MIME sniffing, clickjacking and downgrade attacks (CWE-693). Add the framework's security-headers middleware where the app is created.".to_string()
        },
    )
}
