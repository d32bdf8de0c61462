//! Batch verification jobs: what a prepared item still needs checked (signatures, status
//! entries), and [`finish`], which verifies every signature of every item in one Ed25519 batch
//! verification (bisecting on failure) and completes the results. The pipeline that prepares the
//! items is the verifier's (`crate::verifier`).

pub mod wire;

use crate::error::{Error, ErrorCode};
use crate::keys::{BatchState, PublicKey, SignatureJob};
use crate::verdict::VerificationResult;

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
    /// The first instant (seconds since the epoch) after the verification time at which one of
    /// the item's time checks would decide otherwise (an expiry passing, a not-before reached):
    /// until then the result cannot change with time alone.
    pub stable_until: Option<i64>,
}

impl Prepared {
    /// An item that already failed; it needs no signature checks.
    pub fn failed(result: VerificationResult) -> Prepared {
        Prepared { result, checks: Vec::new(), status: Vec::new(), stable_until: None }
    }
}

/// Verifies every signature of every prepared item in one batch and completes (seals) the results.
#[cfg(any(test, feature = "internals"))]
pub fn finish(items: Vec<Prepared>) -> Vec<VerificationResult> {
    finish_with(items, &mut BatchState::default())
}

/// [`finish`] for one of several groups of a call, continuing the batch verification's `state`.
pub fn finish_with(items: Vec<Prepared>, state: &mut BatchState) -> Vec<VerificationResult> {
    let outcomes = {
        let jobs: Vec<SignatureJob<'_>> = items
            .iter()
            .flat_map(|item| item.checks.iter())
            .map(|c| SignatureJob { message: &c.message, signature: &c.signature, key: &c.key })
            .collect();
        state.verify(&jobs)
    };
    let mut outcome = outcomes.into_iter();
    items
        .into_iter()
        .map(|item| {
            let mut result = item.result;
            for check in item.checks {
                if !outcome.next().unwrap_or(false) {
                    result.push(Error::new(check.code, failure_message(check.code)).at(check.path));
                }
            }
            result.seal();
            result
        })
        .collect()
}

/// What a failed signature of `code` means.
fn failure_message(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidPresentationSignature => "the holder's signature does not verify",
        ErrorCode::KeyBindingInvalid => "the key-binding signature does not verify",
        ErrorCode::InvalidStatusList => "the status list's signature does not verify",
        _ => "the issuer's signature does not verify",
    }
}
