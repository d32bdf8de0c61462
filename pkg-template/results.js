// credcore: verification results from framed results (wire.js), with a memo of decoded cached
// results.
//
// The core's result cache holds each result as JSON text under an id that is unique within its
// verifier and never reused, and an entry never changes. So the JS side may keep the decoded
// object of an id and hand out copies of it: a repeated input then costs a copy of a small object
// instead of decoding and parsing its JSON again. Every result handed out is a fresh object.
// Only entries served at least twice are kept decoded, so one-off inputs cost nothing extra.

// @ts-check

import { CACHE_DEFAULTS } from './shared.js';
import { frames } from './wire.js';

const decoder = new TextDecoder();

/** Decoded results of cached entries by id, bounded by entries and by their JSON bytes (oldest out first). */
export class ResultMemo {
  #map = new Map();
  #bytes = 0;
  #capacity;
  #maxBytes;

  /** At most `capacity` results whose JSON texts add up to at most `maxBytes` (default: the core's result cache). */
  constructor(capacity = CACHE_DEFAULTS.results, maxBytes = CACHE_DEFAULTS.resultBytes) {
    this.#capacity = Number.isFinite(capacity) && capacity > 0 ? capacity : 0;
    this.#maxBytes = Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : 0;
  }

  /** The decoded result of entry `id`; null when the id was only seen; undefined when unknown. */
  get(id) {
    return this.#map.get(id)?.value;
  }

  /** Keeps `value` (null: only that the id was seen), the result of entry `id` whose JSON is `bytes` long. */
  set(id, value, bytes) {
    const old = this.#map.get(id);
    if (old !== undefined) {
      this.#map.delete(id);
      this.#bytes -= old.bytes;
    }
    if (this.#capacity === 0 || bytes > this.#maxBytes) return;
    while (this.#map.size >= this.#capacity || this.#bytes + bytes > this.#maxBytes) {
      // Never empty here: an empty memo has room for one entry within both bounds (checked above).
      const [oldest, held] = /** @type {[number, { value: any, bytes: number }]} */ (this.#map.entries().next().value);
      this.#map.delete(oldest);
      this.#bytes -= held.bytes;
    }
    this.#map.set(id, { value, bytes });
    this.#bytes += bytes;
  }

  /** Forgets everything. */
  clear() {
    this.#map.clear();
    this.#bytes = 0;
  }
}

/** A deep copy of JSON data (plain objects, arrays, strings, numbers, booleans, null). */
function copy(v) {
  if (Array.isArray(v)) {
    const a = v.slice();
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x !== null && typeof x === 'object') a[i] = copy(x);
    }
    return a;
  }
  // Spreading defines own properties (a claim named `__proto__` stays an own property, and the
  // assignments below then write that property, not the prototype).
  const o = { ...v };
  for (const k in o) {
    const x = o[k];
    if (x !== null && typeof x === 'object') o[k] = copy(x);
  }
  return o;
}

/** A copy of a verification result: its known structure field by field, claims as JSON data. */
function copyResult(r) {
  const o = { ...r };
  if (r.claims !== null && typeof r.claims === 'object') o.claims = copy(r.claims);
  if (Array.isArray(r.credentials)) {
    o.credentials = r.credentials.map((c) => {
      const s = { ...c };
      if (Array.isArray(c.type)) s.type = c.type.slice();
      if (c.attributes !== null && typeof c.attributes === 'object') s.attributes = copy(c.attributes);
      return s;
    });
  }
  if (Array.isArray(r.disclosed)) o.disclosed = r.disclosed.slice();
  if (Array.isArray(r.errors)) o.errors = r.errors.map((e) => ({ ...e }));
  if (r.unverified !== null && typeof r.unverified === 'object') o.unverified = copy(r.unverified);
  return o;
}

/**
 * The results in framed results (wire.js `frames`), decoded; cached ones through `memo`.
 * @param {Uint8Array} bytes
 * @param {ResultMemo | null} memo decoded cached results (a verifier without a result cache sends none)
 * @returns {object[]}
 */
export function readFramed(bytes, memo = null) {
  return frames(bytes).map(({ id, json }) => {
    if (id === 0 || memo === null) return JSON.parse(decoder.decode(json));
    // The first time an entry comes by, its result is handed out as parsed (most entries are
    // never served again); the second time, it is decoded once more and kept, and copies of it
    // are handed out from then on.
    let held = memo.get(id);
    if (held === undefined) {
      memo.set(id, null, 0);
      return JSON.parse(decoder.decode(json));
    }
    if (held === null) {
      held = JSON.parse(decoder.decode(json));
      memo.set(id, held, json.length);
    }
    return copyResult(held);
  });
}
