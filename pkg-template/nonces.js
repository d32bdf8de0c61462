// credcore: single-use presentation nonces on the shared store (store.js): `issueNonce` and the
// `consumeNonce: true` verification option of Verifier and pool.
//
// Policy, written for an attacker:
// - A nonce is consumed only for an item the core found valid: a presentation whose holder
//   signature (VP-JWT, VC-JOSE) or key-binding JWT (SD-JWT) verified. A forgery, or a
//   presentation failing any other check, leaves the nonce unused, so no one can burn an honest
//   holder's nonce without the holder's key.
// - The nonce consumed is the one the holder signed: the `nonce` claim of the JWT the core
//   verified (the VP-JWT itself, or an SD-JWT's key-binding JWT, its last `~` segment). When the
//   caller also passes `nonce`, the core has checked that they are equal.
// - Consumption is one atomic command on the store: `replace(key, 'used')` returns what the key
//   held and keeps its expiry (Redis: SET XX KEEPTTL GET), so of any number of processes racing
//   with the same nonce exactly one sees 'issued'. The others get NONCE_REPLAYED; a nonce that
//   was never issued here, or has expired, gets NONCE_MISMATCH.
// - Consumption runs after every verification, cached or not, and once per call: two callers
//   whose identical presentations were verified once (the pool's micro-batcher) each consume,
//   and one of them gets NONCE_REPLAYED.
// - A store that cannot answer makes the item STORE_UNAVAILABLE, never valid (fail closed).
// Consumptions of concurrent calls are sent together: one round trip per turn of the event loop.

// @ts-check

import { CredcoreError } from './errors.js';
import { MemoryStore, storeOf, unavailable } from './store.js';

/** Longest nonce accepted (a longer one was not issued here). */
const MAX_NONCE_LENGTH = 256;
/** Longest life of a nonce: one day. */
const MAX_NONCE_TTL_SECONDS = 24 * 3600;
const DEFAULT_NONCE_TTL_SECONDS = 300;
const ISSUED = 'issued';
const USED = 'used';

const decoder = new TextDecoder();

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The payload of a compact JWS as JSON, or null. */
function payloadOf(jws) {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const value = JSON.parse(decoder.decode(bytes));
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

/**
 * The nonce a valid presentation's holder signed, or null when it carries none. Read only for
 * items the core found valid (see the policy above); `text` is the input as the core took it.
 * @param {string} text
 * @param {any} result
 * @returns {string | null}
 */
export function presentedNonce(text, result) {
  if (result?.valid !== true || result.kind !== 'presentation') return null;
  const item = text.trim();
  let jwt;
  if (result.format === 'sd-jwt') {
    // `<issuer-jwt>~<disclosure>~...~<kb-jwt>`: the key-binding JWT is the last segment.
    jwt = item.slice(item.lastIndexOf('~') + 1);
  } else if (result.format === 'vc-jwt' || result.format === 'vc-jose') {
    jwt = item;
  } else {
    // anon-identity presentations carry no nonce.
    return null;
  }
  const nonce = payloadOf(jwt)?.nonce;
  return typeof nonce === 'string' && nonce.length > 0 && nonce.length <= MAX_NONCE_LENGTH ? nonce : null;
}

/**
 * A valid result made invalid by `code` after the core sealed it, as the core seals: what it
 * established moves under `unverified` (an invalid result carries no claims).
 * @param {any} result
 * @param {string} code
 * @param {string} message
 */
export function reject(result, code, message) {
  const error = { code, message, path: 'nonce' };
  if (result.valid !== true) {
    result.errors.push(error);
    return result;
  }
  const unverified = { claims: result.claims ?? null, credentials: result.credentials ?? [], subject: result.subject ?? null };
  if (result.disclosed !== undefined) unverified.disclosed = result.disclosed;
  if (result.holderKeyThumbprint !== undefined) unverified.holderKeyThumbprint = result.holderKeyThumbprint;
  result.valid = false;
  result.claims = null;
  result.subject = null;
  result.credentials = [];
  delete result.disclosed;
  delete result.holderKeyThumbprint;
  result.errors = [error];
  result.unverified = unverified;
  return result;
}

/** Single-use nonces on a store: issued with an expiry, consumed at most once. */
export class NonceBook {
  #store;
  #counts = { issued: 0, consumed: 0, replayed: 0, unknown: 0, missing: 0, unavailable: 0 };
  /** Consumptions waiting for this turn's round trip. @type {{ key: string, resolve: (v: string | null) => void, reject: (e: unknown) => void }[]} */
  #queue = [];
  #scheduled = false;

  /** @param {import('./store.js').Store | undefined} store the shared store (default: a MemoryStore of this book's own) */
  constructor(store) {
    this.#store = store === undefined ? new MemoryStore() : storeOf(store);
  }

  /**
   * A fresh nonce (128 random bits, base64url), valid for `ttlSeconds` (default 300, at most one
   * day) and usable once by any process sharing the store; STORE_UNAVAILABLE if it cannot be recorded.
   * @param {{ ttlSeconds?: number }} [options]
   * @returns {Promise<string>}
   */
  async issue(options = {}) {
    const ttlSeconds = options?.ttlSeconds ?? DEFAULT_NONCE_TTL_SECONDS;
    if (typeof ttlSeconds !== 'number' || !(ttlSeconds > 0) || ttlSeconds > MAX_NONCE_TTL_SECONDS) {
      throw new CredcoreError('MALFORMED_INPUT', `ttlSeconds must be a number of seconds from 0 to ${MAX_NONCE_TTL_SECONDS}`, 'ttlSeconds');
    }
    for (;;) {
      const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
      let written;
      try {
        written = await this.#store.setIfAbsent(`nonce:${nonce}`, ISSUED, { ttlMs: ttlSeconds * 1000 });
      } catch (err) {
        this.#counts.unavailable++;
        throw unavailable(err);
      }
      // 128 random bits do not collide; if they ever did, the other nonce stays intact.
      if (written) {
        this.#counts.issued++;
        return nonce;
      }
    }
  }

  /**
   * Consumes the nonce of every valid result (see the policy above), failing those whose nonce is
   * missing, unknown, replayed or cannot be checked. Changes `results` in place and returns them.
   * @param {readonly string[]} texts the inputs, as the core took them
   * @param {any[]} results
   */
  async consume(texts, results) {
    /** @type {Promise<void>[]} */
    const pending = [];
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (r?.valid !== true) continue;
      const nonce = presentedNonce(texts[i], r);
      if (nonce === null) {
        this.#counts.missing++;
        reject(r, 'NONCE_MISMATCH', 'consumeNonce: the item carries no signed nonce (a presentation with a nonce is needed)');
        continue;
      }
      pending.push(this.#take(`nonce:${nonce}`).then(
        (previous) => {
          if (previous === ISSUED) {
            this.#counts.consumed++;
          } else if (previous === null) {
            this.#counts.unknown++;
            reject(r, 'NONCE_MISMATCH', 'the nonce was not issued by this verifier, or has expired');
          } else {
            this.#counts.replayed++;
            reject(r, 'NONCE_REPLAYED', 'the nonce has already been used');
          }
        },
        (err) => {
          this.#counts.unavailable++;
          reject(r, 'STORE_UNAVAILABLE', `the nonce could not be checked: ${unavailable(err).message}`);
        },
      ));
    }
    await Promise.all(pending);
    return results;
  }

  /** `{ issued, consumed, replayed, unknown, missing, unavailable }`. */
  stats() {
    return { ...this.#counts };
  }

  /** Marks `key` used, in this turn's one round trip; resolves with what it held. */
  #take(key) {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      const flush = () => {
        this.#scheduled = false;
        const batch = this.#queue;
        this.#queue = [];
        this.#store.replaceMany(batch.map((q) => ({ key: q.key, value: USED }))).then(
          (previous) => batch.forEach((q, i) => q.resolve(previous[i] ?? null)),
          (err) => batch.forEach((q) => q.reject(err)),
        );
      };
      if (typeof setImmediate === 'function') setImmediate(flush);
      else setTimeout(flush, 0);
    });
  }
}

/**
 * Splits `consumeNonce` from verification options: the core checks key binding and the rest, the
 * harness consumes. With it, SD-JWTs must carry a key-binding JWT.
 * @param {Record<string, any>} options
 * @returns {{ consume: boolean, rest: Record<string, any> }}
 */
export function splitConsume(options) {
  if (options === null || typeof options !== 'object' || !('consumeNonce' in options)) return { consume: false, rest: options };
  const { consumeNonce, ...rest } = options;
  if (consumeNonce !== undefined && typeof consumeNonce !== 'boolean') {
    throw new CredcoreError('MALFORMED_INPUT', 'consumeNonce must be a boolean', 'consumeNonce');
  }
  if (consumeNonce === true) rest.requireKeyBinding = true;
  return { consume: consumeNonce === true, rest };
}
