// credcore's own work per ES256 VC-JWT on the synchronous verifyBatch, two builds interleaved in
// one process (the order alternates from run to run), each run on fresh tokens, medians; beside
// a bare node:crypto verify loop over the same kind of signatures. STUB=1 answers every host job
// 1 without any crypto in both builds, which leaves only credcore's own work to compare.
//
// Run: node bench/es256-own-work.mjs OTHER_PKG_DIR THIS_PKG_DIR [runs]   (STUB=1 for own work)
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a, b, runsArg] = process.argv.slice(2);
const url = (dir, file) => pathToFileURL(resolve(dir, file)).href;
const A = await import(url(a, 'index.node.js'));
const B = await import(url(b, 'index.node.js'));
if (process.env.STUB) {
  // Own work only: every host job answered 1 without any crypto.
  const stub = (packed) => new Uint8Array(new DataView(packed.buffer, packed.byteOffset).getUint32(0, true) / 4).fill(1);
  for (const d of [a, b]) (await import(url(d, 'credcore_wasm.js'))).setHostVerifier(stub);
}
const issuer = B.generateKeyPair({ alg: 'ES256' });
const nodeKey = { key: crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' };
let round = 0;
const make = () => { round++; return Array.from({ length: 1000 }, (_, i) => B.issueCredential({ credentialSubject: { id: 'did:example:holder', n: `es256-${round}-${i}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 })); };
const forms = {
  A: (t) => { if (!A.verifyBatch(t).every((r) => r.valid)) throw new Error('A'); },
  B: (t) => { if (!B.verifyBatch(t).every((r) => r.valid)) throw new Error('B'); },
  loop: (t) => { for (const x of t) { const cut = x.lastIndexOf('.'); if (!crypto.verify('sha256', Buffer.from(x.slice(0, cut)), nodeKey, Buffer.from(x.slice(cut + 1), 'base64url'))) throw new Error('loop'); } },
};
const runs = Number(runsArg ?? 11);
const times = { A: [], B: [], loop: [] };
const load = [];
for (let r = -1; r < runs; r++) {
  load.push(os.loadavg()[0]);
  const order = r % 2 ? ['A', 'B', 'loop'] : ['B', 'A', 'loop'];
  for (const k of order) { const t = make(); const t0 = performance.now(); forms[k](t); if (r >= 0) times[k].push(performance.now() - t0); }
}
const med = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, med(v)]));
console.log(`load ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}  A ${m.A.toFixed(1)} ms (${(m.A / m.loop).toFixed(3)}x loop)  B ${m.B.toFixed(1)} ms (${(m.B / m.loop).toFixed(3)}x loop)  loop ${m.loop.toFixed(1)}  B/A ${(m.B / m.A).toFixed(3)}`);
