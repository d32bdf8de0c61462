#![cfg(not(target_arch = "wasm32"))]
// One suite for SD-JWT and SD-JWT VC: its cases share the issuer, holder and crafting helpers above 500 lines.
// The shared helpers below are test code too; a failed unwrap there is a failed test.
#![allow(clippy::unwrap_used)]
//! SD-JWT (RFC 9901) and SD-JWT VC: RFC 9901 section 5.2 processing, the sd-jwt-js fixtures as
//! round trips, privacy of undisclosed claims, and the tamper suite.

#[path = "support/credentials.rs"]
mod common;

use credcore::batch::{finish, Prepared};
use credcore::credential::checks::Ctx;
use credcore::credential::{Kind, VerificationResult, VerifyOptions};
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::hash::HashAlg;
use credcore::keys::{jwk_thumbprint, DidKeySource, KeyPair};
use credcore::sdjwt::disclosure::{resolve, sd_alg, Disclosure};
use credcore::sdjwt::key_binding::sd_hash;
use credcore::sdjwt::{issue, present, Compact, IssueOptions, KeyBindingParams, Selection};
use credcore::{ErrorCode, Result};
use serde_json::{json, Map, Value};
use std::path::Path;

const NOW: i64 = 1_700_000_000;
const NONCE: &str = "n-0S6_WzA2Mj";
const AUD: &str = "https://verifier.example.org";
const VCT: &str = "https://credentials.example.com/identity_credential";

/// Verifies one item at `now` (seconds) the way the package does: through a `Verifier`, uncached
/// and cached, which must agree (see `support/credentials.rs`).
fn verify(input: &str, options: &VerifyOptions, now: i64) -> VerificationResult {
    common::verify(input, &VerifyOptions { now: Some(now as f64 * 1000.0), ..options.clone() })
}

/// The pipeline's first stage for one item at `now` (seconds): its format decided, every check
/// but the signatures done.
fn prepare(input: &str, options: &VerifyOptions, now: i64) -> Prepared {
    let mut keys = DidKeySource;
    let mut ctx = Ctx { options, now, keys: &mut keys };
    credcore::verifier::pipeline::prepare_item(input, &mut ctx)
}

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[1; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[2; 32])
}
fn stranger() -> KeyPair {
    KeyPair::from_seed(&[3; 32])
}

/// Deterministic bytes (a counter through SHA-256) so issued SD-JWTs are reproducible.
fn test_rng() -> impl FnMut(&mut [u8]) -> Result<()> {
    let mut counter = 0u64;
    move |buf: &mut [u8]| {
        for chunk in buf.chunks_mut(32) {
            counter += 1;
            let block = credcore::hash::sha256(&counter.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

fn issue_opts(disclose: Selection) -> IssueOptions {
    IssueOptions {
        disclose,
        vct: Some(VCT.into()),
        holder_public_key: Some(holder().public_key().clone().into()),
        now_seconds: NOW,
        expires_in: Some(3600),
        ..IssueOptions::default()
    }
}

fn issue_with(claims: &Value, opts: &IssueOptions) -> String {
    issue(claims, opts, &issuer(), &mut test_rng()).unwrap()
}

fn paths(p: &[&str]) -> Selection {
    Selection::Paths(p.iter().map(|s| s.to_string()).collect())
}

fn kb() -> KeyBindingParams<'static> {
    let key: &'static KeyPair = Box::leak(Box::new(holder()));
    KeyBindingParams { key, nonce: NONCE, audience: AUD, iat: NOW }
}

fn kb_options() -> VerifyOptions {
    VerifyOptions { nonce: Some(NONCE.into()), audience: Some(AUD.into()), ..VerifyOptions::default() }
}

fn codes(r: &VerificationResult) -> Vec<&'static str> {
    r.errors.iter().map(|e| e.code).collect()
}

fn sample_claims() -> Value {
    json!({
        "sub": "user_42",
        "given_name": "John",
        "family_name": "Doe",
        "email": "johndoe@example.com",
        "address": { "street_address": "123 Main St", "locality": "Anytown", "country": "US" },
        "nationalities": ["US", "DE"]
    })
}

fn sample_sd_jwt() -> String {
    let sel =
        paths(&["/given_name", "/family_name", "/email", "/address", "/address/street_address", "/nationalities/0", "/nationalities/1"]);
    issue_with(&sample_claims(), &issue_opts(sel))
}

/// The claims with the profile claims the issuer adds taken out.
fn without_profile_claims(claims: &Value) -> Value {
    let mut m = claims.as_object().unwrap().clone();
    for k in ["iss", "iat", "exp", "vct", "cnf"] {
        m.remove(k);
    }
    Value::Object(m)
}

fn decode_part(b64: &str) -> String {
    String::from_utf8(b64url_decode(b64).unwrap()).unwrap()
}

fn jwt_payload(jwt: &str) -> Map<String, Value> {
    let mut parts = jwt.split('.');
    parts.next();
    serde_json::from_str(&decode_part(parts.next().unwrap())).unwrap()
}

fn resign(jwt: &str, edit: impl FnOnce(&mut Map<String, Value>, &mut Map<String, Value>), key: &KeyPair) -> String {
    let mut parts = jwt.split('.');
    let mut header: Map<String, Value> = serde_json::from_str(&decode_part(parts.next().unwrap())).unwrap();
    let mut payload: Map<String, Value> = serde_json::from_str(&decode_part(parts.next().unwrap())).unwrap();
    edit(&mut header, &mut payload);
    credcore::jws::sign(&header, &serde_json::to_vec(&payload).unwrap(), key)
}

fn collect_digests(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("_sd", Value::Array(a)) => out.extend(a.iter().map(|d| d.as_str().unwrap().to_string())),
                    ("...", Value::String(d)) => out.push(d.clone()),
                    _ => collect_digests(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_digests(v, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 9901 section 5.2

#[test]
fn rfc9901_section_5_2_digests_and_sd_hash() {
    let text = std::fs::read_to_string("tests/data/sdjwt/rfc9901_sec5.2_presentation.txt").unwrap();
    let presentation = text.split("The following").next().unwrap().trim();
    let compact = Compact::parse(presentation).unwrap();
    assert_eq!(compact.disclosures.len(), 4);
    let payload = jwt_payload(compact.jwt);
    let alg = sd_alg(&payload).unwrap();
    assert_eq!(alg, HashAlg::Sha256);

    let mut digests = Vec::new();
    collect_digests(&Value::Object(payload.clone()), &mut digests);
    assert_eq!(digests.len(), 10);
    let disclosures: Vec<Disclosure> = compact.disclosures.iter().map(|d| Disclosure::parse(d).unwrap()).collect();
    for d in &disclosures {
        assert!(digests.contains(&d.digest(alg)), "digest of {} not in the payload", d.encoded());
    }

    let resolved = resolve(&payload, &disclosures, alg, 64).unwrap();
    let c = &resolved.claims;
    assert_eq!(c["given_name"], json!("John"));
    assert_eq!(c["family_name"], json!("Doe"));
    assert_eq!(c["address"], json!({"street_address": "123 Main St", "locality": "Anytown", "region": "Anystate", "country": "US"}));
    assert_eq!(c["nationalities"], json!(["US"]));
    assert_eq!(c["sub"], json!("user_42"));
    assert!(c.get("_sd").is_none() && c.get("_sd_alg").is_none());
    assert_eq!(c.len(), 9, "{c:?}"); // iss iat exp sub nationalities cnf + 3 disclosed

    let expected = "G3I8z-cFMATAK2ep8MXWk-vnjI3X6-aahYeU9Tvzz3E";
    assert_eq!(sd_hash(alg, compact.presented), expected);
    let kb_payload = jwt_payload(compact.kb_jwt.unwrap());
    assert_eq!(kb_payload["sd_hash"], json!(expected));
    // Without the last '~' the hash differs: the final separator is part of the input.
    assert_ne!(sd_hash(alg, compact.presented.trim_end_matches('~')), expected);
}

// ---------------------------------------------------------------------------------------------
// The 17 sd-jwt-js fixtures

fn dotted<'v>(claims: &'v Value, key: &str) -> Option<&'v Value> {
    let mut v = claims;
    for t in key.split('.').filter(|t| !t.is_empty()) {
        v = match v {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// sd-jwt-js names array elements by their index in the issued payload; once undisclosed
/// elements are dropped, a presented element can sit at a lower index. A key is present when it
/// resolves in the presented claims, or when the issued element it names is in the presented
/// array at its path.
fn has_required(presented: &Value, issued: &Value, key: &str) -> bool {
    if dotted(presented, key).is_some() {
        return true;
    }
    let (parent, _) = key.rsplit_once('.').unwrap_or(("", key));
    match (dotted(presented, parent), dotted(issued, key)) {
        (Some(Value::Array(shown)), Some(element)) => shown.contains(element),
        _ => false,
    }
}

#[test]
fn sd_jwt_js_fixtures_round_trip() {
    let mut files: Vec<_> = std::fs::read_dir("tests/data/sdjwt")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 17);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let frame = Selection::from_json(&fixture["disclosureFrame"]).unwrap();
        let sd_jwt = issue_with(&fixture["claims"], &issue_opts(frame));

        // Everything disclosed gives the original claims back.
        let full = verify(&sd_jwt, &VerifyOptions::default(), NOW);
        assert!(full.valid, "{name}: {:?}", full.errors);
        assert_eq!(without_profile_claims(full.claims.as_ref().unwrap()), fixture["claims"], "{name}");

        let selection = Selection::from_json(&fixture["presentationFrames"]).unwrap();
        let presentation = present(&sd_jwt, &selection, Some(&kb())).unwrap();
        let result = verify(&presentation, &kb_options(), NOW);
        assert!(result.valid, "{name}: {:?}", result.errors);
        assert_eq!(result.kind, Kind::Presentation);
        let claims = without_profile_claims(result.claims.as_ref().unwrap());
        if name == "array_none_disclosed.json" {
            // RFC 9901 section 7.1 step 3 removes `_sd` and keeps the object, so an object whose
            // members are all undisclosed stays `{}`; the fixture expects it dropped.
            assert_eq!(claims, json!({ "is_over": {} }), "{name}");
        } else {
            assert_eq!(claims, fixture["presentedClaims"], "{name}");
        }
        for key in fixture["requiredClaimKeys"].as_array().unwrap() {
            let issued = without_profile_claims(full.claims.as_ref().unwrap());
            assert!(has_required(&claims, &issued, key.as_str().unwrap()), "{name}: {key} missing");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Issue, present, verify: the result

#[test]
fn result_holds_only_disclosed_claims_and_paths() {
    let sd_jwt = sample_sd_jwt();
    let presentation = present(&sd_jwt, &paths(&["/given_name", "/address/street_address", "/nationalities/1"]), Some(&kb())).unwrap();
    let r = verify(&presentation, &kb_options(), NOW);
    assert!(r.valid, "{:?}", r.errors);
    let claims = r.claims.clone().unwrap();
    assert_eq!(
        without_profile_claims(&claims),
        json!({ "sub": "user_42", "given_name": "John", "address": { "locality": "Anytown", "country": "US", "street_address": "123 Main St" }, "nationalities": ["DE"] })
    );
    let mut disclosed = r.disclosed.clone().unwrap();
    disclosed.sort();
    assert_eq!(disclosed, vec!["/address", "/address/street_address", "/given_name", "/nationalities/0"]);
    assert_eq!(r.issuer.as_deref(), Some(issuer().did().as_str()));
    assert_eq!(r.subject.as_deref(), Some("user_42"));
    assert_eq!(r.holder.as_deref(), Some(holder().did().as_str()));
    assert_eq!(r.holder_key_thumbprint.as_deref(), Some(jwk_thumbprint(holder().public_key().as_bytes()).as_str()));
    assert_eq!(r.expires_at, Some(NOW + 3600));
    assert_eq!(claims["vct"], json!(VCT));
    assert_eq!(r.credentials.len(), 1);
    assert_eq!(r.credentials[0].types, vec![VCT.to_string()]);
    assert_eq!(r.credentials[0].attributes.get("given_name"), Some(&json!("John")));
    assert!(r.credentials[0].attributes.get("iss").is_none());

    // The issued header and payload follow the SD-JWT VC profile.
    let jwt = sd_jwt.split('~').next().unwrap();
    let header: Value = serde_json::from_str(&decode_part(jwt.split('.').next().unwrap())).unwrap();
    assert_eq!(header, json!({ "typ": "dc+sd-jwt", "kid": issuer().kid(), "alg": "EdDSA" }));
    let payload = jwt_payload(jwt);
    assert_eq!(payload["iss"], json!(issuer().did()));
    assert_eq!(payload["iat"], json!(NOW));
    assert_eq!(payload["exp"], json!(NOW + 3600));
    assert_eq!(payload["_sd_alg"], json!("sha-256"));
    assert_eq!(payload["cnf"]["jwk"], serde_json::to_value(holder().public_jwk()).unwrap());
    let sd: Vec<&str> = payload["_sd"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    let mut sorted = sd.clone();
    sorted.sort_unstable();
    assert_eq!(sd, sorted, "_sd digests are sorted");
    // Salts carry 128 bits.
    let d = Disclosure::parse(sd_jwt.split('~').nth(1).unwrap()).unwrap();
    assert_eq!(b64url_decode(d.salt()).unwrap().len(), 16);
}

#[test]
fn without_key_binding_a_presentation_ends_in_tilde() {
    let sd_jwt = sample_sd_jwt();
    let p = present(&sd_jwt, &paths(&["/email"]), None).unwrap();
    assert!(p.ends_with('~'));
    assert_eq!(p.matches('~').count(), 2);
    let r = verify(&p, &VerifyOptions::default(), NOW);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.kind, Kind::Credential);
    assert_eq!(r.holder, None);
    assert_eq!(r.claims.unwrap()["email"], json!("johndoe@example.com"));
    // An unknown path reveals nothing and fails nothing.
    let p = present(&sd_jwt, &paths(&["/nope"]), None).unwrap();
    assert_eq!(p.matches('~').count(), 1);
}

#[test]
fn sha_384_and_sha_512_digests_verify() {
    for alg in [HashAlg::Sha384, HashAlg::Sha512] {
        let opts = IssueOptions { hash_alg: alg, decoys: 2, ..issue_opts(paths(&["/given_name", "/nationalities/1"])) };
        let sd_jwt = issue_with(&sample_claims(), &opts);
        assert_eq!(jwt_payload(sd_jwt.split('~').next().unwrap())["_sd_alg"], json!(alg.name()));
        let p = present(&sd_jwt, &paths(&["/nationalities/1"]), Some(&kb())).unwrap();
        let kb_jwt = p.rsplit('~').next().unwrap();
        let presented = &p[..p.len() - kb_jwt.len()];
        assert_eq!(jwt_payload(kb_jwt)["sd_hash"], json!(sd_hash(alg, presented)));
        let r = verify(&p, &kb_options(), NOW);
        assert!(r.valid, "{:?}", r.errors);
        assert_eq!(r.claims.unwrap()["nationalities"], json!(["US", "DE"]));
    }
}

#[test]
fn decoys_are_added_and_ignored() {
    let opts = IssueOptions { decoys: 3, ..issue_opts(paths(&["/given_name", "/nationalities/0"])) };
    let sd_jwt = issue_with(&sample_claims(), &opts);
    let payload = jwt_payload(sd_jwt.split('~').next().unwrap());
    assert_eq!(payload["_sd"].as_array().unwrap().len(), 1 + 3);
    assert_eq!(payload["nationalities"].as_array().unwrap().len(), 2 + 3);
    let r = verify(&sd_jwt, &VerifyOptions::default(), NOW);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.claims.unwrap()["nationalities"], json!(["US", "DE"]));
    let none = present(&sd_jwt, &Selection::None, None).unwrap();
    assert_eq!(verify(&none, &VerifyOptions::default(), NOW).claims.unwrap()["nationalities"], json!(["DE"]));
}

#[test]
fn issuance_refusals() {
    let claims = json!({ "given_name": "J", "status": { "status_list": { "idx": 1, "uri": "https://s.example/1" } }, "vct": VCT });
    for p in ["/iss", "/iat", "/exp", "/nbf", "/vct", "/cnf", "/status", "/status/status_list", "/nope", "/given_name/x"] {
        let r = issue(&claims, &issue_opts(paths(&[p])), &issuer(), &mut test_rng());
        assert_eq!(r.map_err(|e| e.code), Err(ErrorCode::MalformedInput), "{p}");
    }
    let r = issue(&claims, &issue_opts(Selection::Frame(json!({ "_sd": ["cnf"] }))), &issuer(), &mut test_rng());
    assert_eq!(r.map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    for bad in [json!({ "a": { "_sd": [] } }), json!({ "...": 1 }), json!({ "a": [{ "_sd_alg": "x" }] }), json!([1])] {
        let r = issue(&bad, &issue_opts(Selection::None), &issuer(), &mut test_rng());
        assert_eq!(r.map_err(|e| e.code), Err(ErrorCode::MalformedInput), "{bad}");
    }
    let no_vct = IssueOptions { vct: None, ..issue_opts(Selection::None) };
    assert_eq!(issue(&json!({}), &no_vct, &issuer(), &mut test_rng()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    let r = issue(&json!({ "iss": "did:example:other" }), &issue_opts(Selection::None), &issuer(), &mut test_rng());
    assert_eq!(r.map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    let many = IssueOptions { decoys: 5000, ..issue_opts(Selection::None) };
    assert_eq!(issue(&json!({}), &many, &issuer(), &mut test_rng()).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    let mut failing = |_: &mut [u8]| -> Result<()> { Err(credcore::Error::new(ErrorCode::InternalError, "no entropy")) };
    assert_eq!(
        issue(&claims, &issue_opts(paths(&["/given_name"])), &issuer(), &mut failing).map_err(|e| e.code),
        Err(ErrorCode::InternalError)
    );
}

#[test]
fn presenting_needs_the_cnf_key() {
    let sd_jwt = sample_sd_jwt();
    let other = stranger();
    let params = KeyBindingParams { key: &other, nonce: NONCE, audience: AUD, iat: NOW };
    assert_eq!(present(&sd_jwt, &Selection::None, Some(&params)).map_err(|e| e.code), Err(ErrorCode::HolderMismatch));
    let unbound = issue_with(&sample_claims(), &IssueOptions { holder_public_key: None, ..issue_opts(Selection::None) });
    assert_eq!(present(&unbound, &Selection::None, Some(&kb())).map_err(|e| e.code), Err(ErrorCode::KeyBindingInvalid));
    let with_kb = present(&sd_jwt, &Selection::None, Some(&kb())).unwrap();
    assert_eq!(present(&with_kb, &Selection::None, None).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
}

// ---------------------------------------------------------------------------------------------
// Privacy

#[test]
fn undisclosed_claims_appear_nowhere_in_a_presentation() {
    let claims = json!({
        "public_claim": "visible-value",
        "secret_name_alpha": "hidden-value-alpha",
        "profile": { "secret_name_beta": "hidden-value-beta", "shown": "shown-value" },
        "list": ["hidden-element-gamma", "shown-element"]
    });
    let sel = paths(&["/secret_name_alpha", "/profile/secret_name_beta", "/profile/shown", "/list/0", "/list/1"]);
    let sd_jwt = issue_with(&claims, &IssueOptions { decoys: 2, ..issue_opts(sel) });
    let p = present(&sd_jwt, &paths(&["/profile/shown", "/list/1"]), Some(&kb())).unwrap();

    let mut decoded = String::new();
    for (i, part) in p.split('~').enumerate() {
        if i == 0 || part.contains('.') {
            for seg in part.split('.') {
                decoded.push_str(&String::from_utf8_lossy(&b64url_decode(seg).unwrap()));
            }
        } else if !part.is_empty() {
            decoded.push_str(&decode_part(part));
        }
        decoded.push_str(part); // the encoded form too
    }
    for secret in ["secret_name_alpha", "hidden-value-alpha", "secret_name_beta", "hidden-value-beta", "hidden-element-gamma"] {
        assert!(!decoded.contains(secret), "{secret} leaked");
    }
    for shown in ["visible-value", "shown-value", "shown-element"] {
        assert!(decoded.contains(shown), "{shown} missing");
    }
    let r = verify(&p, &kb_options(), NOW);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(
        without_profile_claims(r.claims.as_ref().unwrap()),
        json!({ "public_claim": "visible-value", "profile": { "shown": "shown-value" }, "list": ["shown-element"] })
    );
}

// ---------------------------------------------------------------------------------------------
// Tamper suite

fn parts(s: &str) -> Vec<String> {
    s.split('~').map(str::to_string).collect()
}

/// An SD-JWT (no KB) with every sample claim disclosed, as parts: [jwt, d1..dn, ""].
fn full_parts() -> Vec<String> {
    parts(
        &present(
            &sample_sd_jwt(),
            &paths(&["/given_name", "/family_name", "/email", "/address/street_address", "/nationalities/0", "/nationalities/1"]),
            None,
        )
        .unwrap(),
    )
}

fn verify_plain(s: &str) -> VerificationResult {
    verify(s, &VerifyOptions::default(), NOW)
}

#[test]
fn altered_removed_duplicated_injected_disclosures() {
    let base = full_parts();
    assert!(verify_plain(&base.join("~")).valid);

    // Altered: one character of a disclosure changed (still valid base64url JSON or not).
    let mut altered = base.clone();
    let d = Disclosure::parse(&altered[1]).unwrap();
    let forged = Disclosure::property(d.salt(), d.name().unwrap(), json!("Mallory"));
    altered[1] = forged.encoded().to_string();
    let r = verify_plain(&altered.join("~"));
    assert_eq!(codes(&r), vec!["INVALID_DISCLOSURE_PROOF"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("disclosures[0]"));
    let mut garbled = base.clone();
    garbled[2].insert(3, '!');
    assert_eq!(codes(&verify_plain(&garbled.join("~"))), vec!["INVALID_DISCLOSURE_PROOF"]);

    // Removed: legitimate (the claim is simply not disclosed).
    let mut removed = base.clone();
    removed.remove(1);
    let r = verify_plain(&removed.join("~"));
    assert!(r.valid, "{:?}", r.errors);

    // Duplicated.
    let mut dup = base.clone();
    dup.insert(2, base[1].clone());
    let r = verify_plain(&dup.join("~"));
    assert_eq!(codes(&r), vec!["INVALID_DISCLOSURE_PROOF"]);

    // Injected: a well-formed disclosure that no digest references.
    let mut injected = base.clone();
    injected.insert(1, Disclosure::property("c2FsdHNhbHRzYWx0c2FsdA", "is_admin", json!(true)).encoded().to_string());
    let r = verify_plain(&injected.join("~"));
    assert_eq!(codes(&r), vec!["INVALID_DISCLOSURE_PROOF"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("disclosures[0]"));

    // Empty disclosure.
    let mut empty = base.clone();
    empty.insert(1, String::new());
    assert_eq!(codes(&verify_plain(&empty.join("~"))), vec!["MALFORMED_INPUT"]);
}

#[test]
fn reordering_is_legitimate_without_key_binding_and_breaks_sd_hash_with_it() {
    let mut base = full_parts();
    base[1..7].reverse();
    let r = verify_plain(&base.join("~"));
    assert!(r.valid, "{:?}", r.errors);

    let p = present(&sample_sd_jwt(), &paths(&["/given_name", "/family_name"]), Some(&kb())).unwrap();
    assert!(verify(&p, &kb_options(), NOW).valid);
    let mut kb_parts = parts(&p);
    kb_parts.swap(1, 2);
    let r = verify(&kb_parts.join("~"), &kb_options(), NOW);
    assert_eq!(codes(&r), vec!["KEY_BINDING_INVALID"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("kb_jwt.sd_hash"));
    // Removing a disclosure from a bound presentation breaks sd_hash too.
    let mut fewer = parts(&p);
    fewer.remove(1);
    assert_eq!(codes(&verify(&fewer.join("~"), &kb_options(), NOW)), vec!["KEY_BINDING_INVALID"]);
}

#[test]
fn key_binding_failures_have_precise_codes() {
    let sd_jwt = sample_sd_jwt();
    let p = present(&sd_jwt, &paths(&["/email"]), Some(&kb())).unwrap();

    let opts = |nonce: &str, aud: &str| VerifyOptions { nonce: Some(nonce.into()), audience: Some(aud.into()), ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&p, &opts("other", AUD), NOW)), vec!["NONCE_MISMATCH"]);
    assert_eq!(codes(&verify(&p, &opts(NONCE, "https://evil.example"), NOW)), vec!["AUDIENCE_MISMATCH"]);
    // Stale and future iat (default skew 60 s).
    assert_eq!(codes(&verify(&p, &kb_options(), NOW + 61)), vec!["KEY_BINDING_INVALID"]);
    let h = holder();
    let future = KeyBindingParams { key: &h, nonce: NONCE, audience: AUD, iat: NOW + 61 };
    let early = present(&sd_jwt, &paths(&["/email"]), Some(&future)).unwrap();
    let r = verify(&early, &kb_options(), NOW);
    assert_eq!(codes(&r), vec!["KEY_BINDING_INVALID"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("kb_jwt.iat"));
    assert!(verify(&p, &kb_options(), NOW + 60).valid);

    // Signed by another key.
    let no_kb = present(&sd_jwt, &paths(&["/email"]), None).unwrap();
    let other = stranger();
    let forged = format!("{no_kb}{}", credcore::sdjwt::key_binding::sign(&other, HashAlg::Sha256, &no_kb, NONCE, AUD, NOW));
    let r = verify(&forged, &kb_options(), NOW);
    assert_eq!(codes(&r), vec!["KEY_BINDING_INVALID"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("kb_jwt"));

    // Missing when required by a nonce, an audience, or requireKeyBinding.
    assert_eq!(codes(&verify(&no_kb, &kb_options(), NOW)), vec!["KEY_BINDING_MISSING"]);
    let aud_only = VerifyOptions { audience: Some(AUD.into()), ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&no_kb, &aud_only, NOW)), vec!["KEY_BINDING_MISSING"]);
    let required = VerifyOptions { require_key_binding: true, ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&no_kb, &required, NOW)), vec!["KEY_BINDING_MISSING"]);
    assert!(verify(&no_kb, &VerifyOptions::default(), NOW).valid);
    // A KB-JWT that is present is checked even when not required.
    assert_eq!(codes(&verify(&forged, &VerifyOptions::default(), NOW)), vec!["KEY_BINDING_INVALID"]);

    // Wrong typ, alg none, missing claims.
    let kb_jwt = p.rsplit('~').next().unwrap();
    let presented = &p[..p.len() - kb_jwt.len()];
    let wrong_typ = resign(
        kb_jwt,
        |hd, _| {
            hd.insert("typ".into(), json!("JWT"));
        },
        &h,
    );
    let r = verify(&format!("{presented}{wrong_typ}"), &kb_options(), NOW);
    assert_eq!(codes(&r), vec!["KEY_BINDING_INVALID"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("kb_jwt.header.typ"));
    let no_nonce = resign(
        kb_jwt,
        |_, pl| {
            pl.remove("nonce");
        },
        &h,
    );
    assert_eq!(codes(&verify(&format!("{presented}{no_nonce}"), &VerifyOptions::default(), NOW)), vec!["KEY_BINDING_INVALID"]);
    let aud_array = resign(
        kb_jwt,
        |_, pl| {
            pl.insert("aud".into(), json!([AUD]));
        },
        &h,
    );
    assert_eq!(codes(&verify(&format!("{presented}{aud_array}"), &VerifyOptions::default(), NOW)), vec!["KEY_BINDING_INVALID"]);
    let mut kbp = kb_jwt.split('.');
    let none = format!("{}.{}.", b64url_encode(br#"{"alg":"none","typ":"kb+jwt"}"#), {
        kbp.next();
        kbp.next().unwrap()
    });
    assert_eq!(codes(&verify(&format!("{presented}{none}"), &kb_options(), NOW)), vec!["UNSUPPORTED_ALGORITHM"]);

    // Key binding without a cnf key in the SD-JWT.
    let unbound = issue_with(&sample_claims(), &IssueOptions { holder_public_key: None, ..issue_opts(Selection::None) });
    let attached = format!("{unbound}{}", credcore::sdjwt::key_binding::sign(&h, HashAlg::Sha256, &unbound, NONCE, AUD, NOW));
    assert_eq!(codes(&verify(&attached, &kb_options(), NOW)), vec!["KEY_BINDING_INVALID"]);
}

#[test]
fn issuer_jwt_failures_have_precise_codes() {
    let base = full_parts();
    let jwt = base[0].clone();
    let with_jwt = |j: &str| {
        let mut p = base.clone();
        p[0] = j.to_string();
        p.join("~")
    };
    let payload = jwt.split('.').nth(1).unwrap().to_string();
    // alg none and HMAC are refused; ES256 is supported, but a 32-byte signature is not one of
    // it, and a 64-byte one cannot be by the issuer's Ed25519 key (refused before any arithmetic).
    let with_alg = |alg: &str, sig: &[u8]| {
        let header = b64url_encode(format!(r#"{{"alg":"{alg}","typ":"dc+sd-jwt"}}"#).as_bytes());
        codes(&verify_plain(&with_jwt(&format!("{header}.{payload}.{}", b64url_encode(sig)))))
    };
    for alg in ["none", "HS256"] {
        assert_eq!(with_alg(alg, &[7u8; 32]), vec!["UNSUPPORTED_ALGORITHM"], "{alg}");
    }
    assert_eq!(with_alg("ES256", &[7u8; 32]), vec!["MALFORMED_INPUT"]);
    assert_eq!(with_alg("ES256", &[7u8; 64]), vec!["INVALID_SIGNATURE"]);
    // A changed payload under the old signature.
    let forged_payload = {
        let mut p = jwt_payload(&jwt);
        p.insert("sub".into(), json!("admin"));
        b64url_encode(&serde_json::to_vec(&p).unwrap())
    };
    let sig = jwt.rsplit('.').next().unwrap();
    let r = verify_plain(&with_jwt(&format!("{}.{forged_payload}.{sig}", jwt.split('.').next().unwrap())));
    assert_eq!(codes(&r), vec!["INVALID_SIGNATURE"]);
    // Signed by someone else under the issuer's name.
    let r = verify_plain(&with_jwt(&resign(&jwt, |_, _| {}, &stranger())));
    assert_eq!(codes(&r), vec!["INVALID_SIGNATURE"]);
    // A kid of another key.
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |hd, _| {
            hd.insert("kid".into(), json!(stranger().kid()));
        },
        &issuer(),
    )));
    assert_eq!(codes(&r), vec!["INVALID_DID"]);
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |hd, _| {
            hd.insert("kid".into(), json!(format!("#{}", &issuer().did()[8..])));
        },
        &issuer(),
    )));
    assert!(r.valid, "{:?}", r.errors);
    // An https iss: without issuerKeys (or, later, its issuer metadata) its key cannot be had.
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |_, pl| {
            pl.insert("iss".into(), json!("https://issuer.example"));
        },
        &issuer(),
    )));
    assert_eq!(codes(&r), vec!["KEY_UNAVAILABLE"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("iss"));
    // Times.
    assert_eq!(codes(&verify(&base.join("~"), &VerifyOptions::default(), NOW + 3600 + 61)), vec!["EXPIRED_CREDENTIAL"]);
    assert!(verify(&base.join("~"), &VerifyOptions::default(), NOW + 3600 + 60).valid);
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |_, pl| {
            pl.insert("nbf".into(), json!(NOW + 120));
        },
        &issuer(),
    )));
    assert_eq!(codes(&r), vec!["NOT_YET_VALID"]);
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |_, pl| {
            pl.insert("iat".into(), json!(NOW + 120));
        },
        &issuer(),
    )));
    assert_eq!(codes(&r), vec!["NOT_YET_VALID"]);
    // Trusted issuers.
    let trusting_other = VerifyOptions { trusted_issuers: Some(vec![stranger().did()]), ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&base.join("~"), &trusting_other, NOW)), vec!["UNTRUSTED_ISSUER"]);
    let trusting = VerifyOptions { trusted_issuers: Some(vec![issuer().did()]), ..VerifyOptions::default() };
    assert!(verify(&base.join("~"), &trusting, NOW).valid);
    // Unsupported _sd_alg.
    let r = verify_plain(&with_jwt(&resign(
        &jwt,
        |_, pl| {
            pl.insert("_sd_alg".into(), json!("md5"));
        },
        &issuer(),
    )));
    assert_eq!(codes(&r), vec!["UNSUPPORTED_ALGORITHM"]);
    // Not an SD-JWT at all.
    assert_eq!(codes(&verify_plain(&jwt)), vec!["MALFORMED_INPUT"]);
    let big = VerifyOptions { max_input_bytes: 100, ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&base.join("~"), &big, NOW)), vec!["INPUT_TOO_LARGE"]);
}

#[test]
fn typ_policy() {
    let base = full_parts();
    let with_typ = |typ: Option<&str>| {
        let mut p = base.clone();
        p[0] = resign(
            &base[0],
            |hd, _| {
                match typ {
                    Some(t) => hd.insert("typ".into(), json!(t)),
                    None => hd.remove("typ"),
                };
            },
            &issuer(),
        );
        p.join("~")
    };
    assert_eq!(codes(&verify_plain(&with_typ(Some("vc+sd-jwt")))), vec!["MALFORMED_INPUT"]);
    let legacy = VerifyOptions { accept_legacy_typ: true, ..VerifyOptions::default() };
    assert!(verify(&with_typ(Some("vc+sd-jwt")), &legacy, NOW).valid);
    // RFC 7515 section 4.1.9: case-insensitive, `application/` optional.
    assert_eq!(codes(&verify_plain(&with_typ(Some("Application/VC+SD-JWT")))), vec!["MALFORMED_INPUT"]);
    assert!(verify(&with_typ(Some("application/vc+sd-jwt")), &legacy, NOW).valid);
    // RFC 9901 only recommends explicit typing: untyped and `JWT` are plain SD-JWTs.
    for plain in [None, Some("sd+jwt"), Some("example+sd-jwt"), Some("JWT"), Some("application/sd-jwt")] {
        assert!(verify_plain(&with_typ(plain)).valid, "{plain:?}");
    }
    for other in ["kb+jwt", "vc+jwt", "statuslist+jwt", "application/kb+jwt"] {
        assert_eq!(codes(&verify_plain(&with_typ(Some(other)))), vec!["MALFORMED_INPUT"], "{other}");
    }
}

/// Builds an SD-JWT from a raw payload and disclosure strings, signed by the issuer.
fn craft(payload: Value, disclosures: &[&Disclosure], typ: &str) -> String {
    let mut header = Map::new();
    header.insert("typ".into(), json!(typ));
    let mut p = payload.as_object().unwrap().clone();
    p.insert("iss".into(), json!(issuer().did()));
    p.insert("vct".into(), json!(VCT));
    let mut out = credcore::jws::sign(&header, &serde_json::to_vec(&p).unwrap(), &issuer());
    out.push('~');
    for d in disclosures {
        out.push_str(d.encoded());
        out.push('~');
    }
    out
}

#[test]
fn structural_rules_of_rfc9901_section_7_1() {
    let alg = HashAlg::Sha256;
    let name = Disclosure::property("c2FsdDE", "given_name", json!("John"));
    let element = Disclosure::element("c2FsdDI", json!("US"));
    let sd_claim = Disclosure::property("c2FsdDM", "_sd", json!(["x"]));
    let dots = Disclosure::property("c2FsdDQ", "...", json!("x"));
    let nested_alg = Disclosure::property("c2FsdDU", "inner", json!({ "_sd_alg": "sha-256" }));
    let exp = Disclosure::property("c2FsdDY", "exp", json!(NOW + 10));
    let code_path = |s: &str| {
        let r = verify_plain(s);
        (codes(&r), r.errors.first().and_then(|e| e.path.clone()))
    };
    let ok = craft(json!({ "_sd": [name.digest(alg)], "n": [{ "...": element.digest(alg) }] }), &[&name, &element], "dc+sd-jwt");
    let r = verify_plain(&ok);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.claims.unwrap()["n"], json!(["US"]));

    let cases: Vec<(String, &str)> = vec![
        // The same digest twice.
        (craft(json!({ "_sd": [name.digest(alg), name.digest(alg)] }), &[&name], "dc+sd-jwt"), "/_sd"),
        (craft(json!({ "_sd": [name.digest(alg)], "o": { "_sd": [name.digest(alg)] } }), &[&name], "dc+sd-jwt"), "/_sd"),
        // A name that already exists.
        (craft(json!({ "given_name": "Eve", "_sd": [name.digest(alg)] }), &[&name], "dc+sd-jwt"), "disclosures[0]"),
        // Claims named _sd and ...
        (craft(json!({ "_sd": [sd_claim.digest(alg)] }), &[&sd_claim], "dc+sd-jwt"), "disclosures[0]"),
        (craft(json!({ "_sd": [dots.digest(alg)] }), &[&dots], "dc+sd-jwt"), "disclosures[0]"),
        // _sd_alg below the top level, in the payload or inside a disclosure.
        (craft(json!({ "o": { "_sd_alg": "sha-256" } }), &[], "dc+sd-jwt"), "/o/_sd_alg"),
        (craft(json!({ "_sd": [nested_alg.digest(alg)] }), &[&nested_alg], "dc+sd-jwt"), "/inner/_sd_alg"),
        // An element disclosure in an object, a property disclosure in an array.
        (craft(json!({ "_sd": [element.digest(alg)] }), &[&element], "dc+sd-jwt"), "disclosures[0]"),
        (craft(json!({ "n": [{ "...": name.digest(alg) }] }), &[&name], "dc+sd-jwt"), "disclosures[0]"),
        // A placeholder with extra members; _sd that is not an array of strings.
        (craft(json!({ "n": [{ "...": element.digest(alg), "x": 1 }] }), &[&element], "dc+sd-jwt"), "/n/0"),
        (craft(json!({ "_sd": "abc" }), &[], "dc+sd-jwt"), "/_sd"),
        (craft(json!({ "_sd": [1] }), &[], "dc+sd-jwt"), "/_sd"),
        // SD-JWT VC: exp must not be disclosable.
        (craft(json!({ "_sd": [exp.digest(alg)] }), &[&exp], "dc+sd-jwt"), "disclosures[0]"),
    ];
    for (input, path) in &cases {
        assert_eq!(code_path(input), (vec!["INVALID_DISCLOSURE_PROOF"], Some(path.to_string())), "{path}");
    }
    // In a plain SD-JWT too: a holder could withhold it.
    let plain = craft(json!({ "_sd": [exp.digest(alg)] }), &[&exp], "example+sd-jwt");
    assert_eq!(code_path(&plain), (vec!["INVALID_DISCLOSURE_PROOF"], Some("disclosures[0]".to_owned())));
    // SD-JWT VC without vct.
    let mut header = Map::new();
    header.insert("typ".into(), json!("dc+sd-jwt"));
    let no_vct = format!("{}~", credcore::jws::sign(&header, &serde_json::to_vec(&json!({ "iss": issuer().did() })).unwrap(), &issuer()));
    assert_eq!(codes(&verify_plain(&no_vct)), vec!["MALFORMED_INPUT"]);
    // Nesting beyond the limit.
    let deep = craft(json!({ "a": { "b": { "c": { "d": 1 } } } }), &[], "dc+sd-jwt");
    let shallow = VerifyOptions { max_depth: 2, ..VerifyOptions::default() };
    assert_eq!(codes(&verify(&deep, &shallow, NOW)), vec!["INPUT_TOO_LARGE"]);
}

#[test]
fn status_goes_to_the_batch_and_batches_isolate_items() {
    let status = json!({ "status_list": { "idx": 7, "uri": "https://status.example/1" } });
    let mut claims = sample_claims();
    claims["status"] = status.clone();
    let with_status = issue_with(&claims, &issue_opts(paths(&["/email"])));
    let good = prepare(&with_status, &VerifyOptions::default(), NOW);
    assert_eq!(good.status.len(), 1);
    assert_eq!(good.status[0].entry, status);
    assert_eq!(good.status[0].issuer, issuer().did());
    assert_eq!(good.checks.len(), 1);
    let no_status_check = VerifyOptions { check_status: false, ..VerifyOptions::default() };
    assert!(prepare(&with_status, &no_status_check, NOW).status.is_empty());

    let p = present(&sample_sd_jwt(), &Selection::None, Some(&kb())).unwrap();
    let bound = prepare(&p, &kb_options(), NOW);
    assert_eq!(bound.checks.iter().map(|c| c.code).collect::<Vec<_>>(), vec![ErrorCode::InvalidSignature, ErrorCode::KeyBindingInvalid]);
    let mut bad_parts = parts(&p);
    let kb_jwt = bad_parts.pop().unwrap();
    let mut sig_bytes = b64url_decode(kb_jwt.rsplit('.').next().unwrap()).unwrap();
    sig_bytes[5] ^= 1;
    let bad_kb = format!("{}.{}", kb_jwt.rsplit_once('.').unwrap().0, b64url_encode(&sig_bytes));
    bad_parts.push(bad_kb);
    let bad = prepare(&bad_parts.join("~"), &kb_options(), NOW);
    let broken = prepare("not an sd-jwt", &VerifyOptions::default(), NOW);

    let results = finish(vec![good, bound, bad, broken]);
    assert_eq!(results.iter().map(|r| r.valid).collect::<Vec<_>>(), vec![true, true, false, false]);
    assert_eq!(codes(&results[2]), vec!["KEY_BINDING_INVALID"]);
    assert_eq!(results[2].errors[0].path.as_deref(), Some("kb_jwt"));
    assert_eq!(codes(&results[3]), vec!["MALFORMED_INPUT"]);
}

// ---------------------------------------------------------------------------------------------
// Interop: SD-JWT VCs issued by @sd-jwt/sd-jwt-vc 0.19.0 (scripts/fixtures/sdjwt.mjs)

#[test]
fn sd_jwt_js_issued_credentials_verify() {
    let dir = Path::new("tests/data/sdjwt-interop");
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("fixtures.json")).unwrap()).unwrap();
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() >= 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let options: VerifyOptions = serde_json::from_value(case["options"].clone()).unwrap();
        let now = case["now"].as_i64().unwrap();
        let r = verify(case["presentation"].as_str().unwrap(), &options, now);
        let expected: Vec<&str> = case["expectErrors"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(codes(&r), expected, "{name}: {:?}", r.errors);
        if expected.is_empty() {
            assert_eq!(r.issuer.as_deref(), fixtures["issuer"]["did"].as_str(), "{name}");
            let claims = r.claims.unwrap();
            for (k, v) in case["expectClaims"].as_object().unwrap() {
                assert_eq!(claims.get(k), Some(v), "{name}: {k}");
            }
            for k in case["expectHidden"].as_array().unwrap() {
                assert!(claims.get(k.as_str().unwrap()).is_none(), "{name}: {k} should be hidden");
            }
            if case["keyBinding"].as_bool().unwrap() {
                let holder_did = fixtures["holder"]["did"].as_str().unwrap();
                assert_eq!(r.holder.as_deref(), Some(holder_did), "{name}");
            }
        }
    }
}

#[test]
fn interop_keys_match_their_seeds() {
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string("tests/data/sdjwt-interop/fixtures.json").unwrap()).unwrap();
    for role in ["issuer", "holder"] {
        let seed = credcore::encoding::hex_decode(fixtures[role]["seedHex"].as_str().unwrap()).unwrap();
        let key = KeyPair::from_seed_slice(&seed).unwrap();
        assert_eq!(fixtures[role]["did"], json!(key.did()), "{role}");
        assert_eq!(fixtures[role]["kid"], json!(key.kid()), "{role}");
        assert_eq!(fixtures[role]["publicJwk"], serde_json::to_value(key.public_jwk()).unwrap(), "{role}");
    }
}

/// Writes presentations made here for `scripts/fixtures/sdjwt.mjs verify` (the reverse
/// direction: @sd-jwt verifies credcore's output). They verify here first.
#[test]
fn presentations_for_sd_jwt_js() {
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string("tests/data/sdjwt-interop/fixtures.json").unwrap()).unwrap();
    let seed = |role: &str| credcore::encoding::hex_decode(fixtures[role]["seedHex"].as_str().unwrap()).unwrap();
    let (iss, hold) = (KeyPair::from_seed_slice(&seed("issuer")).unwrap(), KeyPair::from_seed_slice(&seed("holder")).unwrap());
    let mut items = Vec::new();
    for alg in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        let opts = IssueOptions {
            hash_alg: alg,
            decoys: 1,
            holder_public_key: Some(hold.public_key().clone().into()),
            ..issue_opts(paths(&["/given_name", "/family_name", "/address", "/address/street_address", "/nationalities/1"]))
        };
        let sd_jwt = issue(&sample_claims(), &opts, &iss, &mut test_rng()).unwrap();
        let params = KeyBindingParams { key: &hold, nonce: NONCE, audience: AUD, iat: NOW };
        let p = present(&sd_jwt, &paths(&["/given_name", "/address/street_address"]), Some(&params)).unwrap();
        let r = verify(&p, &kb_options(), NOW);
        assert!(r.valid, "{:?}", r.errors);
        items.push(json!({ "name": alg.name(), "presentation": p, "nonce": NONCE, "audience": AUD, "now": NOW }));
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sdjwt-credcore-presentations.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json!({ "items": items })).unwrap()).unwrap();
    let back: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(back["items"].as_array().unwrap().len(), 3);
}

/// A cached result of an SD-JWT+KB answers only while its KB-JWT's `iat` is within the clock
/// skew of the verification time; a failure of the KB-JWT's time check is never cached.
#[test]
fn key_bound_presentations_are_verified_afresh_never_from_the_cache() {
    use credcore::verifier::{CacheConfig, Verifier};
    let presentation = present(&sample_sd_jwt(), &paths(&["/given_name"]), Some(&kb())).unwrap();
    let mut call = Map::new();
    call.insert("nonce".into(), json!(NONCE));
    call.insert("audience".into(), json!(AUD));
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let at = |v: &mut Verifier, seconds: i64| {
        let r = v.verify_batch(&[presentation.as_str()], &call, (seconds * 1000) as f64).unwrap();
        codes(&r[0])
    };
    assert_eq!(at(&mut v, NOW + 5), Vec::<&str>::new());
    assert_eq!(at(&mut v, NOW + 50), Vec::<&str>::new());
    // 200 s later (default skew 60 s), within the cache TTL of 300 s: the KB-JWT is stale.
    assert_eq!(at(&mut v, NOW + 200), vec!["KEY_BINDING_INVALID"]);
    // Before the KB-JWT's iat minus the skew.
    assert_eq!(at(&mut v, NOW - 120), vec!["NOT_YET_VALID", "KEY_BINDING_INVALID"]);
    assert_eq!(at(&mut v, NOW + 30), Vec::<&str>::new());
    let stats = v.stats().results;
    assert_eq!((stats.hits, stats.misses, stats.entries), (0, 5, 0), "presentations are never cached");
}
