// credcore: the store that processes share (single-use nonces, sessions, the second level of the
// caches), and its in-memory default. `credcore/redis` (redis.js) is the same interface on Redis.
//
// The interface is small on purpose, so that any key-value store with expiry and one atomic
// compare can implement it:
//   get(key), getMany(keys)                   values or null (getMany: one round trip)
//   set(key, value, { ttlMs }), setMany(...)  write with expiry (setMany: one round trip)
//   setIfAbsent(key, value, { ttlMs })        atomic: true when this call wrote it
//   replace(key, value), replaceMany(...)     atomic: the previous value of an existing key, whose
//                                             value becomes `value` (expiry kept); null, and
//                                             nothing written, when the key is absent
//   delete(key)                               true when the key existed
//   stats(), close()
// Values are strings; keys are namespaced by their users (`nonce:`, `session:`, `status:`,
// `audit:`). A store that cannot answer throws (or rejects with) a `CredcoreError` with code
// `STORE_UNAVAILABLE`; what depends on it decides whether that fails closed (nonces, sessions)
// or falls back to memory (caches).

// @ts-check

import { CredcoreError } from './errors.js';

/**
 * @typedef {object} StoreStats
 * @property {'memory' | 'redis' | string} kind
 * @property {boolean} ready whether it can answer now
 * @property {number} roundTrips calls that went to the store (a batch is one)
 * @property {number} commands keys read or written by those calls
 * @property {number} errors calls that failed (the store was unavailable, or timed out)
 * @property {number} [entries] keys held (memory)
 */

/**
 * What credcore needs of a shared store (see the top of this file).
 * @typedef {object} Store
 * @property {(key: string) => Promise<string | null>} get
 * @property {(keys: readonly string[]) => Promise<(string | null)[]>} getMany
 * @property {(key: string, value: string, options: { ttlMs: number }) => Promise<void>} set
 * @property {(entries: readonly { key: string, value: string, ttlMs: number }[]) => Promise<void>} setMany
 * @property {(key: string, value: string, options: { ttlMs: number }) => Promise<boolean>} setIfAbsent
 * @property {(key: string, value: string) => Promise<string | null>} replace
 * @property {(entries: readonly { key: string, value: string }[]) => Promise<(string | null)[]>} replaceMany
 * @property {(key: string) => Promise<boolean>} delete
 * @property {() => StoreStats} stats
 * @property {() => Promise<void>} close
 */

const METHODS = ['get', 'getMany', 'set', 'setMany', 'setIfAbsent', 'replace', 'replaceMany', 'delete', 'stats'];

/**
 * `store` if it has the methods of a Store, else MALFORMED_INPUT.
 * @param {unknown} store
 * @param {string} name the option's name, for the message
 * @returns {Store}
 */
export function storeOf(store, name = 'store') {
  const s = /** @type {any} */ (store);
  if (s === null || typeof s !== 'object' || METHODS.some((m) => typeof s[m] !== 'function')) {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be a store (new MemoryStore(), or createRedisStore() from credcore/redis)`, name);
  }
  return s;
}

/**
 * A `STORE_UNAVAILABLE` error for a failed store call; a CredcoreError of that code passes as it is.
 * @param {unknown} err
 */
export function unavailable(err) {
  if (err instanceof CredcoreError && err.code === 'STORE_UNAVAILABLE') return err;
  const e = /** @type {any} */ (err);
  if (e?.name === 'CredcoreError' && e.code === 'STORE_UNAVAILABLE') return new CredcoreError('STORE_UNAVAILABLE', String(e.message));
  return new CredcoreError('STORE_UNAVAILABLE', `the shared store did not answer: ${String(e?.message ?? err)}`);
}

/** A TTL in whole milliseconds, at least 1 (what Redis's PX takes). */
export function ttlOf(ttlMs, name = 'ttlMs') {
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be a positive number of milliseconds`, name);
  }
  return Math.max(1, Math.ceil(ttlMs));
}

function keyOf(key) {
  if (typeof key !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a store key is a string', 'key');
  return key;
}

function valueOf(value) {
  if (typeof value !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a store value is a string', 'value');
  return value;
}

/**
 * The in-memory store: one process's, bounded (`max` keys, least recently written out first) and
 * expiring. It is what a Verifier or pool uses when given no `store`: single-use nonces are then
 * single use within this process only.
 * @example const store = new MemoryStore({ max: 100_000 }); await store.setIfAbsent('k', 'v', { ttlMs: 1000 }); // true
 */
export class MemoryStore {
  /** key -> { value, until }, oldest write first. @type {Map<string, { value: string, until: number }>} */
  #map = new Map();
  #max;
  #counts = { roundTrips: 0, commands: 0, errors: 0 };
  #closed = false;

  /** @param {{ max?: number }} [options] at most `max` keys (default 100,000) */
  constructor(options = {}) {
    const max = options?.max ?? 100_000;
    if (!Number.isInteger(max) || max < 1) throw new CredcoreError('MALFORMED_INPUT', 'max must be a positive integer', 'max');
    this.#max = max;
  }

  /** Counts one call of `n` keys; CLOSED once closed. */
  #call(n) {
    if (this.#closed) {
      this.#counts.errors++;
      throw new CredcoreError('STORE_UNAVAILABLE', 'the store is closed');
    }
    this.#counts.roundTrips++;
    this.#counts.commands += n;
  }

  /** The live entry of `key`, dropping it when expired. */
  #live(key, now) {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.#map.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key, value, ttlMs, now) {
    this.#map.delete(key);
    while (this.#map.size >= this.#max) this.#map.delete(/** @type {string} */ (this.#map.keys().next().value));
    this.#map.set(key, { value, until: now + ttlMs });
  }

  /** @param {string} key */
  async get(key) {
    keyOf(key);
    this.#call(1);
    return this.#live(key, Date.now())?.value ?? null;
  }

  /** @param {readonly string[]} keys */
  async getMany(keys) {
    if (!Array.isArray(keys)) throw new CredcoreError('MALFORMED_INPUT', 'keys must be an array', 'keys');
    keys.forEach(keyOf);
    if (keys.length === 0) return [];
    this.#call(keys.length);
    const now = Date.now();
    return keys.map((k) => this.#live(k, now)?.value ?? null);
  }

  /** @param {string} key @param {string} value @param {{ ttlMs: number }} options */
  async set(key, value, options) {
    keyOf(key);
    valueOf(value);
    const ttl = ttlOf(options?.ttlMs);
    this.#call(1);
    this.#write(key, value, ttl, Date.now());
  }

  /** @param {readonly { key: string, value: string, ttlMs: number }[]} entries */
  async setMany(entries) {
    if (!Array.isArray(entries)) throw new CredcoreError('MALFORMED_INPUT', 'entries must be an array', 'entries');
    const checked = entries.map((e) => [keyOf(e?.key), valueOf(e?.value), ttlOf(e?.ttlMs)]);
    if (checked.length === 0) return;
    this.#call(checked.length);
    const now = Date.now();
    for (const [k, v, ttl] of checked) this.#write(/** @type {string} */ (k), /** @type {string} */ (v), /** @type {number} */ (ttl), now);
  }

  /** @param {string} key @param {string} value @param {{ ttlMs: number }} options */
  async setIfAbsent(key, value, options) {
    keyOf(key);
    valueOf(value);
    const ttl = ttlOf(options?.ttlMs);
    this.#call(1);
    const now = Date.now();
    if (this.#live(key, now) !== undefined) return false;
    this.#write(key, value, ttl, now);
    return true;
  }

  /** @param {string} key @param {string} value */
  async replace(key, value) {
    return (await this.replaceMany([{ key, value }]))[0] ?? null;
  }

  /** @param {readonly { key: string, value: string }[]} entries */
  async replaceMany(entries) {
    if (!Array.isArray(entries)) throw new CredcoreError('MALFORMED_INPUT', 'entries must be an array', 'entries');
    entries.forEach((e) => { keyOf(e?.key); valueOf(e?.value); });
    if (entries.length === 0) return [];
    this.#call(entries.length);
    const now = Date.now();
    return entries.map(({ key, value }) => {
      const entry = this.#live(key, now);
      if (entry === undefined) return null;
      const previous = entry.value;
      entry.value = value;
      return previous;
    });
  }

  /** @param {string} key */
  async delete(key) {
    keyOf(key);
    this.#call(1);
    const existed = this.#live(key, Date.now()) !== undefined;
    this.#map.delete(key);
    return existed;
  }

  /** @returns {StoreStats} */
  stats() {
    return { kind: 'memory', ready: !this.#closed, ...this.#counts, entries: this.#map.size };
  }

  /** Forgets everything; later calls fail with STORE_UNAVAILABLE. */
  async close() {
    this.#closed = true;
    this.#map.clear();
  }
}
