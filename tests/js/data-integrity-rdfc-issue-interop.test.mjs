// Issuance over RDF, live interop with the Digital Bazaar stack, offline: credentials and
// presentations credcore issues with eddsa-rdfc-2022 (Ed25519) and ecdsa-rdfc-2019 (P-256,
// P-384) verify in @digitalbazaar/vc 7 with @digitalbazaar/eddsa-rdfc-2022-cryptosuite 1.3 and
// @digitalbazaar/ecdsa-rdfc-2019-cryptosuite 1.3, and tampered ones do not; what those sign with
// the same keys verifies in credcore (P-384 included, SHA-384 hash data); and the same key,
// document and options give the same eddsa-rdfc-2022 proof in both (Ed25519 is deterministic).
// Contexts from @digitalbazaar/security-document-loader and credcore-ld's bundled copies, did:key
// documents from @digitalbazaar/did-method-key: nothing is fetched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as c from 'credcore';
import { didKeyLoader, ecdsaKeys } from './lib/digital-bazaar.mjs';

const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const EX2 = 'https://www.w3.org/ns/credentials/examples/v2';
const NOW = Date.UTC(2025, 5, 15, 14);

// did:key for Ed25519, P-256 and P-384 Multikeys, beside the loader's bundled contexts.
const loader = didKeyLoader();
const ldContext = (file) => JSON.parse(readFileSync(new URL(`../../ld/contexts/${file}`, import.meta.url), 'utf8'));
loader.addStatic(EX2, ldContext('credentials-examples-v2.jsonld'));
// The Data Integrity context credcore adds to VC 1.1 credentials (the loader holds v1 only).
loader.addStatic('https://w3id.org/security/data-integrity/v2', ldContext('data-integrity-v2.jsonld'));
const documentLoader = loader.build();
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();

/** A key of `alg` as Digital Bazaar's Multikey and as a credcore key pair, one key. */
async function bothKeys(alg, fill) {
  if (alg === 'EdDSA') {
    const seed = new Uint8Array(32).fill(fill);
    const pair = await Ed25519Multikey.generate({ seed });
    const did = `did:key:${pair.publicKeyMultibase}`;
    pair.controller = did;
    pair.id = `${did}#${pair.publicKeyMultibase}`;
    const ours = c.keyPairFromSeed(seed);
    assert.equal(ours.did, did);
    return { pair, did, ours, suite: 'eddsa-rdfc-2022', db: eddsaRdfc };
  }
  const { pair, did, ours } = await ecdsaKeys(c, alg === 'ES256' ? 'P-256' : 'P-384', alg);
  return { pair, did, ours, suite: 'ecdsa-rdfc-2019', db: ecdsaRdfc };
}

const ALGS = ['EdDSA', 'ES256', 'ES384'];
const signSuite = (k, date) => new DataIntegrityProof({ signer: k.pair.signer(), cryptosuite: k.db, date });
const verifySuite = (k) => new DataIntegrityProof({ cryptosuite: k.db });
async function theirCredentialVerdict(k, credential) {
  return vc.verifyCredential({ credential, suite: verifySuite(k), documentLoader }).then((r) => r.verified, () => false);
}
async function theirPresentationVerdict(k, presentation, challenge = 'n-1', domain = 'https://verifier.example') {
  return vc.verify({ presentation, suite: verifySuite(k), challenge, domain, documentLoader }).then((r) => r.verified, () => false);
}

test('the Digital Bazaar packages under test', () => {
  const versions = ['vc', 'data-integrity', 'eddsa-rdfc-2022-cryptosuite', 'ecdsa-rdfc-2019-cryptosuite'].map(
    (name) => JSON.parse(readFileSync(new URL(`../../node_modules/@digitalbazaar/${name}/package.json`, import.meta.url), 'utf8')).version,
  );
  assert.deepEqual(versions, ['7.3.0', '2.5.0', '1.3.0', '1.3.0']);
});

test('credentials and presentations credcore issues over RDF verify in @digitalbazaar/vc; tampered ones do not', async () => {
  for (const [i, alg] of ALGS.entries()) {
    const issuer = await bothKeys(alg, 60 + i);
    const holder = await bothKeys(alg, 70 + i);
    const options = { issuer: issuer.ours, format: 'data-integrity', cryptosuite: issuer.suite };
    const credential = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada' } }, { ...options, expiresIn: 3600 });
    assert.equal(credential.proof.cryptosuite, issuer.suite);
    assert.equal(await theirCredentialVerdict(issuer, credential), true, `${alg} VC 2.0`);
    const edited = structuredClone(credential);
    edited.credentialSubject.name = 'Eve';
    assert.equal(await theirCredentialVerdict(issuer, edited), false, `${alg} edited`);
    const resigned = structuredClone(credential);
    resigned.proof.created = '2020-01-01T00:00:00Z';
    assert.equal(await theirCredentialVerdict(issuer, resigned), false, `${alg} proof option edited`);
    // VC 1.1, with the Data Integrity context credcore adds.
    const v1 = c.issueCredential({ '@context': [V1], type: ['VerifiableCredential'], credentialSubject: { id: holder.did } }, options);
    assert.deepEqual(v1['@context'], [V1, 'https://w3id.org/security/data-integrity/v2']);
    assert.equal(await theirCredentialVerdict(issuer, v1), true, `${alg} VC 1.1`);

    const vp = c.createPresentation([credential], { holder: holder.ours, nonce: 'n-1', audience: 'https://verifier.example', format: 'data-integrity', cryptosuite: holder.suite });
    assert.equal(await theirPresentationVerdict(holder, vp), true, `${alg} presentation`);
    assert.equal(await theirPresentationVerdict(holder, vp, 'n-2'), false, `${alg} another challenge`);
    const forged = structuredClone(vp);
    forged.verifiableCredential[0].credentialSubject.name = 'Eve';
    assert.equal(await theirPresentationVerdict(holder, forged), false, `${alg} presentation over an edited credential`);
    // And credcore agrees on each.
    const o = { nonce: 'n-1', audience: 'https://verifier.example' };
    assert.deepEqual([c.verifyCredential(credential).valid, c.verifyCredential(v1).valid, c.verifyPresentation(vp, o).valid], [true, true, true], alg);
    assert.deepEqual(codes(c.verifyCredential(edited)), ['INVALID_SIGNATURE']);
    assert.deepEqual(codes(c.verifyPresentation(forged, o)), ['INVALID_PRESENTATION_SIGNATURE', 'INVALID_SIGNATURE']);
  }
});

test('what @digitalbazaar/vc signs over RDF with the same keys verifies in credcore (P-384: SHA-384 hash data)', async () => {
  for (const [i, alg] of ALGS.entries()) {
    const issuer = await bothKeys(alg, 80 + i);
    const holder = await bothKeys(alg, 90 + i);
    const credential = { '@context': [V2, EX2], type: ['VerifiableCredential'], issuer: issuer.did, credentialSubject: { id: holder.did, name: 'Ada' } };
    const signed = await vc.issue({ credential, suite: signSuite(issuer), documentLoader });
    assert.equal(signed.proof.cryptosuite, issuer.suite);
    const r = c.verifyCredential(signed, { trustedIssuers: [issuer.did] });
    assert.deepEqual([r.valid, r.errors, r.issuer], [true, [], issuer.did], alg);
    const presentation = vc.createPresentation({ verifiableCredential: [signed], holder: holder.did, version: 2.0 });
    const vp = await vc.signPresentation({ presentation, suite: signSuite(holder), challenge: 'n-3', domain: 'https://verifier.example', documentLoader });
    const p = c.verifyPresentation(vp, { nonce: 'n-3', audience: 'https://verifier.example' });
    assert.deepEqual([p.valid, p.errors, p.holder], [true, [], holder.did], alg);
    const edited = { ...signed, credentialSubject: { ...signed.credentialSubject, name: 'Eve' } };
    assert.deepEqual(codes(c.verifyCredential(edited)), ['INVALID_SIGNATURE'], alg);
  }
});

test('the same key, document and options give the same eddsa-rdfc-2022 proof in credcore and in Digital Bazaar', async () => {
  const issuer = await bothKeys('EdDSA', 99);
  const created = new Date(NOW);
  const credential = { '@context': [V2, EX2], id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc34', type: ['VerifiableCredential'], issuer: issuer.did, validFrom: '2025-06-15T14:00:00Z', credentialSubject: { id: 'did:example:ada', name: 'Ada' } };
  const theirs = await vc.issue({ credential: structuredClone(credential), suite: signSuite(issuer, created), documentLoader });
  const mine = c.issueCredential(credential, { issuer: issuer.ours, format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022', now: created });
  assert.equal(mine.proof.proofValue, theirs.proof.proofValue);
  assert.deepEqual(c.canonicalize(mine), c.canonicalize(theirs));
  // A presentation with challenge and domain (of a credential about its holder): the same too.
  const holder = await bothKeys('EdDSA', 98);
  const held = c.issueCredential({ ...credential, credentialSubject: { id: holder.did, name: 'Ada' } }, { issuer: issuer.ours, format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022', now: created });
  const presentation = vc.createPresentation({ verifiableCredential: [held], holder: holder.did, version: 2.0 });
  const theirVp = await vc.signPresentation({ presentation, suite: signSuite(holder, created), challenge: 'n-4', domain: 'https://verifier.example', documentLoader });
  const myVp = c.createPresentation([held], { holder: holder.ours, nonce: 'n-4', audience: 'https://verifier.example', format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022', now: created });
  assert.deepEqual(c.verifyPresentation(theirVp, { nonce: 'n-4', audience: 'https://verifier.example' }).errors, []);
  assert.equal(await theirPresentationVerdict(holder, myVp, 'n-4'), true);
  // Their presentation document has the same members as ours: then the same proof value.
  assert.equal(c.canonicalize({ ...myVp, proof: null }), c.canonicalize({ ...theirVp, proof: null }));
  assert.equal(myVp.proof.proofValue, theirVp.proof.proofValue);
});
