// ECDSA and RSA arithmetic in the keys module (credcore_keys_bg.wasm): the default module keeps
// the policy (algorithms, keys, points on their curves, lengths) and asks the keys module, or the
// host (node:crypto, WebCrypto), to compute. In Node the keys module compiles itself when first
// needed (ECDSA keys sign there); in browsers the synchronous paths answer NOT_INITIALIZED naming
// `loadKeys()` until it is loaded, a Verifier keeps WebCrypto for P-256 and loads the keys module
// in its round for ES256K, and nothing is ever valid without a signature that verified. `before`
// runs ahead of every suite that loads the keys module, `after` once it is loaded.

import { assert } from '../lib/assert.mjs';

const codes = (r) => r.errors.map((e) => e.code);
const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const b64u = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const text = (s) => new TextEncoder().encode(s);

/** A VC-JWT signed with ES256 by WebCrypto (not by credcore), under a did:jwk issuer. */
async function webCryptoToken() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const did = `did:jwk:${b64u(text(JSON.stringify({ crv, kty, x, y })))}`;
  const header = b64u(text(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: `${did}#0` })));
  const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: 'did:example:holder' } };
  const payload = b64u(text(JSON.stringify({ iss: did, sub: 'did:example:holder', nbf: Math.floor(Date.now() / 1000) - 60, vc })));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, text(`${header}.${payload}`)));
  return `${header}.${payload}.${b64u(sig)}`;
}

/** The token with one signature byte changed (inside `r`). */
function tampered(token) {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
}

export const before = [
  ['ECDSA before the keys module: NOT_INITIALIZED naming loadKeys() on browsers\' synchronous paths, WebCrypto in a Verifier; Node computes at once', async (c) => {
    const token = await webCryptoToken();
    const forged = tampered(token);
    assert.notEqual(forged, token);
    const sync = [c.verifyCredential(token), c.verifyCredential(forged)];
    if (node) {
      assert.deepEqual(sync.map((r) => [r.valid, codes(r)]), [[true, []], [false, ['INVALID_SIGNATURE']]]);
      assert.equal(c.generateKeyPair({ alg: 'ES256' }).alg, 'ES256');
      return;
    }
    for (const r of sync) assert.deepEqual([r.valid, codes(r)], [false, ['NOT_INITIALIZED']]);
    assert.ok(/loadKeys\(\)/.test(sync[0].errors[0].message), sync[0].errors[0].message);
    assert.deepEqual(c.verifyBatch([token, forged, token]).map((r) => [r.valid, codes(r)]), [[false, ['NOT_INITIALIZED']], [false, ['NOT_INITIALIZED']], [false, ['NOT_INITIALIZED']]]);
    // Issuing with an ECDSA key needs the module too: a coded error, the module still working.
    assert.throwsCode(() => c.generateKeyPair({ alg: 'ES256' }), 'NOT_INITIALIZED');
    assert.throwsCode(() => c.keyPairFromSeed(new Uint8Array(48).fill(7), { alg: 'ES384' }), 'NOT_INITIALIZED');
    // Out of range is refused before any arithmetic, loaded or not.
    assert.throwsCode(() => c.keyPairFromSeed(new Uint8Array(32), { alg: 'ES256' }), 'INVALID_KEY');
    const ed = c.generateKeyPair();
    assert.equal(c.verifyCredential(c.issueCredential({ credentialSubject: { id: ed.did } }, { issuer: ed })).valid, true);
    // A Verifier settles P-256 with WebCrypto, without the keys module, cached and not.
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ cache: { results } });
      for (let round = 0; round < 2; round++) {
        const rs = await verifier.verifyBatch([token, forged]);
        assert.deepEqual(rs.map((r) => [r.valid, codes(r)]), [[true, []], [false, ['INVALID_SIGNATURE']]], `cache ${results}, round ${round}`);
      }
      verifier.free();
    }
    // ... and the synchronous paths still have no module (nothing loaded it).
    assert.deepEqual(codes(c.verifyCredential(token)), ['NOT_INITIALIZED']);
  }],
];

export const after = [
  ['ECDSA after loadKeys(): synchronous ES256/ES384/ES256K verify and issue in this runtime, tampered signatures and keys fail, WebCrypto tokens verify', async (c) => {
    await c.loadKeys();
    const token = await webCryptoToken();
    assert.deepEqual(c.verifyBatch([token, tampered(token)]).map((r) => [r.valid, codes(r)]), [[true, []], [false, ['INVALID_SIGNATURE']]]);
    const ed = c.generateKeyPair();
    const items = [];
    for (const alg of ['ES256', 'ES384', 'ES256K']) {
      const issuer = c.generateKeyPair({ alg });
      assert.equal(issuer.alg, alg);
      assert.deepEqual(c.keyPairFromSeed(issuer.secretKey, { alg }), issuer);
      items.push(c.issueCredential({ credentialSubject: { id: ed.did, alg } }, { issuer, format: 'vc-jwt' }));
    }
    const forged = items.map(tampered);
    assert.deepEqual(c.verifyBatch([...items, ...forged]).map((r) => [r.valid, codes(r)]), [
      [true, []], [true, []], [true, []],
      [false, ['INVALID_SIGNATURE']], [false, ['INVALID_SIGNATURE']], [false, ['INVALID_SIGNATURE']],
    ]);
    // A did:key whose point is off its curve is refused when it is read (no arithmetic needed).
    const ec = c.generateKeyPair({ alg: 'ES256' });
    const offCurve = { kty: 'EC', crv: 'P-256', x: ec.publicJwk.x, y: ec.publicJwk.y.slice(0, 10) + (ec.publicJwk.y[10] === 'A' ? 'B' : 'A') + ec.publicJwk.y.slice(11) };
    assert.throwsCode(() => c.jwkThumbprint(offCurve), 'INVALID_KEY');
    // A Verifier: ES256 through the host where it has one, ES256K through the keys module.
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ cache: { results } });
      for (let round = 0; round < 2; round++) {
        const rs = await verifier.verifyBatch([...items, ...forged, token]);
        assert.deepEqual(rs.map((r) => r.valid), [true, true, true, false, false, false, true], `cache ${results}, round ${round}`);
      }
      verifier.free();
    }
  }],
];
