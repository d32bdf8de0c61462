// Data Integrity proofs over RDF in a pool, through the package as shipped: the pool's
// documentLoader (contexts obtained on the calling thread for the workers: held, bounded, and
// failing closed for a loader that throws, answers junk or hangs), a budget of JSON-LD limit hits
// per caller where pool.verify merges calls, and browser pools (headless Chromium) that are given
// the Data Integrity module when their first chunk needs it. Credentials signed by
// @digitalbazaar/vc 7 with @digitalbazaar/eddsa-rdfc-2022-cryptosuite (offline contexts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as c from 'credcore';
import { seededKey } from './lib/multikey.mjs';
import { inPage } from './lib/page.mjs';
import { startServer, root } from './lib/server-process.mjs';
import { spawn } from 'node:child_process';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const EX2 = 'https://www.w3.org/ns/credentials/examples/v2';
const CITIZENSHIP = 'https://w3id.org/citizenship/v4rc1';
const citizenship = JSON.parse(readFileSync(new URL('../../ld/tests/vectors/vc-di-eddsa/citizenship-v4rc1.jsonld', import.meta.url), 'utf8'));
const vector = (rel) => JSON.parse(readFileSync(new URL(`../../ld/tests/vc-di-eddsa/${rel}`, import.meta.url), 'utf8'));
const loader = securityLoader();
loader.addStatic(EX2, JSON.parse(readFileSync(new URL('../../ld/contexts/credentials-examples-v2.jsonld', import.meta.url), 'utf8')));
loader.addStatic(CITIZENSHIP, citizenship);
const documentLoader = loader.build();
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const verdicts = (rs) => rs.map((r) => [r.valid, codes(r)]);
const NOW = { now: Date.UTC(2024, 0, 1) };
const UNAVAILABLE = [false, ['JSONLD_CONTEXT_UNAVAILABLE']];

const { pair, did } = await seededKey(71);
const suite = () => new DataIntegrityProof({ signer: pair.signer(), cryptosuite: rdfc, date: new Date('2023-06-01T00:00:00Z') });
/** The vc-di-eddsa alumni credential, issued by this key's DID, `n` making each unique. */
async function alumni(n) {
  const u = vector('unsigned.json');
  return vc.issue({ credential: { ...u, '@context': [V2, EX2], id: `urn:uuid:58172aac-d8ba-11ed-83dd-${String(n).padStart(12, '0')}`, issuer: did }, suite: suite(), documentLoader });
}
/** The vc-di-eddsa employment credential (citizenship context, not bundled), by this key's DID. */
async function employment(n) {
  const { proof, ...unsigned } = vector('eddsa-rdfc-2022/employ/signedDataInt.json');
  return vc.issue({ credential: { ...unsigned, id: `urn:uuid:${n}`, issuer: did }, suite: suite(), documentLoader });
}
/** The credential with another `id`: signed bytes changed, every term still defined. */
const forge = (doc) => ({ ...structuredClone(doc), id: 'urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100' });
/** A signed credential whose subject is a poison graph: past a limit of credcore-ld (INPUT_TOO_LARGE). */
function poison(good, n) {
  const k = 12;
  const nodes = Array.from({ length: k }, (_, i) => ({ '@id': `_:n${i}`, 'https://example.org/knows': Array.from({ length: k }, (_, j) => j).filter((j) => j !== i).map((j) => ({ '@id': `_:n${j}` })) }));
  return { ...structuredClone(good), id: `urn:uuid:poison-${n}`, credentialSubject: { id: 'did:example:1', 'https://example.org/graph': { '@graph': nodes } } };
}

const employed = await employment(1);
const employedForged = forge(employed);
const good = await alumni(1);

test('a pool\'s documentLoader: contexts obtained here, handed to every worker, held; never a call option', async () => {
  assert.deepEqual(verdicts([c.verifyCredential(employed, NOW)]), [UNAVAILABLE]);
  for (const results of [0, 100]) {
    const asked = [];
    const pool = await c.createPool({
      workers: 2, chunkSize: 1, verifier: { ...NOW, cache: { results } },
      documentLoader: async (url) => (asked.push(url), url === CITIZENSHIP ? citizenship : Promise.reject(new Error('unknown'))),
    });
    try {
      const inputs = [employed, employedForged, good, employed];
      const expected = [[true, []], [false, ['INVALID_SIGNATURE']], [true, []], [true, []]];
      assert.deepEqual(verdicts(await pool.verifyBatch(inputs, NOW)), expected, `results cache ${results}`);
      // Asked once (single flight across chunks), then held by the pool and its workers.
      assert.deepEqual(asked, [CITIZENSHIP]);
      assert.deepEqual(verdicts(await pool.verifyBatch(inputs, NOW)), expected, `results cache ${results}, again`);
      assert.deepEqual(verdicts(await Promise.all(inputs.map((x) => pool.verify(x, NOW)))), expected, 'micro-batched');
      assert.deepEqual(asked, [CITIZENSHIP], 'held, not asked again');
      const r = (await pool.verifyBatch([employed], NOW))[0];
      assert.equal(r.issuer, did);
      await assert.rejects(pool.verifyBatch([employed], { ...NOW, documentLoader: async () => citizenship }), (e) => e.code === 'MALFORMED_INPUT');
    } finally {
      await pool.close();
    }
  }
  // A pool without a loader, and the module functions, never see what another pool's loader gave.
  const bare = await c.createPool({ workers: 1 });
  try {
    assert.deepEqual(verdicts(await bare.verifyBatch([employed, good], NOW)), [UNAVAILABLE, [true, []]]);
  } finally {
    await bare.close();
  }
  assert.deepEqual(verdicts([c.verifyCredential(employed, NOW)]), [UNAVAILABLE]);
  await assert.rejects(c.createPool({ workers: 1, documentLoader: 'https://example.org' }), (e) => e.code === 'MALFORMED_INPUT');
});

test('a loader that throws, answers junk, too much or too late: JSONLD_CONTEXT_UNAVAILABLE, never valid, the pool goes on', async () => {
  const big = { '@context': { filler: { '@id': `https://example.org/${'x'.repeat(300 * 1024)}` } } };
  /** A context that is valid JSON but whose terms do not define the credential's: still never valid. */
  const wrong = { '@context': { '@version': 1.1, unrelated: 'https://example.org/unrelated' } };
  const loaders = {
    throws: async () => { throw new Error('offline'); },
    rejectsJunk: async () => Promise.reject(42),
    number: async () => 42,
    array: async () => [citizenship],
    notJson: async () => '{"@context": ',
    null: async () => null,
    tooLarge: async () => big,
    hangs: () => new Promise(() => {}),
    late: () => new Promise((resolve) => setTimeout(() => resolve(citizenship), 1_500)),
    syncThrow: () => { throw new Error('sync'); },
  };
  for (const [name, documentLoader] of Object.entries(loaders)) {
    const pool = await c.createPool({ workers: 1, documentLoader, fetchTimeoutMs: 300 });
    try {
      const t0 = performance.now();
      const rs = await pool.verifyBatch([employed, good, employedForged], NOW);
      // The forged copy needs the context too before its signature can be checked.
      assert.deepEqual(verdicts(rs), [UNAVAILABLE, [true, []], UNAVAILABLE], name);
      assert.match(rs[0].errors[0].message, /citizenship\/v4rc1/, name);
      assert.ok(performance.now() - t0 < 5_000, `${name}: bounded by fetchTimeoutMs`);
      // The pool is not wedged: the next call works.
      assert.deepEqual(verdicts(await pool.verifyBatch([good], NOW)), [[true, []]], name);
    } finally {
      await pool.close();
    }
  }
  const pool = await c.createPool({ workers: 1, documentLoader: async () => wrong });
  try {
    const [r] = await pool.verifyBatch([employed], NOW);
    assert.equal(r.valid, false);
    assert.equal(r.claims, null);
  } finally {
    await pool.close();
  }
});

test('a pool asks its documentLoader at most 16 times per call', async () => {
  const asked = [];
  const pool = await c.createPool({ workers: 1, documentLoader: async (url) => (asked.push(url), Promise.reject(new Error('unknown'))) });
  try {
    const inputs = Array.from({ length: 24 }, (_, i) => {
      const doc = structuredClone(good);
      doc['@context'] = [V2, EX2, `https://example.org/contexts/${i}`];
      return doc;
    });
    const rs = await pool.verifyBatch(inputs, NOW);
    assert.ok(rs.every((r) => r.valid === false && codes(r).join() === 'JSONLD_CONTEXT_UNAVAILABLE'));
    assert.equal(asked.length, 16);
    assert.equal(new Set(asked).size, 16);
  } finally {
    await pool.close();
  }
});

test('the 16 loads of a call hold across its rounds: a context that names another is not a way around them', async () => {
  const asked = [];
  // Each context names another, which the next round needs.
  const pool = await c.createPool({ workers: 2, chunkSize: 4, documentLoader: async (url) => (asked.push(url), { '@context': [`${url}/next`] }) });
  try {
    const inputs = Array.from({ length: 12 }, (_, i) => {
      const doc = structuredClone(good);
      doc['@context'] = [V2, EX2, `https://example.org/chain/${i}`];
      return doc;
    });
    const rs = await pool.verifyBatch(inputs, NOW);
    assert.ok(rs.every((r) => r.valid === false && codes(r).join() === 'JSONLD_CONTEXT_UNAVAILABLE'), JSON.stringify(rs.map(codes)));
    // 16 loads in all, over the rounds of every chunk. How they split between the contexts the
    // items name and the ones those name depends on which chunk comes back first (each chunk's
    // lacks are supplied when it returns), so only what holds for every order is asserted:
    // later rounds were run, and each took from the call's one budget.
    assert.equal(asked.length, 16, asked.join(' '));
    assert.equal(new Set(asked).size, 16, 'no context asked twice');
    const next = asked.filter((u) => u.endsWith('/next'));
    assert.ok(next.length >= 4, `later rounds asked ${next.length}: ${asked.join(' ')}`);
    for (const u of next) assert.ok(asked.indexOf(u.slice(0, -'/next'.length)) < asked.indexOf(u), `${u} only after the context that names it`);
  } finally {
    await pool.close();
  }
});

test('a pool holds at most 64 loaded contexts, the oldest going first', async () => {
  const asked = [];
  // No result cache: every call canonicalizes, so what the worker lacks shows.
  const pool = await c.createPool({ workers: 1, verifier: { cache: { results: 0 } }, documentLoader: async (url) => (asked.push(url), { '@context': { '@version': 1.1 } }) });
  const withContext = (i) => {
    const doc = structuredClone(good);
    doc['@context'] = [V2, EX2, `https://example.org/held/${i}`];
    return doc;
  };
  try {
    // Five calls of 16 new contexts each: 80 loaded, the first 16 no longer held.
    for (let call = 0; call < 5; call++) {
      const rs = await pool.verifyBatch(Array.from({ length: 16 }, (_, i) => withContext(16 * call + i)), NOW);
      // A context that defines nothing adds no statement: the signed RDF is the same, so the
      // proof verifies (with the loaded context in the worker; without it, unavailable).
      assert.deepEqual([...new Set(rs.map((r) => [r.valid, ...codes(r)].join()))], ['true'], `call ${call}`);
    }
    assert.equal(asked.length, 80);
    await pool.verifyBatch(Array.from({ length: 16 }, (_, i) => withContext(16 + i)), NOW);
    assert.equal(asked.length, 80, 'held: not asked again');
    await pool.verifyBatch(Array.from({ length: 16 }, (_, i) => withContext(i)), NOW);
    assert.equal(asked.length, 96, 'the oldest went first: asked again');
  } finally {
    await pool.close();
  }
});

test('per-caller budget: one caller\'s poison graphs in a micro-batch leave the others\' proofs real verdicts', async () => {
  const poisons = Array.from({ length: 10 }, (_, i) => poison(good, i));
  const honest = await Promise.all([2, 3, 4].map((n) => alumni(n)));
  const forged = forge(honest[0]);
  // One call's batch: its own budget, spent by its own poison.
  const alone = c.verifyBatch([...poisons, honest[1]], NOW);
  assert.deepEqual(verdicts(alone.slice(-1)), [[false, ['INPUT_TOO_LARGE']]]);
  for (const results of [0, 100]) {
    const pool = await c.createPool({ workers: 1, maxBatchWaitMs: 200, verifier: { ...NOW, cache: { results } } });
    try {
      // Calls that name no caller: each its own budget, though they share a micro-batch.
      const calls = [...poisons, ...honest, forged].map((x) => pool.verify(x, NOW));
      const rs = await Promise.all(calls);
      assert.deepEqual(verdicts(rs.slice(0, 10)), poisons.map(() => [false, ['INPUT_TOO_LARGE']]));
      assert.deepEqual(verdicts(rs.slice(10)), [[true, []], [true, []], [true, []], [false, ['INVALID_SIGNATURE']]], `results cache ${results}`);
      assert.equal(rs[10].claims.alumniOf, 'The School of Examples');
      // Named callers: the attacker's poison spends the attacker's budget only ...
      const attacker = [...poisons, honest[2]].map((x) => pool.verify(x, { ...NOW, caller: 'attacker' }));
      // ... and an input another caller joined in flight runs alone for that caller's sake.
      const theirs = [honest[1], honest[2], forged].map((x) => pool.verify(x, { ...NOW, caller: 'honest' }));
      const [a, h] = await Promise.all([Promise.all(attacker), Promise.all(theirs)]);
      assert.deepEqual(verdicts(h), [[true, []], [true, []], [false, ['INVALID_SIGNATURE']]], `results cache ${results}, named`);
      assert.ok(a.slice(0, 10).every((r) => !r.valid && codes(r).join() === 'INPUT_TOO_LARGE'));
      // The honest caller's call joined the attacker's identical one: run alone, for both.
      assert.deepEqual(verdicts([a[10]]), [[true, []]]);
      // The attacker's own honest item after its poison graphs: refused by its own budget.
      const own = await Promise.all([...poisons, await alumni(5)].map((x) => pool.verify(x, { ...NOW, caller: 'attacker' })));
      assert.deepEqual(verdicts(own.slice(-1)), [[false, ['INPUT_TOO_LARGE']]]);
    } finally {
      await pool.close();
    }
  }
});

test('browser pool (headless Chromium): the Data Integrity module is posted on the first need; real verdicts, valid and tampered, and the documentLoader', async () => {
  const fixtures = { good, forged: forge(good), employed, employedForged, citizenship, now: NOW.now, poisons: Array.from({ length: 9 }, (_, i) => poison(good, i)), honest: await alumni(6) };
  const { out, errors } = await inPage(async (f) => {
    const c = await import('/pkg/index.browser.js');
    await c.init();
    await c.loadIssuing();
    const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
    const v = (rs) => rs.map((r) => [r.valid, codes(r)]);
    const ldFetched = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('credcore_ld_bg.wasm')).length;
    const o = { now: f.now };
    const pool = await c.createPool({ workers: 2, chunkSize: 1, documentLoader: async (url) => (url === 'https://w3id.org/citizenship/v4rc1' ? f.citizenship : Promise.reject(new Error(url))) });
    const jwt = c.issueCredential({ credentialSubject: {} }, { issuer: c.generateKeyPair(), format: 'vc-jwt', expiresIn: 3600, now: f.now });
    const before = v(await pool.verifyBatch([jwt], o));
    const fetchedBefore = ldFetched();
    const first = v(await pool.verifyBatch([f.good, f.forged, f.employed, f.employedForged, f.good], o));
    const micro = v(await Promise.all([f.good, f.forged, f.employed].map((x) => pool.verify(x, o))));
    const budget = v(await Promise.all([...f.poisons, f.honest].map((x) => pool.verify(x, o))));
    await pool.close();
    return { before, fetchedBefore, fetchedAfter: ldFetched(), first, micro, budget: budget.slice(-2) };
  }, fixtures);
  assert.deepEqual(errors, []);
  assert.deepEqual(out.before, [[true, []]]);
  assert.equal(out.fetchedBefore, 0, 'a pool that has seen no proof over RDF has not loaded the module');
  assert.equal(out.fetchedAfter, 1, 'loaded once, posted compiled to the workers');
  assert.deepEqual(out.first, [[true, []], [false, ['INVALID_SIGNATURE']], [true, []], [false, ['INVALID_SIGNATURE']], [true, []]]);
  assert.deepEqual(out.micro, [[true, []], [false, ['INVALID_SIGNATURE']], [true, []]]);
  assert.deepEqual(out.budget, [[false, ['INPUT_TOO_LARGE']], [true, []]]);
});

test('the example service: JSONLD_CONTEXTS feeds its pool\'s documentLoader, and one caller\'s poison graphs leave the other requests real verdicts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-contexts-'));
  const file = join(dir, 'contexts.json');
  writeFileSync(file, JSON.stringify({ [CITIZENSHIP]: citizenship }));
  const verify = async (origin, input) => (await fetch(`${origin}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input }) })).json();
  const poisons = Array.from({ length: 9 }, (_, i) => poison(good, 100 + i));
  const honest = await alumni(7);
  try {
    const bare = await startServer({ MAX_BODY_BYTES: String(1 << 20) });
    try {
      assert.deepEqual(verdicts([await verify(bare.origin, employed)]), [UNAVAILABLE]);
    } finally {
      bare.child.kill('SIGKILL');
    }
    const { child, origin, stderr } = await startServer({ JSONLD_CONTEXTS: file, WORKERS: '1', MAX_BODY_BYTES: String(1 << 20) });
    try {
      assert.deepEqual(verdicts(await Promise.all([employed, employedForged].map((x) => verify(origin, x)))), [[true, []], [false, ['INVALID_SIGNATURE']]]);
      // Ten requests at once (coalesced as far as they arrive within the micro-batch wait): nine
      // poison graphs and one honest credential.
      const rs = await Promise.all([...poisons, honest].map((x) => verify(origin, x)));
      assert.deepEqual(verdicts(rs), [...poisons.map(() => [false, ['INPUT_TOO_LARGE']]), [true, []]], stderr());
    } finally {
      child.kill('SIGKILL');
    }
    // A file that is not an object of contexts stops startup.
    writeFileSync(file, JSON.stringify([citizenship]));
    const bad = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], { env: { ...process.env, PORT: '0', JSONLD_CONTEXTS: file }, stdio: ['ignore', 'pipe', 'pipe'] });
    const [code] = await new Promise((resolve) => bad.on('exit', (...a) => resolve(a)));
    assert.equal(code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Data Integrity module this thread loaded reaches the workers before their first chunk: no second round, the same verdicts cached and uncached', async () => {
  const inputs = [good, forge(good), await alumni(2), poison(good, 1)];
  // This thread's verdicts, the module functions (no cache).
  const expected = verdicts(c.verifyBatch(inputs, NOW));
  assert.deepEqual(expected.map(([v]) => v), [true, false, true, false]);
  assert.deepEqual(expected[1], [false, ['INVALID_SIGNATURE']]);
  // A pool started before this thread held the module (it does once it verified a proof over
  // RDF above), and one started after: neither runs a chunk again for want of it.
  const before = await c.createPool({ workers: 2, chunkSize: 1, verifier: { cache: { results: 0 } } });
  c.verifyBatch([good], NOW);
  const after = await c.createPool({ workers: 2, chunkSize: 1 });
  try {
    for (const [name, pool] of [['started before', before], ['started after', after]]) {
      assert.deepEqual(verdicts(await pool.verifyBatch(inputs, NOW)), expected, `${name}, uncached`);
      assert.deepEqual(verdicts(await pool.verifyBatch(inputs, NOW)), expected, `${name}, again (results cache: ${name === 'started after' ? 'hits' : 'off'})`);
      assert.deepEqual(verdicts(await Promise.all(inputs.map((x) => pool.verify(x, NOW)))), expected, `${name}, micro-batched`);
      const m = pool.metrics();
      // Two verifyBatch calls, no batch of items run again (a diNeed round is a batch of its own).
      assert.equal(m.batches.verifyBatch, 2, name);
      assert.equal(m.chunks, 3 * inputs.length, `${name}: one chunk per item per call (chunkSize 1), none run twice`);
      assert.equal(m.retries, 0, name);
    }
    assert.ok(after.metrics().caches.results.hits >= inputs.length, 'the second call was served from the results cache');
  } finally {
    await Promise.all([before.close(), after.close()]);
  }
});
