#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Data Integrity with ecdsa-jcs-2019 (P-256 and P-384): the W3C vc-di-ecdsa test vectors (every
//! intermediate value, the published keys), credentials and presentations issued here, curve and
//! hash confusion, the `algorithms` option, every field tampered with, the key sources, proof
//! sets mixing cryptosuites, and mixed batches whose verdicts agree with one by one (uncached
//! and cached, through the `Verifier` the package ships).

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::checks::Ctx;
use credcore::credential::data_integrity::ecdsa_jcs_2019::{
    self as suite, create_proof, decode_proof_value, encode_proof_value, hash_data, proof_config, serialize_proof, transform, verify_data,
};
use credcore::credential::data_integrity::eddsa_jcs_2022::DocumentHashes;
use credcore::credential::data_integrity::issue::Cryptosuite;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::{Format, Kind, VerifyOptions};
use credcore::encoding::{hex_decode, hex_encode, multibase_b58_decode};
use credcore::hash::{digest, HashAlg};
use credcore::keys::{Algorithm, DidKeySource, KeyPair, Signer, SigningKey, VerifyingKey};
use credcore::ErrorCode;
use serde_json::{json, Map, Value};

const NOW: i64 = 1_750_000_000;
const V2: &str = "https://www.w3.org/ns/credentials/v2";
const ECDSA: IssueFormat = IssueFormat::DataIntegrity(Cryptosuite::EcdsaJcs2019);
const ECDSA_VP: PresentationFormat = PresentationFormat::DataIntegrity(Cryptosuite::EcdsaJcs2019);
const EDDSA: IssueFormat = IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);
const CURVES: [Algorithm; 2] = [Algorithm::Es256, Algorithm::Es384];

fn data(rel: &str) -> String {
    let path = format!("{}/tests/vectors/vc-di-ecdsa/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}
fn json_data(rel: &str) -> Value {
    serde_json::from_str(&data(rel)).unwrap()
}
fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// The directory and file suffix of a curve's vectors.
fn vector_names(alg: Algorithm) -> (&'static str, &'static str, &'static str) {
    match alg {
        Algorithm::Es256 => ("ecdsa-jcs-2019-p256", "JCSECDSAP256", "p256KeyPair.json"),
        _ => ("ecdsa-jcs-2019-p384", "JCSECDSAP384", "p384KeyPair.json"),
    }
}

/// The published key pair of a curve: the public Multikey (as a did:key) and the secret scalar
/// (multicodec `p256-priv` 0x1306 or `p384-priv` 0x1307, varint-encoded).
fn vector_key(alg: Algorithm) -> (VerifyingKey, SigningKey) {
    let pair = json_data(vector_names(alg).2);
    let public = VerifyingKey::from_did(&format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap())).unwrap();
    let secret = multibase_b58_decode(pair["secretKeyMultibase"].as_str().unwrap()).unwrap();
    let header: [u8; 2] = if alg == Algorithm::Es256 { [0x86, 0x26] } else { [0x87, 0x26] };
    assert_eq!(secret[..2], header);
    (public, SigningKey::from_secret(alg, &secret[2..]).unwrap())
}

fn key(alg: Algorithm, seed: u8) -> SigningKey {
    let len = if alg == Algorithm::Es256 { 32 } else { 48 };
    SigningKey::from_secret(alg, &vec![seed; len]).unwrap()
}
fn issuer(alg: Algorithm) -> SigningKey {
    key(alg, 41)
}
fn holder(alg: Algorithm) -> SigningKey {
    key(alg, 42)
}
fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), check_status: false, ..VerifyOptions::default() }
}
fn vp_opts() -> VerifyOptions {
    VerifyOptions { nonce: Some("n-1".into()), audience: Some("https://verifier.example".into()), ..opts() }
}
/// A subject: the P-256 holder (presentations check holder binding).
fn subject() -> Value {
    subject_of(&holder(Algorithm::Es256))
}
fn subject_of(holder: &dyn Signer) -> Value {
    json!({ "id": holder.did(), "givenName": "Ada", "age": 36, "member": true })
}
fn credential_by(key: &dyn Signer) -> Value {
    credential_of(key, &holder(Algorithm::Es256))
}
fn credential_of(key: &dyn Signer, holder: &dyn Signer) -> Value {
    issue_credential(&json!({ "credentialSubject": subject_of(holder) }), key, ECDSA, Some(3600), NOW - 60).unwrap()
}
fn presentation_by(key: &dyn Signer, credentials: &[Value]) -> Value {
    create_presentation(credentials, key, Some("n-1"), Some("https://verifier.example"), ECDSA_VP, NOW - 10).unwrap()
}

/// `doc` with its proof replaced by one over the edited proof options, made by `key`.
fn resigned(doc: &Value, key: &dyn Signer, edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut body = object(doc);
    let mut options = object(&body.remove("proof").unwrap());
    options.remove("@context");
    edit(&mut options);
    let proof = create_proof(&body, options, key).unwrap();
    body.insert("proof".into(), Value::Object(proof));
    Value::Object(body)
}

// ---------------------------------------------------------------------------------------------
// The W3C vectors (w3c/vc-di-ecdsa TestVectors, ecdsa-jcs-2019)

#[test]
fn w3c_vectors_every_intermediate_value() {
    for alg in CURVES {
        let (dir, suffix, _) = vector_names(alg);
        let file = |name: &str, ext: &str| format!("{dir}/{name}{suffix}.{ext}");
        let hash = if alg == Algorithm::Es256 { HashAlg::Sha256 } else { HashAlg::Sha384 };
        assert_eq!(suite::hash_of(alg).unwrap(), hash);

        // Transformation and the document's hash.
        let unsigned = object(&json_data("unsigned.json"));
        let canonical = transform(&unsigned, None).unwrap();
        assert_eq!(canonical, data(&file("canonDoc", "txt")), "{alg}");
        assert_eq!(hex_encode(&digest(hash, canonical.as_bytes())), data(&file("docHash", "txt")).trim(), "{alg}");

        // Proof configuration and its hash.
        let options = object(&json_data(&file("proofConfig", "json")));
        let config = proof_config(&options).unwrap();
        assert_eq!(config, data(&file("proofCanon", "txt")), "{alg}");
        assert_eq!(hex_encode(&digest(hash, config.as_bytes())), data(&file("proofHash", "txt")).trim(), "{alg}");

        // Hash data: the proof configuration's hash first.
        let combined = hash_data(alg, &canonical, &config).unwrap();
        assert_eq!(hex_encode(&combined), data(&file("combinedHash", "txt")).trim(), "{alg}");
        assert_eq!(combined.len(), 2 * hash.output_len());

        // The published signature: its base58btc form, and it verifies with the published key.
        let (public, secret) = vector_key(alg);
        assert_eq!(secret.verifying_key(), public, "{alg}: the secret is the public key's");
        let signature = hex_decode(data(&file("sigHex", "txt")).trim()).unwrap();
        assert_eq!(encode_proof_value(&signature), data(&file("sigBTC58", "txt")).trim(), "{alg}");
        assert_eq!(decode_proof_value(data(&file("sigBTC58", "txt")).trim()).unwrap(), (alg, signature.clone()));
        assert!(public.verify(alg, &combined, &signature), "{alg}: the published signature");
        let mut flipped = combined.clone();
        flipped[0] ^= 1;
        assert!(!public.verify(alg, &flipped, &signature), "{alg}");
        let other = if alg == Algorithm::Es256 { Algorithm::Es384 } else { Algorithm::Es256 };
        assert!(!public.verify(other, &combined, &signature), "{alg}: the other curve's algorithm");

        // Verify Proof on the signed vector: the same hash data, and the proofValue is the signature.
        let signed = object(&json_data(&file("signed", "json")));
        let proof = signed["proof"].as_object().unwrap();
        assert_eq!(transform(&signed, None).unwrap(), canonical, "the proof is not part of the document");
        let (claimed, sig) = decode_proof_value(proof["proofValue"].as_str().unwrap()).unwrap();
        assert_eq!((claimed, &sig), (alg, &signature));
        let mut hashes = DocumentHashes::new(&signed);
        assert_eq!(verify_data(&mut hashes, proof, alg).unwrap(), combined);

        // Create Proof with the published secret: the vector's document and proof, member for
        // member, but for the signature (ECDSA nonces differ), which verifies as well.
        let mut bare = options.clone();
        bare.remove("@context");
        let made = create_proof(&unsigned, bare, &secret).unwrap();
        let mut secured = unsigned.clone();
        secured.insert("proof".into(), Value::Object(made.clone()));
        let mut expected = json_data(&file("signed", "json"));
        expected["proof"]["proofValue"] = made["proofValue"].clone();
        assert_eq!(Value::Object(secured), expected, "{alg}");
        let (_, ours) = decode_proof_value(made["proofValue"].as_str().unwrap()).unwrap();
        assert!(public.verify(alg, &combined, &ours), "{alg}: a signature made here");
        assert_eq!(serialize_proof(&combined, &secret).unwrap().len(), signature.len());
    }
}

#[test]
fn the_signed_vectors_through_the_pipeline() {
    let o = VerifyOptions { now: Some(1_700_000_000_000.0), ..opts() };
    for alg in CURVES {
        let (dir, suffix, _) = vector_names(alg);
        // Its issuer (an https URL) is not the controller of its did:key verification method.
        let signed = json_data(&format!("{dir}/signed{suffix}.json"));
        let r = verify(&text(&signed), &o);
        assert_eq!(r.format, Format::DataIntegrity);
        assert_eq!(codes(&r), ["INVALID_DID"], "{alg}: {:?}", r.errors);
        assert_eq!(paths(&r, "INVALID_DID"), ["proof.verificationMethod"]);

        // The same credential issued by the key's DID, with the vector's key and proof options.
        let (public, secret) = vector_key(alg);
        let mut unsigned = object(&json_data("unsigned.json"));
        unsigned.insert("issuer".into(), json!(public.did()));
        let mut options = object(&json_data(&format!("{dir}/proofConfig{suffix}.json")));
        options.remove("@context");
        let proof = create_proof(&unsigned, options, &secret).unwrap();
        unsigned.insert("proof".into(), Value::Object(proof));
        let r = verify(&text(&Value::Object(unsigned.clone())), &o);
        assert!(r.valid, "{alg}: {:?}", r.errors);
        assert_eq!((r.format, r.kind), (Format::DataIntegrity, Kind::Credential));
        assert_eq!(r.issuer.as_deref(), Some(public.did().as_str()));
        assert_eq!(r.claims, Some(json!({ "id": "did:example:abcdefgh", "alumniOf": "The School of Examples" })));
        // Before `created` (2023-02-24T23:36:38Z), beyond the clock skew.
        let before = VerifyOptions { now: Some(1_677_000_000_000.0), ..opts() };
        assert_eq!(codes(&verify(&text(&Value::Object(unsigned)), &before)), ["NOT_YET_VALID"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Issued here

#[test]
fn issued_credentials_and_presentations_verify() {
    for alg in CURVES {
        let key = issuer(alg);
        let vc = credential_by(&key);
        assert_eq!(vc["@context"], json!([V2]));
        assert_eq!(vc["proof"]["type"], "DataIntegrityProof");
        assert_eq!(vc["proof"]["cryptosuite"], "ecdsa-jcs-2019");
        assert_eq!(vc["proof"]["verificationMethod"], json!(key.kid()));
        let (claimed, _) = decode_proof_value(vc["proof"]["proofValue"].as_str().unwrap()).unwrap();
        assert_eq!(claimed, alg);
        let r = verify_credential(&text(&vc), &opts());
        assert!(r.valid, "{alg}: {:?}", r.errors);
        assert_eq!(r.issuer, Some(key.did()));
        assert_eq!(r.claims, Some(subject()));

        // Presentations by a holder of either curve, over credentials of both suites.
        for holder_alg in CURVES {
            let h = holder(holder_alg);
            let ours = credential_of(&key, &h);
            let by_ed = json!({ "credentialSubject": subject_of(&h) });
            let eddsa_vc = issue_credential(&by_ed, &KeyPair::from_seed(&[5; 32]), EDDSA, Some(3600), NOW).unwrap();
            let vp = presentation_by(&h, &[ours, eddsa_vc]);
            assert_eq!(vp["proof"]["proofPurpose"], "authentication");
            assert_eq!((&vp["proof"]["challenge"], &vp["proof"]["domain"]), (&json!("n-1"), &json!("https://verifier.example")));
            let r = verify_presentation(&text(&vp), &vp_opts());
            assert!(r.valid, "{alg}/{holder_alg}: {:?}", r.errors);
            assert_eq!(r.holder, Some(h.did()));
            assert_eq!(r.credentials.len(), 2);
            // The caller's nonce and audience are the proof's challenge and domain.
            let other_nonce = VerifyOptions { nonce: Some("n-2".into()), ..vp_opts() };
            assert_eq!(codes(&verify(&text(&vp), &other_nonce)), ["NONCE_MISMATCH"]);
            let other_aud = VerifyOptions { audience: Some("https://other.example".into()), ..vp_opts() };
            assert_eq!(codes(&verify(&text(&vp), &other_aud)), ["AUDIENCE_MISMATCH"]);
            // The holder's signature covers the embedded credentials.
            let mut edited = vp.clone();
            edited["verifiableCredential"][0]["credentialSubject"]["givenName"] = json!("Eve");
            let r = verify(&text(&edited), &vp_opts());
            assert!(codes(&r).contains(&"INVALID_PRESENTATION_SIGNATURE"), "{:?}", r.errors);
        }
    }
    // Ed25519 keys issue eddsa-jcs-2022, not ecdsa-jcs-2019 proofs.
    let ed = KeyPair::from_seed(&[5; 32]);
    let e = issue_credential(&json!({ "credentialSubject": subject() }), &ed, ECDSA, None, NOW).unwrap_err();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::UnsupportedAlgorithm, Some("format")));
    assert_eq!(create_presentation(&[], &ed, None, None, ECDSA_VP, NOW).unwrap_err().code, ErrorCode::UnsupportedAlgorithm);
    assert_eq!(Cryptosuite::parse("ecdsa-jcs-2019").unwrap(), Cryptosuite::EcdsaJcs2019);
}

// ---------------------------------------------------------------------------------------------
// Curves, hashes and algorithms

/// A proof over `doc`'s hash data made with `hash_alg`, signed by `signer` (its own ECDSA hash),
/// with the verification method of `named`.
fn forged_proof(doc: &Value, hash_alg: Algorithm, signer: &SigningKey, named: &SigningKey) -> Value {
    let mut body = object(doc);
    let mut proof = object(&body.remove("proof").unwrap());
    proof.remove("proofValue");
    proof.insert("verificationMethod".into(), json!(named.kid()));
    body.insert("issuer".into(), json!(named.did()));
    let config = proof_config(&proof).unwrap();
    let data = hash_data(hash_alg, &transform(&body, None).unwrap(), &config).unwrap();
    proof.insert("proofValue".into(), json!(encode_proof_value(&signer.sign_message(&data))));
    body.insert("proof".into(), Value::Object(proof));
    Value::Object(body)
}

#[test]
fn curve_and_hash_confusion_is_an_invalid_signature() {
    let (p256, p384) = (issuer(Algorithm::Es256), issuer(Algorithm::Es384));
    let vc = credential_by(&p256);
    let o = opts();
    // Control: the honest proofs verify.
    check(&forged_proof(&vc, Algorithm::Es256, &p256, &p256), &o, &[], "P-256 over SHA-256 hash data");
    check(&forged_proof(&vc, Algorithm::Es384, &p384, &p384), &o, &[], "P-384 over SHA-384 hash data");
    // A P-384 proof value (96 bytes) naming a P-256 key, and the reverse: no arithmetic.
    for (signer, named) in [(&p384, &p256), (&p256, &p384)] {
        let t = forged_proof(&vc, signer.algorithm(), signer, named);
        let r = verify(&text(&t), &o);
        assert_eq!(codes(&r), ["INVALID_SIGNATURE"], "{:?}", r.errors);
        assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["proof.proofValue"]);
        assert!(r.errors[0].message.contains("curve"), "{}", r.errors[0].message);
    }
    // The right key and signature length over hash data of the other hash (wrong length).
    check(&forged_proof(&vc, Algorithm::Es384, &p256, &p256), &o, &["INVALID_SIGNATURE"], "P-256 over SHA-384 hash data");
    check(&forged_proof(&vc, Algorithm::Es256, &p384, &p384), &o, &["INVALID_SIGNATURE"], "P-384 over SHA-256 hash data");
    // A signature of neither length, and the Ed25519 and secp256k1 keys of other suites.
    let mut t = vc.clone();
    t["proof"]["proofValue"] = json!(encode_proof_value(&[1u8; 65]));
    check(&t, &o, &["MALFORMED_INPUT"], "65 bytes");
    let ed = KeyPair::from_seed(&[6; 32]);
    let eddsa_vc = issue_credential(&json!({ "credentialSubject": subject() }), &ed, EDDSA, Some(3600), NOW).unwrap();
    let mut relabelled = eddsa_vc.clone();
    relabelled["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019");
    check(&relabelled, &o, &["INVALID_SIGNATURE"], "an Ed25519 proof read as ecdsa-jcs-2019");
    // An ECDSA proof read as eddsa-jcs-2022: 64 bytes, but the key is a P-256 key.
    let mut relabelled = vc.clone();
    relabelled["proof"]["cryptosuite"] = json!("eddsa-jcs-2022");
    check(&relabelled, &o, &["INVALID_SIGNATURE"], "a P-256 proof read as eddsa-jcs-2022");
    // Zero and out-of-range scalars never reach arithmetic or a host.
    for bad in [vec![0u8; 64], vec![0xff; 64]] {
        let mut t = vc.clone();
        t["proof"]["proofValue"] = json!(encode_proof_value(&bad));
        check(&t, &o, &["INVALID_SIGNATURE"], "r, s out of range");
    }
}

#[test]
fn the_algorithms_option_narrows_ecdsa_proofs() {
    let vc256 = credential_by(&issuer(Algorithm::Es256));
    let vc384 = credential_by(&issuer(Algorithm::Es384));
    let only = |algs: Vec<Algorithm>| VerifyOptions { algorithms: Some(algs), ..opts() };
    let es256 = only(vec![Algorithm::Es256]);
    check(&vc256, &es256, &[], "ES256 allowed");
    check(&vc384, &es256, &["UNSUPPORTED_ALGORITHM"], "ES384 not allowed");
    assert_eq!(paths(&verify(&text(&vc384), &es256), "UNSUPPORTED_ALGORITHM"), ["proof.cryptosuite"]);
    let es384 = only(vec![Algorithm::Es384]);
    check(&vc256, &es384, &["UNSUPPORTED_ALGORITHM"], "ES256 not allowed");
    check(&vc384, &es384, &[], "ES384 allowed");
    check(&vc256, &only(vec![Algorithm::EdDsa]), &["UNSUPPORTED_ALGORITHM"], "EdDSA only");
}

// ---------------------------------------------------------------------------------------------
// Tampering

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
    for alg in CURVES {
        let vc = credential_of(&issuer(alg), &holder(alg));
        let vp = presentation_by(&holder(alg), std::slice::from_ref(&vc));
        for (doc, o, sig) in [(&vc, opts(), "INVALID_SIGNATURE"), (&vp, vp_opts(), "INVALID_PRESENTATION_SIGNATURE")] {
            assert!(verify(&text(doc), &o).valid);
            let mut all = Vec::new();
            leaves(doc, String::new(), &mut all);
            assert!(all.len() >= 17, "{all:?}");
            for path in &all {
                let mut t = doc.clone();
                let leaf = leaf_mut(&mut t, path);
                *leaf = edit(leaf);
                let r = verify(&text(&t), &o);
                assert!(!r.valid, "{alg} {path}: tampered and still valid");
                assert_eq!(r.claims, None, "{path}");
                // Leaves whose edit another check refuses before any arithmetic; every other
                // edit breaks a signature (the holder's, or the issuer's inside a presentation).
                let member = path.rsplit('.').next().and_then(|m| m.split('[').next()).unwrap_or_default();
                let refused_first = ["@context", "type", "issuer", "holder", "cryptosuite", "proofValue", "verificationMethod"];
                if !refused_first.contains(&member) {
                    assert!(codes(&r).iter().any(|c| *c == sig || *c == "INVALID_SIGNATURE"), "{alg} {path}: {:?}", r.errors);
                }
            }
        }
    }
}

#[test]
fn proof_value_bit_flips() {
    for alg in CURVES {
        let vc = credential_by(&issuer(alg));
        let (_, sig) = decode_proof_value(vc["proof"]["proofValue"].as_str().unwrap()).unwrap();
        for i in (0..sig.len()).step_by(7) {
            let mut bad = sig.clone();
            bad[i] ^= 0x10;
            let mut t = vc.clone();
            t["proof"]["proofValue"] = json!(encode_proof_value(&bad));
            check(&t, &opts(), &["INVALID_SIGNATURE"], &format!("{alg} byte {i}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key sources, proof sets, the batch

fn jwk_of(key: &dyn Signer, kid: &str) -> Value {
    let mut jwk = serde_json::to_value(key.verifying_key().to_jwk()).unwrap();
    jwk["kid"] = json!(kid);
    jwk
}

#[test]
fn verification_methods_resolve_through_the_key_sources() {
    let body = json!({ "credentialSubject": subject() });
    let o = opts();
    for alg in CURVES {
        let key = issuer(alg);
        // did:jwk: the verification method is `did#0`.
        let did = key.verifying_key().did_jwk();
        let named = Named { inner: &key, did: did.clone(), kid: format!("{did}#0") };
        let vc = issue_credential(&body, &named, ECDSA, Some(3600), NOW).unwrap();
        let r = verify(&text(&vc), &o);
        assert!(r.valid, "{alg} did:jwk: {:?}", r.errors);
        assert_eq!(r.issuer, Some(did.clone()));
        let other = resigned(&vc, &key, |p| drop(p.insert("verificationMethod".into(), json!(format!("{did}#1")))));
        assert_eq!(codes(&verify(&text(&other), &o)), ["INVALID_DID"]);
        // An https issuer and a did:web one whose key the caller gives in issuerKeys, by kid.
        for issuer_id in ["https://vc.example/issuers/5678", "did:web:issuer.example"] {
            let kid = format!("{issuer_id}#key-1");
            let named = Named { inner: &key, did: issuer_id.into(), kid: kid.clone() };
            let vc = issue_credential(&body, &named, ECDSA, Some(3600), NOW).unwrap();
            assert_eq!(codes(&verify(&text(&vc), &o)), ["KEY_UNAVAILABLE"], "{issuer_id} without issuerKeys");
            let keyed =
                VerifyOptions { issuer_keys: Some([(issuer_id.to_owned(), json!({ "keys": [jwk_of(&key, &kid)] }))].into()), ..opts() };
            let r = verify(&text(&vc), &keyed);
            assert!(r.valid, "{alg} {issuer_id}: {:?}", r.errors);
            // A key of the other curve under that kid.
            let other_alg = if alg == Algorithm::Es256 { Algorithm::Es384 } else { Algorithm::Es256 };
            let other_curve =
                VerifyOptions { issuer_keys: Some([(issuer_id.to_owned(), jwk_of(&issuer(other_alg), &kid))].into()), ..opts() };
            assert_eq!(codes(&verify(&text(&vc), &other_curve)), ["INVALID_SIGNATURE"], "{alg} {issuer_id}: the other curve's key");
            let wrong = resigned(&vc, &key, |p| drop(p.insert("verificationMethod".into(), json!(format!("{issuer_id}#key-2")))));
            assert!(!verify(&text(&wrong), &keyed).valid, "{issuer_id}: a kid the caller gave no key for");
        }
    }
}

#[test]
fn proof_sets_mix_cryptosuites_and_curves() {
    // One issuer (did:web) with an Ed25519, a P-256 and a P-384 key, each proof by one of them.
    let iss = "did:web:issuer.example";
    let (ed, p256, p384) = (KeyPair::from_seed(&[7; 32]), issuer(Algorithm::Es256), issuer(Algorithm::Es384));
    let signers: [(&dyn Signer, &str); 3] = [(&ed, "#ed"), (&p256, "#p256"), (&p384, "#p384")];
    let keys: Vec<Value> = signers.iter().map(|(k, f)| jwk_of(*k, &format!("{iss}{f}"))).collect();
    let o = VerifyOptions { issuer_keys: Some([(iss.to_owned(), json!({ "keys": keys }))].into()), ..opts() };
    let body = object(&json!({ "@context": [V2], "type": ["VerifiableCredential"], "issuer": iss, "credentialSubject": subject() }));
    let proofs: Vec<Value> = signers
        .iter()
        .map(|(k, f)| {
            let ecdsa = k.algorithm() != Algorithm::EdDsa;
            let options = object(&json!({
                "type": "DataIntegrityProof",
                "cryptosuite": if ecdsa { "ecdsa-jcs-2019" } else { "eddsa-jcs-2022" },
                "created": "2025-06-15T14:00:00Z",
                "verificationMethod": format!("{iss}{f}"),
                "proofPurpose": "assertionMethod",
            }));
            let p = if ecdsa {
                create_proof(&body, options, *k)
            } else {
                credcore::credential::data_integrity::eddsa_jcs_2022::create_proof(&body, options, *k)
            };
            Value::Object(p.unwrap())
        })
        .collect();
    let set = |proofs: Vec<Value>| {
        let mut b = body.clone();
        b.insert("proof".into(), Value::Array(proofs));
        Value::Object(b)
    };
    check(&set(proofs.clone()), &o, &[], "eddsa, P-256 and P-384 proofs");
    let mut bad = proofs.clone();
    bad[2]["proofValue"] = json!(encode_proof_value(&[1u8; 96]));
    let r = verify(&text(&set(bad)), &o);
    assert_eq!(codes(&r), ["INVALID_SIGNATURE"]);
    assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["proof[2].proofValue"]);
    // The P-256 proof's value moved into the P-384 proof: the curve no longer fits the key.
    let mut swapped = proofs.clone();
    swapped[2]["proofValue"] = proofs[1]["proofValue"].clone();
    let r = verify(&text(&set(swapped)), &o);
    assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["proof[2].proofValue"]);
    // Each proof checks against the document: one edit breaks all three.
    let mut edited = set(proofs);
    edited["credentialSubject"]["age"] = json!(37);
    let r = verify(&text(&edited), &o);
    assert_eq!(paths(&r, "INVALID_SIGNATURE"), ["proof[0].proofValue", "proof[1].proofValue", "proof[2].proofValue"]);
}

#[test]
fn proofs_are_es256_and_es384_jobs_of_the_batch() {
    for alg in CURVES {
        let key = issuer(alg);
        let vc = credential_by(&key);
        let options = opts();
        let mut keys = DidKeySource;
        let mut ctx = Ctx { options: &options, now: NOW, keys: &mut keys };
        let prepared = credcore::verifier::pipeline::prepare_item(&text(&vc), &mut ctx);
        assert!(prepared.result.errors.is_empty(), "{:?}", prepared.result.errors);
        assert_eq!(prepared.checks.len(), 1);
        let body = object(&vc);
        let want = verify_data(&mut DocumentHashes::new(&body), vc["proof"].as_object().unwrap(), alg).unwrap();
        let job = &prepared.checks[0];
        assert_eq!((job.alg, &job.message, job.path.as_str()), (alg, &want, "proof.proofValue"));
        assert_eq!(job.key, key.verifying_key());
        assert_eq!(job.message.len(), if alg == Algorithm::Es256 { 64 } else { 96 });
    }
}

#[test]
fn mixed_batches_agree_with_one_by_one() {
    let ed = KeyPair::from_seed(&[8; 32]);
    let mut inputs: Vec<String> = Vec::new();
    for i in 0..24 {
        let c = json!({ "credentialSubject": { "id": holder(Algorithm::Es256).did(), "n": i } });
        let item = match i % 4 {
            0 => text(&issue_credential(&c, &ed, EDDSA, Some(3600), NOW).unwrap()),
            1 => text(&issue_credential(&c, &issuer(Algorithm::Es256), ECDSA, Some(3600), NOW).unwrap()),
            2 => text(&issue_credential(&c, &issuer(Algorithm::Es384), ECDSA, Some(3600), NOW).unwrap()),
            _ => issue_credential(&c, &issuer(Algorithm::Es256), IssueFormat::VcJwt, Some(3600), NOW).unwrap().as_str().unwrap().to_owned(),
        };
        inputs.push(item);
    }
    // Forge one of each Data Integrity kind, and expire one ecdsa credential.
    let forged: Vec<usize> = vec![4, 9, 14];
    for &i in &forged {
        let mut v: Value = serde_json::from_str(&inputs[i]).unwrap();
        v["credentialSubject"]["n"] = json!(999);
        inputs[i] = text(&v);
    }
    inputs.push(text(
        &issue_credential(&json!({ "credentialSubject": subject() }), &issuer(Algorithm::Es384), ECDSA, Some(10), NOW - 3600).unwrap(),
    ));
    let vp =
        presentation_by(&holder(Algorithm::Es256), &[serde_json::from_str(&inputs[1]).unwrap(), serde_json::from_str(&inputs[0]).unwrap()]);
    inputs.push(text(&vp));
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let o = vp_opts();
    let batch = verify_batch(&refs, &o);
    for (i, (input, r)) in refs.iter().zip(&batch).enumerate() {
        assert_eq!(&verify(input, &o), r, "{i}");
        let expected: Vec<&str> = if forged.contains(&i) {
            vec!["INVALID_SIGNATURE"]
        } else if i == 24 {
            vec!["EXPIRED_CREDENTIAL"]
        } else {
            vec![]
        };
        assert_eq!(codes(r), expected, "{i}: {:?}", r.errors);
    }
    assert_eq!(batch[25].kind, Kind::Presentation);
}
