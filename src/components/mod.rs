//! View pieces shared by the pages.

mod badges;
mod job_status;
mod poll;
mod route_map;
mod score_trend;

pub use badges::{GradeBadge, ScoreBar, SeverityChip, StatusChip, VerdictChip};
pub use job_status::JobStatus;
pub use poll::use_poll;
pub use route_map::RouteMapSection;
pub use score_trend::ScoreTrend;
