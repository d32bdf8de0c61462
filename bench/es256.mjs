// ES256 VC-JWTs through every path credcore ships, against its peers, interleaved in one run:
// each run times every form once, in turn, each on its own fresh tokens (new ids, new
// signatures: no cache can serve them), and the tables give medians. The async paths
// (Verifier.verifyBatch: a host round, node:crypto on its thread pool; the pool, 2 workers with
// node:crypto in each) against jose's jwtVerify over Promise.all with one imported key; the
// synchronous verifyBatch (node:crypto in one crossing per group) against a bare node:crypto
// verify loop over the same signatures with a cached KeyObject.
//
// Run: node bench/es256.mjs after make build (also part of make bench). RUNS=n, N=items.

import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import * as jose from 'jose';
import * as credcore from '../pkg/index.node.js';
import { table, target } from './lib.mjs';

let round = 0;

/** A maker of `n` fresh ES256 VC-JWTs of `issuer` per call (new ids, new signatures). */
export function freshTokens(issuer, n) {
  return () => {
    round++;
    return Array.from({ length: n }, (_, i) =>
      credcore.issueCredential({ credentialSubject: { id: 'did:example:holder', n: `es256-${round}-${i}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
  };
}

/** Throws unless every result is valid. */
export function checkValid(results) {
  const bad = results.findIndex((r) => !r.valid);
  if (bad >= 0) throw new Error(`ES256 item ${bad}: ${JSON.stringify(results[bad].errors)}`);
}

export async function run({ runs = Number(process.env.RUNS ?? 9), n = Number(process.env.N ?? 1000) } = {}) {
  const issuer = credcore.generateKeyPair({ alg: 'ES256' });
  const make = freshTokens(issuer, n);
  const check = checkValid;
  const joseKey = await jose.importJWK({ ...issuer.publicJwk, alg: 'ES256' }, 'ES256');
  const nodeKey = { key: crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' }), dsaEncoding: /** @type {const} */ ('ieee-p1363') };
  const verifier = new credcore.Verifier({ cache: { results: 0 } });
  const pool = await credcore.createPool({ workers: 2, verifier: { cache: { results: 0 } } });
  const forms = {
    verifier: async (t) => check(await verifier.verifyBatch(t)),
    pool: async (t) => check(await pool.verifyBatch(t)),
    jose: async (t) => {
      const rs = await Promise.all(t.map((x) => jose.jwtVerify(x, joseKey, { algorithms: ['ES256'] })));
      if (rs.length !== n) throw new Error('jose');
    },
    sync: (t) => check(credcore.verifyBatch(t)),
    loop: (t) => {
      for (const x of t) {
        const cut = x.lastIndexOf('.');
        if (!crypto.verify('sha256', Buffer.from(x.slice(0, cut)), nodeKey, Buffer.from(x.slice(cut + 1), 'base64url'))) throw new Error('node:crypto refused');
      }
    },
  };
  const times = Object.fromEntries(Object.keys(forms).map((k) => [k, []]));
  const load = [];
  for (let r = -1; r < runs; r++) {
    load.push(os.loadavg()[0]);
    for (const [name, fn] of Object.entries(forms)) {
      const tokens = make();
      const t0 = performance.now();
      await fn(tokens);
      if (r >= 0) times[name].push(performance.now() - t0);
    }
  }
  await pool.close();
  verifier.free();
  const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]]));
  console.log(`\n(load average ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)} during the run, ${os.cpus().length} cores, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'})`);
  table(`ES256 VC-JWTs, async paths, ${n} fresh per run (median of ${runs}, interleaved)`, [
    { name: 'credcore Verifier.verifyBatch (host round, node:crypto thread pool)', items: n, ms: ms.verifier },
    { name: 'credcore pool.verifyBatch (2 workers, node:crypto in each)', items: n, ms: ms.pool },
    { name: 'jose jwtVerify over Promise.all (one imported key)', items: n, ms: ms.jose },
  ]);
  table(`ES256 VC-JWTs, synchronous, ${n} fresh per run (median of ${runs}, interleaved)`, [
    { name: 'credcore verifyBatch (sync, node:crypto host)', items: n, ms: ms.sync },
    { name: 'node:crypto verify loop, same signatures (cached KeyObject)', items: n, ms: ms.loop },
  ]);
  target('Verifier.verifyBatch vs jose Promise.all', ms.jose / ms.verifier, 1.0);
  target('pool.verifyBatch vs jose Promise.all', ms.jose / ms.pool, 1.0);
  target('sync verifyBatch time / bare node:crypto loop', ms.sync / ms.loop, 1.25, '<=');
  return ms;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
