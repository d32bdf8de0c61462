// credcore example: the verification service of one process, on node:http, built on a worker
// pool with micro-batching (`pool.verify`). server.js runs it alone or as one of PROCESSES
// processes (cluster.js); with REDIS_URL the processes share nonces, sessions and fetched status
// lists through Redis (credcore/redis). Over 500 lines on purpose: the service a user copies
// whole, so its HTTP hardening (limits, timeouts, coded errors) stays in the one file it is read
// from.
//
//   POST /verify          { "input": <token or object>, "options"?: { nonce, audience, requireKeyBinding, consumeNonce } }
//   POST /verify/batch    { "inputs": [...], "options"?: {...} }
//   POST /nonce           { "ttlSeconds"?: N } -> { "nonce", "ttlSeconds" }: single use across every
//                         process (verify with "consumeNonce": true)
//   POST /session         { "input", "options"? } -> { "token", "session" } for a valid presentation or
//                         credential (403 with its first code and the result otherwise)
//   POST /session/validate { "token" } -> { "session" } (401 SESSION_INVALID / SESSION_EXPIRED /
//                         SESSION_REVOKED)
//   POST /session/revoke  { "token" } -> { "revoked": true|false }: in every process at once
//   GET  /metrics         Prometheus text, summed over the processes with a `process` label each
//                         (and OpenTelemetry, when @opentelemetry/api is installed and the process
//                         registered an SDK: see below `instrumentPool`)
//   GET  /metrics.json    { "processes": [{ "pid", "metrics", "sessions", "memory" }] } (pool.metrics()
//                         and process.memoryUsage() of each)
//   GET  /healthz         { "ok": true, "workers": N, "process": pid, "store": { kind, ready } }
// Every answer names the process that gave it (`x-credcore-process: PID`).
//
// It imports the package built in this repository (../../pkg, `make build`); an application that
// installed credcore writes `import { createPool } from 'credcore'` instead.
//
// Environment (every variable is optional; a value that is not a valid number stops startup):
//   HOST                    address to listen on (default 127.0.0.1)
//   PORT                    port (default 8080; 0 picks a free port)
//   WORKERS                 pool workers (default: the core count)
//   TRUSTED_ISSUERS         comma-separated issuer DIDs to trust (default: none, any issuer)
//   MAX_BODY_BYTES          largest request body, with or without Content-Length (default 1 MiB)
//   MAX_BATCH_ITEMS         most inputs in one /verify/batch request (default 10,000)
//   MAX_JSON_DEPTH          deepest nesting of a request body, counted over its raw text before
//                           it is parsed (`[]` is depth 1, `{"input":[]}` depth 2); default 66:
//                           inputs as deep as the core's own limit (64) fit in `{"inputs":[...]}`
//   MAX_CONNECTIONS         open connections served at once (default 1024); one more is answered
//                           503 TOO_MANY_CONNECTIONS and closed, and beyond twice this many
//                           (refused ones still closing) connections are dropped at accept
//   HEADERS_TIMEOUT_MS      time from accepting a connection, or from the start of a request on a
//                           kept-alive one, to its complete headers (default 10,000)
//   REQUEST_TIMEOUT_MS      time to receive a whole request, headers and body (default 30,000;
//                           at least HEADERS_TIMEOUT_MS); both timeouts answer 408 REQUEST_TIMEOUT
//   IDLE_TIMEOUT_MS         a connection with no traffic either way for this long is closed, e.g.
//                           a client that stops reading its response (default 60,000; 0: never)
//   KEEP_ALIVE_TIMEOUT_MS   idle time between requests on a kept-alive connection (default 5,000)
//   LINGER_MS               after an error response that closes the connection while the client
//                           may still be sending (413, 408, 503), the server half-closes and
//                           discards what still arrives for at most this long, so that the client
//                           reads the response instead of a reset (default 2,000)
//   MAX_INSTANCE_MEMORY     bytes of a pool worker's wasm memory past which it replaces its
//                           instance after a chunk (default 64 MiB; 0: never)
//   KILL_WORKER_ON_SIGUSR2  `1`: SIGUSR2 terminates one pool worker, as a crash would (for soak and
//                           crash drills; default off, and then SIGUSR2 has Node's default effect)
//   REDIS_URL               the shared store (redis://host:port); without it each process keeps its
//                           own (memory), so nonces and sessions hold in this process only
//   REDIS_PREFIX            prefix of every Redis key (default credcore:)
//   SESSION_KEY             the session HMAC key, hex, at least 32 bytes; every process of a service
//                           needs the same (cluster.js makes one for its processes when unset;
//                           default: random, this process only)
//   SESSION_TTL_SECONDS     session lifetime (default 3600)
//   NONCE_TTL_SECONDS       default lifetime of a nonce from POST /nonce (default 300)
//   CACHE_TTL_SECONDS       longest life of a cached result or fetched status list (default 300)
//   STATUS_LIST_ORIGINS     comma-separated origins (https://issuer.example) whose status lists the
//                           service fetches when a credential names one (default: none, nothing is
//                           fetched and such credentials are STATUS_UNAVAILABLE)
//   JSONLD_CONTEXTS         a JSON file `{ "<context URL>": <context document>, ... }`: the JSON-LD
//                           contexts, beyond the bundled ones, that Data Integrity proofs over RDF
//                           may use (the pool's documentLoader answers from it; nothing is fetched).
//                           A file that cannot be read or is not such an object stops startup (exit 2)
//   AUDIT_DIR               turns the audit trail on (audit.js): each process's chain is written to
//                           AUDIT_DIR/<chain>.jsonl, one entry per verified item, and checkpointed in
//                           the store; then also AUDIT_KEY (hex HMAC key, at least 32 bytes) and
//                           AUDIT_SIGNER_SEED (hex, 32 bytes: the Ed25519 key of the checkpoints),
//                           the same in every process, and AUDIT_CHECKPOINT_SECONDS (default 10)
//
// Every error response is JSON `{ "error": { "code", "message" } }` with a stable code:
// MALFORMED_INPUT (400: body not UTF-8 JSON, fields missing or of the wrong type), BAD_REQUEST
// (400: not valid HTTP/1.1, bad request target), NOT_FOUND (404), METHOD_NOT_ALLOWED (405, with
// Allow), REQUEST_TIMEOUT (408), INPUT_TOO_LARGE (413: body bytes, nesting, batch items),
// EXPECTATION_FAILED (417), HEADERS_TOO_LARGE (431), TOO_MANY_CONNECTIONS, QUEUE_FULL, CLOSED,
// WORKER_FAILED, STORE_UNAVAILABLE (503), TIMEOUT (504), SESSION_INVALID, SESSION_EXPIRED,
// SESSION_REVOKED (401), INTERNAL_ERROR (500; details on stderr only). Answers that close the
// connection say `Connection: close`. A shared store that is down never stops the service:
// verification goes on (its caches fall back to memory), and what needs the store fails closed
// (a nonce check is STORE_UNAVAILABLE in the result, POST /nonce and the session routes answer
// 503 STORE_UNAVAILABLE) until Redis is back, which the store notices by itself.
//
// On SIGTERM or SIGINT it stops accepting connections, finishes the requests it holds, closes the
// pool and exits 0. The first line on stdout is `listening on http://HOST:PORT`.

import { STATUS_CODES, createServer } from 'node:http';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { createPool, MemoryStore, SharedSessionStore, validateSession } from '../../pkg/index.node.js';
import { renderMerged, collectMetrics } from './metrics.js';
import { startAudit } from './audit.js';

function intEnv(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return value;
}

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = intEnv('PORT', 8080);
const WORKERS = intEnv('WORKERS', availableParallelism(), 1);
const TRUSTED = (process.env.TRUSTED_ISSUERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const MAX_BODY_BYTES = intEnv('MAX_BODY_BYTES', 1024 * 1024, 1);
const MAX_BATCH_ITEMS = intEnv('MAX_BATCH_ITEMS', 10_000, 1);
const MAX_JSON_DEPTH = intEnv('MAX_JSON_DEPTH', 66, 1);
const MAX_CONNECTIONS = intEnv('MAX_CONNECTIONS', 1024, 1);
const HEADERS_TIMEOUT_MS = intEnv('HEADERS_TIMEOUT_MS', 10_000, 1);
const REQUEST_TIMEOUT_MS = intEnv('REQUEST_TIMEOUT_MS', 30_000, 1);
const IDLE_TIMEOUT_MS = intEnv('IDLE_TIMEOUT_MS', 60_000);
const KEEP_ALIVE_TIMEOUT_MS = intEnv('KEEP_ALIVE_TIMEOUT_MS', 5_000, 1);
const LINGER_MS = intEnv('LINGER_MS', 2_000);
const KILL_WORKER_ON_SIGUSR2 = process.env.KILL_WORKER_ON_SIGUSR2 === '1';
// Wasm linear memory past which a pool worker replaces its instance after a chunk (bytes; 0: never).
const MAX_INSTANCE_MEMORY = process.env.MAX_INSTANCE_MEMORY === undefined ? undefined : intEnv('MAX_INSTANCE_MEMORY', 0);
// Who a request is for, for the pool's fair queueing (README): `none` (default: one shared
// queue, micro-batches across all requests), `address` (the connection's remote address), or
// `header:NAME` (a request header set by a trusted proxy, e.g. header:x-api-client).
const CALLER = (process.env.CALLER ?? 'none').trim();
const CALLER_HEADER = CALLER.startsWith('header:') ? CALLER.slice('header:'.length).trim().toLowerCase() : '';
if (CALLER !== 'none' && CALLER !== 'address' && CALLER_HEADER === '') {
  process.stderr.write(`CALLER must be none, address or header:NAME, got ${JSON.stringify(CALLER)}\n`);
  process.exit(2);
}
if (REQUEST_TIMEOUT_MS < HEADERS_TIMEOUT_MS) {
  process.stderr.write(`REQUEST_TIMEOUT_MS (${REQUEST_TIMEOUT_MS}) must be at least HEADERS_TIMEOUT_MS (${HEADERS_TIMEOUT_MS})\n`);
  process.exit(2);
}

// Callers may narrow a request (nonce, audience, key binding); the service's trust policy and
// status handling are its own.
const CALLER_OPTIONS = ['nonce', 'audience', 'requireKeyBinding', 'consumeNonce'];

const REDIS_URL = (process.env.REDIS_URL ?? '').trim();
const SESSION_TTL_SECONDS = intEnv('SESSION_TTL_SECONDS', 3600, 1);
const NONCE_TTL_SECONDS = intEnv('NONCE_TTL_SECONDS', 300, 1);
const CACHE_TTL_SECONDS = intEnv('CACHE_TTL_SECONDS', 300, 1);
/** Fetch issuer and holder key documents (did:web, JWT VC Issuer Metadata) with this process's fetch. */
const KEY_FETCH = process.env.KEY_FETCH === '1';
const STATUS_LIST_ORIGINS = new Set((process.env.STATUS_LIST_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const SESSION_KEY = (() => {
  const hex = (process.env.SESSION_KEY ?? '').trim();
  if (hex === '') return new Uint8Array(randomBytes(32));
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(hex)) {
    process.stderr.write('SESSION_KEY must be hex, at least 32 bytes (64 digits)\n');
    process.exit(2);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
})();

// The shared store: Redis when REDIS_URL says where, else this process's memory. A Redis that is
// not there yet is waited for a moment, then the service starts anyway and the store connects
// when Redis appears.
// credcore/redis (and the `redis` client) load only when asked for.
const store = REDIS_URL !== ''
  ? (await import('../../pkg/redis.js')).createRedisStore({ url: REDIS_URL, prefix: process.env.REDIS_PREFIX ?? 'credcore:' })
  : new MemoryStore();
if (REDIS_URL !== '' && !(await store.ready(2000))) process.stderr.write(`Redis at ${REDIS_URL} is not answering: starting without it (nonces and sessions answer STORE_UNAVAILABLE until it is back)\n`);
const sessions = new SharedSessionStore({ store, ttlSeconds: SESSION_TTL_SECONDS });

/** Hex bytes of an environment variable, at least `min` long, or exit 2. */
function hexEnv(name, min) {
  const hex = (process.env[name] ?? '').trim();
  if (!/^([0-9a-fA-F]{2})+$/.test(hex) || hex.length / 2 < min) {
    process.stderr.write(`${name} must be hex, at least ${min} bytes (with AUDIT_DIR)\n`);
    process.exit(2);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
const AUDIT_DIR = (process.env.AUDIT_DIR ?? '').trim();
const audit = AUDIT_DIR === '' ? null : await startAudit({
  store,
  dir: AUDIT_DIR,
  hmacKey: hexEnv('AUDIT_KEY', 32),
  signerSeed: hexEnv('AUDIT_SIGNER_SEED', 32).subarray(0, 32),
  checkpointSeconds: intEnv('AUDIT_CHECKPOINT_SECONDS', 10, 1),
});

/** Status lists from the allowed origins only: nothing else is ever fetched. */
async function statusListResolver(uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (!STATUS_LIST_ORIGINS.has(url.origin)) return null;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
  if (!response.ok) return null;
  return (await response.text()).trim();
}

/** The contexts of JSONLD_CONTEXTS (URL -> document), read once: nothing is fetched. */
function contextsFile() {
  const path = (process.env.JSONLD_CONTEXTS ?? '').trim();
  if (path === '') return null;
  try {
    const map = JSON.parse(readFileSync(path, 'utf8'));
    if (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((c) => c === null || typeof c !== 'object' || Array.isArray(c))) throw new Error('not an object of context documents');
    return new Map(Object.entries(map));
  } catch (err) {
    process.stderr.write(`JSONLD_CONTEXTS: cannot use ${path}: ${err?.message ?? err}\n`);
    process.exit(2);
  }
}
const CONTEXTS = contextsFile();

const pool = await createPool({
  workers: WORKERS,
  ...(CONTEXTS === null ? {} : { documentLoader: async (url) => CONTEXTS.get(url) ?? Promise.reject(new Error(`${url} is not in JSONLD_CONTEXTS`)) }),
  verifier: { ...(TRUSTED.length > 0 ? { trustedIssuers: TRUSTED } : {}), cache: { ttlSeconds: CACHE_TTL_SECONDS } },
  maxQueue: 100_000,
  ...(MAX_INSTANCE_MEMORY === undefined ? {} : { maxInstanceMemory: MAX_INSTANCE_MEMORY }),
  store,
  ...(STATUS_LIST_ORIGINS.size > 0 ? { statusListResolver } : {}),
  // Issuer and holder keys of did:web and https issuers (README, "Keys from the network"): by
  // configuration only; a request's options never bring keys or documents.
  ...(KEY_FETCH ? { fetch: globalThis.fetch } : {}),
});

// OpenTelemetry: with @opentelemetry/api installed, the pool's metrics and a span per batch go
// to whatever SDK the process registered (`node --import ./otel-setup.mjs server.js`; without an
// SDK the API is a no-op). OTEL_SDK_DISABLED=true turns it off. /metrics stays Prometheus text.
if (process.env.OTEL_SDK_DISABLED !== 'true') {
  try {
    const { instrumentPool } = await import('../../pkg/otel.js');
    instrumentPool(pool, { attributes: { 'service.name': process.env.OTEL_SERVICE_NAME ?? 'credcore-server' } });
  } catch (err) {
    // Not installed: Prometheus only.
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
}

class HttpError extends Error {
  constructor(status, code, message, { close = false, headers = {} } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.close = close;
    this.headers = headers;
  }
}

// Pool and core errors that reach a caller, by code; any other failure is INTERNAL_ERROR.
const STATUS_OF = {
  MALFORMED_INPUT: 400,
  INPUT_TOO_LARGE: 413,
  QUEUE_FULL: 503,
  CLOSED: 503,
  WORKER_FAILED: 503,
  STORE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
  SESSION_REVOKED: 401,
};

// Per-socket state, kept under symbols on the socket.
const REFUSED = Symbol('refused');       // over MAX_CONNECTIONS: answered 503, never served
const CLOSING = Symbol('closing');       // half-closed after an error, discarding what arrives
const RESPONDING = Symbol('responding'); // responses being written: then never write raw bytes
const SERVED = Symbol('served');         // at least one request reached the handler

const json = (code, message) => JSON.stringify({ error: { code, message } });

/**
 * Lingering close: half-close now and destroy after LINGER_MS (or when the client closes first).
 * Closing a socket whose receive buffer still holds request bytes makes the kernel send a reset,
 * and a reset can discard a response the client has not read yet; reading and discarding for a
 * bounded time instead lets the client see the response and stop sending.
 */
function lingerThenClose(socket) {
  if (socket[CLOSING]) return;
  socket[CLOSING] = true;
  // After a `Connection: close` response node:http calls destroySoon(), which ends the socket and
  // then destroys it as soon as the response is flushed, whatever the client is still sending.
  // Keep the end, defer the destroy.
  socket.destroySoon = function endOnly() {
    if (this.writable) this.end();
  };
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  // What still arrives is read and dropped (the HTTP parser consumes it; no request is served).
  socket.resume();
}

/** An error written straight to a socket that has no response in progress, then a lingering close. */
function rawError(socket, status, code, message) {
  if (socket.destroyed) return;
  if (!socket.writable || socket[RESPONDING] || socket[CLOSING]) {
    socket.destroy();
    return;
  }
  const body = json(code, message);
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
  lingerThenClose(socket);
  socket.end();
}

function send(req, res, status, body, { type = 'application/json', close = false, headers = {} } = {}) {
  // req.socket, not res.socket: a response to a pipelined request has no socket until the ones
  // before it are written.
  const socket = req.socket;
  if (res.headersSent || socket.destroyed || socket[CLOSING]) return;
  const text = type === 'application/json' ? JSON.stringify(body) : body;
  const head = {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-credcore-process': String(process.pid),
    ...headers,
  };
  if (close) {
    head.connection = 'close';
    lingerThenClose(socket);
    req.resume();
  }
  socket[RESPONDING] = (socket[RESPONDING] ?? 0) + 1;
  let done = false;
  const written = () => {
    if (!done) socket[RESPONDING]--;
    done = true;
  };
  res.once('finish', written);
  res.once('close', written);
  res.writeHead(status, head);
  res.end(text);
}

const tooLarge = () => new HttpError(413, 'INPUT_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`, { close: true });

/** The raw body, at most MAX_BODY_BYTES whether or not the client declared a length. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      fn(value);
    };
    req.on('data', (chunk) => {
      if (settled) return; // refused: what still arrives is dropped
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        settle(reject, tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(resolve, Buffer.concat(chunks, size)));
    const aborted = () => settle(reject, new HttpError(400, 'BAD_REQUEST', 'the request was aborted', { close: true }));
    req.on('error', aborted);
    req.on('close', () => { if (!req.complete) aborted(); });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether JSON text nests deeper than `max` (brackets inside strings do not count). Runs over the
 * raw bytes before JSON.parse, so a hostile body never becomes a value deep enough to exhaust the
 * stack in JSON.parse, JSON.stringify or anywhere else. Unbalanced closers are left to JSON.parse.
 */
function nestsDeeperThan(bytes, max) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) {
      inString = true;
    } else if (b === 0x5b || b === 0x7b) {
      if (++depth > max) return true;
    } else if (b === 0x5d || b === 0x7d) {
      if (--depth < 0) return false;
    }
  }
  return false;
}

async function readJson(req) {
  const bytes = await readBody(req);
  if (nestsDeeperThan(bytes, MAX_JSON_DEPTH)) throw new HttpError(413, 'INPUT_TOO_LARGE', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'MALFORMED_INPUT', 'the body must be UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'MALFORMED_INPUT', 'the body must be JSON');
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The request's caller (see CALLER), at most 256 characters; '' shares the common queue. */
function callerOf(req) {
  if (CALLER === 'none') return '';
  if (CALLER === 'address') return String(req.socket.remoteAddress ?? '').slice(0, 256);
  const header = req.headers[CALLER_HEADER];
  return String((Array.isArray(header) ? header[0] : header) ?? '').slice(0, 256);
}

function callerOptions(body) {
  const options = {};
  if (body.options === undefined) return options;
  if (!isObject(body.options)) throw new HttpError(400, 'MALFORMED_INPUT', 'options must be an object');
  for (const name of CALLER_OPTIONS) if (body.options[name] !== undefined) options[name] = body.options[name];
  return options;
}

const ROUTES = {
  '/verify': {
    POST: async (req, res) => {
      const body = await readJson(req);
      if (!isObject(body) || body.input === undefined) throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "input"');
      const result = await pool.verify(body.input, { ...callerOptions(body), caller: callerOf(req) });
      audit?.record('/verify', [result]);
      send(req, res, 200, result);
    },
  },
  '/verify/batch': {
    POST: async (req, res) => {
      const body = await readJson(req);
      if (!isObject(body) || !Array.isArray(body.inputs)) throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "inputs" (an array)');
      if (body.inputs.length > MAX_BATCH_ITEMS) throw new HttpError(413, 'INPUT_TOO_LARGE', `at most ${MAX_BATCH_ITEMS} inputs per request`);
      const results = await pool.verifyBatch(body.inputs, { ...callerOptions(body), caller: callerOf(req) });
      audit?.record('/verify/batch', results);
      send(req, res, 200, { results });
    },
  },
  '/nonce': {
    POST: async (req, res) => {
      const body = await readJson(req);
      const ttlSeconds = isObject(body) && body.ttlSeconds !== undefined ? body.ttlSeconds : NONCE_TTL_SECONDS;
      if (typeof ttlSeconds !== 'number') throw new HttpError(400, 'MALFORMED_INPUT', 'ttlSeconds must be a number');
      send(req, res, 200, { nonce: await pool.issueNonce({ ttlSeconds }), ttlSeconds });
    },
  },
  '/session': {
    POST: async (req, res) => {
      const body = await readJson(req);
      if (!isObject(body) || body.input === undefined) throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "input"');
      const result = await pool.verify(body.input, { ...callerOptions(body), caller: callerOf(req) });
      audit?.record('/session', [result]);
      if (!result.valid) {
        const first = result.errors[0];
        send(req, res, 403, { error: { code: first?.code ?? 'INTERNAL_ERROR', message: first?.message ?? 'invalid' }, result });
        return;
      }
      send(req, res, 200, await sessions.create(result, { key: SESSION_KEY, ttlSeconds: SESSION_TTL_SECONDS }));
    },
  },
  '/session/validate': {
    POST: async (req, res) => {
      const body = await readJson(req);
      if (!isObject(body) || typeof body.token !== 'string') throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "token" (a string)');
      send(req, res, 200, { session: await sessions.validate(body.token, { key: SESSION_KEY }) });
    },
  },
  '/session/revoke': {
    POST: async (req, res) => {
      const body = await readJson(req);
      if (!isObject(body) || typeof body.token !== 'string') throw new HttpError(400, 'MALFORMED_INPUT', 'the body needs "token" (a string)');
      // Whoever holds a genuine token may end its session (logout): the tag is checked first.
      const { id } = validateSession(body.token, { key: SESSION_KEY });
      send(req, res, 200, { revoked: await sessions.revokeSession(id) });
    },
  },
  '/metrics': {
    // One process alone answers for itself; in a cluster, for every process (labelled).
    GET: async (req, res) => send(req, res, 200, cluster.isWorker ? renderMerged(await collectMetrics(ownMetrics)) : pool.prometheus(), { type: 'text/plain; version=0.0.4' }),
  },
  '/metrics.json': {
    GET: async (req, res) => send(req, res, 200, { processes: (await collectMetrics(ownMetrics)).map(({ pid, metrics, sessions: s, memory }) => ({ pid, metrics, sessions: s, memory })) }),
  },
  '/healthz': {
    GET: async (req, res) => send(req, res, 200, { ok: true, workers: pool.metrics().workers.live, process: process.pid, store: { kind: store.stats().kind, ready: store.stats().ready } }),
  },
};

/** This process's figures, for /metrics and for the other processes' /metrics (cluster.js). */
function ownMetrics() {
  return { pid: process.pid, prometheus: pool.prometheus(), metrics: pool.metrics(), sessions: sessions.stats(), memory: process.memoryUsage() };
}
if (cluster.isWorker) {
  process.on('message', (message) => {
    if (message?.type === 'credcore:metrics-collect') process.send?.({ type: 'credcore:metrics-reply', id: message.id, ...ownMetrics() });
  });
}
for (const methods of Object.values(ROUTES)) if (methods.GET) methods.HEAD = methods.GET;

function pathOf(req) {
  try {
    return new URL(req.url, 'http://localhost').pathname;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'the request target is not a valid URL');
  }
}

async function handle(req, res) {
  const path = pathOf(req);
  const methods = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (methods === undefined) throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${path}`);
  const route = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
  if (route === undefined) {
    const allow = Object.keys(methods).join(', ');
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} accepts ${allow}`, { headers: { allow } });
  }
  await route(req, res);
}

const hasBody = (req) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function fail(req, res, err) {
  let status;
  let code;
  let message;
  if (err instanceof HttpError) {
    ({ status, code, message } = err);
  } else if (typeof err?.code === 'string' && Object.hasOwn(STATUS_OF, err.code)) {
    status = STATUS_OF[err.code];
    code = err.code;
    message = String(err.message);
  } else {
    process.stderr.write(`internal error on ${req.method} ${req.url}: ${err?.stack ?? err}\n`);
    status = 500;
    code = 'INTERNAL_ERROR';
    message = 'internal error';
  }
  // A body the handler did not read to the end is not waited for: answer and close.
  const close = (err instanceof HttpError && err.close) || (hasBody(req) && !req.complete);
  send(req, res, status, { error: { code, message } }, { close, headers: err?.headers ?? {} });
}

let active = 0;
let drained = null;
function onRequest(req, res) {
  const socket = req.socket;
  if (socket[REFUSED] || socket[CLOSING]) {
    // Already answered (503) or closing after an error: nothing more is served on it.
    req.resume();
    return;
  }
  socket[SERVED] = true;
  active++;
  handle(req, res)
    .catch((err) => fail(req, res, err))
    .catch((err) => {
      process.stderr.write(`cannot answer ${req.method} ${req.url}: ${err?.stack ?? err}\n`);
      res.destroy();
    })
    .finally(() => {
      active--;
      if (active === 0 && drained) drained();
    });
}

// connectionsCheckingInterval is how often node:http looks for expired headers and requests
// (30 s by default, far coarser than the timeouts here).
const server = createServer({
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(HEADERS_TIMEOUT_MS / 4))),
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
}, onRequest);
server.timeout = IDLE_TIMEOUT_MS;
// A hard ceiling that costs nothing per connection: beyond it node:http closes at accept.
server.maxConnections = 2 * MAX_CONNECTIONS;

// Expect: 100-continue. A body that is declared too large is refused before the client sends it.
server.on('checkContinue', (req, res) => {
  if (req.socket[REFUSED] || req.socket[CLOSING]) {
    req.resume();
    return;
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.socket[SERVED] = true;
    fail(req, res, tooLarge());
    return;
  }
  res.writeContinue();
  onRequest(req, res);
});
// Any other expectation.
server.on('checkExpectation', (req, res) => {
  if (req.socket[REFUSED] || req.socket[CLOSING]) {
    req.resume();
    return;
  }
  req.socket[SERVED] = true;
  fail(req, res, new HttpError(417, 'EXPECTATION_FAILED', 'only "Expect: 100-continue" is supported'));
});

let open = 0;
let stopping = false;
server.on('connection', (socket) => {
  if (open >= MAX_CONNECTIONS || stopping) {
    socket[REFUSED] = true;
    rawError(socket, 503, 'TOO_MANY_CONNECTIONS', `the server holds its limit of ${MAX_CONNECTIONS} connections`);
    return;
  }
  open++;
  // node:http times out headers from the first byte of a request; a connection that sends
  // nothing at all is timed out here, from accept.
  const timer = setTimeout(() => {
    if (!socket[SERVED]) rawError(socket, 408, 'REQUEST_TIMEOUT', `no complete request headers within ${HEADERS_TIMEOUT_MS} ms`);
  }, HEADERS_TIMEOUT_MS);
  timer.unref();
  socket.once('close', () => {
    open--;
    clearTimeout(timer);
  });
});

// Requests that are not HTTP, headers that are too large, and the headers and request timeouts.
server.on('clientError', (err, socket) => {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
    socket.destroy();
    return;
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') rawError(socket, 408, 'REQUEST_TIMEOUT', `the request was not received within ${REQUEST_TIMEOUT_MS} ms (headers within ${HEADERS_TIMEOUT_MS} ms)`);
  else if (err.code === 'HPE_HEADER_OVERFLOW') rawError(socket, 431, 'HEADERS_TOO_LARGE', 'the request headers are too large');
  else if (err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') rawError(socket, 413, 'INPUT_TOO_LARGE', 'the chunk extensions are too large');
  else rawError(socket, 400, 'BAD_REQUEST', 'the request is not valid HTTP/1.1');
});

if (KILL_WORKER_ON_SIGUSR2) {
  // Crash drill: terminate one worker (a busy one if any) through the pool's diagnostic
  // internals; the pool must retry its chunk on a fresh worker and replace it.
  process.on('SIGUSR2', () => {
    const workers = pool[Symbol.for('credcore.pool.internals')]?.workers() ?? [];
    const victim = workers.find((w) => w.busy) ?? workers[0];
    if (victim === undefined) return;
    process.stderr.write(`SIGUSR2: terminating a ${victim.busy ? 'busy' : 'idle'} pool worker of ${workers.length}\n`);
    victim.worker.terminate();
  });
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: draining\n`);
  // Stop accepting; idle keep-alive connections close now, busy ones after their response.
  server.close();
  server.closeIdleConnections();
  if (active > 0) await new Promise((resolve) => { drained = resolve; });
  await pool.close();
  await audit?.close();
  await store.close();
  process.stderr.write('stopped\n');
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  // In a cluster, the primary says it once for all processes (cluster.js).
  if (cluster.isWorker) process.send?.({ type: 'credcore:listening', port });
  else process.stdout.write(`listening on http://${HOST}:${port}\n`);
});
