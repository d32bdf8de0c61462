// Forged signatures in a batch (well-formed, valid over another message): verifySignatures with
// 0, 0.1, 1, 10, 50 and 100% forged, against a loop of credcore verify on the same items, fresh
// items every run, the shares taking turns within each run; and a pool whose clean `verify()` callers share its worker with a caller
// sending 50% forgeries, with one shared queue and with callers named (fair queueing).
//
// Run: make bench (or: node bench/forgeries.mjs after make build). FORGERY_ITEMS (4096), FORGERY_RUNS (7).
// FORGERY_COMPARE=OTHER_PKG_DIR instead times verifySignatures of that build and of this one
// on the same fresh items, interleaved run by run (the order alternating), at each share: the
// ratio to each build's own all-valid rate, on a machine whose load moves.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as credcore from '../pkg/index.node.js';
import { target } from './lib.mjs';

const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** `n` signature items with `share` of them forged, spread evenly, under 16 keys. */
function items(pairs, n, share, round) {
  const forged = Math.round(n * share);
  const step = forged === 0 ? Infinity : n / forged;
  const isForged = new Set(Array.from({ length: forged }, (_, j) => Math.floor(j * step)));
  return Array.from({ length: n }, (_, i) => {
    const k = pairs[i % pairs.length];
    const message = new TextEncoder().encode(`forgery bench ${round} ${i} ${Math.random()}`);
    const signed = isForged.has(i) ? new TextEncoder().encode(`another message ${round} ${i}`) : message;
    return { message, signature: credcore.sign(signed, k.secretKey), publicKey: k.publicKey };
  });
}

export async function run({ n = env('FORGERY_ITEMS', 4096), runs = env('FORGERY_RUNS', 7) } = {}) {
  const pairs = Array.from({ length: 16 }, () => credcore.generateKeyPair());
  let round = 0;
  console.log(`\n## Forged signatures in a batch, ${n} signatures, 16 keys (median of ${runs}, fresh items each run, the shares taking turns within each run)`);
  console.log('| forged | verifySignatures sig/s | verify loop sig/s | batch vs loop | vs the all-valid batch |');
  console.log('|---:|---:|---:|---:|---:|');
  // The shares take turns within each run (a warm-up run first, not counted), so that a load
  // that moves during the benchmark reaches every share alike: the ratios between shares are
  // what the targets are about.
  const shares = [0, 0.001, 0.01, 0.1, 0.5, 1];
  const times = shares.map(() => ({ batch: [], loop: [] }));
  for (let r = -1; r < runs; r++) {
    for (const [at, share] of shares.entries()) {
      const xs = items(pairs, n, share, ++round);
      const expected = n - Math.round(n * share);
      let t0 = performance.now();
      const ok = credcore.verifySignatures(xs).filter(Boolean).length;
      const batch = performance.now() - t0;
      if (ok !== expected) throw new Error(`${ok} valid, expected ${expected}`);
      t0 = performance.now();
      let okLoop = 0;
      for (const it of xs) okLoop += credcore.verify(it.message, it.signature, it.publicKey) ? 1 : 0;
      const loop = performance.now() - t0;
      if (okLoop !== expected) throw new Error(`${okLoop} valid, expected ${expected}`);
      if (r >= 0) {
        times[at].batch.push(batch);
        times[at].loop.push(loop);
      }
    }
  }
  const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  let clean = null;
  const rates = [];
  for (const [at, share] of shares.entries()) {
    const [b, l] = [(n / med(times[at].batch)) * 1000, (n / med(times[at].loop)) * 1000];
    clean ??= b;
    rates.push({ share, b, l });
    console.log(`| ${(share * 100).toFixed(1)}% | ${Math.round(b).toLocaleString('en-US')} | ${Math.round(l).toLocaleString('en-US')} | ${(b / l).toFixed(2)}x | ${((b / clean) * 100).toFixed(0)}% |`);
  }
  const at1 = rates.find((r) => r.share === 0.01);
  target('1% forged vs the all-valid rate', at1.b / clean, 0.85);
  target('worst share: batch vs verify loop', Math.min(...rates.map((r) => r.b / r.l)), 1.0);

  // Pool: clean callers' rate alone, then beside a caller whose inputs are 50% forged VC-JWTs.
  const issuer = credcore.generateKeyPair();
  const holder = credcore.generateKeyPair();
  const make = (count, forgedShare, tag) => Array.from({ length: count }, (_, i) => {
    const jwt = credcore.issueCredential({ credentialSubject: { id: holder.did, n: `${tag} ${i} ${Math.random()}` } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    if (i % Math.round(1 / forgedShare) !== 0) return jwt;
    const dot = jwt.lastIndexOf('.');
    const other = credcore.sign(`${jwt.slice(0, dot)}x`, issuer.secretKey);
    return `${jwt.slice(0, dot)}.${Buffer.from(other).toString('base64url')}`;
  });
  const perCaller = 2000;
  const pool = await credcore.createPool({ workers: 1, verifier: { cache: { results: 0 } } });
  // The clean callers' own time to all their results, beside another caller sending as many
  // items, clean or 50% forged: the difference is what the forgeries cost the clean callers.
  // `named`: the calls say who they are for (`caller`), and the pool shares its worker fairly.
  const cleanTime = async (otherShare, named) => {
    const out = [];
    for (let r = 0; r < 5; r++) {
      const honest = make(perCaller, Infinity, `h${++round}`);
      const other = make(perCaller, otherShare, `a${round}`);
      const t0 = performance.now();
      const others = Promise.all(other.map((x) => pool.verify(x, named ? { caller: 'other' } : undefined)));
      const results = await Promise.all(honest.map((x) => pool.verify(x, named ? { caller: 'clients' } : undefined)));
      out.push(performance.now() - t0);
      if (!results.every((x) => x.valid)) throw new Error('a clean credential failed');
      await others;
    }
    return out.sort((a, b) => a - b)[2];
  };
  const rate = (ms) => Math.round((perCaller / ms) * 1000).toLocaleString('en-US');
  for (const named of [false, true]) {
    const besideClean = await cleanTime(Infinity, named);
    const besideForged = await cleanTime(0.5, named);
    console.log(`
pool of 1 worker, ${perCaller} clean verify() calls beside ${perCaller} calls of another caller, ${named ? 'callers named (caller option)' : 'no caller named (one shared queue)'}: their rate ${rate(besideClean)}/s when those are clean, ${rate(besideForged)}/s when half of those are forged`);
    const ratio = besideClean / besideForged;
    if (named) target('clean callers beside 50% forgeries vs beside clean callers, callers named', ratio, 0.8);
    else console.log(`clean callers beside 50% forgeries vs beside clean callers, one shared queue: ${ratio.toFixed(2)} (no target: nothing tells the callers apart)`);
  }
  await pool.close();
  return rates;
}

/** Interleaved A/B of `verifySignatures` against the build in `otherDir`, at each share. */
export async function compare(otherDir, { n = env('FORGERY_ITEMS', 4096), runs = env('FORGERY_RUNS', 9) } = {}) {
  const other = await import(pathToFileURL(resolve(otherDir, 'index.node.js')).href);
  const builds = [['other', other], ['this', credcore]];
  const pairs = Array.from({ length: 16 }, () => credcore.generateKeyPair());
  const shares = [0, 0.001, 0.01, 0.1];
  const times = shares.map(() => ({ other: [], this: [] }));
  for (let r = -1; r < runs; r++) {
    for (const [at, share] of shares.entries()) {
      const xs = items(pairs, n, share, `compare ${r}`);
      const expected = n - Math.round(n * share);
      for (const [name, build] of r % 2 === 0 ? builds : [...builds].reverse()) {
        const t0 = performance.now();
        const ok = build.verifySignatures(xs).filter(Boolean).length;
        const ms = performance.now() - t0;
        if (ok !== expected) throw new Error(`${name}: ${ok} valid, expected ${expected}`);
        if (r >= 0) times[at][name].push(ms);
      }
    }
  }
  const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`\n## verifySignatures, ${otherDir} against this build, interleaved (${n} signatures, 16 keys, median of ${runs})`);
  console.log('| forged | other sig/s | other vs its all-valid | this sig/s | this vs its all-valid |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const [at, share] of shares.entries()) {
    const cell = (name) => `${Math.round((n / med(times[at][name])) * 1000).toLocaleString('en-US')} | ${((med(times[0][name]) / med(times[at][name])) * 100).toFixed(0)}%`;
    console.log(`| ${(share * 100).toFixed(1)}% | ${cell('other')} | ${cell('this')} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env.FORGERY_COMPARE) await compare(process.env.FORGERY_COMPARE);
  else await run();
}
