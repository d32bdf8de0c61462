//! The canonical N-Quads and hashes of the W3C vc-di-eddsa test vectors (ld/tests/vc-di-eddsa/,
//! see its README): eddsa-rdfc-2022 (the alumni credential and the employment authorization
//! credential) and Ed25519Signature2020.
//!
//! The dataset of each document and proof configuration is read from the published canonical
//! N-Quads, then scrambled (quads reversed, blank nodes renamed) so that canonicalization has to
//! do its work; its canonical form must be the published one byte for byte, and the SHA-256 of
//! the canonical document and proof configuration the published hashes (and their
//! concatenation, proof first, the published combined hash).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

use credcore_ld::nquads;
use credcore_ld::rdfc::{self, HashAlgorithm, Options};

fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vc-di-eddsa").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Canonicalizes the scrambled dataset of `canonical` and checks the result and its hash.
fn check(canonical: &str, hash: &str) -> String {
    let scrambled = support::scramble(&nquads::parse(canonical).expect("published N-Quads parse"));
    assert_ne!(nquads::serialize(&scrambled), canonical, "the scrambled dataset is written differently");
    let c = rdfc::canonicalize(&scrambled, &Options::default()).expect("canonicalizes");
    assert_eq!(c.nquads, canonical, "canonical N-Quads");
    let digest = HashAlgorithm::Sha256.hex(c.nquads.as_bytes());
    assert_eq!(digest, hash.trim(), "hash");
    digest
}

fn vector(dir: &str, suffix: &str) {
    let doc = check(&read(&format!("{dir}/canonDoc{suffix}.txt")), &read(&format!("{dir}/docHash{suffix}.txt")));
    let proof = check(&read(&format!("{dir}/proofCanon{suffix}.txt")), &read(&format!("{dir}/proofHash{suffix}.txt")));
    assert_eq!(format!("{proof}{doc}"), read(&format!("{dir}/combinedHash{suffix}.txt")).trim(), "combined hash");
}

#[test]
fn eddsa_rdfc_2022_alumni_credential() {
    vector("eddsa-rdfc-2022", "DataInt");
}

#[test]
fn eddsa_rdfc_2022_employment_authorization() {
    vector("eddsa-rdfc-2022/employ", "DataInt");
}

#[test]
fn ed25519_signature_2020() {
    vector("Ed25519Signature2020", "EdSig");
}
