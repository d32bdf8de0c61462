// The Ed25519 batch's per-key fixed-base tables, through the package: a key's table is built by
// one call (a run of its signatures verified alone) and kept for later calls, on the main thread
// and in a pool worker. Verdicts with the tables kept must be what `verify` says of each item.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from 'credcore';

const enc = new TextEncoder();

/** `n` items under `pairs` (taking turns), those at `forged(i)` signed over another message. */
function items(pairs, n, tag, forged) {
  return Array.from({ length: n }, (_, i) => {
    const pair = pairs[i % pairs.length];
    const message = enc.encode(`${tag} ${i}`);
    const signed = forged(i) ? enc.encode(`another ${tag} ${i}`) : message;
    return { message, signature: c.sign(signed, pair.secretKey), publicKey: pair.publicKey };
  });
}

const oneByOne = (xs) => xs.map((x) => c.verify(x.message, x.signature, x.publicKey));

test('verdicts with key tables built by an earlier call are verify\'s, in the main thread and in a pool worker', async () => {
  const pairs = Array.from({ length: 3 }, () => c.generateKeyPair());
  // All forged under one key: verified one by one, which builds that key's table.
  const allForged = items(pairs.slice(0, 1), 300, 'all forged', () => true);
  assert.deepEqual(c.verifySignatures(allForged), allForged.map(() => false));
  // Later calls under that key and two others, with forgeries at several shares and a signature
  // whose last byte is flipped (S no longer canonical or no longer right).
  for (const [tag, forged] of [
    ['one in a hundred', (i) => i % 100 === 7],
    ['one in ten', (i) => i % 10 === 3],
    ['half', (i) => i % 2 === 0],
    ['none', () => false],
  ]) {
    const xs = items(pairs, 900, tag, forged);
    xs[5] = { ...xs[5], signature: Uint8Array.from(xs[5].signature, (b, at) => (at === 63 ? b ^ 0x80 : b)) };
    const expected = oneByOne(xs);
    assert.equal(expected.filter((v) => !v).length, xs.filter((_, i) => forged(i) || i === 5).length, tag);
    assert.deepEqual(c.verifySignatures(xs), expected, `main thread, ${tag}`);
    // Twice: the second call finds every table the first built.
    assert.deepEqual(c.verifySignatures(xs), expected, `main thread again, ${tag}`);
  }
  const pool = await c.createPool({ workers: 1 });
  try {
    assert.deepEqual(await pool.verifySignatures(allForged), allForged.map(() => false));
    const xs = items(pairs, 900, 'pool', (i) => i % 10 === 3);
    const expected = oneByOne(xs);
    assert.deepEqual(await pool.verifySignatures(xs), expected, 'pool');
    assert.deepEqual(await pool.verifySignatures(xs), expected, 'pool again');
  } finally {
    await pool.close();
  }
});
