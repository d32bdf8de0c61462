// The bundler matrix: the packed credcore tarball installed, as a user would, into small apps
// built by Vite 6 and 8 (dev server, and build + preview), webpack 5, esbuild, Rollup, Parcel
// and Next.js (build + start), each checked in headless Chromium, and into a Node bundle (esbuild --platform=node, CommonJS and
// ESM) run by Node. Every app runs the same checks (shared/app.js): a credential verified on the
// page's thread and by a pool of two workers (forgeries caught), and a pool whose worker script
// is missing failing with WORKER_FAILED and the URL. Each app uses no configuration beyond what
// the README's bundler section tells users.
//
// Each app's dependencies are pinned (package.json, package-lock.json) and installed once into
// its node_modules/, reused while the lock is unchanged. `BUNDLERS=vite6,webpack` runs a subset.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../js/lib/server.mjs';
import { launch } from '../js/lib/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tmp = join(here, '.tmp');
const only = process.env.BUNDLERS ? new Set(process.env.BUNDLERS.split(',')) : null;

/** Runs a command in `cwd`; resolves with its output, rejects with it (and the exit code). */
function run(cmd, args, { cwd, timeoutMs = 240_000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code ?? signal}:\n${out.slice(-4000)}`));
    });
  });
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Starts a long-running server command and resolves once `url` answers; returns a stop(). */
async function startServer(cmd, args, { cwd, url, timeoutMs = 60_000, env = {} }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(undefined); return; }
    child.once('close', () => resolve(undefined));
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(url);
      if (res.ok) return { stop, output: () => out };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

let tarball;
let browser;

before(async () => {
  mkdirSync(tmp, { recursive: true });
  tarball = process.env.CREDCORE_TARBALL;
  if (!tarball) {
    for (const f of readdirSync(tmp)) if (f.endsWith('.tgz')) rmSync(join(tmp, f));
    const name = execFileSync('npm', ['pack', join(root, 'pkg'), '--silent', '--loglevel=error'], { cwd: tmp }).toString().trim().split('\n').pop();
    tarball = join(tmp, name);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Whether `a` was modified after `b` (a missing `b` counts as older). */
const newer = (a, b) => !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;

/**
 * Installs an app's pinned dependencies (once: reused while package.json and the lock are
 * older than node_modules), then the credcore tarball as its `credcore` package, and copies the
 * shared app source into src/.
 */
async function prepare(app, { node = false } = {}) {
  const dir = join(here, app);
  const stamp = join(dir, 'node_modules', '.package-lock.json');
  const lock = join(dir, 'package-lock.json');
  if (newer(join(dir, 'package.json'), stamp) || (existsSync(lock) && newer(lock, stamp))) {
    const args = existsSync(lock) ? ['ci'] : ['install'];
    await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], { cwd: dir, timeoutMs: 600_000 });
  }
  const target = join(dir, 'node_modules', 'credcore');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', target]);
  mkdirSync(join(dir, 'src'), { recursive: true });
  cpSync(join(here, 'shared', 'app.js'), join(dir, 'src', 'app.js'));
  cpSync(join(here, 'shared', node ? 'node-main.js' : 'main.js'), join(dir, 'src', 'main.js'));
  for (const out of ['dist', '.parcel-cache', '.next']) rmSync(join(dir, out), { recursive: true, force: true });
  return dir;
}

/** The checks every app reports on (see shared/app.js). */
function assertReport(report, where) {
  assert.ok(report, `${where}: no report`);
  assert.equal(report.error, undefined, `${where}: ${report.error}`);
  assert.equal(report.ok, true, where);
  assert.deepEqual(report.single, { valid: true, format: 'vc-jwt', degree: 'BSc' }, `${where}: verification on the main thread`);
  assert.deepEqual(report.pool, { valid: 36, invalid: Array(4).fill('INVALID_SIGNATURE'), one: true, workers: 2 }, `${where}: the pool`);
  assert.deepEqual(report.dataIntegrity, { valid: true, format: 'data-integrity', edited: 'INVALID_SIGNATURE', pool: [true, false], poolEdited: 'INVALID_SIGNATURE' }, `${where}: the Data Integrity module`);
  assert.equal(report.keysModule, true, `${where}: the keys module`);
  assert.equal(report.missingWorker?.code, 'WORKER_FAILED', `${where}: a missing worker script`);
  assert.equal(report.missingWorker?.namesUrl, true, `${where}: the error names the URL: ${report.missingWorker?.message}`);
}

/** Opens `url` in Chromium and returns the app's report. */
async function reportOf(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => /** @type {any} */ (window).__report !== undefined, null, { timeout: 90_000 });
    const report = await page.evaluate(() => /** @type {any} */ (window).__report);
    assert.deepEqual(errors, [], `${url}: page errors`);
    return report;
  } finally {
    await page.close();
  }
}

/** The JavaScript a browser build emitted names nothing from `node:`. */
function assertNoNodeImports(dir) {
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name));
      else if (/\.m?js$/.test(f.name)) files.push(join(d, f.name));
    }
  };
  walk(dir);
  assert.ok(files.length > 0, `${dir}: no JavaScript emitted`);
  for (const f of files) assert.doesNotMatch(readFileSync(f, 'utf8'), /["'`]node:[a-z_]+["'`]/, `${f} references a node: module`);
}

/** Serves `dist/` (with the app's index.html when the bundler emits none) and checks it in Chromium. */
async function checkStatic(dir, where) {
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) cpSync(join(dir, 'index.html'), join(dist, 'index.html'));
  assertNoNodeImports(dist);
  const { server, origin } = await serve({ '/': dist });
  try {
    assertReport(await reportOf(`${origin}/index.html`), where);
  } finally {
    server.close();
  }
}

const apps = {
  async vite6(t) { await viteApp(t, 'vite6'); },
  async vite8(t) { await viteApp(t, 'vite8'); },
  async webpack() {
    const dir = await prepare('webpack');
    await run('npx', ['webpack', '--mode', 'production', '--entry', './src/main.js'], { cwd: dir });
    await checkStatic(dir, 'webpack 5');
  },
  async esbuild() {
    const dir = await prepare('esbuild');
    await run('npm', ['run', 'build', '--silent'], { cwd: dir });
    await checkStatic(dir, 'esbuild');
  },
  async rollup() {
    const dir = await prepare('rollup');
    await run('npm', ['run', 'build', '--silent'], { cwd: dir });
    await checkStatic(dir, 'Rollup');
  },
  async parcel() {
    const dir = await prepare('parcel');
    await run('npm', ['run', 'build', '--silent'], { cwd: dir });
    await checkStatic(dir, 'Parcel');
  },
  async next() {
    // A client component that runs the checks after hydration (app/page.js); the page is
    // prerendered on the server, where the Node entry loads too.
    const dir = await prepare('next');
    const next = join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
    const env = { NEXT_TELEMETRY_DISABLED: '1' };
    await run('node', [next, 'build'], { cwd: dir, env });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const server = await startServer('node', [next, 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: dir, url, env });
    try {
      assertReport(await reportOf(url), 'Next.js build + start');
    } finally {
      await server.stop();
    }
  },
  async 'node-esbuild'(t) {
    const dir = await prepare('node-esbuild', { node: true });
    await run('npm', ['run', 'build', '--silent'], { cwd: dir });
    for (const bundle of ['main.cjs', 'main.mjs']) {
      await t.test(bundle === 'main.cjs' ? 'CommonJS bundle' : 'ESM bundle', async () => {
        // The bundle holds credcore's JS: only its wasm and worker come from the installed package.
        assert.doesNotMatch(readFileSync(join(dir, 'dist', bundle), 'utf8'), /from ["']credcore["']|require\(["']credcore["']\)/, bundle);
        const out = await run('node', [join('dist', bundle)], { cwd: dir, timeoutMs: 60_000 });
        assertReport(JSON.parse(out.trim().split('\n').pop() ?? ''), `Node bundle ${bundle}`);
      });
    }
  },
};

/** Vite: the dev server, then `vite build` served by `vite preview`. */
async function viteApp(t, app) {
  const dir = await prepare(app);
  rmSync(join(dir, 'node_modules', '.vite'), { recursive: true, force: true });
  const vite = join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
  await t.test('dev server', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const dev = await startServer('node', [vite, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, url });
    try {
      assertReport(await reportOf(url), `${app} dev server`);
    } finally {
      await dev.stop();
    }
  });
  await t.test('build + preview', async () => {
    await buildAndPreview(dir, vite, app);
  });
}

async function buildAndPreview(dir, vite, app) {
  await run('node', [vite, 'build'], { cwd: dir });
  assertNoNodeImports(join(dir, 'dist'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const preview = await startServer('node', [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, url });
  try {
    assertReport(await reportOf(url), `${app} build + preview`);
  } finally {
    await preview.stop();
  }
}

for (const [name, fn] of Object.entries(apps)) {
  if (only && !only.has(name)) continue;
  test(`bundler: ${name}`, { timeout: 900_000 }, fn);
}
