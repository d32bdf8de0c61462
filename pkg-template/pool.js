// credcore: a pool of workers (module Web Workers in browsers, worker_threads in Node) that
// verifies large batches in parallel, micro-batches single calls for services, and keeps metrics.
//
// The main thread compiles the module once and posts it to each worker; the pool moves bytes and
// options and never parses credentials (the workers name the status lists they miss). This file
// is the public face, `createPool` and `Pool`, and wires the parts in pool/:
//   workers.js       starting, watching and replacing the workers
//   scheduler.js     the shared chunk queue, dispatch, replies, timeouts, abort
//   containment.js   what follows a chunk whose run trapped or killed its worker
//   operations.js    the operations a worker runs, and how their answers are read
//   micro-batch.js   `pool.verify`: coalescing calls, verifying identical inputs once
//   status-lists.js  lists fetched through `statusListResolver` (bounded, single flight), in
//                    memory and in the shared store
//   data-integrity.js  what proofs over RDF lack in a worker: the Data Integrity module (browsers)
//                    and contexts through the pool's `documentLoader`, handed to every worker
//   budgets.js       `pool.verify`: a JSON-LD limit budget per caller in a micro-batch
// and, beside it, nonces.js (single-use nonces, `consumeNonce`) on store.js (memory or Redis).

// @ts-check

import { CredcoreError, messageOf } from './errors.js';
import { pack, packStrings, toBytes } from './wire.js';
import { instanceMemory, instanceMemoryBound, wasmModule } from './state.js';
import { coreOptions, inputText } from './credentials.js';
import { PoolMetrics, aggregateCaches, toPrometheus } from './metrics.js';
import { CACHE_DEFAULTS } from './shared.js';
import { Workers } from './pool/workers.js';
import { Scheduler } from './pool/scheduler.js';
import { MicroBatcher } from './pool/micro-batch.js';
import { StatusListCache, withLists } from './pool/status-lists.js';
import { KeyFetcher, keyOptions } from './keys.js';
import { NonceBook, splitConsume } from './nonces.js';
import { storeOf } from './store.js';
import { PoolDataIntegrity, refuseCallLoader } from './pool/data-integrity.js';
import { documentLoaderOption } from './data-integrity-round.js';
import { callerBudgets } from './pool/budgets.js';

/** Where the pool's internals live, for tests and diagnostics only (not a stable API). */
const INTERNALS = Symbol.for('credcore.pool.internals');

const DEFAULTS = {
  maxQueue: 1_000_000,
  taskTimeoutMs: 30_000,
  chunkSize: 512,
  maxBatchWaitMs: 2,
  maxBatchSize: 256,
};

function fail(code, message) {
  return new CredcoreError(code, message);
}

function positiveInt(value, name, fallback, allowZero = false) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer`, name);
  }
  return value;
}

/**
 * What `createPool` hands the Pool.
 * @typedef {object} PoolConfig
 * @property {number} workers
 * @property {string} options each worker's Verifier options JSON
 * @property {string} cacheJson each worker's Verifier cache JSON ('' for the defaults)
 * @property {string} verifierJson
 * @property {((uri: string) => any) | undefined} statusListResolver
 * @property {number} listTtlMs
 * @property {number} listCapacity
 * @property {URL | string | undefined} workerUrl the caller's worker script, if any
 * @property {import('./pool/workers.js').WorkerRuntime} runtime
 * @property {number} maxQueue
 * @property {number} taskTimeoutMs
 * @property {number} chunkSize
 * @property {number} maxBatchWaitMs
 * @property {number} maxBatchSize
 * @property {number} maxInstanceMemory linear memory past which a worker recycles its instance (0: never)
 * @property {import('./store.js').Store | undefined} store the shared store, if any
 * @property {boolean} consumeNonce the default of `consumeNonce`
 * @property {KeyFetcher} keys key documents through the caller's `fetch` and `didResolver`
 * @property {((url: string) => Promise<object | string>) | undefined} documentLoader JSON-LD contexts beyond the bundled ones
 * @property {number} loadTimeoutMs the longest one documentLoader call may take (`fetchTimeoutMs`)
 */

/**
 * A pool of workers. Create it with `await createPool(options)`.
 * @example const pool = await createPool({ workers: 4, verifier: { trustedIssuers: [issuer.did] } });
 *   const results = await pool.verifyBatch(inputs, { onProgress: ({ done, total }) => {} });
 *   await pool.close();
 */
export class Pool {
  #target;
  #resolver;
  #workers;
  #scheduler;
  #micro;
  #lists;
  /** @type {KeyFetcher} */
  #keys;
  #store;
  #nonces;
  #consume;
  #metrics = new PoolMetrics();
  /** @type {PoolDataIntegrity} */
  #di;
  #started = Date.now();
  /** Calls between their admission and their chunks' queueing, and status-list lookups: close() waits for them. */
  #preparing = 0;
  /** 'open', 'closing' (close() called: draining), 'closed'. */
  #state = 'open';
  /** @type {{ promise: Promise<void>, resolve: () => void } | null} */
  #closing = null;

  /**
   * Use `createPool`.
   * @param {PoolConfig} config
   */
  constructor(config) {
    this.#target = config.workers;
    this.#resolver = config.statusListResolver;
    this.maxQueue = config.maxQueue;
    this.taskTimeoutMs = config.taskTimeoutMs;
    this.chunkSize = config.chunkSize;
    this.maxInstanceMemory = config.maxInstanceMemory;
    this.maxBatchWaitMs = config.maxBatchWaitMs;
    this.maxBatchSize = config.maxBatchSize;
    this.verifierJson = config.verifierJson;
    const isClosed = () => this.#state === 'closed';
    this.#store = config.store;
    this.#nonces = new NonceBook(config.store);
    this.#consume = config.consumeNonce;
    this.#keys = config.keys;
    this.#di = new PoolDataIntegrity({
      loader: config.documentLoader,
      timeoutMs: config.loadTimeoutMs,
      post: (dataIntegrity) => this.#workers.postAll({ type: 'credcore:data-integrity', dataIntegrity }),
    });
    this.#lists = new StatusListCache({ resolver: config.statusListResolver, ttlMs: config.listTtlMs, capacity: config.listCapacity, counts: this.#metrics.statusLists, store: config.store });
    this.#workers = new Workers({
      runtime: config.runtime,
      url: config.workerUrl,
      init: { options: config.options, cache: config.cacheJson, maxInstanceMemory: config.maxInstanceMemory, dataIntegrity: () => this.#di.forNewWorker() },
      metrics: this.#metrics,
      isClosed,
      events: {
        ready: () => this.#scheduler.pump(),
        reply: (slot, data) => this.#scheduler.onReply(slot, data),
        lost: (slot, chunk, message) => this.#scheduler.lost(slot, chunk, message),
        hopeless: (message) => this.#scheduler.failQueue(message),
      },
    });
    this.#scheduler = new Scheduler({
      workers: this.#workers,
      metrics: this.#metrics,
      settings: this,
      isClosed,
      onIdle: () => {
        if (this.#state === 'closing') this.#maybeClosed();
      },
      onNeed: (chunk, need, keyNeed) => void this.#supplyLists(chunk, need, keyNeed),
      onDataIntegrity: (chunk, data, complete) => void this.#supplyDataIntegrity(chunk, data, complete),
    });
    this.#micro = new MicroBatcher({
      settings: this,
      // Each call of its own budget of JSON-LD limit hits (pool/budgets.js).
      run: (texts, json, starts, caller, followers) => callerBudgets(texts, caller, followers, (some, at) => this.#runCredentials(some, json, { itemStarts: at.map((i) => starts[i]), source: 'verify', caller })),
      admit: (n) => this.#admit(n, undefined),
      metrics: this.#metrics,
    });
    Object.defineProperty(this, INTERNALS, {
      value: Object.freeze({
        /**
         * The live workers: `{ worker, ready, busy, attempt, start, count, depth }`, with the
         * running chunk's failed runs so far, first item, size and how often it was split
         * (terminating a worker simulates a crash).
         */
        workers: () => this.#workers.slots.map((s) => ({
          worker: s.worker, ready: s.ready, busy: s.task !== null, attempt: s.task?.attempts ?? 0,
          start: s.task?.start ?? 0, count: s.task?.count ?? 0, depth: s.task?.depth ?? 0,
        })),
      }),
    });
  }

  /** Starts the workers; resolves when every one is ready. */
  async start() {
    const ready = [];
    for (let i = 0; i < this.#target; i++) ready.push(this.#workers.spawn());
    try {
      await Promise.all(ready);
    } catch (err) {
      this.destroy();
      throw err;
    }
    return this;
  }

  /**
   * Verifies many credentials and presentations (format detected per item) on the workers;
   * results in input order. `onProgress({ done, total })` after each chunk; `signal` aborts.
   * @example const results = await pool.verifyBatch(inputs, { onProgress: ({ done, total }) => bar.update(done / total) });
   * @param {readonly import('./index.js').VerifiableInput[]} inputs
   * @param {import('./index.js').PoolBatchOptions} [options]
   * @returns {Promise<import('./index.js').VerificationResult[]>}
   */
  async verifyBatch(inputs, options = {}) {
    if (!Array.isArray(inputs)) throw new CredcoreError('MALFORMED_INPUT', 'inputs must be an array', 'inputs');
    const { onProgress, signal, caller, ...others } = options ?? {};
    refuseCallLoader(others);
    const { consume, rest } = splitConsume({ ...others, consumeNonce: others.consumeNonce ?? this.#consume });
    const texts = inputs.map((x, i) => inputText(x, `[${i}]`));
    const { json } = coreOptions(rest);
    const who = callerOf(caller);
    this.#admit(texts.length, signal);
    const results = await this.#runCredentials(texts, json, { onProgress, signal, source: 'verifyBatch', caller: who });
    // Single-use nonces: after the verdicts (nonces.js).
    return consume ? this.#nonces.consume(texts, results) : results;
  }

  /**
   * Verifies one input; calls arriving within `maxBatchWaitMs` (up to `maxBatchSize`) run as one
   * batch (per `caller`), and an input identical to one in flight is verified once.
   * @example app.post('/verify', async (req) => pool.verify(req.body.input, { caller: req.headers['x-api-client'] }));
   * @param {import('./index.js').VerifiableInput} input
   * @param {import('./index.js').VerifyOptions & import('./index.js').NonceOptions & import('./index.js').PoolCallerOptions} [options]
   * @returns {Promise<import('./index.js').VerificationResult>}
   */
  verify(input, options) {
    try {
      const text = inputText(input, 'input');
      const { caller, ...others } = options ?? {};
      refuseCallLoader(others);
      const { consume, rest } = splitConsume({ ...others, consumeNonce: others.consumeNonce ?? this.#consume });
      const { json } = coreOptions(rest);
      const verdict = this.#micro.submit(text, json, callerOf(caller));
      // Each call consumes for itself, also when an identical input in flight was verified once
      // for several calls: of two such calls with one nonce, one gets NONCE_REPLAYED.
      if (!consume) return verdict;
      return verdict.then(async (result) => (await this.#nonces.consume([text], [result]))[0]);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A fresh single-use nonce for a presentation (see `Verifier.issueNonce`): verify with
   * `consumeNonce: true`. Single use across every process sharing the pool's `store`.
   * @example const nonce = await pool.issueNonce({ ttlSeconds: 120 });
   * @param {{ ttlSeconds?: number }} [options]
   * @returns {Promise<string>}
   */
  issueNonce(options) {
    return this.#nonces.issue(options);
  }

  /**
   * Verifies raw Ed25519 signatures on the workers; `result[i]` is what `verify` says of `items[i]`.
   * @example const ok = await pool.verifySignatures([{ message, signature, publicKey }]);
   * @param {readonly import('./index.js').SignatureItem[]} items
   * @param {import('./index.js').PoolBatchOptions} [options] only `onProgress` and `signal`
   * @returns {Promise<boolean[]>}
   */
  async verifySignatures(items, { onProgress, signal, caller } = {}) {
    if (!Array.isArray(items)) throw new CredcoreError('MALFORMED_INPUT', 'items must be an array', 'items');
    const who = callerOf(caller);
    const fields = new Array(items.length * 3);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === null || typeof item !== 'object') throw new CredcoreError('MALFORMED_INPUT', `items[${i}] must be an object`, `[${i}]`);
      fields[3 * i] = toBytes(item.message, `[${i}].message`, true);
      fields[3 * i + 1] = toBytes(item.signature, `[${i}].signature`, false);
      fields[3 * i + 2] = toBytes(item.publicKey, `[${i}].publicKey`, false);
    }
    this.#admit(items.length, signal);
    const size = this.#chunkSizeFor(items.length);
    const chunks = [];
    for (let start = 0; start < items.length; start += size) {
      const slice = fields.slice(3 * start, 3 * (start + size));
      chunks.push({ start, count: slice.length / 3, items: slice, buffer: pack(slice), pack: () => pack(slice), args: null });
    }
    return this.#scheduler.enqueue('verifySignatures', items.length, chunks, { onProgress, signal, source: 'verifySignatures', caller: who });
  }

  /** A JSON-ready snapshot of the pool's counters, latencies (ms), throughput, queue, workers and caches. */
  metrics() {
    const m = this.#metrics;
    const slots = this.#workers.slots;
    const busy = slots.filter((s) => s.task !== null).length;
    const throughput = m.throughput.rates();
    return {
      uptimeSeconds: (Date.now() - this.#started) / 1000,
      items: { ...m.items },
      errors: { ...m.errors },
      batches: { ...m.batches },
      chunks: m.chunks,
      retries: m.retries,
      splits: m.splits,
      traps: m.traps,
      deduplicated: m.deduplicated,
      rejections: { ...m.rejections },
      restarts: { ...m.restarts },
      statusLists: { ...m.statusLists },
      statusListCache: this.#lists.stats(),
      keyDocuments: this.#keys.stats(),
      levels: { statusLists: this.#lists.levels() },
      nonces: this.#nonces.stats(),
      store: this.#store?.stats() ?? null,
      latency: { item: m.itemLatency.summary(), batch: m.batchLatency.summary() },
      throughput: { total: throughput.total, itemsPerSecond: throughput.sinceStart, recent: throughput.recent },
      queue: { items: this.#scheduler.queuedItems, waiting: this.#micro.waiting, inFlight: this.#scheduler.inFlightItems, maxQueue: this.maxQueue },
      workers: { target: this.#target, live: slots.length, busy, idle: slots.length - busy },
      caches: aggregateCaches(slots.map((s) => s.stats)),
      memory: { main: instanceMemory().bytes, workers: slots.map((s) => s.memory), maxInstanceMemory: this.maxInstanceMemory, recycles: m.recycles },
    };
  }

  /**
   * Calls `listener({ source, items, startTime, durationMs, error })` after each batch settles
   * (`verifyBatch`, `verifySignatures`, and each micro-batch of `verify`); returns a function
   * that stops it. What credcore/otel makes spans of.
   * @example const stop = pool.onBatch(({ source, items, durationMs }) => log.debug({ source, items, durationMs }));
   * @param {(batch: import('./index.js').PoolBatchEvent) => void} listener
   * @returns {() => void}
   */
  onBatch(listener) {
    if (typeof listener !== 'function') throw new CredcoreError('MALFORMED_INPUT', 'onBatch takes a function', 'listener');
    const listeners = this.#metrics.batchListeners;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** The metrics in the Prometheus text exposition format (names `credcore_*`). */
  prometheus() {
    return toPrometheus(this.metrics());
  }

  /**
   * Stops taking work, finishes what was submitted, then stops the workers.
   * @example process.on('SIGTERM', () => pool.close().then(() => process.exit(0)));
   */
  close() {
    if (this.#state === 'closed') return Promise.resolve();
    if (this.#closing === null) {
      /** @type {() => void} */
      let resolve = () => {};
      const promise = new Promise((r) => { resolve = () => r(undefined); });
      this.#closing = { promise, resolve };
      this.#state = 'closing';
      this.#micro.flushAll();
      this.#maybeClosed();
    }
    return this.#closing.promise;
  }

  /** Stops the workers now; everything pending rejects with `CLOSED`. */
  destroy() {
    const wasClosing = this.#closing;
    this.#state = 'closed';
    const closed = () => fail('CLOSED', 'the pool was destroyed');
    this.#micro.destroy(closed);
    this.#scheduler.destroy(closed);
    this.#shutdown();
    wasClosing?.resolve();
  }

  #maybeClosed() {
    if (this.#state !== 'closing' || this.#scheduler.batchCount > 0 || this.#micro.groupCount > 0 || this.#preparing > 0) return;
    this.#shutdown();
    this.#closing?.resolve();
  }

  #shutdown() {
    this.#state = 'closed';
    this.#workers.terminateAll();
  }

  /** Reserves queue room for `n` items or throws QUEUE_FULL / CLOSED / ABORTED. */
  #admit(n, signal) {
    const waiting = this.#scheduler.queuedItems + this.#micro.waiting;
    let err = null;
    if (this.#state !== 'open') err = fail('CLOSED', 'the pool is closed');
    else if (signal?.aborted) err = fail('ABORTED', 'the operation was aborted');
    else if (waiting + n > this.maxQueue) {
      err = fail('QUEUE_FULL', `the queue holds ${waiting} items; ${n} more would exceed maxQueue ${this.maxQueue}`);
    }
    if (err !== null) {
      this.#metrics.rejected(err.code);
      throw err;
    }
  }

  #chunkSizeFor(n) {
    return Math.max(1, Math.min(this.chunkSize, Math.ceil(n / Math.max(1, this.#target))));
  }

  async #runCredentials(texts, callJson, options) {
    this.#preparing++;
    try {
      return await this.#prepareCredentials(texts, callJson, options);
    } finally {
      this.#preparing--;
      if (this.#state === 'closing') this.#maybeClosed();
    }
  }

  async #prepareCredentials(texts, callJson, { onProgress, signal, itemStarts, source, caller }) {
    const n = texts.length;
    const size = this.#chunkSizeFor(n);
    const chunks = [];
    for (let start = 0; start < n; start += size) {
      const slice = texts.slice(start, start + size);
      chunks.push({ start, count: slice.length, items: slice, buffer: packStrings(slice), pack: () => packStrings(slice), args: { options: callJson } });
    }
    // With a resolver, a worker names the lists a chunk needed that it did not hold
    // (#supplyLists): this thread never parses credentials.
    if (this.#resolver) for (const c of chunks) c.args.scan = true;
    // With `fetch` or a `didResolver`, a worker names the key documents a chunk waits for (keys.js).
    if (this.#keys.enabled) for (const c of chunks) c.args.keys = true;
    if (signal?.aborted) {
      this.#metrics.rejected('ABORTED');
      throw fail('ABORTED', 'the operation was aborted');
    }
    // The Data Integrity module this thread loaded since the workers started (pool/data-integrity.js).
    this.#di.shareLoaded();
    return this.#scheduler.enqueue('verifyBatch', n, chunks, { onProgress, signal, itemStarts, source, caller });
  }

  /**
   * A worker's run of `chunk` lacked what proofs over RDF need (pool/data-integrity.js): obtain it
   * and run again only the items that lacked it (NOT_INITIALIZED, JSONLD_CONTEXT_UNAVAILABLE), as
   * a batch of the same caller whose chunks carry this call's count of loads; or keep the run's
   * results (`complete()`) when nothing more can be had.
   * @param {import('./pool/scheduler.js').Chunk & { diCall?: { asked?: Set<string> } }} chunk
   * @param {{ value: string, diNeed: import('./pool/data-integrity.js').DataIntegrityNeed }} data
   * @param {(values?: unknown[]) => void} complete
   */
  async #supplyDataIntegrity(chunk, data, complete) {
    this.#preparing++;
    try {
      const rounds = chunk.args.diRounds ?? 0;
      const call = chunk.diCall ?? /** @type {{ asked?: Set<string> }} */ (chunk.batch);
      const again = await this.#di.supply(data.diNeed, call, rounds);
      if (chunk.batch.settled) return;
      /** @type {any[]} */
      const values = again ? JSON.parse(data.value) : [];
      const redo = values.flatMap((r, i) => (r?.errors?.some((/** @type {{ code: string }} */ e) => DI_LACKS.has(e.code)) ? [i] : []));
      if (redo.length === 0) {
        complete();
        return;
      }
      const texts = redo.map((i) => chunk.items[i]);
      const sub = { start: 0, count: texts.length, items: texts, buffer: packStrings(texts), pack: () => packStrings(texts), args: { ...chunk.args, diRounds: rounds + 1 }, diCall: call };
      const rerun = await this.#scheduler.enqueue('verifyBatch', texts.length, [sub], { signal: chunk.batch.signal, source: chunk.batch.source, caller: chunk.batch.caller });
      redo.forEach((i, k) => {
        values[i] = rerun[k];
      });
      complete(values);
    } catch {
      if (!chunk.batch.settled) complete();
    } finally {
      this.#preparing--;
      this.#scheduler.pump();
    }
  }

  /**
   * A worker named the status lists a chunk needs that it does not hold: get them (status-lists.js),
   * pass them in the chunk's options, and queue the chunk again, first, as final: it is verified
   * with whatever could be had, and its worker does not ask again.
   * @param {import('./pool/scheduler.js').Chunk} chunk
   * @param {unknown[]} need
   */
  async #supplyLists(chunk, need, keyNeed = []) {
    this.#preparing++;
    try {
      if (keyNeed.length > 0) {
        // Key documents travel with the chunk, whichever worker runs it next; at most KEY_ROUNDS.
        const docs = await this.#keys.resolve(/** @type {any[]} */ (keyNeed));
        const before = typeof chunk.args.keyDocuments === 'string' ? JSON.parse(chunk.args.keyDocuments) : [];
        chunk.args = { ...chunk.args, keyDocuments: JSON.stringify([...before, ...docs]), keyClock: JSON.parse(chunk.args.options || '{}').now ?? Date.now(), keyRounds: (chunk.args.keyRounds ?? 0) + 1 };
        if (need.length === 0) {
          if (chunk.batch.settled) return;
          this.#scheduler.requeueFirst(chunk);
          return;
        }
      }
      // A list that could not be had is asked for once per batch, however many chunks need it.
      const batch = chunk.batch;
      const unavailable = (batch.unavailable ??= new Set());
      const lists = await this.#lists.resolve(/** @type {string[]} */ (need.filter((u) => typeof u === 'string' && !unavailable.has(u))));
      for (const uri of need) if (!lists.has(/** @type {string} */ (uri))) unavailable.add(/** @type {string} */ (uri));
      if (batch.settled) return;
      chunk.args = { ...chunk.args, options: withLists(chunk.args.options, lists), final: true };
      this.#scheduler.requeueFirst(chunk);
    } catch (err) {
      this.#scheduler.settle(chunk.batch, err instanceof CredcoreError ? err : fail('INTERNAL_ERROR', messageOf(err)));
    } finally {
      this.#preparing--;
      this.#scheduler.pump();
    }
  }
}

/** The codes of an item that lacked the Data Integrity module or a context (run again once supplied). */
const DI_LACKS = new Set(['NOT_INITIALIZED', 'JSONLD_CONTEXT_UNAVAILABLE']);

/** Longest `caller` name accepted. */
const MAX_CALLER_LENGTH = 256;

/**
 * The fair-queueing key of a call's `caller` option ('' when it names none).
 * @param {unknown} caller
 * @returns {string}
 */
function callerOf(caller) {
  if (caller === undefined || caller === null) return '';
  if (typeof caller !== 'string' || caller.length > MAX_CALLER_LENGTH) {
    throw new CredcoreError('MALFORMED_INPUT', `caller must be a string of at most ${MAX_CALLER_LENGTH} characters`, 'caller');
  }
  return caller;
}

/**
 * Starts a pool of workers and resolves when they are ready.
 * Options: `workers` (default: the core count), `verifier` (options and `cache` of each worker's
 * Verifier), `maxQueue` (items waiting, default 1,000,000), `taskTimeoutMs` (per chunk, default
 * 30,000; 0 for none), `chunkSize` (default 512), `maxBatchWaitMs` (default 2), `maxBatchSize`
 * (default 256), `maxInstanceMemory` (bytes of a worker's wasm linear memory past which it
 * replaces its instance after a chunk, default 64 MiB, 0 for never), `statusListResolver` (`(uri) => list or a promise of one`, also accepted as
 * `verifier.statusListResolver`; see pool/status-lists.js for how its lists are held: for
 * `verifier.cache.ttlSeconds`, at most `verifier.cache.statusLists` of them, the core's cache
 * defaults), `workerUrl` (where worker.js is served, for bundlers), `store` (the shared store,
 * e.g. Redis from credcore/redis: the second level of the resolved lists, and single-use nonces
 * across processes; also accepted as `verifier.store`).
 * @example const pool = await createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
 * The entry points pass their runtime (pool/runtime.node.js, pool/runtime.browser.js).
 * @param {import('./index.js').PoolOptions | undefined} options
 * @param {import('./pool/workers.js').WorkerRuntime} runtime
 * @returns {Promise<Pool>}
 */
export async function createPool(options, runtime) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') throw new CredcoreError('MALFORMED_INPUT', 'options must be an object', 'options');
  if (wasmModule() === null) throw new CredcoreError('NOT_INITIALIZED', 'credcore is not initialized: call `await init()` first');
  const { consume, rest: verifier } = splitConsume(options.verifier ?? {});
  const core = coreOptions(verifier);
  const store = options.store ?? core.store;
  const resolver = options.statusListResolver ?? core.statusListResolver;
  if (resolver !== undefined && typeof resolver !== 'function') {
    throw new CredcoreError('MALFORMED_INPUT', 'statusListResolver must be an async function (uri) => list', 'statusListResolver');
  }
  const maxBatchWaitMs = options.maxBatchWaitMs ?? DEFAULTS.maxBatchWaitMs;
  if (typeof maxBatchWaitMs !== 'number' || !(maxBatchWaitMs >= 0)) {
    throw new CredcoreError('MALFORMED_INPUT', 'maxBatchWaitMs must be a non-negative number', 'maxBatchWaitMs');
  }
  const pool = new Pool({
    workers: positiveInt(options.workers, 'workers', runtime.defaultCount()),
    options: core.json,
    cacheJson: core.cache === undefined ? '' : JSON.stringify(core.cache),
    verifierJson: core.json,
    statusListResolver: resolver,
    listTtlMs: (core.cache?.ttlSeconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
    // As many resolved lists as a Verifier holds decoded ones (`cache.statusLists`).
    listCapacity: Number.isInteger(core.cache?.statusLists) && core.cache.statusLists >= 0 ? core.cache.statusLists : CACHE_DEFAULTS.statusLists,
    workerUrl: options.workerUrl,
    runtime,
    maxQueue: positiveInt(options.maxQueue, 'maxQueue', DEFAULTS.maxQueue),
    taskTimeoutMs: positiveInt(options.taskTimeoutMs, 'taskTimeoutMs', DEFAULTS.taskTimeoutMs, true),
    chunkSize: positiveInt(options.chunkSize, 'chunkSize', DEFAULTS.chunkSize),
    maxBatchWaitMs,
    maxBatchSize: positiveInt(options.maxBatchSize, 'maxBatchSize', DEFAULTS.maxBatchSize),
    maxInstanceMemory: instanceMemoryBound(options.maxInstanceMemory),
    store: store === undefined ? undefined : storeOf(store),
    consumeNonce: consume,
    documentLoader: documentLoaderOption(options.documentLoader ?? verifier.documentLoader),
    loadTimeoutMs: keyOptions({ fetchTimeoutMs: options.fetchTimeoutMs ?? core.keys.fetchTimeoutMs }).timeoutMs,
    keys: new KeyFetcher({
      ...keyOptions({ fetch: options.fetch ?? core.keys.fetch, didResolver: options.didResolver ?? core.keys.didResolver, fetchTimeoutMs: options.fetchTimeoutMs ?? core.keys.fetchTimeoutMs }),
      ttlMs: (core.cache?.ttlSeconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
      capacity: Number.isInteger(core.cache?.keys) && core.cache.keys >= 0 ? core.cache.keys : CACHE_DEFAULTS.keys,
    }),
  });
  return pool.start();
}
