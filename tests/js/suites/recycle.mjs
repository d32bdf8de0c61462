// The memory bound of wasm instances (`maxInstanceMemory`, `setMaxInstanceMemory`) in Node and
// Chromium: with an instance recycled after every call, or after every chunk on the workers, the
// results are those of no recycling, the next call works, and each recycle is counted. Runs
// before containment and after the others: a recycle of this thread's instance makes earlier
// objects stale, as a trap does.

import { assert } from '../lib/assert.mjs';
import { mixedWorkload } from '../lib/workload.mjs';

const MiB = 1024 * 1024;

export const tests = [
  ['this thread: results with the instance recycled after every call equal results without', (c) => {
    const w = mixedWorkload(c, 70, { tag: 'recycle suite' });
    const options = { ...w.options, now: Date.now() };
    const previous = c.setMaxInstanceMemory(0);
    try {
      const reference = c.verifyBatch(w.inputs, options);
      c.setMaxInstanceMemory(MiB);
      // An AuditLog or SessionStore of an earlier suite not yet collected pins the instance (no
      // recycle under it); then only the results are compared (recycle.test.mjs has the counts).
      const { recycles, pinned } = c.instanceMemory();
      for (let round = 1; round <= 2; round++) {
        assert.deepEqual(c.verifyBatch(w.inputs, options), reference, `round ${round}`);
        if (pinned === 0) assert.equal(c.instanceMemory().recycles, recycles + round);
        else assert.ok(c.instanceMemory().recycles <= recycles + round);
      }
      assert.equal(c.hash('abc').length, 32);
    } finally {
      c.setMaxInstanceMemory(previous);
    }
    assert.equal(c.instanceMemory().maxBytes, previous);
  }],

  ['pool workers: results with every chunk recycling its instance equal results without, no worker replaced', async (c) => {
    const w = mixedWorkload(c, 70, { tag: 'recycle pool suite' });
    const options = { ...w.options, now: Date.now() };
    const plain = await c.createPool({ workers: 2, chunkSize: 16, maxInstanceMemory: 0 });
    const recycling = await c.createPool({ workers: 2, chunkSize: 16, maxInstanceMemory: MiB });
    try {
      const reference = await plain.verifyBatch(w.inputs, options);
      assert.deepEqual(await recycling.verifyBatch(w.inputs, options), reference);
      assert.deepEqual(await Promise.all(w.inputs.slice(0, 14).map((x) => recycling.verify(x, options))), reference.slice(0, 14));
      const m = recycling.metrics();
      assert.ok(m.memory.recycles >= Math.ceil(w.inputs.length / 16), `${m.memory.recycles} recycles`);
      assert.deepEqual(m.restarts, {});
      assert.equal(plain.metrics().memory.recycles, 0);
    } finally {
      await plain.close();
      await recycling.close();
    }
  }],
];
