//! Folding what one file contributed to the project facts into the facts of
//! the files before it. Each file is analyzed on its own (in parallel, or
//! read back from the cache) into fresh facts; folding them in walk order
//! gives the facts one sequential pass over the same files would have built.
//! Lists a rule fills only up to a cap are cut to the same cap here, so the
//! first entries in walk order win, as they do in one pass.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::Hash;

pub trait Merge {
    /// Adds `later` (what the next file contributed) to `self`.
    fn fold_in(&mut self, later: Self);
}

impl Merge for usize {
    fn fold_in(&mut self, later: Self) {
        *self += later;
    }
}

impl Merge for bool {
    fn fold_in(&mut self, later: Self) {
        *self |= later;
    }
}

impl<T> Merge for Vec<T> {
    fn fold_in(&mut self, later: Self) {
        self.extend(later);
    }
}

impl<T: Ord> Merge for BTreeSet<T> {
    fn fold_in(&mut self, later: Self) {
        self.extend(later);
    }
}

impl<T: Hash + Eq> Merge for HashSet<T> {
    fn fold_in(&mut self, later: Self) {
        self.extend(later);
    }
}

impl<K: Ord, V: Merge + Default> Merge for BTreeMap<K, V> {
    fn fold_in(&mut self, later: Self) {
        for (k, v) in later {
            self.entry(k).or_default().fold_in(v);
        }
    }
}

/// Appends `later` and keeps the first `cap` entries (a list filled with
/// `if list.len() < cap { push }`).
pub fn capped<T>(list: &mut Vec<T>, later: Vec<T>, cap: usize) {
    let room = cap.saturating_sub(list.len());
    list.extend(later.into_iter().take(room));
}

/// Adds `later` while the set holds fewer than `cap` entries (a set filled
/// with `if set.len() < cap { insert }`). Past the cap, which of one file's
/// entries are kept may differ from one pass (sorted, not text order).
pub fn capped_set<T: Ord>(set: &mut BTreeSet<T>, later: BTreeSet<T>, cap: usize) {
    for item in later {
        if set.len() >= cap {
            break;
        }
        set.insert(item);
    }
}

/// Keeps the entries already there (a map filled with `entry().or_insert`).
pub fn first_wins<K: Ord, V>(map: &mut BTreeMap<K, V>, later: BTreeMap<K, V>) {
    for (k, v) in later {
        map.entry(k).or_insert(v);
    }
}

/// `impl Merge` for a struct whose fields all merge on their own; fields
/// listed as `field: cap` are lists cut at that cap.
#[macro_export]
macro_rules! merge_fields {
    ($ty:ty { $($field:ident $(: $cap:expr)?),* $(,)? }) => {
        impl $crate::server::review::merge::Merge for $ty {
            fn fold_in(&mut self, later: Self) {
                $( $crate::merge_fields!(@one self, later, $field $(, $cap)?); )*
            }
        }
    };
    (@one $self:ident, $later:ident, $field:ident) => {
        $crate::server::review::merge::Merge::fold_in(&mut $self.$field, $later.$field)
    };
    (@one $self:ident, $later:ident, $field:ident, $cap:expr) => {
        $crate::server::review::merge::capped(&mut $self.$field, $later.$field, $cap)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_list_keeps_the_first_entries_in_order() {
        let mut list = vec![1, 2, 3];
        capped(&mut list, vec![4, 5, 6], 5);
        assert_eq!(list, [1, 2, 3, 4, 5]);
        capped(&mut list, vec![7], 5);
        assert_eq!(list, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_first_value_of_a_key_wins() {
        let mut map = BTreeMap::from([("express", 1)]);
        first_wins(&mut map, BTreeMap::from([("express", 2), ("koa", 3)]));
        assert_eq!(map, BTreeMap::from([("express", 1), ("koa", 3)]));
    }

    #[test]
    fn counts_add_and_maps_merge_per_key() {
        let mut map: BTreeMap<&str, usize> = BTreeMap::from([("Go", 1)]);
        map.fold_in(BTreeMap::from([("Go", 2), ("Rust", 1)]));
        assert_eq!(map, BTreeMap::from([("Go", 3), ("Rust", 1)]));
    }
}
