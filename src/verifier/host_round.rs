//! Host signature checks as a round of the needs loop: a batch reports the ECDSA and RSA
//! signature jobs it needs settled, the host settles them asynchronously (WebCrypto,
//! node:crypto on its thread pool), and the batch completes with the verdicts.
//!
//! Round 1 runs the batch with [`Collect`]: every admissible job ([`HostJob::admissible`]) is
//! recorded and answered false, so the round's results are placeholders ([`HostVerifier::provisional`]:
//! they are never cached, and the host discards them). Its jobs go out as packed fields
//! (`crate::batch::wire`): per job its algorithm's JOSE name, the key ([`HostJob::host_key`]),
//! the message and the signature. The instance files the jobs' digests under a ticket
//! ([`HostRounds`]); the host answers one byte per job.
//!
//! Round 2 runs the batch again with [`Settled`], built from the ticket's digests and the
//! answers: a verdict applies only to the job of exactly its digest (algorithm, key, message,
//! signature), only the byte 1 is a pass (a missing answer, any other byte, a host that threw:
//! invalid), and a job the host was not asked (one it does not implement, such as secp256k1 in
//! WebCrypto, or one that appeared between the rounds) is settled in-process ([`RustVerifier`]),
//! so no verdict depends on who settles it. The table lives for that call only.

use crate::batch::wire;
use crate::keys::{Algorithm, HostJob, HostVerifier, RustVerifier};
use std::collections::{HashMap, HashSet, VecDeque};

/// Tickets held at once by one verifier: a round 1 whose round 2 never came (its host failed and
/// the caller went away) is dropped with the oldest, and its jobs are settled in-process if its
/// round 2 comes after all.
pub const MAX_PENDING_ROUNDS: usize = 256;

/// The round-1 settler: collects the admissible jobs of the algorithms the host implements.
pub struct Collect<'h> {
    /// Whether the host implements an algorithm.
    host_has: &'h dyn Fn(Algorithm) -> bool,
    /// The digests of the collected jobs, in order, without repeats.
    digests: Vec<[u8; 32]>,
    seen: HashSet<[u8; 32]>,
    /// The collected jobs as packed fields (4 per job).
    fields: Vec<Vec<u8>>,
    /// Whether any answer was a placeholder (a job collected, or left to round 2).
    deferred: bool,
}

impl<'h> Collect<'h> {
    /// A collector for a host that implements the algorithms `host_has` accepts.
    pub fn new(host_has: &'h dyn Fn(Algorithm) -> bool) -> Collect<'h> {
        Collect { host_has, digests: Vec::new(), seen: HashSet::new(), fields: Vec::new(), deferred: false }
    }

    /// The digests of the collected jobs (to file under a ticket) and the jobs as one packed
    /// buffer; `None` when no answer was a placeholder (round 1's results are the verdicts).
    pub fn into_round(self) -> Option<(Vec<[u8; 32]>, Vec<u8>)> {
        self.deferred.then(|| (self.digests, wire::pack(self.fields.iter().map(Vec::as_slice))))
    }
}

impl HostVerifier for Collect<'_> {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        for job in jobs.iter().filter(|j| j.admissible()) {
            self.deferred = true;
            if !(self.host_has)(job.alg) {
                continue;
            }
            let digest = job.digest();
            if self.seen.insert(digest) {
                self.digests.push(digest);
                self.fields.extend([job.alg.as_str().as_bytes().to_vec(), job.host_key(), job.message.to_vec(), job.signature.to_vec()]);
            }
        }
        vec![false; jobs.len()]
    }

    fn provisional(&self) -> bool {
        self.deferred
    }
}

/// The round-2 settler: the host's verdicts by job digest, in-process for jobs it was not asked.
pub struct Settled {
    verdicts: HashMap<[u8; 32], bool>,
}

impl Settled {
    /// The verdicts of a round: `answers[i] == 1` passes the job of `digests[i]`; any other
    /// byte fails it, and answers that are not one byte per job fail every job.
    pub fn new(digests: &[[u8; 32]], answers: &[u8]) -> Settled {
        let whole = answers.len() == digests.len();
        let verdicts = digests.iter().zip(answers.iter().chain(std::iter::repeat(&0))).map(|(d, a)| (*d, whole && *a == 1)).collect();
        Settled { verdicts }
    }
}

impl HostVerifier for Settled {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        jobs.iter()
            .map(|job| {
                if !job.admissible() {
                    return false;
                }
                match self.verdicts.get(&job.digest()) {
                    Some(&verdict) => verdict,
                    None => RustVerifier.verify_jobs(std::slice::from_ref(job)).first().copied().unwrap_or(false),
                }
            })
            .collect()
    }
}

impl super::Verifier {
    /// The hit and miss counters of the result, key and certificate-chain caches (see
    /// [`super::Verifier::restore_result_lookups`] and [`super::Verifier::restore_key_lookups`]).
    pub fn cache_lookups(&self) -> [(u64, u64); 3] {
        [self.results.lookups(), self.keys.lookups(), self.chains.lookups()]
    }

    /// Sets the result cache's counters back to `lookups`: a round 1 whose results were
    /// placeholders (never cached) is run again in round 2, and its result lookups count once,
    /// there.
    pub fn restore_result_lookups(&mut self, lookups: [(u64, u64); 3]) {
        self.results.restore_lookups(lookups[0]);
    }

    /// Sets the key and certificate-chain caches' counters back to `lookups`: round 2 looks up
    /// again the keys and chains that round 1 decoded or validated (and cached), and they count
    /// once, in round 1.
    pub fn restore_key_lookups(&mut self, lookups: [(u64, u64); 3]) {
        self.keys.restore_lookups(lookups[1]);
        self.chains.restore_lookups(lookups[2]);
    }
}

/// The rounds a verifier has open: ticket -> digests of the jobs the host was asked.
#[derive(Debug, Default)]
pub struct HostRounds {
    next: u32,
    open: VecDeque<(u32, Vec<[u8; 32]>)>,
}

impl HostRounds {
    /// Files the digests of a round's jobs; returns its ticket (never 0).
    pub fn open(&mut self, digests: Vec<[u8; 32]>) -> u32 {
        self.next = self.next.wrapping_add(1).max(1);
        if self.open.len() >= MAX_PENDING_ROUNDS {
            self.open.pop_front();
        }
        self.open.push_back((self.next, digests));
        self.next
    }

    /// Takes the digests of a ticket (empty for an unknown or dropped one: every job is then
    /// settled in-process).
    pub fn take(&mut self, ticket: u32) -> Vec<[u8; 32]> {
        match self.open.iter().position(|(t, _)| *t == ticket) {
            Some(i) => self.open.remove(i).map(|(_, d)| d).unwrap_or_default(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::{Signer, SigningKey, VerifyingKey};

    fn es256() -> (SigningKey, VerifyingKey) {
        let key = SigningKey::from_secret(Algorithm::Es256, &[7; 32]).unwrap();
        let public = key.verifying_key();
        (key, public)
    }

    fn job<'a>(key: &'a VerifyingKey, message: &'a [u8], signature: &'a [u8]) -> HostJob<'a> {
        HostJob { alg: Algorithm::Es256, key, message, signature }
    }

    #[test]
    fn a_verdict_applies_to_exactly_its_job() {
        let (signer, key) = es256();
        let good = signer.sign_message(b"m");
        let mut forged = good.clone();
        forged[10] ^= 1;
        let asked = job(&key, b"m", &good);
        // The host said 1 to the job it was asked; the forged job was never asked: in-process.
        let mut settled = Settled::new(&[asked.digest()], &[1]);
        assert_eq!(settled.verify_jobs(&[asked, job(&key, b"m", &forged), job(&key, b"n", &good)]), [true, false, false]);
        // The host said 1 to a forged job: that job passes (the host is trusted with arithmetic),
        // no other does.
        let lie = job(&key, b"m", &forged);
        let mut settled = Settled::new(&[lie.digest()], &[1]);
        assert_eq!(settled.verify_jobs(&[lie, job(&key, b"m2", &forged)]), [true, false]);
    }

    #[test]
    fn only_the_byte_1_passes_and_answers_must_be_one_per_job() {
        let (signer, key) = es256();
        let (a, b) = (signer.sign_message(b"a"), signer.sign_message(b"b"));
        let jobs = [job(&key, b"a", &a), job(&key, b"b", &b)];
        let digests = [jobs[0].digest(), jobs[1].digest()];
        for answers in [&[2u8, 255][..], &[1], &[1, 1, 1], &[], &[0, 0]] {
            assert_eq!(Settled::new(&digests, answers).verify_jobs(&jobs), [false, false], "{answers:?}");
        }
        assert_eq!(Settled::new(&digests, &[1, 0]).verify_jobs(&jobs), [true, false]);
    }

    #[test]
    fn policy_is_decided_before_a_job_reaches_a_host() {
        let (signer, key) = es256();
        let sig = signer.sign_message(b"m");
        let zero_r = [&[0u8; 32][..], &sig[32..]].concat();
        let n = crate::encoding::hex_decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551").unwrap();
        let big_s = [&sig[..32], &n[..]].concat();
        let refused: [&[u8]; 5] = [&sig[..63], &[&sig[..], &[0]].concat(), &zero_r, &big_s, &[0; 64]];
        for s in refused {
            assert!(!job(&key, b"m", s).admissible());
            // A host that says yes to everything is never asked about them.
            let host_has = |_: Algorithm| true;
            let mut collect = Collect::new(&host_has);
            assert_eq!(collect.verify_jobs(&[job(&key, b"m", s)]), [false]);
            assert!(!collect.provisional());
            let digest = job(&key, b"m", s).digest();
            assert_eq!(Settled::new(&[digest], &[1]).verify_jobs(&[job(&key, b"m", s)]), [false]);
        }
        // The wrong algorithm for the key: refused.
        let wrong = HostJob { alg: Algorithm::Es384, key: &key, message: b"m", signature: &sig };
        assert!(!wrong.admissible());
        assert!(job(&key, b"m", &sig).admissible());
    }

    #[test]
    fn round_one_collects_each_job_once_and_leaves_the_rest_to_round_two() {
        let (signer, key) = es256();
        let sig = signer.sign_message(b"m");
        let none = |_: Algorithm| false;
        let mut collect = Collect::new(&none);
        assert_eq!(collect.verify_jobs(&[job(&key, b"m", &sig)]), [false]);
        // Deferred without asking the host (it lacks the algorithm): round 2 settles it in-process.
        let (digests, packed) = collect.into_round().unwrap();
        assert!(digests.is_empty());
        assert_eq!(wire::unpack(&packed).unwrap().len(), 0);
        assert_eq!(Settled::new(&digests, &[]).verify_jobs(&[job(&key, b"m", &sig)]), [true]);
        let all = |_: Algorithm| true;
        let mut collect = Collect::new(&all);
        collect.verify_jobs(&[job(&key, b"m", &sig), job(&key, b"m", &sig)]);
        let (digests, packed) = collect.into_round().unwrap();
        assert_eq!(digests.len(), 1);
        let fields = wire::unpack(&packed).unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0], b"ES256");
        assert_eq!(fields[1].len(), 65);
        assert_eq!(fields[2], b"m");
    }

    #[test]
    fn tickets_are_spent_once_and_bounded() {
        let mut rounds = HostRounds::default();
        let t = rounds.open(vec![[1; 32]]);
        assert_ne!(t, 0);
        assert_eq!(rounds.take(t), vec![[1; 32]]);
        assert!(rounds.take(t).is_empty());
        let first = rounds.open(vec![[2; 32]]);
        for _ in 0..MAX_PENDING_ROUNDS {
            rounds.open(vec![[3; 32]]);
        }
        assert!(rounds.take(first).is_empty(), "the oldest round was dropped");
        assert_eq!(rounds.open.len(), MAX_PENDING_ROUNDS);
    }
}
