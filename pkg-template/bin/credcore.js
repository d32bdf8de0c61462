#!/usr/bin/env node
// credcore: the command line. `credcore verify` streams a JSONL file through a worker pool;
// `keygen`, `issue` and `demo` help try it out. Exit codes: 0 every item valid, 1 some item
// invalid (or a demo outcome differed from the expected one), 2 usage or I/O error. Over 500
// lines on purpose: one executable file, its commands sharing the argument parser and output.

// @ts-check

import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { availableParallelism } from 'node:os';
import * as credcore from '../index.node.js';

/** Each command's usage, as `credcore COMMAND --help` prints it. */
const HELP = {
  verify: `credcore verify [--workers N] [--trusted DID,...] [--nonce X] [--audience X] [--format jsonl|summary] FILE.jsonl|-
    Each line: a compact JWT or SD-JWT, bare (as credcore issue writes it) or as a JSON string,
    or a JSON object (a Data Integrity or anon-identity credential or presentation). Writes one JSON line per
    input line, { line, valid, format, errors }, or with --format summary a table. --workers
    defaults to the core count and is capped at it. Exit 0 when every item is valid, 1 otherwise,
    2 for usage or I/O errors.`,
  keygen: `credcore keygen
    Prints a new Ed25519 key pair as JSON (base64url keys, did, kid, publicJwk).`,
  issue: `credcore issue --key KEYFILE --format vc-jwt|anon-identity|data-integrity [--expires-in SECONDS] CLAIMS.json
    Issues a credential signed by the key in KEYFILE (keygen output). CLAIMS.json is a
    credential ({ credentialSubject, ... }) or the subject's claims alone. Writes one line: a
    compact JWT, or the anon-identity or Data Integrity (eddsa-jcs-2022) credential as JSON,
    which verify reads as it is.`,
  demo: `credcore demo [--items 20000] [--workers N]
    Verifies a generated mixed workload (VC-JWT, anon-identity, SD-JWT; some forged, expired,
    revoked) with a worker pool and prints a table.`,
};

const USAGE = `usage:
${Object.values(HELP).map((h) => `  ${h.replaceAll('\n', '\n  ')}`).join('\n')}
  credcore --version
  credcore COMMAND --help`;

/** A mistake in the command line: the message and the command's synopsis, exit 2. */
class UsageError extends Error {
  /**
   * @param {string} message
   * @param {string} [command] the command whose synopsis to show
   */
  constructor(message, command) {
    super(message);
    this.command = command;
  }
}

/** A file that cannot be read (or a stream that fails): one line, exit 2. */
class IoError extends Error {}

/** Asked for a command's help: print it, exit 0. */
class HelpRequest extends Error {}

/** `--name value`, `--name=value` and positionals; `flags` lists the names that take no value. */
function parseArgs(argv, known, flags = []) {
  const opts = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new HelpRequest();
    if (a === '-' || !a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    if (!known.includes(name) && !flags.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (flags.includes(name)) opts[name] = true;
    else if (eq !== -1) opts[name] = a.slice(eq + 1);
    else if (i + 1 < argv.length) opts[name] = argv[++i];
    else throw new UsageError(`--${name} needs a value`);
  }
  return { opts, positional };
}

function intOption(value, name, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

/**
 * `--workers`: a positive integer, at most the core count (more threads than cores only add
 * memory and contention; each worker holds its own wasm instance and caches).
 */
function workersOption(value) {
  const cores = availableParallelism();
  const n = intOption(value, 'workers', cores);
  if (n > cores) {
    process.stderr.write(`credcore: --workers ${n} is more than the ${cores} cores here; using ${cores}\n`);
    return cores;
  }
  return n;
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

async function write(stream, text) {
  if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
}

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
function progressBar(totalBytes, bytesRead) {
  if (!process.stderr.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let last = 0;
  const draw = (items) => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = items / Math.max(elapsed, 1e-3);
    let bar = '';
    let eta = '';
    if (totalBytes > 0) {
      const frac = Math.min(1, bytesRead() / totalBytes);
      const width = 24;
      bar = `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}% `;
      const left = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
      eta = ` ETA ${Math.floor(left / 60)}:${String(Math.round(left % 60)).padStart(2, '0')}`;
    }
    process.stderr.write(`\r${bar}${fmtInt(items)} items ${fmtInt(rate)}/s${eta}   `);
  };
  return {
    update(items) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      draw(items);
    },
    done(items) {
      draw(items);
      process.stderr.write('\n');
    },
  };
}

/**
 * A line as the core takes it, or a MALFORMED_INPUT result: objects go as their own text, JSON
 * strings unquoted, anything else as a bare token (what `credcore issue` writes); the core
 * decides what it is.
 */
function lineInput(text) {
  const t = text.trim();
  if (t.startsWith('{')) return { input: text };
  if (t.startsWith('"')) {
    try {
      const v = JSON.parse(t);
      if (typeof v === 'string') return { input: v };
    } catch {
      // Falls through to the coded result.
    }
    return { error: { code: 'MALFORMED_INPUT', message: 'a line that starts with a quote must be a JSON string' } };
  }
  return { input: t };
}

async function verifyCommand(argv) {
  const { opts, positional } = parseArgs(argv, ['workers', 'trusted', 'nonce', 'audience', 'format']);
  if (positional.length !== 1) throw new UsageError('verify takes one FILE (or - for stdin)', 'verify');
  const format = opts.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'summary') throw new UsageError('--format is jsonl or summary', 'verify');
  const workers = workersOption(opts.workers);
  const verifier = {};
  if (opts.trusted !== undefined) verifier.trustedIssuers = opts.trusted.split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.nonce !== undefined) verifier.nonce = opts.nonce;
  if (opts.audience !== undefined) verifier.audience = opts.audience;

  const file = positional[0];
  let totalBytes = 0;
  if (file !== '-') {
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new Error('it is a directory');
      totalBytes = stat.size;
    } catch (err) {
      throw new IoError(`cannot read ${file}: ${/** @type {Error} */ (err).message}`);
    }
  }
  const input = file === '-' ? process.stdin : createReadStream(file);
  const bar = progressBar(totalBytes, () => input.bytesRead ?? 0);

  // One pass over a stream seldom meets an input twice: a small result cache keeps memory flat.
  verifier.cache = { results: 1024 };
  const pool = await credcore.createPool({ workers, verifier });
  // Lines go to the pool in groups; at most `window` groups are in flight, so memory stays flat
  // whatever the file's length.
  const groupSize = 1024;
  const window = Math.max(2, workers * 2);
  const inFlight = [];
  const counts = new Map();
  let valid = 0;
  let invalid = 0;
  let done = 0;
  const started = performance.now();

  const submit = (group) => {
    const inputs = group.inputs;
    // The pool holds them now: the group keeps only what its lines need.
    group.inputs = [];
    group.promise = inputs.length === 0 ? Promise.resolve([]) : pool.verifyBatch(inputs);
    group.promise.catch(() => {});
    inFlight.push(group);
  };
  const emit = async (group) => {
    const results = await group.promise;
    let out = '';
    let next = 0;
    for (let k = 0; k < group.lines.length; k++) {
      const local = group.local[k];
      const r = local ?? results[next++];
      const code = r.valid ? null : r.errors[0]?.code ?? 'INVALID';
      if (code === null) valid++;
      else {
        invalid++;
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      if (format === 'jsonl') out += `${JSON.stringify({ line: group.lines[k], valid: r.valid, format: r.format, errors: r.errors })}\n`;
    }
    done += group.lines.length;
    bar.update(done);
    if (out) await write(process.stdout, out);
  };
  /**
   * Lines on their way through the pool: their numbers, a local result for lines that were not
   * inputs (undefined for the others), the inputs, and the promise of their results.
   * @typedef {{ lines: number[], local: (object | undefined)[], inputs: any[], promise: Promise<any[]> | null }} Group
   * @returns {Group}
   */
  const fresh = () => ({ lines: [], local: [], inputs: [], promise: null });

  let group = fresh();
  let lineNo = 0;
  try {
    const rl = createInterface({ input, crlfDelay: Infinity });
    let ioError = null;
    input.once('error', (err) => {
      ioError = err;
      rl.close();
    });
    const lines = rl[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await lines.next();
      } catch (err) {
        throw new IoError(`cannot read ${file === '-' ? 'stdin' : file}: ${/** @type {Error} */ (ioError ?? err).message}`);
      }
      if (next.done) break;
      const text = next.value;
      lineNo++;
      if (text.trim() === '') continue;
      const { input: item, error } = lineInput(text);
      group.lines.push(lineNo);
      if (error) group.local.push({ valid: false, format: 'unknown', errors: [error] });
      else {
        group.local.push(undefined);
        group.inputs.push(item);
      }
      if (group.lines.length >= groupSize) {
        submit(group);
        group = fresh();
        if (inFlight.length >= window) await emit(inFlight.shift());
      }
    }
    if (ioError) throw new IoError(`cannot read ${file === '-' ? 'stdin' : file}: ${/** @type {Error} */ (ioError).message}`);
    submit(group);
    while (inFlight.length > 0) await emit(inFlight.shift());
  } finally {
    await pool.close();
  }
  bar.done(done);
  const seconds = (performance.now() - started) / 1000;
  if (format === 'summary') {
    const m = pool.metrics();
    const rows = [['valid', valid], ...[...counts.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => [`invalid: ${code}`, n])];
    let text = `| outcome (first error code) | items |\n|---|---:|\n`;
    for (const [name, n] of rows) text += `| ${name} | ${fmtInt(n)} |\n`;
    text += `| total | ${fmtInt(valid + invalid)} |\n\n`;
    text += `throughput: ${fmtInt((valid + invalid) / Math.max(seconds, 1e-3))} items/s (${fmtInt(valid + invalid)} items in ${seconds.toFixed(2)} s, ${workers} workers)\n`;
    const l = m.latency.item;
    const b = m.latency.batch;
    text += `item latency ms: p50 ${fmtMs(l.p50)}, p95 ${fmtMs(l.p95)}, p99 ${fmtMs(l.p99)}\n`;
    text += `batch latency ms (groups of ${groupSize} lines): p50 ${fmtMs(b.p50)}, p95 ${fmtMs(b.p95)}, p99 ${fmtMs(b.p99)}\n`;
    await write(process.stdout, text);
  }
  return invalid === 0 ? 0 : 1;
}

function keygenCommand(argv) {
  parseArgs(argv, []);
  const pair = credcore.generateKeyPair();
  const out = { did: pair.did, kid: pair.kid, publicKey: b64url(pair.publicKey), secretKey: b64url(pair.secretKey), publicJwk: pair.publicJwk };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new IoError(`cannot read ${what} ${path}: ${/** @type {Error} */ (err).message}`);
  }
}

function issueCommand(argv) {
  const { opts, positional } = parseArgs(argv, ['key', 'format', 'expires-in']);
  if (positional.length !== 1 || opts.key === undefined) throw new UsageError('issue needs --key KEYFILE and one CLAIMS.json', 'issue');
  const format = opts.format ?? 'vc-jwt';
  if (!['vc-jwt', 'anon-identity', 'data-integrity'].includes(format)) throw new UsageError('--format is vc-jwt, anon-identity or data-integrity', 'issue');
  const key = readJson(opts.key, 'key file');
  const seed = typeof key?.secretKey === 'string' ? new Uint8Array(Buffer.from(key.secretKey, 'base64url')) : null;
  if (seed === null || seed.length !== 32) throw new IoError(`${opts.key} is not a key file: it needs a base64url secretKey of 32 bytes (credcore keygen writes one)`);
  const issuer = credcore.keyPairFromSeed(seed);
  const claims = readJson(positional[0], 'claims');
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new IoError(`${positional[0]} must hold a JSON object`);
  const credential = 'credentialSubject' in claims ? claims : { credentialSubject: claims };
  const options = { issuer, format };
  if (opts['expires-in'] !== undefined) options.expiresIn = intOption(opts['expires-in'], 'expires-in');
  const out = credcore.issueCredential(credential, options);
  process.stdout.write(typeof out === 'string' ? `${out}\n` : `${JSON.stringify(out)}\n`);
  return 0;
}

// ---- demo -----------------------------------------------------------------------------------

const DEMO_STATUS_URI = 'https://issuer.example/status/demo';

/**
 * The demo's kinds of item, in the proportions of a day's traffic: how to make one, and the
 * outcome verification must give. A new format is one more row.
 */
function demoKinds(c, issuer, holder, list) {
  const subject = (i) => ({ id: holder.did, name: `Holder ${i}`, memberSince: 2020 + (i % 5) });
  const sdClaims = (i, idx) => ({ vct: 'urn:example:membership', given_name: `Holder ${i}`, level: i % 3, status: { status_list: { idx, uri: DEMO_STATUS_URI } } });
  return [
    { name: 'VC-JWT', weight: 30, expect: 'valid', make: (i) => c.issueCredential({ credentialSubject: subject(i) }, { issuer, format: 'vc-jwt', expiresIn: 3600 }) },
    { name: 'anon-identity', weight: 25, expect: 'valid', make: (i) => c.issueCredential({ credentialSubject: subject(i) }, { issuer, format: 'anon-identity', expiresIn: 3600 }) },
    { name: 'SD-JWT VC', weight: 25, expect: 'valid', make: (i) => c.sdJwt.issue(sdClaims(i, list.allocate()), { issuer, disclose: ['/given_name', '/level'], expiresIn: 3600 }) },
    {
      name: 'VC-JWT, forged', weight: 7, expect: 'INVALID_SIGNATURE', make: (i) => {
        const [h, , s] = c.issueCredential({ credentialSubject: subject(i) }, { issuer, format: 'vc-jwt', expiresIn: 3600 }).split('.');
        const [, p] = c.issueCredential({ credentialSubject: { ...subject(i), name: 'Mallory' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 }).split('.');
        return `${h}.${p}.${s}`;
      },
    },
    { name: 'VC-JWT, expired', weight: 7, expect: 'EXPIRED_CREDENTIAL', make: (i) => c.issueCredential({ credentialSubject: subject(i) }, { issuer, format: 'vc-jwt', expiresIn: 60, now: Date.now() - 86_400_000 }) },
    {
      name: 'SD-JWT VC, revoked', weight: 6, expect: 'REVOKED_CREDENTIAL', make: (i) => {
        const idx = list.allocate();
        list.set(idx, 1);
        return c.sdJwt.issue(sdClaims(i, idx), { issuer, disclose: ['/given_name'], expiresIn: 3600 });
      },
    },
  ];
}

async function demoCommand(argv) {
  const { opts } = parseArgs(argv, ['items', 'workers']);
  const n = intOption(opts.items, 'items', 20_000);
  const workers = workersOption(opts.workers);
  const c = credcore;
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const list = new c.StatusList({ format: 'ietf', uri: DEMO_STATUS_URI, size: Math.max(1024, 2 * n), bits: 1, issuer });
  const kinds = demoKinds(c, issuer, holder, list);
  const totalWeight = kinds.reduce((s, k) => s + k.weight, 0);
  // Interleave kinds by weight so every chunk holds a mix.
  const plan = [];
  for (const k of kinds) for (let j = 0; j < k.weight; j++) plan.push(k);

  const t0 = performance.now();
  const inputs = new Array(n);
  const kindOf = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = plan[i % totalWeight];
    inputs[i] = k.make(i);
    kindOf[i] = k;
  }
  const tIssue = performance.now() - t0;
  // Each way of verifying first runs untimed over other items of the same kinds (as a service's
  // first requests do; other items, so that no timed item is a cache hit), so that each is timed
  // warm: one thread, a pool of one worker, and a pool of `workers`. The engine compiles hot wasm
  // functions to optimized code after some hundreds of milliseconds of use, for every instance of
  // the module at once (the workers share the module): the first warm-up is long enough for that.
  const warm = Array.from({ length: Math.min(n, 1000) }, (_, i) => plan[i % totalWeight].make(n + i));
  const statusToken = list.sign();
  list.free();

  const options = { trustedIssuers: [issuer.did], statusLists: { [DEMO_STATUS_URI]: statusToken } };
  const tWarm = performance.now();
  do c.verifyBatch(warm, options);
  while (performance.now() - tWarm < 1500);
  const t2 = performance.now();
  const single = c.verifyBatch(inputs, options);
  const tSingle = performance.now() - t2;

  let resolverCalls = 0;
  const poolRun = async (size) => {
    const pool = await c.createPool({
      workers: size,
      verifier: { trustedIssuers: [issuer.did] },
      statusListResolver: async (uri) => {
        resolverCalls++;
        return uri === DEMO_STATUS_URI ? statusToken : null;
      },
    });
    try {
      await pool.verifyBatch(warm);
      const t1 = performance.now();
      const out = await pool.verifyBatch(inputs);
      return { out, ms: performance.now() - t1 };
    } finally {
      await pool.close();
    }
  };
  const one = await poolRun(1);
  const many = workers > 1 ? await poolRun(workers) : one;
  const results = many.out;
  const tPool = many.ms;
  let disagreementsOfOne = 0;
  for (let i = 0; i < n; i++) if (one.out[i].valid !== single[i].valid) disagreementsOfOne++;

  const rows = new Map(kinds.map((k) => [k.name, { kind: k, count: 0, valid: 0, codes: new Map(), unexpected: 0 }]));
  let disagreements = 0;
  results.forEach((r, i) => {
    const row = /** @type {NonNullable<ReturnType<typeof rows.get>>} */ (rows.get(kindOf[i].name));
    row.count++;
    const outcome = r.valid ? 'valid' : r.errors[0]?.code;
    if (r.valid) row.valid++;
    else row.codes.set(outcome, (row.codes.get(outcome) ?? 0) + 1);
    if (outcome !== row.kind.expect) row.unexpected++;
    if (r.valid !== single[i].valid) disagreements++;
  });

  const rate = (items, ms) => fmtInt((items / ms) * 1000);
  let out = `credcore ${c.version()} demo: ${fmtInt(n)} items, ${workers} workers\n\n`;
  out += '| kind | items | valid | invalid (code) | as expected |\n|---|---:|---:|---|---|\n';
  for (const row of rows.values()) {
    const codes = [...row.codes.entries()].map(([code, k]) => `${fmtInt(k)} ${code}`).join(', ') || '-';
    out += `| ${row.kind.name} | ${fmtInt(row.count)} | ${fmtInt(row.valid)} | ${codes} | ${row.unexpected === 0 ? 'yes' : `NO (${row.unexpected})`} |\n`;
  }
  out += '\n| step | ms | items/s |\n|---|---:|---:|\n';
  out += `| issue (one thread) | ${tIssue.toFixed(0)} | ${rate(n, tIssue)} |\n`;
  out += `| verify: verifyBatch, one thread | ${tSingle.toFixed(0)} | ${rate(n, tSingle)} |\n`;
  out += `| verify: pool of 1 worker | ${one.ms.toFixed(0)} | ${rate(n, one.ms)} |\n`;
  if (workers > 1) out += `| verify: pool of ${workers} workers | ${tPool.toFixed(0)} | ${rate(n, tPool)} |\n`;
  out += `\nstatus list fetched ${resolverCalls} time(s) (once per pool); the pools and one thread agree on ${fmtInt(n - disagreements - disagreementsOfOne)} of ${fmtInt(n)} items\n`;
  process.stdout.write(out);
  const unexpected = [...rows.values()].reduce((s, r) => s + r.unexpected, 0);
  return unexpected === 0 && disagreements === 0 && disagreementsOfOne === 0 ? 0 : 1;
}

const COMMANDS = { verify: verifyCommand, keygen: keygenCommand, issue: issueCommand, demo: demoCommand };

/** The package's version, from its package.json (beside bin/). */
function packageVersion() {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return credcore.version();
  }
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(`${topic !== undefined && topic in HELP ? `usage: ${HELP[topic]}` : USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`credcore ${packageVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) throw new UsageError(`unknown command ${command} (credcore --help lists them)`);
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof HelpRequest) {
      process.stdout.write(`usage: ${HELP[command]}\n`);
      return 0;
    }
    if (err instanceof UsageError && err.command === undefined) err.command = command;
    throw err;
  }
}

// A reader that stops early (`credcore verify big.jsonl | head -1`) closes the pipe: end
// quietly, as other command-line tools do, with nothing on stderr.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (/** @type {any} */ (err)?.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      const synopsis = err.command !== undefined && err.command in HELP ? HELP[err.command].split('\n')[0] : null;
      process.stderr.write(`credcore: ${err.message}\n${synopsis ? `usage: ${synopsis}\n` : ''}`);
    } else {
      process.stderr.write(`credcore: ${err?.name === 'CredcoreError' ? `${err.code}: ` : ''}${err?.message ?? err}\n`);
    }
    process.exitCode = 2;
  },
);
