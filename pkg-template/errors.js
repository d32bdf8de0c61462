// credcore: the error class every failure is thrown as; `code` is one of the stable codes.

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

/** Re-throws errors of the wasm boundary (plain `Error`s named `CredcoreError`) as `CredcoreError`. */
export function rethrow(err) {
  if (err instanceof CredcoreError) throw err;
  if (err && err.name === 'CredcoreError' && typeof err.code === 'string') {
    throw new CredcoreError(err.code, err.message, err.path);
  }
  if (err instanceof WebAssembly.RuntimeError) {
    throw new CredcoreError('INTERNAL_ERROR', `credcore internal error: ${err.message}`);
  }
  throw err;
}
