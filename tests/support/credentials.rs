//! Shared helpers of the credential integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use credcore::credential::{VerificationResult, VerifyOptions};
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::{Map, Value};

/// A fixture of `tests/data/anon-identity/`.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/data/anon-identity/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Options at the fixture's generation time plus an hour.
pub fn at_fixture_time(f: &Value) -> VerifyOptions {
    VerifyOptions { now: Some(f["generatedAt"].as_f64().unwrap() + 3_600_000.0), ..VerifyOptions::default() }
}

/// Options as the package passes them to a `Verifier`: a JSON object.
pub fn options_map(options: &VerifyOptions) -> Map<String, Value> {
    match serde_json::to_value(options).unwrap() {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => unreachable!(),
    }
}

/// Verifies a batch the way the package does, through a `Verifier`: once with no caches (as the
/// module functions run), then twice with default caches (the second call may be served from the
/// result cache). All three must agree, result for result. `host_now_ms` is the host clock.
pub fn verify_batch_at(inputs: &[&str], options: &VerifyOptions, host_now_ms: f64) -> Vec<VerificationResult> {
    let map = options_map(options);
    let none = Map::new();
    let plain = Verifier::new(map.clone(), &CacheConfig::stateless()).unwrap().verify_batch(inputs, &none, host_now_ms).unwrap();
    let mut cached = Verifier::new(map, &CacheConfig::default()).unwrap();
    let first = cached.verify_batch(inputs, &none, host_now_ms).unwrap();
    let again = cached.verify_batch(inputs, &none, host_now_ms).unwrap();
    assert_eq!(plain, first, "a caching verifier's first verdicts differ from the uncached ones");
    assert_eq!(plain, again, "cached verdicts differ from the uncached ones");
    plain
}

/// [`verify_batch_at`] with the host clock at 0 (tests set `now`).
pub fn verify_batch(inputs: &[&str], options: &VerifyOptions) -> Vec<VerificationResult> {
    verify_batch_at(inputs, options, 0.0)
}

/// Verifies one item (see [`verify_batch_at`]).
pub fn verify(input: &str, options: &VerifyOptions) -> VerificationResult {
    verify_batch(&[input], options).pop().unwrap()
}

/// Verifies one item that must be a credential, as `verifyCredential` does.
pub fn verify_credential(input: &str, options: &VerifyOptions) -> VerificationResult {
    let mut r = verify(input, options);
    credcore::verifier::expect_kind(&mut r, credcore::credential::Kind::Credential);
    r
}

/// Verifies one item that must be a presentation, as `verifyPresentation` does.
pub fn verify_presentation(input: &str, options: &VerifyOptions) -> VerificationResult {
    let mut r = verify(input, options);
    credcore::verifier::expect_kind(&mut r, credcore::credential::Kind::Presentation);
    r
}

/// The error codes of a result, sorted and deduplicated.
pub fn codes(r: &VerificationResult) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = r.errors.iter().map(|e| e.code).collect();
    c.sort_unstable();
    c.dedup();
    c
}

/// The paths of the errors with `code`.
pub fn paths(r: &VerificationResult, code: &str) -> Vec<String> {
    r.errors.iter().filter(|e| e.code == code).map(|e| e.path.clone().unwrap_or_default()).collect()
}

/// JSON text of a value.
pub fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Every leaf of a JSON value with its path (`a.b[0].c`).
pub fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| leaves(c, if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| leaves(c, format!("{path}[{i}]"), out)),
        _ => out.push(path),
    }
}

/// The leaf at `path` (as [`leaves`] writes it).
pub fn leaf_mut<'a>(v: &'a mut Value, path: &str) -> &'a mut Value {
    let mut cur = v;
    for part in path.split('.') {
        let (name, idx) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.split('[').map(|i| i.trim_end_matches(']').parse::<usize>().unwrap()).collect::<Vec<_>>()),
            None => (part, vec![]),
        };
        if !name.is_empty() {
            cur = cur.get_mut(name).unwrap();
        }
        for i in idx {
            cur = cur.get_mut(i).unwrap();
        }
    }
    cur
}
