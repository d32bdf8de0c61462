// Verdicts nobody can flip, through the public API: each attack that once turned an invalid item
// valid, or served one caller's state to another, against every entry point that ships
// (verifyCredential, verifyPresentation, verifyBatch, sdJwt.verify, a Verifier uncached and cached).

import { assert } from '../lib/assert.mjs';

const NOW = 1_750_000_000_000; // ms
const S = NOW / 1000;
const V1 = 'https://www.w3.org/2018/credentials/v1';
const seed = (b) => new Uint8Array(32).fill(b);
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();

const b64u = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64u = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
const encodeJson = (v) => b64u(new TextEncoder().encode(JSON.stringify(v)));
const decodeJson = (part) => JSON.parse(new TextDecoder().decode(unb64u(part)));

/** A compact JWS over `payload` with `header`, signed by `key` (raw Ed25519 through the package). */
function jwt(c, header, payload, key) {
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${input}.${b64u(c.sign(input, key.secretKey))}`;
}

/** The same JWS with its header and payload edited, signed again by `key`. */
function resign(c, compact, key, edit) {
  const [h, p] = compact.split('.');
  const header = decodeJson(h);
  const payload = decodeJson(p);
  edit(header, payload);
  return jwt(c, header, payload, key);
}

function parties(c) {
  return { issuer: c.keyPairFromSeed(seed(31)), holder: c.keyPairFromSeed(seed(32)), attacker: c.keyPairFromSeed(seed(33)) };
}

/** Every verification entry point, each given the same input and options. */
async function everyPath(c, input, options) {
  const verifier = new c.Verifier({});
  const out = [
    ['verifyCredential', c.verifyCredential(input, options)],
    ['verifyPresentation', c.verifyPresentation(input, options)],
    ['verifyBatch', c.verifyBatch([input], options)[0]],
    ['Verifier (uncached)', await verifier.verify(input, options)],
    ['Verifier (cached)', await verifier.verify(input, options)],
  ];
  if (typeof input === 'string') out.push(['sdJwt.verify', c.sdJwt.verify(input, options)]);
  verifier.free();
  return out;
}

export const tests = [
  ['a revoked, expired VC-JWT signed as jose signs (no typ), with ~ appended: refused on every path', async (c) => {
    const { issuer, holder } = parties(c);
    const uri = 'https://issuer.example/status/trust-1';
    const list = new c.StatusList({ format: 'w3c', uri, size: 131_072, issuer });
    list.set(7, 1);
    const statusLists = { [uri]: list.sign({ now: NOW - 60_000 }) };
    const vc = jwt(c, { alg: 'EdDSA' }, {
      iss: issuer.did, sub: holder.did, nbf: S - 7200,
      vc: {
        '@context': [V1], type: ['VerifiableCredential'], credentialSubject: { id: holder.did, degree: 'BSc' },
        expirationDate: '2025-01-01T00:00:00Z',
        credentialStatus: { id: `${uri}#7`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: uri },
      },
    }, issuer);
    const options = { now: NOW, statusLists, trustedIssuers: [issuer.did] };
    assert.deepEqual(codes(c.verifyBatch([vc], options)[0]), ['EXPIRED_CREDENTIAL', 'REVOKED_CREDENTIAL']);
    for (const tail of ['~', '~~', '~WyJzYWx0IiwgIm4iLCAxXQ~']) {
      for (const [path, r] of await everyPath(c, vc + tail, options)) {
        assert.equal(r.valid, false, `${path} ${tail}`);
        assert.equal(r.format, 'vc-jwt', `${path} ${tail}`);
        assert.ok(codes(r).includes('MALFORMED_INPUT'), `${path} ${tail}: ${JSON.stringify(r.errors)}`);
        assert.equal(r.claims, null, `${path} ${tail}`);
      }
    }
    list.free();
  }],

  ['typ spelled as a media type (application/dc+sd-jwt) gets the SD-JWT VC rules; application/vc+sd-jwt needs acceptLegacyTyp', async (c) => {
    const { issuer } = parties(c);
    const token = c.sdJwt.issue({ vct: 'urn:x', given_name: 'Ada' }, { issuer, disclose: ['/given_name'], now: NOW, expiresIn: 3600 });
    const [first, ...rest] = token.split('~');
    const retype = (typ, edit = () => {}) => [resign(c, first, issuer, (h, p) => { h.typ = typ; edit(p); }), ...rest].join('~');
    for (const typ of ['application/dc+sd-jwt', 'DC+SD-JWT']) {
      assert.equal(c.sdJwt.verify(retype(typ), { now: NOW }).valid, true, typ);
      const noVct = c.sdJwt.verify(retype(typ, (p) => { delete p.vct; }), { now: NOW });
      assert.deepEqual(codes(noVct), ['MALFORMED_INPUT'], typ);
    }
    for (const typ of ['application/vc+sd-jwt', 'VC+SD-JWT']) {
      for (const [path, r] of await everyPath(c, retype(typ), { now: NOW })) {
        assert.equal(r.valid, false, `${path} ${typ}`);
        assert.ok(codes(r).includes('MALFORMED_INPUT'), `${path} ${typ}`);
      }
      assert.equal(c.sdJwt.verify(retype(typ), { now: NOW, acceptLegacyTyp: true }).valid, true, typ);
    }
  }],

  ['a cached verdict does not outlive an exp carried only by the signed proof.jws', async (c) => {
    const { issuer, holder } = parties(c);
    const anon = c.issueCredential({ credentialSubject: { id: holder.did, n: 1 } }, { issuer, format: 'anon-identity', now: NOW });
    assert.equal(anon.expirationDate, undefined);
    const exp = S + 600;
    anon.proof.jws = resign(c, anon.proof.jws, issuer, (h, p) => { p.exp = exp; });
    const verifier = new c.Verifier({});
    const first = await verifier.verify(anon, { now: NOW });
    assert.equal(first.valid, true, JSON.stringify(first.errors));
    assert.equal(first.expiresAt, exp);
    assert.equal((await verifier.verify(anon, { now: NOW + 1000 })).valid, true);
    const late = await verifier.verify(anon, { now: (exp + 61) * 1000 });
    assert.deepEqual(codes(late), ['EXPIRED_CREDENTIAL']);
    assert.deepEqual(late, c.verifyCredential(anon, { now: (exp + 61) * 1000 }));
    verifier.free();
  }],

  ['status lists: an older list after a newer one is refused by a Verifier; the module functions keep none', async (c) => {
    const { issuer, holder } = parties(c);
    const uri = 'https://issuer.example/status/trust-2';
    const list = new c.StatusList({ format: 'ietf', uri, size: 1000, bits: 2, issuer });
    const idx = list.allocate();
    const cred = c.sdJwt.issue({ vct: 'urn:x', sub: holder.did, status: { status_list: { idx, uri } } }, { issuer, now: NOW - 3600_000, expiresIn: 86_400 });
    const oldClean = list.sign({ now: NOW - 600_000 });
    list.set(idx, 1);
    const newRevoking = list.sign({ now: NOW - 60_000 });
    const verifier = new c.Verifier({});
    const run = async (l) => codes(await verifier.verify(cred, { now: NOW, ...(l ? { statusLists: { [uri]: l } } : {}) }));
    assert.deepEqual(await run(oldClean), []);
    assert.deepEqual(await run(newRevoking), ['REVOKED_CREDENTIAL']);
    assert.deepEqual(await run(oldClean), ['INVALID_STATUS_LIST']);
    assert.deepEqual(await run(null), ['REVOKED_CREDENTIAL']);
    // A resolver replaying the old list, once the verifier has seen the newer one: refused, never believed.
    const replaying = new c.Verifier({ statusListResolver: async () => oldClean });
    assert.deepEqual(codes(await replaying.verify(cred, { now: NOW, statusLists: { [uri]: newRevoking } })), ['REVOKED_CREDENTIAL']);
    // The newer list is held: nothing is fetched, and the replayed one is never asked for.
    assert.deepEqual(codes(await replaying.verify(cred, { now: NOW })), ['REVOKED_CREDENTIAL']);
    // Once a replay is supplied, it is refused.
    assert.deepEqual(codes(await replaying.verify(cred, { now: NOW, statusLists: { [uri]: oldClean } })), ['INVALID_STATUS_LIST']);
    // The module functions: a list passed to one call is not there for the next.
    assert.deepEqual(codes(c.verifyBatch([cred], { now: NOW, statusLists: { [uri]: newRevoking } })[0]), ['REVOKED_CREDENTIAL']);
    assert.deepEqual(codes(c.verifyBatch([cred], { now: NOW })[0]), ['STATUS_UNAVAILABLE']);
    assert.deepEqual(codes(c.verifyCredential(cred, { now: NOW })), ['STATUS_UNAVAILABLE']);
    assert.deepEqual(codes(c.sdJwt.verify(cred, { now: NOW })), ['STATUS_UNAVAILABLE']);
    verifier.free();
    replaying.free();
    list.free();
  }],

  ['a W3C status list credential without its id does not stand in for a list', (c) => {
    const { issuer, holder } = parties(c);
    const uri = 'https://issuer.example/status/trust-3';
    const list = new c.StatusList({ format: 'w3c', uri, size: 131_072, issuer });
    list.set(3, 1);
    const signed = list.sign({ now: NOW - 60_000 });
    const vc = c.issueCredential({ credentialSubject: { id: holder.did }, credentialStatus: { id: `${uri}#3`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '3', statusListCredential: uri } }, { issuer, format: 'vc-jwt', now: NOW, expiresIn: 3600 });
    assert.deepEqual(codes(c.verifyCredential(vc, { now: NOW, statusLists: { [uri]: signed } })), ['REVOKED_CREDENTIAL']);
    const noId = resign(c, signed, issuer, (h, p) => { delete (p.vc ?? p).id; });
    assert.deepEqual(codes(c.verifyCredential(vc, { now: NOW, statusLists: { [uri]: noId } })), ['INVALID_STATUS_LIST']);
    list.free();
  }],

  ['verifyPresentation refuses a bare SD-JWT (no key binding)', (c) => {
    const { issuer } = parties(c);
    const token = c.sdJwt.issue({ vct: 'urn:x', given_name: 'Ada' }, { issuer, now: NOW, expiresIn: 3600 });
    assert.equal(c.verifyCredential(token, { now: NOW }).valid, true);
    const r = c.verifyPresentation(token, { now: NOW });
    assert.equal(r.valid, false);
    assert.deepEqual(codes(r), ['MALFORMED_INPUT']);
    assert.equal(r.claims, null);
  }],

  ['invalid results carry no claims: what the input said is under unverified', async (c) => {
    const { issuer, holder, attacker } = parties(c);
    const vc = c.issueCredential({ credentialSubject: { id: holder.did, degree: 'BSc' } }, { issuer, format: 'vc-jwt', now: NOW });
    const [h, p] = vc.split('.');
    const forged = `${h}.${p}.${b64u(c.sign(`${h}.${p}`, attacker.secretKey))}`;
    const sd = c.sdJwt.issue({ vct: 'urn:x', degree: 'BSc' }, { issuer, now: NOW, disclose: ['/degree'] });
    for (const [what, input, options] of [['forged VC-JWT', forged, { now: NOW }], ['untrusted SD-JWT', sd, { now: NOW, trustedIssuers: [attacker.did] }]]) {
      for (const [path, r] of await everyPath(c, input, options)) {
        if (path === 'verifyPresentation') continue;
        assert.equal(r.valid, false, `${what} ${path}`);
        assert.equal(r.claims, null, `${what} ${path}`);
        assert.equal(r.subject, null, `${what} ${path}`);
        assert.deepEqual(r.credentials, [], `${what} ${path}`);
        assert.equal(r.disclosed, undefined, `${what} ${path}`);
        assert.equal(r.unverified.claims.degree, 'BSc', `${what} ${path}`);
      }
    }
    const ok = c.verifyCredential(vc, { now: NOW });
    assert.equal(ok.valid, true);
    assert.equal(ok.unverified, undefined);
    assert.equal(ok.claims.degree, 'BSc');
  }],

  ['a statusListResolver is asked only for lists that decide a verdict: never for forged or untrusted items', async (c) => {
    const { issuer, holder, attacker } = parties(c);
    const uri = 'https://issuer.example/status/trust-4';
    const list = new c.StatusList({ format: 'ietf', uri, size: 1000, bits: 2, issuer });
    const idx = list.allocate();
    list.set(idx, 1);
    const token = list.sign({ now: NOW - 60_000 });
    const cred = c.sdJwt.issue({ vct: 'urn:x', sub: holder.did, status: { status_list: { idx, uri } } }, { issuer, now: NOW - 3600_000, expiresIn: 86_400 });
    const [first, ...rest] = cred.split('~');
    const [h, p] = first.split('.');
    const forged = [`${h}.${p}.${b64u(c.sign(`${h}.${p}`, attacker.secretKey))}`, ...rest].join('~');
    const asked = [];
    const verifier = new c.Verifier({ statusListResolver: async (u) => { asked.push(u); return u === uri ? token : null; } });
    const untrusted = await verifier.verify(cred, { now: NOW, trustedIssuers: [attacker.did] });
    assert.ok(codes(untrusted).includes('UNTRUSTED_ISSUER'));
    const bad = await verifier.verify(forged, { now: NOW });
    assert.ok(codes(bad).includes('INVALID_SIGNATURE'));
    assert.deepEqual(asked, [], 'no list fetched for items that fail anyway');
    // An honest item among them: its list is fetched once, and only it runs again.
    const results = await verifier.verifyBatch([forged, cred, forged], { now: NOW });
    assert.deepEqual(asked, [uri]);
    assert.deepEqual(results.map(codes), [['INVALID_SIGNATURE', 'STATUS_UNAVAILABLE'], ['REVOKED_CREDENTIAL'], ['INVALID_SIGNATURE', 'STATUS_UNAVAILABLE']]);
    verifier.free();
    list.free();
  }],

  ['shapes other issuers publish: @context required and first, a bare did:key kid, SD-JWTs typed JWT, Data Integrity proofs refused as such', (c) => {
    const { issuer, holder } = parties(c);
    const subject = { id: holder.did };
    for (const [what, context] of [['none', undefined], ['not first', ['https://example.com/x', V1]]]) {
      const vc = { type: ['VerifiableCredential'], credentialSubject: subject, ...(context ? { '@context': context } : {}) };
      const r = c.verifyCredential(jwt(c, { alg: 'EdDSA' }, { iss: issuer.did, vc }, issuer), { now: NOW });
      assert.deepEqual(codes(r), ['MALFORMED_INPUT'], what);
      assert.equal(r.errors[0].path, 'payload.vc.@context', what);
    }
    const vc = { '@context': [V1], type: ['VerifiableCredential'], credentialSubject: subject };
    assert.equal(c.verifyCredential(jwt(c, { alg: 'EdDSA', kid: issuer.did }, { iss: issuer.did, vc }, issuer), { now: NOW }).valid, true, 'bare did:key kid');
    for (const typ of ['JWT', undefined]) {
      const header = typ ? { alg: 'EdDSA', typ } : { alg: 'EdDSA' };
      const r = c.verifyCredential(`${jwt(c, header, { iss: issuer.did, given_name: 'Ada', _sd_alg: 'sha-256' }, issuer)}~`, { now: NOW });
      assert.equal(r.valid, true, `SD-JWT typ ${typ}: ${JSON.stringify(r.errors)}`);
      assert.equal(r.format, 'sd-jwt');
    }
    for (const [proof, code] of [
      [{ type: 'Ed25519Signature2020', proofPurpose: 'assertionMethod', verificationMethod: `${issuer.did}#key-1`, proofValue: 'z3FXQ' }, ['INVALID_DID', 'MALFORMED_INPUT']],
      [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofValue: 'z3FXQ' }, ['MALFORMED_INPUT']],
    ]) {
      const r = c.verifyCredential({ '@context': [V1], type: ['VerifiableCredential'], issuer: issuer.did, credentialSubject: subject, proof }, { now: NOW });
      assert.deepEqual(codes(r), code, proof.type);
      assert.equal(r.format, 'data-integrity');
    }
  }],
];
