// credcore: a pool of workers (module Web Workers in browsers, worker_threads in Node) that
// verifies large batches in parallel, micro-batches single calls for services, and keeps metrics.
//
// The main thread compiles the module once and posts it to each worker; each chunk of a batch
// travels as one packed, transferred buffer; idle workers pull chunks from one shared queue, so
// every worker stays busy; results come back in input order. The pool moves bytes and options:
// it never parses credentials (the workers name the status lists they miss).
//
// Containment: a chunk whose run traps (the worker resets its instance and goes on) or kills its
// worker (the worker is replaced) runs once more; if it fails again it is split in two and each
// half runs on its own, and so on down to single items, so that only the item(s) that make
// workers fail get WORKER_FAILED and every other item of the chunk its real verdict. A chunk of n
// items with one such item costs at most 2 + 2 * ceil(log2 n) runs (the chunk twice, then both
// halves of each level), of which 2 + ceil(log2 n) fail.

import { CredcoreError } from './errors.js';
import { pack, packStrings, toBytes } from './pack.js';
import { wasmModule } from './state.js';
import { coreOptions, inputText } from './credentials.js';
import { PoolMetrics, aggregateCaches, toPrometheus } from './metrics.js';

const isNode = typeof process === 'object' && typeof process?.versions?.node === 'string' && typeof window === 'undefined';

/** Where the pool's internals live, for tests and diagnostics only (not a stable API). */
const INTERNALS = Symbol.for('credcore.pool.internals');

const DEFAULTS = {
  maxQueue: 1_000_000,
  taskTimeoutMs: 30_000,
  chunkSize: 512,
  maxBatchWaitMs: 2,
  maxBatchSize: 256,
};

// A worker that dies before it is ready this many times in a row means workers cannot start
// here (wrong URL, no wasm): stop respawning and fail what waits.
const MAX_SPAWN_FAILURES = 3;

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

async function defaultWorkerCount() {
  if (isNode) {
    const os = await import('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  }
  return Math.max(1, Number(globalThis.navigator?.hardwareConcurrency) || 2);
}

/**
 * The parent's Node flags minus those that describe the parent's own entry (`-e`, `--print`,
 * `--input-type`): a worker inherits execArgv, and those flags make it fail to start.
 */
function workerExecArgv() {
  const out = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
    else if (!/^--(input-type|eval|print)=/.test(a)) out.push(a);
  }
  return out;
}

/** A copy of an error for another caller (callers share no objects). */
function copyError(err) {
  if (!(err instanceof CredcoreError)) return err;
  const copy = new CredcoreError(err.code, err.message, err.path);
  if (err.stack) copy.stack = err.stack;
  return copy;
}

/** A result for an item whose worker kept failing (trap or death): same shape as the core's results. */
function failedResult(message) {
  return {
    valid: false, format: 'unknown', kind: 'credential', issuer: null, holder: null, subject: null,
    claims: null, credentials: [], expiresAt: null, errors: [{ code: 'WORKER_FAILED', message }],
  };
}

/** Operations the worker runs (see worker.js), with how the pool reads their results. */
const OPERATIONS = {
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

/** One worker and what it runs. */
class Slot {
  constructor(worker) {
    this.worker = worker;
    this.ready = false;
    this.dead = false;
    this.task = null;
    this.timer = null;
    this.stats = null;
    this.referenced = true;
  }

  /** Node: a busy (or starting) worker keeps the process alive, an idle one does not. */
  setReferenced(on) {
    if (!isNode || this.referenced === on) return;
    this.referenced = on;
    if (on) this.worker.ref();
    else this.worker.unref();
  }
}

/**
 * A pool of workers. Create it with `await createPool(options)`.
 * @example const pool = await createPool({ workers: 4, verifier: { trustedIssuers: [issuer.did] } });
 *   const results = await pool.verifyBatch(inputs, { onProgress: ({ done, total }) => {} });
 *   await pool.close();
 */
export class Pool {
  #workers;
  #options;
  #cacheJson;
  #resolver;
  #listTtlMs;
  #workerUrl;
  #WorkerClass = null;
  #slots = [];
  #queue = [];
  #queuedItems = 0;
  #inFlightItems = 0;
  #batches = new Set();
  #groups = new Map();
  #groupItems = 0;
  /** verify() inputs in flight: key -> the callers that joined it (each gets its own copy). */
  #inFlightInputs = new Map();
  /** Status lists from the resolver: uri -> { list, until }, least recently used first. */
  #lists = new Map();
  /** Resolver calls in flight: uri -> promise of the list (undefined when it cannot be had). */
  #listsPending = new Map();
  #listCapacity;
  #listCache = { evictions: 0, expirations: 0 };
  #spawnFailures = 0;
  #preparing = 0;
  #state = 'open';
  #closing = null;
  #nextId = 1;
  #metrics = new PoolMetrics();
  #started = Date.now();

  /** Use `createPool`. */
  constructor(config) {
    this.#workers = config.workers;
    this.#options = config.options;
    this.#cacheJson = config.cacheJson;
    this.#resolver = config.statusListResolver;
    this.#listTtlMs = config.listTtlMs;
    this.#listCapacity = config.listCapacity;
    this.#metrics.splits = 0;
    this.#metrics.traps = 0;
    this.#workerUrl = config.workerUrl;
    this.maxQueue = config.maxQueue;
    this.taskTimeoutMs = config.taskTimeoutMs;
    this.chunkSize = config.chunkSize;
    this.maxBatchWaitMs = config.maxBatchWaitMs;
    this.maxBatchSize = config.maxBatchSize;
    this.verifierJson = config.verifierJson;
    Object.defineProperty(this, INTERNALS, {
      value: Object.freeze({
        /**
         * The live workers: `{ worker, ready, busy, attempt, start, count, depth }`, with the
         * running chunk's failed runs so far, first item, size and how often it was split
         * (terminating a worker simulates a crash).
         */
        workers: () => this.#slots.map((s) => ({
          worker: s.worker, ready: s.ready, busy: s.task !== null, attempt: s.task?.attempts ?? 0,
          start: s.task?.start ?? 0, count: s.task?.count ?? 0, depth: s.task?.depth ?? 0,
        })),
      }),
    });
  }

  /** Starts the workers; resolves when every one is ready. */
  async start() {
    if (isNode) this.#WorkerClass = (await import('node:worker_threads')).Worker;
    else if (typeof Worker === 'function') this.#WorkerClass = Worker;
    else throw fail('WORKER_FAILED', 'this runtime has no Worker');
    const ready = [];
    for (let i = 0; i < this.#workers; i++) ready.push(this.#spawn());
    try {
      await Promise.all(ready);
    } catch (err) {
      this.destroy();
      throw err;
    }
    return this;
  }

  // ---- workers ------------------------------------------------------------------------------

  #spawn() {
    return new Promise((resolve, reject) => {
      let worker;
      try {
        worker = isNode ? new this.#WorkerClass(this.#workerUrl, { execArgv: workerExecArgv() }) : new this.#WorkerClass(this.#workerUrl, { type: 'module', name: 'credcore' });
      } catch (err) {
        reject(fail('WORKER_FAILED', `cannot start a worker: ${err?.message ?? err}`));
        return;
      }
      const slot = new Slot(worker);
      slot.onReady = resolve;
      slot.onInitFailed = reject;
      this.#slots.push(slot);
      const onMessage = (data) => this.#onMessage(slot, data);
      if (isNode) {
        worker.on('message', onMessage);
        worker.on('error', (err) => { slot.error = err; });
        worker.on('messageerror', (err) => this.#onCrash(slot, `message error: ${err?.message ?? err}`));
        worker.on('exit', (code) => this.#onCrash(slot, slot.error ? String(slot.error.message ?? slot.error) : `worker exited with code ${code}`));
      } else {
        worker.addEventListener('message', (e) => onMessage(e.data));
        worker.addEventListener('error', (e) => {
          e.preventDefault?.();
          this.#onCrash(slot, e.message || 'worker error');
        });
        worker.addEventListener('messageerror', () => this.#onCrash(slot, 'message error'));
      }
      worker.postMessage({ type: 'credcore:init', module: wasmModule(), options: this.#options, cache: this.#cacheJson });
    });
  }

  #terminate(slot) {
    if (slot.dead) return;
    slot.dead = true;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    this.#slots = this.#slots.filter((s) => s !== slot);
    try {
      slot.worker.terminate();
    } catch {
      // Already gone.
    }
  }

  /** Replaces a worker after a crash, timeout or abort, unless the pool is shutting down. */
  #replace(reason) {
    this.#metrics.restarted(reason);
    if (this.#state === 'closed' || this.#spawnFailures >= MAX_SPAWN_FAILURES) return;
    this.#spawn().catch(() => {
      // Counted in #onCrash; the queue is failed there once spawning is hopeless.
    });
  }

  #onMessage(slot, data) {
    if (slot.dead || data === null || typeof data !== 'object' || typeof data.type !== 'string') return;
    switch (data.type) {
      case 'credcore:ready':
        slot.ready = true;
        this.#spawnFailures = 0;
        slot.onReady?.();
        this.#pump();
        return;
      case 'credcore:init-failed':
        this.#spawnFailures = MAX_SPAWN_FAILURES;
        this.#terminate(slot);
        slot.onInitFailed?.(fail('WORKER_FAILED', `worker could not initialize: ${data.message}`));
        this.#failQueue('worker could not initialize');
        return;
      case 'credcore:result':
      case 'credcore:error': {
        const chunk = slot.task;
        if (chunk === null || chunk.id !== data.id) return;
        if (data.type === 'credcore:error' && (data.trapped || data.fatal)) {
          if (data.trapped) this.#metrics.traps++;
          const message = `${data.trapped ? 'trap' : 'worker error'}: ${data.message}`;
          if (data.fatal) {
            // The worker could not recover: replace it.
            this.#terminate(slot);
            this.#lost(slot, chunk, message);
          } else {
            // The worker reset its instance and is ready for more.
            this.#release(slot);
            this.#rerun(chunk, message);
            this.#pump();
          }
          return;
        }
        this.#release(slot);
        if (typeof data.stats === 'string') {
          try {
            slot.stats = JSON.parse(data.stats);
          } catch {
            // Statistics are advisory.
          }
        }
        if (data.type === 'credcore:result' && Array.isArray(data.need)) this.#supplyLists(chunk, data.need);
        else if (data.type === 'credcore:result') this.#complete(chunk, data);
        else this.#settle(chunk.batch, new CredcoreError(data.code ?? 'INTERNAL_ERROR', data.message ?? 'worker error'));
        this.#pump();
        return;
      }
      default:
    }
  }

  #onCrash(slot, message) {
    if (slot.dead) return;
    const wasReady = slot.ready;
    this.#terminate(slot);
    if (!wasReady) {
      this.#spawnFailures++;
      slot.onInitFailed?.(fail('WORKER_FAILED', `worker failed to start: ${message}`));
      if (this.#spawnFailures >= MAX_SPAWN_FAILURES) {
        this.#failQueue(`workers cannot start: ${message}`);
        return;
      }
    }
    this.#lost(slot, slot.task, message);
  }

  /** A worker died with `chunk` (or could not recover from its trap): replace it, run the chunk again. */
  #lost(slot, chunk, message) {
    slot.task = null;
    if (chunk !== null) {
      this.#inFlightItems -= chunk.count;
      this.#rerun(chunk, message);
    }
    this.#replace('crash');
    this.#pump();
  }

  /**
   * A run of `chunk` failed (trap or dead worker). Its first failure: run it again whole (a worker
   * may die for reasons of its own). Then: split it in two halves that run on their own, each of
   * which splits again when it fails, down to single items; a single item that fails after that
   * gets WORKER_FAILED. Operations that cannot isolate items give up after the second failure.
   */
  #rerun(chunk, message) {
    if (chunk.batch.settled) return;
    chunk.attempts++;
    chunk.buffer = null;
    if (chunk.attempts < 2) {
      this.#metrics.retries++;
      this.#queue.unshift(chunk);
      this.#queuedItems += chunk.count;
      return;
    }
    if (!OPERATIONS[chunk.op].isolate || chunk.count < 2) {
      const runs = chunk.depth === 0 ? 'twice' : `alone after ${chunk.depth} splits`;
      this.#giveUp(chunk, `the worker failed on ${chunk.count === 1 ? 'this item' : 'these items'} ${runs}: ${message}`);
      return;
    }
    const half = Math.ceil(chunk.count / 2);
    const halves = [[0, half], [half, chunk.count]].map(([from, to]) => {
      const items = chunk.items.slice(from, to);
      const packItems = OPERATIONS[chunk.op].pack;
      // A half inherits the failure: if it fails, it splits at once.
      return { ...chunk, start: chunk.start + from, count: to - from, items, buffer: null, pack: () => packItems(items), args: { ...chunk.args }, attempts: 1, depth: chunk.depth + 1, id: 0 };
    });
    this.#metrics.splits++;
    this.#metrics.retries += 2;
    this.#queue.unshift(...halves);
    this.#queuedItems += chunk.count;
  }

  #giveUp(chunk, message) {
    const values = OPERATIONS[chunk.op].failed(chunk.count, message);
    if (values === null) this.#settle(chunk.batch, fail('WORKER_FAILED', message));
    else this.#complete(chunk, { values });
  }

  /** Fails every queued chunk when no worker can run it. */
  #failQueue(message) {
    const queue = this.#queue;
    this.#queue = [];
    this.#queuedItems = 0;
    for (const chunk of queue) if (!chunk.batch.settled) this.#giveUp(chunk, message);
  }

  #release(slot) {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    this.#inFlightItems -= slot.task?.count ?? 0;
    slot.task = null;
  }

  // ---- scheduling ---------------------------------------------------------------------------

  #pump() {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) break;
      if (!slot.ready || slot.dead || slot.task !== null) continue;
      let chunk;
      while ((chunk = this.#queue.shift()) !== undefined) {
        this.#queuedItems -= chunk.count;
        if (!chunk.batch.settled) break;
      }
      if (chunk === undefined) break;
      this.#dispatch(slot, chunk);
    }
    for (const slot of this.#slots) slot.setReferenced(!slot.ready || slot.task !== null);
    if (this.#state === 'closing') this.#maybeClosed();
  }

  #dispatch(slot, chunk) {
    const buffer = chunk.buffer ?? chunk.pack();
    chunk.buffer = null;
    chunk.id = this.#nextId++;
    slot.task = chunk;
    this.#inFlightItems += chunk.count;
    this.#metrics.chunks++;
    if (this.taskTimeoutMs > 0) {
      slot.timer = setTimeout(() => this.#onTimeout(slot, chunk), this.taskTimeoutMs);
    }
    slot.worker.postMessage({ type: 'credcore:run', id: chunk.id, op: chunk.op, buffer, args: chunk.args }, [buffer.buffer]);
  }

  #onTimeout(slot, chunk) {
    if (slot.task !== chunk || slot.dead) return;
    this.#inFlightItems -= chunk.count;
    slot.task = null;
    this.#terminate(slot);
    this.#replace('timeout');
    this.#settle(chunk.batch, fail('TIMEOUT', `a chunk of ${chunk.count} items took longer than ${this.taskTimeoutMs} ms`));
    this.#pump();
  }

  #complete(chunk, data) {
    const batch = chunk.batch;
    if (batch.settled) return;
    let values = data.values;
    if (values === undefined) {
      try {
        values = OPERATIONS[chunk.op].read(data.value);
      } catch (err) {
        this.#settle(batch, fail('INTERNAL_ERROR', `unreadable worker result: ${err?.message ?? err}`));
        return;
      }
    }
    if (!Array.isArray(values) || values.length !== chunk.count) {
      this.#settle(batch, fail('INTERNAL_ERROR', `a worker returned ${values?.length} results for ${chunk.count} items`));
      return;
    }
    for (let i = 0; i < values.length; i++) batch.results[chunk.start + i] = values[i];
    OPERATIONS[chunk.op].count(this.#metrics, values);
    const now = performance.now();
    if (batch.itemStarts) for (let i = 0; i < chunk.count; i++) this.#metrics.itemLatency.record(now - batch.itemStarts[chunk.start + i]);
    else this.#metrics.itemLatency.record(now - batch.started, chunk.count);
    this.#metrics.throughput.add(chunk.count);
    batch.done += chunk.count;
    if (batch.onProgress) {
      try {
        batch.onProgress({ done: batch.done, total: batch.total });
      } catch {
        // A throwing progress callback must not lose results.
      }
    }
    if (batch.done === batch.total) this.#settle(batch, null);
  }

  /** Resolves (err null) or rejects a batch once; drops its queued chunks. */
  #settle(batch, err) {
    if (batch.settled) return;
    batch.settled = true;
    this.#batches.delete(batch);
    batch.signal?.removeEventListener('abort', batch.onAbort);
    if (err === null) {
      this.#metrics.batchLatency.record(performance.now() - batch.started);
      batch.resolve(batch.results);
    } else {
      this.#metrics.rejected(err.code);
      this.#queue = this.#queue.filter((c) => {
        if (c.batch !== batch) return true;
        this.#queuedItems -= c.count;
        return false;
      });
      batch.reject(err);
    }
    if (this.#state === 'closing') this.#maybeClosed();
  }

  #abort(batch) {
    if (batch.settled) return;
    for (const slot of [...this.#slots]) {
      if (slot.task?.batch === batch) {
        this.#inFlightItems -= slot.task.count;
        slot.task = null;
        this.#terminate(slot);
        this.#replace('abort');
      }
    }
    this.#settle(batch, fail('ABORTED', 'the operation was aborted'));
    this.#pump();
  }

  /**
   * Queues a batch: `chunks` are `{ start, count, buffer, pack, args }`; resolves with `total` values.
   */
  #enqueue(op, total, chunks, { onProgress, signal, itemStarts, source }) {
    return new Promise((resolve, reject) => {
      const batch = { op, total, done: 0, results: new Array(total), resolve, reject, settled: false, onProgress, signal, itemStarts, started: performance.now(), onAbort: null };
      this.#metrics.batches[source]++;
      if (this.#state === 'closed') {
        this.#metrics.rejected('CLOSED');
        reject(fail('CLOSED', 'the pool was destroyed'));
        return;
      }
      if (total === 0) {
        resolve([]);
        return;
      }
      this.#batches.add(batch);
      if (signal) {
        batch.onAbort = () => this.#abort(batch);
        signal.addEventListener('abort', batch.onAbort, { once: true });
      }
      for (const c of chunks) this.#queue.push({ ...c, op, batch, attempts: 0, depth: 0, id: 0 });
      this.#queuedItems += total;
      if (this.#slots.length === 0 && this.#spawnFailures >= MAX_SPAWN_FAILURES) this.#failQueue('no worker can start');
      this.#pump();
    });
  }

  /** Reserves queue room for `n` items or throws QUEUE_FULL / CLOSED / ABORTED. */
  #admit(n, signal) {
    let err = null;
    if (this.#state !== 'open') err = fail('CLOSED', 'the pool is closed');
    else if (signal?.aborted) err = fail('ABORTED', 'the operation was aborted');
    else if (this.#queuedItems + this.#groupItems + n > this.maxQueue) {
      err = fail('QUEUE_FULL', `the queue holds ${this.#queuedItems + this.#groupItems} items; ${n} more would exceed maxQueue ${this.maxQueue}`);
    }
    if (err !== null) {
      this.#metrics.rejected(err.code);
      throw err;
    }
  }

  #chunkSizeFor(n) {
    return Math.max(1, Math.min(this.chunkSize, Math.ceil(n / Math.max(1, this.#workers))));
  }

  // ---- credentials --------------------------------------------------------------------------

  async #runCredentials(texts, callJson, options) {
    this.#preparing++;
    try {
      return await this.#prepareCredentials(texts, callJson, options);
    } finally {
      this.#preparing--;
      if (this.#state === 'closing') this.#maybeClosed();
    }
  }

  async #prepareCredentials(texts, callJson, { onProgress, signal, itemStarts, source }) {
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
    if (signal?.aborted) {
      this.#metrics.rejected('ABORTED');
      throw fail('ABORTED', 'the operation was aborted');
    }
    return this.#enqueue('verifyBatch', n, chunks, { onProgress, signal, itemStarts, source });
  }

  /**
   * A worker named the status lists a chunk needs that it does not hold: resolve each (once per
   * URI across the pool), pass them in the chunk's options, and queue the chunk again, first, as
   * final (verified with whatever could be had; a list that could not be is STATUS_UNAVAILABLE).
   */
  async #supplyLists(chunk, need) {
    this.#preparing++;
    try {
      // A list that could not be had is asked for once per batch, however many chunks need it.
      const batch = chunk.batch;
      batch.unavailable ??= new Set();
      const lists = await this.#resolveLists(need.filter((u) => typeof u === 'string' && !batch.unavailable.has(u)));
      for (const uri of need) if (!lists.has(uri)) batch.unavailable.add(uri);
      if (batch.settled) return;
      const base = JSON.parse(chunk.args.options);
      const own = {};
      for (const [uri, list] of lists) own[uri] = list;
      // Lists the caller passed win over resolved ones.
      const options = JSON.stringify({ ...base, statusLists: { ...own, ...(base.statusLists ?? {}) } });
      chunk.args = { ...chunk.args, options, final: true };
      this.#queue.unshift(chunk);
      this.#queuedItems += chunk.count;
    } catch (err) {
      this.#settle(chunk.batch, err instanceof CredcoreError ? err : fail('INTERNAL_ERROR', String(err?.message ?? err)));
    } finally {
      this.#preparing--;
      this.#pump();
    }
  }

  /**
   * The lists of `uris` that can be had: from the cache, or through the resolver, called once per
   * URI however many chunks and batches wait for it (single flight). What it cannot find is not
   * cached: the next batch asks again.
   */
  async #resolveLists(uris) {
    const out = new Map();
    await Promise.all(uris.map(async (uri) => {
      const held = this.#heldList(uri, Date.now());
      if (held !== undefined) {
        this.#metrics.statusLists.cached++;
        out.set(uri, held);
        return;
      }
      let pending = this.#listsPending.get(uri);
      if (pending === undefined) {
        const settle = (list) => {
          this.#listsPending.delete(uri);
          if (list === undefined || list === null) {
            this.#metrics.statusLists.failed++;
            return undefined;
          }
          this.#metrics.statusLists.fetched++;
          this.#holdList(uri, list);
          return list;
        };
        // A list that cannot be had stays absent: the core fails closed (STATUS_UNAVAILABLE)
        // unless the verifier options opt out (statusFailOpen).
        pending = (async () => this.#resolver(uri))().then(settle, () => settle(undefined));
        this.#listsPending.set(uri, pending);
      }
      const list = await pending;
      if (list !== undefined) out.set(uri, list);
    }));
    return out;
  }

  /** The held list of `uri` (now the most recently used), or undefined; drops it if expired. */
  #heldList(uri, now) {
    const entry = this.#lists.get(uri);
    if (entry === undefined) return undefined;
    this.#lists.delete(uri);
    if (entry.until <= now) {
      this.#listCache.expirations++;
      return undefined;
    }
    this.#lists.set(uri, entry);
    return entry.list;
  }

  /**
   * Holds a list for the TTL, at most `cache.statusLists` (default 64) of them: when full, expired
   * entries go first, then the least recently used.
   */
  #holdList(uri, list) {
    if (this.#listCapacity <= 0 || this.#listTtlMs <= 0) return;
    const now = Date.now();
    this.#lists.delete(uri);
    if (this.#lists.size >= this.#listCapacity) {
      for (const [key, entry] of this.#lists) {
        if (entry.until > now) continue;
        this.#lists.delete(key);
        this.#listCache.expirations++;
      }
    }
    while (this.#lists.size >= this.#listCapacity) {
      this.#lists.delete(this.#lists.keys().next().value);
      this.#listCache.evictions++;
    }
    this.#lists.set(uri, { list, until: now + this.#listTtlMs });
  }

  /**
   * Verifies many credentials and presentations (format detected per item) on the workers;
   * results in input order. `onProgress({ done, total })` after each chunk; `signal` aborts.
   * @example const results = await pool.verifyBatch(inputs, { onProgress: ({ done, total }) => bar.update(done / total) });
   */
  async verifyBatch(inputs, options = {}) {
    if (!Array.isArray(inputs)) throw new CredcoreError('MALFORMED_INPUT', 'inputs must be an array', 'inputs');
    const { onProgress, signal, ...call } = options ?? {};
    const texts = inputs.map((x, i) => inputText(x, `[${i}]`));
    const { json } = coreOptions(call);
    this.#admit(texts.length, signal);
    return this.#runCredentials(texts, json, { onProgress, signal, source: 'verifyBatch' });
  }

  /**
   * Verifies one input; calls arriving within `maxBatchWaitMs` (up to `maxBatchSize`) run as one
   * batch, and an input identical to one in flight is verified once.
   * @example app.post('/verify', async (req) => pool.verify(req.body.input));
   */
  verify(input, options) {
    try {
      const text = inputText(input, 'input');
      const { json } = coreOptions(options ?? {});
      const key = `${json}\u0000${text}`;
      const followers = this.#inFlightInputs.get(key);
      if (followers !== undefined) {
        // Answered with its own copy of the result, made when the result arrives (#answer).
        this.#metrics.deduplicated++;
        return new Promise((resolve, reject) => { followers.push({ resolve, reject }); });
      }
      this.#admit(1, undefined);
      let group = this.#groups.get(json);
      if (group === undefined) {
        group = { json, texts: [], keys: [], starts: [], waiters: [], followers: [], timer: null };
        this.#groups.set(json, group);
      }
      let waiter;
      const promise = new Promise((resolve, reject) => { waiter = { resolve, reject }; });
      group.texts.push(text);
      group.keys.push(key);
      group.starts.push(performance.now());
      group.waiters.push(waiter);
      const joined = [];
      group.followers.push(joined);
      this.#groupItems++;
      this.#inFlightInputs.set(key, joined);
      if (group.texts.length >= this.maxBatchSize) this.#flush(group);
      else if (group.timer === null) group.timer = setTimeout(() => this.#flush(group), this.maxBatchWaitMs);
      return promise;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #flush(group) {
    if (this.#groups.get(group.json) !== group) return;
    this.#groups.delete(group.json);
    if (group.timer !== null) clearTimeout(group.timer);
    this.#groupItems -= group.texts.length;
    this.#runCredentials(group.texts, group.json, { itemStarts: group.starts, source: 'verify' }).then(
      (results) => this.#answer(group, results, null),
      (err) => this.#answer(group, null, err),
    );
  }

  /**
   * Answers a micro-batch's callers: the first caller of each input gets its result, every caller
   * that joined it a deep copy of its own. All copies are made before any caller is answered, so
   * no caller's continuation can change what another gets, and no two callers share an object.
   */
  #answer(group, results, err) {
    for (const key of group.keys) this.#inFlightInputs.delete(key);
    if (err !== null) {
      group.waiters.forEach((w, i) => {
        w.reject(err);
        for (const f of group.followers[i]) f.reject(copyError(err));
      });
      return;
    }
    const copies = group.followers.map((joined, i) => joined.map(() => structuredClone(results[i])));
    group.waiters.forEach((w, i) => {
      w.resolve(results[i]);
      group.followers[i].forEach((f, j) => f.resolve(copies[i][j]));
    });
  }

  /**
   * Verifies raw Ed25519 signatures on the workers; `result[i]` is what `verify` says of `items[i]`.
   * @example const ok = await pool.verifySignatures([{ message, signature, publicKey }]);
   */
  async verifySignatures(items, { onProgress, signal } = {}) {
    if (!Array.isArray(items)) throw new CredcoreError('MALFORMED_INPUT', 'items must be an array', 'items');
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
    return this.#enqueue('verifySignatures', items.length, chunks, { onProgress, signal, source: 'verifySignatures' });
  }

  // ---- metrics ------------------------------------------------------------------------------

  /** A JSON-ready snapshot of the pool's counters, latencies (ms), throughput, queue, workers and caches. */
  metrics() {
    const m = this.#metrics;
    const busy = this.#slots.filter((s) => s.task !== null).length;
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
      statusListCache: { entries: this.#lists.size, capacity: this.#listCapacity, pending: this.#listsPending.size, ...this.#listCache },
      latency: { item: m.itemLatency.summary(), batch: m.batchLatency.summary() },
      throughput: { total: throughput.total, itemsPerSecond: throughput.sinceStart, recent: throughput.recent },
      queue: { items: this.#queuedItems, waiting: this.#groupItems, inFlight: this.#inFlightItems, maxQueue: this.maxQueue },
      workers: { target: this.#workers, live: this.#slots.length, busy, idle: this.#slots.length - busy },
      caches: aggregateCaches(this.#slots.map((s) => s.stats)),
    };
  }

  /** The metrics in the Prometheus text exposition format (names `credcore_*`). */
  prometheus() {
    const m = this.metrics();
    return toPrometheus(m) + containmentPrometheus(m);
  }

  // ---- shutdown -----------------------------------------------------------------------------

  #maybeClosed() {
    if (this.#state !== 'closing' || this.#batches.size > 0 || this.#groups.size > 0 || this.#preparing > 0) return;
    this.#shutdown();
    this.#closing?.resolve();
  }

  #shutdown() {
    this.#state = 'closed';
    for (const slot of [...this.#slots]) this.#terminate(slot);
  }

  /**
   * Stops taking work, finishes what was submitted, then stops the workers.
   * @example process.on('SIGTERM', () => pool.close().then(() => process.exit(0)));
   */
  close() {
    if (this.#state === 'closed') return Promise.resolve();
    if (this.#closing === null) {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      this.#closing = { promise, resolve };
      this.#state = 'closing';
      for (const group of [...this.#groups.values()]) this.#flush(group);
      this.#maybeClosed();
    }
    return this.#closing.promise;
  }

  /** Stops the workers now; everything pending rejects with `CLOSED`. */
  destroy() {
    const wasClosing = this.#closing;
    this.#state = 'closed';
    for (const group of [...this.#groups.values()]) {
      this.#groups.delete(group.json);
      if (group.timer !== null) clearTimeout(group.timer);
      for (const key of group.keys) this.#inFlightInputs.delete(key);
      for (const w of group.waiters) w.reject(fail('CLOSED', 'the pool was destroyed'));
      for (const joined of group.followers) for (const f of joined) f.reject(fail('CLOSED', 'the pool was destroyed'));
    }
    this.#groupItems = 0;
    for (const batch of [...this.#batches]) this.#settle(batch, fail('CLOSED', 'the pool was destroyed'));
    this.#queue = [];
    this.#queuedItems = 0;
    this.#shutdown();
    this.#inFlightItems = 0;
    wasClosing?.resolve();
  }
}

/** The families of the containment and resolver-cache metrics (same exposition format as toPrometheus). */
function containmentPrometheus(m) {
  const families = [
    ['credcore_chunk_splits_total', 'counter', 'Chunks split in two after failing twice, to isolate the items that make workers fail.', m.splits],
    ['credcore_worker_traps_total', 'counter', 'Chunk runs that trapped in a worker (the worker reset its instance).', m.traps],
    ['credcore_status_list_cache_entries', 'gauge', 'Status lists held by the pool for its resolver.', m.statusListCache.entries],
    ['credcore_status_list_cache_evictions_total', 'counter', 'Status lists dropped from the pool cache to make room.', m.statusListCache.evictions],
  ];
  return families.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
}

/**
 * Starts a pool of workers and resolves when they are ready.
 * Options: `workers` (default: the core count), `verifier` (options and `cache` of each worker's
 * Verifier), `maxQueue` (items waiting, default 1,000,000), `taskTimeoutMs` (per chunk, default
 * 30,000; 0 for none), `chunkSize` (default 512), `maxBatchWaitMs` (default 2), `maxBatchSize`
 * (default 256), `statusListResolver` (`async (uri) => list`, cached for `verifier.cache.ttlSeconds`,
 * default 300, at most `verifier.cache.statusLists` lists, default 64), `workerUrl` (where worker.js is served, for bundlers).
 * @example const pool = await createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
 */
export async function createPool(options = {}) {
  if (options === null || typeof options !== 'object') throw new CredcoreError('MALFORMED_INPUT', 'options must be an object', 'options');
  if (wasmModule() === null) throw new CredcoreError('NOT_INITIALIZED', 'credcore is not initialized: call `await init()` first');
  const verifier = options.verifier ?? {};
  const core = coreOptions(verifier);
  const resolver = options.statusListResolver ?? core.statusListResolver;
  if (resolver !== undefined && typeof resolver !== 'function') {
    throw new CredcoreError('MALFORMED_INPUT', 'statusListResolver must be an async function (uri) => list', 'statusListResolver');
  }
  const maxBatchWaitMs = options.maxBatchWaitMs ?? DEFAULTS.maxBatchWaitMs;
  if (typeof maxBatchWaitMs !== 'number' || !(maxBatchWaitMs >= 0)) {
    throw new CredcoreError('MALFORMED_INPUT', 'maxBatchWaitMs must be a non-negative number', 'maxBatchWaitMs');
  }
  const pool = new Pool({
    workers: positiveInt(options.workers, 'workers', await defaultWorkerCount()),
    options: core.json,
    cacheJson: core.cache === undefined ? '' : JSON.stringify(core.cache),
    verifierJson: core.json,
    statusListResolver: resolver,
    listTtlMs: (core.cache?.ttlSeconds ?? 300) * 1000,
    // As many resolved lists as a Verifier holds decoded ones (`cache.statusLists`).
    listCapacity: Number.isInteger(core.cache?.statusLists) && core.cache.statusLists >= 0 ? core.cache.statusLists : 64,
    workerUrl: options.workerUrl ?? new URL('./worker.js', import.meta.url),
    maxQueue: positiveInt(options.maxQueue, 'maxQueue', DEFAULTS.maxQueue),
    taskTimeoutMs: positiveInt(options.taskTimeoutMs, 'taskTimeoutMs', DEFAULTS.taskTimeoutMs, true),
    chunkSize: positiveInt(options.chunkSize, 'chunkSize', DEFAULTS.chunkSize),
    maxBatchWaitMs,
    maxBatchSize: positiveInt(options.maxBatchSize, 'maxBatchSize', DEFAULTS.maxBatchSize),
  });
  return pool.start();
}
