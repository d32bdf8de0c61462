// credcore: the pool's scheduler. Batches are cut into chunks that wait in their caller's queue;
// an idle worker takes the next chunk of the caller that has had the least worker time so far
// (fair queueing by measured time), so that a caller whose items cost more (forged signatures,
// big inputs) slows itself, not the others; within a caller, chunks run in order. Every worker
// stays busy; each chunk travels as one packed, transferred buffer, and its values land at its
// place in the batch, so results keep input order. A chunk whose run fails goes back to the queue as containment.js says; a chunk over its
// time limit, or aborted, costs its worker (replaced) and rejects its batch.

// @ts-check

import { PoolGenerations } from './generations.js';
import { CredcoreError, messageOf } from '../errors.js';
import { OPERATIONS } from './operations.js';
import { afterFailure } from './containment.js';

/**
 * A batch: one call's items, settled once.
 * @typedef {object} Batch
 * @property {'verifyBatch' | 'verifySignatures'} op
 * @property {number} total
 * @property {number} done
 * @property {any[]} results
 * @property {(values: any[]) => void} resolve
 * @property {(err: any) => void} reject
 * @property {boolean} settled
 * @property {((progress: { done: number, total: number }) => void) | undefined} onProgress
 * @property {AbortSignal | undefined} signal
 * @property {number[] | undefined} itemStarts when each item was submitted (micro-batches), for latency
 * @property {number} started `performance.now()` at submission
 * @property {'verifyBatch' | 'verify' | 'verifySignatures'} source the entry point that submitted it
 * @property {(() => void) | null} onAbort
 * @property {Set<string>} [unavailable] status lists that could not be had for this batch
 * @property {string} caller whose batch it is (`options.caller`; '' for calls that name none)
 */

/**
 * A run of consecutive items of a batch on one worker.
 * @typedef {object} Chunk
 * @property {'verifyBatch' | 'verifySignatures'} op
 * @property {Batch} batch
 * @property {number} start its first item's index in the batch
 * @property {number} count
 * @property {any[]} items
 * @property {Uint8Array | null} buffer the packed items, until transferred
 * @property {() => Uint8Array} pack packs the items again (a transferred buffer is gone)
 * @property {any} args the worker's arguments (options JSON, status-list flags)
 * @property {number} attempts failed runs so far
 * @property {number} depth how often it was split
 * @property {number} id of its current run
 * @property {number} dispatched when its current run started (performance.now())
 */

/**
 * One caller's queued chunks and the worker time its chunks have taken.
 * @typedef {object} CallerQueue
 * @property {Chunk[]} chunks
 * @property {number} used milliseconds of worker time, counted from when it last had work
 */

/** The fields of a chunk that its maker gives. @typedef {Pick<Chunk, 'start' | 'count' | 'items' | 'buffer' | 'pack' | 'args'>} ChunkSpec */

const fail = (code, message) => new CredcoreError(code, message);

export class Scheduler {
  /** Queued chunks by caller; a caller's entry goes when it has none queued or running. @type {Map<string, CallerQueue>} */
  #queues = new Map();
  /** Chunks running, by caller. @type {Map<string, number>} */
  #running = new Map();
  /** Items in queued chunks. */
  queuedItems = 0;
  /** Items in chunks running on workers. */
  inFlightItems = 0;
  /** @type {Set<Batch>} */
  #batches = new Set();
  #nextId = 1;
  /** Status-list generations the workers have seen, shared between them (generations.js). */
  #generations = new PoolGenerations();
  #workers;
  #metrics;
  #settings;
  #isClosed;
  #onIdle;
  #onNeed;
  /** @type {((chunk: Chunk, data: any, complete: (values?: unknown[]) => void) => void) | undefined} */
  #onDataIntegrity;

  /**
   * @param {object} config
   * @param {import('./workers.js').Workers} config.workers
   * @param {import('../metrics.js').PoolMetrics} config.metrics
   * @param {{ taskTimeoutMs: number }} config.settings read at each dispatch
   * @param {() => boolean} config.isClosed
   * @param {() => void} config.onIdle called whenever work may have drained (the pool may finish closing)
   * @param {(chunk: Chunk, need: string[], keyNeed: any[]) => void} config.onNeed a worker named status lists (and key documents, keys.js) a chunk needs
   * @param {(chunk: Chunk, data: any, complete: (values?: unknown[]) => void) => void} [config.onDataIntegrity] a
   *   worker's run lacked what proofs over RDF need (pool/data-integrity.js): `complete` takes the
   *   run's answer, or `values` in its place
   */
  constructor({ workers, metrics, settings, isClosed, onIdle, onNeed, onDataIntegrity }) {
    this.#workers = workers;
    this.#metrics = metrics;
    this.#settings = settings;
    this.#isClosed = isClosed;
    this.#onIdle = onIdle;
    this.#onNeed = onNeed;
    this.#onDataIntegrity = onDataIntegrity;
  }

  /** Batches not settled yet. */
  get batchCount() {
    return this.#batches.size;
  }

  /**
   * Queues a batch of `total` items in `chunks`; resolves with its values in input order.
   * @param {'verifyBatch' | 'verifySignatures'} op
   * @param {number} total
   * @param {ChunkSpec[]} chunks
   * @param {{ onProgress?: Batch['onProgress'], signal?: AbortSignal, itemStarts?: number[], source: 'verifyBatch' | 'verify' | 'verifySignatures', caller?: string }} options
   * @returns {Promise<any[]>}
   */
  enqueue(op, total, chunks, { onProgress, signal, itemStarts, source, caller = '' }) {
    return new Promise((resolve, reject) => {
      /** @type {Batch} */
      const batch = { op, total, done: 0, results: new Array(total), resolve, reject, settled: false, onProgress, signal, itemStarts, started: performance.now(), source, onAbort: null, caller };
      this.#metrics.batches[source]++;
      if (this.#isClosed()) {
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
        const onAbort = () => this.#abort(batch);
        batch.onAbort = onAbort;
        signal.addEventListener('abort', onAbort, { once: true });
      }
      const queue = this.#queueOf(caller);
      for (const c of chunks) queue.chunks.push({ ...c, op, batch, attempts: 0, depth: 0, id: 0, dispatched: 0 });
      this.queuedItems += total;
      if (this.#workers.slots.length === 0 && this.#workers.hopeless) this.failQueue('no worker can start');
      this.pump();
    });
  }

  /**
   * Puts a chunk back at the head of the queue (it runs next).
   * @param {Chunk} chunk
   */
  requeueFirst(chunk) {
    this.#queueOf(chunk.batch.caller).chunks.unshift(chunk);
    this.queuedItems += chunk.count;
  }

  /**
   * The queue of `caller`, made when it has none. A caller that comes (back) starts level with the
   * least-served caller that has work: time it did not use is not banked.
   * @param {string} caller
   * @returns {CallerQueue}
   */
  #queueOf(caller) {
    let queue = this.#queues.get(caller);
    if (queue === undefined) {
      let floor = Infinity;
      for (const q of this.#queues.values()) floor = Math.min(floor, q.used);
      queue = { chunks: [], used: Number.isFinite(floor) ? floor : 0 };
      this.#queues.set(caller, queue);
    }
    return queue;
  }

  /** The next chunk to run: the oldest of the least-served caller with queued chunks. */
  #next() {
    for (;;) {
      /** @type {CallerQueue | null} */
      let best = null;
      for (const q of this.#queues.values()) if (q.chunks.length > 0 && (best === null || q.used < best.used)) best = q;
      if (best === null) return undefined;
      const chunk = /** @type {Chunk} */ (best.chunks.shift());
      this.queuedItems -= chunk.count;
      if (!chunk.batch.settled) return chunk;
    }
  }

  /** Forgets the queues of callers with nothing queued or running. */
  #prune() {
    for (const [caller, q] of this.#queues) if (q.chunks.length === 0 && !this.#running.get(caller)) this.#queues.delete(caller);
  }

  /** Hands queued chunks to idle workers. */
  pump() {
    for (const slot of this.#workers.slots) {
      if (!slot.ready || slot.dead || slot.task !== null) continue;
      const chunk = this.#next();
      if (chunk === undefined) break;
      this.#dispatch(slot, chunk);
    }
    this.#prune();
    for (const slot of this.#workers.slots) slot.setReferenced(!slot.ready || slot.task !== null);
    this.#onIdle();
  }

  /**
   * A worker's answer to its chunk: values, the status lists it needs, a coded error, or a trap.
   * @param {import('./workers.js').Slot} slot
   * @param {any} data a `credcore:result` or `credcore:error` message
   */
  onReply(slot, data) {
    const chunk = slot.task;
    if (chunk === null || chunk.id !== data.id) return;
    if (data.type === 'credcore:error' && (data.trapped || data.fatal)) {
      if (data.trapped) this.#metrics.traps++;
      const message = `${data.trapped ? 'trap' : 'worker error'}: ${data.message}`;
      if (data.fatal) {
        // The worker could not recover: replace it.
        this.#workers.terminate(slot);
        this.lost(slot, chunk, message);
      } else {
        // The worker reset its instance and is ready for more.
        this.#release(slot);
        this.#rerun(chunk, message);
        this.pump();
      }
      return;
    }
    this.#release(slot);
    if (data.type === 'credcore:result') this.#generations.merge(data.generations);
    // Its instance's memory, and whether it recycled it (or could not: then it is replaced).
    const retire = this.#workers.noteMemory(slot, data);
    if (typeof data.stats === 'string') {
      try {
        slot.stats = JSON.parse(data.stats);
      } catch {
        // Statistics are advisory.
      }
    }
    if (data.type === 'credcore:result' && (Array.isArray(data.need) || Array.isArray(data.keyNeed))) {
      this.#onNeed(chunk, Array.isArray(data.need) ? data.need : [], Array.isArray(data.keyNeed) ? data.keyNeed : []);
    }
    else if (data.type === 'credcore:result' && data.diNeed != null && this.#onDataIntegrity !== undefined) {
      // Proofs over RDF lacked the module or a context: the pool obtains it, runs the items that
      // lacked it again, and completes the chunk with their new results in place.
      this.#onDataIntegrity(chunk, data, (values) => this.#complete(chunk, values === undefined ? data : { values }));
    }
    else if (data.type === 'credcore:result') this.#complete(chunk, data);
    else this.settle(chunk.batch, new CredcoreError(data.code ?? 'INTERNAL_ERROR', data.message ?? 'worker error'));
    if (retire) {
      this.#workers.terminate(slot);
      this.#workers.replace('recycle');
    }
    this.pump();
  }

  /**
   * A worker died with `chunk` (or could not recover from its trap): replace it, run the chunk again.
   * @param {import('./workers.js').Slot} slot
   * @param {Chunk | null} chunk
   * @param {string} message
   */
  lost(slot, chunk, message) {
    slot.task = null;
    if (chunk !== null) {
      this.inFlightItems -= chunk.count;
      this.#ran(chunk);
      this.#rerun(chunk, message);
    }
    this.#workers.replace('crash');
    this.pump();
  }

  /**
   * Fails every queued chunk when no worker can run it.
   * @param {string} message
   */
  failQueue(message) {
    const queued = [...this.#queues.values()].flatMap((q) => q.chunks);
    for (const q of this.#queues.values()) q.chunks = [];
    this.queuedItems = 0;
    for (const chunk of queued) if (!chunk.batch.settled) this.#giveUp(chunk, message);
  }

  /**
   * Resolves (err null) or rejects a batch once; drops its queued chunks.
   * @param {Batch} batch
   * @param {any} err
   */
  settle(batch, err) {
    if (batch.settled) return;
    batch.settled = true;
    this.#batches.delete(batch);
    if (batch.onAbort) batch.signal?.removeEventListener('abort', batch.onAbort);
    const durationMs = performance.now() - batch.started;
    this.#metrics.batchSettled({
      source: batch.source, items: batch.total, startTime: performance.timeOrigin + batch.started, durationMs, error: err === null ? null : err.code ?? 'INTERNAL_ERROR',
    });
    if (err === null) {
      this.#metrics.batchLatency.record(durationMs);
      batch.resolve(batch.results);
    } else {
      this.#metrics.rejected(err.code);
      const queue = this.#queues.get(batch.caller);
      if (queue !== undefined) {
        queue.chunks = queue.chunks.filter((c) => {
          if (c.batch !== batch) return true;
          this.queuedItems -= c.count;
          return false;
        });
      }
      batch.reject(err);
    }
    this.#onIdle();
  }

  /**
   * Rejects every batch with an error of `makeError()` and forgets every chunk, queued or running
   * (the pool is destroyed and stops its workers).
   * @param {() => Error} makeError
   */
  destroy(makeError) {
    for (const batch of [...this.#batches]) this.settle(batch, makeError());
    this.#queues.clear();
    this.#running.clear();
    this.queuedItems = 0;
    this.inFlightItems = 0;
  }

  #dispatch(slot, chunk) {
    const buffer = chunk.buffer ?? chunk.pack();
    chunk.buffer = null;
    chunk.id = this.#nextId++;
    chunk.dispatched = performance.now();
    this.#running.set(chunk.batch.caller, (this.#running.get(chunk.batch.caller) ?? 0) + 1);
    slot.task = chunk;
    this.inFlightItems += chunk.count;
    this.#metrics.chunks++;
    if (this.#settings.taskTimeoutMs > 0) {
      slot.timer = setTimeout(() => this.#onTimeout(slot, chunk), this.#settings.taskTimeoutMs);
    }
    // The generations other workers saw since this one was last told (generations.js).
    let generations = null;
    if (slot.generationsVersion !== this.#generations.version) {
      generations = this.#generations.copy();
      slot.generationsVersion = this.#generations.version;
    }
    slot.worker.postMessage({ type: 'credcore:run', id: chunk.id, op: chunk.op, buffer, args: chunk.args, generations }, [buffer.buffer]);
  }

  #onTimeout(slot, chunk) {
    if (slot.task !== chunk || slot.dead) return;
    this.inFlightItems -= chunk.count;
    this.#ran(chunk);
    slot.task = null;
    this.#workers.terminate(slot);
    this.#workers.replace('timeout');
    this.settle(chunk.batch, fail('TIMEOUT', `a chunk of ${chunk.count} items took longer than ${this.#settings.taskTimeoutMs} ms`));
    this.pump();
  }

  #release(slot) {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    const chunk = slot.task;
    if (chunk !== null) {
      this.inFlightItems -= chunk.count;
      this.#ran(chunk);
    }
    slot.task = null;
  }

  /**
   * A run of `chunk` ended (answered, failed, timed out or dropped): its worker time counts to its caller.
   * @param {Chunk} chunk
   */
  #ran(chunk) {
    const caller = chunk.batch.caller;
    const left = (this.#running.get(caller) ?? 1) - 1;
    if (left > 0) this.#running.set(caller, left);
    else this.#running.delete(caller);
    const queue = this.#queueOf(caller);
    queue.used += Math.max(0, performance.now() - chunk.dispatched);
  }

  /**
   * A run of `chunk` failed (trap or dead worker): queue what containment.js says runs next, first.
   * @param {Chunk} chunk
   * @param {string} message
   */
  #rerun(chunk, message) {
    if (chunk.batch.settled) return;
    const next = afterFailure(chunk, message);
    if ('retry' in next) {
      this.#metrics.retries++;
      this.requeueFirst(next.retry);
    } else if ('halves' in next) {
      this.#metrics.splits++;
      this.#metrics.retries += next.halves.length;
      this.#queueOf(chunk.batch.caller).chunks.unshift(...next.halves);
      this.queuedItems += chunk.count;
    } else {
      this.#giveUp(chunk, next.giveUp);
    }
  }

  /** Answers for the items of a chunk no worker could run: WORKER_FAILED results, or the batch rejects. */
  #giveUp(chunk, message) {
    const values = OPERATIONS[chunk.op].failed(chunk.count, message);
    if (values === null) this.settle(chunk.batch, fail('WORKER_FAILED', message));
    else this.#complete(chunk, { values });
  }

  /** Writes a chunk's values into its batch, counts them, reports progress, settles a finished batch. */
  #complete(chunk, data) {
    const batch = chunk.batch;
    if (batch.settled) return;
    let values = data.values;
    if (values === undefined) {
      try {
        values = OPERATIONS[chunk.op].read(data.value);
      } catch (err) {
        this.settle(batch, fail('INTERNAL_ERROR', `unreadable worker result: ${messageOf(err)}`));
        return;
      }
    }
    if (!Array.isArray(values) || values.length !== chunk.count) {
      this.settle(batch, fail('INTERNAL_ERROR', `a worker returned ${values?.length} results for ${chunk.count} items`));
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
    if (batch.done === batch.total) this.settle(batch, null);
  }

  #abort(batch) {
    if (batch.settled) return;
    for (const slot of [...this.#workers.slots]) {
      const task = slot.task;
      if (task !== null && task.batch === batch) {
        this.inFlightItems -= task.count;
        this.#ran(task);
        slot.task = null;
        this.#workers.terminate(slot);
        this.#workers.replace('abort');
      }
    }
    this.settle(batch, fail('ABORTED', 'the operation was aborted'));
    this.pump();
  }
}
