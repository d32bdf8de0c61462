#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] functions unwrap fixture data they build themselves.
#![allow(clippy::unwrap_used)]
//! Tampering: every edit of a valid item of every format fails, with the precise code.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::VerifyOptions;
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::keys::KeyPair;
use serde_json::{json, Value};

const NOW: i64 = 1_750_000_000;

/// Status lists are out of scope here (tests/status.rs, tests/credentials.rs): the anon-identity
/// v2 fixture names a StatusList2021 list, which fails closed when status is checked.
fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), check_status: false, ..VerifyOptions::default() }
}

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[1; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[2; 32])
}

fn credential_body() -> Value {
    json!({"credentialSubject": {"id": holder().did(), "givenName": "Ada", "age": 36, "member": true}})
}
fn our_vc_jwt() -> String {
    issue_credential(&credential_body(), &issuer(), IssueFormat::VcJwt, Some(3600), NOW).unwrap().as_str().unwrap().to_owned()
}
fn our_anon() -> Value {
    issue_credential(&credential_body(), &issuer(), IssueFormat::AnonIdentity, Some(3600), NOW).unwrap()
}
fn our_vp_jwt() -> String {
    let vp =
        create_presentation(&[our_anon(), Value::String(our_vc_jwt())], &holder(), Some("n"), Some("aud"), PresentationFormat::VpJwt, NOW);
    vp.unwrap().as_str().unwrap().to_owned()
}
fn our_anon_vp() -> Value {
    create_presentation(
        &[our_anon(), Value::String(our_vc_jwt())],
        &holder(),
        Some("n"),
        Some("aud"),
        PresentationFormat::AnonIdentity,
        NOW,
    )
    .unwrap()
}

/// A different value of the same kind: dates move a day back, strings and numbers change.
fn edit(v: &Value) -> Value {
    match v {
        Value::String(s) => match credcore::time::parse_rfc3339(s) {
            Ok(t) => json!(credcore::time::format_rfc3339(t - 86_400)),
            Err(_) if s.contains('.') && s.starts_with("eyJ") => {
                // A compact JWS: flip one signature bit.
                let (head, sig) = s.rsplit_once('.').unwrap();
                let mut bytes = b64url_decode(sig).unwrap();
                bytes[10] ^= 1;
                json!(format!("{head}.{}", b64url_encode(&bytes)))
            }
            Err(_) => json!(format!("{s}x")),
        },
        Value::Number(n) => json!(n.as_i64().unwrap() - 1),
        Value::Bool(b) => json!(!b),
        Value::Null => json!(0),
        _ => unreachable!(),
    }
}

fn check(input: &str, expected: &[&str], what: &str) {
    let r = verify(input, &VerifyOptions { nonce: None, audience: None, ..opts() });
    assert!(!r.valid, "{what}: still valid");
    let mut want = expected.to_vec();
    want.sort_unstable();
    want.dedup();
    assert_eq!(codes(&r), want, "{what}: {:?}", r.errors);
}

fn split(jwt: &str) -> (String, String, String) {
    let mut p = jwt.split('.');
    (p.next().unwrap().into(), p.next().unwrap().into(), p.next().unwrap().into())
}

fn decode(part: &str) -> Value {
    serde_json::from_slice(&b64url_decode(part).unwrap()).unwrap()
}

fn encode(v: &Value) -> String {
    b64url_encode(&serde_json::to_vec(v).unwrap())
}

#[test]
fn items_start_valid() {
    let f = fixture("jose-vc-jwt.json");
    for input in [our_vc_jwt(), text(&our_anon()), our_vp_jwt(), text(&our_anon_vp())] {
        let o = VerifyOptions { nonce: Some("n".into()), audience: Some("aud".into()), ..opts() };
        let r = verify(&input, &o);
        assert!(r.valid, "{:?}", r.errors);
    }
    assert!(verify(f["jwt"].as_str().unwrap(), &at_fixture_time(&f)).valid);
}

#[test]
fn signature_bit_flips() {
    for (jwt, code) in [(our_vc_jwt(), "INVALID_SIGNATURE"), (our_vp_jwt(), "INVALID_PRESENTATION_SIGNATURE")] {
        let (h, p, s) = split(&jwt);
        let sig = b64url_decode(&s).unwrap();
        for byte in 0..64 {
            for bit in [0, 7] {
                let mut t = sig.clone();
                t[byte] ^= 1 << bit;
                check(&format!("{h}.{p}.{}", b64url_encode(&t)), &[code], &format!("byte {byte} bit {bit}"));
            }
        }
    }
}

#[test]
fn jwt_claim_edits() {
    // VC-JWT: every claim and every leaf of `vc`.
    let (h, p, s) = split(&our_vc_jwt());
    let payload = decode(&p);
    let mut paths = Vec::new();
    leaves(&payload, String::new(), &mut paths);
    assert!(paths.len() >= 15);
    for path in &paths {
        let mut t = payload.clone();
        let leaf = leaf_mut(&mut t, path);
        *leaf = edit(leaf);
        let expected: &[&str] = match path.as_str() {
            // The issuer's DID no longer decodes; `iss` and `vc.issuer` disagree.
            "iss" => &["INVALID_DID", "PAYLOAD_MISMATCH"],
            // `iss` names the key; the credential's own issuer disagrees with it.
            "vc.issuer" => &["INVALID_SIGNATURE", "PAYLOAD_MISMATCH"],
            // The base context must come first (VC Data Model 1.1 section 4.1).
            "vc.@context[0]" => &["INVALID_SIGNATURE", "MALFORMED_INPUT"],
            "sub" | "vc.credentialSubject.id" | "jti" | "vc.id" => &["INVALID_SIGNATURE", "PAYLOAD_MISMATCH"],
            // No longer a VerifiableCredential.
            "vc.type[0]" => &["INVALID_SIGNATURE", "MALFORMED_INPUT"],
            // A day earlier is also before the verification time.
            "vc.expirationDate" => &["INVALID_SIGNATURE", "EXPIRED_CREDENTIAL"],
            _ => &["INVALID_SIGNATURE"],
        };
        check(&format!("{h}.{}.{s}", encode(&t)), expected, path);
    }

    // VP-JWT: claims, and every leaf of both embedded credentials.
    let (h, p, s) = split(&our_vp_jwt());
    let payload = decode(&p);
    let mut paths = Vec::new();
    leaves(&payload, String::new(), &mut paths);
    for path in &paths {
        let mut t = payload.clone();
        let leaf = leaf_mut(&mut t, path);
        *leaf = edit(leaf);
        let sig = "INVALID_PRESENTATION_SIGNATURE";
        let anon = "vp.verifiableCredential[0].";
        let expected: Vec<&str> = match path.as_str() {
            "iss" => vec!["INVALID_DID", "HOLDER_MISMATCH"],
            "nonce" | "aud" | "nbf" | "iat" => vec![sig],
            p if p == format!("{anon}issuer") => vec![sig, "INVALID_DID", "PAYLOAD_MISMATCH"],
            p if p == format!("{anon}credentialSubject.id") => vec![sig, "PAYLOAD_MISMATCH", "HOLDER_MISMATCH"],
            p if p == format!("{anon}proof.type") => vec![sig, "UNSUPPORTED_PROOF_TYPE"],
            p if p == format!("{anon}@context[0]") => vec![sig, "PAYLOAD_MISMATCH", "MALFORMED_INPUT"],
            p if p == format!("{anon}proof.proofPurpose") => vec![sig, "MALFORMED_INPUT"],
            p if p == format!("{anon}proof.verificationMethod") => vec![sig, "INVALID_DID"],
            p if p == format!("{anon}proof.jws") => vec![sig, "INVALID_SIGNATURE"],
            // anon-identity's `created` is informational and unsigned; the holder's signature covers it here.
            p if p == format!("{anon}proof.created") => vec![sig],
            p if p == format!("{anon}expirationDate") => vec![sig, "PAYLOAD_MISMATCH", "EXPIRED_CREDENTIAL"],
            p if p.starts_with(anon) => vec![sig, "PAYLOAD_MISMATCH"],
            "vp.verifiableCredential[1]" => vec![sig, "INVALID_SIGNATURE"],
            _ => vec![sig],
        };
        check(&format!("{h}.{}.{s}", encode(&t)), &expected, path);
    }
}

#[test]
fn anon_identity_field_edits() {
    let f = fixture("credential-v1.json");
    let options = at_fixture_time(&f);
    for (body, name) in [(f["credential"].clone(), "fixture"), (our_anon(), "ours")] {
        let o = if name == "fixture" { options.clone() } else { opts() };
        let mut paths = Vec::new();
        leaves(&body, String::new(), &mut paths);
        for path in &paths {
            if path == "proof.created" {
                continue; // unsigned and informational in anon-identity's format
            }
            let mut t = body.clone();
            let leaf = leaf_mut(&mut t, path);
            *leaf = edit(leaf);
            let expected: &[&str] = match path.as_str() {
                "issuer" => &["INVALID_DID", "PAYLOAD_MISMATCH"],
                // A day earlier is also before the verification time.
                "expirationDate" => &["EXPIRED_CREDENTIAL", "PAYLOAD_MISMATCH"],
                "proof.type" => &["UNSUPPORTED_PROOF_TYPE"],
                // The base context must come first (VC Data Model 1.1 section 4.1).
                "@context[0]" => &["MALFORMED_INPUT", "PAYLOAD_MISMATCH"],
                "proof.proofPurpose" => &["MALFORMED_INPUT"],
                "proof.verificationMethod" => &["INVALID_DID"],
                "proof.jws" => &["INVALID_SIGNATURE"],
                // Without `VerifiableCredential` the item is not a credential at all.
                "type[0]" => &["MALFORMED_INPUT"],
                _ => &["PAYLOAD_MISMATCH"],
            };
            let r = verify(&text(&t), &o);
            let mut want = expected.to_vec();
            want.sort_unstable();
            assert_eq!(codes(&r), want, "{name} {path}: {:?}", r.errors);
        }
    }
}

#[test]
fn anon_identity_presentation_edits() {
    for (body, o) in
        [(fixture("presentation.json")["presentation"].clone(), at_fixture_time(&fixture("presentation.json"))), (our_anon_vp(), opts())]
    {
        let mut paths = Vec::new();
        leaves(&body, String::new(), &mut paths);
        for path in &paths {
            if path.ends_with("proof.created") {
                continue;
            }
            let mut t = body.clone();
            let leaf = leaf_mut(&mut t, path);
            *leaf = edit(leaf);
            let c = "verifiableCredential[0].";
            let expected: Vec<&str> = match path.as_str() {
                "proof.type" => vec!["UNSUPPORTED_PROOF_TYPE"],
                "proof.proofPurpose" => vec!["MALFORMED_INPUT"],
                "proof.verificationMethod" => vec!["INVALID_DID"],
                "proof.jws" => vec!["INVALID_PRESENTATION_SIGNATURE"],
                p if p.starts_with("type[") => vec!["MALFORMED_INPUT"],
                p if p == format!("{c}issuer") => vec!["INVALID_DID", "PAYLOAD_MISMATCH"],
                p if p == format!("{c}credentialSubject.id") => vec!["PAYLOAD_MISMATCH", "HOLDER_MISMATCH"],
                p if p == format!("{c}proof.type") => vec!["PAYLOAD_MISMATCH", "UNSUPPORTED_PROOF_TYPE"],
                p if p == format!("{c}@context[0]") => vec!["PAYLOAD_MISMATCH", "MALFORMED_INPUT"],
                p if p == format!("{c}proof.proofPurpose") => vec!["PAYLOAD_MISMATCH", "MALFORMED_INPUT"],
                p if p == format!("{c}proof.verificationMethod") => vec!["PAYLOAD_MISMATCH", "INVALID_DID"],
                p if p == format!("{c}proof.jws") => vec!["PAYLOAD_MISMATCH", "INVALID_SIGNATURE"],
                "verifiableCredential[1]" => vec!["PAYLOAD_MISMATCH", "INVALID_SIGNATURE"],
                p if p == format!("{c}expirationDate") => vec!["PAYLOAD_MISMATCH", "EXPIRED_CREDENTIAL"],
                _ => vec!["PAYLOAD_MISMATCH"],
            };
            let r = verify(&text(&t), &o);
            let mut want = expected.clone();
            want.sort_unstable();
            assert_eq!(codes(&r), want, "{path}: {:?}", r.errors);
        }
    }
}

#[test]
fn corrupt_base64url_in_each_part() {
    for jwt in [our_vc_jwt(), our_vp_jwt()] {
        let (h, p, s) = split(&jwt);
        for (i, bad) in
            [format!("{h}!.{p}.{s}"), format!("{h}.{p}!.{s}"), format!("{h}.{p}.{s}!"), format!("{h}.{p}.{}", &s[..s.len() - 1])]
                .iter()
                .enumerate()
        {
            check(bad, &["MALFORMED_INPUT"], &format!("part {i}"));
        }
    }
}

#[test]
fn swapped_signatures() {
    let a = our_vc_jwt();
    let other =
        issue_credential(&json!({"credentialSubject": {"id": holder().did(), "x": 1}}), &issuer(), IssueFormat::VcJwt, None, NOW).unwrap();
    let b = other.as_str().unwrap();
    let (ha, pa, sa) = split(&a);
    let (hb, pb, sb) = split(b);
    check(&format!("{ha}.{pa}.{sb}"), &["INVALID_SIGNATURE"], "a with b's signature");
    check(&format!("{hb}.{pb}.{sa}"), &["INVALID_SIGNATURE"], "b with a's signature");
    // The same between anon-identity credentials: the jws signature part swapped.
    let mut x = our_anon();
    let y =
        issue_credential(&json!({"credentialSubject": {"id": holder().did(), "x": 1}}), &issuer(), IssueFormat::AnonIdentity, None, NOW)
            .unwrap();
    let (hx, px, _) = split(x["proof"]["jws"].as_str().unwrap());
    let (_, _, sy) = split(y["proof"]["jws"].as_str().unwrap());
    x["proof"]["jws"] = json!(format!("{hx}.{px}.{sy}"));
    check(&text(&x), &["INVALID_SIGNATURE"], "anon-identity swap");
}

fn with_header(jwt: &str, f: impl Fn(&mut Value)) -> String {
    let (h, p, s) = split(jwt);
    let mut header = decode(&h);
    f(&mut header);
    format!("{}.{p}.{s}", encode(&header))
}

#[test]
fn algorithms_and_key_ids() {
    let other = KeyPair::from_seed(&[9; 32]);
    for (jwt, signature_code) in [(our_vc_jwt(), "INVALID_SIGNATURE"), (our_vp_jwt(), "INVALID_PRESENTATION_SIGNATURE")] {
        for alg in ["none", "HS256", "HS512", "ES512"] {
            check(&with_header(&jwt, |h| h["alg"] = json!(alg)), &["UNSUPPORTED_ALGORITHM"], alg);
        }
        // A supported algorithm of another key type: an Ed25519 key never verifies it (refused
        // before any arithmetic), or the 64-byte signature is not one of that algorithm.
        for alg in ["ES256", "ES256K"] {
            check(&with_header(&jwt, |h| h["alg"] = json!(alg)), &[signature_code], alg);
        }
        for alg in ["ES384", "RS256", "PS256"] {
            check(&with_header(&jwt, |h| h["alg"] = json!(alg)), &["MALFORMED_INPUT"], alg);
        }
        let other_kid = other.kid();
        check(&with_header(&jwt, |h| h["kid"] = json!(other_kid)), &["INVALID_DID"], "kid of another DID");
        check(&with_header(&jwt, |h| h["kid"] = json!("#key-1")), &["INVALID_DID"], "kid not the did:key fragment");
    }
    // Relative `#fingerprint` kids belong to the DID (the signature then no longer matches the header).
    let jwt = our_vc_jwt();
    let fragment = issuer().kid().split_once('#').unwrap().1.to_owned();
    check(&with_header(&jwt, |h| h["kid"] = json!(format!("#{fragment}"))), &["INVALID_SIGNATURE"], "relative kid");
    // Embedded proof.jws with alg none, and with a kid of another DID.
    let mut c = our_anon();
    let jws = c["proof"]["jws"].as_str().unwrap().to_owned();
    c["proof"]["jws"] = json!(with_header(&jws, |h| h["alg"] = json!("none")));
    check(&text(&c), &["UNSUPPORTED_ALGORITHM"], "embedded alg none");
    let other_kid = other.kid();
    c["proof"]["jws"] = json!(with_header(&jws, |h| h["kid"] = json!(other_kid)));
    check(&text(&c), &["INVALID_DID"], "embedded kid of another DID");
    // A did:web issuer put on a credential signed under a did:key: the JWS kid names another DID
    // (no key is looked up for it; tests/keys.rs covers did:web issuers' KEY_UNAVAILABLE).
    let mut c = our_anon();
    c["issuer"] = json!("did:web:example.com");
    c["proof"]["verificationMethod"] = json!("did:web:example.com#key-1");
    check(&text(&c), &["INVALID_DID", "PAYLOAD_MISMATCH"], "did:web issuer");
}

#[test]
fn validity_period_trust_holder_nonce_audience() {
    let at = |s: i64| VerifyOptions { now: Some(s as f64 * 1000.0), ..opts() };
    for input in [our_vc_jwt(), text(&our_anon())] {
        assert_eq!(codes(&verify(&input, &at(NOW + 3600 + 61))), ["EXPIRED_CREDENTIAL"]);
        assert!(verify(&input, &at(NOW + 3600 + 59)).valid);
        assert_eq!(codes(&verify(&input, &at(NOW - 61))), ["NOT_YET_VALID"]);
        assert!(verify(&input, &at(NOW - 59)).valid);
        let untrusted = VerifyOptions { trusted_issuers: Some(vec![holder().did()]), ..opts() };
        assert_eq!(codes(&verify(&input, &untrusted)), ["UNTRUSTED_ISSUER"]);
        let trusted = VerifyOptions { trusted_issuers: Some(vec![issuer().did()]), ..opts() };
        assert!(verify(&input, &trusted).valid);
    }
    // The v2 fixture expires by `validUntil`.
    let f = fixture("credential-v2.json");
    let until = credcore::time::parse_rfc3339(f["credential"]["validUntil"].as_str().unwrap()).unwrap();
    assert_eq!(codes(&verify(&text(&f["credential"]), &at(until + 61))), ["EXPIRED_CREDENTIAL"]);

    // Holder binding: someone else presents the holder's credentials.
    let thief = KeyPair::from_seed(&[3; 32]);
    for format in [PresentationFormat::AnonIdentity, PresentationFormat::VpJwt] {
        let vp = create_presentation(&[our_anon(), Value::String(our_vc_jwt())], &thief, None, None, format, NOW).unwrap();
        let input = vp.as_str().map_or_else(|| text(&vp), str::to_owned);
        let r = verify(&input, &opts());
        assert_eq!(codes(&r), ["HOLDER_MISMATCH"]);
        assert_eq!(paths(&r, "HOLDER_MISMATCH"), ["credentials[0].credentialSubject.id", "credentials[1].credentialSubject.id"]);
        assert!(verify(&input, &VerifyOptions { holder_binding: false, ..opts() }).valid);
        // No nonce or audience signed, but the caller asks for them.
        let asked = VerifyOptions { nonce: Some("n".into()), audience: Some("aud".into()), holder_binding: false, ..opts() };
        assert_eq!(codes(&verify(&input, &asked)), ["AUDIENCE_MISMATCH", "NONCE_MISMATCH"]);
    }
    // anon-identity's own presentations carry no nonce: asking for one never passes silently.
    let f = fixture("presentation.json");
    let asked = VerifyOptions { nonce: Some("n".into()), ..at_fixture_time(&f) };
    let r = verify(&text(&f["presentation"]), &asked);
    assert_eq!(codes(&r), ["NONCE_MISMATCH"]);
    // Too many credentials.
    let vp =
        create_presentation(&[our_anon(), our_anon(), our_anon()], &holder(), None, None, PresentationFormat::AnonIdentity, NOW).unwrap();
    let r = verify(&text(&vp), &VerifyOptions { max_credentials: 2, ..opts() });
    assert_eq!(codes(&r), ["INPUT_TOO_LARGE"]);
}

#[test]
fn selective_disclosure_edits() {
    let f = fixture("presentation-sd.json");
    let o = at_fixture_time(&f);
    let base = f["presentation"].clone();
    // The holder re-signs a presentation whose disclosed credential shows a value the issuer never signed.
    let mut forged = base["verifiableCredential"][0].clone();
    forged["credentialSubject"]["givenName"] = json!("Mallory");
    let holder = KeyPair::from_seed_slice(&credcore::encoding::hex_decode(f["holder"]["secretKeyHex"].as_str().unwrap()).unwrap()).unwrap();
    let vp = create_presentation(&[forged], &holder, None, None, PresentationFormat::AnonIdentity, o.now_seconds(0.0)).unwrap();
    let r = verify(&text(&vp), &o);
    assert_eq!(codes(&r), ["PAYLOAD_MISMATCH"]);
    assert_eq!(paths(&r, "PAYLOAD_MISMATCH"), ["credentials[0].credentialSubject.givenName"]);
    // Claiming a disclosed attribute the subject does not show.
    let mut forged = base["verifiableCredential"][0].clone();
    forged["disclosureProof"]["disclosedAttributes"] = json!(["givenName", "dateOfBirth"]);
    let vp = create_presentation(&[forged], &holder, None, None, PresentationFormat::AnonIdentity, o.now_seconds(0.0)).unwrap();
    assert_eq!(codes(&verify(&text(&vp), &o)), ["INVALID_DISCLOSURE_PROOF"]);
    // A disclosure proof by someone other than the holder.
    let other = KeyPair::from_seed(&[5; 32]);
    let vp = create_presentation(
        &[base["verifiableCredential"][0].clone()],
        &other,
        None,
        None,
        PresentationFormat::AnonIdentity,
        o.now_seconds(0.0),
    )
    .unwrap();
    let r = verify(&text(&vp), &VerifyOptions { holder_binding: false, ..o.clone() });
    // Its kid names the real holder's key, not the presenter's.
    assert_eq!(codes(&r), ["INVALID_DID", "INVALID_DISCLOSURE_PROOF"]);
}
