// credcore: selective disclosure with SD-JWT (RFC 9901) and SD-JWT VC: issue, present, verify.

// @ts-check

import { CredcoreError } from './errors.js';
import { call } from './state.js';
import { issuingCall } from './issuing.js';
import { toBytes } from './wire.js';
import { coreOptions } from './credentials.js';
import { readFramed } from './results.js';


function secretOf(pair, name) {
  if (pair === null || typeof pair !== 'object') {
    throw new CredcoreError('MALFORMED_INPUT', `${name} must be a key pair ({ secretKey })`, name);
  }
  return toBytes(pair.secretKey, `${name}.secretKey`, false);
}

function nowMs(now) {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  throw new CredcoreError('MALFORMED_INPUT', 'now must be a Date or milliseconds since the epoch', 'now');
}

/**
 * Issues an SD-JWT VC (`typ` `dc+sd-jwt`). `disclose` lists JSON pointers (`/address/street`,
 * `/nationalities/0`) or takes an sd-jwt-js disclosure frame (`{ _sd: ['name'] }`).
 * `holderPublicKey` is an Ed25519 public key (bytes) or a public JWK of any supported type
 * (`holder.publicJwk`); the issuer signs with its key's `alg` (EdDSA, ES256, ES384).
 * @example const token = sdJwt.issue({ vct: 'urn:example:id', given_name: 'Ada' },
 *   { issuer, disclose: ['/given_name'], holderPublicKey: holder.publicKey, expiresIn: 3600 });
 */
function issue(claims, options = {}) {
  const { issuer, holderPublicKey, now, ...rest } = options;
  const secret = secretOf(issuer, 'issuer');
  // An Ed25519 public key as bytes, or a public JWK of any supported type.
  const jwk = holderPublicKey !== null && typeof holderPublicKey === 'object' && !ArrayBuffer.isView(holderPublicKey);
  const holder = holderPublicKey === undefined || jwk ? undefined : toBytes(holderPublicKey, 'holderPublicKey', false);
  const claimsJson = JSON.stringify(claims ?? null);
  const optionsJson = JSON.stringify(jwk ? { ...rest, holderJwk: holderPublicKey } : rest);
  return issuingCall((w) => w.sdJwtIssue(claimsJson, optionsJson, secret, holder, nowMs(now), issuer.alg));
}

/**
 * Presents an SD-JWT disclosing only `disclose` (parents are revealed as needed). With `holder`
 * (the key pair whose public key is the credential's `cnf`), adds a key-binding JWT over
 * `nonce` and `audience`.
 * @example const presentation = sdJwt.present(token, { disclose: ['/given_name'], holder, nonce, audience });
 */
function present(sdJwtText, options = {}) {
  const { holder, now, serialization, ...rest } = /** @type {Record<string, any>} */ (options);
  if (typeof sdJwtText !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'the SD-JWT must be a string', 'sdJwt');
  const secret = holder === undefined ? undefined : secretOf(holder, 'holder');
  const out = issuingCall((w) => w.sdJwtPresent(sdJwtText, JSON.stringify({ ...rest, serialization }), secret, nowMs(now), holder?.alg));
  // `serialization: 'json'`: the core wrote the flattened JWS JSON Serialization as text.
  return serialization === 'json' ? JSON.parse(out) : out;
}

/**
 * Verifies an SD-JWT presentation; the result holds only the disclosed claims.
 * @example const result = sdJwt.verify(presentation, { nonce, audience, trustedIssuers: [issuer.did] });
 */
function verify(presentation, options = {}) {
  const isObject = presentation !== null && typeof presentation === 'object' && !Array.isArray(presentation) && !ArrayBuffer.isView(presentation);
  if (typeof presentation !== 'string' && !isObject) {
    throw new CredcoreError('MALFORMED_INPUT', 'an SD-JWT presentation is a string, or an object in JWS JSON Serialization', 'presentation');
  }
  // An object is an SD-JWT in JWS JSON Serialization (RFC 9901 section 8); the core reads its text.
  const text = typeof presentation === 'string' ? presentation : JSON.stringify(presentation);
  const { json } = coreOptions(options);
  return readFramed(call((w) => w.verifyItemFramed(text, json, Date.now(), 'any')))[0];
}

/** SD-JWT issuance, presentation and verification. */
export const sdJwt = Object.freeze({ issue, present, verify });
