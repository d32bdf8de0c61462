// credcore: the public API. Thin wrappers that check argument shapes, move bytes into the wasm
// core in one call, and turn core errors into `CredcoreError`s.

// @ts-check

import { CredcoreError } from './errors.js';
import { pack, toBytes } from './wire.js';
import { call, instanceMemory as mainMemory } from './state.js';
import { issuingCall, issuingLoaded, issuingMemory } from './issuing.js';

export { CredcoreError } from './errors.js';


function arrayArg(value, name) {
  if (!Array.isArray(value)) throw new CredcoreError('MALFORMED_INPUT', `${name} must be an array`, name);
  return value;
}

// ---- keys and raw Ed25519 -------------------------------------------------------------------

/**
 * A new key pair from the platform CSPRNG: Ed25519 (`alg` 'EdDSA', the default), P-256 ('ES256'),
 * P-384 ('ES384') or secp256k1 ('ES256K'); ECDSA keys are made in the keys module (browsers:
 * after `await loadKeys()`).
 * @example const { did, publicKey, secretKey } = generateKeyPair(); const p256 = generateKeyPair({ alg: 'ES256' });
 */
export function generateKeyPair(options) {
  return issuingCall((w) => w.generateKeyPair(options?.alg));
}

/**
 * The key pair of a secret: a 32-byte Ed25519 seed (RFC 8032 secret key), or with `alg` an ECDSA
 * scalar (ES256: 32 bytes, ES384: 48).
 * @example const pair = keyPairFromSeed(new Uint8Array(32));
 */
export function keyPairFromSeed(seed, options) {
  return issuingCall((w) => w.keyPairFromSeed(seed, options?.alg));
}

/** The did:key of a 32-byte Ed25519 public key. @example didFromPublicKey(pair.publicKey) */
export function didFromPublicKey(publicKey) {
  return call((w) => w.didFromPublicKey(publicKey));
}

/** The 32-byte public key of an Ed25519 did:key (strict). @example publicKeyFromDid(pair.did) */
export function publicKeyFromDid(did) {
  return call((w) => w.publicKeyFromDid(did));
}

/** The OKP JWK `{ kty, crv, x }` of a public key. */
export function publicKeyToJwk(publicKey) {
  return call((w) => w.publicKeyToJwk(publicKey));
}

/** The 32-byte public key of an OKP Ed25519 JWK (object or JSON text). */
export function publicKeyFromJwk(jwk) {
  const text = typeof jwk === 'string' ? jwk : JSON.stringify(jwk ?? null);
  return call((w) => w.publicKeyFromJwk(text));
}

/** The RFC 7638 thumbprint of an Ed25519 public key (Uint8Array) or a public JWK of any supported type (object). */
export function jwkThumbprint(key) {
  if (key instanceof Uint8Array) return call((w) => w.jwkThumbprint(key));
  const text = typeof key === 'string' ? key : JSON.stringify(key ?? null);
  return call((w) => w.jwkThumbprintOfJwk(text));
}

/**
 * Signs a message (Uint8Array or string) with a 32-byte secret key; returns 64 bytes.
 * @example const sig = sign('hello', pair.secretKey);
 */
export function sign(message, secretKey) {
  return issuingCall((w) => w.sign(message, secretKey));
}

/**
 * Verifies one Ed25519 signature under the strict policy (see README, "Verification policy").
 * @example verify('hello', sig, pair.publicKey) // true
 */
export function verify(message, signature, publicKey) {
  return call((w) => w.verify(message, signature, publicKey));
}

/**
 * Verifies many signatures with one batch verification; `result[i]` is what `verify` would say.
 * @example verifySignatures([{ message, signature, publicKey }]) // [true]
 */
export function verifySignatures(items) {
  arrayArg(items, 'items');
  const fields = new Array(items.length * 3);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object') {
      throw new CredcoreError('MALFORMED_INPUT', `items[${i}] must be an object`, `[${i}]`);
    }
    fields[3 * i] = toBytes(item.message, `[${i}].message`, true);
    fields[3 * i + 1] = toBytes(item.signature, `[${i}].signature`, false);
    fields[3 * i + 2] = toBytes(item.publicKey, `[${i}].publicKey`, false);
  }
  const flags = call((w) => w.verifySignaturesPacked(pack(fields)));
  return Array.from(flags, (b) => b === 1);
}

// ---- hashing --------------------------------------------------------------------------------

/**
 * The SHA-2 digest of bytes or a string (UTF-8). `alg`: 'sha-256' (default), 'sha-384', 'sha-512'.
 * @example hash('abc') // Uint8Array(32)
 */
export function hash(data, alg = 'sha-256') {
  return call((w) => w.hash(data, alg));
}

/**
 * The digests of many items in one call; returns one Uint8Array per item.
 * @example hashBatch(['a', 'b'], 'sha-256')
 */
export function hashBatch(items, alg = 'sha-256') {
  arrayArg(items, 'items');
  const fields = items.map((x, i) => toBytes(x, `[${i}]`, true));
  const out = call((w) => w.hashBatchPacked(pack(fields), alg));
  const n = items.length === 0 ? 0 : out.length / items.length;
  return items.map((_, i) => out.subarray(i * n, (i + 1) * n));
}

// ---- meta -----------------------------------------------------------------------------------

/** Every stable error code, in the order of the core's list. */
export function errorCodes() {
  return call((w) => w.errorCodes());
}

/** The package version. */
export function version() {
  return call((w) => w.version());
}

export { canonicalize, hmacSha256, hmacBatch, AuditLog } from './audit.js';
export { StatusList } from './status.js';
export { verifyCredential, verifyPresentation, verifyBatch, issueCredential, createPresentation, Verifier } from './credentials.js';
export { sdJwt } from './sdjwt.js';
export { createSession, validateSession, SessionStore, SharedSessionStore } from './session.js';
export { MemoryStore } from './store.js';
export { setMaxInstanceMemory } from './state.js';

/**
 * This thread's default wasm instance memory, and the issuing module's (null until it is loaded).
 * @returns {import('./index.js').InstanceMemory}
 */
export function instanceMemory() {
  const main = mainMemory();
  const issuing = issuingLoaded() ? issuingMemory() : null;
  return { ...main, issuing: issuing === null ? null : { bytes: issuing.bytes, recycles: issuing.recycles, pinned: issuing.pinned } };
}
