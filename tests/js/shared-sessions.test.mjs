// SharedSessionStore: the session allow-list on the shared store, on memory and on a real Redis;
// two stores on one Redis stand for two processes (the cluster suite runs real processes).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SharedSessionStore, MemoryStore, createSession, validateSession, verifyCredential, issueCredential, generateKeyPair } from 'credcore';
import { createRedisStore } from 'credcore/redis';
import { startRedis } from './lib/redis.mjs';

const issuer = generateKeyPair();
const result = verifyCredential(issueCredential({ credentialSubject: { id: 'did:example:ada', name: 'Ada' } }, { issuer, expiresIn: 3600 }));
const key = new Uint8Array(32).fill(9);

function sessionSuite(name, makeStores) {
  describe(`shared sessions: ${name}`, () => {
    let stores;
    let a;
    let b;
    before(async () => {
      stores = await makeStores();
      a = new SharedSessionStore({ store: stores[0], ttlSeconds: 600 });
      b = new SharedSessionStore({ store: stores[1], ttlSeconds: 600 });
    });
    after(async () => {
      for (const s of new Set(stores)) await s.close();
    });

    test('created in A, valid in B; revoked in B, SESSION_REVOKED in A and B at once', async () => {
      assert.equal(result.valid, true);
      const { token, session } = await a.create(result, { key, ttlSeconds: 300 });
      assert.deepEqual(await b.validate(token, { key }), session);
      assert.equal(session.attributes.name, 'Ada');
      assert.equal(await a.isActive(session.id), true);
      assert.equal(await b.revokeSession(session.id), true);
      await assert.rejects(a.validate(token, { key }), { code: 'SESSION_REVOKED' });
      await assert.rejects(b.validate(token, { key }), { code: 'SESSION_REVOKED' });
      assert.equal(await a.revokeSession(session.id), false, 'already revoked');
      assert.equal(a.stats().refused, 1);
      assert.equal(b.stats().revocations, 1);
    });

    test('createSession / validateSession take a SharedSessionStore and return promises', async () => {
      const created = createSession(result, { key, store: a });
      assert.ok(created instanceof Promise);
      const { token } = await created;
      const session = await validateSession(token, { key, store: b });
      assert.equal(session.subject, 'did:example:ada');
    });

    test('forged, foreign-key and expired tokens fail before the store is asked', async () => {
      const { token } = await a.create(result, { key, ttlSeconds: 60 });
      const trips = stores[0].stats().roundTrips;
      const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      await assert.rejects(a.validate(tampered, { key }), { code: 'SESSION_INVALID' });
      await assert.rejects(a.validate(token, { key: new Uint8Array(32).fill(1) }), { code: 'SESSION_INVALID' });
      await assert.rejects(a.validate(token, { key, now: Date.now() + 61_000 }), { code: 'SESSION_EXPIRED' });
      assert.equal(stores[0].stats().roundTrips, trips);
    });

    test('a session unknown to the store (made without it) is SESSION_REVOKED: an allow-list', async () => {
      const { token } = createSession(result, { key });
      await assert.rejects(a.validate(token, { key }), { code: 'SESSION_REVOKED' });
    });

    test('the store entry never outlives the session', async () => {
      const { token, session } = await a.create(result, { key, ttlSeconds: 1 });
      assert.equal(await b.isActive(session.id), true);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await b.isActive(session.id), false);
      await assert.rejects(b.validate(token, { key }), { code: 'SESSION_EXPIRED' });
    });

    test('an invalid result is refused with its first code', async () => {
      const bad = verifyCredential('not-a-jwt');
      await assert.rejects(a.create(bad, { key }), { code: bad.errors[0].code });
    });
  });
}

sessionSuite('memory', () => {
  const store = new MemoryStore();
  return [store, store];
});

let redis;
before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });
sessionSuite('redis', async () => {
  const stores = [createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })];
  for (const s of stores) assert.equal(await s.ready(5000), true);
  return stores;
});

describe('shared sessions: faults', () => {
  test('Redis killed: create, validate and revoke fail closed with STORE_UNAVAILABLE; back, the session validates again', async () => {
    const server = await startRedis();
    const store = createRedisStore({ url: server.url, maxReconnectDelayMs: 100 });
    const sessions = new SharedSessionStore({ store });
    try {
      assert.equal(await store.ready(5000), true);
      const { token, session } = await sessions.create(result, { key });
      await server.kill();
      await assert.rejects(sessions.validate(token, { key }), { code: 'STORE_UNAVAILABLE' });
      await assert.rejects(sessions.create(result, { key }), { code: 'STORE_UNAVAILABLE' });
      await assert.rejects(sessions.revokeSession(session.id), { code: 'STORE_UNAVAILABLE' });
      await server.start();
      assert.equal(await store.ready(5000), true);
      // A Redis restarted without persistence lost the allow-list: the session is refused (closed).
      await assert.rejects(sessions.validate(token, { key }), { code: 'SESSION_REVOKED' });
      const again = await sessions.create(result, { key });
      assert.equal((await sessions.validate(again.token, { key })).id, again.session.id);
      assert.equal(sessions.stats().unavailable, 3);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  test('a SharedSessionStore needs a store', () => {
    assert.throws(() => new SharedSessionStore({ store: {} }), { code: 'MALFORMED_INPUT' });
  });
});
