#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] functions unwrap fixture data they build themselves.
#![allow(clippy::unwrap_used)]
//! Where a failed check of a JWT credential points: every time bound, `@context`, claims that
//! must agree and status entries, in the payload and under `vc`, each at its own path and with
//! its own code (the paths are made only when a check fails, so each failure is pinned here).

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::VerifyOptions;
use credcore::keys::KeyPair;
use serde_json::{json, Map, Value};

const NOW: i64 = 1_750_000_000;

fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), check_status: false, ..VerifyOptions::default() }
}

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[7; 32])
}

/// A VC-JWT of `payload` signed by [`issuer`], with `header` parameters besides `alg`.
fn signed(payload: &Value, header: &Value) -> String {
    let mut h: Map<String, Value> = header.as_object().cloned().unwrap_or_default();
    h.insert("kid".into(), json!(issuer().kid()));
    credcore::jws::sign(&h, &serde_json::to_vec(payload).unwrap(), &issuer())
}

/// A valid VC-JWT payload, with `edit` applied to it.
fn payload(edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut p = json!({
        "iss": issuer().did(),
        "sub": "did:example:holder",
        "jti": "urn:uuid:1",
        "nbf": NOW - 10,
        "exp": NOW + 3600,
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential"],
            "issuer": issuer().did(),
            "credentialSubject": {"id": "did:example:holder", "n": 1}
        }
    });
    edit(p.as_object_mut().unwrap());
    p
}

fn vc(p: &mut Map<String, Value>) -> &mut Map<String, Value> {
    p.get_mut("vc").unwrap().as_object_mut().unwrap()
}

/// The errors of `jwt` as `(code, path)`, sorted.
fn errors(jwt: &str, options: &VerifyOptions) -> Vec<(String, String)> {
    let r = verify_credential(jwt, options);
    assert_eq!(r.valid, r.errors.is_empty());
    let mut e: Vec<(String, String)> = r.errors.iter().map(|e| (e.code.to_owned(), e.path.clone().unwrap_or_default())).collect();
    e.sort();
    e
}

fn one(code: &str, path: &str) -> Vec<(String, String)> {
    vec![(code.to_owned(), path.to_owned())]
}

#[test]
fn the_unedited_credential_is_valid() {
    assert_eq!(errors(&signed(&payload(|_| {}), &json!({})), &opts()), vec![]);
}

#[test]
fn time_bounds_point_at_their_claim() {
    let day = 86_400;
    let cases: Vec<(Value, Value, &str, &str)> = vec![
        (payload(|p| _ = p.insert("exp".into(), json!(NOW - day))), json!({}), "EXPIRED_CREDENTIAL", "payload.exp"),
        (payload(|p| _ = p.insert("nbf".into(), json!(NOW + day))), json!({}), "NOT_YET_VALID", "payload.nbf"),
        (payload(|p| _ = p.insert("iat".into(), json!(NOW + day))), json!({}), "NOT_YET_VALID", "payload.iat"),
        (payload(|p| _ = p.insert("exp".into(), json!("soon"))), json!({}), "MALFORMED_INPUT", "payload.exp"),
        (payload(|_| {}), json!({"exp": NOW - day}), "EXPIRED_CREDENTIAL", "header.exp"),
        (payload(|_| {}), json!({"nbf": NOW + day}), "NOT_YET_VALID", "header.nbf"),
        (payload(|_| {}), json!({"iat": NOW + day}), "NOT_YET_VALID", "header.iat"),
        (
            payload(|p| _ = vc(p).insert("expirationDate".into(), json!("2020-01-01T00:00:00Z"))),
            json!({}),
            "EXPIRED_CREDENTIAL",
            "payload.vc.expirationDate",
        ),
        (
            payload(|p| _ = vc(p).insert("validUntil".into(), json!("2020-01-01T00:00:00Z"))),
            json!({}),
            "EXPIRED_CREDENTIAL",
            "payload.vc.validUntil",
        ),
        (
            payload(|p| _ = vc(p).insert("issuanceDate".into(), json!("2099-01-01T00:00:00Z"))),
            json!({}),
            "NOT_YET_VALID",
            "payload.vc.issuanceDate",
        ),
        (
            payload(|p| _ = vc(p).insert("validFrom".into(), json!("2099-01-01T00:00:00Z"))),
            json!({}),
            "NOT_YET_VALID",
            "payload.vc.validFrom",
        ),
        (payload(|p| _ = vc(p).insert("validFrom".into(), json!(5))), json!({}), "MALFORMED_INPUT", "payload.vc.validFrom"),
        (payload(|p| _ = vc(p).insert("validUntil".into(), json!("tomorrow"))), json!({}), "MALFORMED_INPUT", "payload.vc.validUntil"),
        // The credential's date properties beside `vc` count too.
        (
            payload(|p| _ = p.insert("expirationDate".into(), json!("2020-01-01T00:00:00Z"))),
            json!({}),
            "EXPIRED_CREDENTIAL",
            "payload.expirationDate",
        ),
    ];
    for (p, h, code, path) in cases {
        assert_eq!(errors(&signed(&p, &h), &opts()), one(code, path), "{code} at {path}");
    }
}

#[test]
fn bounds_within_the_skew_pass() {
    let p = payload(|p| _ = p.insert("exp".into(), json!(NOW - 30)));
    assert_eq!(errors(&signed(&p, &json!({})), &opts()), vec![]);
    let strict = VerifyOptions { clock_skew_seconds: 0, ..opts() };
    assert_eq!(errors(&signed(&p, &json!({})), &strict), one("EXPIRED_CREDENTIAL", "payload.exp"));
}

#[test]
fn context_claims_and_status_point_at_their_place() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (payload(|p| _ = vc(p).remove("@context")), "MALFORMED_INPUT", "payload.vc.@context"),
        (payload(|p| _ = vc(p).insert("@context".into(), json!(7))), "MALFORMED_INPUT", "payload.vc.@context"),
        (payload(|p| _ = vc(p).insert("@context".into(), json!(["https://example.com/"]))), "MALFORMED_INPUT", "payload.vc.@context"),
        (payload(|p| _ = p.insert("sub".into(), json!("did:example:other"))), "PAYLOAD_MISMATCH", "payload.vc.credentialSubject.id"),
        (payload(|p| _ = p.insert("jti".into(), json!("urn:uuid:2"))), "PAYLOAD_MISMATCH", "payload.vc.id"),
        (payload(|p| _ = p.insert("jti".into(), json!(2))), "PAYLOAD_MISMATCH", "payload.vc.id"),
        (payload(|p| _ = vc(p).insert("credentialStatus".into(), json!("x"))), "MALFORMED_INPUT", "payload.vc.credentialStatus"),
    ];
    let with_status = VerifyOptions { check_status: true, ..opts() };
    for (p, code, path) in cases {
        assert_eq!(errors(&signed(&p, &json!({})), &with_status), one(code, path), "{code} at {path}");
    }
}
