// The host settlers' key cache (host-jobs.js KeyBook: a map by algorithm and key bytes, and a
// memo of the last key compared byte for byte) never serves one key for another key's bytes.
// The sharpest case is a key and its negation: the same x, another y, so the packed key bytes
// `04 || x || y` share their first 33 bytes. A batch that alternates items of both issuers, each
// signed by the key of the other issuer or by its own, with tampered signatures and messages in
// between, must give the same verdicts on every path that settles with node:crypto: the module
// function (synchronous), a Verifier (its host round, uncached and cached), and the pool. Tokens
// are signed here with node:crypto, never by credcore.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as c from 'credcore';

const internal = (file) => import(new URL(`./${file}`, import.meta.resolve('credcore')).href);
const { KeyBook, sameBytes, unpackJobs } = await internal('host-jobs.js');
const { pack } = await internal('wire.js');
const glue = await internal('credcore_wasm.js');
const { settleSync, nodeAsyncHost } = await internal('host.node.js');
const { setAsyncHost } = await internal('host-round.js');

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
/** The field prime of P-256 (SEC 2 section 2.4.2). */
const P256_P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
const fromBig = (n) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

/** A P-256 key pair and the public JWK of its negation (x, p - y): a valid key of its own. */
function keyAndNegation() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const y = toBig(Buffer.from(jwk.y, 'base64url'));
  const negated = { ...jwk, y: b64u(fromBig(P256_P - y)) };
  // node:crypto imports it: it is on the curve.
  crypto.createPublicKey({ key: negated, format: 'jwk' });
  return { privateKey, jwk, negated };
}

const now = Math.floor(Date.now() / 1000);
const header = b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'k1' }));

/** A VC-JWT of `iss` signed with `privateKey`; `tamper` changes the signature or the payload. */
function token(iss, privateKey, n, tamper = null) {
  const claims = { iss, sub: 'did:example:holder', iat: now, exp: now + 3600, vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:holder', n } } };
  const payload = b64u(JSON.stringify(claims));
  const sig = crypto.sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  if (tamper === 'signature') sig[7] ^= 0x10;
  const shown = tamper === 'message' ? b64u(JSON.stringify({ ...claims, exp: now + 7200 })) : payload;
  return `${header}.${shown}.${b64u(sig)}`;
}

/** The batch: [name, token, valid], alternating issuers A (key K) and B (key -K), and a third issuer C. */
function corpus() {
  const { privateKey: kA, jwk, negated } = keyAndNegation();
  const { privateKey: kC, jwk: jwkC } = keyAndNegation();
  const issuerKeys = {
    'https://a.example': { ...jwk, kid: 'k1' },
    'https://b.example': { ...negated, kid: 'k1' },
    'https://c.example': { ...jwkC, kid: 'k1' },
  };
  const cases = [];
  for (let i = 0; i < 40; i++) {
    cases.push([`${i}: A signed by K`, token('https://a.example', kA, i), true]);
    // Nobody holds the private key of -K: B's items are all forgeries made with K.
    cases.push([`${i}: B (-K) signed by K`, token('https://b.example', kA, i), false]);
    cases.push([`${i}: A, tampered signature`, token('https://a.example', kA, i, 'signature'), false]);
    cases.push([`${i}: A again`, token('https://a.example', kA, 1000 + i), true]);
    cases.push([`${i}: A, tampered message`, token('https://a.example', kA, i, 'message'), false]);
    cases.push([`${i}: C signed by A's key`, token('https://c.example', kA, i), false]);
    cases.push([`${i}: C`, token('https://c.example', kC, i), true]);
  }
  return { cases, options: { issuerKeys } };
}

const { cases, options } = corpus();

function assertVerdicts(results, path) {
  assert.equal(results.length, cases.length, path);
  cases.forEach(([name, , valid], i) => {
    assert.equal(results[i].valid, valid, `${path}, ${name}: ${JSON.stringify(results[i].errors)}`);
    if (!valid) assert.deepEqual(results[i].errors.map((e) => e.code), ['INVALID_SIGNATURE'], `${path}, ${name}`);
  });
}

test('KeyBook: keys that share a prefix, or differ in one byte anywhere, are told apart', () => {
  const book = new KeyBook(16);
  let loads = 0;
  const key = (bytes) => book.get('ES256', bytes, () => ({ n: ++loads, bytes: Array.from(bytes) }));
  const a = Uint8Array.from({ length: 65 }, (_, i) => i);
  const b = a.slice();
  b[64] ^= 1; // the last byte of y
  const c2 = a.slice();
  c2[0] ^= 1; // the first byte
  const ka = key(a);
  assert.equal(key(a), ka, 'the same bytes: the same key');
  const kb = key(b);
  assert.notEqual(kb, ka);
  assert.deepEqual(kb.bytes, Array.from(b));
  assert.deepEqual(key(c2).bytes, Array.from(c2));
  assert.equal(key(a), ka);
  // Shorter and longer byte strings with the same prefix.
  assert.deepEqual(key(a.subarray(0, 64)).bytes, Array.from(a.subarray(0, 64)));
  const longer = Uint8Array.from([...a, 0]);
  assert.deepEqual(key(longer).bytes, Array.from(longer));
  // The same bytes under another algorithm are another key.
  const other = book.get('ES256K', a, () => 'other');
  assert.equal(other, 'other');
  assert.equal(book.get('ES256', a, () => 'reloaded'), ka, 'ES256 of a is still held');
  // The memo keeps a copy: bytes changed in place after a lookup are other bytes.
  const live = a.slice();
  const kLive = book.get('ES256', live, () => 'live');
  live[10] ^= 0xff;
  const changed = book.get('ES256', live, () => 'changed');
  assert.notEqual(changed, kLive);
  assert.equal(changed, 'changed');
  // Bounded: at most `capacity` keys in the map (the memo is one more reference, to the last),
  // and an evicted key is imported again from its own bytes.
  const small = new KeyBook(2);
  const keys = [1, 2, 3].map((v) => Uint8Array.of(4, v));
  for (const k of keys) small.get('ES256', k, () => `key ${k[1]}`);
  assert.equal(small.map.size, 2);
  assert.equal(small.get('ES256', keys[0], () => 'again 1'), 'again 1');
  assert.equal(small.get('ES256', keys[2], () => 'not this'), 'key 3');
});

test('sameBytes and unpackJobs: algorithm names are decoded per job, whatever the previous one was', () => {
  assert.equal(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
  assert.equal(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
  assert.equal(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3)), false);
  const enc = new TextEncoder();
  const fields = [];
  for (const alg of ['ES256', 'ES256', 'ES384', 'ES256K', 'ES256', 'RS256', 'RS256']) fields.push(enc.encode(alg), Uint8Array.of(4), Uint8Array.of(1), Uint8Array.of(2));
  assert.deepEqual(unpackJobs(pack(fields)).map((j) => j.alg), ['ES256', 'ES256', 'ES384', 'ES256K', 'ES256', 'RS256', 'RS256']);
});

test('a key and its negation (same x) in one batch: the same verdicts on every node:crypto path, cached and uncached', async () => {
  // Twice: the second time every key is already imported (the settlers' caches are warm).
  for (const pass of [1, 2]) {
    assertVerdicts(c.verifyBatch(cases.map(([, t]) => t), options), `verifyBatch, pass ${pass}`);
    const uncached = new c.Verifier({ ...options, cache: { results: 0 } });
    assertVerdicts(await uncached.verifyBatch(cases.map(([, t]) => t)), `Verifier uncached, pass ${pass}`);
    uncached.free();
  }
  const cached = new c.Verifier(options);
  assertVerdicts(await cached.verifyBatch(cases.map(([, t]) => t)), 'Verifier cached, first');
  assertVerdicts(await cached.verifyBatch(cases.map(([, t]) => t)), 'Verifier cached, from its cache');
  // One at a time, in reverse order: each lookup follows another key than in the batch.
  for (let i = cases.length - 1; i >= cases.length - 15; i--) {
    const r = await cached.verify(cases[i][1]);
    assert.equal(r.valid, cases[i][2], cases[i][0]);
  }
  cached.free();
  const pool = await c.createPool({ workers: 2, verifier: options });
  try {
    assertVerdicts(await pool.verifyBatch(cases.map(([, t]) => t)), 'pool');
    assertVerdicts(await pool.verifyBatch(cases.map(([, t]) => t)), 'pool, again');
  } finally {
    await pool.close();
  }
});

test('a host that fails mid-batch fails the jobs it did not answer, never passes them, and caches nothing from it', async () => {
  const valid = cases.filter(([, , v]) => v).map(([, t]) => t);
  // Synchronous: the host answers the first half of the jobs honestly, then throws.
  let calls = 0;
  glue.setHostVerifier((packed) => {
    calls++;
    const real = settleSync(packed);
    if (real.length > 4) throw new Error('host lost mid-batch');
    return real;
  });
  try {
    const rs = c.verifyBatch(valid, options);
    assert.ok(calls >= 1);
    rs.forEach((r, i) => assert.deepEqual(r.errors.map((e) => e.code), ['INVALID_SIGNATURE'], `sync ${i}`));
  } finally {
    glue.setHostVerifier(settleSync);
  }
  // Asynchronous: 300 fresh items, so round 1 goes in steps of 128; the first step is answered,
  // a later one rejects. Its items fail, no result of that call is kept by a Verifier with a
  // result cache, and the next call (a sound host) passes every item.
  const { privateKey } = keyAndNegation();
  const own = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  const opts = { issuerKeys: { ...options.issuerKeys, 'https://d.example': { ...own, kid: 'k1' } } };
  const fresh = Array.from({ length: 300 }, (_, i) => token('https://d.example', privateKey, i));
  let steps = 0;
  setAsyncHost({ algs: nodeAsyncHost.algs, settle: async (p) => (++steps > 1 ? Promise.reject(new Error('gone')) : nodeAsyncHost.settle(p)) });
  const v = new c.Verifier({ ...opts, cache: { results: 1000 } });
  try {
    const rs = await v.verifyBatch(fresh);
    assert.ok(steps >= 2, `steps: ${steps}`);
    assert.ok(rs.filter((r) => r.valid).length <= 128, 'no item of a step that failed passes');
    rs.forEach((r) => assert.ok(r.valid || r.errors.every((e) => e.code === 'INVALID_SIGNATURE'), JSON.stringify(r.errors)));
    setAsyncHost(nodeAsyncHost);
    const again = await v.verifyBatch(fresh);
    assert.ok(again.every((r) => r.valid), 'a sound host: every item passes');
    assert.equal(v.stats().results.hits, 0, 'nothing of the call with a failed step was cached');
    const third = await v.verifyBatch(fresh);
    assert.ok(third.every((r) => r.valid));
    assert.equal(v.stats().results.hits, 300, 'the sound call was cached');
  } finally {
    setAsyncHost(nodeAsyncHost);
    v.free();
  }
});
