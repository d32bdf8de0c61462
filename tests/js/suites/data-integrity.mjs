// Data Integrity (eddsa-jcs-2022, ecdsa-jcs-2019 and ecdsa-rdfc-2019 with P-256 and P-384, eddsa-rdfc-2022) through the public API, in
// Node and Chromium: issue, present and verify round trips, every field of a credential edited with
// the precise code, proof swaps, curve confusion, and the same verdicts from the module functions,
// a Verifier (cached and not) and the pool, for mixed batches too.

import { assert } from '../lib/assert.mjs';

const NOW = 1_750_000_000_000; // ms
const seed = (b) => new Uint8Array(32).fill(b);
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const at = (ms, extra = {}) => ({ now: ms, ...extra });
const V2 = 'https://www.w3.org/ns/credentials/v2';
/**
 * The W3C vc-di-eddsa alumni credential (ld/tests/vc-di-eddsa/unsigned.json) issued by its key's
 * own DID (keyPair.json), signed by @digitalbazaar/vc 7 with @digitalbazaar/eddsa-rdfc-2022-cryptosuite
 * 1.3 and the vector's proof options (created 2023-02-24T23:36:38Z).
 */
const RDFC = {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],"name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.","issuer":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","validFrom":"2023-01-01T00:00:00Z","credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"},"proof":{"type":"DataIntegrityProof","created":"2023-02-24T23:36:38Z","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","proofValue":"z3ZNYxHhm9bjNcFXnWFkadUAUvFpQK5k3bDaUgL7HQ7BSSpMgBYLRegRzNNv4DQ8Gv8oQeUQT74Fqe4n3C5gchZYv"}};
// The W3C vc-di-ecdsa ecdsa-rdfc-2019 P-256 vector (tests/vectors/vc-di-ecdsa) re-issued by its key's
// DID with the published key and proof options (tests/data_integrity_ecdsa_rdfc.rs makes it so).
const ECDSA_RDFC = {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],"name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.","issuer":"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP","validFrom":"2023-01-01T00:00:00Z","credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","created":"2023-02-24T23:36:38Z","verificationMethod":"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP","proofPurpose":"assertionMethod","proofValue":"zg1hpUJvhfFe48eNYpCxGJYdkGoLLxsddCNe6MdAgJ1vBXLqd1NTt7iaGvz61rLH7YySGpyCAGg2zN4HEW1JghEA"}};

// The same for the P-384 vector (SHA-384 hash data, an ES384 signature).
const ECDSA_RDFC_384 = {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],"name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.","issuer":"did:key:z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ","validFrom":"2023-01-01T00:00:00Z","credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","created":"2023-02-24T23:36:38Z","verificationMethod":"did:key:z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ#z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ","proofPurpose":"assertionMethod","proofValue":"zTwM5gg4qhiRFyBFAXuui5q9Q7wsdSZmFqzQGkGeBECmgN6KyLKPuAkt6TsR6zZdcX7bJmvxcnFkQ1u2rGmi8qtxjAYEKozh3M5Jkh1CPhmYxRxe281d31fKF1GJmwUnNwCb"}};

function parties(c) {
  return { issuer: c.keyPairFromSeed(seed(41)), holder: c.keyPairFromSeed(seed(42)), other: c.keyPairFromSeed(seed(43)) };
}

function items(c) {
  const { issuer, holder } = parties(c);
  // A fixed id (issuance makes a random urn:uuid otherwise): then the signature is fixed too, and
  // so is the code of each edit. With a random one, `proofValue` with an `x` appended decoded to
  // 64 bytes in about 1 run of 200 (INVALID_SIGNATURE where the others are too long: MALFORMED_INPUT).
  const body = { id: 'urn:uuid:5f0c2b8e-6d3a-4c1e-9b7a-2e8f4d6c1a90', credentialSubject: { id: holder.did, givenName: 'Ada', age: 36, member: true } };
  const vc = c.issueCredential(body, { issuer, format: 'data-integrity', expiresIn: 3600, now: NOW });
  const vp = c.createPresentation([vc], { holder, nonce: 'n', audience: 'aud', format: 'data-integrity', now: NOW });
  return { body, vc, vp };
}

/** ECDSA issuer and holder (P-256 or P-384) for ecdsa-jcs-2019. */
function ecdsaParties(c, alg) {
  const scalar = (b) => new Uint8Array(alg === 'ES256' ? 32 : 48).fill(b);
  return { issuer: c.keyPairFromSeed(scalar(51), { alg }), holder: c.keyPairFromSeed(scalar(52), { alg }) };
}

function ecdsaItems(c, alg) {
  const { issuer, holder } = ecdsaParties(c, alg);
  const suite = { format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019', now: NOW };
  const body = { credentialSubject: { id: holder.did, givenName: 'Ada', age: 36, member: true } };
  const vc = c.issueCredential(body, { issuer, expiresIn: 3600, ...suite });
  const vp = c.createPresentation([vc], { holder, nonce: 'n', audience: 'aud', ...suite });
  return { vc, vp };
}

/** Every leaf of a JSON value with its path (`a.b[0].c`). */
export function leaves(v, path = '', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => leaves(x, path ? `${path}.${k}` : k, out));
  else out.push(path);
  return out;
}

/** A deep copy of `v` with the leaf at `path` replaced by `f(leaf)`. */
export function withLeaf(v, path, f) {
  const copy = structuredClone(v);
  const keys = path.split(/\.|(?=\[)/).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let parent = copy;
  for (const k of keys.slice(0, -1)) parent = parent[k];
  const last = keys.at(-1);
  parent[last] = f(parent[last]);
  return copy;
}

/** A different value of the same kind: dates a day earlier, strings and numbers changed. */
export function edit(v) {
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(t) ? new Date(t - 86_400_000).toISOString() : `${v}x`;
  }
  if (typeof v === 'number') return v - 1;
  return !v;
}

export const tests = [
  ['issue, present and verify: eddsa-jcs-2022 credentials and presentations', (c) => {
    const { issuer, holder } = parties(c);
    const { vc, vp } = items(c);
    assert.deepEqual(vc['@context'], [V2]);
    assert.deepEqual(
      [vc.proof.type, vc.proof.cryptosuite, vc.proof.proofPurpose, vc.proof.verificationMethod],
      ['DataIntegrityProof', 'eddsa-jcs-2022', 'assertionMethod', issuer.kid],
    );
    assert.ok(vc.proof.proofValue.startsWith('z'));
    const r = c.verifyCredential(vc, at(NOW, { trustedIssuers: [issuer.did] }));
    assert.deepEqual([r.valid, r.format, r.kind, r.issuer, r.subject], [true, 'data-integrity', 'credential', issuer.did, holder.did]);
    assert.equal(r.valid && r.claims.givenName, 'Ada');
    assert.equal(r.expiresAt, NOW / 1000 + 3600);
    // As JSON text too.
    assert.equal(c.verifyCredential(JSON.stringify(vc), at(NOW)).valid, true);
    assert.deepEqual([vp.proof.proofPurpose, vp.proof.challenge, vp.proof.domain, vp.holder], ['authentication', 'n', 'aud', holder.did]);
    const p = c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'aud' }));
    assert.deepEqual([p.valid, p.format, p.kind, p.holder, p.credentials.length], [true, 'data-integrity', 'presentation', holder.did, 1]);
    assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'other', audience: 'aud' }))), ['NONCE_MISMATCH']);
    assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'elsewhere' }))), ['AUDIENCE_MISMATCH']);
    assert.deepEqual(codes(c.verifyPresentation(vc, at(NOW))), ['MALFORMED_INPUT']);
    // The default cryptosuite, by name; one credcore does not issue is a coded error.
    const named = c.issueCredential({ credentialSubject: {} }, { issuer, format: 'data-integrity', cryptosuite: 'eddsa-jcs-2022', now: NOW });
    assert.equal(c.verifyCredential(named, at(NOW)).valid, true);
    assert.throwsCode(() => c.issueCredential({ credentialSubject: {} }, { issuer, format: 'data-integrity', cryptosuite: 'bbs-2023' }), 'UNSUPPORTED_CRYPTOSUITE', 'cryptosuite');
    assert.ok(c.errorCodes().includes('UNSUPPORTED_CRYPTOSUITE'));
  }],

  ['every field of a Data Integrity credential edited: never valid, the precise codes', (c) => {
    const { vc } = items(c);
    const expected = {
      '@context[0]': ['MALFORMED_INPUT', 'PAYLOAD_MISMATCH'],
      'proof.@context[0]': ['PAYLOAD_MISMATCH'],
      'type[0]': ['MALFORMED_INPUT'],
      issuer: ['INVALID_DID'],
      'proof.verificationMethod': ['INVALID_DID'],
      validUntil: ['EXPIRED_CREDENTIAL', 'INVALID_SIGNATURE'],
      'proof.type': ['UNSUPPORTED_PROOF_TYPE'],
      'proof.cryptosuite': ['UNSUPPORTED_CRYPTOSUITE'],
      'proof.proofPurpose': ['INVALID_SIGNATURE', 'MALFORMED_INPUT'],
      'proof.proofValue': ['MALFORMED_INPUT'],
    };
    const paths = leaves(vc);
    assert.ok(paths.length >= 17, `${paths.length} leaves`);
    for (const path of paths) {
      const r = c.verifyCredential(withLeaf(vc, path, edit), at(NOW));
      assert.deepEqual(codes(r), expected[path] ?? ['INVALID_SIGNATURE'], path);
      assert.equal(r.claims, null, path);
    }
  }],

  ['proof swaps: cryptosuites, types, verification methods, purposes', (c) => {
    const { other } = parties(c);
    const { vc, vp } = items(c);
    const swap = (doc, member, value) => ({ ...doc, proof: { ...doc.proof, [member]: value } });
    for (const suite of ['bbs-2023', 'unknown-2099']) {
      assert.deepEqual(codes(c.verifyCredential(swap(vc, 'cryptosuite', suite), at(NOW))), ['UNSUPPORTED_CRYPTOSUITE'], suite);
    }
    // Read as ecdsa-jcs-2019, the Ed25519 signature is an ES256 one the Ed25519 key cannot have made.
    assert.deepEqual(codes(c.verifyCredential(swap(vc, 'cryptosuite', 'ecdsa-jcs-2019'), at(NOW))), ['INVALID_SIGNATURE']);
    // eddsa-rdfc-2022 reads the document as JSON-LD, where this credential's terms are undefined
    // (safe mode); in a browser the module functions say first that its module is not loaded.
    const rdfc = codes(c.verifyCredential(swap(vc, 'cryptosuite', 'eddsa-rdfc-2022'), at(NOW)));
    assert.ok(['JSONLD_INVALID', 'NOT_INITIALIZED'].includes(rdfc.join()), rdfc.join());
    // Ed25519Signature2020 names no cryptosuite.
    assert.deepEqual(codes(c.verifyCredential(swap(vc, 'type', 'Ed25519Signature2020'), at(NOW))), ['MALFORMED_INPUT']);
    assert.deepEqual(codes(c.verifyCredential(swap(vc, 'verificationMethod', other.kid), at(NOW))), ['INVALID_DID']);
    assert.deepEqual(codes(c.verifyCredential(swap(vc, 'proofPurpose', 'authentication'), at(NOW))), ['INVALID_SIGNATURE', 'MALFORMED_INPUT']);
    assert.deepEqual(codes(c.verifyCredential(swap(vc, 'previousProof', 'urn:uuid:1'), at(NOW))), ['UNSUPPORTED_PROOF_TYPE']);
    const { proofValue, ...unsigned } = vc.proof;
    assert.deepEqual(codes(c.verifyCredential({ ...vc, proof: unsigned }, at(NOW))), ['MISSING_PROOF']);
    assert.ok(proofValue.length > 80);
    // A proof carrying a jws too is neither format.
    const both = c.verifyCredential(swap(vc, 'jws', 'eyJhbGciOiJFZERTQSJ9..x'), at(NOW));
    assert.deepEqual([codes(both), both.format], [['MALFORMED_INPUT'], 'unknown']);
    // The holder's proof over an edited embedded credential.
    const edited = structuredClone(vp);
    edited.verifiableCredential[0].credentialSubject.givenName = 'Eve';
    const r = c.verifyPresentation(edited, at(NOW, { nonce: 'n', audience: 'aud' }));
    assert.deepEqual(codes(r), ['INVALID_PRESENTATION_SIGNATURE', 'INVALID_SIGNATURE']);
  }],

  ['the same verdicts from the module functions, a Verifier cached and not, and the pool', async (c) => {
    const { issuer, holder } = parties(c);
    const { vc, vp } = items(c);
    const jwt = c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer, format: 'vc-jwt', expiresIn: 3600, now: NOW });
    const forged = { ...vc, credentialSubject: { ...vc.credentialSubject, givenName: 'Eve' } };
    const expired = c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer, format: 'data-integrity', expiresIn: 1, now: NOW - 3600_000 });
    const inputs = [vc, vp, forged, expired, jwt, { ...vc, proof: { ...vc.proof, cryptosuite: 'bbs-2023' } }, vc];
    const options = at(NOW, { nonce: 'n', audience: 'aud' });
    const batch = c.verifyBatch(inputs, options);
    assert.deepEqual(batch.map((r) => (r.valid ? 'valid' : codes(r).join(','))), [
      'valid', 'valid', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'valid', 'UNSUPPORTED_CRYPTOSUITE', 'valid',
    ]);
    assert.deepEqual(inputs.map((x, i) => (i === 1 ? c.verifyPresentation(x, options) : c.verifyCredential(x, options))), batch);
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ ...options, cache: { results } });
      assert.deepEqual(await verifier.verifyBatch(inputs), batch, `results cache ${results}`);
      assert.deepEqual(await verifier.verifyBatch(inputs), batch, `results cache ${results}, again`);
      if (results > 0) assert.ok(verifier.stats().results.hits > 0, 'served from the cache');
      verifier.free();
    }
    const pool = await c.createPool({ workers: 2, chunkSize: 2 });
    try {
      assert.deepEqual(await pool.verifyBatch(inputs, options), batch);
      assert.deepEqual(await Promise.all(inputs.map((x) => pool.verify(x, options))), batch);
    } finally {
      await pool.close();
    }
  }],

  ['ecdsa-jcs-2019: P-256 and P-384 credentials and presentations, issued and verified', (c) => {
    for (const alg of ['ES256', 'ES384']) {
      const { issuer, holder } = ecdsaParties(c, alg);
      const { vc, vp } = ecdsaItems(c, alg);
      assert.deepEqual(
        [vc.proof.type, vc.proof.cryptosuite, vc.proof.proofPurpose, vc.proof.verificationMethod, vc['@context']],
        ['DataIntegrityProof', 'ecdsa-jcs-2019', 'assertionMethod', issuer.kid, [V2]],
      );
      const r = c.verifyCredential(vc, at(NOW, { trustedIssuers: [issuer.did] }));
      assert.deepEqual([r.valid, r.format, r.kind, r.issuer, r.subject], [true, 'data-integrity', 'credential', issuer.did, holder.did], alg);
      assert.equal(r.valid && r.claims.givenName, 'Ada');
      assert.equal(r.expiresAt, NOW / 1000 + 3600);
      assert.equal(c.verifyCredential(JSON.stringify(vc), at(NOW)).valid, true);
      assert.deepEqual([vp.proof.cryptosuite, vp.proof.proofPurpose, vp.proof.challenge, vp.proof.domain], ['ecdsa-jcs-2019', 'authentication', 'n', 'aud']);
      const p = c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'aud' }));
      assert.deepEqual([p.valid, p.holder, p.credentials.length], [true, holder.did, 1], alg);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'other', audience: 'aud' }))), ['NONCE_MISMATCH']);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'elsewhere' }))), ['AUDIENCE_MISMATCH']);
      // The algorithms option narrows the curves.
      const other = alg === 'ES256' ? 'ES384' : 'ES256';
      assert.deepEqual(codes(c.verifyCredential(vc, at(NOW, { algorithms: [other, 'EdDSA'] }))), ['UNSUPPORTED_ALGORITHM']);
      assert.equal(c.verifyCredential(vc, at(NOW, { algorithms: [alg] })).valid, true);
      // An Ed25519 key cannot issue it, nor an ECDSA key eddsa-jcs-2022; without a cryptosuite
      // an ECDSA key issues ecdsa-jcs-2019.
      assert.throwsCode(() => c.issueCredential({ credentialSubject: {} }, { issuer: parties(c).issuer, format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' }), 'UNSUPPORTED_ALGORITHM', 'format');
      assert.throwsCode(() => c.issueCredential({ credentialSubject: {} }, { issuer, format: 'data-integrity', cryptosuite: 'eddsa-jcs-2022' }), 'UNSUPPORTED_ALGORITHM', 'format');
      const byDefault = c.issueCredential({ credentialSubject: {} }, { issuer, format: 'data-integrity', now: NOW });
      assert.equal(byDefault.proof.cryptosuite, 'ecdsa-jcs-2019');
      assert.equal(c.verifyCredential(byDefault, at(NOW)).valid, true, alg);
      const vpByDefault = c.createPresentation([byDefault], { holder: issuer, format: 'data-integrity', now: NOW });
      assert.equal(vpByDefault.proof.cryptosuite, 'ecdsa-jcs-2019');
    }
  }],

  ['ecdsa-jcs-2019: every leaf edited, curve and suite swaps: never valid', (c) => {
    for (const alg of ['ES256', 'ES384']) {
      const { vc, vp } = ecdsaItems(c, alg);
      for (const [doc, verify, options] of [[vc, c.verifyCredential, at(NOW)], [vp, c.verifyPresentation, at(NOW, { nonce: 'n', audience: 'aud' })]]) {
        const paths = leaves(doc);
        assert.ok(paths.length >= 17, `${paths.length} leaves`);
        for (const path of paths) {
          const r = verify(withLeaf(doc, path, edit), options);
          assert.equal(r.valid, false, `${alg} ${path}`);
          assert.equal(r.claims, null, path);
          assert.ok(r.errors.length > 0, path);
        }
      }
      // A signature of the other curve under this key, and an eddsa reading of the proof.
      const { vc: theirs } = ecdsaItems(c, alg === 'ES256' ? 'ES384' : 'ES256');
      const swapped = { ...vc, proof: { ...vc.proof, proofValue: theirs.proof.proofValue } };
      assert.deepEqual(codes(c.verifyCredential(swapped, at(NOW))), ['INVALID_SIGNATURE'], alg);
      const eddsa = { ...vc, proof: { ...vc.proof, cryptosuite: 'eddsa-jcs-2022' } };
      assert.deepEqual(codes(c.verifyCredential(eddsa, at(NOW))), alg === 'ES256' ? ['INVALID_SIGNATURE'] : ['INVALID_SIGNATURE', 'MALFORMED_INPUT'], alg);
    }
  }],

  ['mixed batches (eddsa-jcs, ecdsa-jcs P-256 and P-384, JWT): the same verdicts everywhere, one by one too', async (c) => {
    const { issuer, holder } = parties(c);
    const { vc: ed, vp: edVp } = items(c);
    const p256 = ecdsaItems(c, 'ES256');
    const p384 = ecdsaItems(c, 'ES384');
    const es = ecdsaParties(c, 'ES256');
    const jwt = c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer: es.issuer, format: 'vc-jwt', expiresIn: 3600, now: NOW });
    const edJwt = c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer, format: 'vc-jwt', expiresIn: 3600, now: NOW });
    const forge = (doc) => ({ ...doc, credentialSubject: { ...doc.credentialSubject, givenName: 'Eve' } });
    const expired = c.issueCredential({ credentialSubject: { id: holder.did } }, { issuer: es.issuer, format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019', expiresIn: 1, now: NOW - 3600_000 });
    const inputs = [ed, p256.vc, p384.vc, jwt, edVp, p256.vp, p384.vp, forge(p256.vc), forge(p384.vc), forge(ed), expired, edJwt, p256.vc];
    const presentations = new Set([4, 5, 6]);
    const options = at(NOW, { nonce: 'n', audience: 'aud' });
    const batch = c.verifyBatch(inputs, options);
    assert.deepEqual(batch.map((r) => (r.valid ? 'valid' : codes(r).join(','))), [
      'valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'valid',
      'INVALID_SIGNATURE', 'INVALID_SIGNATURE', 'INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL', 'valid', 'valid',
    ]);
    assert.deepEqual(inputs.map((x, i) => (presentations.has(i) ? c.verifyPresentation(x, options) : c.verifyCredential(x, options))), batch);
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ ...options, cache: { results } });
      assert.deepEqual(await verifier.verifyBatch(inputs), batch, `results cache ${results}`);
      assert.deepEqual(await verifier.verifyBatch(inputs), batch, `results cache ${results}, again`);
      assert.deepEqual(await Promise.all(inputs.map((x) => verifier.verify(x))), batch, `results cache ${results}, one by one`);
      if (results > 0) assert.ok(verifier.stats().results.hits > 0, 'served from the cache');
      verifier.free();
    }
    const pool = await c.createPool({ workers: 2, chunkSize: 3 });
    try {
      assert.deepEqual(await pool.verifyBatch(inputs, options), batch);
      assert.deepEqual(await Promise.all(inputs.map((x) => pool.verify(x, options))), batch);
    } finally {
      await pool.close();
    }
  }],

  ['ecdsa-rdfc-2019 (P-256 and P-384): the W3C vectors by their keys verify on every path; edited, read as another suite or under the other curve, never', async (c) => {
    const o = at(NOW);
    const forge = (doc) => ({ ...doc, credentialSubject: { ...doc.credentialSubject, alumniOf: 'Another School' } });
    const asJcs = (doc) => ({ ...doc, proof: { ...doc.proof, cryptosuite: 'ecdsa-jcs-2019' } });
    // Each vector's signature under the other's key (a P-384 signature with a P-256 key and the reverse).
    const crossed = (doc, other) => ({ ...doc, proof: { ...doc.proof, proofValue: other.proof.proofValue } });
    const inputs = [
      ECDSA_RDFC, forge(ECDSA_RDFC), asJcs(ECDSA_RDFC),
      ECDSA_RDFC_384, forge(ECDSA_RDFC_384), asJcs(ECDSA_RDFC_384),
      crossed(ECDSA_RDFC, ECDSA_RDFC_384), crossed(ECDSA_RDFC_384, ECDSA_RDFC),
    ];
    const bad = [false, ['INVALID_SIGNATURE']];
    const expected = [[true, []], bad, bad, [true, []], bad, bad, bad, bad];
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ ...o, cache: { results } });
      for (let round = 0; round < 2; round++) {
        const rs = await verifier.verifyBatch(inputs);
        assert.deepEqual(rs.map((r) => [r.valid, codes(r)]), expected, `results cache ${results}, round ${round}`);
      }
      assert.deepEqual((await Promise.all(inputs.map((x) => verifier.verify(x)))).map((r) => [r.valid, codes(r)]), expected, `results cache ${results}, one by one`);
      if (results > 0) assert.ok(verifier.stats().results.hits > 0, 'served from the cache');
      verifier.free();
    }
    await c.loadDataIntegrity();
    for (const doc of [ECDSA_RDFC, ECDSA_RDFC_384]) {
      const r = c.verifyCredential(doc, o);
      assert.deepEqual([r.valid, r.format, r.issuer, r.claims?.alumniOf], [true, 'data-integrity', doc.issuer, 'The School of Examples']);
      // The algorithms option: the P-384 vector signs with ES384, the P-256 one with ES256.
      const alg = doc === ECDSA_RDFC ? 'ES256' : 'ES384';
      assert.deepEqual(codes(c.verifyCredential(doc, at(NOW, { algorithms: ['EdDSA', alg === 'ES256' ? 'ES384' : 'ES256'] }))), ['UNSUPPORTED_ALGORITHM']);
      assert.equal(c.verifyCredential(doc, at(NOW, { algorithms: [alg] })).valid, true);
    }
    assert.deepEqual(c.verifyBatch(inputs, o).map((x) => [x.valid, codes(x)]), expected);
    assert.deepEqual(inputs.map((x) => c.verifyCredential(x, o)).map((x) => [x.valid, codes(x)]), expected);
    const pool = await c.createPool({ workers: 1 });
    try {
      // Node's workers load the Data Integrity module themselves; a browser's are posted it by the
      // pool when their first chunk needs it: the same verdicts either way.
      assert.deepEqual((await pool.verifyBatch(inputs, o)).map((x) => [x.valid, codes(x)]), expected);
      assert.deepEqual((await Promise.all(inputs.map((x) => pool.verify(x, o)))).map((x) => [x.valid, codes(x)]), expected);
    } finally {
      await pool.close();
    }
  }],

  ['issuance over RDF: eddsa-rdfc-2022 and ecdsa-rdfc-2019 (P-256, P-384) credentials and presentations verify on every path; edited, never', async (c) => {
    const o = at(NOW, { nonce: 'n', audience: 'aud' });
    const ed = parties(c);
    const keys = [['eddsa-rdfc-2022', ed.issuer, ed.holder], ...['ES256', 'ES384'].map((alg) => ['ecdsa-rdfc-2019', ...Object.values(ecdsaParties(c, alg))])];
    const issue = (suite, issuer, holder) => {
      const body = { id: 'urn:uuid:5f0c2b8e-6d3a-4c1e-9b7a-2e8f4d6c1a91', credentialSubject: { id: holder.did, name: 'Ada' } };
      const vc = c.issueCredential(body, { issuer, format: 'data-integrity', cryptosuite: suite, expiresIn: 3600, now: NOW });
      const vp = c.createPresentation([vc], { holder, nonce: 'n', audience: 'aud', format: 'data-integrity', cryptosuite: suite, now: NOW });
      return { vc, vp };
    };
    // A browser issues over RDF only once the Data Integrity module is loaded; Node loads it itself.
    const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
    try {
      issue(...keys[0]);
    } catch (err) {
      assert.ok(!node, `Node loads the Data Integrity module itself: ${err.message}`);
      assert.equal(err.code, 'NOT_INITIALIZED');
      assert.match(err.message, /loadDataIntegrity\(\)/);
      await c.loadDataIntegrity();
    }
    const inputs = [];
    const expected = [];
    for (const [suite, issuer, holder] of keys) {
      const { vc, vp } = issue(suite, issuer, holder);
      assert.deepEqual([vc.proof.cryptosuite, vc.proof.verificationMethod, vc.proof['@context'], vp.proof.cryptosuite, vp.proof.challenge, vp.proof.domain], [suite, issuer.kid, undefined, suite, 'n', 'aud']);
      assert.equal(c.verifyCredential(vc, o).valid, true, `${suite} ${issuer.alg}`);
      assert.equal(c.verifyPresentation(vp, o).valid, true, `${suite} ${issuer.alg} presentation`);
      // The key must fit the cryptosuite.
      const wrong = suite === 'eddsa-rdfc-2022' ? ecdsaParties(c, 'ES256').issuer : ed.issuer;
      assert.throwsCode(() => c.issueCredential({ credentialSubject: {} }, { issuer: wrong, format: 'data-integrity', cryptosuite: suite }), 'UNSUPPORTED_ALGORITHM', 'format');
      for (const path of leaves(vc)) {
        const r = c.verifyCredential(withLeaf(vc, path, edit), o);
        assert.equal(r.valid, false, `${suite} ${issuer.alg} ${path}`);
      }
      const edited = structuredClone(vp);
      edited.verifiableCredential[0].credentialSubject.name = 'Eve';
      inputs.push(vc, vp, edited);
      expected.push('valid', 'valid', 'INVALID_PRESENTATION_SIGNATURE,INVALID_SIGNATURE');
    }
    // Undefined terms under the VC 1.1 context: safe mode refuses to sign what it cannot read.
    const v1 = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: ed.holder.did, nickname: 'x' } };
    assert.throwsCode(() => c.issueCredential(v1, { issuer: ed.issuer, format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022' }), 'JSONLD_INVALID');
    const verdicts = (rs) => rs.map((r) => (r.valid ? 'valid' : codes(r).join(',')));
    assert.deepEqual(verdicts(c.verifyBatch(inputs, o)), expected);
    for (const results of [0, 100]) {
      const verifier = new c.Verifier({ ...o, cache: { results } });
      assert.deepEqual(verdicts(await verifier.verifyBatch(inputs)), expected, `results cache ${results}`);
      assert.deepEqual(verdicts(await verifier.verifyBatch(inputs)), expected, `results cache ${results}, again`);
      if (results > 0) assert.ok(verifier.stats().results.hits > 0, 'served from the cache');
      verifier.free();
    }
    if (node) {
      const pool = await c.createPool({ workers: 2, chunkSize: 2 });
      try {
        assert.deepEqual(verdicts(await pool.verifyBatch(inputs, o)), expected);
        assert.deepEqual(verdicts(await Promise.all(inputs.map((x) => pool.verify(x, o)))), expected);
      } finally {
        await pool.close();
      }
    }
  }],

  ['status entries of Data Integrity credentials (jcs and rdfc, Ed25519 and P-384): revoked, suspended, unreachable, foreign and replayed lists, on every path', async (c) => {
    const ed = parties(c);
    const es = ecdsaParties(c, 'ES384');
    const stranger = c.keyPairFromSeed(seed(44));
    await c.loadDataIntegrity();
    const revUri = 'https://issuer.example/status/di/revocation';
    const susUri = 'https://issuer.example/status/di/suspension';
    const entry = (purpose, uri, index) => ({ id: `${uri}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: uri });
    const run = async (issuer, suite) => {
      const revocation = new c.StatusList({ format: 'w3c', uri: revUri, purpose: 'revocation', issuer });
      const suspension = new c.StatusList({ format: 'w3c', uri: susUri, purpose: 'suspension', issuer });
      const [ri, si] = [revocation.allocate(), suspension.allocate()];
      const [ri2, si2] = [revocation.allocate(), suspension.allocate()];
      const issue = (r, su) => c.issueCredential(
        { credentialSubject: { id: ed.holder.did, name: 'Ada' }, credentialStatus: [entry('revocation', revUri, r), entry('suspension', susUri, su)] },
        { issuer, format: 'data-integrity', cryptosuite: suite, expiresIn: 3600, now: NOW - 3600_000 },
      );
      const [vc, other] = [issue(ri, si), issue(ri2, si2)];
      const o = at(NOW);
      const sign = (l, ms, key) => l.sign({ now: ms, ...(key ? { issuer: key } : {}) });
      const lists = (ms = NOW - 600_000) => ({ [revUri]: sign(revocation, ms), [susUri]: sign(suspension, ms) });
      const clean = lists(NOW - 900_000);
      // 1. Module functions with the lists given: clean, then revoked, then suspended; the other
      //    credential stays valid throughout.
      const verdicts = (rs) => rs.map((r) => (r.valid ? 'valid' : codes(r).join(',')));
      const both = (given) => verdicts(c.verifyBatch([vc, other], { ...o, statusLists: given }));
      assert.deepEqual(both(clean), ['valid', 'valid'], suite);
      revocation.set(ri, 1);
      const revoked = lists(NOW - 300_000);
      assert.deepEqual(both(revoked), ['REVOKED_CREDENTIAL', 'valid'], suite);
      assert.equal(c.verifyCredential(vc, { ...o, statusLists: revoked }).errors[0].path, 'credentialStatus[0]');
      revocation.set(ri, 0);
      suspension.set(si, 1);
      const suspended = lists(NOW - 200_000);
      assert.deepEqual(both(suspended), ['CREDENTIAL_SUSPENDED', 'valid'], suite);
      assert.equal(c.verifyCredential(vc, { ...o, statusLists: suspended }).errors[0].path, 'credentialStatus[1]');
      // 2. No list: fail closed (open only when asked); a list signed by another issuer: refused.
      assert.deepEqual(codes(c.verifyCredential(vc, o)), ['STATUS_UNAVAILABLE']);
      assert.equal(c.verifyCredential(vc, { ...o, statusFailOpen: true }).valid, true);
      const foreign = { [revUri]: sign(revocation, NOW - 100_000, stranger), [susUri]: sign(suspension, NOW - 100_000, stranger) };
      assert.deepEqual(codes(c.verifyCredential(vc, { ...o, statusLists: foreign })), ['INVALID_STATUS_LIST']);
      // The same list credential secured with a Data Integrity proof instead of as a JWT: read
      // like the JWT (as an object or as JSON text); a tampered one, or another issuer's, refused.
      const listJwt = clean[revUri];
      const listBody = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(listJwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))));
      const listSuite = suite.includes('jcs') ? suite : undefined;
      const diList = c.issueCredential(listBody, { issuer, format: 'data-integrity', cryptosuite: listSuite, now: NOW - 900_000 });
      assert.deepEqual(verdicts([c.verifyCredential(vc, { ...o, statusLists: { ...clean, [revUri]: diList } })]), ['valid'], `${suite} DI list`);
      assert.deepEqual(verdicts([c.verifyCredential(vc, { ...o, statusLists: { ...clean, [revUri]: JSON.stringify(diList) } })]), ['valid'], `${suite} DI list text`);
      const tamperedList = structuredClone(diList);
      tamperedList.credentialSubject.statusPurpose = 'suspension';
      assert.deepEqual(codes(c.verifyCredential(vc, { ...o, statusLists: { ...clean, [revUri]: tamperedList } })), ['INVALID_STATUS_LIST']);
      const strangerList = c.issueCredential({ ...listBody, issuer: stranger.did }, { issuer: stranger, format: 'data-integrity', now: NOW - 900_000 });
      assert.deepEqual(codes(c.verifyCredential(vc, { ...o, statusLists: { ...clean, [revUri]: strangerList } })), ['INVALID_STATUS_LIST']);
      // A StatusList2021Entry reads a StatusList2021Credential (base64url GZIP, no multibase
      // prefix), never a BitstringStatusListCredential.
      const legacy = c.issueCredential(
        { '@context': [V2, 'https://w3id.org/vc/status-list/2021/v1'], credentialSubject: { id: ed.holder.did }, credentialStatus: { id: `${revUri}#${ri}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: String(ri), statusListCredential: revUri } },
        { issuer, format: 'data-integrity', cryptosuite: suite, now: NOW - 3600_000 },
      );
      assert.deepEqual(codes(c.verifyCredential(legacy, { ...o, statusLists: clean })), ['INVALID_STATUS_LIST'], suite);
      const list2021 = (bits) => c.issueCredential(
        { '@context': [V2, 'https://w3id.org/vc/status-list/2021/v1'], id: revUri, type: ['VerifiableCredential', 'StatusList2021Credential'], validFrom: listBody.validFrom, credentialSubject: { id: `${revUri}#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: bits.slice(1) } },
        { issuer, format: 'data-integrity', cryptosuite: listSuite, now: NOW - 900_000 },
      );
      const revokedBody = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(revoked[revUri].split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))));
      assert.deepEqual(verdicts([c.verifyCredential(legacy, { ...o, statusLists: { [revUri]: list2021(listBody.credentialSubject.encodedList) } })]), ['valid'], `${suite} StatusList2021`);
      assert.deepEqual(codes(c.verifyCredential(legacy, { ...o, statusLists: { [revUri]: list2021(revokedBody.credentialSubject.encodedList) } })), ['REVOKED_CREDENTIAL'], `${suite} StatusList2021 revoked`);
      assert.deepEqual(codes(c.verifyCredential(vc, { ...o, statusLists: { ...clean, [revUri]: list2021(listBody.credentialSubject.encodedList) } })), ['INVALID_STATUS_LIST'], 'a Bitstring entry on a 2021 list');
      assert.equal(c.verifyCredential(legacy, { ...o, statusFailOpen: true }).valid, true);
      // A forged credential is refused whatever the lists say; a status entry edited breaks the signature.
      const forged = { ...vc, credentialSubject: { ...vc.credentialSubject, name: 'Eve' } };
      assert.deepEqual(codes(c.verifyCredential(forged, { ...o, statusLists: clean })), ['INVALID_SIGNATURE']);
      const moved = structuredClone(vc);
      moved.credentialStatus[1].statusListIndex = String(si2);
      assert.deepEqual(codes(c.verifyCredential(moved, { ...o, statusLists: suspended })), ['INVALID_SIGNATURE']);
      // 3. A Verifier with a statusListResolver, results cached and not: the lists are fetched
      //    only for items whose signature and trust passed; an unreachable list fails closed; a
      //    replayed older list, once a newer one was seen, is refused.
      for (const results of [0, 100]) {
        let served = suspended;
        const asked = [];
        const verifier = new c.Verifier({ ...o, cache: { results }, statusListResolver: async (uri) => { asked.push(uri); return served[uri] ?? null; } });
        // The forged item is not run again for the lists (as for every format): its status stays unknown.
        assert.deepEqual(verdicts(await verifier.verifyBatch([vc, other, forged])), ['CREDENTIAL_SUSPENDED', 'valid', 'INVALID_SIGNATURE,STATUS_UNAVAILABLE'], `${suite} cache ${results}`);
        assert.deepEqual(asked.sort(), [revUri, susUri], 'each list fetched once, none for the forged item alone');
        assert.deepEqual(verdicts(await verifier.verifyBatch([vc, other])), ['CREDENTIAL_SUSPENDED', 'valid'], `${suite} cache ${results}, again`);
        assert.deepEqual(codes(await verifier.verify(vc, { statusLists: clean })), ['INVALID_STATUS_LIST'], 'an older list after a newer one');
        served = clean;
        verifier.clear();
        assert.deepEqual(codes(await verifier.verify(vc)), ['INVALID_STATUS_LIST'], 'a resolver replaying an older list');
        verifier.free();
        const unreachable = new c.Verifier({ ...o, cache: { results }, statusListResolver: async () => { throw new Error('offline'); } });
        assert.deepEqual(codes(await unreachable.verify(vc)), ['STATUS_UNAVAILABLE']);
        assert.equal((await unreachable.verify(vc, { statusFailOpen: true })).valid, true);
        unreachable.free();
        const foreignResolver = new c.Verifier({ ...o, cache: { results }, statusListResolver: async (uri) => foreign[uri] });
        assert.deepEqual(codes(await foreignResolver.verify(vc)), ['INVALID_STATUS_LIST']);
        foreignResolver.free();
      }
      // 4. The pool, lists given and through its resolver.
      const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
      if (node || !suite.includes('rdfc')) {
        const pool = await c.createPool({ workers: 2, chunkSize: 1, statusListResolver: async (uri) => suspended[uri] ?? null });
        try {
          assert.deepEqual(verdicts(await pool.verifyBatch([vc, other, forged], o)), ['CREDENTIAL_SUSPENDED', 'valid', 'INVALID_SIGNATURE,STATUS_UNAVAILABLE'], `${suite} pool`);
          // Lists older than the ones its workers saw: refused; newer ones given: believed.
          assert.deepEqual(verdicts(await pool.verifyBatch([vc, other], { ...o, statusLists: revoked })), ['INVALID_STATUS_LIST', 'INVALID_STATUS_LIST'], `${suite} pool, a replayed list`);
          revocation.set(ri, 1);
          const latest = lists(NOW - 50_000);
          assert.deepEqual(verdicts(await pool.verifyBatch([vc, other], { ...o, statusLists: latest })), ['CREDENTIAL_SUSPENDED,REVOKED_CREDENTIAL', 'valid'], `${suite} pool, lists given`);
          // One by one, the pool holds the newest lists it was given (its resolver's are older).
          assert.deepEqual(verdicts(await Promise.all([vc, other].map((x) => pool.verify(x, o)))), ['CREDENTIAL_SUSPENDED,REVOKED_CREDENTIAL', 'valid']);
        } finally {
          await pool.close();
        }
        const offline = await c.createPool({ workers: 1, statusListResolver: async () => null });
        try {
          assert.deepEqual(verdicts(await offline.verifyBatch([vc], o)), ['STATUS_UNAVAILABLE']);
          assert.deepEqual(verdicts(await offline.verifyBatch([vc], { ...o, statusLists: foreign })), ['INVALID_STATUS_LIST']);
        } finally {
          await offline.close();
        }
      }
      revocation.free();
      suspension.free();
    };
    await run(ed.issuer, 'eddsa-jcs-2022');
    await run(es.issuer, 'ecdsa-rdfc-2019');
    await run(ed.issuer, 'eddsa-rdfc-2022');
  }],

  ['eddsa-rdfc-2022: the Data Integrity module loads on demand (Verifier) and on request (loadDataIntegrity)', async (c) => {
    const o = at(NOW);
    const forged = { ...RDFC, credentialSubject: { ...RDFC.credentialSubject, alumniOf: 'Another School' } };
    // A Verifier loads the module when a batch needs it (browsers), or it loads itself (Node).
    const verifier = new c.Verifier(o);
    const rs = await verifier.verifyBatch([RDFC, forged]);
    assert.deepEqual(rs.map((r) => [r.valid, codes(r)]), [[true, []], [false, ['INVALID_SIGNATURE']]]);
    await c.loadDataIntegrity();
    const r = c.verifyCredential(RDFC, o);
    assert.deepEqual([r.valid, r.format, r.issuer, r.claims?.alumniOf], [true, 'data-integrity', RDFC.issuer, 'The School of Examples']);
    assert.deepEqual(codes(c.verifyCredential(forged, o)), ['INVALID_SIGNATURE']);
    assert.deepEqual(codes(c.verifyCredential({ ...RDFC, '@context': [V2] }, o)), ['JSONLD_INVALID']);
    verifier.free();
  }],

  ['proofs over RDF in a pool: the Data Integrity module reaches every worker on the first need, real verdicts cached and not, micro-batched too', async (c) => {
    const o = at(NOW);
    const forged = { ...RDFC, credentialSubject: { ...RDFC.credentialSubject, alumniOf: 'Another School' } };
    const resigned = { ...RDFC, proof: { ...RDFC.proof, proofValue: ECDSA_RDFC.proof.proofValue } };
    const ecdsaForged = { ...ECDSA_RDFC, validFrom: '2023-01-02T00:00:00Z' };
    const inputs = [RDFC, forged, ECDSA_RDFC, ecdsaForged, resigned, RDFC, ECDSA_RDFC, forged];
    const expected = [[true, []], [false, ['INVALID_SIGNATURE']], [true, []], [false, ['INVALID_SIGNATURE']], [false, ['INVALID_SIGNATURE']], [true, []], [true, []], [false, ['INVALID_SIGNATURE']]];
    for (const results of [0, 100]) {
      // Two workers, chunks of two: every worker meets a proof over RDF in the first batch.
      const pool = await c.createPool({ workers: 2, chunkSize: 2, verifier: { ...o, cache: { results } } });
      try {
        for (let round = 0; round < 2; round++) {
          const rs = await pool.verifyBatch(inputs, o);
          assert.deepEqual(rs.map((r) => [r.valid, codes(r)]), expected, `results cache ${results}, round ${round}`);
          assert.equal(rs[0].claims?.alumniOf, 'The School of Examples');
          assert.equal(rs[1].claims, null);
        }
        const one = await Promise.all(inputs.map((x) => pool.verify(x, o)));
        assert.deepEqual(one.map((r) => [r.valid, codes(r)]), expected, `results cache ${results}, micro-batched`);
      } finally {
        await pool.close();
      }
    }
    // A pool started after the page loaded the module is given it at start.
    await c.loadDataIntegrity();
    const late = await c.createPool({ workers: 1 });
    try {
      assert.deepEqual((await late.verifyBatch([forged, RDFC], o)).map((r) => [r.valid, codes(r)]), [expected[1], expected[0]]);
    } finally {
      await late.close();
    }
  }],
];
