// credcore/otel: a pool's metrics and one span per batch through OpenTelemetry. It uses
// `@opentelemetry/api` (an optional peer dependency: install it, and an SDK, to use this module;
// the rest of credcore never imports it). The figures are those of `pool.metrics()`, read when
// the SDK collects; Prometheus text (`pool.prometheus()`) stays as it is.

// @ts-check

import { metrics, trace, SpanKind, SpanStatusCode, ValueType } from '@opentelemetry/api';

const SCOPE = 'credcore';

/**
 * Points of `metrics().levels`: each cache's `l1` and `l2` hits or misses.
 * @param {any} m
 * @param {'hits' | 'misses'} field
 * @returns {Array<[number, Record<string, string>]>}
 */
function levelPoints(m, field) {
  /** @type {Array<[number, Record<string, string>]>} */
  const out = [];
  for (const [cache, l] of Object.entries(m.levels ?? {})) for (const [level, c] of Object.entries(l)) out.push([/** @type {any} */ (c)[field], { cache, level }]);
  return out;
}

/**
 * The instruments, each read from `pool.metrics()`: name, kind, unit, description, and how to
 * read its points (`[value, attributes]`).
 * @type {Array<[string, 'counter' | 'gauge' | 'updown', string, string, (m: any) => Array<[number, Record<string, string>]>]>}
 */
const INSTRUMENTS = [
  ['credcore.items', 'counter', '{item}', 'Items verified, by outcome.', (m) => Object.entries(m.items).map(([outcome, n]) => [n, { outcome }])],
  ['credcore.errors', 'counter', '{item}', 'Invalid items by error code (each code once per item).', (m) => Object.entries(m.errors).map(([code, n]) => [n, { code }])],
  ['credcore.batches', 'counter', '{batch}', 'Batches run, by entry point (verify counts micro-batches).', (m) => Object.entries(m.batches).map(([source, n]) => [n, { source }])],
  ['credcore.chunks', 'counter', '{chunk}', 'Chunks run on workers.', (m) => [[m.chunks, {}]]],
  ['credcore.retries', 'counter', '{run}', 'Chunk runs repeated after a trap or a dead worker.', (m) => [[m.retries, {}]]],
  ['credcore.chunk_splits', 'counter', '{chunk}', 'Chunks split in two to isolate failing items.', (m) => [[m.splits, {}]]],
  ['credcore.worker_traps', 'counter', '{run}', 'Chunk runs that trapped in a worker.', (m) => [[m.traps, {}]]],
  ['credcore.deduplicated', 'counter', '{call}', 'verify() calls answered by an identical input in flight.', (m) => [[m.deduplicated, {}]]],
  ['credcore.rejections', 'counter', '{call}', 'Calls rejected, by code.', (m) => Object.entries(m.rejections).map(([code, n]) => [n, { code }])],
  ['credcore.worker_restarts', 'counter', '{worker}', 'Workers replaced, by reason.', (m) => Object.entries(m.restarts).map(([reason, n]) => [n, { reason }])],
  ['credcore.status_list_resolutions', 'counter', '{lookup}', 'Status-list lookups through the resolver, by outcome.', (m) => Object.entries(m.statusLists).map(([outcome, n]) => [n, { outcome }])],
  ['credcore.item_latency.p50', 'gauge', 'ms', 'Median time from submission to result, per item.', (m) => [[m.latency.item.p50, {}]]],
  ['credcore.item_latency.p95', 'gauge', 'ms', '95th percentile time from submission to result, per item.', (m) => [[m.latency.item.p95, {}]]],
  ['credcore.item_latency.p99', 'gauge', 'ms', '99th percentile time from submission to result, per item.', (m) => [[m.latency.item.p99, {}]]],
  ['credcore.batch_latency.p50', 'gauge', 'ms', 'Median time from submission to the last result, per batch.', (m) => [[m.latency.batch.p50, {}]]],
  ['credcore.batch_latency.p95', 'gauge', 'ms', '95th percentile time per batch.', (m) => [[m.latency.batch.p95, {}]]],
  ['credcore.batch_latency.p99', 'gauge', 'ms', '99th percentile time per batch.', (m) => [[m.latency.batch.p99, {}]]],
  ['credcore.throughput', 'gauge', '{item}/s', 'Items completed per second over the recent window.', (m) => [[m.throughput.recent, {}]]],
  ['credcore.queue.depth', 'updown', '{item}', 'Items waiting for a worker.', (m) => [[m.queue.items, {}]]],
  ['credcore.queue.in_flight', 'updown', '{item}', 'Items running on workers.', (m) => [[m.queue.inFlight, {}]]],
  ['credcore.workers', 'updown', '{worker}', 'Workers, by state.', (m) => [[m.workers.busy, { state: 'busy' }], [m.workers.idle, { state: 'idle' }]]],
  ['credcore.cache.hits', 'gauge', '{lookup}', 'Cache hits summed over live workers, by cache.', (m) => Object.entries(m.caches).map(([cache, c]) => [c.hits, { cache }])],
  ['credcore.cache.misses', 'gauge', '{lookup}', 'Cache misses summed over live workers, by cache.', (m) => Object.entries(m.caches).map(([cache, c]) => [c.misses, { cache }])],
  ['credcore.cache.entries', 'gauge', '{entry}', 'Cache entries summed over live workers, by cache.', (m) => Object.entries(m.caches).map(([cache, c]) => [c.entries, { cache }])],
  ['credcore.cache.hit_ratio', 'gauge', '1', 'Cache hit ratio over workers, by cache.', (m) => Object.entries(m.caches).map(([cache, c]) => [c.hitRatio, { cache }])],
  ['credcore.cache_level.hits', 'counter', '{lookup}', 'Lookups of fetched entries answered, by cache and level (l1 memory, l2 the shared store).', (m) => levelPoints(m, 'hits')],
  ['credcore.cache_level.misses', 'counter', '{lookup}', 'Lookups of fetched entries not answered, by cache and level.', (m) => levelPoints(m, 'misses')],
  ['credcore.nonces', 'counter', '{nonce}', 'Single-use nonces, by outcome.', (m) => Object.entries(m.nonces ?? {}).map(([outcome, n]) => [n, { outcome }])],
  ['credcore.store.round_trips', 'counter', '{call}', 'Calls to the shared store (a batch is one).', (m) => (m.store ? [[m.store.roundTrips, { kind: m.store.kind }]] : [])],
  ['credcore.store.errors', 'counter', '{call}', 'Calls to the shared store that failed.', (m) => (m.store ? [[m.store.errors, { kind: m.store.kind }]] : [])],
  ['credcore.status_list_cache.entries', 'gauge', '{list}', 'Status lists held by the pool for its resolver.', (m) => [[m.statusListCache.entries, {}]]],
  ['credcore.uptime', 'gauge', 's', 'Seconds since the pool was created.', (m) => [[m.uptimeSeconds, {}]]],
];

/**
 * Reports a pool to OpenTelemetry: observable instruments read from `pool.metrics()` at each
 * collection, and a span per settled batch (`credcore.verifyBatch`, `credcore.verifySignatures`,
 * `credcore.verify` for a micro-batch), with its item count and, when it failed, its code. Uses
 * the global providers unless given others; they are no-ops until an SDK is registered.
 * Returns a function that stops reporting.
 * @example import { instrumentPool } from 'credcore/otel';
 *   const stop = instrumentPool(pool); // after the SDK is started (e.g. node --import ./otel.mjs)
 * @param {import('./index.js').Pool} pool
 * @param {{ meterProvider?: import('@opentelemetry/api').MeterProvider, tracerProvider?: import('@opentelemetry/api').TracerProvider, attributes?: Record<string, string> }} [options]
 * @returns {() => void}
 */
export function instrumentPool(pool, options = {}) {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const extra = options.attributes ?? {};
  const observables = INSTRUMENTS.map(([name, kind, unit, description, read]) => {
    const opts = { unit, description, valueType: ValueType.DOUBLE };
    const instrument = kind === 'counter' ? meter.createObservableCounter(name, opts)
      : kind === 'updown' ? meter.createObservableUpDownCounter(name, opts)
        : meter.createObservableGauge(name, opts);
    return { instrument, read };
  });
  /** @type {import('@opentelemetry/api').BatchObservableCallback} */
  const collect = (result) => {
    const m = pool.metrics();
    for (const { instrument, read } of observables) {
      for (const [value, attributes] of read(m)) {
        if (Number.isFinite(value)) result.observe(instrument, value, { ...extra, ...attributes });
      }
    }
  };
  const instruments = observables.map((o) => o.instrument);
  meter.addBatchObservableCallback(collect, instruments);
  const stopSpans = pool.onBatch((batch) => {
    const span = tracer.startSpan(`credcore.${batch.source}`, {
      kind: SpanKind.INTERNAL,
      startTime: batch.startTime,
      attributes: { ...extra, 'credcore.batch.source': batch.source, 'credcore.batch.items': batch.items },
    });
    if (batch.error !== null) {
      span.setAttribute('credcore.batch.error', batch.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: batch.error });
    }
    span.end(batch.startTime + batch.durationMs);
  });
  return () => {
    meter.removeBatchObservableCallback(collect, instruments);
    stopSpans();
  };
}
