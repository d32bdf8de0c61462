//! Key documents from the network in the verifier: what a batch needs fetched (the key half of
//! the needs loop), and the documents its host handed back, parsed and held.
//!
//! Policy: documents reach the core only through [`Verifier::supply_key_documents`], which the
//! harness calls with what it fetched itself from URLs this module derived; never through call
//! options (an unsigned document passed as an option could stand in any key). Each is checked
//! against what was asked (the URL the specifications derive from the issuer, a JWK Set its
//! metadata named) before it is parsed. A usable document is held for the cache TTL, one that
//! could not be had for at most [`KEY_FAILURE_TTL_MS`]; either way at least
//! [`MIN_DOCUMENT_TTL_MS`], so that the items that waited for it can run again.

use super::Verifier;
use crate::cache::TtlLru;
use crate::credential::VerificationResult;
use crate::error::{ErrorCode, Result};
use crate::keys::{Algorithm, FetchKind, KeyFetch, Purpose, Resolved, SuppliedDocument, VerifyingKey};
use crate::limits::{KEY_FAILURE_TTL_MS, MAX_KEY_FETCHES_PER_CALL, MAX_KEY_FETCHES_PER_ITEM};
use std::collections::HashSet;
use std::sync::Arc;

/// Shortest life of a held document (ms), whatever the cache TTL: the rerun of the call that
/// fetched it must find it.
pub(super) const MIN_DOCUMENT_TTL_MS: f64 = 10_000.0;

/// Documents held, by issuer (DID or issuer URL).
pub(super) struct KeyDocuments {
    held: TtlLru<String, Arc<Resolved>>,
    ttl_ms: f64,
}

impl KeyDocuments {
    /// Room for `capacity` issuers (at least one call's worth), each for `ttl_ms`.
    pub(super) fn new(capacity: usize, ttl_ms: f64) -> Self {
        let ttl_ms = ttl_ms.max(MIN_DOCUMENT_TTL_MS);
        KeyDocuments { held: TtlLru::new(capacity.max(MAX_KEY_FETCHES_PER_CALL), ttl_ms), ttl_ms }
    }

    /// The key of `issuer` from its held document, or `None` when none is held (`need` then
    /// records what to fetch, if anything can provide it).
    pub(super) fn key(
        &mut self,
        issuer: &str,
        kid: Option<&str>,
        alg: Algorithm,
        purpose: Purpose,
        now_ms: f64,
        need: &mut Vec<KeyFetch>,
    ) -> Option<Result<VerifyingKey>> {
        match self.held.get(issuer, now_ms) {
            Some(doc) => {
                need.extend(doc.next_fetch(issuer));
                Some(doc.select(issuer, kid, alg, purpose))
            }
            None => {
                need.extend(KeyFetch::first_for(issuer));
                None
            }
        }
    }

    /// Checks, parses and holds what the host fetched; returns how many documents were held
    /// (those that were not asked for are dropped).
    pub(super) fn supply(&mut self, docs: &[SuppliedDocument], now_ms: f64) -> usize {
        let mut held = 0;
        for doc in docs.iter().take(2 * MAX_KEY_FETCHES_PER_CALL) {
            let awaiting = match doc.kind {
                FetchKind::Jwks => self.held.peek(doc.id.as_str(), now_ms).and_then(|r| match &**r {
                    Resolved::AwaitingJwks { jwks_uri } => Some(jwks_uri.clone()),
                    _ => None,
                }),
                _ => None,
            };
            let Ok(resolved) = crate::keys::parse_key_document(doc, awaiting.as_deref()) else { continue };
            let until = match resolved {
                Resolved::Failed { .. } => now_ms + KEY_FAILURE_TTL_MS.min(self.ttl_ms),
                _ => f64::INFINITY,
            };
            self.held.insert_until(doc.id.clone(), Arc::new(resolved), now_ms, until);
            held += 1;
        }
        held
    }

    pub(super) fn clear(&mut self) {
        self.held.clear();
    }

    pub(super) fn stats(&self) -> crate::cache::CacheStats {
        self.held.stats()
    }
}

/// The documents to fetch for a batch and the items that wait for them: only items that nothing
/// but a missing key (or status list) keeps from a verdict, at most
/// [`MAX_KEY_FETCHES_PER_ITEM`] documents each and [`MAX_KEY_FETCHES_PER_CALL`] in all.
pub(super) fn key_needs(per_item: &[Vec<KeyFetch>], results: &[VerificationResult], todo: &[usize]) -> (Vec<KeyFetch>, Vec<usize>) {
    let mut fetches: Vec<KeyFetch> = Vec::new();
    let mut seen: HashSet<&KeyFetch> = HashSet::new();
    let mut items = Vec::new();
    for ((wanted, result), i) in per_item.iter().zip(results).zip(todo) {
        let waiting_only = result
            .errors
            .iter()
            .all(|e| e.code == ErrorCode::KeyUnavailable.as_str() || e.code == ErrorCode::StatusUnavailable.as_str());
        if wanted.is_empty() || !waiting_only || !result.has(ErrorCode::KeyUnavailable) {
            continue;
        }
        let distinct: HashSet<&KeyFetch> = wanted.iter().collect();
        let new = distinct.iter().filter(|f| !seen.contains(*f)).count();
        if distinct.len() > MAX_KEY_FETCHES_PER_ITEM || fetches.len() + new > MAX_KEY_FETCHES_PER_CALL {
            continue;
        }
        for f in wanted {
            if seen.insert(f) {
                fetches.push(f.clone());
            }
        }
        items.push(*i);
    }
    (fetches, items)
}

impl Verifier {
    /// Hands in key documents a host fetched for the keys of a batch's needs (DID documents,
    /// issuer metadata, JWK Sets), to be checked, parsed and held; the items that waited for
    /// them then run again. Returns how many were held.
    ///
    /// Only the harness calls this, with what it fetched itself: never expose it to anything
    /// that carries a request's data (see the module docs).
    pub fn supply_key_documents(&mut self, docs: &[SuppliedDocument], now_ms: f64) -> usize {
        self.documents.supply(docs, now_ms)
    }

    /// Statistics of the held key documents.
    pub fn document_stats(&self) -> crate::cache::CacheStats {
        self.documents.stats()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::{did_web_url, KeyPair};
    use crate::verifier::CacheConfig;
    use serde_json::{json, Map, Value};

    const NOW: i64 = 1_750_000_000;

    fn vc_jwt(iss: &str, key: &KeyPair, kid: Option<&str>) -> String {
        let mut header = Map::new();
        if let Some(k) = kid {
            header.insert("kid".into(), json!(k));
        }
        let vc = json!({"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "issuer": iss, "credentialSubject": {"id": "did:example:1"}});
        let payload = json!({"iss": iss, "vc": vc, "iat": NOW, "exp": NOW + 3600});
        crate::jws::sign(&header, payload.to_string().as_bytes(), key)
    }

    fn doc(did: &str, key: &KeyPair) -> String {
        let mb = key.did().trim_start_matches("did:key:").to_owned();
        json!({"id": did, "verificationMethod": [{"id": format!("{did}#k"), "type": "Multikey", "controller": did, "publicKeyMultibase": mb}], "assertionMethod": ["#k"]})
            .to_string()
    }

    fn call() -> Map<String, Value> {
        json!({"now": NOW * 1000}).as_object().cloned().unwrap()
    }

    #[test]
    fn the_needs_loop_names_documents_and_runs_with_them() {
        let key = KeyPair::from_seed(&[7; 32]);
        let did = "did:web:issuer.example:a";
        let token = vc_jwt(did, &key, Some("#k"));
        let expired = {
            let payload = json!({"iss": did, "vc": {"type": ["VerifiableCredential"], "credentialSubject": {}}, "exp": NOW - 3600});
            crate::jws::sign(&Map::new(), payload.to_string().as_bytes(), &key)
        };
        for cache in [CacheConfig::default(), CacheConfig::stateless(), CacheConfig { keys: 0, ttl_seconds: 0.0, ..CacheConfig::default() }] {
            let mut v = Verifier::new(Map::new(), &cache).unwrap();
            let (served, needs) = v.serve_batch_with_needs(&[&token, &expired, &token], &call(), 0.0).unwrap();
            assert_eq!(served[0].result().errors[0].code, "KEY_UNAVAILABLE");
            // One document, for the two copies of the item that waits for it; none for the expired one.
            let url = did_web_url(did).unwrap();
            assert_eq!(needs.keys, [KeyFetch { kind: FetchKind::DidWeb, id: did.into(), url: Some(url.clone()) }]);
            assert_eq!(needs.key_items, [0, 2]);
            // A document from another URL is dropped; the right one is held.
            let wrong = SuppliedDocument { kind: FetchKind::DidWeb, id: did.into(), url: Some("https://evil.example/did.json".into()), text: Some(doc(did, &key)), error: None };
            assert_eq!(v.supply_key_documents(&[wrong], (NOW * 1000) as f64), 0);
            let right = SuppliedDocument { url: Some(url), ..SuppliedDocument { kind: FetchKind::DidWeb, id: did.into(), url: None, text: Some(doc(did, &key)), error: None } };
            assert_eq!(v.supply_key_documents(&[right], (NOW * 1000) as f64), 1);
            let (served, needs) = v.serve_batch_with_needs(&[&token], &call(), 0.0).unwrap();
            assert!(served[0].result().valid, "{:?}", served[0].result().errors);
            assert!(needs.keys.is_empty());
        }
    }

    #[test]
    fn needs_are_bounded_per_call() {
        let key = KeyPair::from_seed(&[8; 32]);
        let tokens: Vec<String> = (0..200).map(|i| vc_jwt(&format!("did:web:i{i}.example"), &key, None)).collect();
        let inputs: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
        let (_, needs) = v.serve_batch_with_needs(&inputs, &call(), 0.0).unwrap();
        assert_eq!((needs.keys.len(), needs.key_items.len()), (MAX_KEY_FETCHES_PER_CALL, MAX_KEY_FETCHES_PER_CALL));
    }
}
