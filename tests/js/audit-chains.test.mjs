// Audit across processes: one chain per process, registered and checkpointed in a real Redis,
// verified together (AuditLog.registerChain, publish, listChains, verifyChains).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLog, generateKeyPair } from 'credcore';
import { createRedisStore } from 'credcore/redis';
import { startRedis } from './lib/redis.mjs';

const hmacKey = new Uint8Array(32).fill(3);
const keys = { k1: hmacKey };
const signer = generateKeyPair();
const clone = (x) => JSON.parse(JSON.stringify(x));

describe('audit chains across processes', () => {
  let redis;
  let stores;
  let chains;
  let expected;

  before(async () => {
    redis = await startRedis();
    // Two stores on one Redis: two processes.
    stores = [createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })];
    for (const s of stores) assert.equal(await s.ready(5000), true);
  });
  after(async () => {
    for (const s of stores) await s.close();
    await redis.stop();
  });

  test('concurrent registrations get distinct chain ids, in slot order', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => AuditLog.registerChain(stores[i % 2])));
    assert.equal(new Set(ids).size, 10);
    assert.deepEqual([...ids].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6))), Array.from({ length: 10 }, (_, i) => `chain-${i}`));
  });

  test('each process appends to its own chain and publishes checkpoints; all verify together', async () => {
    const listed = await AuditLog.listChains(stores[0]);
    expected = listed.map((c) => c.chainId);
    assert.equal(expected.length, 10);
    chains = {};
    for (const [i, chainId] of expected.entries()) {
      const log = new AuditLog({ hmacKey, keyId: 'k1', chainId });
      const entries = log.append(Array.from({ length: 3 + i }, (_, n) => ({ type: 'verification', n, process: i })));
      assert.deepEqual(entries[0].event, { chain: chainId, type: 'verification', n: 0, process: i });
      const checkpoint = await log.publish(stores[i % 2], signer);
      chains[chainId] = { entries, checkpoint };
      log.free();
    }
    const fromStore = await AuditLog.listChains(stores[1]);
    for (const { chainId, checkpoint } of fromStore) assert.deepEqual(checkpoint, chains[chainId].checkpoint);
    const report = AuditLog.verifyChains(chains, keys, [signer.did], { expected });
    assert.equal(report.valid, true, JSON.stringify(report.firstInvalid));
    assert.deepEqual(report.missing, []);
    assert.equal(report.chains['chain-9'].checked, 12);
  });

  test('an edit, a cut tail, a swapped chain, a missing chain and an unknown signer are each found, naming the chain', () => {
    const edited = clone(chains);
    edited['chain-3'].entries[1].event.n = 99;
    let r = AuditLog.verifyChains(edited, keys, [signer.did], { expected });
    assert.equal(r.valid, false);
    assert.deepEqual(r.firstInvalid, { chain: 'chain-3', index: 1, reason: 'modified' });

    const cut = clone(chains);
    cut['chain-5'].entries.pop();
    r = AuditLog.verifyChains(cut, keys, [signer.did], { expected });
    assert.equal(r.firstInvalid.chain, 'chain-5');
    assert.equal(r.firstInvalid.reason, 'truncated');

    // Chain 1's entries and checkpoint presented as chain 2's (and the other way round): each
    // verifies on its own, but the entries name another chain.
    const swapped = clone(chains);
    [swapped['chain-1'], swapped['chain-2']] = [swapped['chain-2'], swapped['chain-1']];
    r = AuditLog.verifyChains(swapped, keys, [signer.did], { expected });
    assert.deepEqual(r.firstInvalid, { chain: 'chain-1', index: 0, reason: 'foreign_entry' });

    const gone = clone(chains);
    delete gone['chain-7'];
    r = AuditLog.verifyChains(gone, keys, [signer.did], { expected });
    assert.equal(r.valid, false);
    assert.deepEqual(r.missing, ['chain-7']);
    assert.equal(r.firstInvalid, null);

    r = AuditLog.verifyChains(chains, keys, [generateKeyPair().did], { expected });
    assert.equal(r.firstInvalid.reason, 'untrusted_signer');
  });

  test('publish fails with STORE_UNAVAILABLE when the store is down; appending goes on', async () => {
    const down = createRedisStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 100 });
    const log = new AuditLog({ hmacKey, keyId: 'k1', chainId: 'chain-x' });
    try {
      log.append([{ type: 'a' }]);
      await assert.rejects(log.publish(down, signer), { code: 'STORE_UNAVAILABLE' });
      assert.equal(log.append([{ type: 'b' }])[0].seq, 1);
      await assert.rejects(AuditLog.registerChain(down), { code: 'STORE_UNAVAILABLE' });
      assert.throws(() => log.append(['not an object']), { code: 'MALFORMED_INPUT' });
    } finally {
      log.free();
      await down.close();
    }
  });
});
