#![cfg(not(target_arch = "wasm32"))]
// One suite for the caching Verifier: scripted sequences share its helpers (over 500 lines).
// Test helpers outside #[test] functions: a failed issuance or parse should stop the test.
#![allow(clippy::unwrap_used)]
//! The stateful Verifier: exact cache statistics over scripted sequences, expiry on an injected
//! clock (credential `exp`, status list `exp` and `ttl`, the cache TTL), what is never cached,
//! the options fingerprint, bounded memory, and revocation and suspension through W3C Bitstring
//! and IETF Token Status Lists.

use credcore::cache::CacheStats;
use credcore::credential::issue::{issue_credential, IssueFormat};
use credcore::credential::VerificationResult;
use credcore::keys::KeyPair;
use credcore::sdjwt::{issue, IssueOptions, Selection};
use credcore::status::{ListConfig, ListFormat, StatusListIssuer};
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::{json, Map, Value};

/// 2023-11-14T22:13:20Z, in milliseconds and seconds.
const NOW_MS: f64 = 1_700_000_000_000.0;
const NOW: i64 = 1_700_000_000;
const VCT: &str = "https://credentials.example/identity";
const IETF_URI: &str = "https://issuer.example/status/ietf/1";
const REVOCATION_URI: &str = "https://issuer.example/status/w3c/revocation";
const SUSPENSION_URI: &str = "https://issuer.example/status/w3c/suspension";

fn key(seed: u8) -> KeyPair {
    KeyPair::from_seed(&[seed; 32])
}

fn issuer() -> KeyPair {
    key(7)
}

/// An SD-JWT VC issued at `NOW`, with an IETF status claim when `status` is given.
fn sd_vc(by: &KeyPair, name: &str, status: Option<(u64, &str)>, expires_in: Option<i64>) -> String {
    let mut claims = json!({ "given_name": name });
    if let Some((idx, uri)) = status {
        claims["status"] = json!({ "status_list": { "idx": idx, "uri": uri } });
    }
    let opts = IssueOptions { disclose: Selection::None, vct: Some(VCT.into()), now_seconds: NOW, expires_in, ..IssueOptions::default() };
    let mut rng = credcore::sdjwt::system_random;
    issue(&claims, &opts, by, &mut rng).unwrap()
}

fn list(
    format: ListFormat,
    uri: &str,
    size: u64,
    bits: u8,
    purpose: Option<&str>,
    ttl: Option<u64>,
    valid_for: Option<u64>,
) -> StatusListIssuer {
    StatusListIssuer::new(ListConfig {
        format,
        uri: uri.into(),
        size,
        bits,
        purpose: purpose.map(str::to_owned),
        ttl_seconds: ttl,
        valid_for_seconds: valid_for,
    })
    .unwrap()
}

fn cache(keys: usize, results: usize, status_lists: usize, ttl_seconds: f64) -> CacheConfig {
    CacheConfig { keys, results, status_lists, ttl_seconds, ..CacheConfig::default() }
}

fn verifier(c: &CacheConfig) -> Verifier {
    Verifier::new(Map::new(), c).unwrap()
}

fn opts(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("options are objects"),
    }
}

fn lists(entries: &[(&str, &str)]) -> Map<String, Value> {
    let m: Map<String, Value> = entries.iter().map(|(u, t)| ((*u).to_owned(), Value::String((*t).to_owned()))).collect();
    opts(json!({ "statusLists": m }))
}

fn one(v: &mut Verifier, input: &str, call: &Map<String, Value>, now_ms: f64) -> VerificationResult {
    v.verify_batch(&[input], call, now_ms).unwrap().pop().unwrap()
}

fn codes(r: &VerificationResult) -> Vec<&'static str> {
    r.errors.iter().map(|e| e.code).collect()
}

/// (hits, misses, evictions, expirations, entries)
fn counts(s: &CacheStats) -> (u64, u64, u64, u64, usize) {
    (s.hits, s.misses, s.evictions, s.expirations, s.entries)
}

#[test]
fn exact_stats_after_a_scripted_sequence() {
    let (a, b) = (key(1), key(2));
    let a1 = sd_vc(&a, "a1", None, Some(3600));
    let a2 = sd_vc(&a, "a2", None, Some(3600));
    let b1 = sd_vc(&b, "b1", None, Some(3600));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let none = Map::new();

    // 1. Three distinct items and a duplicate: the duplicate is verified with its twin, not looked up.
    let r = v.verify_batch(&[&a1, &a2, &b1, &a1], &none, NOW_MS).unwrap();
    assert_eq!(r.iter().map(|r| r.valid).collect::<Vec<_>>(), [true; 4]);
    assert_eq!(r[3].claims, r[0].claims);
    let s = v.stats();
    assert_eq!(counts(&s.keys), (1, 2, 0, 0, 2));
    assert_eq!(counts(&s.results), (0, 3, 0, 0, 3));
    assert_eq!(counts(&s.status_lists), (0, 0, 0, 0, 0));

    // 2. Two repeats and a malformed item (looked up, not stored: it needed no signature check).
    let r = v.verify_batch(&[&a1, &b1, "not a credential"], &none, NOW_MS + 1000.0).unwrap();
    assert_eq!(codes(&r[2]), ["MALFORMED_INPUT"]);
    let s = v.stats();
    assert_eq!(counts(&s.keys), (1, 2, 0, 0, 2));
    assert_eq!(counts(&s.results), (2, 4, 0, 0, 3));

    // 3. Other options are another key; the issuer key is served from its cache.
    let trusted = opts(json!({ "trustedIssuers": [a.did()], "clockSkewSeconds": 60 }));
    assert!(one(&mut v, &a1, &trusted, NOW_MS + 2000.0).valid);
    let s = v.stats();
    assert_eq!(counts(&s.keys), (2, 2, 0, 0, 2));
    assert_eq!(counts(&s.results), (2, 5, 0, 0, 4));

    // 4. The same options named in another order, and a different `now`: the same key.
    let reordered = opts(json!({ "clockSkewSeconds": 60, "trustedIssuers": [a.did()], "now": NOW_MS + 5000.0 }));
    assert!(one(&mut v, &a1, &reordered, NOW_MS + 3000.0).valid);
    let s = v.stats();
    assert_eq!(counts(&s.results), (3, 5, 0, 0, 4));
    assert_eq!((s.results.capacity, s.keys.capacity, s.status_lists.capacity), (8, 8, 4));
    assert_eq!(s.results.hit_ratio, 3.0 / 8.0);

    // 5. Five more distinct items fill the 8 entries and evict the least recently used one.
    let more: Vec<String> = (0..5).map(|i| sd_vc(&b, &format!("more {i}"), None, Some(3600))).collect();
    let refs: Vec<&str> = more.iter().map(String::as_str).collect();
    v.verify_batch(&refs, &none, NOW_MS + 4000.0).unwrap();
    let s = v.stats();
    assert_eq!(counts(&s.results), (3, 10, 1, 0, 8));

    // 6. clear() empties every cache and keeps the counters.
    v.clear();
    let s = v.stats();
    assert_eq!(counts(&s.results), (3, 10, 1, 0, 0));
    assert_eq!(counts(&s.keys), (7, 2, 0, 0, 0));
    assert!(one(&mut v, &a1, &none, NOW_MS + 5000.0).valid);
    assert_eq!(counts(&v.stats().results), (3, 11, 1, 0, 1));
}

#[test]
fn results_never_outlive_the_credential_exp_nor_the_cache_ttl() {
    let cred = sd_vc(&issuer(), "short", None, Some(100));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let none = Map::new();
    assert!(one(&mut v, &cred, &none, NOW_MS).valid);
    assert!(one(&mut v, &cred, &none, NOW_MS + 99_999.0).valid);
    assert_eq!(counts(&v.stats().results), (1, 1, 0, 0, 1));
    // At exp the credential is still valid within the 60 s skew, and so is the entry: it lives
    // until the verdict would change, exp + skew + 1 s, and not a moment longer.
    assert!(one(&mut v, &cred, &none, NOW_MS + 160_999.0).valid);
    assert_eq!(counts(&v.stats().results), (2, 1, 0, 0, 1));
    let expired = one(&mut v, &cred, &none, NOW_MS + 161_000.0);
    assert_eq!(codes(&expired), ["EXPIRED_CREDENTIAL"]);
    assert_eq!(counts(&v.stats().results), (2, 2, 0, 1, 1));
    assert_eq!(codes(&one(&mut v, &cred, &none, NOW_MS + 162_000.0)), ["EXPIRED_CREDENTIAL"]);
    assert_eq!(counts(&v.stats().results), (3, 2, 0, 1, 1));

    // Without exp, the cache TTL bounds the entry: fresh before it, expired from it on.
    let mut v = verifier(&cache(8, 8, 4, 10.0));
    let forever = sd_vc(&issuer(), "forever", None, None);
    assert!(one(&mut v, &forever, &none, NOW_MS).valid);
    assert!(one(&mut v, &forever, &none, NOW_MS + 9_999.0).valid);
    assert!(one(&mut v, &forever, &none, NOW_MS + 10_000.0).valid);
    assert_eq!(counts(&v.stats().results), (1, 2, 0, 1, 1));
}

#[test]
fn a_clock_set_back_is_not_served_a_result_from_its_future() {
    let cred = sd_vc(&issuer(), "short", None, Some(100));
    let mut v = verifier(&cache(8, 8, 4, 3600.0));
    let at = |ms: f64| opts(json!({ "now": ms }));
    assert_eq!(codes(&one(&mut v, &cred, &at(NOW_MS + 500_000.0), NOW_MS)), ["EXPIRED_CREDENTIAL"]);
    // The injected clock goes back to when the credential was valid: the expired result is not served.
    assert!(one(&mut v, &cred, &at(NOW_MS + 50_000.0), NOW_MS).valid);
    // Forward again, past exp: expired (the valid result's deadline was its exp).
    assert_eq!(codes(&one(&mut v, &cred, &at(NOW_MS + 600_000.0), NOW_MS)), ["EXPIRED_CREDENTIAL"]);
    let s = v.stats().results;
    assert_eq!((s.hits, s.misses), (0, 3));
}

#[test]
fn results_never_outlive_the_status_list_ttl_nor_exp() {
    let k = issuer();
    let mut l = list(ListFormat::Ietf, IETF_URI, 1000, 1, None, Some(30), Some(3600));
    let idx = l.allocate().unwrap();
    let cred = sd_vc(&k, "s", Some((idx, IETF_URI)), Some(86_400));
    let token = l.sign(&k, NOW_MS);
    let call = lists(&[(IETF_URI, &token)]);
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let none = Map::new();

    assert!(one(&mut v, &cred, &call, NOW_MS).valid);
    assert_eq!(counts(&v.stats().status_lists), (0, 1, 0, 0, 1));
    // The same list supplied again, or not supplied at all: the cached result is served.
    assert!(one(&mut v, &cred, &call, NOW_MS + 10_000.0).valid);
    assert!(one(&mut v, &cred, &none, NOW_MS + 29_999.0).valid);
    assert_eq!(counts(&v.stats().results), (2, 1, 0, 0, 1));
    // At iat + ttl both the list and the result expire; without the list, fail closed.
    assert_eq!(codes(&one(&mut v, &cred, &none, NOW_MS + 30_000.0)), ["STATUS_UNAVAILABLE"]);
    let s = v.stats();
    assert_eq!(counts(&s.results), (2, 2, 0, 1, 0));
    assert_eq!(counts(&s.status_lists), (0, 2, 0, 1, 0));
    // Supplied again, the stale list still verifies (ttl is a caching hint) but nothing is cached.
    assert!(one(&mut v, &cred, &call, NOW_MS + 31_000.0).valid);
    let s = v.stats();
    assert_eq!((s.results.entries, s.status_lists.entries), (0, 0));

    // A list valid for 60 s: the result lives until the list's exp, and the list then fails.
    let mut short = list(ListFormat::Ietf, IETF_URI, 1000, 1, None, None, Some(60));
    short.set(idx, 0).unwrap();
    let token = short.sign(&k, NOW_MS);
    let call = lists(&[(IETF_URI, &token)]);
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    assert!(one(&mut v, &cred, &call, NOW_MS).valid);
    assert!(one(&mut v, &cred, &call, NOW_MS + 59_999.0).valid);
    assert_eq!(counts(&v.stats().results), (1, 1, 0, 0, 1));
    assert!(one(&mut v, &cred, &call, NOW_MS + 60_000.0).valid); // within the 60 s skew
    assert_eq!(counts(&v.stats().results), (1, 2, 0, 1, 0));
    let late = one(&mut v, &cred, &call, NOW_MS + 120_000.0);
    assert_eq!(codes(&late), ["INVALID_STATUS_LIST"]);
    assert_eq!(late.errors[0].path.as_deref(), Some("status"));
}

#[test]
fn not_yet_valid_status_unavailable_and_presentations_are_not_cached() {
    let k = issuer();
    let cred = sd_vc(&k, "future", None, Some(86_400));
    let mut v = verifier(&cache(8, 8, 4, 86_400.0));
    let none = Map::new();
    let early = NOW_MS - 3_600_000.0;
    assert_eq!(codes(&one(&mut v, &cred, &none, early)), ["NOT_YET_VALID"]);
    assert_eq!(codes(&one(&mut v, &cred, &none, early + 1000.0)), ["NOT_YET_VALID"]);
    assert_eq!(counts(&v.stats().results), (0, 2, 0, 0, 0));
    assert!(one(&mut v, &cred, &none, NOW_MS).valid);
    assert_eq!(v.stats().results.entries, 1);

    let mut l = list(ListFormat::Ietf, IETF_URI, 1000, 1, None, Some(300), Some(3600));
    let idx = l.allocate().unwrap();
    let with_status = sd_vc(&k, "listed", Some((idx, IETF_URI)), Some(86_400));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    assert_eq!(codes(&one(&mut v, &with_status, &none, NOW_MS)), ["STATUS_UNAVAILABLE"]);
    assert_eq!(v.stats().results.entries, 0);
    // Fail-open accepts it, but a result that relied on no list is not kept either.
    let open = opts(json!({ "statusFailOpen": true }));
    assert!(one(&mut v, &with_status, &open, NOW_MS).valid);
    assert_eq!(counts(&v.stats().results), (0, 2, 0, 0, 0));
    // The list arrives: the earlier failure was not cached.
    let token = l.sign(&k, NOW_MS);
    assert!(one(&mut v, &with_status, &lists(&[(IETF_URI, &token)]), NOW_MS).valid);
    assert_eq!(counts(&v.stats().results), (0, 3, 0, 0, 1));

    // A key-bound presentation answers one challenge: never cached.
    let holder = key(9);
    let opts_kb = IssueOptions {
        disclose: Selection::None,
        vct: Some(VCT.into()),
        holder_public_key: Some(holder.public_key().clone().into()),
        now_seconds: NOW,
        expires_in: Some(86_400),
        ..IssueOptions::default()
    };
    let mut rng = credcore::sdjwt::system_random;
    let sd = issue(&json!({ "given_name": "kb" }), &opts_kb, &k, &mut rng).unwrap();
    let kb = credcore::sdjwt::KeyBindingParams { key: &holder, nonce: "n-1", audience: "https://verifier.example", iat: NOW };
    let presentation = credcore::sdjwt::present(&sd, &Selection::None, Some(&kb)).unwrap();
    let call = opts(json!({ "nonce": "n-1", "audience": "https://verifier.example" }));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    assert!(one(&mut v, &presentation, &call, NOW_MS).valid);
    assert!(one(&mut v, &presentation, &call, NOW_MS + 1000.0).valid);
    // Past the key binding's freshness window (iat + 60 s skew) it fails, whatever came before.
    assert_eq!(codes(&one(&mut v, &presentation, &call, NOW_MS + 61_000.0)), ["KEY_BINDING_INVALID"]);
    assert_eq!(counts(&v.stats().results), (0, 3, 0, 0, 0));
}

#[test]
fn the_options_fingerprint_separates_outcomes() {
    let (k, other) = (issuer(), key(3));
    let cred = sd_vc(&k, "fp", None, Some(3600));
    let calls = [
        json!({}),
        json!({ "nonce": "n-1" }),
        json!({ "nonce": "n-2" }),
        json!({ "audience": "https://a.example" }),
        json!({ "trustedIssuers": [k.did()] }),
        json!({ "trustedIssuers": [other.did()] }),
    ];
    let mut v = verifier(&cache(8, 16, 4, 300.0));
    let first: Vec<Vec<&str>> = calls.iter().map(|c| codes(&one(&mut v, &cred, &opts(c.clone()), NOW_MS))).collect();
    assert_eq!(counts(&v.stats().results), (0, 6, 0, 0, 6));
    assert_eq!(first[0], Vec::<&str>::new());
    assert_eq!(first[4], Vec::<&str>::new());
    assert_eq!(first[5], ["UNTRUSTED_ISSUER"]);
    let again: Vec<Vec<&str>> = calls.iter().map(|c| codes(&one(&mut v, &cred, &opts(c.clone()), NOW_MS + 1.0))).collect();
    assert_eq!(first, again);
    assert_eq!(counts(&v.stats().results), (6, 6, 0, 0, 6));

    // Base options and call options merge before the fingerprint: the same effective options hit.
    let mut v = Verifier::new(opts(json!({ "trustedIssuers": [other.did()] })), &cache(8, 8, 4, 300.0)).unwrap();
    assert_eq!(codes(&one(&mut v, &cred, &Map::new(), NOW_MS)), ["UNTRUSTED_ISSUER"]);
    assert!(one(&mut v, &cred, &opts(json!({ "trustedIssuers": [k.did()] })), NOW_MS).valid);
    assert_eq!(codes(&one(&mut v, &cred, &opts(json!({ "trustedIssuers": [other.did()] })), NOW_MS)), ["UNTRUSTED_ISSUER"]);
    assert_eq!(counts(&v.stats().results), (1, 2, 0, 0, 2));
}

#[test]
fn a_hit_is_the_same_input_byte_for_byte() {
    let k = issuer();
    let cred = sd_vc(&k, "exact", None, Some(3600));
    let mut v = verifier(&cache(8, 64, 4, 300.0));
    let none = Map::new();
    assert!(one(&mut v, &cred, &none, NOW_MS).valid);
    // Every single-byte change of the issuer-signed part (the last eight bytes included, which
    // the key comparison reads as a tail), one byte more, one byte fewer: none is served the
    // cached result, and each is verified (and rejected) on its own.
    let jwt_end = cred.find('~').unwrap();
    let mut variants: Vec<String> = [jwt_end - 1, jwt_end - 8, jwt_end / 2, 0, cred.len() - 1]
        .iter()
        .map(|&at| {
            let mut b = cred.clone().into_bytes();
            b[at] = if b[at] == b'A' { b'B' } else { b'A' };
            String::from_utf8(b).unwrap()
        })
        .collect();
    variants.push(format!("{cred}x"));
    variants.push(cred[..cred.len() - 1].to_owned());
    for (n, variant) in variants.iter().enumerate() {
        let before = v.stats().results;
        assert!(!one(&mut v, variant, &none, NOW_MS).valid, "variant {n} must not pass");
        let after = v.stats().results;
        assert_eq!((after.hits, after.misses), (before.hits, before.misses + 1), "variant {n} is a miss");
    }
    assert!(one(&mut v, &cred, &none, NOW_MS).valid);
    assert_eq!(v.stats().results.hits, 1);
}

#[test]
fn the_result_cache_is_bounded_by_bytes() {
    let k = issuer();
    let creds: Vec<String> = (0..10).map(|i| sd_vc(&k, &format!("holder {i}"), None, Some(3600))).collect();
    let none = Map::new();
    // Room for the inputs and results of about three credentials: ten entries fit by count only.
    let mut probe = verifier(&cache(8, 100, 4, 300.0));
    let text = probe.verify_batch_json(&[&creds[0]], &none, NOW_MS).unwrap();
    let per_entry = 32 + creds[0].len() + text.len() - 2;
    let budget = per_entry * 3 + per_entry / 2;
    let mut v = Verifier::new(Map::new(), &CacheConfig { results: 100, result_bytes: budget, ..CacheConfig::default() }).unwrap();
    let refs: Vec<&str> = creds.iter().map(String::as_str).collect();
    assert!(v.verify_batch(&refs, &none, NOW_MS).unwrap().iter().all(|r| r.valid));
    let s = v.stats().results;
    assert_eq!((s.misses, s.evictions, s.entries), (10, 7, 3));
    // The three most recent are served; the first is verified again.
    assert!(v.verify_batch(&refs[7..], &none, NOW_MS).unwrap().iter().all(|r| r.valid));
    assert!(one(&mut v, &creds[0], &none, NOW_MS).valid);
    assert_eq!(counts(&v.stats().results), (3, 11, 8, 0, 3));
    // A budget smaller than one entry caches nothing, and verifies all the same.
    let mut tiny = Verifier::new(Map::new(), &CacheConfig { result_bytes: 10, ..CacheConfig::default() }).unwrap();
    assert!(one(&mut tiny, &creds[0], &none, NOW_MS).valid);
    assert!(one(&mut tiny, &creds[0], &none, NOW_MS).valid);
    assert_eq!(counts(&tiny.stats().results), (0, 2, 0, 0, 0));
}

#[test]
fn json_results_match_the_results() {
    let k = issuer();
    let cred = sd_vc(&k, "json", None, Some(3600));
    let none = Map::new();
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let inputs = [cred.as_str(), "not a credential", cred.as_str()];
    let expected = serde_json::to_value(v.verify_batch(&inputs, &none, NOW_MS).unwrap()).unwrap();
    // Computed, then served from the cache: the same JSON both times.
    for _ in 0..2 {
        let text = v.verify_batch_json(&inputs, &none, NOW_MS).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);
    }
    // One cached input per call (the duplicate is served with its twin; the malformed input is
    // looked up but never stored).
    assert_eq!(v.stats().results.hits, 2);
}

#[test]
fn memory_stays_bounded_over_many_distinct_inputs() {
    const CAPACITY: usize = 1000;
    let mut v = verifier(&cache(16, CAPACITY, 4, 300.0));
    let none = Map::new();
    // 200,000 distinct valid inputs: one anon-identity credential whose unsigned, informational
    // `proof.created` differs (every one needs its signature checked, and is cached).
    let anon = credcore::credential::issue::issue_credential(
        &json!({ "credentialSubject": { "id": issuer().did(), "n": 1 } }),
        &issuer(),
        credcore::credential::issue::IssueFormat::AnonIdentity,
        None,
        NOW,
    )
    .unwrap();
    let mut batch: Vec<String> = Vec::with_capacity(10_000);
    for chunk in 0..20u32 {
        batch.clear();
        batch.extend((0..10_000u32).map(|i| {
            let mut a = anon.clone();
            a["proof"]["created"] = json!(format!("c-{}", chunk * 10_000 + i));
            serde_json::to_string(&a).unwrap()
        }));
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        let r = v.verify_batch(&refs, &none, NOW_MS).unwrap();
        assert_eq!(r.len(), 10_000);
        assert!(r.iter().all(|r| r.valid), "{:?}", r[0].errors);
        assert!(v.stats().results.entries <= CAPACITY);
    }
    let s = v.stats().results;
    assert_eq!(counts(&s), (0, 200_000, 199_000, 0, CAPACITY));
}

#[test]
fn ietf_revocation_suspension_and_reinstatement() {
    let k = issuer();
    let mut l = list(ListFormat::Ietf, IETF_URI, 10_000, 2, None, Some(300), Some(3600));
    let (i1, i2) = (l.allocate().unwrap(), l.allocate().unwrap());
    let (c1, c2) = (sd_vc(&k, "one", Some((i1, IETF_URI)), Some(86_400)), sd_vc(&k, "two", Some((i2, IETF_URI)), Some(86_400)));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let step = |v: &mut Verifier, l: &StatusListIssuer, t: f64| -> (Vec<&'static str>, Vec<&'static str>) {
        let token = l.sign(&k, t);
        let r = v.verify_batch(&[&c1, &c2], &lists(&[(IETF_URI, &token)]), t).unwrap();
        assert!(r[1].valid, "the other credential is untouched");
        (codes(&r[0]), codes(&r[1]))
    };
    assert_eq!(step(&mut v, &l, NOW_MS).0, Vec::<&str>::new());
    l.set(i1, 1).unwrap();
    assert_eq!(step(&mut v, &l, NOW_MS + 1000.0).0, ["REVOKED_CREDENTIAL"]);
    l.set(i1, 2).unwrap();
    assert_eq!(step(&mut v, &l, NOW_MS + 2000.0).0, ["CREDENTIAL_SUSPENDED"]);
    l.set(i1, 0).unwrap();
    assert_eq!(step(&mut v, &l, NOW_MS + 3000.0).0, Vec::<&str>::new());
    // Value 3 is application-specific: not an invalidating status.
    l.set(i1, 3).unwrap();
    assert_eq!(step(&mut v, &l, NOW_MS + 4000.0).0, Vec::<&str>::new());
    // Each new list was decoded once; the results of the previous list were never served.
    let s = v.stats();
    assert_eq!(counts(&s.status_lists), (0, 5, 0, 0, 1));
    assert_eq!((s.results.hits, s.results.misses), (0, 10));

    // A cached result is not served once a newer list for its URI is cached, even when the call
    // supplies no list.
    l.set(i1, 1).unwrap();
    let revoked = l.sign(&k, NOW_MS + 5000.0);
    assert_eq!(codes(&one(&mut v, &c2, &lists(&[(IETF_URI, &revoked)]), NOW_MS + 5000.0)), Vec::<&str>::new());
    assert_eq!(codes(&one(&mut v, &c1, &Map::new(), NOW_MS + 6000.0)), ["REVOKED_CREDENTIAL"]);
}

#[test]
fn the_needs_loop_asks_only_for_lists_that_decide_a_verdict() {
    let k = issuer();
    let other_uri = "https://issuer.example/status/ietf/2";
    let mut l = list(ListFormat::Ietf, IETF_URI, 10_000, 1, None, Some(300), Some(3600));
    let l2 = list(ListFormat::Ietf, other_uri, 10_000, 1, None, Some(300), Some(3600));
    let i1 = l.allocate().unwrap();
    let c1 = sd_vc(&k, "one", Some((i1, IETF_URI)), Some(86_400));
    let c2 = sd_vc(&k, "two", Some((7, other_uri)), Some(86_400));
    let plain = sd_vc(&k, "plain", None, Some(86_400));
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let none = Map::new();
    // Before anything is held: the lists of the items that only they keep from a verdict, in
    // first-seen order, and the indices to run again (duplicates too).
    let (_, needs) = v.serve_batch_with_needs(&[&plain, &c2, &c1, &c2, "garbage"], &none, NOW_MS).unwrap();
    assert_eq!(
        (needs.uris.as_slice(), needs.items.as_slice()),
        ([other_uri.to_owned(), IETF_URI.to_owned()].as_slice(), [1usize, 2, 3].as_slice())
    );
    let token = l.sign(&k, NOW_MS);
    let supplied = lists(&[(IETF_URI, &token), (other_uri, &l2.sign(&k, NOW_MS))]);
    assert!(v.verify_batch(&[&c1, &c2, &plain], &supplied, NOW_MS).unwrap().iter().all(|r| r.valid));
    // Cached: nothing is needed, and every result is a hit.
    let before = v.stats().results;
    let (_, needs) = v.serve_batch_with_needs(&[&c1, &plain, &c2], &none, NOW_MS + 1.0).unwrap();
    assert!(needs.uris.is_empty() && needs.items.is_empty());
    assert_eq!(v.stats().results.hits, before.hits + 3);
    // Missing: what verified items needed that neither the call nor the status-list cache held.
    // Both lists are cached now; a third URI is not.
    let third = "https://issuer.example/status/ietf/3";
    let c3 = sd_vc(&k, "three", Some((8, other_uri)), Some(86_400));
    let c4 = sd_vc(&k, "four", Some((9, third)), Some(86_400));
    let missing = |v: &mut Verifier, inputs: &[&str], call: &Map<String, Value>, t: f64| {
        let (served, needs) = v.serve_batch_with_needs(inputs, call, t).unwrap();
        (served.iter().map(|s| codes(s.result())).collect::<Vec<_>>(), needs.uris)
    };
    assert_eq!(missing(&mut v, &[&c3, &c1], &none, NOW_MS + 1.0), (vec![vec![], vec![]], vec![]));
    assert_eq!(missing(&mut v, &[&c3, &c4], &none, NOW_MS + 1.0), (vec![vec![], vec!["STATUS_UNAVAILABLE"]], vec![third.to_owned()]));
    let given = lists(&[(third, &list(ListFormat::Ietf, third, 1000, 1, None, None, None).sign(&k, NOW_MS))]);
    assert_eq!(missing(&mut v, &[&c4], &given, NOW_MS + 1.0), (vec![vec![]], vec![]));
    // Past the cache TTL (300 s) the lists are missing again (c3's result expired with them).
    let (_, later) = missing(&mut v, &[&c3, &plain], &none, NOW_MS + 301_000.0);
    assert_eq!(later, [other_uri]);
    // Nothing is asked for an item that another failure already decides: untrusted, or forged.
    let untrusted = Map::from_iter([("trustedIssuers".to_owned(), json!(["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]))]);
    let (_, none_needed) = missing(&mut v, &[&c4], &untrusted, NOW_MS + 1.0);
    assert!(none_needed.is_empty(), "{none_needed:?}");
    let forged = format!("{}AAAA{}", &c4[..c4.find('~').unwrap() - 4], &c4[c4.find('~').unwrap()..]);
    let (codes_forged, none_needed) = missing(&mut v, &[&forged], &none, NOW_MS + 1.0);
    assert!(codes_forged[0].contains(&"INVALID_SIGNATURE") && none_needed.is_empty(), "{codes_forged:?} {none_needed:?}");
    let before = v.stats().results;
    // The list fetched for those URIs decides as before: revoked now, so not served from the cache.
    l.set(i1, 1).unwrap();
    let revoked = l.sign(&k, NOW_MS + 2.0);
    let r = v.verify_batch(&[&c1], &lists(&[(IETF_URI, &revoked)]), NOW_MS + 2.0).unwrap();
    assert_eq!(codes(&r[0]), ["REVOKED_CREDENTIAL"]);
    assert_eq!(v.stats().results.hits, before.hits);
}

#[test]
fn w3c_revocation_and_suspension_lists() {
    let k = issuer();
    let mut revocation = list(ListFormat::W3c, REVOCATION_URI, 131_072, 1, Some("revocation"), Some(300), Some(3600));
    let mut suspension = list(ListFormat::W3c, SUSPENSION_URI, 131_072, 1, Some("suspension"), Some(300), Some(3600));
    let (ri, si) = (revocation.allocate().unwrap(), suspension.allocate().unwrap());
    let entry = |purpose: &str, uri: &str, index: u64| json!({ "id": format!("{uri}#{index}"), "type": "BitstringStatusListEntry", "statusPurpose": purpose, "statusListIndex": index.to_string(), "statusListCredential": uri });
    let credential = json!({
        "credentialSubject": { "id": "did:example:holder", "name": "Ada" },
        "credentialStatus": [entry("revocation", REVOCATION_URI, ri), entry("suspension", SUSPENSION_URI, si)],
    });
    let jwt = issue_credential(&credential, &k, IssueFormat::VcJwt, Some(86_400), NOW).unwrap();
    let jwt = jwt.as_str().unwrap();
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let check = |v: &mut Verifier, r: &StatusListIssuer, s: &StatusListIssuer, t: f64| {
        let (rt, st) = (r.sign(&k, t), s.sign(&k, t));
        one(v, jwt, &lists(&[(REVOCATION_URI, &rt), (SUSPENSION_URI, &st)]), t)
    };
    let r = check(&mut v, &revocation, &suspension, NOW_MS);
    assert!(r.valid, "{:?}", r.errors);
    suspension.set(si, 1).unwrap();
    let r = check(&mut v, &revocation, &suspension, NOW_MS + 1000.0);
    assert_eq!(codes(&r), ["CREDENTIAL_SUSPENDED"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("payload.vc.credentialStatus[1]"));
    suspension.set(si, 0).unwrap();
    assert!(check(&mut v, &revocation, &suspension, NOW_MS + 2000.0).valid);
    revocation.set(ri, 1).unwrap();
    let r = check(&mut v, &revocation, &suspension, NOW_MS + 3000.0);
    assert_eq!(codes(&r), ["REVOKED_CREDENTIAL"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("payload.vc.credentialStatus[0]"));
    // A revocation list given where the entry names the suspension list's URI is not accepted.
    let swapped = lists(&[(REVOCATION_URI, &revocation.sign(&k, NOW_MS)), (SUSPENSION_URI, &revocation.sign(&k, NOW_MS))]);
    assert!(one(&mut v, jwt, &swapped, NOW_MS).has(credcore::ErrorCode::InvalidStatusList));
}

#[test]
fn bad_lists_are_rejected_and_absent_lists_fail_closed() {
    let (k, stranger) = (issuer(), key(4));
    let mut l = list(ListFormat::Ietf, IETF_URI, 1000, 1, None, Some(300), Some(3600));
    let idx = l.allocate().unwrap();
    let cred = sd_vc(&k, "x", Some((idx, IETF_URI)), Some(86_400));
    let genuine = l.sign(&k, NOW_MS);
    // The same list with its signature's first character changed.
    let (head, sig) = genuine.rsplit_once('.').unwrap();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    let forged = format!("{head}.{flipped}{}", &sig[1..]);
    let foreign = l.sign(&stranger, NOW_MS);
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    let none = Map::new();

    assert_eq!(codes(&one(&mut v, &cred, &lists(&[(IETF_URI, &forged)]), NOW_MS)), ["INVALID_STATUS_LIST"]);
    // The forged list was not kept: without a list the answer is "unavailable", not "invalid".
    assert_eq!(codes(&one(&mut v, &cred, &none, NOW_MS)), ["STATUS_UNAVAILABLE"]);
    assert_eq!(v.stats().status_lists.entries, 0);
    // Fail-open covers absence, never forgery or a stranger's list.
    let open_forged = opts(json!({ "statusFailOpen": true, "statusLists": { IETF_URI: forged } }));
    assert_eq!(codes(&one(&mut v, &cred, &open_forged, NOW_MS)), ["INVALID_STATUS_LIST"]);
    assert_eq!(codes(&one(&mut v, &cred, &lists(&[(IETF_URI, &foreign)]), NOW_MS)), ["INVALID_STATUS_LIST"]);
    let open_foreign = opts(json!({ "statusFailOpen": true, "statusLists": { IETF_URI: foreign } }));
    assert_eq!(codes(&one(&mut v, &cred, &open_foreign, NOW_MS)), ["INVALID_STATUS_LIST"]);
    // A stranger's list is accepted once its signer is a trusted status issuer.
    let trusted = opts(json!({ "trustedStatusIssuers": [stranger.did()], "statusLists": { IETF_URI: foreign } }));
    assert!(one(&mut v, &cred, &trusted, NOW_MS).valid);
    assert!(one(&mut v, &cred, &opts(json!({ "statusFailOpen": true })), NOW_MS + 1.0).has(credcore::ErrorCode::InvalidStatusList));

    // The genuine list, once cached, is not displaced by a forged one.
    let mut v = verifier(&cache(8, 8, 4, 300.0));
    assert!(one(&mut v, &cred, &lists(&[(IETF_URI, &genuine)]), NOW_MS).valid);
    assert_eq!(codes(&one(&mut v, &cred, &lists(&[(IETF_URI, &forged)]), NOW_MS + 1.0)), ["INVALID_STATUS_LIST"]);
    assert!(one(&mut v, &cred, &none, NOW_MS + 2.0).valid);
    let s = v.stats();
    assert_eq!(counts(&s.results), (1, 2, 0, 0, 1));
}

#[test]
fn one_list_is_inflated_once_for_many_batches() {
    let k = issuer();
    let mut l = list(ListFormat::Ietf, IETF_URI, 1_000_000, 1, None, Some(3600), Some(86_400));
    let creds: Vec<String> = (0..50).map(|i| sd_vc(&k, &format!("c{i}"), Some((l.allocate().unwrap(), IETF_URI)), Some(86_400))).collect();
    let token = l.sign(&k, NOW_MS);
    let call = lists(&[(IETF_URI, &token)]);
    let mut v = verifier(&cache(8, 100, 4, 300.0));
    for (b, chunk) in creds.chunks(10).enumerate() {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let r = v.verify_batch(&refs, &call, NOW_MS + b as f64).unwrap();
        assert!(r.iter().all(|r| r.valid));
    }
    let s = v.stats();
    assert_eq!(counts(&s.status_lists), (4, 1, 0, 0, 1));
    assert_eq!(counts(&s.results), (0, 50, 0, 0, 50));
    // 50 credentials and the list, all by one issuer: one decoding, 50 hits.
    assert_eq!(counts(&s.keys), (50, 1, 0, 0, 1));
}
