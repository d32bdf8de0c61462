//! Boundary for sessions after verification: creating and validating tokens, and the store.

use super::{to_js, JsResult};
use crate::error::Error;
use crate::random::system_random;
use crate::session::store::MAX_SESSIONS;
use crate::session::{self, SessionKey, SessionSource, SessionStore};
use wasm_bindgen::prelude::*;

/// The key takes ownership of the bytes JS copied in, so they are zeroized when dropped.
fn key_arg(key: Vec<u8>) -> JsResult<SessionKey> {
    SessionKey::from_vec(key).map_err(JsValue::from)
}

fn ttl_arg(ttl_seconds: f64) -> JsResult<u64> {
    if ttl_seconds.is_finite() && ttl_seconds >= 1.0 && ttl_seconds.fract() == 0.0 && ttl_seconds <= session::MAX_TTL_SECONDS as f64 {
        Ok(ttl_seconds as u64)
    } else {
        Err(to_js(Error::malformed(format!("ttlSeconds is a whole number from 1 to {}", session::MAX_TTL_SECONDS)).at("ttlSeconds")))
    }
}

/// Creates a session from a verification result (JSON text); returns `{ token, session }` as JSON text.
#[wasm_bindgen(js_name = createSession)]
pub fn create_session(result_json: &str, key: Vec<u8>, ttl_seconds: f64, now_ms: f64) -> JsResult<String> {
    let key = key_arg(key)?;
    let source = SessionSource::from_result_json(result_json)?;
    let created = session::create_session(&source, &key, ttl_arg(ttl_seconds)?, now_ms, &mut system_random)?;
    Ok(created.to_json().to_string())
}

/// Validates a session token; returns the session as JSON text.
#[wasm_bindgen(js_name = validateSession)]
pub fn validate_session(token: &str, key: Vec<u8>, now_ms: f64) -> JsResult<String> {
    let key = key_arg(key)?;
    Ok(session::validate_session(token, &key, now_ms)?.to_json().to_string())
}

/// A bounded store of active sessions, for revocation.
#[wasm_bindgen(js_name = SessionStoreHandle)]
pub struct SessionStoreHandle {
    inner: SessionStore,
}

#[wasm_bindgen(js_class = SessionStoreHandle)]
impl SessionStoreHandle {
    /// A store of at most `max` sessions, each kept at most `ttl_seconds`.
    #[wasm_bindgen(constructor)]
    pub fn new(max: f64, ttl_seconds: f64) -> JsResult<SessionStoreHandle> {
        if !(max.is_finite() && max >= 0.0 && max.fract() == 0.0 && max <= MAX_SESSIONS as f64) {
            return Err(to_js(Error::malformed(format!("max is a whole number of sessions up to {MAX_SESSIONS}")).at("max")));
        }
        if !(ttl_seconds.is_finite() && ttl_seconds >= 0.0) {
            return Err(to_js(Error::malformed("ttlSeconds is a number of seconds >= 0").at("ttlSeconds")));
        }
        Ok(SessionStoreHandle { inner: SessionStore::new(max as usize, ttl_seconds) })
    }

    /// Creates a session and records it as active; returns `{ token, session }` as JSON text.
    pub fn create(&mut self, result_json: &str, key: Vec<u8>, ttl_seconds: f64, now_ms: f64) -> JsResult<String> {
        let key = key_arg(key)?;
        let source = SessionSource::from_result_json(result_json)?;
        let ttl = ttl_arg(ttl_seconds)?;
        Ok(self.inner.create(&source, &key, ttl, now_ms, &mut system_random)?.to_json().to_string())
    }

    /// Validates a token and checks that its session is active; returns the session as JSON text.
    pub fn validate(&mut self, token: &str, key: Vec<u8>, now_ms: f64) -> JsResult<String> {
        let key = key_arg(key)?;
        Ok(self.inner.validate(token, &key, now_ms)?.to_json().to_string())
    }

    /// Revokes a session; true when it was active.
    pub fn revoke(&mut self, id: &str, now_ms: f64) -> bool {
        self.inner.revoke(id, now_ms)
    }

    /// Whether a session is active.
    #[wasm_bindgen(js_name = isActive)]
    pub fn is_active(&self, id: &str, now_ms: f64) -> bool {
        self.inner.is_active(id, now_ms)
    }

    /// Removes every session.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// The counters as JSON text.
    pub fn stats(&self) -> JsResult<String> {
        let stats = self.inner.stats();
        let mut value = serde_json::to_value(stats.cache).map_err(|e| to_js(Error::malformed(format!("cannot serialize: {e}"))))?;
        if let Some(map) = value.as_object_mut() {
            map.insert("revocations".into(), stats.revocations.into());
        }
        Ok(value.to_string())
    }
}
