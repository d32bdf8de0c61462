// Live interop, no fixtures: credentials and presentations made by anon-identity@1.0.14 and by
// jose verify in credcore, and credcore's verify in theirs. Tampered anon-identity credentials,
// which anon-identity itself accepts (it never compares the signed JWT with the body it travels
// with), fail in credcore with PAYLOAD_MISMATCH.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as c from 'credcore';
import { loadAnonIdentity } from './lib/anon-identity.mjs';

const { ai, version } = loadAnonIdentity();
const providers = [];
/** A ServiceProvider (anon-identity's verifier) trusting `issuers`; destroyed after the tests. */
// Its batch API arms a timer per presentation (default 30 s) that it never clears; a short one
// lets the test process end promptly.
function serviceProvider(issuers, { checkRevocation = false } = {}) {
  const sp = new ai.ServiceProvider('credcore-interop', issuers, { checkRevocation, batchOperations: { timeout: 2000 } });
  providers.push(sp);
  return sp;
}
// anon-identity's session manager keeps an interval timer per ServiceProvider.
after(() => providers.forEach((sp) => sp.destroy()));

const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const pathsOf = (r, code) => r.errors.filter((e) => e.code === code).map((e) => e.path).sort();
/** anon-identity key pairs are `{ publicKey, privateKey }` with the 32-byte seed as privateKey. */
const aiKeys = (kp) => ({ publicKey: kp.publicKey, privateKey: kp.secretKey });

test('anon-identity 1.0.14 is the version under test', () => {
  assert.equal(version, '1.0.14');
});

// ---- anon-identity -> credcore ------------------------------------------------------------------

async function anonIssued() {
  const idp = await ai.IdentityProvider.create();
  const wallet = await ai.UserWallet.create();
  const credential = await idp.issueVerifiableCredential(wallet.getDID(), { givenName: 'Alice', dateOfBirth: '1990-01-15' });
  await wallet.storeCredential(credential);
  return { idp, wallet, credential };
}

test('anon-identity credentials (IdentityProvider and IdentityProviderV2) verify in credcore', async () => {
  const { idp, wallet, credential } = await anonIssued();
  const r = c.verifyCredential(credential, { trustedIssuers: [idp.getDID()] });
  assert.deepEqual(r.errors, []);
  assert.equal(r.valid, true);
  assert.equal(r.format, 'anon-identity');
  assert.equal(r.kind, 'credential');
  assert.equal(r.issuer, idp.getDID());
  assert.equal(r.subject, wallet.getDID());
  assert.deepEqual(r.credentials[0].attributes, { givenName: 'Alice', dateOfBirth: '1990-01-15', isOver18: true });
  assert.equal(r.credentials[0].id, credential.id);
  assert.equal((await serviceProvider([idp.getDID()]).verifyCredential(credential)).valid, true);

  const idp2 = await ai.IdentityProviderV2.create();
  const validUntil = new Date(Date.now() + 24 * 3600 * 1000);
  validUntil.setMilliseconds(0);
  const v2 = await idp2.issueVerifiableCredentialV2(wallet.getDID(), { givenName: 'Bob', dateOfBirth: '1985-06-30' }, { validUntil: validUntil.toISOString() });
  const r2 = c.verifyCredential(v2, { trustedIssuers: [idp2.getDID()] });
  assert.deepEqual(r2.errors, []);
  assert.equal(r2.issuer, idp2.getDID());
  assert.equal(r2.expiresAt, validUntil.getTime() / 1000);
  // After validUntil (plus the default 60 s of skew) it has expired.
  const late = c.verifyCredential(v2, { now: validUntil.getTime() + 61_000 });
  assert.deepEqual(codes(late), ['EXPIRED_CREDENTIAL']);
  // Trust is the caller's list, not anon-identity's.
  assert.deepEqual(codes(c.verifyCredential(credential, { trustedIssuers: [idp2.getDID()] })), ['UNTRUSTED_ISSUER']);
});

test('anon-identity presentations (full and selective disclosure) verify in credcore', async () => {
  const { idp, wallet, credential } = await anonIssued();
  const sp = serviceProvider([idp.getDID()]);
  const vp = await wallet.createVerifiablePresentation([credential.id]);
  assert.equal((await sp.verifyPresentation(vp)).valid, true);
  const r = c.verifyPresentation(vp, { trustedIssuers: [idp.getDID()] });
  assert.deepEqual(r.errors, []);
  assert.equal(r.format, 'anon-identity');
  assert.equal(r.kind, 'presentation');
  assert.equal(r.holder, wallet.getDID());
  assert.equal(r.issuer, idp.getDID());
  assert.deepEqual(r.credentials.map((x) => x.attributes), [{ givenName: 'Alice', dateOfBirth: '1990-01-15', isOver18: true }]);

  const sd = await wallet.createSelectiveDisclosurePresentation([{ credentialId: credential.id, attributesToDisclose: ['givenName'] }]);
  const sdAnon = await sp.verifyPresentation(sd);
  assert.equal(sdAnon.valid, true);
  const rs = c.verifyPresentation(sd, { trustedIssuers: [idp.getDID()] });
  assert.deepEqual(rs.errors, []);
  assert.equal(rs.holder, wallet.getDID());
  assert.deepEqual(rs.credentials.map((x) => x.attributes), [{ givenName: 'Alice' }]);
  assert.deepEqual(rs.credentials.map((x) => x.attributes), sdAnon.credentials.map((x) => x.attributes));

  // The same presentations through verifyBatch and anon-identity's batchVerifyPresentations.
  const batch = c.verifyBatch([vp, sd, credential], { trustedIssuers: [idp.getDID()] });
  assert.deepEqual(batch.map((x) => x.valid), [true, true, true]);
  const anonBatch = await sp.batchVerifyPresentations([vp, sd]);
  assert.deepEqual(anonBatch.map((x) => x.result.valid), [true, true]);
});

test('an edited attribute: anon-identity accepts it, credcore says PAYLOAD_MISMATCH', async () => {
  const { idp, wallet, credential } = await anonIssued();
  const sp = serviceProvider([idp.getDID()]);
  const edits = { givenName: 'Mallory', dateOfBirth: '1970-01-01', isOver18: false };
  for (const [name, value] of Object.entries(edits)) {
    const tampered = structuredClone(credential);
    tampered.credentialSubject[name] = value;
    // anon-identity checks only the JWT's signature.
    assert.equal((await sp.verifyCredential(tampered)).valid, true, `anon-identity accepts an edited ${name}`);
    const r = c.verifyCredential(tampered, { trustedIssuers: [idp.getDID()] });
    assert.equal(r.valid, false);
    assert.deepEqual(codes(r), ['PAYLOAD_MISMATCH'], name);
    assert.deepEqual(pathsOf(r, 'PAYLOAD_MISMATCH'), [`credentialSubject.${name}`]);

    // The holder signs a presentation over the edited credential: anon-identity reports the
    // edited value as verified, credcore refuses it.
    const holder = new ai.UserWallet(wallet.keyPair);
    await holder.storeCredential(tampered);
    const vp = await holder.createVerifiablePresentation([tampered.id]);
    const anon = await sp.verifyPresentation(vp);
    assert.equal(anon.valid, true);
    assert.equal(anon.credentials[0].attributes[name], value);
    const rp = c.verifyPresentation(vp, { trustedIssuers: [idp.getDID()] });
    assert.equal(rp.valid, false);
    assert.deepEqual(codes(rp), ['PAYLOAD_MISMATCH'], `presentation ${name}`);
    assert.deepEqual(pathsOf(rp, 'PAYLOAD_MISMATCH'), [`credentials[0].credentialSubject.${name}`]);
  }
  // An attribute added to the body that the issuer never signed.
  const added = structuredClone(credential);
  added.credentialSubject.role = 'admin';
  assert.equal((await sp.verifyCredential(added)).valid, true);
  assert.deepEqual(codes(c.verifyCredential(added)), ['PAYLOAD_MISMATCH']);
});

// ---- credcore -> anon-identity ------------------------------------------------------------------

test("credcore's anon-identity credentials and presentations pass anon-identity's ServiceProvider", async () => {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const sp = serviceProvider([issuer.did]);
  const body = (name) => ({ type: ['VerifiableCredential', 'BasicProfileCredential'], credentialSubject: { id: holder.did, givenName: name, dateOfBirth: '1990-01-15' } });
  const cred = c.issueCredential(body('Ada'), { issuer, format: 'anon-identity', expiresIn: 3600 });
  assert.deepEqual(await sp.verifyCredential(cred), { valid: true });

  const vp = c.createPresentation([cred], { holder, format: 'anon-identity' });
  const anon = await sp.verifyPresentation(vp);
  assert.equal(anon.valid, true);
  assert.equal(anon.holder, holder.did);
  assert.equal(anon.errors, undefined);
  assert.deepEqual(anon.credentials, [{ id: cred.id, issuer: issuer.did, type: ['VerifiableCredential', 'BasicProfileCredential'], attributes: { givenName: 'Ada', dateOfBirth: '1990-01-15' } }]);

  // Two credentials in one presentation, and anon-identity's batch API over many presentations.
  const vps = ['Ada', 'Grace', 'Edsger'].map((n) => c.createPresentation([c.issueCredential(body(n), { issuer, format: 'anon-identity' }), cred], { holder, format: 'anon-identity' }));
  const batch = await sp.batchVerifyPresentations(vps);
  assert.deepEqual(batch.map((b) => b.result.valid), [true, true, true]);
  assert.deepEqual(batch.map((b) => b.result.credentials.map((x) => x.attributes.givenName)), [['Ada', 'Ada'], ['Grace', 'Ada'], ['Edsger', 'Ada']]);
  // With anon-identity's default revocation check on (nothing revoked).
  const withRevocation = serviceProvider([issuer.did], { checkRevocation: true });
  assert.equal((await withRevocation.verifyPresentation(vp)).valid, true);

  // anon-identity refuses what credcore refuses on signatures: a flipped presentation signature.
  const flipped = structuredClone(vp);
  const jws = flipped.proof.jws;
  flipped.proof.jws = jws.slice(0, -5) + (jws.at(-5) === 'A' ? 'B' : 'A') + jws.slice(-4);
  assert.equal((await sp.verifyPresentation(flipped)).valid, false);
  assert.deepEqual(codes(c.verifyPresentation(flipped)), ['INVALID_PRESENTATION_SIGNATURE']);
});

test('an anon-identity wallet holding a credcore credential, and an anon-identity issuer with credcore keys', async () => {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  // The same keys give the same DIDs in both libraries.
  const wallet = new ai.UserWallet(aiKeys(holder));
  assert.equal(wallet.getDID(), holder.did);
  const idp = new ai.IdentityProvider(aiKeys(issuer));
  assert.equal(idp.getDID(), issuer.did);

  const ours = c.issueCredential({ type: ['VerifiableCredential', 'BasicProfileCredential'], credentialSubject: { id: holder.did, givenName: 'Ada' } }, { issuer, format: 'anon-identity' });
  const theirs = await idp.issueVerifiableCredential(holder.did, { givenName: 'Lin', dateOfBirth: '1991-02-03' });
  await wallet.storeCredential(ours);
  await wallet.storeCredential(theirs);
  const vp = await wallet.createVerifiablePresentation([ours.id, theirs.id]);
  const sp = serviceProvider([issuer.did]);
  assert.equal((await sp.verifyPresentation(vp)).valid, true);
  const r = c.verifyPresentation(vp, { trustedIssuers: [issuer.did] });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.credentials.map((x) => x.attributes.givenName), ['Ada', 'Lin']);
  // And credcore presents anon-identity's credential for the same holder.
  const ourVp = c.createPresentation([theirs], { holder, format: 'anon-identity' });
  assert.equal((await sp.verifyPresentation(ourVp)).valid, true);
  assert.deepEqual(c.verifyPresentation(ourVp).errors, []);
});

// ---- jose -> credcore ---------------------------------------------------------------------------

/** A fresh Ed25519 key from jose, its private JWK, and its did:key and kid. */
async function joseKey() {
  const { privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  const publicKey = Uint8Array.from(atob(jwk.x.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  const did = c.didFromPublicKey(publicKey);
  return { jwk, key: await jose.importJWK(jwk, 'EdDSA'), did, kid: `${did}#${did.slice('did:key:'.length)}` };
}

function vcClaims(subject) {
  return {
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'UniversityDegreeCredential'],
      credentialSubject: { id: subject, degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } },
    },
  };
}

async function joseVcJwt(k, subject, { header = {}, exp = 3600, nbf = 0 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT(vcClaims(subject))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: k.kid, ...header })
    .setIssuer(k.did)
    .setSubject(subject)
    .setJti(`urn:uuid:${crypto.randomUUID()}`)
    .setIssuedAt(now)
    .setNotBefore(now + nbf)
    .setExpirationTime(now + exp)
    .sign(k.key);
}

test('VC-JWTs and VP-JWTs signed by jose verify in credcore', async () => {
  const k = await joseKey();
  const holder = await joseKey();
  const jwt = await joseVcJwt(k, holder.did);
  const r = c.verifyCredential(jwt, { trustedIssuers: [k.did] });
  assert.deepEqual(r.errors, []);
  assert.equal(r.format, 'vc-jwt');
  assert.equal(r.issuer, k.did);
  assert.equal(r.subject, holder.did);
  assert.deepEqual(r.claims, { id: holder.did, degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' } });
  assert.deepEqual(r.credentials[0].type, ['VerifiableCredential', 'UniversityDegreeCredential']);

  // A VP-JWT jose signs with the holder's key, carrying the credential, a nonce and an audience.
  const vp = await new jose.SignJWT({ nonce: 'n-42', vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: [jwt] } })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: holder.kid })
    .setIssuer(holder.did)
    .setAudience('did:web:verifier.example')
    .setIssuedAt()
    .sign(holder.key);
  const rp = c.verifyPresentation(vp, { nonce: 'n-42', audience: 'did:web:verifier.example', trustedIssuers: [k.did] });
  assert.deepEqual(rp.errors, []);
  assert.equal(rp.holder, holder.did);
  assert.equal(rp.kind, 'presentation');
  assert.deepEqual(codes(c.verifyPresentation(vp, { nonce: 'n-43', audience: 'did:web:other.example' })), ['AUDIENCE_MISMATCH', 'NONCE_MISMATCH']);
});

test('jose-signed tokens credcore must refuse: ES256, a kid of another DID, expired, not yet valid', async () => {
  const k = await joseKey();
  const other = await joseKey();
  const subject = other.did;
  // A real ES256 signature claiming an Ed25519 did:key issuer: that key never verifies ES256.
  const { privateKey: p256 } = await jose.generateKeyPair('ES256');
  const es256 = await new jose.SignJWT(vcClaims(subject)).setProtectedHeader({ alg: 'ES256', kid: k.kid }).setIssuer(k.did).setSubject(subject).sign(p256);
  assert.deepEqual(codes(c.verifyCredential(es256)), ['INVALID_SIGNATURE']);
  // Signed with k's key but naming another DID's key.
  assert.deepEqual(codes(c.verifyCredential(await joseVcJwt(k, subject, { header: { kid: other.kid } }))), ['INVALID_DID']);
  // Signed by another key than the issuer's DID names.
  const forged = await new jose.SignJWT(vcClaims(subject)).setProtectedHeader({ alg: 'EdDSA', kid: k.kid }).setIssuer(k.did).setSubject(subject).sign(other.key);
  assert.deepEqual(codes(c.verifyCredential(forged)), ['INVALID_SIGNATURE']);
  assert.deepEqual(codes(c.verifyCredential(await joseVcJwt(k, subject, { exp: -3600 }))), ['EXPIRED_CREDENTIAL']);
  assert.deepEqual(codes(c.verifyCredential(await joseVcJwt(k, subject, { nbf: 3600 }))), ['NOT_YET_VALID']);
});

// ---- credcore -> jose ---------------------------------------------------------------------------

test("credcore's VC-JWTs and VP-JWTs pass jose's jwtVerify", async () => {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const jwt = c.issueCredential({ type: ['VerifiableCredential', 'EmployeeCredential'], credentialSubject: { id: holder.did, name: 'Ada', level: 3 } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
  const issuerKey = await jose.importJWK(issuer.publicJwk, 'EdDSA');
  const { payload, protectedHeader } = await jose.jwtVerify(jwt, issuerKey, { algorithms: ['EdDSA'], issuer: issuer.did, subject: holder.did });
  assert.equal(protectedHeader.alg, 'EdDSA');
  assert.equal(protectedHeader.kid, issuer.kid);
  assert.equal(payload.vc.issuer, issuer.did);
  assert.deepEqual(payload.vc.credentialSubject, { id: holder.did, name: 'Ada', level: 3 });
  assert.deepEqual(payload.vc.type, ['VerifiableCredential', 'EmployeeCredential']);
  assert.equal(payload.exp - payload.nbf, 3600);

  const vp = c.createPresentation([jwt], { holder, nonce: 'n-7', audience: 'did:web:verifier.example', format: 'vp-jwt' });
  const holderKey = await jose.importJWK(holder.publicJwk, 'EdDSA');
  const vpCheck = await jose.jwtVerify(vp, holderKey, { algorithms: ['EdDSA'], issuer: holder.did, audience: 'did:web:verifier.example' });
  assert.equal(vpCheck.payload.nonce, 'n-7');
  assert.deepEqual(vpCheck.payload.vp.verifiableCredential, [jwt]);
  assert.equal(vpCheck.protectedHeader.kid, holder.kid);

  // The embedded proof.jws of credcore's anon-identity credentials is a JWT jose accepts too.
  const anon = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer, format: 'anon-identity' });
  const embedded = await jose.jwtVerify(anon.proof.jws, issuerKey, { algorithms: ['EdDSA'] });
  assert.deepEqual(embedded.payload.credentialSubject, anon.credentialSubject);

  // Both refuse a flipped signature, and the wrong key.
  const flipped = jwt.slice(0, -5) + (jwt.at(-5) === 'A' ? 'B' : 'A') + jwt.slice(-4);
  await assert.rejects(jose.jwtVerify(flipped, issuerKey), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  assert.deepEqual(codes(c.verifyCredential(flipped)), ['INVALID_SIGNATURE']);
  await assert.rejects(jose.jwtVerify(jwt, holderKey), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
});
