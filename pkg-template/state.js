// credcore: the wasm instances of this JS realm and their containment: the default module's (set
// by the Node or browser entry point; `call` and the other exports below) and the lazily loaded
// issuing module's (issuing.js), each an `instanceRealm`. A call into wasm that traps (a panic
// is `unreachable` under panic=abort, an out-of-bounds access, the stack running out) leaves the
// instance in whatever state it stopped in: a RefCell still borrowed, a shadow stack pointer not restored, a half-written cache. So
// `call()` answers that call with INTERNAL_ERROR and replaces the instance with a fresh one of
// the same compiled module (the glue's `__wbg_reset_state`), and the next call works.
//
// What a reset loses: every cache of the instance, and every object created on it. Such objects
// (wasm-bindgen handles) refuse to be used afterwards ("stale"); `instanceGeneration()` tells
// wrappers that the instance changed, so that they can create their handle again.

// @ts-check

import { CredcoreError, isTrap, rethrow } from './errors.js';

const FREE_GUARD = Symbol('credcore.freeGuard');

// ---- the memory bound: recycling -----------------------------------------------------------
// A wasm instance's linear memory grows and never shrinks: one large input keeps its pages for
// the life of the instance. So after a call whose instance went past `maxInstanceMemory` bytes,
// the instance is replaced by a fresh one of the same module, on the path a trap takes (objects
// of the old instance are stale; a Verifier creates its handle again, its caches empty). The
// call's own answer is already out of the old instance, so a recycle never changes a result.
// Objects whose state lives only in the instance (an AuditLog's chain, a SessionStore's
// revocations, a StatusList being issued) pin it: while one is alive and not freed, the
// instance is never recycled (only a trap replaces it). The bound is one for every instance.

/** The default bound of a wasm instance's linear memory, in bytes (main thread and pool workers). */
export const DEFAULT_MAX_INSTANCE_MEMORY = 64 * 1024 * 1024;
let maxInstanceMemory = DEFAULT_MAX_INSTANCE_MEMORY;

/**
 * Sets the bound (bytes; 0: never recycle) and returns the previous one. Values below 1 MiB
 * other than 0 are refused: every call would then recycle.
 */
export function setMaxInstanceMemory(bytes) {
  const previous = maxInstanceMemory;
  maxInstanceMemory = instanceMemoryBound(bytes);
  return previous;
}

/** A `maxInstanceMemory` option checked (undefined: the default); MALFORMED_INPUT otherwise. */
export function instanceMemoryBound(bytes) {
  if (bytes === undefined) return DEFAULT_MAX_INSTANCE_MEMORY;
  if (!Number.isInteger(bytes) || bytes < 0 || (bytes > 0 && bytes < 1024 * 1024)) {
    throw new CredcoreError('MALFORMED_INPUT', 'maxInstanceMemory must be 0 (never) or an integer of at least 1 MiB (1048576)', 'maxInstanceMemory');
  }
  return bytes;
}

/**
 * The instance of one wasm module in this realm, and its containment.
 * @param {{ notInitialized: () => CredcoreError, ensure?: () => void }} spec `notInitialized`:
 *   the error of a call before the module is instantiated; `ensure`: instantiates it where that
 *   can be done synchronously (Node compiles the issuing module on first use), called by such a call.
 */
export function instanceRealm({ notInitialized, ensure }) {
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
  let recycles = 0;
  /** WeakRefs of live objects that pin the instance (see `pinInstance`). */
  const pins = new Set();
  const unpinned = new FinalizationRegistry((ref) => pins.delete(ref));
  /** Holds taken by `holdInstance` and not released yet. */
  let holds = 0;

  /**
   * Records the initialized wasm-bindgen glue and the compiled module (for workers and resets).
   * Guards `free()` of the glue's classes: the reset-state glue checks every method of an object
   * of a replaced instance except `free`, which would free that object's old address in the new
   * instance's memory. A stale object is only detached (its memory went with its instance).
   */
  function setInstance(g, module) {
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

  /** The initialized glue; throws `NOT_INITIALIZED` before the module is instantiated. */
  function wasm() {
    if (glue === null) ensure?.();
    if (glue === null) throw notInitialized();
    return glue;
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

  /**
   * Runs `fn` with the initialized glue; core errors come out as `CredcoreError`s. A trap in `fn`
   * (or in a nested call) throws INTERNAL_ERROR, and once the outermost call has unwound the
   * instance is replaced: the next call runs on a fresh one.
   * @template T
   * @param {(glue: any) => T} fn
   * @returns {T}
   */
  function call(fn) {
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
    // After an answer or a coded error alike; never under an object the call just made on the
    // instance (a Verifier's handle): it would be stale at once.
    if (depth === 0 && !(value !== null && typeof value === 'object' && '__wbg_ptr' in value)) recycleIfOverBound();
    if (failed) rethrow(failure);
    return /** @type {T} */ (value);
  }

  /**
   * Keeps the instance from being recycled while `obj` (which holds state of the instance that
   * cannot be rebuilt) is alive and not freed: call it with the object that owns such a handle.
   * @param {object} obj
   */
  function pinInstance(obj) {
    const ref = new WeakRef(obj);
    pins.add(ref);
    unpinned.register(obj, ref, ref);
    return () => {
      pins.delete(ref);
      unpinned.unregister(ref);
    };
  }

  /**
   * Keeps the instance from being recycled until the returned function is called (once): for a
   * call that spans awaits with state in the instance between its rounds (key documents supplied
   * to a Verifier, then its items run again).
   */
  function holdInstance() {
    holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holds--;
    };
  }

  /** `{ bytes, maxBytes, recycles, pinned }`: the instance's linear memory now, its bound, recycles so far, live pins. */
  function instanceMemory() {
    const g = wasm();
    for (const ref of pins) if (ref.deref() === undefined) pins.delete(ref);
    return { bytes: typeof g.memoryBytes === 'function' ? g.memoryBytes() : 0, maxBytes: maxInstanceMemory, recycles, pinned: pins.size };
  }

  function recycleIfOverBound() {
    if (maxInstanceMemory === 0 || holds > 0 || typeof glue?.memoryBytes !== 'function' || glue.memoryBytes() <= maxInstanceMemory) return;
    for (const ref of pins) if (ref.deref() !== undefined) return;
    pins.clear();
    if (replaceInstance(new Error(`linear memory past maxInstanceMemory (${maxInstanceMemory} bytes)`))) recycles++;
  }

  return {
    setInstance,
    wasm,
    /** The compiled `WebAssembly.Module`, or null before initialization. */
    wasmModule: () => compiled,
    /** Whether the module is instantiated (without instantiating it). */
    ready: () => glue !== null,
    /**
     * A number that changes whenever the instance is replaced. A wrapper that holds a wasm handle
     * records it when it creates the handle, and creates the handle again (caches empty) when it
     * differs: the old handle belonged to the discarded instance.
     */
    instanceGeneration: () => generation,
    /**
     * Calls `listener()` after each replacement of the instance; returns a function that stops it.
     * @param {() => void} listener
     */
    onInstanceReset(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    call,
    pinInstance,
    holdInstance,
    instanceMemory,
  };
}

function internal(message) {
  return new CredcoreError('INTERNAL_ERROR', `credcore internal error: ${message}`);
}

/** The default module's instance. */
const main = instanceRealm({
  notInitialized: () => new CredcoreError('NOT_INITIALIZED', 'credcore is not initialized: call `await init()` first'),
});

/** Records the initialized glue of the default module and its compiled module. */
export const setInstance = main.setInstance;
/** The default module's initialized glue; throws `NOT_INITIALIZED` before `init()` has resolved. */
export const wasm = main.wasm;
/** The default module, compiled, or null before initialization. */
export const wasmModule = main.wasmModule;
/** A number that changes whenever the default module's instance is replaced. */
export const instanceGeneration = main.instanceGeneration;
/** Calls `listener()` after each replacement of the default module's instance. */
export const onInstanceReset = main.onInstanceReset;
/** Runs `fn` with the default module's glue, contained (see `instanceRealm`). */
export const call = main.call;
/** Keeps the default module's instance from being recycled while `obj` is alive. */
export const pinInstance = main.pinInstance;
/** Keeps the default module's instance from being recycled until the returned function is called. */
export const holdInstance = main.holdInstance;
/** `{ bytes, maxBytes, recycles, pinned }` of the default module's instance. */
export const instanceMemory = main.instanceMemory;
