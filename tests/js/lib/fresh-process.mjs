// A fresh Node process over the installed package that records the wasm modules it compiles, for
// the tests of what loads when (keys-module.test.mjs, issuing-module.test.mjs).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const testsDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `body` (with `credcore` as `c`, through ESM or, with `cjs`, `require`; `__compiled()` the
 * modules compiled so far, by file: `wasm` the default one, `issuing`, `keys`, `ld`; `out` an
 * object to fill) in a fresh process; returns `out` as it printed it. `globals` are defined in
 * the script as JSON values.
 * @param {string} body
 * @param {{ cjs?: boolean, globals?: Record<string, unknown> }} [options]
 */
export function inFreshProcess(body, { cjs = false, globals = {} } = {}) {
  const count = `
    const sizes = [];
    const Original = WebAssembly.Module;
    WebAssembly.Module = function Module(bytes) { sizes.push(bytes.byteLength); return new Original(bytes); };
    WebAssembly.Module.prototype = Original.prototype;
    const { readdirSync, statSync } = await import('node:fs');
    const dir = process.cwd() + '/node_modules/credcore/';
    const names = new Map(readdirSync(dir).filter((f) => f.endsWith('_bg.wasm')).map((f) => [statSync(dir + f).size, f.replace(/^credcore_|_bg\\.wasm$/g, '')]));
    globalThis.__compiled = () => sizes.map((n) => names.get(n) ?? String(n));`;
  const load = cjs ? `const c = (await import('node:module')).createRequire(process.cwd() + '/')('credcore');` : `const c = await import('credcore');`;
  const defs = Object.entries(globals).map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`).join('\n');
  const script = `${count}\n${load}\n${defs}\nconst out = {};\n${body}\nconsole.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: testsDir, encoding: 'utf8' }));
}
