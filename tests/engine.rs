#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] functions unwrap fixture data they build themselves.
#![allow(clippy::unwrap_used)]
//! The batch engine: bad input gets its own coded result and never stops a batch; batch
//! results equal one-by-one results.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::{Format, VerifyOptions};
use credcore::keys::KeyPair;
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::{json, Value};

const NOW: i64 = 1_750_000_000;

fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), ..VerifyOptions::default() }
}

fn valid_items() -> Vec<String> {
    let issuer = KeyPair::from_seed(&[1; 32]);
    let holder = KeyPair::from_seed(&[2; 32]);
    let body = json!({"credentialSubject": {"id": holder.did(), "n": 1}});
    let jwt = issue_credential(&body, &issuer, IssueFormat::VcJwt, None, NOW).unwrap();
    let anon = issue_credential(&body, &issuer, IssueFormat::AnonIdentity, None, NOW).unwrap();
    let vp = create_presentation(&[anon.clone(), jwt.clone()], &holder, None, None, PresentationFormat::VpJwt, NOW).unwrap();
    let avp = create_presentation(std::slice::from_ref(&anon), &holder, None, None, PresentationFormat::AnonIdentity, NOW).unwrap();
    vec![jwt.as_str().unwrap().to_owned(), text(&anon), vp.as_str().unwrap().to_owned(), text(&avp)]
}

fn bad_items() -> Vec<(String, &'static str)> {
    let jwt = valid_items().remove(0);
    let (h, rest) = jwt.split_once('.').unwrap();
    let mut wrong_types = serde_json::from_str::<Value>(&valid_items()[1]).unwrap();
    wrong_types["credentialSubject"] = json!(42);
    vec![
        (format!("{h}.@@@.{}", rest.split_once('.').unwrap().1), "MALFORMED_INPUT"),
        ("{\"type\": [\"VerifiableCredential\"], ".to_owned(), "MALFORMED_INPUT"),
        (text(&wrong_types), "MALFORMED_INPUT"),
        (text(&json!({"type": 7})), "MALFORMED_INPUT"),
        ("x".repeat(10 * 1024 * 1024), "INPUT_TOO_LARGE"),
        (format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)), "MALFORMED_INPUT"),
        (format!("{{\"type\":{}1{}}}", "[".repeat(10_000), "]".repeat(10_000)), "INPUT_TOO_LARGE"),
        (String::new(), "MALFORMED_INPUT"),
        ("a~b~".to_owned(), "MALFORMED_INPUT"),
    ]
}

#[test]
fn bad_input_gets_coded_results_and_the_batch_goes_on() {
    let bad = bad_items();
    let valid = valid_items();
    let mut inputs: Vec<&str> = Vec::new();
    for (b, _) in &bad {
        inputs.push(b);
        inputs.push(&valid[0]);
    }
    let results = verify_batch(&inputs, &opts());
    assert_eq!(results.len(), inputs.len());
    for (i, (_, code)) in bad.iter().enumerate() {
        let r = &results[2 * i];
        assert!(!r.valid);
        assert_eq!(r.errors[0].code, *code, "bad item {i}: {:?}", r.errors);
        assert!(results[2 * i + 1].valid, "the valid item after bad item {i}");
    }
    // Wrong types are named with a path.
    assert_eq!(results[4].errors[0].path.as_deref(), Some("credentialSubject"));
    // Nesting inside a JWT payload, past serde_json's own limit.
    let deep = format!("{{\"vc\":{}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let h = credcore::encoding::b64url_encode(br#"{"alg":"EdDSA"}"#);
    let jwt = format!("{h}.{}.{}", credcore::encoding::b64url_encode(deep.as_bytes()), credcore::encoding::b64url_encode(&[0; 64]));
    let r = verify(&jwt, &VerifyOptions { max_input_bytes: 1 << 20, ..opts() });
    assert_eq!(codes(&r), ["INPUT_TOO_LARGE"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("payload"));
    // And the next batch works.
    let refs: Vec<&str> = valid.iter().map(String::as_str).collect();
    assert!(verify_batch(&refs, &opts()).iter().all(|r| r.valid));
}

#[test]
fn sd_jwt_goes_to_its_module() {
    let r = verify("eyJhbGciOiJFZERTQSJ9.e30.AA~", &opts());
    assert_eq!(r.format, Format::SdJwt);
    assert_eq!(codes(&r), ["MALFORMED_INPUT"]);
}

#[test]
fn batch_equals_one_by_one() {
    let f = fixture("presentation.json");
    let fixture_options = at_fixture_time(&f);
    let mut items = valid_items();
    items.extend(bad_items().into_iter().map(|(b, _)| b).filter(|b| b.len() < 100_000));
    // Tampered and expired items among valid ones.
    let mut t = serde_json::from_str::<Value>(&items[1]).unwrap();
    t["credentialSubject"]["n"] = json!(2);
    items.push(text(&t));
    // A forged signature: one bit of R flipped. (Overwriting the last characters with "AAA" was
    // no forgery at all about once in a thousand runs: the credential's id is a random UUID, so
    // the signature is random, and its last 14 bits, S's top byte included, which is below 0x10
    // since S < L, are all zero that often.)
    let (signed, signature) = items[0].rsplit_once('.').unwrap();
    let mut forged = credcore::encoding::b64url_decode(signature).unwrap();
    forged[0] ^= 1;
    items.push(format!("{signed}.{}", credcore::encoding::b64url_encode(&forged)));
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    for options in [opts(), fixture_options, VerifyOptions { now: Some(0.0), ..opts() }] {
        let batch = verify_batch(&refs, &options);
        let single: Vec<_> = refs.iter().map(|i| verify(i, &options)).collect();
        assert_eq!(batch, single);
    }
    let batch = verify_batch(&refs, &opts());
    assert_eq!(batch.iter().filter(|r| r.valid).count(), 4);
}

#[test]
fn keys_resolve_through_the_key_cache() {
    let items = valid_items();
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut v = Verifier::new(options_map(&opts()), &CacheConfig::default()).unwrap();
    let results = v.verify_batch(&refs, &serde_json::Map::new(), 0.0).unwrap();
    assert!(results.iter().all(|r| r.valid));
    // vc-jwt 1, anon 1, vp-jwt 1 + 2, anon presentation 1 + 1; two distinct DIDs.
    let keys = v.stats().keys;
    assert_eq!((keys.hits + keys.misses, keys.misses), (7, 2));
}

#[test]
fn host_clock_is_used_without_now() {
    let items = valid_items();
    let r = verify_batch_at(&[&items[0]], &VerifyOptions::default(), NOW as f64 * 1000.0);
    assert!(r[0].valid);
    let r = verify_batch_at(&[&items[0]], &VerifyOptions::default(), (NOW - 3600) as f64 * 1000.0);
    assert_eq!(codes(&r[0]), ["NOT_YET_VALID"]);
}
