// The README's JavaScript examples, extracted and compiled as TypeScript against the installed
// package under `tsc --strict` with `noUncheckedIndexedAccess`: what the README tells users to
// write must compile in the strictest common setting (a block that calls `require` compiles as
// CommonJS, the others as ES modules).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

test('every JavaScript example of the README compiles under tsc --strict --noUncheckedIndexedAccess', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```(?:js|ts)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.length >= 9, `the README has ${blocks.length} JavaScript examples`);
  const dir = join(here, '.tmp', 'readme');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, i) => {
    const name = `example-${String(i + 1).padStart(2, '0')}.${/\brequire\(/.test(code) ? 'cts' : 'ts'}`;
    // Each file is a module of its own (names do not clash between examples).
    writeFileSync(join(dir, name), /^(import|export) /m.test(code) ? code : `${code}\nexport {};\n`);
    return name;
  });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noUncheckedIndexedAccess: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext',
      target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: false, allowUnusedLabels: false,
    },
    files,
  }, null, 2));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync('node', [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
  } catch (err) {
    const out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    assert.fail(`README examples do not compile (files in ${dir}):\n${out}`);
  }
});
