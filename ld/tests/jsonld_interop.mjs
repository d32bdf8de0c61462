// jsonld.js side of ld/tests/jsonld_interop.rs: reads [{name, doc}] as JSON on stdin, prints
// [{name, nquads | error}] — toRDF in safe mode with the bundled contexts (and the vectors'
// citizenship context) served by a document loader, nothing fetched.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsonld = require('jsonld');
const dir = new URL('..', import.meta.url);
const src = readFileSync(new URL('src/jsonld/loader.rs', dir), 'utf8');
const contexts = new Map();
for (const m of src.matchAll(/\("(https:[^"]+)", "([^"]+)"\)/g)) {
  contexts.set(m[1], JSON.parse(readFileSync(new URL(`contexts/${m[2]}`, dir), 'utf8')));
}
contexts.set('https://w3id.org/citizenship/v4rc1', JSON.parse(readFileSync(new URL('tests/vectors/vc-di-eddsa/citizenship-v4rc1.jsonld', dir), 'utf8')));
const documentLoader = async (url) => {
  const document = contexts.get(url);
  if (!document) throw new Error(`no context ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};
const input = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const { name, doc } of input) {
  try {
    out.push({ name, nquads: await jsonld.toRDF(doc, { documentLoader, safe: true, format: 'application/n-quads' }) });
  } catch (e) {
    out.push({ name, error: String(e.message ?? e) });
  }
}
console.log(JSON.stringify(out));
