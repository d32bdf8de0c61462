//! Published Ed25519, RFC 8037 and did:key vectors, natively.
#![cfg(not(target_arch = "wasm32"))]

mod common;

#[test]
fn rfc8032_section_7_1() {
    common::rfc8032_section_7_1();
}

#[test]
fn rfc8037_appendix_a() {
    common::rfc8037_appendix_a();
}

#[test]
fn wycheproof_all_151() {
    assert_eq!(common::wycheproof(), 151);
}

#[test]
fn speccheck_policy() {
    common::speccheck();
}

#[test]
fn cctv_policy() {
    let accepted = common::cctv();
    assert!(accepted > 0 && accepted < 914);
}

#[test]
fn cctv_batch_agrees_with_single() {
    common::cctv_batch_agrees_with_single();
}

#[test]
fn batch_marks_exactly_the_bad_items() {
    common::batch_marks_exactly_the_bad_items();
}

#[test]
fn didkey_vectors() {
    assert_eq!(common::didkey(), 5);
}
