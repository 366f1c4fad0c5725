//! The live feed behind `/events/jobs`: one task reads the queue's active
//! jobs twice a second while anybody is listening and hands each change to
//! every open page at once (a `watch` channel), so a hundred open dashboards
//! cost the database one small query per tick, and none when nobody looks.

use super::db::jobs::live_snapshot;
use super::now;
use crate::model::live::LiveSnapshot;
use axum::extract::Extension;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{Stream, StreamExt};
use sqlx::SqlitePool;
use std::convert::Infallible;
use std::sync::{Arc, Once};
use std::time::Duration;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;

/// How often the queue is read while a page listens.
const TICK: Duration = Duration::from_millis(500);

/// The shared feed. Cheap to clone.
#[derive(Clone)]
pub struct LiveFeed {
    pool: SqlitePool,
    sender: Arc<watch::Sender<Arc<LiveSnapshot>>>,
    reader: Arc<Once>,
}

impl LiveFeed {
    pub fn new(pool: SqlitePool) -> Self {
        let (sender, _) = watch::channel(Arc::new(LiveSnapshot::default()));
        LiveFeed {
            pool,
            sender: Arc::new(sender),
            reader: Arc::new(Once::new()),
        }
    }

    /// A receiver of snapshots; starts the reader task on first use.
    pub fn subscribe(&self) -> watch::Receiver<Arc<LiveSnapshot>> {
        let receiver = self.sender.subscribe();
        self.reader.call_once(|| {
            tokio::spawn(read_queue(self.pool.clone(), self.sender.clone()));
        });
        receiver
    }
}

/// Reads the queue every tick while someone listens; sends only changes.
async fn read_queue(pool: SqlitePool, sender: Arc<watch::Sender<Arc<LiveSnapshot>>>) {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if sender.receiver_count() == 0 {
            continue;
        }
        match live_snapshot(&pool, now()).await {
            Ok(snapshot) => {
                sender.send_if_modified(|current| {
                    // The clock alone changing is not news.
                    let changed = current.jobs != snapshot.jobs
                        || current.finished_marker != snapshot.finished_marker;
                    if changed {
                        *current = Arc::new(snapshot);
                    }
                    changed
                });
            }
            Err(e) => tracing::warn!(error = %e, "live feed cannot read the job queue"),
        }
    }
}

/// `GET /events/jobs`: server-sent events, one `jobs` event per change (the
/// first one at once), JSON [`LiveSnapshot`]; a keep-alive comment every 15 s.
pub async fn job_events(
    Extension(feed): Extension<LiveFeed>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(feed.subscribe()).filter_map(|snapshot| async move {
        // The initial value is the empty default until the first read.
        if snapshot.finished_marker.is_empty() {
            return None;
        }
        let mut fresh = (*snapshot).clone();
        fresh.now = now();
        Event::default()
            .event("jobs")
            .json_data(&fresh)
            .ok()
            .map(Ok)
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
