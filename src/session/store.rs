//! A bounded, expiring store of active sessions, for servers that revoke sessions.
//!
//! Policy: the store is an allow-list. A session validates through the store only while the
//! store holds it as active; revoking removes it. A session the store does not hold (revoked,
//! evicted to make room, past the store's time to live, or created elsewhere) is refused with
//! `SESSION_REVOKED`, so that bounding the store fails closed: a deny-list that evicted its oldest
//! revocations would quietly revive them. Set the store's time to live at least as long as the
//! sessions it holds; an entry never outlives its session's expiry.

use super::{create_session, validate_session, CreatedSession, Session, SessionKey, SessionSource};
use crate::cache::{CacheStats, TtlLru};
use crate::error::{Error, ErrorCode, Result};
use crate::random::Random;

/// Most sessions a store may be asked to hold (its index is allocated up front).
pub const MAX_SESSIONS: usize = 1_000_000;

/// Counters of a session store (JS sees the cache counters and `revocations` side by side).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SessionStoreStats {
    /// Lookups (hits: active sessions found), evictions, expirations and sizes.
    pub cache: CacheStats,
    /// Sessions revoked while active.
    pub revocations: u64,
}

/// Active sessions by id, bounded by count, each kept until the earlier of its expiry and the
/// store's time to live.
#[derive(Debug)]
pub struct SessionStore {
    active: TtlLru<String, ()>,
    revocations: u64,
}

impl SessionStore {
    /// A store of at most `max` sessions (capped at [`MAX_SESSIONS`]), each kept at most
    /// `ttl_seconds` (0 keeps none).
    pub fn new(max: usize, ttl_seconds: f64) -> SessionStore {
        SessionStore { active: TtlLru::new(max.min(MAX_SESSIONS), ttl_seconds * 1000.0), revocations: 0 }
    }

    /// Records `session` as active from `now_ms`.
    pub fn insert(&mut self, session: &Session, now_ms: f64) {
        let expires_at_ms = session.expires_at as f64 * 1000.0;
        self.active.insert_until(session.id.clone(), (), now_ms, expires_at_ms);
    }

    /// Creates a session (see [`create_session`]) and records it as active.
    ///
    /// # Errors
    /// As [`create_session`].
    pub fn create(
        &mut self,
        source: &SessionSource,
        key: &SessionKey,
        ttl_seconds: u64,
        now_ms: f64,
        rng: Random<'_>,
    ) -> Result<CreatedSession> {
        let created = create_session(source, key, ttl_seconds, now_ms, rng)?;
        self.insert(&created.session, now_ms);
        Ok(created)
    }

    /// Revokes session `id`; true when it was active.
    pub fn revoke(&mut self, id: &str, now_ms: f64) -> bool {
        let was_active = self.active.contains(id, now_ms);
        self.active.remove(id);
        if was_active {
            self.revocations += 1;
        }
        was_active
    }

    /// Whether session `id` is active (no counter changes).
    pub fn is_active(&self, id: &str, now_ms: f64) -> bool {
        self.active.contains(id, now_ms)
    }

    /// Checks that session `id` is active (counted as a lookup).
    ///
    /// # Errors
    /// `SESSION_REVOKED` when the store does not hold it as active.
    pub fn check(&mut self, id: &str, now_ms: f64) -> Result<()> {
        match self.active.get(id, now_ms) {
            Some(()) => Ok(()),
            None => Err(Error::new(
                ErrorCode::SessionRevoked,
                "the session is not active in this store (revoked, evicted, or never stored here)",
            )),
        }
    }

    /// Validates a token (see [`validate_session`]), then checks that its session is active.
    ///
    /// # Errors
    /// As [`validate_session`], then `SESSION_REVOKED`.
    pub fn validate(&mut self, token: &str, key: &SessionKey, now_ms: f64) -> Result<Session> {
        let session = validate_session(token, key, now_ms)?;
        self.check(&session.id, now_ms)?;
        Ok(session)
    }

    /// Removes every session (not counted as revocations).
    pub fn clear(&mut self) {
        self.active.clear();
    }

    /// The counters and sizes.
    pub fn stats(&self) -> SessionStoreStats {
        SessionStoreStats { cache: self.active.stats(), revocations: self.revocations }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn key() -> SessionKey {
        SessionKey::new(&[3u8; 32]).unwrap()
    }

    fn counter() -> impl FnMut(&mut [u8]) -> Result<()> {
        let mut n = 0u8;
        move |buf: &mut [u8]| {
            n += 1;
            buf.fill(n);
            Ok(())
        }
    }

    fn source() -> SessionSource {
        SessionSource { subject: Some("did:key:zS".into()), attributes: Map::new(), ..SessionSource::default() }
    }

    #[test]
    fn revoke_counts_only_active_sessions() {
        let mut store = SessionStore::new(4, 3600.0);
        let mut rng = counter();
        let a = store.create(&source(), &key(), 60, 0.0, &mut rng).unwrap();
        assert!(store.is_active(&a.session.id, 1.0));
        assert!(store.revoke(&a.session.id, 1.0));
        assert!(!store.revoke(&a.session.id, 2.0));
        assert!(!store.revoke("unknown", 2.0));
        assert_eq!(store.validate(&a.token, &key(), 3.0).unwrap_err().code, ErrorCode::SessionRevoked);
        assert_eq!(store.stats().revocations, 1);
    }

    #[test]
    fn an_entry_ends_with_its_session() {
        let mut store = SessionStore::new(4, 3600.0);
        let a = store.create(&source(), &key(), 10, 0.0, &mut counter()).unwrap();
        assert!(store.is_active(&a.session.id, 9_999.0));
        assert!(!store.is_active(&a.session.id, 10_000.0));
        let stats = store.stats();
        assert_eq!((stats.cache.entries, stats.revocations, stats.cache.hit_ratio), (1, 0, 0.0));
    }
}
