// The example server (examples/server/server.js) under a short bounded load on 127.0.0.1:
// results match one-thread verification, calls coalesce into micro-batches, limits answer with
// codes, /metrics is Prometheus text, and SIGTERM drains in-flight requests before exiting 0.
// Then hostile clients, each bounded in size and time: deeply nested bodies, oversized bodies
// (chunked or not, read back over a raw socket), slow and silent clients against the connection
// cap and the timeouts, wrong methods and broken HTTP, and a pool worker killed by SIGUSR2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from 'credcore';
import { mixedWorkload, outcomes } from './lib/workload.mjs';
import { startServer } from './lib/server-process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const post = (origin, path, body) => fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('the server verifies a few hundred concurrent requests, coalesces them, and shuts down cleanly', async () => {
  const w = mixedWorkload(c, 350, { tag: 'server' });
  const want = outcomes(c.verifyBatch(w.inputs, {}));
  const { child, origin, stderr } = await startServer();
  try {
    const health = await (await fetch(`${origin}/healthz`)).json();
    assert.deepEqual(health, { ok: true, workers: 2, process: child.pid, store: { kind: 'memory', ready: true } });

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

// ---- hardening: hostile bodies, slow clients, connection cap, methods ----------------------

/** A raw TCP client: records everything the server sends and when the connection closes. */
function rawClient(origin) {
  const { hostname, port } = new URL(origin);
  const socket = net.connect({ host: hostname, port: Number(port) });
  const started = performance.now();
  const client = { socket, text: '', closedAfterMs: null, error: null };
  client.connected = once(socket, 'connect');
  client.closed = new Promise((resolve) => {
    socket.on('data', (d) => { client.text += d; });
    socket.on('error', (err) => { client.error = err; });
    socket.on('close', () => {
      client.closedAfterMs = performance.now() - started;
      resolve(client);
    });
  });
  client.write = (s) => { if (!socket.destroyed && socket.writable) socket.write(s); };
  return client;
}

/** The last HTTP response in `text` (skipping interim 1xx ones): status, headers, body. */
function parseResponse(text) {
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    assert.ok(end > 0, `an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
    const lines = rest.slice(0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    rest = rest.slice(end + 4);
    if (status >= 200) return { status, headers, body: rest };
  }
}

function assertJsonError(response, status, code) {
  assert.equal(response.status, status, response.body);
  assert.match(response.headers['content-type'], /^application\/json/);
  const body = JSON.parse(response.body);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
}

async function fetchError(res, status, code) {
  assertJsonError({ status: res.status, headers: { 'content-type': res.headers.get('content-type') }, body: await res.text() }, status, code);
}

/** Writes `chunk` repeatedly (respecting backpressure) until `stop()` or `maxBytes`; resolves with the bytes sent. */
function pump(client, chunk, { maxBytes, stop }) {
  return new Promise((resolve) => {
    let sent = 0;
    const step = () => {
      while (!stop() && sent < maxBytes && !client.socket.destroyed && client.socket.writable) {
        sent += chunk.length;
        if (!client.socket.write(chunk)) {
          client.socket.once('drain', step);
          return;
        }
      }
      resolve(sent);
    };
    client.socket.once('close', () => resolve(sent));
    step();
  });
}

const nested = (depth, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

test('deeply nested bodies are refused with 413 INPUT_TOO_LARGE, never 500, and the server keeps answering', async () => {
  const issuer = c.generateKeyPair();
  const vc = c.issueCredential({ credentialSubject: { id: issuer.did, name: 'deep' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
  const { child, origin } = await startServer({ MAX_BODY_BYTES: String(1024 * 1024) });
  try {
    const raw = (path, body) => fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // The reproduced attack: 100,000 nested arrays (200 KB, within the body limit).
    await fetchError(await raw('/verify', `{"input":${nested(100_000)}}`), 413, 'INPUT_TOO_LARGE');
    // Objects, in the batch route and in the options.
    await fetchError(await raw('/verify/batch', `{"inputs":[${nested(20_000, '{"a":', '}').replace(/\{"a":\}/, '{}')}]}`), 413, 'INPUT_TOO_LARGE');
    await fetchError(await raw('/verify', `{"input":"x","options":{"nonce":${nested(5_000)}}}`), 413, 'INPUT_TOO_LARGE');
    // Deep nesting that JSON.parse would reject anyway is refused before it is parsed.
    await fetchError(await raw('/verify', nested(50_000, '[', '')), 413, 'INPUT_TOO_LARGE');
    // The next request on the same server is answered normally.
    const next = await post(origin, '/verify', { input: vc });
    assert.equal(next.status, 200);
    assert.equal((await next.json()).valid, true);
  } finally {
    child.kill('SIGKILL');
  }
});

test('a forged token is answered valid: false with no claims beside it (what it said is under unverified)', async () => {
  const issuer = c.generateKeyPair();
  const forger = c.generateKeyPair();
  const vc = c.issueCredential({ credentialSubject: { id: issuer.did, degree: 'PhD' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
  const [h, p] = vc.split('.');
  const forged = `${h}.${p}.${Buffer.from(c.sign(`${h}.${p}`, forger.secretKey)).toString('base64url')}`;
  const { child, origin } = await startServer();
  try {
    const res = await post(origin, '/verify', { input: forged });
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.valid, false);
    assert.equal(r.claims, null);
    assert.deepEqual(r.credentials, []);
    assert.equal(r.unverified.claims.degree, 'PhD');
    const batch = await (await post(origin, '/verify/batch', { inputs: [vc, forged] })).json();
    assert.deepEqual(batch.results.map((x) => [x.valid, x.claims?.degree ?? null]), [[true, 'PhD'], [false, null]]);
  } finally {
    child.kill('SIGKILL');
  }
});

test('MAX_JSON_DEPTH bounds the body exactly; brackets in strings do not count; bodies must be UTF-8 JSON', async () => {
  const { child, origin } = await startServer({ MAX_JSON_DEPTH: '8' });
  try {
    const raw = (body) => fetch(`${origin}/verify`, { method: 'POST', body });
    // `{"input": ...}` is one level: an input of depth 7 is a body of depth 8.
    const atLimit = await raw(`{"input":${nested(7)}}`);
    assert.equal(atLimit.status, 200);
    assert.equal((await atLimit.json()).valid, false);
    await fetchError(await raw(`{"input":${nested(8)}}`), 413, 'INPUT_TOO_LARGE');
    // Brackets inside strings, escaped quotes included, are not nesting.
    const inString = await raw(JSON.stringify({ input: `\\"${nested(1000)}"\\\\`, options: { nonce: '[[[[[[[[[[' } }));
    assert.equal(inString.status, 200);
    assert.equal((await inString.json()).errors[0].code, 'MALFORMED_INPUT');
    await fetchError(await raw(Buffer.from([0x7b, 0x22, 0x69, 0x6e, 0x70, 0x75, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'MALFORMED_INPUT');
    await fetchError(await raw(']]]]{"input":"x"}'), 400, 'MALFORMED_INPUT');
    await fetchError(await raw('{"input":"x","options":[1]}'), 400, 'MALFORMED_INPUT');
  } finally {
    child.kill('SIGKILL');
  }
});

test('an oversized body gets a 413 that a raw socket client receives, chunked or with Content-Length', async () => {
  const { child, origin } = await startServer({ LINGER_MS: '1000' });
  try {
    const chunk = 'x'.repeat(16_384);
    const chunked = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    const head = (framing) => `POST /verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;

    // 1. Chunked, streamed until the answer arrives: the 413 comes before the body is whole (the
    // body limit is 64 KiB; the client would send 64 MiB), then the server closes the connection.
    // What the client sent bounds nothing finer: its kernel takes writes into the send buffer (up
    // to tcp_wmem's maximum, 4 MiB on Linux by default) and the server's receive buffer while a
    // server on a loaded machine has not yet been scheduled to read its first 64 KiB, and one more
    // burst may leave before the client reads the answer; a server that waited for the body would
    // have taken all 64 MiB.
    const whole = 64 * 1024 * 1024;
    for (const framing of ['Transfer-Encoding: chunked', `Content-Length: ${whole}`]) {
      const client = rawClient(origin);
      await client.connected;
      client.write(head(framing));
      const sent = await pump(client, framing.startsWith('Transfer') ? chunked : chunk, { maxBytes: whole, stop: () => client.text.includes('\r\n\r\n') });
      await client.closed;
      const response = parseResponse(client.text);
      assertJsonError(response, 413, 'INPUT_TOO_LARGE');
      assert.equal(response.headers.connection, 'close');
      assert.ok(sent < whole / 2, `${framing}: answered after ${sent} bytes`);
      assert.ok(client.closedAfterMs < 5000, `${framing}: closed after ${client.closedAfterMs} ms`);
    }

    // 2. The whole oversized body (1 MiB) written at once, unread bytes still queued at the server
    // when it answers: the client still reads the 413 (no reset in its place).
    for (const framing of ['Transfer-Encoding: chunked', `Content-Length: ${64 * chunk.length}`]) {
      const client = rawClient(origin);
      await client.connected;
      const body = framing.startsWith('Transfer') ? chunked.repeat(64) + '0\r\n\r\n' : chunk.repeat(64);
      client.write(head(framing) + body);
      await client.closed;
      assertJsonError(parseResponse(client.text), 413, 'INPUT_TOO_LARGE');
    }

    // 3. Expect: 100-continue with a declared oversized body: 413 at once, no 100 Continue.
    const client = rawClient(origin);
    await client.connected;
    client.write(`POST /verify/batch HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${10 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    await client.closed;
    assert.doesNotMatch(client.text, /100 Continue/);
    assertJsonError(parseResponse(client.text), 413, 'INPUT_TOO_LARGE');

    // fetch with a streamed (chunked) oversized body sees the 413 too.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const res = await fetch(`${origin}/verify`, { method: 'POST', body: stream, duplex: 'half' });
    await fetchError(res, 413, 'INPUT_TOO_LARGE');

    assert.equal((await fetch(`${origin}/healthz`)).status, 200);
  } finally {
    child.kill('SIGKILL');
  }
});

test('connections beyond MAX_CONNECTIONS get 503; slow and silent clients under it get 408 within the timeouts', async () => {
  const HEADERS_TIMEOUT = 1000;
  const REQUEST_TIMEOUT = 1500;
  const { child, origin } = await startServer({ MAX_CONNECTIONS: '4', HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT), LINGER_MS: '300' });
  const timers = [];
  try {
    // Fill the cap: three clients that send their headers one line every 150 ms (never the
    // blank line that ends them) and one that sends nothing.
    const held = [];
    for (let i = 0; i < 4; i++) {
      const client = rawClient(origin);
      await client.connected;
      if (i < 3) {
        client.write('POST /verify HTTP/1.1\r\nHost: localhost\r\n');
        let n = 0;
        timers.push(setInterval(() => client.write(`X-Slow-${n++}: 1\r\n`), 150));
      }
      held.push(client);
    }
    await new Promise((r) => setTimeout(r, 100));

    // Over the cap: refused at once with a coded 503, long before any timeout.
    const refused = [];
    for (let i = 0; i < 3; i++) {
      const client = rawClient(origin);
      await client.connected;
      client.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      refused.push(client);
    }
    for (const client of await Promise.all(refused.map((r) => r.closed))) {
      const response = parseResponse(client.text);
      assertJsonError(response, 503, 'TOO_MANY_CONNECTIONS');
      assert.equal(response.headers.connection, 'close');
      assert.ok(client.closedAfterMs < 800, `refused connection closed after ${client.closedAfterMs} ms`);
    }

    // Under the cap: each gets 408 REQUEST_TIMEOUT and is closed once the headers timeout ran out.
    for (const client of await Promise.all(held.map((h) => h.closed))) {
      assertJsonError(parseResponse(client.text), 408, 'REQUEST_TIMEOUT');
      assert.ok(client.closedAfterMs >= HEADERS_TIMEOUT - 100 && client.closedAfterMs <= HEADERS_TIMEOUT + 1500, `slow client closed after ${client.closedAfterMs} ms`);
    }
    timers.forEach(clearInterval);

    // The slots are free again once the server has seen those connections close (a moment
    // after the clients have).
    let health;
    for (let i = 0; i < 20; i++) {
      health = await fetch(`${origin}/healthz`);
      if (health.status === 200) break;
      await fetchError(health, 503, 'TOO_MANY_CONNECTIONS');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(health.status, 200);
    assert.equal((await health.json()).ok, true);

    // A body that trickles in: 408 once the request timeout ran out.
    const slowBody = rawClient(origin);
    await slowBody.connected;
    slowBody.write('POST /verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"input":"');
    timers.push(setInterval(() => slowBody.write('a'), 100));
    await slowBody.closed;
    timers.forEach(clearInterval);
    assertJsonError(parseResponse(slowBody.text), 408, 'REQUEST_TIMEOUT');
    assert.ok(slowBody.closedAfterMs >= REQUEST_TIMEOUT - 100 && slowBody.closedAfterMs <= REQUEST_TIMEOUT + 1500, `slow body closed after ${slowBody.closedAfterMs} ms`);

    // And the server still verifies.
    const ok = await post(origin, '/verify', { input: 'not a credential' });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).errors[0].code, 'MALFORMED_INPUT');
  } finally {
    timers.forEach(clearInterval);
    child.kill('SIGKILL');
  }
});

test('known routes answer other methods with 405 and Allow; unknown routes 404; broken HTTP gets coded errors', async () => {
  const { child, origin } = await startServer();
  try {
    const cases = [
      ['GET', '/verify', 'POST'],
      ['PUT', '/verify', 'POST'],
      ['GET', '/verify/batch', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${origin}${path}`, { method, body: method === 'GET' ? undefined : '{"input":"x"}' });
      assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
      await fetchError(res, 405, 'METHOD_NOT_ALLOWED');
    }
    await fetchError(await fetch(`${origin}/nowhere`), 404, 'NOT_FOUND');
    await fetchError(await fetch(`${origin}/verify/`, { method: 'POST', body: '{}' }), 404, 'NOT_FOUND');
    await fetchError(await fetch(`${origin}/__proto__`), 404, 'NOT_FOUND');
    const head = await fetch(`${origin}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');

    // Not HTTP, and headers over node's 16 KiB limit.
    const garbage = rawClient(origin);
    await garbage.connected;
    garbage.write('HELLO\r\n\r\n');
    assertJsonError(parseResponse((await garbage.closed).text), 400, 'BAD_REQUEST');
    const huge = rawClient(origin);
    await huge.connected;
    huge.write(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assertJsonError(parseResponse((await huge.closed).text), 431, 'HEADERS_TOO_LARGE');
    const expect = rawClient(origin);
    await expect.connected;
    expect.write('POST /verify HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\nContent-Length: 2\r\n\r\n{}');
    assertJsonError(parseResponse((await expect.closed).text), 417, 'EXPECTATION_FAILED');

    // Keep-alive survives an error whose body was read (two requests on one connection).
    const keep = rawClient(origin);
    await keep.connected;
    keep.write('GET /verify HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const both = (await keep.closed).text;
    assert.match(both, /^HTTP\/1\.1 405 [^]*HTTP\/1\.1 200 /);
  } finally {
    child.kill('SIGKILL');
  }
});

test('with KILL_WORKER_ON_SIGUSR2, SIGUSR2 terminates a pool worker and results stay correct', async () => {
  const w = mixedWorkload(c, 700, { tag: 'usr2' });
  const want = outcomes(c.verifyBatch(w.inputs, {}));
  const { child, origin, stderr } = await startServer({ KILL_WORKER_ON_SIGUSR2: '1', MAX_BODY_BYTES: String(4 * 1024 * 1024) });
  try {
    const batch = post(origin, '/verify/batch', { inputs: w.inputs }).then(async (r) => ({ status: r.status, body: await r.json() }));
    child.kill('SIGUSR2');
    const got = await batch;
    assert.equal(got.status, 200);
    assert.deepEqual(outcomes(got.body.results), want);
    let workers = 0;
    for (let i = 0; i < 50 && workers !== 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      workers = (await (await fetch(`${origin}/healthz`)).json()).workers;
    }
    assert.equal(workers, 2);
    const text = await (await fetch(`${origin}/metrics`)).text();
    assert.match(text, /^credcore_worker_restarts_total\{reason="crash"\} 1$/m);
    assert.match(stderr(), /SIGUSR2: terminating a (busy|idle) pool worker of 2/);
    // More requests after the crash are verified as before.
    const again = await post(origin, '/verify/batch', { inputs: w.inputs.slice(0, 70) });
    assert.deepEqual(outcomes((await again.json()).results), want.slice(0, 70));
  } finally {
    child.kill('SIGKILL');
  }
});

test('with an OpenTelemetry SDK registered, the server exports the pool\'s metrics and a span per batch; /metrics stays Prometheus', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-otel-'));
  const file = join(dir, 'otel.json');
  const setup = join(root, 'tests', 'js', 'lib', 'otel-setup.mjs');
  const { child, origin } = await startServer({ CREDCORE_OTEL_OUT: file }, ['--import', setup]);
  try {
    const issuer = c.generateKeyPair();
    const vc = c.issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer });
    const batch = await post(origin, '/verify/batch', { inputs: [vc, vc, 'garbage'] });
    assert.equal(batch.status, 200);
    assert.equal((await post(origin, '/verify', { input: vc })).status, 200);
    const prom = await (await fetch(`${origin}/metrics`)).text();
    assert.match(prom, /^credcore_items_total\{outcome="valid"\} 3$/m);
    // The SDK exports every 100 ms: wait for an export that counts all four items.
    let seen = null;
    for (let i = 0; i < 100 && !(seen?.metrics['credcore.items']?.some(([v, a]) => a.outcome === 'valid' && v === 3)); i++) {
      await new Promise((r) => setTimeout(r, 50));
      try { seen = JSON.parse(readFileSync(file, 'utf8')); } catch { /* not written yet */ }
    }
    assert.ok(seen, 'the SDK exported');
    assert.deepEqual(seen.metrics['credcore.items'], [[3, { 'service.name': 'credcore-server', outcome: 'valid' }], [1, { 'service.name': 'credcore-server', outcome: 'invalid' }]]);
    assert.deepEqual(seen.metrics['credcore.errors'], [[1, { 'service.name': 'credcore-server', code: 'MALFORMED_INPUT' }]]);
    assert.deepEqual(seen.spans.map((s) => [s.name, s.scope, s.attributes['credcore.batch.items']]).sort(), [
      ['credcore.verify', 'credcore', 1], ['credcore.verifyBatch', 'credcore', 3],
    ]);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CALLER names who a request is for (address or a header); an unknown CALLER value stops the server with exit 2', async () => {
  const issuer = c.generateKeyPair();
  const vc = c.issueCredential({ credentialSubject: { id: issuer.did } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
  for (const caller of ['address', 'header:x-api-client']) {
    const { child, origin } = await startServer({ CALLER: caller });
    try {
      const res = await fetch(`${origin}/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-client': 'tenant-a' }, body: JSON.stringify({ input: vc }) });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).valid, true, caller);
      const batch = await (await post(origin, '/verify/batch', { inputs: [vc, vc] })).json();
      assert.deepEqual(batch.results.map((r) => r.valid), [true, true], caller);
    } finally {
      child.kill('SIGKILL');
    }
  }
  const bad = spawn(process.execPath, [join(root, 'examples', 'server', 'server.js')], { env: { ...process.env, PORT: '0', CALLER: 'everyone' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  bad.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((resolve) => bad.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /CALLER must be none, address or header:NAME/);
});

test('with MAX_INSTANCE_MEMORY the workers recycle their instances after each chunk: the same answers, counted in /metrics', async () => {
  const w = mixedWorkload(c, 140, { tag: 'server recycle' });
  const want = outcomes(c.verifyBatch(w.inputs, {}));
  const { child, origin } = await startServer({ MAX_INSTANCE_MEMORY: String(1024 * 1024) });
  try {
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(w.inputs.map(async (input) => (await post(origin, '/verify', { input })).json()));
      assert.deepEqual(outcomes(got), want, `round ${round}`);
      // Within the 64 KiB body limit.
      const batch = await post(origin, '/verify/batch', { inputs: w.inputs.slice(0, 28) });
      assert.equal(batch.status, 200);
      assert.deepEqual(outcomes((await batch.json()).results), want.slice(0, 28));
    }
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    assert.ok(Number(metrics.match(/^credcore_instance_recycles_total (\d+)$/m)?.[1]) >= 4, metrics.match(/^credcore_instance_recycles_total.*$/m)?.[0]);
    assert.doesNotMatch(metrics, /^credcore_worker_restarts_total/m);
    const json = await (await fetch(`${origin}/metrics.json`)).json();
    const { memory, metrics: m } = json.processes[0];
    assert.ok(memory.rss > 0 && memory.heapUsed > 0);
    assert.equal(m.memory.maxInstanceMemory, 1024 * 1024);
    assert.equal(m.memory.workers.length, 2);
  } finally {
    child.kill('SIGKILL');
  }
});
