// credcore: the pool's status lists, fetched on the main thread through the caller's
// `statusListResolver` when a worker names lists that a chunk needed and neither the call's
// options nor the worker's own cache held (the main thread never parses credentials).
//
// Policy: one resolver call per URI in flight, however many chunks and batches wait for it
// (single flight). A list it returns is held for `cache.ttlSeconds` (default 300), at most
// `cache.statusLists` lists (default 64, as many as a Verifier holds decoded); when full, expired
// lists go first, then the least recently used. A list it cannot return (null, undefined, or a
// throw) is not held: the next batch asks again, and the chunk runs without it, so its items are
// STATUS_UNAVAILABLE (fail closed) unless the call's options say `statusFailOpen`. A resolved
// list reaches the worker as a list passed in the options would, and the core checks it as such.

// @ts-check

/** Status lists from a resolver: a bounded, expiring, least-recently-used cache with single flight. */
export class StatusListCache {
  #resolver;
  #ttlMs;
  #capacity;
  /** @type {{ fetched: number, cached: number, failed: number }} */
  #counts;
  /** uri -> { list, until }, least recently used first. @type {Map<string, { list: string, until: number }>} */
  #held = new Map();
  /** Resolver calls in flight: uri -> the list, undefined when it cannot be had. @type {Map<string, Promise<string | undefined>>} */
  #pending = new Map();
  #evictions = 0;
  #expirations = 0;

  /**
   * @param {object} config
   * @param {((uri: string) => any) | undefined} config.resolver (only called when defined)
   * @param {number} config.ttlMs how long a list is held (0: not at all)
   * @param {number} config.capacity most lists held (0: none)
   * @param {{ fetched: number, cached: number, failed: number }} config.counts counters to
   *   update (the pool's metrics): lists fetched, served from this cache, not had
   */
  constructor({ resolver, ttlMs, capacity, counts }) {
    this.#resolver = resolver;
    this.#ttlMs = ttlMs;
    this.#capacity = capacity;
    this.#counts = counts;
  }

  /**
   * The lists of `uris` that can be had: held ones, else through the resolver.
   * @param {string[]} uris
   * @returns {Promise<Map<string, string>>}
   */
  async resolve(uris) {
    const out = new Map();
    await Promise.all(uris.map(async (uri) => {
      const held = this.#get(uri, Date.now());
      if (held !== undefined) {
        this.#counts.cached++;
        out.set(uri, held);
        return;
      }
      let pending = this.#pending.get(uri);
      if (pending === undefined) {
        const settle = (list) => {
          this.#pending.delete(uri);
          if (list === undefined || list === null) {
            this.#counts.failed++;
            return undefined;
          }
          this.#counts.fetched++;
          this.#hold(uri, list);
          return list;
        };
        const resolver = this.#resolver;
        pending = (async () => resolver?.(uri))().then(settle, () => settle(undefined));
        this.#pending.set(uri, pending);
      }
      const list = await pending;
      if (list !== undefined) out.set(uri, list);
    }));
    return out;
  }

  /** `{ entries, capacity, pending, evictions, expirations }`, for `pool.metrics().statusListCache`. */
  stats() {
    return { entries: this.#held.size, capacity: this.#capacity, pending: this.#pending.size, evictions: this.#evictions, expirations: this.#expirations };
  }

  /** The held list of `uri` (now the most recently used), or undefined; drops it if expired. */
  #get(uri, now) {
    const entry = this.#held.get(uri);
    if (entry === undefined) return undefined;
    this.#held.delete(uri);
    if (entry.until <= now) {
      this.#expirations++;
      return undefined;
    }
    this.#held.set(uri, entry);
    return entry.list;
  }

  /** Holds a list for the TTL; when full, expired entries go first, then the least recently used. */
  #hold(uri, list) {
    if (this.#capacity <= 0 || this.#ttlMs <= 0) return;
    const now = Date.now();
    this.#held.delete(uri);
    if (this.#held.size >= this.#capacity) {
      for (const [key, entry] of this.#held) {
        if (entry.until > now) continue;
        this.#held.delete(key);
        this.#expirations++;
      }
    }
    while (this.#held.size >= this.#capacity) {
      this.#held.delete(/** @type {string} */ (this.#held.keys().next().value));
      this.#evictions++;
    }
    this.#held.set(uri, { list, until: now + this.#ttlMs });
  }
}

/**
 * A chunk's options JSON with resolved `lists` added under `statusLists`; lists the caller passed
 * in the options win over resolved ones.
 * @param {string} optionsJson
 * @param {Map<string, string>} lists
 */
export function withLists(optionsJson, lists) {
  const base = JSON.parse(optionsJson);
  const own = {};
  for (const [uri, list] of lists) own[uri] = list;
  return JSON.stringify({ ...base, statusLists: { ...own, ...(base.statusLists ?? {}) } });
}
