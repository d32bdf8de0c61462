// A pool worker for the containment tests: the package's own worker (its worker-core.js, which
// worker.js and worker.node.js serve), unchanged, except that a chunk holding a marker input
// fails for real. With TRAP_MARKER, the worker's wasm instance
// traps: the raw export behind `Verifier.verifyBatch*` is called on the worker's own Verifier
// with a chunk address past the end of memory, so the real module reads out of bounds while it
// holds that Verifier borrowed (exactly the state a panic leaves). With EXIT_MARKER (Node), the
// thread exits, as a worker killed by its host would.
//
// Node: `createPool({ workerUrl: new URL('./lib/trap-worker.mjs', ...) })` (the package is found
// by its name). Browsers, where module workers see no import map: pass the package's worker.js
// as `?worker=URL`.

import { EXIT_MARKER, TRAP_MARKER } from './trap-worker-markers.mjs';

// Browsers dispatch messages that arrive while a module worker awaits and drop those nobody
// listens to: hold them until worker-core.js serves, then hand them over. (Node's port holds them.)
const isBrowserWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
const early = [];
const hold = (event) => early.push(event.data);
if (isBrowserWorker) self.addEventListener('message', hold);

const given = new URL(import.meta.url).searchParams.get('worker');
const workerUrl = given ?? new URL('./worker.js', import.meta.resolve('credcore')).href;
// The very module instance worker-core.js imports (same URL, same realm).
const glue = await import(new URL('./credcore_wasm.js', workerUrl).href);
const decoder = new TextDecoder();

const proto = glue.Verifier.prototype;
for (const [name, raw] of [['verifyBatchPacked', 'verifier_verifyBatchPacked'], ['verifyBatchOrMissing', 'verifier_verifyBatchOrMissing']]) {
  const original = proto[name];
  proto[name] = function (buffer, ...rest) {
    const text = decoder.decode(buffer);
    if (text.includes(EXIT_MARKER) && typeof process === 'object') process.exit(70);
    if (text.includes(TRAP_MARKER)) {
      // initSync() returns the live instance's exports once initialized.
      glue.initSync()[raw](this.__wbg_ptr, 0xffffff00, 64, 1, 0, Date.now());
    }
    return original.call(this, buffer, ...rest);
  };
}

const { serve } = await import(new URL('./worker-core.js', workerUrl).href);
if (isBrowserWorker) {
  const onMessage = serve(self);
  self.removeEventListener('message', hold);
  self.addEventListener('message', (event) => onMessage(event.data));
  for (const data of early) onMessage(data);
} else {
  const { parentPort } = await import('node:worker_threads');
  parentPort.on('message', serve(parentPort));
}
