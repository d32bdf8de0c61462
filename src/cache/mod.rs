//! Bounded caches with a time to live per entry, over the `lru` crate, with statistics.
//!
//! Time is injected: every call that needs the time takes `now_ms` (milliseconds since the
//! epoch, as JS `Date.now()` gives it). Nothing here reads a clock, so tests script time exactly.
//!
//! # Semantics
//! - **Deadline.** Each entry carries its own deadline, fixed at insertion:
//!   `min(now_ms + default_ttl_ms, expires_at_ms)` (the second term only for
//!   [`TtlLru::insert_until`]). An entry is fresh while `now_ms < deadline` and expired from the
//!   deadline on, so it never outlives the deadline it was given. A non-finite `now_ms` (NaN)
//!   counts as past every deadline: a broken clock empties the cache rather than keeping stale data.
//! - **Lookups.** [`TtlLru::get`] on a fresh entry is one hit and refreshes its recency. On a
//!   missing key it is one miss. On an expired entry it is one miss **and** one expiration, and
//!   the entry is removed.
//! - **Capacity.** Bounded by entry count and, for caches made with [`TtlLru::with_weight_limit`],
//!   by the total weight (bytes) of the entries. Inserting into a full cache removes least
//!   recently used entries until the new one fits: each is an eviction when the entry was still
//!   fresh and an expiration when it had already expired. Replacing the value of an existing key
//!   is neither. An entry heavier than the whole limit is not stored.
//! - **Insertion of the already expired.** An insert whose deadline is not after `now_ms` stores
//!   nothing (and drops any entry under that key) and changes no counter.
//! - **Capacity zero** disables the cache: nothing is stored, every lookup is a miss.
//! - [`TtlLru::clear`] removes every entry without counting evictions or expirations; the counters
//!   are cumulative until [`TtlLru::reset_stats`].

use core::borrow::Borrow;
use core::hash::Hash;
use core::num::NonZeroUsize;
use lru::LruCache;
use serde::Serialize;

/// Counters of a cache, as JS sees them (`cache.stats()`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    /// Lookups that found a fresh entry.
    pub hits: u64,
    /// Lookups that found nothing fresh (absent or expired).
    pub misses: u64,
    /// Fresh entries removed to make room.
    pub evictions: u64,
    /// Entries removed because their deadline had passed.
    pub expirations: u64,
    /// Entries held now (expired ones not yet removed included).
    pub entries: usize,
    /// Most entries held at once.
    pub capacity: usize,
    /// `hits / (hits + misses)`, 0 before the first lookup.
    pub hit_ratio: f64,
}

/// A value and the time it stops being served.
#[derive(Debug)]
struct Entry<V> {
    value: V,
    deadline_ms: f64,
    weight: usize,
}

impl<V> Entry<V> {
    fn expired(&self, now_ms: f64) -> bool {
        // Fresh only when the comparison is defined and earlier, so a NaN clock counts as expired.
        now_ms.partial_cmp(&self.deadline_ms) != Some(core::cmp::Ordering::Less)
    }
}

/// A least-recently-used cache bounded by entries, whose entries each expire at their own deadline.
#[derive(Debug)]
pub struct TtlLru<K: Hash + Eq, V> {
    inner: Option<LruCache<K, Entry<V>>>,
    default_ttl_ms: f64,
    /// The most total weight held (`usize::MAX`: bounded by entries only).
    max_weight: usize,
    /// The total weight held now.
    weight: usize,
    hits: u64,
    misses: u64,
    evictions: u64,
    expirations: u64,
}

impl<K: Hash + Eq, V> TtlLru<K, V> {
    /// A cache of at most `capacity` entries, each living at most `default_ttl_ms`.
    ///
    /// A negative or NaN `default_ttl_ms` is taken as 0 (nothing is ever stored); infinity means
    /// entries expire only by their own deadline.
    pub fn new(capacity: usize, default_ttl_ms: f64) -> Self {
        Self::with_weight_limit(capacity, default_ttl_ms, usize::MAX)
    }

    /// Like [`TtlLru::new`], and the entries' weights (given at insertion, in bytes) add up to at
    /// most `max_weight`.
    pub fn with_weight_limit(capacity: usize, default_ttl_ms: f64, max_weight: usize) -> Self {
        let default_ttl_ms = if default_ttl_ms > 0.0 { default_ttl_ms } else { 0.0 };
        TtlLru {
            inner: NonZeroUsize::new(capacity).filter(|_| max_weight > 0).map(LruCache::new),
            default_ttl_ms,
            max_weight,
            weight: 0,
            hits: 0,
            misses: 0,
            evictions: 0,
            expirations: 0,
        }
    }

    /// The fresh entries, least recently used first, without counting lookups or refreshing
    /// recency: inserting them in this order into an empty cache gives the same recency order.
    pub fn entries(&self, now_ms: f64) -> Vec<(&K, &V)> {
        let Some(inner) = &self.inner else { return Vec::new() };
        inner.iter().rev().filter(|(_, e)| !e.expired(now_ms)).map(|(k, e)| (k, &e.value)).collect()
    }

    /// The fresh value under `key`, refreshing its recency (see the module docs for counting).
    pub fn get<Q>(&mut self, key: &Q, now_ms: f64) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get_if(key, now_ms, |_| true)
    }

    /// Like [`TtlLru::get`], but a fresh entry for which `accept` is false counts as a miss (and
    /// stays, to be replaced by the caller): for values that must match what the caller holds.
    pub fn get_if<Q>(&mut self, key: &Q, now_ms: f64, accept: impl FnOnce(&V) -> bool) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let Some(inner) = self.inner.as_mut() else {
            self.misses += 1;
            return None;
        };
        let state = inner.peek(key).map(|e| (e.expired(now_ms), e));
        match state {
            None => {
                self.misses += 1;
                None
            }
            Some((true, _)) => {
                if let Some(e) = inner.pop(key) {
                    self.weight -= e.weight;
                }
                self.misses += 1;
                self.expirations += 1;
                None
            }
            Some((false, entry)) if accept(&entry.value) => {
                self.hits += 1;
                inner.get(key).map(|e| &e.value)
            }
            Some((false, _)) => {
                self.misses += 1;
                None
            }
        }
    }

    /// Like [`TtlLru::get_if`], returning a clone of the value after a single lookup (the
    /// entry's recency is refreshed even when `accept` rejects it).
    pub fn get_cloned_if<Q>(&mut self, key: &Q, now_ms: f64, accept: impl FnOnce(&V) -> bool) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        V: Clone,
    {
        let Some(inner) = self.inner.as_mut() else {
            self.misses += 1;
            return None;
        };
        self.misses += 1;
        match inner.get(key) {
            None => return None,
            Some(e) if !e.expired(now_ms) => {
                if accept(&e.value) {
                    self.misses -= 1;
                    self.hits += 1;
                    return Some(e.value.clone());
                }
                return None;
            }
            Some(_) => {}
        }
        if let Some(e) = inner.pop(key) {
            self.weight -= e.weight;
        }
        self.expirations += 1;
        None
    }

    /// Whether a fresh entry is held under `key`; no counter or recency changes.
    pub fn contains<Q>(&self, key: &Q, now_ms: f64) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.as_ref().and_then(|c| c.peek(key)).is_some_and(|e| !e.expired(now_ms))
    }

    /// The fresh value under `key`, without counting a hit or a miss or refreshing its recency.
    pub fn peek<Q>(&self, key: &Q, now_ms: f64) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.as_ref().and_then(|c| c.peek(key)).filter(|e| !e.expired(now_ms)).map(|e| &e.value)
    }

    /// Stores `value` under `key` until `now_ms + default_ttl_ms`.
    pub fn insert(&mut self, key: K, value: V, now_ms: f64) {
        self.insert_until(key, value, now_ms, f64::INFINITY);
    }

    /// Stores `value` under `key` until `min(now_ms + default_ttl_ms, expires_at_ms)`.
    ///
    /// A NaN `expires_at_ms` is ignored (the default TTL applies).
    pub fn insert_until(&mut self, key: K, value: V, now_ms: f64, expires_at_ms: f64) {
        self.insert_weighted(key, value, 0, now_ms, expires_at_ms);
    }

    /// Like [`TtlLru::insert_until`], for an entry of `weight` (bytes) counted against the
    /// weight limit.
    pub fn insert_weighted(&mut self, key: K, value: V, weight: usize, now_ms: f64, expires_at_ms: f64) {
        let Some(inner) = self.inner.as_mut() else { return };
        let deadline_ms = (now_ms + self.default_ttl_ms).min(expires_at_ms);
        let entry = Entry { value, deadline_ms, weight };
        // The entry under this key, if any, goes first: replaced, or dropped when the new value
        // cannot be stored.
        if let Some(old) = inner.pop(&key) {
            self.weight -= old.weight;
        }
        if entry.expired(now_ms) || weight > self.max_weight {
            return;
        }
        while inner.len() >= inner.cap().get() || self.weight + weight > self.max_weight {
            let Some((_, old)) = inner.pop_lru() else { break };
            self.weight -= old.weight;
            if old.expired(now_ms) {
                self.expirations += 1;
            } else {
                self.evictions += 1;
            }
        }
        self.weight += weight;
        inner.put(key, entry);
    }

    /// Removes and returns the entry under `key`, fresh or not; no counter changes.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let e = self.inner.as_mut().and_then(|c| c.pop(key))?;
        self.weight -= e.weight;
        Some(e.value)
    }

    /// Removes every expired entry, counting each as an expiration; returns how many.
    #[cfg(any(test, feature = "internals"))]
    pub fn purge_expired(&mut self, now_ms: f64) -> usize {
        let Some(inner) = self.inner.as_mut() else { return 0 };
        let before = inner.len();
        let mut kept = Vec::new();
        while let Some((k, e)) = inner.pop_lru() {
            if !e.expired(now_ms) {
                kept.push((k, e));
            }
        }
        let removed = before - kept.len();
        self.weight = kept.iter().map(|(_, e)| e.weight).sum();
        // Re-inserted from least to most recent, so the recency order is unchanged.
        for (k, e) in kept {
            inner.put(k, e);
        }
        self.expirations += removed as u64;
        removed
    }

    /// Removes every entry (not counted as evictions or expirations).
    pub fn clear(&mut self) {
        if let Some(inner) = self.inner.as_mut() {
            inner.clear();
        }
        self.weight = 0;
    }

    /// Zeroes the hit, miss, eviction and expiration counters.
    #[cfg(any(test, feature = "internals"))]
    pub fn reset_stats(&mut self) {
        self.hits = 0;
        self.misses = 0;
        self.evictions = 0;
        self.expirations = 0;
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.inner.as_ref().map_or(0, LruCache::len)
    }

    /// Whether no entry is held.
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Most entries held at once.
    pub fn capacity(&self) -> usize {
        self.inner.as_ref().map_or(0, |c| c.cap().get())
    }

    /// The total weight of the entries held now.
    #[cfg(any(test, feature = "internals"))]
    pub fn weight(&self) -> usize {
        self.weight
    }

    /// The counters and sizes.
    pub fn stats(&self) -> CacheStats {
        let lookups = self.hits + self.misses;
        CacheStats {
            hits: self.hits,
            misses: self.misses,
            evictions: self.evictions,
            expirations: self.expirations,
            entries: self.len(),
            capacity: self.capacity(),
            hit_ratio: if lookups == 0 { 0.0 } else { self.hits as f64 / lookups as f64 },
        }
    }

    /// The hit and miss counters, to restore after lookups that are made again (see
    /// [`TtlLru::restore_lookups`]).
    pub fn lookups(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Sets the hit and miss counters back to what [`TtlLru::lookups`] gave: the lookups since
    /// were a rehearsal of ones that are made again.
    pub fn restore_lookups(&mut self, (hits, misses): (u64, u64)) {
        self.hits = hits;
        self.misses = misses;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_is_exclusive_and_capped_by_default_ttl() {
        let mut c: TtlLru<&str, u32> = TtlLru::new(4, 1000.0);
        c.insert_until("a", 1, 0.0, 5000.0); // capped at 1000
        c.insert_until("b", 2, 0.0, 500.0);
        assert_eq!(c.get("a", 999.0), Some(&1));
        assert_eq!(c.get("b", 499.0), Some(&2));
        assert_eq!(c.get("b", 500.0), None);
        assert_eq!(c.get("a", 1000.0), None);
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.expirations, s.entries), (2, 2, 2, 0));
    }

    #[test]
    fn nan_clock_expires_everything() {
        let mut c: TtlLru<u8, u8> = TtlLru::new(2, 1000.0);
        c.insert(1, 1, 0.0);
        assert_eq!(c.get(&1, f64::NAN), None);
        assert_eq!(c.stats().expirations, 1);
    }

    #[test]
    fn zero_capacity_stores_nothing() {
        let mut c: TtlLru<u8, u8> = TtlLru::new(0, 1000.0);
        c.insert(1, 1, 0.0);
        assert_eq!(c.get(&1, 1.0), None);
        assert_eq!((c.len(), c.capacity(), c.stats().misses), (0, 0, 1));
    }

    #[test]
    fn weight_limit_evicts_least_recent_until_the_new_entry_fits() {
        let mut c: TtlLru<u8, u8> = TtlLru::with_weight_limit(10, 1000.0, 100);
        c.insert_weighted(1, 1, 40, 0.0, f64::INFINITY);
        c.insert_weighted(2, 2, 40, 0.0, f64::INFINITY);
        assert_eq!(c.get(&1, 1.0), Some(&1)); // 2 is now the least recent
        c.insert_weighted(3, 3, 50, 1.0, f64::INFINITY);
        assert_eq!((c.peek(&2, 1.0), c.peek(&1, 1.0), c.weight()), (None, Some(&1), 90));
        // Replacing a key releases its old weight first.
        c.insert_weighted(1, 9, 10, 1.0, f64::INFINITY);
        assert_eq!(c.weight(), 60);
        // Heavier than the whole limit: not stored, and the old entry under the key is dropped.
        c.insert_weighted(3, 3, 101, 1.0, f64::INFINITY);
        assert_eq!((c.peek(&3, 1.0), c.weight(), c.len()), (None, 10, 1));
        assert_eq!(c.remove(&1), Some(9));
        assert_eq!((c.weight(), c.stats().evictions), (0, 1));
        c.insert_weighted(4, 4, 30, 1.0, 5.0);
        assert_eq!(c.get(&4, 6.0), None);
        assert_eq!((c.weight(), c.stats().expirations), (0, 1));
    }

    #[test]
    fn get_cloned_if_counts_as_get_if() {
        let mut c: TtlLru<u8, u8> = TtlLru::new(2, 1000.0);
        c.insert(1, 7, 0.0);
        assert_eq!(c.get_cloned_if(&1, 1.0, |v| *v == 8), None);
        assert_eq!(c.get_cloned_if(&1, 1.0, |v| *v == 7), Some(7));
        assert_eq!(c.get_cloned_if(&2, 1.0, |_| true), None);
        assert_eq!(c.get_cloned_if(&1, 1000.0, |_| true), None);
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.expirations, s.entries), (1, 3, 1, 0));
    }

    #[test]
    fn get_if_rejection_is_a_miss() {
        let mut c: TtlLru<u8, u8> = TtlLru::new(2, 1000.0);
        c.insert(1, 7, 0.0);
        assert_eq!(c.get_if(&1, 1.0, |v| *v == 8), None);
        assert_eq!(c.get_if(&1, 1.0, |v| *v == 7), Some(&7));
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.entries), (1, 1, 1));
    }
}
