//! View pieces shared by the pages.

mod badges;
pub mod charts;
mod job_status;
mod live;
mod pager;
mod poll;
mod quality_gate;
mod quality_loop;
mod route_map;
mod score_trend;
mod trend_charts;

pub use badges::{GradeBadge, ScoreBar, SeverityChip, StatusChip, VerdictChip};
pub use job_status::JobStatus;
pub use live::{provide_live_jobs, use_live_jobs, use_refresh_key, LiveJobs};
pub use pager::pager;
pub use poll::use_poll;
pub use quality_gate::QualityGateForm;
pub use quality_loop::QualityLoop;
pub use route_map::RouteMapSection;
pub use score_trend::ScoreTrend;
pub use trend_charts::{PortfolioTrendCharts, ProjectTrendCharts};
