// A/B of two builds of the package on the ES256 Verifier path (`Verifier.verifyBatch`, the host
// round on node:crypto's thread pool), interleaved in one process (the order alternates from run
// to run), with jose's `jwtVerify` over `Promise.all` in the same runs; 1,000 fresh VC-JWTs per
// run, medians. RESULTS sets the verifiers' result cache (default 0: fresh inputs never hit it).
//
// Run: node bench/es256-verifier-builds.mjs OTHER_PKG_DIR THIS_PKG_DIR [runs]
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as jose from 'jose';

const [a, b, runsArg] = process.argv.slice(2);
const url = (dir) => pathToFileURL(resolve(dir, 'index.node.js')).href;
const A = await import(url(a));
const B = await import(url(b));
const issuer = B.generateKeyPair({ alg: 'ES256' });
const key = await jose.importJWK({ ...issuer.publicJwk, alg: 'ES256' }, 'ES256');
let round = 0;
const make = () => {
  round++;
  return Array.from({ length: 1000 }, (_, i) => B.issueCredential({ credentialSubject: { id: 'did:example:holder', n: `ab-${round}-${i}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
};
const cache = { results: Number(process.env.RESULTS ?? 0) };
const va = new A.Verifier({ cache });
const vb = new B.Verifier({ cache });
const all = (rs) => {
  if (!rs.every((r) => r.valid)) throw new Error('an item did not verify');
};
const forms = {
  other: async (t) => all(await va.verifyBatch(t)),
  this: async (t) => all(await vb.verifyBatch(t)),
  jose: async (t) => {
    await Promise.all(t.map((x) => jose.jwtVerify(x, key, { algorithms: ['ES256'] })));
  },
};
const times = { other: [], this: [], jose: [] };
const load = [];
const runs = Number(runsArg ?? 11);
for (let r = -1; r < runs; r++) {
  load.push(os.loadavg()[0]);
  const order = r % 2 ? ['other', 'this', 'jose'] : ['this', 'other', 'jose'];
  for (const k of order) {
    const t = make();
    const t0 = performance.now();
    await forms[k](t);
    if (r >= 0) times[k].push(performance.now() - t0);
  }
}
const med = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, med(v)]));
console.log(
  `load ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}, results cache ${cache.results}: ` +
    `other ${m.other.toFixed(1)} ms, this ${m.this.toFixed(1)} ms (this/other ${(m.this / m.other).toFixed(3)}), ` +
    `jose ${m.jose.toFixed(1)} ms (this build's rate ${(m.jose / m.this).toFixed(2)}x jose's, the other's ${(m.jose / m.other).toFixed(2)}x)`,
);
process.exit(0);
