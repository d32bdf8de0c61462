//! Ed25519 batch verification under the policy of [`super::policy`]: one multiscalar
//! multiplication per group of signatures, the search of a failed group, and the cost model that
//! sizes groups so that the cost per signature stays bounded whatever the share of forgeries.

use super::policy::{prepare, Prepared, PublicKey};
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use sha2::{Digest, Sha512};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

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
/// with `cargo run --release --example forgery_sweep calibrate`, which prints [`calibration_report`]):
/// a batch equation over `n` signatures under `k` distinct keys costs about
/// `TEST_FIXED + k * TEST_PER_KEY + n * TEST_PER_SIGNATURE`, one signature alone `SINGLE`.
const TEST_FIXED: f64 = 250.0;
const TEST_PER_KEY: f64 = 50.0;
/// Per signature up to [`STRAUS_BELOW`] signatures, and above (where the multiplication
/// switches to Pippenger's method).
const TEST_PER_SIGNATURE: (f64, f64) = (40.0, 27.0);
const STRAUS_BELOW: usize = 190;
const SINGLE: f64 = 240.0;

/// Verifies many signatures at once; `result[i]` is what [`super::verify`] would say of `jobs[i]`.
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

/// The costs the cost model's constants stand for, measured now: preparing a signature, one
/// signature alone after that, and batch equations of several sizes, under 1 and 16 keys.
#[cfg(feature = "internals")]
pub fn calibration_report() -> String {
    use crate::keys::KeyPair;
    use std::fmt::Write;
    let keys: Vec<KeyPair> = (0..16u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let n = 2048;
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("calibration message {i}").into_bytes()).collect();
    let mut out = String::new();
    for nkeys in [1usize, 16] {
        let key = |i: usize| keys.get(i % nkeys).map(KeyPair::public_key);
        let sigs: Vec<[u8; 64]> = (0..n).map(|i| keys.get(i % nkeys).map(|k| k.sign(&messages[i])).unwrap_or([0; 64])).collect();
        let t = std::time::Instant::now();
        let mut ready = Vec::with_capacity(n);
        let mut ready_keys = Vec::with_capacity(n);
        for i in 0..n {
            if let (Some(k), Some(p)) = (key(i), key(i).and_then(|k| prepare(&messages[i], &sigs[i], k))) {
                ready.push(p);
                ready_keys.push(k);
            }
        }
        let prep = t.elapsed().as_secs_f64() * 1e6 / n as f64;
        let batch = Batch::new(ready, ready_keys);
        let t = std::time::Instant::now();
        let mut good = vec![false; batch.len()];
        batch.singles(0..batch.len(), &mut good, &mut Seen { settled: 0, failed: 0 });
        let single = t.elapsed().as_secs_f64() * 1e6 / n as f64;
        let _ = writeln!(out, "{nkeys} keys: prepare {prep:.2} us, single after prepare {single:.2} us");
        for g in [4usize, 8, 16, 32, 64, 128, 256, 1024] {
            let t = std::time::Instant::now();
            let mut at = 0;
            let mut passed = 0;
            while at + g <= batch.len() {
                passed += usize::from(batch.residual(at..at + g, false).mul_by_cofactor().is_identity());
                at += g;
            }
            let per_test = t.elapsed().as_secs_f64() * 1e6 / (n / g) as f64;
            let _ = writeln!(out, "  test of {g:>4}: {per_test:8.1} us ({:.2} us per signature; {passed} passed)", per_test / g as f64);
        }
    }
    out
}

#[cfg(test)]
#[path = "batch_verify_tests.rs"]
mod search;
