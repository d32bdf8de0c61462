// credcore: Data Integrity proofs over RDF in a pool. A worker whose run lacked something for
// them says so with its results (`diNeed`: the Data Integrity module itself, which browser
// workers are not given until a chunk needs it, and JSON-LD contexts it does not hold); this
// thread obtains them (the module: `loadDataIntegrity()`, posted compiled to every worker and to
// the ones started later; contexts: the pool's `documentLoader`, which runs here because
// functions cannot be posted), hands them to every worker, and runs again the chunk's items that
// lacked them (pool.js #supplyDataIntegrity; a batch of its own in the pool's metrics), so that
// nothing else of the chunk, poison graphs included, costs twice. Bounds as a Verifier's
// (data-integrity-round.js): at most MAX_CONTEXTS_PER_CALL loads per call (a batch, with its
// rounds), each at most MAX_CONTEXT_BYTES and `fetchTimeoutMs`, MAX_HELD_CONTEXTS held,
// MAX_ROUNDS rounds. A loader that throws, answers junk or no answer in time leaves those items
// JSONLD_CONTEXT_UNAVAILABLE: their results of the last run stand. The keys module (x5c chains,
// secp256k1, and ECDSA/RSA where a browser worker has no WebCrypto) travels the same way: a
// browser worker whose run wanted it says so (`diNeed.keys`), the pool loads it (`loadKeys()`),
// posts it compiled and runs those items again. This file moves bytes: every verdict is the
// workers' core's.
//
// Why the module is sent on first need rather than at start: a pool that never sees a proof
// over RDF never pays for it (450 KiB compiled and instantiated in every worker); a pool whose
// page already loaded it (`loadDataIntegrity()` before `createPool`) sends it at start, since
// then it costs only the instantiation.

// @ts-check

import { dataIntegrityModule, loadDataIntegrity } from '../data-integrity.js';
import { keysModule, loadKeys } from '../keys-module.js';
import { CredcoreError } from '../errors.js';
import { MAX_CONTEXTS_PER_CALL, MAX_CONTEXT_BYTES, MAX_HELD_CONTEXTS, MAX_ROUNDS } from '../data-integrity-round.js';

/**
 * What a worker says its run lacked: the Data Integrity module, contexts, the keys module.
 * @typedef {{ module: boolean, contexts: string[], keys?: boolean }} DataIntegrityNeed
 */

/**
 * Throws MALFORMED_INPUT for a call's `documentLoader`: it is the pool's (as a Verifier's), never a call's.
 * @param {object} options a call's options
 */
export function refuseCallLoader(options) {
  if (options !== null && typeof options === 'object' && 'documentLoader' in options) {
    throw new CredcoreError('MALFORMED_INPUT', 'documentLoader is an option of new Verifier() or createPool(), never of a call', 'options.documentLoader');
  }
}

/** A loader's answer as JSON text of an object, or null for anything else. */
function contextText(/** @type {unknown} */ doc) {
  let text;
  if (typeof doc === 'string') text = doc;
  else if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    try {
      text = JSON.stringify(doc);
    } catch {
      return null;
    }
  } else return null;
  if (typeof text !== 'string' || text.length > MAX_CONTEXT_BYTES) return null;
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? text : null;
  } catch {
    return null;
  }
}

/** `promise`, or null after `ms`. */
function within(/** @type {Promise<unknown>} */ promise, /** @type {number} */ ms) {
  /** @type {any} */
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Loads a lazily loaded module here (`load`, idempotent) and posts it (`post`) unless it was
 * already: true when the workers hold it (or will, from a message already sent: a worker that
 * ran its chunk before the message reached it holds it now), false if it cannot be had.
 * @param {() => Promise<void>} load
 * @param {() => WebAssembly.Module | null} compiled
 * @param {boolean} alreadySent
 * @param {(module: WebAssembly.Module) => void} post
 */
async function sendOnce(load, compiled, alreadySent, post) {
  try {
    await load();
  } catch {
    return false;
  }
  const module = compiled();
  if (module === null) return false;
  if (!alreadySent) post(module);
  return true;
}

/** The pool's side of proofs over RDF: the module and contexts its workers hold. */
export class PoolDataIntegrity {
  #loader;
  #timeoutMs;
  #post;
  /** Contexts the loader gave (url -> JSON text), oldest first. @type {Map<string, string>} */
  held = new Map();
  /** Loads under way (single flight): url -> its text or null. @type {Map<string, Promise<string | null>>} */
  #loading = new Map();
  /** Whether the workers were sent the module. */
  #moduleSent = false;
  /** Whether the workers were sent the keys module. */
  #keysSent = false;

  /**
   * @param {object} config
   * @param {((url: string) => Promise<object | string>) | undefined} config.loader the pool's documentLoader
   * @param {number} config.timeoutMs the longest one load may take
   * @param {(message: { module?: WebAssembly.Module, contexts?: [string, string][], keys?: WebAssembly.Module }) => void} config.post
   *   sends to every live worker
   */
  constructor({ loader, timeoutMs, post }) {
    this.#loader = loader;
    this.#timeoutMs = timeoutMs;
    this.#post = post;
  }

  /** What a worker started now is given: the modules once sent (or already loaded here), every held context. */
  forNewWorker() {
    const module = dataIntegrityModule();
    if (module !== null) this.#moduleSent = true;
    const keys = keysModule();
    if (keys !== null) this.#keysSent = true;
    return { module: module ?? undefined, contexts: [...this.held], keys: keys ?? undefined };
  }

  /**
   * Before a batch is queued: posts the Data Integrity module this thread loaded after the
   * workers started (once), so that their first chunk over RDF finds it. A browser worker then
   * needs no `diNeed` round for it; a Node worker uses this thread's compiled code (a posted
   * `WebAssembly.Module` shares its compiled code with the receiving thread) instead of compiling
   * its own copy of the module on its first proof. The message reaches each worker before the
   * batch's chunks do (one channel, in order). Nothing is loaded here: a pool that never sees a
   * proof over RDF still never pays for the module.
   */
  shareLoaded() {
    if (this.#moduleSent) return;
    const module = dataIntegrityModule();
    if (module === null) return;
    this.#moduleSent = true;
    this.#post({ module });
  }

  /**
   * Obtains what a run lacked; true when something new reached the workers, so that the items that
   * lacked it are worth running again (at most MAX_ROUNDS rounds: `rounds` is how many they had).
   * @param {DataIntegrityNeed} need
   * @param {{ asked?: Set<string> }} batch the call, whose loads are counted
   * @param {number} rounds
   * @returns {Promise<boolean>}
   */
  async supply(need, batch, rounds) {
    if (rounds >= MAX_ROUNDS) return false;
    let gained = false;
    if (need.module === true) gained = (await this.#sendModule()) || gained;
    if (need.keys === true) gained = (await this.#sendKeys()) || gained;
    if (this.#loader !== undefined && Array.isArray(need.contexts)) {
      const asked = (batch.asked ??= new Set());
      const loads = [];
      for (const url of need.contexts) {
        if (typeof url !== 'string') continue;
        // Held (another chunk loaded it since this one ran): the workers have it now.
        if (this.held.has(url)) {
          gained = true;
          continue;
        }
        // Under way for another chunk: its answer.
        const pending = this.#loading.get(url);
        if (pending !== undefined) {
          loads.push(pending.then((text) => text !== null));
          continue;
        }
        // Asked in this call and not had: not asked again.
        if (asked.has(url) || asked.size >= MAX_CONTEXTS_PER_CALL) continue;
        asked.add(url);
        loads.push(this.#load(url));
      }
      for (const ok of await Promise.all(loads)) gained = ok || gained;
    }
    return gained;
  }

  /** Loads the Data Integrity module here (idempotent) and posts it to every worker; false if it cannot be had. */
  async #sendModule() {
    const sent = await sendOnce(loadDataIntegrity, dataIntegrityModule, this.#moduleSent, (module) => this.#post({ module }));
    this.#moduleSent ||= sent;
    return sent;
  }

  /** Loads the keys module here (idempotent) and posts it to every worker; false if it cannot be had. */
  async #sendKeys() {
    const sent = await sendOnce(loadKeys, keysModule, this.#keysSent, (keys) => this.#post({ keys }));
    this.#keysSent ||= sent;
    return sent;
  }

  /** One context through the loader (single flight): true when it is held and was sent. */
  async #load(/** @type {string} */ url) {
    let pending = this.#loading.get(url);
    if (pending === undefined) {
      const loader = /** @type {(url: string) => Promise<object | string>} */ (this.#loader);
      pending = within(Promise.resolve().then(() => loader(url)), this.#timeoutMs)
        .then(contextText, () => null)
        .then((text) => {
          if (text !== null) this.#hold(url, text);
          return text;
        })
        .finally(() => this.#loading.delete(url));
      this.#loading.set(url, pending);
    }
    return (await pending) !== null;
  }

  #hold(/** @type {string} */ url, /** @type {string} */ text) {
    this.held.delete(url);
    if (this.held.size >= MAX_HELD_CONTEXTS) this.held.delete(/** @type {string} */ (this.held.keys().next().value));
    this.held.set(url, text);
    // Workers drop their oldest past the same bound, in the same order.
    this.#post({ contexts: [[url, text]] });
  }
}
