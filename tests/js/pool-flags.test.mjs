// The pool starts under the Node flags services run with. A worker_threads worker inherits the
// parent's execArgv and refuses per-process flags (`--max-old-space-size`, `--title`,
// `--stack-size`, ...) with ERR_WORKER_INVALID_EXEC_ARGV; the pool passes workers only what they
// accept and carries the heap bound over as `resourceLimits.maxOldGenerationSizeMb`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Starts a pool of 2 under `flags` (and `env`), verifies two credentials, prints what it saw.
const SCRIPT = `
import { createPool, generateKeyPair, issueCredential } from 'credcore';
const issuer = generateKeyPair();
const vc = issueCredential({ credentialSubject: { id: 'did:example:1' } }, { issuer });
const pool = await createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
const results = await pool.verifyBatch([vc, vc]);
const workers = pool[Symbol.for('credcore.pool.internals')].workers();
console.log(JSON.stringify({
  valid: results.map((r) => r.valid),
  heapMb: workers.map((w) => w.worker.resourceLimits.maxOldGenerationSizeMb),
}));
await pool.close();
`;

async function poolUnder(flags, env = {}) {
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', SCRIPT], {
    cwd: new URL('.', import.meta.url), env: { ...process.env, ...env }, timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

test('createPool starts under --max-old-space-size, --title, --stack-size; the heap bound reaches the workers', async () => {
  const seen = await poolUnder(['--max-old-space-size=300', '--title=credcore-test', '--stack-size=900']);
  assert.deepEqual(seen, { valid: [true, true], heapMb: [300, 300] });
});

test('createPool starts under the flags workers accept (--enable-source-maps, --inspect, --no-warnings)', async () => {
  const seen = await poolUnder(['--enable-source-maps', '--inspect=127.0.0.1:0', '--no-warnings', '--max-semi-space-size=16']);
  assert.deepEqual(seen.valid, [true, true]);
});

test('the heap bound from NODE_OPTIONS reaches the workers too', async () => {
  const seen = await poolUnder([], { NODE_OPTIONS: '--max-old-space-size=280' });
  assert.deepEqual(seen, { valid: [true, true], heapMb: [280, 280] });
});
