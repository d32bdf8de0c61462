// credcore/redis: the shared store on Redis, through the official client (`redis`, node-redis: an
// optional peer dependency; nothing else in credcore imports it). See store.js for the interface.
//
// Policy: a store call never waits for Redis to come back. Commands are not queued while the
// client is disconnected (`disableOfflineQueue`), every call has a time limit (`commandTimeoutMs`),
// and a call that cannot be answered rejects at once with STORE_UNAVAILABLE: nonce and session
// checks fail closed, caches fall back to memory, and nothing hangs. The client reconnects by
// itself (exponential backoff up to `maxReconnectDelayMs`), so service resumes when Redis is back.
// A connection error never reaches the process as an unhandled 'error' event.
//
// Commands, one round trip each: GET, MGET, SET PX, SET PX NX (setIfAbsent), SET XX KEEPTTL GET
// (replace: atomic, Redis 7.0+), DEL; setMany and replaceMany send one pipeline.

// @ts-check

import { createClient } from 'redis';
import { CredcoreError } from './errors.js';
import { ttlOf, unavailable } from './store.js';

const DEFAULTS = { prefix: 'credcore:', commandTimeoutMs: 1000, connectTimeoutMs: 2000, maxReconnectDelayMs: 2000 };

function keyOf(key) {
  if (typeof key !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a store key is a string', 'key');
  return key;
}

function valueOf(value) {
  if (typeof value !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a store value is a string', 'value');
  return value;
}

function positive(value, name, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be a positive number`, name);
  }
  return value;
}

/**
 * A store on Redis. Create it with `createRedisStore({ url })`.
 * @example const store = createRedisStore({ url: 'redis://127.0.0.1:6379' }); await store.ready(2000);
 *   const verifier = new Verifier({ store });
 */
export class RedisStore {
  /** @type {any} */
  #client;
  #own;
  #prefix;
  #timeoutMs;
  #counts = { roundTrips: 0, commands: 0, errors: 0, timeouts: 0, connectionErrors: 0, reconnects: 0 };
  #closed = false;

  /**
   * @param {object} options see `createRedisStore`
   * @param {string} [options.url]
   * @param {any} [options.client]
   * @param {string} [options.prefix]
   * @param {number} [options.commandTimeoutMs]
   * @param {number} [options.connectTimeoutMs]
   * @param {number} [options.maxReconnectDelayMs]
   */
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') throw new CredcoreError('MALFORMED_INPUT', 'options must be an object', 'options');
    const prefix = options.prefix ?? DEFAULTS.prefix;
    if (typeof prefix !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'prefix must be a string', 'prefix');
    this.#prefix = prefix;
    this.#timeoutMs = positive(options.commandTimeoutMs, 'commandTimeoutMs', DEFAULTS.commandTimeoutMs);
    if (options.client !== undefined) {
      // The caller's client: connected, watched and closed by the caller.
      if (options.client === null || typeof options.client.sendCommand !== 'function') {
        throw new CredcoreError('MALFORMED_INPUT', 'client must be a node-redis client (createClient() from redis)', 'client');
      }
      this.#client = options.client;
      this.#own = false;
      return;
    }
    if (options.url !== undefined && typeof options.url !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'url must be a string (redis://host:port)', 'url');
    const connectTimeout = positive(options.connectTimeoutMs, 'connectTimeoutMs', DEFAULTS.connectTimeoutMs);
    const maxDelay = positive(options.maxReconnectDelayMs, 'maxReconnectDelayMs', DEFAULTS.maxReconnectDelayMs);
    this.#own = true;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout,
        // Forever, with backoff: the store recovers by itself when Redis is back.
        reconnectStrategy: (/** @type {number} */ retries) => Math.min(maxDelay, 50 * 2 ** Math.min(retries, 10)),
      },
    });
    this.#client.on('error', () => {
      this.#counts.connectionErrors++;
    });
    this.#client.on('reconnecting', () => {
      this.#counts.reconnects++;
    });
    // Not awaited: a store made while Redis is down works (failing calls) and connects later.
    this.#client.connect().catch(() => {});
  }

  /** Whether the client is connected now. */
  get isReady() {
    return !this.#closed && this.#client.isReady === true;
  }

  /**
   * Resolves true once connected, or false after `timeoutMs` (default: connectTimeoutMs).
   * @param {number} [timeoutMs]
   * @returns {Promise<boolean>}
   */
  ready(timeoutMs = DEFAULTS.connectTimeoutMs) {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value) => {
        clearTimeout(timer);
        this.#client.off?.('ready', onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(this.isReady), timeoutMs);
      this.#client.on('ready', onReady);
    });
  }

  /**
   * Runs one round trip of `n` keys under the time limit; any failure is STORE_UNAVAILABLE.
   * @template T
   * @param {number} n
   * @param {(client: any) => Promise<T>} fn
   * @returns {Promise<T>}
   */
  async #run(n, fn) {
    if (!this.isReady) {
      this.#counts.errors++;
      throw new CredcoreError('STORE_UNAVAILABLE', this.#closed ? 'the store is closed' : 'Redis is not connected');
    }
    this.#counts.roundTrips++;
    this.#counts.commands += n;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.#counts.timeouts++;
        reject(new CredcoreError('STORE_UNAVAILABLE', `Redis did not answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    try {
      return /** @type {T} */ (await Promise.race([fn(this.#client), timeout]));
    } catch (err) {
      this.#counts.errors++;
      throw unavailable(err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** @param {string} key */
  #k(key) {
    return this.#prefix + keyOf(key);
  }

  /** @param {string} key @returns {Promise<string | null>} */
  async get(key) {
    const k = this.#k(key);
    return this.#run(1, (c) => c.sendCommand(['GET', k]));
  }

  /** @param {readonly string[]} keys @returns {Promise<(string | null)[]>} */
  async getMany(keys) {
    if (!Array.isArray(keys)) throw new CredcoreError('MALFORMED_INPUT', 'keys must be an array', 'keys');
    const ks = keys.map((k) => this.#k(k));
    if (ks.length === 0) return [];
    return this.#run(ks.length, (c) => c.sendCommand(['MGET', ...ks]));
  }

  /** @param {string} key @param {string} value @param {{ ttlMs: number }} options */
  async set(key, value, options) {
    const args = ['SET', this.#k(key), valueOf(value), 'PX', String(ttlOf(options?.ttlMs))];
    await this.#run(1, (c) => c.sendCommand(args));
  }

  /** @param {readonly { key: string, value: string, ttlMs: number }[]} entries */
  async setMany(entries) {
    if (!Array.isArray(entries)) throw new CredcoreError('MALFORMED_INPUT', 'entries must be an array', 'entries');
    const commands = entries.map((e) => ['SET', this.#k(e?.key), valueOf(e?.value), 'PX', String(ttlOf(e?.ttlMs))]);
    if (commands.length === 0) return;
    await this.#pipeline(commands);
  }

  /** @param {string} key @param {string} value @param {{ ttlMs: number }} options @returns {Promise<boolean>} */
  async setIfAbsent(key, value, options) {
    const args = ['SET', this.#k(key), valueOf(value), 'PX', String(ttlOf(options?.ttlMs)), 'NX'];
    return (await this.#run(1, (c) => c.sendCommand(args))) === 'OK';
  }

  /** @param {string} key @param {string} value @returns {Promise<string | null>} */
  async replace(key, value) {
    const args = ['SET', this.#k(key), valueOf(value), 'XX', 'KEEPTTL', 'GET'];
    return this.#run(1, (c) => c.sendCommand(args));
  }

  /** @param {readonly { key: string, value: string }[]} entries @returns {Promise<(string | null)[]>} */
  async replaceMany(entries) {
    if (!Array.isArray(entries)) throw new CredcoreError('MALFORMED_INPUT', 'entries must be an array', 'entries');
    const commands = entries.map((e) => ['SET', this.#k(e?.key), valueOf(e?.value), 'XX', 'KEEPTTL', 'GET']);
    if (commands.length === 0) return [];
    if (commands.length === 1) return [await this.#run(1, (c) => c.sendCommand(commands[0]))];
    return /** @type {(string | null)[]} */ (await this.#pipeline(commands));
  }

  /** @param {string} key @returns {Promise<boolean>} */
  async delete(key) {
    const k = this.#k(key);
    return (await this.#run(1, (c) => c.sendCommand(['DEL', k]))) === 1;
  }

  /** One pipeline (one round trip); a command that failed fails the call. */
  async #pipeline(commands) {
    return this.#run(commands.length, async (c) => {
      const multi = c.multi();
      for (const args of commands) multi.addCommand(args);
      const replies = await multi.execAsPipeline();
      for (const reply of replies) if (reply instanceof Error) throw reply;
      return replies;
    });
  }

  /**
   * `{ kind: 'redis', ready, roundTrips, commands, errors, timeouts, connectionErrors, reconnects }`.
   * @returns {import('./store.js').StoreStats & { timeouts: number, connectionErrors: number, reconnects: number }}
   */
  stats() {
    return { kind: 'redis', ready: this.isReady, ...this.#counts };
  }

  /** Closes the client it made (a client passed in stays the caller's); later calls fail with STORE_UNAVAILABLE. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#own) return;
    try {
      if (this.#client.isOpen) await this.#client.close();
      else this.#client.destroy();
    } catch {
      try {
        this.#client.destroy();
      } catch {
        // Already gone.
      }
    }
  }
}

/**
 * A store on Redis. `url` (default redis://localhost:6379) or your own node-redis `client`
 * (connected and closed by you); `prefix` of every key (default 'credcore:'); `commandTimeoutMs`
 * (default 1,000), `connectTimeoutMs` (2,000), `maxReconnectDelayMs` (2,000). It connects in the
 * background: `await store.ready(ms)` to wait (it resolves false if Redis is not there yet; the
 * store then answers STORE_UNAVAILABLE and connects when Redis appears).
 * @example import { createRedisStore } from 'credcore/redis';
 *   const store = createRedisStore({ url: process.env.REDIS_URL });
 * @param {ConstructorParameters<typeof RedisStore>[0]} [options]
 */
export function createRedisStore(options) {
  return new RedisStore(options ?? {});
}
