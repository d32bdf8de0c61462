//! credcore: strict, fast verification of verifiable credentials, for WebAssembly and native Rust.
//!
//! The core is pure Rust. The only JavaScript-facing code lives in the `wasm` module, compiled
//! for `wasm32` targets only.

pub mod audit;
pub mod batch;
pub mod cache;
pub mod credential;
pub mod encoding;
pub mod error;
pub mod jws;
pub mod keys;
pub mod limits;
pub mod sdjwt;
pub mod status;
pub mod verifier;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorCode, Result};
