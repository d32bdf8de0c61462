// Where eddsa-rdfc-2022 verification spends its time, by function: a CPU profile of verifyBatch
// over fresh VC 2.0 credentials (the small credential of bench/data-integrity.mjs, issued by
// credcore from 4 issuers, 200 a batch), and its top functions by self and total time, with the
// share of each module (main module, Data Integrity module, harness files).
//
// Build with the wasm name section kept, so that the profile names Rust functions:
//   CREDCORE_WASM_OPT="-Os -g" make build
// then:
//   node --cpu-prof --cpu-prof-dir=/tmp/credcore-prof bench/data-integrity-profile.mjs
//   node bench/data-integrity-profile.mjs /tmp/credcore-prof/CPU.*.cpuprofile [TOP]
// Only samples under verifyBatch count (issuing the inputs is left out).

import { readFileSync } from 'node:fs';

if (process.argv[2]) {
  report(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 30));
} else {
  await loop(Number(process.env.BATCHES ?? 48), 200);
}

async function loop(batches, n) {
  const credcore = await import('../pkg/index.node.js');
  const issuers = [71, 72, 73, 74].map((b) => credcore.keyPairFromSeed(new Uint8Array(32).fill(b)));
  const make = (round) => Array.from({ length: n }, (_, i) => credcore.issueCredential({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    id: `urn:example:rdfc:${round}-${i}`, type: ['VerifiableCredential', 'ExampleEmployeeCredential'],
    credentialSubject: { id: `did:example:employee-${i}`, name: `Employee ${round}-${i}`, level: i % 7, team: { name: 'Platform', floor: 3 } },
  }, { issuer: issuers[i % issuers.length], format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022' }));
  const inputs = Array.from({ length: batches }, (_, round) => make(round));
  const times = [];
  for (const batch of inputs) {
    const t0 = process.cpuUsage();
    const results = credcore.verifyBatch(batch);
    const t = process.cpuUsage(t0);
    if (!results.every((r) => r.valid)) throw new Error(JSON.stringify(results.find((r) => !r.valid).errors));
    times.push((t.user + t.system) / 1000);
  }
  const warm = times.slice(3).sort((a, b) => a - b);
  console.log(`CPU time per batch of ${n}, warm: median ${warm[warm.length >> 1].toFixed(2)} ms`);
}

function report(profile, top) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const file = (node) => node.callFrame.url.split('/').pop() || node.callFrame.functionName;
  const name = (node) => `${node.callFrame.functionName || '(anonymous)'} [${file(node)}]`;
  const stack = function* (id) {
    for (let x = id; x !== undefined; x = parent.get(x)) yield byId.get(x);
  };
  const counts = new Map();
  for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const self = new Map(), total = new Map(), modules = new Map();
  let all = 0;
  const add = (map, key, c) => map.set(key, (map.get(key) ?? 0) + c);
  for (const [id, c] of counts) {
    if (![...stack(id)].some((node) => node.callFrame.functionName === 'verifyBatch')) continue;
    all += c;
    const leaf = byId.get(id);
    add(self, name(leaf), c);
    add(modules, file(leaf), c);
    for (const key of new Set([...stack(id)].map(name))) add(total, key, c);
  }
  const pct = (c) => `${((100 * c) / all).toFixed(1).padStart(5)}%`;
  const list = (title, map, k) => {
    console.log(`\n${title}`);
    for (const [key, c] of [...map].sort((a, b) => b[1] - a[1]).slice(0, k)) console.log(`${pct(c)}  ${key}`);
  };
  list('by file (self time)', modules, 12);
  list('top functions, self time', self, top);
  list('top functions, total time', total, top);
}
