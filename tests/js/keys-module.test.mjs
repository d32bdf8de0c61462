// The keys module (credcore_keys_bg.wasm) in Node: compiled only when a chain (or a trustAnchors
// option) is to be checked or an ECDSA key is made or signs (RFC 6979, which node:crypto does not
// make), never for Ed25519 work or ECDSA verification (node:crypto); after it loaded, the
// x5c path verifies what it certifies and refuses the rest, through the module functions, a
// Verifier and the CommonJS build. Each case runs in a fresh process that records the wasm
// modules compiled (by their files' sizes): `wasm` the default one, `issuing`, `keys`, `ld`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE } from './suites/x5c-fixture.mjs';
import { inFreshProcess as fresh } from './lib/fresh-process.mjs';

/** A fresh process with the x5c fixture as `FIXTURE`. */
const inFreshProcess = (body, { cjs = false } = {}) => fresh(body, { cjs, globals: { FIXTURE } });

for (const cjs of [false, true]) {
  test(`${cjs ? 'require' : 'import'}: the keys module is compiled on the first chain, not before; then x5c verifies and refuses as it should`, () => {
    const out = inFreshProcess(
      `
      out.atImport = __compiled();
      const issuer = c.generateKeyPair();
      const vc = (k) => c.issueCredential({ credentialSubject: { id: 'did:example:h' } }, { issuer: k, format: 'vc-jwt' });
      const ed = vc(issuer);
      out.ed = [c.verifyCredential(ed).valid, (await new c.Verifier({}).verifyBatch([ed]))[0].valid];
      out.afterEd = __compiled();
      const es = c.generateKeyPair({ alg: 'ES256' });
      out.plain = [c.verifyCredential(ed).valid, c.verifyCredential(vc(es)).valid];
      out.afterPlain = __compiled();
      const opts = { trustAnchors: [FIXTURE.anchor], now: FIXTURE.now };
      const r = c.verifyCredential(FIXTURE.token, opts);
      out.x5c = [r.valid, r.issuer, r.errors.map((e) => e.code)];
      out.other = c.verifyCredential(FIXTURE.token, { ...opts, trustAnchors: [FIXTURE.otherAnchor] }).errors.map((e) => e.code);
      out.afterX5c = __compiled();
      const v = new c.Verifier(opts);
      out.verifier = (await v.verifyBatch([FIXTURE.token, FIXTURE.token])).map((x) => x.valid);
      out.end = __compiled();
      `,
      { cjs },
    );
    assert.deepEqual(out.atImport, ['wasm'], 'only the default module at import');
    assert.deepEqual(out.ed, [true, true]);
    assert.deepEqual(out.afterEd, ['wasm', 'issuing'], 'EdDSA issues in the issuing module and needs no keys module');
    assert.deepEqual(out.plain, [true, true]);
    assert.deepEqual(out.afterPlain, ['wasm', 'issuing', 'keys'], 'an ES256 key is made and signs in the keys module');
    assert.deepEqual(out.x5c, [true, FIXTURE.issuer, []]);
    assert.deepEqual(out.other, ['UNTRUSTED_CERTIFICATE']);
    assert.deepEqual(out.afterX5c, ['wasm', 'issuing', 'keys'], 'the keys module, once');
    assert.deepEqual(out.verifier, [true, true]);
    assert.deepEqual(out.end, ['wasm', 'issuing', 'keys']);
  });
}

test('trustAnchors that are not certificates fail a Verifier at construction (the module loads for it)', () => {
  const out = inFreshProcess(`
    try { new c.Verifier({ trustAnchors: ['-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----'] }); out.threw = null; }
    catch (err) { out.threw = [err.code, err.path]; }
    out.compiled = __compiled();
    try { c.verifyCredential('x', { trustAnchors: ['garbage'] }); out.call = 'returned'; } catch (err) { out.call = err.code; }
  `);
  assert.deepEqual(out.threw, ['MALFORMED_INPUT', 'options.trustAnchors[0]']);
  assert.deepEqual(out.compiled, ['wasm', 'keys']);
  assert.equal(out.call, 'MALFORMED_INPUT');
});

test('ES256K both ways in Node: node:crypto tokens verify with no keys module; credcore ES256K keys (made and signing in the keys module) verify in node:crypto', () => {
  const out = inFreshProcess(`
    const crypto = await import('node:crypto');
    const b64u = (b) => Buffer.from(b).toString('base64url');
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    const did = 'did:jwk:' + b64u(JSON.stringify({ crv, kty, x, y }));
    const header = b64u(JSON.stringify({ alg: 'ES256K', typ: 'JWT', kid: did + '#0' }));
    const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: 'did:example:h' } };
    const payload = b64u(JSON.stringify({ iss: did, sub: 'did:example:h', nbf: Math.floor(Date.now() / 1000) - 60, vc }));
    const sig = crypto.sign('sha256', Buffer.from(header + '.' + payload), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const token = header + '.' + payload + '.' + b64u(sig);
    const flip = (t) => { const [h, p, s] = t.split('.'); return h + '.' + p + '.' + s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11); };
    out.theirs = c.verifyBatch([token, flip(token)]).map((r) => [r.valid, r.errors.map((e) => e.code)]);
    out.theirsAsync = (await new c.Verifier({}).verifyBatch([token, flip(token)])).map((r) => r.valid);
    out.afterVerify = __compiled();
    const k = c.generateKeyPair({ alg: 'ES256K' });
    const ours = c.issueCredential({ credentialSubject: { id: 'did:example:h' } }, { issuer: k, format: 'vc-jwt' });
    const [h, p, s] = ours.split('.');
    const key = crypto.createPublicKey({ key: k.publicJwk, format: 'jwk' });
    const check = (t) => { const [a, b, z] = t.split('.'); return crypto.verify('sha256', Buffer.from(a + '.' + b), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(z, 'base64url')); };
    out.ours = [check(ours), check(flip(ours)), c.verifyCredential(ours).valid, JSON.parse(Buffer.from(h, 'base64url')).alg, k.did.startsWith('did:key:zQ3s')];
    out.end = __compiled();
  `);
  assert.deepEqual(out.theirs, [[true, []], [false, ['INVALID_SIGNATURE']]]);
  assert.deepEqual(out.theirsAsync, [true, false]);
  assert.deepEqual(out.afterVerify, ['wasm'], 'node:crypto verifies ES256K: no keys module');
  assert.deepEqual(out.ours, [true, false, true, 'ES256K', true]);
  assert.deepEqual(out.end, ['wasm', 'issuing', 'keys'], 'the keys module made and used the ES256K key');
});
