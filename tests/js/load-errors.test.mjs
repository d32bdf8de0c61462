// When the package's files are not where a bundle or a page looks for them, the errors name the
// URL or path that failed, the cause, and what to do: the browser entry's init() (a 404, a page
// served instead of the wasm), the pool's worker (a 404), and a Node bundle moved away from the
// installed package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serve, here } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const dir = here(import.meta.url);
const root = join(dir, '..', '..');
const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));

test('browser: init() and createPool name the URL that failed and what to do', async () => {
  // A page that loads nothing by itself (browser.html initializes the package at once).
  const blank = mkdtempSync(join(tmpdir(), 'credcore-blank-'));
  writeFileSync(join(blank, 'index.html'), '<!doctype html><title>blank</title>');
  const { server, origin } = await serve({ '/pkg/': pkgDir, '/': blank });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/index.html`);
    const seen = await page.evaluate(async (base) => {
      const c = await import(`${base}/pkg/index.browser.js`);
      const out = {};
      for (const [name, input] of [['missing', `${base}/missing.wasm`], ['html', `${base}/index.html`]]) {
        try {
          await c.init(input);
          out[name] = 'resolved';
        } catch (err) {
          out[name] = { code: err.code, message: err.message };
        }
      }
      await c.init();
      try {
        await c.createPool({ workers: 1, workerUrl: `${base}/no-such-worker.js` });
        out.worker = 'resolved';
      } catch (err) {
        out.worker = { code: err.code, message: err.message };
      }
      const pool = await c.createPool({ workers: 1 });
      out.own = pool.metrics().workers.live;
      await pool.close();
      return out;
    }, origin);
    assert.equal(seen.missing.code, 'NOT_INITIALIZED');
    assert.match(seen.missing.message, new RegExp(`${origin}/missing\\.wasm \\(HTTP 404\\); serve credcore_wasm_bg\\.wasm at that URL`));
    assert.equal(seen.html.code, 'NOT_INITIALIZED');
    assert.match(seen.html.message, new RegExp(`${origin}/index\\.html is not a wasm module \\(text/html, \\d+ bytes\\)`));
    assert.match(seen.html.message, /optimizeDeps: \{ exclude: \['credcore'\] \}/);
    assert.equal(seen.worker.code, 'WORKER_FAILED');
    assert.match(seen.worker.message, new RegExp(`worker failed to start: ${origin}/no-such-worker\\.js answered HTTP 404; serve credcore's worker\\.js there`));
    assert.equal(seen.own, 1, 'after the failures, the package\'s own worker starts');
  } finally {
    await browser.close();
    server.close();
    rmSync(blank, { recursive: true, force: true });
  }
});

test('Node: a bundle moved away from the installed package says which file it looked for and what to do', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'credcore-moved-'));
  try {
    writeFileSync(join(dir, '.tmp', 'moved-entry.mjs'), "import { version } from 'credcore';\nconsole.log(version());\n");
    const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
    const out = join(tmp, 'bundle.cjs');
    execFileSync(esbuild, [join(dir, '.tmp', 'moved-entry.mjs'), '--bundle', '--platform=node', `--outfile=${out}`, '--log-level=error']);
    // Beside the installed package, the bundle finds it (tests/js/node_modules/credcore).
    const near = join(dir, '.tmp', 'bundle-near.cjs');
    execFileSync(esbuild, [join(dir, '.tmp', 'moved-entry.mjs'), '--bundle', '--platform=node', `--outfile=${near}`, '--log-level=error']);
    assert.match(execFileSync(process.execPath, [near]).toString(), /^\d+\.\d+\.\d+/);
    // Moved away (no credcore anywhere above it, working directory there too): a coded error.
    const r = spawnSync(process.execPath, [out], { cwd: tmp, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot find the wasm module credcore_wasm_bg\.wasm \(tried .*credcore_wasm_bg\.wasm.*\)/);
    assert.match(r.stderr, /keep the credcore package installed beside the bundle, or copy credcore_wasm_bg\.wasm next to the bundle, or mark credcore as external/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
