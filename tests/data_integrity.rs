#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Data Integrity with eddsa-jcs-2022: the W3C vc-di-eddsa test vectors (every intermediate
//! value), credentials and presentations issued here, proof sets, every field of document and
//! proof tampered with, the format rule that keeps Data Integrity and anon-identity items apart,
//! and verdicts that agree through every entry point (uncached, cached, batch, one by one).

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::checks::Ctx;
use credcore::credential::data_integrity::eddsa_jcs_2022::{
    self as suite, create_proof, decode_proof_value, encode_proof_value, hash_data, proof_config, serialize_proof, transform,
    DocumentHashes,
};
use credcore::credential::data_integrity::issue::{add_proof, Cryptosuite, ProofOptions, DATA_INTEGRITY_CONTEXT};
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::{Format, Kind, VerifyOptions};
use credcore::encoding::{hex_encode, multibase_b58_decode};
use credcore::hash::sha256;
use credcore::keys::{Algorithm, DidKeySource, KeyPair, Signer, SigningKey};
use credcore::ErrorCode;
use serde_json::{json, Map, Value};

const NOW: i64 = 1_750_000_000;
const V1: &str = "https://www.w3.org/2018/credentials/v1";
const V2: &str = "https://www.w3.org/ns/credentials/v2";
const JCS: IssueFormat = IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);
const JCS_VP: PresentationFormat = PresentationFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);

fn data(rel: &str) -> String {
    let path = format!("{}/tests/data/eddsa-jcs-2022/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}
fn json_data(rel: &str) -> Value {
    serde_json::from_str(&data(rel)).unwrap()
}
fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[31; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[32; 32])
}
fn attacker() -> KeyPair {
    KeyPair::from_seed(&[33; 32])
}
/// The key pair of the W3C vectors (`keyPair.json`: a Multikey secret, multicodec 0x1300).
fn vector_key() -> KeyPair {
    let secret = multibase_b58_decode(json_data("keyPair.json")["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(&secret[..2], &[0x80, 0x26]);
    KeyPair::from_seed_slice(&secret[2..]).unwrap()
}

fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), check_status: false, ..VerifyOptions::default() }
}

fn subject() -> Value {
    json!({ "id": holder().did(), "givenName": "Ada", "age": 36, "member": true })
}
fn our_credential() -> Value {
    issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), JCS, Some(3600), NOW - 60).unwrap()
}
fn our_presentation(credentials: &[Value]) -> Value {
    create_presentation(credentials, &holder(), Some("n-1"), Some("https://verifier.example"), JCS_VP, NOW - 10).unwrap()
}
fn vp_opts() -> VerifyOptions {
    VerifyOptions { nonce: Some("n-1".into()), audience: Some("https://verifier.example".into()), ..opts() }
}

/// `doc` with its proof replaced by one over `options` (proof members) made by `key`.
fn resigned(doc: &Value, key: &KeyPair, edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut body = object(doc);
    let mut options = object(&body.remove("proof").unwrap());
    options.remove("@context");
    edit(&mut options);
    let proof = create_proof(&body, options, key).unwrap();
    body.insert("proof".into(), Value::Object(proof));
    Value::Object(body)
}

// ---------------------------------------------------------------------------------------------
// The W3C vectors (w3c/vc-di-eddsa TestVectors, eddsa-jcs-2022)

#[test]
fn w3c_vectors_every_intermediate_value() {
    let unsigned = object(&json_data("unsigned.json"));
    let canonical = transform(&unsigned, None).unwrap();
    assert_eq!(canonical, data("canonDocJCS.txt"));
    assert_eq!(hex_encode(&sha256(canonical.as_bytes())), data("docHashJCS.txt").trim());

    let options = object(&json_data("proofConfigJCS.json"));
    let config = proof_config(&options).unwrap();
    assert_eq!(config, data("proofCanonJCS.txt"));
    assert_eq!(hex_encode(&sha256(config.as_bytes())), data("proofHashJCS.txt").trim());

    let combined = hash_data(&canonical, &config);
    assert_eq!(hex_encode(&combined), data("combinedHashJCS.txt").trim());

    let key = vector_key();
    assert_eq!(key.did(), format!("did:key:{}", json_data("keyPair.json")["publicKeyMultibase"].as_str().unwrap()));
    let signature = serialize_proof(&combined, &key).unwrap();
    assert_eq!(hex_encode(&signature), data("sigHexJCS.txt").trim());
    assert_eq!(encode_proof_value(&signature), data("sigBTC58JCS.txt").trim());
    assert_eq!(decode_proof_value(data("sigBTC58JCS.txt").trim()).unwrap(), signature);

    // Create Proof from the options without `@context` (it copies the document's in), and the
    // secured document is the vector's, member for member.
    let mut bare = options.clone();
    bare.remove("@context");
    let proof = create_proof(&unsigned, bare, &key).unwrap();
    let mut secured = unsigned.clone();
    secured.insert("proof".into(), Value::Object(proof));
    assert_eq!(Value::Object(secured), json_data("signedJCS.json"));

    // Verify Proof on the signed vector: the same hash data, and the signature verifies.
    let signed = object(&json_data("signedJCS.json"));
    let proof = signed["proof"].as_object().unwrap();
    assert_eq!(transform(&signed, None).unwrap(), data("canonDocJCS.txt"), "the proof is not part of the document");
    let data_to_verify = DocumentHashes::new(&signed).verify_data(proof).unwrap();
    assert_eq!(data_to_verify, combined);
    let sig = decode_proof_value(proof["proofValue"].as_str().unwrap()).unwrap();
    assert!(credcore::keys::verify(&data_to_verify, &sig, key.public_key()));
    assert!(credcore::verify_batch(&[credcore::SignatureJob { message: &data_to_verify, signature: &sig, key: key.public_key() }])[0]);
}

#[test]
fn the_signed_vector_through_the_pipeline() {
    // Its issuer (an https URL) is not the controller of its did:key verification method.
    let signed = json_data("signedJCS.json");
    let o = VerifyOptions { now: Some(1_700_000_000_000.0), ..opts() };
    let r = verify(&text(&signed), &o);
    assert_eq!(r.format, Format::DataIntegrity);
    assert_eq!(codes(&r), ["INVALID_DID"], "{:?}", r.errors);
    assert_eq!(paths(&r, "INVALID_DID"), ["proof.verificationMethod"]);

    // The same credential issued by the key's DID, signed with the vector's key and options.
    let key = vector_key();
    let mut unsigned = object(&json_data("unsigned.json"));
    unsigned.insert("issuer".into(), json!(key.did()));
    let mut options = object(&json_data("proofConfigJCS.json"));
    options.remove("@context");
    let proof = create_proof(&unsigned, options, &key).unwrap();
    unsigned.insert("proof".into(), Value::Object(proof));
    let r = verify(&text(&Value::Object(unsigned.clone())), &o);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!((r.format, r.kind), (Format::DataIntegrity, Kind::Credential));
    assert_eq!(r.issuer.as_deref(), Some(key.did().as_str()));
    assert_eq!(r.subject.as_deref(), Some("did:example:abcdefgh"));
    assert_eq!(r.claims, Some(json!({ "id": "did:example:abcdefgh", "alumniOf": "The School of Examples" })));
    assert_eq!(r.credentials[0].types, ["VerifiableCredential", "AlumniCredential"]);
    // Before `created` (2023-02-24T23:36:38Z), beyond the clock skew.
    let before = VerifyOptions { now: Some(1_677_000_000_000.0), ..opts() };
    assert_eq!(codes(&verify(&text(&Value::Object(unsigned)), &before)), ["NOT_YET_VALID"]);
}

// ---------------------------------------------------------------------------------------------
// Issued here

#[test]
fn issued_credentials_and_presentations_verify() {
    let vc = our_credential();
    assert_eq!(vc["@context"], json!([V2]));
    assert_eq!(vc["proof"]["type"], "DataIntegrityProof");
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(vc["proof"]["verificationMethod"], issuer().kid());
    assert_eq!(vc["proof"]["proofPurpose"], "assertionMethod");
    assert_eq!(vc["proof"]["@context"], json!([V2]));
    assert_eq!(vc["proof"]["created"], credcore::time::format_rfc3339(NOW - 60).replace(".000Z", "Z"));
    let r = verify_credential(&text(&vc), &opts());
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.format, Format::DataIntegrity);
    assert_eq!(r.issuer, Some(issuer().did()));
    assert_eq!(r.expires_at, Some(NOW - 60 + 3600));
    assert_eq!(r.claims.as_ref().unwrap()["givenName"], "Ada");

    // A VC 1.1 credential gets the Data Integrity context, and its 1.1 dates.
    let v1 = issue_credential(&json!({ "@context": [V1], "credentialSubject": subject() }), &issuer(), JCS, Some(60), NOW).unwrap();
    assert_eq!(v1["@context"], json!([V1, DATA_INTEGRITY_CONTEXT]));
    assert!(v1.get("issuanceDate").is_some() && v1.get("expirationDate").is_some());
    assert!(verify(&text(&v1), &opts()).valid);

    // A presentation of it, an anon-identity credential and a VC-JWT, bound to nonce and audience.
    let anon = issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), IssueFormat::AnonIdentity, Some(3600), NOW).unwrap();
    let jwt = issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), IssueFormat::VcJwt, Some(3600), NOW).unwrap();
    let vp = our_presentation(&[vc.clone(), anon, jwt]);
    assert_eq!(vp["holder"], holder().did());
    assert_eq!(vp["proof"]["proofPurpose"], "authentication");
    assert_eq!((vp["proof"]["challenge"].as_str(), vp["proof"]["domain"].as_str()), (Some("n-1"), Some("https://verifier.example")));
    let r = verify_presentation(&text(&vp), &vp_opts());
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!((r.format, r.kind), (Format::DataIntegrity, Kind::Presentation));
    assert_eq!(r.holder, Some(holder().did()));
    assert_eq!(r.credentials.len(), 3);
    assert!(r.credentials.iter().all(|c| c.issuer == Some(issuer().did())));

    // The presentation checks of every format: nonce, audience, holder binding, the kind.
    let o = VerifyOptions { nonce: Some("other".into()), ..vp_opts() };
    assert_eq!(codes(&verify(&text(&vp), &o)), ["NONCE_MISMATCH"]);
    let o = VerifyOptions { audience: Some("https://elsewhere.example".into()), ..vp_opts() };
    assert_eq!(codes(&verify(&text(&vp), &o)), ["AUDIENCE_MISMATCH"]);
    let unbound = create_presentation(std::slice::from_ref(&vc), &holder(), None, None, JCS_VP, NOW).unwrap();
    assert!(unbound["proof"].get("challenge").is_none());
    assert!(verify(&text(&unbound), &opts()).valid);
    let r = verify(&text(&unbound), &vp_opts());
    assert_eq!(codes(&r), ["AUDIENCE_MISMATCH", "NONCE_MISMATCH"]);
    assert_eq!(paths(&r, "NONCE_MISMATCH"), ["proof.challenge"]);
    let stranger =
        create_presentation(std::slice::from_ref(&vc), &attacker(), Some("n-1"), Some("https://verifier.example"), JCS_VP, NOW).unwrap();
    assert_eq!(codes(&verify(&text(&stranger), &vp_opts())), ["HOLDER_MISMATCH"]);
    let o = VerifyOptions { holder_binding: false, ..vp_opts() };
    assert!(verify(&text(&stranger), &o).valid);
    assert_eq!(codes(&verify_presentation(&text(&vc), &opts())), ["MALFORMED_INPUT"]);
    assert_eq!(codes(&verify_credential(&text(&vp), &vp_opts())), ["MALFORMED_INPUT"]);

    // A domain given as a set: the set of the one expected audience.
    let set = resigned(&vp, &holder(), |p| {
        p.insert("domain".into(), json!(["https://verifier.example"]));
    });
    assert!(verify(&text(&set), &vp_opts()).valid);
    let wider = resigned(&vp, &holder(), |p| {
        p.insert("domain".into(), json!(["https://verifier.example", "https://other.example"]));
    });
    assert_eq!(codes(&verify(&text(&wider), &vp_opts())), ["AUDIENCE_MISMATCH"]);
}

#[test]
fn presentation_proofs_are_the_holders() {
    let vc = our_credential();
    let vp = our_presentation(std::slice::from_ref(&vc));
    // Signed by someone else than the `holder` it names.
    let mut other = object(&vp);
    other.insert("holder".into(), json!(attacker().did()));
    let forged = resigned(&Value::Object(other), &attacker(), |p| {
        p.insert("verificationMethod".into(), json!(holder().kid()));
    });
    let r = verify(&text(&forged), &vp_opts());
    assert_eq!(codes(&r), ["HOLDER_MISMATCH", "INVALID_DID"], "{:?}", r.errors);
    // Without `holder`, the holder is the controller of the proof's verification method.
    let mut anonymous = object(&vp);
    anonymous.remove("holder");
    let anonymous = resigned(&Value::Object(anonymous), &holder(), |_| {});
    let r = verify(&text(&anonymous), &vp_opts());
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.holder, Some(holder().did()));
    // The credential purpose on a presentation, and the presentation purpose on a credential.
    let wrong = resigned(&vp, &holder(), |p| {
        p.insert("proofPurpose".into(), json!("assertionMethod"));
    });
    assert_eq!(codes(&verify(&text(&wrong), &vp_opts())), ["MALFORMED_INPUT"]);
    let wrong = resigned(&vc, &issuer(), |p| {
        p.insert("proofPurpose".into(), json!("authentication"));
    });
    assert_eq!(codes(&verify(&text(&wrong), &opts())), ["MALFORMED_INPUT"]);
    // An embedded credential edited after the holder signed: both signatures fail.
    let mut edited = vp.clone();
    edited["verifiableCredential"][0]["credentialSubject"]["givenName"] = json!("Eve");
    let r = verify(&text(&edited), &vp_opts());
    assert_eq!(codes(&r), ["INVALID_PRESENTATION_SIGNATURE", "INVALID_SIGNATURE"]);
    assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["credentials[0].proof.proofValue"]);
    assert_eq!(paths(&r, "INVALID_PRESENTATION_SIGNATURE"), ["proof.proofValue"]);
}

// ---------------------------------------------------------------------------------------------
// Tampering

/// A different value of the same kind: dates move a day back, strings and numbers change.
fn edit(v: &Value) -> Value {
    match v {
        Value::String(s) => match credcore::time::parse_rfc3339(s) {
            Ok(t) => json!(credcore::time::format_rfc3339(t - 86_400)),
            Err(_) => json!(format!("{s}x")),
        },
        Value::Number(n) => json!(n.as_i64().unwrap() - 1),
        Value::Bool(b) => json!(!b),
        _ => unreachable!(),
    }
}

#[test]
fn every_field_of_document_and_proof_is_covered() {
    let vc = our_credential();
    assert!(verify(&text(&vc), &opts()).valid);
    let mut all = Vec::new();
    leaves(&vc, String::new(), &mut all);
    assert!(all.len() >= 17, "{all:?}");
    let sig = "INVALID_SIGNATURE";
    for path in &all {
        let mut t = vc.clone();
        let leaf = leaf_mut(&mut t, path);
        *leaf = edit(leaf);
        let expected: Vec<&str> = match path.as_str() {
            // The base context must come first, and the proof signed the original context.
            "@context[0]" => vec!["MALFORMED_INPUT", "PAYLOAD_MISMATCH"],
            "proof.@context[0]" => vec!["PAYLOAD_MISMATCH"],
            // No longer a credential at all.
            "type[0]" => vec!["MALFORMED_INPUT"],
            // The verification method is no longer the issuer's.
            "issuer" => vec!["INVALID_DID"],
            "proof.verificationMethod" => vec!["INVALID_DID"],
            // A day earlier is before the verification time.
            "validUntil" => vec![sig, "EXPIRED_CREDENTIAL"],
            "proof.type" => vec!["UNSUPPORTED_PROOF_TYPE"],
            "proof.cryptosuite" => vec!["UNSUPPORTED_CRYPTOSUITE"],
            "proof.proofPurpose" => vec![sig, "MALFORMED_INPUT"],
            // One more base58 digit: no longer 64 bytes.
            "proof.proofValue" => vec!["MALFORMED_INPUT"],
            _ => vec![sig],
        };
        check(&t, &opts(), &expected, path);
    }
}

#[test]
fn proof_value_bit_flips() {
    for (doc, code, o) in [
        (our_credential(), "INVALID_SIGNATURE", opts()),
        (our_presentation(&[our_credential()]), "INVALID_PRESENTATION_SIGNATURE", vp_opts()),
    ] {
        let sig = decode_proof_value(doc["proof"]["proofValue"].as_str().unwrap()).unwrap();
        for byte in 0..64 {
            for bit in [0, 7] {
                let mut s = sig;
                s[byte] ^= 1 << bit;
                let mut t = doc.clone();
                t["proof"]["proofValue"] = json!(encode_proof_value(&s));
                let r = verify(&text(&t), &o);
                assert_eq!(codes(&r), [code], "byte {byte} bit {bit}");
                assert_eq!(paths(&r, code), ["proof.proofValue"]);
            }
        }
    }
}

#[test]
fn swaps_and_times_refused_precisely() {
    let vc = our_credential();
    let o = opts();
    // Cryptosuite swaps: specified suites credcore does not verify, and unknown ones.
    for suite_name in ["ecdsa-sd-2023", "bbs-2023", "eddsa-2022"] {
        let mut t = vc.clone();
        t["proof"]["cryptosuite"] = json!(suite_name);
        check(&t, &o, &["UNSUPPORTED_CRYPTOSUITE"], suite_name);
        assert_eq!(paths(&verify(&text(&t), &o), "UNSUPPORTED_CRYPTOSUITE"), ["proof.cryptosuite"]);
    }
    // Relabelled ecdsa-jcs-2019, the 64-byte Ed25519 signature reads as an ES256 one, which the
    // issuer's Ed25519 key cannot have made: the signature's code, without arithmetic.
    let mut t = vc.clone();
    t["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019");
    check(&t, &o, &["INVALID_SIGNATURE"], "ecdsa-jcs-2019");
    // Relabelled ecdsa-rdfc-2019: the same, before any JSON-LD work.
    let mut t = vc.clone();
    t["proof"]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    check(&t, &o, &["INVALID_SIGNATURE"], "ecdsa-rdfc-2019");
    // eddsa-rdfc-2022 reads the document as JSON-LD: its terms (givenName, age) are undefined in
    // VC 2.0's context, which safe mode refuses (tests/data_integrity_rdfc.rs verifies the suite).
    let mut t = vc.clone();
    t["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    check(&t, &o, &["JSONLD_INVALID"], "eddsa-rdfc-2022");
    // Proof types: the legacy Ed25519Signature2020 names no cryptosuite; other types.
    let mut t = vc.clone();
    t["proof"]["type"] = json!("Ed25519Signature2020");
    check(&t, &o, &["MALFORMED_INPUT"], "Ed25519Signature2020 with a cryptosuite");
    for proof_type in ["JsonWebSignature2020", "EcdsaSecp256k1Signature2019"] {
        let mut t = vc.clone();
        t["proof"]["type"] = json!(proof_type);
        check(&t, &o, &["UNSUPPORTED_PROOF_TYPE"], proof_type);
    }
    let mut t = vc.clone();
    t["proof"].as_object_mut().unwrap().remove("cryptosuite");
    check(&t, &o, &["MALFORMED_INPUT"], "no cryptosuite");
    // Verification methods: another DID's key, another fragment, the bare DID, a relative one.
    let fp = issuer().did().trim_start_matches("did:key:").to_owned();
    for vm in
        [attacker().kid(), format!("{}#key-1", issuer().did()), issuer().did(), format!("#{fp}"), format!("did:web:issuer.example#{fp}")]
    {
        let mut t = vc.clone();
        t["proof"]["verificationMethod"] = json!(vm);
        check(&t, &o, &["INVALID_DID"], &vm);
        // Re-signed by whoever holds the key it names: still not the issuer's.
        check(&resigned(&vc, &attacker(), |p| drop(p.insert("verificationMethod".into(), json!(vm.clone())))), &o, &["INVALID_DID"], &vm);
    }
    // A key the proof names correctly, but not the one that signed.
    check(&resigned(&vc, &attacker(), |_| {}), &o, &["INVALID_SIGNATURE"], "signed by another key");
    // Purpose swaps, re-signed by the issuer.
    for purpose in ["authentication", "capabilityInvocation", "keyAgreement"] {
        check(&resigned(&vc, &issuer(), |p| drop(p.insert("proofPurpose".into(), json!(purpose)))), &o, &["MALFORMED_INPUT"], purpose);
    }
    for member in ["proofPurpose", "verificationMethod", "type"] {
        let mut t = vc.clone();
        t["proof"].as_object_mut().unwrap().remove(member);
        let want: &[&str] = if member == "proofPurpose" { &["INVALID_SIGNATURE", "MALFORMED_INPUT"] } else { &["MALFORMED_INPUT"] };
        check(&t, &o, want, member);
    }
    let mut t = vc.clone();
    t["proof"].as_object_mut().unwrap().remove("proofValue");
    check(&t, &o, &["MISSING_PROOF"], "no proofValue");
    // `created` in the future and `expires` past, signed by the issuer.
    let at = |s: i64| json!(credcore::time::format_rfc3339(s));
    check(&resigned(&vc, &issuer(), |p| drop(p.insert("created".into(), at(NOW + 3600)))), &o, &["NOT_YET_VALID"], "created later");
    check(&resigned(&vc, &issuer(), |p| drop(p.insert("created".into(), at(NOW + 30)))), &o, &[], "created within the skew");
    check(&resigned(&vc, &issuer(), |p| drop(p.insert("expires".into(), at(NOW - 3600)))), &o, &["EXPIRED_CREDENTIAL"], "expires past");
    let mut t = vc.clone();
    t["proof"]["created"] = json!("yesterday");
    check(&t, &o, &["MALFORMED_INPUT"], "created");
    assert_eq!(paths(&verify(&text(&t), &o), "MALFORMED_INPUT"), ["proof.created"], "reported once");
    let r = verify(&text(&resigned(&vc, &issuer(), |p| drop(p.insert("expires".into(), at(NOW + 100))))), &o);
    assert!(r.valid);
    assert_eq!(r.expires_at, Some(NOW + 100), "the proof's expiry bounds the result");
    // The proof's @context: a prefix of the document's (entries appended after signing).
    let mut t = resigned(&vc, &issuer(), |_| {});
    t["@context"] = json!([V2, "https://www.w3.org/ns/credentials/examples/v2"]);
    check(&t, &o, &["PAYLOAD_MISMATCH"], "context appended");
    // A string context and the proof's one-element array are the same context.
    let mut doc = object(&vc);
    doc.remove("proof");
    doc.insert("@context".into(), json!(V2));
    let mut options = object(&vc["proof"]);
    options.remove("proofValue");
    let proof = create_proof(&doc, options.clone(), &issuer()).unwrap();
    let mut t = Value::Object(doc.clone());
    t["proof"] = Value::Object(proof);
    t["proof"]["@context"] = json!([V2]);
    check(&t, &o, &["INVALID_SIGNATURE"], "the proof signed another spelling of the context");
    // A proof without @context signs the document's as part of the document.
    options.remove("@context");
    options.insert("proofValue".into(), json!(""));
    let cfg = proof_config(&options).unwrap();
    let sig = serialize_proof(&hash_data(&transform(&doc, None).unwrap(), &cfg), &issuer()).unwrap();
    options.insert("proofValue".into(), json!(encode_proof_value(&sig)));
    let mut t = Value::Object(doc);
    t["proof"] = Value::Object(options);
    check(&t, &o, &[], "no @context in the proof");
}

#[test]
fn proof_sets_and_chains() {
    let vc = our_credential();
    let mut body = object(&vc);
    let first = body.remove("proof").unwrap();
    let mut options = object(&first);
    options.remove("proofValue");
    options.remove("@context");
    options.insert("created".into(), json!("2025-06-15T14:00:00Z"));
    let second = Value::Object(create_proof(&body, options.clone(), &issuer()).unwrap());
    let set = |proofs: Vec<Value>| {
        let mut b = body.clone();
        b.insert("proof".into(), Value::Array(proofs));
        Value::Object(b)
    };
    let o = opts();
    check(&set(vec![first.clone(), second.clone()]), &o, &[], "a proof set of two");
    check(&set(vec![first.clone()]), &o, &[], "a set of one");
    // Every proof must verify.
    let mut bad = second.clone();
    bad["proofValue"] = first["proofValue"].clone();
    let r = verify(&text(&set(vec![first.clone(), bad])), &o);
    assert_eq!(codes(&r), ["INVALID_SIGNATURE"]);
    assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["proof[1].proofValue"]);
    // A co-signer's proof is refused: every proof is the issuer's.
    let mut co = options.clone();
    co.insert("verificationMethod".into(), json!(attacker().kid()));
    let cosigned = Value::Object(create_proof(&body, co, &attacker()).unwrap());
    let r = verify(&text(&set(vec![first.clone(), cosigned])), &o);
    assert_eq!(codes(&r), ["INVALID_DID"]);
    assert_eq!(paths(&r, "INVALID_DID"), ["proof[1].verificationMethod"]);
    // One proof of another cryptosuite fails the set.
    let mut rdfc = second.clone();
    rdfc["cryptosuite"] = json!("eddsa-rdfc-2022");
    check(&set(vec![first.clone(), rdfc]), &o, &["JSONLD_INVALID"], "a set with an rdfc proof over undefined terms");
    // Proof chains are refused, not verified as a set.
    let mut with_id = options.clone();
    with_id.insert("id".into(), json!("urn:uuid:1"));
    let with_id = create_proof(&body, with_id, &issuer()).unwrap();
    let mut chained = options.clone();
    chained.insert("previousProof".into(), json!("urn:uuid:1"));
    let chained = Value::Object(create_proof(&body, chained, &issuer()).unwrap());
    let r = verify(&text(&set(vec![Value::Object(with_id), chained])), &o);
    assert_eq!(codes(&r), ["UNSUPPORTED_PROOF_TYPE"]);
    assert_eq!(paths(&r, "UNSUPPORTED_PROOF_TYPE"), ["proof[1].previousProof"]);
    // Sizes and shapes.
    check(&set(vec![first.clone(); 17]), &o, &["INPUT_TOO_LARGE"], "17 proofs");
    check(&set(vec![first.clone(); 16]), &o, &[], "16 proofs");
    check(&set(vec![]), &o, &["MISSING_PROOF"], "an empty set");
    check(&set(vec![first.clone(), json!("proof")]), &o, &["MALFORMED_INPUT"], "a proof that is not an object");
}

// ---------------------------------------------------------------------------------------------
// The format rule (credential/format.rs rule 2)

#[test]
fn data_integrity_and_anon_identity_items_never_overlap() {
    let vc = our_credential();
    let anon = issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), IssueFormat::AnonIdentity, Some(3600), NOW).unwrap();
    let o = opts();
    assert_eq!(verify(&text(&anon), &o).format, Format::AnonIdentity);
    assert_eq!(verify(&text(&vc), &o).format, Format::DataIntegrity);
    // A proof that carries both a jws and a proofValue, or a set mixing both kinds.
    let mut both = vc.clone();
    both["proof"]["jws"] = anon["proof"]["jws"].clone();
    let r = verify(&text(&both), &o);
    assert_eq!((codes(&r), r.format), (vec!["MALFORMED_INPUT"], Format::Unknown));
    let mut both = anon.clone();
    both["proof"]["proofValue"] = vc["proof"]["proofValue"].clone();
    assert_eq!(codes(&verify(&text(&both), &o)), ["MALFORMED_INPUT"]);
    let mut both = anon.clone();
    both["proof"]["type"] = json!("DataIntegrityProof");
    assert_eq!(codes(&verify(&text(&both), &o)), ["MALFORMED_INPUT"]);
    let mut mixed = vc.clone();
    mixed["proof"] = json!([vc["proof"], anon["proof"]]);
    let r = verify(&text(&mixed), &o);
    assert_eq!(codes(&r), ["MALFORMED_INPUT"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("proof[1]"));
    // A DataIntegrityProof without its value is a Data Integrity item missing its proof value.
    let mut t = vc.clone();
    t["proof"].as_object_mut().unwrap().remove("proofValue");
    let r = verify(&text(&t), &o);
    assert_eq!((codes(&r), r.format), (vec!["MISSING_PROOF"], Format::DataIntegrity));
    // Repeated member names: refused for Data Integrity items (JCS is over I-JSON) ...
    let dup = text(&vc).replacen("\"givenName\":\"Ada\"", "\"givenName\":\"Eve\",\"givenName\":\"Ada\"", 1);
    assert_ne!(dup, text(&vc));
    let r = verify(&dup, &o);
    assert_eq!((codes(&r), r.format), (vec!["MALFORMED_INPUT"], Format::DataIntegrity));
    // ... and for presentations embedding one, whatever secures the presentation.
    let anon_vp = create_presentation(std::slice::from_ref(&vc), &holder(), None, None, PresentationFormat::AnonIdentity, NOW).unwrap();
    assert!(verify(&text(&anon_vp), &o).valid, "an anon-identity presentation of a Data Integrity credential");
    let dup = text(&anon_vp).replacen("\"givenName\":\"Ada\"", "\"givenName\":\"Ada\",\"givenName\":\"Ada\"", 1);
    assert_ne!(dup, text(&anon_vp));
    assert_eq!(codes(&verify(&dup, &o)), ["MALFORMED_INPUT"]);
    // Whitespace and member order do not matter: JCS is over the values.
    let pretty = serde_json::to_string_pretty(&vc).unwrap();
    assert!(verify(&pretty, &o).valid);
    let mut reordered: Vec<(String, Value)> = object(&vc).into_iter().collect();
    reordered.reverse();
    assert!(verify(&text(&Value::Object(reordered.into_iter().collect())), &o).valid);
}

// ---------------------------------------------------------------------------------------------
// Entry points and the batch

#[test]
fn verdicts_agree_through_every_entry_point() {
    let vc = our_credential();
    let vp = our_presentation(std::slice::from_ref(&vc));
    let mut forged = vc.clone();
    forged["credentialSubject"]["givenName"] = json!("Eve");
    let expired = issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), JCS, Some(10), NOW - 3600).unwrap();
    let rdfc = {
        let mut t = vc.clone();
        t["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
        t
    };
    let jwt = issue_credential(&json!({ "credentialSubject": subject() }), &issuer(), IssueFormat::VcJwt, Some(3600), NOW).unwrap();
    let inputs: Vec<String> =
        vec![text(&vc), text(&vp), text(&forged), text(&expired), text(&rdfc), jwt.as_str().unwrap().to_owned(), text(&vc)];
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let o = VerifyOptions { nonce: Some("n-1".into()), audience: Some("https://verifier.example".into()), ..opts() };
    // Uncached, cached and cached again agree (the helper asserts it); so does one by one.
    let batch = verify_batch(&refs, &o);
    for (input, r) in refs.iter().zip(&batch) {
        assert_eq!(&verify(input, &o), r, "{input:.80}");
    }
    let summary: Vec<(bool, Vec<&str>)> = batch.iter().map(|r| (r.valid, codes(r))).collect();
    assert_eq!(
        summary,
        [
            (true, vec![]),
            (true, vec![]),
            (false, vec!["INVALID_SIGNATURE"]),
            (false, vec!["EXPIRED_CREDENTIAL"]),
            (false, vec!["JSONLD_INVALID"]),
            (true, vec![]),
            (true, vec![]),
        ]
    );
    // A cached verdict does not outlive the proof's `expires`.
    let short = resigned(&vc, &issuer(), |p| drop(p.insert("expires".into(), json!(credcore::time::format_rfc3339(NOW + 100)))));
    let host = VerifyOptions { now: None, ..opts() };
    let map = options_map(&host);
    let mut cached = credcore::Verifier::new(map, &credcore::CacheConfig::default()).unwrap();
    let t = text(&short);
    let first = cached.verify_batch(&[t.as_str()], &Map::new(), NOW as f64 * 1000.0).unwrap();
    assert!(first[0].valid);
    let later = cached.verify_batch(&[t.as_str()], &Map::new(), (NOW + 200) as f64 * 1000.0).unwrap();
    assert_eq!(codes(&later[0]), ["EXPIRED_CREDENTIAL"]);
}

#[test]
fn proofs_join_the_batch_equation() {
    // Each proof becomes one signature check of the batch, over the suite's hash data.
    let vc = our_credential();
    let options = opts();
    let mut keys = DidKeySource;
    let mut ctx = Ctx { options: &options, now: NOW, keys: &mut keys };
    let prepared = credcore::verifier::pipeline::prepare_item(&text(&vc), &mut ctx);
    assert!(prepared.result.errors.is_empty(), "{:?}", prepared.result.errors);
    assert_eq!(prepared.checks.len(), 1);
    let body = object(&vc);
    let want = DocumentHashes::new(&body).verify_data(vc["proof"].as_object().unwrap()).unwrap();
    assert_eq!(prepared.checks[0].message, want.to_vec());
    assert_eq!(prepared.checks[0].path, "proof.proofValue");
    assert_eq!(prepared.checks[0].key.ed25519(), Some(issuer().public_key()));
    assert_eq!(prepared.checks[0].alg, credcore::keys::Algorithm::EdDsa);
    // Among many JWT signatures, one forged proof fails alone.
    let mut inputs: Vec<String> = (0..40)
        .map(|i| {
            let c = json!({ "credentialSubject": { "id": holder().did(), "n": i } });
            if i % 2 == 0 {
                text(&issue_credential(&c, &issuer(), JCS, Some(3600), NOW).unwrap())
            } else {
                issue_credential(&c, &issuer(), IssueFormat::VcJwt, Some(3600), NOW).unwrap().as_str().unwrap().to_owned()
            }
        })
        .collect();
    let mut forged: Value = serde_json::from_str(&inputs[10]).unwrap();
    forged["credentialSubject"]["n"] = json!(999);
    inputs[10] = text(&forged);
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let results = verify_batch(&refs, &options);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.valid, i != 10, "{i}: {:?}", r.errors);
    }
    assert_eq!(codes(&results[10]), ["INVALID_SIGNATURE"]);
    // add_proof and issue_credential make the same proofs.
    let mut doc = object(&vc);
    doc.remove("proof");
    let created = credcore::time::parse_rfc3339(vc["proof"]["created"].as_str().unwrap()).unwrap();
    let again = add_proof(
        doc,
        &issuer(),
        Cryptosuite::EddsaJcs2022,
        &ProofOptions { purpose: "assertionMethod", created, challenge: None, domain: None },
    )
    .unwrap();
    assert_eq!(Value::Object(again), vc);
    assert_eq!(suite::NAME, "eddsa-jcs-2022");
}

// ---------------------------------------------------------------------------------------------
// Key sources and algorithms: the same as for every JOSE credential

#[test]
fn verification_methods_resolve_through_the_key_sources() {
    let key = issuer();
    let body = json!({ "credentialSubject": subject() });
    let o = opts();
    // did:jwk: the verification method is `did#0`.
    let did = key.verifying_key().did_jwk();
    let jwk = Named { inner: &key, did: did.clone(), kid: format!("{did}#0") };
    let vc = issue_credential(&body, &jwk, JCS, Some(3600), NOW).unwrap();
    assert_eq!(vc["proof"]["verificationMethod"], format!("{did}#0"));
    let r = verify(&text(&vc), &o);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.issuer, Some(did.clone()));
    let other = resigned(&vc, &key, |p| drop(p.insert("verificationMethod".into(), json!(format!("{did}#1")))));
    assert_eq!(codes(&verify(&text(&other), &o)), ["INVALID_DID"]);
    // An https issuer (and a did:web one) whose key the caller gives in issuerKeys, by kid.
    for issuer_id in ["https://vc.example/issuers/5678", "did:web:issuer.example"] {
        let named = Named { inner: &key, did: issuer_id.into(), kid: format!("{issuer_id}#key-1") };
        let vc = issue_credential(&body, &named, JCS, Some(3600), NOW).unwrap();
        let r = verify(&text(&vc), &o);
        assert_eq!(codes(&r), ["KEY_UNAVAILABLE"], "{issuer_id} without issuerKeys");
        let mut jwk = serde_json::to_value(key.public_jwk()).unwrap();
        jwk["kid"] = json!(format!("{issuer_id}#key-1"));
        let keyed = VerifyOptions { issuer_keys: Some([(issuer_id.to_owned(), json!({ "keys": [jwk] }))].into()), ..opts() };
        let r = verify(&text(&vc), &keyed);
        assert!(r.valid, "{issuer_id}: {:?}", r.errors);
        let wrong = resigned(&vc, &key, |p| drop(p.insert("verificationMethod".into(), json!(format!("{issuer_id}#key-2")))));
        assert!(!verify(&text(&wrong), &keyed).valid, "{issuer_id}: a kid the caller gave no key for");
    }
    // The W3C vector with its issuer's key given: its verification method is still not the issuer's.
    let mut jwk = serde_json::to_value(vector_key().public_jwk()).unwrap();
    jwk["kid"] = json!("https://vc.example/issuers/5678#key-1");
    let keyed = VerifyOptions {
        now: Some(1_700_000_000_000.0),
        issuer_keys: Some([("https://vc.example/issuers/5678".to_owned(), jwk)].into()),
        ..opts()
    };
    assert_eq!(codes(&verify(&text(&json_data("signedJCS.json")), &keyed)), ["INVALID_DID"]);
}

#[test]
fn only_ed25519_keys_and_the_eddsa_algorithm() {
    let body = json!({ "credentialSubject": subject() });
    // ES256 and ES384 keys issue VC-JWTs, not eddsa-jcs-2022 proofs.
    for alg in [Algorithm::Es256, Algorithm::Es384] {
        let key = SigningKey::generate(alg).unwrap();
        let e = issue_credential(&body, &key, JCS, None, NOW).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::UnsupportedAlgorithm, Some("format")));
        let e = create_presentation(&[], &key, None, None, JCS_VP, NOW).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedAlgorithm);
        // A proof naming a P-256 or P-384 did:key: no arithmetic, the signature's code.
        let vc = our_credential();
        let mut doc = object(&vc);
        doc.insert("issuer".into(), json!(key.did()));
        let mut t = Value::Object(doc);
        t["proof"]["verificationMethod"] = json!(key.kid());
        let r = verify(&text(&t), &opts());
        assert_eq!(codes(&r), ["INVALID_SIGNATURE"], "{alg}: {:?}", r.errors);
        assert!(r.errors[0].message.contains("Ed25519"), "{}", r.errors[0].message);
    }
    // The caller's algorithms narrow Data Integrity proofs too.
    let vc = our_credential();
    let narrowed = VerifyOptions { algorithms: Some(vec![Algorithm::Es256]), ..opts() };
    let r = verify(&text(&vc), &narrowed);
    assert_eq!(codes(&r), ["UNSUPPORTED_ALGORITHM"]);
    assert_eq!(paths(&r, "UNSUPPORTED_ALGORITHM"), ["proof.cryptosuite"]);
    let allowed = VerifyOptions { algorithms: Some(vec![Algorithm::EdDsa, Algorithm::Es256]), ..opts() };
    assert!(verify(&text(&vc), &allowed).valid);
}
