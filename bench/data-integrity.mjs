// Data Integrity verification (eddsa-jcs-2022, and ecdsa-jcs-2019 with P-256: runEcdsa below) on
// one thread, medians, peers in the same run.
//
// n VC 2.0 credentials from 10 issuers, each a DataIntegrityProof of eddsa-jcs-2022 (as
// credcore and @digitalbazaar/vc both make them: the interop suite checks that each verifies the
// other's), verified by:
// - credcore verifyBatch (default caches: issuer keys cached, results of fresh inputs are misses)
//   and a Verifier with the result cache off;
// - @digitalbazaar/vc 7 verifyCredential with @digitalbazaar/data-integrity and the
//   eddsa-jcs-2022 cryptosuite, all n at once under Promise.all, in chunks of 64 under
//   Promise.all, and one at a time, awaited (measured here, all at once is not its fastest: n
//   interleaved promise chains cost more than they overlap), with one document loader for the
//   whole run, so that its did:key resolutions are cached after the first;
// - and, as the ceiling of any Ed25519 verifier in wasm on one thread, credcore's batch
//   verification of n bare signatures over 64-byte messages (what eddsa-jcs-2022 signs).
// What each side checks: both canonicalize document and proof options (JCS), hash them and verify
// the Ed25519 signature, check the proof purpose and that the verification method is the
// issuer's; credcore also checks every date of credential and proof with the clock skew, the
// VC data model's shape, and builds a result object per item; Digital Bazaar resolves the
// verification method through its document loader and checks the proof's dates' syntax.
//
// Inputs: fresh credentials (new ids and signatures) for every timed run of every row.
//
// Run: make bench (or: node bench/data-integrity.mjs after make build)

import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { createVerifyCryptosuite as createEcdsaVerifyCryptosuite } from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import { CachedResolver } from '@digitalbazaar/did-io';
import { cryptosuite as rdfcSuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { readFileSync } from 'node:fs';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as credcore from '../pkg/index.node.js';
import { median, table, target } from './lib.mjs';
import { twoThreadCeiling } from './threads-ceiling.mjs';

let round = 0;

function makeCredentials(issuers, n, suite = {}) {
  round++;
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    credcore.issueCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:example:credential:${round}-${i}`,
        type: ['VerifiableCredential', 'EmployeeCredential'],
        credentialSubject: { id: `did:example:employee-${i}`, name: `Employee ${round}-${i}`, level: i % 7, team: { name: 'Platform', floor: 3 } },
      },
      { issuer: issuers[i % issuers.length], format: 'data-integrity', expiresIn: 3600, now, ...suite },
    ),
  );
}

const allValid = (results) => {
  const bad = results.findIndex((r) => !r.valid);
  if (bad >= 0) throw new Error(`item ${bad} failed: ${JSON.stringify(results[bad].errors)}`);
};
const allVerified = (results) => {
  const bad = results.findIndex((r) => !r.verified);
  if (bad >= 0) throw new Error(`item ${bad} failed in @digitalbazaar/vc: ${results[bad].error?.message ?? JSON.stringify(results[bad].error)}`);
};

export async function run({ n = 2_000, issuersCount = 10, runs = 7 } = {}) {
  const issuers = Array.from({ length: issuersCount }, () => credcore.generateKeyPair());
  const trustedIssuers = issuers.map((k) => k.did);
  const setup = () => makeCredentials(issuers, n);
  const noCache = new credcore.Verifier({ trustedIssuers, cache: { results: 0 } });
  const documentLoader = securityLoader().build();
  const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  const verifyDb = (credential) => vc.verifyCredential({ credential, suite, documentLoader });
  const peerRuns = Math.max(5, Math.floor(runs / 2));

  const rows = [];
  rows.push({ name: 'credcore verifyBatch', items: n, ms: await median((items) => allValid(credcore.verifyBatch(items, { trustedIssuers })), { runs, setup }) });
  rows.push({ name: 'credcore Verifier.verifyBatch (cache off)', items: n, ms: await median(async (items) => allValid(await noCache.verifyBatch(items)), { runs, setup }) });
  // Its fastest use is not obvious (all at once, in chunks, or awaited one by one): each is a row,
  // and the target compares against whichever is fastest in this run.
  const peer = (name, chunk) => ({
    name: `@digitalbazaar/vc 7.3 verifyCredential, ${name}`,
    items: n,
    fn: async (items) => {
      const out = [];
      for (let i = 0; i < items.length; i += chunk) out.push(...(await Promise.all(items.slice(i, i + chunk).map(verifyDb))));
      allVerified(out);
    },
  });
  for (const p of [peer('Promise.all', n), peer('Promise.all in chunks of 64', 64), peer('one at a time', 1)]) {
    rows.push({ name: p.name, items: p.items, ms: await median(p.fn, { runs: peerRuns, setup }) });
  }
  // The ceiling: the Ed25519 batch verification alone, over messages of the suite's size (64 bytes).
  const sigSetup = () => Array.from({ length: n }, (_, i) => {
    const message = crypto.getRandomValues(new Uint8Array(64));
    const key = issuers[i % issuers.length];
    return { message, signature: credcore.sign(message, key.secretKey), publicKey: key.publicKey };
  });
  rows.push({
    name: 'ceiling: credcore verifySignatures, the signatures alone',
    items: n,
    ms: await median((items) => {
      if (!credcore.verifySignatures(items).every(Boolean)) throw new Error('a signature failed');
    }, { runs, setup: sigSetup }),
  });
  table(`Data Integrity (eddsa-jcs-2022) credentials, ${n.toLocaleString('en-US')} from ${issuersCount} issuers, one thread (median, fresh credentials per run)`, rows, { unit: 'credentials' });
  const rate = (r) => (r.items / r.ms) * 1000;
  const [batch, , all, ...rest] = rows;
  const ceiling = rest.pop();
  const fastest = [all, ...rest].reduce((a, b) => (rate(b) > rate(a) ? b : a));
  target('credcore verifyBatch eddsa-jcs-2022 credentials/s', rate(batch), 10_000);
  target('credcore verifyBatch vs @digitalbazaar/vc Promise.all', rate(batch) / rate(all), 50);
  target(`credcore verifyBatch vs @digitalbazaar/vc at its fastest here (${fastest.name.split(', ')[1]})`, rate(batch) / rate(fastest), 50);
  console.log(
    `(@digitalbazaar/vc verifies Ed25519 in node:crypto: on one thread no Ed25519 verifier in wasm passes ` +
      `${(rate(ceiling) / rate(fastest)).toFixed(1)}x of its fastest row, the ratio of the ceiling row, credcore's signature batch alone)`,
  );
  noCache.free();
  return { dataIntegrity: rows, ...(await runEcdsa({ n: Math.min(n, 1_000), issuersCount, runs })), dataIntegrityRdfc: await runRdfc() };
}

// ecdsa-jcs-2019 with P-256 keys: n credentials from 10 issuers (credcore issues them; the
// interop suite checks that Digital Bazaar verifies credcore's and the reverse), verified by:
// - credcore verifyBatch (synchronous: in Node the ES256 checks go to node:crypto, synchronously)
//   and a Verifier with the result cache off (asynchronous: node:crypto on its threads);
// - @digitalbazaar/vc 7 verifyCredential with @digitalbazaar/ecdsa-jcs-2019-cryptosuite
//   (WebCrypto in node:crypto), all n under Promise.all and in chunks of 64, one document loader
//   (with did-method-key's Multikey driver for P-256) for the whole run.
// Both canonicalize (JCS), hash and verify one ES256 signature per credential.
export async function runEcdsa({ n = 1_000, issuersCount = 10, runs = 7 } = {}) {
  const issuers = Array.from({ length: issuersCount }, () => credcore.generateKeyPair({ alg: 'ES256' }));
  const trustedIssuers = issuers.map((k) => k.did);
  const setup = () => makeCredentials(issuers, n, { cryptosuite: 'ecdsa-jcs-2019' });
  const noCache = new credcore.Verifier({ trustedIssuers, cache: { results: 0 } });
  const keys = didKeyDriver();
  keys.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from });
  const resolver = new CachedResolver();
  resolver.use(keys);
  const loader = securityLoader();
  loader.setDidResolver(resolver);
  const documentLoader = loader.build();
  const suite = new DataIntegrityProof({ cryptosuite: createEcdsaVerifyCryptosuite() });
  const verifyDb = (credential) => vc.verifyCredential({ credential, suite, documentLoader });
  const peerRuns = Math.max(5, Math.floor(runs / 2));
  const rows = [];
  rows.push({ name: 'credcore verifyBatch (sync)', items: n, ms: await median((items) => allValid(credcore.verifyBatch(items, { trustedIssuers })), { runs, setup }) });
  rows.push({ name: 'credcore Verifier.verifyBatch (cache off)', items: n, ms: await median(async (items) => allValid(await noCache.verifyBatch(items)), { runs, setup }) });
  for (const [name, chunk] of [['Promise.all', n], ['Promise.all in chunks of 64', 64]]) {
    const fn = async (items) => {
      const out = [];
      for (let i = 0; i < items.length; i += chunk) out.push(...(await Promise.all(items.slice(i, i + chunk).map(verifyDb))));
      allVerified(out);
    };
    rows.push({ name: `@digitalbazaar/vc 7.3 + ecdsa-jcs-2019-cryptosuite 1.0, ${name}`, items: n, ms: await median(fn, { runs: peerRuns, setup }) });
  }
  table(`Data Integrity (ecdsa-jcs-2019, P-256) credentials, ${n.toLocaleString('en-US')} from ${issuersCount} issuers, one thread (median, fresh credentials per run)`, rows, { unit: 'credentials' });
  const rate = (r) => (r.items / r.ms) * 1000;
  const [sync, verifier, all, chunks] = rows;
  const fastest = rate(chunks) > rate(all) ? chunks : all;
  target('credcore verifyBatch ecdsa-jcs-2019 vs @digitalbazaar/vc at its fastest here', rate(sync) / rate(fastest), 1);
  target('credcore Verifier ecdsa-jcs-2019 vs @digitalbazaar/vc at its fastest here', rate(verifier) / rate(fastest), 1);
  noCache.free();
  return { dataIntegrityEcdsa: rows };
}

/**
 * eddsa-rdfc-2022 on one thread and on a pool of 2, for two credentials: a small VC 2.0 one (with
 * the examples context) and an Open Badges 3.0 achievement credential (OpenBadgeCredential with
 * its issuer Profile, AchievementSubject and Achievement, the OB 3.0.3 context). n of each from
 * 4 issuers, signed by @digitalbazaar/vc with @digitalbazaar/eddsa-rdfc-2022-cryptosuite (fresh
 * ids and signatures for every timed run), verified by credcore verifyBatch (JSON-LD and RDFC-1.0
 * in the Data Integrity module, the signatures in one batch), a pool of 2 workers, and
 * @digitalbazaar/vc verifyCredential under Promise.all with the same offline contexts (the
 * bundled files of ld/contexts/ added to its security-document-loader), in the same run. Both
 * sides canonicalize document and proof configuration in safe mode.
 *
 * Every row has `warmup` untimed batches first (3 by default, for every side alike): V8 runs wasm
 * first in its baseline tier and moves hot functions to its optimizing tier as they run, which for
 * these two modules took about 3 batches of 200 here (a fresh process: 380, 220, then 40 ms for
 * the same size of batch), and every pool worker warms up as well. The pool's ratio reads against
 * the machine's own two-thread ceiling in this run (bench/threads-ceiling.mjs: credcore's
 * verifyBatch on two worker_threads at once against one, no pool), printed beside it.
 */
export async function runRdfc({ n = 200, runs = 5, warmup = 3 } = {}) {
  const loader = securityLoader();
  const bundled = (file) => JSON.parse(readFileSync(new URL(`../ld/contexts/${file}`, import.meta.url), 'utf8'));
  loader.addStatic('https://www.w3.org/ns/credentials/examples/v2', bundled('credentials-examples-v2.jsonld'));
  const OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
  loader.addStatic(OB3, bundled('ob-v3p0-context-3.0.3.jsonld'));
  const documentLoader = loader.build();
  const issuers = await Promise.all([71, 72, 73, 74].map(async (b) => {
    const pair = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(b) });
    pair.controller = `did:key:${pair.publicKeyMultibase}`;
    pair.id = `${pair.controller}#${pair.publicKeyMultibase}`;
    return pair;
  }));
  const shapes = {
    'VC 2.0 employee credential': (pair, id, i) => ({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      id: `urn:example:rdfc:${id}`, type: ['VerifiableCredential', 'ExampleEmployeeCredential'], issuer: pair.controller,
      credentialSubject: { id: `did:example:employee-${i}`, name: `Employee ${id}`, level: i % 7, team: { name: 'Platform', floor: 3 } },
    }),
    'Open Badges 3.0 achievement credential': (pair, id, i) => ({
      '@context': ['https://www.w3.org/ns/credentials/v2', OB3],
      id: `urn:example:badge:${id}`, type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: pair.controller, type: ['Profile'], name: 'Example University', url: 'https://university.example/' },
      validFrom: '2026-01-01T00:00:00Z', name: 'Teamwork Badge',
      credentialSubject: {
        id: `did:example:learner-${i}`, type: ['AchievementSubject'],
        achievement: {
          id: 'https://university.example/achievements/teamwork', type: ['Achievement'], name: 'Teamwork',
          description: 'Works well in a team.', criteria: { narrative: `Team project ${id} completed with peers.` },
          image: { id: 'https://university.example/badges/teamwork.png', type: 'Image' },
        },
      },
    }),
  };
  let batch = 0;
  const setupFor = (make) => async () => {
    batch++;
    return Promise.all(Array.from({ length: n }, (_, i) => {
      const pair = issuers[i % issuers.length];
      // Each proof its own `created` (a second apart), as credentials issued at different moments
      // have: the Data Integrity module keeps the digests of proof configurations that repeat,
      // which proofs stamped in the same second by one issuer would otherwise do here.
      const date = new Date(Date.UTC(2026, 0, 1) + (batch * n + i) * 1000);
      return vc.issue({ credential: make(pair, `${batch}-${i}`, i), suite: new DataIntegrityProof({ signer: pair.signer(), date, cryptosuite: rdfcSuite }), documentLoader });
    }));
  };
  const verifySuite = new DataIntegrityProof({ cryptosuite: rdfcSuite });
  const pool = await credcore.createPool({ workers: 2 });
  const rate = (r) => (r.items / r.ms) * 1000;
  const all = [];
  try {
    for (const [shape, make] of Object.entries(shapes)) {
      const setup = setupFor(make);
      const rows = [];
      rows.push({ name: `credcore verifyBatch, ${shape}`, items: n, ms: await median((items) => allValid(credcore.verifyBatch(items)), { runs, warmup, setup }) });
      rows.push({ name: `credcore pool of 2, verifyBatch, ${shape}`, items: n, ms: await median(async (items) => allValid(await pool.verifyBatch(items)), { runs, warmup, setup }) });
      rows.push({
        name: `@digitalbazaar/vc 7.3 verifyCredential, eddsa-rdfc-2022-cryptosuite 1.3, Promise.all, ${shape}`,
        items: n,
        ms: await median(async (items) => allVerified(await Promise.all(items.map((credential) => vc.verifyCredential({ credential, suite: verifySuite, documentLoader })))), { runs, warmup, setup }),
      });
      const ceiling = await twoThreadCeiling(await Promise.all(Array.from({ length: 4 }, async () => (await setup()).map((c) => JSON.stringify(c)))));
      table(`Data Integrity (eddsa-rdfc-2022), ${shape}s, ${n} from ${issuers.length} issuers (median, fresh credentials per run)`, rows, { unit: 'credentials' });
      target(`credcore verifyBatch eddsa-rdfc-2022 vs @digitalbazaar/vc Promise.all (${shape})`, rate(rows[0]) / rate(rows[2]), 20);
      target(`credcore pool of 2 vs one thread (eddsa-rdfc-2022, ${shape})`, rate(rows[1]) / rate(rows[0]), 1.7);
      console.log(
        `(this machine's two-thread ceiling in this run: two worker_threads running verifyBatch, no pool, ${Math.round(ceiling.two).toLocaleString('en-US')}/s ` +
          `against one ${Math.round(ceiling.one).toLocaleString('en-US')}/s: ${ceiling.ratio.toFixed(2)}x; the pool of 2 reached ${((rate(rows[1]) / rate(rows[0])) / ceiling.ratio * 100).toFixed(0)}% of it)`,
      );
      all.push(...rows);
    }
  } finally {
    await pool.close();
  }
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
