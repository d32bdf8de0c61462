// x5c certificate chains through the keys module (credcore_keys_bg.wasm), loaded lazily: in Node
// it compiles itself on the first chain, in browsers the synchronous module functions answer
// NOT_INITIALIZED naming `loadKeys()` until it is loaded, and a Verifier loads it in its round.
// Never a pass without a validated chain: an anchor that issued nothing, and a chain whose
// certificate is altered, are refused on every path, before and after the load.

import { assert } from '../lib/assert.mjs';
import { FIXTURE } from './x5c-fixture.mjs';

const codes = (r) => r.errors.map((e) => e.code);
const opts = (anchor = FIXTURE.anchor) => ({ trustAnchors: [anchor], now: FIXTURE.now });
const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The token with one byte of its leaf certificate's signature changed. */
function altered() {
  const [h, p, s] = FIXTURE.token.split('.');
  const header = JSON.parse(atob(h.replace(/-/g, '+').replace(/_/g, '/')));
  const leaf = atob(header.x5c[0]);
  const bytes = Uint8Array.from(leaf, (ch) => ch.charCodeAt(0));
  bytes[bytes.length - 2] ^= 1;
  header.x5c[0] = btoa(String.fromCharCode(...bytes));
  const h2 = btoa(JSON.stringify(header)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${h2}.${p}.${s}`;
}

export const tests = [
  ['x5c: the keys module loads on demand (Node, a Verifier) and on request (loadKeys); refusals on every path', async (c) => {
    const refused = [[false, ['UNTRUSTED_CERTIFICATE']], [false, ['UNTRUSTED_CERTIFICATE']]];
    const sync = () => [c.verifyCredential(FIXTURE.token, opts()), c.verifyCredential(FIXTURE.token, opts(FIXTURE.otherAnchor)), c.verifyCredential(altered(), opts())];
    const before = sync().map((r) => [r.valid, codes(r)]);
    if (node) {
      assert.deepEqual(before, [[true, []], ...refused]);
    } else {
      // Browsers before the load: nothing is valid, and the code names what is missing.
      for (const [valid, got] of before) assert.deepEqual([valid, got], [false, ['NOT_INITIALIZED']]);
      const message = c.verifyCredential(FIXTURE.token, opts()).errors[0].message;
      assert.ok(/loadKeys\(\)/.test(message), message);
    }
    // A Verifier loads the module in its round (browsers), cached and not.
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ ...opts(), cache: { results } });
      for (let round = 0; round < 2; round++) {
        const rs = await verifier.verifyBatch([FIXTURE.token, altered()]);
        assert.deepEqual(rs.map((r) => [r.valid, codes(r)]), [[true, []], refused[1]], `results cache ${results}, round ${round}`);
        assert.equal(rs[0].issuer, FIXTURE.issuer);
      }
      verifier.free();
    }
    const other = new c.Verifier(opts(FIXTURE.otherAnchor));
    assert.deepEqual((await other.verifyBatch([FIXTURE.token])).map((r) => [r.valid, codes(r)]), [refused[0]]);
    other.free();
    await c.loadKeys();
    assert.deepEqual(sync().map((r) => [r.valid, codes(r)]), [[true, []], ...refused]);
    // Anchors that are not certificates fail the options once the module can tell.
    let thrown = null;
    try {
      new c.Verifier({ trustAnchors: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] });
    } catch (err) {
      thrown = err;
    }
    assert.deepEqual([thrown?.code, thrown?.path], ['MALFORMED_INPUT', 'options.trustAnchors[0]']);
  }],
];
