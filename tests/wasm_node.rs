//! The vector suites under wasm32, in Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod common;

use wasm_bindgen_test::wasm_bindgen_test;

vector_suite!(wasm_bindgen_test);
