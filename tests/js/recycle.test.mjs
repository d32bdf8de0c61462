// The memory bound of a wasm instance (`maxInstanceMemory`, `setMaxInstanceMemory`) in the package
// as it ships: wasm memory never shrinks, so an instance that a call took past the bound is
// replaced by a fresh one of the same module, on the main thread and in pool workers. A recycle
// never changes a verdict (cached or uncached, module functions, Verifier, pool.verifyBatch,
// pool.verify), the next call works, it is counted, and objects whose state lives in the
// instance keep it from being recycled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from 'credcore';
import { mixedWorkload } from './lib/workload.mjs';

const MiB = 1024 * 1024;
const NOW = Date.now();
const w = mixedWorkload(c, 140, { tag: 'recycle' });
// Fixed clock and the workload's status list inline: every run sees the same inputs the same way.
const options = { ...w.options, now: NOW };

/** Runs `fn` with this thread's bound set to `bytes`, then puts the previous bound back. */
async function withBound(bytes, fn) {
  const previous = c.setMaxInstanceMemory(bytes);
  try {
    return await fn();
  } finally {
    c.setMaxInstanceMemory(previous);
  }
}

test('module functions: the same results with an instance recycled after every call, and each recycle counted', async () => {
  const reference = await withBound(0, () => c.verifyBatch(w.inputs, options));
  assert.ok(reference.some((r) => r.valid) && reference.some((r) => !r.valid));
  await withBound(MiB, () => {
    const before = c.instanceMemory();
    assert.equal(before.pinned, 0, 'no live object pins the instance');
    for (let round = 0; round < 3; round++) {
      assert.deepEqual(c.verifyBatch(w.inputs, options), reference, `round ${round}`);
      // The call's answer came out of the old instance; a fresh one is in place.
      assert.equal(c.instanceMemory().recycles, before.recycles + round + 1);
    }
    // The next call of any kind works on the fresh instance.
    assert.deepEqual(c.verifyCredential(w.inputs[0], options), reference[0]);
    assert.equal(c.hash('abc').length, 32);
    const pair = c.generateKeyPair();
    assert.equal(c.verify('m', c.sign('m', pair.secretKey), pair.publicKey), true);
  });
});

test('one large call no longer keeps its memory: the default bound (64 MiB) recycles after it, answer or coded error', () => {
  const { maxBytes, recycles } = c.instanceMemory();
  assert.equal(maxBytes, 64 * MiB);
  // 90 MiB hashed in one call: about as much crosses into the instance.
  const parts = Array.from({ length: 6 }, (_, i) => new Uint8Array(15 * MiB).fill(i));
  const digests = c.hashBatch(parts);
  assert.equal(c.instanceMemory().recycles, recycles + 1);
  assert.ok(c.instanceMemory().bytes < 16 * MiB, `${c.instanceMemory().bytes} bytes after the recycle`);
  // Digests taken out of the old instance are intact and right.
  assert.deepEqual(digests.map((d) => Buffer.from(d).toString('hex')), parts.map((p) => Buffer.from(c.hash(p)).toString('hex')));
  // Refused input that still crossed (80 MiB over the 16 MiB data limit): recycled too.
  const before = c.instanceMemory().recycles;
  assert.throws(() => c.hash(new Uint8Array(80 * MiB)), { code: 'INPUT_TOO_LARGE' });
  assert.equal(c.instanceMemory().recycles, before + 1);
  assert.ok(c.instanceMemory().bytes < 16 * MiB);
  assert.deepEqual(c.verifyBatch(w.inputs, options).map((r) => r.valid), c.verifyBatch(w.inputs, options).map((r) => r.valid));
});

test('a Verifier: cached and uncached results identical across forced recycles, caches start empty again', async () => {
  const cache = { results: 1000, ttlSeconds: 300 };
  const v = new c.Verifier({ ...options, cache });
  const first = await withBound(0, () => v.verifyBatch(w.inputs));
  const cached = await withBound(0, () => v.verifyBatch(w.inputs));
  assert.deepEqual(cached, first);
  assert.ok(v.stats().results.hits > 0, 'the second run came from the cache');
  await withBound(MiB, async () => {
    const { recycles } = c.instanceMemory();
    c.hash('x'); // a call that ends over the bound: recycled after it
    assert.equal(c.instanceMemory().recycles, recycles + 1);
    // A fresh handle, caches empty: results from scratch, equal to the cached and uncached ones.
    assert.deepEqual(await v.verifyBatch(w.inputs), first);
    assert.deepEqual(await v.verify(w.inputs[1]), first[1]);
  });
  // Back under no bound: the cache fills and serves again.
  await withBound(0, async () => {
    assert.deepEqual(await v.verifyBatch(w.inputs), first);
    assert.deepEqual(await v.verifyBatch(w.inputs), first);
    assert.ok(v.stats().results.hits > 0);
  });
  v.free?.();
});

test('objects whose state lives in the instance pin it: no recycle while one is alive, then it recycles', async () => {
  await withBound(MiB, () => {
    const sessions = new c.SessionStore({ max: 10, ttlSeconds: 60 });
    const valid = c.verifyBatch(w.inputs, options).find((r) => r.valid);
    const sessionKey = new Uint8Array(32).fill(9);
    const { session } = c.createSession(valid, { key: sessionKey, store: sessions, ttlSeconds: 60 });
    const hmacKey = new Uint8Array(32).fill(7);
    const log = new c.AuditLog({ hmacKey, keyId: 'k1' });
    // Their state lives in the issuing module's instance: they pin it, not the default one.
    const { recycles, issuing } = c.instanceMemory();
    assert.ok(issuing !== null, 'the issuing module is loaded');
    assert.equal(issuing.pinned, 2);
    assert.equal(c.instanceMemory().pinned, 0);
    const entries = log.append([{ type: 'test', n: 1 }]);
    c.verifyBatch(w.inputs, options);
    assert.ok(c.instanceMemory().recycles > recycles, 'the default instance, unpinned, recycles');
    entries.push(...log.append([{ type: 'test', n: 2 }]));
    assert.equal(c.instanceMemory().issuing?.recycles, issuing.recycles, 'not recycled under live objects');
    // Their state is still there, on the same instance.
    assert.equal(sessions.isActive(session.id), true);
    assert.equal(sessions.revokeSession(session.id), true);
    assert.equal(sessions.isActive(session.id), false);
    assert.equal(c.AuditLog.verify(entries, { k1: hmacKey }).valid, true, 'one chain across the calls');
    sessions.free();
    c.generateKeyPair();
    assert.equal(c.instanceMemory().issuing?.recycles, issuing.recycles, 'the audit log still pins it');
    log.free();
    c.generateKeyPair();
    assert.equal(c.instanceMemory().issuing?.recycles, issuing.recycles + 1, 'recycled once nothing pins it');
    assert.equal(c.instanceMemory().issuing?.pinned, 0);
  });
});

test('bounds are checked: below 1 MiB (other than 0) or not an integer is MALFORMED_INPUT', async () => {
  for (const bad of [-1, 100, 1.5, '64', Number.NaN]) {
    assert.throws(() => c.setMaxInstanceMemory(/** @type {any} */ (bad)), { code: 'MALFORMED_INPUT' });
    await assert.rejects(c.createPool({ workers: 1, maxInstanceMemory: /** @type {any} */ (bad) }), { code: 'MALFORMED_INPUT' });
  }
  assert.equal(c.instanceMemory().maxBytes, 64 * MiB);
});

test('pool workers: the same results with every chunk recycling its instance, counted, no worker replaced', async () => {
  const plain = await c.createPool({ workers: 2, maxInstanceMemory: 0, chunkSize: 32 });
  const recycling = await c.createPool({ workers: 2, maxInstanceMemory: MiB, chunkSize: 32 });
  try {
    const reference = await plain.verifyBatch(w.inputs, options);
    // Cached on the plain pool's workers: still the same.
    assert.deepEqual(await plain.verifyBatch(w.inputs, options), reference);
    assert.equal(plain.metrics().memory.recycles, 0);
    for (let round = 0; round < 2; round++) assert.deepEqual(await recycling.verifyBatch(w.inputs, options), reference);
    const singles = await Promise.all(w.inputs.slice(0, 30).map((x) => recycling.verify(x, options)));
    assert.deepEqual(singles, reference.slice(0, 30));
    const m = recycling.metrics();
    assert.ok(m.memory.recycles >= 2 * Math.ceil(w.inputs.length / 32), `${m.memory.recycles} recycles`);
    assert.deepEqual(m.restarts, {}, 'recycled in place, not replaced');
    assert.equal(m.workers.live, 2);
    assert.equal(m.memory.maxInstanceMemory, MiB);
    assert.equal(m.memory.workers.length, 2);
    assert.match(recycling.prometheus(), /^credcore_instance_recycles_total \d+$/m);
    assert.match(recycling.prometheus(), /^credcore_instance_memory_bytes\{instance="max"\} \d+$/m);
  } finally {
    await plain.close();
    await recycling.close();
  }
});

test('a pool worker that one large chunk took past the default bound gives its memory back', async () => {
  const pool = await c.createPool({ workers: 1, chunkSize: 100 });
  try {
    // 70 signatures over 1 MiB messages: one chunk of about 70 MiB into the worker's instance.
    const key = c.generateKeyPair();
    const message = new Uint8Array(MiB).fill(3);
    const signature = c.sign(message, key.secretKey);
    const forged = Uint8Array.from(signature, (b, i) => (i === 0 ? b ^ 1 : b));
    const items = Array.from({ length: 70 }, (_, i) => ({ message, signature: i % 7 === 3 ? forged : signature, publicKey: key.publicKey }));
    const flags = await pool.verifySignatures(items);
    assert.deepEqual(flags, items.map((_, i) => i % 7 !== 3));
    const m = pool.metrics();
    assert.equal(m.memory.maxInstanceMemory, 64 * MiB);
    assert.equal(m.memory.recycles, 1);
    assert.ok(m.memory.workers[0] < 16 * MiB, `${m.memory.workers[0]} bytes after the recycle`);
    assert.deepEqual(m.restarts, {});
    // The next chunk works, with the same verdicts as one thread.
    const got = await pool.verifyBatch(w.inputs, options);
    assert.deepEqual(got, await c.createPool({ workers: 1, maxInstanceMemory: 0 }).then(async (p) => {
      try {
        return await p.verifyBatch(w.inputs, options);
      } finally {
        await p.close();
      }
    }));
  } finally {
    await pool.close();
  }
});

// A Verifier's memory of the newest status list per URI is what refuses a replayed older one;
// the instance that held it may be replaced (a recycle here; a trap takes the same path), and the
// Verifier made again on the fresh instance is told what the old one saw.
async function listRollback() {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const uri = 'https://issuer.example/status/recycle-rollback';
  const list = new c.StatusList({ format: 'ietf', uri, size: 1000, bits: 2, issuer });
  const idx = list.allocate();
  const cred = c.sdJwt.issue({ vct: 'urn:x', sub: holder.did, status: { status_list: { idx, uri } } }, { issuer, now: NOW - 3600_000, expiresIn: 86_400 });
  const oldClean = list.sign({ now: NOW - 600_000 });
  list.set(idx, 1);
  const newRevoking = list.sign({ now: NOW - 60_000 });
  // A live StatusList pins the instance: freed, nothing keeps it from being recycled.
  list.free();
  return { cred, uri, oldClean, newRevoking };
}

const codesOf = (r) => r.errors.map((e) => e.code);

test('status lists: an older list after a newer one stays refused by a Verifier whose instance was recycled, cached and uncached', async () => {
  const { cred, uri, oldClean, newRevoking } = await listRollback();
  for (const results of [0, 100]) {
    const verifier = new c.Verifier({ cache: { results } });
    const run = async (l) => codesOf(await verifier.verify(cred, { now: NOW, statusLists: { [uri]: l } }));
    await withBound(MiB, async () => {
      const before = c.instanceMemory().recycles;
      assert.deepEqual(await run(newRevoking), ['REVOKED_CREDENTIAL']);
      // A Verifier's call holds the instance through its rounds; the next call outside one
      // recycles it.
      assert.equal(c.hash('x').length, 32);
      assert.ok(c.instanceMemory().recycles > before, 'the instance was recycled');
      // The fresh instance's Verifier never saw the newer list itself.
      assert.deepEqual(await run(oldClean), ['INVALID_STATUS_LIST'], `results cache ${results}`);
      assert.deepEqual(await run(oldClean), ['INVALID_STATUS_LIST'], `results cache ${results}, again`);
      assert.deepEqual(await run(newRevoking), ['REVOKED_CREDENTIAL']);
    });
    verifier.free();
  }
  // Without the newer list ever seen, the older one is believed (the test is not vacuous).
  const fresh = new c.Verifier({});
  assert.deepEqual(codesOf(await fresh.verify(cred, { now: NOW, statusLists: { [uri]: oldClean } })), []);
  fresh.free();
});

test('status lists: a pool worker recycled after every chunk keeps refusing an older list than one it saw', async () => {
  const { cred, uri, oldClean, newRevoking } = await listRollback();
  const pool = await c.createPool({ workers: 1, maxInstanceMemory: MiB });
  try {
    assert.deepEqual(codesOf(await pool.verify(cred, { now: NOW, statusLists: { [uri]: newRevoking } })), ['REVOKED_CREDENTIAL']);
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(codesOf(await pool.verify(cred, { now: NOW, statusLists: { [uri]: oldClean } })), ['INVALID_STATUS_LIST'], `round ${round}`);
      assert.deepEqual(codesOf((await pool.verifyBatch([cred], { now: NOW, statusLists: { [uri]: oldClean } }))[0]), ['INVALID_STATUS_LIST'], `batch, round ${round}`);
    }
    assert.ok(pool.metrics().memory.recycles > 0, 'the worker recycled');
  } finally {
    await pool.close();
  }
});

test('status lists: what one pool worker saw, every worker refuses (a replay cannot pick the worker that never saw the newer list)', async () => {
  const { cred, uri, oldClean, newRevoking } = await listRollback();
  const pool = await c.createPool({ workers: 2, chunkSize: 1 });
  try {
    assert.deepEqual(codesOf(await pool.verify(cred, { now: NOW, statusLists: { [uri]: newRevoking } })), ['REVOKED_CREDENTIAL']);
    // Many chunks at once: both workers run some.
    const replays = await Promise.all(Array.from({ length: 16 }, () => pool.verifyBatch([cred, cred], { now: NOW, statusLists: { [uri]: oldClean } })));
    for (const [i, rs] of replays.entries()) {
      for (const r of rs) assert.deepEqual(codesOf(r), ['INVALID_STATUS_LIST'], `replay ${i}`);
    }
  } finally {
    await pool.close();
  }
});
