// The example service in several real processes sharing a real Redis: two separate services
// (process A and process B, each on its own port) for what one process does that another must
// see, and one clustered service (PROCESSES=2, one port) under faults: Redis absent at start,
// killed under load, restarted. Every request gets an answer; nothing that needs the store
// passes while it is down; the service recovers by itself. Bounded, on 127.0.0.1 only.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest, createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, issueCredential, createPresentation, StatusList, sdJwt, AuditLog, keyPairFromSeed } from 'credcore';
import { createRedisStore } from 'credcore/redis';
import { startRedis, freePort } from './lib/redis.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const SESSION_KEY = 'ab'.repeat(32);
const audience = 'https://verifier.example';
const issuer = generateKeyPair();
const holder = generateKeyPair();
const vc = issueCredential({ credentialSubject: { id: holder.did, degree: 'BSc' } }, { issuer, expiresIn: 3600 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts examples/server/server.js; resolves once it says where it listens. */
async function startService(env) {
  const child = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], {
    env: { ...process.env, PORT: '0', WORKERS: '1', SESSION_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let out = '';
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${stderr}`)); });
  });
  return {
    child,
    origin,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * One request on a new connection (so that a clustered service hands each to the next process);
 * resolves `{ status, body, pid }`, or `{ status: 0, error }` when no answer came.
 */
function call(origin, method, path, body) {
  return new Promise((resolve) => {
    const url = new URL(path, origin);
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, { method, agent: false, headers: data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: 15_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(text); } catch { parsed = text; }
        resolve({ status: res.statusCode, body: parsed, pid: Number(res.headers['x-credcore-process']) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: String(error.message) }));
    req.end(data);
  });
}

const firstCode = (r) => r.body?.errors?.[0]?.code ?? r.body?.error?.code;

describe('cluster: two processes, one Redis', () => {
  let redis;
  let a;
  let b;
  let publisher;
  let list;
  let fetches = 0;
  const TTL = 1;
  let statusVc;

  before(async () => {
    redis = await startRedis();
    // The issuer's status list, served on 127.0.0.1 as an issuer would serve it.
    publisher = createServer((req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(list.sign());
    });
    await new Promise((r) => publisher.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${publisher.address().port}`;
    const uri = `${origin}/status/1`;
    list = new StatusList({ format: 'ietf', uri, size: 1024, bits: 2, issuer });
    const idx = list.allocate();
    statusVc = { idx, token: sdJwt.issue({ vct: 'urn:example:pid', given_name: 'Ada', status: { status_list: { idx, uri } } }, { issuer, expiresIn: 3600 }) };
    const env = { REDIS_URL: redis.url, STATUS_LIST_ORIGINS: origin, CACHE_TTL_SECONDS: String(TTL) };
    [a, b] = await Promise.all([startService(env), startService(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await new Promise((r) => publisher?.close(r));
    await redis?.stop();
  });

  test('a session revoked in A is SESSION_REVOKED in B at once', async () => {
    const created = await call(a.origin, 'POST', '/session', { input: vc });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { token, session } = created.body;
    const atB = await call(b.origin, 'POST', '/session/validate', { token });
    assert.equal(atB.status, 200);
    assert.equal(atB.body.session.id, session.id);
    assert.notEqual(atB.pid, created.pid, 'two processes');
    const revoked = await call(a.origin, 'POST', '/session/revoke', { token });
    assert.deepEqual(revoked.body, { revoked: true });
    const after = await call(b.origin, 'POST', '/session/validate', { token });
    assert.equal(after.status, 401);
    assert.equal(firstCode(after), 'SESSION_REVOKED');
  });

  test('a nonce consumed in A is NONCE_REPLAYED in B', async () => {
    const issued = await call(a.origin, 'POST', '/nonce', {});
    assert.equal(issued.status, 200);
    const vp = createPresentation([vc], { holder, nonce: issued.body.nonce, audience, format: 'vp-jwt' });
    const options = { consumeNonce: true, audience };
    const atA = await call(a.origin, 'POST', '/verify', { input: vp, options });
    assert.equal(atA.body.valid, true, JSON.stringify(atA.body.errors));
    const atB = await call(b.origin, 'POST', '/verify', { input: vp, options });
    assert.equal(atB.status, 200);
    assert.equal(atB.body.valid, false);
    assert.equal(firstCode(atB), 'NONCE_REPLAYED');
    assert.equal(atB.body.claims, null);
  });

  test('a list fetched by A is served to B from Redis; a new list is B\'s verdict within 2 x CACHE_TTL_SECONDS', async () => {
    const atA = await call(a.origin, 'POST', '/verify', { input: statusVc.token });
    assert.equal(atA.body.valid, true, JSON.stringify(atA.body.errors));
    assert.equal(fetches, 1);
    const atB = await call(b.origin, 'POST', '/verify', { input: statusVc.token });
    assert.equal(atB.body.valid, true, JSON.stringify(atB.body.errors));
    assert.equal(fetches, 1, 'B read the list from Redis, not from the issuer');
    const levels = (await call(b.origin, 'GET', '/metrics.json')).body.processes[0].metrics.levels.statusLists;
    assert.equal(levels.l2.hits, 1);
    // The issuer revokes: within the documented bound (the list's text at most CACHE_TTL_SECONDS
    // old, the core's decoded copy as much again), B says REVOKED_CREDENTIAL.
    list.set(statusVc.idx, 1);
    const published = Date.now();
    let code;
    while (Date.now() - published < 2 * TTL * 1000 + 1500) {
      const r = await call(b.origin, 'POST', '/verify', { input: statusVc.token });
      code = firstCode(r);
      if (code === 'REVOKED_CREDENTIAL') break;
      assert.equal(r.body.valid, true);
      await sleep(100);
    }
    const elapsed = Date.now() - published;
    assert.equal(code, 'REVOKED_CREDENTIAL', `B still said valid ${elapsed} ms after the new list`);
    assert.ok(elapsed <= 2 * TTL * 1000 + 1500, `${elapsed} ms`);
  });
});

describe('cluster: PROCESSES=2 on one port, under faults', () => {
  test('requests are spread over both processes; a nonce consumed in one is NONCE_REPLAYED in the other', async () => {
    const redis = await startRedis();
    const service = await startService({ PROCESSES: '2', REDIS_URL: redis.url });
    try {
      const pids = new Set();
      for (let i = 0; i < 6; i++) pids.add((await call(service.origin, 'GET', '/healthz')).pid);
      assert.equal(pids.size, 2, `answered by ${[...pids]}`);
      const nonce = (await call(service.origin, 'POST', '/nonce', {})).body.nonce;
      const vp = createPresentation([vc], { holder, nonce, audience, format: 'vp-jwt' });
      const options = { consumeNonce: true, audience };
      const first = await call(service.origin, 'POST', '/verify', { input: vp, options });
      assert.equal(first.body.valid, true);
      const replays = [];
      for (let i = 0; i < 4; i++) replays.push(await call(service.origin, 'POST', '/verify', { input: vp, options }));
      assert.deepEqual(replays.map(firstCode), Array(4).fill('NONCE_REPLAYED'));
      assert.ok(replays.some((r) => r.pid !== first.pid), 'replayed at the other process');
      // /metrics speaks for both processes.
      const text = (await call(service.origin, 'GET', '/metrics')).body;
      for (const pid of pids) assert.match(text, new RegExp(`credcore_nonces_total\\{process="${pid}",outcome="issued"\\}`));
    } finally {
      assert.equal(await service.stop(), 0, service.stderr());
      await redis.stop();
    }
  });

  test('Redis absent at start: the service starts and verifies; nonces and sessions answer 503 STORE_UNAVAILABLE; it recovers when Redis appears', async () => {
    const port = await freePort();
    const service = await startService({ PROCESSES: '2', REDIS_URL: `redis://127.0.0.1:${port}` });
    let redis;
    try {
      const plain = await call(service.origin, 'POST', '/verify', { input: vc });
      assert.equal(plain.body.valid, true);
      const nonce = await call(service.origin, 'POST', '/nonce', {});
      assert.equal(nonce.status, 503);
      assert.equal(firstCode(nonce), 'STORE_UNAVAILABLE');
      const session = await call(service.origin, 'POST', '/session', { input: vc });
      assert.equal(session.status, 503);
      assert.equal(firstCode(session), 'STORE_UNAVAILABLE');
      redis = await startRedis({ port });
      const deadline = Date.now() + 10_000;
      let ok = 0;
      // Both processes reconnect by themselves: several answers in a row, on new connections.
      while (ok < 4 && Date.now() < deadline) {
        const r = await call(service.origin, 'POST', '/nonce', {});
        ok = r.status === 200 ? ok + 1 : 0;
        if (ok === 0) await sleep(100);
      }
      assert.equal(ok, 4, 'recovered');
    } finally {
      assert.equal(await service.stop(), 0, service.stderr());
      await redis?.stop();
    }
  });

  test('Redis killed under load and restarted: every request answered, nothing that needs the store passes, no process dies, recovery', async (t) => {
    const redis = await startRedis();
    const service = await startService({ PROCESSES: '2', REDIS_URL: redis.url });
    try {
      const pids = new Set();
      for (let i = 0; i < 4; i++) pids.add((await call(service.origin, 'GET', '/healthz')).pid);
      const nonces = [];
      for (let i = 0; i < 300; i++) nonces.push((await call(service.origin, 'POST', '/nonce', {})).body.nonce);
      const token = (await call(service.origin, 'POST', '/session', { input: vc })).body.token;
      // 900 requests, 16 at a time: a third plain verifications, a third nonce consumptions (each
      // nonce once), a third session validations. Redis is killed after 300 and restarted after 600.
      const total = 900;
      let sent = 0;
      let answered = 0;
      const outcomes = { plain: {}, nonce: {}, session: {} };
      const count = (kind, key) => { outcomes[kind][key] = (outcomes[kind][key] ?? 0) + 1; };
      let next = 0;
      let killed = false;
      let restarted = null;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < total) {
          const i = next++;
          if (i === 300 && !killed) { killed = true; await redis.kill(); }
          if (i === 600 && restarted === null) restarted = redis.start();
          const kind = ['plain', 'nonce', 'session'][i % 3];
          sent++;
          let r;
          if (kind === 'plain') r = await call(service.origin, 'POST', '/verify', { input: vc });
          else if (kind === 'nonce') {
            const vp = createPresentation([vc], { holder, nonce: nonces[Math.floor(i / 3)], audience, format: 'vp-jwt' });
            r = await call(service.origin, 'POST', '/verify', { input: vp, options: { consumeNonce: true, audience } });
          } else r = await call(service.origin, 'POST', '/session/validate', { token });
          if (r.status !== 0) answered++;
          count(kind, r.status === 200 && r.body.valid === true ? 'valid' : r.status === 200 && r.body.session ? 'valid' : `${r.status}:${firstCode(r)}`);
        }
      }));
      await restarted;
      t.diagnostic(`sent ${sent}, answered ${answered}; outcomes ${JSON.stringify(outcomes)}`);
      assert.equal(sent, total);
      assert.equal(answered, sent, `sent ${sent}, answered ${answered}: ${JSON.stringify(outcomes)}`);
      // Plain verifications never needed the store.
      assert.deepEqual(outcomes.plain, { valid: 300 }, JSON.stringify(outcomes));
      // Nonce checks: valid while Redis answered; STORE_UNAVAILABLE while it was down; after the
      // restart the nonces are gone (no persistence): NONCE_MISMATCH, never valid.
      for (const key of Object.keys(outcomes.nonce)) assert.ok(['valid', '200:STORE_UNAVAILABLE', '200:NONCE_MISMATCH'].includes(key), key);
      assert.ok(outcomes.nonce['200:STORE_UNAVAILABLE'] > 0, JSON.stringify(outcomes.nonce));
      assert.ok(outcomes.nonce.valid > 0 && outcomes.nonce.valid <= 100, JSON.stringify(outcomes.nonce));
      for (const key of Object.keys(outcomes.session)) assert.ok(['valid', '503:STORE_UNAVAILABLE', '401:SESSION_REVOKED'].includes(key), key);
      assert.ok(outcomes.session['503:STORE_UNAVAILABLE'] > 0, JSON.stringify(outcomes.session));
      // Recovered: a fresh nonce is single use again, in both processes.
      let recovered = false;
      for (let i = 0; i < 50 && !recovered; i++) {
        const n = await call(service.origin, 'POST', '/nonce', {});
        if (n.status === 200) {
          const vp = createPresentation([vc], { holder, nonce: n.body.nonce, audience, format: 'vp-jwt' });
          recovered = (await call(service.origin, 'POST', '/verify', { input: vp, options: { consumeNonce: true, audience } })).body.valid === true;
        }
        if (!recovered) await sleep(100);
      }
      assert.ok(recovered, 'the service recovered by itself');
      // No process died (the primary would have replaced it under a new pid), and the store
      // errors were counted.
      const after = new Set();
      for (let i = 0; i < 4; i++) after.add((await call(service.origin, 'GET', '/healthz')).pid);
      assert.deepEqual([...after].sort(), [...pids].sort());
      const processes = (await call(service.origin, 'GET', '/metrics.json')).body.processes;
      assert.equal(processes.length, 2);
      const errors = processes.reduce((n, p) => n + p.metrics.store.errors, 0);
      assert.ok(errors > 0, 'store errors counted');
      assert.match((await call(service.origin, 'GET', '/metrics')).body, /credcore_store_errors_total\{process="\d+",kind="redis"\} [1-9]/);
    } finally {
      assert.equal(await service.stop(), 0, service.stderr());
      await redis.stop();
    }
  });
});

describe('cluster: audit chains of every process, verified together', () => {
  test('two processes, one chain each in AUDIT_DIR, checkpoints in Redis: all verify; an edit or a lost chain is found', async () => {
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'credcore-audit-'));
    const env = { AUDIT_DIR: dir, AUDIT_KEY: '11'.repeat(32), AUDIT_SIGNER_SEED: '22'.repeat(32), REDIS_URL: redis.url };
    const service = await startService({ PROCESSES: '2', AUDIT_CHECKPOINT_SECONDS: '1', ...env });
    const forged = `${vc.slice(0, -4)}AAAA`;
    let stopped = false;
    try {
      const pids = new Set();
      for (let i = 0; i < 20; i++) pids.add((await call(service.origin, 'POST', '/verify', { input: i % 5 === 0 ? forged : vc })).pid);
      for (let i = 0; i < 5; i++) await call(service.origin, 'POST', '/verify/batch', { inputs: [vc, vc, forged] });
      assert.equal(pids.size, 2);
      // Stopping publishes each chain's last checkpoint.
      assert.equal(await service.stop(), 0, service.stderr());
      stopped = true;
      const files = readdirSync(dir).sort();
      assert.deepEqual(files, ['chain-0.jsonl', 'chain-1.jsonl']);
      const store = createRedisStore({ url: redis.url });
      await store.ready(5000);
      const listed = await AuditLog.listChains(store);
      await store.close();
      assert.deepEqual(listed.map((c) => c.chainId), ['chain-0', 'chain-1']);
      const chains = Object.fromEntries(listed.map(({ chainId, checkpoint }) => [chainId, { entries: AuditLog.fromJsonl(readFileSync(join(dir, `${chainId}.jsonl`), 'utf8')), checkpoint }]));
      const entries = Object.values(chains).flatMap((c) => c.entries);
      assert.equal(entries.length, 20 + 15, 'one entry per verified item');
      assert.equal(entries.filter((e) => e.event.valid === false).length, 4 + 5);
      assert.ok(Object.values(chains).every((c) => c.entries.length > 0 && c.checkpoint.count === c.entries.length), 'the last checkpoints cover every entry');
      const signer = keyPairFromSeed(new Uint8Array(32).fill(0x22)).did;
      const keys = { k1: new Uint8Array(32).fill(0x11) };
      const expected = listed.map((c) => c.chainId);
      assert.equal(AuditLog.verifyChains(chains, keys, [signer], { expected }).valid, true);
      // The script an operator runs says the same, then finds an edit in one file.
      const script = join(root, 'scripts', 'audit-verify.mjs');
      let run = spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.equal(JSON.parse(run.stdout).entries, 35);
      const lines = readFileSync(join(dir, 'chain-1.jsonl'), 'utf8').split('\n');
      lines[1] = lines[1].includes('"valid":true') ? lines[1].replace('"valid":true', '"valid":false') : lines[1].replace('"valid":false', '"valid":true');
      writeFileSync(join(dir, 'chain-1.jsonl'), lines.join('\n'));
      run = spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.deepEqual(JSON.parse(run.stdout).firstInvalid, { chain: 'chain-1', index: 1, reason: 'modified' });
      // A chain whose file is gone is missing.
      rmSync(join(dir, 'chain-0.jsonl'));
      run = spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.deepEqual(JSON.parse(run.stdout).missing, ['chain-0']);
    } finally {
      if (!stopped) await service.stop();
      rmSync(dir, { recursive: true, force: true });
      await redis.stop();
    }
  });
});
