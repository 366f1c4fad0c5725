//! View pieces shared by the pages.

mod badges;
mod job_status;
mod poll;
mod quality_gate;
mod score_trend;

pub use badges::{GradeBadge, ScoreBar, SeverityChip, StatusChip, VerdictChip};
pub use job_status::JobStatus;
pub use poll::use_poll;
pub use quality_gate::QualityGateForm;
pub use score_trend::ScoreTrend;
