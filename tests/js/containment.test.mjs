// Node-only containment: pool workers killed by an item (the thread exits) among many honest
// callers, several poison items in one batch with the cost of isolating each, and a Verifier
// created before a main-thread trap. (Traps in the main thread and in workers, in Node and
// Chromium, are in suites/containment.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from 'credcore';
import { firstDifference, mixedWorkload, outcomes } from './lib/workload.mjs';
import { EXIT_MARKER, TRAP_MARKER, glueOf, trapWorkerUrl, trappingBytes } from './lib/trap.mjs';

const log2 = (n) => Math.ceil(Math.log2(n));

/** `inputs` with poison items inserted so that `poison[i]` (a marker) lands at index i of the result. */
function withPoison(inputs, poison) {
  const out = [...inputs];
  for (const [at, marker] of Object.entries(poison).sort((a, b) => a[0] - b[0])) out.splice(Number(at), 0, `${marker} ${at}`);
  return out;
}

function failedAt(results) {
  return results.flatMap((r, i) => (r.errors[0]?.code === 'WORKER_FAILED' ? [i] : []));
}

test('a worker killed by an item: among 100 honest pool.verify callers only that item gets WORKER_FAILED', async () => {
  const w = mixedWorkload(c, 100, { tag: 'exit' });
  const want = c.verifyBatch(w.inputs, w.options);
  const inputs = withPoison(w.inputs, { 37: EXIT_MARKER });
  const pool = await c.createPool({ workers: 2, maxBatchWaitMs: 200, workerUrl: trapWorkerUrl('node') });
  try {
    const got = await Promise.all(inputs.map((x) => pool.verify(x, w.options)));
    assert.deepEqual(failedAt(got), [37]);
    assert.match(got[37].errors[0].message, /exited with code 70/);
    assert.equal(firstDifference(got.filter((_, i) => i !== 37), want), -1, 'the honest callers got their real verdicts');
    const m = pool.metrics();
    // 101 callers in one micro-batch, chunks of 51 and 50: the poison's chunk dies twice whole,
    // then once per halving down to the item.
    const deaths = m.restarts.crash;
    assert.ok(deaths >= 2 + log2(51) - 1 && deaths <= 2 + log2(51), `deaths: ${deaths}`);
    assert.equal(m.traps, 0);
    assert.equal(m.splits, deaths - 2);
    assert.equal(m.retries, 1 + 2 * m.splits);
    assert.equal(m.chunks, 2 + m.retries);
    assert.ok(m.chunks - 1 <= 2 + 2 * log2(51), `runs of the poisoned chunk: ${m.chunks - 1}`);
    assert.equal(m.workers.live, 2);
    console.log(`exit poison, chunk of 51: ${m.chunks - 1} runs, ${deaths} worker deaths, ${m.splits} splits`);
  } finally {
    await pool.close();
  }
});

test('a poison item alone in its chunk costs two runs: it is retried once, then gets WORKER_FAILED', async () => {
  const pool = await c.createPool({ workers: 1, workerUrl: trapWorkerUrl('node') });
  try {
    const [killed, trapped] = await Promise.all([pool.verify(`${EXIT_MARKER} alone`), pool.verify(`${TRAP_MARKER} alone`, { audience: 'another group' })]);
    for (const r of [killed, trapped]) {
      assert.equal(r.valid, false);
      assert.equal(r.errors[0].code, 'WORKER_FAILED');
      assert.match(r.errors[0].message, /this item twice/);
    }
    const m = pool.metrics();
    assert.deepEqual({ chunks: m.chunks, retries: m.retries, splits: m.splits, traps: m.traps, deaths: m.restarts.crash }, { chunks: 4, retries: 2, splits: 0, traps: 2, deaths: 2 });
    assert.deepEqual(outcomes(await pool.verifyBatch(['not a credential'])), ['MALFORMED_INPUT']);
  } finally {
    await pool.close();
  }
});

test('several poison items in one verifyBatch (traps and deaths): each costs at most 2 + 2*ceil(log2 chunk) runs', async () => {
  const w = mixedWorkload(c, 600, { tag: 'many' });
  const want = c.verifyBatch(w.inputs, w.options);
  // Chunks of 64: poison in chunk 0 (two, a trap and a death), chunk 3 (a trap), chunk 9 (a death).
  const inputs = withPoison(w.inputs, { 5: TRAP_MARKER, 60: EXIT_MARKER, 200: TRAP_MARKER, 600: EXIT_MARKER });
  const poison = [5, 60, 200, 600];
  const pool = await c.createPool({ workers: 2, chunkSize: 64, workerUrl: trapWorkerUrl('node') });
  try {
    const got = await pool.verifyBatch(inputs, w.options);
    assert.deepEqual(failedAt(got), poison);
    assert.equal(firstDifference(got.filter((_, i) => !poison.includes(i)), want), -1);
    const m = pool.metrics();
    const chunks = Math.ceil(inputs.length / 64);
    const extra = m.chunks - chunks;
    // Per poison item: one whole retry of its chunk, then two runs per level of halving.
    assert.ok(extra <= poison.length * (1 + 2 * log2(64)), `extra runs: ${extra}`);
    assert.ok(m.traps >= 2 && m.restarts.crash >= 2);
    assert.equal(m.errors.WORKER_FAILED, 4);
    console.log(`4 poison items in ${chunks} chunks of 64: ${extra} extra runs, ${m.traps} traps, ${m.restarts.crash} deaths, ${m.splits} splits`);
    assert.equal(firstDifference(await pool.verifyBatch(w.inputs, w.options), want), -1, 'the pool goes on');
  } finally {
    await pool.close();
  }
});

test('verifySignatures: a chunk whose worker dies twice rejects the call with WORKER_FAILED (a boolean carries no code)', async () => {
  // The trap worker only poisons verifyBatch; a verifySignatures chunk is killed by the test.
  const pair = c.generateKeyPair();
  const items = Array.from({ length: 50 }, (_, i) => ({ message: `m${i}`, signature: c.sign(`m${i}`, pair.secretKey), publicKey: pair.publicKey }));
  const pool = await c.createPool({ workers: 1 });
  const INTERNALS = Symbol.for('credcore.pool.internals');
  try {
    const kill = async (attempt) => {
      for (let i = 0; i < 20_000; i++) {
        const busy = pool[INTERNALS].workers().find((x) => x.busy && x.attempt === attempt);
        if (busy) return busy.worker.terminate();
        await new Promise((r) => setTimeout(r, 1));
      }
      throw new Error('no busy worker');
    };
    const big = Array.from({ length: 40 }, () => items).flat();
    const running = pool.verifySignatures(big);
    await kill(0);
    await kill(1);
    await assert.rejects(running, (e) => e instanceof c.CredcoreError && e.code === 'WORKER_FAILED');
    assert.equal(pool.metrics().splits, 0);
    assert.deepEqual(await pool.verifySignatures(items.slice(0, 3)), [true, true, true]);
  } finally {
    await pool.close();
  }
});

// Needs the Verifier of credentials.js to create its wasm handle again when the instance
// generation changes (see state.js instanceGeneration); until then its handle is stale after a
// trap and every call fails with INTERNAL_ERROR.
test('a Verifier created before a main-thread trap keeps working after it (its caches start empty)', async () => {
  const glue = await glueOf();
  const w = mixedWorkload(c, 28, { tag: 'verifier' });
  const want = c.verifyBatch(w.inputs, w.options);
  const verifier = new c.Verifier({ ...w.options, cache: { results: 1000 } });
  assert.equal(firstDifference(await verifier.verifyBatch(w.inputs), want), -1);
  assert.equal(firstDifference(await verifier.verifyBatch(w.inputs), want), -1);
  // Every input whose verdict took a signature check is cached (malformed ones are not).
  const perPass = verifier.stats().results.hits;
  assert.equal(perPass, w.kinds.filter((k) => k !== 'malformed').length);
  assert.throws(() => c.hash(trappingBytes(glue, c)), (e) => e instanceof c.CredcoreError && e.code === 'INTERNAL_ERROR');
  // Reversed: cached results of the old instance must not answer under the new one's ids.
  const reversed = await verifier.verifyBatch([...w.inputs].reverse());
  assert.equal(firstDifference(reversed, [...want].reverse()), -1);
  assert.equal(firstDifference(await verifier.verifyBatch(w.inputs), want), -1);
  const stats = verifier.stats();
  assert.equal(stats.results.hits, perPass, 'a fresh cache: only the last batch hit');
  assert.deepEqual(outcomes([await verifier.verify(w.inputs[3])]), ['INVALID_SIGNATURE']);
  verifier.clear();
  verifier.free();
});
