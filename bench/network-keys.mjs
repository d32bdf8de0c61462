// Keys from the network: 1,000 VC-JWTs (EdDSA) from 10 did:web issuers per batch, fresh
// credentials for every timed run (the result cache is off as well), verified
//  (a) with the issuers' keys given as `issuerKeys` (the module function, no documents): the peer;
//  (b) by a new Verifier with `fetch` for every run: the first pass names 10 DID documents, a
//      test fetch serves them from memory (no network), the core parses them, and the 1,000 items
//      run again: what the needs loop costs on a cold verifier;
//  (c) by one Verifier with `fetch` whose documents are held: the steady state.
//
// Run: node bench/network-keys.mjs (after make build)

import crypto from 'node:crypto';
import * as jose from 'jose';
import * as credcore from '../pkg/index.node.js';
import { median, table } from './lib.mjs';

const ISSUERS = 10;
const ITEMS = 1000;
const issuers = Array.from({ length: ISSUERS }, (_, i) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const did = `did:web:issuer${i}.example`;
  const jwk = publicKey.export({ format: 'jwk' });
  const doc = JSON.stringify({ id: did, verificationMethod: [{ id: `${did}#k`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }], assertionMethod: ['#k'] });
  return { did, jwk, privateKey, url: `https://issuer${i}.example/.well-known/did.json`, doc };
});
const routes = new Map(issuers.map((i) => [i.url, i.doc]));
const fetch = async (url) => routes.get(url) ?? new Response('', { status: 404 });
const issuerKeys = Object.fromEntries(issuers.map((i) => [i.did, i.jwk]));

let serial = 0;
async function fresh() {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: ITEMS }, (_, n) => {
      const iss = issuers[n % ISSUERS];
      const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: iss.did, credentialSubject: { id: 'did:example:1', n: serial++ } };
      return new jose.SignJWT({ vc }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: '#k' }).setIssuer(iss.did).setIssuedAt(now).setExpirationTime(now + 3600).sign(iss.privateKey);
    }),
  );
}

const check = (results) => {
  if (!results.every((r) => r.valid)) throw new Error(`invalid: ${JSON.stringify(results.find((r) => !r.valid).errors)}`);
};
const warm = new credcore.Verifier({ fetch, cache: { results: 0 } });
check(await warm.verifyBatch(await fresh()));

const rows = [
  { name: 'issuerKeys (module function)', ms: await median(async (xs) => check(credcore.verifyBatch(xs, { issuerKeys })), { setup: fresh }), items: ITEMS },
  { name: 'Verifier + fetch, cold (fetch, parse, run again)', ms: await median(async (xs) => check(await new credcore.Verifier({ fetch, cache: { results: 0 } }).verifyBatch(xs)), { setup: fresh }), items: ITEMS },
  { name: 'Verifier + fetch, documents held', ms: await median(async (xs) => check(await warm.verifyBatch(xs)), { setup: fresh }), items: ITEMS },
];
table(`${ITEMS} VC-JWTs from ${ISSUERS} did:web issuers, fresh inputs per run (medians of 7)`, rows);
