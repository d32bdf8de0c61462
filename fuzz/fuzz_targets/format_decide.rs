//! `credential::format::decide` and `decide_embedded`: the one place an item's format is decided.
//!
//! Input: one byte of options (`maxDepth`, `acceptLegacyTyp`, a small `maxInputBytes`), then the
//! item. Invariants, from the rules in the module docs: a refusal carries an error and is not
//! valid; a JWT decision has a `vc` xor `vp` claim matching its kind (or a VC-JOSE `typ`) and no
//! `~`; an SD-JWT decision has a `~` and neither claim; a JSON decision (Data Integrity or
//! anon-identity) names exactly one of VerifiableCredential / VerifiablePresentation, as its kind
//! says, and is Data Integrity exactly when a proof is (`securing`); the signing input is the
//! first two segments of the JWT; the decision is the same when made again; an embedded
//! credential is accepted exactly when `decide` calls it a JWT credential.

#![no_main]

use credcore::credential::format::{decide, decide_embedded, securing, Decision, Securing};
use credcore::credential::{Kind, VerifyOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn tag(d: &Decision<'_>) -> (u8, Option<Kind>) {
    match d {
        Decision::Json { kind, .. } => (0, Some(*kind)),
        Decision::Jwt { kind, .. } => (1, Some(*kind)),
        Decision::SdJwt { .. } => (2, None),
        Decision::Refused(_) => (3, None),
        Decision::DataIntegrity { kind, .. } => (4, Some(*kind)),
    }
}

fn names_type(body: &serde_json::Map<String, Value>, t: &str) -> bool {
    match body.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(t)),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else { return };
    let Ok(input) = std::str::from_utf8(rest) else { return };
    let options = VerifyOptions {
        max_depth: [64, 128, 1, 4][usize::from(cfg & 3)],
        accept_legacy_typ: cfg & 4 != 0,
        max_input_bytes: if cfg & 8 != 0 { 256 } else { 1024 * 1024 },
        ..VerifyOptions::default()
    }
    .clamped();
    let decision = decide(input, &options);
    let text = input.trim();
    match &decision {
        Decision::Refused(r) => {
            assert!(!r.errors.is_empty(), "a refusal says why");
            assert!(!r.valid);
        }
        Decision::Jwt { jws, payload, kind, jose } => {
            assert!(!text.contains('~'), "a JWT credential or presentation has no '~'");
            if !*jose {
                let want = if *kind == Kind::Credential { "vc" } else { "vp" };
                let other = if *kind == Kind::Credential { "vp" } else { "vc" };
                assert!(payload.contains_key(want) && !payload.contains_key(other), "a VC/VP-JWT has exactly its claim");
            }
            assert!(text.starts_with(jws.signing_input), "the signing input starts the JWT");
            assert_eq!(jws.signing_input.matches('.').count(), 1);
        }
        Decision::SdJwt { input: sd, jws, payload, .. } => {
            assert!(sd.contains('~'), "an SD-JWT has a '~'");
            assert!(!payload.contains_key("vc") && !payload.contains_key("vp"), "an SD-JWT carries neither vc nor vp");
            assert!(sd.starts_with(jws.signing_input));
        }
        Decision::Json { body, kind } | Decision::DataIntegrity { body, kind } => {
            let c = names_type(body, "VerifiableCredential");
            let p = names_type(body, "VerifiablePresentation");
            assert!(c != p, "a JSON item names exactly one type");
            assert_eq!(*kind == Kind::Presentation, p);
            let di = matches!(decision, Decision::DataIntegrity { .. });
            assert_eq!(securing(body).ok(), Some(if di { Securing::DataIntegrity } else { Securing::Jws }), "read one way only");
        }
    }
    assert_eq!(tag(&decide(input, &options)), tag(&decision), "the decision is deterministic");
    let embedded = decide_embedded(input, &options);
    let is_jwt_credential = matches!(decision, Decision::Jwt { kind: Kind::Credential, .. });
    assert_eq!(embedded.is_ok(), is_jwt_credential, "decide_embedded accepts exactly JWT credentials");
});
