#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! The format-confusion suite: every kind of credential and presentation the package issues or
//! accepts, valid and invalid (expired, revoked, untrusted, forged, wrong nonce), transformed by
//! appending and removing `~` segments, removing, swapping and case-changing `typ`, wrapping in
//! and unwrapping from `vc` / `vp`, and moving claims between header, payload, body and
//! disclosures (re-signed by the original signer, so that only the reading can change, and
//! unsigned). Every transformed input must get the original verdict or an invalid one, never a
//! valid verdict for an invalid original: through the batch path and through the kind-checked
//! single-item path, uncached and cached (see `support/credentials.rs`).

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::data_integrity::eddsa_jcs_2022::{encode_proof_value, DocumentHashes};
use credcore::credential::data_integrity::issue::Cryptosuite;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::{VerificationResult, VerifyOptions};
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::hash::HashAlg;
use credcore::keys::KeyPair;
use credcore::sdjwt::{Disclosure, IssueOptions, KeyBindingParams, Selection};
use credcore::status::{ListConfig, ListFormat, StatusListIssuer};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const NOW: i64 = 1_750_000_000;
const W3C_URI: &str = "https://issuer.example/status/w3c";
const IETF_URI: &str = "https://issuer.example/status/ietf";
const V1: &str = "https://www.w3.org/2018/credentials/v1";
const V2: &str = "https://www.w3.org/ns/credentials/v2";
const DI: IssueFormat = IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);
const DI_VP: PresentationFormat = PresentationFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[21; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[22; 32])
}
fn attacker() -> KeyPair {
    KeyPair::from_seed(&[23; 32])
}

fn sign(header: &Value, payload: &Value, key: &KeyPair) -> String {
    credcore::jws::sign(header.as_object().unwrap(), &serde_json::to_vec(payload).unwrap(), key)
}

fn part(jwt: &str, i: usize) -> Value {
    b64url_decode(jwt.split('.').nth(i).unwrap_or_default()).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(Value::Null)
}

fn lists(status: u8) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (format, uri, bits) in [(ListFormat::W3c, W3C_URI, 1), (ListFormat::Ietf, IETF_URI, 2)] {
        let cfg =
            ListConfig { format, uri: uri.into(), size: 131_072, bits, purpose: None, ttl_seconds: None, valid_for_seconds: Some(86_400) };
        let mut l = StatusListIssuer::new(cfg).unwrap();
        l.set(3, if format == ListFormat::W3c { status.min(1) } else { status }).unwrap();
        out.insert(uri.to_owned(), Value::String(l.sign(&issuer(), (NOW - 60) as f64 * 1000.0)));
    }
    out
}

fn w3c_status() -> Value {
    json!({ "id": format!("{W3C_URI}#3"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "3", "statusListCredential": W3C_URI })
}

fn ietf_status() -> Value {
    json!({ "status_list": { "idx": 3, "uri": IETF_URI } })
}

/// Every kind of item, each valid under the base options, with the key that signed its first JWT.
fn originals() -> Vec<(&'static str, String, KeyPair)> {
    let subject = json!({ "id": holder().did(), "degree": "BSc" });
    let body = json!({ "credentialSubject": subject, "credentialStatus": w3c_status() });
    let vc_jwt = issue_credential(&body, &issuer(), IssueFormat::VcJwt, Some(86_400), NOW - 60).unwrap().as_str().unwrap().to_owned();
    let jose_style = sign(
        &json!({ "alg": "EdDSA" }),
        &json!({ "iss": issuer().did(), "sub": holder().did(), "exp": NOW + 86_400, "vc": { "@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": subject, "credentialStatus": w3c_status() } }),
        &issuer(),
    );
    let vc_jose = sign(
        &json!({ "alg": "EdDSA", "typ": "vc+jwt", "kid": issuer().kid() }),
        &json!({ "@context": [V2], "type": ["VerifiableCredential"], "issuer": issuer().did(), "validUntil": "2025-06-16T15:06:40Z", "credentialSubject": subject, "credentialStatus": w3c_status() }),
        &issuer(),
    );
    let anon = issue_credential(&body, &issuer(), IssueFormat::AnonIdentity, Some(86_400), NOW - 60).unwrap();
    let di = issue_credential(&body, &issuer(), DI, Some(86_400), NOW - 60).unwrap();
    let di_vp = create_presentation(&[di.clone(), anon.clone()], &holder(), Some("n"), Some("aud"), DI_VP, NOW - 30).unwrap();
    let anon_vp =
        create_presentation(std::slice::from_ref(&anon), &holder(), None, None, PresentationFormat::AnonIdentity, NOW - 30).unwrap();
    let vp_jwt =
        create_presentation(&[json!(vc_jwt), anon.clone()], &holder(), Some("n"), Some("aud"), PresentationFormat::VpJwt, NOW - 30)
            .unwrap();
    let claims = json!({ "vct": "urn:example:degree", "given_name": "Ada", "degree": "BSc", "status": ietf_status() });
    let opts = IssueOptions {
        disclose: Selection::Paths(vec!["/given_name".into(), "/degree".into()]),
        holder_public_key: Some(holder().public_key().clone().into()),
        now_seconds: NOW - 60,
        expires_in: Some(86_400),
        hash_alg: HashAlg::Sha256,
        ..IssueOptions::default()
    };
    let sd = credcore::sdjwt::issue(&claims, &opts, &issuer(), &mut credcore::sdjwt::system_random).unwrap();
    let holder_key = holder();
    let kb = KeyBindingParams { key: &holder_key, nonce: "n", audience: "aud", iat: NOW - 10 };
    let sd_kb = credcore::sdjwt::present(&sd, &Selection::Paths(vec!["/degree".into()]), Some(&kb)).unwrap();
    let plain_sd = {
        let d = Disclosure::property("salt-p", "degree", json!("BSc"));
        let payload = json!({ "iss": issuer().did(), "exp": NOW + 86_400, "_sd_alg": "sha-256", "_sd": [d.digest(HashAlg::Sha256)], "status": ietf_status() });
        format!("{}~{}~", sign(&json!({ "alg": "EdDSA" }), &payload, &issuer()), d.encoded())
    };
    vec![
        ("vc-jwt", vc_jwt, issuer()),
        ("vc-jwt jose-style", jose_style, issuer()),
        ("vc-jose", vc_jose, issuer()),
        ("anon-identity credential", text(&anon), issuer()),
        ("anon-identity presentation", text(&anon_vp), holder()),
        ("data-integrity credential", text(&di), issuer()),
        ("data-integrity presentation", text(&di_vp), holder()),
        ("vp-jwt", vp_jwt.as_str().unwrap().to_owned(), holder()),
        ("sd-jwt vc", sd, issuer()),
        ("sd-jwt vc + kb", sd_kb, issuer()),
        ("plain sd-jwt", plain_sd, issuer()),
    ]
}

/// The same item with its first signature made by someone else.
fn forged(input: &str) -> String {
    if input.starts_with('{') {
        let mut v: Value = serde_json::from_str(input).unwrap();
        if v["proof"].get("proofValue").is_some() {
            // Data Integrity: the attacker's signature over the same hash data.
            let body = object(&v);
            let data = DocumentHashes::new(&body).verify_data(body["proof"].as_object().unwrap()).unwrap();
            v["proof"]["proofValue"] = json!(encode_proof_value(&attacker().sign(&data)));
            return text(&v);
        }
        let jws = v["proof"]["jws"].as_str().unwrap().to_owned();
        v["proof"]["jws"] = json!(forge_jws(&jws));
        return text(&v);
    }
    let (jwt, rest) = input.split_once('~').map_or((input, None), |(a, b)| (a, Some(b)));
    let f = forge_jws(jwt);
    rest.map_or(f.clone(), |r| format!("{f}~{r}"))
}

fn forge_jws(jws: &str) -> String {
    let (signing_input, _) = jws.rsplit_once('.').unwrap();
    format!("{signing_input}.{}", b64url_encode(&attacker().sign(signing_input.as_bytes())))
}

fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// Transformations of a compact item (its first JWT re-signed by `key` where the edit needs it).
fn compact_transforms(input: &str, key: &KeyPair) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let (jwt, tail) = input.split_once('~').map_or((input, ""), |(a, b)| (a, b));
    let header = part(jwt, 0);
    let payload = part(jwt, 1);
    let segments: Vec<&str> = if tail.is_empty() { Vec::new() } else { tail.split('~').collect() };
    let d = Disclosure::property("salt-x", "degree", json!("PhD"));
    let kb =
        sign(&json!({ "alg": "EdDSA", "typ": "kb+jwt" }), &json!({ "iat": NOW, "aud": "aud", "nonce": "n", "sd_hash": "x" }), &holder());
    // `~` segments appended and removed.
    for suffix in ["~", "~~", "~x~", &format!("~{}~", d.encoded()), &format!("~{kb}"), &format!("~{}~{kb}", d.encoded()), "~~~~"] {
        out.push((format!("append {suffix:.12}"), format!("{input}{suffix}")));
    }
    if !tail.is_empty() {
        out.push(("issuer JWT alone".into(), jwt.to_owned()));
        out.push(("issuer JWT and ~".into(), format!("{jwt}~")));
        let mut fewer = segments.clone();
        fewer.pop();
        out.push(("last segment removed".into(), format!("{jwt}~{}", fewer.join("~"))));
        if segments.len() > 1 {
            out.push(("first disclosure removed".into(), format!("{jwt}~{}", segments[1..].join("~"))));
            let mut reversed = segments.clone();
            reversed.reverse();
            out.push(("segments reversed".into(), format!("{jwt}~{}", reversed.join("~"))));
        }
        out.push(("trailing ~ removed".into(), input.trim_end_matches('~').to_owned()));
    }
    let rebuild = |h: &Value, p: &Value, resign: bool| -> String {
        let first = if resign {
            sign(h, p, key)
        } else {
            let sig = jwt.rsplit('.').next().unwrap();
            format!("{}.{}.{sig}", b64url_encode(&serde_json::to_vec(h).unwrap()), b64url_encode(&serde_json::to_vec(p).unwrap()))
        };
        if tail.is_empty() {
            first
        } else {
            format!("{first}~{tail}")
        }
    };
    // `typ` removed, swapped, case-changed, spelled as a media type.
    let typs = [
        None,
        Some("JWT"),
        Some("jwt"),
        Some("vc+jwt"),
        Some("VC+JWT"),
        Some("application/vc+jwt"),
        Some("vc+ld+json+jwt"),
        Some("vp+jwt"),
        Some("Application/VP+JWT"),
        Some("dc+sd-jwt"),
        Some("DC+SD-JWT"),
        Some("application/dc+sd-jwt"),
        Some("vc+sd-jwt"),
        Some("sd-jwt"),
        Some("example+sd-jwt"),
        Some("kb+jwt"),
        Some("statuslist+jwt"),
        Some(""),
    ];
    for typ in typs {
        let mut h = header.clone();
        match typ {
            Some(t) => h["typ"] = json!(t),
            None => {
                if let Some(m) = h.as_object_mut() {
                    m.remove("typ");
                }
            }
        }
        for resign in [true, false] {
            out.push((format!("typ {typ:?} resigned {resign}"), rebuild(&h, &payload, resign)));
            if tail.is_empty() {
                out.push((format!("typ {typ:?} resigned {resign} + ~"), format!("{}~", rebuild(&h, &payload, resign))));
            }
        }
    }
    // Wrapped in `vc` / `vp`, unwrapped from them.
    let p = payload.clone();
    let mut wraps = vec![
        ("wrapped in vc", json!({ "iss": p.get("iss").cloned().unwrap_or(json!(issuer().did())), "vc": p })),
        ("wrapped in vp", json!({ "iss": p.get("iss").cloned().unwrap_or(json!(holder().did())), "vp": p })),
        (
            "embedded in a vp",
            json!({ "iss": holder().did(), "vp": { "@context": [V1], "type": ["VerifiablePresentation"], "verifiableCredential": [input] } }),
        ),
    ];
    for claim in ["vc", "vp"] {
        if let Some(inner) = payload.get(claim) {
            let mut flat = object(inner);
            for (k, v) in object(&payload) {
                if k != claim {
                    flat.insert(k, v);
                }
            }
            wraps.push(("unwrapped", Value::Object(flat)));
        }
    }
    for (what, p) in wraps {
        out.push((what.into(), rebuild(&header, &p, true)));
        out.push((format!("{what}, typ JWT"), rebuild(&json!({ "alg": "EdDSA", "typ": "JWT" }), &p, true)));
    }
    // Claims moved between header, payload and body.
    let mut moves: Vec<(String, Value, Value)> = Vec::new();
    for claim in ["exp", "nbf", "iat", "iss", "status", "vct"] {
        if let Some(v) = payload.get(claim) {
            let mut h = header.clone();
            h[claim] = v.clone();
            let mut p = payload.clone();
            p.as_object_mut().unwrap().remove(claim);
            moves.push((format!("{claim} to the header"), h, p));
        }
    }
    for (inner, names) in [
        ("vc", ["expirationDate", "validUntil", "credentialStatus", "issuer"]),
        ("vp", ["holder", "verifiableCredential", "type", "@context"]),
    ] {
        if let Some(Value::Object(body)) = payload.get(inner) {
            for name in names {
                if let Some(v) = body.get(name) {
                    let mut p = payload.clone();
                    p[inner].as_object_mut().unwrap().remove(name);
                    p[name] = v.clone();
                    moves.push((format!("{inner}.{name} to the payload"), header.clone(), p));
                }
            }
        }
    }
    if let Some(status) = payload.get("vc").and_then(|vc| vc.get("credentialStatus")) {
        let mut p = payload.clone();
        p["vc"].as_object_mut().unwrap().remove("credentialStatus");
        p["status"] = status.clone();
        moves.push(("credentialStatus to status".into(), header.clone(), p));
    }
    for (what, h, p) in moves {
        out.push((what.clone(), rebuild(&h, &p, true)));
        out.push((format!("{what} (unsigned)"), rebuild(&h, &p, false)));
    }
    // Payload claims moved into disclosures (an issuer-signed SD-JWT built from the same payload).
    for claim in ["exp", "status", "vc", "vp", "iss", "vct", "cnf", "nbf"] {
        if let Some(v) = payload.get(claim) {
            let dis = Disclosure::property("salt-m", claim, v.clone());
            let mut p = payload.clone();
            p.as_object_mut().unwrap().remove(claim);
            let mut sd: Vec<Value> = p.get("_sd").and_then(Value::as_array).cloned().unwrap_or_default();
            sd.push(json!(dis.digest(HashAlg::Sha256)));
            p["_sd"] = Value::Array(sd);
            p["_sd_alg"] = json!("sha-256");
            for typ in ["dc+sd-jwt", "example+sd-jwt", "JWT"] {
                let mut h = header.clone();
                h["typ"] = json!(typ);
                let first = sign(&h, &p, key);
                let rest = tail.to_owned();
                out.push((format!("{claim} into a disclosure ({typ})"), format!("{first}~{}~{rest}", dis.encoded())));
            }
        }
    }
    out
}

/// Transformations of a JSON item (anon-identity's format).
fn json_transforms(input: &str, key: &KeyPair) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(input).unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for suffix in ["~", "~~", "~x~"] {
        out.push((format!("append {suffix}"), format!("{input}{suffix}")));
    }
    out.push(("pretty-printed".into(), serde_json::to_string_pretty(&v).unwrap()));
    out.push(("with whitespace".into(), format!("  \n{input}\n ")));
    // Its proof's JWS on its own, and with `~`.
    if let Some(jws) = v["proof"]["jws"].as_str() {
        out.push(("proof.jws alone".into(), jws.to_owned()));
        out.push(("proof.jws + ~".into(), format!("{jws}~")));
        out.extend(compact_transforms(jws, key).into_iter().map(|(w, t)| (format!("proof.jws {w}"), t)));
    }
    // A Data Integrity proof read another way: in a set, beside a JWS, retyped, re-purposed.
    if let Some(proof) = v.get("proof").filter(|p| p.get("proofValue").is_some()) {
        let mut edits: Vec<(&str, Value)> = vec![("proof as a set of one", json!([proof])), ("proof set, twice", json!([proof, proof]))];
        let anon_jws = sign(&json!({ "alg": "EdDSA", "typ": "JWT" }), &json!({ "iss": issuer().did() }), key);
        for (what, name, value) in [
            ("jws beside the proofValue", "jws", json!(anon_jws)),
            ("typed Ed25519Signature2020", "type", json!("Ed25519Signature2020")),
            ("cryptosuite eddsa-rdfc-2022", "cryptosuite", json!("eddsa-rdfc-2022")),
            ("purpose assertionMethod", "proofPurpose", json!("assertionMethod")),
            ("purpose authentication", "proofPurpose", json!("authentication")),
        ] {
            let mut p = proof.clone();
            p[name] = value;
            edits.push((what, p));
        }
        for name in ["challenge", "domain", "@context", "proofValue", "created"] {
            let mut p = proof.clone();
            if let Some(m) = p.as_object_mut() {
                m.remove(name);
            }
            edits.push((name, p));
        }
        for (what, p) in edits {
            let mut w = v.clone();
            w["proof"] = p;
            out.push((format!("data integrity: {what}"), text(&w)));
        }
        let mut w = v.clone();
        w["proof"]["proofValue"] = json!(null);
        w["proof"]["jws"] = json!(anon_jws);
        out.push(("data integrity: proofValue replaced by a jws".into(), text(&w)));
    }
    // `type` swapped or doubled.
    for t in [
        json!(["VerifiablePresentation"]),
        json!(["VerifiableCredential", "VerifiablePresentation"]),
        json!("VerifiableCredential"),
        json!(["VerifiableCredential"]),
    ] {
        let mut w = v.clone();
        w["type"] = t.clone();
        out.push((format!("type {t}"), text(&w)));
    }
    // Wrapped as a JWT credential or presentation signed by the original signer.
    let mut inner = object(&v);
    inner.remove("proof");
    for (what, payload) in [
        ("as vc claim", json!({ "iss": issuer().did(), "vc": inner })),
        ("as vp claim", json!({ "iss": holder().did(), "vp": inner })),
        ("whole, as vc claim", json!({ "iss": issuer().did(), "vc": v })),
        (
            "embedded in a vp",
            json!({ "iss": holder().did(), "vp": { "@context": [V1], "type": ["VerifiablePresentation"], "verifiableCredential": [v] } }),
        ),
    ] {
        out.push((what.into(), sign(&json!({ "alg": "EdDSA" }), &payload, key)));
        out.push((format!("{what} + ~"), format!("{}~", sign(&json!({ "alg": "EdDSA" }), &payload, key))));
    }
    // Dates and status moved out of the body, removed, or into the proof.
    for name in ["expirationDate", "validUntil", "credentialStatus"] {
        if let Some(value) = v.get(name) {
            let mut w = v.clone();
            w.as_object_mut().unwrap().remove(name);
            out.push((format!("{name} removed"), text(&w)));
            let mut p = w.clone();
            p["proof"][name] = value.clone();
            out.push((format!("{name} into the proof"), text(&p)));
        }
    }
    out
}

/// Whether `t` asserts something `original` does not: valid where the original is not.
fn flips(original: &VerificationResult, t: &VerificationResult) -> bool {
    if !t.valid || original.valid {
        return false;
    }
    // A valid item that carries no credential and no claims (a presentation of nothing, by its
    // holder) states nothing of the original.
    !(t.credentials.is_empty() && t.claims.is_none())
}

#[test]
fn no_transformation_turns_an_invalid_verdict_valid() {
    let base = VerifyOptions { now: Some(NOW as f64 * 1000.0), status_lists: Some(lists(0)), ..VerifyOptions::default() };
    let option_sets: Vec<(&str, VerifyOptions)> = vec![
        ("base", base.clone()),
        ("revoked", VerifyOptions { status_lists: Some(lists(1)), ..base.clone() }),
        ("suspended lists", VerifyOptions { status_lists: Some(lists(2)), ..base.clone() }),
        ("untrusted", VerifyOptions { trusted_issuers: Some(vec![attacker().did()]), ..base.clone() }),
        ("expired", VerifyOptions { now: Some((NOW + 2 * 86_400) as f64 * 1000.0), ..base.clone() }),
        ("not yet valid", VerifyOptions { now: Some((NOW - 86_400) as f64 * 1000.0), ..base.clone() }),
        ("nonce", VerifyOptions { nonce: Some("other".into()), audience: Some("elsewhere".into()), ..base.clone() }),
        ("no lists", VerifyOptions { status_lists: None, ..base.clone() }),
    ];
    let mut originals_checked = 0;
    let mut transformed = 0;
    let mut distinct = 0;
    let mut flipped: Vec<String> = Vec::new();
    for (name, input, key) in originals() {
        // Every original is valid under the base options.
        let r = verify(&input, &base);
        assert!(r.valid, "{name}: {:?}", r.errors);
        // A forger re-signs with the only key a forger has.
        for (original, label, signer) in [(input.clone(), name.to_owned(), &key), (forged(&input), format!("{name} (forged)"), &attacker())]
        {
            let ts = if original.starts_with('{') { json_transforms(&original, signer) } else { compact_transforms(&original, signer) };
            let texts: Vec<&str> = ts.iter().map(|(_, t)| t.as_str()).collect();
            distinct += texts.len();
            for (set, options) in &option_sets {
                let want = verify(&original, options);
                let got = verify_batch(&texts, options);
                originals_checked += 1;
                for ((what, _), r) in ts.iter().zip(&got) {
                    transformed += 1;
                    if flips(&want, r) {
                        flipped.push(format!("{label} under {set}: {what}: valid, original {:?}", want.errors));
                    }
                    // The kind-checked path (verifyCredential / verifyPresentation).
                    let mut single = r.clone();
                    credcore::verifier::expect_kind(&mut single, want.kind);
                    if flips(&want, &single) {
                        flipped.push(format!("{label} under {set}: {what}: valid as a {:?}", want.kind));
                    }
                }
            }
        }
    }
    println!(
        "format confusion: {distinct} transformed inputs, {transformed} verdicts over {originals_checked} (original, options) pairs, {} flips",
        flipped.len()
    );
    assert!(transformed > 10_000, "{transformed}");
    assert!(flipped.is_empty(), "{} flips:\n{}", flipped.len(), flipped.join("\n"));
}

#[test]
fn no_invalid_transformed_result_carries_claims() {
    // Over every transformation of every original, valid or not: an invalid result states nothing
    // (claims, credentials, subject, disclosed), whatever format the transformed bytes were read as.
    let base = VerifyOptions { now: Some(NOW as f64 * 1000.0), status_lists: Some(lists(0)), ..VerifyOptions::default() };
    let (mut valid, mut invalid) = (0, 0);
    for (name, input, key) in originals() {
        let ts = if input.starts_with('{') { json_transforms(&input, &key) } else { compact_transforms(&input, &key) };
        let texts: Vec<&str> = ts.iter().map(|(_, t)| t.as_str()).collect();
        for ((what, _), r) in ts.iter().zip(verify_batch(&texts, &base)) {
            if r.valid {
                valid += 1;
                assert!(r.unverified.is_none(), "{name}: {what}");
            } else {
                invalid += 1;
                assert!(
                    r.claims.is_none() && r.credentials.is_empty() && r.subject.is_none() && r.disclosed.is_none(),
                    "{name}: {what}: an invalid result with claims"
                );
            }
        }
    }
    assert!(valid > 0 && invalid > valid, "{valid} valid, {invalid} invalid");
}
