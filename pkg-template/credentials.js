// credcore: credential and presentation verification (VC-JWT, VC-JOSE, anon-identity, SD-JWT VC),
// batch verification, issuance, and the stateful Verifier with caches.

import { CredcoreError, rethrow } from './errors.js';
import { packStrings } from './pack.js';
import { wasm } from './state.js';

function call(fn) {
  try {
    return fn(wasm());
  } catch (err) {
    return rethrow(err);
  }
}

/** An input as the core takes it: compact tokens as they are, JSON objects as JSON text. */
export function inputText(input, path) {
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object' && !ArrayBuffer.isView(input)) return JSON.stringify(input);
  throw new CredcoreError('MALFORMED_INPUT', `${path} must be a string (JWT, SD-JWT) or a JSON object`, path);
}

/** Splits JS-only options (functions, Dates) from those the core reads as JSON. */
export function coreOptions(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new CredcoreError('MALFORMED_INPUT', 'options must be an object', 'options');
  }
  const { statusListResolver, now, cache, audit, ...rest } = options;
  let nowMs;
  if (now === undefined) nowMs = undefined;
  else if (now instanceof Date) nowMs = now.getTime();
  else if (typeof now === 'number' && Number.isFinite(now)) nowMs = now;
  else throw new CredcoreError('MALFORMED_INPUT', 'now must be a Date or milliseconds since the epoch', 'options.now');
  if (nowMs !== undefined) rest.now = nowMs;
  return { json: JSON.stringify(rest), statusListResolver, cache, audit };
}

/**
 * Verifies one credential (VC-JWT, VC-JOSE, anon-identity JSON, or SD-JWT VC).
 * @example const r = verifyCredential(jwt, { trustedIssuers: [issuer.did] }); if (!r.valid) console.log(r.errors);
 */
export function verifyCredential(input, options) {
  const text = inputText(input, 'input');
  const { json } = coreOptions(options);
  return JSON.parse(call((w) => w.verifyItem(text, json, Date.now(), 'credential')));
}

/**
 * Verifies one presentation (VP-JWT, anon-identity presentation, or SD-JWT with key binding).
 * @example verifyPresentation(vp, { nonce: 'n-123', audience: 'did:web:verifier.example' })
 */
export function verifyPresentation(input, options) {
  const text = inputText(input, 'input');
  const { json } = coreOptions(options);
  return JSON.parse(call((w) => w.verifyItem(text, json, Date.now(), 'presentation')));
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
  return JSON.parse(call((w) => w.verifyBatchPacked(packStrings(texts), json, Date.now())));
}

/**
 * Issues a credential: `format` 'vc-jwt' returns a compact JWT, 'anon-identity' a JSON credential
 * with an embedded `proof.jws` (as anon-identity issues them).
 * @example const jwt = issueCredential({ credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
 */
export function issueCredential(credential, options = {}) {
  const { issuer, now, ...rest } = options ?? {};
  const secret = secretOf(issuer, 'issuer');
  const json = JSON.stringify(credential ?? null);
  const out = call((w) => w.issueCredential(json, secret, JSON.stringify(rest), msOf(now)));
  return JSON.parse(out);
}

/**
 * Creates a presentation of `credentials` signed by `holder`: `format` 'vp-jwt' (compact JWT with
 * `nonce` and `aud`) or 'anon-identity' (JSON with `proof.jws`).
 * @example const vp = createPresentation([jwt], { holder, nonce: 'n-123', audience: 'did:web:verifier.example', format: 'vp-jwt' });
 */
export function createPresentation(credentials, options = {}) {
  if (!Array.isArray(credentials)) throw new CredcoreError('MALFORMED_INPUT', 'credentials must be an array', 'credentials');
  const { holder, now, ...rest } = options ?? {};
  const secret = secretOf(holder, 'holder');
  const out = call((w) => w.createPresentation(JSON.stringify(credentials), secret, JSON.stringify(rest), msOf(now)));
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
