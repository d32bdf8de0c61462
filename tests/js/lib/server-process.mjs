// Starts the example server (examples/server/server.js) as a child process on a free port of
// 127.0.0.1, with two workers and a 64 KiB body bound unless `env` says otherwise.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function startServer(env = {}, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, join(root, 'examples', 'server', 'server.js')], {
    env: { ...process.env, PORT: '0', WORKERS: '2', MAX_BODY_BYTES: '65536', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let line = '';
  for await (const chunk of child.stdout) {
    line += chunk;
    if (line.includes('\n')) break;
  }
  const match = line.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
  assert.ok(match, `server started: ${line} ${stderr}`);
  return { child, origin: match[1], stderr: () => stderr };
}
