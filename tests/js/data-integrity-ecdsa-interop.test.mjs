// Live interop with the Digital Bazaar stack for ecdsa-jcs-2019 (P-256 and P-384), offline, no
// fixtures: @digitalbazaar/vc 7 with @digitalbazaar/data-integrity 2 and
// @digitalbazaar/ecdsa-jcs-2019-cryptosuite 1, keys from @digitalbazaar/ecdsa-multikey, did:key
// documents from @digitalbazaar/did-method-key (its Multikey driver for `zDna` and `z82L`),
// contexts from @digitalbazaar/security-document-loader (nothing is fetched). Credentials and
// presentations they issue verify in credcore (module functions and Verifier, did:key and
// did:web through a test fetch), credcore's verify in theirs, and every leaf tampered with is
// refused on both sides.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as c from 'credcore';
import { didKeyLoader, ecdsaKeys } from './lib/digital-bazaar.mjs';
import { edit, leaves, withLeaf } from './suites/data-integrity.mjs';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const CURVES = [['ES256', 'P-256'], ['ES384', 'P-384']];

// did:key for P-256 and P-384 Multikeys, beside the loader's bundled contexts.
const documentLoader = didKeyLoader().build();

/** A Digital Bazaar Multikey of `curve` as did:key, and the same key as a credcore key pair. */
const dbKey = (curve, alg) => ecdsaKeys(c, curve, alg);

const signSuite = (pair, date) => new DataIntegrityProof({ signer: pair.signer(), cryptosuite: createSignCryptosuite(), date });
const verifySuite = () => new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });

/** Digital Bazaar's verdicts; where it throws rather than answer (a malformed @context), that is a refusal. */
async function theirCredentialVerdict(credential) {
  return vc.verifyCredential({ credential, suite: verifySuite(), documentLoader }).then((r) => r.verified, () => false);
}
async function theirPresentationVerdict(presentation, challenge = 'n-1', domain = 'https://verifier.example') {
  return vc.verify({ presentation, suite: verifySuite(), challenge, domain, documentLoader }).then((r) => r.verified, () => false);
}

test('the Digital Bazaar packages under test', () => {
  const versions = ['vc', 'data-integrity', 'ecdsa-jcs-2019-cryptosuite', 'ecdsa-multikey', 'did-method-key', 'security-document-loader'].map(
    (name) => JSON.parse(readFileSync(new URL(`../../node_modules/@digitalbazaar/${name}/package.json`, import.meta.url), 'utf8')).version,
  );
  assert.deepEqual(versions, ['7.3.0', '2.5.0', '1.0.0', '1.8.0', '5.3.0', '3.2.0']);
});

// ---- Digital Bazaar -> credcore ---------------------------------------------------------------

test('credentials and presentations signed by @digitalbazaar/vc (P-256, P-384) verify in credcore', async () => {
  for (const [alg, curve] of CURVES) {
    const issuer = await dbKey(curve, alg);
    const holder = await dbKey(curve, alg);
    const credential = {
      '@context': [V2], type: ['VerifiableCredential'], issuer: issuer.did,
      credentialSubject: { id: holder.did, name: 'Ada', degree: { type: 'BachelorDegree', name: 'BSc' } },
    };
    const signed = await vc.issue({ credential, suite: signSuite(issuer.pair), documentLoader });
    assert.equal(signed.proof.cryptosuite, 'ecdsa-jcs-2019');
    assert.equal(await theirCredentialVerdict(signed), true, alg);
    const r = c.verifyCredential(signed, { trustedIssuers: [issuer.did] });
    assert.deepEqual(r.errors, [], alg);
    assert.deepEqual([r.valid, r.format, r.issuer, r.subject], [true, 'data-integrity', issuer.did, holder.did]);
    assert.equal(r.valid && r.claims.degree.name, 'BSc');
    assert.deepEqual(codes(c.verifyCredential(signed, { algorithms: [alg === 'ES256' ? 'ES384' : 'ES256'] })), ['UNSUPPORTED_ALGORITHM']);

    const presentation = vc.createPresentation({ verifiableCredential: [signed], holder: holder.did, version: 2.0 });
    const vp = await vc.signPresentation({ presentation, suite: signSuite(holder.pair), challenge: 'n-1', domain: 'https://verifier.example', documentLoader });
    assert.equal(await theirPresentationVerdict(vp), true, alg);
    const options = { nonce: 'n-1', audience: 'https://verifier.example' };
    const p = c.verifyPresentation(vp, options);
    assert.deepEqual(p.errors, [], alg);
    assert.deepEqual([p.valid, p.holder, p.credentials[0]?.issuer], [true, holder.did, issuer.did]);
    const verifier = new c.Verifier({ ...options, cache: { results: 100 } });
    for (let i = 0; i < 2; i++) assert.deepEqual(await verifier.verifyBatch([signed, vp]), [c.verifyCredential(signed, options), p]);
    verifier.free();
    assert.deepEqual(codes(c.verifyPresentation(vp, { ...options, nonce: 'n-2' })), ['NONCE_MISMATCH']);
  }
});

test('a did:web issuer with a Multikey or a JsonWebKey: their credential verifies through a Verifier that fetches its DID document', async () => {
  for (const [alg, curve] of CURVES) {
    const did = 'did:web:issuer.example';
    const generated = await EcdsaMultikey.generate({ curve });
    const pair = await EcdsaMultikey.from({ ...(await generated.export({ publicKey: true, secretKey: true })), id: `${did}#key-1`, controller: did });
    const credential = { '@context': [V2], type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: 'did:example:ada', name: 'Ada' } };
    const signed = await vc.issue({ credential, suite: signSuite(pair), documentLoader });
    const document = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did,
      verificationMethod: [{ id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase: pair.publicKeyMultibase }],
      assertionMethod: [`${did}#key-1`],
    };
    const calls = [];
    const fetch = async (url) => {
      calls.push(url);
      return url === 'https://issuer.example/.well-known/did.json' ? JSON.stringify(document) : new Response('', { status: 404 });
    };
    const r = await new c.Verifier({ fetch }).verify(signed);
    assert.deepEqual([r.valid, r.errors, calls], [true, [], ['https://issuer.example/.well-known/did.json']], alg);
    assert.deepEqual(codes(c.verifyCredential(signed)), ['KEY_UNAVAILABLE'], 'the module functions never fetch');
    // The key outside assertionMethod, and a document of another curve's key: refused.
    const noAssertion = { ...document, assertionMethod: [] };
    const r2 = await new c.Verifier({ fetch: async () => JSON.stringify(noAssertion) }).verify(signed);
    assert.equal(r2.valid, false, alg);
    const other = await EcdsaMultikey.generate({ curve: curve === 'P-256' ? 'P-384' : 'P-256' });
    const swapped = { ...document, verificationMethod: [{ ...document.verificationMethod[0], publicKeyMultibase: other.publicKeyMultibase }] };
    const r3 = await new c.Verifier({ fetch: async () => JSON.stringify(swapped) }).verify(signed);
    assert.deepEqual(codes(r3), ['INVALID_SIGNATURE'], alg);
    // The same key as a JsonWebKey (publicKeyJwk) verification method.
    const publicKeyJwk = await EcdsaMultikey.toJwk({ keyPair: pair });
    const asJwk = { ...document, verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey', controller: did, publicKeyJwk }] };
    const r4 = await new c.Verifier({ fetch: async () => JSON.stringify(asJwk) }).verify(signed);
    assert.deepEqual([r4.valid, r4.errors], [true, []], `${alg}: JsonWebKey`);
  }
});

// ---- credcore -> Digital Bazaar ---------------------------------------------------------------

test('credentials and presentations issued by credcore (P-256, P-384) verify in @digitalbazaar/vc', async () => {
  for (const alg of ['ES256', 'ES384']) {
    const issuer = c.generateKeyPair({ alg });
    const holder = c.generateKeyPair({ alg });
    const suite = { format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' };
    const credential = c.issueCredential({ credentialSubject: { id: holder.did, name: 'Ada', age: 36 } }, { issuer, expiresIn: 3600, ...suite });
    assert.equal(await theirCredentialVerdict(credential), true, alg);
    const vp = c.createPresentation([credential], { holder, nonce: 'n-1', audience: 'https://verifier.example', ...suite });
    assert.equal(await theirPresentationVerdict(vp), true, alg);
    assert.equal(await theirPresentationVerdict(vp, 'other'), false, alg);
  }
});

// ---- tampering, both sides --------------------------------------------------------------------

test('every leaf of credentials and presentations, tampered with, is refused by credcore and by Digital Bazaar', async () => {
  for (const [alg, curve] of CURVES) {
    const issuer = await dbKey(curve, alg);
    const holder = await dbKey(curve, alg);
    const body = { '@context': [V2], type: ['VerifiableCredential'], issuer: issuer.did, credentialSubject: { id: holder.did, name: 'Ada', age: 36, member: true } };
    const dbVc = await vc.issue({ credential: structuredClone(body), suite: signSuite(issuer.pair), documentLoader });
    const dbVp = await vc.signPresentation({
      presentation: vc.createPresentation({ verifiableCredential: [dbVc], holder: holder.did, version: 2.0 }),
      suite: signSuite(holder.pair), challenge: 'n-1', domain: 'https://verifier.example', documentLoader,
    });
    const suite = { format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' };
    const ccVc = c.issueCredential(body, { issuer: issuer.ours, ...suite });
    const ccVp = c.createPresentation([ccVc], { holder: holder.ours, nonce: 'n-1', audience: 'https://verifier.example', ...suite });
    const options = { nonce: 'n-1', audience: 'https://verifier.example' };
    for (const [who, cred, pres] of [['Digital Bazaar', dbVc, dbVp], ['credcore', ccVc, ccVp]]) {
      assert.equal(c.verifyCredential(cred).valid, true, who);
      assert.equal(c.verifyPresentation(pres, options).valid, true, who);
      assert.equal(await theirCredentialVerdict(cred), true, who);
      assert.equal(await theirPresentationVerdict(pres), true, who);
      let edited = 0;
      for (const path of leaves(cred)) {
        const t = withLeaf(cred, path, edit);
        assert.equal(c.verifyCredential(t).valid, false, `${alg} ${who} credential ${path}: credcore`);
        assert.equal(await theirCredentialVerdict(t), false, `${alg} ${who} credential ${path}: Digital Bazaar`);
        edited++;
      }
      for (const path of leaves(pres)) {
        const t = withLeaf(pres, path, edit);
        assert.equal(c.verifyPresentation(t, options).valid, false, `${alg} ${who} presentation ${path}: credcore`);
        assert.equal(await theirPresentationVerdict(t), false, `${alg} ${who} presentation ${path}: Digital Bazaar`);
        edited++;
      }
      assert.ok(edited >= 30, `${who}: ${edited} leaves`);
    }
  }
});

// ---- host checks ------------------------------------------------------------------------------

test('ecdsa-jcs-2019 signatures are host jobs like every ES256/ES384 JWS: a failing host fails them, never passes them', async () => {
  const internal = (file) => import(new URL(`./${file}`, import.meta.resolve('credcore')).href);
  const glue = await internal('credcore_wasm.js');
  const { settleSync, nodeAsyncHost } = await internal('host.node.js');
  const { setAsyncHost } = await internal('host-round.js');
  const suite = { format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' };
  const ecdsa = ['ES256', 'ES384'].map((alg) => c.issueCredential({ credentialSubject: { name: 'Ada' } }, { issuer: c.generateKeyPair({ alg }), ...suite }));
  const eddsa = c.issueCredential({ credentialSubject: { name: 'Ada' } }, { issuer: c.generateKeyPair(), format: 'data-integrity' });
  const inputs = [...ecdsa, eddsa];
  let asked = 0;
  glue.setHostVerifier((p) => (asked++, settleSync(p)));
  try {
    assert.deepEqual(c.verifyBatch(inputs).map((r) => r.valid), [true, true, true]);
    assert.ok(asked > 0, 'node:crypto settled the ECDSA proofs');
    glue.setHostVerifier(() => { throw new Error('host down'); });
    assert.deepEqual(c.verifyBatch(inputs).map((r) => codes(r).join()), ['INVALID_SIGNATURE', 'INVALID_SIGNATURE', '']);
  } finally {
    glue.setHostVerifier(settleSync);
  }
  setAsyncHost({ algs: nodeAsyncHost.algs, settle: () => Promise.reject(new Error('gone')) });
  try {
    const rs = await new c.Verifier({ cache: { results: 100 } }).verifyBatch(inputs);
    assert.deepEqual(rs.map((r) => codes(r).join()), ['INVALID_SIGNATURE', 'INVALID_SIGNATURE', '']);
  } finally {
    setAsyncHost(nodeAsyncHost);
  }
  // And with the hosts back, the same items pass again (nothing failed was cached as a pass or kept as a failure).
  assert.deepEqual((await new c.Verifier().verifyBatch(inputs)).map((r) => r.valid), [true, true, true]);
});
