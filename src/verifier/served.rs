//! A result as the verifier serves it: from the result cache (with its JSON text at hand) or
//! freshly computed.

use super::cache::CachedResult;
use crate::credential::VerificationResult;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// One item's result as the verifier served it.
#[derive(Debug)]
pub struct Served(pub(super) ServedInner);

#[derive(Debug)]
pub(super) enum ServedInner {
    Cached(Arc<CachedResult>),
    Fresh(Box<VerificationResult>),
}

impl From<VerificationResult> for Served {
    /// A result served fresh (not from the cache).
    fn from(result: VerificationResult) -> Self {
        Served(ServedInner::Fresh(Box::new(result)))
    }
}

impl Served {
    /// The result.
    pub fn result(&self) -> &VerificationResult {
        match &self.0 {
            ServedInner::Cached(c) => &c.result,
            ServedInner::Fresh(r) => r,
        }
    }

    /// The result, owned (a copy when it came from the cache).
    pub fn into_result(self) -> VerificationResult {
        match self.0 {
            ServedInner::Cached(c) => Arc::try_unwrap(c).map_or_else(|c| c.result.clone(), |c| c.result),
            ServedInner::Fresh(r) => *r,
        }
    }

    /// The result as JSON text (the cached text when there is one).
    pub fn json(&self) -> Cow<'_, str> {
        match &self.0 {
            ServedInner::Cached(c) => Cow::Borrowed(&c.json),
            ServedInner::Fresh(r) => Cow::Owned(result_json(r)),
        }
    }

    /// Appends the result as JSON text to `out` (as [`Served::json`], written in place).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match &self.0 {
            ServedInner::Cached(c) => out.extend_from_slice(c.json.as_bytes()),
            ServedInner::Fresh(r) => {
                let start = out.len();
                if serde_json::to_writer(&mut *out, r).is_err() {
                    out.truncate(start);
                    out.extend_from_slice(result_json(r).as_bytes());
                }
            }
        }
    }

    /// For a result held in the result cache: the entry's id, unique within its verifier and
    /// never reused, so that a host may keep its own decoded copy of the entry under it.
    pub fn cache_id(&self) -> Option<u64> {
        match &self.0 {
            ServedInner::Cached(c) => Some(c.id),
            ServedInner::Fresh(_) => None,
        }
    }

    /// Another handle on the same result (the cache entry is shared, a fresh result copied).
    pub(super) fn duplicate(&self) -> Served {
        match &self.0 {
            ServedInner::Cached(c) => Served(ServedInner::Cached(Arc::clone(c))),
            ServedInner::Fresh(r) => Served(ServedInner::Fresh(r.clone())),
        }
    }
}

/// Served results as one JSON array text.
pub fn json_array(served: &[Served]) -> String {
    let mut out = String::with_capacity(2 + served.len() * 512);
    out.push('[');
    for (i, s) in served.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&s.json());
    }
    out.push(']');
    out
}

/// A result as JSON text.
pub(super) fn result_json(r: &VerificationResult) -> String {
    // Serializing this plain data cannot fail (no maps with non-string keys, no non-finite floats).
    serde_json::to_string(r).unwrap_or_else(|e| {
        format!(r#"{{"valid":false,"errors":[{{"code":"INTERNAL_ERROR","message":{}}}]}}"#, Value::String(e.to_string()))
    })
}
