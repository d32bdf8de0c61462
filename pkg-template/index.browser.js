// credcore: browser entry point. `await init()` once (idempotent); it accepts a URL, bytes, a
// Response or a compiled WebAssembly.Module, and defaults to the .wasm file beside this module
// (`new URL('./credcore_wasm_bg.wasm', import.meta.url)`, which bundlers recognize and emit). It
// imports nothing from `node:`.

// @ts-check

import * as glue from './credcore_wasm.js';
import { setInstance, onInstanceReset } from './state.js';
import { hashData } from './data-integrity.js';
import { installKeys } from './keys-module.js';
import { CredcoreError } from './errors.js';
import { createPool as startPool } from './pool.js';
import { browserRuntime } from './pool/runtime.browser.js';
import { webAsyncHost } from './host.browser.js';
import { setAsyncHost } from './host-round.js';

// This module's URL, kept apart from `new URL(...)` so that bundlers see one reference to
// worker.js, the worker below, and emit no second copy of it for messages.
const here = import.meta.url;
const WORKER_FILE = './worker.js';

const runtime = browserRuntime(
  () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'credcore' }),
  () => {
    try {
      return new URL(WORKER_FILE, here).href;
    } catch {
      return WORKER_FILE;
    }
  },
);

let ready = null;

const HELP = 'serve credcore_wasm_bg.wasm at that URL (see the README\'s bundler section), or pass its URL, bytes or a WebAssembly.Module to init()';

/**
 * Fetches and compiles the module at `source`; errors name the URL, the cause and the fix.
 * @param {URL | string | Response} source
 */
async function compileFrom(source) {
  const where = source instanceof Response ? source.url || 'the Response given to init()' : String(source);
  let response;
  try {
    response = source instanceof Response ? source : await fetch(source);
  } catch (err) {
    throw new CredcoreError('NOT_INITIALIZED', `credcore: cannot fetch the wasm module from ${where} (${String(/** @type {any} */ (err)?.message ?? err)}); ${HELP}`);
  }
  if (!response.ok) throw new CredcoreError('NOT_INITIALIZED', `credcore: cannot load the wasm module from ${where} (HTTP ${response.status}); ${HELP}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // `\0asm`: anything else is a page a server answered instead (an SPA fallback, a dev server
  // that moved the package, e.g. Vite's dependency pre-bundling).
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const type = response.headers.get('content-type') ?? 'no content-type';
    throw new CredcoreError('NOT_INITIALIZED', `credcore: ${where} is not a wasm module (${type}, ${bytes.length} bytes); ${HELP}. With Vite's dev server, exclude credcore from pre-bundling (optimizeDeps: { exclude: ['credcore'] })`);
  }
  return WebAssembly.compile(bytes);
}

/**
 * Loads the wasm module. Calling it again returns the same promise.
 * @param {URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module} [input]
 * @returns {Promise<void>}
 */
export function init(input) {
  if (ready === null) {
    ready = (async () => {
      let module;
      if (input instanceof WebAssembly.Module) {
        module = input;
      } else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
        module = await WebAssembly.compile(/** @type {BufferSource} */ (input));
      } else {
        module = await compileFrom(input ?? new URL('./credcore_wasm_bg.wasm', import.meta.url));
      }
      // The glue keeps the module: after a trap, state.js replaces the instance from it.
      glue.initSync({ module });
      setInstance(glue, module);
      // Data Integrity proofs over RDF: answered by the credcore-ld module once it is loaded
      // (loadDataIntegrity(); a Verifier loads it when a batch needs it).
      glue.setCanonicalizer(hashData);
      onInstanceReset(() => glue.setCanonicalizer(hashData));
      // x5c certificate chains, ECDSA and RSA on the synchronous paths, secp256k1, ECDSA signing:
      // answered by the keys module once it is loaded (loadKeys(); a
      // Verifier loads it when a batch needs it).
      installKeys(glue);
      onInstanceReset(() => installKeys(glue));
      // A Verifier's ECDSA and RSA signatures go to WebCrypto where the page has it (a secure
      // context); the synchronous module functions settle them in the keys module.
      if (globalThis.crypto?.subtle !== undefined) setAsyncHost(webAsyncHost);
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

export * from './api.js';
export { wasmModule } from './state.js';
export { loadDataIntegrity } from './data-integrity.js';
export { loadKeys } from './keys-module.js';
export { loadIssuing } from './issuing.js';

/**
 * Starts a pool of module Web Workers (after `init()`, which it awaits) and resolves when they are ready.
 * @example const pool = await createPool({ workers: navigator.hardwareConcurrency });
 * @param {import('./index.js').PoolOptions} [options]
 */
export async function createPool(options) {
  await init();
  return startPool(options, runtime);
}
