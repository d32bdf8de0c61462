// ES256 VC-JWTs in headless Chromium (Debian's chromium through playwright-core): credcore's
// asynchronous paths (Verifier.verifyBatch, whose host round settles the signatures with
// WebCrypto; the pool, whose workers settle them with their own WebCrypto, worker-host.js) against jose's
// jwtVerify over Promise.all (WebCrypto, one imported key), all measured in the same page and
// the same run, medians over fresh tokens (new ids, new signatures: no cache can serve them).
// Tokens are issued in the page by credcore, outside the timed region.
//
// Run: node bench/es256-browser.mjs after make build (also part of make bench).

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serve } from '../tests/js/lib/server.mjs';
import { launch } from '../tests/js/lib/browser.mjs';
import { table, target } from './lib.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const joseDir = join(dirname(createRequire(import.meta.url).resolve('jose')), '..', 'webapi');

export async function run({ runs = 7, n = 1000, poolN = 1000 } = {}) {
  const { server, origin } = await serve({ '/pkg/': join(root, 'pkg'), '/jose/': joseDir, '/': join(root, 'bench', 'browser') });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/es256.html`);
    const got = await page.evaluate(async ({ runs, n, poolN }) => {
      const c = await import('credcore');
      const jose = await import('jose');
      await c.init();
      // The inputs are issued on the page: issuance is the issuing module's, ECDSA keys the keys module's.
      await Promise.all([c.loadIssuing(), c.loadKeys()]);
      const issuer = c.generateKeyPair({ alg: 'ES256' });
      let round = 0;
      const make = (count) => {
        round++;
        return Array.from({ length: count }, (_, i) =>
          c.issueCredential({ credentialSubject: { id: 'did:example:holder', n: `${round}-${i}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
      };
      const check = (rs) => {
        const bad = rs.findIndex((r) => !r.valid);
        if (bad >= 0) throw new Error(`item ${bad}: ${JSON.stringify(rs[bad].errors)}`);
      };
      const key = await jose.importJWK({ ...issuer.publicJwk, alg: 'ES256' }, 'ES256');
      const verifier = new c.Verifier({ cache: { results: 0 } });
      const pool = await c.createPool({ workers: 2, verifier: { cache: { results: 0 } } });
      const forms = {
        verifier: { count: n, fn: async (t) => check(await verifier.verifyBatch(t)) },
        jose: { count: n, fn: async (t) => { await Promise.all(t.map((x) => jose.jwtVerify(x, key, { algorithms: ['ES256'] }))); } },
        pool: { count: poolN, fn: async (t) => check(await pool.verifyBatch(t)) },
        josePool: { count: poolN, fn: async (t) => { await Promise.all(t.map((x) => jose.jwtVerify(x, key, { algorithms: ['ES256'] }))); } },
      };
      const times = Object.fromEntries(Object.keys(forms).map((k) => [k, []]));
      // Interleaved: each run times every form once, in turn, on its own fresh tokens.
      for (let r = -1; r < runs; r++) {
        for (const [name, { count, fn }] of Object.entries(forms)) {
          const tokens = make(count);
          const t0 = performance.now();
          await fn(tokens);
          if (r >= 0) times[name].push(performance.now() - t0);
        }
      }
      await pool.close();
      verifier.free();
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return { ua: navigator.userAgent, ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) };
    }, { runs, n, poolN });
    console.log(`\n(${got.ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'})`);
    const rows = [
      { name: 'credcore Verifier.verifyBatch (WebCrypto host round)', items: n, ms: got.ms.verifier },
      { name: 'jose jwtVerify over Promise.all (WebCrypto, one imported key)', items: n, ms: got.ms.jose },
    ];
    table(`ES256 VC-JWTs in headless Chromium, async paths, ${n} fresh per run (median of ${runs}, interleaved)`, rows);
    const poolRows = [
      { name: 'credcore pool.verifyBatch (2 workers, WebCrypto host round)', items: poolN, ms: got.ms.pool },
      { name: 'jose jwtVerify over Promise.all (WebCrypto, one imported key)', items: poolN, ms: got.ms.josePool },
    ];
    table(`ES256 VC-JWTs in headless Chromium, pool, ${poolN} fresh per run (median of ${runs}, interleaved)`, poolRows);
    target('browser Verifier.verifyBatch vs jose Promise.all', got.ms.jose / got.ms.verifier, 1.0);
    target('browser pool.verifyBatch vs jose Promise.all', got.ms.josePool / got.ms.pool, 1.0);
    return got.ms;
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
