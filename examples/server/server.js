#!/usr/bin/env node
// credcore example: a zero-dependency verification service on node:http, built on a worker pool
// with micro-batching (`pool.verify`).
//
//   POST /verify        { "input": <token or object>, "options"?: { nonce, audience, requireKeyBinding } }
//   POST /verify/batch  { "inputs": [...], "options"?: {...} }
//   GET  /metrics       Prometheus text
//   GET  /healthz       { "ok": true, "workers": N }
//
// It imports the package built in this repository (../../pkg, `make build`); an application that
// installed credcore writes `import { createPool } from 'credcore'` instead.
//
// Environment: HOST (default 127.0.0.1), PORT (default 8080; 0 picks a free port), WORKERS
// (default: the core count), TRUSTED_ISSUERS (comma-separated DIDs), MAX_BODY_BYTES (default
// 1 MiB), MAX_BATCH_ITEMS (default 10,000). On SIGTERM or SIGINT it stops accepting connections,
// finishes the requests it holds, closes the pool and exits 0. The first line on stdout is
// `listening on http://HOST:PORT`.

import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { createPool } from '../../pkg/index.node.js';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number(process.env.PORT ?? 8080);
const WORKERS = Number(process.env.WORKERS ?? availableParallelism());
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
const MAX_BATCH_ITEMS = Number(process.env.MAX_BATCH_ITEMS ?? 10_000);
const TRUSTED = (process.env.TRUSTED_ISSUERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

// Callers may narrow a request (nonce, audience, key binding); the service's trust policy and
// status handling are its own.
const CALLER_OPTIONS = ['nonce', 'audience', 'requireKeyBinding'];

const pool = await createPool({
  workers: WORKERS,
  verifier: TRUSTED.length > 0 ? { trustedIssuers: TRUSTED } : {},
  maxQueue: 100_000,
});

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function send(res, status, body, type = 'application/json') {
  const text = type === 'application/json' ? JSON.stringify(body) : body;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, 'INPUT_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'INPUT_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'MALFORMED_INPUT', 'the body must be JSON'));
      }
    });
    req.on('error', reject);
  });
}

function callerOptions(body) {
  const options = {};
  if (body.options === undefined) return options;
  if (body.options === null || typeof body.options !== 'object') throw new HttpError(400, 'MALFORMED_INPUT', 'options must be an object');
  for (const name of CALLER_OPTIONS) if (body.options[name] !== undefined) options[name] = body.options[name];
  return options;
}

const STATUS_OF = { QUEUE_FULL: 503, CLOSED: 503, TIMEOUT: 504, MALFORMED_INPUT: 400 };

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true, workers: pool.metrics().workers.live });
  if (req.method === 'GET' && url.pathname === '/metrics') return send(res, 200, pool.prometheus(), 'text/plain; version=0.0.4');
  if (req.method === 'POST' && url.pathname === '/verify') {
    const body = await readBody(req);
    if (body === null || typeof body !== 'object' || body.input === undefined) throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "input"');
    return send(res, 200, await pool.verify(body.input, callerOptions(body)));
  }
  if (req.method === 'POST' && url.pathname === '/verify/batch') {
    const body = await readBody(req);
    if (body === null || typeof body !== 'object' || !Array.isArray(body.inputs)) throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "inputs" (an array)');
    if (body.inputs.length > MAX_BATCH_ITEMS) throw new HttpError(413, 'INPUT_TOO_LARGE', `at most ${MAX_BATCH_ITEMS} inputs per request`);
    return send(res, 200, { results: await pool.verifyBatch(body.inputs, callerOptions(body)) });
  }
  throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${url.pathname}`);
}

let active = 0;
let drained = null;
const server = createServer((req, res) => {
  active++;
  handle(req, res)
    .catch((err) => {
      const status = err instanceof HttpError ? err.status : STATUS_OF[err?.code] ?? 500;
      if (!res.headersSent) send(res, status, { error: { code: err?.code ?? 'INTERNAL_ERROR', message: err?.message ?? String(err) } });
    })
    .finally(() => {
      active--;
      if (active === 0 && drained) drained();
    });
});
server.keepAliveTimeout = 5_000;

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: draining\n`);
  // Stop accepting; idle keep-alive connections close now, busy ones after their response.
  server.close();
  server.closeIdleConnections();
  if (active > 0) await new Promise((resolve) => { drained = resolve; });
  await pool.close();
  process.stderr.write('stopped\n');
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  process.stdout.write(`listening on http://${HOST}:${port}\n`);
});
