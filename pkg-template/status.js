// credcore: status lists for issuers: W3C Bitstring Status List credentials and IETF Token
// Status List tokens: create, allocate, set, sign; decode an existing list to read or update it.

// @ts-check

import { CredcoreError } from './errors.js';
import { issuingCall as call, pinIssuing as pinInstance } from './issuing.js';


/** The signing part of a key pair: its secret and algorithm (EdDSA when absent). */
function secretOf(issuer) {
  if (issuer === undefined) return undefined;
  if (issuer === null || typeof issuer !== 'object' || !(issuer.secretKey instanceof Uint8Array)) {
    throw new CredcoreError('MALFORMED_INPUT', 'issuer must be a key pair ({ secretKey: Uint8Array })', 'issuer');
  }
  return { secretKey: issuer.secretKey, alg: issuer.alg };
}

/**
 * A status list an issuer maintains. `format` 'w3c' signs a Bitstring Status List credential
 * (VC-JOSE, GZIP, MSB-first, at least 131,072 entries); 'ietf' a Token Status List token
 * (`statuslist+jwt`, zlib, LSB-first, 1/2/4/8 bits per entry).
 * @example const list = new StatusList({ format: 'ietf', uri: 'https://issuer.example/status/1', size: 1_000_000, issuer });
 *   const idx = list.allocate(); list.set(idx, 1); const token = list.sign();
 */
export class StatusList {
  #inner;
  #secret;
  // The list's bits live in the instance: it is never recycled under a live list (state.js).
  #unpin = pinInstance(this);

  constructor(options) {
    if (options instanceof Object && options.__handle) {
      this.#inner = options.__handle;
      this.#secret = options.__secret;
      return;
    }
    const { issuer, ...config } = options ?? {};
    this.#secret = secretOf(issuer);
    this.#inner = call((w) => new w.StatusListHandle(JSON.stringify(config)));
  }

  /** A random index not handed out before (both specs advise random indices for privacy). */
  allocate() {
    return call(() => this.#inner.allocate());
  }

  /** Sets entry `index` to `status` (0 valid, 1 revoked/invalid, 2 suspended in IETF lists, ...). */
  set(index, status) {
    call(() => this.#inner.set(index, status));
  }

  /** The status of entry `index` (undefined past the end). */
  get(index) {
    return call(() => this.#inner.get(index));
  }

  /** Number of entries. */
  get size() {
    return call(() => this.#inner.size());
  }

  /** Bits per entry. */
  get bits() {
    return call(() => this.#inner.bits());
  }

  /** The configuration: `{ format, uri, size, bits, purpose, ttlSeconds, validForSeconds }`. */
  get config() {
    return JSON.parse(call(() => this.#inner.configJson()));
  }

  /**
   * Encodes and signs the list with the issuer given to the constructor (or `issuer`), with its
   * key's `alg` (EdDSA, ES256, ES384). Returns a compact JWT: the status list credential (W3C)
   * or token (IETF).
   */
  sign(options = {}) {
    const key = secretOf(options.issuer) ?? this.#secret;
    if (!key) throw new CredcoreError('MALFORMED_INPUT', 'signing needs an issuer key pair', 'issuer');
    const now = options.now instanceof Date ? options.now.getTime() : options.now ?? Date.now();
    return call(() => this.#inner.sign(key.secretKey, now, key.alg));
  }

  /** Frees the wasm memory of this list. */
  free() {
    this.#unpin();
    this.#inner.free();
  }

  /**
   * Decodes a signed list (its signature and issuer are checked) so that it can be read, updated
   * and re-signed: `StatusList.decode(token, { issuer }).set(7, 1)`.
   */
  static decode(list, options = {}) {
    if (typeof list !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a status list is a compact JWT string', 'list');
    const handle = call((w) => w.StatusListHandle.decode(list, options.uri));
    return new StatusList({ __handle: handle, __secret: secretOf(options.issuer) });
  }

  /** Describes a signed list without keeping it: `{ format, uri, issuer, size, bits, purposes, issuedAt, notBefore, expiresAt, ttlMs }`. */
  static describe(list, options = {}) {
    if (typeof list !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'a status list is a compact JWT string', 'list');
    return JSON.parse(call((w) => w.StatusListHandle.describe(list, options.uri)));
  }
}
