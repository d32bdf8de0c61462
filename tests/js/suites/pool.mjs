// The worker pool through the public API, in Node (worker_threads) and Chromium (module Web
// Workers loaded from the page's origin): results equal one-thread results in input order,
// micro-batching and deduplication (callers share no objects), the status-list resolver and its
// bounded cache, abort, metrics.

import { assert } from '../lib/assert.mjs';
import { comparable, firstDifference, mixedWorkload, outcomes, STATUS_URI } from '../lib/workload.mjs';

const EXPECTED = ['valid', 'valid', 'valid', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'REVOKED_CREDENTIAL', 'MALFORMED_INPUT'];
/** EXPECTED when no status list can be had: the items with a status entry fail closed. */
const FAIL_CLOSED = ['valid', 'valid', 'STATUS_UNAVAILABLE', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'STATUS_UNAVAILABLE', 'MALFORMED_INPUT'];

/**
 * `n` SD-JWT VCs, each with a status entry in its own list (`uris[i]`, held by `lists`); the odd
 * ones revoked. Resolve with `lists.get(uri)`.
 */
function statusPerItem(c, n, tag) {
  const issuer = c.generateKeyPair();
  const uris = [];
  const lists = new Map();
  const inputs = [];
  for (let i = 0; i < n; i++) {
    const uri = `https://issuer.example/${tag}/status/${i}`;
    const list = new c.StatusList({ format: 'ietf', uri, size: 1024, bits: 1, issuer });
    const idx = list.allocate();
    if (i % 2 === 1) list.set(idx, 1);
    inputs.push(c.sdJwt.issue({ vct: 'urn:example:id', n: i, status: { status_list: { idx, uri } } }, { issuer, disclose: ['/n'], expiresIn: 3600 }));
    uris.push(uri);
    lists.set(uri, list.sign());
    list.free();
  }
  return { uris, lists, inputs, expected: inputs.map((_, i) => (i % 2 === 1 ? 'REVOKED_CREDENTIAL' : 'valid')) };
}

/** A resolver over `lists` that answers after `delayMs`, counting calls (and the most at once) per URI. */
function countingResolver(lists, delayMs) {
  const calls = new Map();
  const running = new Map();
  let mostAtOnce = 0;
  const resolve = async (uri) => {
    calls.set(uri, (calls.get(uri) ?? 0) + 1);
    running.set(uri, (running.get(uri) ?? 0) + 1);
    mostAtOnce = Math.max(mostAtOnce, running.get(uri));
    try {
      await new Promise((r) => setTimeout(r, delayMs));
      return lists.get(uri) ?? null;
    } finally {
      running.set(uri, running.get(uri) - 1);
    }
  };
  const total = () => [...calls.values()].reduce((a, b) => a + b, 0);
  return { resolve, calls, total, mostAtOnce: () => mostAtOnce };
}

/** Every object and array reachable from `value`. */
function objectsOf(value, into = new Set()) {
  if (value === null || typeof value !== 'object' || into.has(value)) return into;
  into.add(value);
  for (const v of Object.values(value)) objectsOf(v, into);
  return into;
}

/** Changes a result deeply: flags, claims, the first credential's attributes, the first error. */
function mutate(r) {
  r.valid = !r.valid;
  if (r.claims !== null && typeof r.claims === 'object') {
    r.claims.mutated = true;
    for (const v of Object.values(r.claims)) if (v !== null && typeof v === 'object') v.mutated = true;
  }
  if (r.credentials[0]) {
    r.credentials[0].mutated = true;
    if (r.credentials[0].attributes) r.credentials[0].attributes.mutated = true;
  }
  if (r.errors[0]) {
    r.errors[0].code = 'MUTATED';
    r.errors[0].message = 'mutated';
  }
  r.errors.push({ code: 'MUTATED', message: 'pushed' });
  r.credentials.push({ mutated: true });
}

export const tests = [
  ['pool results equal one-thread results, in input order, on a mixed set', async (c) => {
    const w = mixedWorkload(c, 210, { tag: 'order' });
    const pool = await c.createPool({ workers: 2, chunkSize: 16 });
    try {
      const progress = [];
      const got = await pool.verifyBatch(w.inputs, { ...w.options, onProgress: (p) => progress.push(p) });
      const want = c.verifyBatch(w.inputs, w.options);
      assert.equal(got.length, 210);
      assert.equal(firstDifference(got, want), -1, 'pool and one thread agree item by item');
      outcomes(got).forEach((o, i) => assert.equal(o, EXPECTED[i % EXPECTED.length], `item ${i}`));
      // 210 items over 2 workers in chunks of 16: 14 chunks, one progress call each.
      assert.equal(progress.length, 14);
      assert.deepEqual(progress.at(-1), { done: 210, total: 210 });
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done > progress[i - 1].done, 'progress grows');
      assert.deepEqual(await pool.verifyBatch([]), []);
      const m = pool.metrics();
      assert.equal(m.items.valid, 90);
      assert.equal(m.items.invalid, 120);
      assert.equal(m.errors.REVOKED_CREDENTIAL, 30);
      assert.equal(m.errors.MALFORMED_INPUT, 30);
      assert.equal(m.chunks, 14);
      assert.equal(m.workers.live, 2);
    } finally {
      await pool.close();
    }
  }],
  ['verifySignatures runs on the workers and marks exactly the bad items', async (c) => {
    const pair = c.generateKeyPair();
    const items = Array.from({ length: 100 }, (_, i) => ({ message: `m${i}`, signature: c.sign(`m${i}`, pair.secretKey), publicKey: pair.publicKey }));
    items[3] = { ...items[3], message: 'edited' };
    items[77] = { ...items[77], message: 'edited' };
    const pool = await c.createPool({ workers: 2, chunkSize: 10 });
    try {
      const got = await pool.verifySignatures(items);
      assert.deepEqual(got, c.verifySignatures(items));
      assert.deepEqual(got.flatMap((ok, i) => (ok ? [] : [i])), [3, 77]);
      await assert.rejectsCode(pool.verifySignatures([{ message: 'm', signature: new Uint8Array(64), publicKey: 5 }]), 'MALFORMED_INPUT');
    } finally {
      await pool.close();
    }
  }],
  ['verify() coalesces calls into one batch and verifies identical inputs once', async (c) => {
    const w = mixedWorkload(c, 35, { tag: 'micro' });
    const pool = await c.createPool({ workers: 2, maxBatchWaitMs: 50, maxBatchSize: 256 });
    try {
      // Every input twice, all within the wait: 35 distinct inputs, one micro-batch.
      const calls = [...w.inputs, ...w.inputs].map((x) => pool.verify(x, w.options));
      const got = await Promise.all(calls);
      const want = c.verifyBatch(w.inputs, w.options);
      assert.equal(firstDifference(got.slice(0, 35), want), -1);
      assert.equal(firstDifference(got.slice(35), want), -1);
      assert.ok(got[0] !== got[35], 'a deduplicated caller gets its own copy');
      const m = pool.metrics();
      assert.equal(m.batches.verify, 1);
      assert.equal(m.deduplicated, 35);
      assert.equal(m.items.valid + m.items.invalid, 35);
      assert.equal(m.latency.item.count, 35);
      // maxBatchSize splits: 10 calls with a batch size of 4 run as 3 batches.
      const small = await c.createPool({ workers: 1, maxBatchWaitMs: 50, maxBatchSize: 4 });
      try {
        await Promise.all(w.inputs.slice(0, 10).map((x) => small.verify(x, w.options)));
        assert.equal(small.metrics().batches.verify, 3);
      } finally {
        await small.close();
      }
    } finally {
      await pool.close();
    }
  }],
  ['the status-list resolver runs once per distinct URI and its lists reach the workers', async (c) => {
    const w = mixedWorkload(c, 70, { tag: 'status' });
    const asked = [];
    const pool = await c.createPool({
      workers: 2,
      chunkSize: 8,
      statusListResolver: async (uri) => {
        asked.push(uri);
        return uri === STATUS_URI ? w.statusList : null;
      },
    });
    try {
      const got = await pool.verifyBatch(w.inputs);
      assert.deepEqual(asked, [STATUS_URI], 'one call for the one URI, whatever the chunks');
      outcomes(got).forEach((o, i) => assert.equal(o, EXPECTED[i % EXPECTED.length], `item ${i}`));
      await pool.verifyBatch(w.inputs);
      assert.deepEqual(asked, [STATUS_URI], 'cached within the TTL');
      const m = pool.metrics();
      assert.equal(m.statusLists.fetched, 1);
      // Chunks that reached a worker before it held the list came back for it, and were served
      // from the pool's copy (how many depends on timing); none failed.
      assert.equal(m.statusLists.failed, 0);
    } finally {
      await pool.close();
    }
    // A resolver that finds nothing: every item with a status entry fails closed, and the list is
    // asked for once per batch however many chunks needed it.
    const missing = [];
    const unlucky = await c.createPool({ workers: 2, chunkSize: 4, statusListResolver: async (uri) => { missing.push(uri); return null; } });
    try {
      const got = await unlucky.verifyBatch(w.inputs.slice(0, 35));
      assert.deepEqual(outcomes(got), Array(5).fill(FAIL_CLOSED).flat());
      assert.deepEqual(missing, [STATUS_URI]);
      await unlucky.verifyBatch(w.inputs.slice(0, 35));
      assert.deepEqual(missing, [STATUS_URI, STATUS_URI], 'asked again by the next batch');
    } finally {
      await unlucky.close();
    }
    // Without a resolver (and without inline lists) status fails closed.
    const bare = await c.createPool({ workers: 1 });
    try {
      const got = await bare.verifyBatch(w.inputs.slice(0, 7));
      assert.deepEqual(outcomes(got), FAIL_CLOSED);
    } finally {
      await bare.close();
    }
  }],
  ['abort: a pre-aborted signal and an abort mid-batch reject with ABORTED; the pool goes on', async (c) => {
    const w = mixedWorkload(c, 140, { tag: 'abort' });
    const pool = await c.createPool({ workers: 2, chunkSize: 4 });
    try {
      const pre = new AbortController();
      pre.abort();
      await assert.rejectsCode(pool.verifyBatch(w.inputs, { ...w.options, signal: pre.signal }), 'ABORTED');
      const ctl = new AbortController();
      let seen = 0;
      const running = pool.verifyBatch(w.inputs, {
        ...w.options,
        signal: ctl.signal,
        onProgress: ({ done }) => {
          seen = done;
          if (done >= 8) ctl.abort();
        },
      });
      await assert.rejectsCode(running, 'ABORTED');
      assert.ok(seen < 140, 'aborted before the end');
      const m = pool.metrics();
      assert.equal(m.rejections.ABORTED, 2);
      assert.equal(m.queue.items, 0, 'queued chunks dropped');
      const after = await pool.verifyBatch(w.inputs.slice(0, 7), w.options);
      assert.deepEqual(outcomes(after), EXPECTED);
      assert.equal(pool.metrics().workers.live, 2, 'aborted workers were replaced');
    } finally {
      await pool.close();
    }
  }],
  ['metrics() and prometheus() report counts, latencies, queue, workers and caches', async (c) => {
    const w = mixedWorkload(c, 21, { tag: 'metrics' });
    const pool = await c.createPool({ workers: 1, verifier: { cache: { results: 100, ttlSeconds: 60 } } });
    try {
      await pool.verifyBatch(w.inputs, w.options);
      await pool.verifyBatch(w.inputs, w.options);
      const m = pool.metrics();
      assert.deepEqual(m.items, { valid: 18, invalid: 24 });
      assert.deepEqual(m.errors, { INVALID_SIGNATURE: 6, EXPIRED_CREDENTIAL: 6, REVOKED_CREDENTIAL: 6, MALFORMED_INPUT: 6 });
      assert.equal(m.batches.verifyBatch, 2);
      assert.equal(m.latency.batch.count, 2);
      assert.equal(m.latency.item.count, 42);
      assert.ok(m.latency.item.p50 > 0 && m.latency.item.p50 <= m.latency.item.p95 && m.latency.item.p95 <= m.latency.item.p99, 'ordered quantiles');
      assert.ok(m.latency.item.p99 <= m.latency.item.max, 'p99 <= max');
      assert.equal(m.throughput.total, 42);
      assert.deepEqual(m.queue, { items: 0, waiting: 0, inFlight: 0, maxQueue: 1_000_000 });
      assert.deepEqual(m.workers, { target: 1, live: 1, busy: 0, idle: 1 });
      // The second pass of the same inputs hits the worker's result cache, for every input whose
      // verdict took a signature check (malformed ones are decided again, never stored).
      const stored = w.kinds.filter((k) => k !== 'malformed').length;
      assert.ok(stored > 0 && stored < 21);
      assert.equal(m.caches.results.hits, stored);
      assert.equal(m.caches.results.misses, 21 + (21 - stored));
      assert.equal(m.caches.results.hitRatio, stored / 42);
      const text = pool.prometheus();
      assert.ok(text.endsWith('\n'), 'ends with a newline');
      for (const line of [
        '# TYPE credcore_items_total counter',
        'credcore_items_total{outcome="valid"} 18',
        'credcore_items_total{outcome="invalid"} 24',
        'credcore_errors_total{code="REVOKED_CREDENTIAL"} 6',
        '# TYPE credcore_item_latency_seconds summary',
        'credcore_item_latency_seconds_count 42',
        'credcore_batch_latency_seconds_count 2',
        'credcore_queue_depth 0',
        'credcore_workers{state="idle"} 1',
        `credcore_cache_hit_ratio{cache="results"} ${stored / 42}`,
      ]) assert.ok(text.split('\n').includes(line), line);
      assert.ok(/^credcore_item_latency_seconds\{quantile="0\.99"\} [0-9.e-]+$/m.test(text), 'p99 sample');
      // Every sample line belongs to a family declared by # HELP and # TYPE.
      const declared = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((x) => x[1]));
      for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
        const name = line.match(/^([a-z_]+)/)[1].replace(/_(sum|count)$/, '');
        assert.ok(declared.has(name), `declared: ${line}`);
        assert.ok(name.startsWith('credcore_'), name);
      }
    } finally {
      await pool.close();
    }
  }],
  ['verify(): callers of a deduplicated input get their own results, whatever the others do with theirs', async (c) => {
    const w = mixedWorkload(c, 21, { tag: 'dedup' });
    const want = c.verifyBatch(w.inputs, w.options);
    const pool = await c.createPool({ workers: 1, maxBatchWaitMs: 30 });
    try {
      // A mutates its results deeply as soon as it has them (synchronously after its await),
      // B only reads, C mutates too; B and C join A's inputs while they are in flight.
      const callA = w.inputs.map(async (x) => {
        const r = await pool.verify(x, w.options);
        mutate(r);
        return r;
      });
      const callB = w.inputs.map((x) => pool.verify(x, w.options));
      const callC = w.inputs.map((x) => pool.verify(x, w.options).then((r) => { mutate(r); return r; }));
      const [a, b, cc] = await Promise.all([Promise.all(callA), Promise.all(callB), Promise.all(callC)]);
      assert.equal(pool.metrics().deduplicated, 42);
      assert.equal(pool.metrics().items.valid + pool.metrics().items.invalid, 21, 'each input verified once');
      assert.equal(firstDifference(b, want), -1, 'B sees pristine results');
      assert.ok(comparable(a).every((x, i) => x !== comparable(want)[i]), 'A did change its own');
      // No object or array is shared between any two callers' results.
      const seen = new Map();
      for (const [who, results] of [['A', a], ['B', b], ['C', cc]]) {
        for (const o of objectsOf(results)) {
          assert.ok(!seen.has(o), `an object of ${who} also belongs to ${seen.get(o)}`);
          seen.set(o, who);
        }
      }
      // The same after the results came back: callers joining an input still in flight later.
      const late = pool.verify(w.inputs[0], w.options);
      await new Promise((r) => setTimeout(r, 5));
      const later = pool.verify(w.inputs[0], w.options);
      const [x, y] = await Promise.all([late.then((r) => { mutate(r); return r; }), later]);
      assert.equal(firstDifference([y], [want[0]]), -1);
      assert.ok(x !== y && x.errors !== y.errors && x.credentials !== y.credentials);
    } finally {
      await pool.close();
    }
  }],
  ['the status-list resolver cache is bounded and single-flight; expired lists are fetched again', async (c) => {
    const s = statusPerItem(c, 12, 'bounded');
    const resolver = countingResolver(s.lists, 40);
    const pool = await c.createPool({
      workers: 2, chunkSize: 2, verifier: { cache: { statusLists: 4, ttlSeconds: 0.4 } }, statusListResolver: resolver.resolve,
    });
    try {
      // Two batches at once over the same 12 lists: one resolver call per URI in flight.
      const [x, y] = await Promise.all([pool.verifyBatch(s.inputs), pool.verifyBatch(s.inputs)]);
      assert.deepEqual(outcomes(x), s.expected);
      assert.deepEqual(outcomes(y), s.expected);
      assert.equal(resolver.mostAtOnce(), 1, 'never two calls for one URI at once');
      assert.deepEqual([...resolver.calls.keys()].sort(), [...s.uris].sort(), 'every list was asked for');
      let m = pool.metrics();
      assert.equal(m.statusLists.failed, 0);
      assert.equal(m.statusListCache.capacity, 4);
      assert.ok(m.statusListCache.entries <= 4, `entries: ${m.statusListCache.entries}`);
      assert.equal(m.statusListCache.pending, 0);
      // 12 lists were held, at most 4 at a time.
      assert.ok(m.statusListCache.evictions + m.statusListCache.expirations >= 8, JSON.stringify(m.statusListCache));
      const text = pool.prometheus();
      assert.ok(text.split('\n').includes(`credcore_status_list_cache_entries ${m.statusListCache.entries}`), 'prometheus gauge');
      // Past the TTL, neither the workers nor the pool serve a list: it is fetched again.
      await new Promise((r) => setTimeout(r, 500));
      const before = resolver.total();
      assert.deepEqual(outcomes(await pool.verifyBatch(s.inputs.slice(0, 2))), s.expected.slice(0, 2));
      assert.equal(resolver.total(), before + 2);
      m = pool.metrics();
      assert.ok(m.statusListCache.entries <= 4);
    } finally {
      await pool.close();
    }
  }],
  ['the status-list resolver cache holds 64 lists by default', async (c) => {
    const s = statusPerItem(c, 80, 'default');
    const resolver = countingResolver(s.lists, 0);
    const pool = await c.createPool({ workers: 1, chunkSize: 8, statusListResolver: resolver.resolve });
    try {
      assert.deepEqual(outcomes(await pool.verifyBatch(s.inputs)), s.expected);
      assert.equal(resolver.total(), 80);
      const m = pool.metrics();
      assert.deepEqual({ entries: m.statusListCache.entries, capacity: m.statusListCache.capacity, evictions: m.statusListCache.evictions }, { entries: 64, capacity: 64, evictions: 16 });
    } finally {
      await pool.close();
    }
  }],
  ['closed pools refuse work with CLOSED; bad options are MALFORMED_INPUT', async (c) => {
    const pool = await c.createPool({ workers: 1 });
    await pool.close();
    await pool.close();
    await assert.rejectsCode(pool.verifyBatch(['x']), 'CLOSED');
    await assert.rejectsCode(pool.verify('x'), 'CLOSED');
    assert.equal(pool.metrics().workers.live, 0);
    await assert.rejectsCode(c.createPool({ workers: 0 }), 'MALFORMED_INPUT');
    await assert.rejectsCode(c.createPool({ chunkSize: 1.5 }), 'MALFORMED_INPUT');
    await assert.rejectsCode(c.createPool({ statusListResolver: 'no' }), 'MALFORMED_INPUT');
  }],
];
