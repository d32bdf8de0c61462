// Host signature checks (ECDSA, RSA): the same job sets through every settler give the same
// verdicts: in-process RustCrypto (no host installed), node:crypto synchronously (module
// functions, pool workers), node:crypto on its thread pool (a Verifier's needs loop, cached and
// uncached), and WebCrypto in headless Chromium (a Verifier in the browser entry). The cases are
// what an attacker would try: tampered messages and signatures, r or s zero or >= n, high S,
// wrong lengths, DER instead of r || s, RSA signatures too short, too long or >= n, PSS with
// another salt length. Tokens are signed here with node:crypto and jose, never by credcore.
// Hosts that throw or answer garbage fail signatures, never pass them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as jose from 'jose';
import * as c from 'credcore';
import { serve, here } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const internal = (file) => import(new URL(`./${file}`, import.meta.resolve('credcore')).href);
const glue = await internal('credcore_wasm.js');
const { settleSync, nodeAsyncHost } = await internal('host.node.js');
const { setAsyncHost } = await internal('host-round.js');

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const unb64u = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const hexBytes = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** Group orders (SEC 2 section 2.4.2, 2.5.1; FIPS 186-4 D.1.2.3): r and s must lie in [1, n - 1]. */
const ORDER = {
  ES256: hexBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  ES384: hexBytes('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  ES256K: hexBytes('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
};
const CURVE = { ES256: 'P-256', ES384: 'P-384', ES256K: 'secp256k1' };
const HASH = { ES256: 'sha256', ES384: 'sha384', ES256K: 'sha256', RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', PS256: 'sha256', PS384: 'sha384', PS512: 'sha512' };
const SALT = { PS256: 32, PS384: 48, PS512: 64 };
const ALGS = ['ES256', 'ES384', 'ES256K', 'RS256', 'RS512', 'PS256', 'PS384'];

const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const fromBig = (n, len) => hexBytes(n.toString(16).padStart(len * 2, '0'));

let rsaPair = null;
function keysFor(alg) {
  if (alg in CURVE) return crypto.generateKeyPairSync('ec', { namedCurve: CURVE[alg] });
  rsaPair ??= crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return rsaPair;
}

function signWith(alg, privateKey, input, saltLength = SALT[alg]) {
  if (alg.startsWith('ES')) return crypto.sign(HASH[alg], input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('PS')) return crypto.sign(HASH[alg], input, { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength });
  return crypto.sign(HASH[alg], input, privateKey);
}

/**
 * Every case of every algorithm: [name, token, expected valid]; and the options naming the keys.
 * Signed with node:crypto over a VC-JWT whose issuer's key is given in `issuerKeys`.
 */
function corpus() {
  const cases = [];
  const issuerKeys = {};
  const now = Math.floor(Date.now() / 1000);
  for (const alg of ALGS) {
    const { privateKey, publicKey } = keysFor(alg);
    const jwk = publicKey.export({ format: 'jwk' });
    const iss = `https://issuer.example/${alg}`;
    issuerKeys[iss] = { ...jwk, kid: 'k1' };
    const header = b64u(Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: 'k1' })));
    const claims = (n) => ({ iss, sub: 'did:example:holder', iat: now, exp: now + 3600, vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:holder', n } } });
    const payload = b64u(Buffer.from(JSON.stringify(claims(1))));
    const input = `${header}.${payload}`;
    const sig = new Uint8Array(signWith(alg, privateKey, Buffer.from(input)));
    const token = (s, p = payload) => `${header}.${p}.${b64u(s)}`;
    const add = (what, tok, valid) => cases.push([`${alg}: ${what}`, tok, valid]);
    add('valid', token(sig), true);
    add('tampered message', token(sig, b64u(Buffer.from(JSON.stringify(claims(2))))), false);
    const flipped = sig.slice();
    flipped[5] ^= 1;
    add('tampered signature', token(flipped), false);
    add('signature one byte short', token(sig.subarray(0, sig.length - 1)), false);
    add('signature one byte long', token(Uint8Array.from([...sig, 0])), false);
    add('signature one zero byte in front', token(Uint8Array.from([0, ...sig])), false);
    if (alg in CURVE) {
      const len = sig.length / 2;
      const n = ORDER[alg];
      const r = sig.subarray(0, len);
      const s = sig.subarray(len);
      const join = (a, b) => Uint8Array.from([...a, ...b]);
      add('r = 0', token(join(new Uint8Array(len), s)), false);
      add('s = 0', token(join(r, new Uint8Array(len))), false);
      add('r = n', token(join(n, s)), false);
      add('s = n', token(join(r, n)), false);
      add('r = n + 1', token(join(fromBig(toBig(n) + 1n, len), s)), false);
      add('s = n + s (>= n, when it fits)', token(join(r, toBig(n) + toBig(s) < 1n << BigInt(len * 8) ? fromBig(toBig(n) + toBig(s), len) : n)), false);
      add('s = 2^k - 1', token(join(r, new Uint8Array(len).fill(0xff))), false);
      // (r, n - s) verifies as (r, s) does: the policy accepts high S on every curve (keys/ec.rs).
      add('s -> n - s', token(join(r, fromBig(toBig(n) - toBig(s), len))), true);
      add('DER signature', token(new Uint8Array(crypto.sign(HASH[alg], Buffer.from(input), privateKey))), false);
    } else {
      const modulus = unb64u(jwk.n);
      add('signature = n', token(modulus), false);
      add('signature = 2^k - 1', token(new Uint8Array(modulus.length).fill(0xff)), false);
      add('signature = 0', token(new Uint8Array(modulus.length)), false);
      if (alg.startsWith('PS')) {
        add('PSS salt of 20 bytes', token(new Uint8Array(signWith(alg, privateKey, Buffer.from(input), 20))), false);
        add('PSS salt of 0 bytes', token(new Uint8Array(signWith(alg, privateKey, Buffer.from(input), 0))), false);
        add('PKCS#1 v1.5 signature', token(new Uint8Array(crypto.sign(HASH[alg], Buffer.from(input), privateKey))), false);
      } else {
        add('PSS signature', token(new Uint8Array(signWith(`PS${alg.slice(2)}`, privateKey, Buffer.from(input)))), false);
      }
    }
  }
  // An Ed25519 credential in the same batch: its signature never goes to a host.
  const ed = c.generateKeyPair();
  cases.push(['EdDSA: valid', c.issueCredential({ credentialSubject: { id: 'did:example:holder' } }, { issuer: ed, format: 'vc-jwt', expiresIn: 3600 }), true]);
  return { cases, options: { issuerKeys } };
}

const verdicts = (results) => results.map((r) => (r.valid ? 'valid' : r.errors.map((e) => e.code).join(',')));
const tokens = (cases) => cases.map(([, t]) => t);

/** Counts what a host is asked while it settles through `inner`. */
function counting(inner) {
  const seen = { calls: 0, jobs: 0 };
  const count = (packed) => {
    seen.calls++;
    seen.jobs += new DataView(packed.buffer, packed.byteOffset).getUint32(0, true) / 4;
  };
  return { seen, sync: (packed) => (count(packed), inner(packed)), async: (packed) => (count(packed), nodeAsyncHost.settle(packed)) };
}

const { cases, options } = corpus();
const expected = cases.map(([, , valid]) => valid);

function assertExpected(results, path) {
  cases.forEach(([name], i) => {
    assert.equal(results[i].valid, expected[i], `${path}, ${name}: ${JSON.stringify(results[i].errors)}`);
    // Refused as a signature, or earlier, when the JWS parser already sees a wrong length.
    if (!expected[i]) assert.match(results[i].errors.map((e) => e.code).join(), /^(INVALID_SIGNATURE|MALFORMED_INPUT)$/, `${path}, ${name}`);
  });
}

test('the same jobs get the same verdicts from RustCrypto, node:crypto (sync and thread pool), the Verifier and the pool', async () => {
  assert.ok(cases.length > 80, `${cases.length} cases`);
  // In-process RustCrypto: no host installed.
  glue.setHostVerifier(undefined);
  setAsyncHost(null);
  let rust;
  let rustVerifier;
  try {
    rust = c.verifyBatch(tokens(cases), options);
    const v = new c.Verifier({ ...options, cache: { results: 0 } });
    rustVerifier = await v.verifyBatch(tokens(cases));
    v.free();
  } finally {
    glue.setHostVerifier(settleSync);
    setAsyncHost(nodeAsyncHost);
  }
  assertExpected(rust, 'RustCrypto');
  assert.deepEqual(verdicts(rustVerifier), verdicts(rust));

  // node:crypto, synchronously: one call per group, every admissible job, nothing else.
  const sync = counting(settleSync);
  glue.setHostVerifier(sync.sync);
  let module;
  let one;
  try {
    module = c.verifyBatch(tokens(cases), options);
    one = cases.map(([, t]) => c.verifyCredential(t, options));
  } finally {
    glue.setHostVerifier(settleSync);
  }
  assert.deepEqual(verdicts(module), verdicts(rust));
  assert.deepEqual(verdicts(one), verdicts(rust));
  assert.deepEqual(module, rust, 'the same results, not only the same verdicts');
  // The jobs that reach the host: those that pass the policy (valid, tampered message or
  // signature, high S, PSS of another salt or PKCS#1 under PS, the other way round).
  // The batch asked for J jobs in one call, then each item with one asked for it in a call of its own.
  const batchJobs = sync.seen.jobs / 2;
  assert.ok(batchJobs > 20 && batchJobs < cases.length - 20, `${batchJobs} jobs of ${cases.length} items`);
  assert.equal(sync.seen.calls, 1 + batchJobs, 'one call for the batch, then one per admissible item');

  // node:crypto on the thread pool, through the Verifier's needs loop: uncached, then cached.
  const pool = counting(settleSync);
  setAsyncHost({ algs: nodeAsyncHost.algs, settle: pool.async });
  try {
    const uncached = new c.Verifier({ ...options, cache: { results: 0 } });
    assert.deepEqual(await uncached.verifyBatch(tokens(cases)), rust);
    assert.deepEqual(await uncached.verify(cases[0][1]), rust[0]);
    uncached.free();
    const cached = new c.Verifier({ ...options, cache: { results: 1000 } });
    const first = await cached.verifyBatch(tokens(cases));
    const calls = pool.seen.calls;
    const again = await cached.verifyBatch(tokens(cases));
    assert.deepEqual(verdicts(first), verdicts(rust));
    assert.deepEqual(verdicts(again), verdicts(rust));
    // Every result that took a signature check is cached (those refused before are not: they
    // cost as little to find again); the second pass asks no host.
    assert.equal(pool.seen.calls, calls, 'a cached batch needs no host round');
    const signed = new Set(cases.filter((_, i) => !rust[i].errors.some((e) => e.code === 'MALFORMED_INPUT')).map(([, t]) => t));
    assert.equal(cached.stats().results.hits, signed.size);
    cached.free();
    // A host round counts each result-cache lookup once: a mixed batch, one cached, one not.
    const counted = new c.Verifier({ ...options, cache: { results: 100 } });
    const [a, b] = cases.filter(([n, , v]) => v && n.startsWith('ES256:')).map(([, t]) => t);
    await counted.verifyBatch([a]);
    assert.deepEqual([counted.stats().results.hits, counted.stats().results.misses], [0, 1]);
    await counted.verifyBatch([a, b]);
    assert.deepEqual([counted.stats().results.hits, counted.stats().results.misses], [1, 2]);
    counted.free();
  } finally {
    setAsyncHost(nodeAsyncHost);
  }
  assert.ok(pool.seen.jobs > 0);

  // The pool: workers settle with node:crypto synchronously.
  const workers = await c.createPool({ workers: 2, chunkSize: 16, verifier: options });
  try {
    assert.deepEqual(verdicts(await workers.verifyBatch(tokens(cases))), verdicts(rust));
    assert.deepEqual((await workers.verify(cases[0][1])).valid, true);
  } finally {
    await workers.close();
  }
});

/** Runs `fn(arg)` in headless Chromium on host.html (the installed package under /pkg/). */
async function inPage(fn, arg) {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));
  const { server, origin } = await serve({ '/pkg/': pkgDir, '/': here(import.meta.url) });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/host.html`);
    return await page.evaluate(fn, arg);
  } finally {
    await browser.close();
    server.close();
  }
}

test('WebCrypto in headless Chromium gives the same verdicts (and RustCrypto on the browser sync path)', async () => {
  const got = await inPage(async ({ inputs, options }) => {
    const c = await import('credcore');
    await c.init();
    const shape = (rs) => rs.map((r) => (r.valid ? 'valid' : r.errors.map((e) => e.code).join(',')));
    const subtle = { calls: 0 };
    const original = crypto.subtle.verify.bind(crypto.subtle);
    crypto.subtle.verify = (...args) => (subtle.calls++, original(...args));
    const v = new c.Verifier({ ...options, cache: { results: 0 } });
    const web = shape(await v.verifyBatch(inputs));
    const webCalls = subtle.calls;
    const sync = shape(c.verifyBatch(inputs, options));
    return { web, sync, webCalls, secure: window.isSecureContext, syncCalls: subtle.calls - webCalls };
  }, { inputs: tokens(cases), options });
  assert.equal(got.secure, true);
  const want = verdicts(c.verifyBatch(tokens(cases), options));
  const differ = (list) => cases.map(([name], i) => (list[i] === want[i] ? null : `${name}: ${list[i]} (Node: ${want[i]})`)).filter((x) => x !== null);
  assert.deepEqual(differ(got.web), [], 'WebCrypto');
  assert.deepEqual(differ(got.sync), [], 'RustCrypto in the browser');
  assert.ok(got.webCalls > 0, 'WebCrypto was asked');
  assert.equal(got.syncCalls, 0, 'the sync path does not use WebCrypto');
});

test('a host that throws or answers garbage fails the signatures it was asked, and the next call works', async () => {
  const valid = cases.filter(([, , v]) => v).map(([, t]) => t);
  const ecdsaOrRsa = valid.length - 1; // the last is the EdDSA credential
  const garbage = [
    () => { throw new Error('host down'); },
    () => 'yes',
    () => null,
    (p) => new Uint8Array(new DataView(p.buffer, p.byteOffset).getUint32(0, true) / 4).fill(2),
    (p) => new Uint8Array(new DataView(p.buffer, p.byteOffset).getUint32(0, true) / 4 + 1).fill(1),
    () => new Uint8Array(0),
    (p) => Array(new DataView(p.buffer, p.byteOffset).getUint32(0, true) / 4).fill(true),
    (p) => new Uint8Array(new DataView(p.buffer, p.byteOffset).getUint32(0, true) / 4).fill(255),
  ];
  for (const [k, host] of garbage.entries()) {
    glue.setHostVerifier(host);
    try {
      const rs = c.verifyBatch(valid, options);
      assert.equal(rs.filter((r) => r.valid).length, 1, `sync host ${k}: only the EdDSA item passes`);
      rs.slice(0, ecdsaOrRsa).forEach((r) => assert.deepEqual(r.errors.map((e) => e.code), ['INVALID_SIGNATURE'], `sync host ${k}`));
    } finally {
      glue.setHostVerifier(settleSync);
    }
    setAsyncHost({ algs: nodeAsyncHost.algs, settle: async (p) => host(p) });
    try {
      const v = new c.Verifier({ ...options, cache: { results: 100 } });
      const rs = await v.verifyBatch(valid);
      assert.equal(rs.filter((r) => r.valid).length, 1, `async host ${k}: only the EdDSA item passes`);
      v.free();
    } finally {
      setAsyncHost(nodeAsyncHost);
    }
    assert.ok(c.verifyBatch(valid, options).every((r) => r.valid), `after host ${k}`);
  }
  // A host that rejects asynchronously.
  setAsyncHost({ algs: nodeAsyncHost.algs, settle: () => Promise.reject(new Error('gone')) });
  try {
    const rs = await new c.Verifier(options).verifyBatch(valid);
    assert.equal(rs.filter((r) => r.valid).length, 1);
  } finally {
    setAsyncHost(nodeAsyncHost);
  }
  // A host that answers 1 to every job it is asked passes no job that the policy refuses first.
  glue.setHostVerifier((p) => new Uint8Array(new DataView(p.buffer, p.byteOffset).getUint32(0, true) / 4).fill(1));
  try {
    const refused = cases.filter(([n]) => /r = 0|s = 0|r = n|s = n|2\^k - 1|DER|short|long|zero byte|signature = n/.test(n));
    assert.ok(refused.length > 30);
    const rs = c.verifyBatch(tokens(refused), options);
    refused.forEach(([name], i) => assert.equal(rs[i].valid, false, name));
  } finally {
    glue.setHostVerifier(settleSync);
  }
});

test('verdicts never come through options, and a round answers only its own jobs', async () => {
  for (const name of ['hostVerdicts', 'verdicts', 'settled', 'hostAnswers']) {
    assert.throws(() => c.verifyBatch(tokens(cases), { ...options, [name]: [1, 1, 1] }), (e) => e.code === 'MALFORMED_INPUT', name);
    await assert.rejects(new c.Verifier(options).verifyBatch(tokens(cases), { [name]: [1] }), (e) => e.code === 'MALFORMED_INPUT', name);
  }
  // Round 2 with another batch under the ticket of the first: the answers (all 1) belong to the
  // first batch's jobs; the forged items of the second are settled in-process, and fail.
  const good = cases.filter(([, , v]) => v && !/EdDSA/.test(cases[0][0]));
  const forged = cases.filter(([n]) => /tampered/.test(n));
  const raw = new glue.Verifier(JSON.stringify(options), '');
  const packed = (list) => {
    const enc = list.map(([, t]) => Buffer.from(t));
    const out = Buffer.alloc(4 + enc.reduce((n, b) => n + 4 + b.length, 0));
    out.writeUInt32LE(enc.length, 0);
    let at = 4;
    for (const b of enc) { out.writeUInt32LE(b.length, at); b.copy(out, at + 4); at += 4 + b.length; }
    return new Uint8Array(out);
  };
  const now = Date.now();
  const first = raw.verifyBatchHostRound(packed(good), '', now, nodeAsyncHost.algs);
  // 1: these are all the jobs; 2: the first step's (more steps would follow).
  assert.ok(first[0] === 1 || first[0] === 2);
  const ticket = new DataView(first.buffer, first.byteOffset + 1, 4).getUint32(0, true);
  const jobs = new DataView(first.buffer, first.byteOffset + 5).getUint32(0, true) / 4;
  const framed = raw.verifyBatchHostSettled(ticket, packed(forged), '', now, new Uint8Array(jobs).fill(1));
  const { splitNeeds } = await internal('wire.js');
  const { readFramed } = await internal('results.js');
  const results = readFramed(splitNeeds(framed).framed);
  assert.equal(results.length, forged.length);
  results.forEach((r, i) => assert.equal(r.valid, false, forged[i][0]));
  // The ticket is spent: the same answers again settle nothing.
  const replay = readFramed(splitNeeds(raw.verifyBatchHostSettled(ticket, packed(forged), '', now, new Uint8Array(jobs).fill(1))).framed);
  replay.forEach((r) => assert.equal(r.valid, false));
  raw.free();
});

test('jose and @sd-jwt/sd-jwt-vc issue ES256, ES384, RS256, PS256 (and node:crypto ES256K); credcore verifies on every path', async () => {
  const items = [];
  const issuerKeys = {};
  const now = Math.floor(Date.now() / 1000);
  for (const alg of ['ES256', 'ES384', 'RS256', 'PS256']) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    const iss = `https://jose.example/${alg}`;
    issuerKeys[iss] = { ...(await jose.exportJWK(publicKey)), kid: 'k' };
    items.push(await new jose.SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:h' } } })
      .setProtectedHeader({ alg, typ: 'JWT', kid: 'k' }).setIssuer(iss).setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey));
  }
  const { SDJwtVcInstance } = await import('@sd-jwt/sd-jwt-vc');
  const { digest, generateSalt } = await import('@sd-jwt/crypto-nodejs');
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const holder = await jose.generateKeyPair('ES256', { extractable: true });
  const sdIss = 'https://sd.example';
  issuerKeys[sdIss] = { ...(await jose.exportJWK(publicKey)), kid: 'sd' };
  const es256 = (key) => async (data) => b64u(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(data))));
  const sd = new SDJwtVcInstance({ signer: es256(privateKey), signAlg: 'ES256', kbSigner: es256(holder.privateKey), kbSignAlg: 'ES256', hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt });
  const issued = await sd.issue({ iss: sdIss, iat: now, vct: 'urn:example', cnf: { jwk: await jose.exportJWK(holder.publicKey) }, name: 'Ada' }, { _sd: ['name'] }, { header: { kid: 'sd' } });
  const presented = await sd.present(issued, { name: true }, { kb: { payload: { iat: now, aud: 'https://verifier.example', nonce: 'n-1' } } });
  const opts = { issuerKeys, nonce: 'n-1', audience: 'https://verifier.example' };
  const inputs = [...items, presented];
  const sync = c.verifyBatch(inputs, opts);
  sync.forEach((r, i) => assert.deepEqual(r.errors, [], `item ${i}`));
  assert.equal(c.sdJwt.verify(presented, opts).valid, true);
  const v = new c.Verifier({ ...opts, cache: { results: 100 } });
  assert.deepEqual(verdicts(await v.verifyBatch(inputs)), verdicts(sync));
  v.free();
  // Tampered: the KB-JWT signature, an issuer signature.
  const kbFlip = presented.slice(0, -3) + (presented.at(-3) === 'A' ? 'B' : 'A') + presented.slice(-2);
  const issFlip = items.map((t) => { const [h, p, s] = t.split('.'); const b = unb64u(s); b[3] ^= 1; return `${h}.${p}.${b64u(b)}`; });
  const bad = c.verifyBatch([...issFlip, kbFlip], opts);
  bad.forEach((r) => assert.equal(r.valid, false));
  const badAsync = await new c.Verifier(opts).verifyBatch([...issFlip, kbFlip]);
  assert.deepEqual(verdicts(badAsync), verdicts(bad));
});

test('the browser pool\'s workers settle ECDSA and RSA with WebCrypto: real verdicts; a host that throws, rejects or answers junk fails them, one that says yes passes none the policy refuses', async () => {
  const got = await inPage(async ({ inputs, options }) => {
    const c = await import('credcore');
    await c.init();
    const shape = (rs) => rs.map((r) => (r.valid ? 'valid' : r.errors.map((e) => e.code).join(',')));
    const channel = new BroadcastChannel('credcore-subtle');
    let calls = 0;
    channel.onmessage = (e) => { calls = Math.max(calls, e.data.calls); };
    const config = (results) => ({ workers: 2, verifier: { ...options, cache: { results } } });
    // The package's own worker, uncached and with a results cache (verdicts served again).
    const own = [];
    for (const results of [0, 1000]) {
      const pool = await c.createPool(config(results));
      try {
        own.push(shape(await pool.verifyBatch(inputs)), shape(await pool.verifyBatch(inputs)), shape(await Promise.all(inputs.map((x) => pool.verify(x)))));
      } finally {
        await pool.close();
      }
    }
    const patched = {};
    for (const mode of ['count', 'throw', 'reject', 'junk', 'yes']) {
      const pool = await c.createPool({ ...config(0), workerUrl: `/lib/subtle-worker.js?mode=${mode}` });
      try {
        patched[mode] = shape(await pool.verifyBatch(inputs));
      } finally {
        await pool.close();
      }
      if (mode === 'count') {
        await new Promise((r) => setTimeout(r, 100));
        patched.calls = calls;
      }
    }
    return { own, patched };
  }, { inputs: tokens(cases), options });
  // ES256K has no WebCrypto: the workers ask for the keys module, the pool posts it and runs
  // those items again; every verdict is Node's.
  const secp = (name) => /^ES256K/.test(name);
  const want = verdicts(c.verifyBatch(tokens(cases), options));
  const differ = (list) => cases.map(([name], i) => (list[i] === want[i] ? null : `${name}: ${list[i]} (Node: ${want[i]})`)).filter((x) => x !== null);
  got.own.forEach((list, k) => assert.deepEqual(differ(list), [], `pool run ${k}`));
  assert.deepEqual(differ(got.patched.count), [], 'counted WebCrypto');
  // Every valid ES256, ES384, RSA and PSS case is a WebCrypto job of the workers.
  const webValid = cases.filter(([name, , v]) => v && !/^(ES256K|EdDSA)/.test(name)).length;
  assert.ok(got.patched.calls >= webValid, `the workers asked WebCrypto (${got.patched.calls} calls, ${webValid} valid jobs)`);
  for (const mode of ['throw', 'reject', 'junk']) {
    cases.forEach(([name, , valid], i) => {
      // ES256K is not in WebCrypto (the keys module settles it) and EdDSA never goes to a host.
      const stays = valid && (/^EdDSA/.test(name) || secp(name));
      const expected = stays ? 'valid' : (valid ? 'INVALID_SIGNATURE' : want[i]);
      assert.equal(got.patched[mode][i], expected, `${mode}: ${name}`);
    });
  }
  // A host that says yes to everything it is asked: what the policy refuses is never asked.
  const refused = /r = 0|s = 0|r = n|s = n|2\^k - 1|DER|short|long|zero byte|signature = n/;
  cases.forEach(([name, , valid], i) => {
    if (valid || refused.test(name)) assert.equal(got.patched.yes[i], want[i], `yes: ${name}`);
  });
});

test('tokens sharing one header segment get their own verdicts, whatever came before them, on every path', async () => {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const iss = 'https://same-header.example';
  const issuerKeys = { [iss]: { ...(await jose.exportJWK(publicKey)), kid: 'k' } };
  const now = Math.floor(Date.now() / 1000);
  const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:h' } };
  const sign = (exp, n) => new jose.SignJWT({ vc, n }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k' }).setIssuer(iss).setIssuedAt(now - 120).setExpirationTime(exp).sign(privateKey);
  const good = await Promise.all([0, 1, 2].map((n) => sign(now + 600, n)));
  const expired = await sign(now - 3600, 3);
  const header = good[0].split('.')[0];
  assert.ok([...good, expired].every((t) => t.startsWith(`${header}.`)), 'jose writes the same header segment each time');
  const [, payload, sig] = good[1].split('.');
  const forged = (() => { const b = unb64u(sig); b[5] ^= 1; return `${header}.${payload}.${b64u(b)}`; })();
  const seg = (h) => b64u(Buffer.from(JSON.stringify(h)));
  const none = `${seg({ alg: 'none', typ: 'JWT', kid: 'k' })}.${payload}.`;
  const crit = `${seg({ alg: 'ES256', typ: 'JWT', kid: 'k', crit: ['x'], x: 1 })}.${payload}.${sig}`;
  const notJson = `${b64u(Buffer.from('{"alg":"ES256"'))}.${payload}.${sig}`;
  const short = `${header}.${payload}.${b64u(unb64u(sig).slice(0, 63))}`;
  // Each refused token sits right after a good one with the header it shares or imitates.
  const inputs = [good[0], forged, good[1], none, good[2], crit, good[0], notJson, good[1], short, good[2], expired];
  const want = [true, false, true, false, true, false, true, false, true, false, true, false];
  const valid = (results) => results.map((r) => r.valid);
  const sync = c.verifyBatch(inputs, { issuerKeys });
  assert.deepEqual(valid(sync), want, 'sync verifyBatch');
  assert.deepEqual(sync[11].errors.map((e) => e.code), ['EXPIRED_CREDENTIAL']);
  assert.deepEqual(inputs.map((t) => c.verifyCredential(t, { issuerKeys }).valid), want, 'verify one at a time');
  assert.deepEqual(valid(c.verifyBatch([...inputs].reverse(), { issuerKeys })), [...want].reverse(), 'the other order');
  const v = new c.Verifier({ issuerKeys, cache: { results: 100 } });
  assert.deepEqual(verdicts(await v.verifyBatch(inputs)), verdicts(sync), 'Verifier, uncached');
  assert.deepEqual(verdicts(await v.verifyBatch(inputs)), verdicts(sync), 'Verifier, cached');
  v.free();
  const pool = await c.createPool({ workers: 1 });
  try {
    assert.deepEqual(verdicts(await pool.verifyBatch(inputs, { issuerKeys })), verdicts(sync), 'pool');
  } finally {
    await pool.close();
  }
});
