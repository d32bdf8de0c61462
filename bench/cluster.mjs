// The clustered example service (examples/server/server.js, PROCESSES=N, one pool worker each)
// under autocannon on 127.0.0.1, sharing a local redis-server; N from 1 up to the cores found.
// Bounded: BENCH_CLUSTER_SECONDS per run (default 6, after 2 s of warm-up), fixed connections
// (BENCH_CLUSTER_CONNECTIONS, 32), BENCH_CLUSTER_ROUNDS rounds (3). The load generator runs in
// this process, on the same cores as the service.
//
//   1. Throughput by processes: POST /verify/batch of 16 distinct VC-JWTs a request, and POST
//      /verify of one (micro-batched); requests/s, items/s, p50/p99 latency; the ratio against
//      one process, and the cores kept busy by the service and by the load generator (what
//      bounds the ratio on a small machine: a process that already keeps both cores busy
//      cannot be doubled there). The process counts take turns, round after round, and each figure is the
//      median of its rounds, so that a shared machine's drift hits every count alike.
//   2. Shared status lists: credentials naming K lists of a local issuer (5 ms per fetch), each
//      list named by requests that reach every process: the L2 hit ratio (lookups that missed a
//      process's memory and were answered by Redis), fetches from the issuer against K, and
//      Redis round trips per verified item.
//   3. Single-use nonces: presentations each consuming a nonce issued beforehand: Redis round
//      trips per verified item (consumptions of concurrent calls share one).
//
// Run: node bench/cluster.mjs (after make build), or BENCH=cluster make bench.

import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, issueCredential, createPresentation, sdJwt, StatusList, Verifier } from '../pkg/index.node.js';
import { createRedisStore } from '../pkg/redis.js';
import { startRedis } from '../scripts/redis-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CLUSTER_CONNECTIONS ?? 32);
const BATCH = Number(process.env.BENCH_CLUSTER_BATCH ?? 16);
const LISTS = 64;

async function startService(env) {
  const child = spawn(process.execPath, [`${root}examples/server/server.js`], {
    env: { ...process.env, PORT: '0', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let out = '';
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}): ${stderr}`)));
  });
  return {
    origin,
    /** CPU seconds used so far by the service's processes. */
    cpu: () => treeCpuSeconds(child.pid),
    async metrics() {
      return (await (await fetch(`${origin}/metrics.json`)).json()).processes;
    },
    stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** CPU seconds (user + system) used so far by process `pid` and its descendants (Linux /proc; 0 elsewhere). */
function treeCpuSeconds(pid) {
  let stats;
  try {
    stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => {
      try {
        // Fields after the command name (which may hold spaces): ppid is the 2nd, utime and stime the 12th and 13th.
        const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ').pop().split(' ');
        return { pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
      } catch {
        return null;
      }
    }).filter(Boolean);
  } catch {
    return 0;
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of stats) if (!tree.has(p.pid) && tree.has(p.ppid)) { tree.add(p.pid); grew = true; }
  }
  // USER_HZ is 100 on Linux.
  return stats.filter((p) => tree.has(p.pid)).reduce((n, p) => n + p.ticks, 0) / 100;
}

/** autocannon for `seconds` on POST `path`, each request's body the next of `bodies` (cycling). */
function load(origin, path, bodies, seconds) {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url: origin,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [{
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Waits until the service's item counts stop moving (requests left in flight by autocannon's deadline). */
async function settle(service) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = sum(await service.metrics(), (m) => m.items.valid + m.items.invalid + (m.nonces?.consumed ?? 0));
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sum = (processes, pick) => processes.reduce((n, p) => n + pick(p.metrics), 0);

export async function run() {
  const cores = availableParallelism();
  const counts = [...new Set([1, 2, ...Array.from({ length: Math.max(0, cores - 2) }, (_, i) => i + 3)])].filter((n) => n <= Math.max(2, cores));
  const redis = await startRedis();
  const issuer = generateKeyPair();
  const holder = generateKeyPair();
  try {
    console.log(`\n## Clustered service: processes (one pool worker each) on ${cores} cores, autocannon ${CONNECTIONS} connections, ${SECONDS} s a run`);

    // 1. Throughput by processes. Distinct credentials, so that results come from verification,
    // not from a process's result cache (the service's cache is on, as deployed).
    const vcs = Array.from({ length: 40_000 }, (_, i) => issueCredential({ credentialSubject: { id: holder.did, n: i } }, { issuer, expiresIn: 3600 }));
    const batchBodies = [];
    for (let i = 0; i + BATCH <= vcs.length; i += BATCH) batchBodies.push(JSON.stringify({ inputs: vcs.slice(i, i + BATCH) }));
    const singleBodies = vcs.map((input) => JSON.stringify({ input }));
    const workloads = [[`/verify/batch (${BATCH} items)`, '/verify/batch', batchBodies, BATCH], ['/verify (1 item)', '/verify', singleBodies, 1]];
    /** name -> processes -> runs */
    const runs = new Map(workloads.map(([name]) => [name, new Map(counts.map((n) => [n, []]))]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of counts) {
        const service = await startService({ PROCESSES: String(n), REDIS_URL: redis.url });
        try {
          for (const [name, path, bodies, items] of workloads) {
            await load(service.origin, path, bodies, 2);
            const [cpu0, own0, t0] = [service.cpu(), process.cpuUsage(), performance.now()];
            const r = await load(service.origin, path, bodies, SECONDS);
            const wall = (performance.now() - t0) / 1000;
            const own = process.cpuUsage(own0);
            runs.get(name).get(n).push({
              rps: r.requests.average, items: r.requests.average * items, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts,
              // Cores kept busy, on average, by the service and by the load generator (this process).
              serviceCores: (service.cpu() - cpu0) / wall, loadCores: (own.user + own.system) / 1e6 / wall,
            });
          }
        } finally {
          await service.stop();
        }
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`| workload | processes | requests/s | items/s | p50 ms | p99 ms | errors | service cores busy | load generator cores | vs 1 process (median of ${ROUNDS} paired rounds) |`);
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name] of workloads) {
      const ones = runs.get(name).get(1);
      for (const n of counts) {
        const rs = runs.get(name).get(n);
        // Each round's ratio against the one-process run of the same round (adjacent in time).
        const ratios = rs.map((r, round) => r.items / ones[round].items);
        const all = ratios.map((x) => x.toFixed(2)).join(', ');
        console.log(`| ${name} | ${n} | ${Math.round(median(rs.map((r) => r.rps))).toLocaleString('en-US')} | ${Math.round(median(rs.map((r) => r.items))).toLocaleString('en-US')} | ${median(rs.map((r) => r.p50))} | ${median(rs.map((r) => r.p99))} | ${rs.reduce((k, r) => k + r.errors, 0)} | ${median(rs.map((r) => r.serviceCores)).toFixed(2)} | ${median(rs.map((r) => r.loadCores)).toFixed(2)} | ${median(ratios).toFixed(2)}x (rounds: ${all}) |`);
      }
    }

    // 2. Shared status lists: K lists at a local issuer; every request names one, in turn, and
    // each process sees only part of the requests of each list.
    let fetches = 0;
    const lists = [];
    const publisher = createServer((req, res) => {
      fetches++;
      const list = lists[Number(req.url.split('/').pop())];
      setTimeout(() => res.writeHead(list ? 200 : 404).end(list ? list.sign() : ''), 5);
    });
    await new Promise((r) => publisher.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${publisher.address().port}`;
    const statusBodies = [];
    for (let k = 0; k < LISTS; k++) {
      const list = new StatusList({ format: 'ietf', uri: `${origin}/status/${k}`, size: 1024, bits: 2, issuer });
      lists.push(list);
    }
    for (let i = 0; i < 4096; i++) {
      const list = lists[i % LISTS];
      const idx = list.allocate();
      statusBodies.push(JSON.stringify({ input: sdJwt.issue({ vct: 'urn:example:pid', n: i, status: { status_list: { idx, uri: list.config.uri } } }, { issuer, expiresIn: 3600 }) }));
    }
    const n = Math.max(2, Math.min(cores, 4));
    const service = await startService({ PROCESSES: String(n), REDIS_URL: redis.url, REDIS_PREFIX: `bench${Date.now()}:`, STATUS_LIST_ORIGINS: origin });
    try {
      const r = await load(service.origin, '/verify', statusBodies, Math.min(SECONDS, 4));
      await settle(service);
      const processes = await service.metrics();
      const l1 = { hits: sum(processes, (m) => m.levels.statusLists.l1.hits), misses: sum(processes, (m) => m.levels.statusLists.l1.misses) };
      const l2 = { hits: sum(processes, (m) => m.levels.statusLists.l2.hits), misses: sum(processes, (m) => m.levels.statusLists.l2.misses) };
      const items = sum(processes, (m) => m.items.valid + m.items.invalid);
      const trips = sum(processes, (m) => m.store?.roundTrips ?? 0);
      const valid = sum(processes, (m) => m.items.valid);
      console.log(`\n### Shared status lists: ${n} processes, ${LISTS} lists, ${Math.round(r.requests.average).toLocaleString('en-US')} requests/s`);
      console.log('| figure | value |');
      console.log('|---|---:|');
      console.log(`| items verified (valid) | ${items.toLocaleString('en-US')} (${valid.toLocaleString('en-US')}) |`);
      console.log(`| lookups that missed a process's memory (L1) | ${l1.misses} |`);
      console.log(`| of those, answered by Redis (L2 hit ratio) | ${l2.hits} of ${l2.hits + l2.misses} (${((100 * l2.hits) / Math.max(1, l2.hits + l2.misses)).toFixed(1)}%) |`);
      console.log(`| fetches from the issuer (lists: ${LISTS}; without Redis each process would fetch each: up to ${LISTS * n}) | ${fetches} |`);
      console.log(`| Redis round trips per verified item | ${(trips / Math.max(1, items)).toFixed(4)} (${trips} for ${items.toLocaleString('en-US')}) |`);
    } finally {
      await service.stop();
      await new Promise((r) => publisher.close(r));
    }

    // 3. Single-use nonces: each presentation consumes one nonce, issued beforehand through the
    // same store (as POST /nonce would).
    const prefix = `bench-nonce${Date.now()}:`;
    const store = createRedisStore({ url: redis.url, prefix });
    await store.ready(5000);
    const issuing = new Verifier({ store });
    const audience = 'https://verifier.example';
    const nonceBodies = [];
    for (let i = 0; i < 24_000; i += 500) {
      const nonces = await Promise.all(Array.from({ length: 500 }, () => issuing.issueNonce({ ttlSeconds: 600 })));
      for (const nonce of nonces) nonceBodies.push(JSON.stringify({ input: createPresentation([vcs[nonceBodies.length % vcs.length]], { holder, nonce, audience, format: 'vp-jwt' }), options: { consumeNonce: true, audience } }));
    }
    issuing.free();
    await store.close();
    const nonceService = await startService({ PROCESSES: String(n), REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    try {
      const r = await load(nonceService.origin, '/verify', nonceBodies, Math.min(SECONDS, 4));
      // autocannon stops at its deadline with requests in flight; the service finishes them
      // (their nonces are consumed) before the counts are read.
      await settle(nonceService);
      const processes = await nonceService.metrics();
      const consumed = sum(processes, (m) => m.nonces.consumed);
      const outcomes = {};
      for (const p of processes) for (const [k, v] of Object.entries(p.metrics.nonces)) if (k !== 'issued' && k !== 'consumed' && v) outcomes[k] = (outcomes[k] ?? 0) + v;
      const items = sum(processes, (m) => m.items.valid + m.items.invalid);
      const trips = sum(processes, (m) => m.store?.roundTrips ?? 0);
      const refused = {};
      for (const p of processes) for (const [code, k] of Object.entries(p.metrics.errors)) refused[code] = (refused[code] ?? 0) + k;
      console.log(`\n### Single-use nonces: ${n} processes, ${Math.round(r.requests.average).toLocaleString('en-US')} requests/s, p99 ${r.latency.p99} ms`);
      console.log('| figure | value |');
      console.log('|---|---:|');
      console.log(`| presentations verified; nonces consumed | ${items.toLocaleString('en-US')}; ${consumed.toLocaleString('en-US')} (of ${nonceBodies.length.toLocaleString('en-US')} issued) |`);
      console.log(`| refused, by code | ${JSON.stringify(refused)} |`);
      console.log(`| nonce outcomes other than consumed | ${JSON.stringify(outcomes)} |`);
      console.log(`| Redis round trips per verified item | ${(trips / Math.max(1, items)).toFixed(4)} (${trips} for ${items.toLocaleString('en-US')}) |`);
    } finally {
      await nonceService.stop();
    }
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
