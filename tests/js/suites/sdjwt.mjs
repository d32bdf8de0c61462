// SD-JWT VC (RFC 9901, SD-JWT VC) through the public API: issue, present, verify; nested and
// array disclosures, decoys, hash algorithms, privacy of undisclosed claims, tampering, key
// binding failures, bad input, and batches.

import { assert } from '../lib/assert.mjs';

const NOW = 1_750_000_000_000; // ms; every issuance, presentation and verification uses a fixed clock
const NONCE = 'n-8d1f0c2e';
const AUD = 'https://verifier.example.org';

const CLAIMS = {
  vct: 'urn:example:pid',
  sub: 'user-42',
  given_name: 'Ada',
  family_name: 'Lovelacehidden',
  national_id: 'NID-7731-SECRET',
  address: { street_address: '12 Marylebone Rd', locality: 'London', postal_code: 'NW1-5LR' },
  nationalities: ['GB', 'FRHIDDEN'],
};
const DISCLOSABLE = [
  '/given_name', '/family_name', '/national_id',
  '/address', '/address/street_address', '/address/postal_code',
  '/nationalities/0', '/nationalities/1',
];
const SHOWN = ['/given_name', '/address/street_address', '/nationalities/0'];
// Names and values of the claims SHOWN leaves out.
const HIDDEN = ['family_name', 'Lovelacehidden', 'national_id', 'NID-7731-SECRET', 'postal_code', 'NW1-5LR', 'FRHIDDEN'];

const te = new TextEncoder();
const td = new TextDecoder();

function b64u(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function unb64u(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}
const b64uJson = (value) => b64u(te.encode(JSON.stringify(value)));
const decodeJson = (part) => JSON.parse(td.decode(unb64u(part)));

/** Splits `<jwt>~<d1>~...~<dN>~[<kb-jwt>]`. */
function split(text) {
  const parts = text.split('~');
  return { jwt: parts[0], disclosures: parts.slice(1, -1), kb: parts[parts.length - 1] };
}
const join = ({ jwt, disclosures, kb = '' }) => `${jwt}~${disclosures.map((d) => `${d}~`).join('')}${kb}`;

/** Every part of an SD-JWT, base64url-decoded to text. */
function decodedParts(text) {
  const { jwt, disclosures, kb } = split(text);
  const out = [];
  for (const token of [jwt, kb]) {
    if (!token) continue;
    const [h, p] = token.split('.');
    out.push(td.decode(unb64u(h)), td.decode(unb64u(p)));
  }
  for (const d of disclosures) out.push(td.decode(unb64u(d)));
  return out;
}

function fixture(c, issueOptions = {}) {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const token = c.sdJwt.issue(CLAIMS, { issuer, disclose: DISCLOSABLE, holderPublicKey: holder.publicKey, expiresIn: 3600, now: NOW, ...issueOptions });
  const present = (disclose = SHOWN, kb = true, at = NOW + 5_000) =>
    c.sdJwt.present(token, kb ? { disclose, holder, nonce: NONCE, audience: AUD, now: at } : { disclose });
  return { issuer, holder, token, present };
}

const verifyAt = (c, text, options = {}) => c.sdJwt.verify(text, { now: NOW + 6_000, ...options });
const kbOptions = { nonce: NONCE, audience: AUD };
const codes = (r) => r.errors.map((e) => e.code);
const sorted = (xs) => [...xs].sort();

/** A KB-JWT over `presented`, signed by `key` (to forge key binding by another key). */
function kbJwt(c, presented, key, { alg = 'sha-256', iat = Math.floor(NOW / 1000) + 5, nonce = NONCE, aud = AUD, typ = 'kb+jwt' } = {}) {
  const header = b64uJson({ typ, alg: 'EdDSA' });
  const payload = b64uJson({ iat, aud, nonce, sd_hash: b64u(c.hash(presented, alg)) });
  return `${header}.${payload}.${b64u(c.sign(`${header}.${payload}`, key.secretKey))}`;
}

function expectedShownClaims(issuer, holder) {
  return {
    vct: CLAIMS.vct,
    sub: CLAIMS.sub,
    iss: issuer.did,
    iat: NOW / 1000,
    exp: NOW / 1000 + 3600,
    cnf: { jwk: holder.publicJwk },
    given_name: 'Ada',
    address: { street_address: '12 Marylebone Rd', locality: 'London' },
    nationalities: ['GB'],
  };
}

export const tests = [
  ['issue -> present with key binding -> verify: exact claims, disclosed pointers, issuer, holder', (c) => {
    const { issuer, holder, token, present } = fixture(c);
    assert.equal(split(token).disclosures.length, DISCLOSABLE.length);
    const p = present();
    const r = verifyAt(c, p, { ...kbOptions, trustedIssuers: [issuer.did] });
    assert.deepEqual(codes(r), []);
    assert.equal(r.valid, true);
    assert.equal(r.format, 'sd-jwt');
    assert.equal(r.kind, 'presentation');
    assert.equal(r.issuer, issuer.did);
    assert.equal(r.holder, holder.did);
    assert.equal(r.subject, 'user-42');
    assert.equal(r.expiresAt, NOW / 1000 + 3600);
    assert.deepEqual(r.claims, expectedShownClaims(issuer, holder));
    // The parent of /address/street_address is revealed with it; pointers name the claims as returned.
    assert.deepEqual(sorted(r.disclosed), sorted(['/given_name', '/address', '/address/street_address', '/nationalities/0']));
    assert.equal(split(p).disclosures.length, 4);
    assert.equal(r.credentials.length, 1);
    assert.deepEqual(r.credentials[0].type, ['urn:example:pid']);
    // verifyPresentation and verifyBatch agree with sdJwt.verify.
    const viaPresentation = c.verifyPresentation(p, { ...kbOptions, now: NOW + 6_000 });
    assert.deepEqual(viaPresentation.claims, r.claims);
    assert.equal(viaPresentation.valid, true);
  }],

  ['present without key binding: a credential-kind result; everything or nothing disclosed', (c) => {
    const { issuer, holder, present } = fixture(c);
    const r = verifyAt(c, present(SHOWN, false));
    assert.deepEqual(codes(r), []);
    assert.equal(r.kind, 'credential');
    assert.equal(r.holder, null);
    assert.deepEqual(r.claims, expectedShownClaims(issuer, holder));
    assert.ok(present(SHOWN, false).endsWith('~'), 'an SD-JWT without key binding ends in ~');

    const none = verifyAt(c, present([], false));
    assert.deepEqual(codes(none), []);
    assert.deepEqual(none.disclosed, []);
    assert.deepEqual(none.claims, {
      vct: CLAIMS.vct, sub: 'user-42', iss: issuer.did, iat: NOW / 1000, exp: NOW / 1000 + 3600,
      cnf: { jwk: holder.publicJwk }, nationalities: [],
    });
    const all = verifyAt(c, present(DISCLOSABLE, false));
    assert.deepEqual(codes(all), []);
    assert.deepEqual(all.claims, { ...CLAIMS, iss: issuer.did, iat: NOW / 1000, exp: NOW / 1000 + 3600, cnf: { jwk: holder.publicJwk } });
    assert.deepEqual(sorted(all.disclosed), sorted(DISCLOSABLE));
  }],

  ['nested and array disclosures: payload digests, disclosure shapes, recursive reveal', (c) => {
    const { token, present } = fixture(c);
    const { jwt, disclosures } = split(token);
    const payload = decodeJson(jwt.split('.')[1]);
    assert.equal(payload._sd_alg, 'sha-256');
    assert.equal(payload.address, undefined, 'a disclosable object lives only in its disclosure');
    assert.equal(payload.nationalities.length, 2);
    for (const el of payload.nationalities) assert.deepEqual(Object.keys(el), ['...']);
    const decoded = disclosures.map((d) => ({ d, value: decodeJson(d), digest: b64u(c.hash(d)) }));
    const byName = new Map(decoded.filter((x) => x.value.length === 3).map((x) => [x.value[1], x]));
    const elements = decoded.filter((x) => x.value.length === 2);
    assert.deepEqual(sorted(byName.keys()), sorted(['given_name', 'family_name', 'national_id', 'address', 'street_address', 'postal_code']));
    assert.deepEqual(sorted(elements.map((x) => x.value[1])), ['FRHIDDEN', 'GB']);
    // Top-level claims behind _sd; nested ones behind the _sd inside the address disclosure;
    // array elements behind {"...": digest} in order.
    assert.deepEqual(sorted(payload._sd), sorted(['given_name', 'family_name', 'national_id', 'address'].map((n) => byName.get(n).digest)));
    const address = byName.get('address').value[2];
    assert.equal(address.locality, 'London');
    assert.deepEqual(sorted(address._sd), sorted([byName.get('street_address').digest, byName.get('postal_code').digest]));
    const gb = elements.find((x) => x.value[1] === 'GB');
    const fr = elements.find((x) => x.value[1] === 'FRHIDDEN');
    assert.deepEqual(payload.nationalities.map((x) => x['...']), [gb.digest, fr.digest]);
    // Salts are distinct and at least 128 bits.
    const salts = decoded.map((x) => x.value[0]);
    assert.equal(new Set(salts).size, salts.length);
    for (const s of salts) assert.ok(unb64u(s).length >= 16, `salt ${s}`);
    // Only the second element: the verifier sees a one-element array.
    const r = verifyAt(c, present(['/nationalities/1'], false));
    assert.deepEqual(codes(r), []);
    assert.deepEqual(r.claims.nationalities, ['FRHIDDEN']);
    assert.equal(r.claims.address, undefined);
    // An inner claim alone brings its parent disclosure and nothing else of the parent.
    const inner = verifyAt(c, present(['/address/postal_code'], false));
    assert.deepEqual(inner.claims.address, { locality: 'London', postal_code: 'NW1-5LR' });
    assert.deepEqual(sorted(inner.disclosed), ['/address', '/address/postal_code']);
    // A disclosure frame (sd-jwt-js style) issues the same structure as pointers.
    const issuer = c.generateKeyPair();
    const framed = c.sdJwt.issue({ vct: 'urn:example:f', a: 1, o: { b: 2, c: 3 }, list: ['x', 'y'] },
      { issuer, disclose: { _sd: ['a', 'o'], o: { _sd: ['b'] }, list: { _sd: [1] } }, now: NOW });
    const fr2 = verifyAt(c, c.sdJwt.present(framed, { disclose: ['/o/b', '/list/1'] }));
    assert.deepEqual(codes(fr2), []);
    assert.deepEqual(fr2.claims.o, { b: 2, c: 3 });
    assert.deepEqual(fr2.claims.list, ['x', 'y']);
    assert.equal(fr2.claims.a, undefined);
  }],

  ['decoys: extra digests in every _sd that has disclosable members, ignored by verification', (c) => {
    const issuer = c.generateKeyPair();
    const claims = { vct: 'urn:example:d', a: 'A', b: 'B', o: { x: 1, y: 2 } };
    const count = (token) => {
      const { jwt, disclosures } = split(token);
      const payload = decodeJson(jwt.split('.')[1]);
      const o = disclosures.map(decodeJson).find((d) => d[1] === 'o')[2];
      return { top: payload._sd.length, inner: o._sd.length, disclosures: disclosures.length };
    };
    const plain = c.sdJwt.issue(claims, { issuer, disclose: ['/a', '/o', '/o/x'], now: NOW });
    const decoyed = c.sdJwt.issue(claims, { issuer, disclose: ['/a', '/o', '/o/x'], decoys: 3, now: NOW });
    assert.deepEqual(count(plain), { top: 2, inner: 1, disclosures: 3 });
    assert.deepEqual(count(decoyed), { top: 5, inner: 4, disclosures: 3 });
    const top = decodeJson(split(decoyed).jwt.split('.')[1])._sd;
    assert.equal(new Set(top).size, top.length, 'decoy digests are distinct');
    assert.deepEqual([...top].sort(), top, '_sd is sorted, so position reveals nothing');
    const r = verifyAt(c, c.sdJwt.present(decoyed, { disclose: ['/o/x'] }));
    assert.deepEqual(codes(r), []);
    assert.deepEqual(r.claims, { vct: 'urn:example:d', iss: issuer.did, iat: NOW / 1000, b: 'B', o: { y: 2, x: 1 } });
  }],

  ['hashAlg sha-256, sha-384 and sha-512: _sd_alg, digests and sd_hash use it', (c) => {
    for (const [alg, len] of [['sha-256', 43], ['sha-384', 64], ['sha-512', 86]]) {
      const { issuer, holder, token, present } = fixture(c, { hashAlg: alg });
      const { jwt, disclosures } = split(token);
      const payload = decodeJson(jwt.split('.')[1]);
      assert.equal(payload._sd_alg, alg);
      for (const d of payload._sd) assert.equal(d.length, len, `${alg} digest length`);
      const given = disclosures.find((d) => decodeJson(d)[1] === 'given_name');
      assert.ok(payload._sd.includes(b64u(c.hash(given, alg))), `${alg} digest of the disclosure string`);
      const p = present();
      const { kb } = split(p);
      const presented = p.slice(0, p.length - kb.length);
      assert.equal(decodeJson(kb.split('.')[1]).sd_hash, b64u(c.hash(presented, alg)), `${alg} sd_hash`);
      const r = verifyAt(c, p, kbOptions);
      assert.deepEqual(codes(r), [], alg);
      assert.deepEqual(r.claims, expectedShownClaims(issuer, holder));
      // An sd_hash of another algorithm is refused.
      const other = alg === 'sha-256' ? 'sha-512' : 'sha-256';
      const wrong = presented + kbJwt(c, presented, holder, { alg: other });
      assert.deepEqual(codes(verifyAt(c, wrong, kbOptions)), ['KEY_BINDING_INVALID'], `${alg} with ${other} sd_hash`);
    }
    assert.throwsCode(() => fixture(c, { hashAlg: 'md5' }), 'UNSUPPORTED_ALGORITHM', 'hashAlg');
  }],

  ['privacy: no undisclosed claim name or value in any decoded part of a presentation', (c) => {
    const { token, present } = fixture(c, { decoys: 2 });
    // The credential itself holds every hidden name and value (so the check below can see them).
    const credentialText = decodedParts(token).join('\n');
    for (const secret of HIDDEN) assert.ok(credentialText.includes(secret), `${secret} is in the credential`);
    for (const p of [present(), present(SHOWN, false)]) {
      const parts = decodedParts(p);
      assert.equal(parts.length, 2 + 4 + (split(p).kb ? 2 : 0));
      for (const part of parts) {
        for (const secret of HIDDEN) assert.ok(!part.includes(secret), `'${secret}' leaked in ${part}`);
      }
      for (const secret of HIDDEN) assert.ok(!p.includes(secret), `'${secret}' in the raw presentation`);
      // What was shown is there.
      const shown = parts.join('\n');
      for (const s of ['given_name', 'Ada', 'street_address', '12 Marylebone Rd', 'GB', 'London']) assert.ok(shown.includes(s), s);
    }
  }],

  ['tamper: altered, duplicated and injected disclosures are INVALID_DISCLOSURE_PROOF', (c) => {
    const { issuer, present } = fixture(c);
    const q = split(present(SHOWN, false));
    const i = q.disclosures.findIndex((d) => decodeJson(d)[1] === 'given_name');
    const [salt] = decodeJson(q.disclosures[i]);
    // Altered: same salt and name, another value.
    const altered = { ...q, disclosures: q.disclosures.map((d, k) => (k === i ? b64uJson([salt, 'given_name', 'Eve']) : d)) };
    const ra = verifyAt(c, join(altered));
    assert.deepEqual(codes(ra), ['INVALID_DISCLOSURE_PROOF']);
    assert.equal(ra.valid, false);
    // One character changed in the encoded disclosure.
    const flip = q.disclosures[i].slice(0, -2) + (q.disclosures[i].at(-2) === 'A' ? 'B' : 'A') + q.disclosures[i].at(-1);
    assert.deepEqual(codes(verifyAt(c, join({ ...q, disclosures: q.disclosures.map((d, k) => (k === i ? flip : d)) }))), ['INVALID_DISCLOSURE_PROOF']);
    // Duplicated.
    const dup = verifyAt(c, join({ ...q, disclosures: [...q.disclosures, q.disclosures[i]] }));
    assert.deepEqual(codes(dup), ['INVALID_DISCLOSURE_PROOF']);
    // Injected: a disclosure no digest refers to.
    const injected = verifyAt(c, join({ ...q, disclosures: [...q.disclosures, b64uJson([b64u(new Uint8Array(16).fill(7)), 'is_admin', true])] }));
    assert.deepEqual(codes(injected), ['INVALID_DISCLOSURE_PROOF']);
    // Injected from another credential of the same issuer.
    const holder2 = c.generateKeyPair();
    const other = split(c.sdJwt.issue({ vct: 'urn:example:pid', role: 'admin' }, { issuer, disclose: ['/role'], holderPublicKey: holder2.publicKey, now: NOW }));
    const foreign = verifyAt(c, join({ ...q, disclosures: [...q.disclosures, other.disclosures[0]] }));
    assert.deepEqual(codes(foreign), ['INVALID_DISCLOSURE_PROOF']);
    assert.equal(foreign.valid, false);
    // A payload edited to carry the injected digest breaks the issuer signature.
    const [h, pl, s] = q.jwt.split('.');
    const payload = decodeJson(pl);
    payload._sd = [...payload._sd, b64u(c.hash(other.disclosures[0]))].sort();
    const forged = verifyAt(c, join({ ...q, jwt: `${h}.${b64uJson(payload)}.${s}`, disclosures: [...q.disclosures, other.disclosures[0]] }));
    assert.deepEqual(codes(forged), ['INVALID_SIGNATURE']);
  }],

  ['tamper with key binding: removed, reordered, altered and added disclosures break sd_hash', (c) => {
    const { present } = fixture(c);
    const p = split(present());
    const fails = (variant, expected, label) => {
      const r = verifyAt(c, join(variant), kbOptions);
      assert.deepEqual(codes(r), expected, label);
      assert.equal(r.valid, false, label);
    };
    fails({ ...p, disclosures: p.disclosures.slice(1) }, ['KEY_BINDING_INVALID'], 'removed');
    fails({ ...p, disclosures: [...p.disclosures].reverse() }, ['KEY_BINDING_INVALID'], 'reordered');
    fails({ ...p, disclosures: [...p.disclosures, p.disclosures[0]] }, ['INVALID_DISCLOSURE_PROOF'], 'duplicated');
    const [salt, name] = decodeJson(p.disclosures[0]);
    fails({ ...p, disclosures: [b64uJson([salt, name, 'x']), ...p.disclosures.slice(1)] }, ['INVALID_DISCLOSURE_PROOF'], 'altered');
    // Without key binding, order is not fixed: a reordered SD-JWT verifies, a shorter one shows less.
    const q = split(present(SHOWN, false));
    const reordered = verifyAt(c, join({ ...q, disclosures: [...q.disclosures].reverse() }));
    assert.deepEqual(codes(reordered), []);
    assert.deepEqual(reordered.claims, verifyAt(c, join(q)).claims);
    const fewer = verifyAt(c, join({ ...q, disclosures: q.disclosures.filter((d) => decodeJson(d)[1] !== 'given_name') }));
    assert.deepEqual(codes(fewer), []);
    assert.equal(fewer.claims.given_name, undefined);
    assert.equal(fewer.claims.address.street_address, '12 Marylebone Rd');
  }],

  ['key binding: wrong nonce, wrong audience, stale iat, another key, missing when asked', (c) => {
    const { holder, present } = fixture(c);
    const p = present();
    assert.deepEqual(codes(verifyAt(c, p, kbOptions)), []);
    const wrongNonce = verifyAt(c, p, { ...kbOptions, nonce: 'n-other' });
    assert.deepEqual(codes(wrongNonce), ['NONCE_MISMATCH']);
    assert.equal(wrongNonce.errors[0].path, 'kb_jwt.nonce');
    assert.deepEqual(codes(verifyAt(c, p, { ...kbOptions, audience: 'https://other.example' })), ['AUDIENCE_MISMATCH']);
    // iat 5 s after NOW; verified 10 minutes later (default clockSkewSeconds 60) or earlier.
    assert.deepEqual(codes(verifyAt(c, p, { ...kbOptions, now: NOW + 600_000 })), ['KEY_BINDING_INVALID']);
    assert.deepEqual(codes(verifyAt(c, p, { ...kbOptions, now: NOW - 120_000 })), ['NOT_YET_VALID', 'KEY_BINDING_INVALID']);
    assert.deepEqual(codes(verifyAt(c, p, { ...kbOptions, now: NOW + 600_000, clockSkewSeconds: 900 })), []);
    // A KB-JWT signed by a key other than cnf.
    const { kb } = split(p);
    const presented = p.slice(0, p.length - kb.length);
    const mallory = c.generateKeyPair();
    const byOther = verifyAt(c, presented + kbJwt(c, presented, mallory), kbOptions);
    assert.deepEqual(codes(byOther), ['KEY_BINDING_INVALID']);
    assert.equal(byOther.errors[0].path, 'kb_jwt');
    // The same KB-JWT by the right key passes (the forgery helper is sound).
    assert.deepEqual(codes(verifyAt(c, presented + kbJwt(c, presented, holder), kbOptions)), []);
    // The holder library refuses to bind with a key that is not cnf.
    assert.throwsCode(() => c.sdJwt.present(presented, { disclose: SHOWN, holder: mallory, nonce: NONCE, audience: AUD }), 'HOLDER_MISMATCH');
    // No KB-JWT while a nonce, an audience or key binding is asked for.
    const bare = present(SHOWN, false);
    for (const options of [{ nonce: NONCE }, { audience: AUD }, { requireKeyBinding: true }]) {
      const r = verifyAt(c, bare, options);
      assert.deepEqual(codes(r), ['KEY_BINDING_MISSING'], JSON.stringify(options));
      assert.equal(r.valid, false);
    }
    // A KB-JWT with the wrong typ, or cut off, is invalid.
    const [kh, kp, ks] = kb.split('.');
    const wrongTyp = verifyAt(c, presented + kbJwt(c, presented, holder, { typ: 'JWT' }), kbOptions);
    assert.deepEqual(codes(wrongTyp), ['KEY_BINDING_INVALID']);
    assert.equal(wrongTyp.errors[0].path, 'kb_jwt.header.typ');
    // An edited header also breaks the signature: two failures.
    assert.deepEqual(codes(verifyAt(c, `${presented}${b64uJson({ typ: 'JWT', alg: 'EdDSA' })}.${kp}.${ks}`, kbOptions)), ['KEY_BINDING_INVALID', 'KEY_BINDING_INVALID']);
    // A KB-JWT whose nonce is not a string is invalid.
    assert.deepEqual(codes(verifyAt(c, presented + kbJwt(c, presented, holder, { nonce: null }), kbOptions)), ['KEY_BINDING_INVALID']);
    assert.deepEqual(codes(verifyAt(c, `${presented}${kh}.${kp}`, kbOptions)), ['KEY_BINDING_INVALID']);
    // Expired credential.
    assert.deepEqual(codes(verifyAt(c, bare, { now: NOW + 3_600_000 + 61_000 })), ['EXPIRED_CREDENTIAL']);
  }],

  ['bad input: non-strings throw MALFORMED_INPUT, garbage and 10 MB give coded results, the module keeps working', (c) => {
    const { present } = fixture(c);
    const good = present();
    for (const bad of [5, null, undefined, [], new Uint8Array(4)]) {
      assert.throwsCode(() => c.sdJwt.verify(bad), 'MALFORMED_INPUT');
    }
    // An object is read as the JWS JSON Serialization (RFC 9901 section 8): one that is not
    // gets a coded result.
    for (const bad of [{}, { payload: 'x' }, { protected: 'e30', payload: 'e30', signature: '' }]) {
      const r = c.sdJwt.verify(bad, { now: NOW });
      assert.deepEqual([r.valid, r.errors.map((e) => e.code)], [false, ['MALFORMED_INPUT']], JSON.stringify(bad));
    }
    assert.throwsCode(() => c.verifyBatch([good, 5]), 'MALFORMED_INPUT', '[1]');
    for (const bad of ['', 'garbage', '~', '~~', 'a.b.c~', 'a.b~x~', `${good.split('~')[0]}~~x~`]) {
      const r = c.sdJwt.verify(bad, { now: NOW });
      assert.equal(r.valid, false, JSON.stringify(bad));
      assert.deepEqual(codes(r), ['MALFORMED_INPUT'], JSON.stringify(bad));
    }
    // alg none in a well-formed SD-JWT.
    const { jwt, disclosures } = split(good);
    const none = `${b64uJson({ typ: 'dc+sd-jwt', alg: 'none' })}.${jwt.split('.')[1]}.~${disclosures.join('~')}~`;
    assert.deepEqual(codes(c.sdJwt.verify(none, { now: NOW })), ['UNSUPPORTED_ALGORITHM']);
    assert.deepEqual(codes(c.sdJwt.verify('eyJhbGciOiJub25lIn0.e30.~', { now: NOW })), ['UNSUPPORTED_ALGORITHM']);
    // 10 MB: a valid presentation carrying one huge disclosure.
    const big = `${jwt}~${'A'.repeat(10 * 1024 * 1024)}~`;
    assert.deepEqual(codes(c.sdJwt.verify(big, { now: NOW })), ['INPUT_TOO_LARGE']);
    const batch = c.verifyBatch([big, 'garbage', good], { ...kbOptions, now: NOW + 6_000 });
    assert.deepEqual(batch.map(codes), [['INPUT_TOO_LARGE'], ['MALFORMED_INPUT'], []]);
    // Bad issuance and presentation input is thrown with a code.
    const issuer = c.generateKeyPair();
    assert.throwsCode(() => c.sdJwt.issue([1, 2], { issuer }), 'MALFORMED_INPUT');
    assert.throwsCode(() => c.sdJwt.issue({ vct: 'v', a: 1 }, { issuer, disclose: ['/b'] }), 'MALFORMED_INPUT');
    assert.throwsCode(() => c.sdJwt.issue({ vct: 'v', a: 1 }, { issuer: {} }), 'MALFORMED_INPUT', 'issuer.secretKey');
    assert.throwsCode(() => c.sdJwt.present('garbage', { disclose: [] }), 'MALFORMED_INPUT');
    assert.throwsCode(() => c.sdJwt.present(42), 'MALFORMED_INPUT');
    // The module still works.
    assert.deepEqual(codes(verifyAt(c, good, kbOptions)), []);
  }],

  ['verifyBatch mixes valid and tampered SD-JWTs and answers per item, in order', (c) => {
    const a = fixture(c);
    const b = fixture(c, { hashAlg: 'sha-512' });
    const pa = a.present();
    const pb = b.present();
    const sa = split(pa);
    const [h, pl, sig] = sa.jwt.split('.');
    const badSig = join({ ...sa, jwt: `${h}.${pl}.${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}` });
    const reordered = join({ ...sa, disclosures: [...sa.disclosures].reverse() });
    const kbOther = pa.slice(0, pa.length - sa.kb.length) + kbJwt(c, pa.slice(0, pa.length - sa.kb.length), b.holder);
    const inputs = [pa, badSig, pb, reordered, 'garbage', kbOther, a.present(SHOWN, false), pb];
    const results = c.verifyBatch(inputs, { now: NOW + 6_000 });
    assert.equal(results.length, inputs.length);
    assert.deepEqual(results.map(codes), [
      // The issuer signature is also under sd_hash, so the KB-JWT fails with it.
      [], ['KEY_BINDING_INVALID', 'INVALID_SIGNATURE'], [], ['KEY_BINDING_INVALID'], ['MALFORMED_INPUT'], ['KEY_BINDING_INVALID'], [], [],
    ]);
    assert.deepEqual(results.map((r) => r.valid), [true, false, true, false, false, false, true, true]);
    assert.deepEqual(results.map((r) => r.kind), ['presentation', 'presentation', 'presentation', 'presentation', 'credential', 'presentation', 'credential', 'presentation']);
    assert.equal(results[0].issuer, a.issuer.did);
    assert.equal(results[2].issuer, b.issuer.did);
    assert.deepEqual(results[0].claims, expectedShownClaims(a.issuer, a.holder));
    assert.deepEqual(results[2].claims, expectedShownClaims(b.issuer, b.holder));
    // Each result equals the single verification of its input.
    inputs.forEach((input, i) => assert.deepEqual(results[i], c.sdJwt.verify(input, { now: NOW + 6_000 }), `item ${i}`));
    // Trust is per item: only a's issuer is trusted.
    const trusted = c.verifyBatch([pa, pb], { now: NOW + 6_000, trustedIssuers: [a.issuer.did] });
    assert.deepEqual(trusted.map(codes), [[], ['UNTRUSTED_ISSUER']]);
  }],
];
