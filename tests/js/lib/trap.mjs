// Real traps of the package's own wasm instance, for the containment tests (Node and browsers).
//
// `trappingBytes(c)` returns bytes whose `length` getter (which the core reads through a glue
// import while the package's call is inside wasm) calls a raw export of that same instance,
// `verifyBatchFramed`, with a chunk address past the end of memory: the module reads out of
// bounds while it holds the default verifier borrowed, which is the state a panic leaves behind
// (before containment, every later verification failed with "verifier busy"). The trap unwinds
// through the package's call, whose recovery runs on a real WebAssembly.RuntimeError.

export { TRAP_MARKER, EXIT_MARKER } from './trap-worker-markers.mjs';

/** The package's glue module: the very instance its entry point initialized (same URL). */
export async function glueOf() {
  return import(new URL('./credcore_wasm.js', import.meta.resolve('credcore')).href);
}

/** Bytes that make the live instance trap when the core reads their length (see the header). */
export function trappingBytes(glue, c) {
  // Once initialized, initSync returns the live instance's exports (a fresh one after a reset).
  const raw = glue.initSync({ module: c.wasmModule() });
  return new Proxy(new Uint8Array(4), {
    get(target, key) {
      if (key === 'length') raw.verifyBatchFramed(0xffffff00, 64, 1, 0, 0);
      return Reflect.get(target, key);
    },
  });
}

/** The issuing module's glue (the instance issuing.js initialized; load it first). */
export async function issuingGlueOf() {
  return import(new URL('./credcore_issuing.js', import.meta.resolve('credcore')).href);
}

/**
 * Bytes that make the issuing module's live instance trap when it reads their length (pass them
 * as the message of `sign`): the getter calls its raw `validateSession` with a token and a key
 * past the end of its memory.
 */
export function issuingTrappingBytes(glue) {
  // Once initialized, initSync returns the live instance's exports whatever it is given.
  const raw = glue.initSync({ module: /** @type {any} */ (null) });
  return new Proxy(new Uint8Array(4), {
    get(target, key) {
      if (key === 'length') raw.validateSession(0xffffff00, 64, 0xffffff00, 32, 0);
      return Reflect.get(target, key);
    },
  });
}

/** The test worker that wraps the package's worker.js (see trap-worker.mjs). */
export function trapWorkerUrl(runtime) {
  const url = new URL('./trap-worker.mjs', import.meta.url);
  // Module workers see no import map: tell it where the package's worker.js is.
  if (runtime === 'browser') url.searchParams.set('worker', new URL('./worker.js', import.meta.resolve('credcore')).href);
  return url;
}
