// A real redis-server for the suites, the cluster benchmark and `make serve`: Debian's
// (scripts/setup.sh installs it), started on 127.0.0.1 on a free port, in a temporary directory,
// without persistence, and stopped by PID. There is no fallback: a machine without redis-server
// fails the suites that need it, it never skips them.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary, or an error that says how to get it. */
export function redisServerPath() {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server is not installed: run scripts/setup.sh (it installs Debian\'s redis-server)');
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when something answers PING with PONG on the port, rejects after `ms`. */
export async function waitForPong(port, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (d) => {
        data += d;
        if (data.includes('\r\n')) { socket.destroy(); resolve(data.startsWith('+PONG')); }
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts redis-server. Returns `{ port, url, pid, stop(), kill(), start() }`: `kill()` sends
 * SIGKILL (a crash), `stop()` SIGTERM and removes the directory, `start()` starts it again on the
 * same port (after `kill()`, to test recovery).
 * @param {{ port?: number }} [options]
 */
export async function startRedis(options = {}) {
  const bin = redisServerPath();
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'credcore-redis-'));
  let child = null;
  const handle = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child?.pid;
    },
    async start() {
      if (child !== null) return handle;
      const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (d) => { stderr += d; });
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      child = proc;
      proc.once('exit', () => { if (child === proc) child = null; });
      try {
        await Promise.race([waitForPong(port), exited.then((code) => { throw new Error(`redis-server exited with ${code}: ${stderr}`); })]);
      } catch (err) {
        proc.kill('SIGKILL');
        throw err;
      }
      return handle;
    },
    /** SIGKILL, as a crash; resolves when it has exited. */
    async kill() {
      const proc = child;
      if (proc === null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      process.kill(proc.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      const proc = child;
      if (proc !== null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        process.kill(proc.pid, 'SIGTERM');
        const timer = setTimeout(() => { try { process.kill(proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle.start();
}
