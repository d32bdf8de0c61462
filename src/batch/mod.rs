//! Batch verification jobs: what a prepared item still needs checked (signatures, status
//! entries), and [`finish`], which verifies every Ed25519 signature of every item in one batch
//! verification (bisecting on failure), hands every other signature (ECDSA, RSA) in one list to
//! a [`HostVerifier`], and completes the results. The pipeline that prepares the items is the
//! verifier's (`crate::verifier`).

pub mod wire;
#[cfg(feature = "curves")]
pub mod curves_module;

use crate::error::{Error, ErrorCode};
#[cfg(any(test, feature = "internals"))]
use crate::keys::RustVerifier;
use crate::keys::{Algorithm, BatchState, HostJob, HostVerifier, SignatureJob, VerifyingKey};
use crate::verdict::VerificationResult;

/// A signature an item needs checked, and what it means when it does not verify. Made only
/// once the key accepts the algorithm (see [`crate::keys::VerifyingKey::refuses`]).
#[derive(Clone, Debug)]
pub struct SigCheck {
    /// The signed bytes (e.g. a JWS signing input).
    pub message: Vec<u8>,
    /// The signature, of the length its algorithm takes.
    pub signature: Vec<u8>,
    /// The algorithm.
    pub alg: Algorithm,
    /// The key that must have made it.
    pub key: VerifyingKey,
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

/// Verifies every signature of every prepared item and completes (seals) the results.
#[cfg(any(test, feature = "internals"))]
pub fn finish(items: Vec<Prepared>) -> Vec<VerificationResult> {
    finish_with(items, &mut BatchState::default())
}

/// [`finish`] for one of several groups of a call, continuing the batch verification's `state`;
/// signatures other than Ed25519 are settled in-process ([`RustVerifier`]).
#[cfg(any(test, feature = "internals"))]
pub fn finish_with(items: Vec<Prepared>, state: &mut BatchState) -> Vec<VerificationResult> {
    finish_settled(items, state, &mut RustVerifier)
}

/// Whether each signature check of `checks` verifies: the Ed25519 ones in one batch verification
/// (continuing `state`), all others in one list handed to `host`.
pub fn settle<'a>(checks: impl Iterator<Item = &'a SigCheck>, state: &mut BatchState, host: &mut dyn HostVerifier) -> Vec<bool> {
    // Ed25519 jobs go to the batch equation, the rest to the host, each list in item order;
    // `route` remembers which list (and place) each check went to.
    let mut ed: Vec<SignatureJob<'_>> = Vec::new();
    let mut other: Vec<HostJob<'_>> = Vec::new();
    let mut route: Vec<(bool, usize)> = Vec::new();
    for c in checks {
        match ed25519_job(c) {
            Some(job) => {
                route.push((true, ed.len()));
                ed.push(job);
            }
            None => {
                route.push((false, other.len()));
                other.push(host_job(c));
            }
        }
    }
    let ed_ok = state.verify(&ed);
    let other_ok = if other.is_empty() { Vec::new() } else { host.verify_jobs(&other) };
    route.into_iter().map(|(is_ed, i)| if is_ed { ed_ok.get(i) } else { other_ok.get(i) }.copied().unwrap_or(false)).collect()
}

/// A check as a job of the Ed25519 batch equation, or `None` when it goes to the host (another
/// algorithm, or an EdDSA check whose key or signature is not Ed25519's: the host refuses it).
fn ed25519_job(c: &SigCheck) -> Option<SignatureJob<'_>> {
    let key = if c.alg == Algorithm::EdDsa { c.key.ed25519() } else { None }?;
    let signature = <&[u8; 64]>::try_from(c.signature.as_slice()).ok()?;
    Some(SignatureJob { message: &c.message, signature, key })
}

fn host_job(c: &SigCheck) -> HostJob<'_> {
    HostJob { alg: c.alg, key: &c.key, message: &c.message, signature: &c.signature }
}

/// The checks of `checks` that [`settle`] hands the host (every one that is not an Ed25519 batch
/// job), in order, without settling anything: what a host round collects.
pub fn host_jobs<'a>(checks: impl Iterator<Item = &'a SigCheck>) -> Vec<HostJob<'a>> {
    checks.filter(|c| ed25519_job(c).is_none()).map(host_job).collect()
}

/// [`finish_with`], with the signatures other than Ed25519 settled by `host`.
pub fn finish_settled(items: Vec<Prepared>, state: &mut BatchState, host: &mut dyn HostVerifier) -> Vec<VerificationResult> {
    crate::keys::curves::take_failure();
    let outcomes = settle(items.iter().flat_map(|item| item.checks.iter()), state, host);
    // Jobs the keys module could not settle (not loaded, trapped) are that error, not invalid
    // signatures (and such results are never cached); every other verdict stands.
    let unsettled = crate::keys::curves::take_failure();
    let mut outcome = outcomes.into_iter();
    items
        .into_iter()
        .map(|item| {
            let mut result = item.result;
            for check in item.checks {
                if !outcome.next().unwrap_or(false) {
                    match &unsettled {
                        Some(u) if u.covers(&host_job(&check)) => result.push(u.error.clone().at(check.path)),
                        _ => result.push(Error::new(check.code, failure_message(check.code)).at(check.path)),
                    }
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
