// Status lists through the public API: issue, allocate, set, sign, decode, describe.

import { assert } from '../lib/assert.mjs';

export const tests = [
  ['status lists of 1, 2, 4 and 8 bits read back what was written, in both formats', (c) => {
    const issuer = c.generateKeyPair();
    for (const format of ['ietf', 'w3c']) {
      for (const bits of format === 'ietf' ? [1, 2, 4, 8] : [1]) {
        const list = new c.StatusList({ format, uri: `https://issuer.example/status/${format}/${bits}`, size: 131072, bits, issuer });
        const max = (1 << bits) - 1;
        const written = new Map();
        for (let k = 0; k < 50; k++) {
          const idx = list.allocate();
          const value = (k % max) + 1;
          list.set(idx, value);
          written.set(idx, value);
        }
        const token = list.sign();
        const info = c.StatusList.describe(token);
        assert.equal(info.format, format);
        assert.equal(info.issuer, issuer.did);
        assert.equal(info.bits, bits);
        const decoded = c.StatusList.decode(token);
        for (const [idx, value] of written) assert.equal(decoded.get(idx), value, `${format}/${bits} entry ${idx}`);
        let zeros = 0;
        for (let i = 0; i < 2000; i++) if (!written.has(i) && decoded.get(i) === 0) zeros++;
        assert.equal(zeros, 2000 - [...written.keys()].filter((i) => i < 2000).length);
        list.free();
        decoded.free();
      }
    }
  }],
  ['decode, update and re-sign; tampered and foreign lists are refused', (c) => {
    const issuer = c.generateKeyPair();
    const list = new c.StatusList({ format: 'ietf', uri: 'https://issuer.example/status/9', size: 1000, bits: 2, issuer });
    list.set(5, 2);
    const token = list.sign();
    const update = c.StatusList.decode(token, { issuer });
    assert.equal(update.get(5), 2);
    update.set(5, 0);
    update.set(6, 1);
    const next = c.StatusList.decode(update.sign());
    assert.deepEqual([next.get(5), next.get(6)], [0, 1]);
    // An allocation never hands out an index that is already set.
    for (let i = 0; i < 200; i++) assert.notEqual(update.allocate(), 6);
    const [h, p, s] = token.split('.');
    const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    assert.throwsCode(() => c.StatusList.decode(flipped), 'INVALID_STATUS_LIST');
    assert.throwsCode(() => c.StatusList.decode('not a jwt'), 'INVALID_STATUS_LIST');
    assert.throwsCode(() => new c.StatusList({ format: 'w3c', uri: 'https://x.example/s', size: 1000 }), 'MALFORMED_INPUT');
    assert.throwsCode(() => list.set(5, 4), 'MALFORMED_INPUT');
    assert.throwsCode(() => list.set(1000, 1), 'MALFORMED_INPUT');
    assert.throwsCode(() => new c.StatusList({ format: 'ietf', uri: 'u', size: 8 }).sign(), 'MALFORMED_INPUT');
  }],
];
