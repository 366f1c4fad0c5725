//! The route map of a reviewed project: the web frameworks it uses and every
//! HTTP route it registers, with whether the route is authenticated,
//! validates its input and is rate limited.

use serde::{Deserialize, Serialize};

/// A web framework the project uses, and what showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkInfo {
    /// Display name: "Express", "FastAPI", "Gin", "axum"…
    pub name: String,
    /// "TypeScript/JavaScript", "Python", "Go" or "Rust".
    pub language: String,
    /// The manifest, import or `.backlens.toml` line that showed it.
    pub path: String,
    pub line: Option<u32>,
    /// "dependency in package.json", "import", "declared in .backlens.toml".
    pub source: String,
}

/// Whether a route has a property: yes, no, cannot tell, or does not apply
/// (a route that reads no request input needs no schema).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AspectStatus {
    Yes,
    No,
    Unknown,
    NotApplicable,
}

impl AspectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AspectStatus::Yes => "yes",
            AspectStatus::No => "no",
            AspectStatus::Unknown => "unknown",
            AspectStatus::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<AspectStatus> {
        match s {
            "yes" => Some(AspectStatus::Yes),
            "no" => Some(AspectStatus::No),
            "unknown" => Some(AspectStatus::Unknown),
            "not_applicable" => Some(AspectStatus::NotApplicable),
            _ => None,
        }
    }
}

/// One property of a route (authenticated, validated, rate limited) and the
/// guard, schema or limiter that decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteAspect {
    pub status: AspectStatus,
    /// What decided it, in the project's terms: "requireAuth middleware",
    /// "Depends(get_current_user)", "Json<CreateOrder>", "no input read".
    pub by: String,
}

impl RouteAspect {
    pub fn new(status: AspectStatus, by: impl Into<String>) -> Self {
        RouteAspect {
            status,
            by: by.into(),
        }
    }
}

/// One HTTP route of the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteInfo {
    /// Upper-case method ("GET", "POST"…) or "ANY".
    pub method: String,
    /// The full path, router and mount prefixes joined ("/api/orders/:id").
    pub path: String,
    /// The handler's name as written ("createOrder", "OrdersController.create",
    /// "inline handler").
    pub handler: String,
    /// Where the route is registered (relative path, 1-based line).
    pub file: String,
    pub line: u32,
    /// The framework that serves it (display name).
    pub framework: String,
    /// Middleware, guards, decorators and dependencies that apply, outermost first.
    pub middleware: Vec<String>,
    pub auth: RouteAspect,
    pub validation: RouteAspect,
    pub rate_limit: RouteAspect,
}

/// The route map of one review.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteMap {
    pub frameworks: Vec<FrameworkInfo>,
    pub routes: Vec<RouteInfo>,
}
