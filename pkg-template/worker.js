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
import { installKeys } from './keys-module.js';

const scope = /** @type {any} */ (globalThis);
// Proofs over RDF: answered by the Data Integrity module once the pool posts it (its first such
// item is NOT_INITIALIZED until then, which the pool answers by posting it and running it again).
// ECDSA and RSA signatures of a chunk: this worker's WebCrypto where it has one (a secure
// context), else the keys module's (secp256k1 always: WebCrypto has none), which the pool posts,
// as the Data Integrity module, when a chunk needed it; so are x5c chains.
const asyncHost = globalThis.crypto?.subtle !== undefined ? webAsyncHost : null;
const onInstance = (/** @type {any} */ g) => {
  g.setCanonicalizer(hashData);
  installKeys(g);
};
const onMessage = serve(scope, { onInstance, asyncHost });
scope.addEventListener('message', (/** @type {MessageEvent} */ event) => onMessage(event.data));
