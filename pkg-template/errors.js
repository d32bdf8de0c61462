// credcore: the error class every failure is thrown as; `code` is one of the stable codes.

// @ts-check

/** A credcore failure with a stable `code` (see `errorCodes()`) and, where known, a `path`. */
export class CredcoreError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {string} [path]
   */
  constructor(code, message, path) {
    super(message);
    this.name = 'CredcoreError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

/**
 * The message of anything thrown: an Error's message, else its string form.
 * @param {unknown} err
 * @returns {string}
 */
export function messageOf(err) {
  return String(/** @type {any} */ (err)?.message ?? err);
}

/**
 * Whether `err` means the wasm instance stopped in the middle of a call, so that its state can no
 * longer be trusted: a trap (`unreachable` from a panic under panic=abort, an out-of-bounds
 * access, an integer division by zero, ...), or the engine's stack running out while wasm frames
 * were live (V8 reports that as a RangeError, not as a trap).
 */
export function isTrap(err) {
  if (err instanceof WebAssembly.RuntimeError) return true;
  return err instanceof RangeError && /call stack/i.test(String(err.message));
}

/** What the glue throws when an object of a replaced instance is used (wasm-bindgen reset-state glue). */
export function isStale(err) {
  return err instanceof Error && err.message === 'Invalid stale object from previous Wasm instance';
}

/** Re-throws errors of the wasm boundary (plain `Error`s named `CredcoreError`) as `CredcoreError`. */
export function rethrow(err) {
  if (err instanceof CredcoreError) throw err;
  if (err && err.name === 'CredcoreError' && typeof err.code === 'string') {
    throw new CredcoreError(err.code, err.message, err.path);
  }
  if (isTrap(err)) {
    throw new CredcoreError('INTERNAL_ERROR', `credcore internal error: ${err.message}`);
  }
  if (isStale(err)) {
    throw new CredcoreError('INTERNAL_ERROR', 'this object belonged to a wasm instance that was replaced after an internal error: create it again');
  }
  throw err;
}
