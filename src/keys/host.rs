//! Signature jobs of the algorithms other than EdDSA (ECDSA, RSA), settled all at once.
//!
//! A batch gathers every such job into one list of [`HostJob`]s (algorithm, key, message,
//! signature) and hands the whole list to a [`HostVerifier`], which answers one boolean per job.
//! Today that is [`RustVerifier`] (RustCrypto `p256`, `p384`, `k256`, `rsa`), in-process. The
//! seam is there so that a host that verifies faster (node:crypto, WebCrypto) can take the list
//! in one crossing instead: the verdict of a job must not depend on who settles it, so every
//! check that is policy rather than arithmetic (algorithm/key fit, lengths, key sizes) is made
//! before a job exists, and a settler only answers "does this signature verify".

use super::alg::Algorithm;
use super::verifying::VerifyingKey;

/// One signature to check with an algorithm other than EdDSA.
#[derive(Clone, Copy, Debug)]
pub struct HostJob<'a> {
    /// The algorithm (the key accepts it: checked when the job was made).
    pub alg: Algorithm,
    /// The key.
    pub key: &'a VerifyingKey,
    /// The signed bytes.
    pub message: &'a [u8],
    /// The signature as the JWS carries it.
    pub signature: &'a [u8],
}

/// Settles a list of [`HostJob`]s: one answer per job, in order.
pub trait HostVerifier {
    /// Whether each job's signature verifies. A settler that cannot answer a job answers false.
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool>;
}

/// The in-process settler: RustCrypto's implementations, one job at a time.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustVerifier;

impl HostVerifier for RustVerifier {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        jobs.iter().map(|j| j.key.verify(j.alg, j.message, j.signature)).collect()
    }
}
