//! Known-answer and edge-case checks shared by the native suite (`tests/vectors.rs`) and the
//! wasm suites (`tests/wasm_node.rs`, `tests/wasm_browser.rs`), so every runtime proves the same.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use credcore::encoding::{b64url_encode, hex_decode};
use credcore::keys::{self, did_from_public_key, jwk_thumbprint, public_key_from_did, KeyPair, PublicKey, SignatureJob};
use serde_json::Value;

const WYCHEPROOF: &str = include_str!("../data/ed25519/wycheproof_ed25519_test.json");
const SPECCHECK: &str = include_str!("../data/ed25519/speccheck_cases.json");
const CCTV: &str = include_str!("../data/ed25519/cctv_ed25519vectors.json");
const DIDKEY: &str = include_str!("../data/didkey/ed25519-x25519.json");

fn hex(s: &str) -> Vec<u8> {
    hex_decode(s).expect("hex in vector file")
}

fn accepts(msg: &[u8], sig: &[u8], pk: &[u8]) -> bool {
    keys::verify_slices(msg, sig, pk).unwrap_or(false)
}

/// RFC 8032 section 7.1, TEST 1, 2, 3: key derivation, deterministic signature, verification.
pub fn rfc8032_section_7_1() {
    let cases = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
        ),
    ];
    for (sk, pk, msg, sig) in cases {
        let pair = KeyPair::from_seed_slice(&hex(sk)).expect("seed");
        assert_eq!(pair.public_key().as_bytes().to_vec(), hex(pk));
        assert_eq!(pair.sign(&hex(msg)).to_vec(), hex(sig));
        assert!(accepts(&hex(msg), &hex(sig), &hex(pk)));
        let mut bad = hex(sig);
        bad[63] ^= 0x01;
        assert!(!accepts(&hex(msg), &bad, &hex(pk)));
    }
}

/// RFC 8037 appendix A.3 (JWK thumbprint) and A.4 (signature), with the RFC 8032 TEST 1 key.
pub fn rfc8037_appendix_a() {
    let pk: [u8; 32] = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a").try_into().expect("32");
    assert_eq!(jwk_thumbprint(&pk), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    assert_eq!(b64url_encode(&pk), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    let pair = KeyPair::from_seed_slice(&hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")).expect("seed");
    let signing_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    assert_eq!(
        b64url_encode(&pair.sign(signing_input.as_bytes())),
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    );
}

/// Wycheproof: all 151 cases decide as the file says.
pub fn wycheproof() -> usize {
    let v: Value = serde_json::from_str(WYCHEPROOF).expect("json");
    let mut n = 0;
    for group in v["testGroups"].as_array().expect("groups") {
        let pk = hex(group["publicKey"]["pk"].as_str().expect("pk"));
        for t in group["tests"].as_array().expect("tests") {
            let expected = t["result"] == "valid";
            let got = accepts(&hex(t["msg"].as_str().expect("msg")), &hex(t["sig"].as_str().expect("sig")), &pk);
            assert_eq!(got, expected, "wycheproof tcId {}", t["tcId"]);
            n += 1;
        }
    }
    assert_eq!(n, 151);
    n
}

/// ed25519-speccheck: the policy accepts exactly cases 3, 4 and 5.
///
/// Case 3 is a plain valid signature. Cases 4 and 5 hold only under the cofactored equation, with
/// mixed-order (not small-order) points: the policy accepts them because it is cofactored, so
/// that batch and single verification agree. Rejected: small-order `A` or `R` (0, 1, 2, 11's key
/// and 10's `R` re-encodings), `S >= L` (6, 7), non-canonical `R` (8, 9) and `A` (10, 11).
pub fn speccheck() {
    let v: Value = serde_json::from_str(SPECCHECK).expect("json");
    let accepted: Vec<usize> = v
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            accepts(
                &hex(c["message"].as_str().expect("m")),
                &hex(c["signature"].as_str().expect("s")),
                &hex(c["pub_key"].as_str().expect("k")),
            )
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(accepted, vec![3, 4, 5]);
}

/// C2SP CCTV edge cases: accepted exactly when neither `A` nor `R` is of small order or
/// non-canonically encoded (the policy is cofactored, so a small-order residue alone is fine).
pub fn cctv() -> usize {
    let v: Value = serde_json::from_str(CCTV).expect("json");
    let rejecting = ["low_order_A", "low_order_R", "non_canonical_A", "non_canonical_R"];
    let mut accepted = 0;
    for c in v.as_array().expect("cases") {
        let flags: Vec<&str> = c["flags"].as_array().map(|f| f.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let expected = !flags.iter().any(|f| rejecting.contains(f));
        let got = accepts(
            c["msg"].as_str().expect("msg").as_bytes(),
            &hex(c["sig"].as_str().expect("sig")),
            &hex(c["key"].as_str().expect("key")),
        );
        assert_eq!(got, expected, "cctv case {} flags {:?}", c["number"], flags);
        accepted += usize::from(got);
    }
    accepted
}

/// Batch verification agrees with single verification on every CCTV case, mixed in one batch.
pub fn cctv_batch_agrees_with_single() {
    let v: Value = serde_json::from_str(CCTV).expect("json");
    let mut owned: Vec<(Vec<u8>, [u8; 64], PublicKey)> = Vec::new();
    let mut singles = Vec::new();
    for c in v.as_array().expect("cases") {
        let Ok(key) = PublicKey::from_bytes(&hex(c["key"].as_str().expect("key"))) else { continue };
        let sig: [u8; 64] = hex(c["sig"].as_str().expect("sig")).try_into().expect("64");
        let msg = c["msg"].as_str().expect("msg").as_bytes().to_vec();
        singles.push(keys::verify(&msg, &sig, &key));
        owned.push((msg, sig, key));
    }
    // Interleave honest signatures so that accepted edge cases share batches with normal ones.
    let honest = KeyPair::from_seed(&[7; 32]);
    let honest_msgs: Vec<Vec<u8>> = (0..owned.len()).map(|i| format!("honest {i}").into_bytes()).collect();
    let honest_sigs: Vec<[u8; 64]> = honest_msgs.iter().map(|m| honest.sign(m)).collect();
    let mut jobs = Vec::new();
    for (i, (m, s, k)) in owned.iter().enumerate() {
        jobs.push(SignatureJob { message: m, signature: s, key: k });
        jobs.push(SignatureJob { message: &honest_msgs[i], signature: &honest_sigs[i], key: honest.public_key() });
    }
    let got = keys::verify_batch(&jobs);
    for (i, single) in singles.iter().enumerate() {
        assert_eq!(got[2 * i], *single, "cctv key-valid case {i}");
        assert!(got[2 * i + 1]);
    }
}

/// Batches with bad items at pseudo-random positions return exactly those as false.
pub fn batch_marks_exactly_the_bad_items() {
    let keys: Vec<KeyPair> = (0u8..8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..6 {
        let n = [1usize, 2, 5, 64, 257, 1000][round];
        let msgs: Vec<Vec<u8>> = (0..n).map(|i| format!("round {round} item {i}").into_bytes()).collect();
        let original: Vec<[u8; 64]> = msgs.iter().enumerate().map(|(i, m)| keys[i % 8].sign(m)).collect();
        let mut sigs = original.clone();
        let bad_count = (next() as usize) % (n / 4 + 2);
        for _ in 0..bad_count {
            let i = (next() as usize) % n;
            let byte = (next() as usize) % 64;
            sigs[i][byte] ^= 1 << (next() % 8);
        }
        // Two flips of the same bit cancel: an item is bad when its bytes differ from the original.
        let bad: Vec<bool> = (0..n).map(|i| sigs[i] != original[i]).collect();
        assert!(round < 3 || bad.iter().any(|b| *b));
        let jobs: Vec<SignatureJob<'_>> =
            (0..n).map(|i| SignatureJob { message: &msgs[i], signature: &sigs[i], key: keys[i % 8].public_key() }).collect();
        let got = keys::verify_batch(&jobs);
        for i in 0..n {
            assert_eq!(got[i], !bad[i], "round {round} item {i}");
        }
    }
}

/// did:key test vectors: seed -> DID, and the DID parses back to the same key.
pub fn didkey() -> usize {
    let v: Value = serde_json::from_str(DIDKEY).expect("json");
    let mut n = 0;
    for (did, entry) in v.as_object().expect("object") {
        let pair = KeyPair::from_seed_slice(&hex(entry["seed"].as_str().expect("seed"))).expect("seed");
        assert_eq!(&did_from_public_key(pair.public_key().as_bytes()), did);
        assert_eq!(&pair.did(), did);
        let parsed = public_key_from_did(did).expect("valid did");
        assert_eq!(parsed.public_key.as_bytes(), pair.public_key().as_bytes());
        if let Some(b58) = entry["verificationKeyPair"]["publicKeyBase58"].as_str() {
            assert_eq!(credcore::encoding::b58_decode(b58).expect("b58"), pair.public_key().as_bytes().to_vec());
        }
        n += 1;
    }
    assert_eq!(n, 5);
    n
}

/// The W3C vc-di-ecdsa ecdsa-jcs-2019 vectors (P-256, P-384): every intermediate value, and the
/// published signature verifies with the published key over the published hash data. Returns
/// the number of curves checked.
pub fn vc_di_ecdsa_jcs() -> usize {
    use credcore::credential::data_integrity::ecdsa_jcs_2019 as suite;
    use credcore::keys::{Algorithm, VerifyingKey};
    let curves = [
        (
            Algorithm::Es256,
            include_str!("../vectors/vc-di-ecdsa/p256KeyPair.json"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p256/proofConfigJCSECDSAP256.json"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p256/canonDocJCSECDSAP256.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p256/proofCanonJCSECDSAP256.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p256/combinedHashJCSECDSAP256.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p256/sigBTC58JCSECDSAP256.txt"),
        ),
        (
            Algorithm::Es384,
            include_str!("../vectors/vc-di-ecdsa/p384KeyPair.json"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p384/proofConfigJCSECDSAP384.json"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p384/canonDocJCSECDSAP384.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p384/proofCanonJCSECDSAP384.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p384/combinedHashJCSECDSAP384.txt"),
            include_str!("../vectors/vc-di-ecdsa/ecdsa-jcs-2019-p384/sigBTC58JCSECDSAP384.txt"),
        ),
    ];
    let unsigned: Value = serde_json::from_str(include_str!("../vectors/vc-di-ecdsa/unsigned.json")).expect("json");
    let unsigned = unsigned.as_object().expect("object");
    for (alg, pair, config, canon_doc, canon_config, combined, proof_value) in curves {
        let pair: Value = serde_json::from_str(pair).expect("json");
        let config: Value = serde_json::from_str(config).expect("json");
        let key = VerifyingKey::from_did(&format!("did:key:{}", pair["publicKeyMultibase"].as_str().expect("key"))).expect("did:key");
        let document = suite::transform(unsigned, None).expect("jcs");
        assert_eq!(document, canon_doc);
        let options = suite::proof_config(config.as_object().expect("object")).expect("config");
        assert_eq!(options, canon_config);
        let data = suite::hash_data(alg, &document, &options).expect("hash data");
        assert_eq!(data, hex(combined.trim()));
        let (claimed, signature) = suite::decode_proof_value(proof_value.trim()).expect("proofValue");
        assert_eq!(claimed, alg);
        assert!(key.verify(alg, &data, &signature), "{alg}");
        let mut bad = data.clone();
        bad[0] ^= 1;
        assert!(!key.verify(alg, &bad, &signature), "{alg}");
    }
    curves.len()
}

/// Generates the vector test functions with the given test attribute (`test` natively,
/// `wasm_bindgen_test` under wasm), so every runtime runs the same list.
#[macro_export]
macro_rules! vector_suite {
    ($attr:meta) => {
        #[$attr]
        fn rfc8032_section_7_1() {
            common::rfc8032_section_7_1();
        }

        #[$attr]
        fn rfc8037_appendix_a() {
            common::rfc8037_appendix_a();
        }

        #[$attr]
        fn wycheproof_all_151() {
            assert_eq!(common::wycheproof(), 151);
        }

        #[$attr]
        fn speccheck_policy() {
            common::speccheck();
        }

        #[$attr]
        fn cctv_policy() {
            let accepted = common::cctv();
            assert!(accepted > 0 && accepted < 914);
        }

        #[$attr]
        fn cctv_batch_agrees_with_single() {
            common::cctv_batch_agrees_with_single();
        }

        #[$attr]
        fn batch_marks_exactly_the_bad_items() {
            common::batch_marks_exactly_the_bad_items();
        }

        #[$attr]
        fn didkey_vectors() {
            assert_eq!(common::didkey(), 5);
        }

        #[$attr]
        fn vc_di_ecdsa_jcs_vectors() {
            assert_eq!(common::vc_di_ecdsa_jcs(), 2);
        }

        #[$attr]
        fn key_generation_uses_the_platform_csprng() {
            let a = credcore::keys::KeyPair::generate().expect("random source");
            let b = credcore::keys::KeyPair::generate().expect("random source");
            assert_ne!(a.public_key().as_bytes(), b.public_key().as_bytes());
        }
    };
}
