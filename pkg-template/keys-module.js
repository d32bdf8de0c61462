// credcore: the keys module (credcore_keys_bg.wasm: X.509 path validation of x5c chains, with
// RustCrypto's x509-cert and der; ECDSA and RSA with RustCrypto's p256, p384, k256 and rsa),
// loaded only where a chain is to be validated or a signature has no faster host (browsers'
// synchronous paths, secp256k1 in WebCrypto) or an ECDSA key signs. The main module asks it
// through `validateChain` and `checkAnchors` (glue.setChainValidator) and `settleJobs`,
// `ecdsaPublicKey` and `ecdsaSign` (glue.setCurves), synchronously: in
// Node it is compiled from the package's file on first use; in browsers `loadKeys()` loads it
// (a Verifier and a pool load it when a batch reports that it is needed), and until then those
// items are NOT_INITIALIZED naming that fix. A trap inside it answers that chain INTERNAL_ERROR
// and replaces its instance. This file moves bytes: every decision is the core's.

// @ts-check

import * as keys from './credcore_keys.js';
import { lazyModule } from './lazy-module.js';

const SEP = '\u0001';
const NOT_LOADED = `NOT_INITIALIZED${SEP}${SEP}the keys module (x5c certificate chains) is not loaded: call \`await loadKeys()\` first, or verify through a Verifier, which loads it`;
const CURVES_NOT_LOADED = `NOT_INITIALIZED${SEP}${SEP}the keys module (ECDSA and RSA in this runtime) is not loaded: call \`await loadKeys()\` first, or verify through a Verifier, which loads it`;

const lazy = lazyModule({
  glue: /** @type {any} */ (keys),
  fallback: () => new URL('./credcore_keys_bg.wasm', import.meta.url),
  what: 'the keys module',
});

/** Node: how to compile the module synchronously on first use. */
export const setKeysSyncSource = lazy.setSyncSource;
/** Instantiates the compiled module (the main thread's, or one posted to a worker). */
export const useKeysModule = lazy.use;
/** The compiled keys module, or null before it is loaded. */
export const keysModule = lazy.module;
/** Whether a batch wanted the module before it was loaded, since the last call. */
export const takeKeysWanted = lazy.takeWanted;

/**
 * Loads the keys module (idempotent). In Node it is ready at first use anyway; in browsers it is
 * fetched from `source` (default: credcore_keys_bg.wasm beside this file).
 * @param {URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function loadKeys(source) {
  return lazy.load(source);
}

/**
 * Runs one call of the module: its answer, or a failure string.
 * @template T
 * @param {() => T} fn
 * @returns {T | string}
 */
function run(fn, notLoaded = NOT_LOADED, what = 'this chain') {
  try {
    if (!lazy.ready()) return notLoaded;
  } catch (err) {
    return `NOT_INITIALIZED${SEP}${SEP}the keys module could not be loaded: ${String(/** @type {any} */ (err)?.message ?? err)}`;
  }
  try {
    return fn();
  } catch (err) {
    if (typeof err === 'string') return err;
    // A trap: this instance may be in any state.
    lazy.reset();
    return `INTERNAL_ERROR${SEP}${SEP}the keys module failed on ${what} and was replaced`;
  }
}

/**
 * Validates a packed chain to packed anchors at `now` (seconds): the packed leaf, or a failure string.
 * @param {Uint8Array} chain
 * @param {Uint8Array} anchors
 * @param {number} now
 * @returns {Uint8Array | string}
 */
export function validateChain(chain, anchors, now) {
  return run(() => keys.validateChain(chain, anchors, now));
}

/**
 * Whether every packed anchor is a certificate: '' or a failure string.
 * @param {Uint8Array} anchors
 * @returns {string}
 */
export function checkAnchors(anchors) {
  return run(() => {
    keys.checkAnchors(anchors);
    return '';
  });
}

/**
 * Settles packed host jobs (as the host settlers take them): one byte per job, 1 for a
 * signature that verifies, or a failure string.
 * @param {Uint8Array} jobs
 * @returns {Uint8Array | string}
 */
export function settleJobs(jobs) {
  return run(() => keys.settleJobs(jobs), CURVES_NOT_LOADED, 'these signatures');
}

/**
 * The uncompressed public key (`04 || x || y`) of an ECDSA secret, or a failure string.
 * @param {string} alg
 * @param {Uint8Array} secret
 * @returns {Uint8Array | string}
 */
export function ecdsaPublicKey(alg, secret) {
  return run(() => keys.ecdsaPublicKey(alg, secret), CURVES_NOT_LOADED, 'this key');
}

/**
 * The JWS signature `r || s` (RFC 6979) of `message` with an ECDSA secret, or a failure string.
 * @param {string} alg
 * @param {Uint8Array} secret
 * @param {Uint8Array} message
 * @returns {Uint8Array | string}
 */
export function ecdsaSign(alg, secret, message) {
  return run(() => keys.ecdsaSign(alg, secret, message), CURVES_NOT_LOADED, 'this signature');
}

/**
 * Hands the keys module to a main module's instance: x5c chains, ECDSA and RSA. ECDSA keys sign
 * here in Node too (RFC 6979 deterministic signatures, which node:crypto does not make).
 * @param {any} glue the default module's glue
 */
export function installKeys(glue) {
  glue.setChainValidator(validateChain, checkAnchors);
  installCurves(glue);
}

/**
 * Hands the keys module's ECDSA and RSA to a module's instance that validates no chains (the
 * issuing module's: ECDSA keys sign there).
 * @param {any} glue
 */
export function installCurves(glue) {
  glue.setCurves(settleJobs, ecdsaPublicKey, ecdsaSign);
}
