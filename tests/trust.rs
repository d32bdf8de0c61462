#![cfg(not(target_arch = "wasm32"))]
// One suite for the attacks on verdicts, one test each; over 500 lines because each builds its own item.
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Verdicts nobody can flip: each attack that once turned an invalid item valid, or served one
//! caller's state to another, reproduced through the verifier the package runs (uncached and
//! cached, which must agree: see `support/credentials.rs`).

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::{Format, Kind, VerificationResult, VerifyOptions};
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::keys::KeyPair;
use credcore::sdjwt::{Disclosure, IssueOptions, Selection};
use credcore::status::{ListConfig, ListFormat, StatusListIssuer};
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const NOW: i64 = 1_750_000_000;
const URI: &str = "https://issuer.example/status/1";
const V1: &str = "https://www.w3.org/2018/credentials/v1";

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[11; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[12; 32])
}
fn attacker() -> KeyPair {
    KeyPair::from_seed(&[13; 32])
}

fn at(now_s: i64) -> VerifyOptions {
    VerifyOptions { now: Some(now_s as f64 * 1000.0), ..VerifyOptions::default() }
}

fn with_list(mut o: VerifyOptions, list: &str) -> VerifyOptions {
    o.status_lists = Some(BTreeMap::from([(URI.to_owned(), Value::String(list.to_owned()))]));
    o
}

fn sign(header: Value, payload: &Value, key: &KeyPair) -> String {
    let Value::Object(h) = header else { unreachable!() };
    credcore::jws::sign(&h, &serde_json::to_vec(payload).unwrap(), key)
}

fn part(jwt: &str, i: usize) -> Value {
    serde_json::from_slice(&b64url_decode(jwt.split('.').nth(i).unwrap()).unwrap()).unwrap()
}

fn list_config(format: ListFormat) -> ListConfig {
    let bits = if format == ListFormat::Ietf { 2 } else { 1 };
    ListConfig { format, uri: URI.into(), size: 131_072, bits, purpose: None, ttl_seconds: None, valid_for_seconds: Some(86_400) }
}

/// A revocation list of `format` signed at `signed_at` seconds, with entry 7 set to `status`.
fn list(format: ListFormat, signed_at: i64, status: u8, key: &KeyPair) -> String {
    let mut l = StatusListIssuer::new(list_config(format)).unwrap();
    l.set(7, status).unwrap();
    l.sign(key, signed_at as f64 * 1000.0)
}

fn w3c_entry() -> Value {
    json!({ "id": format!("{URI}#7"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7", "statusListCredential": URI })
}

/// A VC-JWT as jose signs one by default: no `typ`, no `kid`.
fn jose_style_vc_jwt(vc_extra: Value, exp: Option<i64>) -> String {
    let mut vc = json!({
        "@context": [V1],
        "type": ["VerifiableCredential"],
        "credentialSubject": { "id": holder().did(), "degree": "BSc" }
    });
    for (k, v) in vc_extra.as_object().unwrap() {
        vc[k] = v.clone();
    }
    let mut payload = json!({ "iss": issuer().did(), "sub": holder().did(), "nbf": NOW - 7200, "vc": vc });
    if let Some(e) = exp {
        payload["exp"] = json!(e);
    }
    sign(json!({ "alg": "EdDSA" }), &payload, &issuer())
}

fn codes_of(r: &VerificationResult) -> Vec<&'static str> {
    codes(r)
}

// ---------------------------------------------------------------------------------------------
// 1. Format confusion

#[test]
fn a_vc_jwt_followed_by_tilde_is_refused_never_read_as_an_sd_jwt() {
    let revoked = list(ListFormat::W3c, NOW - 60, 1, &issuer());
    let expired_revoked = jose_style_vc_jwt(json!({ "expirationDate": "2025-01-01T00:00:00Z", "credentialStatus": w3c_entry() }), None);
    let trusted = VerifyOptions { trusted_issuers: Some(vec![issuer().did()]), ..with_list(at(NOW), &revoked) };
    let original = verify(&expired_revoked, &trusted);
    assert_eq!(codes_of(&original), ["EXPIRED_CREDENTIAL", "REVOKED_CREDENTIAL"]);
    let kb_like = sign(json!({ "alg": "EdDSA", "typ": "kb+jwt" }), &json!({ "iat": NOW }), &holder());
    for tail in ["~", "~~", "~WyJzYWx0IiwgIm4iLCAxXQ~", &format!("~{kb_like}")] {
        let input = format!("{expired_revoked}{tail}");
        for r in [verify(&input, &trusted), verify_credential(&input, &trusted), verify_presentation(&input, &trusted)] {
            assert!(!r.valid, "{tail}");
            assert_eq!(r.format, Format::VcJwt, "{tail}");
            assert!(r.errors.iter().any(|e| e.code == "MALFORMED_INPUT"), "{tail}: {:?}", r.errors);
        }
    }
    // A VP-JWT carrying a forged credential, with '~' appended.
    let forged = {
        let jwt = jose_style_vc_jwt(json!({}), Some(NOW + 3600));
        let (rest, _) = jwt.rsplit_once('.').unwrap();
        format!("{rest}.{}", b64url_encode(&attacker().sign(rest.as_bytes())))
    };
    let vp = create_presentation(&[json!(forged)], &holder(), Some("n"), Some("aud"), PresentationFormat::VpJwt, NOW).unwrap();
    let vp = vp.as_str().unwrap();
    let options = VerifyOptions { nonce: Some("n".into()), audience: Some("aud".into()), ..at(NOW) };
    assert_eq!(codes_of(&verify_presentation(vp, &options)), ["INVALID_SIGNATURE"]);
    for r in [verify_presentation(&format!("{vp}~"), &options), verify(&format!("{vp}~"), &options)] {
        assert!(!r.valid);
        assert_eq!((r.format, r.kind), (Format::VcJwt, Kind::Presentation));
        assert_eq!(codes_of(&r), ["MALFORMED_INPUT"]);
    }
}

#[test]
fn an_sd_jwt_carrying_vc_or_vp_is_refused() {
    let body = json!({ "@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": { "id": holder().did() }, "expirationDate": "2025-01-01T00:00:00Z" });
    // In the signed payload: the format decision refuses it.
    let undisclosed = format!(
        "{}~",
        sign(
            json!({ "alg": "EdDSA", "typ": "dc+sd-jwt" }),
            &json!({ "iss": issuer().did(), "vct": "x", "vc": body, "_sd_alg": "sha-256" }),
            &issuer()
        )
    );
    let r = verify(&undisclosed, &at(NOW));
    assert_eq!((r.format, codes_of(&r)), (Format::VcJwt, vec!["MALFORMED_INPUT"]));
    // In a disclosure: the SD-JWT rules refuse it.
    let d = Disclosure::property("salt-1", "vc", body);
    let payload = json!({ "iss": issuer().did(), "_sd": [d.digest(credcore::hash::HashAlg::Sha256)], "_sd_alg": "sha-256" });
    let disclosed = format!("{}~{}~", sign(json!({ "alg": "EdDSA", "typ": "example+sd-jwt" }), &payload, &issuer()), d.encoded());
    let r = verify(&disclosed, &at(NOW));
    assert_eq!((r.format, codes_of(&r)), (Format::SdJwt, vec!["MALFORMED_INPUT"]));
}

// ---------------------------------------------------------------------------------------------
// 2. `typ` compared as RFC 7515 says

fn sd_jwt_with(typ: &str, claims: Value, disclosed: &[(&str, Value)]) -> String {
    let alg = credcore::hash::HashAlg::Sha256;
    let mut payload = claims;
    payload["iss"] = json!(issuer().did());
    payload["_sd_alg"] = json!("sha-256");
    let mut ds = Vec::new();
    let mut digests = Vec::new();
    for (i, (name, value)) in disclosed.iter().enumerate() {
        let d = Disclosure::property(&format!("salt-{i}"), name, value.clone());
        digests.push(json!(d.digest(alg)));
        ds.push(d.encoded().to_owned());
    }
    payload["_sd"] = Value::Array(digests);
    let jwt = sign(json!({ "alg": "EdDSA", "typ": typ }), &payload, &issuer());
    format!("{jwt}~{}", ds.iter().map(|d| format!("{d}~")).collect::<String>())
}

#[test]
fn media_type_spellings_of_the_sd_jwt_vc_typ_get_the_profile_rules() {
    let status = json!({ "status_list": { "idx": 7, "uri": URI } });
    let revoked = list(ListFormat::Ietf, NOW - 60, 1, &issuer());
    for typ in ["application/dc+sd-jwt", "DC+SD-JWT", "Application/Dc+Sd-Jwt"] {
        // No vct: refused as an SD-JWT VC.
        let r = verify(&sd_jwt_with(typ, json!({ "given_name": "Ada" }), &[]), &at(NOW));
        assert_eq!(codes_of(&r), ["MALFORMED_INPUT"], "{typ}");
        assert_eq!(paths(&r, "MALFORMED_INPUT"), ["vct"], "{typ}");
        // Status in the payload: read, and the revocation applies.
        let r = verify(&sd_jwt_with(typ, json!({ "vct": "urn:x", "status": status }), &[]), &with_list(at(NOW), &revoked));
        assert_eq!(codes_of(&r), ["REVOKED_CREDENTIAL"], "{typ}");
        // Status as a disclosure (which a holder could withhold): refused.
        let r = verify(&sd_jwt_with(typ, json!({ "vct": "urn:x" }), &[("status", status.clone())]), &with_list(at(NOW), &revoked));
        assert_eq!(codes_of(&r), ["INVALID_DISCLOSURE_PROOF"], "{typ}");
    }
    // The legacy type, however spelled, needs acceptLegacyTyp.
    for typ in ["application/vc+sd-jwt", "VC+SD-JWT"] {
        let input = sd_jwt_with(typ, json!({ "vct": "urn:x" }), &[]);
        assert_eq!(codes_of(&verify(&input, &at(NOW))), ["MALFORMED_INPUT"], "{typ}");
        assert!(verify(&input, &VerifyOptions { accept_legacy_typ: true, ..at(NOW) }).valid, "{typ}");
    }
    // A plain SD-JWT cannot withhold its status either.
    let r = verify(&sd_jwt_with("example+sd-jwt", json!({}), &[("status", status)]), &with_list(at(NOW), &revoked));
    assert_eq!(codes_of(&r), ["INVALID_DISCLOSURE_PROOF"]);
}

// ---------------------------------------------------------------------------------------------
// 3. A cached verdict never outlives the credential

/// Re-signs a compact JWS with `key`, editing its payload.
fn resign(jws: &str, key: &KeyPair, edit: impl FnOnce(&mut Value)) -> String {
    let header = part(jws, 0);
    let mut payload = part(jws, 1);
    edit(&mut payload);
    sign(header, &payload, key)
}

#[test]
fn an_exp_in_the_proof_jws_bounds_the_verdict_and_the_cache() {
    let body = json!({ "credentialSubject": { "id": holder().did(), "n": 1 } });
    let mut anon = issue_credential(&body, &issuer(), IssueFormat::AnonIdentity, None, NOW).unwrap();
    assert!(anon.get("expirationDate").is_none());
    let exp = NOW + 600;
    let jws = resign(anon["proof"]["jws"].as_str().unwrap(), &issuer(), |p| p["exp"] = json!(exp));
    anon["proof"]["jws"] = json!(jws);
    let input = text(&anon);
    let r = verify(&input, &at(NOW));
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.expires_at, Some(exp));
    // One verifier, cached at NOW, asked again past exp + skew: expired, like a fresh verifier.
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let call = |s: i64| options_map(&at(s));
    assert!(v.verify_batch(&[&input], &call(NOW), 0.0).unwrap()[0].valid);
    assert!(v.verify_batch(&[&input], &call(NOW + 1), 0.0).unwrap()[0].valid);
    let late = v.verify_batch(&[&input], &call(exp + 61), 0.0).unwrap().remove(0);
    assert_eq!(codes_of(&late), ["EXPIRED_CREDENTIAL"]);
    assert_eq!(paths(&late, "EXPIRED_CREDENTIAL"), ["proof.jws.payload.exp"]);
    assert_eq!(late, verify(&input, &at(exp + 61)));
    // The same with the bound replicated in the header only (RFC 7519 section 5.3).
    let mut anon = issue_credential(&body, &issuer(), IssueFormat::AnonIdentity, None, NOW).unwrap();
    let compact = anon["proof"]["jws"].as_str().unwrap().to_owned();
    let mut header = part(&compact, 0);
    header["exp"] = json!(exp);
    anon["proof"]["jws"] = json!(sign(header, &part(&compact, 1), &issuer()));
    let r = verify(&text(&anon), &at(exp + 61));
    assert_eq!(paths(&r, "EXPIRED_CREDENTIAL"), ["proof.jws.header.exp"]);
}

#[test]
fn disclosure_proof_times_are_checked() {
    let f = fixture("presentation-sd.json");
    let holder = KeyPair::from_seed_slice(&credcore::encoding::hex_decode(f["holder"]["secretKeyHex"].as_str().unwrap()).unwrap()).unwrap();
    let generated = f["generatedAt"].as_i64().unwrap() / 1000;
    let options = at_fixture_time(&f);
    assert!(verify(&text(&f["presentation"]), &options).valid);
    for (claim, value, code) in [("exp", generated + 60, "EXPIRED_CREDENTIAL"), ("nbf", generated + 86_400, "NOT_YET_VALID")] {
        let mut p = f["presentation"].clone();
        let dp = p["verifiableCredential"][0]["disclosureProof"]["proofValue"].as_str().unwrap().to_owned();
        p["verifiableCredential"][0]["disclosureProof"]["proofValue"] = json!(resign(&dp, &holder, |pl| pl[claim] = json!(value)));
        // The holder signs the presentation again over the new disclosure proof.
        let outer = p["proof"]["jws"].as_str().unwrap().to_owned();
        let shown = p["verifiableCredential"].clone();
        p["proof"]["jws"] = json!(resign(&outer, &holder, |pl| pl["verifiableCredential"] = shown));
        let r = verify(&text(&p), &options);
        assert_eq!(codes_of(&r), [code], "{claim}: {:?}", r.errors);
        assert_eq!(paths(&r, code), [format!("credentials[0].disclosureProof.proofValue.payload.{claim}")]);
    }
}

// ---------------------------------------------------------------------------------------------
// 4, 5. Status lists: no rollback, no carry-over, identity

fn status_vc_jwt() -> String {
    let body = json!({ "credentialSubject": { "id": holder().did() }, "credentialStatus": w3c_entry() });
    issue_credential(&body, &issuer(), IssueFormat::VcJwt, Some(86_400), NOW - 3600).unwrap().as_str().unwrap().to_owned()
}

#[test]
fn an_older_status_list_is_refused_after_a_newer_one() {
    let vc = status_vc_jwt();
    let old_clean = list(ListFormat::W3c, NOW - 600, 0, &issuer());
    let new_revoking = list(ListFormat::W3c, NOW - 60, 1, &issuer());
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    let run = |v: &mut Verifier, list: Option<&str>| {
        let o = match list {
            Some(l) => with_list(at(NOW), l),
            None => at(NOW),
        };
        v.verify_batch(&[&vc], &options_map(&o), 0.0).unwrap().remove(0)
    };
    assert!(run(&mut v, Some(&old_clean)).valid);
    assert_eq!(codes_of(&run(&mut v, Some(&new_revoking))), ["REVOKED_CREDENTIAL"]);
    // The old list again (a replaying resolver, a stale mirror): refused, not believed.
    let replay = run(&mut v, Some(&old_clean));
    assert_eq!(codes_of(&replay), ["INVALID_STATUS_LIST"]);
    assert!(replay.errors[0].message.contains("older"), "{:?}", replay.errors);
    // The newer list is still the one held.
    assert_eq!(codes_of(&run(&mut v, None)), ["REVOKED_CREDENTIAL"]);
    // Clearing the caches does not reopen the door.
    v.clear();
    assert_eq!(codes_of(&run(&mut v, Some(&old_clean))), ["INVALID_STATUS_LIST"]);
    // A list signed by someone else for the same URI, however new, neither counts as newer for the
    // issuer's lists nor passes for the issuer's credential.
    let foreign = list(ListFormat::W3c, NOW, 0, &attacker());
    assert_eq!(codes_of(&run(&mut v, Some(&foreign))), ["INVALID_STATUS_LIST"]);
    assert_eq!(codes_of(&run(&mut v, Some(&new_revoking))), ["REVOKED_CREDENTIAL"]);
    // The same in IETF lists.
    let sd = sdjwt_with_status();
    let old = list(ListFormat::Ietf, NOW - 600, 0, &issuer());
    let new = list(ListFormat::Ietf, NOW - 60, 2, &issuer());
    let mut v = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
    for (l, want) in [(&old, vec![]), (&new, vec!["CREDENTIAL_SUSPENDED"]), (&old, vec!["INVALID_STATUS_LIST"])] {
        let r = v.verify_batch(&[&sd], &options_map(&with_list(at(NOW), l)), 0.0).unwrap().remove(0);
        assert_eq!(codes_of(&r), want);
    }
}

fn sdjwt_with_status() -> String {
    let claims = json!({ "vct": "urn:x", "given_name": "Ada", "status": { "status_list": { "idx": 7, "uri": URI } } });
    let opts = IssueOptions {
        disclose: Selection::Paths(vec!["/given_name".into()]),
        now_seconds: NOW - 3600,
        expires_in: Some(86_400),
        ..IssueOptions::default()
    };
    credcore::sdjwt::issue(&claims, &opts, &issuer(), &mut credcore::sdjwt::system_random).unwrap()
}

#[test]
fn the_module_functions_carry_no_list_or_result_between_calls() {
    let vc = status_vc_jwt();
    let revoking = list(ListFormat::W3c, NOW - 60, 1, &issuer());
    // The verifier behind verifyCredential / verifyBatch / sdJwt.verify.
    let mut v = Verifier::new(Map::new(), &CacheConfig::stateless()).unwrap();
    let with = v.verify_batch(&[&vc, &vc], &options_map(&with_list(at(NOW), &revoking)), 0.0).unwrap();
    assert!(with.iter().all(|r| codes_of(r) == ["REVOKED_CREDENTIAL"]));
    let without = v.verify_batch(&[&vc], &options_map(&at(NOW)), 0.0).unwrap().remove(0);
    assert_eq!(codes_of(&without), ["STATUS_UNAVAILABLE"]);
    // An older list after a newer one: nothing was remembered, so it is read (and says not revoked).
    let old = list(ListFormat::W3c, NOW - 600, 0, &issuer());
    assert!(v.verify_batch(&[&vc], &options_map(&with_list(at(NOW), &old)), 0.0).unwrap()[0].valid);
    let s = v.stats();
    assert_eq!((s.results.entries, s.results.hits, s.status_lists.entries, s.status_lists.hits), (0, 0, 0, 0));
}

#[test]
fn a_w3c_list_must_state_its_uri_as_id() {
    let vc = status_vc_jwt();
    let signed = list(ListFormat::W3c, NOW - 60, 1, &issuer());
    assert_eq!(codes_of(&verify(&vc, &with_list(at(NOW), &signed))), ["REVOKED_CREDENTIAL"]);
    // The same list with its id removed, or naming another list of the issuer, re-signed by the issuer.
    for id in [None, Some("https://issuer.example/status/2")] {
        let edited = resign(&signed, &issuer(), |p| {
            let vc = if p.get("vc").is_some() { p.get_mut("vc").unwrap() } else { p };
            let vc = vc.as_object_mut().unwrap();
            match id {
                Some(i) => vc.insert("id".into(), json!(i)),
                None => vc.remove("id"),
            };
        });
        let r = verify(&vc, &with_list(at(NOW), &edited));
        assert_eq!(codes_of(&r), ["INVALID_STATUS_LIST"], "{id:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 6, 8. Kinds, and invalid results carry no claims

#[test]
fn verify_presentation_refuses_a_bare_sd_jwt() {
    let sd = sdjwt_with_status();
    let o = VerifyOptions { check_status: false, ..at(NOW) };
    assert!(verify_credential(&sd, &o).valid);
    let r = verify_presentation(&sd, &o);
    assert!(!r.valid);
    assert_eq!(codes_of(&r), ["MALFORMED_INPUT"]);
    assert!(r.claims.is_none() && r.unverified.is_some());
}

#[test]
fn invalid_results_carry_no_claims_only_unverified() {
    let jwt = issue_credential(
        &json!({ "credentialSubject": { "id": holder().did(), "degree": "BSc" } }),
        &issuer(),
        IssueFormat::VcJwt,
        None,
        NOW,
    )
    .unwrap()
    .as_str()
    .unwrap()
    .to_owned();
    let forged = {
        let (rest, _) = jwt.rsplit_once('.').unwrap();
        format!("{rest}.{}", b64url_encode(&attacker().sign(rest.as_bytes())))
    };
    let anon = issue_credential(
        &json!({ "credentialSubject": { "id": holder().did(), "degree": "BSc" } }),
        &issuer(),
        IssueFormat::AnonIdentity,
        None,
        NOW,
    )
    .unwrap();
    let mut edited = anon.clone();
    edited["credentialSubject"]["degree"] = json!("PhD");
    let sd = sdjwt_with_status();
    let sd_untrusted = VerifyOptions { trusted_issuers: Some(vec![attacker().did()]), check_status: false, ..at(NOW) };
    let cases: Vec<(String, VerifyOptions)> = vec![
        (forged, at(NOW)),
        (text(&edited), at(NOW)),
        (sd, sd_untrusted),
        (jwt.clone(), VerifyOptions { trusted_issuers: Some(vec![attacker().did()]), ..at(NOW) }),
    ];
    for (input, options) in &cases {
        let r = verify(input, options);
        assert!(!r.valid, "{input}");
        assert!(
            r.claims.is_none()
                && r.subject.is_none()
                && r.credentials.is_empty()
                && r.disclosed.is_none()
                && r.holder_key_thumbprint.is_none()
        );
        let u = r.unverified.as_ref().unwrap();
        assert!(u.claims.is_some() && !u.credentials.is_empty(), "{:?}", u);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["claims"], Value::Null);
        assert_eq!(json["credentials"], json!([]));
        assert!(json["unverified"]["claims"].is_object());
    }
    // A valid result has no `unverified`.
    let r = verify(&jwt, &at(NOW));
    assert!(r.valid && r.unverified.is_none() && r.claims.is_some());
    assert!(serde_json::to_value(&r).unwrap().get("unverified").is_none());
}

// ---------------------------------------------------------------------------------------------
// 10. Public credentials in the shapes other issuers publish

#[test]
fn shapes_other_issuers_publish() {
    let o = at(NOW);
    // No @context, or the base context not first: refused (VCDM 1.1 section 4.1, 2.0 section 4.3).
    for (context, what) in
        [(None, "none"), (Some(json!(["https://example.com/other", V1])), "not first"), (Some(json!("https://example.com/x")), "other")]
    {
        let mut vc = json!({ "type": ["VerifiableCredential"], "credentialSubject": { "id": holder().did() } });
        if let Some(c) = context {
            vc["@context"] = c;
        }
        let jwt = sign(json!({ "alg": "EdDSA" }), &json!({ "iss": issuer().did(), "vc": vc }), &issuer());
        let r = verify(&jwt, &o);
        assert_eq!(codes_of(&r), ["MALFORMED_INPUT"], "{what}");
        assert_eq!(paths(&r, "MALFORMED_INPUT"), ["payload.vc.@context"], "{what}");
    }
    // VC-JOSE secures VCDM 2.0: its first context is the 2.0 one.
    let jose = sign(
        json!({ "alg": "EdDSA", "typ": "vc+jwt" }),
        &json!({ "@context": [V1], "type": ["VerifiableCredential"], "issuer": issuer().did(), "credentialSubject": { "id": holder().did() } }),
        &issuer(),
    );
    assert_eq!(paths(&verify(&jose, &o), "MALFORMED_INPUT"), ["payload.@context"]);
    // An Ed25519 did:key VC-JWT whose kid is the bare issuer DID.
    let vc = json!({ "@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": { "id": holder().did() } });
    let bare_kid = sign(json!({ "alg": "EdDSA", "kid": issuer().did() }), &json!({ "iss": issuer().did(), "vc": vc }), &issuer());
    assert!(verify(&bare_kid, &o).valid);
    let other_kid = sign(json!({ "alg": "EdDSA", "kid": attacker().did() }), &json!({ "iss": issuer().did(), "vc": vc }), &issuer());
    assert_eq!(codes_of(&verify(&other_kid, &o)), ["INVALID_DID"]);
    // RFC 9901 SD-JWTs typed JWT, or untyped.
    for typ in [Some("JWT"), None] {
        let mut header = json!({ "alg": "EdDSA" });
        if let Some(t) = typ {
            header["typ"] = json!(t);
        }
        let sd = format!("{}~", sign(header, &json!({ "iss": issuer().did(), "given_name": "Ada", "_sd_alg": "sha-256" }), &issuer()));
        let r = verify(&sd, &o);
        assert!(r.valid, "{typ:?}: {:?}", r.errors);
        assert_eq!(r.format, Format::SdJwt);
    }
    // Data Integrity proofs over RDF that are not whole: refused as malformed, never as missing.
    let base = json!({ "@context": [V1], "type": ["VerifiableCredential"], "issuer": issuer().did(), "credentialSubject": { "id": holder().did() } });
    for (proof, code) in [
        (
            json!({ "type": "Ed25519Signature2020", "proofPurpose": "assertionMethod", "verificationMethod": format!("{}#key-1", issuer().did()), "proofValue": "z3FXQ" }),
            &["INVALID_DID", "MALFORMED_INPUT"][..],
        ),
        (json!({ "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z3FXQ" }), &["MALFORMED_INPUT"][..]),
    ] {
        let mut c = base.clone();
        c["proof"] = proof;
        let r = verify(&text(&c), &o);
        assert_eq!(codes_of(&r), code, "{:?}", r.errors);
        assert_eq!(r.format, Format::DataIntegrity);
    }
}

// ---------------------------------------------------------------------------------------------
// Cached and uncached verdicts agree at every instant around every boundary

#[test]
fn cached_and_uncached_verdicts_agree_around_every_boundary() {
    let exp = NOW + 3600;
    let nbf = NOW - 600;
    let vc = sign(
        json!({ "alg": "EdDSA" }),
        &json!({ "iss": issuer().did(), "nbf": nbf, "exp": exp, "vc": { "@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": { "id": holder().did() }, "expirationDate": "2025-06-15T17:00:00Z" } }),
        &issuer(),
    );
    let mut anon = issue_credential(
        &json!({ "credentialSubject": { "id": holder().did() } }),
        &issuer(),
        IssueFormat::AnonIdentity,
        Some(7200),
        NOW - 60,
    )
    .unwrap();
    let jws = resign(anon["proof"]["jws"].as_str().unwrap(), &issuer(), |p| p["exp"] = json!(exp - 1800));
    anon["proof"]["jws"] = json!(jws);
    let sd = sdjwt_with_status();
    let listed = status_vc_jwt();
    let status_list = list(ListFormat::Ietf, NOW - 60, 0, &issuer());
    let w3c_list = list(ListFormat::W3c, NOW - 60, 0, &issuer());
    let inputs = [vc.clone(), text(&anon), sd, listed];
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let mut lists = BTreeMap::new();
    lists.insert(URI.to_owned(), Value::String(status_list));
    // Every boundary of every item, each probed at -61..=+61 s around it.
    let vc_exp2 = credcore::time::parse_rfc3339("2025-06-15T17:00:00Z").unwrap();
    let boundaries = [nbf, exp, exp - 1800, NOW - 60, NOW + 7140, NOW - 3600, NOW - 3600 + 86_400, vc_exp2, NOW - 60 + 86_400];
    let mut instants: Vec<i64> = boundaries.iter().flat_map(|b| [-61, -60, -59, -1, 0, 1, 59, 60, 61].map(|d| b + d)).collect();
    // Forward, then backward, then shuffled: a cache warmed at one instant is asked at others.
    let forward = {
        let mut f = instants.clone();
        f.sort_unstable();
        f
    };
    let mut backward = forward.clone();
    backward.reverse();
    instants.sort_by_key(|t| (t.wrapping_mul(2_654_435_761)) % 1_000_003);
    let mut checked = 0;
    for (name, listed_by) in [("ietf", lists.clone()), ("w3c", BTreeMap::from([(URI.to_owned(), Value::String(w3c_list.clone()))]))] {
        let mut cached = Verifier::new(Map::new(), &CacheConfig::default()).unwrap();
        for t in forward.iter().chain(&backward).chain(&instants) {
            let options = VerifyOptions { status_lists: Some(listed_by.clone()), ..at(*t) };
            let fresh =
                Verifier::new(Map::new(), &CacheConfig::stateless()).unwrap().verify_batch(&refs, &options_map(&options), 0.0).unwrap();
            let served = cached.verify_batch(&refs, &options_map(&options), 0.0).unwrap();
            assert_eq!(fresh, served, "{name} at {t}");
            checked += refs.len();
        }
        assert!(cached.stats().results.hits > 0, "the cache served nothing");
    }
    assert!(checked > 600);
}

// ---------------------------------------------------------------------------------------------
// Fuzz findings, replayed

#[test]
fn fuzz_regressions_replay_with_cached_and_uncached_in_agreement() {
    // fuzz/regressions/verify_batch/: byte 0 the configuration (0: verified at 1750000010 s, no
    // other option), then `\n`-separated parts: `LIST <jws>` (a status list, supplied under the
    // seeds' URI) or an item. A forged list is never read: the items are invalid, and no reading
    // of it (a revocation) appears.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/verify_batch");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        assert_eq!(data[0], 0, "{path:?}: only configuration 0 is replayed here");
        let text = String::from_utf8_lossy(&data[1..]).into_owned();
        let mut lists = BTreeMap::new();
        let mut items = Vec::new();
        for part in text.split('\n') {
            match part.strip_prefix("LIST ") {
                Some(list) => {
                    lists.insert("https://example.com/statuslists/1".to_owned(), Value::String(list.to_owned()));
                }
                None => items.push(part),
            }
        }
        let options = VerifyOptions { now: Some(1_750_000_010_000.0), status_lists: Some(lists), ..VerifyOptions::default() };
        for r in verify_batch(&items, &options) {
            assert!(!r.valid, "{path:?}");
            assert!(!r.errors.iter().any(|e| e.code == "REVOKED_CREDENTIAL"), "{path:?}: {:?}", r.errors);
        }
        replayed += 1;
    }
    assert_eq!(replayed, 2);
}

#[test]
fn a_forged_list_is_refused_the_same_with_or_without_a_cache() {
    let vc = status_vc_jwt();
    let signed = list(ListFormat::W3c, NOW - 60, 1, &issuer());
    let (rest, sig) = signed.rsplit_once('.').unwrap();
    let flipped = format!("{rest}.{}{}", if sig.starts_with('A') { "B" } else { "A" }, &sig[1..]);
    // Through the helper: uncached, cached, and cached again agree, and the list is not read.
    let r = verify(&vc, &with_list(at(NOW), &flipped));
    assert_eq!(codes_of(&r), ["INVALID_STATUS_LIST"]);
    assert!(r.errors[0].message.contains("signature"), "{:?}", r.errors);
}
