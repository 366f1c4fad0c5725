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

impl LiveJob {
    /// Percent done, when the total is known.
    pub fn percent(&self) -> Option<i64> {
        match (self.files_done, self.files_total) {
            (Some(done), Some(total)) if total > 0 => Some((done * 100 / total).clamp(0, 100)),
            _ => None,
        }
    }
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

impl LiveSnapshot {
    /// The active job of a project, running ones first.
    pub fn job_of(&self, project_id: i64) -> Option<&LiveJob> {
        let mut mine: Vec<&LiveJob> = self
            .jobs
            .iter()
            .filter(|j| j.project_id == project_id)
            .collect();
        mine.sort_by_key(|j| (j.state != "running", j.id));
        mine.first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, project_id: i64, state: &str) -> LiveJob {
        LiveJob {
            id,
            project_id,
            kind: "review".into(),
            state: state.into(),
            stage: None,
            files_done: Some(3),
            files_total: Some(4),
            started_at: None,
        }
    }

    #[test]
    fn a_projects_running_job_comes_before_its_queued_one() {
        let snap = LiveSnapshot {
            now: 0,
            jobs: vec![
                job(1, 7, "queued"),
                job(2, 7, "running"),
                job(3, 8, "queued"),
            ],
            finished_marker: String::new(),
        };
        assert_eq!(snap.job_of(7).map(|j| j.id), Some(2));
        assert_eq!(snap.job_of(8).map(|j| j.id), Some(3));
        assert!(snap.job_of(9).is_none());
        assert_eq!(snap.jobs[0].percent(), Some(75));
    }
}
