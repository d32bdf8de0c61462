//! `jws::Jws::parse`: compact JWS under the algorithm policy.
//!
//! Modes (first byte, even or odd):
//! - parse the rest as a compact JWS. On success: three segments, the signing input is the
//!   first two, the segments are the canonical base64url of the header, payload and signature,
//!   `alg` is one of the supported algorithms and the signature has its length, there is no
//!   `crit` and no `b64: false`; the accessors do not panic.
//! - sign: the rest is split at the first 0xff byte into a header (JSON object, or empty) and a
//!   payload; `jws::sign` with a fixed key must parse back with the same payload and header
//!   members (with `alg: EdDSA`) and verify, unless the header asks for `crit` or `b64: false`.

#![no_main]

use credcore::encoding::b64url_encode;
use credcore::jws::{media_type, sign, Jws};
use credcore_fuzz::issuer;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode & 1 == 0 {
        let Ok(input) = std::str::from_utf8(rest) else { return };
        let Ok(jws) = Jws::parse(input) else { return };
        let parts: Vec<&str> = input.split('.').collect();
        assert_eq!(parts.len(), 3, "a parsed JWS has three segments");
        assert_eq!(jws.signing_input, &input[..parts[0].len() + 1 + parts[1].len()]);
        assert_eq!(b64url_encode(&jws.payload), parts[1], "only canonical base64url payloads parse");
        assert_eq!(b64url_encode(&jws.signature), parts[2], "only canonical base64url signatures parse");
        let alg = jws.header_str("alg").and_then(|a| credcore::keys::Algorithm::parse(a).ok());
        assert_eq!(alg, Some(jws.alg), "the policy admits the supported algorithms only");
        if let Some(len) = jws.alg.signature_len() {
            assert_eq!(jws.signature.len(), len, "a fixed-length signature has its length");
        }
        assert!(!jws.header.contains_key("crit"));
        assert_ne!(jws.header.get("b64"), Some(&Value::Bool(false)));
        if let Ok(Some(t)) = jws.typ() {
            assert_eq!(t, t.to_ascii_lowercase(), "typ is normalized");
            let _ = media_type(&t);
        }
        let _ = jws.payload_object();
        let _ = jws.verify(issuer().public_key());
        return;
    }
    let (h, payload) = match rest.iter().position(|&b| b == 0xff) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&[][..], rest),
    };
    let header: Map<String, Value> = match serde_json::from_slice(h) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let key = issuer();
    let compact = sign(&header, payload, &key);
    let refused = header.contains_key("crit") || header.get("b64") == Some(&Value::Bool(false));
    match Jws::parse(&compact) {
        Ok(jws) => {
            assert!(!refused, "a header with crit or b64:false must be refused");
            assert_eq!(jws.payload, payload, "the payload round-trips");
            assert!(jws.verify(key.public_key()), "a JWS signed here verifies");
            assert_eq!(jws.header_str("alg"), Some("EdDSA"));
            for (k, v) in &header {
                if k != "alg" {
                    assert_eq!(jws.header.get(k), Some(v), "header member {k} round-trips");
                }
            }
        }
        Err(e) => assert!(refused, "a JWS signed here does not parse: {e:?} ({compact})"),
    }
});
