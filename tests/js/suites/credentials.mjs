// One suite for credentials and presentations (over 500 lines): its cases share the items and edit helpers.
// Credentials and presentations through the public API: issue, present and verify round trips
// (VC-JWT, VP-JWT, anon-identity), tampering of every field and every JWT part with the precise
// code, algorithms and key ids, validity periods, trust, holder binding, nonce and audience, and
// bad input inside a batch.

import { assert } from '../lib/assert.mjs';

const NOW = 1_750_000_000_000; // ms; items are issued at this time and verified at it
const seed = (b) => new Uint8Array(32).fill(b);
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const pathsOf = (r, code) => r.errors.filter((e) => e.code === code).map((e) => e.path).sort();
const at = (ms, extra = {}) => ({ now: ms, ...extra });

// base64url without Node APIs, so the suite runs in browsers too.
const b64u = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64u = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
const encodeJson = (v) => b64u(new TextEncoder().encode(JSON.stringify(v)));
const decodeJson = (part) => JSON.parse(new TextDecoder().decode(unb64u(part)));
/** Parses bytes as UTF-8 JSON; undefined when they are not. */
const tryJson = (bytes) => {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
};

function parties(c) {
  return { issuer: c.keyPairFromSeed(seed(1)), holder: c.keyPairFromSeed(seed(2)), other: c.keyPairFromSeed(seed(9)) };
}

function items(c) {
  const { issuer, holder } = parties(c);
  const body = { credentialSubject: { id: holder.did, givenName: 'Ada', age: 36, member: true } };
  const vcJwt = c.issueCredential(body, { issuer, format: 'vc-jwt', expiresIn: 3600, now: NOW });
  const anon = c.issueCredential(body, { issuer, format: 'anon-identity', expiresIn: 3600, now: NOW });
  const vpJwt = c.createPresentation([anon, vcJwt], { holder, nonce: 'n', audience: 'aud', format: 'vp-jwt', now: NOW });
  const anonVp = c.createPresentation([anon, vcJwt], { holder, nonce: 'n', audience: 'aud', format: 'anon-identity', now: NOW });
  return { body, vcJwt, anon, vpJwt, anonVp };
}

/** Every leaf of a JSON value with its path (`a.b[0].c`). */
function leaves(v, path = '', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => leaves(x, path ? `${path}.${k}` : k, out));
  else out.push(path);
  return out;
}

/** Replaces the leaf at `path` of a deep copy of `v` with `f(leaf)`. */
function withLeaf(v, path, f) {
  const copy = structuredClone(v);
  const keys = path.split(/\.|(?=\[)/).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let parent = copy;
  for (const k of keys.slice(0, -1)) parent = parent[k];
  const last = keys.at(-1);
  parent[last] = f(parent[last]);
  return copy;
}

/** Flips one bit of a compact JWS's signature. */
function flipSignature(jws, byte = 10, bit = 0) {
  const [h, p, s] = jws.split('.');
  const sig = unb64u(s);
  sig[byte] ^= 1 << bit;
  return `${h}.${p}.${b64u(sig)}`;
}

/** A different value of the same kind: dates move a day back, JWSs lose a signature bit. */
function edit(v) {
  if (typeof v === 'string') {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v)) return new Date(Date.parse(v) - 86_400_000).toISOString();
    if (v.startsWith('eyJ') && v.split('.').length === 3) return flipSignature(v);
    return `${v}x`;
  }
  if (typeof v === 'number') return v - 1;
  if (typeof v === 'boolean') return !v;
  return 0;
}

function withHeader(jwt, f) {
  const [h, p, s] = jwt.split('.');
  const header = decodeJson(h);
  f(header);
  return `${encodeJson(header)}.${p}.${s}`;
}

/** Verifies `cases` ([what, input, expected codes]) in one batch and checks each slot. */
function expectCodes(c, cases, options = at(NOW)) {
  const results = c.verifyBatch(cases.map(([, input]) => input), options);
  assert.equal(results.length, cases.length);
  cases.forEach(([what, , expected], i) => {
    assert.equal(results[i].valid, false, `${what}: still valid`);
    assert.deepEqual(codes(results[i]), [...new Set(expected)].sort(), `${what}:`);
  });
  return results;
}

export const tests = [
  ['issue, present and verify round trips: vc-jwt, vp-jwt, anon-identity', (c) => {
    const { issuer, holder } = parties(c);
    const { vcJwt, anon, vpJwt, anonVp } = items(c);
    assert.equal(typeof vcJwt, 'string');
    assert.equal(vcJwt.split('.').length, 3);
    assert.equal(typeof anon.proof.jws, 'string');
    const attributes = { givenName: 'Ada', age: 36, member: true };
    const summary = (id) => ({ id, issuer: issuer.did, type: ['VerifiableCredential'], attributes, subject: holder.did, expiresAt: NOW / 1000 + 3600 });
    const opts = at(NOW, { trustedIssuers: [issuer.did], nonce: 'n', audience: 'aud' });

    const r1 = c.verifyCredential(vcJwt, opts);
    assert.deepEqual(r1.errors, []);
    assert.deepEqual([r1.valid, r1.format, r1.kind, r1.issuer, r1.subject, r1.holder], [true, 'vc-jwt', 'credential', issuer.did, holder.did, null]);
    assert.deepEqual(r1.claims, { id: holder.did, ...attributes });
    assert.equal(r1.expiresAt, NOW / 1000 + 3600);
    assert.deepEqual(r1.credentials, [summary(decodeJson(vcJwt.split('.')[1]).jti)]);

    const r2 = c.verifyCredential(anon, opts);
    assert.deepEqual(r2.errors, []);
    assert.deepEqual([r2.valid, r2.format, r2.kind, r2.issuer, r2.subject], [true, 'anon-identity', 'credential', issuer.did, holder.did]);
    assert.deepEqual(r2.credentials, [summary(anon.id)]);
    // The JSON text of the credential verifies the same as the object.
    assert.deepEqual(c.verifyCredential(JSON.stringify(anon), opts), r2);

    for (const [vp, format] of [[vpJwt, 'vc-jwt'], [anonVp, 'anon-identity']]) {
      const r = c.verifyPresentation(vp, opts);
      assert.deepEqual(r.errors, [], format);
      assert.deepEqual([r.valid, r.format, r.kind, r.holder, r.issuer], [true, format, 'presentation', holder.did, issuer.did]);
      assert.deepEqual(r.credentials, [summary(anon.id), summary(decodeJson(vcJwt.split('.')[1]).jti)]);
      assert.equal(r.expiresAt, NOW / 1000 + 3600);
    }
    // The Verifier says the same.
    return new c.Verifier(opts).verifyBatch([vcJwt, anon, vpJwt, anonVp]).then((rs) => {
      assert.deepEqual(rs.map((r) => r.valid), [true, true, true, true]);
    });
  }],

  ['every bit-flip of a signature fails: INVALID_SIGNATURE, INVALID_PRESENTATION_SIGNATURE', (c) => {
    const { vcJwt, anon, vpJwt, anonVp } = items(c);
    const cases = [];
    for (let byte = 0; byte < 64; byte++) {
      for (const bit of [0, 7]) {
        cases.push([`vc-jwt byte ${byte} bit ${bit}`, flipSignature(vcJwt, byte, bit), ['INVALID_SIGNATURE']]);
        cases.push([`vp-jwt byte ${byte} bit ${bit}`, flipSignature(vpJwt, byte, bit), ['INVALID_PRESENTATION_SIGNATURE']]);
        cases.push([`anon proof.jws byte ${byte} bit ${bit}`, { ...anon, proof: { ...anon.proof, jws: flipSignature(anon.proof.jws, byte, bit) } }, ['INVALID_SIGNATURE']]);
        cases.push([`anon vp proof.jws byte ${byte} bit ${bit}`, { ...anonVp, proof: { ...anonVp.proof, jws: flipSignature(anonVp.proof.jws, byte, bit) } }, ['INVALID_PRESENTATION_SIGNATURE']]);
      }
    }
    expectCodes(c, cases);
  }],

  ['every bit-flip of a JWT header or payload fails with the code of what it broke', (c) => {
    const { vcJwt } = items(c);
    const [h, p, s] = vcJwt.split('.');
    const original = { header: decodeJson(h), payload: decodeJson(p) };
    const inputs = [];
    const expect = [];
    for (const [part, text] of [['header', h], ['payload', p]]) {
      const bytes = unb64u(text);
      for (let i = 0; i < bytes.length; i++) {
        const t = bytes.slice();
        t[i] ^= 1;
        inputs.push(part === 'header' ? `${b64u(t)}.${p}.${s}` : `${h}.${b64u(t)}.${s}`);
        expect.push({ part, i, json: tryJson(t) });
      }
    }
    const results = c.verifyBatch(inputs, at(NOW));
    const allowed = new Set(['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH', 'MALFORMED_INPUT', 'NOT_YET_VALID', 'EXPIRED_CREDENTIAL', 'INVALID_DID', 'KEY_UNAVAILABLE']);
    results.forEach((r, k) => {
      const { part, i, json } = expect[k];
      const what = `${part} byte ${i}`;
      assert.equal(r.valid, false, `${what}: still valid`);
      const got = codes(r);
      if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
        // No longer a JSON object: refused before any signature work.
        assert.deepEqual(got, ['MALFORMED_INPUT'], what);
      } else if (part === 'header') {
        // The header picks the algorithm and the key; anything else in it is signed.
        // An absent kid is allowed (the key is the issuer's); another one must belong to the issuer.
        const want = json.alg !== 'EdDSA' ? 'UNSUPPORTED_ALGORITHM' : json.kid !== undefined && json.kid !== original.header.kid ? 'INVALID_DID' : 'INVALID_SIGNATURE';
        assert.deepEqual(got, [want], `${what} (${JSON.stringify(json)})`);
      } else {
        assert.ok(got.every((code) => allowed.has(code)), `${what}: ${got}`);
        // A payload whose issuer no longer decodes has no key (without `iss`, `vc.issuer` names
        // it): an invalid did:key, or another method whose key cannot be had offline; one that
        // is no longer a credential is refused as malformed; every other edit breaks the signature.
        if (json.iss !== undefined && json.iss !== original.payload.iss) assert.ok(got.includes('INVALID_DID') || got.includes('KEY_UNAVAILABLE'), `${what}: ${got}`);
        else if (json.vc === undefined) assert.deepEqual(got, ['MALFORMED_INPUT'], what);
        else assert.ok(got.includes('INVALID_SIGNATURE'), `${what}: ${got}`);
      }
    });
  }],

  ['every claim of a VC-JWT and a VP-JWT edited: never valid, the precise codes', (c) => {
    const { vcJwt, vpJwt } = items(c);
    const cases = [];
    let [h, p, s] = vcJwt.split('.');
    let payload = decodeJson(p);
    const vcPaths = leaves(payload);
    assert.ok(vcPaths.length >= 15);
    for (const path of vcPaths) {
      const expected = {
        iss: ['INVALID_DID', 'PAYLOAD_MISMATCH'],
        'vc.issuer': ['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH'],
        sub: ['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH'],
        'vc.credentialSubject.id': ['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH'],
        jti: ['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH'],
        'vc.id': ['INVALID_SIGNATURE', 'PAYLOAD_MISMATCH'],
        'vc.type[0]': ['INVALID_SIGNATURE', 'MALFORMED_INPUT'],
        // The base context must come first (VC Data Model 1.1 section 4.1).
        'vc.@context[0]': ['INVALID_SIGNATURE', 'MALFORMED_INPUT'],
        'vc.expirationDate': ['INVALID_SIGNATURE', 'EXPIRED_CREDENTIAL'],
      }[path] ?? ['INVALID_SIGNATURE'];
      cases.push([`vc-jwt ${path}`, `${h}.${encodeJson(withLeaf(payload, path, edit))}.${s}`, expected]);
    }
    [h, p, s] = vpJwt.split('.');
    payload = decodeJson(p);
    const sig = 'INVALID_PRESENTATION_SIGNATURE';
    const anon = 'vp.verifiableCredential[0].';
    for (const path of leaves(payload)) {
      let expected;
      if (path === 'iss') expected = ['INVALID_DID', 'HOLDER_MISMATCH'];
      else if (path === `${anon}issuer`) expected = [sig, 'INVALID_DID', 'PAYLOAD_MISMATCH'];
      else if (path === `${anon}credentialSubject.id`) expected = [sig, 'PAYLOAD_MISMATCH', 'HOLDER_MISMATCH'];
      else if (path === `${anon}proof.type`) expected = [sig, 'UNSUPPORTED_PROOF_TYPE'];
      else if (path === `${anon}@context[0]`) expected = [sig, 'MALFORMED_INPUT', 'PAYLOAD_MISMATCH'];
      else if (path === `${anon}proof.proofPurpose`) expected = [sig, 'MALFORMED_INPUT'];
      else if (path === `${anon}proof.verificationMethod`) expected = [sig, 'INVALID_DID'];
      else if (path === `${anon}proof.jws`) expected = [sig, 'INVALID_SIGNATURE'];
      // anon-identity's `created` is informational and unsigned; the holder's signature covers it here.
      else if (path === `${anon}proof.created`) expected = [sig];
      else if (path === `${anon}expirationDate`) expected = [sig, 'PAYLOAD_MISMATCH', 'EXPIRED_CREDENTIAL'];
      else if (path.startsWith(anon)) expected = [sig, 'PAYLOAD_MISMATCH'];
      else if (path === 'vp.verifiableCredential[1]') expected = [sig, 'INVALID_SIGNATURE'];
      else expected = [sig];
      cases.push([`vp-jwt ${path}`, `${h}.${encodeJson(withLeaf(payload, path, edit))}.${s}`, expected]);
    }
    expectCodes(c, cases);
  }],

  ['every field of an anon-identity credential and presentation edited: the precise codes', (c) => {
    const { anon, anonVp } = items(c);
    const cases = [];
    for (const path of leaves(anon)) {
      if (path === 'proof.created') continue; // unsigned and informational in anon-identity's format
      const expected = {
        issuer: ['INVALID_DID', 'PAYLOAD_MISMATCH'],
        expirationDate: ['EXPIRED_CREDENTIAL', 'PAYLOAD_MISMATCH'],
        'proof.type': ['UNSUPPORTED_PROOF_TYPE'],
        '@context[0]': ['MALFORMED_INPUT', 'PAYLOAD_MISMATCH'],
        'proof.proofPurpose': ['MALFORMED_INPUT'],
        'proof.verificationMethod': ['INVALID_DID'],
        'proof.jws': ['INVALID_SIGNATURE'],
        'type[0]': ['MALFORMED_INPUT'],
      }[path] ?? ['PAYLOAD_MISMATCH'];
      cases.push([`credential ${path}`, withLeaf(anon, path, edit), expected]);
    }
    const cred = 'verifiableCredential[0].';
    for (const path of leaves(anonVp)) {
      if (path.endsWith('proof.created')) continue;
      let expected;
      if (path === 'proof.type') expected = ['UNSUPPORTED_PROOF_TYPE'];
      else if (path === 'proof.proofPurpose') expected = ['MALFORMED_INPUT'];
      else if (path === 'proof.verificationMethod') expected = ['INVALID_DID'];
      else if (path === 'proof.jws') expected = ['INVALID_PRESENTATION_SIGNATURE'];
      else if (path.startsWith('type[')) expected = ['MALFORMED_INPUT'];
      else if (path === `${cred}issuer`) expected = ['INVALID_DID', 'PAYLOAD_MISMATCH'];
      else if (path === `${cred}credentialSubject.id`) expected = ['PAYLOAD_MISMATCH', 'HOLDER_MISMATCH'];
      else if (path === `${cred}proof.type`) expected = ['PAYLOAD_MISMATCH', 'UNSUPPORTED_PROOF_TYPE'];
      else if (path === `${cred}@context[0]`) expected = ['MALFORMED_INPUT', 'PAYLOAD_MISMATCH'];
      else if (path === `${cred}proof.proofPurpose`) expected = ['PAYLOAD_MISMATCH', 'MALFORMED_INPUT'];
      else if (path === `${cred}proof.verificationMethod`) expected = ['PAYLOAD_MISMATCH', 'INVALID_DID'];
      else if (path === `${cred}proof.jws`) expected = ['PAYLOAD_MISMATCH', 'INVALID_SIGNATURE'];
      else if (path === 'verifiableCredential[1]') expected = ['PAYLOAD_MISMATCH', 'INVALID_SIGNATURE'];
      else if (path === `${cred}expirationDate`) expected = ['PAYLOAD_MISMATCH', 'EXPIRED_CREDENTIAL'];
      else expected = ['PAYLOAD_MISMATCH'];
      cases.push([`presentation ${path}`, withLeaf(anonVp, path, edit), expected]);
    }
    const results = expectCodes(c, cases);
    // The path names the edited attribute.
    const k = cases.findIndex(([what]) => what === 'credential credentialSubject.givenName');
    assert.deepEqual(pathsOf(results[k], 'PAYLOAD_MISMATCH'), ['credentialSubject.givenName']);
  }],

  ['signatures swapped between items, and corrupt base64url in each part', (c) => {
    const { issuer, holder } = parties(c);
    const { vcJwt, anon, vpJwt } = items(c);
    const otherBody = { credentialSubject: { id: holder.did, x: 1 } };
    const vcJwt2 = c.issueCredential(otherBody, { issuer, format: 'vc-jwt', now: NOW });
    const anon2 = c.issueCredential(otherBody, { issuer, format: 'anon-identity', now: NOW });
    const vpJwt2 = c.createPresentation([vcJwt2], { holder, format: 'vp-jwt', now: NOW });
    const swap = (a, b) => `${a.split('.').slice(0, 2).join('.')}.${b.split('.')[2]}`;
    const cases = [
      ['vc-jwt a with b', swap(vcJwt, vcJwt2), ['INVALID_SIGNATURE']],
      ['vc-jwt b with a', swap(vcJwt2, vcJwt), ['INVALID_SIGNATURE']],
      ['vp-jwt a with b', swap(vpJwt, vpJwt2), ['INVALID_PRESENTATION_SIGNATURE']],
      ['vp-jwt with a credential signature', swap(vpJwt, vcJwt), ['INVALID_PRESENTATION_SIGNATURE']],
      ['anon-identity jws swap', { ...anon, proof: { ...anon.proof, jws: swap(anon.proof.jws, anon2.proof.jws) } }, ['INVALID_SIGNATURE']],
      // Another credential's whole proof: it verifies, but not over this body.
      ['anon-identity proof swap', { ...anon, proof: anon2.proof }, ['PAYLOAD_MISMATCH']],
    ];
    for (const [name, jwt] of [['vc-jwt', vcJwt], ['vp-jwt', vpJwt]]) {
      const [h, p, s] = jwt.split('.');
      cases.push([`${name} header !`, `${h}!.${p}.${s}`, ['MALFORMED_INPUT']]);
      cases.push([`${name} payload !`, `${h}.${p}!.${s}`, ['MALFORMED_INPUT']]);
      cases.push([`${name} signature !`, `${h}.${p}.${s}!`, ['MALFORMED_INPUT']]);
      cases.push([`${name} signature short`, `${h}.${p}.${s.slice(0, -1)}`, ['MALFORMED_INPUT']]);
      cases.push([`${name} signature empty`, `${h}.${p}.`, ['MALFORMED_INPUT']]);
      cases.push([`${name} two parts`, `${h}.${p}`, ['MALFORMED_INPUT']]);
      cases.push([`${name} four parts`, `${jwt}.${s}`, ['MALFORMED_INPUT']]);
      cases.push([`${name} standard base64 padding`, `${h}.${p}.${s}==`, ['MALFORMED_INPUT']]);
    }
    expectCodes(c, cases);
  }],

  ['alg none, HS256: UNSUPPORTED_ALGORITHM; ES256 under an Ed25519 key: the signature fails; a kid of another DID: INVALID_DID', (c) => {
    const { issuer, holder, other } = parties(c);
    const { vcJwt, anon, vpJwt } = items(c);
    // Headers are edited and the token signed again with the right key, so the header is the
    // only thing wrong.
    const resign = (jwt, key, f) => {
      const [h, p] = jwt.split('.');
      const header = decodeJson(h);
      f(header);
      const input = `${encodeJson(header)}.${p}`;
      return `${input}.${b64u(c.sign(new TextEncoder().encode(input), key.secretKey))}`;
    };
    const cases = [];
    for (const [name, jwt, key, signatureCode] of [['vc-jwt', vcJwt, issuer, 'INVALID_SIGNATURE'], ['vp-jwt', vpJwt, holder, 'INVALID_PRESENTATION_SIGNATURE']]) {
      // RFC 9864's fully specified `Ed25519` is EdDSA over Ed25519 too.
      assert.deepEqual(c.verifyBatch([resign(jwt, key, (hd) => { hd.alg = 'Ed25519'; })], at(NOW))[0].errors, [], `${name} alg Ed25519`);
      assert.deepEqual(c.verifyBatch([resign(jwt, key, () => {})], at(NOW))[0].errors, [], `${name} re-signed`);
      for (const alg of ['none', 'HS256', 'ES512', 'EdDSA ', 'eddsa', 'Ed448', '']) {
        cases.push([`${name} alg ${JSON.stringify(alg)}`, resign(jwt, key, (hd) => { hd.alg = alg; }), ['UNSUPPORTED_ALGORITHM']]);
      }
      // Supported algorithms of other key types: an Ed25519 key never verifies them (refused
      // before any arithmetic), and a 64-byte signature is none of RS256's or PS256's.
      for (const alg of ['ES256', 'ES256K']) {
        cases.push([`${name} alg ${alg}`, resign(jwt, key, (hd) => { hd.alg = alg; }), [signatureCode]]);
      }
      for (const alg of ['ES384', 'RS256', 'PS256']) {
        cases.push([`${name} alg ${alg}`, resign(jwt, key, (hd) => { hd.alg = alg; }), ['MALFORMED_INPUT']]);
      }
      cases.push([`${name} alg null`, resign(jwt, key, (hd) => { hd.alg = null; }), ['UNSUPPORTED_ALGORITHM']]);
      cases.push([`${name} no alg`, resign(jwt, key, (hd) => { delete hd.alg; }), ['UNSUPPORTED_ALGORITHM']]);
      // alg none as unsecured JWTs carry it: an empty signature part.
      const unsecured = withHeader(jwt, (hd) => { hd.alg = 'none'; });
      cases.push([`${name} unsecured`, `${unsecured.slice(0, unsecured.lastIndexOf('.'))}.`, ['UNSUPPORTED_ALGORITHM']]);
      cases.push([`${name} kid of another DID`, resign(jwt, key, (hd) => { hd.kid = other.kid; }), ['INVALID_DID']]);
      cases.push([`${name} kid not the did:key fragment`, resign(jwt, key, (hd) => { hd.kid = '#key-1'; }), ['INVALID_DID']]);
    }
    const jws = anon.proof.jws;
    const embedded = (f) => ({ ...anon, proof: { ...anon.proof, jws: resign(jws, issuer, f) } });
    assert.deepEqual(c.verifyCredential(embedded(() => {}), at(NOW)).errors, []);
    cases.push(['embedded alg none', embedded((hd) => { hd.alg = 'none'; }), ['UNSUPPORTED_ALGORITHM']]);
    cases.push(['embedded alg HS256', embedded((hd) => { hd.alg = 'HS256'; }), ['UNSUPPORTED_ALGORITHM']]);
    cases.push(['embedded alg ES256', embedded((hd) => { hd.alg = 'ES256'; }), ['UNSUPPORTED_ALGORITHM']]);
    cases.push(['embedded kid of another DID', embedded((hd) => { hd.kid = other.kid; }), ['INVALID_DID']]);
    // A credential signed by another key that claims the issuer's DID.
    const forged = c.issueCredential({ credentialSubject: { id: other.did } }, { issuer: other, format: 'vc-jwt', now: NOW });
    const claims = decodeJson(forged.split('.')[1]);
    claims.iss = issuer.did;
    claims.vc.issuer = issuer.did;
    const forgedInput = `${encodeJson({ alg: 'EdDSA', typ: 'JWT', kid: issuer.kid })}.${encodeJson(claims)}`;
    cases.push(['another key claiming the issuer', `${forgedInput}.${b64u(c.sign(new TextEncoder().encode(forgedInput), other.secretKey))}`, ['INVALID_SIGNATURE']]);
    expectCodes(c, cases);
  }],

  ['expired, not yet valid, untrusted issuer (with the now option)', (c) => {
    const { issuer, holder } = parties(c);
    const { vcJwt, anon, vpJwt, anonVp } = items(c);
    const until = NOW + 3600_000;
    for (const input of [vcJwt, anon]) {
      const name = typeof input === 'string' ? 'vc-jwt' : 'anon-identity';
      const check = (options, expected, what) => assert.deepEqual(codes(c.verifyCredential(input, options)), expected, `${name} ${what}:`);
      check(at(until + 61_000), ['EXPIRED_CREDENTIAL'], '61 s after expiry');
      check(at(until + 59_000), [], '59 s after expiry');
      check(at(NOW - 61_000), ['NOT_YET_VALID'], '61 s before issuance');
      check(at(NOW - 59_000), [], '59 s before issuance');
      check(at(NOW - 61_000, { clockSkewSeconds: 120 }), [], 'with 120 s of skew');
      check(at(until + 1_000, { clockSkewSeconds: 0 }), ['EXPIRED_CREDENTIAL'], 'without skew');
      check({ now: new Date(until + 61_000) }, ['EXPIRED_CREDENTIAL'], 'now as a Date');
      const untrusted = c.verifyCredential(input, at(NOW, { trustedIssuers: [holder.did] }));
      assert.deepEqual(codes(untrusted), ['UNTRUSTED_ISSUER']);
      assert.equal(untrusted.issuer, issuer.did);
      check(at(NOW, { trustedIssuers: [] }), ['UNTRUSTED_ISSUER'], 'an empty trust list');
    }
    // Inside presentations: the credential's expiry and issuer are checked too.
    for (const vp of [vpJwt, anonVp]) {
      const late = c.verifyPresentation(vp, at(until + 61_000));
      assert.deepEqual(codes(late), ['EXPIRED_CREDENTIAL']);
      const where = new Set(pathsOf(late, 'EXPIRED_CREDENTIAL').map((x) => x.split('.')[0]));
      assert.deepEqual([...where], ['credentials[0]', 'credentials[1]']);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { trustedIssuers: [holder.did] }))), ['UNTRUSTED_ISSUER']);
    }
    assert.throwsCode(() => c.verifyCredential(vcJwt, { now: 'yesterday' }), 'MALFORMED_INPUT', 'options.now');
  }],

  ['holder binding, nonce and audience', (c) => {
    const { holder } = parties(c);
    const { vcJwt, anon, vpJwt, anonVp } = items(c);
    const thief = c.keyPairFromSeed(seed(3));
    for (const format of ['vp-jwt', 'anon-identity']) {
      const stolen = c.createPresentation([anon, vcJwt], { holder: thief, format, now: NOW });
      const r = c.verifyPresentation(stolen, at(NOW));
      assert.deepEqual(codes(r), ['HOLDER_MISMATCH'], format);
      assert.equal(r.holder, thief.did);
      assert.deepEqual(pathsOf(r, 'HOLDER_MISMATCH'), ['credentials[0].credentialSubject.id', 'credentials[1].credentialSubject.id']);
      assert.deepEqual(codes(c.verifyPresentation(stolen, at(NOW, { holderBinding: false }))), []);
      // Nothing signed, but the caller asks for a nonce and an audience.
      assert.deepEqual(codes(c.verifyPresentation(stolen, at(NOW, { holderBinding: false, nonce: 'n', audience: 'aud' }))), ['AUDIENCE_MISMATCH', 'NONCE_MISMATCH']);
    }
    for (const vp of [vpJwt, anonVp]) {
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'aud' }))), []);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'm', audience: 'aud' }))), ['NONCE_MISMATCH']);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'n', audience: 'other' }))), ['AUDIENCE_MISMATCH']);
      assert.deepEqual(codes(c.verifyPresentation(vp, at(NOW, { nonce: 'N', audience: 'aud ' }))), ['AUDIENCE_MISMATCH', 'NONCE_MISMATCH']);
    }
    assert.equal(c.verifyPresentation(vpJwt, at(NOW)).holder, holder.did);
  }],

  ['bad input: each a coded result in its own slot, the batch goes on, the next call works', (c) => {
    const { vcJwt, anon, anonVp } = items(c);
    const [h, p, s] = vcJwt.split('.');
    const deepArrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepText = `{"type":["VerifiableCredential"],"x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const bad = [
      ['bad base64url', `${h}.${p}.${s.replace(/[A-Za-z]/, '*')}`, ['MALFORMED_INPUT']],
      ['bad base64url payload', `${h}.%%%.${s}`, ['MALFORMED_INPUT']],
      ['not JSON, not a JWT', 'hello world', ['MALFORMED_INPUT']],
      ['truncated JSON', JSON.stringify(anon).slice(0, 100), ['MALFORMED_INPUT']],
      ['JSON payload that is not JSON', `${h}.${b64u(new TextEncoder().encode('{"vc":'))}.${s}`, ['MALFORMED_INPUT']],
      ['payload not an object', `${h}.${encodeJson([1, 2])}.${s}`, ['MALFORMED_INPUT']],
      ['header not UTF-8', `${b64u(new Uint8Array([0xff, 0xfe, 0x7b]))}.${p}.${s}`, ['MALFORMED_INPUT']],
      ['empty string', '', ['MALFORMED_INPUT']],
      ['empty object', {}, ['MALFORMED_INPUT']],
      ['type a number', { ...anon, type: 5 }, ['MALFORMED_INPUT']],
      ['issuer a number', { ...anon, issuer: 5 }, ['MALFORMED_INPUT']],
      ['credentialSubject a string', { ...anon, credentialSubject: 'x' }, ['MALFORMED_INPUT', 'PAYLOAD_MISMATCH']],
      ['proof a string', { ...anon, proof: 'x' }, ['MALFORMED_INPUT']],
      ['proof.jws a number', { ...anon, proof: { ...anon.proof, jws: 5 } }, ['MALFORMED_INPUT']],
      ['no proof', (({ proof, ...rest }) => rest)(anon), ['MISSING_PROOF']],
      ['verifiableCredential a string', { ...anonVp, verifiableCredential: 'x' }, ['MALFORMED_INPUT', 'PAYLOAD_MISMATCH']],
      ['vc a string', `${h}.${encodeJson({ ...decodeJson(p), vc: 'x' })}.${s}`, ['MALFORMED_INPUT']],
      ['exp a string', `${h}.${encodeJson({ ...decodeJson(p), exp: 'soon' })}.${s}`, ['INVALID_SIGNATURE', 'MALFORMED_INPUT']],
      ['a 10 MB string', 'x'.repeat(10 * 1024 * 1024), ['INPUT_TOO_LARGE']],
      ['a 10 MB JWT', `${h}.${'A'.repeat(10 * 1024 * 1024)}.${s}`, ['INPUT_TOO_LARGE']],
      ['10,000-deep object text', deepText, ['INPUT_TOO_LARGE']],
      ['10,000-deep arrays', deepArrays, ['MALFORMED_INPUT']],
      ['10,000-deep payload', `${h}.${b64u(new TextEncoder().encode(deepText))}.${s}`, ['INPUT_TOO_LARGE']],
    ];
    // Valid items between the bad ones keep their slots and stay valid.
    const inputs = [];
    const want = [];
    bad.forEach(([what, input, code], i) => {
      inputs.push(input);
      want.push([what, code]);
      if (i % 4 === 0) {
        inputs.push(i % 8 === 0 ? vcJwt : anon);
        want.push(['valid', null]);
      }
    });
    const results = c.verifyBatch(inputs, at(NOW));
    assert.equal(results.length, inputs.length);
    results.forEach((r, i) => {
      const [what, code] = want[i];
      if (code === null) {
        assert.deepEqual(r.errors, [], `slot ${i} (${what})`);
      } else {
        assert.equal(r.valid, false, what);
        assert.ok(r.errors.length > 0, what);
        assert.ok(r.errors.every((e) => typeof e.message === 'string' && e.message.length > 0), what);
        assert.deepEqual(codes(r), code, `${what}: ${JSON.stringify(r.errors)}`);
      }
    });
    // One by one, the same codes.
    for (const [what, input, code] of bad) assert.deepEqual(codes(c.verifyCredential(input, at(NOW))), code, what);
    // Objects nested 10,000 and 200,000 deep: where JSON.stringify can walk them (Chromium) the
    // core refuses them in their slot; where it runs out of stack (Node), the harness throws the
    // same code with the slot's path.
    let deep = { leaf: 1 };
    for (let depth = 1; depth <= 200_000; depth++) {
      deep = { a: deep };
      if (depth !== 10_000 && depth !== 200_000) continue;
      let results;
      try {
        results = c.verifyBatch([vcJwt, { type: ['VerifiableCredential'], credentialSubject: deep }, anon], at(NOW));
      } catch (err) {
        assert.equal(err.name, 'CredcoreError', `${depth} deep: ${err}`);
        assert.deepEqual([err.code, err.path], ['INPUT_TOO_LARGE', '[1]'], `${depth} deep`);
        continue;
      }
      assert.deepEqual(results.map(codes), [[], ['INPUT_TOO_LARGE'], []], `${depth} deep`);
    }
    // Inputs the harness cannot hand over as JSON text are thrown, with the slot's path: cycles,
    // numbers, null.
    const cycle = { type: ['VerifiableCredential'] };
    cycle.self = cycle;
    assert.throwsCode(() => c.verifyCredential(cycle, at(NOW)), 'MALFORMED_INPUT', 'input');
    assert.throwsCode(() => c.verifyBatch([vcJwt, 42], at(NOW)), 'MALFORMED_INPUT', '[1]');
    assert.throwsCode(() => c.verifyBatch([null]), 'MALFORMED_INPUT', '[0]');
    assert.throwsCode(() => c.verifyBatch('not an array'), 'MALFORMED_INPUT', 'inputs');
    assert.throwsCode(() => c.verifyBatch([vcJwt], { maxDepth: 'deep' }), 'MALFORMED_INPUT');
    // The instance is sound afterwards.
    assert.deepEqual(c.verifyBatch([vcJwt, anon, anonVp], at(NOW)).map((r) => r.errors), [[], [], []]);
    assert.deepEqual(c.verifyBatch([], at(NOW)), []);
  }],

  ['verifyBatch equals one-by-one verification on a mixed set', async (c) => {
    const { issuer, holder } = parties(c);
    const { vcJwt, anon, vpJwt, anonVp } = items(c);
    const sd = c.sdJwt.issue({ vct: 'urn:example:id', given_name: 'Ada', family_name: 'Lovelace' }, { issuer, disclose: ['/given_name', '/family_name'], holderPublicKey: holder.publicKey, now: NOW });
    const sdPresented = c.sdJwt.present(sd, { disclose: ['/given_name'], holder, nonce: 'n', audience: 'aud', now: NOW });
    const mixed = [
      [vcJwt, 'credential'], [anon, 'credential'], [vpJwt, 'presentation'], [anonVp, 'presentation'],
      [sdPresented, 'presentation'],
      [flipSignature(vcJwt), 'credential'], [flipSignature(vpJwt), 'presentation'],
      [{ ...anon, credentialSubject: { ...anon.credentialSubject, givenName: 'Eve' } }, 'credential'],
      [withHeader(vcJwt, (hd) => { hd.alg = 'none'; }), 'credential'],
      ['garbage', 'credential'], [{}, 'credential'],
      [c.issueCredential({ credentialSubject: { id: holder.did, n: 2 } }, { issuer, expiresIn: 1, now: NOW - 3600_000 }), 'credential'],
      [vcJwt, 'credential'],
    ];
    const options = at(NOW, { trustedIssuers: [issuer.did], nonce: 'n', audience: 'aud' });
    const batch = c.verifyBatch(mixed.map(([x]) => x), options);
    const single = mixed.map(([x, kind]) => (kind === 'credential' ? c.verifyCredential(x, options) : c.verifyPresentation(x, options)));
    assert.deepEqual(batch, single);
    assert.deepEqual(batch.map((r) => r.valid), [true, true, true, true, true, false, false, false, false, false, false, false, true]);
    assert.deepEqual(batch[4], c.sdJwt.verify(sdPresented, options));
    assert.deepEqual(codes(batch[11]), ['EXPIRED_CREDENTIAL']);
    // And the Verifier, without a result cache, one at a time and as a batch.
    const verifier = new c.Verifier({ ...options, cache: { results: 0 } });
    assert.deepEqual(await verifier.verifyBatch(mixed.map(([x]) => x)), batch);
    for (let i = 0; i < mixed.length; i++) assert.deepEqual(await verifier.verify(mixed[i][0]), batch[i], `slot ${i}`);
    verifier.free();
  }],
];
