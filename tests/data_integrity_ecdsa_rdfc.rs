#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Data Integrity ecdsa-rdfc-2019 with P-256: the W3C vc-di-ecdsa vector (tests/vectors/vc-di-ecdsa,
//! see its README) hashes as published through the RDF seam and its published signature verifies
//! over it with the published key; re-issued by the key's DID it verifies through the pipeline, as
//! an ES256 job of the batch; every leaf edited, the curve or the suite swapped, never valid;
//! P-384 (SHA-384 hash data) is refused with a code, not verified on the wrong hash.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::data_integrity::ecdsa_jcs_2019::{decode_proof_value, encode_proof_value, serialize_proof};
use credcore::credential::data_integrity::rdfc;
use credcore::credential::{Format, VerifyOptions};
use credcore::encoding::{hex_decode, hex_encode, multibase_b58_decode};
use credcore::keys::{Algorithm, SigningKey, VerifyingKey};
use serde_json::{json, Map, Value};

/// 2023-11-14T22:13:20Z: after the vectors' `created`.
const NOW_MS: f64 = 1_700_000_000_000.0;
const DIR: &str = "ecdsa-rdfc-2019-p256";

fn data(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/vectors/vc-di-ecdsa/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}
fn json_data(rel: &str) -> Value {
    serde_json::from_str(&data(rel)).unwrap()
}
fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW_MS), check_status: false, ..VerifyOptions::default() }
}

/// The published P-256 key pair: public Multikey, secret scalar (multicodec `p256-priv`).
fn vector_key() -> (VerifyingKey, SigningKey) {
    let pair = json_data("p256KeyPair.json");
    let public = VerifyingKey::from_did(&format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap())).unwrap();
    let secret = multibase_b58_decode(pair["secretKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(secret[..2], [0x86, 0x26]);
    (public, SigningKey::from_secret(Algorithm::Es256, &secret[2..]).unwrap())
}

/// The hash data of `doc`'s proof, through the seam (credcore-ld, natively).
fn hash_data(doc: &Value) -> Result<[u8; 64], credcore::Error> {
    let body: Map<String, Value> = doc.as_object().cloned().unwrap();
    let (document, config) = rdfc::documents(&body, body["proof"].as_object().unwrap())?;
    rdfc::begin_call();
    rdfc::hash(&document, &config)
}

/// The vector re-issued by the key's own DID (the published issuer, an https URL, does not
/// control the did:key verification method), with the vector's key and proof options.
fn reissued() -> Value {
    let (public, secret) = vector_key();
    let mut doc = json_data(&format!("{DIR}/signedECDSAP256.json"));
    doc["issuer"] = json!(public.did());
    doc["proof"].as_object_mut().unwrap().remove("proofValue");
    let data = hash_data(&doc).unwrap();
    doc["proof"]["proofValue"] = json!(encode_proof_value(&serialize_proof(&data, &secret).unwrap()));
    doc
}

#[test]
fn the_w3c_vector_hashes_as_published_and_its_signature_verifies() {
    let signed = json_data(&format!("{DIR}/signedECDSAP256.json"));
    let combined = hash_data(&signed).unwrap();
    assert_eq!(hex_encode(&combined), data(&format!("{DIR}/combinedHashECDSAP256.txt")).trim());
    assert_eq!(hex_encode(&combined[..32]), data(&format!("{DIR}/proofHashECDSAP256.txt")).trim(), "the proof configuration's hash first");
    assert_eq!(hex_encode(&combined[32..]), data(&format!("{DIR}/docHashECDSAP256.txt")).trim());
    let (alg, signature) = decode_proof_value(signed["proof"]["proofValue"].as_str().unwrap()).unwrap();
    assert_eq!((alg, &signature), (Algorithm::Es256, &hex_decode(data(&format!("{DIR}/sigHexECDSAP256.txt")).trim()).unwrap()));
    let (public, _) = vector_key();
    assert!(public.verify(Algorithm::Es256, &combined, &signature), "the published signature");
    // Through the pipeline: its issuer does not control the verification method, the only finding.
    let r = verify(&text(&signed), &opts());
    assert_eq!((r.format, codes(&r)), (Format::DataIntegrity, vec!["INVALID_DID"]), "{:?}", r.errors);
}

#[test]
fn reissued_by_its_key_it_verifies_and_every_edit_fails() {
    let (public, _) = vector_key();
    let mine = reissued();
    let r = verify_credential(&text(&mine), &opts());
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.issuer.as_deref(), Some(public.did().as_str()));
    assert_eq!(r.claims.as_ref().unwrap()["alumniOf"], "The School of Examples");
    assert_eq!(verify_batch(&[&text(&mine), &text(&mine)], &opts()).iter().filter(|r| r.valid).count(), 2);
    // The algorithms option: ES256 is what it signs with.
    let only_eddsa = VerifyOptions { algorithms: Some(vec![Algorithm::EdDsa]), ..opts() };
    check(&mine, &only_eddsa, &["UNSUPPORTED_ALGORITHM"], "algorithms without ES256");
    // Every leaf of document and proof edited: never valid.
    let mut paths = Vec::new();
    leaves(&mine, String::new(), &mut paths);
    assert!(paths.len() >= 12, "{paths:?}");
    for path in &paths {
        let mut t = mine.clone();
        let leaf = leaf_mut(&mut t, path);
        let edited = match &*leaf {
            // The last character of the signature changed: still base58btc, another signature.
            Value::String(s) if path == "proof.proofValue" => {
                json!(format!("{}{}", &s[..s.len() - 1], if s.ends_with('A') { 'B' } else { 'A' }))
            }
            Value::String(s) => json!(format!("{s}x")),
            other => json!([other.clone()]),
        };
        *leaf = edited;
        let r = verify(&text(&t), &opts());
        assert!(!r.valid, "{path}");
    }
}

#[test]
fn suite_and_curve_swaps_are_refused_with_codes() {
    let mine = reissued();
    // Read as ecdsa-jcs-2019 (the same key and signature over another hash): invalid.
    let mut t = mine.clone();
    t["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019");
    check(&t, &opts(), &["INVALID_SIGNATURE"], "as ecdsa-jcs-2019");
    // Read as eddsa-rdfc-2022: the P-256 key cannot make an Ed25519 signature.
    let mut t = mine.clone();
    t["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    check(&t, &opts(), &["INVALID_SIGNATURE"], "as eddsa-rdfc-2022");
    // A 96-byte (P-384) signature: SHA-384 hash data is not computed yet, so it is refused, never
    // checked over the SHA-256 hash data.
    let mut t = mine.clone();
    t["proof"]["proofValue"] = json!(encode_proof_value(&[7u8; 96]));
    check(&t, &opts(), &["UNSUPPORTED_CRYPTOSUITE"], "P-384");
}
