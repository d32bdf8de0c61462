//! Host signature checks as a round of the needs loop: a batch reports the ECDSA and RSA
//! signature jobs it needs settled, the host settles them asynchronously (WebCrypto,
//! node:crypto on its thread pool), and the batch completes with the verdicts.
//!
//! Round 1 runs the batch with [`Collect`]: every admissible job ([`HostJob::admissible`]) is
//! recorded and answered false, so the round's results are placeholders ([`HostVerifier::provisional`]:
//! they are never cached, and the host discards them). Its jobs go out as packed fields
//! (`crate::batch::wire`): per job its algorithm's JOSE name, the key ([`HostJob::host_key`]),
//! the message and the signature. The instance files the jobs' tags under a ticket
//! ([`HostRounds`]): keyed 128-bit tags under a secret of the instance ([`HostJob::tag`]); the
//! host answers one byte per job.
//!
//! Round 2 runs the batch again with [`Settled`], built from the ticket's tags and the
//! answers: a verdict applies only to the job of exactly its tag (algorithm, key, message,
//! signature), only the byte 1 is a pass (a missing answer, any other byte, a host that threw:
//! invalid), and a job the host was not asked (one it does not implement, such as secp256k1 in
//! WebCrypto, or one that appeared between the rounds) is settled in-process ([`RustVerifier`]),
//! so no verdict depends on who settles it. The table lives for that call only. Results built on
//! answers that were not whole (a host that threw, the wrong length, bytes other than 0 and 1)
//! fail those signatures and are not cached: the next call asks the host again.
//!
//! Round 1 does not finish the batch it prepared: it holds the prepared groups (every check but
//! the status lists and signatures) under the ticket ([`HeldBatch`]), and round 2 finishes them
//! with the answers instead of parsing and checking every item again ([`round_two`]). What is
//! held is bound to the exact call that made it: round 2 finishes it only for the same packed
//! input, options text and time, byte for byte, and takes it (a ticket is spent once); any other
//! round 2 runs the batch again as above. Held batches are bounded (count, input bytes, age:
//! [`MAX_HELD_ROUNDS`], [`MAX_HELD_BYTES`], [`HELD_TTL_MS`]); one that does not fit is not held,
//! and its round 2 runs the batch again.

use crate::credential::data_integrity::rdfc;
use super::pass::{group_end, Pass, PreparedGroup};
use super::{Needs, Served};
use crate::batch::wire;
use crate::error::Result;
use crate::keys::{Algorithm, BatchState, HostJob, HostKeys, HostVerifier, JobTag, RustVerifier};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// Tickets held at once by one verifier: a round 1 whose round 2 never came (its host failed and
/// the caller went away) is dropped with the oldest, and its jobs are settled in-process if its
/// round 2 comes after all.
pub const MAX_PENDING_ROUNDS: usize = 256;

/// Prepared batches held at once by one verifier (the oldest goes first).
pub const MAX_HELD_ROUNDS: usize = 8;

/// Packed input bytes of the batches held at once by one verifier: a round whose input is larger
/// is not held. Prepared items take a few times their input (parsed JSON, signing inputs), so
/// what is held stays within tens of MiB whatever the callers do.
pub const MAX_HELD_BYTES: usize = 4 * 1024 * 1024;

/// Items round 1 prepares per step once a job waits for the host: the host starts on a step's
/// jobs (node:crypto's thread pool, WebCrypto's threads) while the next step is prepared.
pub const HOST_STEP_ITEMS: usize = 128;

/// How long (host milliseconds) a held batch waits for its round 2: one older is dropped when the
/// next round opens.
pub const HELD_TTL_MS: f64 = 60_000.0;

/// The round-1 settler: collects the admissible jobs of the algorithms the host implements.
pub struct Collect<'h> {
    /// Whether the host implements an algorithm.
    host_has: &'h dyn Fn(Algorithm) -> bool,
    /// The tags of the collected jobs, in order, without repeats.
    tags: Vec<JobTag>,
    seen: HashSet<JobTag>,
    /// The collected jobs as packed fields (4 per job).
    fields: wire::Packer,
    /// Whether any answer was a placeholder (a job collected, or left to round 2).
    deferred: bool,
}

impl<'h> Collect<'h> {
    /// A collector for a host that implements the algorithms `host_has` accepts.
    pub fn new(host_has: &'h dyn Fn(Algorithm) -> bool) -> Collect<'h> {
        Collect { host_has, tags: Vec::new(), seen: HashSet::new(), fields: wire::Packer::default(), deferred: false }
    }

    /// The tags of the collected jobs (to file under a ticket) and the jobs as one packed
    /// buffer; `None` when no answer was a placeholder (round 1's results are the verdicts).
    pub fn into_round(self) -> Option<(Vec<JobTag>, Vec<u8>)> {
        self.deferred.then(|| (self.tags, self.fields.finish()))
    }
}

impl HostVerifier for Collect<'_> {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        let mut keys = HostKeys::default();
        for job in jobs.iter().filter(|j| j.admissible()) {
            self.deferred = true;
            if !(self.host_has)(job.alg) {
                continue;
            }
            // Without a tag (no random source) the job is left to round 2, in-process.
            let Some(tag) = keys.tag(job) else { continue };
            if self.seen.insert(tag) {
                self.tags.push(tag);
                for field in [job.alg.as_str().as_bytes(), keys.key(job), job.message, job.signature] {
                    self.fields.push(field);
                }
            }
        }
        vec![false; jobs.len()]
    }

    fn provisional(&self) -> bool {
        self.deferred
    }
}

/// The round-2 settler: the host's verdicts by job tag, in-process for jobs it was not asked.
pub struct Settled {
    verdicts: HashMap<JobTag, bool>,
    /// Whether the host answered every job with 0 or 1: anything else (a host that threw, the
    /// wrong length, other bytes) fails the jobs, and the results built on it are not verdicts
    /// to keep (the next call asks again).
    answered: bool,
}

impl Settled {
    /// The verdicts of a round: `answers[i] == 1` passes the job of `tags[i]`; any other
    /// byte fails it, and answers that are not one byte per job fail every job.
    pub fn new(tags: &[JobTag], answers: &[u8]) -> Settled {
        let whole = answers.len() == tags.len();
        let verdicts = tags.iter().zip(answers.iter().chain(std::iter::repeat(&0))).map(|(d, a)| (*d, whole && *a == 1)).collect();
        Settled { verdicts, answered: whole && answers.iter().all(|a| *a <= 1) }
    }
}

impl HostVerifier for Settled {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        let mut keys = HostKeys::default();
        jobs.iter()
            .map(|job| {
                if !job.admissible() {
                    return false;
                }
                match keys.tag(job).and_then(|t| self.verdicts.get(&t)) {
                    Some(&verdict) => verdict,
                    None => RustVerifier.verify_jobs(std::slice::from_ref(job)).first().copied().unwrap_or(false),
                }
            })
            .collect()
    }

    fn provisional(&self) -> bool {
        !self.answered
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

/// A round 1's prepared batch, held for its round 2 (see the module docs).
#[derive(Debug)]
pub struct HeldBatch {
    /// The call that made it: packed input, options text, host time.
    input: Vec<u8>,
    call_json: String,
    now_ms: f64,
    pass: Pass,
    groups: Vec<PreparedGroup>,
    /// How far preparing has come, for the next step.
    at: Progress,
    /// The algorithms the host implements.
    algs: Vec<Algorithm>,
    /// The call's JSON-LD limit hits so far ([`crate::credential::data_integrity::rdfc`]): its
    /// budget goes on across its steps, whatever other calls ran in between.
    limit_hits: u32,
    /// For each complete group, in order: how many of the ticket's tags were filed by the end
    /// of the step that completed it (its jobs are all answered once that many answers are in).
    complete: Vec<usize>,
    /// Groups finished ahead of round 2 ([`round_answered`]), from the first: their results
    /// are in `pass`.
    finished: usize,
    /// The answers given ahead of round 2, in order; round 2's answers must begin with them.
    answers: Vec<u8>,
    /// Whether those answers were whole (0 or 1, one per job): else nothing of the batch is kept.
    whole: bool,
    /// Whether the answers ahead of round 2 outran the jobs (then round 2 runs the batch again).
    broken: bool,
    /// The Ed25519 batch state of the groups finished so far.
    signatures: BatchState,
}

/// How far round 1 has prepared `pass.todo`: items before `next` are prepared, and the group
/// being filled ends at `group_end`.
#[derive(Debug, Default, Clone, Copy)]
struct Progress {
    next: usize,
    group_end: usize,
}

impl HeldBatch {
    /// Whether `input`, `call_json` and `now_ms` are exactly those of the call that made it.
    fn made_by(&self, input: &[u8], call_json: &str, now_ms: f64) -> bool {
        self.input == input && self.made_with(call_json, now_ms)
    }

    /// Whether `call_json` and `now_ms` are exactly the options text and time of its call.
    fn made_with(&self, call_json: &str, now_ms: f64) -> bool {
        self.call_json == call_json && self.now_ms.to_bits() == now_ms.to_bits()
    }

    /// Records the groups that the step just prepared completed, with `filed` tags filed by its
    /// end (the group being filled is complete once every item of it is prepared).
    fn mark_complete(&mut self, filed: usize) {
        let open = usize::from(self.at.next < self.at.group_end);
        while self.complete.len() + open < self.groups.len() {
            self.complete.push(filed);
        }
    }

    /// Whether round 2's `answers` agree with the answers given ahead of it.
    fn answered_alike(&self, answers: &[u8]) -> bool {
        !self.broken && answers.starts_with(&self.answers)
    }
}

/// The rounds a verifier has open: ticket -> tags of the jobs the host was asked, and the
/// batches held for their round 2.
#[derive(Debug, Default)]
pub struct HostRounds {
    next: u32,
    open: VecDeque<(u32, Vec<JobTag>)>,
    held: VecDeque<(u32, HeldBatch)>,
}

impl HostRounds {
    /// Files the tags of a round's jobs; returns its ticket (never 0).
    pub fn open(&mut self, tags: Vec<JobTag>) -> u32 {
        self.next = self.next.wrapping_add(1).max(1);
        if self.open.len() >= MAX_PENDING_ROUNDS {
            if let Some((dropped, _)) = self.open.pop_front() {
                self.held.retain(|(t, _)| *t != dropped);
            }
        }
        self.open.push_back((self.next, tags));
        self.next
    }

    /// Files a round's tags and holds its prepared batch, when it fits beside the others
    /// (after those past [`HELD_TTL_MS`], then the oldest, make room); returns its ticket.
    fn open_held(&mut self, tags: Vec<JobTag>, batch: HeldBatch) -> u32 {
        let now = batch.now_ms;
        // Past their time, or from a clock that has since been set back that far.
        self.held.retain(|(_, h)| (now - h.now_ms).abs() <= HELD_TTL_MS);
        let ticket = self.open(tags);
        if batch.input.len() > MAX_HELD_BYTES {
            return ticket;
        }
        while self.held.len() >= MAX_HELD_ROUNDS || self.held_bytes() + batch.input.len() > MAX_HELD_BYTES {
            if self.held.pop_front().is_none() {
                break;
            }
        }
        self.held.push_back((ticket, batch));
        ticket
    }

    /// The batch held under `ticket`, when it was made with exactly these options and time (a
    /// later step of round 1 reads the held batch's own copy of its input, so the input itself
    /// is not passed, copied and compared again at every step).
    fn held_for(&mut self, ticket: u32, call_json: &str, now_ms: f64) -> Option<&mut HeldBatch> {
        self.held.iter_mut().find(|(t, h)| *t == ticket && h.made_with(call_json, now_ms)).map(|(_, h)| h)
    }

    /// Adds the tags of a later step's jobs to its ticket's; how many the ticket has then.
    fn extend(&mut self, ticket: u32, tags: Vec<JobTag>) -> usize {
        match self.open.iter_mut().find(|(t, _)| *t == ticket) {
            Some((_, d)) => {
                d.extend(tags);
                d.len()
            }
            None => 0,
        }
    }

    /// The tags filed under `ticket` and the batch held under it, when it was made with exactly
    /// these options and time.
    fn filed_and_held(&mut self, ticket: u32, call_json: &str, now_ms: f64) -> Option<(&[JobTag], &mut HeldBatch)> {
        let tags = self.open.iter().find(|(t, _)| *t == ticket).map(|(_, d)| d.as_slice())?;
        let held = self.held.iter_mut().find(|(t, h)| *t == ticket && h.made_with(call_json, now_ms)).map(|(_, h)| h)?;
        Some((tags, held))
    }

    fn held_bytes(&self) -> usize {
        self.held.iter().map(|(_, h)| h.input.len()).sum()
    }

    /// Takes the tags of a ticket (empty for an unknown or dropped one: every job is then
    /// settled in-process).
    #[cfg(any(test, feature = "internals"))]
    pub fn take(&mut self, ticket: u32) -> Vec<JobTag> {
        self.take_held(ticket).0
    }

    /// Takes a ticket's tags and its held batch, if any.
    fn take_held(&mut self, ticket: u32) -> (Vec<JobTag>, Option<HeldBatch>) {
        let held = self.held.iter().position(|(t, _)| *t == ticket).and_then(|i| self.held.remove(i)).map(|(_, h)| h);
        let tags = match self.open.iter().position(|(t, _)| *t == ticket) {
            Some(i) => self.open.remove(i).map(|(_, d)| d).unwrap_or_default(),
            None => Vec::new(),
        };
        (tags, held)
    }

    /// How many batches are held (for tests and stats).
    #[cfg(any(test, feature = "internals"))]
    pub fn held(&self) -> usize {
        self.held.len()
    }
}

/// The call a host round belongs to: the packed batch, its inputs, the options as their text
/// and parsed, and the host's time. Every round of a ticket takes the same.
#[derive(Clone, Copy, Debug)]
pub struct HostCall<'a> {
    /// The packed batch (`crate::batch::wire`).
    pub input: &'a [u8],
    /// Its inputs.
    pub inputs: &'a [&'a str],
    /// The call's options, as given.
    pub call_json: &'a str,
    /// The same, parsed.
    pub call: &'a Map<String, Value>,
    /// The host's time.
    pub now_ms: f64,
}

/// A later turn of a ticket's call (a step of round 1, answers ahead of round 2): the ticket,
/// and the options text, parsed options and time its call was made with.
#[derive(Clone, Copy, Debug)]
pub struct Turn<'a> {
    /// The ticket of round 1.
    pub ticket: u32,
    /// The call's options, as given.
    pub call_json: &'a str,
    /// The same, parsed.
    pub call: &'a Map<String, Value>,
    /// The host's time.
    pub now_ms: f64,
}

/// What round 1 gives back.
#[derive(Debug)]
pub enum RoundOne {
    /// No signature waits for the host: the results and needs of the batch.
    Done(Vec<Served>, Needs),
    /// The ticket and the packed jobs the host is to answer.
    Jobs(u32, Vec<u8>),
    /// The same, and more of the batch is to be prepared ([`round_more`]) before round 2.
    JobsAndMore(u32, Vec<u8>),
}

/// Round 1 of a batch whose signatures `host_has` algorithms the host settles (see the module
/// docs), for the call `at`; round 2 ([`round_two`]) takes the same.
///
/// # Errors
/// As [`super::Verifier::verify_batch`].
pub fn round_one(verifier: &mut super::Verifier, rounds: &mut HostRounds, at: &HostCall<'_>, host_has: &dyn Fn(Algorithm) -> bool) -> Result<RoundOne> {
    let HostCall { input, inputs, call_json, call, now_ms } = *at;
    let mut collect = Collect::new(host_has);
    if input.len() > MAX_HELD_BYTES {
        // Too large to hold: the whole pass with placeholders, and round 2 runs it again.
        let lookups = verifier.cache_lookups();
        let (served, needs) = verifier.serve_batch_settled(inputs, call, now_ms, &mut collect)?;
        return Ok(match collect.into_round() {
            None => RoundOne::Done(served, needs),
            Some((tags, jobs)) => {
                // Round 2 makes these lookups again: they count there.
                verifier.restore_result_lookups(lookups);
                RoundOne::Jobs(rounds.open(tags), jobs)
            }
        });
    }
    let context = verifier.context(call)?;
    rdfc::begin_call();
    let call_now = context.options.now.unwrap_or(now_ms);
    let pass = verifier.look_up(inputs, &context, call_now);
    let mut groups = Vec::new();
    let mut at = Progress::default();
    prepare_step(verifier, inputs, &context, now_ms, &pass, &mut groups, &mut at, &mut collect);
    if !collect.provisional() {
        // Nothing to wait for (every item is prepared): finish now (the host refuses whatever it
        // was not asked).
        return finish(verifier, inputs, call, now_ms, pass, groups, BatchState::default(), true, &mut collect).map(|(s, n)| RoundOne::Done(s, n));
    }
    let (tags, jobs) = collect.into_round().unwrap_or_default();
    let more = at.next < pass.todo.len();
    let algs = Algorithm::ALL.iter().copied().filter(|a| host_has(*a)).collect();
    let mut held = HeldBatch {
        input: input.to_vec(),
        call_json: call_json.to_owned(),
        now_ms,
        pass,
        groups,
        at,
        algs,
        limit_hits: rdfc::limit_hits(),
        complete: Vec::new(),
        finished: 0,
        answers: Vec::new(),
        whole: true,
        broken: false,
        signatures: BatchState::default(),
    };
    held.mark_complete(tags.len());
    let ticket = rounds.open_held(tags, held);
    Ok(if more { RoundOne::JobsAndMore(ticket, jobs) } else { RoundOne::Jobs(ticket, jobs) })
}

/// Prepares the items of `pass.todo` from `at` on, continuing the group being filled (groups are
/// as [`super::Verifier::serve_batch_settled`] makes them, but that once a job waits for the
/// host, a group ends with its step), and collects their host jobs: until every item is
/// prepared or, once a job waits for the host, [`HOST_STEP_ITEMS`] more are.
#[allow(clippy::too_many_arguments)]
fn prepare_step(
    verifier: &mut super::Verifier,
    inputs: &[&str],
    context: &super::CallContext,
    now_ms: f64,
    pass: &Pass,
    groups: &mut Vec<PreparedGroup>,
    at: &mut Progress,
    collect: &mut Collect<'_>,
) {
    let call_now = context.options.now.unwrap_or(now_ms);
    let mut stepped = 0;
    while at.next < pass.todo.len() && !(collect.provisional() && stepped >= HOST_STEP_ITEMS) {
        if at.next >= at.group_end {
            at.group_end = group_end(inputs, &pass.todo, at.next);
            groups.push(PreparedGroup::default());
        }
        let end = at.group_end.min(at.next + HOST_STEP_ITEMS);
        let part = verifier.prepare_group(inputs, pass, at.next..end, context, now_ms, call_now);
        collect.verify_jobs(&crate::batch::host_jobs(part.items.iter().flat_map(|item| item.checks.iter())));
        stepped += end - at.next;
        at.next = end;
        if let Some(group) = groups.last_mut() {
            group.extend(part);
        }
        if collect.provisional() {
            // Jobs wait for the host: the group ends with the step, so that it can be finished
            // as soon as the step's answers come ([`round_answered`]).
            at.group_end = at.next;
        }
    }
}

/// A later step of round 1 (after [`RoundOne::JobsAndMore`]): prepares more of the batch held
/// under `ticket`, from the held copy of its packed input, and returns its jobs, and whether more
/// steps follow; `None` when no batch made with exactly these options (`call_json`, parsed as
/// `call`) and time is held there (round 2 then runs the batch again). The host's answers to
/// every step go to round 2 in one list, in the order of the steps; round 2 is given the input
/// again and finishes the held batch only for exactly that input.
///
/// # Errors
/// As [`super::Verifier::verify_batch`].
pub fn round_more(verifier: &mut super::Verifier, rounds: &mut HostRounds, turn: &Turn<'_>) -> Result<Option<(Vec<u8>, bool)>> {
    let Turn { ticket, call_json, call, now_ms } = *turn;
    let context = verifier.context(call)?;
    let Some(held) = rounds.held_for(ticket, call_json, now_ms) else { return Ok(None) };
    let HeldBatch { input, pass, groups, at, algs, limit_hits, .. } = &mut *held;
    let fields = wire::unpack(input)?;
    let inputs = wire::texts(&fields);
    let host_has = |a: Algorithm| algs.contains(&a);
    let mut collect = Collect::new(&host_has);
    rdfc::resume_call(*limit_hits);
    prepare_step(verifier, &inputs, &context, now_ms, pass, groups, at, &mut collect);
    *limit_hits = rdfc::limit_hits();
    let more = at.next < pass.todo.len();
    let (tags, jobs) = collect.into_round().unwrap_or_else(|| (Vec::new(), wire::pack(std::iter::empty())));
    let filed = rounds.extend(ticket, tags);
    if let Some(held) = rounds.held_for(ticket, call_json, now_ms) {
        held.mark_complete(filed);
    }
    Ok(Some((jobs, more)))
}

/// The host's answers to the next steps of round 1 under `ticket`, ahead of round 2 (in the
/// order of the steps, each step's answers once): finishes every held group whose jobs are all
/// answered then, so that finishing overlaps the host's work on later steps. Round 2 must be
/// given every answer again (these first) and finishes the rest; nothing is concluded here.
/// Does nothing when no batch made with exactly these options and time is held; answers beyond
/// the jobs filed so far leave the batch for round 2 to run again.
///
/// # Errors
/// As [`super::Verifier::verify_batch`].
pub fn round_answered(verifier: &mut super::Verifier, rounds: &mut HostRounds, turn: &Turn<'_>, answers: &[u8]) -> Result<()> {
    let Turn { ticket, call_json, call, now_ms } = *turn;
    let context = verifier.context(call)?;
    let Some((tags, held)) = rounds.filed_and_held(ticket, call_json, now_ms) else { return Ok(()) };
    if held.broken {
        return Ok(());
    }
    let n = held.answers.len() + answers.len();
    let Some(asked) = tags.get(..n) else {
        // More answers than jobs filed: none are kept (what is held stays bounded by the jobs).
        held.broken = true;
        return Ok(());
    };
    held.answers.extend_from_slice(answers);
    let mut settled = Settled::new(asked, &held.answers);
    held.whole &= !settled.provisional();
    let call_now = context.options.now.unwrap_or(now_ms);
    while held.complete.get(held.finished).is_some_and(|&filed| filed <= n) {
        let group = held.groups.get_mut(held.finished).map(std::mem::take).unwrap_or_default();
        verifier.finish_group(&mut held.pass, group, &context, call_now, &mut held.signatures, &mut settled);
        held.finished += 1;
    }
    Ok(())
}

/// Round 2: the batch of round 1 with the host's answers to the jobs of `ticket` (one byte per
/// job, 1 for a signature that verifies). Finishes the batch held under the ticket when this is
/// exactly its call, else runs the batch again; jobs the host was not asked are settled
/// in-process; the answers serve this call only.
///
/// # Errors
/// As [`super::Verifier::verify_batch`].
pub fn round_two(verifier: &mut super::Verifier, rounds: &mut HostRounds, ticket: u32, at: &HostCall<'_>, answers: &[u8]) -> Result<(Vec<Served>, Needs)> {
    let HostCall { input, inputs, call_json, call, now_ms } = *at;
    let (tags, held) = rounds.take_held(ticket);
    let mut settled = Settled::new(&tags, answers);
    match held.filter(|h| h.made_by(input, call_json, now_ms) && h.answered_alike(answers)) {
        Some(mut h) => {
            if h.at.next < h.pass.todo.len() {
                // Steps the host side skipped: prepared now, their jobs settled in-process.
                let context = verifier.context(call)?;
                let none = |_: Algorithm| false;
                let mut rest = Collect::new(&none);
                while h.at.next < h.pass.todo.len() {
                    prepare_step(verifier, inputs, &context, now_ms, &h.pass, &mut h.groups, &mut h.at, &mut rest);
                }
            }
            let keep = h.whole;
            let groups = h.groups.split_off(h.finished.min(h.groups.len()));
            finish(verifier, inputs, call, now_ms, h.pass, groups, h.signatures, keep, &mut settled)
        }
        None => {
            // Round 1 counted this batch's key and chain lookups.
            let lookups = verifier.cache_lookups();
            let out = verifier.serve_batch_settled(inputs, call, now_ms, &mut settled)?;
            verifier.restore_key_lookups(lookups);
            Ok(out)
        }
    }
}

/// Finishes prepared groups (status lists, signatures settled by `host`, continuing from
/// `signatures`) and concludes the pass; its results are kept only when `keep` and no answer of
/// `host` was a placeholder.
#[allow(clippy::too_many_arguments)]
fn finish(
    verifier: &mut super::Verifier,
    inputs: &[&str],
    call: &Map<String, Value>,
    now_ms: f64,
    mut pass: Pass,
    groups: Vec<PreparedGroup>,
    mut signatures: BatchState,
    keep: bool,
    host: &mut dyn HostVerifier,
) -> Result<(Vec<Served>, Needs)> {
    let context = verifier.context(call)?;
    let call_now = context.options.now.unwrap_or(now_ms);
    for group in groups {
        verifier.finish_group(&mut pass, group, &context, call_now, &mut signatures, host);
    }
    Ok(verifier.conclude(inputs, pass, &context, call_now, keep && !host.provisional()))
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
        let mut settled = Settled::new(&[asked.tag().unwrap()], &[1]);
        assert_eq!(settled.verify_jobs(&[asked, job(&key, b"m", &forged), job(&key, b"n", &good)]), [true, false, false]);
        // The host said 1 to a forged job: that job passes (the host is trusted with arithmetic),
        // no other does.
        let lie = job(&key, b"m", &forged);
        let mut settled = Settled::new(&[lie.tag().unwrap()], &[1]);
        assert_eq!(settled.verify_jobs(&[lie, job(&key, b"m2", &forged)]), [true, false]);
    }

    #[test]
    fn only_the_byte_1_passes_and_answers_must_be_one_per_job() {
        let (signer, key) = es256();
        let (a, b) = (signer.sign_message(b"a"), signer.sign_message(b"b"));
        let jobs = [job(&key, b"a", &a), job(&key, b"b", &b)];
        let tags = [jobs[0].tag().unwrap(), jobs[1].tag().unwrap()];
        for answers in [&[2u8, 255][..], &[1], &[1, 1, 1], &[], &[0, 0]] {
            assert_eq!(Settled::new(&tags, answers).verify_jobs(&jobs), [false, false], "{answers:?}");
        }
        assert_eq!(Settled::new(&tags, &[1, 0]).verify_jobs(&jobs), [true, false]);
        // Only whole answers of 0 and 1 are verdicts to keep.
        assert!(!Settled::new(&tags, &[1, 0]).provisional());
        for answers in [&[2u8, 1][..], &[1], &[]] {
            assert!(Settled::new(&tags, answers).provisional(), "{answers:?}");
        }
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
            let tag = job(&key, b"m", s).tag().unwrap();
            assert_eq!(Settled::new(&[tag], &[1]).verify_jobs(&[job(&key, b"m", s)]), [false]);
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
        let (tags, packed) = collect.into_round().unwrap();
        assert!(tags.is_empty());
        assert_eq!(wire::unpack(&packed).unwrap().len(), 0);
        assert_eq!(Settled::new(&tags, &[]).verify_jobs(&[job(&key, b"m", &sig)]), [true]);
        let all = |_: Algorithm| true;
        let mut collect = Collect::new(&all);
        collect.verify_jobs(&[job(&key, b"m", &sig), job(&key, b"m", &sig)]);
        let (tags, packed) = collect.into_round().unwrap();
        assert_eq!(tags.len(), 1);
        let fields = wire::unpack(&packed).unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0], b"ES256");
        assert_eq!(fields[1].len(), 65);
        assert_eq!(fields[2], b"m");
    }

    #[test]
    fn tickets_are_spent_once_and_bounded() {
        let mut rounds = HostRounds::default();
        let t = rounds.open(vec![[1; 16]]);
        assert_ne!(t, 0);
        assert_eq!(rounds.take(t), vec![[1; 16]]);
        assert!(rounds.take(t).is_empty());
        let first = rounds.open(vec![[2; 16]]);
        for _ in 0..MAX_PENDING_ROUNDS {
            rounds.open(vec![[3; 16]]);
        }
        assert!(rounds.take(first).is_empty(), "the oldest round was dropped");
        assert_eq!(rounds.open.len(), MAX_PENDING_ROUNDS);
    }

    /// A packed batch of ES256 and EdDSA VC-JWTs (good, tampered, duplicated) and a malformed item.
    fn batch() -> (Vec<String>, Vec<u8>) {
        use crate::credential::issue::{issue_credential, IssueFormat};
        let (es, _) = es256();
        let ed = crate::keys::KeyPair::from_seed(&[5; 32]);
        let now = 1_700_000_000;
        let vc = |signer: &dyn Signer, n: u32| {
            let body = serde_json::json!({ "credentialSubject": { "id": "did:example:subject", "n": n } });
            issue_credential(&body, signer, IssueFormat::VcJwt, Some(3600), now).unwrap().as_str().unwrap().to_owned()
        };
        let tamper = |t: &str| {
            let mut b = t.as_bytes().to_vec();
            let at = b.len() - 10;
            b[at] = if b[at] == b'A' { b'B' } else { b'A' };
            String::from_utf8(b).unwrap()
        };
        let mut texts: Vec<String> = (0..6).map(|n| vc(&es, n)).collect();
        texts.push(tamper(&texts[0]));
        texts.push(vc(&ed, 9));
        texts.push(tamper(&texts[7]));
        texts.push(texts[1].clone());
        texts.push("not a credential".into());
        let packed = wire::pack(texts.iter().map(|t| t.as_bytes()));
        (texts, packed)
    }

    const NOW_MS: f64 = 1_700_000_100_000.0;

    fn verifier(results: usize) -> super::super::Verifier {
        let cache = super::super::CacheConfig { results, ..Default::default() };
        super::super::Verifier::new(Map::new(), &cache).unwrap()
    }

    fn valid(served: &[Served]) -> Vec<bool> {
        served.iter().map(|s| s.result().valid).collect()
    }

    /// Round 1 then round 2 with RustCrypto answering the jobs (an honest host).
    fn both_rounds(v: &mut super::super::Verifier, rounds: &mut HostRounds, packed: &[u8], texts: &[&str], call_json: &str) -> Vec<Served> {
        let call: Map<String, Value> = serde_json::from_str(if call_json.is_empty() { "{}" } else { call_json }).unwrap();
        let all = |_: Algorithm| true;
        match round_one(v, rounds, &HostCall { input: packed, inputs: texts, call_json, call: &call, now_ms: NOW_MS }, &all).unwrap() {
            // Every signed item served from the cache.
            RoundOne::Done(served, _) => served,
            RoundOne::Jobs(ticket, jobs) => {
                let answers = honest(&jobs);
                round_two(v, rounds, ticket, &HostCall { input: packed, inputs: texts, call_json, call: &call, now_ms: NOW_MS }, &answers).unwrap().0
            }
            RoundOne::JobsAndMore(..) => panic!("a small batch goes in one step"),
        }
    }

    /// What an honest host answers to packed jobs.
    /// `n` ES256 VC-JWTs of one issuer.
    fn issued(n: usize) -> Vec<String> {
        use crate::credential::issue::{issue_credential, IssueFormat};
        let (es, _) = es256();
        let body = |n: usize| serde_json::json!({ "credentialSubject": { "id": "did:example:subject", "n": n } });
        (0..n).map(|i| issue_credential(&body(i), &es, IssueFormat::VcJwt, Some(3600), 1_700_000_000).unwrap().as_str().unwrap().to_owned()).collect()
    }

    fn honest(jobs: &[u8]) -> Vec<u8> {
        let fields = wire::unpack(jobs).unwrap();
        fields
            .chunks(4)
            .map(|f| {
                let key = crate::keys::EcKey::from_sec1(crate::keys::KeyType::P256, f[1]).unwrap();
                u8::from(key.verify(f[2], f[3]))
            })
            .collect()
    }

    #[test]
    fn a_held_round_gives_the_verdicts_of_the_in_process_pass_cached_and_uncached() {
        let (texts, packed) = batch();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let want = [true, true, true, true, true, true, false, true, false, true, false];
        let reference = verifier(0).serve_batch(&texts, &Map::new(), NOW_MS).unwrap();
        assert_eq!(valid(&reference), want);
        for results in [0, 100] {
            let mut v = verifier(results);
            let mut rounds = HostRounds::default();
            let got = both_rounds(&mut v, &mut rounds, &packed, &texts, "");
            assert_eq!(valid(&got), want, "results cache {results}");
            for (a, b) in got.iter().zip(&reference) {
                assert_eq!(a.result().errors, b.result().errors);
            }
            assert_eq!(rounds.held(), 0, "round 2 took the held batch");
            // Again: served from the cache when there is one, verified again when not.
            let again = both_rounds(&mut v, &mut rounds, &packed, &texts, "");
            assert_eq!(valid(&again), want);
            let hits = v.stats().results.hits;
            assert_eq!(hits, if results == 0 { 0 } else { 9 }, "the signed items (not the duplicate, not the malformed one)");
        }
    }

    #[test]
    fn a_held_batch_is_finished_only_for_exactly_its_call() {
        let (texts, packed) = batch();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let want = [true, true, true, true, true, true, false, true, false, true, false];
        let call = Map::new();
        let all = |_: Algorithm| true;
        // Round 1 on the good items only; round 2 under its ticket, with a host that said yes to
        // every job, for another input (with the tampered items), other options, another time.
        let clean: Vec<&str> = texts.iter().enumerate().filter(|(i, _)| want[*i]).map(|(_, t)| *t).collect();
        let clean_packed = wire::pack(clean.iter().map(|t| t.as_bytes()));
        for (call_json, now) in [("", NOW_MS), ("{}", NOW_MS), ("", NOW_MS + 1.0)] {
            let mut v = verifier(0);
            let mut rounds = HostRounds::default();
            let RoundOne::Jobs(ticket, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &clean_packed, inputs: &clean, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else {
                panic!("jobs expected")
            };
            assert_eq!(rounds.held(), 1);
            let lies = vec![1u8; wire::unpack(&jobs).unwrap().len() / 4];
            let (got, _) = round_two(&mut v, &mut rounds, ticket, &HostCall { input: &packed, inputs: &texts, call_json, call: &call, now_ms: now }, &lies).unwrap();
            assert_eq!(valid(&got), want, "{call_json} {now}");
            assert_eq!(rounds.held(), 0, "a mismatched round 2 drops the held batch");
            // Spent: the ticket finishes nothing again, and its answers are gone.
            let (again, _) = round_two(&mut v, &mut rounds, ticket, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &lies).unwrap();
            assert_eq!(valid(&again), want);
        }
    }

    #[test]
    fn held_batches_are_bounded_by_count_bytes_and_age() {
        let (texts, packed) = batch();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let call = Map::new();
        let all = |_: Algorithm| true;
        let mut v = verifier(0);
        let mut rounds = HostRounds::default();
        let mut tickets = Vec::new();
        for _ in 0..MAX_HELD_ROUNDS + 3 {
            let RoundOne::Jobs(t, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else { panic!() };
            tickets.push((t, jobs));
        }
        assert_eq!(rounds.held(), MAX_HELD_ROUNDS);
        // The oldest were dropped: their round 2 runs the batch again, with the same verdicts.
        for (t, jobs) in &tickets {
            let (got, _) = round_two(&mut v, &mut rounds, *t, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &honest(jobs)).unwrap();
            assert_eq!(valid(&got), [true, true, true, true, true, true, false, true, false, true, false]);
        }
        assert_eq!(rounds.held(), 0);
        // Age: a round opened HELD_TTL_MS later drops what waited longer.
        let RoundOne::Jobs(_, _) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else { panic!() };
        let RoundOne::Jobs(_, _) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS + HELD_TTL_MS + 1.0 }, &all).unwrap() else {
            panic!()
        };
        assert_eq!(rounds.held(), 1);
        // Bytes: an input over MAX_HELD_BYTES is not held (and not prepared all at once).
        let big: Vec<String> = (0..(MAX_HELD_BYTES / 1000 + 1)).map(|i| format!("{i:01000}")).collect();
        let mut items: Vec<&str> = big.iter().map(String::as_str).collect();
        items.push(texts[0]);
        let big_packed = wire::pack(items.iter().map(|t| t.as_bytes()));
        let RoundOne::Jobs(t, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &big_packed, inputs: &items, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else { panic!() };
        assert_eq!(rounds.held(), 1);
        let (got, _) = round_two(&mut v, &mut rounds, t, &HostCall { input: &big_packed, inputs: &items, call_json: "", call: &call, now_ms: NOW_MS }, &honest(&jobs)).unwrap();
        assert!(got.last().unwrap().result().valid);
        assert!(!got[0].result().valid);
    }

    #[test]
    fn round_one_goes_in_steps_and_round_two_takes_every_step_s_answers() {
        let n = HOST_STEP_ITEMS * 2 + 5;
        let texts = issued(n);
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let packed = wire::pack(texts.iter().map(|t| t.as_bytes()));
        let call = Map::new();
        let all = |_: Algorithm| true;
        // Every step, answered honestly: every item valid, and cached.
        let mut v = verifier(1000);
        let mut rounds = HostRounds::default();
        let RoundOne::JobsAndMore(ticket, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else {
            panic!("steps expected")
        };
        let mut answers = honest(&jobs);
        assert_eq!(answers.len(), HOST_STEP_ITEMS);
        // Not for another call.
        assert!(round_more(&mut v, &mut rounds, &Turn { ticket, call_json: "{}", call: &call, now_ms: NOW_MS }).unwrap().is_none());
        assert!(round_more(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS + 1.0 }).unwrap().is_none());
        assert!(round_more(&mut v, &mut rounds, &Turn { ticket: ticket.wrapping_add(1), call_json: "", call: &call, now_ms: NOW_MS }).unwrap().is_none());
        loop {
            let (jobs, more) = round_more(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }).unwrap().unwrap();
            answers.extend(honest(&jobs));
            if !more {
                break;
            }
        }
        assert_eq!(answers.len(), n);
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &answers).unwrap();
        assert!(got.iter().all(|s| s.result().valid));
        assert_eq!(v.stats().results.entries, n);
        // Steps skipped: the first step's answers apply, the rest is prepared and settled in-process.
        let mut v = verifier(0);
        let RoundOne::JobsAndMore(ticket, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else {
            panic!("steps expected")
        };
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &honest(&jobs)).unwrap();
        assert!(got.iter().all(|s| s.result().valid));
        // A host that failed a step (the byte 2 for each of its jobs): those fail, nothing is kept.
        let mut v = verifier(1000);
        let RoundOne::JobsAndMore(ticket, jobs) = round_one(&mut v, &mut rounds, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else {
            panic!("steps expected")
        };
        let failed = vec![2u8; honest(&jobs).len()];
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS }, &failed).unwrap();
        assert!(got.iter().take(HOST_STEP_ITEMS).all(|s| !s.result().valid));
        assert!(got.iter().skip(HOST_STEP_ITEMS).all(|s| s.result().valid));
        assert_eq!(v.stats().results.entries, 0);
    }

    /// Round 1 of `texts` in steps on a fresh verifier: the ticket and each step's honest answers.
    fn stepped(v: &mut super::super::Verifier, rounds: &mut HostRounds, packed: &[u8], texts: &[&str]) -> (u32, Vec<Vec<u8>>) {
        let call = Map::new();
        let all = |_: Algorithm| true;
        let RoundOne::JobsAndMore(ticket, jobs) = round_one(v, rounds, &HostCall { input: packed, inputs: texts, call_json: "", call: &call, now_ms: NOW_MS }, &all).unwrap() else {
            panic!("steps expected")
        };
        let mut steps = vec![honest(&jobs)];
        loop {
            let (jobs, more) = round_more(v, rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }).unwrap().unwrap();
            steps.push(honest(&jobs));
            if !more {
                break;
            }
        }
        (ticket, steps)
    }

    #[test]
    fn answers_ahead_of_round_two_finish_groups_early_and_round_two_s_answers_rule() {
        let n = HOST_STEP_ITEMS * 3 + 7;
        let texts = issued(n);
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let packed = wire::pack(texts.iter().map(|t| t.as_bytes()));
        let call = Map::new();
        let at = HostCall { input: &packed, inputs: &texts, call_json: "", call: &call, now_ms: NOW_MS };
        let finished = |rounds: &HostRounds, ticket: u32| rounds.held.iter().find(|(t, _)| *t == ticket).map_or(0, |(_, h)| h.finished);

        // Each step but the last answered ahead (the host says the first item's signature fails):
        // the groups of those steps are finished before round 2, which gives the same answers.
        let mut v = verifier(1000);
        let mut rounds = HostRounds::default();
        let (ticket, mut steps) = stepped(&mut v, &mut rounds, &packed, &texts);
        assert_eq!(steps.len(), 4);
        steps[0][0] = 0;
        for (k, step) in steps.iter().take(3).enumerate() {
            // Not for another call: nothing happens.
            round_answered(&mut v, &mut rounds, &Turn { ticket, call_json: "{}", call: &call, now_ms: NOW_MS }, step).unwrap();
            round_answered(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }, step).unwrap();
            assert_eq!(finished(&rounds, ticket), k + 1);
        }
        let all: Vec<u8> = steps.concat();
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &at, &all).unwrap();
        assert_eq!(got.len(), n);
        assert!(!got[0].result().valid);
        assert!(got.iter().skip(1).all(|s| s.result().valid));
        assert_eq!(v.stats().results.entries, n);

        // Round 2's answers disagree with those given ahead: the batch is run again on round 2's.
        let mut v = verifier(1000);
        let (ticket, steps) = stepped(&mut v, &mut rounds, &packed, &texts);
        let mut early = steps[0].clone();
        early[0] = 0;
        round_answered(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }, &early).unwrap();
        assert_eq!(finished(&rounds, ticket), 1);
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &at, &steps.concat()).unwrap();
        assert!(got.iter().all(|s| s.result().valid));

        // Answers ahead that are not whole (a host that failed a step): nothing of the batch is
        // kept, though round 2 answers the rest honestly.
        let mut v = verifier(1000);
        let (ticket, steps) = stepped(&mut v, &mut rounds, &packed, &texts);
        let mut all = steps.concat();
        let failed = vec![2u8; steps[0].len()];
        all[..failed.len()].copy_from_slice(&failed);
        round_answered(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }, &failed).unwrap();
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &at, &all).unwrap();
        assert!(got.iter().take(HOST_STEP_ITEMS).all(|s| !s.result().valid));
        assert!(got.iter().skip(HOST_STEP_ITEMS).all(|s| s.result().valid));
        assert_eq!(v.stats().results.entries, 0);

        // Answers ahead beyond the jobs filed: nothing is finished early, round 2 runs it again.
        let mut v = verifier(1000);
        let (ticket, steps) = stepped(&mut v, &mut rounds, &packed, &texts);
        let all = steps.concat();
        round_answered(&mut v, &mut rounds, &Turn { ticket, call_json: "", call: &call, now_ms: NOW_MS }, &[all.as_slice(), &[1]].concat()).unwrap();
        assert_eq!(finished(&rounds, ticket), 0);
        let (got, _) = round_two(&mut v, &mut rounds, ticket, &at, &all).unwrap();
        assert!(got.iter().all(|s| s.result().valid));
        assert_eq!(v.stats().results.entries, n);
    }
}
