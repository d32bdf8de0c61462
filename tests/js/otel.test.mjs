// credcore/otel: a pool's metrics through @opentelemetry/api equal pool.metrics(), read when the
// SDK collects; every settled batch is one span with its item count and, when it failed, its
// code; stopping ends both. The SDK here is the real one (sdk-metrics, sdk-trace-base) with
// in-memory readers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as c from 'credcore';
import { instrumentPool } from 'credcore/otel';

/** A reader that collects when asked. */
class Reader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/** The collected points as { name: [[value, attributes], ...] }. */
async function points(reader) {
  const { resourceMetrics, errors } = await reader.collect();
  assert.deepEqual(errors, []);
  const out = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    assert.equal(scope.scope.name, 'credcore');
    for (const metric of scope.metrics) out[metric.descriptor.name] = metric.dataPoints.map((p) => [p.value, p.attributes]);
  }
  return out;
}

test('metrics equal pool.metrics() and each batch is one span (verifyBatch, verify micro-batches, verifySignatures)', async () => {
  const reader = new Reader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const issuer = c.generateKeyPair();
  const vc = c.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer });
  const expired = c.issueCredential({ credentialSubject: { id: 'did:example:2' } }, { issuer, expiresIn: 60, now: Date.now() - 86_400_000 });
  const pool = await c.createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
  const stop = instrumentPool(pool, { meterProvider, tracerProvider, attributes: { 'service.instance': 'test' } });
  try {
    const results = await pool.verifyBatch([vc, vc, expired, 'garbage']);
    assert.deepEqual(results.map((r) => r.valid), [true, true, false, false]);
    await Promise.all([pool.verify(vc), pool.verify(expired)]);
    const m = pool.metrics();
    const got = await points(reader);
    const inst = { 'service.instance': 'test' };
    assert.deepEqual(got['credcore.items'], [[m.items.valid, { ...inst, outcome: 'valid' }], [m.items.invalid, { ...inst, outcome: 'invalid' }]]);
    assert.equal(m.items.valid, 3);
    assert.deepEqual(Object.fromEntries(got['credcore.errors'].map(([v, a]) => [a.code, v])), m.errors);
    assert.deepEqual(Object.fromEntries(got['credcore.batches'].map(([v, a]) => [a.source, v])), m.batches);
    assert.deepEqual(got['credcore.chunks'], [[m.chunks, inst]]);
    assert.deepEqual(got['credcore.workers'], [[m.workers.busy, { ...inst, state: 'busy' }], [m.workers.idle, { ...inst, state: 'idle' }]]);
    assert.equal(got['credcore.item_latency.p50'][0][0], m.latency.item.p50);
    assert.deepEqual(Object.fromEntries(got['credcore.cache.entries'].map(([v, a]) => [a.cache, v])), Object.fromEntries(Object.entries(m.caches).map(([k, s]) => [k, s.entries])));
    for (const name of ['credcore.queue.depth', 'credcore.queue.in_flight', 'credcore.throughput', 'credcore.uptime', 'credcore.rejections', 'credcore.retries']) {
      assert.ok(name in got || name === 'credcore.rejections', name);
    }

    await pool.verifySignatures([{ message: 'm', signature: c.sign('m', issuer.secretKey), publicKey: issuer.publicKey }]);
    const finished = spans.getFinishedSpans();
    const counted = pool.metrics().items.valid;
    assert.deepEqual((await points(reader))['credcore.items']?.[0], [counted, { ...inst, outcome: 'valid' }], 'read at each collection');
    assert.deepEqual(finished.map((s) => [s.name, s.attributes['credcore.batch.items']]), [
      ['credcore.verifyBatch', 4], ['credcore.verify', 2], ['credcore.verifySignatures', 1],
    ]);
    for (const s of finished) {
      assert.equal(s.instrumentationScope.name, 'credcore');
      assert.equal(s.attributes['service.instance'], 'test');
      assert.equal(s.status.code, 0, 'unset: the batch resolved');
      const ms = s.duration[0] * 1e3 + s.duration[1] / 1e6;
      assert.ok(ms >= 0 && ms < 30_000, `duration ${ms} ms`);
    }
    // Stopped: no more spans, and collections no longer read the pool.
    stop();
    spans.reset();
    await pool.verifyBatch([vc, vc]);
    assert.equal(pool.metrics().items.valid, counted + 2);
    const after = (await points(reader))['credcore.items'] ?? [];
    assert.ok(after.every(([v]) => v !== counted + 2), `not read after stop: ${JSON.stringify(after)}`);
    assert.deepEqual(spans.getFinishedSpans(), []);
  } finally {
    stop();
    await pool.close();
  }
});

test('a batch that rejects is a span with status ERROR and its code', async () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const pool = await c.createPool({ workers: 1 });
  const stop = instrumentPool(pool, { tracerProvider, meterProvider: new MeterProvider() });
  try {
    const controller = new AbortController();
    const issuer = c.generateKeyPair();
    const inputs = Array.from({ length: 2_000 }, (_, i) => c.issueCredential({ credentialSubject: { id: `did:example:${i}` } }, { issuer }));
    const pending = pool.verifyBatch(inputs, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { code: 'ABORTED' });
    const [span] = spans.getFinishedSpans();
    assert.equal(span?.name, 'credcore.verifyBatch');
    assert.equal(span?.status.code, 2);
    assert.equal(span?.attributes['credcore.batch.error'], 'ABORTED');
  } finally {
    stop();
    await pool.close();
  }
});

test('onBatch listeners: called once per settled batch, stopped by the returned function, their errors ignored', async () => {
  const pool = await c.createPool({ workers: 1 });
  try {
    const seen = [];
    const stop = pool.onBatch((b) => seen.push(b));
    pool.onBatch(() => { throw new Error('a listener that fails'); });
    const issuer = c.generateKeyPair();
    const vc = c.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer });
    const before = Date.now();
    await pool.verifyBatch([vc, vc, vc]);
    assert.equal(seen.length, 1);
    const [b] = seen;
    assert.deepEqual([b.source, b.items, b.error], ['verifyBatch', 3, null]);
    assert.ok(Math.abs(b.startTime - before) < 1_000, `startTime is epoch ms: ${b.startTime} (${before})`);
    assert.ok(b.durationMs >= 0);
    stop();
    await pool.verifyBatch([vc]);
    assert.equal(seen.length, 1);
    assert.throws(() => pool.onBatch(/** @type {any} */ (null)), { code: 'MALFORMED_INPUT' });
  } finally {
    await pool.close();
  }
});
