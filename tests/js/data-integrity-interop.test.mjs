// Live interop with the Digital Bazaar stack, offline, no fixtures: @digitalbazaar/vc 7 with
// @digitalbazaar/data-integrity 2 and @digitalbazaar/eddsa-jcs-2022-cryptosuite 1, keys from
// @digitalbazaar/ed25519-multikey, DIDs and contexts from @digitalbazaar/security-document-loader
// (its bundled contexts and did:key driver; nothing is fetched). Credentials and presentations
// they issue verify in credcore, credcore's verify in theirs, both make the same proof from the
// same key and options, and tampered items are refused on both sides.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as c from 'credcore';

const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const documentLoader = securityLoader().build();
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();

/** A Digital Bazaar Multikey for the 32-byte `seed`, as did:key with its verification method. */
async function dbKey(seed) {
  const pair = await Ed25519Multikey.generate({ seed });
  const did = `did:key:${pair.publicKeyMultibase}`;
  pair.controller = did;
  pair.id = `${did}#${pair.publicKeyMultibase}`;
  return { pair, did };
}

const signSuite = (pair, date) => new DataIntegrityProof({ signer: pair.signer(), cryptosuite: createSignCryptosuite(), date });
const verifySuite = () => new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });

/** Digital Bazaar's verdict on a credential credcore (or anyone) made. */
async function theirVerdict(credential) {
  const r = await vc.verifyCredential({ credential, suite: verifySuite(), documentLoader });
  return r.verified;
}

test('the Digital Bazaar packages under test', () => {
  const versions = ['vc', 'data-integrity', 'eddsa-jcs-2022-cryptosuite', 'ed25519-multikey', 'security-document-loader'].map(
    (name) => JSON.parse(readFileSync(new URL(`../../node_modules/@digitalbazaar/${name}/package.json`, import.meta.url), 'utf8')).version,
  );
  assert.deepEqual(versions, ['7.3.0', '2.5.0', '1.0.0', '1.3.1', '3.2.0']);
});

// ---- Digital Bazaar -> credcore ---------------------------------------------------------------

test('credentials issued by @digitalbazaar/vc (VC 2.0 and 1.1) verify in credcore', async () => {
  const { pair, did } = await dbKey(new Uint8Array(32).fill(51));
  const holder = c.keyPairFromSeed(new Uint8Array(32).fill(52));
  const validUntil = new Date(Date.now() + 3600_000);
  validUntil.setMilliseconds(0);
  const credential = {
    '@context': [V2], type: ['VerifiableCredential'], issuer: did, validUntil: validUntil.toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: holder.did, name: 'Ada', degree: { type: 'BachelorDegree', name: 'BSc' } },
  };
  const signed = await vc.issue({ credential: structuredClone(credential), suite: signSuite(pair), documentLoader });
  assert.equal(signed.proof.cryptosuite, 'eddsa-jcs-2022');
  assert.equal(await theirVerdict(signed), true);
  const r = c.verifyCredential(signed, { trustedIssuers: [did] });
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.valid, r.format, r.kind, r.issuer, r.subject], [true, 'data-integrity', 'credential', did, holder.did]);
  assert.equal(r.valid && r.claims.degree.name, 'BSc');
  assert.equal(r.expiresAt, validUntil.getTime() / 1000);
  assert.deepEqual(codes(c.verifyCredential(signed, { now: validUntil.getTime() + 61_000 })), ['EXPIRED_CREDENTIAL']);

  // VC 1.1: Digital Bazaar adds the Data Integrity context to the document before signing.
  const v1 = { '@context': [V1], type: ['VerifiableCredential'], issuer: did, issuanceDate: '2025-01-01T00:00:00Z', credentialSubject: { id: holder.did, name: 'Ada' } };
  const signedV1 = await vc.issue({ credential: v1, suite: signSuite(pair), documentLoader });
  assert.deepEqual(signedV1['@context'], [V1, 'https://w3id.org/security/data-integrity/v2']);
  const r1 = c.verifyCredential(signedV1);
  assert.deepEqual([r1.valid, r1.format, r1.errors], [true, 'data-integrity', []]);
});

test('a presentation signed by @digitalbazaar/vc (challenge, domain) verifies in credcore', async () => {
  const { pair: issuerKey, did: issuer } = await dbKey(new Uint8Array(32).fill(53));
  const { pair: holderKey, did: holder } = await dbKey(new Uint8Array(32).fill(54));
  const credential = await vc.issue({
    credential: { '@context': [V2], type: ['VerifiableCredential'], issuer, credentialSubject: { id: holder, name: 'Ada' } },
    suite: signSuite(issuerKey), documentLoader,
  });
  const presentation = vc.createPresentation({ verifiableCredential: [credential], holder, version: 2.0 });
  const vp = await vc.signPresentation({
    presentation, suite: signSuite(holderKey), challenge: 'n-123', domain: 'https://verifier.example', documentLoader,
  });
  const theirs = await vc.verify({ presentation: vp, suite: verifySuite(), challenge: 'n-123', domain: 'https://verifier.example', documentLoader });
  assert.equal(theirs.verified, true);
  const options = { nonce: 'n-123', audience: 'https://verifier.example', trustedIssuers: [issuer] };
  const r = c.verifyPresentation(vp, options);
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.valid, r.format, r.kind, r.holder, r.credentials[0]?.issuer], [true, 'data-integrity', 'presentation', holder, issuer]);
  assert.deepEqual(codes(c.verifyPresentation(vp, { ...options, nonce: 'n-456' })), ['NONCE_MISMATCH']);
  assert.deepEqual(codes(c.verifyPresentation(vp, { ...options, audience: 'https://elsewhere.example' })), ['AUDIENCE_MISMATCH']);
});

// ---- credcore -> Digital Bazaar ---------------------------------------------------------------

test('credentials and presentations issued by credcore verify in @digitalbazaar/vc', async () => {
  const issuer = c.keyPairFromSeed(new Uint8Array(32).fill(55));
  const holder = c.keyPairFromSeed(new Uint8Array(32).fill(56));
  const credential = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada', age: 36 } }, { issuer, format: 'data-integrity', expiresIn: 3600 });
  assert.equal(await theirVerdict(credential), true);
  // VC 1.1, with the Data Integrity context credcore adds.
  const v1 = c.issueCredential({ '@context': [V1], credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer, format: 'data-integrity' });
  assert.equal(await theirVerdict(v1), true);

  const vp = c.createPresentation([credential], { holder, nonce: 'n-789', audience: 'https://verifier.example', format: 'data-integrity' });
  const r = await vc.verify({ presentation: vp, suite: verifySuite(), challenge: 'n-789', domain: 'https://verifier.example', documentLoader });
  assert.equal(r.verified, true, JSON.stringify(r.error ?? r.presentationResult));
  const wrong = await vc.verify({ presentation: vp, suite: verifySuite(), challenge: 'other', domain: 'https://verifier.example', documentLoader });
  assert.equal(wrong.verified, false);
});

test('the same key, document and options give the same proof in credcore and in Digital Bazaar', async () => {
  const seed = new Uint8Array(32).fill(57);
  const { pair, did } = await dbKey(seed);
  const ours = c.keyPairFromSeed(seed);
  assert.equal(ours.did, did);
  const created = new Date('2025-06-15T14:00:00Z');
  const credential = { '@context': [V2], id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33', type: ['VerifiableCredential'], issuer: did, validFrom: '2025-06-15T14:00:00Z', credentialSubject: { id: 'did:example:ada', name: 'Ada' } };
  const theirs = await vc.issue({ credential: structuredClone(credential), suite: signSuite(pair, created), documentLoader });
  const mine = c.issueCredential(credential, { issuer: ours, format: 'data-integrity', now: created });
  // Ed25519 is deterministic and JCS leaves no freedom: equal proof values.
  assert.equal(mine.proof.proofValue, theirs.proof.proofValue);
  assert.equal(mine.proof.created, theirs.proof.created);
  assert.deepEqual(c.canonicalize(mine), c.canonicalize(theirs));
});

// ---- tampering, both sides --------------------------------------------------------------------

test('tampered items are refused by credcore and by Digital Bazaar alike', async () => {
  const { pair, did } = await dbKey(new Uint8Array(32).fill(58));
  const holder = c.keyPairFromSeed(new Uint8Array(32).fill(59));
  const other = c.keyPairFromSeed(new Uint8Array(32).fill(60));
  const dbSigned = await vc.issue({
    credential: { '@context': [V2], type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: holder.did, name: 'Ada', age: 36 } },
    suite: signSuite(pair), documentLoader,
  });
  const ccSigned = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada', age: 36 } }, { issuer: holder, format: 'data-integrity' });
  const edits = [
    ['a subject claim', (d) => { d.credentialSubject.name = 'Eve'; }, ['INVALID_SIGNATURE']],
    ['a number', (d) => { d.credentialSubject.age = 37; }, ['INVALID_SIGNATURE']],
    ['a claim added', (d) => { d.credentialSubject.admin = true; }, ['INVALID_SIGNATURE']],
    ['the type', (d) => { d.type.push('UniversityDegreeCredential'); }, ['INVALID_SIGNATURE']],
    ['proof.created', (d) => { d.proof.created = '2020-01-01T00:00:00Z'; }, ['INVALID_SIGNATURE']],
    ['a digit of the proofValue', (d) => { const v = d.proof.proofValue; d.proof.proofValue = `${v.slice(0, 20)}${v[20] === '2' ? '3' : '2'}${v.slice(21)}`; }, ['INVALID_SIGNATURE']],
    ['the verification method', (d) => { d.proof.verificationMethod = other.kid; }, ['INVALID_DID']],
    ['the issuer and method', (d) => { d.issuer = other.did; d.proof.verificationMethod = other.kid; }, ['INVALID_SIGNATURE']],
    ['the proof purpose', (d) => { d.proof.proofPurpose = 'authentication'; }, ['INVALID_SIGNATURE', 'MALFORMED_INPUT']],
    // Read as eddsa-rdfc-2022, the credential's terms are undefined in its contexts (safe mode).
    ['the cryptosuite', (d) => { d.proof.cryptosuite = 'eddsa-rdfc-2022'; }, ['JSONLD_INVALID']],
  ];
  for (const [signer, doc] of [['Digital Bazaar', dbSigned], ['credcore', ccSigned]]) {
    assert.equal(c.verifyCredential(doc).valid, true, signer);
    assert.equal(await theirVerdict(doc), true, signer);
    for (const [what, edit, want] of edits) {
      const t = structuredClone(doc);
      edit(t);
      assert.deepEqual(codes(c.verifyCredential(t)), want, `${signer}, ${what}: credcore`);
      assert.equal(await theirVerdict(t), false, `${signer}, ${what}: Digital Bazaar`);
    }
  }
});
