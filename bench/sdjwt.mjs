// SD-JWT VC presentation verification: an SD-JWT VC with 10 selectively disclosable claims, 5
// of them disclosed, with key binding. Every timed run verifies N presentations never seen
// before (a fresh credential, salts and KB-JWT per item, a fresh nonce per run), so no cache can
// answer. credcore verifyBatch (one call) and Verifier without a result cache versus
// @sd-jwt/sd-jwt-vc 0.19 verify with node:crypto callbacks (keys imported once).
//
// Run: make bench (or: node bench/sdjwt.mjs after make build)

import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as credcore from '../pkg/index.node.js';
import { median, table, target } from './lib.mjs';

const AUD = 'https://verifier.example.org';
const CLAIMS = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`claim_${i}`, `value number ${i}`]));
const DISCLOSABLE = Object.keys(CLAIMS).map((k) => `/${k}`);
const SHOWN = DISCLOSABLE.slice(0, 5);

export async function run({ n = 2000, holders = 16, runs = 5 } = {}) {
  const issuer = credcore.generateKeyPair();
  const holderPairs = Array.from({ length: holders }, () => credcore.generateKeyPair());
  let round = 0;
  let issueMs = 0;
  let presentMs = 0;
  // N fresh presentations (own credential, salts and KB-JWT each) under one fresh nonce.
  const makeRun = () => {
    round++;
    const nonce = `bench-${round}-${Math.random().toString(36).slice(2)}`;
    const nowMs = Date.now();
    const items = [];
    for (let i = 0; i < n; i++) {
      const holder = holderPairs[i % holders];
      const t0 = performance.now();
      const token = credcore.sdJwt.issue({ vct: 'urn:example:bench', ...CLAIMS }, {
        issuer, disclose: DISCLOSABLE, holderPublicKey: holder.publicKey, expiresIn: 3600, now: nowMs,
      });
      const t1 = performance.now();
      items.push(credcore.sdJwt.present(token, { disclose: SHOWN, holder, nonce, audience: AUD, now: nowMs }));
      presentMs += performance.now() - t1;
      issueMs += t1 - t0;
    }
    return { items, nonce, nowMs };
  };
  const check = (ok, what) => { if (!ok) throw new Error(`a valid presentation failed: ${what}`); };
  const checkResults = (results) => {
    check(results.length === n, 'count');
    for (const r of results) check(r.valid && r.claims.claim_4 === 'value number 4' && r.claims.claim_5 === undefined, JSON.stringify(r.errors));
  };

  // @sd-jwt: issuer and holder keys imported once, looked up by iss and cnf.jwk.x.
  const issuerKey = crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' });
  const holderKeys = new Map(holderPairs.map((h) => [h.publicJwk.x, crypto.createPublicKey({ key: h.publicJwk, format: 'jwk' })]));
  const verifyWith = (key, data, sig) => crypto.verify(null, Buffer.from(data), key, Buffer.from(sig, 'base64url'));
  const sd = new SDJwtVcInstance({
    hasher: digest,
    saltGenerator: generateSalt,
    verifier: async (data, sig) => verifyWith(issuerKey, data, sig),
    kbVerifier: async (data, sig, payload) => verifyWith(holderKeys.get(payload.cnf.jwk.x), data, sig),
  });

  // CPU time of each timed call too: on a shared machine wall time includes waiting for a core.
  const cpu = new Map();
  const withCpu = (name, fn) => async (input) => {
    const c0 = process.cpuUsage();
    await fn(input);
    const used = process.cpuUsage(c0);
    cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / 1000]);
  };
  const cpuMedian = (name) => {
    const xs = (cpu.get(name) ?? []).slice(1).sort((a, b) => a - b); // the first call is the warm-up
    return xs[Math.floor(xs.length / 2)];
  };

  const rows = [];
  const opts = (input) => ({ nonce: input.nonce, audience: AUD, trustedIssuers: [issuer.did], now: input.nowMs });
  rows.push({
    name: 'credcore verifyBatch (one call)',
    items: n,
    ms: await median(withCpu('batch', (input) => checkResults(credcore.verifyBatch(input.items, opts(input)))), { runs, setup: makeRun }),
  });
  const verifier = new credcore.Verifier({ audience: AUD, trustedIssuers: [issuer.did], cache: { results: 0 } });
  rows.push({
    name: 'credcore Verifier.verifyBatch, no result cache',
    items: n,
    ms: await median(async (input) => checkResults(await verifier.verifyBatch(input.items, { nonce: input.nonce, now: input.nowMs })), { runs, setup: makeRun }),
  });
  rows.push({
    name: 'credcore sdJwt.verify (loop)',
    items: n,
    ms: await median((input) => checkResults(input.items.map((p) => credcore.sdJwt.verify(p, opts(input)))), { runs, setup: makeRun }),
  });
  rows.push({
    name: '@sd-jwt/sd-jwt-vc 0.19 verify (loop, node:crypto)',
    items: n,
    ms: await median(withCpu('peer', async (input) => {
      const at = Math.floor(input.nowMs / 1000);
      for (const p of input.items) {
        const r = await sd.verify(p, { keyBindingNonce: input.nonce, currentDate: at });
        check(r.kb.payload.aud === AUD && r.payload.claim_4 === 'value number 4' && r.payload.claim_5 === undefined, 'sd-jwt');
      }
    }), { runs, setup: makeRun }),
  });
  table(`SD-JWT VC presentations (10 disclosable claims, 5 disclosed, key binding), ${n} fresh per run (median of ${runs})`, rows, { unit: 'presentations' });
  const made = round * n;
  console.log(`(setup, not timed: credcore sdJwt.issue ${((issueMs / made) * 1000).toFixed(0)} µs, sdJwt.present with KB ${((presentMs / made) * 1000).toFixed(0)} µs per item)`);
  const [batch, , , peer] = rows.map((r) => r.ms);
  const [batchCpu, peerCpu] = [cpuMedian('batch'), cpuMedian('peer')];
  console.log(`(CPU time, median: credcore verifyBatch ${batchCpu.toFixed(1)} ms = ${Math.round((n / batchCpu) * 1000).toLocaleString('en-US')} presentations per CPU-second; @sd-jwt ${peerCpu.toFixed(1)} ms = ${Math.round((n / peerCpu) * 1000).toLocaleString('en-US')})`);
  target('credcore verifyBatch presentations/s', (n / batch) * 1000, 5000);
  target('credcore verifyBatch vs @sd-jwt', peer / batch, 3);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
