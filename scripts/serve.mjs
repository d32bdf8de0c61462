#!/usr/bin/env node
// `make serve`: the example service in PROCESSES processes (default: the core count) on
// HOST:PORT (default 127.0.0.1:8080), sharing a local redis-server that this script starts
// (REDIS_PORT, default a free port; a temporary directory, no persistence) and stops by PID when
// the service stops (Ctrl-C or SIGTERM). With REDIS_URL set, that Redis is used and none started.

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedis } from './redis-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const given = (process.env.REDIS_URL ?? '').trim();
const redis = given === '' ? await startRedis(process.env.REDIS_PORT ? { port: Number(process.env.REDIS_PORT) } : {}) : null;
const url = given || redis.url;
const processes = process.env.PROCESSES ?? String(Math.max(1, availableParallelism()));
process.stderr.write(`${redis ? `redis-server (pid ${redis.pid}) on ${url}` : `Redis at ${url}`}; ${processes} processes\n`);

const child = spawn(process.execPath, ['examples/server/server.js'], {
  cwd: root,
  env: { ...process.env, PROCESSES: processes, REDIS_URL: url },
  stdio: 'inherit',
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', () => forward('SIGINT'));
process.on('SIGTERM', () => forward('SIGTERM'));
child.on('exit', async (code, signal) => {
  await redis?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
