// credcore: browser entry point. `await init()` once (idempotent); it accepts a URL, bytes, a
// Response or a compiled WebAssembly.Module, and defaults to the .wasm file beside this module.

// @ts-check

import * as glue from './credcore_wasm.js';
import { setInstance } from './state.js';
import { createPool as startPool } from './pool.js';

let ready = null;

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
        const source = input ?? new URL('./credcore_wasm_bg.wasm', import.meta.url);
        const response = source instanceof Response ? source : await fetch(source);
        if (!response.ok) throw new Error(`credcore: cannot load wasm (${response.status})`);
        module = await WebAssembly.compile(await response.arrayBuffer());
      }
      // The glue keeps the module: after a trap, state.js replaces the instance from it.
      glue.initSync({ module });
      setInstance(glue, module);
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

export * from './api.js';
export { wasmModule } from './state.js';

/**
 * Starts a pool of module Web Workers (after `init()`, which it awaits) and resolves when they are ready.
 * @example const pool = await createPool({ workers: navigator.hardwareConcurrency });
 */
export async function createPool(options) {
  await init();
  return startPool(options);
}
