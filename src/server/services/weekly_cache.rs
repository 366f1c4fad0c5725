//! Weekly reports kept in memory. The report of an ISO week that has ended
//! changes only when something is written for it (a late review, `demo-data`),
//! which moves the database's data version (`db::data_version`); so it is
//! kept per database file and week until the version moves. The current
//! week's report also depends on the clock and is kept at most
//! [`CURRENT_WEEK_TTL`]. The page, its exports, the server function and the
//! JSON API all read through here.
//!
//! The caches are process-wide, keyed by the database's file, so every
//! server (and every test's temporary database) has its own entries without
//! state to thread through; in-memory databases are never cached (one name,
//! many databases).

use super::weekly::{weekly_report, WeeklyError};
use crate::model::week::IsoWeek;
use crate::model::weekly::WeeklyReport;
use crate::server::cache::VersionedCache;
use crate::server::db::data_version::data_version;
use sqlx::SqlitePool;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How long the current week's report is reused while nothing was written.
pub const CURRENT_WEEK_TTL: Duration = Duration::from_secs(10);
const MAX_REPORTS: usize = 32;
/// A 500-project report is well under a megabyte in memory.
const MAX_BYTES: usize = 32 * 1024 * 1024;

type Key = (String, IsoWeek);

fn past_weeks() -> &'static VersionedCache<Key, WeeklyReport> {
    static CACHE: OnceLock<VersionedCache<Key, WeeklyReport>> = OnceLock::new();
    CACHE.get_or_init(|| VersionedCache::new(MAX_REPORTS, MAX_BYTES, None))
}

fn current_week() -> &'static VersionedCache<Key, WeeklyReport> {
    static CACHE: OnceLock<VersionedCache<Key, WeeklyReport>> = OnceLock::new();
    CACHE.get_or_init(|| VersionedCache::new(4, MAX_BYTES, Some(CURRENT_WEEK_TTL)))
}

/// The database file of `pool`; `None` for in-memory databases.
fn database_file(pool: &SqlitePool) -> Option<String> {
    let name = pool
        .connect_options()
        .get_filename()
        .to_string_lossy()
        .to_string();
    (!name.is_empty() && name != ":memory:" && !name.contains("mode=memory")).then_some(name)
}

/// A rough size of a report in memory, for the cache's byte budget.
fn approx_bytes(r: &WeeklyReport) -> usize {
    r.projects.len() * 400
        + (r.regressions.len() + r.improvements.len() + r.stale_projects.len()) * 400
        + r.new_severe_findings.len() * 300
        + r.expiring_suppressions.len() * 300
        + 1024
}

/// [`weekly_report`] through the cache.
pub async fn cached_weekly_report(
    pool: &SqlitePool,
    week: IsoWeek,
    now: i64,
) -> Result<Arc<WeeklyReport>, WeeklyError> {
    let Some(file) = database_file(pool) else {
        return weekly_report(pool, week, now).await.map(Arc::new);
    };
    let cache = if week < IsoWeek::of_unix(now) {
        past_weeks()
    } else {
        current_week()
    };
    // Read before the report: a write meanwhile leaves the entry outdated.
    let version = data_version(pool).await.map_err(WeeklyError::from)?;
    let key = (file, week);
    if let Some(r) = cache.get(&key, version) {
        return Ok(r);
    }
    let report = weekly_report(pool, week, now).await?;
    let bytes = approx_bytes(&report);
    Ok(cache.put(key, version, bytes, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::demo_data::{fill, DemoDataOptions};

    #[tokio::test]
    async fn a_past_week_is_reused_until_a_review_is_stored() {
        let (_dir, pool) = crate::server::db::migrated_pool().await;
        let now = crate::server::now();
        let mut opts = DemoDataOptions {
            projects: 6,
            weeks: 5,
            seed: 3,
            now,
        };
        fill(&pool, &opts).await.unwrap();
        let last_week = IsoWeek::of_unix(now).previous();
        let a = cached_weekly_report(&pool, last_week, now).await.unwrap();
        let b = cached_weekly_report(&pool, last_week, now).await.unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the second read is the cached report");
        // More history written (another seed adds projects reviewed in that week).
        opts.seed = 4;
        fill(&pool, &opts).await.unwrap();
        let c = cached_weekly_report(&pool, last_week, now).await.unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(
            c.projects.len() > a.projects.len(),
            "{} then {}",
            a.projects.len(),
            c.projects.len()
        );
        assert_eq!(*c, weekly_report(&pool, last_week, now).await.unwrap());
    }
}
