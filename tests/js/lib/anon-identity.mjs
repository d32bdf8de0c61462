// Loads anon-identity@1.0.14 in Node for interop tests, benchmarks and fixture scripts.
//
// Its CommonJS build requires the ESM-only `kubo-rpc-client` and contract artifact JSON files it
// does not ship; the in-memory issue/present/verify flows use neither, so a Module._load hook
// returns empty stand-ins for exactly those two requests and passes every other one through.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let hooked = false;

/**
 * Returns `{ ai, version }`: the anon-identity module and its installed version, resolved from
 * `from` (a file path or URL; default: this repository's root node_modules).
 */
export function loadAnonIdentity(from = import.meta.url) {
  const require = createRequire(from);
  const Module = require('node:module');
  if (!hooked) {
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
      if (request === 'kubo-rpc-client') return { create: () => ({}) };
      if (request.includes('/artifacts/contracts/') && request.endsWith('.json')) return {};
      return load.call(this, request, parent, isMain);
    };
    hooked = true;
  }
  const ai = require('anon-identity');
  const main = require.resolve('anon-identity');
  const pkg = join(main.slice(0, main.lastIndexOf(`${join('node_modules', 'anon-identity')}`)), 'node_modules', 'anon-identity', 'package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8'));
  return { ai, version, dir: dirname(pkg) };
}
