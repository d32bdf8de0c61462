// credcore: the pool's worker_threads worker (Node). See worker-core.js for what it does.

// @ts-check

import { parentPort } from 'node:worker_threads';
import { serve } from './worker-core.js';
import { settleSync } from './host.node.js';

if (parentPort === null) throw new Error('credcore: worker.node.js runs as a worker_threads worker of a pool (createPool)');
const port = parentPort;
// A worker_threads port buffers messages until a listener is attached.
// ECDSA and RSA signatures of this worker's chunks go to node:crypto.
const hooks = { onInstance: (/** @type {any} */ g) => g.setHostVerifier(settleSync) };
port.on('message', serve(/** @type {import('./worker-core.js').Port} */ (/** @type {unknown} */ (port)), hooks));
