// credcore: the pool's worker_threads worker (Node). See worker-core.js for what it does.

// @ts-check

import { parentPort } from 'node:worker_threads';
import { serve } from './worker-core.js';

if (parentPort === null) throw new Error('credcore: worker.node.js runs as a worker_threads worker of a pool (createPool)');
const port = parentPort;
// A worker_threads port buffers messages until a listener is attached.
port.on('message', serve(/** @type {import('./worker-core.js').Port} */ (/** @type {unknown} */ (port))));
