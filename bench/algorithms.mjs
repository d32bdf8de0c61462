// Verification time per signature of each JWS algorithm, medians, peers in the same run:
// credcore Verifier.verifyBatch over VC-JWTs of one algorithm, with the ECDSA and RSA signatures
// settled by the host (node:crypto, on its thread pool) and again in wasm (RustCrypto's p256,
// p384, k256 and rsa, one by one, as in browsers' synchronous paths; Ed25519 always in one batch
// verification), versus node:crypto verifying the same signing inputs with cached KeyObjects.
//
// Inputs: fresh tokens for every timed run (new ids, new signatures), so no cache can serve them.
// ES256K tokens are signed with node:crypto (jose 6 has no secp256k1), the others by credcore
// (EdDSA, ES256, ES384) or jose (RSA, with issuerKeys).
//
// Then, with the host settling ES256 (runHost): credcore's async and sync paths against jose,
// a bare node:crypto loop and @sd-jwt/sd-jwt-vc (see runHost).
//
// Run: node bench/algorithms.mjs after make build (also part of make bench); `node
// bench/algorithms.mjs host` runs the host section alone.

import crypto from 'node:crypto';
import * as jose from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import * as credcore from '../pkg/index.node.js';
import * as glue from '../pkg/credcore_wasm.js';
import { setAsyncHost } from '../pkg/host-round.js';
import { nodeAsyncHost, settleSync } from '../pkg/host.node.js';
import { webAsyncHost } from '../pkg/host.browser.js';
import { median, table, target } from './lib.mjs';
import { freshTokens, checkValid } from './es256.mjs';

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  return out;
}

let round = 0;
const claims = (i) => ({
  vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:holder', n: `${round}-${i}` } },
  sub: 'did:example:holder',
});

/** A maker of `n` fresh tokens of `alg`, node:crypto's verifier of one token, and the options. */
async function setup(alg) {
  if (['EdDSA', 'ES256', 'ES384'].includes(alg)) {
    const issuer = credcore.generateKeyPair({ alg });
    const key = crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' });
    const make = (n) => {
      round++;
      return Array.from({ length: n }, (_, i) =>
        credcore.issueCredential({ credentialSubject: { id: 'did:example:holder', n: `${round}-${i}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
    };
    return { make, key, options: {} };
  }
  if (alg === 'ES256K') {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x, 'base64url');
    const prefix = (Buffer.from(jwk.y, 'base64url').at(-1) & 1) === 1 ? 3 : 2;
    const did = `did:key:z${base58(Uint8Array.from([0xe7, 0x01, prefix, ...x]))}`;
    const header = b64u(Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: `${did}#${did.slice(8)}` })));
    const make = (n) => {
      round++;
      const now = Math.floor(Date.now() / 1000);
      return Array.from({ length: n }, (_, i) => {
        const input = `${header}.${b64u(Buffer.from(JSON.stringify({ ...claims(i), iss: did, iat: now, exp: now + 3600 })))}`;
        return `${input}.${b64u(crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }))}`;
      });
    };
    return { make, key: publicKey, options: {} };
  }
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  const iss = 'https://issuer.example';
  const make = async (n) => {
    round++;
    return Promise.all(Array.from({ length: n }, (_, i) =>
      new jose.SignJWT(claims(i)).setProtectedHeader({ alg, typ: 'JWT', kid: 'k1' }).setIssuer(iss).setIssuedAt().setExpirationTime('1h').sign(privateKey)));
  };
  return { make, key: crypto.createPublicKey({ key: jwk, format: 'jwk' }), options: { issuerKeys: { [iss]: { ...jwk, kid: 'k1' } } } };
}

/** node:crypto's verification of one compact JWS of `alg` under `key`. */
function nodeVerify(alg, key, token) {
  const cut = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, cut));
  const sig = Buffer.from(token.slice(cut + 1), 'base64url');
  const hash = { 256: 'sha256', 384: 'sha384', 512: 'sha512' }[alg.slice(2)] ?? (alg.endsWith('K') ? 'sha256' : null);
  if (alg === 'EdDSA') return crypto.verify(null, input, key, sig);
  if (alg.startsWith('ES')) return crypto.verify(alg === 'ES256K' ? 'sha256' : hash, input, { key, dsaEncoding: 'ieee-p1363' }, sig);
  if (alg.startsWith('PS')) return crypto.verify(hash, input, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }, sig);
  return crypto.verify(hash, input, key, sig);
}

/** Runs `fn` with every signature settled in wasm (RustCrypto), as in browsers' sync paths. */
async function inWasm(fn) {
  glue.setHostVerifier(undefined);
  setAsyncHost(null);
  try {
    return await fn();
  } finally {
    glue.setHostVerifier(settleSync);
    setAsyncHost(nodeAsyncHost);
  }
}

export async function run({ runs = 5 } = {}) {
  const sizes = { EdDSA: 2000, ES256: 200, ES384: 100, ES256K: 100, RS256: 400, PS256: 400 };
  const rows = [];
  for (const [alg, n] of Object.entries(sizes)) {
    const { make, key, options } = await setup(alg);
    const check = (results) => {
      const bad = results.findIndex((r) => !r.valid);
      if (bad >= 0) throw new Error(`${alg} item ${bad}: ${JSON.stringify(results[bad].errors)}`);
    };
    const verifier = new credcore.Verifier({ ...options, cache: { results: 0 } });
    const ours = await median(async (tokens) => check(await verifier.verifyBatch(tokens)), { runs, setup: () => make(n) });
    const wasm = await inWasm(() => median(async (tokens) => check(await verifier.verifyBatch(tokens)), { runs, setup: () => make(n) }));
    const theirs = await median((tokens) => {
      for (const t of tokens) if (!nodeVerify(alg, key, t)) throw new Error(`node:crypto refused an ${alg} token`);
    }, { runs, setup: () => make(n) });
    verifier.free();
    rows.push({ alg, n, ours, wasm, theirs });
  }
  console.log('\n## Verification time per signature, by algorithm');
  console.log('| alg | items | credcore Verifier.verifyBatch (host), us/item | the same in wasm (RustCrypto), us/item | node:crypto verify loop, us/sig | host / node:crypto | wasm / node:crypto |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const [a, w, b] = [r.ours, r.wasm, r.theirs].map((ms) => (ms / r.n) * 1000);
    console.log(`| ${r.alg} | ${r.n} | ${a.toFixed(1)} | ${w.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}x | ${(w / b).toFixed(2)}x |`);
  }
  await runHost();
}

/**
 * ES256 with the host settling (node:crypto): credcore's async paths (a Verifier's needs loop:
 * node:crypto on its thread pool; the pool) against jose's jwtVerify over Promise.all (WebCrypto,
 * also on the thread pool) with one imported key; the synchronous verifyBatch (node:crypto in
 * one crossing per group) against a bare node:crypto loop over the same signatures; SD-JWT VC
 * (ES256 issuer, ES256 key binding) against @sd-jwt/sd-jwt-vc with node:crypto. Fresh tokens
 * for every timed run; every row of one table is measured in the same run.
 */
export async function runHost({ runs = 7, n = 1000, sdN = 500 } = {}) {
  const issuer = credcore.generateKeyPair({ alg: 'ES256' });
  const make = freshTokens(issuer, n);
  const check = checkValid;
  const joseKey = await jose.importJWK({ ...issuer.publicJwk, alg: 'ES256' }, 'ES256');
  const nodeKey = crypto.createPublicKey({ key: issuer.publicJwk, format: 'jwk' });
  const verifier = new credcore.Verifier({ cache: { results: 0 } });
  const pool = await credcore.createPool({ workers: 2, verifier: { cache: { results: 0 } } });
  const asyncRows = [];
  asyncRows.push({ name: 'credcore Verifier.verifyBatch (node:crypto, thread pool)', items: n, ms: await median(async (t) => check(await verifier.verifyBatch(t)), { runs, setup: make }) });
  setAsyncHost(webAsyncHost);
  asyncRows.push({ name: 'credcore Verifier.verifyBatch, crypto.subtle settler', items: n, ms: await median(async (t) => check(await verifier.verifyBatch(t)), { runs, setup: make }) });
  setAsyncHost(nodeAsyncHost);
  asyncRows.push({ name: 'credcore pool.verifyBatch (2 workers, node:crypto in each)', items: n, ms: await median(async (t) => check(await pool.verifyBatch(t)), { runs, setup: make }) });
  asyncRows.push({
    name: 'jose jwtVerify over Promise.all (one imported key)',
    items: n,
    ms: await median(async (t) => {
      const rs = await Promise.all(t.map((x) => jose.jwtVerify(x, joseKey, { algorithms: ['ES256'] })));
      if (rs.length !== n) throw new Error('jose');
    }, { runs, setup: make }),
  });
  await pool.close();
  verifier.free();
  table(`ES256 VC-JWTs, async paths, ${n} fresh per run (median of ${runs})`, asyncRows);
  const joseMs = asyncRows[3].ms;
  target('Verifier.verifyBatch vs jose Promise.all', joseMs / asyncRows[0].ms, 1.0);
  target('pool.verifyBatch vs jose Promise.all', joseMs / asyncRows[2].ms, 1.0);

  const syncRows = [];
  syncRows.push({ name: 'credcore verifyBatch (sync, node:crypto host)', items: n, ms: await median((t) => check(credcore.verifyBatch(t)), { runs, setup: make }) });
  syncRows.push({
    name: 'node:crypto verify loop, same signatures (cached KeyObject)',
    items: n,
    ms: await median((t) => {
      for (const x of t) if (!nodeVerify('ES256', nodeKey, x)) throw new Error('node:crypto refused');
    }, { runs, setup: make }),
  });
  table(`ES256 VC-JWTs, synchronous, ${n} fresh per run (median of ${runs})`, syncRows);
  target('sync verifyBatch time / bare node:crypto loop', syncRows[0].ms / syncRows[1].ms, 1.25, '<=');

  // SD-JWT VC, ES256 issuer and ES256 holders.
  const AUD = 'https://verifier.example.org';
  const holders = Array.from({ length: 16 }, () => credcore.generateKeyPair({ alg: 'ES256' }));
  const CLAIMS = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`claim_${i}`, `value number ${i}`]));
  const disclose = Object.keys(CLAIMS).map((k) => `/${k}`);
  const makeSd = () => {
    round++;
    const nonce = `bench-${round}`;
    const now = Date.now();
    const items = Array.from({ length: sdN }, (_, i) => {
      const holder = holders[i % holders.length];
      const token = credcore.sdJwt.issue({ vct: 'urn:example:bench', ...CLAIMS, n: `${round}-${i}` }, { issuer, disclose, holderPublicKey: holder.publicJwk, expiresIn: 3600, now });
      return credcore.sdJwt.present(token, { disclose: disclose.slice(0, 5), holder, nonce, audience: AUD, now });
    });
    return { items, nonce, now };
  };
  const sdCheck = (rs) => {
    for (const r of rs) if (!r.valid || r.claims.claim_4 !== 'value number 4') throw new Error(`SD-JWT: ${JSON.stringify(r.errors)}`);
  };
  const opts = (input) => ({ nonce: input.nonce, audience: AUD, trustedIssuers: [issuer.did], now: input.now });
  const holderKeys = new Map(holders.map((h) => [h.publicJwk.x, crypto.createPublicKey({ key: h.publicJwk, format: 'jwk' })]));
  const es = (key, data, sig) => crypto.verify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  const sd = new SDJwtVcInstance({
    hasher: digest,
    saltGenerator: generateSalt,
    verifier: async (data, sig) => es(nodeKey, data, sig),
    kbVerifier: async (data, sig, payload) => es(holderKeys.get(payload.cnf.jwk.x), data, sig),
  });
  const sdVerifier = new credcore.Verifier({ audience: AUD, trustedIssuers: [issuer.did], cache: { results: 0 } });
  const sdRows = [];
  sdRows.push({ name: 'credcore verifyBatch (sync, node:crypto host)', items: sdN, ms: await median((input) => sdCheck(credcore.verifyBatch(input.items, opts(input))), { runs, setup: makeSd }) });
  sdRows.push({ name: 'credcore Verifier.verifyBatch (node:crypto, thread pool)', items: sdN, ms: await median(async (input) => sdCheck(await sdVerifier.verifyBatch(input.items, { nonce: input.nonce, now: input.now })), { runs, setup: makeSd }) });
  sdRows.push({
    name: '@sd-jwt/sd-jwt-vc 0.19 verify (loop, node:crypto)',
    items: sdN,
    ms: await median(async (input) => {
      for (const p of input.items) {
        const r = await sd.verify(p, { keyBindingNonce: input.nonce, currentDate: Math.floor(input.now / 1000) });
        if (r.payload.claim_4 !== 'value number 4') throw new Error('sd-jwt');
      }
    }, { runs, setup: makeSd }),
  });
  sdVerifier.free();
  table(`SD-JWT VC, ES256 issuer and ES256 key binding, ${sdN} fresh per run (median of ${runs})`, sdRows, { unit: 'presentations' });
  target('SD-JWT VC verifyBatch vs @sd-jwt/sd-jwt-vc', sdRows[2].ms / sdRows[0].ms, 2);
  target('SD-JWT VC Verifier.verifyBatch vs @sd-jwt/sd-jwt-vc', sdRows[2].ms / sdRows[1].ms, 2);
  return { asyncRows, syncRows, sdRows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'host') await runHost();
  else await run();
}
