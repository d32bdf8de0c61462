// credcore: the operations a pool worker runs (see worker.js), and how the pool packs their
// chunks, reads and counts their answers, and answers for items no worker could run.

// @ts-check

import { pack, packStrings } from '../wire.js';

/**
 * A result for an item whose worker kept failing (trap or death): the shape of the core's results.
 * @param {string} message
 */
export function failedResult(message) {
  return {
    valid: false, format: 'unknown', kind: 'credential', issuer: null, holder: null, subject: null,
    claims: null, credentials: [], expiresAt: null, errors: [{ code: 'WORKER_FAILED', message }],
  };
}

/**
 * @typedef {object} Operation
 * @property {(value: any) => unknown[]} read the values of a worker's answer
 * @property {(metrics: import('../metrics.js').PoolMetrics, values: any[]) => void} count
 * @property {(count: number, message: string) => unknown[] | null} failed the values of items no
 *   worker could run, or null when the whole call must reject instead
 * @property {(items: any[]) => Uint8Array} pack a chunk's items as one transferable buffer
 * @property {boolean} isolate whether a failing chunk is split to find the items that fail
 */

/** @type {Record<'verifyBatch' | 'verifySignatures', Operation>} */
export const OPERATIONS = {
  verifyBatch: {
    read: (value) => JSON.parse(value),
    count: (metrics, values) => metrics.countResults(values),
    failed: (count, message) => Array.from({ length: count }, () => failedResult(message)),
    pack: (items) => packStrings(items),
    // A chunk that keeps failing is split to find the item(s) that make it fail.
    isolate: true,
  },
  verifySignatures: {
    read: (value) => Array.from(value, (b) => b === 1),
    count: (metrics, values) => metrics.countFlags(values),
    // A boolean cannot carry a code: the whole call rejects (so splitting would not help).
    failed: () => null,
    pack: (items) => pack(items),
    isolate: false,
  },
};
