//! The search of failed groups against one-by-one verification, over many placements of
//! failures, including signatures that are valid only with the cofactor.
use super::*;
use crate::keys::{verify, KeyPair};
use curve25519_dalek::constants::EIGHT_TORSION;

/// A signature on `message` whose `R` carries a small-order component: valid under the
/// cofactored equation (and so for [`verify`]), though `[S]B - [k]A` differs from `R`.
fn torsion_signature(seed: &[u8; 32], message: &[u8], torsion: usize) -> ([u8; 64], PublicKey) {
    let h: [u8; 64] = Sha512::digest(seed).into();
    let (a, key) = secret_scalar(seed);
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::new().chain_update(&h[32..]).chain_update(message).finalize().into());
    let big_r = ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[torsion % 8];
    let r_bytes = big_r.compress().to_bytes();
    let k = Scalar::from_bytes_mod_order_wide(
        &Sha512::new().chain_update(r_bytes).chain_update(key.as_bytes()).chain_update(message).finalize().into(),
    );
    let s = r + k * a;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&r_bytes);
    sig[32..].copy_from_slice(s.as_bytes());
    (sig, key)
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
        let mut state = BatchState { seen: Seen { settled: 100, failed: 2 }, ..BatchState::default() };
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
    // One key, and 16 keys in runs of 256 (what grouping by key makes of 4,096 signatures).
    for density in [1.0 / 4096.0, 16.0 / 4096.0] {
        assert_eq!(group_size(0.0, density), CHUNK);
        assert!(group_size(0.001, density) >= 128);
        // A failed group costs its plain sums, about two multiplications a failure, and no
        // test of any part: at 1%, groups as large as the cheapest tests' pay.
        assert!(group_size(0.01, density) >= 256);
        // Smaller groups as the share grows.
        assert!(group_size(0.05, density) <= group_size(0.01, density));
        assert_eq!(group_size(1.0, density), 1);
    }
    // Every signature under its own key: each key term costs as much as a signature alone.
    assert_eq!(group_size(0.5, 1.0), 1);
}

/// The secret scalar and public key of a seed, as [`KeyPair::from_seed`] derives them.
fn secret_scalar(seed: &[u8; 32]) -> (Scalar, PublicKey) {
    let h: [u8; 64] = Sha512::digest(seed).into();
    let mut a_bytes = [0u8; 32];
    a_bytes.copy_from_slice(&h[..32]);
    a_bytes[0] &= 248;
    a_bytes[31] &= 127;
    a_bytes[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a_bytes);
    let public = ED25519_BASEPOINT_POINT * a;
    (a, PublicKey::from_parts(public.compress().to_bytes(), public))
}

/// A signature by the holder of `seed` whose residual `D = R + [k]A - [S]B` is `[x]B`: invalid
/// for any `x != 0`, and chosen so, by a signer who wants the plain sums of a group to lie.
fn signature_with_residual(seed: &[u8; 32], message: &[u8], x: Scalar) -> ([u8; 64], PublicKey) {
    let (a, key) = secret_scalar(seed);
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::new().chain_update(b"nonce").chain_update(message).finalize().into());
    let r_bytes = (ED25519_BASEPOINT_POINT * r).compress().to_bytes();
    let k = Scalar::from_bytes_mod_order_wide(
        &Sha512::new().chain_update(r_bytes).chain_update(key.as_bytes()).chain_update(message).finalize().into(),
    );
    let s = r + k * a - x;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&r_bytes);
    sig[32..].copy_from_slice(s.as_bytes());
    (sig, key)
}

/// Signs `n` messages under one key, replacing the signatures at `forged` by the given ones.
fn one_key_call(seed: &[u8; 32], n: usize, tag: &str) -> (Vec<Vec<u8>>, Vec<[u8; 64]>, PublicKey) {
    let pair = KeyPair::from_seed(seed);
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("{tag} {i}").into_bytes()).collect();
    let sigs = messages.iter().map(|m| pair.sign(m)).collect();
    (messages, sigs, pair.public_key().clone())
}

fn verdicts(messages: &[Vec<u8>], sigs: &[[u8; 64]], keys: &[&PublicKey]) -> (Vec<bool>, Vec<bool>, Work) {
    let jobs: Vec<SignatureJob<'_>> =
        (0..messages.len()).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: keys[i] }).collect();
    let expected = jobs.iter().map(|j| verify(j.message, j.signature, j.key)).collect();
    let _ = take_work();
    let got = verify_batch(&jobs);
    (got, expected, take_work())
}

#[test]
fn plain_sums_that_lie_cost_a_search_and_never_a_verdict() {
    let seed = [42u8; 32];
    for (case, (a, b, x, y)) in [
        // D_a + D_b = 0: the plain sums of the group see no failure at all.
        (10usize, 20usize, Scalar::from(5u64), -Scalar::from(5u64)),
        // (a + 1)x + (b + 1)y = (30 + 1)(x + y): they point at signature 30, which is valid.
        (10, 20, Scalar::from(5u64), -Scalar::from(10u64)),
        // At a group's edges, and pointing past its end.
        (0, 99, Scalar::from(7u64), Scalar::from(3u64)),
    ]
    .into_iter()
    .enumerate()
    {
        let (messages, mut sigs, key) = one_key_call(&seed, 100, &format!("lie {case}"));
        sigs[a] = signature_with_residual(&seed, &messages[a], x).0;
        sigs[b] = signature_with_residual(&seed, &messages[b], y).0;
        let keys = vec![&key; messages.len()];
        let (got, expected, work) = verdicts(&messages, &sigs, &keys);
        assert_eq!(got, expected, "case {case}");
        assert_eq!(got.iter().filter(|v| !**v).count(), 2, "case {case}");
        assert!(!got[a] && !got[b], "case {case}");
        // The lie cost the plain sums, a failed proof at most, and the halves: far less than
        // verifying the group one by one.
        assert!(work.singles < 20, "case {case}: {work:?}");
    }
}

#[test]
fn verdicts_match_one_by_one_at_group_edges_and_for_all_forged() {
    let seed = [7u8; 32];
    let n = 1100;
    let placements: Vec<Vec<usize>> = vec![
        // The edges of the first groups (128, then 256, ...) and of groups of 64 and 32.
        vec![0, 127, 128, 383, 384, 895, 896, 1099],
        (0..n).filter(|i| i % 64 == 0 || i % 64 == 63).collect(),
        (0..n).filter(|i| i % 32 == 31).collect(),
        // Pairs straddling every edge of groups of 16.
        (0..n).filter(|i| i % 16 == 15 || i % 16 == 0).collect(),
        (0..n).collect(),
        (0..n).filter(|i| i % 2 == 1).collect(),
        vec![n - 1],
    ];
    for (case, forged) in placements.iter().enumerate() {
        let (messages, mut sigs, key) = one_key_call(&seed, n, &format!("edges {case}"));
        for &f in forged {
            sigs[f][33] ^= 4;
        }
        let keys = vec![&key; n];
        let (got, expected, _) = verdicts(&messages, &sigs, &keys);
        assert_eq!(got, expected, "case {case}");
        assert_eq!(got.iter().filter(|v| !**v).count(), forged.len(), "case {case}");
    }
}

#[test]
fn forgeries_under_one_key_leave_the_other_keys_in_batches() {
    // Half of the call forged under one key, interleaved with honest signatures under 15 others:
    // grouped by key, the honest signatures are settled by batch equations, not one by one.
    let pairs: Vec<KeyPair> = (1u8..=16).map(|i| KeyPair::from_seed(&[i; 32])).collect();
    let n = 2048;
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("mixed {i}").into_bytes()).collect();
    let sigs: Vec<[u8; 64]> =
        (0..n).map(|i| if i % 2 == 0 { pairs[0].sign(b"another message") } else { pairs[1 + i % 15].sign(&messages[i]) }).collect();
    let keys: Vec<&PublicKey> = (0..n).map(|i| if i % 2 == 0 { pairs[0].public_key() } else { pairs[1 + i % 15].public_key() }).collect();
    let (got, expected, work) = verdicts(&messages, &sigs, &keys);
    assert_eq!(got, expected);
    assert_eq!(got.iter().filter(|v| **v).count(), n / 2);
    assert!(work.singles <= n as u64 / 2 + 64, "{work:?}");
}

/// `n` messages signed by keys drawn from the first `nkeys` of `pairs`, about `share` of the
/// signatures with one bit flipped.
fn mixed_call<'p>(
    pairs: &'p [KeyPair],
    rng: &mut Rng,
    tag: &str,
    n: usize,
    nkeys: usize,
    share: f64,
) -> (Vec<Vec<u8>>, Vec<[u8; 64]>, Vec<&'p PublicKey>) {
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("{tag} {i}").into_bytes()).collect();
    let who: Vec<usize> = (0..n).map(|_| rng.below(nkeys)).collect();
    let mut sigs: Vec<[u8; 64]> = (0..n).map(|i| pairs[who[i]].sign(&messages[i])).collect();
    for sig in sigs.iter_mut() {
        if (rng.below(1_000_000) as f64) < share * 1_000_000.0 {
            sig[rng.below(64)] ^= 1 << rng.below(8);
        }
    }
    (messages, sigs, who.iter().map(|w| pairs[*w].public_key()).collect())
}

#[test]
fn random_mixes_of_keys_shares_and_orders_agree_with_one_by_one() {
    let pairs: Vec<KeyPair> = (1u8..=40).map(|i| KeyPair::from_seed(&[i; 32])).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for case in 0..40usize {
        let n = 1 + rng.below(900);
        let nkeys = [1usize, 2, 3, 16, 40][case % 5];
        let share = [0.0, 0.001, 0.01, 0.03, 0.1, 0.5, 1.0][rng.below(7)];
        let (messages, sigs, keys) = mixed_call(&pairs, &mut rng, &format!("mix {case}"), n, nkeys, share);
        let (got, expected, _) = verdicts(&messages, &sigs, &keys);
        assert_eq!(got, expected, "case {case}: {n} signatures, {nkeys} keys, share {share}");
    }
}

#[test]
fn a_lone_forgery_in_a_group_costs_its_plain_sums_and_one_proof() {
    // 1% forged, spread evenly over 16 keys (as bench/forgeries.mjs places them): a failed group
    // or half with one forgery is searched by its plain sums and one proof, never by halves down
    // to signatures verified one by one.
    let n = 4096;
    let pairs: Vec<KeyPair> = (0..16u8).map(|i| KeyPair::from_seed(&[i + 50; 32])).collect();
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("lone {i}").into_bytes()).collect();
    let forged: Vec<usize> = (0..41).map(|j| j * n / 41).collect();
    let sigs: Vec<[u8; 64]> = (0..n)
        .map(|i| if forged.contains(&i) { pairs[i % 16].sign(b"another message") } else { pairs[i % 16].sign(&messages[i]) })
        .collect();
    let keys: Vec<&PublicKey> = (0..n).map(|i| pairs[i % 16].public_key()).collect();
    let (got, expected, work) = verdicts(&messages, &sigs, &keys);
    assert_eq!(got, expected);
    assert_eq!(got.iter().filter(|v| !**v).count(), forged.len());
    assert_eq!(work.singles, 0, "{work:?}");
    // The search costs a third of the group tests at most.
    assert!(work.equation_points <= n as u64 + n as u64 / 3, "{work:?}");
}

/// Signs `n` messages under `nkeys` keys (signature `i` under key `i % nkeys`), forging those at
/// `forged` (valid over another message), and returns the verdicts of a call whose state has
/// already seen `share` of failures (so that groups are sized for it), with one-by-one verdicts.
fn call_after_share(nkeys: usize, n: usize, forged: &[usize], share: f64, tag: &str) -> (Vec<bool>, Vec<bool>, Work) {
    let pairs: Vec<KeyPair> = (0..nkeys).map(|i| KeyPair::from_seed(&[(i + 100) as u8; 32])).collect();
    let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("{tag} {i}").into_bytes()).collect();
    let sigs: Vec<[u8; 64]> = (0..n)
        .map(|i| if forged.contains(&i) { pairs[i % nkeys].sign(b"another message") } else { pairs[i % nkeys].sign(&messages[i]) })
        .collect();
    let jobs: Vec<SignatureJob<'_>> =
        (0..n).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: pairs[i % nkeys].public_key() }).collect();
    let expected: Vec<bool> = jobs.iter().map(|j| verify(j.message, j.signature, j.key)).collect();
    let settled = 10_000;
    let mut state = BatchState { seen: Seen { settled, failed: (share * settled as f64) as usize }, ..BatchState::default() };
    let _ = take_work();
    let got = state.verify(&jobs);
    (got, expected, take_work())
}

#[test]
fn the_search_by_plain_sums_finds_adversarial_placements_exactly() {
    // At a share of 1%, groups are a few hundred signatures cut from runs of one key, and a
    // failed group is searched by plain sums (`Batch::search`): forgeries at the edges of
    // groups and of the halves it splits, two and three to a group, a burst after a clean run,
    // a whole group forged, every other signature forged.
    let n = 2048;
    for nkeys in [1usize, 2, 16] {
        let placements: Vec<Vec<usize>> = vec![
            vec![0, 255, 256, 511, 512, 1023, 1024, 2047],
            vec![127, 128, 383, 384, 1151, 1152],
            (0..n).filter(|i| i % 256 == 3 || i % 256 == 200).collect(),
            (0..n).filter(|i| i % 512 == 1 || i % 512 == 2 || i % 512 == 300).collect(),
            (1500..1540).collect(),
            (1024..1280).collect(),
            (0..n).filter(|i| i % 2 == 0).collect(),
            (0..n).collect(),
            vec![],
        ];
        for (case, forged) in placements.iter().enumerate() {
            let (got, expected, _) = call_after_share(nkeys, n, forged, 0.01, &format!("adversarial {nkeys} {case}"));
            assert_eq!(got, expected, "{nkeys} keys, case {case}");
            assert_eq!(got.iter().filter(|v| !**v).count(), forged.len(), "{nkeys} keys, case {case}");
        }
    }
}

#[test]
fn random_shares_through_the_search_agree_with_one_by_one() {
    let mut rng = Rng(0x51ed_2701_a3b4_c5d6);
    for case in 0..24usize {
        let n = 64 + rng.below(1500);
        let nkeys = [1usize, 3, 16][case % 3];
        let share = [0.002, 0.01, 0.02, 0.05][rng.below(4)];
        let forged: Vec<usize> = (0..n).filter(|_| (rng.below(1_000_000) as f64) < share * 1_000_000.0).collect();
        let prior = [0.0, 0.01, 0.05][rng.below(3)];
        let (got, expected, _) = call_after_share(nkeys, n, &forged, prior, &format!("random search {case}"));
        assert_eq!(got, expected, "case {case}: {n} signatures, {nkeys} keys, share {share}, prior {prior}");
    }
}

#[test]
fn the_search_costs_its_plain_sums_and_one_proof_per_group() {
    // Two forgeries in each group of 256 under one key: found by plain sums of a few parts and
    // one proof per group, with no half tested and no signature verified alone.
    let n = 2048;
    let forged: Vec<usize> = (0..n).filter(|i| i % 256 == 17 || i % 256 == 190).collect();
    let (got, expected, work) = call_after_share(1, n, &forged, 0.01, "two a group");
    assert_eq!(got, expected);
    assert_eq!(work.singles, 0, "{work:?}");
    assert_eq!(work.half_ns, 0, "{work:?}");
    // Tests (n points and a few), plain sums (4 points each), proofs (2 points each).
    assert!(work.equation_points <= n as u64 + n as u64 / 8, "{work:?}");
}

#[test]
fn plain_sums_that_cancel_in_a_search_cost_a_search_and_never_a_verdict() {
    // In one group, two forgeries whose residuals cancel (the group's plain sums see nothing),
    // and two whose plain sums point at a valid signature: the proof fails, the group is
    // searched by halves, and the verdicts are one by one's.
    let seed = [43u8; 32];
    let n = 512;
    let (messages, mut sigs, key) = one_key_call(&seed, n, "cancel in search");
    // D_10 + D_20 = 0; and 212 * 5 - 202 * 10 = 192 * (5 - 10): weight 192, signature 320.
    for (at, x) in [(10usize, Scalar::from(10u64)), (20, -Scalar::from(10u64)), (300, Scalar::from(5u64)), (310, -Scalar::from(10u64))] {
        sigs[at] = signature_with_residual(&seed, &messages[at], x).0;
    }
    let jobs: Vec<SignatureJob<'_>> = (0..n).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: &key }).collect();
    let expected: Vec<bool> = jobs.iter().map(|j| verify(j.message, j.signature, j.key)).collect();
    let mut state = BatchState { seen: Seen { settled: 10_000, failed: 100 }, ..BatchState::default() };
    let _ = take_work();
    let got = state.verify(&jobs);
    let work = take_work();
    assert_eq!(got, expected);
    assert_eq!(got.iter().filter(|v| !**v).count(), 4);
    assert!(work.singles < 40, "{work:?}");
}

#[test]
fn groups_are_cut_in_equal_parts_of_each_key_run() {
    let pairs: Vec<KeyPair> = (0..3u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let keys: Vec<&PublicKey> = [300usize, 40, 700].iter().enumerate().flat_map(|(k, run)| vec![pairs[k].public_key(); *run]).collect();
    let batch = Batch::new(Vec::new(), keys);
    // A run of 300 in groups of about 128: three of 100.
    assert_eq!(batch.group_end(0, 128), 100);
    assert_eq!(batch.group_end(200, 128), 300);
    // The rest of a run, and the whole runs after it that fit.
    assert_eq!(batch.group_end(200, 256), 340);
    // More than those only when the group would stay under half its size.
    assert_eq!(batch.group_end(250, 512), 762);
    assert_eq!(batch.group_end(0, 1024), 1024);
    // Past the last run.
    assert_eq!(batch.group_end(700, 1024), 1040);
}

/// Forgets every key table and count of uses on this thread.
fn without_tables() {
    TABLES.with(|t| *t.borrow_mut() = Tables::default());
}

/// Builds the table of each key, as a search or a run of signatures alone would.
fn with_tables(keys: &[&PublicKey]) {
    for key in keys {
        assert!(table(key, TABLE_FOR_RUN).is_some());
    }
}

#[test]
fn key_tables_change_no_verdict() {
    // The same calls with no table, and with a table for every key: torsion signatures (valid
    // only with the cofactor), plain sums that lie, and random mixes of keys and shares, in
    // batches, searches and signatures alone.
    let pairs: Vec<KeyPair> = (1u8..=12).map(|i| KeyPair::from_seed(&[i + 80; 32])).collect();
    for tables in [false, true] {
        without_tables();
        let seed = [44u8; 32];
        let (mut messages, mut sigs, key) = one_key_call(&seed, 300, "tables");
        let mut torsion = Vec::new();
        for (at, t) in [(3usize, 1usize), (50, 3), (51, 4), (200, 7)] {
            let (sig, k) = torsion_signature(&seed, &messages[at], t);
            assert_eq!(k.as_bytes(), key.as_bytes());
            sigs[at] = sig;
            torsion.push(at);
        }
        for (at, x) in [(10usize, Scalar::from(10u64)), (20, -Scalar::from(10u64)), (100, Scalar::from(3u64)), (299, Scalar::ONE)] {
            sigs[at] = signature_with_residual(&seed, &messages[at], x).0;
        }
        // A torsion signature forged: invalid either way.
        let (bad, _) = torsion_signature(&seed, b"another message", 5);
        sigs[150] = bad;
        messages[151] = b"not what was signed".to_vec();
        let keys = vec![&key; messages.len()];
        if tables {
            with_tables(&[&key]);
        }
        let (got, expected, work) = verdicts(&messages, &sigs, &keys);
        assert_eq!(got, expected, "tables {tables}");
        assert_eq!(got.iter().filter(|v| !**v).count(), 6, "tables {tables}");
        assert!(torsion.iter().all(|&at| got[at]), "tables {tables}");
        if tables {
            assert_eq!(work.tables, 0, "{work:?}");
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..24usize {
            let n = 1 + rng.below(700);
            let nkeys = [1usize, 2, 5, 12][case % 4];
            let share = [0.0, 0.01, 0.05, 0.1, 0.5, 1.0][rng.below(6)];
            let (messages, sigs, keys) = mixed_call(&pairs, &mut rng, &format!("tables {case}"), n, nkeys, share);
            if tables {
                with_tables(&pairs.iter().map(KeyPair::public_key).collect::<Vec<_>>());
            } else {
                without_tables();
            }
            let (got, expected, work) = verdicts(&messages, &sigs, &keys);
            assert_eq!(got, expected, "tables {tables}, case {case}: {n} signatures, {nkeys} keys, share {share}");
            if !tables {
                // Each call starts with no table; a key gets one only after enough uses.
                assert!(work.tables <= nkeys as u64, "{work:?}");
            }
        }
    }
}

#[test]
fn a_key_table_is_built_once_and_kept_across_calls() {
    without_tables();
    let seed = [45u8; 32];
    // All forged: verified one by one, the run of 200 under one key builds its table at once.
    let (messages, mut sigs, key) = one_key_call(&seed, 200, "kept");
    for sig in sigs.iter_mut() {
        sig[40] ^= 1;
    }
    let keys = vec![&key; messages.len()];
    let (got, expected, work) = verdicts(&messages, &sigs, &keys);
    assert_eq!(got, expected);
    assert!(got.iter().all(|v| !v));
    assert_eq!((work.tables, work.singles), (1, 200), "{work:?}");
    // The next call under that key uses it.
    let (got, expected, work) = verdicts(&messages, &sigs, &keys);
    assert_eq!(got, expected);
    assert_eq!(work.tables, 0, "{work:?}");
    // A few signatures alone under a new key build nothing.
    let (messages, mut sigs, key) = one_key_call(&[46u8; 32], 3, "few");
    sigs[1][40] ^= 1;
    let (got, expected, work) = verdicts(&messages, &sigs, &[&key; 3]);
    assert_eq!(got, expected);
    assert_eq!(work.tables, 0, "{work:?}");
}

#[test]
fn keys_past_the_tables_kept_take_turns_without_rebuilding_every_turn() {
    without_tables();
    let pairs: Vec<KeyPair> = (0..(TABLES_KEPT + 4) as u8).map(|i| KeyPair::from_seed(&[i + 120; 32])).collect();
    let built = |count: usize| {
        let mut total = 0;
        for pair in &pairs {
            for _ in 0..count {
                if table(pair.public_key(), 1).is_some() {
                    total += 1;
                }
            }
        }
        total
    };
    // Five uses each: no key reaches its table.
    assert_eq!(built(5), 0);
    // Three more each: every key builds one at its eighth use; the first ones are dropped by
    // the last ones, and their counts start over.
    let _ = built(3);
    assert_eq!(TABLES.with(|t| t.borrow().built.len()), TABLES_KEPT);
    let dropped = pairs.first().map(|p| p.public_key().bytes);
    assert!(TABLES.with(|t| dropped.is_some_and(|d| !t.borrow().uses.contains_key(&d))));
    // A dropped key is not rebuilt on its next use.
    assert!(pairs.first().is_some_and(|p| table(p.public_key(), 1).is_none()));
}
