#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] functions unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Sessions: created from real verifications (SD-JWT VC with key binding, anon-identity
//! presentation), expiry on an injected clock, tampering with each part of a token, wrong keys,
//! revocation and the bounded store.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::VerifyOptions;
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::error::{ErrorCode, Result};
use credcore::keys::KeyPair;
use credcore::mac::hmac_sha256;
use credcore::sdjwt::{self, IssueOptions, KeyBindingParams, Selection};
use credcore::session::{create_session, validate_session, CreatedSession, SessionKey, SessionSource, SessionStore, MAX_TOKEN_BYTES};
use serde_json::{json, Value};

/// 2025-06-15T16:26:40Z.
const NOW: i64 = 1_750_000_000;
const NOW_MS: f64 = NOW as f64 * 1000.0;

fn key() -> SessionKey {
    SessionKey::new(&[0x5a; 32]).unwrap()
}

fn system(buf: &mut [u8]) -> Result<()> {
    sdjwt::system_random(buf)
}

/// An SD-JWT VC with key binding presenting only `given_name`, and its verification result.
fn sd_jwt_result() -> (KeyPair, KeyPair, credcore::credential::VerificationResult) {
    let issuer = KeyPair::from_seed(&[1; 32]);
    let holder = KeyPair::from_seed(&[2; 32]);
    let claims = json!({ "sub": "did:example:ada", "given_name": "Ada", "family_name": "Lovelace" });
    let opts = IssueOptions {
        disclose: Selection::Paths(vec!["/given_name".into(), "/family_name".into()]),
        vct: Some("urn:example:pid".into()),
        holder_public_key: Some(holder.public_key().clone().into()),
        expires_in: Some(3600),
        now_seconds: NOW,
        ..IssueOptions::default()
    };
    let sd = sdjwt::issue(&claims, &opts, &issuer, &mut system).unwrap();
    let kb = KeyBindingParams { key: &holder, nonce: "n-1", audience: "https://rp.example", iat: NOW };
    let presented = sdjwt::present(&sd, &Selection::Paths(vec!["/given_name".into()]), Some(&kb)).unwrap();
    let options = VerifyOptions {
        now: Some(NOW_MS),
        nonce: Some("n-1".into()),
        audience: Some("https://rp.example".into()),
        trusted_issuers: Some(vec![issuer.did()]),
        ..VerifyOptions::default()
    };
    let result = verify(&presented, &options);
    assert!(result.valid, "{:?}", result.errors);
    (issuer, holder, result)
}

fn created() -> CreatedSession {
    let (_, _, result) = sd_jwt_result();
    create_session(&SessionSource::from_result(&result).unwrap(), &key(), 600, NOW_MS, &mut system).unwrap()
}

fn code(token: &str, key: &SessionKey, now_ms: f64) -> ErrorCode {
    validate_session(token, key, now_ms).unwrap_err().code
}

#[test]
fn round_trip_from_an_sd_jwt_vc_presentation() {
    let (issuer, holder, result) = sd_jwt_result();
    let created = create_session(&SessionSource::from_result(&result).unwrap(), &key(), 600, NOW_MS + 250.0, &mut system).unwrap();
    let s = validate_session(&created.token, &key(), NOW_MS + 1000.0).unwrap();
    assert_eq!(s, created.session);
    assert_eq!(s.holder.as_deref(), Some(holder.did().as_str()));
    assert_eq!(s.subject.as_deref(), Some("did:example:ada"));
    assert_eq!(s.issuer.as_deref(), Some(issuer.did().as_str()));
    assert_eq!((s.issued_at, s.expires_at), (NOW, NOW + 600));
    // Only what was disclosed and verified: `family_name` stayed undisclosed.
    assert_eq!(Value::Object(s.attributes), json!({ "given_name": "Ada" }));
    assert_eq!(b64url_decode(&s.id).unwrap().len(), 16);
    assert!(created.token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
}

#[test]
fn round_trip_from_an_anon_identity_presentation() {
    let issuer = KeyPair::from_seed(&[4; 32]);
    let holder = KeyPair::from_seed(&[5; 32]);
    let a = issue_credential(
        &json!({"credentialSubject": {"id": holder.did(), "name": "Ada", "age": 36}}),
        &issuer,
        IssueFormat::AnonIdentity,
        None,
        NOW,
    )
    .unwrap();
    let b = issue_credential(&json!({"credentialSubject": {"id": holder.did(), "age": 37}}), &issuer, IssueFormat::AnonIdentity, None, NOW)
        .unwrap();
    let vp = create_presentation(&[a, b], &holder, None, None, PresentationFormat::AnonIdentity, NOW).unwrap();
    let result = verify(&text(&vp), &VerifyOptions { now: Some(NOW_MS), ..VerifyOptions::default() });
    assert!(result.valid, "{:?}", result.errors);
    // JS holds the result as JSON; both forms give the same source.
    let json = serde_json::to_string(&result).unwrap();
    let source = SessionSource::from_result_json(&json).unwrap();
    assert_eq!(source, SessionSource::from_result(&result).unwrap());
    let s = validate_session(&create_session(&source, &key(), 60, NOW_MS, &mut system).unwrap().token, &key(), NOW_MS).unwrap();
    assert_eq!(s.holder.as_deref(), Some(holder.did().as_str()));
    // anon-identity's merge: later credentials win (Object.assign).
    assert_eq!(Value::Object(s.attributes), json!({ "name": "Ada", "age": 37 }));
}

#[test]
fn invalid_results_are_refused_with_their_code() {
    let (_, _, mut result) = sd_jwt_result();
    result.valid = false;
    result.errors.push(credcore::Error::new(ErrorCode::RevokedCredential, "revoked").into());
    let e = SessionSource::from_result(&result).unwrap_err();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::RevokedCredential, Some("result")));
    // A forged "valid" flag over recorded errors is refused as well.
    result.valid = true;
    assert_eq!(SessionSource::from_result(&result).unwrap_err().code, ErrorCode::RevokedCredential);
}

#[test]
fn expiry_follows_the_injected_clock() {
    let c = created();
    let exp_ms = c.session.expires_at as f64 * 1000.0;
    assert_eq!(c.session.expires_at, NOW + 600);
    assert!(validate_session(&c.token, &key(), exp_ms - 1.0).is_ok());
    assert_eq!(code(&c.token, &key(), exp_ms), ErrorCode::SessionExpired);
    assert_eq!(code(&c.token, &key(), exp_ms + 86_400_000.0), ErrorCode::SessionExpired);
    // A broken clock is an input error, never a pass.
    let e = validate_session(&c.token, &key(), f64::NAN).unwrap_err();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::MalformedInput, Some("now")));
}

#[test]
fn an_expired_token_under_another_key_is_invalid_not_expired() {
    let c = created();
    let other = SessionKey::new(&[0x5b; 32]).unwrap();
    assert_eq!(code(&c.token, &other, NOW_MS + 10_000_000.0), ErrorCode::SessionInvalid);
}

#[test]
fn every_tampered_part_is_invalid() {
    let c = created();
    let (body, tag) = c.token.split_once('.').unwrap();
    let flip = |s: &str, i: usize| -> String {
        let mut b = s.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).unwrap()
    };
    let mut cases = vec![
        format!("{}.{tag}", flip(body, 0)),
        format!("{}.{tag}", flip(body, body.len() / 2)),
        format!("{}.{tag}", flip(body, body.len() - 1)),
        format!("{body}.{}", flip(tag, 0)),
        format!("{body}.{}", flip(tag, tag.len() - 2)),
        format!("{body}.{}", &tag[..tag.len() - 1]),
        format!("{body}.{tag}A"),
        format!("{body}.{tag}.{tag}"),
        format!("{body}{tag}"),
        format!("{body}."),
        format!(".{tag}"),
        format!("{body}.{}", b64url_encode(&[0u8; 32])),
        format!("{body}=.{tag}"),
        String::new(),
        "x".repeat(MAX_TOKEN_BYTES + 1),
    ];
    // A payload rewritten to live longer (and re-encoded) no longer matches its tag.
    let mut payload: Value = serde_json::from_slice(&b64url_decode(body).unwrap()).unwrap();
    payload["exp"] = json!(NOW + 10_000_000);
    cases.push(format!("{}.{tag}", b64url_encode(serde_json::to_string(&payload).unwrap().as_bytes())));
    payload["exp"] = json!(NOW + 600);
    payload["attrs"]["given_name"] = json!("Eve");
    cases.push(format!("{}.{tag}", b64url_encode(serde_json::to_string(&payload).unwrap().as_bytes())));
    for (i, t) in cases.iter().enumerate() {
        assert_eq!(code(t, &key(), NOW_MS), ErrorCode::SessionInvalid, "case {i}");
    }
}

#[test]
fn well_tagged_but_malformed_payloads_are_invalid() {
    // Tokens tagged with the right key but not made by create_session: the content is still checked.
    let tag = |body: &str| b64url_encode(&hmac_sha256(&[0x5a; 32], body.as_bytes()));
    let good = json!({ "v": 1, "sid": b64url_encode(&[7; 16]), "iat": NOW, "exp": NOW + 60, "attrs": {} });
    let mut variants = Vec::new();
    for (field, value) in [
        ("v", json!(2)),
        ("sid", json!(b64url_encode(&[7; 15]))),
        ("sid", json!("not base64url!")),
        ("exp", json!(NOW)),
        ("iat", json!("yesterday")),
        ("attrs", json!([])),
        ("extra", json!(1)),
    ] {
        let mut p = good.clone();
        p[field] = value;
        variants.push(p.to_string());
    }
    variants.push("[]".into());
    variants.push("not json".into());
    for (i, v) in variants.iter().enumerate() {
        let body = b64url_encode(v.as_bytes());
        assert_eq!(code(&format!("{body}.{}", tag(&body)), &key(), NOW_MS), ErrorCode::SessionInvalid, "case {i}");
    }
    let body = b64url_encode(good.to_string().as_bytes());
    let s = validate_session(&format!("{body}.{}", tag(&body)), &key(), NOW_MS).unwrap();
    assert_eq!((s.holder, s.subject, s.issuer), (None, None, None));
}

#[test]
fn a_wrong_key_is_invalid() {
    let c = created();
    for other in [vec![0x5b; 32], vec![0x5a; 33], [vec![0x5a; 31], vec![0x5b]].concat()] {
        assert_eq!(code(&c.token, &SessionKey::new(&other).unwrap(), NOW_MS), ErrorCode::SessionInvalid);
    }
    let e = SessionKey::new(&[0x5a; 16]).unwrap_err();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::MalformedInput, Some("key")));
}

#[test]
fn ids_are_unique() {
    let source = SessionSource { subject: Some("did:example:s".into()), ..SessionSource::default() };
    let mut ids = std::collections::HashSet::new();
    for _ in 0..1000 {
        ids.insert(create_session(&source, &key(), 60, NOW_MS, &mut system).unwrap().session.id);
    }
    assert_eq!(ids.len(), 1000);
}

#[test]
fn a_revoked_session_is_refused_by_the_store_only() {
    let (_, _, result) = sd_jwt_result();
    let source = SessionSource::from_result(&result).unwrap();
    let mut store = SessionStore::new(100, 3600.0);
    let a = store.create(&source, &key(), 600, NOW_MS, &mut system).unwrap();
    let b = store.create(&source, &key(), 600, NOW_MS, &mut system).unwrap();
    assert_eq!(store.validate(&a.token, &key(), NOW_MS + 1.0).unwrap(), a.session);
    assert!(store.revoke(&a.session.id, NOW_MS + 2.0));
    let e = store.validate(&a.token, &key(), NOW_MS + 3.0).unwrap_err();
    assert_eq!(e.code, ErrorCode::SessionRevoked);
    assert!(store.validate(&b.token, &key(), NOW_MS + 3.0).is_ok());
    // The token itself is still genuine: only a store knows of revocation.
    assert!(validate_session(&a.token, &key(), NOW_MS + 3.0).is_ok());
    // The token is checked before the store: expired and forged tokens keep their codes.
    assert_eq!(store.validate(&a.token, &key(), NOW_MS + 600_000.0).unwrap_err().code, ErrorCode::SessionExpired);
    let other = SessionKey::new(&[1; 32]).unwrap();
    assert_eq!(store.validate(&b.token, &other, NOW_MS).unwrap_err().code, ErrorCode::SessionInvalid);
    // A session created elsewhere (not stored here) is refused: the store is an allow-list.
    let elsewhere = create_session(&source, &key(), 600, NOW_MS, &mut system).unwrap();
    assert_eq!(store.validate(&elsewhere.token, &key(), NOW_MS).unwrap_err().code, ErrorCode::SessionRevoked);
    let stats = store.stats();
    assert_eq!((stats.revocations, stats.cache.hits, stats.cache.misses, stats.cache.entries), (1, 2, 2, 1));
}

#[test]
fn the_store_is_bounded_and_fails_closed() {
    let source = SessionSource { subject: Some("did:example:s".into()), ..SessionSource::default() };
    let mut store = SessionStore::new(3, 3600.0);
    let sessions: Vec<CreatedSession> =
        (0..5).map(|i| store.create(&source, &key(), 600, NOW_MS + i as f64, &mut system).unwrap()).collect();
    let stats = store.stats();
    assert_eq!((stats.cache.entries, stats.cache.capacity, stats.cache.evictions), (3, 3, 2));
    // The two oldest were evicted to make room and are refused; the three newest validate.
    for (i, s) in sessions.iter().enumerate() {
        let outcome = store.validate(&s.token, &key(), NOW_MS + 10.0).map(|_| ()).map_err(|e| e.code);
        assert_eq!(outcome, if i < 2 { Err(ErrorCode::SessionRevoked) } else { Ok(()) }, "session {i}");
    }
}

#[test]
fn the_store_keeps_no_session_past_its_own_ttl() {
    let source = SessionSource { subject: Some("did:example:s".into()), ..SessionSource::default() };
    let mut store = SessionStore::new(10, 60.0);
    let s = store.create(&source, &key(), 600, NOW_MS, &mut system).unwrap();
    assert!(store.validate(&s.token, &key(), NOW_MS + 59_999.0).is_ok());
    assert_eq!(store.validate(&s.token, &key(), NOW_MS + 60_000.0).unwrap_err().code, ErrorCode::SessionRevoked);
    assert_eq!(store.stats().cache.expirations, 1);
}
