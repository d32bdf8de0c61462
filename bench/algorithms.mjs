// Verification time per signature of each JWS algorithm, one thread, medians, peers in the same
// run: credcore verifyBatch over VC-JWTs of one algorithm (the ECDSA and RSA signatures are
// verified in wasm by RustCrypto's p256, p384, k256 and rsa, one by one; Ed25519 in one batch
// verification) versus node:crypto verifying the same signing inputs with cached KeyObjects.
// The gap is what handing ECDSA and RSA to the host (node:crypto) in one crossing would save.
//
// Inputs: fresh tokens for every timed run (new ids, new signatures), so no cache can serve them.
// ES256K tokens are signed with node:crypto (jose 6 has no secp256k1), the others by credcore
// (EdDSA, ES256, ES384) or jose (RSA, with issuerKeys).
//
// Run: node bench/algorithms.mjs after make build (also part of make bench)

import crypto from 'node:crypto';
import * as jose from 'jose';
import * as credcore from '../pkg/index.node.js';
import { median, table } from './lib.mjs';

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
    const theirs = await median((tokens) => {
      for (const t of tokens) if (!nodeVerify(alg, key, t)) throw new Error(`node:crypto refused an ${alg} token`);
    }, { runs, setup: () => make(n) });
    verifier.free();
    rows.push({ alg, n, ours, theirs });
  }
  console.log('\n## Verification time per signature, by algorithm (one thread)');
  console.log('| alg | items | credcore verifyBatch, us/item | node:crypto verify, us/sig | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const a = (r.ours / r.n) * 1000;
    const b = (r.theirs / r.n) * 1000;
    console.log(`| ${r.alg} | ${r.n} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}x |`);
  }
  table('ES256 VC-JWTs, credcore verifyBatch vs node:crypto (signature only)', [
    { name: 'credcore verifyBatch (ES256 in wasm, RustCrypto p256)', ms: rows[1].ours, items: rows[1].n },
    { name: 'node:crypto verify (cached KeyObject)', ms: rows[1].theirs, items: rows[1].n },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
