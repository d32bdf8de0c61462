//! Shared helpers of the credential integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use credcore::batch::engine::verify_items;
use credcore::credential::{VerificationResult, VerifyOptions};
use serde_json::Value;

/// A fixture of `tests/data/anon-identity/`.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/data/anon-identity/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Options at the fixture's generation time plus an hour.
pub fn at_fixture_time(f: &Value) -> VerifyOptions {
    VerifyOptions { now: Some(f["generatedAt"].as_f64().unwrap() + 3_600_000.0), ..VerifyOptions::default() }
}

/// Verifies one item.
pub fn verify(input: &str, options: &VerifyOptions) -> VerificationResult {
    verify_items(&[input], options, 0.0).pop().unwrap()
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
