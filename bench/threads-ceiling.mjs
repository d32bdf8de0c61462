// The machine's own ceiling for a pool of 2: credcore's module verifyBatch run by one
// worker_threads worker alone, then by two at once on their own copies of the same credentials,
// with no pool (no scheduler, no messages during the timed part). On a machine whose two cores are
// free, two threads do about 2x one; on a shared machine (other builds, other tenants of the same
// host) they do what is left. A pool's figure against one thread reads against this ratio,
// measured in the same run.
//
// Inputs: the credential texts given (several fresh batches, each verified whole in turn). The
// module functions keep no results between calls, so no cache answers a repeat.
//
// Used by bench/data-integrity.mjs (runRdfc); not a benchmark of its own.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/**
 * Items per second of `threads` workers verifying `batches` (arrays of credential texts) in a
 * loop for `ms` after `warmMs` of warm-up, summed over the workers.
 * @param {string[][]} batches
 * @param {number} threads
 * @param {{ ms?: number, warmMs?: number }} [options]
 */
async function rate(batches, threads, { ms = 2_000, warmMs = 1_500 } = {}) {
  const workers = Array.from({ length: threads }, () => new Worker(new URL(import.meta.url), { workerData: { batches, ms, warmMs } }));
  // Every worker warms up first; the timed loops start together.
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const rates = await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage('go');
  })));
  await Promise.all(workers.map((w) => w.terminate()));
  return /** @type {number[]} */ (rates).reduce((a, b) => a + b, 0);
}

/**
 * One thread's rate, two threads' rate, and their ratio (one thread measured before and after
 * the two, averaged, so that a change of the machine's load during the run shows less).
 * @param {string[][]} batches
 */
export async function twoThreadCeiling(batches, options) {
  const before = await rate(batches, 1, options);
  const two = await rate(batches, 2, options);
  const after = await rate(batches, 1, options);
  const one = (before + after) / 2;
  return { one, two, ratio: two / one };
}

if (!isMainThread) {
  const credcore = await import('../pkg/index.node.js');
  const { batches, ms, warmMs } = workerData;
  const loop = (duration) => {
    let items = 0;
    let i = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < duration) {
      const batch = batches[i++ % batches.length];
      const results = credcore.verifyBatch(batch);
      if (!results.every((r) => r.valid)) throw new Error('benchmark verdicts wrong: a credential failed');
      items += batch.length;
    }
    return (items / (performance.now() - t0)) * 1000;
  };
  loop(warmMs);
  parentPort.postMessage('warm');
  parentPort.once('message', () => parentPort.postMessage(loop(ms)));
}
