//! The Ed25519 verification policy (RFC 8032 section 5.1.7, made strict), for one signature and for batches.
//!
//! Policy, for every signature `(R, S)` on message `M` under public key `A`:
//! 1. `S` is canonical: `S < L`. (Rejects the `S + L` malleability.)
//! 2. `R` and `A` are canonical encodings: decompressing and recompressing gives the same 32 bytes.
//!    (Rejects `y >= p` and the negative-zero `x` encodings, which make one signature many.)
//! 3. Neither `R` nor `A` is of small order (orders 1, 2, 4, 8). (Rejects keys for which one
//!    signature verifies for many messages.)
//! 4. The cofactored equation holds: `[8]([S]B - R - [k]A) = 0` with `k = SHA-512(R || A || M) mod L`.
//!
//! Why cofactored: single and batch verification must give the same answer for every input, or a
//! credential's validity would depend on which batch it travelled in. A randomized batch check of
//! the cofactorless equation can accept a signature whose residual `[S]B - R - [k]A` is a nonzero
//! point of small order with probability 1/8 (see "Taming the many EdDSAs", Chalkias, Garillot,
//! Nikolaenko, 2020, and ZIP-215); multiplying by the cofactor removes that gap, so `verify` and
//! `verify_batch` accept exactly the same signatures. Such a residual can only be produced by the
//! holder of the key, so no third party can forge under either equation.
//!
//! Why not `ed25519_dalek::verify_batch`: it checks neither the canonical encoding of `R` nor small
//! order, uses the cofactorless equation, and multiplies every key separately. Here the group
//! operations are curve25519-dalek's; this module only states the policy, folds the terms of
//! repeated keys into one (issuer keys repeat across a batch of credentials), and finds the bad
//! items of a failed batch by binary splitting, with group sizes that adapt to the share of
//! failures so that the cost per signature stays bounded (see [`verify_batch`]).

use crate::error::{Error, ErrorCode, Result};
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use sha2::{Digest, Sha512};
use std::collections::HashMap;

/// Length of an Ed25519 public key in bytes.
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LENGTH: usize = 64;

/// A decompressed Ed25519 public key that passed the policy's checks on `A` (canonical, not of small order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    bytes: [u8; 32],
    point: EdwardsPoint,
}

impl PublicKey {
    /// Parses and checks a 32-byte public key.
    ///
    /// # Errors
    /// `INVALID_KEY` when the bytes are not 32 long, do not decode to a curve point, are a
    /// non-canonical encoding, or encode a point of small order.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey> {
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::new(ErrorCode::InvalidKey, format!("an Ed25519 public key is 32 bytes, not {}", bytes.len())))?;
        let point =
            decompress_canonical(&bytes).ok_or_else(|| Error::new(ErrorCode::InvalidKey, "not a canonical encoding of a curve point"))?;
        // Policy: a small-order key lets one signature verify for many messages.
        if point.is_small_order() {
            return Err(Error::new(ErrorCode::InvalidKey, "public key is of small order"));
        }
        Ok(PublicKey { bytes, point })
    }

    /// A key derived from a secret, which needs none of the checks.
    pub(crate) fn from_parts(bytes: [u8; 32], point: EdwardsPoint) -> PublicKey {
        PublicKey { bytes, point }
    }

    /// The 32-byte encoding.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

/// Decompresses `bytes`, accepting only the canonical encoding of the point.
///
/// Policy: an encoding is canonical when its `y` is below `p = 2^255 - 19` (curve25519-dalek
/// would reduce it) and it does not set the sign bit on `x = 0`. `x = 0` only for `y = 1` and
/// `y = -1`, the points of order 1 and 2, which every caller rejects as small-order; so checking
/// `y < p` on the bytes (no field inversion, unlike re-encoding) decides canonicity here.
fn decompress_canonical(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    if !y_below_p(bytes) {
        return None;
    }
    CompressedEdwardsY(*bytes).decompress()
}

/// Whether the 255-bit little-endian `y` of an encoding (sign bit cleared) is below `2^255 - 19`.
fn y_below_p(bytes: &[u8; 32]) -> bool {
    // p = 0x7fff...ffed: y >= p exactly when the top byte is 0x7f, the middle bytes are all 0xff
    // and the lowest byte is >= 0xed.
    !(bytes[31] & 0x7f == 0x7f && bytes[1..31].iter().all(|b| *b == 0xff) && bytes[0] >= 0xed)
}

/// The parts of one signature that passed checks 1-3, ready for the equation.
struct Prepared {
    r: EdwardsPoint,
    s: Scalar,
    k: Scalar,
}

fn prepare(message: &[u8], signature: &[u8; 64], key: &PublicKey) -> Option<Prepared> {
    let mut r_bytes = [0u8; 32];
    let mut s_bytes = [0u8; 32];
    r_bytes.copy_from_slice(&signature[..32]);
    s_bytes.copy_from_slice(&signature[32..]);
    // Policy 1: S < L.
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
    // Policy 2 and 3 for R.
    let r = decompress_canonical(&r_bytes)?;
    if r.is_small_order() {
        return None;
    }
    // k = SHA-512(R || A || M) mod L
    let mut h = Sha512::new();
    h.update(r_bytes);
    h.update(key.bytes);
    h.update(message);
    let k = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
    Some(Prepared { r, s, k })
}

/// Verifies one signature under the policy above.
pub fn verify(message: &[u8], signature: &[u8; 64], key: &PublicKey) -> bool {
    let Some(p) = prepare(message, signature, key) else { return false };
    // [S]B - [k]A, then the cofactored check [8]([S]B - [k]A - R) = 0.
    let sb_minus_ka = EdwardsPoint::vartime_double_scalar_mul_basepoint(&p.k, &-key.point, &p.s);
    (sb_minus_ka - p.r).mul_by_cofactor().is_identity()
}

/// One signature to check in a batch.
#[derive(Clone, Copy, Debug)]
pub struct SignatureJob<'a> {
    /// The signed bytes.
    pub message: &'a [u8],
    /// The 64-byte signature `R || S`.
    pub signature: &'a [u8; 64],
    /// The signer's key.
    pub key: &'a PublicKey,
}

/// Below this many signatures a group is verified one by one: the batch equation's fixed costs
/// (its transcript hash, the basepoint and key terms) leave small groups little gain, and
/// splitting them further costs more than it saves.
const MIN_BATCH: usize = 16;

/// Most signatures per batch equation. The multiscalar multiplication gains little per signature
/// past a few hundred points (measured natively: 7.1 us at 256, 6.7 us at 1,024, 11 us at 64,
/// 25 us at 16; one by one 40 us).
const CHUNK: usize = 1024;

/// The first group of a call, doubled after every group that passes, up to [`CHUNK`]: a call
/// whose first signatures are forged wastes little on them.
const FIRST_GROUP: usize = 128;

/// Above this share of failures seen, signatures are verified one by one: the batch equation no
/// longer pays for the tests that locate the failures.
const SINGLE_ABOVE: f64 = 0.03;

/// Verifies many signatures at once; `result[i]` is what [`verify`] would say of `jobs[i]`.
///
/// # How
/// Prepared signatures go, a group at a time, into one multiscalar multiplication
/// `[8]( -[sum z_i S_i]B + sum [z_i]R_i + sum_A [sum_{i: A_i = A} z_i k_i]A ) = 0`
/// with 128-bit coefficients `z_i`. A group that fails is searched by binary splitting: its left
/// half is tested; when that half passes, the failure is known to be in the right half, which is
/// split without being tested again, so that locating one bad signature in a group of `g` costs
/// about `g` signatures' worth of batch work, not `2g`.
///
/// # Failure isolation, with a cost per signature bounded whatever the share of forgeries
/// Group sizes adapt to the share of failures seen so far in the call: from [`FIRST_GROUP`],
/// doubling while none failed, up to [`CHUNK`]; after failures about `0.7 / share` (about one
/// failure per group); above [`SINGLE_ABOVE`] one by one, at the cost of a loop of [`verify`].
/// Within a failed group the search stops splitting, and verifies the rest one by one, as soon
/// as the failures it found say batching no longer pays. A signature takes part in at most
/// `log2(group / MIN_BATCH)` tests before it is settled, so forgeries placed anywhere cost their
/// sender, and the rest of the batch, a bounded amount (see `bench/forgeries.mjs`).
///
/// # Why the coefficients are a hash of the inputs
/// They must be unpredictable to whoever chose the signatures, and the same inputs must give the
/// same verdict. Deriving them from SHA-512 over every `k_i` (which commits to `R_i`, `A_i`, `M_i`)
/// and every `S_i` achieves both (as ed25519-dalek does), with no random-number source.
pub fn verify_batch(jobs: &[SignatureJob<'_>]) -> Vec<bool> {
    BatchState::default().verify(jobs)
}

/// What batch verification has learnt so far in one call that verifies several batches (the
/// verifier's pipeline runs a call in groups): the share of failures seen, and how large a group
/// has passed, so that a later batch neither starts over small nor forgets the forgeries.
#[derive(Clone, Debug)]
pub struct BatchState {
    seen: Seen,
    clean_size: usize,
}

impl Default for BatchState {
    fn default() -> Self {
        BatchState { seen: Seen { settled: 0, failed: 0 }, clean_size: FIRST_GROUP }
    }
}

impl BatchState {
    /// [`verify_batch`], continuing from what this state has seen.
    pub fn verify(&mut self, jobs: &[SignatureJob<'_>]) -> Vec<bool> {
        let mut ok = vec![false; jobs.len()];
        let mut ready: Vec<(usize, Prepared)> = Vec::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            if let Some(p) = prepare(job.message, job.signature, job.key) {
                ready.push((i, p));
            }
        }
        // Signatures that fail the policy before any curve arithmetic count as failures seen.
        let seen = &mut self.seen;
        seen.settled += jobs.len() - ready.len();
        seen.failed += jobs.len() - ready.len();
        let mut pos = 0;
        while pos < ready.len() {
            let size = if seen.failed == 0 { self.clean_size } else { group_size(seen.share()) };
            let end = (pos + size).min(ready.len());
            let group = ready.get(pos..end).unwrap_or_default();
            if size < MIN_BATCH {
                single(jobs, group, &mut ok, seen);
            } else {
                let before = seen.failed;
                locate(jobs, group, false, &mut ok, seen);
                if seen.failed == before {
                    self.clean_size = (self.clean_size * 2).min(CHUNK);
                }
            }
            pos = end;
        }
        ok
    }
}

/// Signatures settled so far in a call, and how many of them failed.
#[derive(Clone, Debug)]
struct Seen {
    settled: usize,
    failed: usize,
}

impl Seen {
    fn share(&self) -> f64 {
        self.failed as f64 / self.settled.max(1) as f64
    }

    /// Whether the failures found say that testing groups no longer pays.
    fn batching_lost(&self) -> bool {
        self.failed >= 4 && self.share() > SINGLE_ABOVE
    }
}

/// The next group's size after failures, given their share (see [`verify_batch`]).
fn group_size(share: f64) -> usize {
    if share > SINGLE_ABOVE {
        return 1;
    }
    // About one expected failure per group, as a power of two.
    let target = (0.7 / share.max(f64::MIN_POSITIVE)).clamp(2.0 * MIN_BATCH as f64, CHUNK as f64);
    1usize << (target.log2().floor() as u32)
}

/// Verifies each of `group` on its own.
fn single(jobs: &[SignatureJob<'_>], group: &[(usize, Prepared)], ok: &mut [bool], seen: &mut Seen) {
    for (i, p) in group {
        if let (Some(job), Some(slot)) = (jobs.get(*i), ok.get_mut(*i)) {
            let sb_minus_ka = EdwardsPoint::vartime_double_scalar_mul_basepoint(&p.k, &-job.key.point, &p.s);
            *slot = (sb_minus_ka - p.r).mul_by_cofactor().is_identity();
            seen.settled += 1;
            seen.failed += usize::from(!*slot);
        }
    }
}

/// Marks every job of `group` valid.
fn pass(group: &[(usize, Prepared)], ok: &mut [bool], seen: &mut Seen) {
    for (i, _) in group {
        if let Some(slot) = ok.get_mut(*i) {
            *slot = true;
        }
    }
    seen.settled += group.len();
}

/// Marks every job of `group` in `ok` by batch equations and binary splitting. `known_bad`: the
/// group is already known to hold a failure (its test is skipped).
fn locate(jobs: &[SignatureJob<'_>], group: &[(usize, Prepared)], known_bad: bool, ok: &mut [bool], seen: &mut Seen) {
    if group.len() < MIN_BATCH || seen.batching_lost() {
        return single(jobs, group, ok, seen);
    }
    if !known_bad && batch_equation_holds(jobs, group) {
        return pass(group, ok, seen);
    }
    let (left, right) = group.split_at(group.len() / 2);
    if left.len() < MIN_BATCH {
        let failed = seen.failed;
        single(jobs, left, ok, seen);
        // With no failure on the left, the right half holds the group's.
        return locate(jobs, right, known_bad && seen.failed == failed, ok, seen);
    }
    if batch_equation_holds(jobs, left) {
        pass(left, ok, seen);
        locate(jobs, right, true, ok, seen);
    } else {
        locate(jobs, left, true, ok, seen);
        locate(jobs, right, false, ok, seen);
    }
}

fn batch_equation_holds(jobs: &[SignatureJob<'_>], ready: &[(usize, Prepared)]) -> bool {
    // z_i from a transcript of every k_i and S_i (see verify_batch).
    let mut transcript = Sha512::new();
    transcript.update(b"credcore ed25519 batch v1");
    for (_, p) in ready {
        transcript.update(p.k.as_bytes());
        transcript.update(p.s.as_bytes());
    }
    let seed: [u8; 64] = transcript.finalize().into();

    let mut b_coeff = Scalar::ZERO;
    let mut scalars: Vec<Scalar> = Vec::with_capacity(ready.len() + 8);
    let mut points: Vec<EdwardsPoint> = Vec::with_capacity(ready.len() + 8);
    // Terms of the same key fold into one coefficient: sum_{i: A_i = A} z_i k_i.
    let mut key_slot: HashMap<&[u8; 32], usize> = HashMap::new();
    let mut key_scalars: Vec<Scalar> = Vec::new();
    let mut key_points: Vec<EdwardsPoint> = Vec::new();

    let mut block = [0u8; 64];
    for (n, (i, p)) in ready.iter().enumerate() {
        let Some(job) = jobs.get(*i) else { return false };
        // One SHA-512(seed || counter) block yields four 128-bit coefficients.
        if n % 4 == 0 {
            let mut h = Sha512::new();
            h.update(seed);
            h.update(((n / 4) as u64).to_le_bytes());
            block = h.finalize().into();
        }
        let at = (n % 4) * 16;
        let mut z_bytes = [0u8; 32];
        z_bytes[..16].copy_from_slice(&block[at..at + 16]);
        let z = Scalar::from_bytes_mod_order(z_bytes);

        b_coeff += z * p.s;
        scalars.push(z);
        points.push(p.r);
        let slot = *key_slot.entry(&job.key.bytes).or_insert_with(|| {
            key_scalars.push(Scalar::ZERO);
            key_points.push(job.key.point);
            key_scalars.len() - 1
        });
        if let Some(c) = key_scalars.get_mut(slot) {
            *c += z * p.k;
        }
    }
    scalars.push(-b_coeff);
    points.push(ED25519_BASEPOINT_POINT);
    scalars.extend(key_scalars);
    points.extend(key_points);
    EdwardsPoint::vartime_multiscalar_mul(&scalars, &points).mul_by_cofactor().is_identity()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;

    #[test]
    fn batch_finds_exactly_the_bad_items() {
        let keys: Vec<KeyPair> = (0u8..5).map(|i| KeyPair::from_seed(&[i; 32])).collect();
        let messages: Vec<Vec<u8>> = (0..67u32).map(|i| format!("message {i}").into_bytes()).collect();
        let mut sigs: Vec<[u8; 64]> = messages.iter().enumerate().map(|(i, m)| keys[i % 5].sign(m)).collect();
        let pubs: Vec<PublicKey> = keys.iter().map(|k| k.public_key().clone()).collect();
        let bad = [0usize, 13, 14, 40, 66];
        for &b in &bad {
            sigs[b][5] ^= 1;
        }
        let jobs: Vec<SignatureJob<'_>> = messages
            .iter()
            .zip(&sigs)
            .enumerate()
            .map(|(i, (m, s))| SignatureJob { message: m, signature: s, key: &pubs[i % 5] })
            .collect();
        let got = verify_batch(&jobs);
        for (i, v) in got.iter().enumerate() {
            assert_eq!(*v, !bad.contains(&i), "item {i}");
            assert_eq!(*v, verify(jobs[i].message, jobs[i].signature, jobs[i].key));
        }
        assert!(verify_batch(&[]).is_empty());
    }

    #[test]
    fn rejects_small_order_and_non_canonical_keys() {
        let identity = [1u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(PublicKey::from_bytes(&identity).map_err(|e| e.code), Err(ErrorCode::InvalidKey));
        // y = p + 1 (non-canonical encoding of y = 1)
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xee;
        non_canonical[31] = 0x7f;
        assert!(PublicKey::from_bytes(&non_canonical).is_err());
        assert!(PublicKey::from_bytes(&[0u8; 31]).is_err());
    }
}
