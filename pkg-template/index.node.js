// credcore: Node entry point. Instantiates the wasm synchronously from the file beside it, so the
// API is ready at import (no top-level await) and `require('credcore')` works from the CJS build.

import { readFileSync } from 'node:fs';
import * as glue from './credcore_wasm.js';
import { onInstanceReset, setInstance } from './state.js';
import { defaultMemo } from './credentials.js';

const module = new WebAssembly.Module(readFileSync(new URL('./credcore_wasm_bg.wasm', import.meta.url)));
glue.initSync({ module });
setInstance(glue, module);
// The default verifier's cache ids start again in a replaced instance: decoded copies of the old
// ones must not answer for them.
onInstanceReset(() => defaultMemo.clear());

export * from './api.js';
export { wasmModule } from './state.js';
export { createPool } from './pool.js';

/** Resolves at once in Node: the module is ready at import. */
export function init() {
  return Promise.resolve();
}
