// credcore: the pool's module Web Worker (browsers). The pool starts it with
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, the form bundlers
// recognize: they bundle it with what it imports. It imports nothing from `node:` and awaits
// nothing at the top: the listener is attached before any message can arrive. The published
// file is this module bundled with the glue (scripts/build.sh), so that a bundler that moves no
// workers (esbuild, Rollup) needs only it and the .wasm copied beside the bundle.

// @ts-check

import { serve } from './worker-core.js';
import { hashData } from './data-integrity.js';
import { webAsyncHost } from './host.browser.js';

const scope = /** @type {any} */ (globalThis);
// Proofs over RDF: answered by the Data Integrity module once the pool posts it (its first such
// item is NOT_INITIALIZED until then, which the pool answers by posting it and running it again).
// ECDSA and RSA signatures of a chunk: this worker's WebCrypto where it has one (a secure
// context), else the core's in-process fallbacks.
const asyncHost = globalThis.crypto?.subtle !== undefined ? webAsyncHost : null;
const onMessage = serve(scope, { onInstance: (/** @type {any} */ g) => g.setCanonicalizer(hashData), asyncHost });
scope.addEventListener('message', (/** @type {MessageEvent} */ event) => onMessage(event.data));
