// credcore: host signature checks as a round of a Verifier's needs loop (src/verifier/host_round.rs).
// Round 1 runs the batch and returns either its results or the ECDSA/RSA jobs it needs settled,
// under a ticket the wasm Verifier holds; the host settles them (node:crypto on its thread pool,
// or WebCrypto), and round 2 runs the batch with the answers. The answers reach the core through
// the Verifier's own method, never through options; a host that throws or answers anything but
// a Uint8Array of one byte per job fails those signatures, never passes them.

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
  const first = call(() => handle().verifyBatchHostRound(packed, callJson, now, host.algs));
  if (first[0] === 0) return first.subarray(1);
  const ticket = new DataView(first.buffer, first.byteOffset + 1, 4).getUint32(0, true);
  let answers;
  try {
    answers = await host.settle(first.subarray(5));
  } catch {
    answers = null;
  }
  if (!(answers instanceof Uint8Array)) answers = new Uint8Array(0);
  const settled = answers;
  return call(() => handle().verifyBatchHostSettled(ticket, packed, callJson, now, settled));
}
