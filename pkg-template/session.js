// credcore: sessions after verification: compact tokens tagged with HMAC-SHA-256 over what a
// verification established, validated with the key alone, and an optional store for revocation.

// @ts-check

import { CredcoreError } from './errors.js';
import { call } from './state.js';


function keyOf(key) {
  if (!(key instanceof Uint8Array)) {
    throw new CredcoreError('MALFORMED_INPUT', 'key must be a Uint8Array of at least 32 random bytes', 'key');
  }
  return key;
}

function nowOf(now) {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  throw new CredcoreError('MALFORMED_INPUT', 'now must be a Date or milliseconds since the epoch', 'now');
}

function optionsOf(options) {
  if (options === null || typeof options !== 'object') {
    throw new CredcoreError('MALFORMED_INPUT', 'options must be an object with a key', 'options');
  }
  return options;
}

// The wasm handle of each store, kept out of the public surface.
const handles = new WeakMap();

function storeOf(store) {
  if (store === undefined) return undefined;
  const handle = handles.get(store);
  if (handle === undefined) throw new CredcoreError('MALFORMED_INPUT', 'store must be a SessionStore', 'store');
  return handle;
}

function resultText(result) {
  if (result === null || typeof result !== 'object') {
    throw new CredcoreError('MALFORMED_INPUT', 'result must be a verification result', 'result');
  }
  return JSON.stringify(result);
}

/**
 * Creates a session from a valid verification result; refuses an invalid one with its first
 * error's code. Returns `{ token, session }`; with `store`, the session is recorded as active.
 * @example const { token, session } = createSession(result, { key, ttlSeconds: 900 });
 */
export function createSession(result, options) {
  const { key, ttlSeconds = 3600, store, now } = optionsOf(options);
  const text = resultText(result);
  const k = keyOf(key);
  const s = storeOf(store);
  const at = nowOf(now);
  const out = s === undefined
    ? call((w) => w.createSession(text, k, ttlSeconds, at))
    : call(() => s.create(text, k, ttlSeconds, at));
  return JSON.parse(out);
}

/**
 * Validates a session token and returns its session `{ id, holder, subject, issuer, issuedAt,
 * expiresAt, attributes }`; throws `SESSION_INVALID`, `SESSION_EXPIRED` or, with `store`,
 * `SESSION_REVOKED`.
 * @example const session = validateSession(token, { key, store });
 */
export function validateSession(token, options) {
  const { key, store, now } = optionsOf(options);
  if (typeof token !== 'string') throw new CredcoreError('SESSION_INVALID', 'a session token is a string', 'token');
  const k = keyOf(key);
  const s = storeOf(store);
  const at = nowOf(now);
  const out = s === undefined
    ? call((w) => w.validateSession(token, k, at))
    : call(() => s.validate(token, k, at));
  return JSON.parse(out);
}

/**
 * Active sessions of this process, bounded (`max`, least recently used first out) and expiring
 * (`ttlSeconds`, never past a session's own expiry). It is an allow-list: a session validates
 * through it only while held, so revoked, evicted and foreign sessions get `SESSION_REVOKED`.
 * @example const store = new SessionStore({ max: 100_000, ttlSeconds: 3600 });
 *   const { token, session } = createSession(result, { key, store }); store.revokeSession(session.id);
 */
export class SessionStore {
  #inner;

  constructor(options = {}) {
    const { max = 10_000, ttlSeconds = 3600 } = optionsOf(options);
    this.#inner = call((w) => new w.SessionStoreHandle(max, ttlSeconds));
    handles.set(this, this.#inner);
  }

  /** Revokes session `id`; true when it was active. */
  revokeSession(id, options = {}) {
    if (typeof id !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a session id is a string', 'id');
    return this.#inner.revoke(id, nowOf(options.now));
  }

  /** Whether session `id` is active. */
  isActive(id, options = {}) {
    if (typeof id !== 'string') return false;
    return this.#inner.isActive(id, nowOf(options.now));
  }

  /** Forgets every session (they no longer validate through this store). */
  clear() {
    this.#inner.clear();
  }

  /** `{ hits, misses, evictions, expirations, entries, capacity, hitRatio, revocations }`. */
  stats() {
    return JSON.parse(this.#inner.stats());
  }

  /** Frees the wasm memory of this store. */
  free() {
    this.#inner.free();
  }
}
