// credcore: the one wasm instance of this realm, set by the Node or browser entry point, and its
// containment. A call into wasm that traps (a panic is `unreachable` under panic=abort, an
// out-of-bounds access, the stack running out) leaves the instance in whatever state it stopped
// in: a RefCell still borrowed, a shadow stack pointer not restored, a half-written cache. So
// `call()` answers that call with INTERNAL_ERROR and replaces the instance with a fresh one of
// the same compiled module (the glue's `__wbg_reset_state`), and the next call works.
//
// What a reset loses: every cache of the instance, and every object created on it. Such objects
// (wasm-bindgen handles) refuse to be used afterwards ("stale"); `instanceGeneration()` tells
// wrappers that the instance changed, so that they can create their handle again.

// @ts-check

import { CredcoreError, isTrap, rethrow } from './errors.js';

let glue = null;
let compiled = null;
/** Changes whenever the instance does (set, replaced). */
let generation = 0;
/** The glue's own instance id (`__wbg_instance_id`): how many times its state was reset. */
let glueInstance = 0;
/** Nesting of `call()`: wasm can call into JS (imports, getters of arguments) that calls in again. */
let depth = 0;
/** A trap seen by a nested call, contained when the outermost call returns. */
let pendingTrap = null;
/** The trap whose instance could not be replaced yet (instantiation failed): retried first. */
let broken = null;
const listeners = new Set();

const FREE_GUARD = Symbol('credcore.freeGuard');

/**
 * Records the initialized wasm-bindgen glue and the compiled module (for workers and resets).
 * Guards `free()` of the glue's classes: the reset-state glue checks every method of an object
 * of a replaced instance except `free`, which would free that object's old address in the new
 * instance's memory. A stale object is only detached (its memory went with its instance).
 */
export function setInstance(g, module) {
  glue = g;
  compiled = module;
  generation++;
  broken = null;
  for (const value of Object.values(g)) {
    const proto = typeof value === 'function' ? value.prototype : undefined;
    if (!proto || !Object.prototype.hasOwnProperty.call(proto, 'free') || typeof proto.__destroy_into_raw !== 'function') continue;
    const original = proto.free;
    if (original[FREE_GUARD]) continue;
    /** @this {any} */
    const guarded = function free() {
      if (this.__wbg_inst !== undefined && this.__wbg_inst !== glueInstance) {
        this.__destroy_into_raw();
        return undefined;
      }
      return original.call(this);
    };
    guarded[FREE_GUARD] = true;
    proto.free = guarded;
    if (typeof Symbol.dispose === 'symbol' && proto[Symbol.dispose] === original) proto[Symbol.dispose] = guarded;
  }
}

/** The initialized glue; throws `NOT_INITIALIZED` before `init()` has resolved. */
export function wasm() {
  if (glue === null) throw new CredcoreError('NOT_INITIALIZED', 'credcore is not initialized: call `await init()` first');
  return glue;
}

/** The compiled `WebAssembly.Module`, or null before initialization. */
export function wasmModule() {
  return compiled;
}

/**
 * A number that changes whenever the instance is replaced. A wrapper that holds a wasm handle
 * records it when it creates the handle, and creates the handle again (caches empty) when it
 * differs: the old handle belonged to the discarded instance.
 */
export function instanceGeneration() {
  return generation;
}

/** Calls `listener()` after each replacement of the instance; returns a function that stops it. */
export function onInstanceReset(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Replaces the instance with a fresh one of the same module. Returns false when the glue cannot
 * (built without `--experimental-reset-state-function`) or instantiation failed (then the next
 * call tries again before it runs).
 */
function replaceInstance(cause) {
  if (typeof glue?.__wbg_reset_state !== 'function') return false;
  // The glue counts its instances before it instantiates: objects are stale from here on.
  glueInstance++;
  generation++;
  try {
    glue.__wbg_reset_state();
  } catch (err) {
    broken = { cause, err };
    return false;
  }
  broken = null;
  for (const listener of [...listeners]) {
    try {
      listener();
    } catch {
      // A listener only drops what the old instance made.
    }
  }
  return true;
}

function internal(message) {
  return new CredcoreError('INTERNAL_ERROR', `credcore internal error: ${message}`);
}

/**
 * Runs `fn` with the initialized glue; core errors come out as `CredcoreError`s. A trap in `fn`
 * (or in a nested call) throws INTERNAL_ERROR, and once the outermost call has unwound the
 * instance is replaced: the next call runs on a fresh one.
 */
export function call(fn) {
  const g = wasm();
  if (broken !== null && depth === 0 && !replaceInstance(broken.cause)) {
    throw internal(`the wasm instance trapped (${broken.cause?.message}) and could not be replaced: ${broken.err?.message ?? broken.err}`);
  }
  let value;
  let failure;
  let failed = false;
  depth++;
  try {
    value = fn(g);
  } catch (err) {
    failed = true;
    failure = err;
  } finally {
    depth--;
  }
  if (failed && isTrap(failure)) pendingTrap ??= failure;
  if (pendingTrap !== null) {
    // Whatever `fn` returned came from an instance that trapped on the way: not an answer.
    const cause = pendingTrap;
    if (depth > 0) throw internal(String(cause.message));
    pendingTrap = null;
    const replaced = replaceInstance(cause);
    throw internal(`${cause.message}${replaced ? ' (the wasm instance was replaced)' : ''}`);
  }
  if (failed) rethrow(failure);
  return value;
}
