// Trap containment, in Node and Chromium: a call into wasm that traps gets INTERNAL_ERROR and the
// realm's instance is replaced, so the next calls work and give the right results; objects of the
// old instance refuse to be used (and freeing them does not touch the new one); a pool chunk
// whose worker traps is split until only the item that traps gets WORKER_FAILED.
//
// The traps are real WebAssembly.RuntimeErrors of the package's own instances (lib/trap.mjs,
// lib/trap-worker.mjs). This suite runs last: its traps replace the instance, which makes the
// objects of earlier suites stale.

import { assert, hex } from '../lib/assert.mjs';
import { firstDifference, mixedWorkload, outcomes } from '../lib/workload.mjs';
import { TRAP_MARKER, glueOf, issuingGlueOf, issuingTrappingBytes, trapWorkerUrl, trappingBytes } from '../lib/trap.mjs';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

function forge(jwt) {
  const [h, p, s] = jwt.split('.');
  return `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
}

export const tests = [
  ['a trap inside a call is INTERNAL_ERROR; the instance is replaced and the next calls work', async (c) => {
    const glue = await glueOf();
    const w = mixedWorkload(c, 28, { tag: 'trap' });
    const want = c.verifyBatch(w.inputs, w.options);
    // Served twice: the default verifier's results are cached and their decoded copies memoized.
    assert.equal(firstDifference(c.verifyBatch(w.inputs, w.options), want), -1);
    for (let round = 0; round < 3; round++) {
      const err = assert.throwsCode(() => c.hash(trappingBytes(glue, c)), 'INTERNAL_ERROR');
      assert.ok(err instanceof c.CredcoreError, 'a CredcoreError');
      assert.ok(/out of bounds/.test(err.message), err.message);
      // The default verifier was left borrowed by the trap: before containment, every later
      // verification failed with "verifier busy".
      const reversed = c.verifyBatch([...w.inputs].reverse(), w.options);
      assert.equal(firstDifference(reversed, [...want].reverse()), -1, `round ${round}: the same verdicts after the reset`);
      assert.equal(firstDifference(c.verifyBatch(w.inputs, w.options), want), -1);
    }
    assert.equal(hex(c.hash('abc')), ABC_SHA256);
    const pair = c.generateKeyPair();
    assert.equal(pair.publicKey.length, 32);
    assert.ok(c.verify('m', c.sign('m', pair.secretKey), pair.publicKey));
    const jwt = c.issueCredential({ credentialSubject: { id: pair.did } }, { issuer: pair, format: 'vc-jwt', expiresIn: 60 });
    assert.equal(c.verifyCredential(jwt).valid, true);
    assert.deepEqual(outcomes(c.verifyBatch([forge(jwt), jwt])), ['INVALID_SIGNATURE', 'valid']);
  }],
  ['results cached before a trap never answer for other inputs after it', async (c) => {
    const glue = await glueOf();
    const issuer = c.generateKeyPair();
    const honest = c.issueCredential({ credentialSubject: { id: issuer.did, name: 'honest' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    const forged = forge(c.issueCredential({ credentialSubject: { id: issuer.did, name: 'forged' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
    // Twice, so that its decoded result is kept under its cache id.
    c.verifyBatch([honest]);
    assert.equal(c.verifyBatch([honest])[0].valid, true);
    assert.throwsCode(() => c.hash(trappingBytes(glue, c)), 'INTERNAL_ERROR');
    // The fresh instance numbers its cache entries from the start again.
    const [r] = c.verifyBatch([forged]);
    assert.equal(r.valid, false);
    assert.deepEqual(r.errors.map((e) => e.code), ['INVALID_SIGNATURE']);
    assert.equal(c.verifyCredential(honest).valid, true);
  }],
  ['objects of a replaced instance refuse to work; freeing them leaves the new instance intact', async (c) => {
    const glue = await glueOf();
    const hmacKey = new Uint8Array(32).fill(7);
    const issuer = c.generateKeyPair();
    const logs = Array.from({ length: 40 }, (_, i) => new c.AuditLog({ hmacKey, keyId: `k${i}` }));
    for (const log of logs) log.append([{ action: 'before' }]);
    const lists = Array.from({ length: 40 }, () => new c.StatusList({ format: 'ietf', uri: 'https://issuer.example/s', size: 1024, bits: 1, issuer }));
    // A trap of the default instance leaves the issuing module's objects as they were.
    assert.throwsCode(() => c.hash(trappingBytes(glue, c)), 'INTERNAL_ERROR');
    assert.equal(logs[2].append([{ action: 'after a trap of the other module' }])[0].seq, 1);
    assert.equal(lists[2].get(3), 0);
    const verifier = new c.Verifier({ trustedIssuers: [issuer.did] });
    const jwt = c.issueCredential({ credentialSubject: { id: issuer.did } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    assert.equal((await verifier.verifyBatch([jwt]))[0].valid, true);
    // A trap of the issuing module's instance replaces it: its objects are stale, the default
    // instance's (a Verifier's handle and caches) are not touched.
    const issuingGlue = await issuingGlueOf();
    const err = assert.throwsCode(() => c.sign(issuingTrappingBytes(issuingGlue), issuer.secretKey), 'INTERNAL_ERROR');
    assert.ok(/out of bounds/.test(err.message), err.message);
    assert.equal((await verifier.verifyBatch([jwt]))[0].valid, true);
    assert.equal(verifier.stats().results.hits, 1, 'the Verifier kept its cache');
    assert.throwsCode(() => logs[0].append([{ action: 'after' }]), 'INTERNAL_ERROR');
    assert.throwsCode(() => logs[1].head(), 'INTERNAL_ERROR');
    assert.throwsCode(() => lists[0].get(3), 'INTERNAL_ERROR');
    assert.throwsCode(() => lists[1].size, 'INTERNAL_ERROR');
    assert.throwsCode(() => lists[1].config, 'INTERNAL_ERROR');
    // Freeing a stale object must not free its old address in the new instance's memory.
    const fresh = Array.from({ length: 40 }, (_, i) => new c.AuditLog({ hmacKey, keyId: `n${i}` }));
    for (const x of [...logs, ...lists]) x.free();
    for (const log of fresh) log.append([{ action: 'one' }, { action: 'two' }]);
    for (const log of fresh.slice(0, 5)) {
      const entries = log.append([{ action: 'three' }]);
      assert.equal(entries[0].seq, 2);
    }
    const w = mixedWorkload(c, 21, { tag: 'stale' });
    const want = c.verifyBatch(w.inputs, w.options);
    assert.deepEqual(outcomes(want), ['valid', 'valid', 'valid', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'REVOKED_CREDENTIAL', 'MALFORMED_INPUT', 'valid', 'valid', 'valid', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'REVOKED_CREDENTIAL', 'MALFORMED_INPUT', 'valid', 'valid', 'valid', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'REVOKED_CREDENTIAL', 'MALFORMED_INPUT']);
    const log = new c.AuditLog({ hmacKey, keyId: 'after' });
    const chain = [...log.append([{ action: 'a' }, { action: 'b' }]), ...log.append([{ action: 'c' }])];
    assert.deepEqual(c.AuditLog.verify(chain, { after: hmacKey }), { valid: true, checked: 3, firstInvalid: null, reason: null });
    for (const x of [...fresh, log]) x.free();
  }],
  ['a chunk that traps in a worker is split: only the trapping items get WORKER_FAILED', async (c, { runtime }) => {
    const w = mixedWorkload(c, 60, { tag: 'poison' });
    const want = c.verifyBatch(w.inputs, w.options);
    const inputs = [...w.inputs];
    const poison = [17, 44];
    for (const at of poison) inputs.splice(at, 0, `${TRAP_MARKER} ${at}`);
    // One micro-batch of 62 callers over 2 workers: two chunks of 31, one poison item in each.
    const pool = await c.createPool({ workers: 2, maxBatchWaitMs: 200, workerUrl: trapWorkerUrl(runtime) });
    try {
      const got = await Promise.all(inputs.map((x) => pool.verify(x, w.options)));
      const failed = got.flatMap((r, i) => (r.errors[0]?.code === 'WORKER_FAILED' ? [i] : []));
      assert.deepEqual(failed, poison, 'exactly the poison items failed');
      for (const i of poison) assert.equal(got[i].valid, false);
      const honest = got.filter((_, i) => !poison.includes(i));
      assert.equal(firstDifference(honest, want), -1, 'every honest caller got its real verdict');
      const m = pool.metrics();
      assert.equal(m.batches.verify, 1);
      // Each chunk: 2 whole runs, then one trap per level down to the item: at most 2 + ceil(log2 31).
      assert.ok(m.traps >= 2 * (2 + 4) && m.traps <= 2 * (2 + 5), `traps: ${m.traps}`);
      assert.equal(m.retries, 2 + 2 * m.splits, 'one whole retry per chunk, two runs per split');
      assert.equal(m.chunks, 2 + m.retries);
      assert.equal(m.errors.WORKER_FAILED, 2);
      assert.equal(m.restarts.crash ?? 0, 0, 'workers reset in place');
      assert.equal(m.workers.live, 2);
      // The workers go on.
      assert.equal(firstDifference(await pool.verifyBatch(w.inputs, w.options), want), -1);
    } finally {
      await pool.close();
    }
  }],
];
