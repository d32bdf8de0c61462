// credcore: the Data Integrity round of a Verifier's needs loop. After a call's batch, what its
// proofs over RDF needed and did not have: the credcore-ld module itself (browsers, before
// `loadDataIntegrity()`), and JSON-LD contexts that are neither bundled nor held. The module is
// loaded, the contexts asked of the Verifier's `documentLoader` (at most MAX_CONTEXTS_PER_CALL, each
// once) and handed to the module (never through options: a loaded context is unsigned input),
// and the items that reported them (NOT_INITIALIZED, JSONLD_CONTEXT_UNAVAILABLE) run again; at
// most MAX_ROUNDS rounds (a context may name another). A loader that throws or answers nothing
// leaves those items' JSONLD_CONTEXT_UNAVAILABLE. Nothing is fetched without a loader.

// @ts-check

import { loadDataIntegrity, takeNeeded, withContexts } from './data-integrity.js';
import { CredcoreError } from './errors.js';
import { loadKeys, takeKeysWanted } from './keys-module.js';

/** Most contexts one call asks the documentLoader for. */
export const MAX_CONTEXTS_PER_CALL = 16;
/** Most rounds of one call. */
export const MAX_ROUNDS = 3;
/** Most contexts a Verifier holds from its loader (the oldest goes first). */
export const MAX_HELD_CONTEXTS = 64;
/** Most bytes of one loaded context's JSON text (the module refuses larger ones too). */
export const MAX_CONTEXT_BYTES = 256 * 1024;

/**
 * The documentLoader option, checked.
 * @param {unknown} loader
 * @returns {((url: string) => Promise<object | string>) | undefined}
 */
export function documentLoaderOption(loader) {
  if (loader === undefined) return undefined;
  if (typeof loader !== 'function') throw new CredcoreError('MALFORMED_INPUT', 'documentLoader must be an async function (url) => context', 'documentLoader');
  return /** @type {any} */ (loader);
}

/** Forgets what earlier calls needed (the start of a call). */
export function startRound() {
  takeNeeded();
  takeKeysWanted();
}

/**
 * Runs the rounds.
 * @param {{ results: any[], loader?: (url: string) => Promise<object | string>, held: Map<string, string>, rerun: (items: number[]) => Promise<void> }} call
 */
export async function dataIntegrityRounds({ results, loader, held, rerun }) {
  const asked = new Set();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const need = takeNeeded();
    const codes = new Set();
    if (need.module) {
      await loadDataIntegrity();
      codes.add('NOT_INITIALIZED');
    }
    // The keys module too (x5c chains, browsers before `loadKeys()`): its items run again.
    if (takeKeysWanted()) {
      await loadKeys();
      codes.add('NOT_INITIALIZED');
    }
    if (loader !== undefined) {
      let added = false;
      for (const url of need.contexts) {
        if (asked.has(url) || asked.size >= MAX_CONTEXTS_PER_CALL) continue;
        asked.add(url);
        if (held.has(url)) {
          // Given by an earlier call: lent again, not asked again.
          added = true;
          continue;
        }
        try {
          const doc = await loader(url);
          const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
          if (typeof text !== 'string' || text.length > MAX_CONTEXT_BYTES) continue;
          held.delete(url);
          if (held.size >= MAX_HELD_CONTEXTS) held.delete(/** @type {string} */ (held.keys().next().value));
          held.set(url, text);
          added = true;
        } catch {
          // Unavailable: the items keep JSONLD_CONTEXT_UNAVAILABLE naming the URL.
        }
      }
      if (added) codes.add('JSONLD_CONTEXT_UNAVAILABLE');
    }
    if (codes.size === 0) return;
    const items = [];
    for (let i = 0; i < results.length; i++) {
      if (results[i]?.errors?.some((/** @type {{ code: string }} */ e) => codes.has(e.code))) items.push(i);
    }
    if (items.length === 0) return;
    await withContexts(held, () => rerun(items));
  }
}
