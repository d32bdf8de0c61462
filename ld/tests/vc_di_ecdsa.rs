//! The canonical N-Quads and hash data of the W3C vc-di-ecdsa ecdsa-rdfc-2019 test vectors
//! (tests/vectors/vc-di-ecdsa/ of the workspace, see its README), P-256 and P-384, the alumni
//! credential and the employment authorization credential.
//!
//! Each proof configuration and unsecured document of the alumni credential goes the way a
//! proof's do (JSON-LD toRdf, RDFC-1.0): its canonical N-Quads must be the published ones byte
//! for byte, and the hash data ([`credcore_ld::proof::hash_data_json_with`], SHA-256 for P-256,
//! SHA-384 for P-384) the published combined hash, proof configuration first. The employment
//! authorization credential names a context that is not bundled (citizenship v4rc1): its
//! published canonical N-Quads are scrambled (quads reversed, blank nodes renamed) and
//! canonicalized again, which must give them back, then hashed. Its three blank nodes show that
//! the curve's hash is also RDFC-1.0's hash algorithm: with SHA-256 labels the P-384 vector's
//! canonical form is another one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

use credcore_ld::jsonld::NoLoader;
use credcore_ld::nquads;
use credcore_ld::proof::{canonical_nquads, hash_data_json_with};
use credcore_ld::rdfc::{self, HashAlgorithm, Options};
use serde_json::Value;

fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/vc-di-ecdsa").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn vector(dir: &str, curve: &str, hash: HashAlgorithm) {
    let signed: Value = serde_json::from_str(&read(&format!("{dir}/signedECDSA{curve}.json"))).unwrap();
    let mut document = signed.as_object().unwrap().clone();
    document.remove("proof");
    let config: Value = serde_json::from_str(&read(&format!("{dir}/proofConfigECDSA{curve}.json"))).unwrap();
    let mut from_proof = signed["proof"].as_object().unwrap().clone();
    from_proof.remove("proofValue");
    from_proof.insert("@context".into(), signed["@context"].clone());
    assert_eq!(Value::Object(from_proof), config, "the proof configuration is the proof without proofValue, with the document's @context");
    let document = Value::Object(document);
    assert_eq!(
        canonical_nquads(&document, &NoLoader, "doc", hash).unwrap(),
        read(&format!("{dir}/canonDocECDSA{curve}.txt")),
        "canonical document"
    );
    assert_eq!(
        canonical_nquads(&config, &NoLoader, "proof", hash).unwrap(),
        read(&format!("{dir}/proofCanonECDSA{curve}.txt")),
        "canonical proof configuration"
    );
    let data = hash_data_json_with(&document.to_string(), &config.to_string(), &NoLoader, hash).unwrap();
    let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
    let half = data.len();
    assert_eq!(half, if hash == HashAlgorithm::Sha384 { 96 } else { 64 });
    assert_eq!(hex[..half], *read(&format!("{dir}/proofHashECDSA{curve}.txt")).trim(), "proof configuration hash");
    assert_eq!(hex[half..], *read(&format!("{dir}/docHashECDSA{curve}.txt")).trim(), "document hash");
    assert_eq!(hex, read(&format!("{dir}/combinedHashECDSA{curve}.txt")).trim(), "combined hash");
}

/// The published canonical N-Quads of `file`, scrambled and canonicalized again, hashed.
fn recanonicalized(file: &str, hash: HashAlgorithm) -> String {
    let canonical = read(file);
    let scrambled = support::scramble(&nquads::parse(&canonical).unwrap());
    assert_ne!(nquads::serialize(&scrambled), canonical, "the scrambled dataset is written differently");
    let c = rdfc::canonicalize(&scrambled, &Options::with_hash(hash)).unwrap();
    assert_eq!(c.nquads, canonical, "{file}");
    if hash == HashAlgorithm::Sha384 && canonical.contains("_:c14n1") {
        let sha256_labels = rdfc::canonicalize(&scrambled, &Options::default()).unwrap();
        assert_ne!(sha256_labels.nquads, canonical, "{file}: SHA-256 labels give another canonical form");
    }
    hash.hex(c.nquads.as_bytes())
}

fn employ(dir: &str, curve: &str, hash: HashAlgorithm) {
    let doc = recanonicalized(&format!("{dir}/canonDocECDSA{curve}.txt"), hash);
    let proof = recanonicalized(&format!("{dir}/proofCanonECDSA{curve}.txt"), hash);
    assert_eq!(doc, read(&format!("{dir}/docHashECDSA{curve}.txt")).trim());
    assert_eq!(proof, read(&format!("{dir}/proofHashECDSA{curve}.txt")).trim());
    assert_eq!(format!("{proof}{doc}"), read(&format!("{dir}/combinedHashECDSA{curve}.txt")).trim());
}

#[test]
fn ecdsa_rdfc_2019_p256_alumni_credential() {
    vector("ecdsa-rdfc-2019-p256", "P256", HashAlgorithm::Sha256);
}

#[test]
fn ecdsa_rdfc_2019_p256_employment_authorization() {
    employ("ecdsa-rdfc-2019-p256/employ", "P256", HashAlgorithm::Sha256);
}

#[test]
fn ecdsa_rdfc_2019_p384_alumni_credential() {
    vector("ecdsa-rdfc-2019-p384", "P384", HashAlgorithm::Sha384);
}

#[test]
fn ecdsa_rdfc_2019_p384_employment_authorization() {
    employ("ecdsa-rdfc-2019-p384/employ", "P384", HashAlgorithm::Sha384);
}
