//! credcore: strict, fast verification of verifiable credentials, for WebAssembly and native Rust.
//!
//! The core is pure Rust. The only JavaScript-facing code lives in the `wasm` module, compiled
//! for `wasm32` targets only.
//!
//! ```
//! use credcore::keys::{verify_batch, KeyPair, SignatureJob};
//!
//! let alice = KeyPair::from_seed(&[7; 32]);
//! let messages: Vec<Vec<u8>> = (0..8).map(|i| format!("message {i}").into_bytes()).collect();
//! let mut signatures: Vec<[u8; 64]> = messages.iter().map(|m| alice.sign(m)).collect();
//! signatures[3][0] ^= 1; // one forgery
//! let jobs: Vec<SignatureJob<'_>> = messages
//!     .iter()
//!     .zip(&signatures)
//!     .map(|(m, s)| SignatureJob { message: m, signature: s, key: alice.public_key() })
//!     .collect();
//! let ok = verify_batch(&jobs);
//! assert_eq!(ok, vec![true, true, true, false, true, true, true, true]);
//! ```

// Layers, bottom to top (tests/layers.rs fails on an import against them or a cycle):
// primitives (error, limits, encoding, json, time, hash, mac, jcs, random, cache) -> keys, jws -> the shared
// vocabulary of verification (verdict, options, batch) -> status lists and the formats
// (credential, sdjwt) -> the pipeline (verifier); audit and session stand on the primitives.
pub mod audit;
pub mod batch;
pub mod cache;
pub mod credential;
pub mod encoding;
pub mod error;
pub mod hash;
pub mod jcs;
pub mod json;
pub mod jws;
pub mod keys;
pub mod limits;
pub mod mac;
pub mod options;
pub mod random;
pub mod sdjwt;
pub mod session;
pub mod status;
pub mod time;
pub mod verdict;
pub mod verifier;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorCode, Result};
