// x5c chains: 1,000 VC-JWTs (ES256) of one issuer whose key is certified by a root -> intermediate
// -> leaf chain in each JWS header, verified to the root as trust anchor, in the same run:
//  - credcore Verifier, the chain cache on (the chain validated once per batch), results off;
//  - credcore Verifier with `cache: { keys: 0 }` (every item validates its chain: 2 ECDSA
//    certificate signatures in wasm each), results off;
//  - jose 6 + @peculiar/x509 2 on node:crypto (WebCrypto), the chain validated once and cached by
//    its header text, then jose's jwtVerify with the leaf key for every item;
//  - the same peer validating the chain for every item.
// Every timed run verifies 1,000 credentials issued for that run (fresh jti), so no result cache
// can serve them. Medians of 5 runs.
//
// Run: make build, then node bench/x5c.mjs

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as jose from 'jose';
import * as credcore from '../pkg/index.node.js';
import { median, table } from './lib.mjs';

x509.cryptoProvider.set(globalThis.crypto);
const subtle = globalThis.crypto.subtle;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const N = 1000;
const ISS = 'https://issuer.example.com';

async function cert(name, keys, issuer, ca) {
  const usage = ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature;
  const extensions = [new x509.BasicConstraintsExtension(ca, undefined, true), new x509.KeyUsagesExtension(usage, true)];
  if (!ca) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'issuer.example.com' }]));
  return x509.X509CertificateGenerator.create({
    serialNumber: '01', subject: name, issuer: issuer.name, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000 * 30),
    signingAlgorithm: ALG, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey, extensions,
  });
}

async function makeChain() {
  const gen = () => subtle.generateKey(ALG, true, ['sign', 'verify']);
  const [rootKeys, interKeys, leafKeys] = await Promise.all([gen(), gen(), gen()]);
  const root = await cert('CN=Root', rootKeys, { name: 'CN=Root', keys: rootKeys }, true);
  const inter = await cert('CN=Intermediate', interKeys, { name: 'CN=Root', keys: rootKeys }, true);
  const leaf = await cert('CN=Issuer', leafKeys, { name: 'CN=Intermediate', keys: interKeys }, false);
  return { x5c: [leaf, inter].map((c) => c.toString('base64')), anchor: root.toString('pem'), root, leafKeys };
}

let batch = 0;
let fixture;
async function tokens() {
  batch++;
  const { x5c, leafKeys } = fixture;
  return Promise.all(Array.from({ length: N }, (_, i) => new jose.SignJWT({
    vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:holder', n: i } },
    iss: ISS, jti: `urn:run:${batch}:${i}`, exp: Math.floor(Date.now() / 1000) + 3600,
  }).setProtectedHeader({ alg: 'ES256', x5c }).sign(leafKeys.privateKey)));
}

function allValid(results) {
  const bad = results.find((r) => !r.valid);
  if (bad) throw new Error(JSON.stringify(bad.errors));
}

/** The peer: @peculiar/x509 builds and checks the chain to the root, jose verifies the JWT. */
async function peerChainKey(header) {
  const certs = header.x5c.map((b) => new x509.X509Certificate(b));
  const chain = await new x509.X509ChainBuilder({ certificates: certs.slice(1) }).build(certs[0]);
  const top = chain[chain.length - 1];
  const now = new Date();
  for (let i = 0; i < chain.length; i++) {
    const signer = chain[i + 1] ?? fixture.root;
    if (!(await chain[i].verify({ publicKey: signer.publicKey, date: now }))) throw new Error('chain signature');
  }
  if (!(await top.verify({ publicKey: fixture.root.publicKey, date: now }))) throw new Error('not under the root');
  return certs[0].publicKey.export();
}

async function peer(items, cache) {
  const keys = new Map();
  for (const t of items) {
    const header = jose.decodeProtectedHeader(t);
    const id = header.x5c.join(',');
    let key = cache ? keys.get(id) : undefined;
    if (!key) {
      key = await peerChainKey(header);
      if (cache) keys.set(id, key);
    }
    await jose.jwtVerify(t, key, { issuer: ISS, algorithms: ['ES256'] });
  }
}

export async function run({ runs = 5 } = {}) {
  fixture = await makeChain();
  const { anchor } = fixture;
  const cached = new credcore.Verifier({ trustAnchors: [anchor], cache: { results: 0 } });
  const uncached = new credcore.Verifier({ trustAnchors: [anchor], cache: { results: 0, keys: 0 } });
  const rows = [];
  const opts = { runs, warmup: 1, setup: tokens };
  rows.push({ name: 'credcore Verifier, chain cache', items: N, ms: await median(async (t) => allValid(await cached.verifyBatch(t)), opts) });
  rows.push({ name: 'credcore Verifier, no chain cache', items: N, ms: await median(async (t) => allValid(await uncached.verifyBatch(t)), opts) });
  rows.push({ name: 'jose + @peculiar/x509, chain cached', items: N, ms: await median((t) => peer(t, true), opts) });
  rows.push({ name: 'jose + @peculiar/x509, chain per item', items: N, ms: await median((t) => peer(t, false), opts) });
  table('x5c: 1,000 ES256 VC-JWTs of one issuer, root -> intermediate -> leaf', rows);
  const s = cached.stats().certificateChains;
  console.log(`chain cache of the cached Verifier: ${s.misses} validations, ${s.hits} hits over ${opts.runs + opts.warmup} batches of ${N}`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
