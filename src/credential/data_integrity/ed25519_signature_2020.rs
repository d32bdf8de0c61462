//! The Ed25519Signature2020 proof type (W3C Ed25519 Signature 2020, the legacy suite that W3C
//! Data Integrity EdDSA Cryptosuites v1.0 keeps test vectors for): a proof of `type`
//! `Ed25519Signature2020` with no `cryptosuite`, whose hash data is computed as eddsa-rdfc-2022's
//! ([`super::rdfc`]): the proof options (the proof without `proofValue`) take the document's
//! `@context`, and are canonicalized with RDFC-1.0 like the document.
//!
//! Policy: a `cryptosuite` member in such a proof is refused (`MALFORMED_INPUT`): it belongs to
//! `DataIntegrityProof`, and a reader that dispatches on it would verify another suite.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// The proof's `type`.
pub const PROOF_TYPE: &str = "Ed25519Signature2020";

/// Checks what this proof type requires of its members beyond the checks every proof gets.
///
/// # Errors
/// `MALFORMED_INPUT` (at `cryptosuite`) for a proof that names a cryptosuite.
pub fn check(proof: &Map<String, Value>) -> Result<()> {
    if proof.contains_key("cryptosuite") {
        return Err(Error::malformed("an Ed25519Signature2020 proof names no cryptosuite").at("cryptosuite"));
    }
    Ok(())
}
