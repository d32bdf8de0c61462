//! The vector suites under wasm32, in headless Chromium (`wasm-pack test --headless --chrome`).
//! A separate file from wasm_node.rs: a file configured `run_in_browser` is skipped under
//! `--node`, and one without it is skipped under `--chrome`.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

vector_suite!(wasm_bindgen_test);
