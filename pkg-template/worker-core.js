// credcore: what a pool worker does, whatever runs it (worker.js in browsers, worker.node.js in
// Node): it instantiates the compiled module the pool posts (`initSync`), holds one Verifier with
// its caches, and runs named operations over packed chunks. Messages are namespaced `credcore:*`.
//
// A chunk that traps (see isTrap in errors.js) is answered `trapped`, and the worker goes on with
// a fresh instance of the module (the glue's `__wbg_reset_state`) and a fresh Verifier, its caches
// empty: the pool runs the chunk again, then splits it to find the item that traps (see
// pool/containment.js). A worker that cannot reset says `fatal`, and the pool replaces it.
//
// The wasm is never fetched here: the pool posts the module its entry point compiled, so a worker
// needs only JavaScript, which is what bundlers move.

// @ts-check

import * as glue from './credcore_wasm.js';
import { isTrap, messageOf } from './errors.js';
import { holdContexts, takeNeeded, useModule } from './data-integrity.js';
import { takeKeysWanted, useKeysModule } from './keys-module.js';
import { verifyBatchHosted } from './worker-host.js';

/** Rounds of key documents per chunk, as keys.js KEY_ROUNDS (the worker bundle stays small). */
const KEY_ROUNDS = 3;

/**
 * The pool's end of the channel: `parentPort` in Node, the worker's global scope in browsers.
 * @typedef {{ postMessage(message: unknown, transfer?: Transferable[]): void }} Port
 */

/**
 * Serves the pool's messages on `port`; returns the handler to call with each message's data.
 * `onInstance(glue)` runs after each instantiation (and reset): the Node worker installs its
 * host settler there (host.node.js). `asyncHost`: the host that settles the ECDSA/RSA signatures
 * of a chunk's last round asynchronously (a browser worker's WebCrypto, worker-host.js); runs
 * are then answered in order, one at a time.
 * @param {Port} port
 * @param {{ onInstance?: (g: typeof glue) => void, asyncHost?: import('./host-round.js').AsyncHost | null }} [hooks]
 * @returns {(data: any) => void}
 */
export function serve(port, hooks = {}) {
  let verifier = null;
  /** The Verifier's options and cache configuration, to create it again after a reset. */
  let config = null;
  /** Linear memory (bytes) past which the instance is recycled after a run; 0: never (see recycle). */
  let maxInstanceMemory = 0;
  /**
   * The newest status-list generations the Verifier has seen (JSON) and its change count when
   * copied: a Verifier made again after a trap or a recycle is given them, so that a replaced
   * instance cannot be talked into a list older than one already seen.
   * @type {string | null}
   */
  let statusGenerations = null;
  let generationChanges = -1;

  /** Copies the generations when they changed; returns the copy then (for the pool), else null. */
  function keepStatusGenerations() {
    if (verifier === null) return null;
    const changes = verifier.statusGenerationChanges();
    if (changes === generationChanges) return null;
    statusGenerations = verifier.statusGenerations();
    generationChanges = changes;
    return statusGenerations;
  }

  /** A new Verifier on the current instance, told the generations the one it replaces saw. */
  function newVerifier() {
    const fresh = new glue.Verifier(config.options, config.cache);
    if (statusGenerations !== null) fresh.rememberStatusGenerations(statusGenerations);
    generationChanges = -1;
    return fresh;
  }

  /**
   * Operations by name: each takes the packed chunk and the task's arguments and returns
   * `{ value, transfer?, stats?, need? }`: its answer, buffers to transfer, the Verifier's cache
   * statistics, or (instead of a value) the status lists it needs.
   * @typedef {{ value: unknown, transfer?: Transferable[], stats?: string, need?: string[], keyNeed?: unknown[] }} RunOutput
   * @type {Record<string, (buffer: Uint8Array, args: any) => RunOutput | Promise<RunOutput>>}
   */
  const operations = {
    verifyBatch(buffer, args) {
      const options = typeof args?.options === 'string' ? args.options : '';
      const inner = /** @type {import('./credcore_wasm.js').Verifier} */ (verifier);
      // Key documents the pool fetched for this chunk (keys.js): into the core, never as options.
      if (typeof args?.keyDocuments === 'string') inner.supplyKeyDocuments(args.keyDocuments, typeof args.keyClock === 'number' ? args.keyClock : Date.now());
      const lists = args?.scan === true && args.final !== true;
      const keys = args?.keys === true && (args.keyRounds ?? 0) < KEY_ROUNDS;
      if (keys) {
        const text = inner.verifyBatchOrNeeds(buffer, options, Date.now(), lists, true);
        if (!text.startsWith('{')) return { value: text, stats: inner.statsJson() };
        const needs = JSON.parse(text);
        return { value: null, need: lists ? needs.missing : [], keyNeed: needs.keys };
      }
      // With a resolver on the pool's side (`scan`): a chunk whose items needed status lists that
      // neither the options nor this worker's cache held comes back as `need`; the pool fetches
      // them and sends the chunk again, with them, marked final.
      if (args?.scan === true && args.final !== true) {
        const text = /** @type {import('./credcore_wasm.js').Verifier} */ (verifier).verifyBatchOrMissing(buffer, options, Date.now());
        if (text.startsWith('{')) return { value: null, need: JSON.parse(text).missing };
        return { value: text, stats: verifier.statsJson() };
      }
      const host = hooks.asyncHost ?? null;
      if (host !== null) {
        const current = () => /** @type {import('./credcore_wasm.js').Verifier} */ (verifier);
        return verifyBatchHosted(host, current, buffer, options, Date.now()).then((value) => ({ value, stats: current().statsJson() }));
      }
      const text = verifier.verifyBatchPacked(buffer, options, Date.now());
      return { value: text, stats: verifier.statsJson() };
    },
    verifySignatures(buffer) {
      const flags = glue.verifySignaturesPacked(buffer);
      return { value: flags, transfer: [flags.buffer] };
    },
  };

  /**
   * What the pool sends for proofs over RDF: the compiled Data Integrity module (browsers; a
   * Node worker compiles its own) and contexts its documentLoader gave; and the compiled keys
   * module (x5c chains, secp256k1 and whatever else the worker's host cannot verify: browsers).
   * @param {{ module?: unknown, contexts?: unknown, keys?: unknown } | undefined} di
   */
  function receiveDataIntegrity(di) {
    if (di === null || typeof di !== 'object') return;
    if (di.module instanceof WebAssembly.Module) {
      try {
        useModule(di.module);
      } catch {
        // Its items stay NOT_INITIALIZED; the pool's next answer says so.
      }
    }
    if (di.keys instanceof WebAssembly.Module) {
      try {
        useKeysModule(di.keys);
      } catch {
        // As above: those items stay NOT_INITIALIZED.
      }
    }
    if (Array.isArray(di.contexts)) holdContexts(di.contexts);
  }

  function post(message, transfer) {
    if (transfer) port.postMessage(message, transfer);
    else port.postMessage(message);
  }

  function codeOf(err) {
    if (isTrap(err)) return 'INTERNAL_ERROR';
    return typeof err?.code === 'string' ? err.code : 'INTERNAL_ERROR';
  }

  /** Replaces the trapped instance and the Verifier on it (its caches are lost); false if it cannot. */
  function resetInstance() {
    verifier = null;
    if (typeof glue.__wbg_reset_state !== 'function' || config === null) return false;
    try {
      glue.__wbg_reset_state();
      hooks.onInstance?.(glue);
      verifier = newVerifier();
      return true;
    } catch {
      verifier = null;
      return false;
    }
  }

  /**
   * After a run, replaces an instance whose linear memory went past `maxInstanceMemory` (wasm
   * memory never shrinks: one large chunk would keep its pages for the worker's life), on the
   * trap's path: a fresh instance and Verifier, caches empty. The run's answer was taken out of
   * the old instance before. Returns `{ memory, recycled, fatal }` for the pool's metrics;
   * `fatal` when the instance could not be replaced (the pool replaces the worker).
   * @returns {{ memory: number, recycled: boolean, fatal: boolean }}
   */
  function recycle() {
    const memory = typeof glue.memoryBytes === 'function' ? glue.memoryBytes() : 0;
    if (maxInstanceMemory === 0 || memory <= maxInstanceMemory) return { memory, recycled: false, fatal: false };
    const reset = resetInstance();
    return { memory: reset ? glue.memoryBytes() : memory, recycled: reset, fatal: !reset };
  }

  /** The run being answered asynchronously (hooks.asyncHost); later messages wait for it. */
  let pending = null;

  /** @param {any} data */
  function onMessage(data) {
    if (pending !== null) track(pending.then(() => dispatch(data)));
    else track(dispatch(data));
  }

  /** @param {unknown} outcome */
  function track(outcome) {
    if (!(outcome instanceof Promise)) return;
    const settled = outcome.then(
      () => undefined,
      () => undefined,
    );
    pending = settled;
    settled.then(() => {
      if (pending === settled) pending = null;
    });
  }

  /** @param {any} data @returns {void | Promise<void>} */
  function dispatch(data) {
    if (data === null || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith('credcore:')) return;
    switch (data.type) {
      case 'credcore:init': {
        try {
          glue.initSync({ module: data.module });
          hooks.onInstance?.(glue);
          receiveDataIntegrity(data.dataIntegrity);
          config = { options: data.options ?? '', cache: data.cache ?? '' };
          maxInstanceMemory = Number.isInteger(data.maxInstanceMemory) && data.maxInstanceMemory >= 0 ? data.maxInstanceMemory : 0;
          verifier = new glue.Verifier(config.options, config.cache);
          post({ type: 'credcore:ready' });
        } catch (err) {
          post({ type: 'credcore:init-failed', code: codeOf(err), message: messageOf(err) });
        }
        return;
      }
      case 'credcore:run': {
        const { id, op, buffer, args } = data;
        const fn = Object.prototype.hasOwnProperty.call(operations, op) ? operations[op] : undefined;
        if (verifier === null) {
          post({ type: 'credcore:error', id, code: 'NOT_INITIALIZED', message: 'worker is not initialized' });
          return;
        }
        if (fn === undefined || !(buffer instanceof Uint8Array)) {
          post({ type: 'credcore:error', id, code: 'MALFORMED_INPUT', message: `unknown operation or chunk: ${String(op)}` });
          return;
        }
        /** @param {unknown} err */
        const failed = (err) => {
          // A trap poisons the instance: reset it and say so (the pool isolates the item that
          // trapped); if it cannot be reset, say `fatal`, and the pool replaces this worker.
          const message = messageOf(err);
          if (isTrap(err)) {
            const reset = resetInstance();
            post({ type: 'credcore:error', id, code: 'INTERNAL_ERROR', message, trapped: true, fatal: !reset });
          } else {
            post({ type: 'credcore:error', id, code: codeOf(err), message });
          }
        };
        /** @param {RunOutput} output */
        const answer = ({ value, transfer, stats, need, keyNeed }) => {
          // What this run lacked of the lazily loaded modules (the Data Integrity module and
          // contexts, the keys module): the pool obtains them and runs the items that lacked them
          // again (pool/data-integrity.js).
          const final = op === 'verifyBatch' && need === undefined && keyNeed === undefined;
          const missing = final ? { ...takeNeeded(), keys: takeKeysWanted() } : null;
          const diNeed = missing !== null && (missing.module || missing.keys || missing.contexts.length > 0) ? missing : undefined;
          const generations = op === 'verifyBatch' ? keepStatusGenerations() : null;
          // Never in the middle of a chunk's needs loop: what was supplied in earlier rounds
          // lives in this Verifier.
          const { memory, recycled, fatal } = need === undefined && keyNeed === undefined ? recycle() : { memory: glue.memoryBytes?.() ?? 0, recycled: false, fatal: false };
          post({ type: 'credcore:result', id, value, stats: recycled ? verifier?.statsJson() : stats, need, keyNeed, diNeed, memory, recycled, fatal, generations }, transfer);
        };
        try {
          // What the pool's other workers saw: raises this Verifier's generations, never lowers them.
          if (typeof data.generations === 'string') verifier.rememberStatusGenerations(data.generations);
          takeNeeded();
          takeKeysWanted();
          const output = fn(buffer, args);
          if (output instanceof Promise) {
            return output.then((o) => {
              try {
                answer(o);
              } catch (err) {
                failed(err);
              }
            }, failed);
          }
          answer(output);
        } catch (err) {
          failed(err);
        }
        return;
      }
      case 'credcore:data-integrity': {
        receiveDataIntegrity(data.dataIntegrity);
        return;
      }
      case 'credcore:clear': {
        verifier?.clear();
        return;
      }
      default:
    }
  }

  return onMessage;
}
