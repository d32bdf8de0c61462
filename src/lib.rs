//! credcore: strict, fast verification of verifiable credentials, for WebAssembly and native Rust.
//!
//! The core is pure Rust. The only JavaScript-facing code lives in the `wasm` module, compiled
//! for `wasm32` targets only.
//!
//! ```
//! use credcore::{verify_batch, KeyPair, SignatureJob};
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
// The product is the wasm build, where the compiler reports dead code (`make lint` runs clippy
// for wasm32 with warnings as errors); a native build without `internals` has no boundary and
// uses only the curated surface, so what only the boundary uses is not dead there.
// The boundary is built as two modules, the default one (`boundary`) and the issuing module
// (`issuing`, issuing-wasm/), each linking half of the core: dead code is reported where both
// halves are compiled (`make lint` runs clippy for wasm32 with both features). The keys module
// (keys-wasm/) builds the core without either and uses one entry point of it.
#![cfg_attr(
    any(
        all(not(target_arch = "wasm32"), not(feature = "internals")),
        all(target_arch = "wasm32", not(all(feature = "boundary", feature = "issuing")))
    ),
    allow(dead_code, unused_imports)
)]

/// Declares the core's modules: public with the `internals` feature (the test suites, the fuzz
/// targets and the timing examples enable it), crate-private otherwise, so that the compiler
/// reports dead code and the crate's surface is what this file re-exports below.
macro_rules! internal_modules {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "internals")]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            pub(crate) mod $name;
        )*
    };
}

internal_modules!(
    audit, batch, cache, credential, encoding, error, hash, jcs, json, jws, keys, limits, mac, options, random, sdjwt, session, status,
    time, verdict, verifier
);

#[cfg(all(target_arch = "wasm32", any(feature = "boundary", feature = "issuing")))]
mod wasm;

/// The entry points of the lazily loaded keys module (`keys-wasm/`): X.509 path validation.
#[cfg(feature = "x509")]
pub use keys::x509::module as keys_module;

/// The ECDSA and RSA entry points of the lazily loaded keys module (`keys-wasm/`).
#[cfg(feature = "curves")]
pub use batch::curves_module;

// The curated surface: what a Rust user of the core needs, as the JS API offers it.
pub use credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat};
pub use credential::{Format, Kind, VerifyOptions};
pub use error::{Error, ErrorCode, Result};
pub use keys::{
    verify, verify_batch, verify_slices, BatchState, KeyPair, PublicKey, SignatureJob, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH,
    SIGNATURE_LENGTH,
};
pub use verdict::VerificationResult;
pub use verifier::{CacheConfig, Verifier, VerifierStats};
