// SD-JWT in JWS JSON Serialization (RFC 9901 section 8), flattened and general, with
// @sd-jwt/core 0.19 (FlattenJSON, GeneralJSON, SDJwtGeneralJSONInstance) in both directions:
// its JSON forms of credcore's SD-JWTs verify here through sdJwt.verify and verifyBatch; credcore's
// `present(..., { serialization: 'json' })` reads back in @sd-jwt as the same compact SD-JWT; an
// SD-JWT issued by @sd-jwt in the general form verifies; unsigned header parameters, misplaced
// disclosures and tampering are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FlattenJSON, GeneralJSON, SDJwtGeneralJSONInstance } from '@sd-jwt/core';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as credcore from 'credcore';

const NOW_S = 1_750_000_000;
const NOW_MS = NOW_S * 1000;
const NONCE = 'n-1';
const AUD = 'https://verifier.example';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const issuer = credcore.keyPairFromSeed(new Uint8Array(32).fill(7));
const holder = credcore.keyPairFromSeed(new Uint8Array(32).fill(8));
const token = credcore.sdJwt.issue(
  { vct: 'urn:example:pid', given_name: 'Ada', family_name: 'Lovelace', birthdate: '1815-12-10' },
  { issuer, disclose: ['/given_name', '/family_name', '/birthdate'], holderPublicKey: holder.publicKey, now: NOW_MS, expiresIn: 3600 },
);
const codes = (r) => r.errors.map((e) => e.code);
const at = { now: NOW_MS + 10_000 };

test('@sd-jwt FlattenJSON and GeneralJSON forms of credcore SD-JWTs verify as their compact form', () => {
  const flat = FlattenJSON.fromEncode(token).toJson();
  const general = GeneralJSON.fromEncode(token).toJson();
  for (const [name, form] of [['flattened', flat], ['general', general]]) {
    const r = credcore.sdJwt.verify(form, at);
    assert.deepEqual(codes(r), [], `${name}: ${JSON.stringify(r.errors)}`);
    assert.equal(r.format, 'sd-jwt');
    assert.deepEqual(r.claims, credcore.sdJwt.verify(token, at).claims, name);
    // The same through verifyBatch (as an object and as text) and a Verifier.
    const [a, b] = credcore.verifyBatch([form, JSON.stringify(form)], at);
    assert.equal(a.valid && b.valid, true, name);
  }
  // A presentation with key binding: sd_hash covers the compact form (section 8.1).
  const kb = credcore.sdJwt.present(token, { disclose: ['/given_name'], holder, nonce: NONCE, audience: AUD, now: NOW_MS + 5000 });
  for (const form of [FlattenJSON.fromEncode(kb).toJson(), GeneralJSON.fromEncode(kb).toJson()]) {
    const r = credcore.sdJwt.verify(form, { ...at, nonce: NONCE, audience: AUD });
    assert.deepEqual(codes(r), [], JSON.stringify(r.errors));
    assert.equal(r.kind, 'presentation');
    assert.deepEqual(Object.keys(r.claims).filter((k) => k.endsWith('_name')), ['given_name']);
    assert.deepEqual(codes(credcore.sdJwt.verify(form, { ...at, nonce: 'other', audience: AUD })), ['NONCE_MISMATCH']);
  }
});

test('present(..., { serialization: "json" }) reads back in @sd-jwt as the compact SD-JWT', () => {
  const compact = credcore.sdJwt.present(token, { disclose: ['/family_name'], holder, nonce: NONCE, audience: AUD, now: NOW_MS + 5000 });
  const json = credcore.sdJwt.present(token, { disclose: ['/family_name'], holder, nonce: NONCE, audience: AUD, now: NOW_MS + 5000, serialization: 'json' });
  assert.deepEqual(Object.keys(json).sort(), ['header', 'payload', 'protected', 'signature']);
  assert.equal(json.header.disclosures.length, 1);
  // The KB-JWT's own signature is fresh randomness for ECDSA, deterministic for EdDSA: the same.
  assert.equal(FlattenJSON.fromSerialized(json).toEncoded(), compact);
  assert.deepEqual(codes(credcore.sdJwt.verify(json, { ...at, nonce: NONCE, audience: AUD })), []);
  const plain = credcore.sdJwt.present(token, { disclose: ['/birthdate'], serialization: 'json' });
  assert.equal(plain.header.kb_jwt, undefined);
  assert.deepEqual(codes(credcore.sdJwt.verify(plain, at)), []);
  assert.throws(() => credcore.sdJwt.present(token, { serialization: 'xml' }), (e) => e.code === 'MALFORMED_INPUT');
});

test('an SD-JWT issued by @sd-jwt in the general JSON serialization verifies', async () => {
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(issuer.secretKey)]), format: 'der', type: 'pkcs8' });
  const signer = async (data) => crypto.sign(null, Buffer.from(data), privateKey).toString('base64url');
  const sdjwt = new SDJwtGeneralJSONInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt });
  const issued = await sdjwt.issue(
    { iss: issuer.did, iat: NOW_S, vct: 'urn:example:pid', given_name: 'Grace', family_name: 'Hopper' },
    { _sd: ['given_name', 'family_name'] },
    { sigs: [{ signer, alg: 'EdDSA', kid: `${issuer.did}#${issuer.did.slice(8)}` }] },
  );
  const form = issued.toJson();
  assert.ok(Array.isArray(form.signatures), JSON.stringify(form).slice(0, 200));
  const r = credcore.sdJwt.verify(form, at);
  assert.deepEqual(codes(r), [], JSON.stringify(r.errors));
  assert.equal(r.claims.given_name, 'Grace');
});

test('JSON serializations that would let an unsigned part decide are refused', () => {
  const flat = FlattenJSON.fromEncode(token).toJson();
  const verify = (form, options = at) => credcore.sdJwt.verify(form, options).errors.map((e) => [e.code, e.path]);
  // Header parameters outside the signature (an unprotected kid, as @sd-jwt writes it, is not used).
  assert.deepEqual(verify({ ...flat, header: { ...flat.header, x5c: ['AAAA'] } }), [['MALFORMED_INPUT', 'header.x5c']]);
  assert.deepEqual(verify({ ...flat, header: { ...flat.header, typ: 'vc+jwt' } }), [['MALFORMED_INPUT', 'header.typ']]);
  assert.deepEqual(verify({ ...flat, header: { ...flat.header, kid: 'not-the-key' } }), []);
  assert.deepEqual(verify({ ...flat, header: { ...flat.header, alg: 'none' } }), [['MALFORMED_INPUT', 'header.alg']]);
  assert.deepEqual(verify({ ...flat, extra: 1 }), [['MALFORMED_INPUT', 'extra']]);
  // A part that would smuggle a separator.
  assert.deepEqual(verify({ ...flat, header: { disclosures: [`${flat.header.disclosures[0]}~${flat.header.disclosures[1]}`] } }), [['MALFORMED_INPUT', 'header.disclosures[0]']]);
  // Disclosures in a later signature's header.
  const general = GeneralJSON.fromEncode(token).toJson();
  const second = { protected: general.signatures[0].protected, signature: general.signatures[0].signature, header: { disclosures: [] } };
  assert.deepEqual(verify({ ...general, signatures: [general.signatures[0], second] }), [['MALFORMED_INPUT', 'signatures[1].header']]);
  // Tampering: a changed payload, a disclosure the payload does not list.
  const payload = JSON.parse(Buffer.from(flat.payload, 'base64url').toString());
  payload.vct = 'urn:example:other';
  assert.deepEqual(verify({ ...flat, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') }).map((e) => e[0]), ['INVALID_SIGNATURE']);
  const foreign = Buffer.from(JSON.stringify(['c2FsdA', 'given_name', 'Eve'])).toString('base64url');
  assert.deepEqual(verify({ ...flat, header: { disclosures: [foreign] } }).map((e) => e[0]), ['INVALID_DISCLOSURE_PROOF']);
  // A VC-JWT in JSON serialization is not an SD-JWT: refused, not read as a VC-JWT.
  const vc = credcore.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer, now: NOW_MS });
  const [p, pl, s] = vc.split('.');
  const r = credcore.verifyBatch([{ protected: p, payload: pl, signature: s }], at)[0];
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].code, 'MALFORMED_INPUT');
  // Key binding reordered: sd_hash covers the exact compact form.
  const kb = credcore.sdJwt.present(token, { disclose: ['/given_name', '/family_name'], holder, nonce: NONCE, audience: AUD, now: NOW_MS + 5000, serialization: 'json' });
  const reordered = { ...kb, header: { ...kb.header, disclosures: [...kb.header.disclosures].reverse() } };
  assert.deepEqual(verify(reordered, { ...at, nonce: NONCE, audience: AUD }).map((e) => e[0]), ['KEY_BINDING_INVALID']);
  // Neither an array nor a number is a presentation.
  assert.throws(() => credcore.sdJwt.verify([flat]), (e) => e.code === 'MALFORMED_INPUT');
});
