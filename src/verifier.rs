//! The stateful verifier: verification options plus three TTL-LRU caches (issuer keys,
//! verification results, decoded status lists) around the batch engine.
//!
//! Result cache policy: an entry is keyed by SHA-256 over a fingerprint of the options that
//! affect the outcome (RFC 8785 canonical JSON, so the order of option names does not matter;
//! without `now` and `statusLists`) and the input bytes. It lives at most the configured TTL,
//! never past the credential's expiry nor past the validity of a status list it used. It is
//! served only while every status list it used is still the list in force (the one the call
//! supplies under that URI, else the cached one: same bytes), and only at or after the time it
//! was computed (a clock set back must not see a result from its future). Results that can
//! change without the input changing are never cached: `NOT_YET_VALID` (time passes),
//! `STATUS_UNAVAILABLE` (the list may arrive), results that relied on a list no longer cached,
//! and presentations (a presentation answers one challenge, and its key binding is fresh only
//! within the clock skew of its `iat`).
//!
//! Every cache runs on one clock: the call's `now` option when given, else the host's.

use crate::audit::hash::sha256;
use crate::batch::{self, Prepared};
use crate::cache::{CacheStats, TtlLru};
use crate::credential::{Kind, VerificationResult, VerifyOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::batch::engine::prepare_item;
use crate::credential::checks::Ctx;
use crate::keys::{DidKeySource, KeySource, PublicKey};
use crate::status::{self, StatusEntry, StatusListCache};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Cache sizes and lifetime.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Issuer keys held (decompressed), by DID.
    pub keys: usize,
    /// Verification results held.
    pub results: usize,
    /// Decoded status lists held.
    pub status_lists: usize,
    /// Longest life of any cache entry, in seconds.
    pub ttl_seconds: f64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { keys: 1024, results: 10_000, status_lists: 64, ttl_seconds: 300.0 }
    }
}

/// Statistics of every cache.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifierStats {
    /// Issuer key cache.
    pub keys: CacheStats,
    /// Result cache.
    pub results: CacheStats,
    /// Status list cache.
    pub status_lists: CacheStats,
}

/// The status lists a result relied on: URI and [`crate::status::ListDocument::digest`].
type ListDeps = Vec<(String, [u8; 32])>;

/// A cached result and what it depended on.
#[derive(Clone, Debug)]
struct CachedResult {
    result: VerificationResult,
    /// When it was computed (ms): it is not served to an earlier clock.
    computed_at_ms: f64,
    /// The status lists it relied on.
    lists: ListDeps,
}

/// Options and caches, reused across calls.
pub struct Verifier {
    base: Map<String, Value>,
    keys: TtlLru<String, PublicKey>,
    results: TtlLru<[u8; 32], CachedResult>,
    lists: StatusListCache,
}

impl Verifier {
    /// A verifier with base options (a JSON object, as `VerifyOptions`) and cache configuration.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for invalid options.
    pub fn new(options: Map<String, Value>, cache: &CacheConfig) -> Result<Verifier> {
        // Validate now, so that a bad option fails at construction rather than at first use.
        serde_json::from_value::<VerifyOptions>(Value::Object(options.clone()))
            .map_err(|e| Error::malformed(format!("invalid options: {e}")).at("options"))?;
        let ttl_ms = cache.ttl_seconds.max(0.0) * 1000.0;
        Ok(Verifier {
            base: options,
            keys: TtlLru::new(cache.keys, ttl_ms),
            results: TtlLru::new(cache.results, ttl_ms),
            lists: TtlLru::new(cache.status_lists, ttl_ms),
        })
    }

    /// The effective options of one call: the base options, overridden by `call`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for invalid options.
    pub fn options_for(&self, call: &Map<String, Value>) -> Result<VerifyOptions> {
        let mut merged = self.base.clone();
        for (k, v) in call {
            merged.insert(k.clone(), v.clone());
        }
        serde_json::from_value(Value::Object(merged)).map_err(|e| Error::malformed(format!("invalid options: {e}")).at("options"))
    }

    /// Verifies a batch: cached results are served, identical inputs verified once, the rest go
    /// through one pass of the batch engine.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for invalid call options; item failures are in the results.
    pub fn verify_batch(&mut self, inputs: &[&str], call: &Map<String, Value>, host_now_ms: f64) -> Result<Vec<VerificationResult>> {
        let options = self.options_for(call)?;
        let now_ms = options.now.unwrap_or(host_now_ms);
        let fingerprint = fingerprint(&self.base, call);
        // The digest of each list the call supplies, to tell whether a cached result used it.
        let supplied: HashMap<&str, [u8; 32]> = options
            .status_lists
            .iter()
            .flatten()
            .map(|(uri, v)| (uri.as_str(), v.as_str().map_or_else(|| sha256(v.to_string().as_bytes()), |t| sha256(t.as_bytes()))))
            .collect();
        let mut out: Vec<Option<VerificationResult>> = vec![None; inputs.len()];
        // Each distinct uncached input once: its cache key, the first index, and its duplicates.
        let mut todo: Vec<([u8; 32], usize)> = Vec::new();
        let mut first_of: HashMap<[u8; 32], usize> = HashMap::new();
        let mut dup_of: Vec<(usize, usize)> = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let key = result_key(&fingerprint, input);
            if let Some(&first) = first_of.get(&key) {
                dup_of.push((i, first));
                continue;
            }
            first_of.insert(key, i);
            let lists = &self.lists;
            let usable = |c: &CachedResult| {
                c.computed_at_ms <= now_ms
                    && c.lists.iter().all(|(uri, digest)| match supplied.get(uri.as_str()) {
                        Some(d) => d == digest,
                        None => lists.peek(uri.as_str(), now_ms).is_some_and(|doc| doc.digest() == digest),
                    })
            };
            if let Some(hit) = self.results.get_if(&key, now_ms, usable) {
                out[i] = Some(hit.result.clone());
            } else {
                todo.push((key, i));
            }
        }

        let mut prepared: Vec<Prepared> = Vec::with_capacity(todo.len());
        let mut list_uris: Vec<Vec<String>> = Vec::with_capacity(todo.len());
        {
            let mut keys = CachedKeys { cache: &mut self.keys, now_ms };
            let mut ctx = Ctx { options: &options, now: options.now_seconds(host_now_ms), keys: &mut keys };
            for (_, i) in &todo {
                let item = prepare_item(inputs.get(*i).copied().unwrap_or_default(), &mut ctx);
                list_uris.push(status_uris(&item));
                prepared.push(item);
            }
        }
        let shared = status::apply_status(&mut prepared, &options, now_ms, Some(&mut self.lists));
        let results = batch::finish_with_shared(prepared, shared);

        for (((key, i), result), uris) in todo.iter().zip(results).zip(list_uris) {
            if let Some((deadline, lists)) = self.deadline(&result, &uris, &supplied, now_ms) {
                let cached = CachedResult { result: result.clone(), computed_at_ms: now_ms, lists };
                self.results.insert_until(*key, cached, now_ms, deadline);
            }
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(result);
            }
        }
        for (i, first) in dup_of {
            let copy = out.get(first).cloned().flatten();
            if let Some(slot) = out.get_mut(i) {
                *slot = copy;
            }
        }
        Ok(out
            .into_iter()
            .map(|r| r.unwrap_or_else(|| VerificationResult::failed(Error::new(ErrorCode::InternalError, "the batch lost an item"))))
            .collect())
    }

    /// Until when a result may be served from the cache and the lists it relied on, or `None`
    /// when it must not be cached (see the module docs).
    fn deadline(&self, result: &VerificationResult, uris: &[String], supplied: &HashMap<&str, [u8; 32]>, now_ms: f64) -> Option<(f64, ListDeps)> {
        if result.kind == Kind::Presentation
            || result.has(ErrorCode::KeyBindingInvalid)
            || result.has(ErrorCode::NotYetValid)
            || result.has(ErrorCode::StatusUnavailable)
            || result.has(ErrorCode::InternalError)
        {
            return None;
        }
        let mut deadline = f64::INFINITY;
        if result.valid {
            if let Some(exp) = result.expires_at {
                deadline = deadline.min(exp as f64 * 1000.0);
            }
        }
        let mut lists = Vec::with_capacity(uris.len());
        for uri in uris {
            // A result that used a list lives no longer than the list, and only while that very
            // list is cached; without it, not at all.
            let doc = self.lists.peek(uri.as_str(), now_ms)?;
            if supplied.get(uri.as_str()).is_some_and(|d| d != doc.digest()) {
                return None;
            }
            deadline = deadline.min(doc.cache_deadline_ms(now_ms));
            lists.push((uri.clone(), *doc.digest()));
        }
        Some((deadline, lists))
    }

    /// Cache statistics.
    pub fn stats(&self) -> VerifierStats {
        VerifierStats { keys: self.keys.stats(), results: self.results.stats(), status_lists: self.lists.stats() }
    }

    /// Empties every cache (statistics are kept).
    pub fn clear(&mut self) {
        self.keys.clear();
        self.results.clear();
        self.lists.clear();
    }
}

/// The status-list URIs an item refers to (read before `apply_status` consumes them).
fn status_uris(item: &Prepared) -> Vec<String> {
    let mut uris = Vec::new();
    for sref in &item.status {
        let entries: Vec<&Value> = match &sref.entry {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for e in entries {
            if let Ok(entry) = StatusEntry::parse(e) {
                uris.push(entry.uri().to_owned());
            }
        }
    }
    uris
}

/// SHA-256 of the options that can change an outcome: everything but the clock and the lists
/// (a cached result records the lists it used instead), in RFC 8785 canonical form.
fn fingerprint(base: &Map<String, Value>, call: &Map<String, Value>) -> [u8; 32] {
    let mut merged = base.clone();
    for (k, v) in call {
        merged.insert(k.clone(), v.clone());
    }
    merged.remove("now");
    merged.remove("statusLists");
    let value = Value::Object(merged);
    // Options that parsed as `VerifyOptions` always canonicalize; the fallback only keeps a
    // miss a miss.
    let text = crate::audit::jcs::canonicalize(&value).unwrap_or_else(|_| value.to_string());
    sha256(text.as_bytes())
}

fn result_key(fingerprint: &[u8; 32], input: &str) -> [u8; 32] {
    let mut buf = Vec::with_capacity(32 + input.len());
    buf.extend_from_slice(fingerprint);
    buf.extend_from_slice(input.as_bytes());
    sha256(&buf)
}

/// Issuer keys through the key cache (did:key decoded and decompressed once per DID).
struct CachedKeys<'a> {
    cache: &'a mut TtlLru<String, PublicKey>,
    now_ms: f64,
}

impl KeySource for CachedKeys<'_> {
    fn issuer_key(&mut self, did: &str) -> Result<PublicKey> {
        if let Some(k) = self.cache.get(did, self.now_ms) {
            return Ok(k.clone());
        }
        let key = DidKeySource.issuer_key(did)?;
        self.cache.insert(did.to_owned(), key.clone(), self.now_ms);
        Ok(key)
    }
}

/// The distinct status-list URIs that `inputs` refer to, in first-seen order, so that a host can
/// fetch them before verifying (status entries of unparseable items are skipped).
pub fn status_uris_of(inputs: &[&str], options: &VerifyOptions, host_now_ms: f64) -> Vec<String> {
    let mut keys = DidKeySource;
    let mut ctx = Ctx { options, now: options.now_seconds(host_now_ms), keys: &mut keys };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for input in inputs {
        let item = prepare_item(input, &mut ctx);
        for uri in status_uris(&item) {
            if seen.insert(uri.clone()) {
                out.push(uri);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::credential::issue::{issue_credential, IssueFormat};
    use crate::keys::KeyPair;
    use serde_json::json;

    const NOW: i64 = 1_750_000_000;

    fn at(ms: i64) -> Map<String, Value> {
        json!({ "now": ms }).as_object().cloned().unwrap()
    }

    fn codes(r: &VerificationResult) -> Vec<&'static str> {
        r.errors.iter().map(|e| e.code).collect()
    }

    #[test]
    fn cached_results_are_never_served_for_another_explicit_now() {
        let issuer = KeyPair::from_seed(&[1; 32]);
        let body = json!({"credentialSubject": {"id": issuer.did(), "n": 1}});
        let jwt = issue_credential(&body, &issuer, IssueFormat::VcJwt, Some(3600), NOW).unwrap();
        let jwt = jwt.as_str().unwrap();
        let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
        let expiry_ms = (NOW + 3600) * 1000;
        let expired = v.verify_batch(&[jwt], &at(expiry_ms + 61_000), 0.0).unwrap();
        assert_eq!(codes(&expired[0]), ["EXPIRED_CREDENTIAL", "EXPIRED_CREDENTIAL"]);
        // Within the 60 s of skew, and at issuance: valid, not the cached expiry.
        assert!(v.verify_batch(&[jwt], &at(expiry_ms + 59_000), 0.0).unwrap()[0].valid);
        assert!(v.verify_batch(&[jwt], &at(NOW * 1000), 0.0).unwrap()[0].valid);
        // A valid result is not served for an instant before issuance.
        let early = v.verify_batch(&[jwt], &at((NOW - 61) * 1000), 0.0).unwrap();
        assert_eq!(codes(&early[0]), ["NOT_YET_VALID", "NOT_YET_VALID"]);
        // The same call again is a cache hit.
        let hits = v.stats().results.hits;
        assert!(v.verify_batch(&[jwt], &at(NOW * 1000), 0.0).unwrap()[0].valid);
        assert_eq!(v.stats().results.hits, hits + 1);
    }
}
