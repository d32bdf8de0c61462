// Host rounds of a Verifier's needs loop (src/verifier/host_round.rs): round 1 prepares the batch
// and holds it under a ticket while the host settles the ECDSA jobs, round 2 finishes what it
// held. What an attacker would try on that: a round 2 for another input, other options or
// another time under a held ticket (with a host that says yes to everything), a ticket spent
// twice, a host that throws or answers garbage, the instance replaced between the rounds, more
// rounds open than are held. Tampered signatures must fail on every path the package ships
// (module function, Verifier cached and uncached, pool). ES256 tokens are signed with jose.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as c from 'credcore';
import { trappingBytes } from './lib/trap.mjs';

const internal = (file) => import(new URL(`./${file}`, import.meta.resolve('credcore')).href);
const glue = await internal('credcore_wasm.js');
const { nodeAsyncHost, settleAsync } = await internal('host.node.js');
const { setAsyncHost } = await internal('host-round.js');
const { packStrings, splitNeeds } = await internal('wire.js');
const { readFramed } = await internal('results.js');

const ISS = 'https://issuer.example';
const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1' };
const options = { issuerKeys: { [ISS]: jwk } };
const ed = c.generateKeyPair();

let serial = 0;
/** `n` fresh ES256 VC-JWTs signed by jose. */
async function es256(n) {
  serial++;
  return Promise.all(Array.from({ length: n }, (_, i) =>
    new jose.SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:s', n: `${serial}-${i}` } }, sub: 'did:example:s' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k1' }).setIssuer(ISS).setIssuedAt().setExpirationTime('1h').sign(privateKey)));
}

/** The token with one character of its signature changed (same length, other bytes). */
function tamper(token) {
  const at = token.length - 12;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

/** A mixed batch and the validity of each item: ES256 good and tampered, EdDSA, a duplicate, a malformed item. */
async function mixed() {
  const good = await es256(6);
  const edToken = c.issueCredential({ credentialSubject: { id: 'did:example:s', n: serial } }, { issuer: ed, format: 'vc-jwt', expiresIn: 3600 });
  const items = [...good, tamper(good[0]), edToken, tamper(edToken), good[2], 'not a credential', tamper(good[5])];
  const want = [true, true, true, true, true, true, false, true, false, true, false, false];
  return { items, want };
}

const validity = (results) => results.map((r) => r.valid);

/** Runs `fn` with `host` as the asynchronous host, then the Node one again. */
async function withHost(host, fn) {
  setAsyncHost(host);
  try {
    return await fn();
  } finally {
    setAsyncHost(nodeAsyncHost);
  }
}

test('a tampered ES256 signature is invalid on every path: module function, Verifier (cached, uncached), pool', async () => {
  const { items, want } = await mixed();
  assert.deepEqual(validity(c.verifyBatch(items, options)), want);
  for (const results of [0, 1000]) {
    const verifier = new c.Verifier({ ...options, cache: { results } });
    assert.deepEqual(validity(await verifier.verifyBatch(items)), want, `uncached, results ${results}`);
    assert.deepEqual(validity(await verifier.verifyBatch(items)), want, `again, results ${results}`);
    // Served from the cache the second time: the ten distinct items whose verdict took a signature.
    assert.equal(verifier.stats().results.hits, results === 0 ? 0 : 10);
    const singles = await Promise.all(items.map((x) => verifier.verify(x)));
    assert.deepEqual(validity(singles), want);
    verifier.free();
  }
  const pool = await c.createPool({ workers: 2, verifier: { ...options, cache: { results: 0 } } });
  try {
    assert.deepEqual(validity(await pool.verifyBatch(items)), want);
    assert.deepEqual(validity(await Promise.all(items.map((x) => pool.verify(x)))), want);
  } finally {
    await pool.close();
  }
});

test('a held batch is finished only for exactly its call; a ticket is spent once', async () => {
  const { items, want } = await mixed();
  const now = Date.now();
  const lie = (first) => new Uint8Array(new DataView(first.buffer, first.byteOffset + 5).getUint32(0, true) / 4).fill(1);
  // Round 1 on a batch of good items only, round 2 under its ticket for another input (the
  // tampered items), other options, another time, with a host that said yes to every job: the
  // held batch is not used, and the answers apply to no job of the other call.
  const clean = items.filter((_, i) => want[i] || i === 10);
  for (const [callJson, at] of [['', now], ['{}', now], ['', now + 1]]) {
    const raw = new glue.Verifier(JSON.stringify(options), '{"results":1000}');
    const first = raw.verifyBatchHostRound(packStrings(clean), '', now, nodeAsyncHost.algs);
    assert.equal(first[0], 1);
    const ticket = new DataView(first.buffer, first.byteOffset + 1, 4).getUint32(0, true);
    const got = readFramed(splitNeeds(raw.verifyBatchHostSettled(ticket, packStrings(items), callJson, at, lie(first))).framed);
    assert.deepEqual(validity(got), want, `${callJson} ${at - now}`);
    // Spent: the same ticket again, now with the call of round 1, settles in-process.
    const again = readFramed(splitNeeds(raw.verifyBatchHostSettled(ticket, packStrings(clean), '', now, lie(first))).framed);
    assert.deepEqual(validity(again), clean.map((x) => x !== 'not a credential'));
    raw.free();
  }
  // The very call: the held batch is finished with the honest answers.
  const raw = new glue.Verifier(JSON.stringify(options), '');
  const first = raw.verifyBatchHostRound(packStrings(items), '', now, nodeAsyncHost.algs);
  const ticket = new DataView(first.buffer, first.byteOffset + 1, 4).getUint32(0, true);
  const answers = await settleAsync(first.subarray(5));
  assert.deepEqual(validity(readFramed(splitNeeds(raw.verifyBatchHostSettled(ticket, packStrings(items), '', now, answers)).framed)), want);
  raw.free();
});

test('a host that throws, rejects, or answers the wrong length or other bytes fails the held signatures', async () => {
  const { items, want } = await mixed();
  const edOnly = want.map((v, i) => v && i === 7);
  const hosts = {
    throws: () => { throw new Error('host down'); },
    rejects: async () => { throw new Error('host down'); },
    short: async (p) => (await settleAsync(p)).subarray(1),
    long: async (p) => Uint8Array.from([...(await settleAsync(p)), 1]),
    twos: async (p) => (await settleAsync(p)).map((b) => (b === 1 ? 2 : b)),
    array: async (p) => Array.from(await settleAsync(p)),
  };
  for (const [name, settle] of Object.entries(hosts)) {
    const verifier = new c.Verifier({ ...options, cache: { results: 1000 } });
    const got = await withHost({ algs: nodeAsyncHost.algs, settle }, () => verifier.verifyBatch(items));
    assert.deepEqual(validity(got), edOnly, name);
    for (const i of [0, 1, 2, 3, 4, 5]) assert.equal(got[i].errors[0].code, 'INVALID_SIGNATURE', `${name} ${i}`);
    // Nothing of the failed round was cached: the next call, with the real host, passes them.
    assert.deepEqual(validity(await verifier.verifyBatch(items)), want, `${name}, then the real host`);
    verifier.free();
  }
});

test('an instance replaced between the rounds: round 2 runs on the new one and settles in-process', async () => {
  const { items, want } = await mixed();
  const verifier = new c.Verifier({ ...options, cache: { results: 1000 } });
  assert.deepEqual(validity(await verifier.verifyBatch(items)), want);
  const trapping = {
    algs: nodeAsyncHost.algs,
    settle: async (p) => {
      const answers = await settleAsync(p);
      assert.throws(() => c.hash(trappingBytes(glue, c)), (e) => e.code === 'INTERNAL_ERROR');
      // Every answer 1: they belong to the old instance's ticket and reach no job.
      return answers.fill(1);
    },
  };
  const fresh = await mixed();
  const got = await withHost(trapping, () => verifier.verifyBatch(fresh.items));
  assert.deepEqual(validity(got), fresh.want);
  assert.deepEqual(validity(await verifier.verifyBatch(items)), want, 'the next call works');
  verifier.free();
});

test('more rounds open at once than are held: every round 2 gives the right verdicts', async () => {
  const verifier = new c.Verifier({ ...options, cache: { results: 0 } });
  const batches = await Promise.all(Array.from({ length: 12 }, () => mixed()));
  let release;
  const gate = new Promise((r) => { release = r; });
  let waiting = 0;
  const slow = {
    algs: nodeAsyncHost.algs,
    settle: async (p) => {
      if (++waiting === batches.length) release();
      await gate;
      return settleAsync(p);
    },
  };
  const got = await withHost(slow, () => Promise.all(batches.map((b) => verifier.verifyBatch(b.items))));
  got.forEach((r, i) => assert.deepEqual(validity(r), batches[i].want, `batch ${i}`));
  verifier.free();
});

test('a batch in several steps: each step finished as its answers come gives the verdicts of the whole; a host that fails one step fails only its items, and keeps nothing', async () => {
  // 3 steps and more (128 items each), with tampered items in every step.
  const good = await es256(420);
  const items = good.map((t, i) => (i % 50 === 7 ? tamper(t) : t));
  const want = items.map((_, i) => i % 50 !== 7);
  for (const results of [0, 1000]) {
    const verifier = new c.Verifier({ ...options, cache: { results } });
    assert.deepEqual(validity(await verifier.verifyBatch(items)), want, `results ${results}`);
    assert.deepEqual(validity(await verifier.verifyBatch(items)), want, `again, results ${results}`);
    verifier.free();
  }
  const pool = await c.createPool({ workers: 2, verifier: { ...options, cache: { results: 0 } } });
  try {
    assert.deepEqual(validity(await pool.verifyBatch(items)), want);
  } finally {
    await pool.close();
  }
  // The second step's host call throws; the others answer honestly.
  let calls = 0;
  const flaky = { algs: nodeAsyncHost.algs, settle: async (p) => { if (++calls === 2) throw new Error('host down'); return settleAsync(p); } };
  const verifier = new c.Verifier({ ...options, cache: { results: 1000 } });
  const got = await withHost(flaky, () => verifier.verifyBatch(items));
  assert.ok(calls >= 3, `${calls} steps`);
  const step = (i) => Math.floor(i / 128);
  assert.deepEqual(validity(got), want.map((v, i) => v && step(i) !== 1));
  for (let i = 128; i < 256; i++) assert.equal(got[i].errors[0].code, 'INVALID_SIGNATURE');
  assert.equal(verifier.stats().results.entries, 0);
  assert.deepEqual(validity(await verifier.verifyBatch(items)), want, 'then the real host');
  assert.equal(verifier.stats().results.entries, items.length);
  verifier.free();
});
