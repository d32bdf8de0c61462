// jsonld.js side of ld/examples/jsonld_timing.rs: toRDF (safe mode) of the same fresh variants
// of the vc-di-eddsa credential and proof configuration, with the same bundled contexts served
// from ld/contexts/ by a document loader. Prints {"version", "credential", "proof config"}
// medians in microseconds. Run from the repository root: node ld/examples/jsonld_timing.mjs N
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const jsonld = require('jsonld');
const version = require('jsonld/package.json').version;
const n = Number(process.argv[2] ?? 2000);
const dir = new URL('..', import.meta.url);

// The URL -> file table of ld/src/jsonld/loader.rs.
const src = readFileSync(new URL('src/jsonld/loader.rs', dir), 'utf8');
const contexts = new Map();
for (const m of src.matchAll(/\("(https:[^"]+)", "([^"]+)"\)/g)) {
  contexts.set(m[1], JSON.parse(readFileSync(new URL(`contexts/${m[2]}`, dir), 'utf8')));
}
const documentLoader = async (url) => {
  const document = contexts.get(url);
  if (!document) throw new Error(`no context ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

function variant(template, i) {
  const d = structuredClone(template);
  delete d.proof;
  if ('id' in d) d.id = `urn:uuid:58172aac-d8ba-11ed-83dd-${String(i).padStart(12, '0')}`;
  if (d.credentialSubject) d.credentialSubject.id = `did:example:subject-${i}`;
  if ('created' in d) d.created = `2023-02-24T23:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
  return d;
}

const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
const vectors = new URL('tests/vectors/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/', dir);
const out = { version };
for (const [name, file] of [['credential', 'signedDataInt.json'], ['proof config', 'proofConfigDataInt.json']]) {
  const template = JSON.parse(readFileSync(new URL(file, vectors), 'utf8'));
  const times = [];
  for (let i = 0; i < n + 50; i++) {
    const doc = variant(template, i);
    const t = performance.now();
    await jsonld.toRDF(doc, { documentLoader, safe: true });
    const us = (performance.now() - t) * 1000;
    if (i >= 50) times.push(us);
  }
  out[name] = median(times);
}
console.log(JSON.stringify(out));
