// x5c certificate chains to trustAnchors, with chains built by @peculiar/x509 over WebCrypto
// (ES256, ES384, RSA PKCS#1 v1.5 and PSS), VC-JWTs signed by jose and SD-JWT VCs issued by
// @sd-jwt/sd-jwt-vc 0.19 with the chain in their header; verified through the module functions,
// a Verifier (uncached and cached: an expired chain is never served from cache), and the pool.
// Refusals: validity, CA:false, pathLen, keyUsage, unknown anchor, bad signatures, SAN/iss,
// 100 certificates, garbage DER, unknown critical extensions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import * as x509 from '@peculiar/x509';
import * as jose from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as credcore from 'credcore';
import { inPage } from './lib/page.mjs';

x509.cryptoProvider.set(globalThis.crypto);
const subtle = globalThis.crypto.subtle;

const NOW_S = 1_750_000_000;
const NOW_MS = NOW_S * 1000;
const DAY = 86_400_000;
const ISS = 'https://issuer.example.com';
const HOST = 'issuer.example.com';

const ALGS = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32, publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
};

const keyCache = new Map();
async function keysFor(alg, slot) {
  const id = `${alg}/${slot}`;
  if (!keyCache.has(id)) keyCache.set(id, await subtle.generateKey(ALGS[alg], true, ['sign', 'verify']));
  return keyCache.get(id);
}

let serial = 1;
/** One certificate: `keys` certified by `issuer` ({ name, keys, alg }), or self-signed. */
async function certificate({ name, keys, alg, issuer, ca = false, pathLen, keyUsage, san, notBefore = NOW_MS - DAY, notAfter = NOW_MS + 30 * DAY, extra = [] }) {
  const usage = keyUsage ?? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature);
  const extensions = [new x509.BasicConstraintsExtension(ca, pathLen, true), new x509.KeyUsagesExtension(usage, true), ...extra];
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  const signer = issuer ?? { name, keys, alg };
  return x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(4, '0'),
    subject: name,
    issuer: signer.name,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    signingAlgorithm: ALGS[signer.alg],
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    extensions,
  });
}

/** Root -> intermediate -> leaf, each part adjustable; returns the x5c (leaf first), the root's PEM and the leaf key. */
async function chain({ alg = 'ES256', rootAlg = alg, leaf = {}, inter = {}, root = {}, depth = 1 } = {}) {
  const rootKeys = await keysFor(rootAlg, 'root');
  const rootCert = await certificate({ name: 'CN=Test Root', keys: rootKeys, alg: rootAlg, ca: true, ...root });
  let issuer = { name: 'CN=Test Root', keys: rootKeys, alg: rootAlg };
  const intermediates = [];
  for (let i = 0; i < depth; i++) {
    const keys = await keysFor(rootAlg, `inter${i}`);
    const name = `CN=Test Intermediate ${i}`;
    intermediates.unshift(await certificate({ name, keys, alg: rootAlg, issuer, ca: true, ...inter }));
    issuer = { name, keys, alg: rootAlg };
  }
  const leafKeys = await keysFor(alg, 'leaf');
  const leafCert = await certificate({ name: 'CN=Issuer', keys: leafKeys, alg, issuer, san: [{ type: 'dns', value: HOST }], ...leaf });
  const x5c = [leafCert, ...intermediates].map((c) => c.toString('base64'));
  return { x5c, anchor: rootCert.toString('pem'), rootCert, leafKeys, leafCert };
}

function vcPayload(iss = ISS) {
  return {
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential'],
      credentialSubject: { id: 'did:example:holder', name: 'Ada' },
    },
    iss,
    sub: 'did:example:holder',
    nbf: NOW_S - 10,
    exp: NOW_S + 7 * 86_400,
  };
}

async function joseVc({ alg = 'ES256', x5c, privateKey, iss = ISS, header = {} }) {
  return new jose.SignJWT(vcPayload(iss)).setProtectedHeader({ alg, typ: 'JWT', x5c, ...header }).sign(privateKey);
}

const codes = (r) => r.errors.map((e) => e.code);
const opts = (anchor, extra = {}) => ({ trustAnchors: [anchor], now: NOW_MS, ...extra });

test('jose VC-JWTs with x5c chains verify to their anchor, for ES256, ES384, RS256 and PS256', async () => {
  for (const alg of Object.keys(ALGS)) {
    const c = await chain({ alg });
    const token = await joseVc({ alg, x5c: c.x5c, privateKey: c.leafKeys.privateKey });
    const r = credcore.verifyCredential(token, opts(c.anchor));
    assert.deepEqual(codes(r), [], `${alg}: ${JSON.stringify(r.errors)}`);
    assert.equal(r.valid, true);
    assert.equal(r.issuer, ISS);
    // Without trustAnchors the x5c is an unverified header: the key is unavailable.
    assert.deepEqual(codes(credcore.verifyCredential(token, { now: NOW_MS })), ['KEY_UNAVAILABLE'], alg);
    // The anchor as base64 DER works too, and the anchor may travel in the chain.
    assert.equal(credcore.verifyCredential(token, opts(c.rootCert.toString('base64'))).valid, true, alg);
    const withRoot = await joseVc({ alg, x5c: [...c.x5c, c.rootCert.toString('base64')], privateKey: c.leafKeys.privateKey });
    assert.equal(credcore.verifyCredential(withRoot, opts(c.anchor)).valid, true, alg);
  }
  // An RSA root over an ECDSA leaf, and a VC-JOSE (vc+jwt) credential.
  const mixed = await chain({ alg: 'ES256', rootAlg: 'RS256' });
  assert.equal(credcore.verifyCredential(await joseVc({ x5c: mixed.x5c, privateKey: mixed.leafKeys.privateKey }), opts(mixed.anchor)).valid, true);
  const c = await chain();
  const jose2 = await new jose.SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: ISS,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:holder' },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', x5c: c.x5c })
    .sign(c.leafKeys.privateKey);
  const r = credcore.verifyCredential(jose2, opts(c.anchor));
  assert.deepEqual(codes(r), []);
  assert.equal(r.format, 'vc-jose');
});

test('chains that RFC 5280 refuses are refused, with the certificate at fault', async () => {
  const cases = [
    ['expired leaf', { leaf: { notAfter: NOW_MS - 1000 } }, 'CERTIFICATE_EXPIRED', 'header.x5c[0]'],
    ['not-yet-valid leaf', { leaf: { notBefore: NOW_MS + DAY } }, 'CERTIFICATE_NOT_YET_VALID', 'header.x5c[0]'],
    ['expired intermediate', { inter: { notAfter: NOW_MS - 1000 } }, 'CERTIFICATE_EXPIRED', 'header.x5c[1]'],
    ['CA:false intermediate', { inter: { ca: false, keyUsage: x509.KeyUsageFlags.keyCertSign } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[1]'],
    ['intermediate without keyCertSign', { inter: { keyUsage: x509.KeyUsageFlags.digitalSignature } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[1]'],
    ['leaf without digitalSignature', { leaf: { keyUsage: x509.KeyUsageFlags.keyEncipherment } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[0]'],
    ['pathLen 0 with two intermediates', { depth: 2, inter: { pathLen: 0 } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[2]'],
    ['SAN of another host', { leaf: { san: [{ type: 'dns', value: 'other.example.com' }] } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[0]'],
    ['no SAN', { leaf: { san: undefined } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[0]'],
    ['unknown critical extension', { leaf: { extra: [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]))] } }, 'UNTRUSTED_CERTIFICATE', 'header.x5c[0]'],
  ];
  for (const [name, shape, code, path] of cases) {
    const c = await chain(shape);
    const token = await joseVc({ x5c: c.x5c, privateKey: c.leafKeys.privateKey });
    const r = credcore.verifyCredential(token, opts(c.anchor));
    assert.deepEqual(r.errors.map((e) => [e.code, e.path]), [[code, path]], name);
    assert.equal(r.valid, false, name);
    assert.equal(r.claims ?? null, null, name);
  }
  // pathLen 1 allows the two intermediates; a URI SAN equal to iss names it.
  const ok = await chain({ depth: 2, inter: { pathLen: 1 } });
  assert.equal(credcore.verifyCredential(await joseVc({ x5c: ok.x5c, privateKey: ok.leafKeys.privateKey }), opts(ok.anchor)).valid, true);
  const uri = await chain({ leaf: { san: [{ type: 'url', value: 'did:web:issuer.example.com' }] } });
  const didIssued = await joseVc({ x5c: uri.x5c, privateKey: uri.leafKeys.privateKey, iss: 'did:web:issuer.example.com' });
  assert.equal(credcore.verifyCredential(didIssued, opts(uri.anchor)).valid, true);
  const c = await chain();
  const good = await joseVc({ x5c: c.x5c, privateKey: c.leafKeys.privateKey });
  // Another root.
  const other = await certificate({ name: 'CN=Test Root', keys: await keysFor('ES256', 'other-root'), alg: 'ES256', ca: true });
  assert.deepEqual(codes(credcore.verifyCredential(good, opts(other.toString('pem')))), ['UNTRUSTED_CERTIFICATE']);
  // A bad signature anywhere: the leaf's JWS, a certificate's signature.
  const other256 = await keysFor('ES256', 'intruder');
  assert.deepEqual(codes(credcore.verifyCredential(await joseVc({ x5c: c.x5c, privateKey: other256.privateKey }), opts(c.anchor))), ['INVALID_SIGNATURE']);
  for (const i of [0, 1]) {
    const der = Buffer.from(c.x5c[i], 'base64');
    der[der.length - 3] ^= 1;
    const x5c = c.x5c.map((s, j) => (j === i ? der.toString('base64') : s));
    const r = credcore.verifyCredential(await joseVc({ x5c, privateKey: c.leafKeys.privateKey }), opts(c.anchor));
    assert.deepEqual(r.errors.map((e) => [e.code, e.path]), [['UNTRUSTED_CERTIFICATE', `header.x5c[${i}]`]], `tampered x5c[${i}]`);
  }
  // An alg that does not fit the leaf's key (an ES384 JWS from a P-256 leaf).
  const p384 = await keysFor('ES384', 'leaf');
  const misfit = await joseVc({ alg: 'ES384', x5c: c.x5c, privateKey: p384.privateKey });
  assert.deepEqual(codes(credcore.verifyCredential(misfit, opts(c.anchor))), ['INVALID_SIGNATURE']);
  // A leaf pinned as its own anchor is accepted (the caller pinned that certificate).
  assert.equal(credcore.verifyCredential(await joseVc({ x5c: c.x5c.slice(0, 1), privateKey: c.leafKeys.privateKey }), opts(c.leafCert.toString('pem'))).valid, true);
  // The leaf alone: its issuer (the intermediate) is no anchor.
  assert.deepEqual(codes(credcore.verifyCredential(await joseVc({ x5c: c.x5c.slice(0, 1), privateKey: c.leafKeys.privateKey }), opts(c.anchor))), ['UNTRUSTED_CERTIFICATE']);
  // 100 certificates, garbage DER, another shape.
  const hundred = await joseVc({ x5c: Array(100).fill(c.x5c[1]), privateKey: c.leafKeys.privateKey });
  assert.deepEqual(codes(credcore.verifyCredential(hundred, opts(c.anchor))), ['INPUT_TOO_LARGE']);
  for (const x5c of [['AAAA'], ['MIIB'], 'x', [], [c.x5c[0].replaceAll('+', '-')]]) {
    const r = credcore.verifyCredential(await joseVc({ x5c, privateKey: c.leafKeys.privateKey }), opts(c.anchor));
    assert.equal(r.valid, false, JSON.stringify(x5c).slice(0, 40));
    assert.ok(['MALFORMED_INPUT', 'UNTRUSTED_CERTIFICATE'].includes(r.errors[0].code), r.errors[0].code);
  }
  // The module keeps working, and a bad anchor fails the call with its path.
  assert.equal(credcore.verifyCredential(good, opts(c.anchor)).valid, true);
  assert.throws(() => credcore.verifyCredential(good, opts('not a certificate')), (e) => e.code === 'MALFORMED_INPUT' && /trustAnchors\[0\]/.test(e.path ?? e.message));
  // issuerKeys for the issuer come first: the x5c is then not consulted.
  const jwk = await subtle.exportKey('jwk', (await keysFor('ES256', 'intruder')).publicKey);
  assert.deepEqual(codes(credcore.verifyCredential(good, opts(c.anchor, { issuerKeys: { [ISS]: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } } }))), ['INVALID_SIGNATURE']);
});

test('a Verifier validates a chain once per batch, and never serves it past its notAfter', async () => {
  const notAfter = NOW_MS + 2 * DAY;
  const c = await chain({ leaf: { notAfter } });
  const tokens = [];
  for (let i = 0; i < 50; i++) {
    const p = { ...vcPayload(), jti: `urn:uuid:${i}` };
    tokens.push(await new jose.SignJWT(p).setProtectedHeader({ alg: 'ES256', x5c: c.x5c }).sign(c.leafKeys.privateKey));
  }
  const v = new credcore.Verifier({ trustAnchors: [c.anchor], cache: { results: 1000 } });
  const first = await v.verifyBatch(tokens, { now: NOW_MS });
  assert.ok(first.every((r) => r.valid), JSON.stringify(first[0].errors));
  const s = v.stats().certificateChains;
  assert.equal(s.misses, 1, JSON.stringify(s));
  assert.equal(s.hits, 49, JSON.stringify(s));
  // Cached results: still valid before notAfter.
  assert.ok((await v.verifyBatch(tokens, { now: NOW_MS + DAY })).every((r) => r.valid));
  // After notAfter: neither the cached results nor the cached chain are served.
  const late = await v.verifyBatch(tokens, { now: notAfter + 1000 });
  assert.ok(late.every((r) => codes(r).join() === 'CERTIFICATE_EXPIRED'), JSON.stringify(late[0].errors));
  // A clock set back before the chain's notBefore does not get it from cache either.
  const early = await v.verifyBatch(tokens.slice(0, 1), { now: NOW_MS - 2 * DAY });
  // (the credential's own nbf says not yet too)
  assert.deepEqual(codes(early[0]), ['CERTIFICATE_NOT_YET_VALID', 'NOT_YET_VALID']);
  // Another anchor set is another cache key.
  const other = await certificate({ name: 'CN=Test Root', keys: await keysFor('ES256', 'other-root'), alg: 'ES256', ca: true });
  const foreign = await v.verifyBatch(tokens.slice(0, 1), { now: NOW_MS, trustAnchors: [other.toString('pem')] });
  assert.deepEqual(codes(foreign[0]), ['UNTRUSTED_CERTIFICATE']);
  // The module functions (stateless) decide the same.
  assert.deepEqual(codes(credcore.verifyBatch(tokens.slice(0, 2), opts(c.anchor, { now: notAfter + 1000 }))[1]), ['CERTIFICATE_EXPIRED']);
});

test('the pool verifies x5c credentials like the module', async () => {
  const c = await chain();
  const good = await joseVc({ x5c: c.x5c, privateKey: c.leafKeys.privateKey });
  const expired = await chain({ leaf: { notAfter: NOW_MS - 1 } });
  const bad = await joseVc({ x5c: expired.x5c, privateKey: expired.leafKeys.privateKey });
  const pool = await credcore.createPool({ workers: 2, verifier: { trustAnchors: [c.anchor, expired.anchor] } });
  try {
    const results = await pool.verifyBatch([good, bad, good], { now: NOW_MS });
    assert.deepEqual(results.map(codes), [[], ['CERTIFICATE_EXPIRED'], []]);
    assert.deepEqual(codes(await pool.verify(good, { now: NOW_MS })), []);
    // (past the credential's own exp too)
    assert.deepEqual(codes(await pool.verify(good, { now: NOW_MS + 40 * DAY })), ['CERTIFICATE_EXPIRED', 'EXPIRED_CREDENTIAL']);
  } finally {
    await pool.close();
  }
});

test('a browser pool verifies x5c credentials: its workers are sent the keys module when a chunk needs it', async () => {
  const c = await chain();
  const good = await joseVc({ x5c: c.x5c, privateKey: c.leafKeys.privateKey });
  const expired = await chain({ leaf: { notAfter: NOW_MS - 1 } });
  const bad = await joseVc({ x5c: expired.x5c, privateKey: expired.leafKeys.privateKey });
  const [h, p, sig] = good.split('.');
  const flipped = `${h}.${p}.${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}`;
  const tokens = [good, bad, flipped, good];
  const want = credcore.verifyBatch(tokens, opts(c.anchor, { trustAnchors: [c.anchor, expired.anchor] })).map(codes);
  assert.deepEqual(want[0], []);
  const { out, errors } = await inPage(
    async ({ tokens, anchors, now }) => {
      const c = await import('/pkg/index.browser.js');
      await c.init();
      const codes = (rs) => rs.map((r) => r.errors.map((e) => e.code));
      const runs = [];
      for (const results of [0, 100]) {
        const pool = await c.createPool({ workers: 2, verifier: { trustAnchors: anchors, cache: { results } } });
        try {
          runs.push(codes(await pool.verifyBatch(tokens, { now })));
          runs.push(codes(await pool.verifyBatch(tokens, { now })));
          runs.push(codes(await Promise.all(tokens.map((t) => pool.verify(t, { now })))));
        } finally {
          await pool.close();
        }
      }
      return runs;
    },
    { tokens, anchors: [c.anchor, expired.anchor], now: NOW_MS },
  );
  assert.deepEqual(errors, []);
  out.forEach((run, k) => assert.deepEqual(run, want, `run ${k}`));
});

test('@sd-jwt/sd-jwt-vc 0.19 SD-JWT VCs with x5c verify, bound to the leaf by iss', async () => {
  for (const alg of ['ES256', 'ES384']) {
    const c = await chain({ alg });
    const sign = async (data) => {
      const sig = await subtle.sign({ name: 'ECDSA', hash: ALGS[alg].hash }, c.leafKeys.privateKey, new TextEncoder().encode(data));
      return Buffer.from(sig).toString('base64url');
    };
    const sdjwt = new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, signAlg: alg, signer: sign });
    const issue = (iss) =>
      sdjwt.issue({ iss, vct: 'urn:eudi:pid:1', iat: NOW_S - 10, given_name: 'Ada', family_name: 'Lovelace' }, { _sd: ['given_name', 'family_name'] }, { header: { x5c: c.x5c, typ: 'dc+sd-jwt' } });
    const token = await issue(ISS);
    const r = credcore.sdJwt.verify(token, opts(c.anchor));
    assert.deepEqual(codes(r), [], `${alg}: ${JSON.stringify(r.errors)}`);
    assert.equal(r.claims.given_name, 'Ada');
    assert.equal(credcore.verifyBatch([token], opts(c.anchor))[0].valid, true);
    // An iss the leaf does not name.
    const r2 = credcore.sdJwt.verify(await issue('https://evil.example.com'), opts(c.anchor));
    assert.deepEqual(r2.errors.map((e) => [e.code, e.path]), [['UNTRUSTED_CERTIFICATE', 'jwt.header.x5c[0]']]);
    // Expired chain.
    assert.deepEqual(codes(credcore.sdJwt.verify(token, opts(c.anchor, { now: NOW_MS + 40 * DAY }))), ['CERTIFICATE_EXPIRED']);
  }
});
