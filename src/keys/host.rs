//! Signature jobs of the algorithms other than EdDSA (ECDSA, RSA), settled all at once.
//!
//! A batch gathers every such job into one list of [`HostJob`]s (algorithm, key, message,
//! signature) and hands the whole list to a [`HostVerifier`], which answers one boolean per job.
//! In-process that is `RustVerifier` (`super::curves`: RustCrypto `p256`, `p384`, `k256`,
//! `rsa` with the `curves` feature, else the lazily loaded keys module). The
//! seam is there so that a host that verifies faster (node:crypto, WebCrypto) can take the list
//! in one crossing instead: the verdict of a job must not depend on who settles it, so every
//! check that is policy rather than arithmetic (algorithm/key fit, lengths, key sizes) is made
//! before a job exists, and a settler only answers "does this signature verify".

use super::alg::Algorithm;
use super::verifying::{KeyMaterial, VerifyingKey};
use siphasher::sip128::{Hasher128, SipHasher24};
use std::hash::Hasher;
use std::sync::OnceLock;

/// What a verdict settled outside the call that asked for it is filed under ([`HostJob::tag`]).
pub type JobTag = [u8; 16];

/// The instance's secret key of [`HostJob::tag`]: 128 bits from the platform CSPRNG, drawn on
/// first use, never leaving the instance; `None` without a random source (then no job is
/// filed, and every job is settled in-process).
fn tag_key() -> Option<&'static [u8; 16]> {
    static KEY: OnceLock<Option<[u8; 16]>> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut key = [0u8; 16];
        crate::random::system_random(&mut key).ok().map(|()| key)
    })
    .as_ref()
}

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

impl HostJob<'_> {
    /// Whether the job passes every check that is policy rather than arithmetic, so that only
    /// such jobs reach a host and its verdict cannot differ from `RustVerifier`'s for reasons
    /// of policy. A job that fails here is an invalid signature whoever settles it.
    ///
    /// Policy (the same as `keys/ec.rs` and `keys/rsa.rs` apply in-process):
    /// - the key verifies the algorithm (type, and a JWK `alg` restriction);
    /// - ECDSA: the signature is `r || s`, each exactly the field length (DER and every other
    ///   length refused), with `r` and `s` in `[1, n - 1]`; high `s` is accepted on every curve
    ///   (RustCrypto after normalizing, OpenSSL and WebCrypto as they are);
    /// - RSA: the signature is exactly as long as the modulus and, as an integer, below it
    ///   (RFC 8017 section 5.2.2 step 1: OpenSSL and RustCrypto both refuse it otherwise);
    /// - EdDSA never goes to a host: an EdDSA job here has a malformed signature.
    pub fn admissible(&self) -> bool {
        if self.key.refuses(self.alg).is_some() {
            return false;
        }
        match self.key.material() {
            KeyMaterial::Ed25519(_) => false,
            // The length, and both scalars in [1, n - 1]: no curve arithmetic.
            KeyMaterial::Ec(k) => k.signature_in_range(self.signature),
            // Equal lengths: the big-endian byte order is the integer order.
            KeyMaterial::Rsa(k) => self.signature.len() == k.size() && self.signature < k.n(),
        }
    }

    /// The key as a host imports it: an EC key as its uncompressed SEC 1 point (`04 || x || y`),
    /// an RSA key as `u32` (little-endian) length of `n`, `n`, then `e` (minimal big-endian).
    /// Empty for an Ed25519 key (never a host job).
    pub fn host_key(&self) -> Vec<u8> {
        match self.key.material() {
            KeyMaterial::Ed25519(_) => Vec::new(),
            KeyMaterial::Ec(k) => k.sec1(false),
            KeyMaterial::Rsa(k) => {
                let mut out = Vec::with_capacity(4 + k.n().len() + k.e().len());
                out.extend_from_slice(&u32::try_from(k.n().len()).unwrap_or(u32::MAX).to_le_bytes());
                out.extend_from_slice(k.n());
                out.extend_from_slice(k.e());
                out
            }
        }
    }

    /// The keyed tag of the algorithm, key, message and signature, each length-prefixed: what a
    /// verdict settled outside the call that asked for it is filed under, so that it applies to
    /// exactly this job. SipHash-2-4 with 128-bit output (a PRF) under the instance's secret key
    /// ([`tag_key`]): tags never leave the instance, so an input cannot be made to collide with
    /// another's tag but by chance (about 2^-128 a pair). A keyed PRF rather than SHA-256: every
    /// job is tagged twice (once per round) and SHA-256 of a kilobyte costs about 5.5 us in wasm,
    /// SipHash about a quarter of that. `None` without a random source.
    pub fn tag(&self) -> Option<JobTag> {
        self.tag_with_key(&self.host_key())
    }

    /// [`HostJob::tag`] over `host_key`, which is this job's [`HostJob::host_key`] (callers
    /// are [`HostKeys`], which encodes it).
    fn tag_with_key(&self, host_key: &[u8]) -> Option<JobTag> {
        let mut h = SipHasher24::new_with_key(tag_key()?);
        for part in [self.alg.as_str().as_bytes(), host_key, self.message, self.signature] {
            h.write(&(part.len() as u64).to_le_bytes());
            h.write(part);
        }
        Some(h.finish128().as_bytes())
    }
}

/// The [`HostJob::host_key`] of jobs taken in turn, encoded once per run of jobs with an equal
/// key (a batch's jobs mostly come from a few issuers): what a settler packs and tags.
#[derive(Debug, Default)]
pub struct HostKeys<'k> {
    last: Option<(&'k VerifyingKey, Vec<u8>)>,
}

impl<'k> HostKeys<'k> {
    /// `job`'s key as a host imports it ([`HostJob::host_key`]). Equal keys encode alike, so
    /// bytes kept from an equal key are this key's bytes.
    pub fn key(&mut self, job: &HostJob<'k>) -> &[u8] {
        if !matches!(&self.last, Some((k, _)) if *k == job.key) {
            self.last = Some((job.key, job.host_key()));
        }
        self.last.as_ref().map(|(_, bytes)| bytes.as_slice()).unwrap_or_default()
    }

    /// `job`'s [`HostJob::tag`].
    pub fn tag(&mut self, job: &HostJob<'k>) -> Option<JobTag> {
        let key = self.key(job);
        job.tag_with_key(key)
    }
}

/// Settles a list of [`HostJob`]s: one answer per job, in order.
pub trait HostVerifier {
    /// Whether each job's signature verifies. A settler that cannot answer a job answers false.
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool>;

    /// Whether the answers given so far were placeholders (jobs deferred to a later round of
    /// the needs loop): results built on them are not verdicts, and are never cached.
    fn provisional(&self) -> bool {
        false
    }
}

/// The key of a host job as [`HostJob::host_key`] wrote it, for `alg`, checked again under the
/// policy of its type; `None` when the bytes are not such a key.
#[cfg(feature = "curves")]
pub fn key_from_host(alg: Algorithm, bytes: &[u8]) -> Option<VerifyingKey> {
    use super::alg::KeyType;
    match alg.key_type() {
        KeyType::P256 | KeyType::P384 | KeyType::Secp256k1 => super::ec::EcKey::from_sec1(alg.key_type(), bytes).ok().map(VerifyingKey::from),
        KeyType::Rsa => {
            let (len, rest) = bytes.split_first_chunk::<4>()?;
            let (n, e) = rest.split_at_checked(u32::from_le_bytes(*len) as usize)?;
            super::rsa::RsaKey::from_components(n, e).ok().map(VerifyingKey::from)
        }
        KeyType::Ed25519 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Signer, SigningKey};

    /// A key's bytes are reused only for an equal key: a run of jobs that alternates keys (and
    /// algorithms) gets each job's own key bytes and tag.
    #[test]
    fn host_keys_encode_each_jobs_own_key() {
        let keys: Vec<VerifyingKey> =
            [Algorithm::Es256, Algorithm::Es256, Algorithm::Es384].iter().map(|&a| SigningKey::generate(a).unwrap().verifying_key()).collect();
        let order = [0, 0, 1, 0, 2, 2, 1, 1, 0];
        let jobs: Vec<HostJob<'_>> = order
            .iter()
            .map(|&i| HostJob {
                alg: if i == 2 { Algorithm::Es384 } else { Algorithm::Es256 },
                key: &keys[i],
                message: b"m",
                signature: &[1; 64],
            })
            .collect();
        let mut host_keys = HostKeys::default();
        for job in &jobs {
            assert_eq!(host_keys.key(job), job.host_key().as_slice());
            assert_eq!(host_keys.tag(job), job.tag());
        }
        assert_ne!(jobs[0].host_key(), jobs[2].host_key());
        assert_ne!(jobs[0].tag(), jobs[2].tag());
    }
}
