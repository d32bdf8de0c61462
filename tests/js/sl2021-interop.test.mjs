// StatusList2021 (W3C CCG Status List 2021) made by the Digital Bazaar stack, offline:
// @digitalbazaar/vc-status-list 8 builds the StatusList2021Credentials (its own bitstring and GZIP
// encoding, VC 1.1 contexts), @digitalbazaar/vc 7 signs them and the credentials that reference
// them with @digitalbazaar/ed25519-signature-2020 (Ed25519Signature2020, the suite this list
// format was published with) and with eddsa-rdfc-2022, keys from @digitalbazaar/ed25519-multikey,
// contexts from @digitalbazaar/security-document-loader and @digitalbazaar/vc-status-list-context.
// credcore reads them through the module functions, a Verifier (results cached and not) and the
// pool, with the verdicts of their own `checkStatus`; attacks on the lists are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import * as sl from '@digitalbazaar/vc-status-list';
import slContext from '@digitalbazaar/vc-status-list-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as c from 'credcore';
import { checkListPaths, codes } from './lib/status-list-paths.mjs';

const V1 = 'https://www.w3.org/2018/credentials/v1';
const SL = slContext.CONTEXT_URL_V1;
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const DI = 'https://w3id.org/security/data-integrity/v2';
const loader = securityLoader();
loader.addStatic(SL, slContext.contexts.get(SL));
// Data Integrity v2 (W3C, as published; ld/contexts/README.md): VC 1.1 credentials name it themselves.
loader.addStatic(DI, JSON.parse(readFileSync(new URL('../../ld/contexts/data-integrity-v2.jsonld', import.meta.url), 'utf8')));
const documentLoader = loader.build();
const NOW = Date.parse('2026-06-01T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** An issuer whose did:key signs with `suite` ('ed2020' or 'rdfc'). */
async function party(suite, seed) {
  const pair = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(seed) });
  const did = `did:key:${pair.publicKeyMultibase}`;
  pair.controller = did;
  pair.id = `${did}#${pair.publicKeyMultibase}`;
  const make = () => (suite === 'ed2020'
    ? new Ed25519Signature2020({ signer: pair.signer(), date: iso(NOW - 7200_000) })
    : new DataIntegrityProof({ signer: pair.signer(), cryptosuite: eddsaRdfc, date: iso(NOW - 7200_000) }));
  const context = suite === 'ed2020' ? ED2020 : DI;
  const issue = async (credential) => {
    const body = structuredClone(credential);
    if (!body['@context'].includes(context)) body['@context'] = [...body['@context'], context];
    return vc.issue({ credential: { issuer: did, ...body }, suite: make(), documentLoader });
  };
  return { did, issue, pair };
}

/** A Digital Bazaar StatusList2021Credential at `id` with `set` indices set, signed by `by`. */
async function list(by, id, purpose, set = [], extra = {}) {
  const l = await sl.createList({ length: 131072 });
  for (const i of set) l.setStatus(i, true);
  const credential = await sl.createCredential({ id, list: l, statusPurpose: purpose });
  return by.issue({ ...credential, issuanceDate: iso(NOW - 3600_000), ...extra });
}

const entry = (purpose, uri, index) => ({ id: `${uri}#${index}`, type: 'StatusList2021Entry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: uri });

for (const suite of ['ed2020', 'rdfc']) {
  const name = suite === 'ed2020' ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022';
  test(`StatusList2021 lists made by @digitalbazaar/vc-status-list (${name}): their verdicts, and attacks refused, on every path`, async () => {
    await c.loadDataIntegrity();
    const issuer = await party(suite, 71);
    const stranger = await party(suite, 72);
    const rev = 'https://issuer.example/status/sl2021rev';
    const sus = 'https://issuer.example/status/sl2021sus';
    const holder = c.keyPairFromSeed(new Uint8Array(32).fill(73));
    const cred = (ri, si) => issuer.issue({ '@context': [V1, SL], type: ['VerifiableCredential'], issuanceDate: iso(NOW - 7200_000), credentialSubject: { id: holder.did }, credentialStatus: [entry('revocation', rev, ri), entry('suspension', sus, si)] });
    const [vcA, vcB] = [await cred(5, 6), await cred(7, 8)];
    assert.equal(vcA.proof.type, suite === 'ed2020' ? 'Ed25519Signature2020' : 'DataIntegrityProof');
    const o = { now: NOW };
    const clean = { [rev]: await list(issuer, rev, 'revocation'), [sus]: await list(issuer, sus, 'suspension') };
    const revoked = { ...clean, [rev]: await list(issuer, rev, 'revocation', [5], { issuanceDate: iso(NOW - 1800_000) }) };
    const suspended = { ...clean, [sus]: await list(issuer, sus, 'suspension', [6], { issuanceDate: iso(NOW - 1800_000) }) };
    assert.equal(revoked[rev].type[1], 'StatusList2021Credential');

    // Their own reading of the same bytes: credcore must agree with it.
    const theirs = async (lists, credential, purpose) => {
      const loaderWithLists = async (url) => (lists[url] ? { document: lists[url], documentUrl: url } : documentLoader(url));
      const verifySuite = suite === 'ed2020' ? new Ed25519Signature2020() : new DataIntegrityProof({ cryptosuite: eddsaRdfc });
      const r = await sl.checkStatus({ credential: { ...credential, credentialStatus: credential.credentialStatus.find((e) => e.statusPurpose === purpose) }, documentLoader: loaderWithLists, suite: verifySuite, verifyStatusListCredential: true, verifyMatchingIssuers: true });
      // An error: the list itself failed their checks; `verified: false`: the bit is set.
      assert.equal(r.error, undefined, String(r.error?.message));
      return r.verified ? 'clear' : 'set';
    };
    assert.equal(await theirs(revoked, vcA, 'revocation'), 'set');
    assert.equal(await theirs(revoked, vcB, 'revocation'), 'clear');
    assert.equal(await theirs(suspended, vcA, 'suspension'), 'set');
    assert.equal(await theirs(clean, vcA, 'revocation'), 'clear');

    const cleanBits = clean[rev].credentialSubject.encodedList;
    const far = await issuer.issue({ '@context': [V1, SL], type: ['VerifiableCredential'], issuanceDate: iso(NOW - 7200_000), credentialSubject: { id: holder.did }, credentialStatus: entry('revocation', rev, 131072) });
    assert.deepEqual(codes(c.verifyCredential(far, { ...o, statusLists: clean })), ['INVALID_STATUS_LIST'], 'an index past the end');
    await checkListPaths({
      c, o, vcA, vcB, rev, sus, clean, revoked, suspended,
      strangers: () => list(stranger, rev, 'revocation'),
      refused: [
        ['a stranger\'s list', () => list(stranger, rev, 'revocation')],
        ['a list of another id', () => list(issuer, 'https://issuer.example/status/other', 'revocation')],
        ['an expired list', () => list(issuer, rev, 'revocation', [], { expirationDate: iso(NOW - 600_000) })],
        ['a list not yet valid', () => list(issuer, rev, 'revocation', [], { issuanceDate: iso(NOW + 3600_000) })],
        ['a list of the other purpose', () => list(issuer, rev, 'suspension', [5])],
      ],
      tampers: [
        ['encodedList', (x) => { x.credentialSubject.encodedList = cleanBits; }],
        ['statusPurpose', (x) => { x.credentialSubject.statusPurpose = 'suspension'; }],
        ['credentialSubject.id', (x) => { x.credentialSubject.id = `${rev}#other`; }],
        ['issuanceDate', (x) => { x.issuanceDate = iso(NOW - 60_000); }],
        ['type: a Bitstring list for a StatusList2021 entry', (x) => { x.type = ['VerifiableCredential', 'BitstringStatusListCredential']; }],
        ['issuer', (x) => { x.issuer = stranger.did; }],
        ['proof.created', (x) => { x.proof.created = iso(NOW - 7000_000); }],
        ['proof.proofPurpose', (x) => { x.proof.proofPurpose = 'authentication'; }],
        ['proof.proofValue', (x) => { x.proof.proofValue = clean[rev].proof.proofValue; }],
        ['no proof', (x) => { delete x.proof; }],
      ],
    });
  });
}
