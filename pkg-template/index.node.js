// credcore: Node entry point. Instantiates the wasm synchronously from the file beside it, so the
// API is ready at import (no top-level await) and `require('credcore')` works from the CJS build.

// @ts-check

import { readFileSync } from 'node:fs';
import * as glue from './credcore_wasm.js';
import { setInstance } from './state.js';

const module = new WebAssembly.Module(readFileSync(new URL('./credcore_wasm_bg.wasm', import.meta.url)));
glue.initSync({ module });
setInstance(glue, module);

export * from './api.js';
export { wasmModule } from './state.js';
export { createPool } from './pool.js';

/** Resolves at once in Node: the module is ready at import. */
export function init() {
  return Promise.resolve();
}
