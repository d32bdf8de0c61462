#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside #[test] functions unwrap fixture data they build themselves.
// Over 500 lines on purpose: one matrix (algorithm x key source x format) and its tamper cases
// share the issuers, keys and crafting helpers of this file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Algorithms and key sources through the whole pipeline: every algorithm (EdDSA, ES256, ES384,
//! ES256K, RS256, PS*) with every offline key source (did:key, did:jwk, issuerKeys), in every
//! format that carries JWS signatures (VC-JWT, VC-JOSE, VP-JWT, SD-JWT VC with key binding,
//! status lists); tampering per algorithm and key source; the `algorithms` and `issuerKeys`
//! options and the result cache; KEY_UNAVAILABLE; and published examples with their keys.
//! Every verdict goes through `Verifier`, uncached and cached, which must agree.

#[path = "support/credentials.rs"]
mod common;

use common::*;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
use credcore::credential::VerifyOptions;
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::hash::HashAlg;
use credcore::jws::{self, Jws};
use credcore::keys::{Algorithm, EcKey, HostJob, HostVerifier, KeyPair, KeyType, RustVerifier, Signer, SigningKey, VerifyingKey};
use credcore::sdjwt::{self, IssueOptions, KeyBindingParams, Selection};
use credcore::status::issuer::{ListConfig, StatusListIssuer};
use credcore::status::ListFormat;
use credcore::verifier::{CacheConfig, Verifier};
use credcore::ErrorCode;
use rsa::signature::{SignatureEncoding, Signer as _};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const NOW: i64 = 1_750_000_000;

fn opts() -> VerifyOptions {
    VerifyOptions { now: Some(NOW as f64 * 1000.0), ..VerifyOptions::default() }
}

fn with_keys(keys: Value) -> VerifyOptions {
    let map: BTreeMap<String, Value> = serde_json::from_value(keys).unwrap();
    VerifyOptions { issuer_keys: Some(map), ..opts() }
}

// ---- signers this crate does not issue with (ES256K, RS256), for tests ------------------------

#[derive(Debug)]
struct K256(k256::ecdsa::SigningKey);

impl Signer for K256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Es256k
    }
    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        let sig: k256::ecdsa::Signature = k256::ecdsa::signature::Signer::sign(&self.0, message);
        sig.to_bytes().to_vec()
    }
    fn verifying_key(&self) -> VerifyingKey {
        EcKey::from_sec1(credcore::keys::KeyType::Secp256k1, self.0.verifying_key().to_sec1_point(false).as_bytes()).unwrap().into()
    }
}

fn k256(seed: u8) -> K256 {
    K256(k256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
}

/// RS256 with the RFC 7515 appendix A.2 key (RSASSA-PKCS1-v1_5 is deterministic).
#[derive(Debug)]
struct Rs256 {
    key: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    public: VerifyingKey,
}

impl Signer for Rs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Rs256
    }
    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message).to_vec()
    }
    fn verifying_key(&self) -> VerifyingKey {
        self.public.clone()
    }
}

fn published() -> Value {
    let path = format!("{}/tests/data/jose/published-keys.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn public_jwk(jwk: &Value) -> Value {
    let mut j = jwk.clone();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        j.as_object_mut().unwrap().remove(private);
    }
    j
}

fn rs256() -> Rs256 {
    let jwk = &published()["A.2"]["jwk"];
    let big = |name: &str| rsa::BoxedUint::from_be_slice_vartime(&b64url_decode(jwk[name].as_str().unwrap()).unwrap());
    let private = rsa::PrivateKey::from_components(big("n"), big("e"), big("d"), vec![big("p"), big("q")]).unwrap();
    Rs256 { key: rsa::pkcs1v15::SigningKey::new(private), public: VerifyingKey::from_jwk(&public_jwk(jwk)).unwrap() }
}

fn as_did_jwk(s: &dyn Signer) -> Named<'_> {
    let did = s.verifying_key().did_jwk();
    Named { inner: s, kid: format!("{did}#0"), did }
}

fn as_https(s: &dyn Signer) -> Named<'_> {
    Named { inner: s, did: format!("https://issuer.example/{}", s.algorithm()), kid: "key-1".into() }
}

/// The `issuerKeys` entry of an https signer: its JWK Set with one key, `kid` `key-1`.
fn keys_of(named: &[&Named<'_>]) -> Value {
    let mut m = Map::new();
    for n in named {
        let mut jwk = n.verifying_key().to_jwk();
        jwk.insert("kid".into(), json!(n.kid));
        m.insert(n.did.clone(), json!({ "keys": [jwk] }));
    }
    Value::Object(m)
}

/// One signer of every algorithm credcore verifies with offline test keys.
struct Signers {
    ed: KeyPair,
    p256: SigningKey,
    p384: SigningKey,
    k256: K256,
    rsa: Rs256,
}

fn signers() -> Signers {
    Signers {
        ed: KeyPair::from_seed(&[1; 32]),
        p256: SigningKey::from_secret(Algorithm::Es256, &[2; 32]).unwrap(),
        p384: SigningKey::from_secret(Algorithm::Es384, &[3; 48]).unwrap(),
        k256: k256(4),
        rsa: rs256(),
    }
}

impl Signers {
    fn all(&self) -> [&dyn Signer; 5] {
        [&self.ed, &self.p256, &self.p384, &self.k256, &self.rsa]
    }
}

fn vc_jwt(issuer: &dyn Signer, n: u32) -> String {
    let body = json!({ "id": format!("urn:uuid:{n}"), "credentialSubject": { "id": "did:example:subject", "n": n } });
    issue_credential(&body, issuer, IssueFormat::VcJwt, Some(3600), NOW).unwrap().as_str().unwrap().to_owned()
}

/// A VC 2.0 credential secured as VC-JOSE (`typ` `vc+jwt`, the payload is the credential).
fn vc_jose(issuer: &dyn Signer) -> String {
    let payload = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": { "id": "did:example:subject", "degree": "BSc" },
    });
    let mut header = Map::new();
    header.insert("typ".into(), json!("vc+jwt"));
    header.insert("kid".into(), json!(issuer.kid()));
    jws::sign(&header, &serde_json::to_vec(&payload).unwrap(), issuer)
}

/// Every (name, token) of every algorithm and offline key source, and the options that hold the
/// issuerKeys they need.
fn corpus(s: &Signers) -> (Vec<(String, String)>, VerifyOptions) {
    let mut items = Vec::new();
    let https: Vec<Named<'_>> = s.all().into_iter().map(as_https).collect();
    for (i, signer) in s.all().into_iter().enumerate() {
        let alg = signer.algorithm();
        if signer.verifying_key().key_type() != KeyType::Rsa {
            items.push((format!("{alg} did:key vc-jwt"), vc_jwt(signer, 1)));
            items.push((format!("{alg} did:key vc-jose"), vc_jose(signer)));
        }
        let jwk = as_did_jwk(signer);
        items.push((format!("{alg} did:jwk vc-jwt"), vc_jwt(&jwk, 2)));
        items.push((format!("{alg} did:jwk vc-jose"), vc_jose(&jwk)));
        items.push((format!("{alg} issuerKeys vc-jwt"), vc_jwt(&https[i], 3)));
        items.push((format!("{alg} issuerKeys vc-jose"), vc_jose(&https[i])));
    }
    let options = with_keys(keys_of(&https.iter().collect::<Vec<_>>()));
    (items, options)
}

#[test]
fn every_algorithm_verifies_from_every_offline_key_source() {
    let s = signers();
    let (items, options) = corpus(&s);
    assert_eq!(items.len(), 4 * 6 + 4);
    // One at a time.
    for (name, token) in &items {
        let r = verify(token, &options);
        assert!(r.valid, "{name}: {:?}", r.errors);
    }
    // All in one batch: Ed25519 jobs in the batch equation, the others settled one by one, each
    // outcome back on its own item.
    let texts: Vec<&str> = items.iter().map(|(_, t)| t.as_str()).collect();
    let results = verify_batch(&texts, &options);
    for ((name, _), r) in items.iter().zip(&results) {
        assert!(r.valid, "{name} in a batch: {:?}", r.errors);
    }
    // The issuer reported is the one the signature was checked for.
    assert_eq!(results[0].issuer.as_deref(), Some(s.ed.did().as_str()));
}

fn flip_signature(token: &str, byte: usize) -> String {
    let (head, sig) = token.rsplit_once('.').unwrap();
    let mut bytes = b64url_decode(sig).unwrap();
    let at = byte.min(bytes.len() - 1);
    bytes[at] ^= 1;
    format!("{head}.{}", b64url_encode(&bytes))
}

fn edit_json(part: &str, f: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut m: Map<String, Value> = serde_json::from_slice(&b64url_decode(part).unwrap()).unwrap();
    f(&mut m);
    b64url_encode(&serde_json::to_vec(&m).unwrap())
}

fn with_header(token: &str, f: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[0] = edit_json(&parts[0], f);
    parts.join(".")
}

fn with_payload(token: &str, f: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = edit_json(&parts[1], f);
    parts.join(".")
}

#[test]
fn tampering_fails_for_every_algorithm_and_key_source() {
    let s = signers();
    let (items, options) = corpus(&s);
    let mut cases: Vec<(String, String, Vec<&str>)> = Vec::new();
    for (name, token) in &items {
        for byte in [0, 31, 63, 95, 255] {
            cases.push((format!("{name}: signature byte {byte}"), flip_signature(token, byte), vec!["INVALID_SIGNATURE"]));
        }
        let payload = with_payload(token, |p| {
            p.insert("extra".into(), json!("added after signing"));
        });
        cases.push((format!("{name}: payload"), payload, vec!["INVALID_SIGNATURE"]));
        let header = with_header(token, |h| {
            h.insert("cty".into(), json!("added"));
        });
        cases.push((format!("{name}: header"), header, vec!["INVALID_SIGNATURE"]));
    }
    let inputs: Vec<&str> = cases.iter().map(|(_, t, _)| t.as_str()).collect();
    let results = verify_batch(&inputs, &options);
    for ((what, _, want), r) in cases.iter().zip(&results) {
        assert_eq!(codes(r), *want, "{what}: {:?}", r.errors);
    }
}

#[test]
fn an_algorithm_swapped_in_the_header_never_verifies() {
    let s = signers();
    let p256 = vc_jwt(&s.p256, 1);
    let k = vc_jwt(&s.k256, 1);
    let https = as_https(&s.rsa);
    let rsa = vc_jwt(&https, 1);
    let options = with_keys(keys_of(&[&https]));
    let swap = |t: &str, alg: &str| with_header(t, |h| h["alg"] = json!(alg));
    let cases = [
        // Same signature length, another curve: the issuer's key refuses the algorithm.
        ("ES256 as ES256K", swap(&p256, "ES256K"), vec!["INVALID_SIGNATURE"]),
        ("ES256K as ES256", swap(&k, "ES256"), vec!["INVALID_SIGNATURE"]),
        ("ES256 as EdDSA", swap(&p256, "EdDSA"), vec!["INVALID_SIGNATURE"]),
        // Another length: not a signature of that algorithm.
        ("ES256 as ES384", swap(&p256, "ES384"), vec!["MALFORMED_INPUT"]),
        ("ES256 as RS256", swap(&p256, "RS256"), vec!["MALFORMED_INPUT"]),
        // The same RSA key, the other padding, and an RSA key for an ECDSA name.
        ("RS256 as PS256", swap(&rsa, "PS256"), vec!["INVALID_SIGNATURE"]),
        ("RS256 as RS512", swap(&rsa, "RS512"), vec!["INVALID_SIGNATURE"]),
        ("RS256 as HS256", swap(&rsa, "HS256"), vec!["UNSUPPORTED_ALGORITHM"]),
        ("RS256 as none", swap(&rsa, "none"), vec!["UNSUPPORTED_ALGORITHM"]),
    ];
    for (what, token, want) in cases {
        let r = verify(&token, &options);
        assert_eq!(codes(&r), want, "{what}: {:?}", r.errors);
    }
}

#[test]
fn a_key_of_another_type_or_size_is_refused() {
    let s = signers();
    let https = as_https(&s.p256);
    let token = vc_jwt(&https, 1);
    // The issuer's key given as a P-384 key: an ES256 JWS cannot be by it.
    let mut p384 = s.p384.verifying_key().to_jwk();
    p384.insert("kid".into(), json!("key-1"));
    let r = verify(&token, &with_keys(json!({ https.did.clone(): p384 })));
    assert_eq!(codes(&r), ["INVALID_SIGNATURE"], "{:?}", r.errors);
    assert!(r.errors[0].message.contains("P-256"), "{}", r.errors[0].message);
    // An RSA key for it, or a P-256 key restricted to ES384 by its alg member.
    let rsa = s.rsa.verifying_key().to_jwk();
    assert_eq!(codes(&verify(&token, &with_keys(json!({ https.did.clone(): rsa })))), ["INVALID_SIGNATURE"]);
    let mut restricted = s.p256.verifying_key().to_jwk();
    restricted.insert("alg".into(), json!("ES384"));
    let refused =
        Verifier::new(options_map(&with_keys(json!({ https.did.clone(): restricted }))), &CacheConfig::stateless()).err().unwrap();
    assert_eq!(refused.code, ErrorCode::InvalidKey, "an alg member that does not fit the key is a bad key");
    // RSA under 2048 bits, in issuerKeys and in a did:jwk.
    let mut n = vec![0xffu8; 128];
    n[127] = 0xfb;
    let weak = json!({ "kty": "RSA", "n": b64url_encode(&n), "e": "AQAB" });
    let e =
        Verifier::new(options_map(&with_keys(json!({ "https://weak.example": weak.clone() }))), &CacheConfig::stateless()).err().unwrap();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::InvalidKey, Some(r#"options.issuerKeys["https://weak.example"]"#)));
    assert!(e.message.contains("1024 bits"), "{}", e.message);
    let did = format!("did:jwk:{}", b64url_encode(weak.to_string().as_bytes()));
    let named = Named { inner: &s.rsa, did: did.clone(), kid: format!("{did}#0") };
    let r = verify(&vc_jwt(&named, 1), &opts());
    assert_eq!(codes(&r), ["INVALID_DID"]);
    assert!(r.errors[0].message.contains("1024 bits"), "{}", r.errors[0].message);
}

/// The same ECDSA signature with `s` replaced by `n - s`.
fn high_s(token: &str, curve: KeyType) -> String {
    let (head, sig) = token.rsplit_once('.').unwrap();
    let bytes = b64url_decode(sig).unwrap();
    let flipped = match curve {
        KeyType::P256 => {
            let sig = p256::ecdsa::Signature::from_slice(&bytes).unwrap();
            let (r, s) = sig.split_scalars();
            p256::ecdsa::Signature::from_scalars(r, -s).unwrap().to_bytes().to_vec()
        }
        KeyType::Secp256k1 => {
            let sig = k256::ecdsa::Signature::from_slice(&bytes).unwrap();
            let (r, s) = sig.split_scalars();
            k256::ecdsa::Signature::from_scalars(r, -s).unwrap().to_bytes().to_vec()
        }
        _ => unreachable!(),
    };
    assert_ne!(flipped, bytes);
    format!("{head}.{}", b64url_encode(&flipped))
}

#[test]
fn high_s_ecdsa_signatures_get_the_same_verdict_everywhere() {
    // Policy (src/keys/ec.rs): (r, s) and (r, n - s) both verify, on every curve, as in jose
    // and node:crypto. The verdict must not depend on caching or on the batch a token is in.
    let s = signers();
    for (signer, curve) in [(&s.p256 as &dyn Signer, KeyType::P256), (&s.k256, KeyType::Secp256k1)] {
        let token = vc_jwt(signer, 7);
        let flipped = high_s(&token, curve);
        let single = verify(&flipped, &opts());
        assert!(single.valid, "{curve:?}: {:?}", single.errors);
        let batch = verify_batch(&[vc_jwt(&s.ed, 1).as_str(), &flipped, &token, &flip_signature(&flipped, 5)], &opts());
        assert_eq!(batch.iter().map(|r| r.valid).collect::<Vec<_>>(), [true, true, true, false], "{curve:?}");
        assert_eq!(batch[1], single, "{curve:?}: the same result alone and in a batch");
        // A high-S signature with a flipped bit still fails.
        assert_eq!(codes(&batch[3]), ["INVALID_SIGNATURE"]);
    }
}

#[test]
fn the_algorithms_option_narrows_and_keys_the_result_cache() {
    let s = signers();
    let es = vc_jwt(&s.p256, 1);
    let ed = vc_jwt(&s.ed, 1);
    let only_eddsa = VerifyOptions { algorithms: Some(vec![Algorithm::EdDsa]), ..opts() };
    let r = verify(&es, &only_eddsa);
    assert_eq!(codes(&r), ["UNSUPPORTED_ALGORITHM"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("header.alg"));
    assert!(verify(&ed, &only_eddsa).valid);
    assert!(verify(&es, &VerifyOptions { algorithms: Some(vec![Algorithm::Es256]), ..opts() }).valid);

    // One caching verifier: a verdict cached under one set is never served under another.
    let mut v = Verifier::new(options_map(&opts()), &CacheConfig::default()).unwrap();
    let call = |algs: Value| -> Map<String, Value> { json!({ "algorithms": algs }).as_object().cloned().unwrap() };
    let none = Map::new();
    assert!(v.verify_batch(&[&es], &none, 0.0).unwrap()[0].valid);
    assert!(v.verify_batch(&[&es], &none, 0.0).unwrap()[0].valid);
    assert_eq!(v.stats().results.hits, 1);
    assert_eq!(codes(&v.verify_batch(&[&es], &call(json!(["EdDSA"])), 0.0).unwrap()[0]), ["UNSUPPORTED_ALGORITHM"]);
    assert!(v.verify_batch(&[&es], &call(json!(["ES256", "EdDSA"])), 0.0).unwrap()[0].valid);
    assert!(v.verify_batch(&[&es], &none, 0.0).unwrap()[0].valid);
    // It can only narrow: names outside the set fail the call.
    for bad in [json!(["HS256"]), json!(["none"]), json!(["es256"]), json!("ES256")] {
        let e = v.verify_batch(&[&es], &call(bad.clone()), 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedInput, "{bad}");
    }
    // An empty set accepts nothing.
    assert_eq!(codes(&v.verify_batch(&[&ed], &call(json!([])), 0.0).unwrap()[0]), ["UNSUPPORTED_ALGORITHM"]);
}

#[test]
fn issuer_keys_key_the_result_cache() {
    let s = signers();
    let https = as_https(&s.p256);
    let token = vc_jwt(&https, 1);
    let right = keys_of(&[&https]);
    let other_key = SigningKey::from_secret(Algorithm::Es256, &[9; 32]).unwrap();
    let other = Named { inner: &other_key, did: https.did.clone(), kid: https.kid.clone() };
    let wrong = keys_of(&[&other]);
    let call = |keys: &Value| -> Map<String, Value> { json!({ "issuerKeys": keys }).as_object().cloned().unwrap() };
    let mut v = Verifier::new(options_map(&opts()), &CacheConfig::default()).unwrap();
    assert!(v.verify_batch(&[&token], &call(&right), 0.0).unwrap()[0].valid);
    assert!(v.verify_batch(&[&token], &call(&right), 0.0).unwrap()[0].valid);
    assert_eq!(v.stats().results.hits, 1);
    // The key changed: the cached valid verdict is not served.
    assert_eq!(codes(&v.verify_batch(&[&token], &call(&wrong), 0.0).unwrap()[0]), ["INVALID_SIGNATURE"]);
    // No key at all: unavailable, whatever was cached under other keys.
    assert_eq!(codes(&v.verify_batch(&[&token], &Map::new(), 0.0).unwrap()[0]), ["KEY_UNAVAILABLE"]);
    // Keys given to the verifier itself, overridden per call.
    let mut v = Verifier::new(options_map(&with_keys(right.clone())), &CacheConfig::default()).unwrap();
    assert!(v.verify_batch(&[&token], &Map::new(), 0.0).unwrap()[0].valid);
    assert_eq!(codes(&v.verify_batch(&[&token], &call(&wrong), 0.0).unwrap()[0]), ["INVALID_SIGNATURE"]);
    assert!(v.verify_batch(&[&token], &Map::new(), 0.0).unwrap()[0].valid);
}

#[test]
fn key_unavailable_names_what_was_needed() {
    let s = signers();
    let web = Named { inner: &s.p256, did: "did:web:issuer.example".into(), kid: "did:web:issuer.example#key-1".into() };
    let token = vc_jwt(&web, 1);
    let r = verify(&token, &opts());
    assert_eq!(codes(&r), ["KEY_UNAVAILABLE"]);
    assert_eq!(r.errors[0].path.as_deref(), Some("payload.iss"));
    assert!(r.errors[0].message.contains("did:web document") && r.errors[0].message.contains("#key-1"), "{}", r.errors[0].message);
    // With its key in issuerKeys, under the kid the DID document would give it.
    let mut jwk = s.p256.verifying_key().to_jwk();
    jwk.insert("kid".into(), json!("#key-1"));
    assert!(verify(&token, &with_keys(json!({ "did:web:issuer.example": { "keys": [jwk.clone()] } }))).valid);
    // Another kid: no key is guessed.
    let other_kid = with_header(&token, |h| h["kid"] = json!("did:web:issuer.example#key-2"));
    let r = verify(&other_kid, &with_keys(json!({ "did:web:issuer.example": { "keys": [jwk.clone()] } })));
    assert_eq!((codes(&r), r.errors[0].path.as_deref()), (vec!["KEY_UNAVAILABLE"], Some("header.kid")));
    // A kid of another DID does not belong to the issuer.
    let foreign = with_header(&token, |h| h["kid"] = json!("did:web:evil.example#key-1"));
    let r = verify(&foreign, &with_keys(json!({ "did:web:issuer.example": { "keys": [jwk] } })));
    assert_eq!((codes(&r), r.errors[0].path.as_deref()), (vec!["INVALID_DID"], Some("header.kid")));
    // An https issuer names its metadata; a DID of another method its resolver.
    let https = as_https(&s.p256);
    let r = verify(&vc_jwt(&https, 1), &opts());
    assert!(r.errors[0].code == "KEY_UNAVAILABLE" && r.errors[0].message.contains("jwt-vc-issuer"), "{:?}", r.errors);
    let ion = Named { inner: &s.p256, did: "did:ion:abc".into(), kid: "did:ion:abc#k".into() };
    let r = verify(&vc_jwt(&ion, 1), &opts());
    assert!(r.errors[0].code == "KEY_UNAVAILABLE" && r.errors[0].message.contains("didResolver"), "{:?}", r.errors);
    // Two keys that could have signed it and no kid to choose: none is tried.
    let no_kid = {
        let payload = b64url_decode(token.split('.').nth(1).unwrap()).unwrap();
        jws::sign(&Map::new(), &payload, &s.p256)
    };
    let two = json!({ "did:web:issuer.example": { "keys": [s.p256.verifying_key().to_jwk(), SigningKey::from_secret(Algorithm::Es256, &[8; 32]).unwrap().verifying_key().to_jwk()] } });
    assert_eq!(codes(&verify(&no_kid, &with_keys(two))), ["KEY_UNAVAILABLE"]);
    // Of two keys of different types, the one that fits the alg is the key.
    let mixed = json!({ "did:web:issuer.example": { "keys": [s.ed.verifying_key().to_jwk(), s.p256.verifying_key().to_jwk()] } });
    assert!(verify(&no_kid, &with_keys(mixed)).valid);
}

#[test]
fn sd_jwt_vc_with_an_ecdsa_issuer_and_holder_keys_of_every_type() {
    let s = signers();
    let ed_holder = KeyPair::from_seed(&[21; 32]);
    let p256_holder = SigningKey::from_secret(Algorithm::Es256, &[22; 32]).unwrap();
    let p384_holder = SigningKey::from_secret(Algorithm::Es384, &[23; 48]).unwrap();
    let k256_holder = k256(24);
    let rsa_holder = &s.rsa;
    let holders: [&dyn Signer; 5] = [&ed_holder, &p256_holder, &p384_holder, &k256_holder, rsa_holder];
    let kb_options = VerifyOptions { nonce: Some("n-1".into()), audience: Some("https://verifier.example".into()), ..opts() };
    for issuer in [&s.p256 as &dyn Signer, &s.p384, &s.ed] {
        for holder in holders {
            let what = format!("{} issuer, {} holder", issuer.algorithm(), holder.algorithm());
            let opts_issue = IssueOptions {
                disclose: Selection::from_json(&json!(["/given_name"])).unwrap(),
                vct: Some("urn:example:pid".into()),
                holder_public_key: Some(holder.verifying_key()),
                now_seconds: NOW,
                expires_in: Some(3600),
                ..IssueOptions::default()
            };
            let token =
                sdjwt::issue(&json!({ "given_name": "Ada", "family_name": "Lovelace" }), &opts_issue, issuer, &mut sdjwt::system_random)
                    .unwrap();
            let params = KeyBindingParams { key: holder, nonce: "n-1", audience: "https://verifier.example", iat: NOW };
            let disclose = Selection::from_json(&json!(["/given_name"])).unwrap();
            let presented = sdjwt::present(&token, &disclose, Some(&params)).unwrap();
            let r = verify(&presented, &kb_options);
            assert!(r.valid, "{what}: {:?}", r.errors);
            assert_eq!(r.holder.as_deref(), Some(holder.verifying_key().did().as_str()), "{what}");
            assert_eq!(r.holder_key_thumbprint.as_deref(), Some(holder.verifying_key().thumbprint().as_str()), "{what}");
            assert_eq!(r.claims.as_ref().unwrap()["given_name"], "Ada", "{what}");
            // The KB-JWT tampered: its signature, its alg, or signed by another key of the type.
            let (sd, kb) = presented.rsplit_once('~').unwrap();
            let bad_sig = format!("{sd}~{}", flip_signature(kb, 3));
            assert_eq!(codes(&verify(&bad_sig, &kb_options)), ["KEY_BINDING_INVALID"], "{what}");
            let other_alg = if holder.algorithm() == Algorithm::Es256 { "ES256K" } else { "ES256" };
            let swapped = format!("{sd}~{}", with_header(kb, |h| h["alg"] = json!(other_alg)));
            let swapped_codes = codes(&verify(&swapped, &kb_options));
            assert!(swapped_codes == ["KEY_BINDING_INVALID"] || swapped_codes == ["MALFORMED_INPUT"], "{what}: {swapped_codes:?}");
            // The issuer's signature flipped (the KB-JWT's sd_hash covers it too).
            let (jwt, rest) = presented.split_once('~').unwrap();
            let forged = format!("{}~{rest}", flip_signature(jwt, 9));
            assert_eq!(codes(&verify(&forged, &kb_options)), ["INVALID_SIGNATURE", "KEY_BINDING_INVALID"], "{what}");
        }
    }
    // A KB-JWT by a key other than cnf, of the same type, does not verify.
    let stranger = SigningKey::from_secret(Algorithm::Es256, &[31; 32]).unwrap();
    let issue_opts = IssueOptions {
        vct: Some("urn:example:pid".into()),
        holder_public_key: Some(p256_holder.verifying_key()),
        now_seconds: NOW,
        ..IssueOptions::default()
    };
    let token = sdjwt::issue(&json!({ "given_name": "Ada" }), &issue_opts, &s.p256, &mut sdjwt::system_random).unwrap();
    let kb = sdjwt::key_binding::sign(&stranger, HashAlg::Sha256, &token, "n-1", "https://verifier.example", NOW);
    assert_eq!(codes(&verify(&format!("{token}{kb}"), &kb_options)), ["KEY_BINDING_INVALID"]);
}

#[test]
fn presentations_and_status_lists_with_ecdsa_and_rsa() {
    let s = signers();
    let holder = SigningKey::from_secret(Algorithm::Es384, &[41; 48]).unwrap();
    let body = json!({ "credentialSubject": { "id": holder.did(), "degree": "BSc" } });
    let rsa_issuer = as_did_jwk(&s.rsa);
    let vcs: Vec<Value> = [&s.p256 as &dyn Signer, &s.k256, &rsa_issuer]
        .into_iter()
        .map(|i| issue_credential(&body, i, IssueFormat::VcJwt, Some(3600), NOW).unwrap())
        .collect();
    let vp = create_presentation(&vcs, &holder, Some("n-2"), Some("aud"), PresentationFormat::VpJwt, NOW).unwrap();
    let vp = vp.as_str().unwrap();
    let bound = VerifyOptions { nonce: Some("n-2".into()), audience: Some("aud".into()), ..opts() };
    let r = verify_presentation(vp, &bound);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.credentials.len(), 3);
    assert_eq!(r.holder.as_deref(), Some(holder.did().as_str()));
    assert_eq!(codes(&verify_presentation(&flip_signature(vp, 20), &bound)), ["INVALID_PRESENTATION_SIGNATURE"]);

    // A status list signed with ES256 by the credential's issuer.
    let uri = "https://issuer.example/status/es256";
    let mut list = StatusListIssuer::new(ListConfig {
        format: ListFormat::Ietf,
        uri: uri.into(),
        size: 1024,
        bits: 1,
        purpose: None,
        ttl_seconds: None,
        valid_for_seconds: Some(86_400),
    })
    .unwrap();
    let idx = list.allocate().unwrap();
    let claims = json!({ "given_name": "Ada", "status": { "status_list": { "idx": idx, "uri": uri } } });
    let issue_opts = IssueOptions { vct: Some("urn:example:pid".into()), now_seconds: NOW, ..IssueOptions::default() };
    let vc = sdjwt::issue(&claims, &issue_opts, &s.p256, &mut sdjwt::system_random).unwrap();
    let with_list = |token: String| VerifyOptions { status_lists: Some([(uri.to_owned(), Value::String(token))].into()), ..opts() };
    let signed = list.sign(&s.p256, NOW as f64 * 1000.0);
    assert_eq!(Jws::parse(&signed).unwrap().alg, Algorithm::Es256);
    assert!(verify(&vc, &with_list(signed.clone())).valid);
    list.set(idx, 1).unwrap();
    let revoked = list.sign(&s.p256, NOW as f64 * 1000.0 + 1000.0);
    assert_eq!(codes(&verify(&vc, &with_list(revoked.clone()))), ["REVOKED_CREDENTIAL"]);
    assert_eq!(codes(&verify(&vc, &with_list(flip_signature(&revoked, 4)))), ["INVALID_STATUS_LIST"]);
    // The algorithms option applies to the list's signature too.
    let only_eddsa = VerifyOptions { algorithms: Some(vec![Algorithm::EdDsa]), ..with_list(signed) };
    let r = verify(&vc, &only_eddsa);
    assert!(r.errors.iter().all(|e| e.code == "UNSUPPORTED_ALGORITHM" || e.code == "INVALID_STATUS_LIST"), "{:?}", r.errors);
    assert!(r.has(ErrorCode::InvalidStatusList) && r.has(ErrorCode::UnsupportedAlgorithm), "{:?}", r.errors);
}

#[test]
fn rfc7515_examples_verify_with_their_published_keys() {
    let p = published();
    for (section, flips) in [("A.2", [0usize, 255]), ("A.3", [0, 63])] {
        let v = &p[section];
        let jws = Jws::parse(v["jws"].as_str().unwrap()).unwrap();
        assert_eq!(jws.alg.as_str(), v["alg"]);
        let key = VerifyingKey::from_jwk(&public_jwk(&v["jwk"])).unwrap();
        assert!(jws.verify(&key), "{section}");
        for byte in flips {
            let flipped = flip_signature(v["jws"].as_str().unwrap(), byte);
            assert!(!Jws::parse(&flipped).unwrap().verify(&key), "{section} byte {byte}");
        }
        // The private JWK is refused as a verification key.
        assert_eq!(VerifyingKey::from_jwk(&v["jwk"]).unwrap_err().code, ErrorCode::InvalidKey);
    }
    // The A.2 key re-signs A.2's input to A.2's signature (RSASSA-PKCS1-v1_5 is deterministic),
    // and the A.3 key's ES256 signature (RFC 6979 here, random k there) verifies under A.3's key.
    let a2 = p["A.2"]["jws"].as_str().unwrap();
    let (input, sig) = a2.rsplit_once('.').unwrap();
    assert_eq!(b64url_encode(&rs256().sign_message(input.as_bytes())), sig);
    let d = b64url_decode(p["A.3"]["jwk"]["d"].as_str().unwrap()).unwrap();
    let a3 = SigningKey::from_secret(Algorithm::Es256, &d).unwrap();
    assert_eq!(a3.verifying_key(), VerifyingKey::from_jwk(&public_jwk(&p["A.3"]["jwk"])).unwrap());
}

#[test]
fn rfc9901_presentation_verifies_with_the_published_issuer_key() {
    let p = published();
    let example = &p["rfc9901-A.5"];
    let path = format!("{}/tests/data/sdjwt/rfc9901_sec5.2_presentation.txt", env!("CARGO_MANIFEST_DIR"));
    // The file holds the RFC's text after the presentation too.
    let text = std::fs::read_to_string(path).unwrap();
    let presentation = text.split("The following").next().unwrap().trim().to_owned();
    let kb_iat = 1_748_537_243i64;
    let options = VerifyOptions {
        now: Some(kb_iat as f64 * 1000.0),
        nonce: Some("1234567890".into()),
        audience: Some("https://verifier.example.org".into()),
        issuer_keys: Some([(example["issuer"].as_str().unwrap().to_owned(), example["jwk"].clone())].into()),
        ..VerifyOptions::default()
    };
    let r = verify(&presentation, &options);
    assert!(r.valid, "{:?}", r.errors);
    assert_eq!(r.issuer.as_deref(), Some("https://issuer.example.com"));
    let claims = r.claims.as_ref().unwrap();
    assert_eq!((claims["given_name"].as_str(), claims["family_name"].as_str()), (Some("John"), Some("Doe")));
    assert_eq!(claims["address"]["country"], "US");
    // The holder is the cnf key (P-256).
    assert!(r.holder.as_deref().is_some_and(|h| h.starts_with("did:key:zDn")), "{:?}", r.holder);
    // Without the issuer's key: unavailable, naming the issuer metadata; with another P-256 key:
    // the signature does not verify.
    let without = VerifyOptions { issuer_keys: None, ..options.clone() };
    assert_eq!(codes(&verify(&presentation, &without)), ["KEY_UNAVAILABLE"]);
    let other = SigningKey::from_secret(Algorithm::Es256, &[5; 32]).unwrap().verifying_key().to_jwk();
    let wrong =
        VerifyOptions { issuer_keys: Some([("https://issuer.example.com".to_owned(), Value::Object(other))].into()), ..options.clone() };
    assert_eq!(codes(&verify(&presentation, &wrong)), ["INVALID_SIGNATURE"]);
    // Its KB-JWT names the nonce and audience of the example only.
    let elsewhere = VerifyOptions { nonce: Some("another".into()), ..options };
    assert_eq!(codes(&verify(&presentation, &elsewhere)), ["NONCE_MISMATCH"]);
}

/// A host that records the jobs it is handed and answers with RustCrypto, or refuses them all.
struct RecordingHost {
    calls: Vec<Vec<(Algorithm, Vec<u8>)>>,
    refuse: bool,
}

impl HostVerifier for RecordingHost {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        self.calls.push(jobs.iter().map(|j| (j.alg, j.message.to_vec())).collect());
        if self.refuse {
            vec![false; jobs.len()]
        } else {
            RustVerifier.verify_jobs(jobs)
        }
    }
}

#[test]
fn a_host_settles_every_non_ed25519_signature_of_a_batch_in_one_list() {
    let s = signers();
    let (items, options) = corpus(&s);
    let texts: Vec<&str> = items.iter().map(|(_, t)| t.as_str()).collect();
    let non_ed = items.iter().filter(|(name, _)| !name.starts_with("EdDSA")).count();
    let mut v = Verifier::new(options_map(&options), &CacheConfig::stateless()).unwrap();
    let mut host = RecordingHost { calls: Vec::new(), refuse: false };
    let (served, _) = v.serve_batch_settled(&texts, &Map::new(), 0.0, &mut host).unwrap();
    assert!(served.iter().all(|r| r.result().valid));
    // One crossing for the whole batch, with exactly its ECDSA and RSA signatures, in item order.
    assert_eq!(host.calls.len(), 1);
    assert_eq!(host.calls[0].len(), non_ed);
    let expected: Vec<(Algorithm, Vec<u8>)> = items
        .iter()
        .filter(|(name, _)| !name.starts_with("EdDSA"))
        .map(|(_, t)| {
            let jws = Jws::parse(t).unwrap();
            (jws.alg, jws.signing_input.as_bytes().to_vec())
        })
        .collect();
    assert_eq!(host.calls[0], expected);
    // The host's answers are the verdicts: a host that says no fails exactly those items, with
    // the code of each signature, and the Ed25519 items stay valid.
    let mut no = RecordingHost { calls: Vec::new(), refuse: true };
    let (served, _) = v.serve_batch_settled(&texts, &Map::new(), 0.0, &mut no).unwrap();
    for ((name, _), r) in items.iter().zip(&served) {
        let r = r.result();
        if name.starts_with("EdDSA") {
            assert!(r.valid, "{name}");
        } else {
            assert_eq!(codes(r), ["INVALID_SIGNATURE"], "{name}");
        }
    }
    // A batch of Ed25519 items only never calls the host; refused items never reach it.
    let mut idle = RecordingHost { calls: Vec::new(), refuse: false };
    let ed_only: Vec<&str> = items.iter().filter(|(n, _)| n.starts_with("EdDSA")).map(|(_, t)| t.as_str()).collect();
    let forged_alg = with_header(&vc_jwt(&s.p256, 1), |h| h["alg"] = json!("ES256K"));
    let mut batch = ed_only.clone();
    batch.push(&forged_alg);
    let (served, _) = v.serve_batch_settled(&batch, &Map::new(), 0.0, &mut idle).unwrap();
    assert!(idle.calls.is_empty(), "{:?}", idle.calls.len());
    assert_eq!(codes(served.last().unwrap().result()), ["INVALID_SIGNATURE"]);
}
