// Data Integrity proofs over RDF in a pool (Node), medians over fresh credentials per run (new
// ids and signatures, signed by @digitalbazaar/vc with eddsa-rdfc-2022), peers in the same run:
// - the per-caller budget: 32 honest `pool.verify` calls (naming no caller, so each its own)
//   alone in their micro-batches, and sharing them with 9 calls of poison graphs (which spend a
//   call's budget of 8 limit hits: the honest items that budget refused run again alone); a
//   Verifier's verifyBatch of the same 32 on this thread as the reference;
// - the pool's documentLoader: 50 credentials whose context is not bundled (the vc-di-eddsa
//   citizenship context), on a fresh pool (the context loaded on the main thread, handed to the
//   workers, chunks run again) and on a pool that holds it; a Verifier with the same loader.
// Every verdict is checked (honest and held: valid; poison: INPUT_TOO_LARGE).
//
// Run: make bench (BENCH=data-integrity-pool), or node bench/data-integrity-pool.mjs after make build

import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import { readFileSync } from 'node:fs';
import * as credcore from '../pkg/index.node.js';
import { median, table } from './lib.mjs';

const EX2 = 'https://www.w3.org/ns/credentials/examples/v2';
const CITIZENSHIP = 'https://w3id.org/citizenship/v4rc1';
const citizenship = JSON.parse(readFileSync(new URL('../ld/tests/vectors/vc-di-eddsa/citizenship-v4rc1.jsonld', import.meta.url), 'utf8'));
const employment = JSON.parse(readFileSync(new URL('../ld/tests/vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json', import.meta.url), 'utf8'));

function check(ok, what) {
  if (!ok) throw new Error(`benchmark verdicts wrong: ${what}`);
}

export async function run({ runs = 5 } = {}) {
  const loader = securityLoader();
  loader.addStatic(EX2, JSON.parse(readFileSync(new URL('../ld/contexts/credentials-examples-v2.jsonld', import.meta.url), 'utf8')));
  loader.addStatic(CITIZENSHIP, citizenship);
  const documentLoader = loader.build();
  const pair = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(91) });
  pair.controller = `did:key:${pair.publicKeyMultibase}`;
  pair.id = `${pair.controller}#${pair.publicKeyMultibase}`;
  const sign = (credential) => vc.issue({ credential, suite: new DataIntegrityProof({ signer: pair.signer(), cryptosuite: rdfc }), documentLoader });
  let batch = 0;
  const alumni = (n) => {
    batch++;
    return Promise.all(Array.from({ length: n }, (_, i) => sign({
      '@context': ['https://www.w3.org/ns/credentials/v2', EX2], id: `urn:example:pool:${batch}-${i}`,
      type: ['VerifiableCredential', 'ExampleAlumniCredential'], issuer: pair.controller,
      credentialSubject: { id: `did:example:${i}`, alumniOf: `School ${batch}-${i}` },
    })));
  };
  const employed = (n) => {
    batch++;
    const { proof, ...unsigned } = employment;
    return Promise.all(Array.from({ length: n }, (_, i) => sign({ ...unsigned, id: `urn:example:employ:${batch}-${i}`, issuer: pair.controller })));
  };
  const k = 12;
  const nodes = Array.from({ length: k }, (_, i) => ({ '@id': `_:n${i}`, 'https://example.org/knows': Array.from({ length: k }, (_, j) => j).filter((j) => j !== i).map((j) => ({ '@id': `_:n${j}` })) }));
  const poisonOf = (good, i) => ({ ...structuredClone(good), id: `urn:example:poison:${batch}-${i}`, credentialSubject: { id: 'did:example:p', 'https://example.org/graph': { '@graph': nodes } } });
  const allValid = (rs, what) => check(rs.every((r) => r.valid), what);

  const honestN = 32;
  const pool = await credcore.createPool({ workers: 2, maxBatchWaitMs: 20 });
  const verifier = new credcore.Verifier({ cache: { results: 0 } });
  const rows = [];
  try {
    rows.push({ name: 'Verifier.verifyBatch, this thread (reference)', items: honestN, ms: await median(async (items) => allValid(await verifier.verifyBatch(items), 'verifier'), { runs, setup: () => alumni(honestN) }) });
    rows.push({ name: 'pool.verify, honest calls only', items: honestN, ms: await median(async (items) => allValid(await Promise.all(items.map((x) => pool.verify(x))), 'honest alone'), { runs, setup: () => alumni(honestN) }) });
    rows.push({
      name: 'pool.verify, honest calls beside 9 poison-graph calls (time to the last honest verdict)',
      items: honestN,
      ms: await median(async ({ honest, poison }) => {
        const bad = poison.map((x) => pool.verify(x));
        allValid(await Promise.all(honest.map((x) => pool.verify(x))), 'honest beside poison');
        check((await Promise.all(bad)).every((r) => r.errors.some((e) => e.code === 'INPUT_TOO_LARGE')), 'poison');
      }, { runs, setup: async () => { const honest = await alumni(honestN); return { honest, poison: honest.slice(0, 9).map(poisonOf) }; } }),
    });
  } finally {
    await pool.close();
    verifier.free();
  }
  table(`Per-caller JSON-LD budget: ${honestN} honest eddsa-rdfc-2022 calls per run (pool of 2; median, fresh credentials per run)`, rows, { unit: 'credentials' });

  const n = 50;
  const loaderFn = async (url) => (url === CITIZENSHIP ? citizenship : Promise.reject(new Error(url)));
  const held = await credcore.createPool({ workers: 2, documentLoader: loaderFn });
  const withLoader = new credcore.Verifier({ documentLoader: loaderFn, cache: { results: 0 } });
  const loaded = [];
  try {
    loaded.push({ name: 'Verifier with documentLoader, context held', items: n, ms: await median(async (items) => allValid(await withLoader.verifyBatch(items), 'verifier loader'), { runs, setup: () => employed(n) }) });
    loaded.push({ name: 'pool of 2 with documentLoader, context held', items: n, ms: await median(async (items) => allValid(await held.verifyBatch(items), 'held'), { runs, setup: () => employed(n) }) });
    const fresh = [];
    loaded.push({
      name: 'fresh pool of 2 with documentLoader: first call (load, hand to workers, run again)',
      items: n,
      ms: await median(async ({ pool: p, items }) => allValid(await p.verifyBatch(items), 'first'), {
        runs,
        setup: async () => {
          const p = await credcore.createPool({ workers: 2, documentLoader: loaderFn });
          fresh.push(p);
          return { pool: p, items: await employed(n) };
        },
      }),
    });
    await Promise.all(fresh.map((p) => p.close()));
  } finally {
    await held.close();
    withLoader.free();
  }
  table(`documentLoader in a pool: ${n} eddsa-rdfc-2022 credentials over a context not bundled (median, fresh credentials per run)`, loaded, { unit: 'credentials' });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
