// credcore: one lazily loaded wasm module beside the default one (the keys module, the Data
// Integrity module). Node compiles it synchronously from the package's file on first use
// (`setSyncSource`); browsers load it with its `load()` (a Verifier or pool calls it in a round of
// its needs loop when a batch reports it was wanted), and until then `ready()` is false and the
// caller answers NOT_INITIALIZED naming that call. A module that traps is replaced by a fresh
// instance of the same compiled module. This file moves bytes.

// @ts-check

/**
 * @typedef {{ initSync: (options: { module: WebAssembly.Module }) => unknown, __wbg_reset_state: () => void }} LazyGlue
 * @typedef {URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module} ModuleSource
 */

/**
 * Compiles a module from what a `load()` call was given, else from `fallback` (a URL beside the
 * package's files).
 * @param {ModuleSource | undefined} source
 * @param {URL} fallback
 * @param {string} what the module, for the error
 * @returns {Promise<WebAssembly.Module>}
 */
export async function compileModule(source, fallback, what) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(/** @type {BufferSource} */ (source));
  const response = source instanceof Response ? source : await fetch(source ?? fallback);
  if (!response.ok) throw new Error(`credcore: cannot load ${what} from ${response.url} (HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * The loading state of one lazily loaded module.
 * @param {{ glue: LazyGlue, fallback: () => URL, what: string, onInstance?: () => void }} spec
 */
export function lazyModule({ glue, fallback, what, onInstance }) {
  /** @type {WebAssembly.Module | null} */
  let compiled = null;
  /** @type {(() => WebAssembly.Module) | null} */
  let syncSource = null;
  /** @type {Promise<void> | null} */
  let loading = null;
  /** Whether a call wanted the module before it was loaded, since the last `takeWanted()`. */
  let wanted = false;
  /**
   * Whether a reset failed: the glue still holds the instance that trapped (its `initSync` keeps
   * an instance once it has one), so the next use must replace it, not keep it.
   */
  let stale = false;

  /** @param {WebAssembly.Module} module */
  function use(module) {
    // One instance per thread: a worker that compiled its own copy before the pool's reached it
    // keeps its own.
    if (compiled !== null) return;
    if (stale) {
      glue.__wbg_reset_state();
      stale = false;
    } else {
      glue.initSync({ module });
    }
    compiled = module;
    onInstance?.();
  }

  return {
    /** Node: how to compile the module synchronously on first use. */
    setSyncSource(/** @type {() => WebAssembly.Module} */ source) {
      syncSource = source;
    },
    /** Instantiates a compiled module (the main thread's, or one posted to a worker). */
    use,
    /** The compiled module, or null before it is loaded. */
    module: () => compiled,
    /**
     * Loads the module (idempotent): synchronously from the package in Node, else from `source`.
     * @param {ModuleSource} [source]
     * @returns {Promise<void>}
     */
    load(source) {
      if (compiled !== null) return Promise.resolve();
      if (syncSource !== null && source === undefined) {
        use(syncSource());
        return Promise.resolve();
      }
      if (loading === null) {
        loading = compileModule(source, fallback(), what).then(use, (err) => {
          loading = null;
          throw err;
        });
      }
      return loading;
    },
    /**
     * Whether the module is ready for a call: compiled now where it can be (Node), else the
     * call is recorded as having wanted it. Throws when the synchronous compilation fails.
     */
    ready() {
      if (compiled === null && syncSource !== null) use(syncSource());
      if (compiled === null) wanted = true;
      return compiled !== null;
    },
    /** Whether a call wanted the module (not loaded) since the last call of this. */
    takeWanted() {
      const out = wanted && compiled === null;
      wanted = false;
      return out;
    },
    /**
     * After a trap inside it: a fresh instance of the same module; if that cannot be had, none
     * (the next use tries again, and answers NOT_INITIALIZED until it succeeds).
     */
    reset() {
      try {
        glue.__wbg_reset_state();
      } catch {
        compiled = null;
        loading = null;
        stale = true;
        return;
      }
      try {
        onInstance?.();
      } catch {
        // What the new instance is handed after a reset (lent contexts) is best effort: items
        // that needed it fail closed.
      }
    },
  };
}
