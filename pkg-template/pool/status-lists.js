// credcore: status lists fetched through the caller's `statusListResolver`, held in two levels:
// this process's memory, then (with a shared `store`, such as Redis) the store, which every
// process sharing it reads. Used by the pool (lists its workers name: the main thread never parses
// credentials) and by the Verifier.
//
// Policy: one lookup per URI in flight, however many chunks and batches wait for it (single
// flight): memory, then the store (one MGET for all the URIs of a call), then the resolver. A
// list the resolver returns is held for `cache.ttlSeconds` (default 300), at most
// `cache.statusLists` lists in memory (default 64, as many as a Verifier holds decoded); when
// full, expired lists go first, then the least recently used. It is also written to the store
// with its deadline (`{ list, until }`, expiring then), so another process that misses in memory
// holds it until that same deadline (and never past its own `ttlSeconds` from the moment it read
// it): the text of a list is held at most `ttlSeconds` after it was fetched from its origin,
// whatever process fetched it (the core's decoded copy may add as much again). A list from the store is the signed text, handed to the core like
// a list from the resolver and checked as one (signature, issuer, URI, newest wins): it is never
// trusted because of where it sat. A store that cannot answer is a miss (memory and the resolver
// serve; the error is counted). A list that cannot be had (null, undefined, or a throw) is not
// held: the next batch asks again, and the chunk runs without it, so its items are
// STATUS_UNAVAILABLE (fail closed) unless the call's options say `statusFailOpen`.

// @ts-check

/** Key of a list in the shared store. */
const storeKey = (uri) => `status:${uri}`;

/** Hits and misses of one cache level. */
function level() {
  return { hits: 0, misses: 0 };
}

/**
 * Status lists from a resolver: a bounded, expiring, least-recently-used cache in memory, the
 * shared store behind it when there is one, and single flight.
 */
export class StatusListCache {
  #resolver;
  #ttlMs;
  #capacity;
  /** @type {import('../store.js').Store | undefined} */
  #store;
  /** @type {{ fetched: number, cached: number, failed: number }} */
  #counts;
  #levels = { l1: level(), l2: { ...level(), writes: 0, errors: 0 } };
  /** uri -> { list, until }, least recently used first. @type {Map<string, { list: string, until: number }>} */
  #held = new Map();
  /** Lookups in flight: uri -> the list, undefined when it cannot be had. @type {Map<string, Promise<string | undefined>>} */
  #pending = new Map();
  #evictions = 0;
  #expirations = 0;

  /**
   * @param {object} config
   * @param {((uri: string) => any) | undefined} config.resolver (only called when defined)
   * @param {number} config.ttlMs how long a list is held (0: not at all)
   * @param {number} config.capacity most lists held in memory (0: none)
   * @param {{ fetched: number, cached: number, failed: number }} config.counts counters to
   *   update (the pool's metrics): lists fetched through the resolver, served from memory or the
   *   store, not had
   * @param {import('../store.js').Store} [config.store] the shared store, second level
   */
  constructor({ resolver, ttlMs, capacity, counts, store }) {
    this.#resolver = resolver;
    this.#ttlMs = ttlMs;
    this.#capacity = capacity;
    this.#counts = counts;
    this.#store = store;
  }

  /**
   * The lists of `uris` that can be had: from memory, else the store, else `resolver` (default:
   * the one given at construction).
   * @param {string[]} uris
   * @param {((uri: string) => any) | undefined} [resolver]
   * @returns {Promise<Map<string, string>>}
   */
  async resolve(uris, resolver = this.#resolver) {
    const out = new Map();
    const now = Date.now();
    /** @type {Map<string, Promise<string | undefined>>} */
    const waits = new Map();
    /** @type {string[]} */
    const fresh = [];
    for (const uri of new Set(uris)) {
      const held = this.#get(uri, now);
      if (held !== undefined) {
        this.#counts.cached++;
        this.#levels.l1.hits++;
        out.set(uri, held);
        continue;
      }
      this.#levels.l1.misses++;
      const pending = this.#pending.get(uri);
      if (pending !== undefined) waits.set(uri, pending);
      else fresh.push(uri);
    }
    if (fresh.length > 0) {
      // One store round trip for every URI of this call that no other call is looking up.
      const stored = this.#fromStore(fresh, now);
      /** @type {{ key: string, value: string, ttlMs: number }[]} */
      const writes = [];
      const lookups = fresh.map((uri) => {
        const lookup = stored
          .then((found) => found.get(uri) ?? this.#fetch(uri, resolver, writes))
          .finally(() => this.#pending.delete(uri));
        this.#pending.set(uri, lookup);
        waits.set(uri, lookup);
        return lookup;
      });
      // What the resolver fetched goes to the store in one round trip, after this call's lookups.
      if (this.#store !== undefined) void Promise.all(lookups).then(() => this.#toStore(writes));
    }
    for (const [uri, wait] of waits) {
      const list = await wait;
      if (list !== undefined) out.set(uri, list);
    }
    return out;
  }

  /**
   * `{ entries, capacity, pending, evictions, expirations }`, for `pool.metrics().statusListCache`.
   */
  stats() {
    return { entries: this.#held.size, capacity: this.#capacity, pending: this.#pending.size, evictions: this.#evictions, expirations: this.#expirations };
  }

  /**
   * Hits and misses per level: `l1` this process's memory, `l2` the shared store (with `writes`
   * and `errors`; all zero without a store), each with its `hitRatio`.
   */
  levels() {
    const ratio = (l) => ({ ...l, hitRatio: l.hits + l.misses === 0 ? 0 : l.hits / (l.hits + l.misses) });
    return { l1: ratio(this.#levels.l1), l2: ratio(this.#levels.l2) };
  }

  /** Forgets the lists held in memory (the store's are the store's). */
  clear() {
    this.#held.clear();
  }

  /**
   * The lists of `uris` the store holds, held in memory until their deadline (never past this
   * process's TTL from now); a store that cannot answer holds none.
   * @param {string[]} uris
   * @param {number} now
   * @returns {Promise<Map<string, string>>}
   */
  async #fromStore(uris, now) {
    const found = new Map();
    if (this.#store === undefined) return found;
    const l2 = this.#levels.l2;
    let values;
    try {
      values = await this.#store.getMany(uris.map(storeKey));
    } catch {
      l2.errors++;
      l2.misses += uris.length;
      return found;
    }
    uris.forEach((uri, i) => {
      const entry = parseEntry(values[i]);
      if (entry === null || entry.until <= now) {
        l2.misses++;
        return;
      }
      l2.hits++;
      this.#counts.cached++;
      this.#hold(uri, entry.list, Math.min(entry.until, now + this.#ttlMs));
      found.set(uri, entry.list);
    });
    return found;
  }

  /**
   * The resolver's list for `uri`, held in memory and queued for the store.
   * @param {string} uri
   * @param {((uri: string) => any) | undefined} resolver
   * @param {{ key: string, value: string, ttlMs: number }[]} writes
   * @returns {Promise<any>}
   */
  async #fetch(uri, resolver, writes) {
    let list;
    try {
      list = await resolver?.(uri);
    } catch {
      list = undefined;
    }
    if (list === undefined || list === null) {
      // null, undefined or a throw: not had.
      this.#counts.failed++;
      return undefined;
    }
    this.#counts.fetched++;
    const until = Date.now() + this.#ttlMs;
    this.#hold(uri, list, until);
    if (this.#ttlMs > 0) writes.push({ key: storeKey(uri), value: JSON.stringify({ list, until }), ttlMs: this.#ttlMs });
    return list;
  }

  async #toStore(writes) {
    if (this.#store === undefined || writes.length === 0) return;
    try {
      await this.#store.setMany(writes);
      this.#levels.l2.writes += writes.length;
    } catch {
      this.#levels.l2.errors++;
    }
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

  /** Holds a list until `until`; when full, expired entries go first, then the least recently used. */
  #hold(uri, list, until) {
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
    this.#held.set(uri, { list, until });
  }
}

/**
 * A store entry `{ list, until }`, or null when it is not one (it came from outside this
 * process: read it as untrusted, and the core checks the list itself).
 * @param {string | null | undefined} value
 * @returns {{ list: any, until: number } | null}
 */
function parseEntry(value) {
  if (typeof value !== 'string') return null;
  try {
    const entry = JSON.parse(value);
    if (entry === null || typeof entry !== 'object' || entry.list === undefined || entry.list === null) return null;
    if (typeof entry.until !== 'number' || !Number.isFinite(entry.until)) return null;
    return { list: entry.list, until: entry.until };
  } catch {
    return null;
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
