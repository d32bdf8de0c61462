// Canonical JSON, HMAC and the audit log through the public API.

import { assert, hex } from '../lib/assert.mjs';

const key1 = new Uint8Array(32).fill(1);
const key2 = new Uint8Array(32).fill(2);
const clone = (x) => JSON.parse(JSON.stringify(x));

export const tests = [
  ['canonicalize follows RFC 8785', (c) => {
    assert.equal(c.canonicalize({ b: 1, a: [1e21, 'x', -0, 1.5e-7] }), '{"a":[1e+21,"x",0,1.5e-7],"b":1}');
    // Keys sort by UTF-16 code units: U+FB33 sorts after U+1F600 (surrogates 0xD83D...) there,
    // though before it by code point.
    assert.equal(c.canonicalize({ '\ufb33': 1, '\ud83d\ude00': 2, a: 3 }), '{"a":3,"\ud83d\ude00":2,"\ufb33":1}');
    assert.equal(c.canonicalize('\u0001\n"'), '"\\u0001\\n\\""');
    assert.throwsCode(() => c.canonicalize(undefined), 'MALFORMED_INPUT');
  }],
  ['HMAC-SHA-256: RFC 4231 test case 2, batch equals single', (c) => {
    const mac = c.hmacSha256(new TextEncoder().encode('Jefe'), 'what do ya want for nothing?');
    assert.equal(hex(mac), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const batch = c.hmacBatch(key1, ['a', 'b', new Uint8Array([1, 2])]);
    assert.equal(batch.length, 3);
    assert.equal(hex(batch[1]), hex(c.hmacSha256(key1, 'b')));
  }],
  ['audit log: append, verify, tamper, rotate, checkpoint, JSONL', (c) => {
    const log = new c.AuditLog({ hmacKey: key1, keyId: 'k1' });
    const first = log.append([{ action: 'verify', n: 1 }, { action: 'verify', n: 2 }]);
    log.rotate(key2, 'k2');
    const second = log.append([{ action: 'revoke', n: 3 }]);
    const entries = [...first, ...second];
    assert.deepEqual(entries.map((e) => [e.seq, e.keyId]), [[0, 'k1'], [1, 'k1'], [2, 'k2']]);
    assert.equal(entries[1].prevHash, entries[0].hash);
    const keys = { k1: key1, k2: key2 };
    assert.deepEqual(c.AuditLog.verify(entries, keys), { valid: true, checked: 3, firstInvalid: null, reason: null });

    const modified = clone(entries);
    modified[1].event.n = 99;
    assert.deepEqual(c.AuditLog.verify(modified, keys), { valid: false, checked: 1, firstInvalid: 1, reason: 'modified' });
    assert.equal(c.AuditLog.verify([entries[0], entries[2]], keys).reason, 'deleted');
    assert.equal(c.AuditLog.verify([entries[1], entries[0], entries[2]], keys).reason, 'reordered');
    const badMac = clone(entries);
    badMac[2].mac = '0'.repeat(64);
    assert.equal(c.AuditLog.verify(badMac, keys).reason, 'bad_mac');
    assert.equal(c.AuditLog.verify(entries, { k1: key1 }).reason, 'unknown_key');

    const signer = c.generateKeyPair();
    const checkpoint = log.checkpoint(signer);
    assert.equal(checkpoint.count, 3);
    assert.equal(c.AuditLog.verifyWithCheckpoint(entries, keys, checkpoint, signer.did).valid, true);
    const cut = c.AuditLog.verifyWithCheckpoint(entries.slice(0, 2), keys, checkpoint, signer.did);
    assert.deepEqual([cut.valid, cut.reason], [false, 'truncated']);
    assert.equal(c.AuditLog.verifyWithCheckpoint(entries, keys, checkpoint, c.generateKeyPair().did).reason, 'bad_checkpoint');

    const jsonl = c.AuditLog.toJsonl(entries);
    assert.equal(jsonl.split('\n').length, 4);
    assert.deepEqual(c.AuditLog.fromJsonl(jsonl), entries);
    assert.throwsCode(() => c.AuditLog.fromJsonl('{"seq":0}\n'), 'MALFORMED_INPUT');

    const resumed = new c.AuditLog({ hmacKey: key2, keyId: 'k2', head: log.head() });
    const more = resumed.append([{ action: 'verify', n: 4 }]);
    assert.equal(more[0].seq, 3);
    assert.equal(c.AuditLog.verify([...entries, ...more], keys).valid, true);
    assert.equal(c.AuditLog.verifyFrom(log.head(), more, keys).valid, true);
    log.free();
    resumed.free();
  }],
  ['audit log: entries carry the events given, chain and verify', (c) => {
    const log = new c.AuditLog({ hmacKey: key1, keyId: 'k1' });
    const event = { b: [1e21, 'é\u2028"'], a: { y: null, x: -0 } };
    const entries = log.append([event, undefined, 'text']);
    assert.ok(entries[0].event === event, 'the event object given');
    assert.equal(entries[1].event, null);
    assert.deepEqual(entries.map((e) => [e.seq, e.keyId, typeof e.time]), [[0, 'k1', 'number'], [1, 'k1', 'number'], [2, 'k1', 'number']]);
    assert.equal(entries[0].prevHash, '0'.repeat(64));
    assert.equal(entries[2].prevHash, entries[1].hash);
    assert.ok(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && /^[0-9a-f]{64}$/.test(e.mac)), 'hex hashes and MACs');
    assert.deepEqual(c.AuditLog.verify(entries, { k1: key1 }), { valid: true, checked: 3, firstInvalid: null, reason: null });
    // hash = SHA-256(prevHash || seq || time || len(keyId) || keyId || canonical(event)), as documented.
    const canonical = new TextEncoder().encode(c.canonicalize({ a: { x: 0, y: null }, b: [1e21, 'é\u2028"'] }));
    const pre = new Uint8Array(32 + 8 + 8 + 4 + 2 + canonical.length);
    const view = new DataView(pre.buffer);
    view.setBigUint64(40, BigInt(entries[0].time));
    view.setUint32(48, 2);
    pre.set([0x6b, 0x31], 52);
    pre.set(canonical, 54);
    assert.equal(hex(c.hash(pre)), entries[0].hash);
    assert.equal(hex(c.hmacSha256(key1, c.hash(pre))), entries[0].mac);
    // JSON.stringify writes a lone surrogate as an escape, which I-JSON refuses; nothing is appended.
    assert.throwsCode(() => log.append([{ ok: 1 }, { bad: '\ud800' }]), 'MALFORMED_INPUT');
    assert.equal(log.head().count, 3);
    log.free();
  }],
  ['audit log rejects bad input with codes', (c) => {
    assert.throwsCode(() => new c.AuditLog({ hmacKey: 'k', keyId: 'k1' }), 'MALFORMED_INPUT', 'hmacKey');
    assert.throwsCode(() => new c.AuditLog({ hmacKey: new Uint8Array(4), keyId: 'k1' }), 'MALFORMED_INPUT');
    const log = new c.AuditLog({ hmacKey: key1, keyId: 'k1' });
    assert.throwsCode(() => log.append('x'), 'MALFORMED_INPUT');
    let deep = {};
    for (let i = 0; i < 200; i++) deep = { d: deep };
    assert.throwsCode(() => log.append([deep]), 'INPUT_TOO_LARGE');
    assert.equal(log.append([{ ok: true }]).length, 1);
  }],
];
