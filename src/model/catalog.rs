//! The backend review checklist (`CHECKLIST.md`): stable ids, categories, kinds and CWEs.

use serde::{Deserialize, Serialize};

/// A checklist category. Serialized as its short id (`SEC`, `API`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Category {
    #[serde(rename = "SEC")]
    Sec,
    #[serde(rename = "API")]
    Api,
    #[serde(rename = "ARCH")]
    Arch,
    #[serde(rename = "DATA")]
    Data,
    #[serde(rename = "OBS")]
    Obs,
    #[serde(rename = "TEST")]
    Test,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Sec,
        Category::Api,
        Category::Arch,
        Category::Data,
        Category::Obs,
        Category::Test,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Sec => "SEC",
            Category::Api => "API",
            Category::Arch => "ARCH",
            Category::Data => "DATA",
            Category::Obs => "OBS",
            Category::Test => "TEST",
        }
    }

    pub fn parse(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Sec => "Security",
            Category::Api => "API design",
            Category::Arch => "Architecture",
            Category::Data => "Data",
            Category::Obs => "Observability",
            Category::Test => "Testing and types",
        }
    }
}

/// What kind of verdict a check gives (see CHECKLIST.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum CheckKind {
    /// A bad pattern at a place in the code; zero or many per project.
    Finding,
    /// A good practice the project as a whole shows or lacks.
    Practice,
    /// The project's own lint, type-check and tests, run for real.
    Loop,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Finding => "finding",
            CheckKind::Practice => "practice",
            CheckKind::Loop => "loop",
        }
    }

    pub fn parse(s: &str) -> Option<CheckKind> {
        match s {
            "finding" => Some(CheckKind::Finding),
            "practice" => Some(CheckKind::Practice),
            "loop" => Some(CheckKind::Loop),
            _ => None,
        }
    }
}

/// One entry of the checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckDef {
    pub id: &'static str,
    pub category: Category,
    pub kind: CheckKind,
    pub title: &'static str,
    pub cwe: &'static [u32],
}

const fn def(
    id: &'static str,
    category: Category,
    kind: CheckKind,
    title: &'static str,
    cwe: &'static [u32],
) -> CheckDef {
    CheckDef {
        id,
        category,
        kind,
        title,
        cwe,
    }
}

use Category::*;
use CheckKind::{Finding as F, Loop as L, Practice as P};

/// Every check of CHECKLIST.md, in its order.
pub const CATALOG: &[CheckDef] = &[
    def(
        "SEC-SQLI",
        Sec,
        F,
        "SQL built from strings instead of parameters",
        &[89],
    ),
    def("SEC-SECRET", Sec, F, "Secrets committed to source", &[798]),
    def(
        "SEC-PASSWORD",
        Sec,
        F,
        "Passwords stored in plain text or with a fast hash",
        &[916],
    ),
    def(
        "SEC-JWT",
        Sec,
        F,
        "JWT accepted without verification",
        &[347],
    ),
    def(
        "SEC-AUTHZ",
        Sec,
        F,
        "Routes without authentication or authorization",
        &[862],
    ),
    def(
        "SEC-VALIDATION",
        Sec,
        F,
        "Request input used without a schema",
        &[20],
    ),
    def(
        "SEC-ERRLEAK",
        Sec,
        F,
        "Internal errors sent to the client",
        &[209],
    ),
    def(
        "SEC-CORS",
        Sec,
        F,
        "CORS open to any origin with credentials",
        &[942],
    ),
    def(
        "SEC-INJECTION",
        Sec,
        F,
        "Shell commands or paths built from request input",
        &[78, 22],
    ),
    def(
        "SEC-TLS",
        Sec,
        F,
        "TLS verification disabled or plain http",
        &[295],
    ),
    def("SEC-HEADERS", Sec, P, "Security headers middleware", &[693]),
    def(
        "SEC-RATELIMIT",
        Sec,
        P,
        "Rate limiting on authentication endpoints",
        &[770],
    ),
    def(
        "SEC-ENVSECRETS",
        Sec,
        P,
        "Configuration and secrets from the environment",
        &[798],
    ),
    def(
        "API-ERRORS",
        Api,
        P,
        "One central error handler and format",
        &[],
    ),
    def(
        "API-STATUS",
        Api,
        F,
        "Status codes that contradict the outcome",
        &[],
    ),
    def("API-OPENAPI", Api, P, "An OpenAPI description", &[]),
    def("API-VERSIONING", Api, P, "A versioning strategy", &[]),
    def("API-PAGINATION", Api, F, "Unbounded list endpoints", &[]),
    def(
        "API-IDEMPOTENCY",
        Api,
        P,
        "Idempotency keys on creating endpoints",
        &[],
    ),
    def(
        "ARCH-LAYERS",
        Arch,
        F,
        "Business logic or SQL inside route handlers",
        &[],
    ),
    def(
        "ARCH-BLOCKING",
        Arch,
        F,
        "Blocking calls on an async path",
        &[],
    ),
    def("ARCH-GIANT", Arch, F, "Giant controllers or handlers", &[]),
    def(
        "ARCH-DI",
        Arch,
        P,
        "Dependencies passed in, not imported globals",
        &[],
    ),
    def(
        "DATA-MIGRATIONS",
        Data,
        P,
        "Versioned database migrations",
        &[],
    ),
    def(
        "DATA-NPLUS1",
        Data,
        F,
        "Queries issued inside loops over query results",
        &[],
    ),
    def(
        "DATA-FKINDEX",
        Data,
        F,
        "Foreign keys without an index",
        &[],
    ),
    def(
        "DATA-TX",
        Data,
        F,
        "Dependent writes outside a transaction",
        &[],
    ),
    def("OBS-LOGGING", Obs, P, "Structured logging", &[]),
    def(
        "OBS-LOGSECRETS",
        Obs,
        F,
        "Secrets or request bodies written to logs",
        &[],
    ),
    def("OBS-METRICS", Obs, P, "Prometheus-compatible metrics", &[]),
    def("OBS-TRACING", Obs, P, "Distributed tracing", &[]),
    def("OBS-HEALTH", Obs, P, "Health and readiness endpoints", &[]),
    def("OBS-SHUTDOWN", Obs, P, "Graceful shutdown on SIGTERM", &[]),
    def(
        "TEST-PRESENT",
        Test,
        P,
        "Tests exist and cover critical paths",
        &[],
    ),
    def("TEST-CI", Test, P, "CI runs the tests", &[]),
    def("TEST-TYPES", Test, P, "Types enforced", &[]),
    def("LOOP-LINT", Test, L, "The project's linter passes", &[]),
    def(
        "LOOP-TYPECHECK",
        Test,
        L,
        "The project's type-check passes",
        &[],
    ),
    def(
        "LOOP-TESTS",
        Test,
        L,
        "The project's test suite passes",
        &[],
    ),
];

/// Looks a check up by its id.
pub fn find_check(id: &str) -> Option<&'static CheckDef> {
    CATALOG.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_ids_are_unique_and_prefixed_by_their_category() {
        let mut seen = std::collections::HashSet::new();
        for c in CATALOG {
            assert!(seen.insert(c.id), "duplicate id {}", c.id);
            let prefix = c.id.split('-').next().unwrap();
            let expected = if prefix == "LOOP" { "TEST" } else { prefix };
            assert_eq!(c.category.id(), expected, "{}", c.id);
        }
        assert_eq!(CATALOG.len(), 39);
    }
}
