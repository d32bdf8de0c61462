#![cfg(not(target_arch = "wasm32"))]
// A failed unwrap is a failed test; helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! RFC 8785 canonical JSON against cyberphone/json-canonicalization's test data (the six input
//! files, 10,000 ES6 number serializations) and the eddsa-jcs-2022 chain of w3c/vc-di-eddsa.

use credcore::audit::hash::sha256;
use credcore::audit::jcs::{canonicalize, canonicalize_str, write_number};
use credcore::encoding::{b58_encode, hex_decode, hex_encode, multibase_b58_decode};
use credcore::keys::{public_key_from_did, verify, KeyPair};
use std::fs;
use std::path::PathBuf;

fn data(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const CASES: [&str; 6] = [
    "arrays",
    "french",
    "structures",
    "unicode",
    "values",
    "weird",
];

#[test]
fn every_input_gives_the_exact_output_text() {
    for name in CASES {
        let input = data(&format!("jcs/input/{name}.json"));
        let expected = data(&format!("jcs/output/{name}.json"));
        assert_eq!(canonicalize_str(&input).unwrap(), expected, "{name}");
        // The same through a parsed value (serde_json keeps the input order of members here).
        let value: serde_json::Value = serde_json::from_str(&input).unwrap();
        assert_eq!(canonicalize(&value).unwrap(), expected, "{name} via Value");
    }
}

#[test]
fn every_input_gives_the_exact_output_bytes() {
    for name in CASES {
        let hex: String = data(&format!("jcs/outhex/{name}.txt"))
            .split_whitespace()
            .collect();
        let expected = hex_decode(&hex).unwrap();
        let got = canonicalize_str(&data(&format!("jcs/input/{name}.json"))).unwrap();
        assert_eq!(got.as_bytes(), &expected[..], "{name}");
    }
}

#[test]
fn output_is_a_fixed_point() {
    for name in CASES {
        let expected = data(&format!("jcs/output/{name}.json"));
        assert_eq!(canonicalize_str(&expected).unwrap(), expected, "{name}");
    }
}

#[test]
fn ten_thousand_es6_numbers() {
    let text = data("jcs/es6_numbers_10k.txt");
    let mut count = 0;
    for (line_no, line) in text.lines().enumerate() {
        let (bits, expected) = line
            .split_once(',')
            .unwrap_or_else(|| panic!("line {}", line_no + 1));
        let value = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        let mut out = String::new();
        write_number(value, &mut out).unwrap();
        assert_eq!(out, expected, "line {}: {bits}", line_no + 1);
        // Through a JSON value too, where the number also has to survive parsing.
        let json = serde_json::json!([value]);
        assert_eq!(
            canonicalize(&json).unwrap(),
            format!("[{expected}]"),
            "line {}",
            line_no + 1
        );
        let reparsed = canonicalize_str(&format!("[{expected}]")).unwrap();
        assert_eq!(reparsed, format!("[{expected}]"), "line {}", line_no + 1);
        count += 1;
    }
    assert_eq!(count, 10_000);
}

#[test]
fn eddsa_jcs_2022_chain() {
    let dir = "eddsa-jcs-2022";
    let unsigned = data(&format!("{dir}/unsigned.json"));
    let canon_doc = canonicalize_str(&unsigned).unwrap();
    assert_eq!(canon_doc, data(&format!("{dir}/canonDocJCS.txt")));
    let doc_hash = sha256(canon_doc.as_bytes());
    assert_eq!(
        hex_encode(&doc_hash),
        data(&format!("{dir}/docHashJCS.txt")).trim()
    );

    let canon_proof = canonicalize_str(&data(&format!("{dir}/proofConfigJCS.json"))).unwrap();
    assert_eq!(canon_proof, data(&format!("{dir}/proofCanonJCS.txt")));
    let proof_hash = sha256(canon_proof.as_bytes());
    assert_eq!(
        hex_encode(&proof_hash),
        data(&format!("{dir}/proofHashJCS.txt")).trim()
    );

    // The signed bytes: SHA-256(proof config) || SHA-256(document), in that order.
    let combined = [proof_hash, doc_hash].concat();
    assert_eq!(
        hex_encode(&combined),
        data(&format!("{dir}/combinedHashJCS.txt")).trim()
    );

    let keys: serde_json::Value =
        serde_json::from_str(&data(&format!("{dir}/keyPair.json"))).unwrap();
    // Multikey secret: multicodec ed25519-priv (0x1300, varint 0x80 0x26) then the 32-byte seed.
    let secret = multibase_b58_decode(keys["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(&secret[..2], &[0x80, 0x26]);
    let pair = KeyPair::from_seed_slice(&secret[2..]).unwrap();
    let public_multibase = keys["publicKeyMultibase"].as_str().unwrap();
    assert_eq!(pair.did(), format!("did:key:{public_multibase}"));

    let signature = pair.sign(&combined);
    assert_eq!(
        hex_encode(&signature),
        data(&format!("{dir}/sigHexJCS.txt")).trim()
    );
    let proof_value = format!("z{}", b58_encode(&signature));
    assert_eq!(proof_value, data(&format!("{dir}/sigBTC58JCS.txt")).trim());

    let signed: serde_json::Value =
        serde_json::from_str(&data(&format!("{dir}/signedJCS.json"))).unwrap();
    assert_eq!(
        signed["proof"]["proofValue"].as_str(),
        Some(proof_value.as_str())
    );
    let key = public_key_from_did(&pair.did()).unwrap();
    assert!(verify(&combined, &signature, &key.public_key));
    let mut tampered = combined.clone();
    tampered[0] ^= 1;
    assert!(!verify(&tampered, &signature, &key.public_key));
}
