// credcore: the pool's workers (worker_threads in Node, module Web Workers in browsers): starting
// them with the compiled module, telling their messages and deaths to the scheduler, replacing
// the ones that die. Messages are namespaced `credcore:*` (see worker.js for the other side).

// @ts-check

import { CredcoreError, messageOf } from '../errors.js';
import { wasmModule } from '../state.js';

export const isNode = typeof process === 'object' && typeof process?.versions?.node === 'string' && typeof window === 'undefined';

// A worker that dies before it is ready this many times in a row means workers cannot start
// here (wrong URL, no wasm): stop respawning and fail what waits.
const MAX_SPAWN_FAILURES = 3;

/** The number of workers to start when the caller does not say: the core count. */
export async function defaultWorkerCount() {
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

/** One worker and what it runs. */
export class Slot {
  /** @param {any} worker a worker_threads Worker or a Web Worker */
  constructor(worker) {
    this.worker = worker;
    this.ready = false;
    this.dead = false;
    /** The chunk it runs. @type {import('./scheduler.js').Chunk | null} */
    this.task = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** Its Verifier's cache statistics, from its last answer. @type {Record<string, any> | null} */
    this.stats = null;
    this.referenced = true;
    /** Node: the error event that came before the exit, if any. @type {any} */
    this.error = undefined;
    /** Settle the promise of its start. @type {((value?: any) => void) | undefined} */
    this.onReady = undefined;
    /** @type {((err: Error) => void) | undefined} */
    this.onInitFailed = undefined;
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
  /** The runtime's Worker class, once `load()` found it. @type {any} */
  #Worker = null;
  #url;
  #init;
  #metrics;
  #isClosed;
  #events;
  #spawnFailures = 0;

  /**
   * @param {object} config
   * @param {URL | string} config.url where worker.js is
   * @param {{ options: string, cache: string }} config.init each worker's Verifier options and cache JSON
   * @param {import('../metrics.js').PoolMetrics} config.metrics
   * @param {() => boolean} config.isClosed whether the pool is closed (no more replacements)
   * @param {WorkerEvents} config.events
   */
  constructor({ url, init, metrics, isClosed, events }) {
    this.#url = url;
    this.#init = init;
    this.#metrics = metrics;
    this.#isClosed = isClosed;
    this.#events = events;
  }

  /** Finds the runtime's Worker class; throws WORKER_FAILED when it has none. */
  async load() {
    if (isNode) this.#Worker = (await import('node:worker_threads')).Worker;
    else if (typeof Worker === 'function') this.#Worker = Worker;
    else throw new CredcoreError('WORKER_FAILED', 'this runtime has no Worker');
  }

  /** Whether workers failed to start so often in a row that none will. */
  get hopeless() {
    return this.#spawnFailures >= MAX_SPAWN_FAILURES;
  }

  /** Starts a worker; resolves when it is ready, rejects with WORKER_FAILED if it cannot start. */
  spawn() {
    return new Promise((resolve, reject) => {
      const WorkerClass = this.#Worker;
      let worker;
      try {
        worker = isNode ? new WorkerClass(this.#url, { execArgv: workerExecArgv() }) : new WorkerClass(this.#url, { type: 'module', name: 'credcore' });
      } catch (err) {
        reject(new CredcoreError('WORKER_FAILED', `cannot start a worker: ${messageOf(err)}`));
        return;
      }
      const slot = new Slot(worker);
      slot.onReady = resolve;
      slot.onInitFailed = reject;
      this.slots.push(slot);
      const onMessage = (data) => this.#onMessage(slot, data);
      if (isNode) {
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
      worker.postMessage({ type: 'credcore:init', module: wasmModule(), options: this.#init.options, cache: this.#init.cache });
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

  /** Stops every worker. */
  terminateAll() {
    for (const slot of [...this.slots]) this.terminate(slot);
  }

  /**
   * Starts a worker in place of one lost to a crash, timeout or abort, unless the pool is closed
   * or workers cannot start here.
   * @param {'crash' | 'timeout' | 'abort'} reason
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
    if (!wasReady) {
      this.#spawnFailures++;
      slot.onInitFailed?.(new CredcoreError('WORKER_FAILED', `worker failed to start: ${message}`));
      if (this.hopeless) {
        this.#events.hopeless(`workers cannot start: ${message}`);
        return;
      }
    }
    this.#events.lost(slot, slot.task, message);
  }
}
