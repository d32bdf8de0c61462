// Bounded work in the package as it ships (Node): hostile batches that once took the wasm
// instance to its 4 GiB ceiling and trapped, or overflowed its stack, now get coded results, the
// instance's memory stays within a stated figure, and the next call works.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from 'credcore';

const glue = await import(new URL('./credcore_wasm.js', import.meta.resolve('credcore')).href);
/** The live instance's memory, in MiB (initSync returns the exports of the initialized instance). */
const memoryMiB = () => glue.initSync({ module: c.wasmModule() }).memory.buffer.byteLength / (1024 * 1024);
const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');

test('80 anon-identity-shaped items of 1 MiB (524,000 zeros each): coded results, memory under 256 MiB, the next call works', () => {
  const issuer = c.generateKeyPair();
  const item = JSON.stringify({
    '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: issuer.did,
    credentialSubject: { id: 'x', a: new Array(524_000).fill(0) }, proof: { type: 'Ed25519Signature2020', jws: 'e30.e30.AA' },
  });
  assert.ok(item.length > 1_000_000);
  const before = memoryMiB();
  const results = c.verifyBatch(Array.from({ length: 80 }, (_, i) => item + ' '.repeat(i)));
  const grown = memoryMiB() - before;
  assert.equal(results.length, 80);
  for (const r of results) assert.deepEqual(codes(r), ['INPUT_TOO_LARGE']);
  // The 80 MiB batch itself crosses into wasm memory once; nothing near 56 bytes per input byte.
  assert.ok(memoryMiB() < 256, `wasm memory ${memoryMiB().toFixed(0)} MiB (grew ${grown.toFixed(0)} MiB)`);
  const vc = c.issueCredential({ credentialSubject: { id: issuer.did } }, { issuer, format: 'vc-jwt', expiresIn: 60 });
  assert.equal(c.verifyCredential(vc).valid, true);
});

test('an SD-JWT with 2,000 disclosures nested through each other and maxDepth 10000: INPUT_TOO_LARGE, no trap', () => {
  const issuer = c.generateKeyPair();
  let inner = { leaf: 1 };
  const disclosures = [];
  for (let i = 0; i < 2000; i++) {
    const d = b64u(JSON.stringify([`s${i}`, 'n', inner]));
    inner = { _sd: [b64u(c.hash(d, 'sha-256'))] };
    disclosures.push(d);
  }
  const payload = { ...inner, iss: issuer.did, _sd_alg: 'sha-256' };
  const jwt = `${b64u(JSON.stringify({ alg: 'EdDSA', typ: 'example+sd-jwt' }))}.${b64u(JSON.stringify(payload))}.${b64u(new Uint8Array(64))}`;
  const input = `${jwt}~${disclosures.join('~')}~`;
  assert.ok(input.length > 150_000);
  for (const maxDepth of [10_000, 64]) {
    const r = c.verifyBatch([input], { maxDepth })[0];
    assert.equal(r.valid, false);
    assert.ok(codes(r).includes('INPUT_TOO_LARGE'), JSON.stringify(r.errors));
  }
  assert.equal(c.hash('abc').length, 32);
  assert.equal(c.generateKeyPair().publicKey.length, 32);
});
