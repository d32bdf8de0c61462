// credcore: the pool's worker_threads worker (Node). See worker-core.js for what it does.

// @ts-check

import { parentPort } from 'node:worker_threads';
import { serve } from './worker-core.js';
import { settleSync } from './host.node.js';
import { readFileSync } from 'node:fs';
import { hashData, setSyncSource } from './data-integrity.js';
import { installKeys, setKeysSyncSource } from './keys-module.js';

if (parentPort === null) throw new Error('credcore: worker.node.js runs as a worker_threads worker of a pool (createPool)');
const port = parentPort;
// A worker_threads port buffers messages until a listener is attached.
// ECDSA and RSA signatures of this worker's chunks go to node:crypto.
// Data Integrity proofs over RDF: this worker compiles the credcore-ld module on first use.
setSyncSource(() => new WebAssembly.Module(readFileSync(new URL('./credcore_ld_bg.wasm', import.meta.url))));
// x5c certificate chains, ECDSA signing, and what node:crypto cannot verify: this worker compiles
// the keys module on first use.
setKeysSyncSource(() => new WebAssembly.Module(readFileSync(new URL('./credcore_keys_bg.wasm', import.meta.url))));
const hooks = {
  onInstance: (/** @type {any} */ g) => {
    g.setHostVerifier(settleSync);
    g.setCanonicalizer(hashData);
    installKeys(g);
  },
};
port.on('message', serve(/** @type {import('./worker-core.js').Port} */ (/** @type {unknown} */ (port)), hooks));
