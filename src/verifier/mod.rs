//! The verifier: the one entry point of verification. Options plus three TTL-LRU caches (issuer
//! keys, verification results, decoded status lists) around the pipeline ([`pipeline`]). The
//! module functions of the package run a [`Verifier`] built with [`CacheConfig::stateless`]; a
//! caching `Verifier` runs the same pipeline, so a cached verdict is always one the pipeline gave.
//!
//! Result cache policy: an entry is keyed by a fingerprint of the options that affect the outcome
//! (SHA-256 of their RFC 8785 canonical JSON, so the order of option names does not matter;
//! without `now` and `statusLists`) followed by the input bytes themselves: a lookup compares the
//! whole input, so a hit is the very same input under the same options, and costs one fast hash
//! and one comparison, never a cryptographic digest of the input. An entry also holds the result's
//! JSON text, so that serving it to JS is a copy. It lives at most the configured TTL, never past
//! the first instant at which any time bound found anywhere in the item (every JWT's `exp`,
//! `nbf`, `iat`, header or payload; every credential's dates; disclosure proofs) would decide
//! otherwise, nor past the validity of a status list it used.
//! It is served only while every status list it used is still the list in force (the one the
//! call supplies under that URI, else the held one: same bytes), and only at or after the time it
//! was computed (a clock set back must not see a result from its future). Results that can
//! change without the input changing are never cached: `NOT_YET_VALID` (time passes),
//! `STATUS_UNAVAILABLE` (the list may arrive), `INVALID_STATUS_LIST` (another list may be
//! supplied), results that relied on a list no longer held, and
//! presentations (a presentation answers one challenge, and its key binding is fresh only
//! within the clock skew of its `iat`). Nor are results decided before any signature check
//! (malformed, too large, unsupported): they cost as little to find again, and their bytes are
//! whatever a sender chose.
//!
//! The result cache is bounded by entries and by bytes (`resultBytes`: inputs plus result texts).
//!
//! Every cache runs on one clock: the call's `now` option when given, else the host's.

mod cache;
mod config;
pub mod host_round;
mod documents;
mod pass;
pub mod pipeline;
mod served;
pub mod status;

pub use config::{CacheConfig, Needs, VerifierStats, MAX_STATUS_LISTS_PER_CALL};
pub use pipeline::expect_kind;
pub use served::{json_array, Served};
pub use status::StatusLists;

/// The largest copy of status-list generations a verifier takes back
/// ([`Verifier::remember_status_generations_json`]).
pub const MAX_GENERATIONS_JSON_BYTES: usize = 16 * 1024 * 1024;

use crate::cache::TtlLru;
use crate::credential::checks::Ctx;
use crate::credential::{Kind, VerificationResult, VerifyOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::sha256;
use crate::keys::{HostVerifier, IssuerKeys, RustVerifier, VerifyingKey};
use cache::{CachedKeys, CachedResult, ListDeps, ResultKey};
use documents::KeyDocuments;
use pass::{group_end, Pass, PreparedGroup};
use pipeline::prepare_item;
use serde_json::{Map, Value};
use served::{result_json, ServedInner};
use std::collections::HashMap;
use std::sync::Arc;

/// What a call's options imply, kept for the next call with the same options.
#[derive(Debug)]
struct CallContext {
    /// The call's own options, as given.
    call: Map<String, Value>,
    /// The effective options.
    options: VerifyOptions,
    /// The options fingerprint of the result-cache keys.
    fingerprint: [u8; 32],
    /// The digest of each list the call supplies, to tell whether a cached result used it.
    supplied: HashMap<String, [u8; 32]>,
    /// The `issuerKeys` option, parsed.
    issuer_keys: IssuerKeys,
    /// The `trustAnchors` option, parsed.
    anchors: crate::keys::x509::TrustAnchors,
}

/// Options and caches, reused across calls.
pub struct Verifier {
    base: Map<String, Value>,
    keys: TtlLru<String, VerifyingKey>,
    /// Validated x5c chains, by chain and anchors (sized and timed as `keys`).
    chains: crate::keys::x509::ChainCache,
    /// Keyed by options fingerprint (32 bytes) followed by the input.
    results: TtlLru<ResultKey, Arc<CachedResult>>,
    /// The id of the next cached result.
    next_id: u64,
    lists: StatusLists,
    /// The context of the last call: a service repeats the same options call after call.
    last_call: Option<Arc<CallContext>>,
    /// Key documents the host fetched (see [`documents`]).
    documents: KeyDocuments,
}

impl Verifier {
    /// A verifier with base options (a JSON object, as `VerifyOptions`) and cache configuration.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for invalid options.
    pub fn new(options: Map<String, Value>, cache: &CacheConfig) -> Result<Verifier> {
        // Validate now, so that a bad option fails at construction rather than at first use.
        let parsed = parse_options(options.clone())?;
        issuer_keys_of(&parsed)?;
        trust_anchors_of(&parsed)?;
        let ttl_ms = cache.ttl_seconds.max(0.0) * 1000.0;
        Ok(Verifier {
            base: options,
            keys: TtlLru::new(cache.keys, ttl_ms),
            chains: TtlLru::new(cache.keys, ttl_ms),
            results: TtlLru::with_weight_limit(cache.results, ttl_ms, cache.result_bytes),
            next_id: 1,
            lists: StatusLists::new(cache.status_lists, ttl_ms),
            last_call: None,
            documents: KeyDocuments::new(cache.keys, ttl_ms),
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
        parse_options(merged)
    }

    /// The context of a call with `call` options: the last one again when the options are the same.
    fn context(&mut self, call: &Map<String, Value>) -> Result<Arc<CallContext>> {
        if let Some(last) = self.last_call.as_ref().filter(|c| c.call == *call) {
            return Ok(Arc::clone(last));
        }
        let options = self.options_for(call)?;
        let supplied = options
            .status_lists
            .iter()
            .flatten()
            .map(|(uri, v)| (uri.clone(), v.as_str().map_or_else(|| sha256(v.to_string().as_bytes()), |t| sha256(t.as_bytes()))))
            .collect();
        let issuer_keys = issuer_keys_of(&options)?;
        let anchors = trust_anchors_of(&options)?;
        let context = Arc::new(CallContext {
            call: call.clone(),
            fingerprint: fingerprint(&self.base, call),
            options,
            supplied,
            issuer_keys,
            anchors,
        });
        self.last_call = Some(Arc::clone(&context));
        Ok(context)
    }

    /// Verifies a batch: cached results are served, identical inputs verified once, the rest go
    /// through one pass of the batch engine.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for invalid call options; item failures are in the results.
    pub fn verify_batch(&mut self, inputs: &[&str], call: &Map<String, Value>, host_now_ms: f64) -> Result<Vec<VerificationResult>> {
        Ok(self.serve_batch(inputs, call, host_now_ms)?.into_iter().map(Served::into_result).collect())
    }

    /// Like [`Verifier::verify_batch`], returning the results as one JSON array text (cached
    /// results are copied as text, not serialized again).
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn verify_batch_json(&mut self, inputs: &[&str], call: &Map<String, Value>, host_now_ms: f64) -> Result<String> {
        Ok(json_array(&self.serve_batch(inputs, call, host_now_ms)?))
    }

    /// Verifies one input that must be of `kind` when given (`verifyCredential`,
    /// `verifyPresentation`): an item of the other kind gets `MALFORMED_INPUT` on a fresh copy of
    /// its result, never on a cache entry.
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn serve_one(&mut self, input: &str, call: &Map<String, Value>, host_now_ms: f64, kind: Option<Kind>) -> Result<Served> {
        self.serve_one_settled(input, call, host_now_ms, kind, &mut RustVerifier)
    }

    /// [`Verifier::serve_one`], with the signatures other than Ed25519 settled by `host` (see
    /// [`Verifier::serve_batch_settled`]).
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn serve_one_settled(
        &mut self,
        input: &str,
        call: &Map<String, Value>,
        host_now_ms: f64,
        kind: Option<Kind>,
        host: &mut dyn HostVerifier,
    ) -> Result<Served> {
        let served = self.serve_batch_settled(&[input], call, host_now_ms, host)?.0.pop();
        let served = served.ok_or_else(|| Error::new(ErrorCode::InternalError, "the batch lost an item"))?;
        Ok(match kind {
            Some(k) if served.result().kind != k => {
                let mut result = served.into_result();
                expect_kind(&mut result, k);
                Served::from(result)
            }
            _ => served,
        })
    }

    /// Verifies a batch, one [`Served`] per input in order (see [`Verifier::verify_batch`]).
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn serve_batch(&mut self, inputs: &[&str], call: &Map<String, Value>, host_now_ms: f64) -> Result<Vec<Served>> {
        Ok(self.serve_batch_with_needs(inputs, call, host_now_ms)?.0)
    }

    /// Like [`Verifier::serve_batch`], and what a host that fetches status lists on demand should
    /// fetch before running some items again: the lists that items needed and that neither the
    /// call supplied nor the verifier held, for items that nothing else kept from a verdict (their
    /// results are `STATUS_UNAVAILABLE`, or passed with `statusFailOpen`). This is the needs loop:
    /// the host obtains the lists and runs [`Needs::items`] again with them.
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn serve_batch_with_needs(&mut self, inputs: &[&str], call: &Map<String, Value>, host_now_ms: f64) -> Result<(Vec<Served>, Needs)> {
        self.serve_batch_settled(inputs, call, host_now_ms, &mut RustVerifier)
    }

    /// [`Verifier::serve_batch_with_needs`], with the signatures other than Ed25519 (ECDSA, RSA)
    /// settled by `host`: each group of the batch hands it all of its such signatures in one list
    /// (a group is at most 1 MiB of input), after every check that needs no cryptography, so
    /// that a host with faster implementations (node:crypto) answers them in one crossing. The
    /// host only says whether each signature verifies; every policy decision (algorithm and key
    /// fit, lengths, key sizes) is taken before. [`Verifier::serve_batch_with_needs`] settles them
    /// in-process ([`RustVerifier`]).
    ///
    /// # Errors
    /// As [`Verifier::verify_batch`].
    pub fn serve_batch_settled(
        &mut self,
        inputs: &[&str],
        call: &Map<String, Value>,
        host_now_ms: f64,
        host: &mut dyn HostVerifier,
    ) -> Result<(Vec<Served>, Needs)> {
        let context = self.context(call)?;
        crate::credential::data_integrity::rdfc::begin_call();
        let now_ms = context.options.now.unwrap_or(host_now_ms);
        let mut pass = self.look_up(inputs, &context, now_ms);

        // The pipeline runs over groups of at most GROUP_BYTES of input, so that what one call
        // holds parsed at once is bounded whatever the batch (a group's results are sealed, and
        // an invalid one keeps at most a bounded `unverified`, before the next group is parsed).
        // One batch verification state across the groups: what one group learnt of forgeries
        // sizes the next group's batches.
        let mut signatures = crate::keys::BatchState::default();
        let mut start = 0;
        while start < pass.todo.len() {
            let end = group_end(inputs, &pass.todo, start);
            let prepared = self.prepare_group(inputs, &pass, start..end, &context, host_now_ms, now_ms);
            self.finish_group(&mut pass, prepared, &context, now_ms, &mut signatures, host);
            start = end;
        }
        Ok(self.conclude(inputs, pass, &context, now_ms, !host.provisional()))
    }

    /// The first step of a pass: the cached results served, and each distinct uncached input
    /// once (its index, and its duplicates).
    fn look_up(&mut self, inputs: &[&str], context: &CallContext, now_ms: f64) -> Pass {
        let (fingerprint, supplied) = (&context.fingerprint, &context.supplied);
        let mut pass = Pass::default();
        let mut first_of: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
        let mut key = ResultKey::default();
        for (i, input) in inputs.iter().enumerate() {
            pass.out.push(None);
            if let Some(&first) = first_of.get(input) {
                pass.dup_of.push((i, first));
                continue;
            }
            first_of.insert(input, i);
            key.set(fingerprint, input);
            let lists = &self.lists;
            let usable = |c: &Arc<CachedResult>| {
                c.computed_at_ms <= now_ms
                    && c.lists.iter().all(|(uri, digest)| match supplied.get(uri.as_str()) {
                        Some(d) => d == digest,
                        None => lists.peek(uri.as_str(), now_ms).is_some_and(|doc| doc.digest() == digest),
                    })
            };
            match self.results.get_cloned_if(&key, now_ms, usable) {
                Some(hit) => pass.out[i] = Some(Served(ServedInner::Cached(hit))),
                None => pass.todo.push(i),
            }
        }
        pass
    }

    /// Prepares the items `pass.todo[range]` (every check but the status lists and signatures);
    /// records the key documents each asked for.
    fn prepare_group(
        &mut self,
        inputs: &[&str],
        pass: &Pass,
        range: std::ops::Range<usize>,
        context: &CallContext,
        host_now_ms: f64,
        now_ms: f64,
    ) -> PreparedGroup {
        let options = &context.options;
        let mut group = PreparedGroup { items: Vec::with_capacity(range.len()), list_uris: Vec::new(), key_fetches: Vec::new() };
        let mut keys = Self::cached_keys(&mut self.keys, &mut self.chains, &mut self.documents, context, now_ms);
        for i in pass.todo.get(range).unwrap_or_default() {
            let mut ctx = Ctx { options, now: options.now_seconds(host_now_ms), keys: &mut keys };
            let item = prepare_item(inputs.get(*i).copied().unwrap_or_default(), &mut ctx);
            group.list_uris.push(status_uris(&item));
            group.key_fetches.push(keys.take_needs());
            group.items.push(item);
        }
        group
    }

    /// The key source of a call, from the verifier's caches (borrowed field by field, so that
    /// the status lists stay free).
    fn cached_keys<'a>(
        cache: &'a mut TtlLru<String, VerifyingKey>,
        chains: &'a mut crate::keys::x509::ChainCache,
        documents: &'a mut KeyDocuments,
        context: &'a CallContext,
        now_ms: f64,
    ) -> CachedKeys<'a> {
        CachedKeys { cache, now_ms, issuer_keys: &context.issuer_keys, anchors: &context.anchors, chains, documents, needs: Vec::new() }
    }

    /// Runs a prepared group through the status lists and the signatures (see
    /// [`pipeline::finish`]); its results join `pass`.
    fn finish_group(
        &mut self,
        pass: &mut Pass,
        group: PreparedGroup,
        context: &CallContext,
        now_ms: f64,
        signatures: &mut crate::keys::BatchState,
        host: &mut dyn HostVerifier,
    ) {
        let mut keys = Self::cached_keys(&mut self.keys, &mut self.chains, &mut self.documents, context, now_ms);
        let (results, stable) = pipeline::finish(group.items, &context.options, now_ms, &mut self.lists, &mut keys, signatures, host);
        pass.results.extend(results);
        pass.stable.extend(stable);
        pass.list_uris.extend(group.list_uris);
        pass.key_fetches.extend(group.key_fetches);
    }

    /// The last step of a pass: what the batch needs fetched, its results cached (when `keep`:
    /// no answer was a placeholder), duplicates filled in.
    fn conclude(&mut self, inputs: &[&str], pass: Pass, context: &CallContext, now_ms: f64, keep: bool) -> (Vec<Served>, Needs) {
        let (options, fingerprint, supplied) = (&context.options, &context.fingerprint, &context.supplied);
        let Pass { mut out, todo, dup_of, results, stable, list_uris, key_fetches } = pass;
        // Lists to fetch: only for items that nothing but a missing list keeps from a verdict
        // (no list is fetched for a forged, untrusted, expired or malformed item), at most
        // MAX_STATUS_LISTS_PER_CALL of them.
        let mut needs = Needs::default();
        let mut missing = UriSet::default();
        if options.check_status {
            for ((uris, result), i) in list_uris.iter().zip(&results).zip(&todo) {
                let waiting = uris.iter().filter(|u| !supplied.contains_key(u.as_str()) && !self.lists.contains(u.as_str(), now_ms));
                let waiting: Vec<&String> = waiting.collect();
                let only_lists_missing = result.errors.iter().all(|e| e.code == ErrorCode::StatusUnavailable.as_str());
                if waiting.is_empty() || !only_lists_missing {
                    continue;
                }
                if missing.list.len() + waiting.iter().filter(|u| !missing.seen.contains(u.as_str())).count() > MAX_STATUS_LISTS_PER_CALL {
                    continue;
                }
                missing.extend(waiting.into_iter().cloned());
                needs.items.push(*i);
            }
        }

        (needs.keys, needs.key_items) = documents::key_needs(&key_fetches, &results, &todo);

        // Results built on placeholder answers (a host round still open) are never cached; nor
        // is anything when there is no result cache (the module functions): no key copied.
        let keep = keep && self.results.capacity() > 0;
        for (((i, result), uris), facts) in todo.into_iter().zip(results).zip(list_uris).zip(stable) {
            let served = match keep.then(|| self.deadline(&result, &uris, supplied, now_ms, facts)).flatten() {
                Some((deadline, lists)) => {
                    // The key copies the input: made only for what is kept.
                    let mut key = ResultKey::default();
                    key.set(fingerprint, inputs.get(i).copied().unwrap_or_default());
                    let json: Box<str> = result_json(&result).into();
                    let weight = key.0.len() + json.len();
                    let cached = Arc::new(CachedResult { id: self.next_id, result, json, computed_at_ms: now_ms, lists });
                    self.next_id += 1;
                    self.results.insert_weighted(key, Arc::clone(&cached), weight, now_ms, deadline);
                    ServedInner::Cached(cached)
                }
                None => ServedInner::Fresh(Box::new(result)),
            };
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(Served(served));
            }
        }
        for &(i, first) in &dup_of {
            let copy = out.get(first).and_then(Option::as_ref).map(Served::duplicate);
            if let Some(slot) = out.get_mut(i) {
                *slot = copy;
            }
        }
        if !needs.key_items.is_empty() {
            let firsts: std::collections::HashSet<usize> = needs.key_items.iter().copied().collect();
            needs.key_items.extend(dup_of.iter().filter(|(_, first)| firsts.contains(first)).map(|(i, _)| *i));
            needs.key_items.sort_unstable();
        }
        if !needs.items.is_empty() {
            let firsts: std::collections::HashSet<usize> = needs.items.iter().copied().collect();
            needs.items.extend(dup_of.iter().filter(|(_, first)| firsts.contains(first)).map(|(i, _)| *i));
            needs.items.sort_unstable();
        }
        needs.uris = missing.list;
        let served = out
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Served(ServedInner::Fresh(Box::new(VerificationResult::failed(Error::new(
                        ErrorCode::InternalError,
                        "the batch lost an item",
                    )))))
                })
            })
            .collect();
        (served, needs)
    }

    /// Until when a result may be served from the cache and the lists it relied on, or `None`
    /// when it must not be cached (see the module docs). `stable_until` (seconds) is when time
    /// alone could change it: the earliest expiry or not-before of any source in the item.
    fn deadline(
        &self,
        result: &VerificationResult,
        uris: &[String],
        supplied: &HashMap<String, [u8; 32]>,
        now_ms: f64,
        facts: pipeline::ItemFacts,
    ) -> Option<(f64, ListDeps)> {
        let stable_until = facts.stable_until;
        if !facts.signed
            || result.kind == Kind::Presentation
            || result.has(ErrorCode::KeyBindingInvalid)
            || result.has(ErrorCode::NotYetValid)
            || result.has(ErrorCode::StatusUnavailable)
            || result.has(ErrorCode::InvalidStatusList)
            || result.has(ErrorCode::InternalError)
            // A lazily loaded module (keys, Data Integrity) may be loaded by the next call.
            || result.has(ErrorCode::NotInitialized)
            // The key may arrive (fetched, or its failure expires).
            || result.has(ErrorCode::KeyUnavailable)
        {
            return None;
        }
        let mut deadline = stable_until.map_or(f64::INFINITY, |s| s as f64 * 1000.0);
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

    /// How many times the status-list generations this verifier has seen changed: a copy of
    /// them ([`Verifier::status_generations_json`]) is worth taking only when this moved.
    pub fn status_generation_changes(&self) -> u64 {
        self.lists.generation_changes()
    }

    /// The newest status-list generation seen per URI and issuer, as JSON
    /// `[[key, issuedAt, expiry], ...]` (times as decimal strings): what a verifier that replaces this one (after a trap, or
    /// to give its memory back) is given ([`Verifier::remember_status_generations_json`]), so
    /// that the replacement cannot be talked into an older list than this one refused.
    pub fn status_generations_json(&self) -> String {
        // The times as decimal strings: an absent one is i64::MIN, past what a JS number holds.
        let entries: Vec<(String, String, String)> =
            self.lists.generations().into_iter().map(|(k, (a, b))| (k, a.to_string(), b.to_string())).collect();
        serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned())
    }

    /// Records generations from [`Verifier::status_generations_json`]: each raises the one seen
    /// here, never lowers it.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` past [`MAX_GENERATIONS_JSON_BYTES`], `MALFORMED_INPUT` for any other text.
    pub fn remember_status_generations_json(&mut self, json: &str) -> Result<()> {
        if json.len() > MAX_GENERATIONS_JSON_BYTES {
            return Err(Error::new(ErrorCode::InputTooLarge, "status-list generations: too large"));
        }
        let bad = |e: String| Error::malformed(format!("status-list generations: {e}"));
        let entries: Vec<(String, String, String)> = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let mut parsed = Vec::with_capacity(entries.len());
        for (key, a, b) in entries {
            let time = |t: &str| t.parse::<i64>().map_err(|e| bad(format!("'{t}': {e}")));
            parsed.push((key, (time(&a)?, time(&b)?)));
        }
        self.lists.remember(parsed);
        Ok(())
    }

    /// Cache statistics.
    pub fn stats(&self) -> VerifierStats {
        VerifierStats {
            keys: self.keys.stats(),
            results: self.results.stats(),
            status_lists: self.lists.stats(),
            certificate_chains: self.chains.stats(),
        }
    }

    /// Empties every cache (statistics are kept).
    pub fn clear(&mut self) {
        self.keys.clear();
        self.chains.clear();
        self.results.clear();
        self.lists.clear();
        self.documents.clear();
    }
}

/// The status-list URIs an item refers to (read before the status check consumes them).
fn status_uris(item: &crate::batch::Prepared) -> Vec<String> {
    let mut uris = Vec::new();
    for sref in &item.status {
        let entries: Vec<&Value> = match &sref.entry {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for e in entries {
            if let Ok(entry) = crate::status::StatusEntry::parse(e) {
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
    let text = crate::jcs::canonicalize(&value).unwrap_or_else(|_| value.to_string());
    sha256(text.as_bytes())
}

/// The `issuerKeys` of options, parsed (a key that does not parse fails the call, with its path
/// under `options`).
fn issuer_keys_of(options: &VerifyOptions) -> Result<IssuerKeys> {
    match &options.issuer_keys {
        Some(map) => IssuerKeys::parse(map).map_err(|e| e.at("options")),
        None => Ok(IssuerKeys::default()),
    }
}

/// The `trustAnchors` of options, parsed (an anchor that does not parse fails the call, with its
/// path under `options`).
fn trust_anchors_of(options: &VerifyOptions) -> Result<crate::keys::x509::TrustAnchors> {
    match &options.trust_anchors {
        Some(list) => crate::keys::x509::TrustAnchors::parse(list).map_err(|e| e.at("options")),
        None => Ok(crate::keys::x509::TrustAnchors::default()),
    }
}

/// Options from their JSON object, clamped to the hard ceilings of [`crate::limits`].
fn parse_options(options: Map<String, Value>) -> Result<VerifyOptions> {
    serde_json::from_value::<VerifyOptions>(Value::Object(options))
        .map(VerifyOptions::clamped)
        .map_err(|e| Error::malformed(format!("invalid options: {e}")).at("options"))
}

/// Distinct URIs in first-seen order.
#[derive(Default)]
struct UriSet {
    seen: std::collections::HashSet<String>,
    list: Vec<String>,
}

impl UriSet {
    fn extend(&mut self, uris: impl IntoIterator<Item = String>) {
        for uri in uris {
            if self.seen.insert(uri.clone()) {
                self.list.push(uri);
            }
        }
    }
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
    fn status_generations_handed_over_only_raise_and_bad_copies_are_coded() {
        let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
        assert_eq!(v.status_generations_json(), "[]");
        assert_eq!(v.status_generation_changes(), 0);
        v.remember_status_generations_json(r#"[["https://a.example/1\u0000did:key:z1", "10", "20"]]"#).unwrap();
        assert_eq!(v.status_generation_changes(), 1);
        // An older generation for the same list is not taken; a newer one is.
        v.remember_status_generations_json(r#"[["https://a.example/1\u0000did:key:z1", "9", "99"]]"#).unwrap();
        assert_eq!(v.status_generation_changes(), 1);
        v.remember_status_generations_json(r#"[["https://a.example/1\u0000did:key:z1", "10", "21"]]"#).unwrap();
        // An absent time is i64::MIN: exact through the text.
        v.remember_status_generations_json(r#"[["https://a.example/2\u0000did:key:z1", "-9223372036854775808", "-9223372036854775808"]]"#).unwrap();
        let copy = v.status_generations_json();
        assert_eq!(copy, r#"[["https://a.example/1\u0000did:key:z1","10","21"],["https://a.example/2\u0000did:key:z1","-9223372036854775808","-9223372036854775808"]]"#);
        // A replacement takes the copy whole.
        let mut w = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
        w.remember_status_generations_json(&copy).unwrap();
        assert_eq!(w.status_generations_json(), copy);
        for bad in ["", "{}", "[[1, 2, 3]]", r#"[["k", 1, 2]]"#, r#"[["k", "1", 2]]"#, r#"[["k", "1", "x"]]"#, r#"[["k", "1", "9223372036854775808"]]"#] {
            assert_eq!(w.remember_status_generations_json(bad).unwrap_err().code, ErrorCode::MalformedInput, "{bad}");
        }
        let huge = " ".repeat(MAX_GENERATIONS_JSON_BYTES + 1);
        assert_eq!(w.remember_status_generations_json(&huge).unwrap_err().code, ErrorCode::InputTooLarge);
        assert_eq!(w.status_generations_json(), copy, "a refused copy changes nothing");
        // A verifier that remembers no lists (the module functions) takes none.
        let mut stateless = Verifier::new(Map::new(), &CacheConfig::stateless()).unwrap();
        stateless.remember_status_generations_json(&copy).unwrap();
        assert_eq!(stateless.status_generations_json(), "[]");
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
        assert_eq!(codes(&early[0]), ["NOT_YET_VALID", "NOT_YET_VALID", "NOT_YET_VALID"]);
        // The same call again is a cache hit.
        let hits = v.stats().results.hits;
        assert!(v.verify_batch(&[jwt], &at(NOW * 1000), 0.0).unwrap()[0].valid);
        assert_eq!(v.stats().results.hits, hits + 1);
    }
}
