// Status lists secured with Data Integrity, made by the Digital Bazaar stack, offline:
// @digitalbazaar/vc-bitstring-status-list 2 builds the BitstringStatusListCredentials (its own
// bitstring and GZIP encoding), @digitalbazaar/vc 7 signs them and the credentials referencing
// them with @digitalbazaar/eddsa-rdfc-2022-cryptosuite and ecdsa-rdfc-2019-cryptosuite (P-256),
// keys from @digitalbazaar/ed25519-multikey and ecdsa-multikey, contexts and did:key from
// @digitalbazaar/security-document-loader. credcore reads them through the module functions, a
// Verifier (results cached and not) and the pool; attacks on the lists are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as c from 'credcore';
import { checkListPaths, codes } from './lib/status-list-paths.mjs';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const documentLoader = securityLoader().build();
const NOW = Date.parse('2026-06-01T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function party(kind, seed) {
  const pair = kind === 'ed'
    ? await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(seed) })
    : await EcdsaMultikey.generate({ curve: 'P-256' });
  const did = `did:key:${pair.publicKeyMultibase}`;
  pair.controller = did;
  pair.id = `${did}#${pair.publicKeyMultibase}`;
  const suite = () => new DataIntegrityProof({ signer: pair.signer(), cryptosuite: kind === 'ed' ? eddsaRdfc : ecdsaRdfc, date: iso(NOW - 7200_000) });
  const issue = async (credential) => vc.issue({ credential: { issuer: did, ...structuredClone(credential) }, suite: suite(), documentLoader });
  return { did, issue };
}

/** A Digital Bazaar list credential at `id` with `set` indices set, signed by `by`. */
async function list(by, id, purpose, set = [], extra = {}) {
  const l = await bsl.createList({ length: 131072 });
  for (const i of set) l.setStatus(i, true);
  const credential = await bsl.createCredential({ id, list: l, statusPurpose: purpose });
  return by.issue({ ...credential, validFrom: iso(NOW - 3600_000), ...extra });
}

const entry = (purpose, uri, index) => ({ id: `${uri}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: uri });

for (const kind of ['ed', 'ec']) {
  const name = kind === 'ed' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019 P-256';
  test(`Data Integrity status lists made by @digitalbazaar/vc-bitstring-status-list (${name}): verdicts and attacks on every path`, async () => {
    await c.loadDataIntegrity();
    const issuer = await party(kind, 61);
    const stranger = await party(kind, 62);
    const rev = 'https://issuer.example/status/dbrev';
    const sus = 'https://issuer.example/status/dbsus';
    const holder = c.keyPairFromSeed(new Uint8Array(32).fill(63));
    const cred = (ri, si) => issuer.issue({ '@context': [V2], type: ['VerifiableCredential'], validFrom: iso(NOW - 7200_000), credentialSubject: { id: holder.did, name: 'Ada' }, credentialStatus: [entry('revocation', rev, ri), entry('suspension', sus, si)] });
    const [vcA, vcB] = [await cred(5, 6), await cred(7, 8)];
    assert.equal(vcA.proof.cryptosuite, kind === 'ed' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019');
    const o = { now: NOW };
    const clean = { [rev]: await list(issuer, rev, 'revocation'), [sus]: await list(issuer, sus, 'suspension') };
    const revoked = { ...clean, [rev]: await list(issuer, rev, 'revocation', [5], { validFrom: iso(NOW - 1800_000) }) };
    const suspended = { ...clean, [sus]: await list(issuer, sus, 'suspension', [6], { validFrom: iso(NOW - 1800_000) }) };
    // Their own verifier agrees the lists are theirs.
    // (did:key P-256 is outside their loader's drivers: Ed25519 only.)
    if (kind === 'ed') {
      const verifySuite = new DataIntegrityProof({ cryptosuite: eddsaRdfc });
      assert.equal((await vc.verifyCredential({ credential: revoked[rev], suite: verifySuite, documentLoader })).verified, true);
    }

    const cleanBits = clean[rev].credentialSubject.encodedList;
    const far = await issuer.issue({ '@context': [V2], type: ['VerifiableCredential'], credentialSubject: { id: holder.did }, credentialStatus: entry('revocation', rev, 131072) });
    assert.deepEqual(codes(c.verifyCredential(far, { ...o, statusLists: clean })), ['INVALID_STATUS_LIST'], 'an index past the end');
    await checkListPaths({
      c, o, vcA, vcB, rev, sus, clean, revoked, suspended,
      strangers: () => list(stranger, rev, 'revocation'),
      refused: [
        ['a stranger\'s list', () => list(stranger, rev, 'revocation')],
        ['a list of another id', () => list(issuer, 'https://issuer.example/status/other', 'revocation')],
        ['an expired list', () => list(issuer, rev, 'revocation', [], { validUntil: iso(NOW - 600_000) })],
        ['a list not yet valid', () => list(issuer, rev, 'revocation', [], { validFrom: iso(NOW + 3600_000) })],
        ['a list of the other purpose', () => list(issuer, rev, 'suspension', [5])],
        ['a zip bomb', () => issuer.issue({ '@context': [V2], id: rev, type: ['VerifiableCredential', 'BitstringStatusListCredential'], validFrom: iso(NOW - 3600_000), credentialSubject: { id: `${rev}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: `u${gzipSync(Buffer.alloc(80 * 1024 * 1024)).toString('base64url')}` } })],
      ],
      tampers: [
        ['encodedList', (x) => { x.credentialSubject.encodedList = cleanBits; }],
        ['statusPurpose', (x) => { x.credentialSubject.statusPurpose = 'suspension'; }],
        ['id', (x) => { x.credentialSubject.id = `${rev}#other`; }],
        ['validFrom', (x) => { x.validFrom = iso(NOW - 60_000); }],
        ['validUntil', (x) => { x.validUntil = iso(NOW + 60_000); }],
        ['type', (x) => { x.type = ['VerifiableCredential', 'BitstringStatusListCredential', 'Extra']; }],
        ['issuer', (x) => { x.issuer = stranger.did; }],
        ['proof.created', (x) => { x.proof.created = iso(NOW - 7000_000); }],
        ['proof.proofPurpose', (x) => { x.proof.proofPurpose = 'authentication'; }],
        ['proof.proofValue', (x) => { x.proof.proofValue = clean[rev].proof.proofValue; }],
        ['no proof', (x) => { delete x.proof; }],
      ],
    });
  });
}
