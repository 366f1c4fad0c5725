//! What the live feed (`/events/jobs`, server-sent events) tells the pages:
//! every queued or running job with its progress, and a marker that changes
//! whenever a job ends, so pages refetch their data exactly then.

use serde::{Deserialize, Serialize};

/// A queued or running job, as the progress bars show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveJob {
    pub id: i64,
    pub project_id: i64,
    /// `review` or `quality`.
    pub kind: String,
    /// `queued` or `running`.
    pub state: String,
    pub stage: Option<String>,
    pub files_done: Option<i64>,
    pub files_total: Option<i64>,
    pub started_at: Option<i64>,
}

/// One message of the live feed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSnapshot {
    /// The server's clock (unix seconds), for elapsed times without clock skew.
    pub now: i64,
    pub jobs: Vec<LiveJob>,
    /// Changes whenever a job ends (succeeds, fails, is cancelled or retried).
    pub finished_marker: String,
}
