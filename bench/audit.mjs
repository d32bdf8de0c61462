// Audit pipeline, 460-byte events: canonicalize (RFC 8785) + SHA-256 hash chain + HMAC-SHA-256
// per event. credcore's AuditLog.append (one call per batch) versus the Node pipeline of the
// `canonicalize` package and node:crypto, measured in the same run on fresh events.
//
// Run: make bench (or: node bench/audit.mjs after make build)

import { createHash, createHmac } from 'node:crypto';
import canonicalizeNode from 'canonicalize';
import * as credcore from '../pkg/index.node.js';
import { median, table, target } from './lib.mjs';

const KEY = new Uint8Array(32).fill(7);

function makeEvents(n, round) {
  const events = [];
  for (let i = 0; i < n; i++) {
    events.push({
      type: 'credential.verified',
      id: `urn:uuid:${round}-${i}-5f0c2b7e-8a3d-4c1e-9b6f-${String(i).padStart(12, '0')}`,
      time: `2026-11-23T12:${String(i % 60).padStart(2, '0')}:00.000Z`,
      actor: { did: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp', role: 'verifier' },
      subject: { did: `did:key:z6Mk${round}x${i}holder`, session: i * 7 + round },
      outcome: { valid: i % 10 !== 0, codes: i % 10 === 0 ? ['EXPIRED_CREDENTIAL'] : [], latencyMs: (i % 97) / 10 },
      resource: { path: '/api/v1/credentials/verify', method: 'POST', bytes: 1024 + (i % 512) },
      tags: ['audit', 'credcore', `shard-${i % 8}`],
    });
  }
  return events;
}

function nodePipeline(events) {
  let prev = Buffer.alloc(32);
  const out = [];
  for (const event of events) {
    const canonical = canonicalizeNode(event);
    const hash = createHash('sha256').update(prev).update(canonical).digest();
    const mac = createHmac('sha256', KEY).update(hash).digest('hex');
    out.push({ hash: hash.toString('hex'), mac });
    prev = hash;
  }
  return out;
}

export async function run({ n = 10_000, runs = 7 } = {}) {
  const size = JSON.stringify(makeEvents(1, 0)[0]).length;
  let round = 0;
  const setup = () => makeEvents(n, ++round);
  const rows = [];
  rows.push({ name: 'credcore AuditLog.append (one call)', items: n, ms: await median((events) => {
    const log = new credcore.AuditLog({ hmacKey: KEY, keyId: 'k1' });
    log.append(events);
    log.free();
  }, { runs, setup }) });
  rows.push({ name: 'canonicalize (npm) + node:crypto', items: n, ms: await median((events) => nodePipeline(events), { runs, setup }) });
  table(`Audit chain, ${n} events of ~${size} bytes: canonicalize + SHA-256 chain + HMAC (median of ${runs})`, rows, { unit: 'events' });
  const rate = (n / rows[0].ms) * 1000;
  target('credcore events/s (one thread)', rate, 100_000);
  target('credcore vs the Node pipeline', rows[1].ms / rows[0].ms, 2);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
