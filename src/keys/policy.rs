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
use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

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

/// Most signatures per batch equation. The multiscalar multiplication gains little per signature
/// past a few hundred points, and a failed group is searched at a cost that grows with its size.
const CHUNK: usize = 1024;

/// The first group of a call, doubled after every group that passes, up to [`CHUNK`]: a call
/// whose first signatures are forged wastes little on them.
const FIRST_GROUP: usize = 128;

/// The cost model that sizes groups and decides when one-by-one verification is cheaper, in
/// units of about a tenth of a microsecond natively (the ratios, not the unit, matter; measured
/// with `cargo test --release --lib keys::policy::calibration -- --ignored --nocapture`):
/// a batch equation over `n` signatures under `k` distinct keys costs about
/// `TEST_FIXED + k * TEST_PER_KEY + n * TEST_PER_SIGNATURE`, one signature alone `SINGLE`.
const TEST_FIXED: f64 = 250.0;
const TEST_PER_KEY: f64 = 50.0;
/// Per signature up to [`STRAUS_BELOW`] signatures, and above (where the multiplication
/// switches to Pippenger's method).
const TEST_PER_SIGNATURE: (f64, f64) = (40.0, 27.0);
const STRAUS_BELOW: usize = 190;
const SINGLE: f64 = 240.0;

/// Verifies many signatures at once; `result[i]` is what [`verify`] would say of `jobs[i]`.
///
/// # How
/// Prepared signatures go, a group at a time, into one multiscalar multiplication, the
/// residual `P = sum z_i D_i` with `D_i = R_i + [k_i]A_i - [S_i]B` (terms of one key folded into
/// one coefficient), 128-bit coefficients `z_i`, and the group passes when `[8]P = 0`.
///
/// A failed group is searched without starting over:
/// - **One bad signature, located in one step.** A second residual with weights
///   `P' = sum (i + 1) z_i D_i` over the group's positions `i` satisfies `[8]P' = (j + 1)[8]P`
///   exactly when the failure is one signature `j`. `j` is found by adding `[8]P` to itself at most
///   `g` times; then `D_j` alone is computed, and the claim is proved rather than assumed:
///   `j` fails on its own and `[8](P - z_j D_j) = 0`, the batch equation of the others.
/// - **Several: halves by subtraction.** Otherwise the group is split; only the left half's
///   residual is a new multiplication, the right half's is `P - P_left` (and its weighted residual
///   follows likewise from the parent's), so each level of the search costs one half-size
///   multiplication where testing both halves would cost two.
/// - **Small or hopeless parts one by one**, whenever the cost model says a further batch
///   equation costs more than the signatures it would settle.
///
/// # Failure isolation, with a cost per signature bounded whatever the share of forgeries
/// Group sizes adapt to the share of failures seen so far in the call: from [`FIRST_GROUP`],
/// doubling while none failed, up to [`CHUNK`]; after failures, the size the cost model gives
/// the lowest expected cost per signature for that share and the number of distinct keys, or one
/// by one when no group size beats it. Forgeries placed anywhere cost their sender, and the rest
/// of the batch, a bounded amount (see `bench/forgeries.mjs`).
///
/// # Why the coefficients are a hash of the inputs
/// They must be unpredictable to whoever chose the signatures, and the same inputs must give the
/// same verdict. Deriving them from SHA-512 over every `k_i` (which commits to `R_i`, `A_i`, `M_i`)
/// and every `S_i` of the call achieves both (as ed25519-dalek does), with no random-number
/// source. Every test of a call (a group, a half, the group without one signature) is a batch
/// equation with coefficients that are random to the signer, so each is as sound as the first.
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
        let mut index = Vec::with_capacity(jobs.len());
        let mut ready: Vec<Prepared> = Vec::with_capacity(jobs.len());
        let mut keys: Vec<&PublicKey> = Vec::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            if let Some(p) = prepare(job.message, job.signature, job.key) {
                index.push(i);
                ready.push(p);
                keys.push(job.key);
            }
        }
        // Signatures that fail the policy before any curve arithmetic count as failures seen.
        self.seen.settled += jobs.len() - ready.len();
        self.seen.failed += jobs.len() - ready.len();
        let batch = Batch::new(ready, keys);
        let mut good = vec![false; batch.len()];
        let distinct = batch.distinct_keys();
        let mut pos = 0;
        while pos < batch.len() {
            let size = if self.seen.failed == 0 { self.clean_size } else { group_size(self.seen.share(), distinct) };
            let end = (pos + size).min(batch.len());
            let before = self.seen.failed;
            if size == 1 {
                batch.singles(pos..end, &mut good, &mut self.seen);
            } else {
                batch.settle(pos..end, &mut good, &mut self.seen);
                if self.seen.failed == before {
                    self.clean_size = (self.clean_size * 2).min(CHUNK);
                }
            }
            pos = end;
        }
        for (slot, g) in index.into_iter().zip(good) {
            if let Some(o) = ok.get_mut(slot) {
                *o = g;
            }
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
}

/// Cost of one batch equation over `n` signatures under `k` distinct keys (see [`TEST_FIXED`]).
fn test_cost(n: usize, k: usize) -> f64 {
    let per = if n < STRAUS_BELOW { TEST_PER_SIGNATURE.0 } else { TEST_PER_SIGNATURE.1 };
    TEST_FIXED + k.min(n) as f64 * TEST_PER_KEY + n as f64 * per
}

/// The group size after failures, given their share and the call's distinct keys: the power of
/// two with the lowest expected cost per signature, or 1 (one by one) when none beats [`SINGLE`].
///
/// A group of `g` with `b` bad signatures (Poisson, mean `share * g`) costs its test; with one or
/// more bad, the weighted residual, the located signature alone and the proof; with two or more,
/// about half a group's test for each level of halves down to single failures (`log2(1 + mean)`
/// levels of whole-group work) and the fixed part of a test and a single check per failure.
fn group_size(share: f64, keys: usize) -> usize {
    let mut best = (SINGLE, 1usize);
    let mut g = 8usize;
    while g <= CHUNK {
        let mean = share * g as f64;
        let none = (-mean).exp();
        let some = 1.0 - none;
        let several = (some - mean * none).max(0.0);
        let test = test_cost(g, keys);
        let cost = test + some * (test + SINGLE + TEST_FIXED) + several * (test * (1.0 + mean).log2() + mean * (TEST_FIXED + SINGLE));
        let per = cost / g as f64;
        if per < best.0 {
            best = (per, g);
        }
        g *= 2;
    }
    best.1
}

/// The prepared signatures of one call, their keys and their coefficients.
struct Batch<'a> {
    ready: Vec<Prepared>,
    keys: Vec<&'a PublicKey>,
    z: OnceCell<Vec<Scalar>>,
}

impl<'a> Batch<'a> {
    fn new(ready: Vec<Prepared>, keys: Vec<&'a PublicKey>) -> Batch<'a> {
        Batch { ready, keys, z: OnceCell::new() }
    }

    /// The coefficients, made on first use (a call verified one by one needs none).
    fn z(&self) -> &[Scalar] {
        self.z.get_or_init(|| {
            // z_i from a transcript of every k_i and S_i of the call (see verify_batch).
            let mut transcript = Sha512::new();
            transcript.update(b"credcore ed25519 batch v2");
            for p in &self.ready {
                transcript.update(p.k.as_bytes());
                transcript.update(p.s.as_bytes());
            }
            let seed: [u8; 64] = transcript.finalize().into();
            let mut z = Vec::with_capacity(self.ready.len());
            let mut block = [0u8; 64];
            for n in 0..self.ready.len() {
                // One SHA-512(seed || counter) block yields four 128-bit coefficients.
                if n % 4 == 0 {
                    let mut h = Sha512::new();
                    h.update(seed);
                    h.update(((n / 4) as u64).to_le_bytes());
                    block = h.finalize().into();
                }
                let at = (n % 4) * 16;
                let mut z_bytes = [0u8; 32];
                z_bytes[..16].copy_from_slice(block.get(at..at + 16).unwrap_or_default());
                z.push(Scalar::from_bytes_mod_order(z_bytes));
            }
            z
        })
    }

    fn len(&self) -> usize {
        self.ready.len()
    }

    fn distinct_keys(&self) -> usize {
        let mut seen: HashMap<&[u8; 32], ()> = HashMap::new();
        for k in &self.keys {
            seen.insert(&k.bytes, ());
        }
        seen.len()
    }

    fn distinct_keys_in(&self, range: Range<usize>) -> usize {
        let mut seen: HashMap<&[u8; 32], ()> = HashMap::new();
        for k in self.keys.get(range).unwrap_or_default() {
            seen.insert(&k.bytes, ());
        }
        seen.len()
    }

    /// `sum_{i in range} w_i z_i D_i`, with `w_i = 1`, or `w_i = i - range.start + 1` when `weighted`.
    fn residual(&self, range: Range<usize>, weighted: bool) -> EdwardsPoint {
        let n = range.len();
        let mut b_coeff = Scalar::ZERO;
        let mut scalars: Vec<Scalar> = Vec::with_capacity(n + 8);
        let mut points: Vec<EdwardsPoint> = Vec::with_capacity(n + 8);
        // Terms of the same key fold into one coefficient: sum_{i: A_i = A} w_i z_i k_i.
        let mut key_slot: HashMap<&[u8; 32], usize> = HashMap::new();
        let mut key_scalars: Vec<Scalar> = Vec::new();
        let mut key_points: Vec<EdwardsPoint> = Vec::new();
        let z = self.z();
        for (offset, i) in range.enumerate() {
            let (Some(p), Some(key), Some(z)) = (self.ready.get(i), self.keys.get(i), z.get(i)) else { continue };
            let c = if weighted { Scalar::from(offset as u64 + 1) * z } else { *z };
            b_coeff += c * p.s;
            scalars.push(c);
            points.push(p.r);
            let slot = *key_slot.entry(&key.bytes).or_insert_with(|| {
                key_scalars.push(Scalar::ZERO);
                key_points.push(key.point);
                key_scalars.len() - 1
            });
            if let Some(k) = key_scalars.get_mut(slot) {
                *k += c * p.k;
            }
        }
        scalars.push(-b_coeff);
        points.push(ED25519_BASEPOINT_POINT);
        scalars.extend(key_scalars);
        points.extend(key_points);
        EdwardsPoint::vartime_multiscalar_mul(&scalars, &points)
    }

    /// `D_i = R_i + [k_i]A_i - [S_i]B` of one signature (valid exactly when `[8]D_i = 0`).
    fn own_residual(&self, i: usize) -> Option<EdwardsPoint> {
        let (p, key) = (self.ready.get(i)?, self.keys.get(i)?);
        Some(p.r - EdwardsPoint::vartime_double_scalar_mul_basepoint(&p.k, &-key.point, &p.s))
    }

    /// Verifies each of `range` on its own.
    fn singles(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        for i in range {
            let valid = self.own_residual(i).is_some_and(|d| d.mul_by_cofactor().is_identity());
            if let Some(slot) = good.get_mut(i) {
                *slot = valid;
            }
            seen.settled += 1;
            seen.failed += usize::from(!valid);
        }
    }

    /// Verifies each of `range`, which is known to hold a failure, on its own; when every one but
    /// the last passed, the last is the failure and needs no check.
    fn singles_known_bad(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        let before = seen.failed;
        let last = range.end.saturating_sub(1);
        self.singles(range.start..last, good, seen);
        if seen.failed == before && last >= range.start {
            seen.settled += 1;
            seen.failed += 1;
        } else {
            self.singles(last..range.end, good, seen);
        }
    }

    /// Marks every signature of `range` valid.
    fn pass(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        seen.settled += range.len();
        for slot in good.get_mut(range).unwrap_or_default() {
            *slot = true;
        }
    }

    /// Settles `range` with one batch equation, and searches it when it fails.
    fn settle(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        if range.len() as f64 * SINGLE <= test_cost(range.len(), self.distinct_keys_in(range.clone())) {
            return self.singles(range, good, seen);
        }
        let p0 = self.residual(range.clone(), false);
        if p0.mul_by_cofactor().is_identity() {
            return self.pass(range, good, seen);
        }
        self.locate(range, p0, None, false, good, seen);
    }

    /// Settles `range`, whose residual `p0` (and weighted residual `p1`, when known) says it holds a
    /// failure; `several`: it is known to hold two or more.
    fn locate(&self, range: Range<usize>, p0: EdwardsPoint, p1: Option<EdwardsPoint>, several: bool, good: &mut [bool], seen: &mut Seen) {
        let n = range.len();
        let keys = self.distinct_keys_in(range.clone());
        // Searching costs at least one more equation over the range: below that, one by one; and
        // once the failures found say that no group size pays at their share, one by one too.
        let hopeless = seen.failed >= 4 && group_size(seen.share(), keys) == 1;
        if hopeless || (n as f64) * SINGLE <= test_cost(n, keys) + SINGLE {
            return self.singles_known_bad(range, good, seen);
        }
        let start = range.start;
        let mut p1 = p1;
        if !several {
            let weighted = match p1 {
                Some(p) => p,
                None => self.residual(range.clone(), true),
            };
            p1 = Some(weighted);
            if let Some(j) = single_failure(p0, weighted, n) {
                let i = start + j;
                let proved = match (self.own_residual(i), self.z().get(i)) {
                    (Some(d), Some(z)) => !d.mul_by_cofactor().is_identity() && (p0 - z * d).mul_by_cofactor().is_identity(),
                    _ => false,
                };
                if proved {
                    self.pass(start..i, good, seen);
                    seen.settled += 1;
                    seen.failed += 1;
                    return self.pass(i + 1..range.end, good, seen);
                }
            }
        }
        // Two or more: halves, the right one's residuals by subtraction.
        let mid = start + n / 2;
        let left0 = self.residual(start..mid, false);
        let right0 = p0 - left0;
        let left_bad = !left0.mul_by_cofactor().is_identity();
        let right_bad = !right0.mul_by_cofactor().is_identity();
        match (left_bad, right_bad) {
            (true, true) => {
                let left1 = self.residual(start..mid, true);
                // sum over the right of (offset in the parent + 1) = its own weights + (mid - start).
                let right1 = p1.map(|p| p - left1 - Scalar::from((mid - start) as u64) * right0);
                self.locate(start..mid, left0, Some(left1), false, good, seen);
                self.locate(mid..range.end, right0, right1, false, good, seen);
            }
            (true, false) => {
                self.pass(mid..range.end, good, seen);
                self.locate(start..mid, left0, None, true, good, seen);
            }
            (false, true) => {
                self.pass(start..mid, good, seen);
                self.locate(mid..range.end, right0, None, true, good, seen);
            }
            // [8]P = [8]P_left + [8]P_right: both halves cannot pass. Should arithmetic ever say so,
            // nothing is assumed.
            (false, false) => self.singles(range, good, seen),
        }
    }
}

/// The position `j` with `[8]p1 = (j + 1)[8]p0`, if one below `n` exists: where the one failure of
/// a group is, when it has exactly one.
fn single_failure(p0: EdwardsPoint, p1: EdwardsPoint, n: usize) -> Option<usize> {
    let (q0, q1) = (p0.mul_by_cofactor(), p1.mul_by_cofactor());
    let mut acc = q0;
    for j in 0..n {
        if acc == q1 {
            return Some(j);
        }
        acc += q0;
    }
    None
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

#[cfg(test)]
mod search {
    //! The search of failed groups against one-by-one verification, over many placements of
    //! failures, including signatures that are valid only with the cofactor.
    use super::*;
    use crate::keys::KeyPair;
    use curve25519_dalek::constants::EIGHT_TORSION;

    /// A signature on `message` whose `R` carries a small-order component: valid under the
    /// cofactored equation (and so for [`verify`]), though `[S]B - [k]A` differs from `R`.
    fn torsion_signature(seed: &[u8; 32], message: &[u8], torsion: usize) -> ([u8; 64], PublicKey) {
        let h: [u8; 64] = Sha512::digest(seed).into();
        let mut a_bytes = [0u8; 32];
        a_bytes.copy_from_slice(&h[..32]);
        a_bytes[0] &= 248;
        a_bytes[31] &= 127;
        a_bytes[31] |= 64;
        let a = Scalar::from_bytes_mod_order(a_bytes);
        let public = ED25519_BASEPOINT_POINT * a;
        let r = Scalar::from_bytes_mod_order_wide(&Sha512::new().chain_update(&h[32..]).chain_update(message).finalize().into());
        let big_r = ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[torsion % 8];
        let r_bytes = big_r.compress().to_bytes();
        let a_enc = public.compress().to_bytes();
        let k = Scalar::from_bytes_mod_order_wide(
            &Sha512::new().chain_update(r_bytes).chain_update(a_enc).chain_update(message).finalize().into(),
        );
        let s = r + k * a;
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&r_bytes);
        sig[32..].copy_from_slice(s.as_bytes());
        (sig, PublicKey::from_parts(a_enc, public))
    }

    /// A cheap deterministic generator (xorshift) for placements.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn every_placement_of_failures_is_found_exactly() {
        let keys: Vec<KeyPair> = (1u8..=4).map(|i| KeyPair::from_seed(&[i; 32])).collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0usize;
        for case in 0..120usize {
            let n = [1usize, 2, 3, 17, 40, 130, 300, 700][case % 8];
            let bad_count = [0usize, 1, 1, 2, 3, 5, n / 10, n / 2, n][rng.below(9)].min(n);
            let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("case {case} message {i}").into_bytes()).collect();
            let mut sigs: Vec<[u8; 64]> = Vec::with_capacity(n);
            let mut pubs: Vec<PublicKey> = Vec::with_capacity(n);
            for (i, m) in messages.iter().enumerate() {
                let seed = [(i % 4) as u8 + 1; 32];
                if rng.below(7) == 0 {
                    let (sig, public) = torsion_signature(&seed, m, rng.below(8));
                    sigs.push(sig);
                    pubs.push(public);
                } else {
                    sigs.push(keys[i % 4].sign(m));
                    pubs.push(keys[i % 4].public_key().clone());
                }
            }
            for _ in 0..bad_count {
                let b = rng.below(n);
                match rng.below(3) {
                    // Valid over another message.
                    0 => sigs[b] = keys[b % 4].sign(b"another message"),
                    1 => sigs[b][40] ^= 1,
                    _ => sigs[b][3] ^= 0x10,
                }
            }
            let jobs: Vec<SignatureJob<'_>> =
                (0..n).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: &pubs[i] }).collect();
            let expected: Vec<bool> = jobs.iter().map(|j| verify(j.message, j.signature, j.key)).collect();
            assert_eq!(verify_batch(&jobs), expected, "case {case}: {n} signatures");
            // A call that has already seen failures sizes its groups differently: same verdicts.
            let mut state = BatchState { seen: Seen { settled: 100, failed: 2 }, clean_size: FIRST_GROUP };
            assert_eq!(state.verify(&jobs), expected, "case {case} after failures");
            checked += n;
        }
        assert!(checked > 15_000);
    }

    #[test]
    fn torsion_signatures_are_valid_alone_and_in_batches() {
        let message = b"small-order component";
        for t in 1..8 {
            let (sig, key) = torsion_signature(&[9u8; 32], message, t);
            assert!(verify(message, &sig, &key), "torsion {t}");
        }
    }

    #[test]
    fn group_sizes_follow_the_share() {
        assert_eq!(group_size(0.0, 1), CHUNK);
        assert!(group_size(0.001, 16) >= 128);
        assert!(group_size(0.01, 16) >= 16 && group_size(0.01, 16) <= 256);
        assert_eq!(group_size(0.5, 16), 1);
        assert_eq!(group_size(1.0, 1), 1);
    }

    /// Prints the costs the model's constants stand for (not a check; run with --ignored).
    #[test]
    #[ignore]
    fn calibration() {
        let keys: Vec<KeyPair> = (0..16u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
        let n = 2048;
        let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("calibration message {i}").into_bytes()).collect();
        for nkeys in [1usize, 16] {
            let sigs: Vec<[u8; 64]> = (0..n).map(|i| keys[i % nkeys].sign(&messages[i])).collect();
            let t = std::time::Instant::now();
            let ready: Vec<Prepared> = (0..n).filter_map(|i| prepare(&messages[i], &sigs[i], keys[i % nkeys].public_key())).collect();
            let prep = t.elapsed().as_secs_f64() * 1e6 / n as f64;
            let batch = Batch::new(ready, (0..n).map(|i| keys[i % nkeys].public_key()).collect());
            let t = std::time::Instant::now();
            let mut good = vec![false; n];
            batch.singles(0..n, &mut good, &mut Seen { settled: 0, failed: 0 });
            let single = t.elapsed().as_secs_f64() * 1e6 / n as f64;
            println!("{nkeys} keys: prepare {prep:.2} us, single after prepare {single:.2} us");
            for g in [4usize, 8, 16, 32, 64, 128, 256, 1024] {
                let t = std::time::Instant::now();
                let mut at = 0;
                while at + g <= n {
                    assert!(batch.residual(at..at + g, false).mul_by_cofactor().is_identity());
                    at += g;
                }
                let per_test = t.elapsed().as_secs_f64() * 1e6 / (n / g) as f64;
                println!("  test of {g:>4}: {per_test:8.1} us ({:.2} us per signature)", per_test / g as f64);
            }
        }
    }
}
