// Keys, raw Ed25519, did:key, JWK, hashing and error handling through the public API.

import { assert, hex, fromHex } from '../lib/assert.mjs';

const TEST1_SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const TEST1_PK = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const TEST1_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

/** RFC 7515 appendix A.3: the P-256 key of the ES256 example (d, x, y base64url). */
const A3 = {
  d: '8e9b109e719098bf980487df1f5d77e9cb29606ebed2263b5f57c213df84f4b2',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

export const tests = [
  ['RFC 8032 TEST 1 through the API', (c) => {
    const pair = c.keyPairFromSeed(TEST1_SEED);
    assert.equal(hex(pair.publicKey), TEST1_PK);
    assert.equal(hex(pair.secretKey), hex(TEST1_SEED));
    const sig = c.sign(new Uint8Array(0), pair.secretKey);
    assert.equal(hex(sig), TEST1_SIG);
    assert.equal(c.verify(new Uint8Array(0), sig, pair.publicKey), true);
    assert.equal(c.verify(new Uint8Array([0]), sig, pair.publicKey), false);
  }],
  ['RFC 8037 A.3 thumbprint and JWK round trip', (c) => {
    const pair = c.keyPairFromSeed(TEST1_SEED);
    assert.deepEqual(pair.publicJwk, { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
    assert.equal(c.jwkThumbprint(pair.publicKey), 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    assert.equal(c.jwkThumbprint(pair.publicJwk), 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    assert.deepEqual(c.publicKeyFromJwk(pair.publicJwk), pair.publicKey);
    assert.deepEqual(c.publicKeyToJwk(pair.publicKey), pair.publicJwk);
    assert.throwsCode(() => c.publicKeyFromJwk({ kty: 'EC', crv: 'P-256', x: 'AA' }), 'UNSUPPORTED_ALGORITHM');
    assert.throwsCode(() => c.publicKeyFromJwk({ ...pair.publicJwk, d: 'secret' }), 'INVALID_KEY');
  }],
  ['did:key vector and strict parsing', (c) => {
    const pair = c.keyPairFromSeed(new Uint8Array(32));
    assert.equal(pair.did, 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp');
    assert.equal(pair.kid, `${pair.did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp`);
    assert.equal(c.didFromPublicKey(pair.publicKey), pair.did);
    assert.deepEqual(c.publicKeyFromDid(pair.did), pair.publicKey);
    for (const bad of ['', 'did:web:example.com', `${pair.did}#frag`, 'did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc', 'did:key:zzzz']) {
      assert.throwsCode(() => c.publicKeyFromDid(bad), 'INVALID_DID');
    }
    assert.throwsCode(() => c.publicKeyFromDid(42), 'MALFORMED_INPUT', 'did');
  }],
  ['generated keys differ and sign', (c) => {
    const a = c.generateKeyPair();
    const b = c.generateKeyPair();
    assert.notEqual(a.did, b.did);
    assert.equal(a.publicKey.length, 32);
    assert.equal(a.secretKey.length, 32);
    assert.equal(c.verify('msg', c.sign('msg', a.secretKey), a.publicKey), true);
    assert.equal(c.verify('msg', c.sign('msg', a.secretKey), b.publicKey), false);
  }],
  ['verifySignatures marks exactly the bad items', (c) => {
    const pairs = [c.generateKeyPair(), c.generateKeyPair(), c.generateKeyPair()];
    const items = [];
    for (let i = 0; i < 300; i++) {
      const p = pairs[i % 3];
      const message = `message ${i}`;
      items.push({ message, signature: c.sign(message, p.secretKey), publicKey: p.publicKey });
    }
    const bad = new Set([0, 7, 150, 151, 299]);
    for (const i of bad) {
      const s = items[i].signature.slice();
      s[i % 64] ^= 0x10;
      items[i] = { ...items[i], signature: s };
    }
    items[42] = { ...items[42], message: 'another message' };
    bad.add(42);
    const got = c.verifySignatures(items);
    assert.equal(got.length, 300);
    got.forEach((v, i) => assert.equal(v, !bad.has(i), `item ${i}`));
    got.forEach((v, i) => assert.equal(v, c.verify(items[i].message, items[i].signature, items[i].publicKey), `single ${i}`));
    assert.deepEqual(c.verifySignatures([]), []);
  }],
  ['strict policy: small-order key and S >= L are rejected', (c) => {
    const pair = c.generateKeyPair();
    const sig = c.sign('m', pair.secretKey);
    const identity = new Uint8Array(32);
    identity[0] = 1;
    assert.equal(c.verify('m', sig, identity), false);
    // S + L (the classic malleability): add L to S little-endian.
    const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
    const mall = sig.slice();
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const v = mall[32 + i] + L[i] + carry;
      mall[32 + i] = v & 0xff;
      carry = v >> 8;
    }
    assert.equal(c.verify('m', mall, pair.publicKey), false);
    assert.equal(c.verify('m', sig, pair.publicKey), true);
  }],
  ['hash and hashBatch', (c) => {
    assert.equal(hex(c.hash('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hex(c.hash(new TextEncoder().encode('abc'), 'sha-384')),
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7');
    assert.equal(c.hash('abc', 'sha-512').length, 64);
    const batch = c.hashBatch(['abc', '', 'x'], 'sha-256');
    assert.equal(batch.length, 3);
    assert.equal(hex(batch[0]), hex(c.hash('abc')));
    assert.equal(hex(batch[1]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.throwsCode(() => c.hash('abc', 'md5'), 'UNSUPPORTED_ALGORITHM');
    assert.deepEqual(c.hashBatch([]), []);
  }],
  ['bad input gets codes and the module keeps working', (c) => {
    const pair = c.generateKeyPair();
    const sig = c.sign('m', pair.secretKey);
    assert.throwsCode(() => c.verify('m', sig.subarray(0, 63), pair.publicKey), 'MALFORMED_INPUT', 'signature');
    assert.throwsCode(() => c.verify('m', sig, pair.publicKey.subarray(1)), 'MALFORMED_INPUT', 'publicKey');
    assert.throwsCode(() => c.verify(42, sig, pair.publicKey), 'MALFORMED_INPUT', 'message');
    assert.throwsCode(() => c.verify('m', 'not bytes', pair.publicKey), 'MALFORMED_INPUT', 'signature');
    assert.throwsCode(() => c.sign('m', new Uint8Array(31)), 'MALFORMED_INPUT', 'secretKey');
    assert.throwsCode(() => c.keyPairFromSeed('seed'), 'MALFORMED_INPUT', 'seed');
    assert.throwsCode(() => c.verifySignatures('nope'), 'MALFORMED_INPUT');
    assert.throwsCode(() => c.verifySignatures([null]), 'MALFORMED_INPUT', '[0]');
    assert.throwsCode(() => c.verifySignatures([{ message: 'm', signature: sig, publicKey: 5 }]), 'MALFORMED_INPUT', '[0].publicKey');
    assert.throwsCode(() => c.verifySignatures([{ message: 'm', signature: sig.subarray(2), publicKey: pair.publicKey }]), 'MALFORMED_INPUT', '[0].signature');
    const big = new Uint8Array(50 * 1024 * 1024);
    assert.throwsCode(() => c.hash(big), 'INPUT_TOO_LARGE');
    assert.throwsCode(() => c.verify(big, sig, pair.publicKey), 'INPUT_TOO_LARGE');
    assert.throwsCode(() => c.sign(big, pair.secretKey), 'INPUT_TOO_LARGE');
    // Still working after every error above.
    assert.equal(c.verify('m', sig, pair.publicKey), true);
    assert.deepEqual(c.verifySignatures([{ message: 'm', signature: sig, publicKey: pair.publicKey }]), [true]);
  }],
  ['CredcoreError is a real class with stable codes', (c) => {
    const err = assert.throwsCode(() => c.publicKeyFromDid('x'), 'INVALID_DID');
    assert.ok(err instanceof c.CredcoreError, 'instanceof CredcoreError');
    assert.ok(err instanceof Error, 'instanceof Error');
    const codes = c.errorCodes();
    for (const code of ['MALFORMED_INPUT', 'INVALID_SIGNATURE', 'PAYLOAD_MISMATCH', 'STATUS_UNAVAILABLE', 'KEY_BINDING_INVALID']) {
      assert.ok(codes.includes(code), code);
    }
  }],
  ['ECDSA key pairs: RFC 7515 A.3 key, did:key, JWK; ES256 and ES384 issue and verify in this runtime', (c) => {
    const a3 = c.keyPairFromSeed(fromHex(A3.d), { alg: 'ES256' });
    assert.deepEqual(a3.publicJwk, { crv: 'P-256', kty: 'EC', x: A3.x, y: A3.y });
    assert.equal(a3.alg, 'ES256');
    assert.equal(a3.publicKey.length, 33);
    assert.ok(a3.did.startsWith('did:key:zDn'), a3.did);
    assert.equal(c.jwkThumbprint(a3.publicJwk), c.jwkThumbprint({ kty: 'EC', crv: 'P-256', x: A3.x, y: A3.y, kid: 'ignored' }));
    const ed = c.generateKeyPair();
    assert.equal(ed.alg, 'EdDSA');
    const items = [];
    for (const alg of ['ES256', 'ES384']) {
      const issuer = c.generateKeyPair({ alg });
      assert.equal(issuer.secretKey.length, alg === 'ES256' ? 32 : 48);
      assert.deepEqual(c.keyPairFromSeed(issuer.secretKey, { alg }), issuer);
      items.push(c.issueCredential({ credentialSubject: { id: ed.did, alg } }, { issuer, format: 'vc-jwt' }));
    }
    items.push(c.issueCredential({ credentialSubject: { id: ed.did } }, { issuer: a3, format: 'vc-jwt' }));
    items.push(c.issueCredential({ credentialSubject: { id: ed.did } }, { issuer: ed, format: 'vc-jwt' }));
    // RFC 6979: the A.3 key signs deterministically.
    assert.equal(c.issueCredential({ id: 'urn:x', issuanceDate: '2025-01-01T00:00:00Z', credentialSubject: { id: ed.did } }, { issuer: a3, now: 1.75e12 }),
      c.issueCredential({ id: 'urn:x', issuanceDate: '2025-01-01T00:00:00Z', credentialSubject: { id: ed.did } }, { issuer: a3, now: 1.75e12 }));
    const results = c.verifyBatch(items);
    assert.deepEqual(results.map((r) => r.errors), [[], [], [], []]);
    // A flipped ECDSA signature fails next to valid items; the algorithms option narrows.
    const [h, p, sig] = items[0].split('.');
    const flipped = `${h}.${p}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    assert.deepEqual(c.verifyBatch([items[3], flipped, items[1]]).map((r) => r.valid), [true, false, true]);
    assert.deepEqual(c.verifyBatch(items, { algorithms: ['EdDSA'] }).map((r) => r.valid), [false, false, false, true]);
    assert.throwsCode(() => c.generateKeyPair({ alg: 'HS256' }), 'UNSUPPORTED_ALGORITHM');
    assert.throwsCode(() => c.keyPairFromSeed(new Uint8Array(32), { alg: 'ES256' }), 'INVALID_KEY');
  }],
];
