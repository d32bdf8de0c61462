//! The result cache's key and entries, and the issuer-key cache as a key source.

use crate::cache::TtlLru;
use crate::credential::VerificationResult;
use super::documents::KeyDocuments;
use crate::error::{ErrorCode, Result};
use crate::keys::{resolve_issuer_key, Algorithm, IssuerKeys, KeyFetch, KeySource, Purpose, VerifyingKey};

/// The status lists a result relied on: URI and [`crate::status::ListDocument::digest`].
pub(super) type ListDeps = Vec<(String, [u8; 32])>;

/// A result-cache key: the options fingerprint (32 bytes) followed by the input bytes.
///
/// Equality compares eight bytes at a time: wasm32's `memcmp` goes byte by byte, and every hit
/// compares a whole input.
#[derive(Clone, Debug, Default)]
pub(super) struct ResultKey(pub(super) Vec<u8>);

impl ResultKey {
    pub(super) fn set(&mut self, fingerprint: &[u8; 32], input: &str) {
        self.0.clear();
        self.0.extend_from_slice(fingerprint);
        self.0.extend_from_slice(input.as_bytes());
    }
}

impl PartialEq for ResultKey {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_slice(), other.0.as_slice());
        if a.len() != b.len() {
            return false;
        }
        let ((a8, a_tail), (b8, b_tail)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
        // No early exit: the differences fold into one word tested at the end (and vectorize).
        let diff = a8.iter().zip(b8).fold(0u64, |acc, (x, y)| acc | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y)));
        diff == 0 && a_tail == b_tail
    }
}

impl Eq for ResultKey {}

impl core::hash::Hash for ResultKey {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        state.write(&self.0);
    }
}

/// A cached result, its JSON text, and what it depended on.
#[derive(Debug)]
pub(crate) struct CachedResult {
    /// Unique within its verifier, never reused: lets a host keep its own decoded copy.
    pub(super) id: u64,
    pub(super) result: VerificationResult,
    /// `result` as JSON text, written once.
    pub(super) json: Box<str>,
    /// When it was computed (ms): it is not served to an earlier clock.
    pub(super) computed_at_ms: f64,
    /// The status lists it relied on.
    pub(super) lists: ListDeps,
}

/// Issuer keys: did:key and did:jwk through the key cache (decoded and decompressed once per
/// DID: a pure function of the DID, so sharing it between calls shares no verdicts), the call's
/// `issuerKeys` for the rest (never cached across options: they are part of the options), then
/// documents the host fetched (did:web, DID resolvers, issuer metadata), recording in `needs`
/// what would provide a key not held.
pub(super) struct CachedKeys<'a> {
    pub(super) cache: &'a mut TtlLru<String, VerifyingKey>,
    pub(super) now_ms: f64,
    pub(super) issuer_keys: &'a IssuerKeys,
    /// The call's `trustAnchors`, and the chains validated to them (pure functions of the chain,
    /// the anchors and the time, so shared between calls like decoded DIDs).
    pub(super) anchors: &'a crate::keys::x509::TrustAnchors,
    pub(super) chains: &'a mut crate::keys::x509::ChainCache,
    pub(super) documents: &'a mut KeyDocuments,
    pub(super) needs: Vec<KeyFetch>,
}

impl CachedKeys<'_> {
    /// The documents asked for since the last call.
    pub(super) fn take_needs(&mut self) -> Vec<KeyFetch> {
        std::mem::take(&mut self.needs)
    }
}

impl KeySource for CachedKeys<'_> {
    fn issuer_key(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm) -> Result<VerifyingKey> {
        self.key_for_purpose(issuer, kid, alg, Purpose::Assertion)
    }

    fn key_for_purpose(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm, purpose: Purpose) -> Result<VerifyingKey> {
        let (cache, now_ms) = (&mut *self.cache, self.now_ms);
        let mut decode = |did: &str| -> Result<VerifyingKey> {
            if let Some(k) = cache.get(did, now_ms) {
                return Ok(k.clone());
            }
            let key = VerifyingKey::from_did(did)?;
            cache.insert(did.to_owned(), key.clone(), now_ms);
            Ok(key)
        };
        match resolve_issuer_key(issuer, kid, alg, &mut decode, Some(self.issuer_keys)) {
            // Order of trust: in-band DIDs and the caller's issuerKeys first; a document from the
            // network only for an issuer neither names.
            Err(e) if e.code == ErrorCode::KeyUnavailable && self.issuer_keys.get(issuer).is_none() => {
                self.documents.key(issuer, kid, alg, purpose, self.now_ms, &mut self.needs).unwrap_or(Err(e))
            }
            r => r,
        }
    }

    fn certified_key(
        &mut self,
        issuer: &str,
        x5c: &serde_json::Value,
        now: i64,
    ) -> Option<Result<std::sync::Arc<crate::keys::x509::CertifiedKey>>> {
        crate::keys::x509::certified_key(issuer, x5c, self.anchors, self.issuer_keys.get(issuer).is_some(), Some(&mut *self.chains), now)
    }
}
