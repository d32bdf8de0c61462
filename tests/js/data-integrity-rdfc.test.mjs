// Data Integrity proofs over RDF (eddsa-rdfc-2022, Ed25519Signature2020) through the package as
// shipped: the credcore-ld module loaded on first use in Node, the module functions, a Verifier
// (uncached and cached), and a pool. The W3C vc-di-eddsa vectors (ld/tests/vc-di-eddsa, see its
// README) and live interop with @digitalbazaar/vc 7 + @digitalbazaar/eddsa-rdfc-2022-cryptosuite
// and @digitalbazaar/ed25519-signature-2020, offline (security-document-loader's contexts and
// did:key driver): what they sign verifies here, what they refuse is refused here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as c from 'credcore';
import { seededKey } from './lib/multikey.mjs';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const EX2 = 'https://www.w3.org/ns/credentials/examples/v2';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
// The security loader's contexts, and VC 2.0's examples context from credcore-ld's bundled copy
// (ld/contexts, see its README): the one the vectors use that it does not hold.
const loader = securityLoader();
const ldContext = (file) => JSON.parse(readFileSync(new URL(`../../ld/contexts/${file}`, import.meta.url), 'utf8'));
loader.addStatic(EX2, ldContext('credentials-examples-v2.jsonld'));
loader.addStatic('https://www.w3.org/2018/credentials/examples/v1', ldContext('credentials-examples-v1.jsonld'));
const documentLoader = loader.build();
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const vector = (rel) => JSON.parse(readFileSync(new URL(`../../ld/tests/vc-di-eddsa/${rel}`, import.meta.url), 'utf8'));
/** After the vectors' `created` (2023-02-24). */
const NOW = { now: Date.UTC(2024, 0, 1) };

/** The W3C vectors' key as a Digital Bazaar Multikey (keyPair.json). */
async function vectorKey() {
  const { publicKeyMultibase, privateKeyMultibase } = vector('keyPair.json');
  const did = `did:key:${publicKeyMultibase}`;
  const pair = await Ed25519Multikey.from({ id: `${did}#${publicKeyMultibase}`, controller: did, publicKeyMultibase, secretKeyMultibase: privateKeyMultibase });
  return { pair, did };
}

const rdfcSuite = (pair, date) => new DataIntegrityProof({ signer: pair.signer(), cryptosuite: rdfc, date });
const ed2020Suite = (pair, date) => new Ed25519Signature2020({ signer: pair.signer(), date });

/** An unsigned credential of `issuer` (the vectors' alumni credential, for `contexts`). */
function alumni(issuer, contexts, n = 0) {
  const u = vector('unsigned.json');
  return { ...u, '@context': contexts, id: `urn:uuid:58172aac-d8ba-11ed-83dd-${String(n).padStart(12, '0')}`, issuer };
}

test('the W3C vectors: their issuer does not control their key, and that is the only finding', () => {
  for (const rel of ['eddsa-rdfc-2022/signedDataInt.json', 'Ed25519Signature2020/signedEdSig.json']) {
    const r = c.verifyCredential(vector(rel), NOW);
    assert.deepEqual([r.valid, r.format, codes(r)], [false, 'data-integrity', ['INVALID_DID']], rel);
  }
});

test('the vectors re-issued by their key signed by Digital Bazaar with the vectors\' proof options verify, in every path', async () => {
  const { pair, did } = await vectorKey();
  const created = new Date('2023-02-24T23:36:38Z');
  const rdfcVc = await vc.issue({ credential: alumni(did, [V2, EX2]), suite: rdfcSuite(pair, created), documentLoader });
  const edVc = await vc.issue({ credential: alumni(did, [V2, EX2, ED2020]), suite: ed2020Suite(pair, created), documentLoader });
  // The same key, options and document as the vector but the issuer: the same proof fields.
  for (const [mine, rel] of [[rdfcVc, 'eddsa-rdfc-2022/signedDataInt.json'], [edVc, 'Ed25519Signature2020/signedEdSig.json']]) {
    const published = vector(rel);
    assert.deepEqual(Object.keys(mine.proof).sort(), Object.keys(published.proof).sort());
    assert.equal(mine.proof.verificationMethod, published.proof.verificationMethod);
    const r = c.verifyCredential(mine, NOW);
    assert.deepEqual([r.valid, r.errors, r.issuer, r.claims?.alumniOf], [true, [], did, 'The School of Examples'], rel);
    assert.equal(c.verifyCredential(JSON.stringify(mine), NOW).valid, true);
  }
  const verifier = new c.Verifier({ ...NOW });
  for (let round = 0; round < 2; round++) {
    const rs = await verifier.verifyBatch([rdfcVc, edVc]);
    assert.deepEqual(rs.map((r) => r.valid), [true, true], `round ${round}`);
  }
  assert.ok(verifier.stats().results.hits >= 2, 'the second round was served from the cache');
  const uncached = new c.Verifier({ ...NOW, cache: { results: 0 } });
  assert.deepEqual((await uncached.verifyBatch([rdfcVc, edVc])).map((r) => r.valid), [true, true]);
  const pool = await c.createPool({ workers: 2, verifier: { ...NOW } });
  try {
    const rs = await pool.verifyBatch([rdfcVc, edVc, rdfcVc, edVc]);
    assert.deepEqual(rs.map((r) => [r.valid, r.errors]), Array(4).fill([true, []]));
    assert.equal((await pool.verify(edVc)).valid, true);
  } finally {
    await pool.close();
  }
});

/** Every leaf path of `v`. */
function leaves(v, path = [], out = []) {
  if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  else out.push(path);
  return out;
}
function edited(doc, path) {
  const t = structuredClone(doc);
  let cur = t;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const k = path[path.length - 1];
  cur[k] = typeof cur[k] === 'string' ? `${cur[k]}x` : typeof cur[k] === 'number' ? cur[k] + 1 : !cur[k];
  return t;
}

test('Digital Bazaar credentials: every leaf tampered with is never valid, here or there', async () => {
  const { pair, did } = await seededKey(61);
  const credential = {
    '@context': [V2, EX2], type: ['VerifiableCredential', 'ExampleDegreeCredential'], issuer: did, validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: { type: 'ExampleBachelorDegree', name: 'Bachelor of Science and Arts' }, age: 36, member: true },
  };
  for (const [name, suite, contexts] of [['eddsa-rdfc-2022', rdfcSuite(pair), [V2, EX2]], ['Ed25519Signature2020', ed2020Suite(pair), [V2, EX2, ED2020]]]) {
    const signed = await vc.issue({ credential: { ...structuredClone(credential), '@context': contexts }, suite, documentLoader });
    assert.equal(c.verifyCredential(signed).valid, true, name);
    const paths = leaves(signed);
    assert.ok(paths.length >= 14, name);
    const inputs = paths.map((p) => edited(signed, p));
    const batch = c.verifyBatch(inputs);
    for (const [i, r] of batch.entries()) {
      assert.equal(r.valid, false, `${name}: ${paths[i].join('.')} edited still verifies`);
      assert.ok(r.errors.length > 0);
      assert.deepEqual(c.verifyCredential(inputs[i]).errors, r.errors, 'one by one as in a batch');
    }
  }
});

test('safe mode: an undefined term is refused, a context swapped for another is refused', async () => {
  const { pair, did } = await seededKey(62);
  const signed = await vc.issue({ credential: alumni(did, [V2, EX2]), suite: rdfcSuite(pair), documentLoader });
  assert.equal(c.verifyCredential(signed).valid, true);
  // Without the examples context (its @vocab defines alumniOf), the term is undefined.
  const bare = { ...structuredClone(signed), '@context': [V2], proof: { ...signed.proof } };
  assert.deepEqual(codes(c.verifyCredential(bare)), ['JSONLD_INVALID']);
  // A context swapped for another bundled one.
  const swapped = { ...structuredClone(signed), '@context': [V2, 'https://www.w3.org/2018/credentials/examples/v1'] };
  assert.equal(c.verifyCredential(swapped).valid, false);
  // A context nobody bundled: named, never fetched.
  const unknown = { ...structuredClone(signed), '@context': [V2, 'https://example.invalid/context'] };
  const r = c.verifyCredential(unknown);
  assert.deepEqual(codes(r), ['JSONLD_CONTEXT_UNAVAILABLE']);
  assert.match(r.errors[0].message, /https:\/\/example\.invalid\/context/);
});

test('a poison graph hits a limit with a coded error, and the next call works', async () => {
  const { pair, did } = await seededKey(63);
  const good = await vc.issue({ credential: alumni(did, [V2, EX2]), suite: rdfcSuite(pair), documentLoader });
  const n = 12;
  const nodes = Array.from({ length: n }, (_, i) => ({ '@id': `_:n${i}`, 'https://example.org/knows': Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).map((j) => ({ '@id': `_:n${j}` })) }));
  const poison = { ...structuredClone(good), credentialSubject: { id: 'did:example:1', 'https://example.org/graph': { '@graph': nodes } } };
  const t0 = performance.now();
  assert.deepEqual(codes(c.verifyCredential(poison)), ['INPUT_TOO_LARGE']);
  assert.ok(performance.now() - t0 < 10_000);
  assert.equal(c.verifyCredential(good).valid, true);
  const verifier = new c.Verifier();
  assert.deepEqual((await verifier.verifyBatch([poison, good])).map((r) => [r.valid, codes(r)]), [[false, ['INPUT_TOO_LARGE']], [true, []]]);
});

test('mixed batches (jcs, rdfc, 2020, JWT, forged) give the same verdicts as one by one', async () => {
  const { pair, did } = await seededKey(64);
  const issuer = c.keyPairFromSeed(new Uint8Array(32).fill(64));
  assert.equal(issuer.did, did);
  const jcs = c.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer, format: 'data-integrity' });
  const jwt = c.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer });
  const r1 = await vc.issue({ credential: alumni(did, [V2, EX2], 1), suite: rdfcSuite(pair), documentLoader });
  const e1 = await vc.issue({ credential: alumni(did, [V2, EX2, ED2020], 2), suite: ed2020Suite(pair), documentLoader });
  const forged = { ...structuredClone(r1), credentialSubject: { ...r1.credentialSubject, alumniOf: 'Another School' } };
  const inputs = [jcs, r1, jwt, e1, forged, vector('eddsa-rdfc-2022/signedDataInt.json')];
  const batch = c.verifyBatch(inputs);
  assert.deepEqual(batch.map((r) => r.valid), [true, true, true, true, false, false]);
  assert.deepEqual(codes(batch[4]), ['INVALID_SIGNATURE']);
  for (const [i, input] of inputs.entries()) assert.deepEqual(c.verifyBatch([input])[0], batch[i], `item ${i}`);
  const verifier = new c.Verifier();
  assert.deepEqual((await verifier.verifyBatch(inputs)).map((r) => r.valid), batch.map((r) => r.valid));
});

test('credcore\'s verdicts agree with Digital Bazaar\'s on what it signs and what is tampered with', async () => {
  const { pair, did } = await seededKey(65);
  const signed = await vc.issue({ credential: alumni(did, [V2, EX2]), suite: rdfcSuite(pair), documentLoader });
  const verifySuite = new DataIntegrityProof({ cryptosuite: rdfc });
  for (const doc of [signed, edited(signed, ['credentialSubject', 'alumniOf']), edited(signed, ['proof', 'created'])]) {
    const theirs = (await vc.verifyCredential({ credential: doc, suite: verifySuite, documentLoader })).verified;
    assert.equal(c.verifyCredential(doc).valid, theirs);
  }
});

test('a Verifier\'s documentLoader supplies contexts that are not bundled; nothing else sees them', async () => {
  const CITIZENSHIP = 'https://w3id.org/citizenship/v4rc1';
  const citizenship = JSON.parse(readFileSync(new URL('../../ld/tests/vectors/vc-di-eddsa/citizenship-v4rc1.jsonld', import.meta.url), 'utf8'));
  loader.addStatic(CITIZENSHIP, citizenship);
  const { pair, did } = await vectorKey();
  const published = vector('eddsa-rdfc-2022/employ/signedDataInt.json');
  const { proof, ...unsigned } = published;
  const signed = await vc.issue({ credential: { ...unsigned, issuer: did }, suite: rdfcSuite(pair, new Date(proof.created)), documentLoader: loader.build() });
  const bare = c.verifyCredential(signed, NOW);
  assert.deepEqual(codes(bare), ['JSONLD_CONTEXT_UNAVAILABLE']);
  assert.match(bare.errors[0].message, /citizenship\/v4rc1/);
  assert.deepEqual(codes(await new c.Verifier(NOW).verify(signed)), ['JSONLD_CONTEXT_UNAVAILABLE'], 'no loader, no context');
  const asked = [];
  const verifier = new c.Verifier({ ...NOW, documentLoader: async (url) => (asked.push(url), url === CITIZENSHIP ? citizenship : Promise.reject(new Error('unknown'))) });
  const first = await verifier.verify(signed);
  assert.deepEqual([first.valid, first.errors], [true, []]);
  assert.deepEqual(asked, [CITIZENSHIP]);
  const again = await verifier.verifyBatch([signed, { ...structuredClone(signed), id: 'urn:uuid:other' }]);
  assert.deepEqual(again.map((r) => [r.valid, codes(r)]), [[true, []], [false, ['INVALID_SIGNATURE']]]);
  assert.deepEqual(asked, [CITIZENSHIP], 'held, not asked again');
  // The module functions and another Verifier never see what this one's loader gave.
  assert.deepEqual(codes(c.verifyCredential(signed, NOW)), ['JSONLD_CONTEXT_UNAVAILABLE']);
  assert.deepEqual(codes(await new c.Verifier(NOW).verify(signed)), ['JSONLD_CONTEXT_UNAVAILABLE']);
  // A loader that fails: the item keeps its code.
  const failing = new c.Verifier({ ...NOW, documentLoader: async () => { throw new Error('offline'); } });
  assert.deepEqual(codes(await failing.verify(signed)), ['JSONLD_CONTEXT_UNAVAILABLE']);
  // Never a call option.
  await assert.rejects(verifier.verifyBatch([signed], { documentLoader: async () => citizenship }), (e) => e.code === 'MALFORMED_INPUT');
  assert.throws(() => new c.Verifier({ documentLoader: 'https://example.org' }), (e) => e.code === 'MALFORMED_INPUT');
});
