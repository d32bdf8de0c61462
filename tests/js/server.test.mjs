// The example server (examples/server/server.js) under a short bounded load on 127.0.0.1:
// results match one-thread verification, calls coalesce into micro-batches, limits answer with
// codes, /metrics is Prometheus text, and SIGTERM drains in-flight requests before exiting 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from 'credcore';
import { mixedWorkload, outcomes } from './lib/workload.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function startServer(env = {}) {
  const child = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], {
    env: { ...process.env, PORT: '0', WORKERS: '2', MAX_BODY_BYTES: '65536', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let line = '';
  for await (const chunk of child.stdout) {
    line += chunk;
    if (line.includes('\n')) break;
  }
  const match = line.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
  assert.ok(match, `server started: ${line} ${stderr}`);
  return { child, origin: match[1], stderr: () => stderr };
}

const post = (origin, path, body) => fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('the server verifies a few hundred concurrent requests, coalesces them, and shuts down cleanly', async () => {
  const w = mixedWorkload(c, 350, { tag: 'server' });
  const want = outcomes(c.verifyBatch(w.inputs, {}));
  const { child, origin, stderr } = await startServer();
  try {
    const health = await (await fetch(`${origin}/healthz`)).json();
    assert.deepEqual(health, { ok: true, workers: 2 });

    // 350 requests, 50 at a time.
    const got = new Array(w.inputs.length);
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < w.inputs.length) {
        const i = next++;
        const res = await post(origin, '/verify', { input: w.inputs[i] });
        assert.equal(res.status, 200);
        got[i] = await res.json();
      }
    }));
    assert.deepEqual(outcomes(got), want);

    // Caller options reach the core: a nonce asks SD-JWTs for key binding.
    const batch = await post(origin, '/verify/batch', { inputs: w.inputs.slice(0, 14), options: { nonce: 'n-1', statusFailOpen: true } });
    assert.equal(batch.status, 200);
    const withNonce = outcomes((await batch.json()).results);
    assert.deepEqual(withNonce, outcomes(c.verifyBatch(w.inputs.slice(0, 14), { nonce: 'n-1' })));
    assert.equal(withNonce[2], 'KEY_BINDING_MISSING');

    // Limits and bad requests answer with codes.
    const big = await post(origin, '/verify', { input: 'x'.repeat(70_000) });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).error.code, 'INPUT_TOO_LARGE');
    const bad = await fetch(`${origin}/verify`, { method: 'POST', body: '{nope' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, 'MALFORMED_INPUT');
    const missing = await post(origin, '/verify', { inputs: [] });
    assert.equal(missing.status, 400);
    assert.equal((await fetch(`${origin}/nowhere`)).status, 404);

    const metrics = await fetch(`${origin}/metrics`);
    assert.match(metrics.headers.get('content-type'), /^text\/plain/);
    const text = await metrics.text();
    const sample = (name) => Number(text.match(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm'))?.[1]);
    assert.equal(sample('credcore_items_total{outcome="valid"}') + sample('credcore_items_total{outcome="invalid"}'), 364);
    const microBatches = sample('credcore_batches_total{source="verify"}');
    assert.ok(microBatches >= 1 && microBatches < 350, `350 calls ran in ${microBatches} micro-batches`);
    assert.equal(sample('credcore_batches_total{source="verifyBatch"}'), 1);
    assert.equal(sample('credcore_errors_total{code="MALFORMED_INPUT"}'), 52);

    // SIGTERM with requests in flight: they complete, then the process exits 0.
    const inflight = w.inputs.slice(0, 40).map((input) => post(origin, '/verify', { input }).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 5));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const statuses = await Promise.allSettled(inflight);
    const [code] = await exited;
    assert.equal(code, 0, stderr());
    assert.match(stderr(), /SIGTERM: draining\nstopped\n/);
    // Requests that reached the server before SIGTERM were answered; later ones were refused at connect.
    for (const s of statuses) if (s.status === 'fulfilled') assert.equal(s.value, 200);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
