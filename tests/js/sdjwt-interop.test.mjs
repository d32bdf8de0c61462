// SD-JWT VC interop with @sd-jwt/core, @sd-jwt/sd-jwt-vc and @sd-jwt/crypto-nodejs 0.19.0
// (EdDSA through node:crypto), in both directions: @sd-jwt issues and presents with key binding
// and credcore verifies; credcore issues and presents and @sd-jwt verifies; tampering is refused
// by both. Also replays the stored fixtures (tests/data/sdjwt-interop/fixtures.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as credcore from 'credcore';

const NOW_S = 1_750_000_000;
const NONCE = 'n-0S6_WzA2Mj';
const AUD = 'https://verifier.example.org';
const VCT = 'https://credentials.example.com/identity_credential';
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

// did:key decoding done here, independently of credcore, so the two sides do not share a bug.
function publicKeyFromDidKey(did) {
  const text = did.replace(/^did:key:z/, '');
  let n = 0n;
  for (const ch of text) n = n * 58n + BigInt(B58.indexOf(ch));
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.concat([Buffer.alloc(text.match(/^1*/)[0].length), Buffer.from(hex, 'hex')]);
  assert.deepEqual([bytes[0], bytes[1], bytes.length], [0xed, 0x01, 34], `Ed25519 did:key: ${did}`);
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(2).toString('base64url') }, format: 'jwk' });
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const privateKeyOf = (pair) => crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(pair.secretKey)]), format: 'der', type: 'pkcs8' });
const signerFor = (privateKey) => async (data) => crypto.sign(null, Buffer.from(data), privateKey).toString('base64url');
const verifyWith = (publicKey, data, sig) => crypto.verify(null, Buffer.from(data), publicKey, Buffer.from(sig, 'base64url'));

/** An @sd-jwt instance whose issuer key comes from the payload's iss (did:key), as credcore does. */
function sdJwtVc({ issuer, holder, hashAlg = 'sha-256' } = {}) {
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg,
    saltGenerator: generateSalt,
    signAlg: 'EdDSA',
    signer: issuer ? signerFor(privateKeyOf(issuer)) : undefined,
    kbSignAlg: 'EdDSA',
    kbSigner: holder ? signerFor(privateKeyOf(holder)) : undefined,
    verifier: async (data, sig) => {
      const payload = JSON.parse(Buffer.from(data.split('.')[1], 'base64url').toString());
      return verifyWith(publicKeyFromDidKey(payload.iss), data, sig);
    },
    kbVerifier: async (data, sig, payload) => verifyWith(crypto.createPublicKey({ key: payload.cnf.jwk, format: 'jwk' }), data, sig),
  });
}

/** @sd-jwt verification with nonce and audience checks (0.19 checks the nonce, not aud). */
async function sdJwtVerify(presentation, { nonce = NONCE, audience = AUD, at = NOW_S + 10 } = {}) {
  const r = await sdJwtVc().verify(presentation, { keyBindingNonce: nonce, currentDate: at });
  if (r.kb?.payload.aud !== audience) throw new Error(`audience mismatch: ${r.kb?.payload.aud}`);
  return r;
}

const keys = () => ({ issuer: credcore.generateKeyPair(), holder: credcore.generateKeyPair() });
const codes = (r) => r.errors.map((e) => e.code);
const CLAIMS = {
  sub: 'user_42',
  given_name: 'John',
  family_name: 'Doe',
  email: 'johndoe@example.com',
  address: { street_address: '123 Main St', locality: 'Anytown', country: 'US' },
  nationalities: ['US', 'DE'],
};
const FRAME = {
  _sd: ['given_name', 'family_name', 'email', 'address'],
  _sd_decoy: 2,
  address: { _sd: ['street_address'] },
  nationalities: { _sd: [0, 1] },
};

for (const hashAlg of ['sha-256', 'sha-512']) {
  test(`@sd-jwt issues (${hashAlg}, cnf, frame, decoys) and presents with key binding; credcore verifies exact claims`, async () => {
    const { issuer, holder } = keys();
    const sd = sdJwtVc({ issuer, holder, hashAlg });
    const credential = await sd.issue(
      { iss: issuer.did, iat: NOW_S, exp: NOW_S + 86400, vct: VCT, cnf: { jwk: holder.publicJwk }, ...CLAIMS },
      FRAME,
      { header: { kid: issuer.kid } },
    );
    const presentation = await sd.present(
      credential,
      { given_name: true, address: { street_address: true }, nationalities: { 1: true } },
      { kb: { payload: { iat: NOW_S + 10, aud: AUD, nonce: NONCE } } },
    );
    const r = credcore.sdJwt.verify(presentation, { nonce: NONCE, audience: AUD, now: (NOW_S + 12) * 1000, trustedIssuers: [issuer.did] });
    assert.deepEqual(codes(r), []);
    assert.equal(r.valid, true);
    assert.equal(r.kind, 'presentation');
    assert.equal(r.issuer, issuer.did);
    assert.equal(r.holder, holder.did);
    assert.deepEqual(r.claims, {
      iss: issuer.did, iat: NOW_S, exp: NOW_S + 86400, vct: VCT, cnf: { jwk: holder.publicJwk }, sub: 'user_42',
      given_name: 'John',
      address: { street_address: '123 Main St', locality: 'Anytown', country: 'US' },
      nationalities: ['DE'],
    });
    assert.deepEqual([...r.disclosed].sort(), ['/address', '/address/street_address', '/given_name', '/nationalities/0']);
    // What @sd-jwt itself reads from the same presentation.
    const theirs = await sdJwtVc({ hashAlg }).verify(presentation, { keyBindingNonce: NONCE, currentDate: NOW_S + 12 });
    assert.deepEqual(r.claims, theirs.payload);
    // Both refuse the same wrong nonce; credcore also a wrong audience and a stale KB-JWT.
    assert.deepEqual(codes(credcore.sdJwt.verify(presentation, { nonce: 'other', audience: AUD, now: (NOW_S + 12) * 1000 })), ['NONCE_MISMATCH']);
    await assert.rejects(sdJwtVc({ hashAlg }).verify(presentation, { keyBindingNonce: 'other', currentDate: NOW_S + 12 }));
    assert.deepEqual(codes(credcore.sdJwt.verify(presentation, { nonce: NONCE, audience: 'https://other.example', now: (NOW_S + 12) * 1000 })), ['AUDIENCE_MISMATCH']);
    assert.deepEqual(codes(credcore.sdJwt.verify(presentation, { nonce: NONCE, audience: AUD, now: (NOW_S + 1000) * 1000 })), ['KEY_BINDING_INVALID']);
    // Everything disclosed, no key binding.
    const all = await sd.present(credential, { given_name: true, family_name: true, email: true, address: { street_address: true }, nationalities: { 0: true, 1: true } });
    const ra = credcore.sdJwt.verify(all, { now: (NOW_S + 12) * 1000 });
    assert.deepEqual(codes(ra), []);
    assert.equal(ra.kind, 'credential');
    assert.deepEqual(ra.claims, { iss: issuer.did, iat: NOW_S, exp: NOW_S + 86400, vct: VCT, cnf: { jwk: holder.publicJwk }, ...CLAIMS });
    assert.deepEqual(codes(credcore.sdJwt.verify(all, { requireKeyBinding: true, now: (NOW_S + 12) * 1000 })), ['KEY_BINDING_MISSING']);
  });

  test(`credcore issues (${hashAlg}) and presents with key binding; @sd-jwt verifies and reads the same claims`, async () => {
    const { issuer, holder } = keys();
    const token = credcore.sdJwt.issue({ vct: VCT, ...CLAIMS }, {
      issuer,
      disclose: ['/given_name', '/family_name', '/email', '/address', '/address/street_address', '/nationalities/0', '/nationalities/1'],
      holderPublicKey: holder.publicKey,
      expiresIn: 86400,
      decoys: 2,
      hashAlg,
      now: NOW_S * 1000,
    });
    const presentation = credcore.sdJwt.present(token, {
      disclose: ['/given_name', '/address/street_address', '/nationalities/1'],
      holder, nonce: NONCE, audience: AUD, now: (NOW_S + 10) * 1000,
    });
    const theirs = await sdJwtVerify(presentation);
    const expected = {
      vct: VCT, sub: 'user_42', iss: issuer.did, iat: NOW_S, exp: NOW_S + 86400, cnf: { jwk: holder.publicJwk },
      given_name: 'John',
      address: { street_address: '123 Main St', locality: 'Anytown', country: 'US' },
      nationalities: ['DE'],
    };
    assert.deepEqual(theirs.payload, expected);
    assert.deepEqual(theirs.kb.payload.nonce, NONCE);
    assert.equal(theirs.kb.payload.iat, NOW_S + 10);
    const ours = credcore.sdJwt.verify(presentation, { nonce: NONCE, audience: AUD, now: (NOW_S + 12) * 1000 });
    assert.deepEqual(codes(ours), []);
    assert.deepEqual(ours.claims, expected);
    // @sd-jwt decodes the credential's full disclosure set the same way credcore issued it.
    const full = await sdJwtVc({ hashAlg }).verify(token, { currentDate: NOW_S + 10 });
    assert.deepEqual(full.payload, { ...expected, family_name: 'Doe', email: 'johndoe@example.com', nationalities: ['US', 'DE'] });
    // Without key binding.
    const bare = credcore.sdJwt.present(token, { disclose: ['/email'] });
    const theirsBare = await sdJwtVc({ hashAlg }).verify(bare, { currentDate: NOW_S + 10 });
    assert.equal(theirsBare.payload.email, 'johndoe@example.com');
    assert.equal(theirsBare.payload.given_name, undefined);
    assert.equal(theirsBare.kb, undefined);
  });
}

test('a tampered credcore presentation is refused by @sd-jwt and by credcore', async () => {
  const { issuer, holder } = keys();
  const token = credcore.sdJwt.issue({ vct: VCT, ...CLAIMS }, {
    issuer, disclose: ['/given_name', '/family_name', '/email'], holderPublicKey: holder.publicKey, expiresIn: 86400, now: NOW_S * 1000,
  });
  const presentation = credcore.sdJwt.present(token, { disclose: ['/given_name', '/email'], holder, nonce: NONCE, audience: AUD, now: (NOW_S + 10) * 1000 });
  await sdJwtVerify(presentation); // the untampered one passes
  const parts = presentation.split('~');
  const [jwt, d1, d2, kb] = parts;
  const [salt] = JSON.parse(Buffer.from(d1, 'base64url').toString());
  const altered = Buffer.from(JSON.stringify([salt, 'given_name', 'Mallory'])).toString('base64url');
  const familyName = token.split('~').find((d) => d && !d.includes('.') && JSON.parse(Buffer.from(d, 'base64url').toString())[1] === 'family_name');
  const [h, p, s] = jwt.split('.');
  const flippedSig = `${h}.${p}.${s.slice(0, 4)}${s[4] === 'A' ? 'B' : 'A'}${s.slice(5)}`;
  const [kh, kp] = kb.split('.');
  const otherKb = `${kh}.${kp}.${crypto.sign(null, Buffer.from(`${kh}.${kp}`), privateKeyOf(credcore.generateKeyPair())).toString('base64url')}`;
  const cases = [
    ['altered disclosure', [jwt, altered, d2, kb].join('~'), ['INVALID_DISCLOSURE_PROOF']],
    ['removed disclosure', [jwt, d2, kb].join('~'), ['KEY_BINDING_INVALID']],
    ['reordered disclosures', [jwt, d2, d1, kb].join('~'), ['KEY_BINDING_INVALID']],
    ['added disclosure (not covered by sd_hash)', [jwt, d1, d2, familyName, kb].join('~'), ['KEY_BINDING_INVALID']],
    ['issuer signature', [flippedSig, d1, d2, kb].join('~'), ['KEY_BINDING_INVALID', 'INVALID_SIGNATURE']],
    ['KB-JWT by another key', [jwt, d1, d2, otherKb].join('~'), ['KEY_BINDING_INVALID']],
  ];
  for (const [name, tampered, expected] of cases) {
    await assert.rejects(sdJwtVerify(tampered), `@sd-jwt accepted: ${name}`);
    assert.deepEqual(codes(credcore.sdJwt.verify(tampered, { nonce: NONCE, audience: AUD, now: (NOW_S + 12) * 1000 })), expected, name);
  }
  await assert.rejects(sdJwtVerify(presentation, { nonce: 'other' }), 'wrong nonce');
  await assert.rejects(sdJwtVerify(presentation, { audience: 'https://other.example' }), 'wrong audience');
});

test('stored @sd-jwt fixtures verify in credcore with the expected outcome', () => {
  const fixtures = JSON.parse(fs.readFileSync(new URL('../data/sdjwt-interop/fixtures.json', import.meta.url), 'utf8'));
  assert.equal(fixtures.cases.length, 14);
  for (const c of fixtures.cases) {
    const r = credcore.sdJwt.verify(c.presentation, { ...c.options, now: c.now * 1000 });
    assert.deepEqual(codes(r), c.expectErrors, c.name);
    assert.equal(r.valid, c.expectErrors.length === 0, c.name);
    // An invalid result carries no claims: what the presentation disclosed is under `unverified`.
    if (!r.valid) assert.equal(r.claims, null, c.name);
    const shown = r.valid ? r.claims : r.unverified.claims;
    const claims = { ...shown };
    for (const k of ['iss', 'iat', 'exp', 'cnf']) delete claims[k];
    assert.deepEqual(claims, c.expectClaims, c.name);
    for (const hidden of c.expectHidden) assert.equal(shown[hidden], undefined, `${c.name}: ${hidden}`);
  }
});
