// Node-only pool behaviour: timeouts, crashed workers (retried, then split), the resolver cache's
// eviction order, the bounded queue, close and destroy, idle pools not keeping the process alive,
// and the CommonJS entry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as c from 'credcore';
import { firstDifference, mixedWorkload, outcomes } from './lib/workload.mjs';

// Test hook: the pool's live workers (documented in pool.js as internal, not a stable API).
const INTERNALS = Symbol.for('credcore.pool.internals');
const tick = () => new Promise((r) => setTimeout(r, 1));

/** Waits for a busy worker whose chunk is on attempt `attempt`, and terminates it (a crash). */
async function killBusy(pool, attempt) {
  for (let i = 0; i < 20_000; i++) {
    const busy = pool[INTERNALS].workers().find((w) => w.busy && w.attempt === attempt);
    if (busy) {
      await busy.worker.terminate();
      return;
    }
    await tick();
  }
  throw new Error(`no busy worker on attempt ${attempt}`);
}

const big = mixedWorkload(c, 2800, { tag: 'node' });
const want = c.verifyBatch(big.inputs, big.options);

test('a chunk over its time limit rejects with TIMEOUT, its worker is replaced, the pool goes on', async () => {
  const pool = await c.createPool({ workers: 1, chunkSize: 2800, taskTimeoutMs: 1 });
  try {
    const err = await pool.verifyBatch(big.inputs, big.options).then(() => null, (e) => e);
    assert.ok(err instanceof c.CredcoreError);
    assert.equal(err.code, 'TIMEOUT');
    const m = pool.metrics();
    assert.equal(m.restarts.timeout, 1);
    assert.equal(m.rejections.TIMEOUT, 1);
    pool.taskTimeoutMs = 0;
    const after = await pool.verifyBatch(big.inputs.slice(0, 7), big.options);
    assert.deepEqual(outcomes(after), outcomes(want.slice(0, 7)));
    assert.equal(pool.metrics().workers.live, 1);
  } finally {
    await pool.close();
  }
});

test('a worker killed mid-batch loses no item: its chunk is retried on a fresh worker', async () => {
  const pool = await c.createPool({ workers: 2, chunkSize: 700 });
  try {
    const running = pool.verifyBatch(big.inputs, big.options);
    await killBusy(pool, 0);
    const got = await running;
    assert.equal(firstDifference(got, want), -1);
    const m = pool.metrics();
    assert.equal(m.retries, 1);
    assert.equal(m.restarts.crash, 1);
    assert.equal(m.workers.live, 2);
    assert.equal(m.items.valid + m.items.invalid, 2800);
  } finally {
    await pool.close();
  }
});

test('a chunk whose worker dies twice is split in halves that run on their own: no item is lost', async () => {
  const pool = await c.createPool({ workers: 1, chunkSize: 1400 });
  try {
    const running = pool.verifyBatch(big.inputs, big.options);
    await killBusy(pool, 0);
    await killBusy(pool, 1);
    const got = await running;
    // No item made the worker die: once split, every half verifies.
    assert.equal(firstDifference(got, want), -1);
    const m = pool.metrics();
    assert.equal(m.errors.WORKER_FAILED ?? 0, 0);
    assert.equal(m.splits, 1);
    assert.equal(m.retries, 3, 'the chunk once whole, then its two halves');
    assert.equal(m.chunks, 2 + 3);
    assert.equal(m.restarts.crash, 2);
    assert.equal(m.workers.live, 1);
  } finally {
    await pool.close();
  }
});

test('the resolver cache drops the least recently used list first', async () => {
  // One worker, one item per batch: a list the worker does not hold is asked of the pool. A
  // restarted worker holds none, so what the pool still holds shows.
  const issuer = c.generateKeyPair();
  const lists = new Map();
  const items = [];
  for (let i = 0; i < 6; i++) {
    const uri = `https://issuer.example/lru/${i}`;
    const list = new c.StatusList({ format: 'ietf', uri, size: 1024, bits: 1, issuer });
    const idx = list.allocate();
    items.push(c.sdJwt.issue({ vct: 'urn:example:id', status: { status_list: { idx, uri } } }, { issuer, expiresIn: 3600 }));
    lists.set(uri, list.sign());
    list.free();
  }
  const asked = [];
  const pool = await c.createPool({
    workers: 1, verifier: { cache: { statusLists: 4 } }, statusListResolver: async (uri) => { asked.push(Number(uri.split('/').at(-1))); return lists.get(uri); },
  });
  const restart = async () => {
    const before = pool.metrics().restarts.crash ?? 0;
    await pool[INTERNALS].workers()[0].worker.terminate();
    for (let i = 0; i < 5000 && !(pool.metrics().restarts.crash === before + 1 && pool[INTERNALS].workers().some((x) => x.ready)); i++) await tick();
  };
  const run = async (i) => assert.equal((await pool.verifyBatch([items[i]]))[0].valid, true, `item ${i}`);
  try {
    for (const i of [0, 1, 2, 3]) await run(i);
    assert.deepEqual(asked, [0, 1, 2, 3]);
    await restart();
    await run(0); // held by the pool: now its most recently used
    assert.deepEqual(asked, [0, 1, 2, 3]);
    await run(4); // the pool is full: 1 goes, not 0
    assert.deepEqual(asked, [0, 1, 2, 3, 4]);
    await restart();
    await run(0);
    await run(2);
    await run(3);
    assert.deepEqual(asked, [0, 1, 2, 3, 4], '0, 2 and 3 were still held');
    await run(1);
    assert.deepEqual(asked, [0, 1, 2, 3, 4, 1], '1 had been dropped');
    const m = pool.metrics();
    assert.deepEqual({ entries: m.statusListCache.entries, evictions: m.statusListCache.evictions }, { entries: 4, evictions: 2 });
    assert.equal(m.statusLists.cached, 4);
    assert.equal(m.statusLists.fetched, 6);
  } finally {
    await pool.close();
  }
});

test('a full queue rejects with QUEUE_FULL and takes work again once it drains', async () => {
  const pool = await c.createPool({ workers: 1, maxQueue: 100, chunkSize: 10, maxBatchWaitMs: 20 });
  try {
    await assert.rejects(pool.verifyBatch(big.inputs.slice(0, 101), big.options), (e) => e.code === 'QUEUE_FULL');
    const first = pool.verifyBatch(big.inputs.slice(0, 100), big.options);
    // One chunk of 10 is on the worker; 90 items wait. 10 more fill the queue to maxQueue.
    assert.equal(pool.metrics().queue.items, 90);
    const second = pool.verifyBatch(big.inputs.slice(100, 110), big.options);
    assert.equal(pool.metrics().queue.items, 100);
    await assert.rejects(pool.verifyBatch(big.inputs.slice(0, 1), big.options), (e) => e instanceof c.CredcoreError && e.code === 'QUEUE_FULL');
    await assert.rejects(pool.verify(big.inputs[0], big.options), (e) => e.code === 'QUEUE_FULL');
    assert.equal((await first).length, 100);
    assert.equal((await second).length, 10);
    assert.equal((await pool.verifyBatch(big.inputs.slice(0, 100), big.options)).length, 100);
    assert.equal(pool.metrics().rejections.QUEUE_FULL, 3);
  } finally {
    await pool.close();
  }
});

test('close() drains what was submitted (batches and pending verify calls), then stops the workers', async () => {
  const pool = await c.createPool({ workers: 2, chunkSize: 100, maxBatchWaitMs: 1000 });
  const batch = pool.verifyBatch(big.inputs.slice(0, 700), big.options);
  const single = pool.verify(big.inputs[3], big.options);
  const closed = pool.close();
  await assert.rejects(pool.verifyBatch(big.inputs.slice(0, 1)), (e) => e.code === 'CLOSED');
  const got = await batch;
  assert.equal(firstDifference(got, want.slice(0, 700)), -1);
  assert.equal((await single).errors[0].code, 'INVALID_SIGNATURE');
  await closed;
  assert.equal(pool.metrics().workers.live, 0);
});

test('destroy() stops at once: pending batches and verify calls reject with CLOSED', async () => {
  const pool = await c.createPool({ workers: 1, chunkSize: 100, maxBatchWaitMs: 1000 });
  const batch = pool.verifyBatch(big.inputs, big.options);
  const single = pool.verify(big.inputs[0], big.options);
  pool.destroy();
  await assert.rejects(batch, (e) => e instanceof c.CredcoreError && e.code === 'CLOSED');
  await assert.rejects(single, (e) => e.code === 'CLOSED');
  assert.deepEqual(pool.metrics().queue, { items: 0, waiting: 0, inFlight: 0, maxQueue: 1_000_000 });
  assert.equal(pool.metrics().workers.live, 0);
});

test('an idle pool that is never closed does not keep the process alive', () => {
  const script = `
    import { createPool, keyPairFromSeed, sign } from 'credcore';
    const pool = await createPool({ workers: 2 });
    const pair = keyPairFromSeed(new Uint8Array(32));
    const ok = await pool.verifySignatures([{ message: 'm', signature: sign('m', pair.secretKey), publicKey: pair.publicKey }]);
    console.log(JSON.stringify(ok));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, timeout: 20_000 }).toString().trim();
  assert.equal(out, '[true]');
});

test('require("credcore").createPool works from the CommonJS bundle', () => {
  const script = `
    const c = require('credcore');
    (async () => {
      const pool = await c.createPool({ workers: 1 });
      const pair = c.keyPairFromSeed(new Uint8Array(32));
      const jwt = c.issueCredential({ credentialSubject: { id: pair.did } }, { issuer: pair, format: 'vc-jwt', expiresIn: 60 });
      const [r] = await pool.verifyBatch([jwt]);
      await pool.close();
      console.log(r.valid, r.format, typeof c.createPool);
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: import.meta.dirname, timeout: 20_000 }).toString().trim();
  assert.equal(out, 'true vc-jwt function');
});

test('callers share the worker fairly: a clean caller is served while another floods forgeries; unnamed calls run in order', async () => {
  const issuer = c.generateKeyPair();
  const jwt = (i) => c.issueCredential({ credentialSubject: { id: issuer.did, n: i } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
  const forged = (i) => {
    const t = jwt(i);
    return `${t.slice(0, t.lastIndexOf('.') + 1)}${Buffer.from(c.sign(`other ${i}`, issuer.secretKey)).toString('base64url')}`;
  };
  const flood = Array.from({ length: 1536 }, (_, i) => forged(i));
  const clean = Array.from({ length: 64 }, (_, i) => jwt(10_000 + i));
  const pool = await c.createPool({ workers: 1, chunkSize: 64 });
  try {
    for (const named of [true, false]) {
      const order = [];
      const a = pool.verifyBatch(flood, named ? { caller: 'flood' } : {}).then((r) => { order.push('flood'); return r; });
      const b = pool.verifyBatch(clean, named ? { caller: 'clients' } : {}).then((r) => { order.push('clean'); return r; });
      const [fr, cr] = await Promise.all([a, b]);
      assert.ok(fr.every((r) => !r.valid && r.errors[0].code === 'INVALID_SIGNATURE'));
      assert.ok(cr.every((r) => r.valid));
      // Named: the clean caller's one chunk runs after at most a chunk or two of the flood's 24.
      // Unnamed: one queue, first come first served.
      assert.deepEqual(order, named ? ['clean', 'flood'] : ['flood', 'clean'], named ? 'named callers' : 'one shared queue');
    }
    // pool.verify and verifySignatures take a caller too; verdicts do not depend on it.
    const [x, y] = await Promise.all([pool.verify(clean[0], { caller: 'a' }), pool.verify(clean[1], { caller: 'b' })]);
    assert.ok(x.valid && y.valid);
    const sig = { message: new Uint8Array([1]), signature: c.sign(new Uint8Array([1]), issuer.secretKey), publicKey: issuer.publicKey };
    assert.deepEqual(await pool.verifySignatures([sig], { caller: 'a' }), [true]);
    for (const bad of [7, 'x'.repeat(257), {}]) {
      await assert.rejects(pool.verify(clean[0], { caller: /** @type {any} */ (bad) }), (e) => e.code === 'MALFORMED_INPUT' && e.path === 'caller');
      await assert.rejects(pool.verifyBatch(clean, { caller: /** @type {any} */ (bad) }), (e) => e.code === 'MALFORMED_INPUT');
    }
    assert.equal(pool.metrics().queue.items, 0);
  } finally {
    await pool.close();
  }
});
