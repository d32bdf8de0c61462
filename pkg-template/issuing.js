// credcore: the issuing module (credcore_issuing_bg.wasm): issuance of credentials and
// presentations, SD-JWT issuance and presentation, status lists, the audit chain, sessions, key
// generation and signing; the core with the issuing half of its boundary (issuing-wasm/), kept
// out of the default module, which verifies. In Node it is compiled from the package's file on
// first use (`setIssuingSyncSource`), so every function is ready at import as before; in browsers
// `loadIssuing()` loads it, and until then those functions throw NOT_INITIALIZED naming that fix.
// Its instance is contained as the default module's is (state.js): a trap answers that call
// INTERNAL_ERROR and the instance is replaced; objects made on it (AuditLog, SessionStore,
// StatusList) pin it against memory recycling. This file moves bytes.

// @ts-check

import * as glue from './credcore_issuing.js';
import { instanceRealm } from './state.js';
import { compileModule } from './lazy-module.js';
import { CredcoreError } from './errors.js';
import { hashData } from './data-integrity.js';
import { installCurves } from './keys-module.js';

/** @type {(() => WebAssembly.Module) | null} */
let syncSource = null;
/** @type {Promise<void> | null} */
let loading = null;

const realm = instanceRealm({
  notInitialized: () =>
    new CredcoreError(
      'NOT_INITIALIZED',
      'the issuing module (issuance, SD-JWT issuance and presentation, status lists, audit logs, sessions, key generation) is not loaded: call `await loadIssuing()` first',
    ),
  ensure: () => {
    if (syncSource === null) return;
    let module;
    try {
      module = syncSource();
    } catch (err) {
      throw new CredcoreError('NOT_INITIALIZED', `the issuing module could not be loaded: ${String(/** @type {any} */ (err)?.message ?? err)}`);
    }
    use(module);
  },
});

/** What every instance of the module is handed: ECDSA signing, RDF canonicalization. */
function install() {
  installCurves(glue);
  glue.setCanonicalizer(hashData);
}
realm.onInstanceReset(install);

/** @param {WebAssembly.Module} module */
function use(module) {
  if (realm.ready()) return;
  glue.initSync({ module });
  realm.setInstance(glue, module);
  install();
}

/** Node: how to compile the module synchronously on first use. */
export function setIssuingSyncSource(/** @type {() => WebAssembly.Module} */ source) {
  syncSource = source;
}

/**
 * Loads the issuing module (idempotent). In Node it is ready at first use anyway; in browsers it
 * is fetched from `source` (default: credcore_issuing_bg.wasm beside this file).
 * @param {URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function loadIssuing(source) {
  if (realm.ready()) return Promise.resolve();
  if (syncSource !== null && source === undefined) {
    try {
      realm.wasm();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
  if (loading === null) {
    loading = compileModule(source, new URL('./credcore_issuing_bg.wasm', import.meta.url), 'the issuing module').then(use, (err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

/** Runs `fn` with the issuing module's glue, contained (state.js); NOT_INITIALIZED before it is loaded. */
export const issuingCall = realm.call;

/** Keeps the issuing module's instance from being recycled while `obj` is alive and not freed. */
export const pinIssuing = realm.pinInstance;

/** `{ bytes, maxBytes, recycles, pinned }` of the issuing module's instance (loading it if need be). */
export const issuingMemory = realm.instanceMemory;

/** Whether the issuing module is instantiated in this thread (without loading it). */
export const issuingLoaded = realm.ready;
