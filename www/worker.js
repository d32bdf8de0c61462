// credcore demo: a module Web Worker that issues the bulk workload's credentials, a chunk per
// message (`credcore:generate`). It verifies nothing: the package's own pool does (bulk.js). The
// page compiles the wasm module once and posts it here (`credcore:init`).

import { init, keyPairFromSeed, loadIssuing } from '/pkg/index.browser.js';
import * as credcore from '/pkg/index.browser.js';
import { issueOne } from './workload.js';

async function handle(msg) {
  switch (msg.type) {
    case 'credcore:init':
      await Promise.all([init(msg.module), loadIssuing()]);
      return { type: 'credcore:ready' };
    case 'credcore:generate': {
      const issuer = keyPairFromSeed(msg.issuerSeed);
      const started = performance.now();
      const inputs = msg.items.map(({ i, kind, statusIndex }) =>
        issueOne(credcore, { issuer, subject: msg.subject, i, kind, statusIndex, now: msg.now, format: msg.format }));
      return { type: 'credcore:generated', id: msg.id, inputs, ms: performance.now() - started };
    }
    default:
      throw new Error(`unknown message ${msg.type}`);
  }
}

self.onmessage = async (event) => {
  try {
    self.postMessage(await handle(event.data));
  } catch (err) {
    self.postMessage({ type: 'credcore:error', id: event.data?.id, code: err?.code ?? 'INTERNAL_ERROR', message: String(err?.message ?? err) });
  }
};
