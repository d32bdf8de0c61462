#!/usr/bin/env node
// credcore example: a verification service on node:http (service.js), in one process or in
// PROCESSES processes behind one port (node:cluster, cluster.js), sharing nonces, sessions and
// fetched status lists through Redis (REDIS_URL). `make serve` starts it with a local
// redis-server. See service.js for the routes and the rest of the environment.
//
//   PROCESSES   processes serving the port (default 1: this process serves alone). More than one
//               needs REDIS_URL: single-use nonces and session revocation must hold in all of them.
//   REDIS_URL   redis://host:port of the shared store (optional with one process).
//   WORKERS     pool workers per process (default: the cores divided among the processes).
//
// The first line on stdout is `listening on http://HOST:PORT`, once every process listens.

import cluster from 'node:cluster';

const raw = process.env.PROCESSES;
const processes = raw === undefined || raw.trim() === '' ? 1 : Number(raw);
if (!Number.isInteger(processes) || processes < 1) {
  process.stderr.write(`PROCESSES must be an integer >= 1, got ${JSON.stringify(raw)}\n`);
  process.exit(2);
}
if (processes > 1 && (process.env.REDIS_URL ?? '').trim() === '') {
  process.stderr.write('PROCESSES > 1 needs REDIS_URL: without a shared store a nonce used in one process would pass in another, and a revoked session would stay valid there\n');
  process.exit(2);
}

if (cluster.isPrimary && processes > 1) await import('./cluster.js');
else await import('./service.js');
