//! Ed25519 batch verification under the policy of [`super::policy`]: one multiscalar
//! multiplication per group of signatures, the search of a failed group, and the cost model that
//! sizes groups so that the cost per signature stays bounded whatever the share of forgeries.

use super::fixed_base::{base_table, FixedBase};
use super::policy::{prepare, Prepared, PublicKey};
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use sha2::{Digest, Sha512};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

/// Counts the work of batch verification (test and timing builds only), for the analysis of
/// `examples/forgery_sweep.rs`: `tally!(equations += 1, ...)` adds to this thread's [`Work`].
macro_rules! tally {
    ($($field:ident += $n:expr),* $(,)?) => {
        #[cfg(any(test, feature = "internals"))]
        work::add(|w| { $(w.$field += $n as u64;)* });
    };
}

/// Times `$e` into this thread's [`Work`] (test and timing builds only): `timed!(test_ns, expr)`.
// Timed where the platform has a clock: `std::time::Instant` panics on wasm32-unknown-unknown,
// where the `internals` tests (wasm-pack) run; wasm32-wasip1 (the calibration) has one.
macro_rules! timed {
    ($field:ident, $e:expr) => {{
        #[cfg(all(any(test, feature = "internals"), not(all(target_arch = "wasm32", target_os = "unknown"))))]
        let started = std::time::Instant::now();
        let value = $e;
        #[cfg(all(any(test, feature = "internals"), not(all(target_arch = "wasm32", target_os = "unknown"))))]
        work::add(|w| w.$field += started.elapsed().as_nanos() as u64);
        value
    }};
}

#[cfg(any(test, feature = "internals"))]
pub use work::{take_work, Work};

#[cfg(any(test, feature = "internals"))]
mod work {
    use std::cell::Cell;

    /// The work of batch verification on this thread since the last [`take_work`].
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Work {
        /// Multiscalar multiplications (batch equations, the plain sums' key parts, proofs).
        pub equations: u64,
        /// Points in them, all told.
        pub equation_points: u64,
        /// Signatures verified on their own.
        pub singles: u64,
        /// Point additions outside multiplications (the plain sums, the search for a position).
        pub additions: u64,
        /// Nanoseconds in the whole of `BatchState::verify`.
        pub total_ns: u64,
        /// Nanoseconds preparing signatures (the policy's checks, decompressing `R`, hashing `k`).
        pub prepare_ns: u64,
        /// Nanoseconds in the first test of each group.
        pub test_ns: u64,
        /// Nanoseconds in tests of halves (the search by subtraction).
        pub half_ns: u64,
        /// Nanoseconds computing plain sums (prefix sums and the key and base parts).
        pub plain_ns: u64,
        /// Nanoseconds scanning plain sums for a position.
        pub scan_ns: u64,
        /// Nanoseconds in proofs (the batch equation of the others).
        pub proof_ns: u64,
        /// Nanoseconds verifying signatures on their own.
        pub single_ns: u64,
        /// Failed groups (first tests that did not pass).
        pub failed_groups: u64,
        /// Groups (first tests).
        pub groups: u64,
        /// Fixed-base tables built for keys multiplied many times.
        pub tables: u64,
    }

    thread_local! {
        static WORK: Cell<Work> = Cell::new(Work::default());
    }

    pub(super) fn add(f: impl FnOnce(&mut Work)) {
        WORK.with(|cell| {
            let mut w = cell.get();
            f(&mut w);
            cell.set(w);
        });
    }

    /// The work counted on this thread since the last call, and a new count from zero.
    pub fn take_work() -> Work {
        WORK.with(|cell| cell.replace(Work::default()))
    }
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
/// microseconds of the wasm build (what the package runs; the ratios, not the unit, matter, and
/// natively they are close: measured with `cargo run --release --example forgery_sweep
/// calibrate`, which prints [`calibration_report`], for wasm under `node:wasi` as the module doc
/// of `examples/forgery_sweep.rs` says): a batch equation over `n` signatures under `k`
/// distinct keys costs about `TEST_FIXED + k * TEST_PER_KEY + n * TEST_PER_SIGNATURE`, one
/// signature alone `SINGLE`.
const TEST_FIXED: f64 = 200.0;
const TEST_PER_KEY: f64 = 50.0;
/// Per signature up to [`STRAUS_BELOW`] signatures, up to [`WIDE_FROM`] (Pippenger's method with
/// 6-bit windows), and above (wider windows): measured 31, 26-28 and 21-23 us a signature.
const TEST_PER_SIGNATURE: (f64, f64, f64) = (31.0, 26.0, 21.5);
const STRAUS_BELOW: usize = 190;
const WIDE_FROM: usize = 600;
const SINGLE: f64 = 210.0;
/// The plain sums' work per signature (three point additions and four scalar additions), and
/// the proof that a located signature is a group's one failure (one point times a 128-bit
/// coefficient, `Batch::prove_single`: about half a signature alone).
const PLAIN_PER_SIGNATURE: f64 = 1.0;
const PROOF: f64 = 55.0;
/// The search of a failed group ([`Batch::search`]): its prefix sums per signature (two point
/// additions, four scalar additions), one double-base multiplication of a part's plain sums
/// (about a signature alone), and one point addition of a scan.
const PREFIX_PER_SIGNATURE: f64 = 1.5;
const PLAIN_MULTIPLICATION: f64 = 115.0;
const ADDITION: f64 = 0.45;
/// A scan's two batch encodings (a field inversion each) beside its `2 sqrt n` additions.
const SCAN_FIXED: f64 = 50.0;
/// The share of [`SINGLE`] that a group size's expected cost per signature must stay under
/// (with 10% forged, groups of 8 modelled at 0.74 of it ran at 1.2 times it in wasm; at 0.6,
/// 10% forged still batched and ran at 0.76-0.97 of a verify loop in wasm, at 0.5 at 1.05,
/// with 3% and 5% forged unchanged: 2.05x and 1.56x the loop).
const BATCH_MARGIN: f64 = 0.5;

/// Verifies many signatures at once; `result[i]` is what [`super::verify`] would say of `jobs[i]`.
///
/// # How
/// Prepared signatures are grouped by key (each key's signatures in input order; verdicts go
/// back to input positions) and go, a group at a time, into one multiscalar multiplication, the
/// residual `P = sum z_i D_i` with `D_i = R_i + [k_i]A_i - [S_i]B` (terms of one key folded into
/// one coefficient), 128-bit coefficients `z_i`, and the group passes when `[8]P = 0`.
///
/// A failed group is searched without starting over:
/// - **One bad signature: located by additions, proved by one equation.** The plain sums
///   `S0 = sum D_i` and `S1 = sum (i + 1) D_i` (no coefficients) satisfy `[8]S1 = (j + 1)[8]S0`
///   when the failure is one signature `j`. Their `R` parts are running sums (point additions),
///   their key and base parts one small multiplication each; `j` is found by adding `[8]S0` to
///   itself at most `g` times. A signer can make plain sums lie, so `j` is only a candidate: the
///   verdict is the batch equation of the others, `[8](P - z_j S0) = 0` (one point times the
///   128-bit `z_j`: `P - z_j S0` is the others' residual under coefficients `z_l - z_j`), which
///   with `[8]P != 0` also proves that `j` fails on its own. The rest of the group is never
///   verified again. A lie costs the plain sums and the halving below. The plain sums come first
///   whenever one failure is likely enough that halving (a half's test, then the plain sums of
///   the half that failed) would cost more.
/// - **Several: plain sums of parts, one proof** (`Batch::search`, every failed group of
///   `TREE_BELOW` or more). The plain sums come from prefix sums of the group's `R_i`, `S_i`
///   and `k_i` (two point additions a signature); a part whose sums point at no position is
///   split (at a boundary of two keys' runs near its middle), the left half's sums computed
///   (two double-base multiplications) and the right half's taken by subtraction, down to parts
///   with one failure or none; one batch equation of everything but the candidates then proves
///   all verdicts at once. No part of the group is tested again.
/// - **Lies: halves by subtraction.** When that proof fails (plain sums that cancel or point at
///   a valid signature), the group is split; only the left half's residual is a new
///   multiplication, the right half's is `P - P_left`, so each level of the search costs one
///   half-size multiplication where testing both halves would cost two.
/// - **Small or hopeless parts one by one**, whenever the cost model says a further batch
///   equation costs more than the signatures it would settle.
///
/// # Failure isolation, with a cost per signature bounded whatever the share of forgeries
/// Group sizes adapt to the share of failures seen so far in the call: from [`FIRST_GROUP`],
/// doubling while none failed, up to [`CHUNK`]; after failures, the size the cost model gives
/// the lowest expected cost per signature for that share and the keys a group holds, or one by
/// one when no group size beats it. Forgeries placed anywhere cost their sender, and the rest of
/// the batch, a bounded amount (see `bench/forgeries.mjs`).
///
/// # Where the time goes with 1% forged, and what it costs at the least
/// Counted and timed per step by `forgery_sweep` (4,096 signatures, forgeries spread evenly,
/// shares interleaved over fresh signatures; natively at a load average of about 4, us a
/// signature). Before the search by parts: one key, all valid 15.8 (preparing 9.1, tests 6.2),
/// 1% forged 19.5 (78%): tests 8.5, because the call ran 64 groups of 64 whose tests cost more
/// a signature than a group of 1,024's, plain sums 1.4, scans 0.4, halves 0.2, proofs 0.14.
/// Sixteen keys: all valid 16.5, 1% forged 23.5 (70%): tests 9.6 (62 groups), halves 1.6
/// (17 failed groups held 41 forgeries: two or more a group were halved, each level a half's
/// test), plain sums 2.0. So the policy lost, not the arithmetic: groups too small for their
/// tests, and halves tested where plain sums would do.
///
/// Now a failed group of any size costs its prefix sums (about 1.5 us a signature in wasm),
/// about `2m - 1` parts' plain sums for `m` failures (two double-base multiplications each,
/// about a signature alone) and scans, and one proof; no part of it is tested again. So groups
/// after failures grow to what the cost model gives (`search_cost`): at 1%, groups of about
/// 1,000 cut at the keys' runs (the all-valid test's cost a signature), each with ten failures
/// found by some twenty parts' plain sums. In wasm under `node:wasi` (16 keys, a load average of
/// about 8): all valid 42.4 us a signature (preparing 19.8, tests 21.7), 1% forged 55.6 (78%):
/// tests 23.1, plain sums 9.3 (prefix sums 1.9 of it), scans 2.6, proofs 0.4. In the package
/// (`verifySignatures`, the build before this search and this one interleaved over the same
/// fresh items, medians of 9, a load average of about 8, three runs): 71%, 69% and 67% before,
/// 82%, 72% and 85% now.
///
/// The floor: every forgery costs at least one part's plain sums, double-base multiplications
/// (each some 253 doublings, which curve25519-dalek's public API does not share between two
/// multiplications of one key; its own fixed-base tables cost 256 field inversions to build,
/// about 2 ms in wasm). So `S1` is computed only where it is used (a part scanned, or split
/// with failures in both halves: a split with one clean half derives the other's `S1`), which
/// cut the multiplications a signature at 1% forged from 0.0376 to 0.0300; and a key multiplied
/// many times on its own (a search with many failures, or signatures verified alone) gets a
/// projective fixed-base table (`fixed_base`: 512 additions to build, about two multiplications'
/// worth, after which `[a]A + [b]B` costs 0.57 of the double-base multiplication and a
/// signature alone 0.55 of what it did), kept across calls for the keys most recently used
/// (see `table`). Under `node:wasi` (`forgery_sweep`, 16 keys, medians of 5-7, a load average
/// of about 1): 10% forged 2.53x the loop (1.98x before), 50% 1.52x (1.04x), 100% 1.56x
/// (0.95x); 1% forged 89% of all valid (85-86% before), with 2.4 us a signature of plain sums
/// (3.7) beside an all-valid 16-18. With new keys at every call (`FRESH_KEYS=1`): 1% 81% (plain
/// sums 3.1: its forgeries are two or three a key, too few to build a table for), 10% 2.38x,
/// 100% 1.52x. The cost model's `SINGLE` is still the cost without a table.
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
///
/// Failures are also counted by key: a group that starts under a key with none failed among
/// at least [`OWN_RECORD`] signatures settled, a record unlikely at the call's share, is sized
/// as if the call were clean, and every other group by the call's share. So the forgeries of one
/// key (a forger's own) do not send the honest keys of the call one by one, while forgeries
/// spread over many fresh keys, none with a record, are sized by the call's share.
#[derive(Clone, Debug)]
pub struct BatchState {
    seen: Seen,
    by_key: HashMap<[u8; 32], Seen>,
    clean_size: usize,
}

/// Signatures settled under a key before its own record sizes its groups.
const OWN_RECORD: usize = 16;

impl Default for BatchState {
    fn default() -> Self {
        BatchState { seen: Seen { settled: 0, failed: 0 }, by_key: HashMap::new(), clean_size: FIRST_GROUP }
    }
}

impl BatchState {
    /// [`verify_batch`], continuing from what this state has seen.
    pub fn verify(&mut self, jobs: &[SignatureJob<'_>]) -> Vec<bool> {
        timed!(total_ns, self.verify_timed(jobs))
    }

    fn verify_timed(&mut self, jobs: &[SignatureJob<'_>]) -> Vec<bool> {
        let mut ok = vec![false; jobs.len()];
        // Prepared signatures grouped by key, in the order of each key's first signature and,
        // under one key, in input order: a group then holds few keys, so that its test, the plain
        // sums and the proofs of its search multiply few key terms (each costs about as much as
        // a doubling chain's share of a test), and the forgeries under one key share groups
        // instead of failing groups all over the call.
        let mut slots: HashMap<&[u8; 32], usize> = HashMap::new();
        let mut prepared: Vec<Option<Prepared>> = Vec::with_capacity(jobs.len());
        // (slot, input position, position in `prepared`), sorted by slot; stable.
        let mut order: Vec<(usize, usize, usize)> = Vec::with_capacity(jobs.len());
        timed!(prepare_ns, {
            for (i, job) in jobs.iter().enumerate() {
                if let Some(p) = prepare(job.message, job.signature, job.key) {
                    let next = slots.len();
                    let slot = *slots.entry(&job.key.bytes).or_insert(next);
                    order.push((slot, i, prepared.len()));
                    prepared.push(Some(p));
                }
            }
        });
        order.sort_by_key(|t| t.0);
        // Distinct keys per signature: a group of g, cut from runs of one key, holds about
        // 1 + g * density keys.
        let density = slots.len() as f64 / order.len().max(1) as f64;
        let mut index = Vec::with_capacity(order.len());
        let mut ready: Vec<Prepared> = Vec::with_capacity(order.len());
        let mut keys: Vec<&PublicKey> = Vec::with_capacity(order.len());
        for (_, i, at) in order {
            if let (Some(p), Some(job)) = (prepared.get_mut(at).and_then(Option::take), jobs.get(i)) {
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
        let mut pos = 0;
        while pos < batch.len() {
            let own = batch.keys.get(pos).and_then(|k| self.by_key.get(&k.bytes));
            // A key's clean record counts once it would be unlikely (1%) at the call's share:
            // (1 - share)^settled < 0.01, about settled * share > ln 100.
            let clean_key = own.is_some_and(|r| r.failed == 0 && r.settled >= OWN_RECORD && r.settled as f64 * self.seen.share() > 4.6);
            let size = if clean_key || self.seen.failed == 0 { self.clean_size } else { group_size(self.seen.share(), density) };
            let end = batch.group_end(pos, size);
            let before = self.seen.failed;
            if size == 1 {
                batch.singles(pos..end, &mut good, &mut self.seen);
            } else {
                batch.settle(pos..end, &mut good, &mut self.seen);
                if self.seen.failed == before {
                    self.clean_size = (self.clean_size * 2).min(CHUNK);
                }
            }
            self.record_by_key(&batch, pos..end, &good);
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

impl BatchState {
    /// Adds the verdicts of `range` to the records of their keys, one look-up per run of a key.
    fn record_by_key(&mut self, batch: &Batch<'_>, range: Range<usize>, good: &[bool]) {
        let (keys, good) = (batch.keys.get(range.clone()).unwrap_or_default(), good.get(range).unwrap_or_default());
        let mut at = 0;
        while let Some(key) = keys.get(at) {
            let run = keys.get(at..).unwrap_or_default().iter().take_while(|k| k.bytes == key.bytes).count();
            let failed = good.get(at..at + run).unwrap_or_default().iter().filter(|ok| !**ok).count();
            let r = self.by_key.entry(key.bytes).or_insert(Seen { settled: 0, failed: 0 });
            r.settled += run;
            r.failed += failed;
            at += run;
        }
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
    let per = match n {
        _ if n < STRAUS_BELOW => TEST_PER_SIGNATURE.0,
        _ if n < WIDE_FROM => TEST_PER_SIGNATURE.1,
        _ => TEST_PER_SIGNATURE.2,
    };
    TEST_FIXED + k.min(n) as f64 * TEST_PER_KEY + n as f64 * per
}

/// Cost of the plain sums over `n` signatures under `k` keys and of the search for a position
/// in them (`Batch::plain_sums`, `single_failure`): two small multiplications over the keys and
/// `B`, and a few additions per signature.
fn plain_cost(n: usize, k: usize) -> f64 {
    2.0 * (TEST_FIXED + k.min(n) as f64 * TEST_PER_KEY) + n as f64 * PLAIN_PER_SIGNATURE
}

/// Cost of the cheapest next step of the search of a failed group of `n` under `k` keys: with one
/// failure likely, the plain sums and the proof; known to hold several, the left half's test.
fn locate_cost(n: usize, k: usize, several: bool) -> f64 {
    if several {
        test_cost(n / 2, k)
    } else {
        plain_cost(n, k) + PROOF
    }
}

/// Keys in a group of `g` cut from runs of one key, `density` distinct keys per signature.
fn keys_in(g: usize, density: f64) -> usize {
    ((1.0 + g as f64 * density) as usize).min(g)
}

/// The group size after failures, given their share and the call's distinct keys per signature: the power of
/// two with the lowest expected cost per signature, or 1 (one by one) when none beats
/// [`BATCH_MARGIN`] times [`SINGLE`].
///
/// A group of `g` with `m` bad signatures (Poisson, mean `share * g`) costs its test; with one or
/// more bad, the prefix sums of its search and the proof ([`Batch::search`]); and the plain sums
/// of about `2m - 1` parts (the group's, and the left half of each part split because it holds
/// two or more), each two multiplications over `B` and the part's keys and a scan.
fn group_size(share: f64, density: f64) -> usize {
    // Batching must win by a margin: the model leaves out what a search does beyond its
    // multiplications, and near the break-even point one by one costs no more than a loop.
    let mut best = (SINGLE * BATCH_MARGIN, 1usize);
    let mut g = 8usize;
    while g <= CHUNK {
        let keys = keys_in(g, density);
        let per = search_cost(g, keys, share) / g as f64;
        if per < best.0 {
            best = (per, g);
        }
        g *= 2;
    }
    best.1
}

/// The expected cost of a group of `g` under `keys` keys with `share` of its signatures bad:
/// see [`group_size`].
fn search_cost(g: usize, keys: usize, share: f64) -> f64 {
    let mean = share * g as f64;
    let some = 1.0 - (-mean).exp();
    let parts = (2.0 * mean - some).max(0.0);
    // Parts are cut from runs of one key but the group's own, whose multiplications hold its keys.
    let part = 2.0 * PLAIN_MULTIPLICATION + 4.0 * (g as f64).sqrt() * ADDITION + SCAN_FIXED;
    let keys_extra = 2.0 * keys.saturating_sub(1) as f64 * TEST_PER_KEY;
    test_cost(g, keys) + some * (g as f64 * PREFIX_PER_SIGNATURE + PROOF + keys_extra) + parts * part
}

/// The prepared signatures of one call, their keys and their coefficients.
struct Batch<'a> {
    ready: Vec<Prepared>,
    keys: Vec<&'a PublicKey>,
    z: OnceCell<Vec<Scalar>>,
}

/// The fixed-base tables of the keys this instance multiplies most, and how often each key was
/// multiplied on its own (`[a]A + [b]B`: a part's plain sums, a signature alone), kept across
/// calls: an issuer's key is the same in every call, and its table depends on nothing else.
#[derive(Default)]
struct Tables {
    uses: HashMap<[u8; 32], usize>,
    /// Least recently used first.
    built: Vec<([u8; 32], Rc<FixedBase>)>,
}

thread_local! {
    static TABLES: RefCell<Tables> = RefCell::new(Tables::default());
}

/// A key's table is built at its this-many-th multiplication on its own. In wasm it costs about
/// 2.2 double-base multiplications to build (145 us against 66) and saves some 43% of each later
/// one (`[a]A + [b]B` in 37 us), so it pays from the fifth or sixth use after it, in this call or
/// a later one.
const TABLE_AT_USE: usize = 8;

/// A key's table is built at once for a run of this many of its signatures verified alone
/// (a signature alone, after its table, in 38 us against 67-76).
const TABLE_FOR_RUN: usize = 6;

/// Tables kept (about 82 KB each, 1.3 MB in all), the least recently used dropped first (its
/// key's count of uses starting over, so that keys taking turns past this many do not rebuild
/// tables at every turn).
const TABLES_KEPT: usize = 16;

/// Keys whose uses are counted before the counts start over (a bound on their memory).
const USES_COUNTED: usize = 4096;

/// `key`'s table, counting one more multiplication by it on its own, of `upcoming` known to
/// follow (this one included): built at its [`TABLE_AT_USE`]-th, or when [`TABLE_FOR_RUN`] or
/// more follow, and kept while among the [`TABLES_KEPT`] most recently used.
fn table(key: &PublicKey, upcoming: usize) -> Option<Rc<FixedBase>> {
    TABLES.with(|tables| {
        let mut tables = tables.borrow_mut();
        if let Some(t) = take_built(&mut tables, key) {
            return Some(t);
        }
        if tables.uses.len() >= USES_COUNTED {
            tables.uses.clear();
        }
        let uses = tables.uses.entry(key.bytes).or_insert(0);
        *uses += 1;
        if *uses < TABLE_AT_USE && upcoming < TABLE_FOR_RUN {
            return None;
        }
        tables.uses.remove(&key.bytes);
        tally!(tables += 1);
        let t = Rc::new(FixedBase::new(&key.point));
        if tables.built.len() >= TABLES_KEPT {
            let (dropped, _) = tables.built.remove(0);
            tables.uses.remove(&dropped);
        }
        tables.built.push((key.bytes, Rc::clone(&t)));
        Some(t)
    })
}

/// `key`'s table if it has one (no use counted).
fn built_table(key: &PublicKey) -> Option<Rc<FixedBase>> {
    TABLES.with(|tables| take_built(&mut tables.borrow_mut(), key))
}

/// `key`'s built table, now the most recently used; one whose base is not the key's point (never
/// the case: keys are parsed once, bytes and point together) is dropped.
fn take_built(tables: &mut Tables, key: &PublicKey) -> Option<Rc<FixedBase>> {
    let at = tables.built.iter().position(|(k, _)| *k == key.bytes)?;
    let entry = tables.built.remove(at);
    if entry.1.base() != key.point {
        return None;
    }
    let t = Rc::clone(&entry.1);
    tables.built.push(entry);
    Some(t)
}

impl<'a> Batch<'a> {
    fn new(ready: Vec<Prepared>, keys: Vec<&'a PublicKey>) -> Batch<'a> {
        Batch { ready, keys, z: OnceCell::new() }
    }

    /// `sum [c]A + [b]B` over `terms` (distinct keys `A`, coefficients `c`): under one key
    /// `[c]A + [b]B` with its table and `B`'s once it has one (else the double-base
    /// multiplication, with dalek's table of odd multiples of `B`); under several, the keys with tables by them and the rest in one
    /// multiscalar multiplication with `B`.
    fn keys_and_base(&self, terms: &[(&PublicKey, Scalar)], b: &Scalar, upcoming: usize) -> EdwardsPoint {
        if let [(key, c)] = terms {
            return match table(key, upcoming) {
                Some(t) => t.mul(c) + base_table().mul(b),
                None => EdwardsPoint::vartime_double_scalar_mul_basepoint(c, &key.point, b),
            };
        }
        let mut acc = EdwardsPoint::identity();
        let mut scalars: Vec<Scalar> = vec![*b];
        let mut points: Vec<EdwardsPoint> = vec![ED25519_BASEPOINT_POINT];
        for (key, c) in terms {
            match built_table(key) {
                Some(t) => acc += t.mul(c),
                None => {
                    scalars.push(*c);
                    points.push(key.point);
                }
            }
        }
        acc + match (scalars.as_slice(), points.as_slice()) {
            ([b], [_]) => base_table().mul(b),
            ([b, c], [_, a]) => EdwardsPoint::vartime_double_scalar_mul_basepoint(c, a, b),
            _ => EdwardsPoint::vartime_multiscalar_mul(&scalars, &points),
        }
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

    fn distinct_keys_in(&self, range: Range<usize>) -> usize {
        let mut seen: HashMap<&[u8; 32], ()> = HashMap::new();
        for k in self.keys.get(range).unwrap_or_default() {
            seen.insert(&k.bytes, ());
        }
        seen.len()
    }

    /// `P = sum_{i in range} z_i D_i`.
    fn residual(&self, range: Range<usize>) -> EdwardsPoint {
        let n = range.len();
        let mut b_coeff = Scalar::ZERO;
        let mut scalars: Vec<Scalar> = Vec::with_capacity(n + 8);
        let mut points: Vec<EdwardsPoint> = Vec::with_capacity(n + 8);
        // Terms of the same key fold into one coefficient: sum_{i: A_i = A} z_i k_i.
        let mut key_slot: HashMap<&[u8; 32], usize> = HashMap::new();
        let mut key_scalars: Vec<Scalar> = Vec::new();
        let mut key_points: Vec<EdwardsPoint> = Vec::new();
        let z = self.z();
        for i in range {
            let (Some(p), Some(key), Some(c)) = (self.ready.get(i), self.keys.get(i), z.get(i)) else { continue };
            b_coeff += c * p.s;
            scalars.push(*c);
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
        tally!(equations += 1, equation_points += points.len());
        EdwardsPoint::vartime_multiscalar_mul(&scalars, &points)
    }

    /// `D_i = R_i + [k_i]A_i - [S_i]B` of one signature (valid exactly when `[8]D_i = 0`), one of
    /// `upcoming` by its key about to be computed (see [`table`]).
    fn own_residual(&self, i: usize, upcoming: usize) -> Option<EdwardsPoint> {
        let (p, key) = (self.ready.get(i)?, self.keys.get(i)?);
        Some(p.r + self.keys_and_base(&[(key, p.k)], &-p.s, upcoming))
    }

    /// Verifies each of `range` on its own.
    fn singles(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        timed!(single_ns, self.singles_timed(range, good, seen))
    }

    fn singles_timed(&self, range: Range<usize>, good: &mut [bool], seen: &mut Seen) {
        tally!(singles += range.len());
        let end = range.end;
        let mut run_end = range.start;
        for i in range {
            if i >= run_end {
                let key = self.keys.get(i).map(|k| k.bytes);
                run_end = i + self.keys.get(i..end).unwrap_or_default().iter().take_while(|k| Some(k.bytes) == key).count();
            }
            let valid = self.own_residual(i, run_end - i).is_some_and(|d| d.mul_by_cofactor().is_identity());
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
        tally!(groups += 1);
        let p0 = timed!(test_ns, self.residual(range.clone()));
        if p0.mul_by_cofactor().is_identity() {
            return self.pass(range, good, seen);
        }
        tally!(failed_groups += 1);
        if range.len() < TREE_BELOW {
            return self.locate(range, p0, false, good, seen);
        }
        self.search(range, p0, good, seen);
    }

    /// The end of a group of about `size` signatures from `pos`. A key's run of signatures is
    /// cut into parts of equal size (so that no small remainder pays a test of its own, and a
    /// group's plain sums multiply one key); a group larger than what is left of a run takes
    /// the whole runs after it that fit, and more only when it would otherwise stay under half
    /// its size.
    fn group_end(&self, pos: usize, size: usize) -> usize {
        let len = self.keys.len();
        let run_end = |from: usize| match self.keys.get(from) {
            Some(k) => from + self.keys.get(from..).unwrap_or_default().iter().take_while(|x| x.bytes == k.bytes).count(),
            None => len,
        };
        let first = run_end(pos);
        let rest = first - pos;
        if size < rest {
            let parts = rest.div_ceil(size.max(1));
            return pos + rest.div_ceil(parts);
        }
        let mut end = first;
        while end < len {
            let next = run_end(end);
            if next - pos > size {
                break;
            }
            end = next;
        }
        if end - pos < size / 2 {
            end = (pos + size).min(len);
        }
        end
    }

    /// Settles a failed group by its plain sums, without another test of any part of it.
    ///
    /// The group's plain sums (from prefix sums of its `R_i`, `S_i` and `k_i`: two additions
    /// a signature) point at its one failure, or say it holds several; then the left half's
    /// plain sums are computed and the right half's follow by subtraction, down to parts with
    /// one failure each (or none: `[8]S0 = 0`), and parts too small to pay another split are
    /// verified one by one. One batch equation then proves the whole verdict:
    /// `[8](P - sum_j z_j S0_j - sum_i z_i D_i) = 0`, over the candidate `j` of each part with
    /// one failure (`S0_j` that part's plain sum, which is `D_j` when the rest of the part is
    /// valid) and the signatures `i` verified alone. It is the group's batch equation with each
    /// part's coefficients shifted by its candidate's (`z_l - z_j`), which are as random to the
    /// signer as the `z_l` (the candidates come from plain sums, which do not depend on the
    /// coefficients): so it holds exactly when everything else in the group is valid, and then
    /// each candidate fails on its own (`[8]D_j = [8]S0_j != 0`). Plain sums can lie (failures
    /// that cancel in them); then the equation fails and the group is searched by halves
    /// ([`Batch::locate`]), so a lie costs this search and never a verdict.
    fn search(&self, range: Range<usize>, p0: EdwardsPoint, good: &mut [bool], seen: &mut Seen) {
        let sums = timed!(plain_ns, Sums::new(self, range.clone()));
        let n = range.len();
        let s0 = timed!(plain_ns, sums.sum0(self, 0, n));
        let mut found = Found { share: seen.share(), ..Found::default() };
        self.split(&sums, 0..n, s0, None, &mut found);
        let start = range.start;
        // The verdicts of the signatures verified alone, and their residuals for the proof.
        let mut alone: Vec<(usize, bool, EdwardsPoint)> = Vec::with_capacity(found.alone.len());
        timed!(single_ns, {
            tally!(singles += found.alone.len());
            for &i in &found.alone {
                // A position without a prepared signature (never the case: the group's range is
                // the batch's) is invalid, never passed by the range's `pass` below.
                let d = self.own_residual(i, 1);
                alone.push((i, d.is_some_and(|d| d.mul_by_cofactor().is_identity()), d.unwrap_or_else(EdwardsPoint::identity)));
            }
        });
        let proved = timed!(proof_ns, {
            let z = self.z();
            let mut scalars: Vec<Scalar> = Vec::with_capacity(found.candidates.len() + alone.len());
            let mut points: Vec<EdwardsPoint> = Vec::with_capacity(scalars.capacity());
            for (j, s0_j) in &found.candidates {
                scalars.extend(z.get(*j));
                points.push(*s0_j);
            }
            for (i, _, d) in &alone {
                scalars.extend(z.get(*i));
                points.push(*d);
            }
            tally!(equations += 1, equation_points += points.len());
            let sum = match (scalars.as_slice(), points.as_slice()) {
                ([], []) => EdwardsPoint::identity(),
                // One point times a 128-bit coefficient: the double-base multiplication with no
                // base part starts at the highest nonzero digit, half a full multiplication.
                ([c], [p]) => EdwardsPoint::vartime_double_scalar_mul_basepoint(c, p, &Scalar::ZERO),
                _ => EdwardsPoint::vartime_multiscalar_mul(&scalars, &points),
            };
            scalars.len() == found.candidates.len() + alone.len() && (p0 - sum).mul_by_cofactor().is_identity()
        });
        if !proved {
            return self.locate(range, p0, true, good, seen);
        }
        self.pass(range.clone(), good, seen);
        for (j, _) in &found.candidates {
            if let Some(slot) = good.get_mut(*j) {
                *slot = false;
            }
            seen.failed += 1;
        }
        for (i, valid, _) in alone {
            if let Some(slot) = good.get_mut(i) {
                *slot = valid;
            }
            seen.failed += usize::from(!valid);
        }
        debug_assert!(found.candidates.iter().all(|(j, _)| (start..range.end).contains(j)));
    }

    /// Where to split `part` (positions from `start`): at the boundary of two keys' runs nearest
    /// its middle, if one lies in its middle half (so that the halves' plain sums multiply one
    /// key each, with the base point's table), else in its middle.
    fn middle(&self, start: usize, part: Range<usize>) -> usize {
        let n = part.len();
        let half = part.start + n / 2;
        let keys = self.keys.get(start + part.start..start + part.end).unwrap_or_default();
        let boundary = |l: usize| match (keys.get(l - part.start - 1), keys.get(l - part.start)) {
            (Some(a), Some(b)) => a.bytes != b.bytes,
            _ => false,
        };
        (0..=n / 4).flat_map(|d| [half - d, half + d]).find(|&l| l > part.start && l < part.end && boundary(l)).unwrap_or(half)
    }

    /// The search of [`Batch::search`] over the part `part` (positions from the group's start)
    /// whose plain sums are `s0` and, when already known, `s1` (weights `part.end - l`).
    ///
    /// `S1` is computed only for a part that is scanned, or split with failures in both halves:
    /// a split computes the left half's `S0`, the right half's follows by subtraction, and when
    /// one half has none (`[8]S0 = 0`), the other's `S1` is the part's less what the clean half
    /// adds under `[8]`, `(end - mid)` times the left's `S0` (the clean half's own `S1` vanishes
    /// under `[8]` when its signatures are valid; when they are not, failures that cancel, the
    /// sums lie and the proof fails, as for any lie).
    fn split(&self, sums: &Sums, part: Range<usize>, s0: EdwardsPoint, s1: Option<EdwardsPoint>, found: &mut Found) {
        let n = part.len();
        let q0 = s0.mul_by_cofactor();
        if q0.is_identity() {
            // No failure, or failures that cancel: the proof decides.
            return;
        }
        // A part that holds one failure is scanned; one that likely holds several (at the call's
        // share, more than about 2.3 expected among its signatures make one failure less likely
        // than 0.3, where a scan costs more than the split it would spare) is split at once.
        let likely_one = found.share * n as f64 <= SCAN_UP_TO_EXPECTED;
        let mut s1 = s1;
        if likely_one {
            let s1 = *s1.get_or_insert_with(|| timed!(plain_ns, sums.sum1(self, part.start, part.end)));
            if let Some(w) = timed!(scan_ns, position(q0, s1.mul_by_cofactor(), n)) {
                // [8]S1 = w [8]S0: the failure is at weight w, position part.end - w.
                found.candidates.push((sums.start + part.end - w, s0));
                return;
            }
        }
        // Two or more failures (or sums that lie): split while a split costs less than the part
        // verified one by one.
        if n < SPLIT_FROM {
            found.alone.extend(sums.start + part.start..sums.start + part.end);
            return;
        }
        let mid = self.middle(sums.start, part.clone());
        let l0 = timed!(plain_ns, sums.sum0(self, part.start, mid));
        let r0 = s0 - l0;
        // The right half's weights are the part's: S1 = S1_left + (end - mid) S0_left + S1_right.
        let shifted = |s1: EdwardsPoint| s1 - small_multiple(part.end - mid, &l0);
        if l0.mul_by_cofactor().is_identity() {
            return self.split(sums, mid..part.end, r0, s1.map(shifted), found);
        }
        if r0.mul_by_cofactor().is_identity() {
            return self.split(sums, part.start..mid, l0, s1.map(shifted), found);
        }
        let (l1, r1) = match s1 {
            Some(s1) => {
                let l1 = timed!(plain_ns, sums.sum1(self, part.start, mid));
                (Some(l1), Some(shifted(s1) - l1))
            }
            None => (None, None),
        };
        self.split(sums, part.start..mid, l0, l1, found);
        self.split(sums, mid..part.end, r0, r1, found);
    }

    /// Settles `range`, whose residual `p0` says it holds a failure; `several`: it is known to
    /// hold two or more.
    fn locate(&self, range: Range<usize>, p0: EdwardsPoint, several: bool, good: &mut [bool], seen: &mut Seen) {
        let n = range.len();
        let keys = self.distinct_keys_in(range.clone());
        // Searching costs at least one more equation over the range: below that, one by one; and
        // once the failures found say that no group size pays at their share, one by one too.
        let hopeless = seen.failed >= 4 && group_size(seen.share(), keys as f64 / n as f64) == 1;
        if hopeless || (n as f64) * SINGLE <= locate_cost(n, keys, several) + SINGLE {
            return self.singles_known_bad(range, good, seen);
        }
        let start = range.start;
        // The plain sums pay when one failure is likely: at the call's share, a part of `n` with
        // failures holds exactly one with probability `m e^-m / (1 - e^-m)`, `m = share * n`.
        let m = seen.share() * n as f64;
        let one = if m > 0.0 { m * (-m).exp() / (1.0 - (-m).exp()) } else { 1.0 };
        let several = several || one * (test_cost(n / 2, keys) + plain_cost(n / 2, keys)) < plain_cost(n, keys);
        if !several {
            // One failure is the likeliest case: the plain sums say where it would be, the
            // randomized equation of the others proves it (see `plain_sums` and `prove_single`).
            let (s0, s1) = timed!(plain_ns, self.plain_sums(range.clone()));
            if let Some(j) = timed!(scan_ns, single_failure(s0, s1, n)) {
                let i = start + j;
                if timed!(proof_ns, self.prove_single(p0, s0, i)) {
                    self.pass(start..i, good, seen);
                    seen.settled += 1;
                    seen.failed += 1;
                    return self.pass(i + 1..range.end, good, seen);
                }
            }
        }
        // Two or more: halves, the right one's residual by subtraction.
        let mid = start + n / 2;
        let left0 = timed!(half_ns, self.residual(start..mid));
        let right0 = p0 - left0;
        let left_bad = !left0.mul_by_cofactor().is_identity();
        let right_bad = !right0.mul_by_cofactor().is_identity();
        match (left_bad, right_bad) {
            (true, true) => {
                self.locate(start..mid, left0, false, good, seen);
                self.locate(mid..range.end, right0, false, good, seen);
            }
            (true, false) => {
                self.pass(mid..range.end, good, seen);
                self.locate(start..mid, left0, true, good, seen);
            }
            (false, true) => {
                self.pass(start..mid, good, seen);
                self.locate(mid..range.end, right0, true, good, seen);
            }
            // [8]P = [8]P_left + [8]P_right: both halves cannot pass. Should arithmetic ever say so,
            // nothing is assumed.
            (false, false) => self.singles(range, good, seen),
        }
    }

    /// The plain sums `S0 = sum D_i` and `S1 = sum (i - range.start + 1) D_i` over `range`: no
    /// coefficients, so that their `R` parts are additions only (suffix sums: `S1`'s `R` part is
    /// the sum of the running suffix sums), and their key and base parts one small
    /// multiplication each over the range's distinct keys and `B`.
    ///
    /// When `range` holds exactly one failure `j`, `[8]S1 = (j + 1)[8]S0`. With no random
    /// coefficients, a signer can make these sums lie (two forgeries whose `D` cancel): so they
    /// only point at a candidate, and [`Batch::prove_single`] decides; a lie costs these sums and
    /// nothing else.
    fn plain_sums(&self, range: Range<usize>) -> (EdwardsPoint, EdwardsPoint) {
        let start = range.start;
        let (mut suffix, mut total) = (EdwardsPoint::identity(), EdwardsPoint::identity());
        let (mut s_suffix, mut s_total) = (Scalar::ZERO, Scalar::ZERO);
        // The k_i of each run of one key (signatures come grouped by key), as running sums:
        // `sum k_i` and `sum (i - run_start + 1) k_i`, with the run's start. Scalar
        // multiplications are slow in wasm (64-bit limb products), so the weights come from
        // additions, and one multiplication per run moves them to the range's weights.
        let mut runs: Vec<(&PublicKey, Scalar, Scalar, usize)> = Vec::new();
        for i in range.rev() {
            let (Some(p), Some(key)) = (self.ready.get(i), self.keys.get(i)) else { continue };
            suffix += p.r;
            total += suffix;
            s_suffix += p.s;
            s_total += s_suffix;
            tally!(additions += 2);
            match runs.last_mut() {
                Some((k, k_suffix, k_total, at)) if k.bytes == key.bytes => {
                    *k_suffix += p.k;
                    *k_total += *k_suffix;
                    *at = i;
                }
                _ => runs.push((key, p.k, p.k, i)),
            }
        }
        let mut key_slot: HashMap<&[u8; 32], usize> = HashMap::new();
        let mut t0: Vec<(&PublicKey, Scalar)> = Vec::new();
        let mut t1: Vec<(&PublicKey, Scalar)> = Vec::new();
        for (key, k_suffix, k_total, at) in runs {
            let slot = *key_slot.entry(&key.bytes).or_insert_with(|| {
                t0.push((key, Scalar::ZERO));
                t1.push((key, Scalar::ZERO));
                t0.len() - 1
            });
            if let (Some((_, x0)), Some((_, x1))) = (t0.get_mut(slot), t1.get_mut(slot)) {
                *x0 += k_suffix;
                *x1 += k_total + Scalar::from((at - start) as u64) * k_suffix;
            }
        }
        tally!(equations += 2, equation_points += 2 * (t0.len() + 1));
        // Under one key, `[a]A + [b]B` (groups are cut from runs of one key); otherwise one
        // multiplication over the keys and `B` (see `keys_and_base`).
        (suffix + self.keys_and_base(&t0, &-s_suffix, 1), total + self.keys_and_base(&t1, &-s_total, 1))
    }

    /// Whether signature `i`, inside a group whose residual is `p0` and plain sum `s0`, is its one
    /// failure: the batch equation of the others holds, `[8](P - z_i S0) = 0`.
    ///
    /// `P - z_i S0 = sum_{l != i} (z_l - z_i) D_l`: the others' residuals under coefficients that
    /// are as random to the signer as the `z_l` themselves (given `z_i`, each `z_l - z_i` is
    /// uniform and independent of the rest, and `i` was chosen by the plain sums, which do not
    /// depend on the coefficients), so it is a batch equation of the others, as sound as the
    /// group's. With `[8]P != 0` it also proves `[8]D_i = [8]S0 != 0`: `i` fails alone. One
    /// multiplication of one point by a 128-bit `z_i`, where the equation written out (`P`, `R_i`,
    /// `A_i`, `B` with 253-bit coefficients) costs four points.
    fn prove_single(&self, p0: EdwardsPoint, s0: EdwardsPoint, i: usize) -> bool {
        let Some(z) = self.z().get(i) else { return false };
        tally!(equations += 1, equation_points += 1);
        // z * S0, in the variable-time double-base multiplication with no base part: it starts
        // at the highest nonzero digit, so a 128-bit `z` costs half a full multiplication.
        let zs0 = EdwardsPoint::vartime_double_scalar_mul_basepoint(z, &s0, &Scalar::ZERO);
        (p0 - zs0).mul_by_cofactor().is_identity() && !p0.mul_by_cofactor().is_identity()
    }
}

/// The position `j` with `[8]p1 = (j + 1)[8]p0`, if one below `n` exists: where the one failure of
/// a group is, when it has exactly one.
fn single_failure(p0: EdwardsPoint, p1: EdwardsPoint, n: usize) -> Option<usize> {
    position(p0.mul_by_cofactor(), p1.mul_by_cofactor(), n).map(|w| w - 1)
}

/// The weight `w` in `1..=n` with `q1 = [w]q0`, if any (`q0` not the identity).
fn position(q0: EdwardsPoint, q1: EdwardsPoint, n: usize) -> Option<usize> {
    if q0.is_identity() {
        return None;
    }
    if n > BABY_STEPS_FROM {
        return baby_steps(q0, q1, n);
    }
    let mut acc = q0;
    for w in 1..=n {
        tally!(additions += 1);
        if acc == q1 {
            return Some(w);
        }
        acc += q0;
    }
    None
}

/// Scans of more weights than this take baby steps and giant steps.
const BABY_STEPS_FROM: usize = 64;

/// [`position`] by baby steps and giant steps: `q1 = [t m + c]q0` with `c` in `1..=m` and
/// `m = ceil(sqrt n)`, about `2 sqrt n` additions and two batch encodings (one field inversion
/// each) where the plain scan costs `n` additions and comparisons. A part with two or more
/// failures has no such weight, and the plain scan would run through all `n`.
fn baby_steps(q0: EdwardsPoint, q1: EdwardsPoint, n: usize) -> Option<usize> {
    let m = (n as f64).sqrt().ceil() as usize;
    let mut baby = Vec::with_capacity(m);
    let mut acc = q0;
    for _ in 0..m {
        baby.push(acc);
        acc += q0;
    }
    // `acc` is now [m + 1]q0; the giant step is [m]q0.
    let step = acc - q0;
    let mut giant = Vec::with_capacity(n / m + 1);
    let mut g = q1;
    for _ in 0..=n / m {
        giant.push(g);
        g -= step;
    }
    tally!(additions += baby.len() + giant.len());
    let table: HashMap<[u8; 32], usize> =
        EdwardsPoint::compress_batch_alloc(&baby).into_iter().enumerate().map(|(c, p)| (p.to_bytes(), c + 1)).collect();
    EdwardsPoint::compress_batch_alloc(&giant)
        .into_iter()
        .enumerate()
        .find_map(|(t, p)| table.get(&p.to_bytes()).map(|c| t * m + c))
        .filter(|w| (1..=n).contains(w))
}

/// `[m]p` for a small `m` (a part's length): the variable-time double-base multiplication with
/// no base part starts at the highest nonzero digit, so this costs about `log2 m` doublings.
fn small_multiple(m: usize, p: &EdwardsPoint) -> EdwardsPoint {
    EdwardsPoint::vartime_double_scalar_mul_basepoint(&Scalar::from(m as u64), p, &Scalar::ZERO)
}

/// Failed groups of fewer signatures are searched by [`Batch::locate`] (plain sums over the
/// group, then halves), larger ones by [`Batch::search`].
const TREE_BELOW: usize = 8;

/// Parts with two or more failures and fewer signatures than this are verified one by one
/// rather than split: a split costs two double-base multiplications, about two signatures alone.
const SPLIT_FROM: usize = 8;

/// What the search of a failed group found: each part's one failure with that part's plain sum
/// `S0`, and the signatures to verify alone (positions in the batch).
#[derive(Default)]
struct Found {
    candidates: Vec<(usize, EdwardsPoint)>,
    alone: Vec<usize>,
    /// The call's share of failures, which says whether a part likely holds one.
    share: f64,
}

/// Expected failures in a part (at the call's share) up to which it is scanned for one.
const SCAN_UP_TO_EXPECTED: f64 = 2.3;

/// Prefix sums over a failed group, from which the plain sums of any part follow with a few
/// additions and the part's key and base multiplications.
///
/// For `X` each of `R`, `S` and `k`: `p[i] = sum_{l < i} X_l` and `w[i] = sum_{l < i} (i - l)
/// X_l` (the running sum of `p`), positions from the group's start. A part `[a, b)` then has
/// `sum X_l = p[b] - p[a]` and `sum (b - l) X_l = w[b] - w[a] - (b - a) p[a]`.
struct Sums {
    start: usize,
    r_p: Vec<EdwardsPoint>,
    r_w: Vec<EdwardsPoint>,
    s_p: Vec<Scalar>,
    s_w: Vec<Scalar>,
    k_p: Vec<Scalar>,
    k_w: Vec<Scalar>,
}

impl Sums {
    fn new(batch: &Batch<'_>, range: Range<usize>) -> Sums {
        let n = range.len();
        let mut sums = Sums {
            start: range.start,
            r_p: Vec::with_capacity(n + 1),
            r_w: Vec::with_capacity(n + 1),
            s_p: Vec::with_capacity(n + 1),
            s_w: Vec::with_capacity(n + 1),
            k_p: Vec::with_capacity(n + 1),
            k_w: Vec::with_capacity(n + 1),
        };
        let (mut rp, mut rw) = (EdwardsPoint::identity(), EdwardsPoint::identity());
        let (mut sp, mut sw, mut kp, mut kw) = (Scalar::ZERO, Scalar::ZERO, Scalar::ZERO, Scalar::ZERO);
        let push = |sums: &mut Sums, rp, rw, sp, sw, kp, kw| {
            sums.r_p.push(rp);
            sums.r_w.push(rw);
            sums.s_p.push(sp);
            sums.s_w.push(sw);
            sums.k_p.push(kp);
            sums.k_w.push(kw);
        };
        push(&mut sums, rp, rw, sp, sw, kp, kw);
        for p in batch.ready.get(range).unwrap_or_default() {
            rp += p.r;
            rw += rp;
            sp += p.s;
            sw += sp;
            kp += p.k;
            kw += kp;
            push(&mut sums, rp, rw, sp, sw, kp, kw);
        }
        tally!(additions += 2 * n);
        sums
    }

    /// `S0 = sum D_l` of the part `[a, b)`: the `R` part from the prefix sums, the key and base
    /// parts one multiplication over `B` and the part's keys (`Batch::keys_and_base`).
    fn sum0(&self, batch: &Batch<'_>, a: usize, b: usize) -> EdwardsPoint {
        let r0 = point_at(&self.r_p, b) - point_at(&self.r_p, a);
        let s0 = scalar_at(&self.s_p, b) - scalar_at(&self.s_p, a);
        let terms = self.key_runs(batch, a, b, false);
        tally!(equations += 1, equation_points += terms.len() + 1);
        r0 + batch.keys_and_base(&terms, &-s0, 1)
    }

    /// `S1 = sum (b - l) D_l` of the part `[a, b)`, as [`Sums::sum0`].
    fn sum1(&self, batch: &Batch<'_>, a: usize, b: usize) -> EdwardsPoint {
        let n = Scalar::from((b - a) as u64);
        let mut r1 = point_at(&self.r_w, b) - point_at(&self.r_w, a);
        if a > 0 {
            r1 -= small_multiple(b - a, &point_at(&self.r_p, a));
        }
        let s1 = scalar_at(&self.s_w, b) - scalar_at(&self.s_w, a) - n * scalar_at(&self.s_p, a);
        let terms = self.key_runs(batch, a, b, true);
        tally!(equations += 1, equation_points += terms.len() + 1);
        r1 + batch.keys_and_base(&terms, &-s1, 1)
    }

    /// The keys of the part `[a, b)`'s runs of one key `[c, d)`, each with `sum k_l` or, when
    /// `weighted`, `sum (b - l) k_l = sum (d - l) k_l + (b - d) sum k_l`.
    fn key_runs<'k>(&self, batch: &Batch<'k>, a: usize, b: usize, weighted: bool) -> Vec<(&'k PublicKey, Scalar)> {
        let keys = batch.keys.get(self.start + a..self.start + b).unwrap_or_default();
        let mut terms = Vec::new();
        let mut c = a;
        while let Some(key) = keys.get(c - a) {
            let d = c + keys.get(c - a..).unwrap_or_default().iter().take_while(|k| k.bytes == key.bytes).count();
            let k0 = scalar_at(&self.k_p, d) - scalar_at(&self.k_p, c);
            let k = if weighted {
                scalar_at(&self.k_w, d) - scalar_at(&self.k_w, c) - Scalar::from((d - c) as u64) * scalar_at(&self.k_p, c)
                    + Scalar::from((b - d) as u64) * k0
            } else {
                k0
            };
            terms.push((*key, k));
            c = d;
        }
        terms
    }
}

fn scalar_at(v: &[Scalar], i: usize) -> Scalar {
    v.get(i).copied().unwrap_or(Scalar::ZERO)
}

fn point_at(v: &[EdwardsPoint], i: usize) -> EdwardsPoint {
    v.get(i).copied().unwrap_or_else(EdwardsPoint::identity)
}

/// The costs the cost model's constants stand for, measured now: preparing a signature, one
/// signature alone after that, batch equations of several sizes, and the steps of the search of
/// a failed group, under 1 and 16 keys (signatures in runs of one key, as a batch groups them);
/// medians of `rounds` rounds in which every figure is measured once, so that all see the same
/// load.
#[cfg(feature = "internals")]
pub fn calibration_report(rounds: usize) -> String {
    use crate::keys::KeyPair;
    use std::fmt::Write;
    use std::time::Instant;
    let keys: Vec<KeyPair> = (0..16u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let n = 2048;
    let sizes = [16usize, 32, 64, 128, 256, 512, 1024];
    let mut out = String::new();
    for nkeys in [1usize, 16] {
        let key = |i: usize| keys.get(i * nkeys / n).map(KeyPair::public_key);
        // (label, microseconds per unit, units per round)
        let mut figures: Vec<(String, Vec<f64>)> = Vec::new();
        let mut record = |label: String, us: f64| match figures.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => v.push(us),
            None => figures.push((label, vec![us])),
        };
        for round in 0..rounds.max(1) {
            let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("calibration {round} {i}").into_bytes()).collect();
            let sigs: Vec<[u8; 64]> = (0..n).map(|i| keys.get(i * nkeys / n).map(|k| k.sign(&messages[i])).unwrap_or([0; 64])).collect();
            let t = Instant::now();
            let mut ready = Vec::with_capacity(n);
            let mut ready_keys = Vec::with_capacity(n);
            for i in 0..n {
                if let (Some(k), Some(p)) = (key(i), key(i).and_then(|k| prepare(&messages[i], &sigs[i], k))) {
                    ready.push(p);
                    ready_keys.push(k);
                }
            }
            record("prepare".into(), t.elapsed().as_secs_f64() * 1e6 / n as f64);
            let batch = Batch::new(ready, ready_keys);
            let t = Instant::now();
            let mut good = vec![false; batch.len()];
            batch.singles_timed(0..256, &mut good, &mut Seen { settled: 0, failed: 0 });
            record("single after prepare".into(), t.elapsed().as_secs_f64() * 1e6 / 256.0);
            for g in sizes {
                let t = Instant::now();
                let mut at = 0;
                while at + g <= batch.len() {
                    let _ = batch.residual(at..at + g).mul_by_cofactor().is_identity();
                    at += g;
                }
                record(format!("test of {g:>4}, per signature"), t.elapsed().as_secs_f64() * 1e6 / n as f64);
            }
            let t = Instant::now();
            let sums = Sums::new(&batch, 0..256);
            record("prefix sums, per signature".into(), t.elapsed().as_secs_f64() * 1e6 / 256.0);
            let t = Instant::now();
            let (s0, s1) = (sums.sum0(&batch, 128, 256), sums.sum1(&batch, 128, 256));
            record("plain sums of a part (two multiplications)".into(), t.elapsed().as_secs_f64() * 1e6);
            let (q0, q1) = ((s0 + ED25519_BASEPOINT_POINT).mul_by_cofactor(), s1.mul_by_cofactor());
            let t = Instant::now();
            let _ = position(q0, q1, 256);
            record("scan of 256 that finds nothing".into(), t.elapsed().as_secs_f64() * 1e6);
            let p0 = batch.residual(0..64);
            let t = Instant::now();
            for i in 0..16 {
                let _ = batch.prove_single(p0, s0, i);
            }
            record("proof of one".into(), t.elapsed().as_secs_f64() * 1e6 / 16.0);
            let t = Instant::now();
            let table = FixedBase::new(&batch.keys.first().map_or(ED25519_BASEPOINT_POINT, |k| k.point));
            record("key table, built".into(), t.elapsed().as_secs_f64() * 1e6);
            let _ = base_table();
            let t = Instant::now();
            let mut acc = EdwardsPoint::identity();
            for p in batch.ready.iter().take(64) {
                acc += table.mul(&p.k) + base_table().mul(&p.s);
            }
            record("[a]A + [b]B by tables".into(), t.elapsed().as_secs_f64() * 1e6 / 64.0);
            let t = Instant::now();
            for p in batch.ready.iter().take(64) {
                acc += EdwardsPoint::vartime_double_scalar_mul_basepoint(&p.k, &table.mul(&Scalar::ONE), &p.s);
            }
            record("[a]A + [b]B double-base".into(), t.elapsed().as_secs_f64() * 1e6 / 64.0);
            let t = Instant::now();
            for p in batch.ready.iter().take(1024) {
                acc += p.r;
            }
            record(format!("point addition ({})", u8::from(acc.is_identity())), t.elapsed().as_secs_f64() * 1e6 / 1024.0);
        }
        let _ = writeln!(out, "{nkeys} keys, in runs (medians of {rounds} rounds, us):");
        for (label, mut v) in figures {
            v.sort_by(f64::total_cmp);
            let _ = writeln!(out, "  {label}: {:.3}", v.get(v.len() / 2).copied().unwrap_or(f64::NAN));
        }
    }
    out
}

#[cfg(test)]
#[path = "batch_verify_tests.rs"]
mod search;
