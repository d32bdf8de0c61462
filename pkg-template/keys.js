// credcore: key documents for the core's key needs (the key half of the needs loop): did:web DID
// documents, JWT VC Issuer Metadata and JWK Sets through the caller's `fetch`, DIDs of any method
// through the caller's `didResolver`. Used by the Verifier and by the pool (its main thread, which
// owns the functions; workers name what they need). Nothing is fetched unless the caller passed
// one of them.
//
// Policy: this file moves bytes; the core derives every URL from the issuer (did:web 3.2,
// /.well-known/jwt-vc-issuer), parses and checks every document, and refuses one from another
// URL than it asked for. Here: only https URLs are fetched; redirects are followed by hand, at
// most MAX_REDIRECTS, and only to https; a body is read up to MAX_DOCUMENT_BYTES and the whole
// fetch (redirects and body) gets `fetchTimeoutMs`; a fetch that fails, throws, times out or is
// too large becomes a document with an `error`, which the core holds briefly as a failure
// (KEY_UNAVAILABLE naming the URL or DID). One lookup per document in flight (single flight);
// documents are held for the cache TTL (failures for at most FAILURE_TTL_MS), at most `capacity`.

// @ts-check

import { CredcoreError, messageOf } from './errors.js';

/** Most bytes of one key document (src/limits.rs MAX_KEY_DOCUMENT_BYTES). */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** Most key documents one call fetches (src/limits.rs MAX_KEY_FETCHES_PER_CALL). */
export const MAX_KEY_FETCHES_PER_CALL = 64;
/** Rounds of the key loop per call: a DID document or metadata, then the JWK Set it names. */
export const KEY_ROUNDS = 3;
/** Longest a failed fetch is held (src/limits.rs KEY_FAILURE_TTL_MS). */
const FAILURE_TTL_MS = 30_000;
/** Redirects followed, at most. */
const MAX_REDIRECTS = 3;
/** Default and ceiling of `fetchTimeoutMs`. */
const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_TIMEOUT_MS = 60_000;

/**
 * A need of the core: `{ kind: 'did-web' | 'did' | 'issuer-metadata' | 'jwks', id, url? }`.
 * @typedef {{ kind: string, id: string, url?: string }} KeyNeed
 */
/**
 * A document for the core: the need with its `text`, or the `error` that kept it.
 * @typedef {{ kind: string, id: string, url?: string, text?: string, error?: string }} KeyDocument
 */

/**
 * Checks the key options of a Verifier or pool (`fetch`, `didResolver`, `fetchTimeoutMs`).
 * @param {{ fetch?: unknown, didResolver?: unknown, fetchTimeoutMs?: unknown }} options
 */
export function keyOptions({ fetch, didResolver, fetchTimeoutMs }) {
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new CredcoreError('MALFORMED_INPUT', 'fetch must be an async function (url) => string | Response', 'fetch');
  }
  if (didResolver !== undefined && typeof didResolver !== 'function') {
    throw new CredcoreError('MALFORMED_INPUT', 'didResolver must be an async function (did) => DID document | string | null', 'didResolver');
  }
  const timeout = fetchTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !(timeout > 0)) {
    throw new CredcoreError('MALFORMED_INPUT', 'fetchTimeoutMs must be a positive number', 'fetchTimeoutMs');
  }
  return {
    fetch: /** @type {((url: string, init?: any) => any) | undefined} */ (fetch),
    didResolver: /** @type {((did: string) => any) | undefined} */ (didResolver),
    timeoutMs: Math.min(timeout, MAX_TIMEOUT_MS),
  };
}

/** Whether `url` is an absolute https URL. */
function isHttps(url) {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** An error that carries its message to the core as a document's `error`. */
class FetchFailure extends Error {}

/**
 * The text of `url` through `fetchFn`, under the policy of this file's header.
 * @param {(url: string, init?: any) => any} fetchFn
 * @param {string} url
 * @param {AbortSignal} signal
 * @returns {Promise<string>}
 */
async function fetchText(fetchFn, url, signal) {
  let current = url;
  for (let hop = 0; ; hop++) {
    if (!isHttps(current)) throw new FetchFailure(`not an https URL: ${current.slice(0, 200)}`);
    const answer = await fetchFn(current, { signal, redirect: 'manual', headers: { accept: 'application/did+json, application/json' } });
    if (typeof answer === 'string') return bounded(answer);
    if (answer === null || typeof answer !== 'object' || typeof answer.status !== 'number') {
      throw new FetchFailure('fetch returned neither a string nor a Response');
    }
    if (answer.status >= 300 && answer.status < 400) {
      const location = answer.headers?.get?.('location');
      if (typeof location !== 'string' || location === '') throw new FetchFailure(`HTTP ${answer.status} without a location`);
      if (hop >= MAX_REDIRECTS) throw new FetchFailure(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current).href;
      if (!isHttps(next)) throw new FetchFailure(`redirected to a URL that is not https: ${next.slice(0, 200)}`);
      current = next;
      continue;
    }
    if (answer.type === 'opaqueredirect') throw new FetchFailure('redirected, and the redirect cannot be inspected');
    if (answer.redirected === true && typeof answer.url === 'string' && !isHttps(answer.url)) {
      throw new FetchFailure(`redirected to a URL that is not https: ${answer.url.slice(0, 200)}`);
    }
    if (answer.ok === false || answer.status < 200 || answer.status >= 300) throw new FetchFailure(`HTTP ${answer.status}`);
    const declared = Number(answer.headers?.get?.('content-length'));
    if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) throw tooLarge();
    return readBody(answer);
  }
}

function tooLarge() {
  return new FetchFailure(`the document is over ${MAX_DOCUMENT_BYTES} bytes`);
}

/** A string answer, refused over the byte limit. */
function bounded(text) {
  // Every UTF-16 unit is at least one UTF-8 byte: only a short enough string is measured.
  if (text.length > MAX_DOCUMENT_BYTES || new TextEncoder().encode(text).length > MAX_DOCUMENT_BYTES) throw tooLarge();
  return text;
}

/**
 * A Response's body as text, reading at most MAX_DOCUMENT_BYTES.
 * @param {any} response
 */
async function readBody(response) {
  const reader = response.body?.getReader?.();
  if (reader === undefined) return bounded(await response.text());
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_DOCUMENT_BYTES) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Runs `work` with an AbortSignal that fires after `ms`, rejecting then whatever `work` does.
 * @template T
 * @param {number} ms
 * @param {(signal: AbortSignal) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withTimeout(ms, work) {
  const controller = new AbortController();
  /** @type {any} */
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new FetchFailure(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The key of a need in the maps of this file. */
const needKey = (/** @type {KeyNeed} */ n) => `${n.kind} ${n.id} ${n.url ?? ''}`;

/**
 * Fetches and holds the key documents the core asks for.
 */
export class KeyFetcher {
  #fetch;
  #resolver;
  #timeoutMs;
  #ttlMs;
  #capacity;
  /** @type {Map<string, { doc: KeyDocument, until: number }>} least recently used first */
  #held = new Map();
  /** @type {Map<string, Promise<KeyDocument>>} */
  #pending = new Map();
  counts = { fetched: 0, cached: 0, failed: 0 };

  /**
   * @param {object} config
   * @param {((url: string, init?: any) => any) | undefined} config.fetch
   * @param {((did: string) => any) | undefined} config.didResolver
   * @param {number} config.timeoutMs per document, redirects and body included
   * @param {number} config.ttlMs how long a document is held
   * @param {number} config.capacity most documents held
   */
  constructor({ fetch, didResolver, timeoutMs, ttlMs, capacity }) {
    this.#fetch = fetch;
    this.#resolver = didResolver;
    this.#timeoutMs = timeoutMs;
    this.#ttlMs = ttlMs;
    this.#capacity = Math.max(capacity, MAX_KEY_FETCHES_PER_CALL);
  }

  /** Whether the caller gave anything to fetch with. */
  get enabled() {
    return this.#fetch !== undefined || this.#resolver !== undefined;
  }

  /**
   * The documents of `needs` (at most MAX_KEY_FETCHES_PER_CALL), each fetched once however many
   * calls wait for it.
   * @param {KeyNeed[]} needs
   * @returns {Promise<KeyDocument[]>}
   */
  async resolve(needs) {
    const now = Date.now();
    const distinct = new Map();
    for (const n of needs) if (n && typeof n.kind === 'string' && typeof n.id === 'string') distinct.set(needKey(n), n);
    const waits = [...distinct].slice(0, MAX_KEY_FETCHES_PER_CALL).map(([key, need]) => {
      const held = this.#held.get(key);
      if (held !== undefined && held.until > now) {
        this.counts.cached++;
        this.#held.delete(key);
        this.#held.set(key, held);
        return Promise.resolve(held.doc);
      }
      let pending = this.#pending.get(key);
      if (pending === undefined) {
        pending = this.#obtain(need).then((doc) => {
          this.#hold(key, doc);
          return doc;
        });
        pending.finally(() => this.#pending.delete(key)).catch(() => {});
        this.#pending.set(key, pending);
      }
      return pending;
    });
    return Promise.all(waits);
  }

  /** Forgets the documents held. */
  clear() {
    this.#held.clear();
  }

  /** `{ entries, capacity, pending, fetched, cached, failed }`. */
  stats() {
    return { entries: this.#held.size, capacity: this.#capacity, pending: this.#pending.size, ...this.counts };
  }

  /**
   * One document: from `fetch` (did:web, metadata, JWK Sets) or the `didResolver` (other DIDs,
   * and did:web when there is no `fetch`); never throws.
   * @param {KeyNeed} need
   * @returns {Promise<KeyDocument>}
   */
  async #obtain(need) {
    const { kind, id, url } = need;
    try {
      if (kind === 'did' || (kind === 'did-web' && this.#fetch === undefined)) {
        if (this.#resolver === undefined) throw new FetchFailure('no didResolver was given');
        const resolver = this.#resolver;
        const answer = await withTimeout(this.#timeoutMs, () => Promise.resolve(resolver(id)));
        const text = documentText(answer);
        this.counts.fetched++;
        return { kind: 'did', id, text };
      }
      if (this.#fetch === undefined) throw new FetchFailure('no fetch was given');
      if (typeof url !== 'string') throw new FetchFailure('no URL');
      const fetchFn = this.#fetch;
      const text = await withTimeout(this.#timeoutMs, (signal) => fetchText(fetchFn, url, signal));
      this.counts.fetched++;
      return { kind, id, url, text };
    } catch (err) {
      this.counts.failed++;
      const why = err instanceof FetchFailure ? err.message : `the fetch failed: ${messageOf(err)}`;
      return { kind: kind === 'did-web' && this.#fetch === undefined ? 'did' : kind, id, url: kind === 'did' ? undefined : url, error: why.slice(0, 300) };
    }
  }

  /** Holds a document (a failure briefly); when full, the least recently used goes first. */
  #hold(key, doc) {
    const ttl = doc.error === undefined ? this.#ttlMs : Math.min(this.#ttlMs, FAILURE_TTL_MS);
    if (ttl <= 0) return;
    this.#held.delete(key);
    while (this.#held.size >= this.#capacity) this.#held.delete(/** @type {string} */ (this.#held.keys().next().value));
    this.#held.set(key, { doc, until: Date.now() + ttl });
  }
}

/**
 * A DID resolver's answer as text: a DID document (object or JSON text), or a DID resolution
 * result's `didDocument`; null or undefined is "not found".
 * @param {unknown} answer
 */
function documentText(answer) {
  if (answer === null || answer === undefined) throw new FetchFailure('the didResolver found no DID document');
  if (typeof answer === 'string') return bounded(answer);
  if (typeof answer !== 'object') throw new FetchFailure('the didResolver returned neither a DID document nor a string');
  const doc = /** @type {any} */ (answer).id === undefined && /** @type {any} */ (answer).didDocument ? /** @type {any} */ (answer).didDocument : answer;
  let text;
  try {
    text = JSON.stringify(doc);
  } catch (err) {
    throw new FetchFailure(`the DID document cannot be serialized: ${messageOf(err)}`);
  }
  return bounded(text);
}

/**
 * The key loop of one call: fetch what the core named, hand it in, run the items that waited
 * again; at most KEY_ROUNDS rounds (a JWK Set named by metadata takes two).
 * @param {KeyFetcher} fetcher
 * @param {{ keys: KeyNeed[], items: number[] }} first what the first pass needs, items by call index
 * @param {(docs: KeyDocument[]) => void} supply hands documents to the core
 * @param {(items: number[]) => Promise<{ keys: KeyNeed[], items: number[] }>} rerun runs those items again
 */
export async function settleKeys(fetcher, first, supply, rerun) {
  let { keys, items } = first;
  for (let round = 0; round < KEY_ROUNDS && keys.length > 0 && items.length > 0; round++) {
    supply(await fetcher.resolve(keys));
    ({ keys, items } = await rerun(items));
  }
}

/**
 * Adds one slice's key needs to a call's (`into`), unless they would pass the per-call bound:
 * then that slice's items keep KEY_UNAVAILABLE, unfetched.
 * @param {{ keys: KeyNeed[], items: number[], seen: Set<string> }} into
 * @param {{ keys?: KeyNeed[], keyItems?: number[] }} needs the core's needs of the slice
 * @param {number} start the slice's first index in the call
 */
export function addKeyNeeds(into, needs, start) {
  const keys = Array.isArray(needs.keys) ? needs.keys : [];
  const items = Array.isArray(needs.keyItems) ? needs.keyItems : [];
  if (keys.length === 0 || items.length === 0) return;
  const fresh = keys.filter((n) => !into.seen.has(needKey(n)));
  if (into.seen.size + fresh.length > MAX_KEY_FETCHES_PER_CALL) return;
  for (const n of fresh) {
    into.seen.add(needKey(n));
    into.keys.push(n);
  }
  for (const i of items) into.items.push(start + i);
}
