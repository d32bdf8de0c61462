#!/usr/bin/env node
// Soak test of the example service (examples/server/server.js), `make soak`; not part of
// `make test`. Starts the server on a free port with KILL_WORKER_ON_SIGUSR2=1, drives it from
// many concurrent clients with a mix of valid, forged (bad signature), malformed and oversized
// requests, sends it SIGUSR2 (one pool worker terminated, as a crash would) at a fixed interval,
// checks every answer against one-thread verification in this process, and prints: requests sent
// and answered, answers by HTTP status and by error code, latency percentiles, the server's RSS at
// start and at end, worker restarts. Exits 1 if any request got no answer or a wrong one, if the
// pool did not recover its workers, or if the server did not shut down cleanly on SIGTERM.
//
// Environment: SOAK_SECONDS (default 600), SOAK_KILL_EVERY_MS (default 60,000; 0 for none),
// SOAK_CLIENTS (concurrent clients, default 32), SOAK_WORKERS (server pool workers, default 2),
// SOAK_ANSWER_TIMEOUT_MS (a request not answered within this counts as unanswered, default 30,000),
// SOAK_SAMPLE_MS (memory timeline: the server's RSS, JS heap, external and ArrayBuffer bytes, and
// the wasm linear memory of its main instance and of each pool worker, default 5,000),
// SOAK_WARMUP_SECONDS (memory before it is warm-up, default 120, at most half the run: the V8
// heaps of the server and its workers size themselves to the load in the first minutes),
// SOAK_MAX_RSS_GROWTH_MIB (RSS at the end may exceed RSS after warm-up by this much, each the
// median of three samples; default 24), SOAK_TIMELINE (a file to write the samples to, JSON lines).
// Needs the built package (`make build`).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from '../pkg/index.node.js';
import { mixedWorkload, outcomes } from '../tests/js/lib/workload.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

const SECONDS = intEnv('SOAK_SECONDS', 600);
const KILL_EVERY_MS = intEnv('SOAK_KILL_EVERY_MS', 60_000);
const CLIENTS = intEnv('SOAK_CLIENTS', 32);
const WORKERS = intEnv('SOAK_WORKERS', 2);
const ANSWER_TIMEOUT_MS = intEnv('SOAK_ANSWER_TIMEOUT_MS', 30_000);
const SAMPLE_MS = Math.max(500, intEnv('SOAK_SAMPLE_MS', 5_000));
const WARMUP_SECONDS = Math.min(intEnv('SOAK_WARMUP_SECONDS', 120), SECONDS / 2);
const MAX_RSS_GROWTH_MIB = intEnv('SOAK_MAX_RSS_GROWTH_MIB', 24);
const TIMELINE_FILE = process.env.SOAK_TIMELINE ?? '';
const MAX_BODY_BYTES = 65_536;
// mixedWorkload issues credentials valid for an hour: make a fresh one well before that.
const WORKLOAD_MAX_AGE_MS = 20 * 60_000;
const WORKLOAD_SIZE = 700;

// ---- the server ------------------------------------------------------------------------------

const child = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: '0', WORKERS: String(WORKERS), MAX_BODY_BYTES: String(MAX_BODY_BYTES), KILL_WORKER_ON_SIGUSR2: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
let serverStderr = '';
child.stderr.on('data', (d) => { serverStderr += d; });
let first = '';
for await (const chunk of child.stdout) {
  first += chunk;
  if (first.includes('\n')) break;
}
const match = first.match(/^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m);
if (!match) {
  process.stderr.write(`soak: the server did not start: ${first}\n${serverStderr}`);
  process.exit(1);
}
const origin = match[1];
const port = Number(match[2]);
child.stdout.resume();

function rssKiB() {
  try {
    return Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)[1]);
  } catch {
    return NaN;
  }
}

// ---- what to send, and what the answer must be -------------------------------------------------

let workload;
function refreshWorkload() {
  const w = mixedWorkload(c, WORKLOAD_SIZE, { tag: `soak ${Date.now()}` });
  // The server has no trusted-issuer list and no status-list resolver: verify here the same way.
  const want = outcomes(c.verifyBatch(w.inputs, {}));
  const byKind = (pred) => w.inputs.map((input, i) => ({ input, want: want[i] })).filter((_, i) => pred(w.kinds[i], want[i]));
  workload = {
    made: Date.now(),
    all: byKind(() => true),
    valid: byKind((_, o) => o === 'valid'),
    forged: byKind((kind) => kind === 'forged'),
  };
}
refreshWorkload();

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const deep = (n) => `{"input":${'['.repeat(n)}${']'.repeat(n)}}`;

const MALFORMED = [
  { name: 'not JSON', method: 'POST', path: '/verify', body: '{nope', status: 400, code: 'MALFORMED_INPUT' },
  { name: 'no input', method: 'POST', path: '/verify', body: '{"inputs":[]}', status: 400, code: 'MALFORMED_INPUT' },
  { name: 'not UTF-8', method: 'POST', path: '/verify', body: Buffer.from('{"input":"\xff\xfe"}', 'latin1'), status: 400, code: 'MALFORMED_INPUT' },
  { name: 'deep nesting', method: 'POST', path: '/verify', body: deep(10_000), status: 413, code: 'INPUT_TOO_LARGE' },
  { name: 'batch not an array', method: 'POST', path: '/verify/batch', body: '{"inputs":{}}', status: 400, code: 'MALFORMED_INPUT' },
  { name: 'wrong method', method: 'GET', path: '/verify', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'unknown route', method: 'GET', path: '/nowhere', status: 404, code: 'NOT_FOUND' },
];
const OVERSIZED_BODY = JSON.stringify({ input: 'x'.repeat(MAX_BODY_BYTES + 100) });

/** One request of the mix: `{ kind, run: () => Promise<{ status, code, ok }> }`. */
function nextRequest() {
  if (Date.now() - workload.made > WORKLOAD_MAX_AGE_MS) refreshWorkload();
  const r = Math.random() * 100;
  if (r < 35) return single('valid', pick(workload.valid));
  if (r < 50) return single('forged', pick(workload.forged));
  if (r < 65) return single('mixed', pick(workload.all));
  if (r < 72) return batch();
  if (r < 87) return malformed(pick(MALFORMED));
  if (r < 93) return { kind: 'oversized', run: () => httpRequest('POST', '/verify', OVERSIZED_BODY, { status: 413, code: 'INPUT_TOO_LARGE' }) };
  return { kind: 'oversized-chunked', run: oversizedChunked };
}

const outcomeOf = (result) => (result.valid ? 'valid' : result.errors?.[0]?.code);

function single(kind, item) {
  return {
    kind,
    run: async () => {
      const res = await fetch(`${origin}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: item.input }), signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
      const body = await res.json();
      if (res.status !== 200) return { status: res.status, code: body?.error?.code, ok: false };
      const got = outcomeOf(body);
      return { status: 200, code: got, ok: got === item.want };
    },
  };
}

function batch() {
  const items = Array.from({ length: 32 }, () => pick(workload.all));
  return {
    kind: 'batch',
    run: async () => {
      const res = await fetch(`${origin}/verify/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: items.map((x) => x.input) }), signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
      const body = await res.json();
      if (res.status !== 200) return { status: res.status, code: body?.error?.code, ok: false };
      const got = body.results.map(outcomeOf);
      const ok = got.length === items.length && got.every((o, i) => o === items[i].want);
      return { status: 200, code: 'batch', ok, codes: got };
    },
  };
}

function malformed(m) {
  return { kind: `malformed: ${m.name}`, run: () => httpRequest(m.method, m.path, m.body, m) };
}

async function httpRequest(method, path, body, want) {
  const res = await fetch(`${origin}${path}`, { method, body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
  const text = await res.text();
  let code;
  try {
    code = JSON.parse(text)?.error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.status, code, ok: res.status === want.status && code === want.code };
}

/** A chunked body streamed over a raw socket until the server answers (it must: 413). */
function oversizedChunked() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunk = 'y'.repeat(16_384);
    const frame = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    let text = '';
    let sent = 0;
    const timer = setTimeout(() => socket.destroy(new Error('no answer in time')), ANSWER_TIMEOUT_MS);
    const answered = () => text.includes('\r\n\r\n');
    const pump = () => {
      while (!answered() && sent < 4 * 1024 * 1024 && socket.writable) {
        sent += frame.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('connect', () => {
      socket.write('POST /verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      pump();
    });
    socket.on('data', (d) => { text += d; });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        reject(new Error(`no HTTP answer after ${sent} bytes`));
        return;
      }
      const status = Number(text.slice(0, end).split(' ')[1]);
      let code;
      try {
        code = JSON.parse(text.slice(end + 4))?.error?.code;
      } catch {
        code = undefined;
      }
      resolve({ status, code, ok: status === 413 && code === 'INPUT_TOO_LARGE' });
    });
  });
}

// ---- the run ---------------------------------------------------------------------------------

const stats = {
  sent: 0,
  answered: 0,
  unanswered: 0,
  wrong: 0,
  byStatus: new Map(),
  byCode: new Map(),
  byKind: new Map(),
  latencies: [],
  failures: [],
};
const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

async function client(deadline) {
  while (Date.now() < deadline) {
    const request = nextRequest();
    const started = performance.now();
    stats.sent++;
    let answer;
    try {
      answer = await request.run();
    } catch (err) {
      stats.unanswered++;
      if (stats.failures.length < 10) stats.failures.push(`${request.kind}: no answer (${err?.cause?.code ?? err?.message ?? err})`);
      continue;
    }
    const ms = performance.now() - started;
    stats.answered++;
    stats.latencies.push(ms);
    bump(stats.byStatus, answer.status);
    if (answer.codes) for (const code of answer.codes) bump(stats.byCode, code);
    else bump(stats.byCode, answer.code ?? '(none)');
    const kind = stats.byKind.get(request.kind) ?? { n: 0, latencies: [] };
    kind.n++;
    kind.latencies.push(ms);
    stats.byKind.set(request.kind, kind);
    if (!answer.ok) {
      stats.wrong++;
      if (stats.failures.length < 10) stats.failures.push(`${request.kind}: wrong answer ${answer.status} ${answer.code}`);
    }
  }
}

const rssStart = rssKiB();
let rssPeak = rssStart;
const rssTimer = setInterval(() => { rssPeak = Math.max(rssPeak, rssKiB()); }, 1000);

// The memory timeline: where the server's memory is, every SAMPLE_MS.
const samples = [];
const soakStart = Date.now();
async function sample() {
  const at = (Date.now() - soakStart) / 1000;
  const rss = rssKiB() * 1024;
  try {
    const res = await fetch(`${origin}/metrics.json`, { signal: AbortSignal.timeout(5000) });
    const { memory, metrics } = (await res.json()).processes[0];
    samples.push({
      at, rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers,
      wasmMain: metrics.memory?.main ?? NaN, wasmWorkers: metrics.memory?.workers ?? [], recycles: metrics.memory?.recycles ?? 0,
      cacheEntries: Object.values(metrics.caches ?? {}).reduce((n, c) => n + (c.entries ?? 0), 0), workers: metrics.workers.live,
    });
  } catch {
    samples.push({ at, rss });
  }
}
await sample();
const sampleTimer = setInterval(sample, SAMPLE_MS);
let kills = 0;
const killTimer = KILL_EVERY_MS > 0
  ? setInterval(() => {
    kills++;
    child.kill('SIGUSR2');
  }, KILL_EVERY_MS)
  : null;
let lastReport = Date.now();
const progress = setInterval(() => {
  if (!process.stderr.isTTY && Date.now() - lastReport < 60_000) return;
  lastReport = Date.now();
  process.stderr.write(`soak: ${stats.sent} sent, ${stats.answered} answered, ${stats.unanswered} unanswered, ${stats.wrong} wrong, ${kills} workers killed\n`);
}, 10_000);

process.stdout.write(`soak: ${SECONDS} s against ${origin}, ${CLIENTS} clients, ${WORKERS} pool workers, one killed every ${KILL_EVERY_MS || '(never)'} ms\n`);
const t0 = performance.now();
const deadline = Date.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, () => client(deadline)));
const elapsed = (performance.now() - t0) / 1000;
clearInterval(killTimer);
clearInterval(progress);
clearInterval(rssTimer);
clearInterval(sampleTimer);
await sample();

// Let a kill sent just before the end be replaced, then read the server's own view.
let health = null;
for (let i = 0; i < 50; i++) {
  try {
    health = await (await fetch(`${origin}/healthz`)).json();
    if (health.workers === WORKERS) break;
  } catch {
    health = null;
  }
  await new Promise((r) => setTimeout(r, 100));
}
const metrics = await (await fetch(`${origin}/metrics`)).text();
const restarts = Number(metrics.match(/^credcore_worker_restarts_total\{reason="crash"\} (\S+)$/m)?.[1] ?? 0);
const retries = Number(metrics.match(/^credcore_retries_total (\S+)$/m)?.[1] ?? NaN);
const rssEnd = rssKiB();
rssPeak = Math.max(rssPeak, rssEnd);

const exited = once(child, 'exit');
child.kill('SIGTERM');
const exitTimer = setTimeout(() => child.kill('SIGKILL'), 30_000);
const [exitCode, exitSignal] = await exited;
clearTimeout(exitTimer);

// ---- report ----------------------------------------------------------------------------------

const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(1);
const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length === 0 ? NaN : v[Math.floor((v.length - 1) / 2)];
};
const full = samples.filter((x) => x.heapUsed !== undefined);
/** The median of each field over three samples from `i` on. */
function around(i) {
  const window = full.slice(Math.max(0, Math.min(i, full.length - 3)), Math.max(0, Math.min(i, full.length - 3)) + 3);
  const field = (f) => median(window.map(f));
  return {
    at: field((x) => x.at), rss: field((x) => x.rss), heapUsed: field((x) => x.heapUsed), external: field((x) => x.external),
    arrayBuffers: field((x) => x.arrayBuffers), wasmMain: field((x) => x.wasmMain),
    wasmWorkers: field((x) => x.wasmWorkers.reduce((a, b) => a + b, 0)), cacheEntries: field((x) => x.cacheEntries),
  };
}
const warmIndex = full.findIndex((x) => x.at >= WARMUP_SECONDS);
const points = full.length >= 6 && warmIndex >= 0 ? { start: around(0), warm: around(warmIndex), end: around(full.length - 3) } : null;
const memoryGrowth = points === null ? null : { rss: points.end.rss - points.warm.rss };
if (TIMELINE_FILE !== '') writeFileSync(TIMELINE_FILE, samples.map((x) => JSON.stringify(x)).join('\n') + '\n');

/** Start, after warm-up and end (medians of three samples each), and RSS over time. */
function timelineSummary() {
  if (points === null) return [`memory timeline: ${samples.length} samples, too few to summarize`];
  const row = (name, p) => `  ${name} (${p.at.toFixed(0)} s): RSS ${mb(p.rss)}, heapUsed ${mb(p.heapUsed)}, external ${mb(p.external)} (arrayBuffers ${mb(p.arrayBuffers)}), wasm main ${mb(p.wasmMain)}, wasm workers ${mb(p.wasmWorkers)}, worker cache entries ${p.cacheEntries}`;
  const last = full[full.length - 1];
  const every = Math.max(1, Math.ceil(full.length / 12));
  return [
    `memory timeline (MiB; ${samples.length} samples every ${SAMPLE_MS} ms, warm-up ${WARMUP_SECONDS} s, medians of three samples):`,
    row('start', points.start),
    row('after warm-up', points.warm),
    row('end', points.end),
    `  RSS after warm-up to end: ${memoryGrowth.rss >= 0 ? '+' : ''}${mb(memoryGrowth.rss)} MiB; worker instances recycled: ${last.recycles}`,
    `  RSS over time: ${full.filter((_, i) => i % every === 0 || i === full.length - 1).map((x) => `${x.at.toFixed(0)}s ${mb(x.rss)}`).join(', ')}`,
  ];
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (v) => v.toFixed(1);
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
const table = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');

const lines = [
  `duration: ${elapsed.toFixed(1)} s, ${(stats.answered / elapsed).toFixed(0)} answers/s`,
  `requests: sent ${stats.sent}, answered ${stats.answered}, no answer ${stats.unanswered}, wrong answer ${stats.wrong}`,
  `answers by HTTP status: ${table(stats.byStatus)}`,
  `answers by error code (batch items counted one by one): ${table(stats.byCode)}`,
  `latency: p50 ${ms(percentile(stats.latencies, 50))} ms, p99 ${ms(percentile(stats.latencies, 99))} ms, max ${ms(stats.latencies.reduce((a, b) => (b > a ? b : a), 0))} ms`,
  'by request kind (n, p50, p99 ms):',
  ...[...stats.byKind.entries()].sort().map(([kind, k]) => `  ${kind}: ${k.n}, ${ms(percentile(k.latencies, 50))}, ${ms(percentile(k.latencies, 99))}`),
  `server RSS: start ${mib(rssStart)}, end ${mib(rssEnd)}, peak ${mib(rssPeak)}`,
  ...timelineSummary(),
  `workers: ${kills} killed, ${restarts} replaced after a crash, ${retries} chunks retried, ${health?.workers ?? '?'} of ${WORKERS} live at the end`,
  `server exit after SIGTERM: ${exitSignal ?? exitCode}`,
];
process.stdout.write(`${lines.join('\n')}\n`);

const problems = [];
if (memoryGrowth !== null && memoryGrowth.rss > MAX_RSS_GROWTH_MIB * 1024 * 1024) problems.push(`RSS grew by ${mb(memoryGrowth.rss)} MiB after warm-up (at most ${MAX_RSS_GROWTH_MIB})`);
if (stats.unanswered > 0) problems.push(`${stats.unanswered} requests got no answer`);
if (stats.wrong > 0) problems.push(`${stats.wrong} requests got a wrong answer`);
if (stats.answered === 0) problems.push('no request was answered');
if (health?.workers !== WORKERS) problems.push(`the pool has ${health?.workers} workers, not ${WORKERS}`);
if (restarts !== kills) problems.push(`${kills} workers killed but ${restarts} replaced`);
if (exitCode !== 0) problems.push(`the server exited with ${exitSignal ?? exitCode}`);
if (/internal error|cannot answer/.test(serverStderr)) problems.push('the server logged internal errors');
for (const f of stats.failures) process.stdout.write(`  ${f}\n`);
if (problems.length > 0) {
  process.stdout.write(`soak FAILED: ${problems.join('; ')}\n`);
  if (serverStderr) process.stdout.write(`server stderr (last 2000 chars):\n${serverStderr.slice(-2000)}\n`);
  process.exit(1);
}
process.stdout.write('soak passed\n');
