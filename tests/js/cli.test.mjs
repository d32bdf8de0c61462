// The credcore CLI from the installed package: verify streams a JSONL file (a malformed line gets
// its code, the rest go on; exit 1 when any item is invalid, 0 when all are valid, 2 on usage
// errors), keygen and issue round-trip (what issue writes, verify reads), demo verifies its mixed
// workload as expected; --workers is capped at the core count, a closed pipe ends quietly,
// --version and per-command --help, I/O errors in one line with exit 2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as c from 'credcore';
import { mixedWorkload } from './lib/workload.mjs';

const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));
const bin = join(pkgDir, JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).bin.credcore);
const run = (args, input) => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 120_000 });

test('the package declares the credcore bin, executable, with a node shebang', () => {
  assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
  assert.ok(statSync(bin).mode & 0o111, 'executable');
});

test('verify: a malformed line gets its code and line number, the other lines verify, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-cli-'));
  try {
    const issuer = c.generateKeyPair();
    const jwt = c.issueCredential({ credentialSubject: { id: issuer.did, n: 1 } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    const anon = c.issueCredential({ credentialSubject: { id: issuer.did, n: 2 } }, { issuer, format: 'anon-identity', expiresIn: 3600 });
    const lines = [JSON.stringify(jwt), 'this is not JSON', JSON.stringify(anon), '', '{"type": ', '42', JSON.stringify(`${jwt.slice(0, -4)}AAAA`), JSON.stringify(jwt)];
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = run(['verify', '--workers', '2', file]);
    assert.equal(r.status, 1, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => [o.line, o.valid, o.format, o.errors[0]?.code ?? null]), [
      [1, true, 'vc-jwt', null],
      [2, false, 'unknown', 'MALFORMED_INPUT'],
      [3, true, 'anon-identity', null],
      [5, false, 'unknown', 'MALFORMED_INPUT'],
      [6, false, 'unknown', 'MALFORMED_INPUT'],
      [7, false, 'vc-jwt', 'INVALID_SIGNATURE'],
      [8, true, 'vc-jwt', null],
    ]);
    for (const o of out) assert.deepEqual(Object.keys(o), ['line', 'valid', 'format', 'errors']);

    // Trusted issuers from the command line; stdin as input; all valid gives exit 0.
    const ok = run(['verify', '--trusted', issuer.did, '-'], `${JSON.stringify(jwt)}\n${JSON.stringify(anon)}\n`);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim().split('\n').length, 2);
    const untrusted = run(['verify', '--trusted', c.generateKeyPair().did, '-'], `${JSON.stringify(jwt)}\n`);
    assert.equal(untrusted.status, 1);
    assert.equal(JSON.parse(untrusted.stdout).errors[0].code, 'UNTRUSTED_ISSUER');

    const summary = run(['verify', '--format', 'summary', file]);
    assert.equal(summary.status, 1);
    assert.match(summary.stdout, /^\| valid \| 3 \|$/m);
    assert.match(summary.stdout, /^\| invalid: MALFORMED_INPUT \| 3 \|$/m);
    assert.match(summary.stdout, /^\| invalid: INVALID_SIGNATURE \| 1 \|$/m);
    assert.match(summary.stdout, /^\| total \| 7 \|$/m);
    assert.match(summary.stdout, /^throughput: [\d,]+ items\/s/m);
    assert.match(summary.stdout, /^item latency ms: p50 [\d.]+, p95 [\d.]+, p99 [\d.]+$/m);

    assert.equal(run(['verify', join(dir, 'missing.jsonl')]).status, 2);
    assert.equal(run(['verify', '--format', 'xml', file]).status, 2);
    assert.equal(run(['frobnicate']).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keygen and issue: the issued credentials verify under the generated key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-cli-'));
  try {
    const kg = run(['keygen']);
    assert.equal(kg.status, 0);
    const key = JSON.parse(kg.stdout);
    assert.equal(Buffer.from(key.secretKey, 'base64url').length, 32);
    assert.equal(c.keyPairFromSeed(new Uint8Array(Buffer.from(key.secretKey, 'base64url'))).did, key.did);
    writeFileSync(join(dir, 'key.json'), kg.stdout);
    writeFileSync(join(dir, 'claims.json'), JSON.stringify({ name: 'Ada', role: 'engineer' }));
    const jwt = run(['issue', '--key', join(dir, 'key.json'), '--format', 'vc-jwt', '--expires-in', '600', join(dir, 'claims.json')]);
    assert.equal(jwt.status, 0, jwt.stderr);
    const anon = run(['issue', '--key', join(dir, 'key.json'), '--format', 'anon-identity', join(dir, 'claims.json')]);
    const di = run(['issue', '--key', join(dir, 'key.json'), '--format', 'data-integrity', join(dir, 'claims.json')]);
    assert.equal(anon.status, 0, anon.stderr);
    assert.equal(di.status, 0, di.stderr);
    const [a, b, d] = c.verifyBatch([jwt.stdout.trim(), JSON.parse(anon.stdout), di.stdout.trim()], { trustedIssuers: [key.did] });
    assert.deepEqual([a.valid, a.format, a.issuer, a.claims.name], [true, 'vc-jwt', key.did, 'Ada']);
    assert.deepEqual([b.valid, b.format, b.issuer], [true, 'anon-identity', key.did]);
    assert.deepEqual([d.valid, d.format, d.issuer, d.claims?.role], [true, 'data-integrity', key.did, 'engineer']);
    assert.equal(JSON.parse(di.stdout).proof.cryptosuite, 'eddsa-jcs-2022');
    assert.equal(run(['issue', '--key', join(dir, 'key.json'), '--format', 'ld', join(dir, 'claims.json')]).status, 2);
    assert.ok(a.expiresAt - Date.now() / 1000 <= 600 && a.expiresAt - Date.now() / 1000 > 500, 'expires in 600 s');
    assert.equal(run(['issue', '--key', join(dir, 'claims.json'), join(dir, 'claims.json')]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo: every kind of item gets its expected outcome, pool and one thread agree', () => {
  const r = run(['demo', '--items', '700', '--workers', '2']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const [kind, n] of [['VC-JWT', 210], ['anon-identity', 175], ['SD-JWT VC', 175]]) {
    assert.match(r.stdout, new RegExp(`^\\| ${kind} \\| ${n} \\| ${n} \\| - \\| yes \\|$`, 'm'));
  }
  assert.match(r.stdout, /^\| VC-JWT, forged \| 49 \| 0 \| 49 INVALID_SIGNATURE \| yes \|$/m);
  assert.match(r.stdout, /^\| VC-JWT, expired \| 49 \| 0 \| 49 EXPIRED_CREDENTIAL \| yes \|$/m);
  assert.match(r.stdout, /^\| SD-JWT VC, revoked \| 42 \| 0 \| 42 REVOKED_CREDENTIAL \| yes \|$/m);
  assert.match(r.stdout, /^\| verify: verifyBatch, one thread \| \d+ \| [\d,]+ \|$/m);
  assert.match(r.stdout, /^\| verify: pool of 1 worker \| \d+ \| [\d,]+ \|$/m);
  assert.match(r.stdout, /^\| verify: pool of 2 workers \| \d+ \| [\d,]+ \|$/m);
  assert.match(r.stdout, /status list fetched 2 time\(s\) \(once per pool\); the pools and one thread agree on 700 of 700 items/);
});

test('verify keeps going across groups: 5,000 lines with every kind, in order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-cli-'));
  try {
    const w = mixedWorkload(c, 5000, { tag: 'cli' });
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, `${w.inputs.map((x) => JSON.stringify(x)).join('\n')}\n`);
    const r = run(['verify', '--workers', '2', file]);
    assert.equal(r.status, 1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 5000);
    out.forEach((o, i) => assert.equal(o.line, i + 1));
    // Without a status list the SD-JWTs fail closed; the rest are as issued.
    const want = { 'vc-jwt': null, 'anon-identity': null, 'sd-jwt': 'STATUS_UNAVAILABLE', forged: 'INVALID_SIGNATURE', expired: 'EXPIRED_CREDENTIAL', revoked: 'STATUS_UNAVAILABLE', malformed: 'MALFORMED_INPUT' };
    out.forEach((o, i) => assert.equal(o.errors[0]?.code ?? null, want[w.kinds[i]], `line ${i + 1}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A temporary directory with a key, claims, and a credential issued by `credcore issue`. */
function issued() {
  const dir = mkdtempSync(join(tmpdir(), 'credcore-cli-'));
  writeFileSync(join(dir, 'key.json'), run(['keygen']).stdout);
  writeFileSync(join(dir, 'claims.json'), JSON.stringify({ name: 'Ada' }));
  const vc = run(['issue', '--key', join(dir, 'key.json'), '--format', 'vc-jwt', join(dir, 'claims.json')]);
  assert.equal(vc.status, 0, vc.stderr);
  writeFileSync(join(dir, 'vc.txt'), vc.stdout);
  const anon = run(['issue', '--key', join(dir, 'key.json'), '--format', 'anon-identity', join(dir, 'claims.json')]);
  writeFileSync(join(dir, 'anon.txt'), anon.stdout);
  return { dir, jwt: vc.stdout.trim(), did: JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8')).did };
}

test('verify reads what issue writes: bare tokens per line (and JSON strings, objects), exit 0', () => {
  const { dir, jwt, did } = issued();
  try {
    assert.doesNotMatch(jwt, /^"/, 'issue writes a bare JWT');
    const r = run(['verify', '--trusted', did, join(dir, 'vc.txt')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { line: 1, valid: true, format: 'vc-jwt', errors: [] });
    // Bare, quoted, with surrounding spaces or CRLF, and an anon-identity object, in one file.
    const mixed = `${jwt}\n${JSON.stringify(jwt)}\n  ${jwt}  \r\n${readFileSync(join(dir, 'anon.txt'), 'utf8')}`;
    const m = run(['verify', '--trusted', did, '-'], mixed);
    assert.equal(m.status, 0, m.stdout + m.stderr);
    assert.deepEqual(m.stdout.trim().split('\n').map((l) => [JSON.parse(l).line, JSON.parse(l).valid, JSON.parse(l).format]),
      [[1, true, 'vc-jwt'], [2, true, 'vc-jwt'], [3, true, 'vc-jwt'], [4, true, 'anon-identity']]);
    // A bare token that is not one is the core's MALFORMED_INPUT; an unterminated JSON string too.
    const bad = run(['verify', '-'], 'not.a.jwt\n"unterminated\n');
    assert.equal(bad.status, 1);
    assert.deepEqual(bad.stdout.trim().split('\n').map((l) => JSON.parse(l).errors[0].code), ['MALFORMED_INPUT', 'MALFORMED_INPUT']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--workers is capped at the core count, with a note on stderr', () => {
  const { dir, did } = issued();
  try {
    const cores = availableParallelism();
    const r = run(['verify', '--workers', '1000', '--trusted', did, '--format', 'summary', join(dir, 'vc.txt')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`--workers 1000 is more than the ${cores} cores here; using ${cores}`));
    assert.match(r.stdout, new RegExp(`, ${cores} workers\\)`));
    const d = run(['demo', '--items', '60', '--workers', '64']);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, new RegExp(`60 items, ${cores} workers`));
    assert.equal(run(['verify', '--workers', '0', join(dir, 'vc.txt')]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that closes the pipe early (| head -1) ends verify quietly: no stack trace, exit 0', async () => {
  const { dir, jwt } = issued();
  try {
    const file = join(dir, 'many.txt');
    writeFileSync(file, `${Array(20_000).fill(jwt).join('\n')}\n`);
    const child = spawn(process.execPath, [bin, 'verify', '--workers', '2', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const first = await new Promise((resolve) => {
      child.stdout.once('data', (d) => {
        resolve(String(d).split('\n')[0]);
        child.stdout.destroy();
      });
    });
    const [code, signal] = await new Promise((resolve) => child.on('close', (c, s) => resolve([c, s])));
    assert.equal(JSON.parse(first).line, 1);
    assert.equal(stderr, '');
    assert.deepEqual([code, signal], [0, null]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--version prints the package version; COMMAND --help prints that command\'s usage, exit 0', () => {
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  for (const flag of ['--version', '-v']) {
    const r = run([flag]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `credcore ${version}\n`);
  }
  for (const command of ['verify', 'keygen', 'issue', 'demo']) {
    for (const flag of ['--help', '-h']) {
      const r = run([command, flag]);
      assert.equal(r.status, 0, `${command} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: credcore ${command}\\b`));
      assert.equal(r.stdout.match(/^(usage: )?\s*credcore (verify|keygen|issue|demo)( |$)/gm)?.length, 1, `only that command: ${r.stdout}`);
    }
  }
  const help = run(['help', 'issue']);
  assert.match(help.stdout, /^usage: credcore issue --key KEYFILE/);
  const all = run(['--help']);
  assert.equal(all.status, 0);
  assert.match(all.stdout, /credcore --version/);
});

test('I/O errors are one line on stderr with exit 2; usage errors name the command\'s synopsis', () => {
  const { dir } = issued();
  try {
    const cases = [
      [['verify', join(dir, 'missing.jsonl')], /^credcore: cannot read .*missing\.jsonl: ENOENT/],
      [['issue', '--key', join(dir, 'nokey.json'), join(dir, 'claims.json')], /^credcore: cannot read key file .*nokey\.json: ENOENT/],
      [['issue', '--key', join(dir, 'key.json'), join(dir, 'noclaims.json')], /^credcore: cannot read claims .*noclaims\.json: ENOENT/],
      [['issue', '--key', join(dir, 'claims.json'), join(dir, 'claims.json')], /^credcore: .*claims\.json is not a key file/],
      [['verify', dir], /^credcore: cannot read .*: it is a directory\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
    const usage = run(['verify', '--format', 'xml', join(dir, 'vc.txt')]);
    assert.equal(usage.status, 2);
    assert.deepEqual(usage.stderr.trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')), ['credcore: --format is', 'usage: credcore verify']);
    assert.equal(run(['frobnicate']).stderr, 'credcore: unknown command frobnicate (credcore --help lists them)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
