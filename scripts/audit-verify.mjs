#!/usr/bin/env node
// Checks the audit chains of every process of the example service together: the chains the
// shared store lists (with their latest checkpoints) against the entries in AUDIT_DIR/<chain>.jsonl.
// Environment: AUDIT_DIR, REDIS_URL (REDIS_PREFIX), AUDIT_KEY (hex HMAC key), and the checkpoint
// signer as AUDIT_SIGNER (did:key) or AUDIT_SIGNER_SEED (hex). Prints the report of
// AuditLog.verifyChains as JSON; exits 0 when every chain verifies and none is missing, else 1.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog, keyPairFromSeed } from '../pkg/index.node.js';
import { createRedisStore } from '../pkg/redis.js';

const dir = process.env.AUDIT_DIR;
const url = process.env.REDIS_URL;
if (!dir || !url || !process.env.AUDIT_KEY || !(process.env.AUDIT_SIGNER || process.env.AUDIT_SIGNER_SEED)) {
  process.stderr.write('usage: AUDIT_DIR=... REDIS_URL=... AUDIT_KEY=hex (AUDIT_SIGNER=did:key:... | AUDIT_SIGNER_SEED=hex) node scripts/audit-verify.mjs\n');
  process.exit(2);
}
const signer = process.env.AUDIT_SIGNER || keyPairFromSeed(new Uint8Array(Buffer.from(process.env.AUDIT_SIGNER_SEED, 'hex')).subarray(0, 32)).did;
const keys = { k1: new Uint8Array(Buffer.from(process.env.AUDIT_KEY, 'hex')) };
const store = createRedisStore({ url, prefix: process.env.REDIS_PREFIX ?? 'credcore:' });
if (!(await store.ready(5000))) {
  process.stderr.write(`Redis at ${url} is not answering\n`);
  process.exit(2);
}
const listed = await AuditLog.listChains(store);
await store.close();
const checkpoints = Object.fromEntries(listed.map(({ chainId, checkpoint }) => [chainId, checkpoint]));
const chains = {};
for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
  const chainId = name.slice(0, -'.jsonl'.length);
  chains[chainId] = { entries: AuditLog.fromJsonl(readFileSync(join(dir, name), 'utf8')), checkpoint: checkpoints[chainId] ?? null };
}
const report = AuditLog.verifyChains(chains, keys, [signer], { expected: listed.map((c) => c.chainId) });
const entries = Object.values(chains).reduce((n, c) => n + c.entries.length, 0);
process.stdout.write(`${JSON.stringify({ ...report, entries }, null, 2)}\n`);
process.exit(report.valid ? 0 : 1);
