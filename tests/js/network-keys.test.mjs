// Issuer and holder keys from the network: did:web DID documents (with paths and ports), JWT VC
// Issuer Metadata with `jwks` and `jwks_uri`, and a `didResolver`, through a test `fetch` that
// serves documents from memory and counts every call. jose signs the VC-JWTs and VP-JWTs (EdDSA,
// ES256) and @sd-jwt/sd-jwt-vc 0.19 issues SD-JWT VCs; credcore verifies them through the
// Verifier and the pool, cached and uncached. Attacks: documents of another DID, keys outside
// assertionMethod or authentication, kids of another DID, metadata of another issuer, fetches
// returning HTML, huge, slow, throwing or redirecting, forged and expired items (no fetch), and
// 1,000 distinct did:web issuers in one call (bounded fetches).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as jose from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as c from 'credcore';

const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const now = () => Math.floor(Date.now() / 1000);

/** A fetch over a map of URL -> body (string, Response, or a function returning either); counts calls. */
function serve(routes) {
  const calls = [];
  const fetch = async (url) => {
    calls.push(url);
    const route = routes.get(url);
    if (route === undefined) return new Response('not found', { status: 404 });
    const body = typeof route === 'function' ? await route(url) : route;
    return typeof body === 'string' ? new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }) : body;
  };
  return { fetch, calls };
}

function edKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { jwk: publicKey.export({ format: 'jwk' }), privateKey, alg: 'EdDSA' };
}

function p256Key() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { jwk: publicKey.export({ format: 'jwk' }), privateKey, alg: 'ES256' };
}

/** A DID document of `did` whose methods are `[fragment, key, relationships]`. */
function didDocument(did, methods, { id = did } = {}) {
  const doc = { '@context': ['https://www.w3.org/ns/did/v1'], id, verificationMethod: [], assertionMethod: [], authentication: [] };
  for (const [fragment, key, relationships] of methods) {
    doc.verificationMethod.push({ id: `${did}#${fragment}`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key.jwk });
    for (const r of relationships) doc[r].push(`${did}#${fragment}`);
  }
  return JSON.stringify(doc);
}

/** A VC-JWT signed by jose. */
async function vcJwt(iss, key, { kid, exp = now() + 3600, subject = 'did:example:holder', extra = {} } = {}) {
  const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: iss, credentialSubject: { id: subject, name: 'Ada' } };
  return new jose.SignJWT({ vc, sub: subject, ...extra })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(iss)
    .setIssuedAt(now() - 10)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/** A VP-JWT signed by jose. */
async function vpJwt(holder, key, credentials, { kid, nonce = 'n-1', aud = 'https://verifier.example' } = {}) {
  const vp = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials };
  return new jose.SignJWT({ vp, nonce })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(holder)
    .setAudience(aud)
    .setIssuedAt(now())
    .setExpirationTime(now() + 300)
    .sign(key.privateKey);
}

test('did:web (EdDSA and ES256, paths and ports) verifies through a Verifier with fetch; the module functions never fetch', async () => {
  const ed = edKey();
  const es = p256Key();
  const a = 'did:web:issuer.example';
  const b = 'did:web:example.com%3A3000:user:alice';
  const { fetch, calls } = serve(
    new Map([
      ['https://issuer.example/.well-known/did.json', didDocument(a, [['key-1', ed, ['assertionMethod']]])],
      ['https://example.com:3000/user/alice/did.json', didDocument(b, [['k1', es, ['assertionMethod']], ['k2', ed, ['assertionMethod']]])],
    ]),
  );
  const one = await vcJwt(a, ed);
  const two = await vcJwt(b, es, { kid: `${b}#k1` });
  const three = await vcJwt(b, ed, { kid: '#k2' });
  // The module functions: in-band keys only, the need named.
  const offline = c.verifyCredential(one);
  assert.deepEqual(codes(offline), ['KEY_UNAVAILABLE']);
  assert.match(offline.errors[0].message, /did:web document/);

  for (const results of [0, 10_000]) {
    calls.length = 0;
    const verifier = new c.Verifier({ fetch, cache: { results } });
    const out = await verifier.verifyBatch([one, two, three]);
    assert.deepEqual(out.map(codes), [[], [], []], JSON.stringify(out.map((r) => r.errors)));
    assert.deepEqual(out.map((r) => r.issuer), [a, b, b]);
    assert.deepEqual([...calls].sort(), ['https://example.com:3000/user/alice/did.json', 'https://issuer.example/.well-known/did.json']);
    // Again: the documents are held (the result cache on or off), nothing is fetched.
    const again = await verifier.verifyBatch([one, two, three]);
    assert.deepEqual(again.map((r) => r.valid), [true, true, true]);
    assert.equal(calls.length, 2);
    // A forged signature under a held key is INVALID_SIGNATURE.
    const [h, p, s] = one.split('.');
    const forged = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    assert.deepEqual(codes(await verifier.verify(forged)), ['INVALID_SIGNATURE']);
  }
});

for (const [alg, makeKey] of [['EdDSA', edKey], ['ES256', p256Key]]) test(`VP-JWT holders on did:web sign (${alg}) with a key of their authentication relationship`, async () => {
  const holderKey = makeKey();
  const issuer = c.generateKeyPair();
  const holder = 'did:web:wallet.example:users:ada';
  const url = 'https://wallet.example/users/ada/did.json';
  const vc = c.issueCredential({ credentialSubject: { id: holder, name: 'Ada' } }, { issuer, expiresIn: 3600 });
  const vp = await vpJwt(holder, holderKey, [vc], { kid: `${holder}#auth` });
  const authOnly = serve(new Map([[url, didDocument(holder, [['auth', holderKey, ['authentication']]])]]));
  const options = { nonce: 'n-1', audience: 'https://verifier.example' };
  const ok = await new c.Verifier({ fetch: authOnly.fetch }).verify(vp, options);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.holder, holder);
  // The same key under assertionMethod only does not authenticate the holder.
  const assertOnly = serve(new Map([[url, didDocument(holder, [['auth', holderKey, ['assertionMethod']]])]]));
  const refused = await new c.Verifier({ fetch: assertOnly.fetch }).verify(vp, options);
  assert.deepEqual(codes(refused), ['KEY_UNAVAILABLE']);
  assert.match(refused.errors[0].message, /authentication/);
  // And a credential signed with an authentication-only key is not the issuer's assertion.
  const vc2 = await vcJwt(holder, holderKey, { kid: `${holder}#auth` });
  const r = await new c.Verifier({ fetch: authOnly.fetch }).verify(vc2);
  assert.deepEqual(codes(r), ['KEY_UNAVAILABLE']);
  assert.match(r.errors[0].message, /assertionMethod/);
});

test('JWT VC Issuer Metadata with jwks and with jwks_uri; its issuer must be the credential\'s', async () => {
  const es = p256Key();
  const inline = 'https://issuer.example/tenant/1';
  const byUri = 'https://other.example';
  const liar = 'https://liar.example';
  const { fetch, calls } = serve(
    new Map([
      ['https://issuer.example/.well-known/jwt-vc-issuer/tenant/1', JSON.stringify({ issuer: inline, jwks: { keys: [{ ...es.jwk, kid: 'k1' }] } })],
      ['https://other.example/.well-known/jwt-vc-issuer', JSON.stringify({ issuer: byUri, jwks_uri: 'https://keys.other.example/jwks.json' })],
      ['https://keys.other.example/jwks.json', JSON.stringify({ keys: [{ ...es.jwk, kid: 'k9' }] })],
      ['https://liar.example/.well-known/jwt-vc-issuer', JSON.stringify({ issuer: inline, jwks: { keys: [es.jwk] } })],
    ]),
  );
  const verifier = new c.Verifier({ fetch });
  const out = await verifier.verifyBatch([await vcJwt(inline, es, { kid: 'k1' }), await vcJwt(byUri, es, { kid: 'k9' }), await vcJwt(liar, es)]);
  assert.deepEqual(out.slice(0, 2).map((r) => r.errors), [[], []]);
  assert.deepEqual(codes(out[2]), ['KEY_UNAVAILABLE']);
  assert.match(out[2].errors[0].message, /liar\.example/);
  assert.equal(calls.length, 4);
  // A kid the set does not have is KEY_UNAVAILABLE at the kid, never a guess.
  const wrongKid = await verifier.verify(await vcJwt(inline, es, { kid: 'k2' }));
  assert.deepEqual(codes(wrongKid), ['KEY_UNAVAILABLE']);
  assert.equal(wrongKid.errors[0].path, 'header.kid');
});

test('@sd-jwt/sd-jwt-vc 0.19 SD-JWT VCs verify with keys from the issuer\'s metadata', async () => {
  const issuerPair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const holderPair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuerJwk = { ...issuerPair.publicKey.export({ format: 'jwk' }), kid: 'issuer-key-1' };
  const holderJwk = holderPair.publicKey.export({ format: 'jwk' });
  const signerFor = (key) => async (data) => crypto.sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  const sd = new SDJwtVcInstance({ hasher: digest, saltGenerator: generateSalt, signAlg: 'ES256', signer: signerFor(issuerPair.privateKey), kbSignAlg: 'ES256', kbSigner: signerFor(holderPair.privateKey) });
  const iss = 'https://pid.example/issuer';
  const { fetch, calls } = serve(new Map([['https://pid.example/.well-known/jwt-vc-issuer/issuer', JSON.stringify({ issuer: iss, jwks: { keys: [issuerJwk] } })]]));
  const token = await sd.issue(
    { iss, iat: now(), exp: now() + 3600, vct: 'urn:example:pid', cnf: { jwk: holderJwk }, given_name: 'Erika' },
    { _sd: ['given_name'] },
    { header: { kid: 'issuer-key-1' } },
  );
  const presented = await sd.present(token, { given_name: true }, { kb: { payload: { iat: now(), aud: 'https://verifier.example', nonce: 'n-2' } } });
  const pool = await c.createPool({ workers: 1, fetch });
  try {
    const verifier = new c.Verifier({ fetch });
    for (const run of [(x) => verifier.verify(x, { nonce: 'n-2', audience: 'https://verifier.example' }), (x) => pool.verifyBatch([x], { nonce: 'n-2', audience: 'https://verifier.example' }).then((r) => r[0])]) {
      const r = await run(presented);
      assert.deepEqual(r.errors, []);
      assert.equal(r.claims.given_name, 'Erika');
    }
    assert.equal(calls.length, 2); // once for the Verifier, once for the pool
  } finally {
    await pool.close();
  }
});

test('a didResolver answers for any DID method (documents, resolution results, text, null)', async () => {
  const ed = edKey();
  const did = 'did:example:123456789abcdefghi';
  const resolved = [];
  const doc = JSON.parse(didDocument(did, [['keys-1', ed, ['assertionMethod']]]));
  const didResolver = async (d) => {
    resolved.push(d);
    if (d === did) return doc;
    if (d === 'did:example:wrapped') return { didDocument: { ...doc, id: d, verificationMethod: [{ ...doc.verificationMethod[0], id: `${d}#keys-1`, controller: d }], assertionMethod: [`${d}#keys-1`] } };
    if (d === 'did:example:text') return JSON.stringify({ ...doc, id: d, verificationMethod: [{ ...doc.verificationMethod[0], id: `${d}#keys-1`, controller: d }], assertionMethod: [`${d}#keys-1`] });
    return null;
  };
  const verifier = new c.Verifier({ didResolver });
  const out = await verifier.verifyBatch([
    await vcJwt(did, ed, { kid: `${did}#keys-1` }),
    await vcJwt('did:example:wrapped', ed),
    await vcJwt('did:example:text', ed),
    await vcJwt('did:example:nobody', ed),
  ]);
  assert.deepEqual(out.map(codes), [[], [], [], ['KEY_UNAVAILABLE']]);
  assert.match(out[3].errors[0].message, /didResolver/);
  assert.equal(resolved.length, 4);
  // The did:jwk example of its specification needs no resolver at all (in-band).
  const didJwk = 'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9';
  const e = await verifier.verify(await vcJwt(didJwk, ed));
  assert.deepEqual(codes(e), ['INVALID_SIGNATURE']);
  assert.equal(resolved.length, 4);
});

test('attacks: documents of another DID, kids of another DID, wrong relationships, metadata of another issuer', async () => {
  const ed = edKey();
  const a = 'did:web:a.example';
  const { fetch, calls } = serve(
    new Map([
      ['https://a.example/.well-known/did.json', didDocument(a, [['k', ed, ['assertionMethod']]], { id: 'did:web:evil.example' })],
      ['https://b.example/.well-known/did.json', didDocument('did:web:b.example', [['k', ed, ['authentication']]])],
      ['https://c.example/.well-known/did.json', didDocument('did:web:c.example', [['k', ed, ['assertionMethod']]])],
    ]),
  );
  const verifier = new c.Verifier({ fetch });
  const out = await verifier.verifyBatch([
    await vcJwt(a, ed),
    await vcJwt('did:web:b.example', ed),
    // A kid of another DID: refused before any fetch.
    await vcJwt('did:web:c.example', ed, { kid: 'did:web:evil.example#k' }),
    await vcJwt('did:web:c.example', ed, { kid: '#k' }),
  ]);
  assert.deepEqual(out.map(codes), [['KEY_UNAVAILABLE'], ['KEY_UNAVAILABLE'], ['INVALID_DID'], []]);
  assert.match(out[0].errors[0].message, /a\.example/);
  assert.match(out[1].errors[0].message, /assertionMethod/);
  assert.deepEqual([...calls].sort(), ['https://a.example/.well-known/did.json', 'https://b.example/.well-known/did.json', 'https://c.example/.well-known/did.json']);
});

test('attacks: fetches that return HTML, too much, too late, throw, or redirect; one failure affects no other item', async () => {
  const ed = edKey();
  const good = 'did:web:good.example';
  const big = 'x'.repeat(300 * 1024);
  const routes = new Map([
    ['https://good.example/.well-known/did.json', didDocument(good, [['k', ed, ['assertionMethod']]])],
    ['https://html.example/.well-known/did.json', new Response('<!doctype html><title>hi</title>', { headers: { 'content-type': 'text/html' } })],
    ['https://huge.example/.well-known/did.json', () => new Response(big)],
    ['https://slow.example/.well-known/did.json', () => new Promise((resolve) => setTimeout(() => resolve('{}'), 2_000))],
    ['https://throws.example/.well-known/did.json', () => { throw new Error('connection reset'); }],
    ['https://http.example/.well-known/did.json', () => new Response(null, { status: 302, headers: { location: 'http://http.example/did.json' } })],
    ['https://moved.example/.well-known/did.json', () => new Response(null, { status: 301, headers: { location: 'https://cdn.example/moved.json' } })],
    ['https://cdn.example/moved.json', didDocument('did:web:moved.example', [['k', ed, ['assertionMethod']]])],
  ]);
  const { fetch, calls } = serve(routes);
  const verifier = new c.Verifier({ fetch, fetchTimeoutMs: 300 });
  const names = ['good', 'html', 'huge', 'slow', 'throws', 'http', 'moved'];
  const inputs = await Promise.all(names.map((n) => vcJwt(`did:web:${n}.example`, ed)));
  const started = Date.now();
  const out = await verifier.verifyBatch(inputs);
  assert.ok(Date.now() - started < 1_500, 'the slow fetch is cut at fetchTimeoutMs');
  assert.deepEqual(out.map(codes), [[], ['KEY_UNAVAILABLE'], ['KEY_UNAVAILABLE'], ['KEY_UNAVAILABLE'], ['KEY_UNAVAILABLE'], ['KEY_UNAVAILABLE'], []]);
  const messages = out.map((r) => r.errors[0]?.message ?? '');
  assert.match(messages[1], /html\.example.*not a JSON object/);
  assert.match(messages[2], /over 262144 bytes/);
  assert.match(messages[3], /no answer within 300 ms/);
  assert.match(messages[4], /connection reset/);
  assert.match(messages[5], /not https/);
  assert.ok(!calls.includes('http://http.example/did.json'), 'no request over http');
  // Failures are held briefly: the next call does not fetch them again.
  const before = calls.length;
  await verifier.verifyBatch(inputs);
  assert.equal(calls.length, before);
});

test('nothing is fetched for items that something else already failed (forged payload, expired, untrusted)', async () => {
  const ed = edKey();
  const { fetch, calls } = serve(new Map());
  const verifier = new c.Verifier({ fetch, trustedIssuers: ['did:web:trusted.example'] });
  const expired = await vcJwt('did:web:trusted.example', ed, { exp: now() - 3600 });
  const untrusted = await vcJwt('did:web:untrusted.example', ed);
  // An anon-identity credential whose signed payload is not its body (PAYLOAD_MISMATCH).
  const issuer = c.generateKeyPair();
  const anon = c.issueCredential({ credentialSubject: { id: 'did:example:1', name: 'Ada' } }, { issuer, format: 'anon-identity' });
  const forgedBody = { ...anon, issuer: 'did:web:trusted.example', credentialSubject: { id: 'did:example:1', name: 'Eve' } };
  const out = await verifier.verifyBatch([expired, untrusted, forgedBody]);
  for (const r of out) assert.equal(r.valid, false);
  assert.ok(codes(out[0]).includes('EXPIRED_CREDENTIAL'));
  assert.ok(codes(out[1]).includes('UNTRUSTED_ISSUER'));
  assert.ok(codes(out[2]).some((x) => x !== 'KEY_UNAVAILABLE'), JSON.stringify(out[2].errors));
  assert.deepEqual(calls, []);
});

test('1,000 distinct did:web issuers in one call: at most 64 fetches, through the Verifier and the pool', async () => {
  const ed = edKey();
  const routes = new Map();
  const inputs = [];
  for (let i = 0; i < 1000; i++) {
    const did = `did:web:i${i}.example`;
    routes.set(`https://i${i}.example/.well-known/did.json`, didDocument(did, [['k', ed, ['assertionMethod']]]));
    inputs.push(await vcJwt(did, ed));
  }
  const viaVerifier = serve(routes);
  const out = await new c.Verifier({ fetch: viaVerifier.fetch }).verifyBatch(inputs);
  assert.ok(viaVerifier.calls.length <= 64, `${viaVerifier.calls.length} fetches`);
  assert.equal(out.filter((r) => r.valid).length, viaVerifier.calls.length);
  assert.ok(out.every((r) => r.valid || codes(r).join() === 'KEY_UNAVAILABLE'));
  const viaPool = serve(routes);
  const pool = await c.createPool({ workers: 2, chunkSize: 100, fetch: viaPool.fetch });
  try {
    const results = await pool.verifyBatch(inputs);
    // Each chunk asks for its own (at most 64 per chunk); the pool fetches each URL once.
    assert.equal(new Set(viaPool.calls).size, viaPool.calls.length);
    assert.equal(results.filter((r) => r.valid).length, viaPool.calls.length);
    assert.ok(results.every((r) => r.valid || codes(r).join() === 'KEY_UNAVAILABLE'));
    // Cached: a second call fetches nothing new for the issuers it already holds.
    const before = viaPool.calls.length;
    const again = await pool.verifyBatch(inputs.slice(0, 50));
    assert.ok(again.every((r) => r.valid));
    assert.equal(viaPool.calls.length, before);
    assert.equal(pool.metrics().keyDocuments.fetched, before);
  } finally {
    await pool.close();
  }
});

test('the pool resolves did:web issuers and holders and JWK Sets behind metadata, as the Verifier does', async () => {
  const ed = edKey();
  const es = p256Key();
  const holder = 'did:web:wallet.example';
  const { fetch, calls } = serve(
    new Map([
      ['https://wallet.example/.well-known/did.json', didDocument(holder, [['auth', ed, ['authentication']]])],
      ['https://iss.example/.well-known/jwt-vc-issuer', JSON.stringify({ issuer: 'https://iss.example', jwks_uri: 'https://iss.example/jwks' })],
      ['https://iss.example/jwks', JSON.stringify({ keys: [es.jwk] })],
    ]),
  );
  const vc = await vcJwt('https://iss.example', es, { subject: holder });
  const vp = await vpJwt(holder, ed, [vc], { kid: '#auth' });
  const pool = await c.createPool({ workers: 1, verifier: { fetch } });
  try {
    const [r] = await pool.verifyBatch([vp], { nonce: 'n-1', audience: 'https://verifier.example' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.holder, holder);
    assert.equal(calls.length, 3);
    // Documents never come in through options: a request body cannot stand in a key.
    const viaOptions = await pool.verifyBatch([vp], { nonce: 'n-1', audience: 'https://verifier.example', keyDocuments: [] }).catch((e) => e);
    assert.equal(viaOptions.code, 'MALFORMED_INPUT');
  } finally {
    await pool.close();
  }
});

test('fetch and didResolver must be functions', () => {
  assert.throws(() => new c.Verifier({ fetch: 'https://evil.example' }), { code: 'MALFORMED_INPUT' });
  assert.throws(() => new c.Verifier({ didResolver: {} }), { code: 'MALFORMED_INPUT' });
});
