// credcore: the Data Integrity module (credcore_ld_bg.wasm: JSON-LD toRdf and RDFC-1.0), loaded
// only when an item needs it (eddsa-rdfc-2022, ecdsa-rdfc-2019, Ed25519Signature2020). The main module asks it for
// each proof's hash data through `hashData`, synchronously (glue.setCanonicalizer): in Node it is
// compiled from the package's file on the first such item; in browsers `loadDataIntegrity()`
// loads it (the Verifier and pool call it when a batch reports that it is needed), and until then
// those items are NOT_INITIALIZED naming that fix. A trap inside it answers that proof
// INTERNAL_ERROR and replaces its instance. Contexts a Verifier's documentLoader gave are held by
// that Verifier and lent to the module only while its items run again (`withContexts`), so no
// other caller (a module function, another Verifier) sees them. This file moves bytes: every
// decision is the core's.

// @ts-check

import * as ld from './credcore_ld.js';
import { lazyModule } from './lazy-module.js';

/** Context URLs that proofs needed and the module did not hold, since the last `takeNeeded()`. */
const needed = new Set();
/** The contexts lent to the module for the run in progress (url -> JSON text), or null. */
let lent = null;

// Its loading, instances and resets: the same as the keys module's. Each new instance (the first,
// and each after a reset) is handed the contexts lent so far.
const lazy = lazyModule({
  glue: /** @type {any} */ (ld),
  fallback: () => new URL('./credcore_ld_bg.wasm', import.meta.url),
  what: 'the Data Integrity module',
  onInstance: () => lendAll(),
});
const loaded = () => lazy.module() !== null;

const SEP = '\u0001';
const NOT_LOADED = `NOT_INITIALIZED${SEP}${SEP}the Data Integrity module (eddsa-rdfc-2022, ecdsa-rdfc-2019, Ed25519Signature2020) is not loaded: call \`await loadDataIntegrity()\` first (to issue or verify), or verify through a Verifier or a pool, which load it`;

/** Node: how to compile the module synchronously on first use. */
export const setSyncSource = lazy.setSyncSource;

/** Instantiates the compiled module (the main thread's, or one posted to a worker). */
export const useModule = lazy.use;

/** The compiled module, or null before it is loaded. */
export const dataIntegrityModule = lazy.module;

/**
 * Loads the module (idempotent). In Node it is ready at first use anyway; in browsers it is
 * fetched from `source` (default: credcore_ld_bg.wasm beside this file).
 * @param {URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function loadDataIntegrity(source) {
  return lazy.load(source);
}

/**
 * The hash data of one proof (the main module's canonicalizer): 64 bytes (96 with `hash`
 * 'sha-384': ecdsa-rdfc-2019 with P-384), or a failure string `CODE \u0001 context URL \u0001 message`.
 * @param {string} document
 * @param {string} proofConfig
 * @param {'sha-384'} [hash]
 * @returns {Uint8Array | string}
 */
export function hashData(document, proofConfig, hash) {
  try {
    if (!lazy.ready()) return NOT_LOADED;
  } catch (err) {
    return `NOT_INITIALIZED${SEP}${SEP}the Data Integrity module could not be loaded: ${String(/** @type {any} */ (err)?.message ?? err)}`;
  }
  try {
    return hash === 'sha-384' ? ld.hashDataSha384(document, proofConfig) : ld.hashData(document, proofConfig);
  } catch (err) {
    if (typeof err === 'string') {
      const [code, url] = err.split(SEP);
      if (code === 'JSONLD_CONTEXT_UNAVAILABLE' && url) needed.add(url);
      return err;
    }
    // A trap: this instance may be in any state. A fresh one from the same module, with the
    // contexts handed in so far.
    lazy.reset();
    return `INTERNAL_ERROR${SEP}${SEP}the Data Integrity module failed on this proof and was replaced`;
  }
}

/**
 * What the batches since the last call needed: whether the module itself (not loaded), and the
 * context URLs it did not hold.
 */
export function takeNeeded() {
  const out = { module: lazy.takeWanted(), contexts: [...needed] };
  needed.clear();
  return out;
}

/** Most contexts a pool worker holds from its pool's documentLoader (as the module's own bound). */
const MAX_WORKER_CONTEXTS = 64;

/**
 * A pool worker: holds `contexts` (url -> JSON text, from its pool's documentLoader) for every run
 * from now on, the oldest going first past 64. A worker serves one pool, so what that pool's
 * loader gave is lent to all of its runs; the pool never lends them to anyone else.
 * @param {readonly [string, string][]} contexts
 */
export function holdContexts(contexts) {
  lent ??= new Map();
  for (const [url, text] of contexts) {
    if (typeof url !== 'string' || typeof text !== 'string') continue;
    lent.delete(url);
    if (lent.size >= MAX_WORKER_CONTEXTS) lent.delete(/** @type {string} */ (lent.keys().next().value));
    lent.set(url, text);
    if (loaded()) {
      try {
        ld.addContext(url, text);
      } catch {
        // Refused (too large, not an object): its items stay JSONLD_CONTEXT_UNAVAILABLE.
      }
    }
  }
}

/** Hands the lent contexts to the module (after instantiation or a reset). */
function lendAll() {
  if (lent === null || !loaded()) return;
  for (const [url, text] of lent) {
    try {
      ld.addContext(url, text);
    } catch {
      // A context the module refuses (too large, not an object): its items stay unavailable.
    }
  }
}

/**
 * Runs `fn` with `contexts` (url -> JSON text, from a documentLoader) lent to the module; they
 * are withdrawn when it settles. Runs do not nest: a second run replaces the first's contexts,
 * whose items then fail closed (JSONLD_CONTEXT_UNAVAILABLE).
 * @template T
 * @param {Map<string, string>} contexts
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withContexts(contexts, fn) {
  const mine = new Map(contexts);
  lent = mine;
  if (loaded()) ld.clearContexts();
  lendAll();
  try {
    return await fn();
  } finally {
    if (lent === mine) {
      lent = null;
      if (loaded()) ld.clearContexts();
    }
  }
}
