//! The search of failed groups against one-by-one verification, over many placements of
//! failures, including signatures that are valid only with the cofactor.
use super::*;
use crate::keys::{verify, KeyPair};
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
    let k =
        Scalar::from_bytes_mod_order_wide(&Sha512::new().chain_update(r_bytes).chain_update(a_enc).chain_update(message).finalize().into());
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
