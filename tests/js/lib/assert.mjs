// A small assertion library that runs unchanged in Node and in browsers, so one suite serves both.

function fail(message) {
  const err = new Error(message);
  err.name = 'AssertionError';
  throw err;
}

function show(v) {
  try {
    return JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? `Uint8Array(${x.length})` : x));
  } catch {
    return String(v);
  }
}

function deepEq(a, b) {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEq(a[k], b[k]));
}

export const assert = {
  ok(v, message = 'expected a truthy value') {
    if (!v) fail(`${message} (got ${show(v)})`);
  },
  equal(actual, expected, message = '') {
    if (!Object.is(actual, expected)) fail(`${message} expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual, expected, message = '') {
    if (Object.is(actual, expected)) fail(`${message} expected something other than ${show(expected)}`);
  },
  deepEqual(actual, expected, message = '') {
    if (!deepEq(actual, expected)) fail(`${message} expected ${show(expected)}, got ${show(actual)}`);
  },
  /** Asserts that `fn` throws a CredcoreError with `code` (and `path` when given); returns it. */
  throwsCode(fn, code, path) {
    let err;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    if (!err) fail(`expected a CredcoreError ${code}, nothing was thrown`);
    if (err.name !== 'CredcoreError') fail(`expected a CredcoreError ${code}, got ${err.name}: ${err.message}`);
    if (err.code !== code) fail(`expected code ${code}, got ${err.code}: ${err.message}`);
    if (path !== undefined && err.path !== path) fail(`expected path ${path}, got ${err.path}`);
    return err;
  },
  async rejectsCode(promise, code) {
    let err;
    try {
      await promise;
    } catch (e) {
      err = e;
    }
    if (!err) fail(`expected a rejection with ${code}`);
    if (err.code !== code) fail(`expected code ${code}, got ${err.code}: ${err.message}`);
    return err;
  },
};

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const fromHex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
