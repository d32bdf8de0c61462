// credcore: sessions after verification: compact tokens tagged with HMAC-SHA-256 over what a
// verification established, validated with the key alone, and an optional store for revocation:
// `SessionStore` (this process's memory, in the core) or `SharedSessionStore` (on the shared
// store, e.g. Redis: a revocation in one process holds in every process at once).

// @ts-check

import { CredcoreError } from './errors.js';
import { issuingCall as call, pinIssuing as pinInstance } from './issuing.js';
import { storeOf, unavailable } from './store.js';


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

function handleOf(store) {
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
  if (store instanceof SharedSessionStore) return store.create(result, { key, ttlSeconds, now });
  const text = resultText(result);
  const k = keyOf(key);
  const s = handleOf(store);
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
  if (store instanceof SharedSessionStore) return store.validate(token, { key, now });
  if (typeof token !== 'string') throw new CredcoreError('SESSION_INVALID', 'a session token is a string', 'token');
  const k = keyOf(key);
  const s = handleOf(store);
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
  #unpin;

  constructor(options = {}) {
    const { max = 10_000, ttlSeconds = 3600 } = optionsOf(options);
    this.#inner = call((w) => new w.SessionStoreHandle(max, ttlSeconds));
    handles.set(this, this.#inner);
    // Revocations live in the instance: it is never recycled under a live store (state.js).
    this.#unpin = pinInstance(this);
  }

  /** Revokes session `id`; true when it was active. */
  revokeSession(id, options = {}) {
    if (typeof id !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a session id is a string', 'id');
    return call(() => this.#inner.revoke(id, nowOf(options.now)));
  }

  /** Whether session `id` is active. */
  isActive(id, options = {}) {
    if (typeof id !== 'string') return false;
    return call(() => this.#inner.isActive(id, nowOf(options.now)));
  }

  /** Forgets every session (they no longer validate through this store). */
  clear() {
    call(() => this.#inner.clear());
  }

  /** `{ hits, misses, evictions, expirations, entries, capacity, hitRatio, revocations }`. */
  stats() {
    return JSON.parse(call(() => this.#inner.stats()));
  }

  /** Frees the wasm memory of this store. */
  free() {
    this.#unpin();
    this.#inner.free();
  }
}

/** Key of an active session in the shared store. */
const sessionKey = (id) => `session:${id}`;

/**
 * Active sessions on a shared store (store.js: memory, or Redis from credcore/redis), for
 * services of several processes: the same allow-list as `SessionStore`, read by every process at
 * every validation, so a revocation in one process holds in all of them at once (nothing is cached
 * in memory). Its methods are async. A store that cannot answer fails closed: creating and
 * validating throw STORE_UNAVAILABLE (never a session that might be revoked).
 * @example const sessions = new SharedSessionStore({ store: createRedisStore({ url }), ttlSeconds: 3600 });
 *   const { token, session } = await sessions.create(result, { key });
 *   await sessions.validate(token, { key }); await sessions.revokeSession(session.id);
 */
export class SharedSessionStore {
  #store;
  #ttlMs;
  #counts = { created: 0, validated: 0, refused: 0, revocations: 0, unavailable: 0 };

  /** @param {{ store: import('./store.js').Store, ttlSeconds?: number }} options each session is held at most `ttlSeconds` (default 3600), never past its own expiry */
  constructor(options) {
    const { store, ttlSeconds = 3600 } = optionsOf(options);
    this.#store = storeOf(store);
    if (typeof ttlSeconds !== 'number' || !(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new CredcoreError('MALFORMED_INPUT', 'ttlSeconds is a number of seconds > 0', 'ttlSeconds');
    }
    this.#ttlMs = ttlSeconds * 1000;
  }

  /**
   * Creates a session (as `createSession`) and records it as active in the shared store.
   * @param {any} result a valid verification result
   * @param {{ key: Uint8Array, ttlSeconds?: number, now?: Date | number }} options
   * @returns {Promise<{ token: string, session: any }>}
   */
  async create(result, options) {
    const { key, ttlSeconds = 3600, now } = optionsOf(options);
    const text = resultText(result);
    const k = keyOf(key);
    const at = nowOf(now);
    const created = JSON.parse(call((w) => w.createSession(text, k, ttlSeconds, at)));
    const ttlMs = Math.min(this.#ttlMs, created.session.expiresAt * 1000 - at);
    try {
      await this.#store.set(sessionKey(created.session.id), String(created.session.expiresAt), { ttlMs: Math.max(1, ttlMs) });
    } catch (err) {
      this.#counts.unavailable++;
      throw unavailable(err);
    }
    this.#counts.created++;
    return created;
  }

  /**
   * Validates a token (as `validateSession`) and checks that its session is active in the shared
   * store: `SESSION_REVOKED` when it is not (revoked, expired there, or never recorded),
   * `STORE_UNAVAILABLE` when the store cannot say.
   * @param {string} token
   * @param {{ key: Uint8Array, now?: Date | number }} options
   */
  async validate(token, options) {
    const { key, now } = optionsOf(options);
    if (typeof token !== 'string') throw new CredcoreError('SESSION_INVALID', 'a session token is a string', 'token');
    const k = keyOf(key);
    // The tag and the expiry first: a forged or expired token costs no store round trip.
    const session = JSON.parse(call((w) => w.validateSession(token, k, nowOf(now))));
    let held;
    try {
      held = await this.#store.get(sessionKey(session.id));
    } catch (err) {
      this.#counts.unavailable++;
      throw unavailable(err);
    }
    if (held === null) {
      this.#counts.refused++;
      throw new CredcoreError('SESSION_REVOKED', 'the session is not active (revoked, or unknown to the store)');
    }
    this.#counts.validated++;
    return session;
  }

  /**
   * Revokes session `id` in every process; true when it was active. STORE_UNAVAILABLE when the
   * store cannot be reached (the revocation did not happen: retry).
   * @param {string} id
   * @returns {Promise<boolean>}
   */
  async revokeSession(id) {
    if (typeof id !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a session id is a string', 'id');
    let existed;
    try {
      existed = await this.#store.delete(sessionKey(id));
    } catch (err) {
      this.#counts.unavailable++;
      throw unavailable(err);
    }
    if (existed) this.#counts.revocations++;
    return existed;
  }

  /**
   * Whether session `id` is active in the shared store.
   * @param {string} id
   * @returns {Promise<boolean>}
   */
  async isActive(id) {
    if (typeof id !== 'string') return false;
    try {
      return (await this.#store.get(sessionKey(id))) !== null;
    } catch (err) {
      this.#counts.unavailable++;
      throw unavailable(err);
    }
  }

  /** This process's counts: `{ created, validated, refused, revocations, unavailable }`. */
  stats() {
    return { ...this.#counts };
  }
}
