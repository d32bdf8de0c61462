// The packed tarball: installs into an empty project, works through import and require, its
// types compile under tsc --strict, and the TypeScript ErrorCode union equals the core's list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as credcore from 'credcore';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tarball = process.env.CREDCORE_TARBALL;
const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));

test('the tarball installs into an empty project and loads through import and require', () => {
  assert.ok(tarball, 'CREDCORE_TARBALL names the packed tarball (scripts/test-js.sh sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'credcore-install-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, stdio: 'pipe' });
    const esm = execFileSync('node', ['--input-type=module', '-e', "import { keyPairFromSeed } from 'credcore'; console.log(keyPairFromSeed(new Uint8Array(32)).did)"], { cwd: dir }).toString().trim();
    const cjs = execFileSync('node', ['-e', "console.log(require('credcore').keyPairFromSeed(new Uint8Array(32)).did)"], { cwd: dir }).toString().trim();
    assert.equal(esm, 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp');
    assert.equal(cjs, esm);
    const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', 'credcore', 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
    assert.equal(manifest.sideEffects, false);
    assert.equal(manifest.type, 'module');
    for (const cond of ['types', 'node', 'browser', 'require', 'default']) assert.ok(cond in manifest.exports['.'], cond);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TypeScript consumers (ESM and CJS) compile with tsc --strict --noEmit', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync('node', [tsc, '-p', join(here, 'types', 'tsconfig.json')], { stdio: 'pipe' });
});

test('the TypeScript ErrorCode union and the core list are one list', () => {
  const dts = readFileSync(join(pkgDir, 'index.d.ts'), 'utf8');
  const union = dts.match(/export type ErrorCode =([^;]+);/)[1];
  const fromTypes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
  assert.deepEqual(fromTypes, credcore.errorCodes());
});

// Size budget of the full module (verification, SD-JWT, status lists, audit, issuance). The
// Ed25519 core alone was 252 KiB; see README "Size" for what each part costs.
test('the wasm module stays within its 1 MiB size budget', () => {
  const size = readFileSync(join(pkgDir, 'credcore_wasm_bg.wasm')).length;
  assert.ok(size < 1024 * 1024, `wasm is ${size} bytes`);
});

test('every export of the ESM entry is declared in index.d.ts', () => {
  const dts = readFileSync(join(pkgDir, 'index.d.ts'), 'utf8');
  for (const name of Object.keys(credcore)) {
    assert.match(dts, new RegExp(`export declare (function|class|const|namespace) ${name}\\b`), name);
  }
});
