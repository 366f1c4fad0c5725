//! Types shared by the server and the browser: the checklist catalog, verdicts,
//! findings, scores and the DTOs the pages render. Plain serde types, no I/O.

pub mod catalog;
pub mod quality;
pub mod review;
pub mod views;

pub use catalog::{Category, CheckDef, CheckKind, CATALOG};
pub use review::{
    CategoryScore, CheckResult, Evidence, Finding, Grade, Scorecard, Severity, Verdict,
};
