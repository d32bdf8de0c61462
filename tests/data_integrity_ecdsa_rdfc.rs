#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Data Integrity ecdsa-rdfc-2019 with P-256 and P-384: the W3C vc-di-ecdsa vectors
//! (tests/vectors/vc-di-ecdsa, see its README) hash as published through the RDF seam (SHA-256
//! hash data for P-256, SHA-384 for P-384) and their published signatures verify over them with
//! the published keys; re-issued by the key's DID they verify through the pipeline, as ES256 or
//! ES384 jobs of the batch; every leaf edited, the curve or the suite swapped, never valid.
//! (ld/tests/vc_di_ecdsa.rs checks the canonical N-Quads of the same vectors.)

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

/// One curve's vectors: directory, file suffix, algorithm, key pair file, secret key multicodec.
struct Curve {
    dir: &'static str,
    suffix: &'static str,
    alg: Algorithm,
    pair: &'static str,
    secret_codec: [u8; 2],
}

const P256: Curve =
    Curve { dir: "ecdsa-rdfc-2019-p256", suffix: "ECDSAP256", alg: Algorithm::Es256, pair: "p256KeyPair.json", secret_codec: [0x86, 0x26] };
const P384: Curve =
    Curve { dir: "ecdsa-rdfc-2019-p384", suffix: "ECDSAP384", alg: Algorithm::Es384, pair: "p384KeyPair.json", secret_codec: [0x87, 0x26] };

fn data(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/vectors/vc-di-ecdsa/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}
fn json_data(rel: &str) -> Value {
    serde_json::from_str(&data(rel)).unwrap()
}
fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW_MS), check_status: false, ..VerifyOptions::default() }
}

impl Curve {
    /// A file of this curve's vector.
    fn file(&self, name: &str) -> String {
        data(&format!("{}/{name}{}.txt", self.dir, self.suffix)).trim().to_owned()
    }
    fn signed(&self) -> Value {
        json_data(&format!("{}/signed{}.json", self.dir, self.suffix))
    }
    /// The published key pair: public Multikey, secret scalar (multicodec `p256-priv` / `p384-priv`).
    fn key(&self) -> (VerifyingKey, SigningKey) {
        let pair = json_data(self.pair);
        let public = VerifyingKey::from_did(&format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap())).unwrap();
        let secret = multibase_b58_decode(pair["secretKeyMultibase"].as_str().unwrap()).unwrap();
        assert_eq!(secret[..2], self.secret_codec);
        (public, SigningKey::from_secret(self.alg, &secret[2..]).unwrap())
    }
    /// The vector re-issued by the key's own DID (the published issuer, an https URL, does not
    /// control the did:key verification method), with the vector's key and proof options.
    fn reissued(&self) -> Value {
        let (public, secret) = self.key();
        let mut doc = self.signed();
        doc["issuer"] = json!(public.did());
        doc["proof"].as_object_mut().unwrap().remove("proofValue");
        let data = hash_data(&doc, self.alg).unwrap();
        doc["proof"]["proofValue"] = json!(encode_proof_value(&serialize_proof(&data, &secret).unwrap()));
        doc
    }
}

/// The hash data of `doc`'s proof for an `alg` key, through the seam (credcore-ld, natively).
fn hash_data(doc: &Value, alg: Algorithm) -> Result<Vec<u8>, credcore::Error> {
    let body: Map<String, Value> = doc.as_object().cloned().unwrap();
    let (document, config) = rdfc::documents(&body, body["proof"].as_object().unwrap())?;
    rdfc::begin_call();
    if alg == Algorithm::Es384 {
        rdfc::hash_sha384(&document, &config).map(|h| h.to_vec())
    } else {
        rdfc::hash(&document, &config).map(|h| h.to_vec())
    }
}

#[test]
fn the_w3c_vectors_hash_as_published_and_their_signatures_verify() {
    for curve in [P256, P384] {
        let signed = curve.signed();
        let combined = hash_data(&signed, curve.alg).unwrap();
        let half = combined.len() / 2;
        assert_eq!(hex_encode(&combined), curve.file("combinedHash"), "{}", curve.dir);
        assert_eq!(hex_encode(&combined[..half]), curve.file("proofHash"), "the proof configuration's hash first");
        assert_eq!(hex_encode(&combined[half..]), curve.file("docHash"));
        let proof_value = signed["proof"]["proofValue"].as_str().unwrap();
        assert_eq!(proof_value, curve.file("sigBTC58"));
        let (alg, signature) = decode_proof_value(proof_value).unwrap();
        assert_eq!((alg, &signature), (curve.alg, &hex_decode(&curve.file("sigHex")).unwrap()));
        let (public, _) = curve.key();
        assert!(public.verify(curve.alg, &combined, &signature), "the published signature");
        // Through the pipeline: its issuer does not control the verification method, the only finding.
        let r = verify(&text(&signed), &opts());
        assert_eq!((r.format, codes(&r)), (Format::DataIntegrity, vec!["INVALID_DID"]), "{:?}", r.errors);
    }
}

#[test]
fn reissued_by_their_keys_they_verify_and_every_edit_fails() {
    for curve in [P256, P384] {
        let (public, _) = curve.key();
        let mine = curve.reissued();
        let r = verify_credential(&text(&mine), &opts());
        assert!(r.valid, "{}: {:?}", curve.dir, r.errors);
        assert_eq!(r.issuer.as_deref(), Some(public.did().as_str()));
        assert_eq!(r.claims.as_ref().unwrap()["alumniOf"], "The School of Examples");
        assert_eq!(verify_batch(&[&text(&mine), &text(&mine)], &opts()).iter().filter(|r| r.valid).count(), 2);
        // The algorithms option: the curve's algorithm is what it signs with.
        let others: Vec<Algorithm> =
            [Algorithm::EdDsa, Algorithm::Es256, Algorithm::Es384].into_iter().filter(|a| *a != curve.alg).collect();
        check(&mine, &VerifyOptions { algorithms: Some(others), ..opts() }, &["UNSUPPORTED_ALGORITHM"], "algorithms without the curve's");
        check(&mine, &VerifyOptions { algorithms: Some(vec![curve.alg]), ..opts() }, &[], "algorithms with the curve's");
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
            assert!(!r.valid, "{}: {path}", curve.dir);
        }
    }
}

#[test]
fn suite_and_curve_swaps_are_refused_with_codes() {
    for curve in [P256, P384] {
        let mine = curve.reissued();
        // Read as ecdsa-jcs-2019 (the same key and signature over another hash): invalid.
        let mut t = mine.clone();
        t["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019");
        check(&t, &opts(), &["INVALID_SIGNATURE"], "as ecdsa-jcs-2019");
        // Read as eddsa-rdfc-2022: the ECDSA key cannot make an Ed25519 signature (and a
        // 96-byte signature is no Ed25519 signature at all).
        let mut t = mine.clone();
        t["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
        let as_eddsa: &[&str] =
            if curve.alg == Algorithm::Es384 { &["INVALID_SIGNATURE", "MALFORMED_INPUT"] } else { &["INVALID_SIGNATURE"] };
        check(&t, &opts(), as_eddsa, "as eddsa-rdfc-2022");
        // A signature of the other curve's length: the key does not fit it, invalid without
        // any arithmetic (and never checked over the other hash).
        let other_len = if curve.alg == Algorithm::Es256 { 96 } else { 64 };
        let mut t = mine.clone();
        t["proof"]["proofValue"] = json!(encode_proof_value(&vec![7u8; other_len]));
        check(&t, &opts(), &["INVALID_SIGNATURE"], "the other curve's signature length");
    }
    // The P-384 vector's signature under a P-256 key's verification method, and the reverse.
    let (p256, _) = P256.key();
    let (p384, _) = P384.key();
    for (curve, other) in [(P384, &p256), (P256, &p384)] {
        let mut t = curve.reissued();
        t["issuer"] = json!(other.did());
        t["proof"]["verificationMethod"] = json!(format!("{}#{}", other.did(), other.did().trim_start_matches("did:key:")));
        check(&t, &opts(), &["INVALID_SIGNATURE"], "a signature of the other curve's key");
    }
    // A P-384 signature checked over SHA-256 hash data, or a P-256 one over SHA-384: invalid.
    for (curve, wrong) in [(P384, Algorithm::Es256), (P256, Algorithm::Es384)] {
        let signed = curve.signed();
        let (public, _) = curve.key();
        let (_, signature) = decode_proof_value(signed["proof"]["proofValue"].as_str().unwrap()).unwrap();
        let other_hash = hash_data(&signed, wrong).unwrap();
        assert!(!public.verify(curve.alg, &other_hash, &signature), "{}", curve.dir);
    }
}
