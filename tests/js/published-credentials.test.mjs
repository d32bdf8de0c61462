// Published credentials that nobody here signed, verified on every path the package ships (module
// functions, a Verifier uncached and cached, a pool batched and micro-batched, in Node and in
// headless Chromium): the Digital
// Credentials Consortium's test credentials (tests/vectors/dcc-vc-test-fixtures: eddsa-rdfc-2022,
// Ed25519Signature2020 and both at once, VC 1.1 and 2.0, Open Badges 3.0, did:key and did:web) and
// the Open Badges 3.0 Linked Data Proof test vector (tests/vectors/ob3-spec). Every credential that
// does not verify has its exact codes below, with the reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from 'credcore';
import { inPage } from './lib/page.mjs';

const vectors = fileURLToPath(new URL('../vectors/', import.meta.url));
const read = (...p) => readFileSync(join(vectors, ...p), 'utf8');
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
/**
 * A result's verdict: 'valid' or its codes. KEY_UNAVAILABLE beside another failure is left out:
 * the did:web key of an item that already failed is not fetched (cheap checks first), so whether
 * it shows depends on whether an earlier call had cached that key.
 */
const verdict = (r) => {
  if (r.valid) return 'valid';
  const all = codes(r);
  const rest = all.filter((x) => x !== 'KEY_UNAVAILABLE');
  return (rest.length > 0 ? rest : all).join(',');
};

// After every credential's issuance (the fixtures' commit is of 2026-01-23).
const NOW = Date.UTC(2026, 1, 1);
const DCC = join(vectors, 'dcc-vc-test-fixtures');
const STATUS_V1 = 'https://www.w3.org/ns/credentials/status/v1';
const statusContext = read('vc-bitstring-status-list-context', 'vc-bitstring-status-list-v1.jsonld');
const DID_WEB = {
  'did:web:digitalcredentials.github.io:vc-test-fixtures:dids:legacy': read('dcc-vc-test-fixtures', 'dids', 'legacy', 'did.json'),
  'did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf': read('dcc-vc-test-fixtures', 'dids', 'oidf', 'did.json'),
};
/** The network, as the fixtures publish it: their did:web documents and the one context not bundled. */
const online = {
  didResolver: async (did) => DID_WEB[did] ?? null,
  documentLoader: async (url) => (url === STATUS_V1 ? statusContext : Promise.reject(new Error(`not held: ${url}`))),
};

/**
 * Each credential's verdict with the fixtures' DID documents and the status context. Why those
 * that do not verify do not:
 * - EXPIRED_CREDENTIAL: `expirationDate`/`validUntil` in the past (the "expired" fixtures).
 * - NOT_YET_VALID: `validFrom` of 2099 ("notYetValid").
 * - INVALID_SIGNATURE: "tampered", a credential edited after signing.
 * - KEY_UNAVAILABLE: "badDidWeb", whose did:web document is not published.
 * - STATUS_UNAVAILABLE: every credential with a `credentialStatus`: no list is given here, and
 *   without its list a status fails closed. The fixtures' lists (BitstringStatusListCredentials
 *   with Ed25519Signature2020 proofs) are read when given, and refused: their `id` is on
 *   testing.dcconsortium.org while the credentials name them on github.io, and a list's id must
 *   be its URI (see the status-list test below).
 * - JSONLD_CONTEXT_UNAVAILABLE: contexts that are neither bundled nor published with the
 *   fixtures: https://w3id.org/dcc/v1 ("oldDCCExample") and the Open Badges extensions context
 *   https://purl.imsglobal.org/spec/ob/v3p0/extensions.json ("endorsement", "nonOBWithOBContext").
 */
const EXPECTED = {
  'v1/bothSignatureTypes/didKey/fourRegistry-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry-basicOBv3.json': 'valid',
  'v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didKey/mixedRegistry-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didKey/oidf-noStatus-expired.json': 'EXPIRED_CREDENTIAL',
  'v1/bothSignatureTypes/didKey/oidf-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didKey/oidf-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v1/bothSignatureTypes/didWeb/legacy-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didWeb/legacy-revokedStaus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/bothSignatureTypes/didWeb/legacy-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/bothSignatureTypes/didWeb/oidf-noStatus-noExpiry.json': 'valid',
  'v1/bothSignatureTypes/didWeb/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/bothSignatureTypes/didWeb/oidf-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didKey/fourRegistry-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json': 'valid',
  'v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-oldDCCExample.json': 'JSONLD_CONTEXT_UNAVAILABLE',
  'v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json': 'EXPIRED_CREDENTIAL',
  'v1/dataIntegrityProof/didKey/oidf-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didKey/oidf-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didWeb/legacy-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didWeb/legacy-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didWeb/legacy-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didWeb/oidf-noStatus-noExpiry.json': 'valid',
  'v1/dataIntegrityProof/didWeb/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/dataIntegrityProof/didWeb/oidf-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/ed25519/didKey/fourRegistry-noStatus-noExpiry.json': 'valid',
  'v1/ed25519/didKey/legacy-noStatus-expired.json': 'EXPIRED_CREDENTIAL',
  'v1/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json': 'valid',
  'v1/ed25519/didKey/legacyRegistry-noStatus-noExpiry-issuerImageId.json': 'valid',
  'v1/ed25519/didKey/mixedRegistry-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/ed25519/didKey/noRegistry-noStatus-noExpiry.json': 'valid',
  'v1/ed25519/didKey/oidf-noStatus-expired.json': 'EXPIRED_CREDENTIAL',
  'v1/ed25519/didKey/oidf-noStatus-noExpiry.json': 'valid',
  'v1/ed25519/didKey/oidf-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v1/ed25519/didWeb/legacy-noStatus-noExpiry.json': 'valid',
  'v1/ed25519/didWeb/legacy-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/ed25519/didWeb/legacy-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/ed25519/didWeb/oidf-noStatus-noExpiry.json': 'valid',
  'v1/ed25519/didWeb/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v1/ed25519/didWeb/oidf-validStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json': 'JSONLD_CONTEXT_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json': 'valid',
  'v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json': 'JSONLD_CONTEXT_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json': 'JSONLD_CONTEXT_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/noRegistry-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/noRegistry-revokedStatus-notExpired.json': 'STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didkey/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didweb/legacy-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didweb/legacy-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/bothSignatureTypes/didweb/oidf-noStatus-notExpired.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json': 'valid',
  'v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json': 'valid',
  'v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didKey/noRegsitry-revokedStatus-notExpired.json': 'STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json': 'valid',
  'v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json': 'NOT_YET_VALID',
  'v2/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json': 'STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didKey/twoOIDF-validStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didweb/legacy-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didweb/legacy-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json': 'valid',
  'v2/ed25519/didKey/legacy-expiredStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/legacy-missingTypeStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/legacy-noStatus-expired.json': 'EXPIRED_CREDENTIAL',
  'v2/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json': 'valid',
  'v2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json': 'valid',
  'v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json': 'INVALID_SIGNATURE',
  'v2/ed25519/didKey/legacy-noStatus-noExpiry.json': 'valid',
  'v2/ed25519/didKey/legacy-notYetValidStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/legacy-tamperedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/noRegistry-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/noRegistry-revokedStatus-notExpired.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didKey/oidf-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didWeb/badDidWeb.json': 'KEY_UNAVAILABLE',
  'v2/ed25519/didWeb/legacy-revokedStatus-expired.json': 'EXPIRED_CREDENTIAL,STATUS_UNAVAILABLE',
  'v2/ed25519/didWeb/legacy-revokedStatus-noExpiry.json': 'STATUS_UNAVAILABLE',
  'v2/ed25519/didWeb/oidf-noStatus-notExpired.json': 'valid',
};

const walk = (d) => readdirSync(d).sort().flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const files = walk(join(DCC, 'verifiableCredentials')).map((f) => f.slice(DCC.length + 1 + 'verifiableCredentials/'.length));
const docs = files.map((f) => JSON.parse(read('dcc-vc-test-fixtures', 'verifiableCredentials', f)));
const expected = files.map((f) => EXPECTED[f]);
/** Whether the module functions (no resolver, no loader) can reach the same verdict. */
const offline = (doc) => String(typeof doc.issuer === 'string' ? doc.issuer : doc.issuer?.id).startsWith('did:key:') && !doc['@context'].includes(STATUS_V1);
/** The credential with another `id`: its signed bytes changed, every term still defined. */
const forge = (doc) => ({ ...structuredClone(doc), id: 'urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100' });

test('every DCC fixture is listed, and the list covers each proof type', () => {
  assert.deepEqual(files, Object.keys(EXPECTED));
  const suites = new Set(docs.flatMap((d) => [].concat(d.proof).map((p) => p.cryptosuite ?? p.type)));
  assert.deepEqual([...suites].sort(), ['Ed25519Signature2020', 'eddsa-rdfc-2022']);
  assert.ok(expected.filter((e) => e === 'valid').length >= 35);
});

test('DCC fixtures: module functions, Verifier uncached and cached, pool batched and micro-batched, the same verdicts', async () => {
  const options = { now: NOW };
  // Module functions: offline, so only the did:key credentials without the status context.
  const batch = c.verifyBatch(docs, options);
  for (let i = 0; i < docs.length; i++) {
    if (offline(docs[i])) {
      assert.equal(verdict(batch[i]), expected[i], files[i]);
      assert.deepEqual(c.verifyCredential(docs[i], options), batch[i], files[i]);
    } else {
      assert.equal(batch[i].valid, false, files[i]);
      assert.ok(codes(batch[i]).some((x) => x === 'KEY_UNAVAILABLE' || x === 'JSONLD_CONTEXT_UNAVAILABLE' || x === 'NOT_YET_VALID' || x === 'EXPIRED_CREDENTIAL' || x === 'STATUS_UNAVAILABLE'), `${files[i]}: ${verdict(batch[i])}`);
    }
  }
  let reference = null;
  for (const results of [0, 100]) {
    const verifier = new c.Verifier({ ...options, ...online, cache: { results } });
    for (let round = 0; round < 2; round++) {
      const rs = await verifier.verifyBatch(docs);
      assert.deepEqual(rs.map(verdict), expected, `results cache ${results}, round ${round}`);
      reference ??= rs;
      // The valid ones, whole: claims, issuer, dates.
      for (let i = 0; i < rs.length; i++) if (rs[i].valid) assert.deepEqual(rs[i], reference[i], files[i]);
    }
    if (results > 0) assert.ok(verifier.stats().results.hits > 0);
    verifier.free();
  }
  for (let i = 0; i < docs.length; i++) if (offline(docs[i]) && batch[i].valid) assert.deepEqual(batch[i], reference[i], files[i]);
  const valid = reference.filter((r) => r.valid);
  assert.ok(valid.every((r) => r.claims !== null && typeof r.issuer === 'string'));
  const pool = await c.createPool({ workers: 2, chunkSize: 8, verifier: { ...options, cache: { results: 100 } }, ...online });
  try {
    const batched = await pool.verifyBatch(docs, options);
    assert.deepEqual(batched.map(verdict), expected, 'pool');
    const one = await Promise.all(docs.map((d) => pool.verify(d, options)));
    assert.deepEqual(one.map(verdict), expected, 'pool, micro-batched');
    for (let i = 0; i < docs.length; i++) if (reference[i].valid) assert.deepEqual([batched[i], one[i]], [reference[i], reference[i]], files[i]);
  } finally {
    await pool.close();
  }
});

test('DCC status lists (Data Integrity, Ed25519Signature2020): their proofs verify, and each is refused for what it says', async () => {
  // credcore checks each list's proof first: the tampered list is refused for its proof. The
  // others' proofs verify; then their bitstrings are 100,000 entries, under the 131,072 the
  // Bitstring Status List REC requires (section 2.1), and "missingBitStringType" is no list
  // type; each would be refused anyway for its id (testing.dcconsortium.org, while the
  // credentials reference github.io): a list's id must be its URI.
  const dir = join(DCC, 'statusLists', 'didkey-ed25519Signature2020');
  const base = 'https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/';
  const lists = Object.fromEntries(readdirSync(dir).sort().map((f) => [base + f, readFileSync(join(dir, f), 'utf8')]));
  const users = docs.filter((d) => [].concat(d.credentialStatus ?? []).some((e) => String(e.statusListCredential).startsWith(base)) && offline(d));
  assert.ok(users.length > 0);
  await c.loadDataIntegrity();
  for (const results of [0, 100]) {
    const verifier = new c.Verifier({ now: NOW, statusLists: lists, cache: { results } });
    for (const doc of users) {
      const uri = [].concat(doc.credentialStatus).find((e) => String(e.statusListCredential).startsWith(base)).statusListCredential;
      const r = await verifier.verify(doc);
      const e = r.errors.find((x) => x.code === 'INVALID_STATUS_LIST');
      assert.ok(e, `${uri}: ${verdict(r)}`);
      if (uri.endsWith('/tampered')) assert.match(e.message, /proof does not verify/, uri);
      else {
        assert.doesNotMatch(e.message, /proof/, uri);
        assert.match(e.message, uri.endsWith('/missingBitStringType') ? /credentialSubject.type must be BitstringStatusList|not a BitstringStatusListCredential/ : /at least 131072 entries \(16384 bytes\), not 12500 bytes/, uri);
      }
      const fn = c.verifyCredential(doc, { now: NOW, statusLists: lists }).errors.find((x) => x.code === 'INVALID_STATUS_LIST');
      assert.equal(fn?.message, e.message, uri);
    }
    verifier.free();
  }
});

test('DCC fixtures edited after signing: never valid, on every path', async () => {
  const signed = docs.filter((_, i) => expected[i] === 'valid');
  const forged = signed.map(forge);
  const options = { now: NOW };
  const verifier = new c.Verifier({ ...options, ...online });
  const rs = await verifier.verifyBatch(forged);
  assert.deepEqual(rs.map(verdict), forged.map(() => 'INVALID_SIGNATURE'));
  assert.ok(rs.every((r) => r.claims === null));
  const pool = await c.createPool({ workers: 2, ...online });
  try {
    assert.deepEqual((await pool.verifyBatch(forged, options)).map(verdict), forged.map(() => 'INVALID_SIGNATURE'));
  } finally {
    await pool.close();
  }
  for (const doc of forged.filter(offline)) assert.equal(verdict(c.verifyCredential(doc, options)), 'INVALID_SIGNATURE');
  verifier.free();
});

test('the Open Badges 3.0 Linked Data Proof vector: its published signature, and the credential by its published key on every path', async () => {
  const ob = JSON.parse(read('ob3-spec', 'signed-credential.json'));
  const v = JSON.parse(read('ob3-spec', 'vector.json'));
  const hex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
  assert.equal(v.dataToSignHex, v.proofHashHex + v.documentHashHex);
  assert.equal(c.verify(hex(v.dataToSignHex), hex(v.signatureHex), hex(v.publicKeyHex)), true, 'the published signature over the published data to sign');
  assert.equal(c.didFromPublicKey(hex(v.publicKeyHex)), `did:key:${v.publicKeyMultibase}`);
  assert.ok(ob.proof.verificationMethod.endsWith(`#${v.publicKeyMultibase}`));
  const issuer = ob.issuer.id;
  const issuerKeys = { [issuer]: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(v.publicKeyHex, 'hex').toString('base64url'), kid: ob.proof.verificationMethod } };
  const options = { now: NOW, issuerKeys };
  // Its issuer is an https URL whose key the credential does not carry.
  const bare = c.verifyCredential(ob, { now: NOW });
  assert.deepEqual(codes(bare), ['KEY_UNAVAILABLE']);
  const forged = forge(ob);
  const expectedPair = [[true, []], [false, ['INVALID_SIGNATURE']]];
  const pair = (rs) => rs.map((r) => [r.valid, codes(r)]);
  assert.deepEqual(pair(c.verifyBatch([ob, forged], options)), expectedPair);
  const r = c.verifyCredential(ob, options);
  assert.deepEqual([r.valid, r.format, r.issuer, r.claims?.achievement?.name], [true, 'data-integrity', issuer, 'Teamwork']);
  // Another key under the same kid: never valid.
  const other = { [issuer]: { ...c.keyPairFromSeed(new Uint8Array(32).fill(7)).publicJwk, kid: ob.proof.verificationMethod } };
  assert.equal(c.verifyCredential(ob, { now: NOW, issuerKeys: other }).valid, false);
  for (const results of [0, 100]) {
    const verifier = new c.Verifier({ ...options, cache: { results } });
    assert.deepEqual(pair(await verifier.verifyBatch([ob, forged])), expectedPair);
    assert.deepEqual(pair(await verifier.verifyBatch([ob, forged])), expectedPair);
    verifier.free();
  }
  const pool = await c.createPool({ workers: 1, verifier: { issuerKeys } });
  try {
    assert.deepEqual(pair(await pool.verifyBatch([ob, forged], { now: NOW })), expectedPair);
    assert.deepEqual(pair(await Promise.all([ob, forged].map((x) => pool.verify(x, { now: NOW })))), expectedPair);
  } finally {
    await pool.close();
  }
});

test('in headless Chromium: the DCC fixtures and the Open Badges vector through a Verifier and a browser pool, the same verdicts', async () => {
  const ob = JSON.parse(read('ob3-spec', 'signed-credential.json'));
  const v = JSON.parse(read('ob3-spec', 'vector.json'));
  const issuerKeys = { [ob.issuer.id]: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(v.publicKeyHex, 'hex').toString('base64url'), kid: ob.proof.verificationMethod } };
  const { out, errors } = await inPage(async ({ docs, didWeb, statusContext, now, ob, issuerKeys }) => {
    const c = await import('/pkg/index.browser.js');
    await c.init();
    const verdict = (r) => {
      if (r.valid) return 'valid';
      const all = [...new Set(r.errors.map((e) => e.code))].sort();
      const rest = all.filter((x) => x !== 'KEY_UNAVAILABLE');
      return (rest.length > 0 ? rest : all).join(',');
    };
    const online = {
      didResolver: async (did) => didWeb[did] ?? null,
      documentLoader: async (url) => (url === 'https://www.w3.org/ns/credentials/status/v1' ? statusContext : Promise.reject(new Error(url))),
    };
    const verifier = new c.Verifier({ now, ...online, cache: { results: 100 } });
    const first = (await verifier.verifyBatch(docs)).map(verdict);
    const cached = (await verifier.verifyBatch(docs)).map(verdict);
    const pool = await c.createPool({ workers: 2, chunkSize: 8, ...online });
    const pooled = (await pool.verifyBatch(docs, { now })).map(verdict);
    const micro = (await Promise.all(docs.map((d) => pool.verify(d, { now })))).map(verdict);
    await pool.close();
    const obPool = await c.createPool({ workers: 1, verifier: { issuerKeys } });
    const badge = verdict((await obPool.verifyBatch([ob], { now }))[0]);
    await obPool.close();
    return { first, cached, pooled, micro, badge, bare: verdict(await new c.Verifier({ now }).verify(ob)) };
  }, { docs, didWeb: DID_WEB, statusContext, now: NOW, ob, issuerKeys });
  assert.deepEqual(errors, []);
  for (const path of ['first', 'cached', 'pooled', 'micro']) assert.deepEqual(out[path], expected, path);
  assert.deepEqual([out.badge, out.bare], ['valid', 'KEY_UNAVAILABLE']);
});
