#![cfg(not(target_arch = "wasm32"))]
// Test helpers unwrap fixture data that ships with the suite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! x5c chain validation (`keys::x509`) on third-party chains: the C2SP x509-limbo "online" cases
//! (real CA-issued chains with their validation time, tests/vectors/x509-limbo/), each valid as
//! given, and each turned into refusals: the clock past a notAfter or before a notBefore, a
//! flipped signature bit in every certificate, another root, a missing or reordered
//! intermediate, an oversized or garbage x5c, and a leaf that does not name the issuer.

use base64::Engine as _;
use credcore::keys::x509::{self, TrustAnchors, MAX_X5C_CERTS};
use credcore::time::parse_rfc3339;
use credcore::ErrorCode;
use serde_json::{json, Value};
use std::path::Path;

struct Case {
    id: String,
    chain: Vec<Vec<u8>>,
    anchors: Vec<String>,
    now: i64,
    peer: String,
}

fn der_of(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).unwrap()
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/x509-limbo/online");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let case: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
            assert_eq!(case["expected_result"], "SUCCESS");
            let mut chain = vec![der_of(case["peer_certificate"].as_str().unwrap())];
            chain.extend(case["untrusted_intermediates"].as_array().unwrap().iter().map(|p| der_of(p.as_str().unwrap())));
            Case {
                id: case["id"].as_str().unwrap().to_owned(),
                chain,
                anchors: case["trusted_certs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect(),
                now: parse_rfc3339(case["validation_time"].as_str().unwrap()).unwrap(),
                peer: case["expected_peer_name"]["value"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}

fn code(r: credcore::Result<x509::CertifiedKey>) -> (ErrorCode, Option<String>) {
    let e = r.map(|_| ()).unwrap_err();
    (e.code, e.path)
}

#[test]
fn limbo_online_chains_validate_at_their_time() {
    let cases = cases();
    assert_eq!(cases.len(), 14);
    let mut exact_names = 0;
    for case in &cases {
        let anchors = TrustAnchors::parse(&case.anchors).unwrap();
        let key = x509::validate(&case.chain, &anchors, case.now).unwrap_or_else(|e| panic!("{}: {e}", case.id));
        assert!(key.holds_at(case.now), "{}", case.id);
        // Names compare exactly: a wildcard SAN (`*.python.org`) names no issuer.
        let exact = key.dns_names.iter().any(|d| d.eq_ignore_ascii_case(&case.peer));
        assert_eq!(key.names(&format!("https://{}", case.peer)), exact, "{}: {:?}", case.id, key.dns_names);
        assert_eq!(key.names(&format!("https://{}:443/issuer/1?x#y", case.peer)), exact, "{}", case.id);
        assert!(!key.names(&format!("https://{}", "x.".repeat(2) + &case.peer)), "{}", case.id);
        exact_names += usize::from(exact);
        assert!(!key.names(&format!("https://{}.evil.example", case.peer)), "{}", case.id);
        assert!(!key.names(&format!("https://user@{}", case.peer)), "{}", case.id);
        assert!(!key.names(&format!("http://{}", case.peer)), "{}", case.id);
        assert!(!key.names(&case.peer), "{}", case.id);
        // The anchor may travel at the end of the chain.
        let mut with_root = case.chain.clone();
        with_root.push(der_of(&case.anchors[0]));
        assert!(x509::validate(&with_root, &anchors, case.now).is_ok(), "{}", case.id);
    }
    assert!(exact_names >= 10, "{exact_names}");
}

#[test]
fn limbo_chains_refused_outside_their_validity() {
    for case in &cases() {
        let anchors = TrustAnchors::parse(&case.anchors).unwrap();
        let key = x509::validate(&case.chain, &anchors, case.now).unwrap();
        let (c, _) = code(x509::validate(&case.chain, &anchors, key.not_after + 1));
        assert_eq!(c, ErrorCode::CertificateExpired, "{}", case.id);
        assert!(x509::validate(&case.chain, &anchors, key.not_after).is_ok(), "{}: notAfter is inclusive", case.id);
        let (c, _) = code(x509::validate(&case.chain, &anchors, key.not_before - 1));
        assert_eq!(c, ErrorCode::CertificateNotYetValid, "{}", case.id);
    }
}

#[test]
fn limbo_chains_refused_when_tampered_or_misassembled() {
    let cases = cases();
    for (n, case) in cases.iter().enumerate() {
        let anchors = TrustAnchors::parse(&case.anchors).unwrap();
        // A flipped bit in the last byte (inside the signature) of each certificate.
        for i in 0..case.chain.len() {
            let mut chain = case.chain.clone();
            *chain[i].last_mut().unwrap() ^= 1;
            assert_eq!(
                code(x509::validate(&chain, &anchors, case.now)),
                (ErrorCode::UntrustedCertificate, Some(format!("x5c[{i}]"))),
                "{}",
                case.id
            );
        }
        // A flipped bit in the leaf's TBS (its last byte before the signature algorithm is
        // somewhere in its extensions; the middle of the certificate is in the TBS).
        let mut chain = case.chain.clone();
        let mid = chain[0].len() / 2;
        chain[0][mid] ^= 0x01;
        let r = x509::validate(&chain, &anchors, case.now);
        assert!(r.is_err(), "{}: a changed TBS validated", case.id);
        // The leaf alone: its issuer is no anchor.
        assert_eq!(code(x509::validate(&case.chain[..1], &anchors, case.now)).0, ErrorCode::UntrustedCertificate, "{}", case.id);
        // Reversed: the intermediate is no leaf of this anchor path.
        let mut reversed = case.chain.clone();
        reversed.reverse();
        assert!(x509::validate(&reversed, &anchors, case.now).is_err(), "{}", case.id);
        // Another case's root, when it is another certificate.
        let other = &cases[(n + 1) % cases.len()];
        if other.anchors != case.anchors {
            let anchors = TrustAnchors::parse(&other.anchors).unwrap();
            assert_eq!(code(x509::validate(&case.chain, &anchors, case.now)).0, ErrorCode::UntrustedCertificate, "{}", case.id);
        }
        // No anchors at all.
        assert_eq!(code(x509::validate(&case.chain, &TrustAnchors::default(), case.now)).0, ErrorCode::UntrustedCertificate);
        // The intermediate as a leaf of itself pinned as the anchor (allowed: the caller pinned it),
        // and the leaf pinned as its own anchor.
        let leaf_pem = base64::engine::general_purpose::STANDARD.encode(&case.chain[0]);
        let pinned = TrustAnchors::parse(&[leaf_pem]).unwrap();
        assert!(x509::validate(&case.chain[..1], &pinned, case.now).is_ok(), "{}", case.id);
        assert_eq!(code(x509::validate(&case.chain[..1], &pinned, i64::MAX / 2)).0, ErrorCode::CertificateExpired);
    }
}

#[test]
fn x5c_bounds_and_garbage() {
    let case = &cases()[0];
    let anchors = TrustAnchors::parse(&case.anchors).unwrap();
    let b64 = |d: &[u8]| Value::String(base64::engine::general_purpose::STANDARD.encode(d));
    let hundred = Value::Array((0..100).map(|_| b64(&case.chain[0])).collect());
    let e = x509::decode_x5c(&hundred).unwrap_err();
    assert_eq!((e.code, e.path.as_deref()), (ErrorCode::InputTooLarge, Some("x5c")));
    let long: Vec<Vec<u8>> = (0..=MAX_X5C_CERTS).map(|_| case.chain[0].clone()).collect();
    assert_eq!(code(x509::validate(&long, &anchors, case.now)).0, ErrorCode::InputTooLarge);
    for bad in [json!("MIIB"), json!([]), json!([1]), json!(["not base64!"]), json!(["AAAA"])] {
        let r = x509::decode_x5c(&bad).and_then(|chain| x509::validate(&chain, &anchors, case.now));
        assert_eq!(r.map(|_| ()).unwrap_err().code, ErrorCode::MalformedInput, "{bad}");
    }
    // Base64url is not the base64 of RFC 7515's x5c.
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&case.chain[0]);
    assert_eq!(x509::decode_x5c(&json!([url])).unwrap_err().code, ErrorCode::MalformedInput);
    // Truncated and padded DER.
    for der in [case.chain[0][..case.chain[0].len() - 1].to_vec(), [case.chain[0].clone(), vec![0]].concat(), vec![0x30, 0x00]] {
        let chain = vec![der, case.chain[1].clone()];
        let e = x509::validate(&chain, &anchors, case.now).map(|_| ()).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::MalformedInput, Some("x5c[0]")));
    }
    let huge = vec![0x30u8; x509::MAX_CERT_BYTES + 1];
    assert_eq!(code(x509::validate(&[huge], &anchors, case.now)).0, ErrorCode::InputTooLarge);
    // Anchors that are not certificates fail the options.
    for bad in ["", "garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----\nMIIB"] {
        let e = TrustAnchors::parse(&[bad.to_owned()]).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::MalformedInput, Some("trustAnchors[0]")), "{bad}");
    }
    let many: Vec<String> = (0..=x509::MAX_TRUST_ANCHORS).map(|_| case.anchors[0].clone()).collect();
    assert_eq!(TrustAnchors::parse(&many).unwrap_err().code, ErrorCode::InputTooLarge);
}

#[test]
fn limbo_explicit_curve_certificates_are_refused() {
    // x509-limbo's explicit-curve CA and leaf (EC parameters spelled out instead of a named curve,
    // which RFC 5480 forbids): tests/vectors/x509-limbo/assets/.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/x509-limbo/assets");
    let pem = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let (ca, leaf) = (pem("explicit_curve_ca.pem"), pem("explicit_curve_leaf.pem"));
    let anchors = TrustAnchors::parse(std::slice::from_ref(&ca)).unwrap();
    let chain = vec![der_of(&leaf)];
    let e = x509::validate(&chain, &anchors, 1_750_000_000).map(|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::UntrustedCertificate, "{e}");
}
