//! The vector suites under wasm32, in Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn rfc8032_section_7_1() {
    common::rfc8032_section_7_1();
}

#[wasm_bindgen_test]
fn rfc8037_appendix_a() {
    common::rfc8037_appendix_a();
}

#[wasm_bindgen_test]
fn wycheproof_all_151() {
    assert_eq!(common::wycheproof(), 151);
}

#[wasm_bindgen_test]
fn speccheck_policy() {
    common::speccheck();
}

#[wasm_bindgen_test]
fn cctv_policy() {
    let accepted = common::cctv();
    assert!(accepted > 0 && accepted < 914);
}

#[wasm_bindgen_test]
fn cctv_batch_agrees_with_single() {
    common::cctv_batch_agrees_with_single();
}

#[wasm_bindgen_test]
fn batch_marks_exactly_the_bad_items() {
    common::batch_marks_exactly_the_bad_items();
}

#[wasm_bindgen_test]
fn didkey_vectors() {
    assert_eq!(common::didkey(), 5);
}

#[wasm_bindgen_test]
fn key_generation_uses_the_platform_csprng() {
    let a = credcore::keys::KeyPair::generate().expect("random source");
    let b = credcore::keys::KeyPair::generate().expect("random source");
    assert_ne!(a.public_key().as_bytes(), b.public_key().as_bytes());
}
