//! The ECDSA (P-256, P-384, secp256k1) and RSA arithmetic behind one seam, [`Curves`]: verifying
//! host jobs, deriving an ECDSA public key from its secret, and signing (RFC 6979).
//!
//! With the `curves` feature (the native builds, the keys module `keys-wasm/`) it is RustCrypto's
//! `p256`, `p384`, `k256` and `rsa`, in-process ([`InProcess`]). The default wasm module leaves
//! them out for its size and asks the keys module through JavaScript instead (`src/wasm/curves.rs`
//! installs the bridge; `pkg-template/keys-module.js` answers). Every decision that is policy
//! (which algorithm, which key, point validity, lengths and ranges, what a result means) is made
//! before the seam, in every build; the seam only computes.
//!
//! A seam that cannot answer (the keys module not loaded, or trapped) is an error, never a
//! verdict: the jobs of that call answer false and the failure is kept for the caller to record
//! instead of an invalid signature ([`take_failure`]; `NOT_INITIALIZED` naming `loadKeys()`).

use super::alg::Algorithm;
use super::ec::EcKey;
use super::host::{HostJob, HostVerifier};
use super::verifying::{KeyMaterial, VerifyingKey};
use crate::error::{Error, ErrorCode, Result};
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

/// The arithmetic of ECDSA and RSA, in-process or in the keys module.
pub trait Curves {
    /// Whether each job's signature verifies, in order (the jobs are admissible: see
    /// [`HostJob::admissible`]).
    ///
    /// # Errors
    /// `NOT_INITIALIZED` or `INTERNAL_ERROR` when the jobs cannot be settled at all.
    fn settle(&self, jobs: &[HostJob<'_>]) -> Result<Vec<bool>>;

    /// The public key of an ES256, ES384 or ES256K secret scalar (already checked in range).
    ///
    /// # Errors
    /// As [`Curves::settle`]; `INVALID_KEY` for a scalar the curve refuses.
    fn public_key(&self, alg: Algorithm, secret: &[u8]) -> Result<EcKey>;

    /// The JWS signature `r || s` (RFC 6979 deterministic) of `message` with an ES256, ES384 or
    /// ES256K secret scalar.
    ///
    /// # Errors
    /// As [`Curves::public_key`].
    fn sign(&self, alg: Algorithm, secret: &[u8], message: &[u8]) -> Result<Vec<u8>>;
}

thread_local! {
    static INSTALLED: RefCell<Option<Rc<dyn Curves>>> = const { RefCell::new(None) };
    static FAILURE: RefCell<Option<Unsettled>> = const { RefCell::new(None) };
}

/// What the seam could not do since the last [`take_failure`]: its first error, and the jobs
/// (by [`HostJob::tag`]) it could not settle.
#[derive(Debug)]
pub struct Unsettled {
    /// The error to record instead of a verdict or a signature.
    pub error: Error,
    jobs: HashSet<super::host::JobTag>,
}

impl Unsettled {
    /// Whether `job` is one the seam could not settle (its `false` is no verdict); without a
    /// tag (no random source), every job is.
    pub fn covers(&self, job: &HostJob<'_>) -> bool {
        job.tag().is_none_or(|t| self.jobs.contains(&t))
    }
}

/// Makes `curves` the seam this thread uses (the wasm boundary installs the bridge to the keys
/// module); `None` returns to the built-in one, if any.
#[cfg(any(target_arch = "wasm32", test, feature = "internals"))]
pub fn install(curves: Option<Rc<dyn Curves>>) {
    INSTALLED.with(|i| *i.borrow_mut() = curves);
}

/// The installed seam, else the in-process one (the `curves` feature).
///
/// # Errors
/// `NOT_INITIALIZED` when this build has neither.
fn current() -> Result<Rc<dyn Curves>> {
    if let Some(installed) = INSTALLED.with(|i| i.borrow().clone()) {
        return Ok(installed);
    }
    #[cfg(feature = "curves")]
    {
        Ok(Rc::new(InProcess))
    }
    #[cfg(not(feature = "curves"))]
    {
        Err(Error::new(ErrorCode::NotInitialized, "ECDSA and RSA are computed by the keys module, which this build does not have"))
    }
}

/// Whether each job verifies: the admissible ones through the seam in one call, the others
/// false. A seam that fails answers every job false and keeps its failure ([`take_failure`]).
pub fn settle(jobs: &[HostJob<'_>]) -> Vec<bool> {
    let asked: Vec<usize> = (0..jobs.len()).filter(|&i| jobs.get(i).is_some_and(HostJob::admissible)).collect();
    let mut out = vec![false; jobs.len()];
    if asked.is_empty() {
        return out;
    }
    let admissible: Vec<HostJob<'_>> = asked.iter().filter_map(|&i| jobs.get(i).copied()).collect();
    match current().and_then(|c| c.settle(&admissible)) {
        Ok(answers) if answers.len() == asked.len() => {
            for (&i, answer) in asked.iter().zip(answers) {
                if let Some(slot) = out.get_mut(i) {
                    *slot = answer;
                }
            }
        }
        Ok(_) => fail(Error::new(ErrorCode::InternalError, "the keys module answered the wrong number of signatures"), &admissible),
        Err(e) => fail(e, &admissible),
    }
    out
}

/// Most jobs in one call of the keys module (4 packed fields each: far under the packed format's
/// bound on fields).
pub const JOBS_PER_CALL: usize = 16_384;
/// About the most bytes of messages and signatures in one call of the keys module (far under the
/// packed format's bound on bytes).
pub const BYTES_PER_CALL: usize = 32 * 1024 * 1024;

/// How many of `jobs` each call of the keys module takes, in order: at most [`JOBS_PER_CALL`] and,
/// past the first job of a call, at most about [`BYTES_PER_CALL`] bytes; every job in exactly one.
pub fn call_sizes(jobs: &[HostJob<'_>]) -> Vec<usize> {
    split_by(jobs.iter().map(|j| j.message.len() + j.signature.len() + 64))
}

fn split_by(costs: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut take, mut bytes) = (0usize, 0usize);
    for cost in costs {
        if take > 0 && (take == JOBS_PER_CALL || bytes.saturating_add(cost) > BYTES_PER_CALL) {
            out.push(take);
            (take, bytes) = (0, 0);
        }
        take += 1;
        bytes = bytes.saturating_add(cost);
    }
    if take > 0 {
        out.push(take);
    }
    out
}

/// The in-process settler: [`settle`] (RustCrypto with the `curves` feature, else the keys
/// module, in one call for the whole list).
#[derive(Clone, Copy, Debug, Default)]
pub struct RustVerifier;

impl HostVerifier for RustVerifier {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        settle(jobs)
    }
}

impl VerifyingKey {
    /// Verifies one signature of `alg` over `message` (Ed25519 under the strict policy; ECDSA
    /// and RSA through this seam: in-process with the `curves` feature, else the keys module).
    /// False whenever the key refuses the algorithm.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        if self.refuses(alg).is_some() {
            return false;
        }
        match self.material() {
            KeyMaterial::Ed25519(k) => <&[u8; 64]>::try_from(signature).is_ok_and(|s| super::policy::verify(message, s, k)),
            KeyMaterial::Ec(_) | KeyMaterial::Rsa(_) => {
                let job = HostJob { alg, key: self, message, signature };
                settle(std::slice::from_ref(&job)).first().copied().unwrap_or(false)
            }
        }
    }
}

/// The public key of an ECDSA secret, through the seam.
///
/// # Errors
/// As [`Curves::public_key`].
pub(super) fn public_key(alg: Algorithm, secret: &[u8]) -> Result<EcKey> {
    current()?.public_key(alg, secret)
}

/// An ECDSA signature, through the seam; empty when the seam fails, with its failure kept
/// ([`take_failure`]): what signs checks for it before it hands out what it signed.
pub(super) fn sign(alg: Algorithm, secret: &[u8], message: &[u8]) -> Vec<u8> {
    current().and_then(|c| c.sign(alg, secret, message)).unwrap_or_else(|e| {
        fail(e, &[]);
        Vec::new()
    })
}

fn fail(error: Error, jobs: &[HostJob<'_>]) {
    FAILURE.with(|f| {
        if let Ok(mut slot) = f.try_borrow_mut() {
            let unsettled = slot.get_or_insert_with(|| Unsettled { error, jobs: HashSet::new() });
            unsettled.jobs.extend(jobs.iter().filter_map(HostJob::tag));
        }
    });
}

/// What the seam failed to do since the last call of this: the error to record instead of the
/// verdicts (or signatures) it could not give, and which jobs those were.
pub fn take_failure() -> Option<Unsettled> {
    FAILURE.with(|f| f.try_borrow_mut().ok().and_then(|mut slot| slot.take()))
}

/// RustCrypto's implementations, one job at a time.
#[cfg(feature = "curves")]
#[derive(Clone, Copy, Debug, Default)]
pub struct InProcess;

#[cfg(feature = "curves")]
fn ecdsa_error(alg: Algorithm) -> Error {
    Error::new(ErrorCode::InvalidKey, format!("not an {alg} secret key: the scalar is out of range"))
}

#[cfg(feature = "curves")]
impl Curves for InProcess {
    fn settle(&self, jobs: &[HostJob<'_>]) -> Result<Vec<bool>> {
        Ok(jobs.iter().map(|j| j.key.verify_in_process(j.alg, j.message, j.signature)).collect())
    }

    fn public_key(&self, alg: Algorithm, secret: &[u8]) -> Result<EcKey> {
        let point = match alg {
            Algorithm::Es256 => p256::ecdsa::SigningKey::from_slice(secret).map(|k| k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
            Algorithm::Es384 => p384::ecdsa::SigningKey::from_slice(secret).map(|k| k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
            Algorithm::Es256k => k256::ecdsa::SigningKey::from_slice(secret).map(|k| k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
            _ => return Err(ecdsa_error(alg)),
        }
        .map_err(|_| ecdsa_error(alg))?;
        EcKey::from_sec1(alg.key_type(), &point)
    }

    fn sign(&self, alg: Algorithm, secret: &[u8], message: &[u8]) -> Result<Vec<u8>> {
        use p256::ecdsa::signature::Signer as _;
        match alg {
            Algorithm::Es256 => p256::ecdsa::SigningKey::from_slice(secret).map(|k| {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_bytes().to_vec()
            }),
            Algorithm::Es384 => p384::ecdsa::SigningKey::from_slice(secret).map(|k| {
                let sig: p384::ecdsa::Signature = k.sign(message);
                sig.to_bytes().to_vec()
            }),
            Algorithm::Es256k => k256::ecdsa::SigningKey::from_slice(secret).map(|k| {
                let sig: k256::ecdsa::Signature = k.sign(message);
                sig.to_bytes().to_vec()
            }),
            _ => return Err(ecdsa_error(alg)),
        }
        .map_err(|_| ecdsa_error(alg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(costs: &[usize]) -> Vec<usize> {
        split_by(costs.iter().copied())
    }

    #[test]
    fn calls_cover_every_job_once_within_their_bounds() {
        assert!(sizes(&[]).is_empty());
        assert_eq!(sizes(&[10]), vec![1]);
        // Past the job count: equal calls and the rest.
        let many = vec![100; 2 * JOBS_PER_CALL + 5];
        assert_eq!(sizes(&many), vec![JOBS_PER_CALL, JOBS_PER_CALL, 5]);
        // Past the bytes: a new call before the job that would go over.
        let half = BYTES_PER_CALL / 2;
        assert_eq!(sizes(&[half, half, 1, half]), vec![2, 2]);
        // A job larger than a call's bytes goes alone, never dropped.
        assert_eq!(sizes(&[1, BYTES_PER_CALL * 2, 1]), vec![1, 1, 1]);
        for costs in [vec![7; 40_000], vec![BYTES_PER_CALL / 3 + 1; 10]] {
            let s = sizes(&costs);
            assert_eq!(s.iter().sum::<usize>(), costs.len());
            assert!(s.iter().all(|&n| (1..=JOBS_PER_CALL).contains(&n)));
        }
    }
}
