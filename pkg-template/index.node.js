// credcore: Node entry point. Instantiates the wasm synchronously, so the API is ready at import
// (no top-level await) and `require('credcore')` works from the CJS build. The instantiation is
// this module's side effect (package.json `sideEffects` names it, so bundlers keep it); the wasm
// is beside this file, or, inside an application bundle, in the installed package (locate.node.js).

// @ts-check

import { readFileSync } from 'node:fs';
import * as glue from './credcore_wasm.js';
import { setInstance } from './state.js';
import { packageFile } from './locate.node.js';
import { createPool as startPool } from './pool.js';
import { nodeRuntime } from './pool/runtime.node.js';
import { onInstanceReset } from './state.js';
import { settleSync, nodeAsyncHost } from './host.node.js';
import { setAsyncHost } from './host-round.js';
import { hashData, setSyncSource } from './data-integrity.js';
import { installKeys, setKeysSyncSource } from './keys-module.js';
import { setIssuingSyncSource } from './issuing.js';

const wasmUrl = packageFile(() => new URL('./credcore_wasm_bg.wasm', import.meta.url), 'credcore/credcore_wasm_bg.wasm', 'the wasm module credcore_wasm_bg.wasm');
const module = new WebAssembly.Module(readFileSync(wasmUrl));
glue.initSync({ module });
setInstance(glue, module);
// ECDSA and RSA signatures go to node:crypto: synchronously from the module functions, on the
// crypto thread pool from a Verifier's needs loop. A replaced instance gets the settler again.
glue.setHostVerifier(settleSync);
onInstanceReset(() => glue.setHostVerifier(settleSync));
// Data Integrity proofs over RDF: the credcore-ld module, compiled on the first item that needs it.
setSyncSource(() => new WebAssembly.Module(readFileSync(packageFile(() => new URL('./credcore_ld_bg.wasm', import.meta.url), 'credcore/credcore_ld_bg.wasm', 'the Data Integrity module credcore_ld_bg.wasm'))));
glue.setCanonicalizer(hashData);
onInstanceReset(() => glue.setCanonicalizer(hashData));
setAsyncHost(nodeAsyncHost);
// x5c certificate chains, and ECDSA and RSA where node:crypto cannot (signing with ECDSA keys): the
// keys module, compiled on first use.
setKeysSyncSource(() => new WebAssembly.Module(readFileSync(packageFile(() => new URL('./credcore_keys_bg.wasm', import.meta.url), 'credcore/credcore_keys_bg.wasm', 'the keys module credcore_keys_bg.wasm'))));
installKeys(glue);
onInstanceReset(() => installKeys(glue));
// Issuance, SD-JWT presentation, status lists, audit logs, sessions and key generation: the
// issuing module, compiled on first use.
setIssuingSyncSource(() => new WebAssembly.Module(readFileSync(packageFile(() => new URL('./credcore_issuing_bg.wasm', import.meta.url), 'credcore/credcore_issuing_bg.wasm', 'the issuing module credcore_issuing_bg.wasm'))));

const runtime = nodeRuntime(() => packageFile(() => new URL('./worker.node.js', import.meta.url), 'credcore/worker', 'the pool worker worker.node.js'));

export * from './api.js';
export { wasmModule } from './state.js';
export { loadDataIntegrity } from './data-integrity.js';
export { loadKeys } from './keys-module.js';
export { loadIssuing } from './issuing.js';

/**
 * Starts a pool of worker_threads workers and resolves when they are ready.
 * @example const pool = await createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
 * @param {import('./index.js').PoolOptions} [options]
 */
export function createPool(options) {
  return startPool(options, runtime);
}

/** Resolves at once in Node: the module is ready at import. */
export function init() {
  return Promise.resolve();
}
