//! Published Ed25519, RFC 8037 and did:key vectors, natively.
#![cfg(not(target_arch = "wasm32"))]

#[macro_use]
mod common;

vector_suite!(test);
