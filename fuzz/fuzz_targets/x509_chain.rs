//! x5c chain parsing and validation (`keys::x509`): the input is split into up to ten
//! length-prefixed certificates (a seed is one real chain, mutated), validated against the root
//! of one x509-limbo chain at its validation time; the same bytes also go through the x5c header
//! decoder (as base64 in a JSON array) and the trust-anchor parser.
//!
//! Invariants: nothing panics; a chain that validates holds at the validation time and names no
//! issuer its leaf does not carry; the decoder and `validate` agree on the bytes they accept.

#![no_main]

use base64::Engine as _;
use credcore::keys::x509::{self, TrustAnchors};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

/// The x509-limbo case whose root anchors every input; its validation time is `NOW`.
const CASE: &str = include_str!("../../tests/vectors/x509-limbo/online/google.com.limbo.json");
/// 2026-02-02T08:36:39Z, the case's `validation_time`.
const NOW: i64 = 1_770_021_399;

fn anchors() -> &'static TrustAnchors {
    static A: OnceLock<TrustAnchors> = OnceLock::new();
    A.get_or_init(|| {
        let case: Value = serde_json::from_str(CASE).expect("the case is JSON");
        let roots: Vec<String> = serde_json::from_value(case["trusted_certs"].clone()).expect("its roots are strings");
        TrustAnchors::parse(&roots).expect("the case's root parses")
    })
}

/// `[len: u16 BE][der]...`, at most ten certificates.
fn split(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while data.len() >= 2 && out.len() < 10 {
        let len = usize::from(u16::from_be_bytes([data[0], data[1]])).min(data.len() - 2);
        out.push(data[2..2 + len].to_vec());
        data = &data[2 + len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let chain = split(data);
    let direct = x509::validate(&chain, anchors(), NOW);
    if let Ok(key) = &direct {
        assert!(key.holds_at(NOW), "a validated chain holds at its time");
        assert!(!key.names("https://not-in-any-seed.invalid"), "the leaf names an issuer it does not carry");
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let x5c = Value::Array(chain.iter().map(|c| Value::String(b64.encode(c))).collect());
    if let Ok(decoded) = x509::decode_x5c(&x5c) {
        assert_eq!(decoded, chain, "base64 round trip");
        assert_eq!(x509::validate(&decoded, anchors(), NOW).is_ok(), direct.is_ok());
    }
    if let Some(first) = chain.first() {
        let _ = TrustAnchors::parse(&[b64.encode(first), String::from_utf8_lossy(first).into_owned()]);
    }
});
