// Single-use nonces: Verifier.issueNonce / pool.issueNonce and `consumeNonce: true`, on the
// memory store and on a real Redis (two verifiers sharing it stand for two processes here; the
// cluster suite runs real processes).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Verifier, MemoryStore, createPool, generateKeyPair, issueCredential, createPresentation, sdJwt, verifyBatch } from 'credcore';
import { createRedisStore } from 'credcore/redis';
import { startRedis, freePort } from './lib/redis.mjs';

const audience = 'https://verifier.example';
const issuer = generateKeyPair();
const holder = generateKeyPair();
const vc = issueCredential({ credentialSubject: { id: holder.did, degree: 'BSc' } }, { issuer, expiresIn: 3600 });
const sd = sdJwt.issue({ vct: 'urn:example:pid', given_name: 'Ada' }, { issuer, disclose: ['/given_name'], holderPublicKey: holder.publicKey, expiresIn: 3600 });

const vpFor = (nonce) => createPresentation([vc], { holder, nonce, audience, format: 'vp-jwt' });
const kbFor = (nonce) => sdJwt.present(sd, { disclose: ['/given_name'], holder, nonce, audience });
/** The same presentation with its last signature byte changed: a forgery. */
function forged(jwt) {
  const sig = jwt.slice(jwt.lastIndexOf('.') + 1);
  const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
  return jwt.slice(0, jwt.lastIndexOf('.') + 1) + flipped;
}
const codes = (r) => r.errors.map((e) => e.code);

function nonceSuite(name, makeStore) {
  describe(`nonces: ${name}`, () => {
    let store;
    let verifier;
    before(async () => {
      store = await makeStore();
      verifier = new Verifier({ store, audience, trustedIssuers: [issuer.did], cache: { results: 1000 } });
    });
    after(async () => {
      verifier.free();
      await store.close();
    });

    test('issueNonce gives distinct 128-bit base64url nonces', async () => {
      const a = await verifier.issueNonce();
      const b = await verifier.issueNonce({ ttlSeconds: 60 });
      assert.match(a, /^[A-Za-z0-9_-]{22}$/);
      assert.notEqual(a, b);
      await assert.rejects(verifier.issueNonce({ ttlSeconds: 0 }), { code: 'MALFORMED_INPUT' });
      await assert.rejects(verifier.issueNonce({ ttlSeconds: 2 * 86400 }), { code: 'MALFORMED_INPUT' });
    });

    test('a VP-JWT nonce is accepted once; the replay is NONCE_REPLAYED and carries no claims', async () => {
      const nonce = await verifier.issueNonce();
      const vp = vpFor(nonce);
      const first = await verifier.verify(vp, { consumeNonce: true });
      assert.equal(first.valid, true, JSON.stringify(first.errors));
      assert.equal(first.credentials.length, 1);
      const again = await verifier.verify(vp, { consumeNonce: true });
      assert.equal(again.valid, false);
      assert.deepEqual(codes(again), ['NONCE_REPLAYED']);
      assert.equal(again.claims, null);
      assert.deepEqual(again.credentials, []);
      assert.equal(again.unverified.credentials.length, 1, 'what it said is kept under unverified');
    });

    test('an SD-JWT key-binding nonce is accepted once (the KB-JWT is required with consumeNonce)', async () => {
      const nonce = await verifier.issueNonce();
      const p = kbFor(nonce);
      const first = await verifier.verify(p, { consumeNonce: true });
      assert.equal(first.valid, true, JSON.stringify(first.errors));
      assert.equal(first.claims.given_name, 'Ada');
      const again = await verifier.verify(p, { consumeNonce: true });
      assert.deepEqual(codes(again), ['NONCE_REPLAYED']);
      assert.equal(again.claims, null);
      assert.equal(again.disclosed, undefined);
      // Without key binding there is no holder-signed nonce: refused by the core.
      const bare = await verifier.verify(sdJwt.present(sd, { disclose: ['/given_name'] }), { consumeNonce: true });
      assert.deepEqual(codes(bare), ['KEY_BINDING_MISSING']);
    });

    test('a forgery carrying an issued nonce does not burn it: the honest presentation still passes, once', async () => {
      const nonce = await verifier.issueNonce();
      const attack = await verifier.verifyBatch([forged(vpFor(nonce)), forged(kbFor(nonce))], { consumeNonce: true });
      assert.deepEqual(attack.map(codes), [['INVALID_PRESENTATION_SIGNATURE'], ['KEY_BINDING_INVALID']]);
      const honest = await verifier.verify(vpFor(nonce), { consumeNonce: true });
      assert.equal(honest.valid, true, JSON.stringify(honest.errors));
      assert.deepEqual(codes(await verifier.verify(kbFor(nonce), { consumeNonce: true })), ['NONCE_REPLAYED']);
    });

    test('a presentation failing another check (audience) leaves its nonce unused', async () => {
      const nonce = await verifier.issueNonce();
      const wrong = createPresentation([vc], { holder, nonce, audience: 'https://other.example', format: 'vp-jwt' });
      assert.deepEqual(codes(await verifier.verify(wrong, { consumeNonce: true })), ['AUDIENCE_MISMATCH']);
      assert.equal((await verifier.verify(vpFor(nonce), { consumeNonce: true })).valid, true);
    });

    test('a nonce never issued, or expired, is NONCE_MISMATCH; a credential alone carries none', async () => {
      assert.deepEqual(codes(await verifier.verify(vpFor('made-up-nonce'), { consumeNonce: true })), ['NONCE_MISMATCH']);
      const short = await verifier.issueNonce({ ttlSeconds: 0.1 });
      await new Promise((r) => setTimeout(r, 250));
      assert.deepEqual(codes(await verifier.verify(vpFor(short), { consumeNonce: true })), ['NONCE_MISMATCH']);
      assert.deepEqual(codes(await verifier.verify(vc, { consumeNonce: true })), ['NONCE_MISMATCH']);
    });

    test('the same nonce twice in one batch: the first is valid, the second NONCE_REPLAYED', async () => {
      const nonce = await verifier.issueNonce();
      const results = await verifier.verifyBatch([vpFor(nonce), kbFor(nonce)], { consumeNonce: true });
      assert.deepEqual(results.map((r) => r.valid), [true, false]);
      assert.deepEqual(codes(results[1]), ['NONCE_REPLAYED']);
    });

    test('the caller\'s own nonce option is still checked by the core, and consumed', async () => {
      const nonce = await verifier.issueNonce();
      assert.deepEqual(codes(await verifier.verify(vpFor(nonce), { consumeNonce: true, nonce: 'other' })), ['NONCE_MISMATCH']);
      assert.equal((await verifier.verify(vpFor(nonce), { consumeNonce: true, nonce })).valid, true);
      assert.deepEqual(codes(await verifier.verify(vpFor(nonce), { consumeNonce: true, nonce })), ['NONCE_REPLAYED']);
    });

    test('stats count nonces by outcome', () => {
      const n = verifier.stats().nonces;
      assert.ok(n.issued >= 8 && n.consumed >= 6 && n.replayed >= 4 && n.unknown >= 2 && n.missing >= 1, JSON.stringify(n));
    });
  });
}

nonceSuite('memory', () => new MemoryStore());

let redis;
before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });
nonceSuite('redis', async () => {
  const store = createRedisStore({ url: redis.url, prefix: 'nonces-suite:' });
  assert.equal(await store.ready(5000), true);
  return store;
});

describe('nonces: across verifiers sharing Redis, and faults', () => {
  test('consumed by one verifier, replayed at another: NONCE_REPLAYED; 20 racing verifiers, one winner', async () => {
    const stores = Array.from({ length: 20 }, () => createRedisStore({ url: redis.url }));
    await Promise.all(stores.map((s) => s.ready(5000)));
    const verifiers = stores.map((store) => new Verifier({ store, audience }));
    try {
      const nonce = await verifiers[0].issueNonce();
      const vp = vpFor(nonce);
      const results = await Promise.all(verifiers.map((v) => v.verify(vp, { consumeNonce: true })));
      assert.equal(results.filter((r) => r.valid).length, 1);
      assert.equal(results.filter((r) => codes(r)[0] === 'NONCE_REPLAYED').length, 19);
    } finally {
      verifiers.forEach((v) => v.free());
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('store down: issueNonce rejects and a presentation is STORE_UNAVAILABLE, never valid; service resumes when Redis is back', async () => {
    const port = await freePort();
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, maxReconnectDelayMs: 100 });
    const verifier = new Verifier({ store, audience });
    const server = await startRedis({ port });
    try {
      assert.equal(await store.ready(5000), true);
      const nonce = await verifier.issueNonce();
      await server.kill();
      await assert.rejects(verifier.issueNonce(), { code: 'STORE_UNAVAILABLE' });
      const r = await verifier.verify(vpFor(nonce), { consumeNonce: true });
      assert.equal(r.valid, false);
      assert.deepEqual(codes(r), ['STORE_UNAVAILABLE']);
      assert.equal(r.claims, null);
      // Without consumeNonce, verification does not need the store.
      assert.equal((await verifier.verify(vc)).valid, true);
      await server.start();
      assert.equal(await store.ready(5000), true);
      const fresh = await verifier.issueNonce();
      assert.equal((await verifier.verify(vpFor(fresh), { consumeNonce: true })).valid, true);
      assert.equal(verifier.stats().nonces.unavailable, 2);
    } finally {
      verifier.free();
      await store.close();
      await server.stop();
    }
  });

  test('consumeNonce as a Verifier option is the default of every call; a call may turn it off', async () => {
    const store = new MemoryStore();
    const verifier = new Verifier({ store, audience, consumeNonce: true });
    try {
      const nonce = await verifier.issueNonce();
      assert.equal((await verifier.verify(vpFor(nonce))).valid, true);
      assert.deepEqual(codes(await verifier.verify(vpFor(nonce), { consumeNonce: undefined })), ['NONCE_REPLAYED']);
      assert.equal((await verifier.verify(vpFor(nonce), { consumeNonce: false })).valid, true, 'not consumed when the call says so');
      assert.deepEqual(codes(await verifier.verify(vc)), ['NONCE_MISMATCH'], 'a credential alone carries no nonce');
    } finally {
      verifier.free();
    }
  });

  test('the module functions refuse consumeNonce (they keep no nonces)', () => {
    assert.throws(() => verifyBatch([vc], { consumeNonce: true }), { code: 'MALFORMED_INPUT', message: /Verifier or a pool/ });
  });
});

describe('nonces: the pool', () => {
  let pool;
  let store;
  before(async () => {
    store = createRedisStore({ url: redis.url, prefix: 'nonces-pool:' });
    await store.ready(5000);
    pool = await createPool({ workers: 1, store, verifier: { audience } });
  });
  after(async () => {
    await pool.close();
    await store.close();
  });

  test('pool.verify: identical presentations in flight are verified once, yet only one call is valid', async () => {
    const nonce = await pool.issueNonce();
    const vp = vpFor(nonce);
    const results = await Promise.all(Array.from({ length: 8 }, () => pool.verify(vp, { consumeNonce: true })));
    assert.equal(results.filter((r) => r.valid).length, 1);
    assert.equal(results.filter((r) => codes(r)[0] === 'NONCE_REPLAYED').length, 7);
    assert.ok(pool.metrics().deduplicated >= 1, 'the micro-batcher joined identical inputs');
  });

  test('pool.verifyBatch consumes per item; consumptions of concurrent calls share round trips', async () => {
    const nonces = await Promise.all(Array.from({ length: 64 }, () => pool.issueNonce()));
    const before = store.stats().roundTrips;
    const results = await Promise.all(nonces.map((n) => pool.verify(vpFor(n), { consumeNonce: true })));
    assert.equal(results.filter((r) => r.valid).length, 64);
    const trips = store.stats().roundTrips - before;
    assert.ok(trips <= 8, `64 consumptions took ${trips} round trips`);
    const replays = await pool.verifyBatch(nonces.slice(0, 4).map(vpFor), { consumeNonce: true });
    assert.deepEqual(replays.map((r) => codes(r)[0]), Array(4).fill('NONCE_REPLAYED'));
    const m = pool.metrics();
    assert.ok(m.nonces.consumed >= 65 && m.nonces.replayed >= 11, JSON.stringify(m.nonces));
    assert.equal(m.store.kind, 'redis');
    assert.match(pool.prometheus(), /credcore_nonces_total\{outcome="replayed"\} \d+/);
  });
});
