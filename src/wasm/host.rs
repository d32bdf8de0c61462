//! Boundary for host signature checks (ECDSA, RSA) on the asynchronous paths: the two rounds of
//! a `Verifier`'s needs loop (`crate::verifier::host_round`). Jobs cross as in `super::settler`;
//! answers come back as one byte per job, 1 for a signature that verifies.

use super::verify::{framed, object, texts_of, VerifierHandle};
use super::{to_js, JsResult};
use crate::batch::wire;
use crate::error::Error;
use crate::keys::Algorithm;
use crate::verifier::host_round::{self, HostCall, RoundOne, Turn};
use crate::verifier::{Needs, Served};
use wasm_bindgen::prelude::*;

/// Framed results with needs (see `wire::frame_with_needs`).
fn with_needs(served: &[Served], needs: &Needs) -> JsResult<Vec<u8>> {
    let needs = serde_json::to_vec(needs).map_err(|e| to_js(Error::malformed(e.to_string())))?;
    Ok(wire::frame_with_needs(&needs, &framed(served)))
}

#[wasm_bindgen(js_class = Verifier)]
impl VerifierHandle {
    /// Round 1 of a batch whose ECDSA and RSA signatures the host settles asynchronously.
    /// `host_algs` names (comma-separated JOSE names) the algorithms the host implements; the
    /// others are settled in-process in round 2. Returns the byte 0 followed by framed results
    /// with needs (see `verifyBatchFramedNeeds`) when no signature waits for the host, or the
    /// byte 1, a `u32` ticket and the packed jobs (see the module docs): the host answers them
    /// and calls `verifyBatchHostSettled` with the same batch, options and time. The byte 2
    /// instead of 1: more of the batch is to be prepared first, with `verifyBatchHostMore`.
    #[wasm_bindgen(js_name = verifyBatchHostRound)]
    pub fn verify_batch_host_round(&mut self, buffer: &[u8], call_json: &str, now_ms: f64, host_algs: &str) -> JsResult<Vec<u8>> {
        let call = object(call_json, "options")?;
        let fields = wire::unpack(buffer)?;
        let texts = texts_of(&fields);
        let algs: Vec<Algorithm> = host_algs.split(',').filter_map(|a| Algorithm::parse(a.trim()).ok()).collect();
        let host_has = |alg: Algorithm| algs.contains(&alg);
        let round = host_round::round_one(
            &mut self.inner,
            &mut self.rounds,
            &HostCall { input: buffer, inputs: &texts, call_json, call: &call, now_ms },
            &host_has,
        )?;
        let step = if matches!(round, RoundOne::JobsAndMore(..)) { 2 } else { 1 };
        match round {
            RoundOne::Done(served, needs) => {
                let mut out = vec![0u8];
                out.extend(with_needs(&served, &needs)?);
                Ok(out)
            }
            RoundOne::Jobs(ticket, jobs) | RoundOne::JobsAndMore(ticket, jobs) => {
                let mut out = Vec::with_capacity(5 + jobs.len());
                out.push(step);
                out.extend_from_slice(&ticket.to_le_bytes());
                out.extend(jobs);
                Ok(out)
            }
        }
    }

    /// A later step of round 1 under `ticket` (after the byte 2), with the same options and
    /// time (the batch is the one held under the ticket; round 2 is given it again): the byte 0
    /// when no such batch is held (go to round 2), else the byte 1 (the last step) or 2 (more
    /// follow) and the step's packed jobs. Round 2 takes the answers of every step in one list, in
    /// the order of the steps.
    #[wasm_bindgen(js_name = verifyBatchHostMore)]
    pub fn verify_batch_host_more(&mut self, ticket: u32, call_json: &str, now_ms: f64) -> JsResult<Vec<u8>> {
        let call = object(call_json, "options")?;
        Ok(match host_round::round_more(&mut self.inner, &mut self.rounds, &Turn { ticket, call_json, call: &call, now_ms })? {
            None => vec![0],
            Some((jobs, more)) => {
                let mut out = Vec::with_capacity(1 + jobs.len());
                out.push(if more { 2 } else { 1 });
                out.extend(jobs);
                out
            }
        })
    }

    /// The host's answers to the next steps of round 1 under `ticket` (in the order of the
    /// steps, each step's once), ahead of round 2, with the same options and time: the groups
    /// of the batch whose jobs are all answered are finished now, while the host works on later
    /// steps. Round 2 is still given every answer (these first). Does nothing for a ticket
    /// without such a held batch.
    #[wasm_bindgen(js_name = verifyBatchHostAnswered)]
    pub fn verify_batch_host_answered(&mut self, ticket: u32, call_json: &str, now_ms: f64, answers: &[u8]) -> JsResult<()> {
        let call = object(call_json, "options")?;
        host_round::round_answered(&mut self.inner, &mut self.rounds, &Turn { ticket, call_json, call: &call, now_ms }, answers)?;
        Ok(())
    }

    /// Round 2: the batch of round 1 again, with the host's answers to the jobs of `ticket` (one
    /// byte per job, 1 for a signature that verifies). Returns framed results with needs. Jobs
    /// the host was not asked are settled in-process; the answers serve this call only.
    #[wasm_bindgen(js_name = verifyBatchHostSettled)]
    pub fn verify_batch_host_settled(
        &mut self,
        ticket: u32,
        buffer: &[u8],
        call_json: &str,
        now_ms: f64,
        answers: &[u8],
    ) -> JsResult<Vec<u8>> {
        let call = object(call_json, "options")?;
        let fields = wire::unpack(buffer)?;
        let texts = texts_of(&fields);
        let (served, needs) = host_round::round_two(
            &mut self.inner,
            &mut self.rounds,
            ticket,
            &HostCall { input: buffer, inputs: &texts, call_json, call: &call, now_ms },
            answers,
        )?;
        with_needs(&served, &needs)
    }
}
