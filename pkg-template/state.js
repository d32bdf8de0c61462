// credcore: the one wasm instance of this realm, set by the Node or browser entry point.

import { rethrow } from './errors.js';

let glue = null;
let compiled = null;

/** Records the initialized wasm-bindgen glue and the compiled module (for workers). */
export function setInstance(g, module) {
  glue = g;
  compiled = module;
}

/** The initialized glue; throws `NOT_INITIALIZED` before `init()` has resolved. */
export function wasm() {
  if (glue === null) {
    const err = new Error('credcore is not initialized: call `await init()` first');
    err.name = 'CredcoreError';
    err.code = 'NOT_INITIALIZED';
    throw err;
  }
  return glue;
}

/** The compiled `WebAssembly.Module`, or null before initialization. */
export function wasmModule() {
  return compiled;
}

/** Runs `fn` with the initialized glue; core errors come out as `CredcoreError`s. */
export function call(fn) {
  try {
    return fn(wasm());
  } catch (err) {
    return rethrow(err);
  }
}
