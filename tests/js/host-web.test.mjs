// The WebCrypto settler of the browser entry and the browser pool's workers (host.browser.js),
// run here on Node's own WebCrypto (globalThis.crypto.subtle, the same W3C API): real verdicts
// for ES256, ES384 and RS256 jobs signed with node:crypto; a key WebCrypto refuses, an
// algorithm it lacks, a verify that throws or rejects all answer 0; and once a key is imported,
// each job reaches crypto.subtle.verify in the caller's turn, so that a host round's next step
// is prepared while WebCrypto works on this one (a job that waited for a microtask would start
// only after the whole round had been prepared).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

const internal = (file) => import(new URL(`./${file}`, import.meta.resolve('credcore')).href);
const { settleWeb, WEB_ALGS } = await internal('host.browser.js');
const { pack } = await internal('wire.js');

const text = new TextEncoder();
const u8 = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** A job's packed key: the uncompressed EC point, or RSA's u32 LE length of n, n, e. */
function keyBytes(publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty === 'EC') return u8(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
  const n = Buffer.from(jwk.n, 'base64url');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(n.length);
  return u8(Buffer.concat([len, n, Buffer.from(jwk.e, 'base64url')]));
}

const signers = {
  ES256: { pair: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }), digest: 'sha256', opts: { dsaEncoding: 'ieee-p1363' } },
  ES384: { pair: crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }), digest: 'sha384', opts: { dsaEncoding: 'ieee-p1363' } },
  RS256: { pair: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }), digest: 'sha256', opts: {} },
};

/** [alg, key, message, signature, expected] of one job; `tamper` flips a signature bit. */
function job(alg, i, tamper = false) {
  const { pair, digest, opts } = signers[alg];
  const message = text.encode(`message ${alg} ${i}`);
  const signature = u8(crypto.sign(digest, message, { key: pair.privateKey, ...opts }));
  if (tamper) signature[3] ^= 0x01;
  return { fields: [text.encode(alg), keyBytes(pair.publicKey), message, signature], expected: tamper ? 0 : 1 };
}

const packJobs = (jobs) => pack(jobs.flatMap((j) => j.fields));

test('WebCrypto settler: real verdicts per job, for every algorithm it settles', async () => {
  assert.equal(WEB_ALGS.split(',').includes('ES256K'), false, 'secp256k1 is not in WebCrypto');
  const jobs = [];
  for (let i = 0; i < 6; i++) for (const alg of Object.keys(signers)) jobs.push(job(alg, i, i % 3 === 1));
  // Twice: the first call imports the keys, the second finds them imported.
  for (let round = 0; round < 2; round++) {
    const got = await settleWeb(packJobs(jobs));
    assert.ok(got instanceof Uint8Array);
    assert.deepEqual([...got], jobs.map((j) => j.expected), `round ${round}`);
  }
});

test('WebCrypto settler: a refused key, an unknown algorithm, a key of another algorithm all answer 0', async () => {
  const good = job('ES256', 100);
  const offCurve = { fields: [good.fields[0], Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : 7)), good.fields[2], good.fields[3]], expected: 0 };
  const notAPoint = { fields: [good.fields[0], new Uint8Array([4, 1, 2]), good.fields[2], good.fields[3]], expected: 0 };
  const unknown = { fields: [text.encode('ES256K'), good.fields[1], good.fields[2], good.fields[3]], expected: 0 };
  const otherAlg = { fields: [text.encode('ES384'), good.fields[1], good.fields[2], good.fields[3]], expected: 0 };
  const jobs = [good, offCurve, notAPoint, unknown, otherAlg, good];
  for (let round = 0; round < 2; round++) assert.deepEqual([...(await settleWeb(packJobs(jobs)))], [1, 0, 0, 0, 0, 1], `round ${round}`);
});

test('WebCrypto settler: once a key is imported, every job reaches crypto.subtle.verify in the caller\'s turn', async (t) => {
  const jobs = Array.from({ length: 40 }, (_, i) => job('ES256', 200 + i, i === 17));
  const packed = packJobs(jobs);
  // The first call imports the key.
  assert.deepEqual([...(await settleWeb(packed))], jobs.map((j) => j.expected));
  const subtle = globalThis.crypto.subtle;
  const real = subtle.verify;
  let calls = 0;
  Object.defineProperty(subtle, 'verify', { configurable: true, writable: true, value: (...args) => (calls++, real.apply(subtle, args)) });
  t.after(() => delete subtle.verify);
  const pending = settleWeb(packed);
  // Synchronously, before any microtask has run.
  assert.equal(calls, jobs.length);
  assert.deepEqual([...(await pending)], jobs.map((j) => j.expected));
});

test('WebCrypto settler: a verify that throws, rejects or answers junk answers 0, never 1', async (t) => {
  const jobs = Array.from({ length: 6 }, (_, i) => job('ES256', 300 + i));
  const packed = packJobs(jobs);
  assert.deepEqual([...(await settleWeb(packed))], [1, 1, 1, 1, 1, 1]);
  const subtle = globalThis.crypto.subtle;
  t.after(() => delete subtle.verify);
  const behaviours = [
    () => {
      throw new TypeError('sync throw');
    },
    () => Promise.reject(new Error('rejected')),
    () => Promise.resolve(1),
    () => Promise.resolve('true'),
    () => undefined,
  ];
  for (const b of behaviours) {
    Object.defineProperty(subtle, 'verify', { configurable: true, writable: true, value: b });
    assert.deepEqual([...(await settleWeb(packed))], [0, 0, 0, 0, 0, 0], String(b));
  }
  delete subtle.verify;
  assert.deepEqual([...(await settleWeb(packed))], [1, 1, 1, 1, 1, 1], 'the real verify again');
});

test('WebCrypto settler: an importKey that throws instead of rejecting refuses the key: its jobs answer 0, the others verify', async (t) => {
  const subtle = globalThis.crypto.subtle;
  t.after(() => delete subtle.importKey);
  Object.defineProperty(subtle, 'importKey', {
    configurable: true,
    writable: true,
    value: () => {
      throw new TypeError('sync throw');
    },
  });
  // A key never seen before (a fresh pair), beside the ES256 key imported by the tests above.
  const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = text.encode('fresh key');
  const fresh = { fields: [text.encode('ES256'), keyBytes(pair.publicKey), message, u8(crypto.sign('sha256', message, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }))], expected: 0 };
  const known = job('ES256', 400);
  assert.deepEqual([...(await settleWeb(packJobs([fresh, known, fresh])))], [0, 1, 0]);
});
