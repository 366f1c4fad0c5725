//! Types shared by the server and the browser: the checklist catalog, verdicts,
//! findings, scores and the DTOs the pages render. Plain serde types, no I/O.

pub mod api;
pub mod catalog;
/// GitHub side: quality gate, one review's page, settings page.
pub mod github;
pub mod live;
pub mod paging;
pub mod portfolio_query;
pub mod portfolio_trends;
pub mod quality;
pub mod review;
pub mod routes;
pub mod trends;
pub mod views;
pub mod week;
pub mod weekly;
pub mod weekly_page;

pub use catalog::{Category, CheckDef, CheckKind, CATALOG};
pub use review::{
    CategoryScore, CheckResult, Evidence, Finding, Grade, Scorecard, Severity, Verdict,
};
pub use routes::{AspectStatus, FrameworkInfo, RouteAspect, RouteInfo, RouteMap};
