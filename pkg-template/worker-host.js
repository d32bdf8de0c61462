// credcore: a pool worker's host round (browsers): the ECDSA and RSA signatures of a chunk go to
// the worker's WebCrypto (host.browser.js) through the two rounds of host-round.js, instead of
// the core's in-process fallbacks, and the chunk's answer is the same JSON array text as the
// synchronous `verifyBatchPacked` gives. The answers serve this chunk only (the core holds them
// under its ticket); a host that throws or answers junk fails those signatures (host-round.js).

// @ts-check

import { hostRounds } from './host-round.js';

const decoder = new TextDecoder();
/** A worker contains traps itself (worker-core.js): calls into wasm go straight through. */
const direct = (/** @type {() => any} */ fn) => fn();

/**
 * The JSON array text of framed results with needs (wire.js splitNeeds, frames): one decode.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function resultsText(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 4 + view.getUint32(0, true);
  const count = view.getUint32(offset, true);
  offset += 4;
  const ranges = new Array(count);
  let total = 2 + Math.max(0, count - 1);
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(offset + 8, true);
    offset += 12;
    ranges[i] = bytes.subarray(offset, offset + length);
    total += length;
    offset += length;
  }
  const out = new Uint8Array(total);
  out[0] = 0x5b; // [
  let at = 1;
  for (let i = 0; i < count; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    out.set(ranges[i], at);
    at += ranges[i].length;
  }
  out[at] = 0x5d; // ]
  return decoder.decode(out);
}

/**
 * Verifies a packed chunk with `host` settling its ECDSA/RSA signatures; resolves to the
 * results as a JSON array text.
 * @param {import('./host-round.js').AsyncHost} host
 * @param {() => import('./credcore_wasm.js').Verifier} handle the worker's current Verifier
 * @param {Uint8Array} packed
 * @param {string} options
 * @param {number} now
 * @returns {Promise<string>}
 */
export async function verifyBatchHosted(host, handle, packed, options, now) {
  return resultsText(await hostRounds(host, direct, handle, packed, options, now));
}
