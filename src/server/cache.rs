//! A small in-memory cache whose entries are valid for one data version
//! (`db::data_version`): an entry made at version v is served only while the
//! database is still at v, so a write (in this process or another) is seen by
//! the next request. Bounded by entry count and bytes; the oldest entries go
//! first. An optional time-to-live bounds what depends on the clock rather
//! than on the data ("reviewed 3 minutes ago", the current week).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Entry<V> {
    version: i64,
    made: Instant,
    bytes: usize,
    value: Arc<V>,
}

struct Inner<K, V> {
    entries: HashMap<K, Entry<V>>,
    /// Insertion order, for eviction (a key may appear once per insert).
    order: VecDeque<K>,
    bytes: usize,
}

/// A bounded, data-versioned cache. Cloning shares it.
pub struct VersionedCache<K, V> {
    inner: Arc<Mutex<Inner<K, V>>>,
    max_entries: usize,
    max_bytes: usize,
    ttl: Option<Duration>,
}

impl<K, V> Clone for VersionedCache<K, V> {
    fn clone(&self) -> Self {
        VersionedCache {
            inner: self.inner.clone(),
            max_entries: self.max_entries,
            max_bytes: self.max_bytes,
            ttl: self.ttl,
        }
    }
}

impl<K: Hash + Eq + Clone, V> VersionedCache<K, V> {
    pub fn new(max_entries: usize, max_bytes: usize, ttl: Option<Duration>) -> Self {
        VersionedCache {
            inner: Arc::new(Mutex::new(Inner {
                entries: HashMap::new(),
                order: VecDeque::new(),
                bytes: 0,
            })),
            max_entries: max_entries.max(1),
            max_bytes,
            ttl,
        }
    }

    /// The value stored for `key` at exactly `version` and not older than the
    /// time-to-live. A stale entry is dropped.
    pub fn get(&self, key: &K, version: i64) -> Option<Arc<V>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = match inner.entries.get(key) {
            None => return None,
            Some(e) => e.version == version && self.ttl.is_none_or(|ttl| e.made.elapsed() < ttl),
        };
        if fresh {
            return inner.entries.get(key).map(|e| e.value.clone());
        }
        if let Some(old) = inner.entries.remove(key) {
            inner.bytes -= old.bytes;
        }
        None
    }

    /// Stores `value` (about `bytes` big) as made at `version` — the version
    /// read *before* the data was. Values bigger than the whole budget are
    /// not stored.
    pub fn put(&self, key: K, version: i64, bytes: usize, value: V) -> Arc<V> {
        let value = Arc::new(value);
        if bytes > self.max_bytes {
            return value;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = inner.entries.remove(&key) {
            inner.bytes -= old.bytes;
        }
        while inner.entries.len() >= self.max_entries || inner.bytes + bytes > self.max_bytes {
            let Some(k) = inner.order.pop_front() else {
                break;
            };
            if let Some(old) = inner.entries.remove(&k) {
                inner.bytes -= old.bytes;
            }
        }
        inner.order.push_back(key.clone());
        // Keys re-inserted leave duplicates in `order`; keep it bounded.
        if inner.order.len() > self.max_entries * 4 {
            let Inner { entries, order, .. } = &mut *inner;
            let mut seen = std::collections::HashSet::new();
            let kept: VecDeque<K> = order
                .iter()
                .rev()
                .filter(|k| entries.contains_key(*k) && seen.insert((*k).clone()))
                .cloned()
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            *order = kept;
        }
        inner.bytes += bytes;
        inner.entries.insert(
            key,
            Entry {
                version,
                made: Instant::now(),
                bytes,
                value: value.clone(),
            },
        );
        value
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_only_its_own_version() {
        let c: VersionedCache<&str, String> = VersionedCache::new(10, 1000, None);
        c.put("a", 1, 1, "one".into());
        assert_eq!(c.get(&"a", 1).as_deref().map(String::as_str), Some("one"));
        assert!(c.get(&"a", 2).is_none(), "a write happened since");
        assert!(c.get(&"a", 1).is_none(), "the stale entry was dropped");
        assert!(c.get(&"b", 1).is_none());
    }

    #[test]
    fn bounded_by_entries_and_bytes_oldest_first() {
        let c: VersionedCache<i32, ()> = VersionedCache::new(3, 100, None);
        for k in 0..5 {
            c.put(k, 1, 10, ());
        }
        assert_eq!(c.len(), 3);
        assert!(c.get(&0, 1).is_none() && c.get(&1, 1).is_none());
        assert!(c.get(&4, 1).is_some());
        c.put(9, 1, 95, ());
        assert_eq!(c.len(), 1, "bytes made room");
        c.put(10, 1, 1000, ());
        assert!(c.get(&10, 1).is_none(), "too big to keep");
        // Re-inserting one key many times keeps the order list bounded.
        for _ in 0..100 {
            c.put(1, 1, 1, ());
        }
        assert!(c.inner.lock().unwrap().order.len() <= 12);
    }

    #[test]
    fn the_time_to_live_expires_entries() {
        let c: VersionedCache<i32, ()> = VersionedCache::new(3, 100, Some(Duration::ZERO));
        c.put(1, 1, 1, ());
        assert!(c.get(&1, 1).is_none());
    }
}
