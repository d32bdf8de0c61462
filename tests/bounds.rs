#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Bounded work: hostile inputs that once took gigabytes, overflowed the stack or made the
//! resolver fetch thousands of lists, each reproduced at full size, with the peak heap of the
//! call measured by a counting allocator.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{issue_credential, IssueFormat};
use credcore::credential::VerifyOptions;
use credcore::encoding::b64url_encode;
use credcore::hash::HashAlg;
use credcore::keys::KeyPair;
use credcore::sdjwt::Disclosure;
use credcore::status::{ListConfig, ListFormat, StatusListIssuer};
use credcore::verifier::{CacheConfig, Verifier};
use peak_alloc::PeakAlloc;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;
/// Tests measuring the peak run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result with the peak heap above what was live before it, in MiB.
fn peak_mib<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let base = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let out = f();
    (out, (ALLOC.peak_usage().saturating_sub(base)) as f64 / (1024.0 * 1024.0))
}

const NOW: i64 = 1_750_000_000;

fn at() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), ..VerifyOptions::default() }
}

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[41; 32])
}

#[test]
fn eighty_one_megabyte_items_of_zeros_stay_within_a_stated_heap() {
    let _one = ONE_AT_A_TIME.lock();
    // anon-identity-shaped: a subject with a 524,000-zero array, no valid signature.
    let zeros = "0,".repeat(524_000);
    let item = format!(
        r#"{{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"{}","credentialSubject":{{"id":"x","a":[{zeros}0]}},"proof":{{"type":"Ed25519Signature2020","jws":"e30.e30.AA"}}}}"#,
        issuer().did()
    );
    assert!(item.len() > 1_000_000);
    let items: Vec<String> = (0..80).map(|i| format!("{item}{}", " ".repeat(i))).collect();
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let (results, peak) = peak_mib(|| v.verify_batch(&refs, &options_map(&at()), 0.0).unwrap());
    assert!(results.iter().all(|r| codes(r) == ["INPUT_TOO_LARGE"]), "{:?}", results[0].errors);
    // 80 MiB of input was given; the call itself holds far less than one parsed copy of it.
    println!("80 x 1 MiB of zeros: peak heap of the call {peak:.1} MiB");
    assert!(peak < 64.0, "peak {peak:.1} MiB");
    // Dense but under the value limit: 19,000 values per item, 80 items, through groups.
    let dense = format!(
        r#"{{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"{}","credentialSubject":{{"id":"x","a":[{}0]}},"proof":{{"type":"Ed25519Signature2020","jws":"e30.e30.AA"}}}}"#,
        issuer().did(),
        "0,".repeat(19_000)
    );
    let items: Vec<String> = (0..80).map(|i| format!("{dense}{}", " ".repeat(i))).collect();
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let (results, peak) = peak_mib(|| v.verify_batch(&refs, &options_map(&at()), 0.0).unwrap());
    assert!(results.iter().all(|r| !r.valid && r.claims.is_none()));
    // Their unverified claims are past the kept limit: dropped.
    assert!(results.iter().all(|r| r.unverified.as_ref().is_some_and(|u| u.claims.is_none())));
    println!("80 items of 19,000 values: peak heap of the call {peak:.1} MiB");
    assert!(peak < 96.0, "peak {peak:.1} MiB");
}

/// An SD-JWT whose `depth` disclosures nest each through the next, each claim named `name`.
fn nested_sd_jwt(depth: usize, name: &str) -> String {
    let alg = HashAlg::Sha256;
    let mut inner: Value = json!({ "leaf": 1 });
    let mut disclosures = Vec::new();
    for i in 0..depth {
        let d = Disclosure::property(&format!("s{i}"), name, inner);
        inner = json!({ "_sd": [d.digest(alg)] });
        disclosures.push(d.encoded().to_owned());
    }
    let mut payload = inner;
    payload["iss"] = json!(issuer().did());
    payload["_sd_alg"] = json!("sha-256");
    let header = b64url_encode(br#"{"alg":"EdDSA","typ":"example+sd-jwt"}"#);
    let jwt = format!("{header}.{}.{}", b64url_encode(&serde_json::to_vec(&payload).unwrap()), b64url_encode(&[0; 64]));
    format!("{jwt}~{}~", disclosures.join("~"))
}

#[test]
fn deep_disclosure_nesting_cannot_overflow_the_stack_whatever_max_depth_says() {
    let deep = nested_sd_jwt(2_000, "n");
    assert!(deep.len() > 150_000);
    for max_depth in [64, 10_000, usize::MAX] {
        let r = verify(&deep, &VerifyOptions { max_depth, ..at() });
        assert_eq!(codes(&r), ["INPUT_TOO_LARGE", "INVALID_SIGNATURE"], "maxDepth {max_depth}");
    }
    // Within the hard ceiling, nesting is honoured.
    let fine = nested_sd_jwt(40, "n");
    assert_eq!(codes(&verify(&fine, &VerifyOptions { max_depth: 200, ..at() })), ["INVALID_SIGNATURE"]);
}

/// A VC-JWT of `holder` by `by`, valid for an hour, with `status` as its `credentialStatus`.
fn status_vc(by: &KeyPair, holder: &KeyPair, status: Value) -> String {
    let body = json!({ "credentialSubject": { "id": holder.did() }, "credentialStatus": status });
    issue_credential(&body, by, IssueFormat::VcJwt, Some(3600), NOW).unwrap().as_str().unwrap().to_owned()
}

fn entry(i: usize) -> Value {
    json!({ "id": format!("https://evil.example/{i}#1"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": format!("https://evil.example/{i}") })
}

#[test]
fn nothing_is_fetched_for_items_that_fail_anyway_and_each_call_asks_for_few_lists() {
    let attacker = KeyPair::from_seed(&[42; 32]);
    let holder = KeyPair::from_seed(&[43; 32]);
    // 1 MiB naming 14,000 lists, signed by its own issuer.
    let many: Vec<Value> = (0..14_000).map(entry).collect();
    let big = issue_credential(
        &json!({ "credentialSubject": { "id": holder.did() }, "credentialStatus": many }),
        &attacker,
        IssueFormat::VcJwt,
        Some(3600),
        NOW,
    )
    .unwrap();
    let big = big.as_str().unwrap();
    // Two lists, signed, but by an untrusted issuer; and the same with a zero signature.
    let two = issue_credential(
        &json!({ "credentialSubject": { "id": holder.did() }, "credentialStatus": [entry(1), entry(2)] }),
        &attacker,
        IssueFormat::VcJwt,
        Some(3600),
        NOW,
    )
    .unwrap();
    let two = two.as_str().unwrap().to_owned();
    let zero_sig = format!("{}.{}", two.rsplit_once('.').unwrap().0, b64url_encode(&[0; 64]));
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let untrusted = options_map(&VerifyOptions { trusted_issuers: Some(vec![issuer().did()]), ..at() });
    for (input, options, code) in [
        (big, options_map(&at()), "INPUT_TOO_LARGE"),
        (two.as_str(), untrusted, "UNTRUSTED_ISSUER"),
        (zero_sig.as_str(), options_map(&at()), "INVALID_SIGNATURE"),
    ] {
        let (served, needs) = v.serve_batch_with_needs(&[input], &options, 0.0).unwrap();
        assert!(codes(served[0].result()).contains(&code), "{:?}", served[0].result().errors);
        assert!(needs.uris.is_empty() && needs.items.is_empty(), "{code}: {needs:?}");
    }
    // Honest-looking items naming many lists: at most MAX_STATUS_LISTS_PER_CALL are asked for.
    let items: Vec<String> = (0..40).map(|k| status_vc(&attacker, &holder, json!([entry(2 * k), entry(2 * k + 1)]))).collect();
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let (_, needs) = v.serve_batch_with_needs(&refs, &options_map(&at()), 0.0).unwrap();
    assert_eq!(needs.uris.len(), credcore::verifier::MAX_STATUS_LISTS_PER_CALL);
    assert_eq!(needs.items.len(), credcore::verifier::MAX_STATUS_LISTS_PER_CALL / 2);
}

#[test]
fn compression_bombs_supplied_as_lists_are_bounded_per_call() {
    let _one = ONE_AT_A_TIME.lock();
    let attacker = KeyPair::from_seed(&[44; 32]);
    let holder = KeyPair::from_seed(&[45; 32]);
    // 24 lists of 16 MiB (2^27 entries), signed by the attacker, all zeros: they compress to
    // a few kilobytes each.
    let mut lists = BTreeMap::new();
    let mut entries = Vec::new();
    for i in 0..24 {
        let uri = format!("https://evil.example/{i}");
        let cfg = ListConfig {
            format: ListFormat::W3c,
            uri: uri.clone(),
            size: 1 << 27,
            bits: 1,
            purpose: None,
            ttl_seconds: None,
            valid_for_seconds: Some(86_400),
        };
        let signed = StatusListIssuer::new(cfg).unwrap().sign(&attacker, (NOW - 60) as f64 * 1000.0);
        assert!(signed.len() < 200_000, "{}", signed.len());
        lists.insert(uri.clone(), Value::String(signed));
        entries.push(json!({ "id": format!("{uri}#1"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": uri }));
    }
    let items: Vec<String> = entries.chunks(12).map(|e| status_vc(&attacker, &holder, json!(e))).collect();
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let options = options_map(&VerifyOptions { status_lists: Some(lists), ..at() });
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let (results, peak) = peak_mib(|| v.verify_batch(&refs, &options, 0.0).unwrap());
    println!("24 lists of 16 MiB in one call: peak heap {peak:.1} MiB");
    // Four lists fit the per-call budget of 64 MiB; the rest are refused unread.
    assert!(results.iter().all(|r| codes(r).contains(&"INPUT_TOO_LARGE")), "{:?}", results[0].errors);
    assert!(peak < 64.0 + 48.0, "peak {peak:.1} MiB");
    let held = v.stats().status_lists.entries;
    assert!(held <= 4, "{held} lists held");
}

#[test]
fn nested_disclosures_with_long_names_cannot_make_quadratic_paths() {
    let _one = ONE_AT_A_TIME.lock();
    // 62 levels, each named with 12,000 characters: every disclosed claim's path repeats its
    // parents' names (about 23 MB of paths from a 974 KB input, before the bound).
    let input = nested_sd_jwt(62, &"n".repeat(12_000));
    assert!(input.len() < 1024 * 1024, "{}", input.len());
    let mut v = Verifier::new(Map::new(), &CacheConfig::stateless()).unwrap();
    let (results, peak) = peak_mib(|| v.verify_batch(&[&input], &options_map(&at()), 0.0).unwrap());
    println!("62 nested disclosures with 12,000-character names: peak heap {peak:.1} MiB");
    assert!(codes(&results[0]).contains(&"INPUT_TOO_LARGE"), "{:?}", results[0].errors);
    assert!(peak < 32.0, "peak {peak:.1} MiB");
}

#[test]
fn a_disclosure_nesting_within_max_depth_verifies_up_to_the_ceiling() {
    // Found by fuzzing: one disclosure whose value nests 100 levels was refused at 64 whatever
    // `maxDepth` allowed. The disclosure is held to the hard ceiling; `maxDepth` decides.
    let mut value = json!(1);
    for _ in 0..100 {
        value = json!({ "n": value });
    }
    let claims = json!({ "vct": "urn:x", "deep": value });
    let opts = credcore::sdjwt::IssueOptions {
        disclose: credcore::sdjwt::Selection::Paths(vec!["/deep".into()]),
        now_seconds: NOW - 60,
        ..Default::default()
    };
    let sd = credcore::sdjwt::issue(&claims, &opts, &issuer(), &mut credcore::random::system_random).unwrap();
    let r = verify(&sd, &VerifyOptions { max_depth: 128, ..at() });
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(codes(&verify(&sd, &at())), ["INPUT_TOO_LARGE"]);
}
