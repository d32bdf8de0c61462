// The store interface (credcore's MemoryStore, credcore/redis's RedisStore): one suite, run
// against both; Redis is a real redis-server started for this file (lib/redis.mjs).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from 'credcore';
import { createRedisStore } from 'credcore/redis';
import { startRedis, freePort } from './lib/redis.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The same assertions for every store: `make()` returns a fresh, empty-namespaced store. */
function storeSuite(name, make) {
  describe(`store: ${name}`, () => {
    let store;
    before(async () => { store = await make(); });
    after(async () => { await store.close(); });

    test('get of an absent key is null; set then get returns the value', async () => {
      assert.equal(await store.get('absent'), null);
      await store.set('a', 'one', { ttlMs: 10_000 });
      assert.equal(await store.get('a'), 'one');
      await store.set('a', 'two', { ttlMs: 10_000 });
      assert.equal(await store.get('a'), 'two');
    });

    test('values are strings kept byte for byte (unicode, separators, empty)', async () => {
      const values = ['', 'é~ü\u0000x', '{"list":"a.b.c","until":1}', 'x'.repeat(100_000)];
      for (const [i, v] of values.entries()) await store.set(`v${i}`, v, { ttlMs: 10_000 });
      assert.deepEqual(await store.getMany(values.map((_, i) => `v${i}`)), values);
    });

    test('an entry expires after its TTL', async () => {
      await store.set('short', 'x', { ttlMs: 60 });
      assert.equal(await store.get('short'), 'x');
      await sleep(150);
      assert.equal(await store.get('short'), null);
    });

    test('getMany answers in order, null for the absent and expired', async () => {
      await store.setMany([{ key: 'm1', value: '1', ttlMs: 10_000 }, { key: 'm2', value: '2', ttlMs: 50 }, { key: 'm3', value: '3', ttlMs: 10_000 }]);
      await sleep(120);
      assert.deepEqual(await store.getMany(['m3', 'nope', 'm2', 'm1']), ['3', null, null, '1']);
      assert.deepEqual(await store.getMany([]), []);
    });

    test('setIfAbsent writes once: true for the first call only, until the key expires', async () => {
      assert.equal(await store.setIfAbsent('nx', 'first', { ttlMs: 80 }), true);
      assert.equal(await store.setIfAbsent('nx', 'second', { ttlMs: 80 }), false);
      assert.equal(await store.get('nx'), 'first');
      await sleep(160);
      assert.equal(await store.setIfAbsent('nx', 'third', { ttlMs: 10_000 }), true);
      assert.equal(await store.get('nx'), 'third');
    });

    test('setIfAbsent under a race: exactly one of 50 concurrent calls wins', async () => {
      const wins = await Promise.all(Array.from({ length: 50 }, (_, i) => store.setIfAbsent('race', String(i), { ttlMs: 10_000 })));
      assert.equal(wins.filter(Boolean).length, 1);
      assert.equal(await store.get('race'), String(wins.indexOf(true)));
    });

    test('replace returns the previous value and keeps the expiry; absent keys stay absent', async () => {
      await store.set('r', 'issued', { ttlMs: 150 });
      assert.equal(await store.replace('r', 'used'), 'issued');
      assert.equal(await store.replace('r', 'used'), 'used');
      assert.equal(await store.get('r'), 'used');
      assert.equal(await store.replace('r-absent', 'used'), null);
      assert.equal(await store.get('r-absent'), null, 'replace never creates a key');
      await sleep(250);
      assert.equal(await store.get('r'), null, 'the expiry set before the replace still holds');
    });

    test('replace under a race: exactly one of 50 concurrent calls sees the first value', async () => {
      await store.set('once', 'issued', { ttlMs: 10_000 });
      const seen = await Promise.all(Array.from({ length: 50 }, () => store.replace('once', 'used')));
      assert.equal(seen.filter((v) => v === 'issued').length, 1);
      assert.equal(seen.filter((v) => v === 'used').length, 49);
    });

    test('replaceMany applies in order within one call (the second of a repeated key sees the first)', async () => {
      await store.set('p1', 'issued', { ttlMs: 10_000 });
      const previous = await store.replaceMany([{ key: 'p1', value: 'used' }, { key: 'p2', value: 'used' }, { key: 'p1', value: 'used' }]);
      assert.deepEqual(previous, ['issued', null, 'used']);
      assert.deepEqual(await store.replaceMany([]), []);
    });

    test('delete says whether the key existed', async () => {
      await store.set('d', 'x', { ttlMs: 10_000 });
      assert.equal(await store.delete('d'), true);
      assert.equal(await store.delete('d'), false);
      assert.equal(await store.get('d'), null);
    });

    test('bad arguments are MALFORMED_INPUT, before anything reaches the store', async () => {
      await assert.rejects(store.set('k', 1, { ttlMs: 10 }), { code: 'MALFORMED_INPUT' });
      await assert.rejects(store.set('k', 'v', { ttlMs: 0 }), { code: 'MALFORMED_INPUT' });
      await assert.rejects(store.set('k', 'v', {}), { code: 'MALFORMED_INPUT' });
      await assert.rejects(store.get(5), { code: 'MALFORMED_INPUT' });
      await assert.rejects(store.getMany('k'), { code: 'MALFORMED_INPUT' });
    });

    test('stats count round trips (a batch is one) and keys', async () => {
      const before = store.stats();
      await store.getMany(['s1', 's2', 's3']);
      await store.setMany([{ key: 's1', value: 'a', ttlMs: 1000 }, { key: 's2', value: 'b', ttlMs: 1000 }]);
      const after = store.stats();
      assert.equal(after.roundTrips - before.roundTrips, 2);
      assert.equal(after.commands - before.commands, 5);
      assert.equal(after.ready, true);
      assert.equal(after.kind, name);
    });
  });
}

storeSuite('memory', () => new MemoryStore());

let redis;
storeSuite('redis', async () => {
  redis = await startRedis();
  const store = createRedisStore({ url: redis.url, prefix: `t${process.pid}:` });
  assert.equal(await store.ready(5000), true, 'connects to the redis-server this suite started');
  return store;
});
after(async () => { await redis?.stop(); });

describe('store: memory bounds', () => {
  test('a full MemoryStore drops the oldest write first', async () => {
    const store = new MemoryStore({ max: 3 });
    for (const k of ['a', 'b', 'c', 'd']) await store.set(k, k, { ttlMs: 10_000 });
    assert.deepEqual(await store.getMany(['a', 'b', 'c', 'd']), [null, 'b', 'c', 'd']);
    assert.equal(store.stats().entries, 3);
  });

  test('a closed MemoryStore answers STORE_UNAVAILABLE', async () => {
    const store = new MemoryStore();
    await store.close();
    await assert.rejects(store.get('a'), { code: 'STORE_UNAVAILABLE' });
  });
});

describe('store: redis faults', () => {
  test('Redis absent: every call fails at once with STORE_UNAVAILABLE; the store connects when Redis appears, and again after a kill', async () => {
    const port = await freePort();
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 500, maxReconnectDelayMs: 200 });
    assert.equal(await store.ready(200), false);
    const t0 = Date.now();
    await assert.rejects(store.get('a'), { code: 'STORE_UNAVAILABLE' });
    await assert.rejects(store.replace('a', 'used'), { code: 'STORE_UNAVAILABLE' });
    assert.ok(Date.now() - t0 < 200, 'no waiting for Redis');
    const server = await startRedis({ port });
    try {
      assert.equal(await store.ready(5000), true, 'recovers by itself');
      await store.set('a', 'x', { ttlMs: 10_000 });
      assert.equal(await store.get('a'), 'x');
      await server.kill();
      await assert.rejects(store.get('a'), { code: 'STORE_UNAVAILABLE' });
      await server.start();
      assert.equal(await store.ready(5000), true, 'reconnects after the restart');
      assert.equal(await store.get('a'), null, 'a restarted Redis without persistence is empty');
      const s = store.stats();
      assert.ok(s.errors >= 3, `errors counted: ${s.errors}`);
      assert.ok(s.connectionErrors >= 1);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  test('a Redis that stops answering (SIGSTOP) times out with STORE_UNAVAILABLE, not a hang', async () => {
    const server = await startRedis();
    const store = createRedisStore({ url: server.url, commandTimeoutMs: 200 });
    try {
      assert.equal(await store.ready(5000), true);
      process.kill(server.pid, 'SIGSTOP');
      const t0 = Date.now();
      await assert.rejects(store.get('a'), { code: 'STORE_UNAVAILABLE', message: /within 200 ms/ });
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(store.stats().timeouts, 1);
    } finally {
      process.kill(server.pid, 'SIGCONT');
      await store.close();
      await server.stop();
    }
  });
});
