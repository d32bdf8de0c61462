// The worker pool: verifyBatch throughput against worker count (1, 2, 4) on a mixed workload,
// peers in the same run (one-thread verifyBatch); with revocation checks (resolver, inline list); the example server under autocannon on
// 127.0.0.1 (req/s, p99); the CLI streaming a large JSONL file (throughput, peak RSS).
//
// Run: make bench (or: node bench/pool.mjs after make build). Options by environment:
// POOL_ITEMS (20000), POOL_RUNS (3), SERVER_SECONDS (10), SERVER_CONNECTIONS (64), CLI_LINES (1000000).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as credcore from '../pkg/index.node.js';
import { median, table, target } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** `n` distinct valid credentials: VC-JWT, anon-identity and SD-JWT VC in turn, three issuers. */
export function workload(n) {
  const issuers = [credcore.generateKeyPair(), credcore.generateKeyPair(), credcore.generateKeyPair()];
  const holder = credcore.generateKeyPair();
  return Array.from({ length: n }, (_, i) => {
    const issuer = issuers[i % 3];
    const subject = { id: holder.did, name: `bench ${i}` };
    switch (i % 3) {
      case 0: return credcore.issueCredential({ credentialSubject: subject }, { issuer, format: 'vc-jwt', expiresIn: 86_400 });
      case 1: return credcore.issueCredential({ credentialSubject: subject }, { issuer, format: 'anon-identity', expiresIn: 86_400 });
      default: return credcore.sdJwt.issue({ vct: 'urn:example:bench', given_name: `bench ${i}` }, { issuer, disclose: ['/given_name'], expiresIn: 86_400 });
    }
  });
}

export async function throughput(inputs, runs) {
  const n = inputs.length;
  const rows = [];
  const check = (results) => {
    if (results.length !== n || !results.every((r) => r.valid)) throw new Error('a valid credential failed');
  };
  // The peer: one thread, a fresh Verifier per run (the pools below also start with empty caches).
  rows.push({ name: 'Verifier.verifyBatch, one thread (no pool)', items: n, ms: await median(async (v) => check(await v.verifyBatch(inputs)), { runs, setup: () => new credcore.Verifier({}) }) });
  for (const workers of [1, 2, 4]) {
    // A fresh pool per run, so no run profits from the result caches of the one before.
    let pool = null;
    const ms = await median(async (p) => check(await p.verifyBatch(inputs)), {
      runs,
      setup: async () => {
        await pool?.close();
        pool = await credcore.createPool({ workers });
        return pool;
      },
    });
    await pool?.close();
    rows.push({ name: `pool, ${workers} worker${workers > 1 ? 's' : ''}`, items: n, ms });
  }
  table(`Pool throughput, ${n.toLocaleString('en-US')} mixed credentials (median of ${runs}, fresh pool per run)`, rows, { base: 'pool, 1 worker', unit: 'credentials' });
  const one = rows.find((r) => r.name === 'pool, 1 worker').ms;
  const two = rows.find((r) => r.name === 'pool, 2 workers').ms;
  target('pool 2 workers vs 1 worker', one / two, 1.6);
  return rows;
}

/**
 * Revocation checking in the pool: `n` SD-JWT VCs, each with an entry in one IETF status list,
 * 2 workers; the list through a `statusListResolver` versus passed inline in the options, and
 * one thread with the resolver. Fresh pools and verifiers per run.
 */
export async function withStatus(n, runs) {
  const issuer = credcore.generateKeyPair();
  const uri = 'https://issuer.example/status/pool-bench';
  const list = new credcore.StatusList({ format: 'ietf', uri, size: 1_000_000, bits: 1, issuer });
  const inputs = Array.from({ length: n }, (_, i) => credcore.sdJwt.issue({ vct: 'urn:example:bench', given_name: `status ${i}`, status: { status_list: { idx: list.allocate(), uri } } }, { issuer, expiresIn: 86_400 }));
  const token = list.sign();
  list.free();
  const check = (results) => {
    if (results.length !== n || !results.every((r) => r.valid)) throw new Error('a valid credential failed');
  };
  const poolRun = (verifier) => {
    let pool = null;
    return median(async (p) => check(await p.verifyBatch(inputs)), {
      runs,
      setup: async () => {
        await pool?.close();
        pool = await credcore.createPool({ workers: 2, verifier });
        return pool;
      },
    }).finally(() => pool?.close());
  };
  const resolver = async () => token;
  const rows = [
    { name: 'pool, 2 workers, statusListResolver', items: n, ms: await poolRun({ statusListResolver: resolver }) },
    { name: 'pool, 2 workers, list inline (statusLists)', items: n, ms: await poolRun({ statusLists: { [uri]: token } }) },
    { name: 'Verifier.verifyBatch, one thread, statusListResolver', items: n, ms: await median(async (v) => check(await v.verifyBatch(inputs)), { runs, setup: () => new credcore.Verifier({ statusListResolver: resolver }) }) },
  ];
  table(`Pool with revocation checks, ${n.toLocaleString('en-US')} SD-JWT VCs on one 1,000,000-entry list (median of ${runs}, fresh pool per run)`, rows, { unit: 'credentials' });
  return rows;
}

async function startServer(workers) {
  const child = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], {
    env: { ...process.env, PORT: '0', WORKERS: String(workers) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let line = '';
  for await (const chunk of child.stdout) {
    line += chunk;
    if (line.includes('\n')) break;
  }
  const origin = line.match(/(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
  if (!origin) throw new Error(`server did not start: ${line}`);
  return { child, origin };
}

export async function server(inputs, { seconds, connections, workers = 2 }) {
  const { child, origin } = await startServer(workers);
  try {
    const bodies = inputs.map((input) => JSON.stringify({ input }));
    let k = 0;
    const run = (duration) => autocannon({
      url: `${origin}/verify`,
      connections,
      duration,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[k++ % bodies.length] }) }],
    });
    await run(2); // warm-up
    const r = await run(seconds);
    console.log(`\n## Example server, POST /verify, ${connections} connections, ${seconds} s, ${workers} workers, ${bodies.length.toLocaleString('en-US')} distinct inputs in rotation`);
    console.log('| requests | non-2xx | req/s (mean) | latency p50 ms | p99 ms |');
    console.log('|---:|---:|---:|---:|---:|');
    console.log(`| ${r.requests.total.toLocaleString('en-US')} | ${r.non2xx} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${r.latency.p50} | ${r.latency.p99} |`);
    target('server verifications/s', r.requests.average, 5000);
    target('server p99 ms', r.latency.p99, 50, '<=');
    return r;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** Peak resident set (VmHWM) of a running process, in bytes, or 0 where /proc is absent. */
function peakRss(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function cli(inputs, lines) {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-bench-'));
  try {
    const file = join(dir, 'lines.jsonl');
    const out = createWriteStream(file);
    const encoded = inputs.map((x) => `${JSON.stringify(x)}\n`);
    for (let i = 0; i < lines; i++) if (!out.write(encoded[i % encoded.length])) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'pkg', 'bin', 'credcore.js'), 'verify', '--format', 'summary', '--workers', '2', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let peak = 0;
    const timer = setInterval(() => { peak = Math.max(peak, peakRss(child.pid)); }, 100);
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; peak = Math.max(peak, peakRss(child.pid)); });
    const [code] = await once(child, 'exit');
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`credcore verify exited ${code}: ${stdout}`);
    console.log(`\n## CLI: credcore verify --format summary, ${lines.toLocaleString('en-US')} lines, 2 workers`);
    console.log('| lines | seconds | lines/s | peak RSS MB |');
    console.log('|---:|---:|---:|---:|');
    console.log(`| ${lines.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(lines / seconds).toLocaleString('en-US')} | ${(peak / 2 ** 20).toFixed(0)} |`);
    target('CLI peak RSS MB', peak / 2 ** 20, 256, '<=');
    return { seconds, peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const items = env('POOL_ITEMS', 20_000);
  const inputs = workload(items);
  await throughput(inputs, env('POOL_RUNS', 3));
  await withStatus(items, env('POOL_RUNS', 3));
  await server(inputs, { seconds: env('SERVER_SECONDS', 10), connections: env('SERVER_CONNECTIONS', 64) });
  await cli(inputs, env('CLI_LINES', 1_000_000));
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
