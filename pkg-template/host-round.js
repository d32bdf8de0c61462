// credcore: host signature checks as a round of a Verifier's needs loop (src/verifier/host_round.rs).
// Round 1 prepares the batch and returns either its results or the ECDSA/RSA jobs it needs
// settled (in steps), under a ticket the wasm Verifier holds with the prepared batch; the host
// settles them (node:crypto on its thread pool, or WebCrypto), each step's answers finish the
// groups they complete as they come, and round 2 finishes the batch with all the answers. The
// answers reach the core through the Verifier's own methods, never through options; a host that
// throws or answers anything but a Uint8Array of one byte per job fails those signatures, never
// passes them.

// @ts-check

import { call } from './state.js';

/**
 * @typedef {{ algs: string, settle: (packed: Uint8Array) => Promise<Uint8Array> }} AsyncHost
 */

/** @type {AsyncHost | null} */
let asyncHost = null;

/**
 * Sets the host of the asynchronous paths (by the entry point; null: settled in-process).
 * @param {AsyncHost | null} host
 */
export function setAsyncHost(host) {
  asyncHost = host;
}

/**
 * Runs a packed batch through both rounds; resolves to framed results with needs (wire.js
 * splitNeeds). `handle()` gives the wasm Verifier (again for round 2: an instance replaced in
 * between makes a new handle, which settles every job in-process).
 * @param {() => import('./credcore_wasm.js').Verifier} handle
 * @param {Uint8Array} packed
 * @param {string} callJson
 * @param {number} now
 * @returns {Promise<Uint8Array>}
 */
export async function framedNeedsSettled(handle, packed, callJson, now) {
  const host = asyncHost;
  if (host === null) return call(() => handle().verifyBatchFramedNeeds(packed, callJson, now));
  return hostRounds(host, call, handle, packed, callJson, now);
}

/**
 * Both rounds of a packed batch with `host`, each call into wasm made through `run` (the
 * realm's `call()` on the main thread; a pool worker contains traps itself, worker-core.js);
 * resolves to framed results with needs, as framedNeedsSettled.
 * @param {AsyncHost} host
 * @param {<T>(fn: () => T) => T} run
 * @param {() => import('./credcore_wasm.js').Verifier} handle
 * @param {Uint8Array} packed
 * @param {string} callJson
 * @param {number} now
 * @returns {Promise<Uint8Array>}
 */
export async function hostRounds(host, run, handle, packed, callJson, now) {
  const first = run(() => handle().verifyBatchHostRound(packed, callJson, now, host.algs));
  if (first[0] === 0) return first.subarray(1);
  const ticket = new DataView(first.buffer, first.byteOffset + 1, 4).getUint32(0, true);
  // Round 1 in steps: the host starts on each step's jobs (node:crypto's thread pool, WebCrypto)
  // while the next step is prepared; round 2 takes every step's answers, in order.
  const parts = [settlePart(host, first.subarray(5))];
  let more = first[0] === 2;
  while (more) {
    const next = run(() => handle().verifyBatchHostMore(ticket, callJson, now));
    if (next[0] === 0) break;
    parts.push(settlePart(host, next.subarray(1)));
    more = next[0] === 2;
  }
  // Each step's answers as they come (in order), but the last: the groups they complete are
  // finished while the host works on later steps; round 2 finishes the rest and concludes.
  const answers = [];
  for (let i = 0; i < parts.length; i++) {
    const a = await parts[i];
    answers.push(a);
    if (i < parts.length - 1) run(() => handle().verifyBatchHostAnswered(ticket, callJson, now, a));
  }
  const settled = new Uint8Array(answers.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of answers) {
    settled.set(a, at);
    at += a.length;
  }
  return run(() => handle().verifyBatchHostSettled(ticket, packed, callJson, now, settled));
}

/**
 * The host's answers to one step's packed jobs: one byte per job; for a host that throws, or
 * answers anything but a Uint8Array of one byte per job, the byte 2 for each (the core fails
 * those signatures and keeps none of the results as verdicts).
 * @param {AsyncHost} host
 * @param {Uint8Array} jobs
 * @returns {Promise<Uint8Array>}
 */
async function settlePart(host, jobs) {
  const count = Math.floor(new DataView(jobs.buffer, jobs.byteOffset, jobs.byteLength).getUint32(0, true) / 4);
  let answers;
  try {
    answers = await host.settle(jobs);
  } catch {
    answers = null;
  }
  return answers instanceof Uint8Array && answers.length === count ? answers : new Uint8Array(count).fill(2);
}
