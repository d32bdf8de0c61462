#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap data they build themselves.
#![allow(clippy::unwrap_used)]
//! Data Integrity proofs over RDF: eddsa-rdfc-2022 and Ed25519Signature2020. The W3C
//! vc-di-eddsa vectors (ld/tests/vc-di-eddsa, see its README: the hash data of each signed
//! credential is the published one, and its published signature verifies over it), credentials
//! signed here with the vectors' key, every leaf tampered with, safe mode, swapped contexts,
//! poison graphs under the call's bounds, mixed batches, and the rule that nothing is
//! canonicalized for an item that already failed a cheap check.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::data_integrity::eddsa_jcs_2022::{decode_proof_value, encode_proof_value};
use credcore::credential::data_integrity::issue::Cryptosuite;
use credcore::credential::data_integrity::rdfc::{self, Canonicalizer};
use credcore::credential::issue::{issue_credential, IssueFormat};
use credcore::credential::{Format, VerifyOptions};
use credcore::encoding::{hex_decode, multibase_b58_decode};
use credcore::keys::{KeyPair, Signer};
use credcore::ErrorCode;
use serde_json::{json, Map, Value};
use std::cell::Cell;
use std::rc::Rc;

/// 2023-11-14T22:13:20Z: after the vectors' `created`.
const NOW_MS: f64 = 1_700_000_000_000.0;

fn data(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/ld/tests/vc-di-eddsa/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}
fn json_data(rel: &str) -> Value {
    serde_json::from_str(&data(rel)).unwrap()
}
fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}
fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW_MS), check_status: false, ..VerifyOptions::default() }
}

/// The key pair of the W3C vectors (a Multikey secret, multicodec 0x1300).
fn vector_key() -> KeyPair {
    let secret = multibase_b58_decode(json_data("keyPair.json")["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(&secret[..2], &[0x80, 0x26]);
    KeyPair::from_seed_slice(&secret[2..]).unwrap()
}

/// The signed vectors: (directory, suffix).
const VECTORS: &[(&str, &str)] = &[("eddsa-rdfc-2022", "DataInt"), ("Ed25519Signature2020", "EdSig")];

/// The hash data of `doc`'s proof, through the seam.
fn hash_data(doc: &Value) -> Result<[u8; 64], credcore::Error> {
    let body = object(doc);
    let (document, config) = rdfc::documents(&body, body["proof"].as_object().unwrap())?;
    rdfc::begin_call();
    rdfc::hash(&document, &config)
}

/// `unsigned` with a proof over `options` (proof members without `proofValue`) made by `key`.
fn sign(unsigned: &Value, options: Value, key: &KeyPair) -> Value {
    let mut doc = unsigned.clone();
    doc["proof"] = options;
    let data = hash_data(&doc).unwrap();
    doc["proof"]["proofValue"] = json!(encode_proof_value(&key.sign_message(&data).try_into().unwrap()));
    doc
}

/// The vector re-issued by the key's own DID (the published issuer is an https URL that does not
/// control the did:key verification method), signed with the vector's key and proof options.
fn reissued(dir: &str, suffix: &str) -> Value {
    let key = vector_key();
    let mut unsigned = json_data(&format!("{dir}/signed{suffix}.json"));
    let mut options = unsigned.as_object_mut().unwrap().remove("proof").unwrap();
    options.as_object_mut().unwrap().remove("proofValue");
    unsigned["issuer"] = json!(key.did());
    sign(&unsigned, options, &key)
}

#[test]
fn the_w3c_vectors_hash_as_published_and_their_signatures_verify() {
    let key = vector_key();
    assert_eq!(key.did(), format!("did:key:{}", json_data("keyPair.json")["publicKeyMultibase"].as_str().unwrap()));
    for (dir, suffix) in VECTORS {
        let signed = json_data(&format!("{dir}/signed{suffix}.json"));
        let data = hash_data(&signed).unwrap();
        assert_eq!(credcore::encoding::hex_encode(&data), data_trim(&format!("{dir}/combinedHash{suffix}.txt")), "{dir}");
        let published = decode_proof_value(signed["proof"]["proofValue"].as_str().unwrap()).unwrap();
        assert_eq!(published.to_vec(), hex_decode(&data_trim(&format!("{dir}/sigHex{suffix}.txt"))).unwrap(), "{dir}");
        assert!(credcore::keys::verify(&data, &published, key.public_key()), "{dir}: the published signature");
        // Through the pipeline: its issuer does not control the verification method, and that is
        // the only finding (nothing was canonicalized).
        let r = verify(&text(&signed), &opts());
        assert_eq!((r.format, codes(&r)), (Format::DataIntegrity, vec!["INVALID_DID"]), "{dir}: {:?}", r.errors);
        // Re-issued by the key's DID with the same key and options: valid, cached and uncached.
        let mine = reissued(dir, suffix);
        let r = verify_credential(&text(&mine), &opts());
        assert!(r.valid, "{dir}: {:?}", r.errors);
        assert_eq!(r.issuer.as_deref(), Some(key.did().as_str()));
        assert_eq!(r.claims.as_ref().unwrap()["alumniOf"], "The School of Examples");
    }
}

fn data_trim(rel: &str) -> String {
    data(rel).trim().to_owned()
}

#[test]
fn the_employment_vector_needs_a_context_that_is_not_bundled() {
    let signed = json_data("eddsa-rdfc-2022/employ/signedDataInt.json");
    let e = hash_data(&signed).unwrap_err();
    assert_eq!(e.code, ErrorCode::ContextUnavailable);
    assert!(e.message.contains("https://w3id.org/citizenship/v4rc1"), "{}", e.message);
    let mut mine = signed.clone();
    mine["issuer"] = json!(vector_key().did());
    let r = verify(&text(&mine), &opts());
    assert_eq!(codes(&r), ["JSONLD_CONTEXT_UNAVAILABLE"]);
    assert_eq!(paths(&r, "JSONLD_CONTEXT_UNAVAILABLE"), ["proof"]);
}

/// A changed leaf: strings get a character more, numbers one more, booleans flipped.
fn edit(v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with('z') => json!(format!("{s}1")),
        Value::String(s) => json!(format!("{s}x")),
        Value::Number(n) => json!(n.as_f64().unwrap() + 1.0),
        Value::Bool(b) => json!(!b),
        other => other.clone(),
    }
}

#[test]
fn every_leaf_of_document_and_proof_is_covered() {
    for (dir, suffix) in VECTORS {
        let vc = reissued(dir, suffix);
        assert!(verify(&text(&vc), &opts()).valid);
        let mut all = Vec::new();
        leaves(&vc, String::new(), &mut all);
        assert!(all.len() >= 14, "{all:?}");
        for path in &all {
            let mut t = vc.clone();
            let leaf = leaf_mut(&mut t, path);
            *leaf = edit(leaf);
            let r = verify(&text(&t), &opts());
            assert!(!r.valid, "{dir}: {path} edited still verifies");
            assert!(!r.errors.is_empty());
        }
    }
}

#[test]
fn a_signature_over_a_timestamp_with_fractions_is_not_one_without() {
    // The proof's `created` in another lexical form of the same instant is another literal.
    let vc = reissued("eddsa-rdfc-2022", "DataInt");
    let mut t = vc.clone();
    t["proof"]["created"] = json!("2023-02-24T23:36:38.000Z");
    assert_eq!(codes(&verify(&text(&t), &opts())), ["INVALID_SIGNATURE"]);
}

#[test]
fn safe_mode_refuses_undefined_terms_and_swapped_contexts() {
    let key = vector_key();
    for (dir, suffix) in VECTORS {
        let vc = reissued(dir, suffix);
        // An undefined term (no @vocab in VC 2.0's context... the examples context has one, so
        // drop that context and re-sign: the document's own terms are then undefined).
        let mut undefined = vc.clone();
        undefined["credentialSubject"]["favouriteColour"] = json!("green");
        let r = verify(&text(&undefined), &opts());
        assert!(!r.valid, "{dir}");
        // Re-signed with the undefined term: safe mode refuses what the signature would not cover.
        let mut unsigned = vc.clone();
        let mut options = unsigned.as_object_mut().unwrap().remove("proof").unwrap();
        options.as_object_mut().unwrap().remove("proofValue");
        unsigned["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
        if *dir == "Ed25519Signature2020" {
            unsigned["@context"] = json!(["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/suites/ed25519-2020/v1"]);
        }
        let mut doc = unsigned.clone();
        doc["proof"] = options.clone();
        assert_eq!(hash_data(&doc).unwrap_err().code, ErrorCode::JsonLdInvalid, "{dir}: alumniOf is undefined");
        let mut signed = unsigned.clone();
        signed["proof"] = options.clone();
        signed["proof"]["proofValue"] = vc["proof"]["proofValue"].clone();
        assert_eq!(codes(&verify(&text(&signed), &opts())), ["JSONLD_INVALID"], "{dir}");
        // A context swapped for another bundled one (VC 1.1's examples): refused.
        let mut swapped = vc.clone();
        swapped["@context"][1] = json!("https://www.w3.org/2018/credentials/examples/v1");
        assert!(!verify(&text(&swapped), &opts()).valid, "{dir}: swapped context");
        let _ = &key;
    }
    // Ed25519Signature2020 without its context: the examples context's @vocab gives the proof's
    // terms other IRIs, so the proof configuration is another dataset.
    let vc = reissued("Ed25519Signature2020", "EdSig");
    let mut t = vc.clone();
    t["@context"] = json!(["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]);
    assert_eq!(codes(&verify(&text(&t), &opts())), ["INVALID_SIGNATURE"]);
    // A cryptosuite in an Ed25519Signature2020 proof.
    let mut t = vc.clone();
    t["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    assert_eq!(codes(&verify(&text(&t), &opts())), ["MALFORMED_INPUT"]);
}

/// A credential whose subject is a clique of blank nodes: RDFC-1.0's worst case.
fn poison(n: usize) -> Value {
    let nodes: Vec<Value> = (0..n)
        .map(|i| json!({ "@id": format!("_:n{i}"), "https://example.org/knows": (0..n).filter(|j| *j != i).map(|j| json!({"@id": format!("_:n{j}")})).collect::<Vec<_>>() }))
        .collect();
    let key = vector_key();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.did(),
        "credentialSubject": { "id": "did:example:1", "https://example.org/graph": { "@graph": nodes } },
    });
    let mut doc = unsigned.clone();
    doc["proof"] = json!({ "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "verificationMethod": key.kid(), "proofPurpose": "assertionMethod", "proofValue": encode_proof_value(&[1; 64]) });
    doc
}

#[test]
fn poison_graphs_hit_the_limit_with_a_code_and_the_next_call_works() {
    let bad = poison(12);
    let t = std::time::Instant::now();
    let r = verify(&text(&bad), &opts());
    assert_eq!(codes(&r), ["INPUT_TOO_LARGE"], "{:?}", r.errors);
    assert!(t.elapsed().as_secs() < 10);
    let good = reissued("eddsa-rdfc-2022", "DataInt");
    assert!(verify(&text(&good), &opts()).valid);
    // A batch of poison graphs: after the call's limit hits the rest is refused without work,
    // and the good items of another call verify.
    let inputs: Vec<String> = (0..20)
        .map(|i| {
            let mut p = poison(12);
            p["credentialSubject"]["id"] = json!(format!("did:example:{i}"));
            text(&p)
        })
        .collect();
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let t = std::time::Instant::now();
    for r in verify_batch(&refs, &opts()) {
        assert_eq!(codes(&r), ["INPUT_TOO_LARGE"]);
    }
    assert!(t.elapsed().as_secs() < 20);
    assert!(verify(&text(&good), &opts()).valid);
}

#[test]
fn mixed_batches_agree_with_one_by_one() {
    let key = vector_key();
    let jcs = issue_credential(
        &json!({ "credentialSubject": { "id": "did:example:1" } }),
        &key,
        IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022),
        Some(3600),
        1_700_000_000 - 10,
    )
    .unwrap();
    let jwt = issue_credential(
        &json!({ "credentialSubject": { "id": "did:example:1" } }),
        &key,
        IssueFormat::VcJwt,
        Some(3600),
        1_700_000_000 - 10,
    )
    .unwrap();
    let rdfc = reissued("eddsa-rdfc-2022", "DataInt");
    let ed2020 = reissued("Ed25519Signature2020", "EdSig");
    let mut forged = rdfc.clone();
    forged["credentialSubject"]["alumniOf"] = json!("Another School");
    let inputs = [
        text(&jcs),
        jwt.as_str().unwrap().to_owned(),
        text(&rdfc),
        text(&ed2020),
        text(&forged),
        text(&poison(12)),
        text(&json_data("eddsa-rdfc-2022/signedDataInt.json")),
    ];
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let batch = verify_batch(&refs, &opts());
    let valid: Vec<bool> = batch.iter().map(|r| r.valid).collect();
    assert_eq!(valid, [true, true, true, true, false, false, false]);
    for (input, r) in refs.iter().zip(&batch) {
        assert_eq!(&verify(input, &opts()), r);
    }
    assert_eq!(codes(&batch[4]), ["INVALID_SIGNATURE"]);
}

/// Counts the canonicalizations it is asked for.
struct Counting(Rc<Cell<usize>>);
impl Canonicalizer for Counting {
    fn hash_data(&self, _: &str, _: &str) -> credcore::error::Result<[u8; 64]> {
        self.0.set(self.0.get() + 1);
        Ok([0; 64])
    }
}

#[test]
fn nothing_is_canonicalized_for_an_item_that_failed_a_cheap_check() {
    let vc = reissued("eddsa-rdfc-2022", "DataInt");
    let count = Rc::new(Cell::new(0));
    rdfc::install(Some(Rc::new(Counting(Rc::clone(&count)))));
    let untrusted = VerifyOptions { trusted_issuers: Some(vec!["did:example:other".into()]), ..opts() };
    let mut expired = vc.clone();
    expired["validUntil"] = json!("2023-06-01T00:00:00Z");
    let mut wrong_purpose = vc.clone();
    wrong_purpose["proof"]["proofPurpose"] = json!("authentication");
    let cases = [
        (text(&vc), untrusted),
        (text(&expired), opts()),
        (text(&wrong_purpose), opts()),
        (text(&json_data("eddsa-rdfc-2022/signedDataInt.json")), opts()),
    ];
    for (i, (input, o)) in cases.iter().enumerate() {
        assert!(!verify(input, o).valid);
        assert_eq!(count.get(), 0, "case {i}: canonicalized an item that had already failed");
    }
    assert_eq!(count.get(), 0, "canonicalized an item that had already failed");
    // The counting canonicalizer answers zeros: the signature is then invalid.
    assert_eq!(codes(&verify(&text(&vc), &opts())), ["INVALID_SIGNATURE"]);
    assert!(count.get() > 0);
    rdfc::install(None);
    assert!(verify(&text(&vc), &opts()).valid);
}
