// A/B of two builds of the package on the Ed25519 workloads, interleaved in one process (the
// order alternates from run to run), medians: verifySignatures over 4,096 signatures,
// verifyBatch over 10,000 VC-JWTs, and 2,000 SD-JWT VC presentations with key binding. The ratio
// is this build's time over the other's: what a change costs the workloads it should not touch.
//
// Run: node bench/compare-builds.mjs OTHER_PKG_DIR [runs] [workloads]
//   e.g. git worktree add /tmp/base main && (cd /tmp/base && make build) &&
//        node bench/compare-builds.mjs /tmp/base/pkg 11 signatures,vcjwt,sdjwt

import { realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Makers of fresh inputs for each workload of the package `c`; each returns the timed call
 * (bench/profile-builds.mjs profiles the same workloads). */
export function workloads(c) {
  const pairs = Array.from({ length: 16 }, () => c.generateKeyPair());
  const holder = c.generateKeyPair();
  let round = 0;
  return {
    signatures: () => {
      round++;
      const items = Array.from({ length: 4096 }, (_, i) => {
        const message = new TextEncoder().encode(`round ${round} message ${i} ${Math.random()}`);
        return { message, signature: c.sign(message, pairs[i % 16].secretKey), publicKey: pairs[i % 16].publicKey };
      });
      return () => { if (!c.verifySignatures(items).every(Boolean)) throw new Error('a signature failed'); };
    },
    vcjwt: () => {
      round++;
      const now = Date.now();
      const jwts = Array.from({ length: 10_000 }, (_, i) =>
        c.issueCredential({ credentialSubject: { id: holder.did, n: `${round}-${i}` } }, { issuer: pairs[i % 10], format: 'vc-jwt', expiresIn: 3600, now }));
      return () => { if (!c.verifyBatch(jwts).every((r) => r.valid)) throw new Error('a VC-JWT failed'); };
    },
    sdjwt: () => {
      round++;
      const presentations = Array.from({ length: 2000 }, (_, i) => {
        const token = c.sdJwt.issue({ vct: 'urn:example:pid', given_name: `Ada ${round}-${i}` }, { issuer: pairs[i % 10], disclose: ['/given_name'], holderPublicKey: holder.publicKey, expiresIn: 3600 });
        return c.sdJwt.present(token, { disclose: ['/given_name'], holder, nonce: 'n-1', audience: 'https://verifier.example' });
      });
      return () => {
        if (!c.verifyBatch(presentations, { nonce: 'n-1', audience: 'https://verifier.example' }).every((r) => r.valid)) throw new Error('an SD-JWT failed');
      };
    },
  };
}

// Run as a script (not imported by profile-builds.mjs).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();

async function main() {
  const [otherDir, runsArg, namesArg] = process.argv.slice(2);
  if (!otherDir) {
    console.error('usage: node bench/compare-builds.mjs OTHER_PKG_DIR [runs] [signatures,vcjwt,sdjwt]');
    process.exit(2);
  }
  const A = await import(pathToFileURL(resolve(otherDir, 'index.node.js')).href);
  const B = await import(new URL('../pkg/index.node.js', import.meta.url).href);
  const other = workloads(A);
  const ours = workloads(B);
  const runs = Number(runsArg ?? 9);
  console.log(`# this build vs ${otherDir} (${runs} runs each, interleaved, medians)`);
  console.log('| workload | other build ms | this build ms | ratio (this / other) |');
  console.log('|---|---:|---:|---:|');
  for (const name of (namesArg ?? 'signatures,vcjwt,sdjwt').split(',')) {
    const ta = [];
    const tb = [];
    for (let r = -1; r < runs; r++) {
      const order = r % 2 === 0 ? [[other, ta], [ours, tb]] : [[ours, tb], [other, ta]];
      for (const [w, times] of order) {
        const call = w[name]();
        const t0 = performance.now();
        call();
        if (r >= 0) times.push(performance.now() - t0);
      }
    }
    console.log(`| ${name} | ${med(ta).toFixed(1)} | ${med(tb).toFixed(1)} | ${(med(tb) / med(ta)).toFixed(3)} |`);
  }
}
