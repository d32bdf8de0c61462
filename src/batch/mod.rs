//! The batch engine: one pass over a batch.
//!
//! parse every item -> run the checks that need no cryptography (format, algorithm, times,
//! trusted issuer, status) -> collect every signature of every item -> one Ed25519 batch
//! verification over all of them (bisecting on failure) -> one result per item, in input order.
//! One bad item never fails the batch.

pub mod engine;
pub mod packed;

use crate::credential::VerificationResult;
use crate::error::{Error, ErrorCode};
use crate::keys::{verify_batch, PublicKey, SignatureJob};

/// A signature an item needs checked, and what it means when it does not verify.
#[derive(Clone, Debug)]
pub struct SigCheck {
    /// The signed bytes (e.g. a JWS signing input).
    pub message: Vec<u8>,
    /// The 64-byte signature.
    pub signature: [u8; 64],
    /// The key that must have made it.
    pub key: PublicKey,
    /// The code recorded when it does not verify (`INVALID_SIGNATURE`,
    /// `INVALID_PRESENTATION_SIGNATURE`, `KEY_BINDING_INVALID`, ...).
    pub code: ErrorCode,
    /// Where in the item the signature is.
    pub path: String,
}

/// A status-list reference found in a credential, to be checked against the caller's lists.
#[derive(Clone, Debug)]
pub struct StatusRef {
    /// The raw entry: a W3C `credentialStatus` object or an IETF `status` object (`status_list`).
    pub entry: serde_json::Value,
    /// The credential's issuer DID (a list must come from it or from a trusted list issuer).
    pub issuer: String,
    /// Where in the item the entry is.
    pub path: String,
}

/// One item after every check that needs no cryptography.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The result so far, with every non-cryptographic failure recorded.
    pub result: VerificationResult,
    /// The signatures still to check.
    pub checks: Vec<SigCheck>,
    /// Status-list references still to check.
    pub status: Vec<StatusRef>,
}

impl Prepared {
    /// An item that already failed; it needs no signature checks.
    pub fn failed(result: VerificationResult) -> Prepared {
        Prepared { result, checks: Vec::new(), status: Vec::new() }
    }
}

/// Verifies every signature of every prepared item in one batch and completes the results.
pub fn finish(items: Vec<Prepared>) -> Vec<VerificationResult> {
    let outcomes = {
        let jobs: Vec<SignatureJob<'_>> = items
            .iter()
            .flat_map(|item| item.checks.iter())
            .map(|c| SignatureJob { message: &c.message, signature: &c.signature, key: &c.key })
            .collect();
        verify_batch(&jobs)
    };
    let mut outcome = outcomes.into_iter();
    items
        .into_iter()
        .map(|item| {
            let mut result = item.result;
            for check in item.checks {
                if !outcome.next().unwrap_or(false) {
                    let what = match check.code {
                        ErrorCode::InvalidPresentationSignature => "the holder's signature does not verify",
                        ErrorCode::KeyBindingInvalid => "the key-binding signature does not verify",
                        _ => "the issuer's signature does not verify",
                    };
                    result.push(Error::new(check.code, what).at(check.path));
                }
            }
            result.valid = result.errors.is_empty();
            result
        })
        .collect()
}
