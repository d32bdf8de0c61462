//! Sessions: `session::validate_session`, `SessionSource::from_result_json`, `create_session`
//! and `SessionStore::validate`.
//!
//! Modes (first byte mod 4):
//! - 0: the rest is a token, validated under the seeds' key at the seeds' time (and at 0).
//! - 1: the rest is a payload, tagged here under the key (so the payload parser is reached past
//!   the MAC): a session it yields has `exp > iat`, a 128-bit id, is not expired at the time
//!   asked, and repeats the payload's members.
//! - 2: the rest is a verification result's JSON: a source read from it names a holder or a
//!   subject, and comes only from a valid result without errors.
//! - 3: the rest is an attributes object (JSON, else empty) and parties: a session created from
//!   it validates to itself until it expires (`SESSION_EXPIRED` from `exp` on), fails under
//!   another key, and a revoked one fails in a store.
//! Every token that validates does so the same way twice.

#![no_main]

use credcore::mac::hmac_sha256;
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::session::{create_session, validate_session, SessionKey, SessionSource, SessionStore};
use credcore::ErrorCode;
use credcore_fuzz::{det_rng, VERIFY_MS};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// The key of the seed tokens.
const KEY: [u8; 32] = [9; 32];

fn key() -> SessionKey {
    SessionKey::new(&KEY).expect("a 32-byte key")
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let key = key();
    match mode % 4 {
        0 => {
            let Ok(token) = std::str::from_utf8(rest) else { return };
            for now in [VERIFY_MS, 0.0] {
                if let Ok(s) = validate_session(token, &key, now) {
                    assert!(s.expires_at > s.issued_at);
                    assert!(now < s.expires_at as f64 * 1000.0, "a session is not served from its expiry on");
                    assert_eq!(validate_session(token, &key, now).ok(), Some(s));
                }
            }
        }
        1 => {
            let body = b64url_encode(rest);
            let token = format!("{body}.{}", b64url_encode(&hmac_sha256(&KEY, body.as_bytes())));
            let now = VERIFY_MS;
            let Ok(s) = validate_session(&token, &key, now) else { return };
            let Ok(Value::Object(p)) = serde_json::from_slice::<Value>(rest) else {
                panic!("a session from a payload that is not a JSON object")
            };
            assert_eq!(p.get("v").and_then(Value::as_u64), Some(1));
            assert_eq!(p.get("sid").and_then(Value::as_str), Some(s.id.as_str()));
            assert_eq!(b64url_decode(&s.id).map(|b| b.len()), Ok(16));
            assert_eq!(p.get("hld").and_then(Value::as_str), s.holder.as_deref());
            assert_eq!(p.get("sub").and_then(Value::as_str), s.subject.as_deref());
            assert_eq!(p.get("iss").and_then(Value::as_str), s.issuer.as_deref());
            assert_eq!(p.get("attrs"), Some(&Value::Object(s.attributes.clone())));
            assert!(s.expires_at > s.issued_at && now < s.expires_at as f64 * 1000.0);
            for k in p.keys() {
                assert!(["v", "sid", "hld", "sub", "iss", "iat", "exp", "attrs"].contains(&k.as_str()), "unknown member {k} accepted");
            }
        }
        2 => {
            let Ok(text) = std::str::from_utf8(rest) else { return };
            let Ok(source) = SessionSource::from_result_json(text) else { return };
            assert!(source.holder.is_some() || source.subject.is_some());
            let v: Value = serde_json::from_str(text).expect("a source came from JSON");
            assert_eq!(v["valid"], Value::Bool(true), "a session source comes only from a valid result");
            assert!(v.get("errors").and_then(Value::as_array).is_none_or(Vec::is_empty), "nor from one with errors");
        }
        _ => {
            let Some((&ttl, rest)) = rest.split_first() else { return };
            let (attrs, party) = match rest.iter().position(|&b| b == 0xff) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let attributes: Map<String, Value> = match serde_json::from_slice(attrs) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            let party = String::from_utf8_lossy(party).into_owned();
            let source = SessionSource {
                holder: (ttl & 1 == 0).then(|| party.clone()),
                subject: (ttl & 2 == 0).then(|| format!("{party}#s")),
                issuer: (ttl & 4 == 0).then(|| "did:key:issuer".to_owned()),
                attributes,
            };
            let ttl = u64::from(ttl) * 60 + 1;
            let now = VERIFY_MS;
            let Ok(created) = create_session(&source, &key, ttl, now, &mut det_rng(1)) else { return };
            let s = validate_session(&created.token, &key, now).expect("a session created here validates");
            assert_eq!(s, created.session, "a session validates to itself");
            let exp_ms = s.expires_at as f64 * 1000.0;
            assert!(validate_session(&created.token, &key, exp_ms - 1.0).is_ok());
            assert_eq!(validate_session(&created.token, &key, exp_ms).map_err(|e| e.code), Err(ErrorCode::SessionExpired));
            let other = SessionKey::new(&[8; 32]).expect("a 32-byte key");
            assert_eq!(validate_session(&created.token, &other, now).map_err(|e| e.code), Err(ErrorCode::SessionInvalid));
            let mut store = SessionStore::new(16, 3600.0);
            store.insert(&s, now);
            assert!(store.validate(&created.token, &key, now).is_ok());
            assert!(store.revoke(&s.id, now));
            assert!(store.validate(&created.token, &key, now).is_err(), "a revoked session is refused");
        }
    }
});
