// credcore: the pool's workers (worker_threads in Node, module Web Workers in browsers): starting
// them with the compiled module, telling their messages and deaths to the scheduler, replacing
// the ones that die. Messages are namespaced `credcore:*` (see worker.js for the other side).

// @ts-check

import { CredcoreError, messageOf } from '../errors.js';
import { wasmModule } from '../state.js';

// A worker that dies before it is ready this many times in a row means workers cannot start
// here (wrong URL, no wasm): stop respawning and fail what waits.
const MAX_SPAWN_FAILURES = 3;

/**
 * What a pool needs of its runtime, given by the entry point (pool/runtime.node.js,
 * pool/runtime.browser.js), so that the browser entry imports nothing from `node:`.
 * @typedef {object} WorkerRuntime
 * @property {boolean} node whether workers are worker_threads (events by `on`, `ref`/`unref`)
 * @property {() => number} defaultCount the number of workers when the caller does not say
 * @property {(url: URL | string | undefined) => any} start a new worker of the package's worker
 *   script, or of `url` when the caller gave one (`workerUrl`)
 * @property {(url: URL | string | undefined) => string} describe where a worker is loaded from, for messages
 * @property {(url: URL | string | undefined, message: string) => Promise<string>} diagnose why a
 *   worker could not start, as one sentence that names the URL and what to do
 */

/** One worker and what it runs. */
export class Slot {
  /**
   * @param {any} worker a worker_threads Worker or a Web Worker
   * @param {boolean} node whether it is a worker_threads Worker
   */
  constructor(worker, node) {
    this.worker = worker;
    this.node = node;
    this.ready = false;
    this.dead = false;
    /** The chunk it runs. @type {import('./scheduler.js').Chunk | null} */
    this.task = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** Its Verifier's cache statistics, from its last answer. @type {Record<string, any> | null} */
    this.stats = null;
    this.referenced = true;
    /** Bytes of its wasm instance's linear memory, from its last answer. */
    this.memory = 0;
    /** The version of the pool's status-list generations it was last handed (generations.js). */
    this.generationsVersion = 0;
    /** Node: the error event that came before the exit, if any. @type {any} */
    this.error = undefined;
    /** Settle the promise of its start. @type {((value?: any) => void) | undefined} */
    this.onReady = undefined;
    /** @type {((err: Error) => void) | undefined} */
    this.onInitFailed = undefined;
  }

  /** Node: a busy (or starting) worker keeps the process alive, an idle one does not. */
  setReferenced(on) {
    if (!this.node || this.referenced === on) return;
    this.referenced = on;
    if (on) this.worker.ref();
    else this.worker.unref();
  }
}

/**
 * What the workers tell the scheduler.
 * @typedef {object} WorkerEvents
 * @property {() => void} ready a worker is ready for a chunk
 * @property {(slot: Slot, data: any) => void} reply a worker answered its chunk (`credcore:result` or `credcore:error`)
 * @property {(slot: Slot, chunk: import('./scheduler.js').Chunk | null, message: string) => void} lost
 *   a worker died, with the chunk it ran (if any)
 * @property {(message: string) => void} hopeless no worker can start here: fail what waits
 */

/** The live workers of a pool. */
export class Workers {
  /** @type {Slot[]} */
  slots = [];
  /** @type {WorkerRuntime} */
  #runtime;
  #url;
  #init;
  #metrics;
  #isClosed;
  #events;
  #spawnFailures = 0;

  /**
   * @param {object} config
   * @param {WorkerRuntime} config.runtime
   * @param {URL | string | undefined} config.url where the worker script is, when the caller said (`workerUrl`)
   * @param {{ options: string, cache: string, maxInstanceMemory: number, dataIntegrity?: () => unknown }} config.init each worker's Verifier
   *   options and cache JSON, the linear memory past which it recycles its instance (0: never), and
   *   what it is given for proofs over RDF (pool/data-integrity.js)
   * @param {import('../metrics.js').PoolMetrics} config.metrics
   * @param {() => boolean} config.isClosed whether the pool is closed (no more replacements)
   * @param {WorkerEvents} config.events
   */
  constructor({ runtime, url, init, metrics, isClosed, events }) {
    this.#runtime = runtime;
    this.#url = url;
    this.#init = init;
    this.#metrics = metrics;
    this.#isClosed = isClosed;
    this.#events = events;
  }

  /** Whether workers failed to start so often in a row that none will. */
  get hopeless() {
    return this.#spawnFailures >= MAX_SPAWN_FAILURES;
  }

  /** Starts a worker; resolves when it is ready, rejects with WORKER_FAILED if it cannot start. */
  spawn() {
    return new Promise((resolve, reject) => {
      const runtime = this.#runtime;
      let worker;
      try {
        worker = runtime.start(this.#url);
      } catch (err) {
        reject(new CredcoreError('WORKER_FAILED', `cannot start a worker from ${runtime.describe(this.#url)}: ${messageOf(err)}`));
        return;
      }
      const slot = new Slot(worker, runtime.node);
      slot.onReady = resolve;
      slot.onInitFailed = reject;
      this.slots.push(slot);
      const onMessage = (data) => this.#onMessage(slot, data);
      if (runtime.node) {
        worker.on('message', onMessage);
        worker.on('error', (err) => { slot.error = err; });
        worker.on('messageerror', (err) => this.#onCrash(slot, `message error: ${messageOf(err)}`));
        worker.on('exit', (code) => this.#onCrash(slot, slot.error ? messageOf(slot.error) : `worker exited with code ${code}`));
      } else {
        worker.addEventListener('message', (e) => onMessage(e.data));
        worker.addEventListener('error', (e) => {
          e.preventDefault?.();
          this.#onCrash(slot, e.message || 'worker error');
        });
        worker.addEventListener('messageerror', () => this.#onCrash(slot, 'message error'));
      }
      worker.postMessage({ type: 'credcore:init', module: wasmModule(), options: this.#init.options, cache: this.#init.cache, maxInstanceMemory: this.#init.maxInstanceMemory, dataIntegrity: this.#init.dataIntegrity?.() });
    });
  }

  /** Stops a worker and forgets it (what it ran is the caller's to handle). */
  terminate(slot) {
    if (slot.dead) return;
    slot.dead = true;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    this.slots = this.slots.filter((s) => s !== slot);
    try {
      slot.worker.terminate();
    } catch {
      // Already gone.
    }
  }

  /**
   * Records what a worker's answer says of its instance's memory (worker-core.js `recycle`);
   * true when the worker could not replace an instance over the bound and must be retired.
   * @param {Slot} slot
   * @param {any} data
   */
  noteMemory(slot, data) {
    if (typeof data.memory === 'number') slot.memory = data.memory;
    if (data.recycled === true) this.#metrics.recycles++;
    return data.type === 'credcore:result' && data.fatal === true;
  }

  /**
   * Sends `message` to every live worker (in order with its chunks), e.g. what proofs over RDF need.
   * @param {Record<string, unknown>} message
   */
  postAll(message) {
    for (const slot of this.slots) {
      try {
        slot.worker.postMessage(message);
      } catch {
        // A worker that cannot take it answers its items as before (never valid for want of it).
      }
    }
  }

  /** Stops every worker. */
  terminateAll() {
    for (const slot of [...this.slots]) this.terminate(slot);
  }

  /**
   * Starts a worker in place of one lost to a crash, timeout or abort, unless the pool is closed
   * or workers cannot start here.
   * @param {'crash' | 'timeout' | 'abort' | 'recycle'} reason
   */
  replace(reason) {
    this.#metrics.restarted(reason);
    if (this.#isClosed() || this.hopeless) return;
    this.spawn().catch(() => {
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
        this.#events.ready();
        return;
      case 'credcore:init-failed':
        this.#spawnFailures = MAX_SPAWN_FAILURES;
        this.terminate(slot);
        slot.onInitFailed?.(new CredcoreError('WORKER_FAILED', `worker could not initialize: ${data.message}`));
        this.#events.hopeless('worker could not initialize');
        return;
      case 'credcore:result':
      case 'credcore:error':
        this.#events.reply(slot, data);
        return;
      default:
    }
  }

  #onCrash(slot, message) {
    if (slot.dead) return;
    const wasReady = slot.ready;
    this.terminate(slot);
    if (wasReady) {
      this.#events.lost(slot, slot.task, message);
      return;
    }
    this.#spawnFailures++;
    const hopeless = this.hopeless;
    // Why it could not start, naming the URL (a browser's error event says nothing more).
    const settle = (reason) => {
      slot.onInitFailed?.(new CredcoreError('WORKER_FAILED', `worker failed to start: ${reason}`));
      if (hopeless) this.#events.hopeless(`workers cannot start: ${reason}`);
      else this.#events.lost(slot, slot.task, message);
    };
    this.#runtime.diagnose(this.#url, message).then(settle, () => settle(message));
  }
}
