// credcore: credential and presentation verification (VC-JWT, VC-JOSE, Data Integrity,
// anon-identity, SD-JWT VC), batch verification, issuance, and the stateful Verifier with caches.

// @ts-check

import { CredcoreError, messageOf } from './errors.js';
import { packStrings, sliceRanges, splitNeeds } from './wire.js';
import { call, holdInstance, instanceGeneration } from './state.js';
import { issuingCall } from './issuing.js';
import { ResultMemo, readFramed } from './results.js';
import { CACHE_DEFAULTS } from './shared.js';
import { StatusListCache } from './pool/status-lists.js';
import { NonceBook, splitConsume } from './nonces.js';
import { storeOf } from './store.js';
import { framedNeedsSettled } from './host-round.js';
import { KeyFetcher, keyOptions, settleKeys, addKeyNeeds } from './keys.js';
import { dataIntegrityRounds, documentLoaderOption, startRound } from './data-integrity-round.js';

/** Status lists one call may name (src/limits.rs MAX_STATUS_LISTS_PER_CALL). */
const MAX_LISTS_PER_CALL = 64;

// The module functions (verifyCredential, verifyPresentation, verifyBatch, sdJwt.verify) keep no
// results and no status lists between calls: each call's verdict depends on its input and
// options only. Caching is what a `Verifier` is for.

/** An input as the core takes it: compact tokens as they are, JSON objects as JSON text. */
export function inputText(input, path) {
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object' && !ArrayBuffer.isView(input)) {
    try {
      return JSON.stringify(input);
    } catch (err) {
      // Nesting deep enough to exhaust the stack (RangeError), or a cycle or BigInt (TypeError).
      const code = err instanceof RangeError ? 'INPUT_TOO_LARGE' : 'MALFORMED_INPUT';
      throw new CredcoreError(code, `${path} cannot be serialized as JSON: ${messageOf(err)}`, path);
    }
  }
  throw new CredcoreError('MALFORMED_INPUT', `${path} must be a string (JWT, SD-JWT) or a JSON object`, path);
}

/**
 * Splits JS-only options (functions, Dates) from those the core reads as JSON.
 * @param {Record<string, any>} [options]
 */
export function coreOptions(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new CredcoreError('MALFORMED_INPUT', 'options must be an object', 'options');
  }
  // `fetch`, `didResolver` and `fetchTimeoutMs` are a Verifier's or pool's (keys.js): never
  // passed to the core, and ignored by the module functions, which use in-band keys only.
  const { statusListResolver, now, cache, audit, store, fetch, didResolver, fetchTimeoutMs, documentLoader, ...rest } = options;
  let nowMs;
  if (now === undefined) nowMs = undefined;
  else if (now instanceof Date) nowMs = now.getTime();
  else if (typeof now === 'number' && Number.isFinite(now)) nowMs = now;
  else throw new CredcoreError('MALFORMED_INPUT', 'now must be a Date or milliseconds since the epoch', 'options.now');
  if (nowMs !== undefined) rest.now = nowMs;
  if ('consumeNonce' in rest) {
    throw new CredcoreError('MALFORMED_INPUT', 'consumeNonce needs a Verifier or a pool: they hold the nonces (issueNonce)', 'options.consumeNonce');
  }
  return { json: JSON.stringify(rest), statusListResolver, cache, audit, store, keys: { fetch, didResolver, fetchTimeoutMs } };
}

/**
 * Verifies one credential (VC-JWT, VC-JOSE, anon-identity JSON, or SD-JWT VC).
 * @example const r = verifyCredential(jwt, { trustedIssuers: [issuer.did] }); if (!r.valid) console.log(r.errors);
 */
export function verifyCredential(input, options) {
  const text = inputText(input, 'input');
  const { json } = coreOptions(options);
  return readFramed(call((w) => w.verifyItemFramed(text, json, Date.now(), 'credential')))[0];
}

/**
 * Verifies one presentation (VP-JWT, anon-identity presentation, or SD-JWT with key binding).
 * @example verifyPresentation(vp, { nonce: 'n-123', audience: 'did:web:verifier.example' })
 */
export function verifyPresentation(input, options) {
  const text = inputText(input, 'input');
  const { json } = coreOptions(options);
  return readFramed(call((w) => w.verifyItemFramed(text, json, Date.now(), 'presentation')))[0];
}

/**
 * Verifies many credentials and presentations in one call (format detected per item): one
 * crossing into wasm, one Ed25519 batch verification. Returns one result per input, in order.
 * @example const results = verifyBatch([jwt1, anonCredential, sdJwtPresentation], { trustedIssuers });
 */
export function verifyBatch(inputs, options) {
  if (!Array.isArray(inputs)) throw new CredcoreError('MALFORMED_INPUT', 'inputs must be an array', 'inputs');
  const texts = inputs.map((x, i) => inputText(x, `[${i}]`));
  const { json } = coreOptions(options);
  // One clock for the whole call, crossing into wasm a slice at a time (see wire.js sliceRanges).
  const now = Date.now();
  const results = new Array(texts.length);
  for (const [start, end] of sliceRanges(texts)) {
    const part = readFramed(call((w) => w.verifyBatchFramed(packStrings(texts.slice(start, end)), json, now)));
    for (let i = 0; i < part.length; i++) results[start + i] = part[i];
  }
  return results;
}

/**
 * Issues a credential: `format` 'vc-jwt' returns a compact JWT (signed with the issuer key's
 * `alg`: EdDSA, ES256 or ES384), 'anon-identity' a JSON credential with an embedded `proof.jws`
 * (as anon-identity issues them; Ed25519 keys only), 'data-integrity' a JSON credential with a
 * Data Integrity proof (`cryptosuite` 'eddsa-jcs-2022' or 'eddsa-rdfc-2022' with Ed25519 keys,
 * 'ecdsa-jcs-2019' or 'ecdsa-rdfc-2019' with ES256 and ES384 keys; by default the key's JCS one;
 * the RDF ones need the Data Integrity module: NOT_INITIALIZED in a browser before
 * `loadDataIntegrity()`).
 * @example const jwt = issueCredential({ credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
 */
export function issueCredential(credential, options = {}) {
  const { issuer, now, ...rest } = options ?? {};
  const secret = secretOf(issuer, 'issuer');
  const json = JSON.stringify(credential ?? null);
  const out = issuingCall((w) => w.issueCredential(json, secret, JSON.stringify(rest), msOf(now), issuer.alg));
  return JSON.parse(out);
}

/**
 * Creates a presentation of `credentials` signed by `holder`: `format` 'vp-jwt' (compact JWT with
 * `nonce` and `aud`), 'anon-identity' (JSON with `proof.jws`) or 'data-integrity' (JSON with the
 * holder's Data Integrity proof: `challenge` the nonce, `domain` the audience).
 * @example const vp = createPresentation([jwt], { holder, nonce: 'n-123', audience: 'did:web:verifier.example', format: 'vp-jwt' });
 */
export function createPresentation(credentials, options = {}) {
  if (!Array.isArray(credentials)) throw new CredcoreError('MALFORMED_INPUT', 'credentials must be an array', 'credentials');
  const { holder, now, ...rest } = options ?? {};
  const secret = secretOf(holder, 'holder');
  const out = issuingCall((w) => w.createPresentation(JSON.stringify(credentials), secret, JSON.stringify(rest), msOf(now), holder.alg));
  return JSON.parse(out);
}

function secretOf(pair, name) {
  if (pair === null || typeof pair !== 'object' || !(pair.secretKey instanceof Uint8Array)) {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be a key pair ({ secretKey: Uint8Array })`, name);
  }
  return pair.secretKey;
}

function msOf(now) {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  throw new CredcoreError('MALFORMED_INPUT', 'now must be a Date or milliseconds since the epoch', 'now');
}

/**
 * A verifier with fixed options and caches (issuer keys, results, status lists). Its methods are
 * async because it can fetch status lists through `statusListResolver`, called once per
 * distinct URI per batch (and cached for `cache.ttlSeconds`). With a shared `store` (Redis, from
 * credcore/redis), fetched lists are shared with every process using it (a second cache level),
 * and nonces from `issueNonce` are single use across all of them (`consumeNonce: true`).
 * @example const verifier = new Verifier({ trustedIssuers: [issuer.did], cache: { results: 10_000, ttlSeconds: 300 } });
 *   const results = await verifier.verifyBatch(inputs); verifier.stats().results.hitRatio;
 */
export class Verifier {
  /** @type {import('./credcore_wasm.js').Verifier | null} */
  #inner = null;
  #generation = -1;
  #json;
  #cacheJson;
  #resolver;
  /** @type {StatusListCache} */
  #lists;
  #listCounts = { fetched: 0, cached: 0, failed: 0 };
  /** @type {import('./store.js').Store | undefined} */
  #store;
  /** @type {NonceBook} */
  #nonces;
  #audit;
  #memo;

  #consume;
  /** Key documents through `fetch` and `didResolver` (keys.js). @type {KeyFetcher} */
  #keys;
  /** JSON-LD contexts beyond the bundled ones (data-integrity-round.js), and what it gave. */
  #documentLoader;
  #contexts = new Map();
  /**
   * The newest status-list generations the wasm Verifier has seen (its JSON copy), and its
   * change count when copied: a handle made again after a trap or a recycle is given them, so
   * that replacing the instance cannot roll a revocation back to an older list.
   * @type {string | null}
   */
  #statusGenerations = null;
  #generationChanges = -1;

  constructor(options = {}) {
    const { consume, rest: own } = splitConsume(options ?? {});
    this.#consume = consume;
    this.#documentLoader = documentLoaderOption(/** @type {any} */ (own).documentLoader);
    const { json, statusListResolver, cache, audit, store, keys } = coreOptions(own);
    this.#keys = new KeyFetcher({
      ...keyOptions(keys),
      ttlMs: (cache?.ttlSeconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
      capacity: cache?.keys ?? CACHE_DEFAULTS.keys,
    });
    if (statusListResolver !== undefined && typeof statusListResolver !== 'function') {
      throw new CredcoreError('MALFORMED_INPUT', 'statusListResolver must be an async function (uri) => list', 'statusListResolver');
    }
    this.#resolver = statusListResolver;
    this.#audit = audit;
    this.#store = store === undefined ? undefined : storeOf(store);
    // Fetched lists are held as the core holds decoded ones: as many, as long.
    this.#lists = new StatusListCache({
      resolver: statusListResolver,
      ttlMs: (cache?.ttlSeconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
      capacity: cache?.statusLists ?? CACHE_DEFAULTS.statusLists,
      counts: this.#listCounts,
      store: this.#store,
    });
    this.#nonces = new NonceBook(this.#store);
    this.#json = json;
    this.#cacheJson = cache === undefined ? '' : JSON.stringify(cache);
    // Decoded copies of the core's cached results: as many, as large (see results.js).
    this.#memo = new ResultMemo(cache?.results ?? CACHE_DEFAULTS.results, cache?.resultBytes ?? CACHE_DEFAULTS.resultBytes);
    this.#handle();
  }

  /**
   * The wasm handle, created again (caches empty) when the instance was replaced after a trap:
   * the old handle went with the old instance, and so did the cache ids the memo is keyed by.
   */
  #handle() {
    const generation = instanceGeneration();
    if (this.#generation !== generation) {
      this.#memo.clear();
      const inner = call((w) => new w.Verifier(this.#json, this.#cacheJson));
      const seen = this.#statusGenerations;
      if (seen !== null) call(() => inner.rememberStatusGenerations(seen));
      this.#inner = inner;
      this.#generation = generation;
      this.#generationChanges = -1;
    }
    return /** @type {import('./credcore_wasm.js').Verifier} */ (this.#inner);
  }

  /** Verifies one input (any format). */
  async verify(input, options) {
    return (await this.verifyBatch([input], options))[0];
  }

  /**
   * A fresh single-use nonce for a presentation, valid for `ttlSeconds` (default 300): verify the
   * presentation with `consumeNonce: true`. With a shared store, single use across every process
   * sharing it; STORE_UNAVAILABLE when the store cannot record it.
   * @example const nonce = await verifier.issueNonce({ ttlSeconds: 120 });
   *   const r = await verifier.verify(presentation, { consumeNonce: true, audience }); // again: NONCE_REPLAYED
   * @param {{ ttlSeconds?: number }} [options]
   */
  issueNonce(options) {
    return this.#nonces.issue(options);
  }

  /**
   * Verifies many inputs in one pass; per-call `options` override the verifier's. With a
   * `statusListResolver`, lists are fetched only for items that nothing but a missing list keeps
   * from a verdict (never for a forged, untrusted or expired item), and those items run again.
   */
  async verifyBatch(inputs, options = {}) {
    // What the needs loop hands the wasm Verifier between rounds stays there: no recycle meanwhile.
    const release = holdInstance();
    try {
      const results = await this.#verifyBatch(inputs, options);
      this.#keepStatusGenerations();
      return results;
    } finally {
      release();
    }
  }

  /** Copies the status-list generations seen when they changed (see `#statusGenerations`). */
  #keepStatusGenerations() {
    if (this.#generation !== instanceGeneration() || this.#inner === null) return;
    const inner = this.#inner;
    const changes = call(() => inner.statusGenerationChanges());
    if (changes === this.#generationChanges) return;
    this.#statusGenerations = call(() => inner.statusGenerations());
    this.#generationChanges = changes;
  }

  async #verifyBatch(inputs, options = {}) {
    if (!Array.isArray(inputs)) throw new CredcoreError('MALFORMED_INPUT', 'inputs must be an array', 'inputs');
    const texts = inputs.map((x, i) => inputText(x, `[${i}]`));
    const { statusListResolver, ...others } = /** @type {Record<string, any>} */ (options ?? {});
    if ('documentLoader' in others) {
      throw new CredcoreError('MALFORMED_INPUT', 'documentLoader is an option of new Verifier() or createPool(), never of a call', 'options.documentLoader');
    }
    const { consume, rest } = splitConsume({ ...others, consumeNonce: others.consumeNonce ?? this.#consume });
    const resolver = statusListResolver ?? this.#resolver;
    const callJson = coreOptions(rest).json;
    // One clock for the whole call, crossing into wasm a slice at a time (see wire.js sliceRanges).
    const now = Date.now();
    const slices = sliceRanges(texts);
    const results = new Array(texts.length);
    startRound();
    /** @type {Set<string>} */
    const missing = new Set();
    /** @type {number[]} */
    const again = [];
    const fetchKeys = this.#keys.enabled;
    /** Key documents the call waits for, and its items that wait for them (keys.js). */
    const keyNeeds = { keys: [], items: [], seen: new Set() };
    for (const [start, end] of slices) {
      const packed = packStrings(texts.slice(start, end));
      // ECDSA and RSA signatures are settled by the host in a round of the needs loop.
      const { needs, framed } = splitNeeds(await framedNeedsSettled(() => this.#handle(), packed, callJson, now));
      const part = readFramed(framed, this.#memo);
      for (let i = 0; i < part.length; i++) results[start + i] = part[i];
      if (fetchKeys) addKeyNeeds(keyNeeds, needs, start);
      if (!resolver) continue;
      // As many lists per call as the core takes in one (MAX_STATUS_LISTS_PER_CALL): a slice
      // whose lists would pass that keeps its items' STATUS_UNAVAILABLE (fail closed).
      const fresh = needs.missing.filter((/** @type {string} */ u) => !missing.has(u));
      if (missing.size + fresh.length <= MAX_LISTS_PER_CALL) {
        for (const uri of fresh) missing.add(uri);
        for (const i of needs.items) again.push(start + i);
      }
    }
    // The key half of the needs loop: documents fetched, handed to the core (never as options),
    // and the items that waited for them run again; what they need next (a JWK Set, status
    // lists) joins the rounds below.
    if (fetchKeys && keyNeeds.items.length > 0) {
      const clock = JSON.parse(callJson).now ?? now;
      const supply = (docs) => call(() => this.#handle().supplyKeyDocuments(JSON.stringify(docs), clock));
      const rerun = async (/** @type {number[]} */ items) => {
        const next = { keys: [], items: [], seen: new Set() };
        const itemTexts = items.map((i) => texts[i]);
        for (const [start, end] of sliceRanges(itemTexts)) {
          const packed = packStrings(itemTexts.slice(start, end));
          const { needs, framed } = splitNeeds(await framedNeedsSettled(() => this.#handle(), packed, callJson, now));
          const part = readFramed(framed, this.#memo);
          for (let k = 0; k < part.length; k++) results[items[start + k]] = part[k];
          addKeyNeeds(next, needs, start);
          if (resolver && missing.size + needs.missing.length <= MAX_LISTS_PER_CALL) {
            for (const uri of needs.missing) missing.add(uri);
            for (const i of needs.items) again.push(items[start + i]);
          }
        }
        return { keys: next.keys, items: next.items.map((k) => items[k]) };
      };
      await settleKeys(this.#keys, keyNeeds, supply, rerun);
    }
    // Data Integrity: the credcore-ld module (browsers) and contexts the items needed.
    await dataIntegrityRounds({
      results,
      loader: this.#documentLoader,
      held: this.#contexts,
      rerun: async (items) => {
        const itemTexts = items.map((i) => texts[i]);
        for (const [start, end] of sliceRanges(itemTexts)) {
          const packed = packStrings(itemTexts.slice(start, end));
          const part = readFramed(splitNeeds(await framedNeedsSettled(() => this.#handle(), packed, callJson, now)).framed, this.#memo);
          for (let k = 0; k < part.length; k++) results[items[start + k]] = part[k];
        }
      },
    });
    // The needs loop: the lists the items named that no one supplied, fetched once each for the
    // whole call, then only the items that waited for them run again.
    if (resolver && missing.size > 0 && again.length > 0) {
      const lists = Object.fromEntries(await this.#lists.resolve([...missing], resolver));
      if (Object.keys(lists).length > 0) {
        const parsed = JSON.parse(callJson);
        parsed.statusLists = { ...lists, ...(parsed.statusLists ?? {}) };
        const withLists = JSON.stringify(parsed);
        const againTexts = again.map((i) => texts[i]);
        for (const [start, end] of sliceRanges(againTexts)) {
          const packed = packStrings(againTexts.slice(start, end));
          const part = readFramed(splitNeeds(await framedNeedsSettled(() => this.#handle(), packed, withLists, now)).framed, this.#memo);
          for (let k = 0; k < part.length; k++) results[again[start + k]] = part[k];
        }
      }
    }
    // Single-use nonces: after every verdict, cached or not (nonces.js).
    if (consume) await this.#nonces.consume(texts, results);
    if (this.#audit) {
      const time = Date.now();
      const entries = [];
      for (const [start, end] of slices) {
        const digests = call((w) => w.hashBatchPacked(packStrings(texts.slice(start, end)), 'sha-256'));
        for (let i = start; i < end; i++) {
          const r = results[i];
          const k = i - start;
          const hex = Array.from(digests.subarray(k * 32, (k + 1) * 32), (b) => b.toString(16).padStart(2, '0')).join('');
          entries.push({ type: 'verification', inputDigest: hex, valid: r.valid, format: r.format, issuer: r.issuer ?? null, codes: r.errors.map((e) => e.code), time });
        }
      }
      this.#audit.append(entries);
    }
    return results;
  }

  /**
   * Cache statistics: `{ keys, results, statusLists }` (the core's caches), each `{ hits,
   * misses, evictions, expirations, entries, capacity, hitRatio }`; `levels.statusLists`: the
   * fetched lists by level (`l1` memory, `l2` the shared store), `{ hits, misses, hitRatio }`;
   * `nonces`: `{ issued, consumed, replayed, unknown, missing, unavailable }`; `store`: the
   * shared store's `stats()` (round trips, errors), or null without one.
   */
  stats() {
    const core = JSON.parse(call(() => this.#handle().statsJson()));
    return { ...core, levels: { statusLists: this.#lists.levels() }, nonces: this.#nonces.stats(), store: this.#store?.stats() ?? null };
  }

  /** Empties every cache of this process (not the shared store's). */
  clear() {
    this.#contexts.clear();
    this.#lists.clear();
    this.#keys.clear();
    this.#memo.clear();
    call(() => this.#handle().clear());
  }

  /** Frees the wasm memory of this verifier. */
  free() {
    this.#memo.clear();
    this.#inner?.free();
  }
}
