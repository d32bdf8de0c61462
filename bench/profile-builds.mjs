// Where two builds of the package differ in time, function by function: each build runs one of
// compare-builds.mjs's workloads (fresh inputs made first, outside the profile) in a child
// process under the V8 sampling profiler, and the table lists the functions whose self time
// grew most in this build, then this build's top functions by self time. Function names need
// the wasm name section: build both with `CREDCORE_WASM_OPT="-Os -g" make build`. Names are
// compared without their hashes (`::h0123...`, `[0123...]`), which differ from build to build;
// a function that one build inlines into its caller shows there as 0.
//
// Run: node bench/profile-builds.mjs OTHER_PKG_DIR [signatures|vcjwt|sdjwt] [batches]
//   The .cpuprofile files are kept in a temporary folder (printed), for Chrome DevTools.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [first, ...rest] = process.argv.slice(2);

if (first === '--child') {
  const [dir, name, batches, out] = rest;
  const c = await import(pathToFileURL(resolve(dir, 'index.node.js')).href);
  const { workloads } = await import(new URL('./compare-builds.mjs', import.meta.url).href);
  const w = workloads(c)[name];
  if (!w) throw new Error(`no workload ${name}`);
  const calls = Array.from({ length: Number(batches) }, () => w());
  const session = new inspector.Session();
  session.connect();
  const post = (method, params = {}) => new Promise((ok, ko) => session.post(method, params, (e, r) => (e ? ko(e) : ok(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  for (const call of calls) call();
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync(out, JSON.stringify(profile));
  process.exit(0);
}

if (!first) {
  console.error('usage: node bench/profile-builds.mjs OTHER_PKG_DIR [signatures|vcjwt|sdjwt] [batches]');
  process.exit(2);
}
const name = rest[0] ?? 'vcjwt';
const batches = rest[1] ?? '4';
const ours = fileURLToPath(new URL('../pkg', import.meta.url));
const folder = fs.mkdtempSync(join(os.tmpdir(), 'credcore-profile-'));

/** Runs the workload on the package in `dir` in a child process; resolves to its profile's path. */
function profileOf(dir, label) {
  const out = join(folder, `${label}-${name}.cpuprofile`);
  return new Promise((ok, ko) => {
    fork(fileURLToPath(import.meta.url), ['--child', dir, name, batches, out]).on('exit', (code) =>
      code === 0 ? ok(out) : ko(new Error(`${label}: exit ${code}`)));
  });
}

/** Self time (ms) per function name, hashes stripped. */
function selfTimes(file) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const times = new Map();
  p.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    const fn = (frame.functionName || `(anonymous ${frame.url.split('/').pop()})`)
      .replace(/::h[0-9a-f]{16}/g, '')
      .replace(/\[[0-9a-f]{16}\]/g, '');
    times.set(fn, (times.get(fn) ?? 0) + p.timeDeltas[i] / 1000);
  });
  return times;
}

const other = selfTimes(await profileOf(resolve(first), 'other'));
const mine = selfTimes(await profileOf(ours, 'this'));
const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const short = (s) => (s.length > 110 ? `${s.slice(0, 107)}...` : s).replace(/\|/g, '\\|');
console.log(`# ${name}, ${batches} batches: this build ${total(mine).toFixed(0)} ms, ${first} ${total(other).toFixed(0)} ms (profiles in ${folder})`);
console.log('\n| function (grew most in this build) | other ms | this ms | difference |\n|---|---:|---:|---:|');
const names = [...new Set([...mine.keys(), ...other.keys()])];
const at = (m, k) => m.get(k) ?? 0;
for (const k of names.sort((a, b) => (at(mine, b) - at(other, b)) - (at(mine, a) - at(other, a))).slice(0, 30)) {
  console.log(`| ${short(k)} | ${at(other, k).toFixed(1)} | ${at(mine, k).toFixed(1)} | ${(at(mine, k) - at(other, k)).toFixed(1)} |`);
}
console.log('\n| function (this build, by self time) | other ms | this ms |\n|---|---:|---:|');
for (const [k, v] of [...mine].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`| ${short(k)} | ${at(other, k).toFixed(1)} | ${v.toFixed(1)} |`);
}
