// Raw Ed25519 verification, 4,096 signatures over fresh messages each run: credcore's batch
// verifySignatures versus a loop of credcore verify, node:crypto with cached KeyObjects, and
// @noble/ed25519.
//
// Run: make bench (or: node bench/signatures.mjs after make build)

import { createPublicKey, createHash, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import * as credcore from '../pkg/index.node.js';
import { median, table, target } from './lib.mjs';

ed.hashes.sha512 = (m) => new Uint8Array(createHash('sha512').update(m).digest());

export async function run({ n = 4096, keys = 16, runs = 7 } = {}) {
  const pairs = Array.from({ length: keys }, () => credcore.generateKeyPair());
  const spki = (pk) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pk).toString('base64url') }, format: 'jwk' });
  const keyObjects = pairs.map((p) => spki(p.publicKey));
  let round = 0;
  // Fresh messages and signatures for every timed run.
  const makeItems = () => {
    round++;
    return Array.from({ length: n }, (_, i) => {
      const k = i % keys;
      const message = new TextEncoder().encode(`bench round ${round} message ${i} ${Math.random()}`);
      return { message, signature: credcore.sign(message, pairs[k].secretKey), publicKey: pairs[k].publicKey, k };
    });
  };
  const check = (ok) => { if (!ok) throw new Error('a valid signature failed'); };
  const rows = [];
  rows.push({ name: 'credcore verifySignatures (batch)', items: n, ms: await median((items) => check(credcore.verifySignatures(items).every(Boolean)), { runs, setup: makeItems }) });
  rows.push({ name: 'credcore verify (loop)', items: n, ms: await median((items) => { for (const it of items) check(credcore.verify(it.message, it.signature, it.publicKey)); }, { runs, setup: makeItems }) });
  rows.push({ name: 'node:crypto verify (cached KeyObject)', items: n, ms: await median((items) => { for (const it of items) check(nodeVerify(null, it.message, keyObjects[it.k], it.signature)); }, { runs, setup: makeItems }) });
  const nobleRuns = Math.max(3, Math.floor(runs / 2));
  rows.push({ name: '@noble/ed25519 verify (loop)', items: n, ms: await median((items) => { for (const it of items) check(ed.verify(it.signature, it.message, it.publicKey)); }, { runs: nobleRuns, setup: makeItems }) });
  table(`Ed25519 verification, ${n} signatures, ${keys} keys (median of ${runs})`, rows, { unit: 'signatures' });
  const [batch, loop, node, noble] = rows.map((r) => r.ms);
  target('verifySignatures vs credcore verify loop', loop / batch, 2.2);
  target('verifySignatures vs node:crypto', node / batch, 2.0);
  target('verifySignatures vs @noble/ed25519', noble / batch, 40);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
