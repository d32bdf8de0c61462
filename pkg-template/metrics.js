// credcore: pool metrics: counters, log-bucketed latency histograms (fixed memory), throughput,
// and the Prometheus text exposition format (version 0.0.4).

// @ts-check

// Buckets grow by 2^(1/16) (about 4.4%) from 1 µs to about 2.3 hours: 528 counters per histogram,
// whatever the number of samples; a quantile is exact to within one bucket.
const STEPS_PER_OCTAVE = 16;
const MIN_MS = 0.001;
const BUCKETS = 33 * STEPS_PER_OCTAVE;

/** A latency histogram over log-spaced buckets: memory is fixed, quantiles are within ~4.4%. */
export class LatencyHistogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  /** Records `weight` samples of `ms` milliseconds. */
  record(ms, weight = 1) {
    if (!(ms >= 0) || !(weight > 0)) return;
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log2(ms / MIN_MS) * STEPS_PER_OCTAVE));
    this.counts[i] += weight;
    this.count += weight;
    this.sum += ms * weight;
    if (ms > this.max) this.max = ms;
  }

  /** The `q` quantile (0..1) in milliseconds: the upper bound of its bucket, capped at the maximum seen. */
  quantile(q) {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, MIN_MS * 2 ** (i / STEPS_PER_OCTAVE));
    }
    return this.max;
  }

  /** `{ count, mean, p50, p95, p99, max }` in milliseconds. */
  summary() {
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : this.sum / this.count,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      max: this.max,
    };
  }
}

/** Items completed per second: since the start, and over the last `windowSeconds` (a ring of per-second counts). */
export class Throughput {
  constructor(windowSeconds = 10, now = Date.now()) {
    this.started = now;
    this.total = 0;
    this.ring = new Float64Array(windowSeconds);
    this.second = Math.floor(now / 1000);
  }

  #advance(now) {
    const second = Math.floor(now / 1000);
    const steps = Math.min(this.ring.length, second - this.second);
    for (let k = 1; k <= steps; k++) this.ring[(this.second + k) % this.ring.length] = 0;
    if (second > this.second) this.second = second;
  }

  /** Adds `n` completed items. */
  add(n, now = Date.now()) {
    this.#advance(now);
    this.ring[this.second % this.ring.length] += n;
    this.total += n;
  }

  /** `{ total, sinceStart, recent }` in items per second. */
  rates(now = Date.now()) {
    this.#advance(now);
    const elapsed = Math.max(1e-3, (now - this.started) / 1000);
    // The current second is partial: count the full seconds of the window plus the elapsed part of this one.
    const windowSeconds = Math.min(elapsed, this.ring.length - 1 + (now % 1000) / 1000);
    let recent = 0;
    for (const n of this.ring) recent += n;
    return { total: this.total, sinceStart: this.total / elapsed, recent: recent / Math.max(1e-3, windowSeconds) };
  }
}

function addTo(map, key, n = 1) {
  map[key] = (map[key] ?? 0) + n;
}

/** The counters and histograms of one pool. */
export class PoolMetrics {
  constructor() {
    this.items = { valid: 0, invalid: 0 };
    this.errors = {};
    this.rejections = {};
    this.restarts = {};
    this.batches = { verifyBatch: 0, verify: 0, verifySignatures: 0 };
    this.chunks = 0;
    /** Chunk runs repeated after a failed run: one per whole retry, two per split. */
    this.retries = 0;
    /** Chunks split in two after failing twice (pool/containment.js). */
    this.splits = 0;
    /** Runs that trapped in a worker (which reset its instance in place). */
    this.traps = 0;
    /** Worker instances replaced after a run took them past `maxInstanceMemory`. */
    this.recycles = 0;
    this.deduplicated = 0;
    this.statusLists = { fetched: 0, cached: 0, failed: 0 };
    this.itemLatency = new LatencyHistogram();
    this.batchLatency = new LatencyHistogram();
    this.throughput = new Throughput();
    /** Called with each settled batch (`pool.onBatch`). @type {Set<(batch: import('./index.js').PoolBatchEvent) => void>} */
    this.batchListeners = new Set();
  }

  /**
   * A batch settled: tells the listeners (errors in a listener never reach the pool).
   * @param {import('./index.js').PoolBatchEvent} batch
   */
  batchSettled(batch) {
    for (const listener of this.batchListeners) {
      try {
        listener(batch);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  /** Counts verification results by outcome and by code (each code once per item). */
  countResults(results) {
    for (const r of results) {
      if (r === null || typeof r !== 'object') continue;
      this.items[r.valid ? 'valid' : 'invalid']++;
      const errors = Array.isArray(r.errors) ? r.errors : [];
      if (errors.length === 1) addTo(this.errors, errors[0]?.code);
      else if (errors.length > 1) for (const code of new Set(errors.map((e) => e?.code))) addTo(this.errors, code);
    }
  }

  /** Counts raw signature results by outcome. */
  countFlags(flags) {
    for (const ok of flags) this.items[ok ? 'valid' : 'invalid']++;
  }

  rejected(code) {
    addTo(this.rejections, code);
  }

  restarted(reason) {
    addTo(this.restarts, reason);
  }
}

/** Sums the per-worker cache statistics (`Verifier.statsJson()`) into hit ratios. */
export function aggregateCaches(snapshots) {
  const out = {};
  for (const stats of snapshots) {
    if (stats === null || typeof stats !== 'object') continue;
    for (const [name, s] of Object.entries(stats)) {
      if (s === null || typeof s !== 'object') continue;
      const acc = (out[name] ??= { hits: 0, misses: 0, entries: 0, evictions: 0, expirations: 0, hitRatio: 0 });
      acc.hits += s.hits ?? 0;
      acc.misses += s.misses ?? 0;
      acc.entries += s.entries ?? 0;
      acc.evictions += s.evictions ?? 0;
      acc.expirations += s.expirations ?? 0;
    }
  }
  for (const acc of Object.values(out)) acc.hitRatio = acc.hits + acc.misses === 0 ? 0 : acc.hits / (acc.hits + acc.misses);
  return out;
}

const escapeLabel = (v) => String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const num = (v) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

/** Renders a `metrics()` snapshot in the Prometheus text exposition format. */
export function toPrometheus(m) {
  const lines = [];
  const family = (name, type, help, samples) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value, suffix = ''] of samples) {
      const text = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      lines.push(`${name}${suffix}${text ? `{${text}}` : ''} ${num(value)}`);
    }
  };
  const summary = (name, help, s) => {
    family(name, 'summary', help, [
      [{ quantile: '0.5' }, s.p50 / 1000],
      [{ quantile: '0.95' }, s.p95 / 1000],
      [{ quantile: '0.99' }, s.p99 / 1000],
      [{}, (s.mean * s.count) / 1000, '_sum'],
      [{}, s.count, '_count'],
    ]);
  };
  family('credcore_items_total', 'counter', 'Items verified, by outcome.', Object.entries(m.items).map(([outcome, n]) => [{ outcome }, n]));
  family('credcore_errors_total', 'counter', 'Invalid items by error code (each code once per item).', Object.entries(m.errors).map(([code, n]) => [{ code }, n]));
  family('credcore_batches_total', 'counter', 'Batches run, by entry point (verify counts micro-batches).', Object.entries(m.batches).map(([source, n]) => [{ source }, n]));
  family('credcore_chunks_total', 'counter', 'Chunks run on workers.', [[{}, m.chunks]]);
  family('credcore_retries_total', 'counter', 'Chunk runs repeated after a trap or a dead worker (a split counts two).', [[{}, m.retries]]);
  family('credcore_deduplicated_total', 'counter', 'verify() calls answered by an identical input already in flight.', [[{}, m.deduplicated]]);
  family('credcore_rejections_total', 'counter', 'Calls rejected, by code.', Object.entries(m.rejections).map(([code, n]) => [{ code }, n]));
  family('credcore_worker_restarts_total', 'counter', 'Workers replaced, by reason.', Object.entries(m.restarts).map(([reason, n]) => [{ reason }, n]));
  family('credcore_status_list_resolutions_total', 'counter', 'Status-list lookups through the resolver, by outcome.', Object.entries(m.statusLists).map(([outcome, n]) => [{ outcome }, n]));
  summary('credcore_item_latency_seconds', 'Time from submission to result, per item.', m.latency.item);
  summary('credcore_batch_latency_seconds', 'Time from submission to the last result, per batch.', m.latency.batch);
  family('credcore_throughput_items_per_second', 'gauge', 'Items completed per second over the recent window.', [[{}, m.throughput.recent]]);
  family('credcore_queue_depth', 'gauge', 'Items waiting for a worker.', [[{}, m.queue.items]]);
  family('credcore_in_flight_items', 'gauge', 'Items running on workers.', [[{}, m.queue.inFlight]]);
  family('credcore_workers', 'gauge', 'Workers, by state.', [[{ state: 'busy' }, m.workers.busy], [{ state: 'idle' }, m.workers.idle]]);
  // Gauges, not counters: they sum the live workers, and a replaced worker starts from zero.
  family('credcore_cache_hits', 'gauge', 'Cache hits summed over live workers, by cache.', Object.entries(m.caches).map(([cache, s]) => [{ cache }, s.hits]));
  family('credcore_cache_misses', 'gauge', 'Cache misses summed over live workers, by cache.', Object.entries(m.caches).map(([cache, s]) => [{ cache }, s.misses]));
  family('credcore_cache_entries', 'gauge', 'Cache entries summed over live workers, by cache.', Object.entries(m.caches).map(([cache, s]) => [{ cache }, s.entries]));
  family('credcore_cache_hit_ratio', 'gauge', 'Cache hit ratio over workers, by cache.', Object.entries(m.caches).map(([cache, s]) => [{ cache }, s.hitRatio]));
  family('credcore_uptime_seconds', 'gauge', 'Seconds since the pool was created.', [[{}, m.uptimeSeconds]]);
  family('credcore_chunk_splits_total', 'counter', 'Chunks split in two after failing twice, to isolate the items that make workers fail.', [[{}, m.splits]]);
  family('credcore_worker_traps_total', 'counter', 'Chunk runs that trapped in a worker (the worker reset its instance).', [[{}, m.traps]]);
  if (m.memory !== undefined) {
    family('credcore_instance_recycles_total', 'counter', 'Worker wasm instances replaced after a run took their linear memory past maxInstanceMemory.', [[{}, m.memory.recycles]]);
    family('credcore_instance_memory_bytes', 'gauge', 'Linear memory of the wasm instances, by where they run (main: this thread, workers: summed over live workers, max: the largest worker).', [[{ instance: 'main' }, m.memory.main], [{ instance: 'workers' }, m.memory.workers.reduce((a, b) => a + b, 0)], [{ instance: 'max' }, m.memory.workers.reduce((a, b) => (b > a ? b : a), 0)]]);
  }
  family('credcore_status_list_cache_entries', 'gauge', 'Status lists held by the pool for its resolver.', [[{}, m.statusListCache.entries]]);
  family('credcore_status_list_cache_evictions_total', 'counter', 'Status lists dropped from the pool cache to make room.', [[{}, m.statusListCache.evictions]]);
  if (m.levels !== undefined) {
    const levels = Object.entries(m.levels).flatMap(([cache, l]) => Object.entries(l).map(([level, c]) => [cache, level, c]));
    family('credcore_cache_level_hits_total', 'counter', 'Lookups of fetched entries answered, by cache and level (l1 memory, l2 the shared store).', levels.map(([cache, level, c]) => [{ cache, level }, c.hits]));
    family('credcore_cache_level_misses_total', 'counter', 'Lookups of fetched entries not answered, by cache and level (l1 memory, l2 the shared store).', levels.map(([cache, level, c]) => [{ cache, level }, c.misses]));
    family('credcore_cache_level_store_errors_total', 'counter', 'Shared-store calls of a cache that failed (memory served instead), by cache.', Object.entries(m.levels).map(([cache, l]) => [{ cache }, l.l2.errors]));
  }
  if (m.nonces !== undefined) {
    family('credcore_nonces_total', 'counter', 'Single-use nonces, by outcome (issued, consumed, replayed, unknown, missing, unavailable).', Object.entries(m.nonces).map(([outcome, n]) => [{ outcome }, n]));
  }
  if (m.store !== undefined && m.store !== null) {
    family('credcore_store_ready', 'gauge', 'Whether the shared store answers now (1) or not (0).', [[{ kind: m.store.kind }, m.store.ready ? 1 : 0]]);
    family('credcore_store_round_trips_total', 'counter', 'Calls to the shared store (a batch is one).', [[{ kind: m.store.kind }, m.store.roundTrips]]);
    family('credcore_store_errors_total', 'counter', 'Calls to the shared store that failed (unavailable or timed out).', [[{ kind: m.store.kind }, m.store.errors]]);
  }
  return `${lines.join('\n')}\n`;
}
