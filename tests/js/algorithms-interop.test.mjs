// Live interop for every JWS algorithm and offline key source, no fixtures: jose 6 signs VC-JWTs
// with EdDSA, ES256, ES384, RS256/384/512 and PS256/384/512 (and node:crypto with ES256K: jose 6
// runs on WebCrypto, which has no secp256k1) under keys credcore finds in a did:key, a did:jwk
// or issuerKeys, and credcore verifies them; credcore's ES256 and ES384
// credentials and presentations pass jose's jwtVerify; @sd-jwt/sd-jwt-vc 0.19 with ES256 in both
// directions; tampering per algorithm and key source. did:key and did:jwk are computed here,
// independently of credcore, so that the two sides do not share a bug.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as jose from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as c from 'credcore';

const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const unb64u = (text) => new Uint8Array(Buffer.from(text, 'base64url'));

// ---- did:key and did:jwk, written here -------------------------------------------------------

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** Multicodec varints of did:key (W3C CCG did:key): ed25519-pub, p256-pub, p384-pub, secp256k1-pub. */
const MULTICODEC = { Ed25519: [0xed, 0x01], 'P-256': [0x80, 0x24], 'P-384': [0x81, 0x24], secp256k1: [0xe7, 0x01] };

function didKeyOf(jwk) {
  const x = unb64u(jwk.x);
  const key = jwk.kty === 'OKP' ? x : Uint8Array.from([(unb64u(jwk.y).at(-1) & 1) === 1 ? 0x03 : 0x02, ...x]);
  return `did:key:z${base58(Uint8Array.from([...MULTICODEC[jwk.crv], ...key]))}`;
}

const publicOf = (jwk) => Object.fromEntries(Object.entries(jwk).filter(([k]) => ['kty', 'crv', 'x', 'y', 'n', 'e'].includes(k)));
const didJwkOf = (jwk) => `did:jwk:${b64u(Buffer.from(JSON.stringify(publicOf(jwk))))}`;

// ---- jose keys and tokens --------------------------------------------------------------------

const ALGS = ['EdDSA', 'ES256', 'ES384', 'ES256K', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const keyCache = new Map();

/**
 * A jose key pair for `alg`. One RSA key serves every RS and PS algorithm (generating them is
 * slow); WebCrypto binds a CryptoKey to one algorithm, so it is imported again for each.
 */
async function joseKeys(alg) {
  const family = alg.startsWith('RS') || alg.startsWith('PS') ? 'RSA' : alg;
  if (family === 'RSA' && !keyCache.has(alg)) {
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const shared = keyCache.get('RSA') ?? { privateJwk: await jose.exportJWK(privateKey), jwk: await jose.exportJWK(publicKey) };
    keyCache.set('RSA', shared);
    keyCache.set(alg, { privateKey: await jose.importJWK(shared.privateJwk, alg), jwk: shared.jwk });
  }
  if (family === 'RSA') return keyCache.get(alg);
  if (!keyCache.has(family)) {
    if (family === 'ES256K') {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      keyCache.set(family, { privateKey, publicKey, jwk: publicKey.export({ format: 'jwk' }) });
    } else {
      const gen = family === 'RSA' ? 'RS256' : family;
      const opts = family === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true };
      const { privateKey, publicKey } = await jose.generateKeyPair(gen, opts);
      keyCache.set(family, { privateKey, publicKey, jwk: await jose.exportJWK(publicKey) });
    }
  }
  return keyCache.get(family);
}

/** ES256K with node:crypto: r || s (ieee-p1363), SHA-256 (RFC 8812). */
function es256kJwt(header, payload, privateKey) {
  const input = `${b64u(Buffer.from(JSON.stringify(header)))}.${b64u(Buffer.from(JSON.stringify(payload)))}`;
  const sig = crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64u(sig)}`;
}

function vcClaims(subject, extra = {}) {
  return {
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'UniversityDegreeCredential'],
      credentialSubject: { id: subject, degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' }, ...extra },
    },
  };
}

async function joseVc({ alg, privateKey, iss, kid, header = {}, claims = {} }) {
  const now = Math.floor(Date.now() / 1000);
  if (alg === 'ES256K') {
    const h = { alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }), ...header };
    return es256kJwt(h, { ...vcClaims('did:example:holder', claims), iss, sub: 'did:example:holder', iat: now, nbf: now, exp: now + 3600 }, privateKey);
  }
  return new jose.SignJWT(vcClaims('did:example:holder', claims))
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }), ...header })
    .setIssuer(iss)
    .setSubject('did:example:holder')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

/** Every (name, token) signed by jose for every algorithm and key source, and the options naming the issuerKeys. */
async function corpus() {
  const items = [];
  const issuerKeys = {};
  for (const alg of ALGS) {
    const { privateKey, jwk } = await joseKeys(alg);
    if (jwk.kty !== 'RSA') {
      const did = didKeyOf(jwk);
      items.push([`${alg} did:key`, await joseVc({ alg, privateKey, iss: did, kid: `${did}#${did.slice(8)}` })]);
    }
    const didJwk = didJwkOf(jwk);
    items.push([`${alg} did:jwk`, await joseVc({ alg, privateKey, iss: didJwk, kid: `${didJwk}#0` })]);
    const https = `https://issuer.example/${alg}`;
    issuerKeys[https] = { keys: [{ ...publicOf(jwk), kid: 'key-1', alg, use: 'sig' }] };
    items.push([`${alg} issuerKeys`, await joseVc({ alg, privateKey, iss: https, kid: 'key-1' })]);
  }
  return { items, options: { issuerKeys } };
}

// ---- jose -> credcore ----------------------------------------------------------------------------

test('jose-signed VC-JWTs of every algorithm verify from did:key, did:jwk and issuerKeys', async () => {
  const { items, options } = await corpus();
  assert.equal(items.length, 4 * 3 + 6 * 2);
  const results = c.verifyBatch(items.map(([, t]) => t), options);
  items.forEach(([name], i) => {
    assert.deepEqual(results[i].errors, [], name);
    assert.equal(results[i].valid, true, name);
    assert.equal(results[i].format, 'vc-jwt', name);
  });
  // One at a time, and through a caching Verifier (twice: the second from its cache), the same.
  const verifier = new c.Verifier({ ...options, cache: { results: 100 } });
  const first = await verifier.verifyBatch(items.map(([, t]) => t));
  const again = await verifier.verifyBatch(items.map(([, t]) => t));
  items.forEach(([name, token], i) => {
    assert.deepEqual(c.verifyCredential(token, options), results[i], name);
    assert.deepEqual(first[i], results[i], `${name} (Verifier)`);
    assert.deepEqual(again[i], results[i], `${name} (Verifier, cached)`);
  });
  assert.equal(verifier.stats().results.hits, items.length);
  verifier.free();
});

const flipSignature = (token, at) => {
  const [h, p, s] = token.split('.');
  const sig = unb64u(s);
  sig[Math.min(at, sig.length - 1)] ^= 1;
  return `${h}.${p}.${b64u(sig)}`;
};
const editPart = (token, part, f) => {
  const parts = token.split('.');
  const json = JSON.parse(Buffer.from(parts[part], 'base64url').toString());
  f(json);
  parts[part] = b64u(Buffer.from(JSON.stringify(json)));
  return parts.join('.');
};

test('tampering fails for every algorithm and key source: signature, payload, header, alg', async () => {
  const { items, options } = await corpus();
  const cases = [];
  for (const [name, token] of items) {
    for (const at of [0, 40, 1000]) cases.push([`${name}: signature byte ${at}`, flipSignature(token, at), ['INVALID_SIGNATURE']]);
    cases.push([`${name}: payload`, editPart(token, 1, (p) => { p.vc.credentialSubject.degree.name = 'PhD'; }), ['INVALID_SIGNATURE']]);
    cases.push([`${name}: header`, editPart(token, 0, (h) => { h.typ = 'jwt'; }), ['INVALID_SIGNATURE']]);
    for (const alg of ['none', 'HS256']) cases.push([`${name}: alg ${alg}`, editPart(token, 0, (h) => { h.alg = alg; }), ['UNSUPPORTED_ALGORITHM']]);
  }
  // Swapped for an algorithm whose signatures have the same length: the key refuses it (another
  // key type, or a JWK restricted to its own alg), or the padding does not verify.
  const swaps = { 'ES256 did:key': 'ES256K', 'ES256K did:jwk': 'ES256', 'EdDSA did:jwk': 'ES256', 'RS256 did:jwk': 'PS256', 'PS256 did:jwk': 'RS256', 'RS256 issuerKeys': 'RS512', 'PS384 issuerKeys': 'PS256' };
  for (const [name, token] of items) {
    if (swaps[name]) cases.push([`${name} as ${swaps[name]}`, editPart(token, 0, (h) => { h.alg = swaps[name]; }), ['INVALID_SIGNATURE']]);
  }
  const results = c.verifyBatch(cases.map(([, t]) => t), options);
  cases.forEach(([what, , want], i) => {
    assert.equal(results[i].valid, false, `${what}: still valid`);
    assert.deepEqual(codes(results[i]), want, `${what}: ${JSON.stringify(results[i].errors)}`);
  });
});

test('keys of another curve, type or size: refused, never tried', async () => {
  const es256 = await joseKeys('ES256');
  const es384 = await joseKeys('ES384');
  const rsa = await joseKeys('RS256');
  const iss = 'https://issuer.example/one';
  const token = await joseVc({ alg: 'ES256', privateKey: es256.privateKey, iss, kid: 'key-1' });
  const keyed = (jwk) => ({ issuerKeys: { [iss]: { ...publicOf(jwk), kid: 'key-1' } } });
  assert.equal(c.verifyCredential(token, keyed(es256.jwk)).valid, true);
  // A P-384 key or an RSA key for an ES256 signature: the signature cannot be by it.
  for (const other of [es384.jwk, rsa.jwk]) {
    const r = c.verifyCredential(token, keyed(other));
    assert.deepEqual(codes(r), ['INVALID_SIGNATURE'], other.kty);
    assert.match(r.errors[0].message, /needs a P-256 key/);
  }
  // The same token under a JWK whose alg member says ES384: the key is refused for the call.
  assert.throws(() => c.verifyCredential(token, { issuerKeys: { [iss]: { ...publicOf(es256.jwk), alg: 'ES384' } } }), { code: 'INVALID_KEY' });
  // RSA under 2048 bits (jose refuses to sign with one; node:crypto does not): refused as a key,
  // in issuerKeys and in a did:jwk.
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const weak = publicKey.export({ format: 'jwk' });
  const header = b64u(Buffer.from(JSON.stringify({ alg: 'RS256', kid: `${didJwkOf(weak)}#0` })));
  const payload = b64u(Buffer.from(JSON.stringify({ iss: didJwkOf(weak), ...vcClaims('did:example:holder') })));
  const signature = b64u(crypto.sign('sha256', Buffer.from(`${header}.${payload}`), privateKey));
  const weakToken = `${header}.${payload}.${signature}`;
  const r = c.verifyCredential(weakToken);
  assert.deepEqual(codes(r), ['MALFORMED_INPUT'], 'a 128-byte RS256 signature is not one of a 2048-bit or larger key');
  assert.throws(() => c.verifyCredential(weakToken, { issuerKeys: { 'https://weak.example': weak } }), (e) => e.code === 'INVALID_KEY' && /1024 bits/.test(e.message));
  const weakDid = await joseVc({ alg: 'RS256', privateKey: rsa.privateKey, iss: didJwkOf(weak), kid: `${didJwkOf(weak)}#0` });
  const rd = c.verifyCredential(weakDid);
  assert.deepEqual(codes(rd), ['INVALID_DID']);
  assert.match(rd.errors[0].message, /1024 bits/);
});

test('the algorithms option narrows what verifies; KEY_UNAVAILABLE names what is missing', async () => {
  const { items, options } = await corpus();
  const only = { ...options, algorithms: ['EdDSA', 'ES256'] };
  const results = c.verifyBatch(items.map(([, t]) => t), only);
  items.forEach(([name], i) => {
    const allowed = name.startsWith('EdDSA') || name.startsWith('ES256 ');
    assert.deepEqual(codes(results[i]), allowed ? [] : ['UNSUPPORTED_ALGORITHM'], name);
  });
  assert.throws(() => c.verifyBatch([], { algorithms: ['HS256'] }), { code: 'MALFORMED_INPUT' });
  // Without issuerKeys, an https or did:web issuer's key cannot be had offline.
  const https = items.find(([name]) => name === 'ES256 issuerKeys')[1];
  const r = c.verifyCredential(https);
  assert.deepEqual(codes(r), ['KEY_UNAVAILABLE']);
  assert.match(r.errors[0].message, /jwt-vc-issuer/);
  assert.equal(r.errors[0].path, 'payload.iss');
  const { privateKey } = await joseKeys('ES256');
  const web = await joseVc({ alg: 'ES256', privateKey, iss: 'did:web:issuer.example', kid: 'did:web:issuer.example#key-1' });
  const rw = c.verifyCredential(web);
  assert.deepEqual(codes(rw), ['KEY_UNAVAILABLE']);
  assert.match(rw.errors[0].message, /did:web document/);
  // A kid the issuer's keys do not have.
  const other = c.verifyCredential(web, { issuerKeys: { 'did:web:issuer.example': { keys: [{ ...publicOf((await joseKeys('ES256')).jwk), kid: '#key-2' }] } } });
  assert.deepEqual(codes(other), ['KEY_UNAVAILABLE']);
  assert.equal(other.errors[0].path, 'header.kid');
});

// ---- credcore -> jose ----------------------------------------------------------------------------

test("credcore's ES256 and ES384 credentials and presentations pass jose's jwtVerify", async () => {
  for (const alg of ['ES256', 'ES384']) {
    const issuer = c.generateKeyPair({ alg });
    const holder = c.generateKeyPair({ alg: 'ES256' });
    assert.equal(issuer.alg, alg);
    assert.equal(issuer.publicKey.length, alg === 'ES256' ? 33 : 49);
    assert.equal(issuer.secretKey.length, alg === 'ES256' ? 32 : 48);
    // The did:key and the JWK describe the same key, computed here independently.
    assert.equal(issuer.did, didKeyOf(issuer.publicJwk));
    assert.equal(issuer.kid, `${issuer.did}#${issuer.did.slice(8)}`);
    assert.equal(c.jwkThumbprint(issuer.publicJwk), await jose.calculateJwkThumbprint(issuer.publicJwk));
    // keyPairFromSeed gives the same pair back from its secret.
    assert.deepEqual(c.keyPairFromSeed(issuer.secretKey, { alg }), issuer);

    const jwt = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    const key = await jose.importJWK(issuer.publicJwk, alg);
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, key, { algorithms: [alg], issuer: issuer.did, subject: holder.did });
    assert.equal(protectedHeader.alg, alg);
    assert.equal(protectedHeader.kid, issuer.kid);
    assert.deepEqual(payload.vc.credentialSubject, { id: holder.did, name: 'Ada' });
    assert.equal(c.verifyCredential(jwt).valid, true);

    const vp = c.createPresentation([jwt], { holder, nonce: 'n-7', audience: 'https://verifier.example', format: 'vp-jwt' });
    const vpCheck = await jose.jwtVerify(vp, await jose.importJWK(holder.publicJwk, 'ES256'), { algorithms: ['ES256'], issuer: holder.did, audience: 'https://verifier.example' });
    assert.equal(vpCheck.payload.nonce, 'n-7');
    assert.deepEqual(c.verifyPresentation(vp, { nonce: 'n-7', audience: 'https://verifier.example' }).errors, []);

    // Both refuse a flipped signature and the wrong key.
    const flipped = flipSignature(jwt, 5);
    await assert.rejects(jose.jwtVerify(flipped, key), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    assert.deepEqual(codes(c.verifyCredential(flipped)), ['INVALID_SIGNATURE']);
    await assert.rejects(jose.jwtVerify(jwt, await jose.importJWK(holder.publicJwk, alg === 'ES256' ? 'ES256' : 'ES256')));
    // anon-identity's format is Ed25519Signature2020: EdDSA keys only.
    assert.throws(() => c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer, format: 'anon-identity' }), { code: 'UNSUPPORTED_ALGORITHM' });
  }
  assert.throws(() => c.generateKeyPair({ alg: 'RS256' }), { code: 'UNSUPPORTED_ALGORITHM' });
});

test('status lists signed with ES256 revoke credentials of an ES256 issuer', async () => {
  const issuer = c.generateKeyPair({ alg: 'ES256' });
  const uri = 'https://issuer.example/status/es256';
  const list = new c.StatusList({ format: 'ietf', uri, size: 1000, issuer });
  const idx = list.allocate();
  const vc = c.sdJwt.issue({ vct: 'urn:example:pid', given_name: 'Ada', status: { status_list: { idx, uri } } }, { issuer, expiresIn: 3600 });
  const token = list.sign();
  assert.equal(jose.decodeProtectedHeader(token).alg, 'ES256');
  // jose verifies the list's signature under the issuer's key too.
  await jose.jwtVerify(token, await jose.importJWK(issuer.publicJwk, 'ES256'), { typ: 'statuslist+jwt' });
  assert.equal(c.verifyCredential(vc, { statusLists: { [uri]: token } }).valid, true);
  list.set(idx, 1);
  assert.deepEqual(codes(c.verifyCredential(vc, { statusLists: { [uri]: list.sign() } })), ['REVOKED_CREDENTIAL']);
});

// ---- @sd-jwt/sd-jwt-vc with ES256, both directions --------------------------------------------

const signerFor = (privateKey) => async (data) => crypto.sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const verifyES256 = (publicKey, data, sig) => crypto.verify('sha256', Buffer.from(data), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
const NONCE = 'n-0S6_WzA2Mj';
const AUD = 'https://verifier.example.org';
const VCT = 'https://credentials.example.com/identity_credential';

test('@sd-jwt/sd-jwt-vc ES256 SD-JWT VCs with key binding verify in credcore (issuerKeys and did:jwk issuers)', async () => {
  const issuerPair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const holderPair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuerJwk = issuerPair.publicKey.export({ format: 'jwk' });
  const holderJwk = holderPair.publicKey.export({ format: 'jwk' });
  const sd = new SDJwtVcInstance({
    hasher: digest,
    saltGenerator: generateSalt,
    signAlg: 'ES256',
    signer: signerFor(issuerPair.privateKey),
    kbSignAlg: 'ES256',
    kbSigner: signerFor(holderPair.privateKey),
    verifier: async (data, sig) => verifyES256(issuerPair.publicKey, data, sig),
    kbVerifier: async (data, sig, payload) => verifyES256(crypto.createPublicKey({ key: payload.cnf.jwk, format: 'jwk' }), data, sig),
  });
  for (const iss of ['https://issuer.example.com', didJwkOf(issuerJwk)]) {
    const now = Math.floor(Date.now() / 1000);
    const token = await sd.issue(
      { iss, iat: now, exp: now + 3600, vct: VCT, cnf: { jwk: holderJwk }, given_name: 'Erika', family_name: 'Mustermann' },
      { _sd: ['given_name', 'family_name'] },
      { header: { kid: iss.startsWith('did:') ? `${iss}#0` : 'issuer-key-1' } },
    );
    const presented = await sd.present(token, { given_name: true }, { kb: { payload: { iat: now, aud: AUD, nonce: NONCE } } });
    const options = { nonce: NONCE, audience: AUD, issuerKeys: { 'https://issuer.example.com': { keys: [{ ...issuerJwk, kid: 'issuer-key-1' }] } } };
    const r = c.sdJwt.verify(presented, options);
    assert.deepEqual(r.errors, [], iss);
    assert.equal(r.issuer, iss);
    assert.equal(r.claims.given_name, 'Erika');
    assert.equal(r.claims.family_name, undefined);
    assert.deepEqual(r.disclosed, ['/given_name']);
    assert.equal(r.holderKeyThumbprint, await jose.calculateJwkThumbprint(holderJwk));
    assert.equal(r.holder, didKeyOf(holderJwk));
    // The KB-JWT or the issuer's signature tampered with.
    const [rest, kb] = [presented.slice(0, presented.lastIndexOf('~') + 1), presented.slice(presented.lastIndexOf('~') + 1)];
    assert.deepEqual(codes(c.sdJwt.verify(rest + flipSignature(kb, 7), options)), ['KEY_BINDING_INVALID'], iss);
    const [jwt, ...tail] = presented.split('~');
    assert.ok(codes(c.sdJwt.verify([flipSignature(jwt, 7), ...tail].join('~'), options)).includes('INVALID_SIGNATURE'), iss);
  }
});

test("credcore's ES256 SD-JWT VCs with a P-256 holder verify in @sd-jwt/sd-jwt-vc", async () => {
  const issuer = c.generateKeyPair({ alg: 'ES256' });
  const holder = c.generateKeyPair({ alg: 'ES256' });
  const token = c.sdJwt.issue({ vct: VCT, given_name: 'Erika', family_name: 'Mustermann' }, { issuer, disclose: ['/given_name', '/family_name'], holderPublicKey: holder.publicJwk, expiresIn: 3600 });
  const presented = c.sdJwt.present(token, { disclose: ['/family_name'], holder, nonce: NONCE, audience: AUD });
  const issuerKey = crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' });
  const sd = new SDJwtVcInstance({
    hasher: digest,
    verifier: async (data, sig) => verifyES256(issuerKey, data, sig),
    kbVerifier: async (data, sig, payload) => verifyES256(crypto.createPublicKey({ key: payload.cnf.jwk, format: 'jwk' }), data, sig),
  });
  const r = await sd.verify(presented, { keyBindingNonce: NONCE, requiredClaimKeys: ['family_name'] });
  assert.equal(r.payload.family_name, 'Mustermann');
  assert.equal(r.payload.given_name, undefined);
  assert.equal(r.payload.iss, issuer.did);
  assert.deepEqual(r.payload.cnf.jwk, holder.publicJwk);
  assert.equal(r.kb.header.alg, 'ES256');
  assert.equal(r.kb.payload.aud, AUD);
  // @sd-jwt refuses a flipped KB-JWT signature, as credcore does.
  const cut = presented.lastIndexOf('~') + 1;
  const forged = presented.slice(0, cut) + flipSignature(presented.slice(cut), 3);
  await assert.rejects(sd.verify(forged, { keyBindingNonce: NONCE }));
  assert.deepEqual(codes(c.sdJwt.verify(forged, { nonce: NONCE, audience: AUD })), ['KEY_BINDING_INVALID']);
});
