// credcore example: the primary of a service of PROCESSES processes (node:cluster). It forks
// them, each running service.js on the same port (the primary hands out connections round robin),
// replaces one that dies, answers the metrics requests of any of them with the figures of all
// (metrics.js), and on SIGTERM or SIGINT stops them all (each drains) before it exits.
//
// What the processes share goes through Redis (REDIS_URL), never through this primary: it holds
// no state a request depends on, so a process that dies loses nothing the others need.

import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

const PROCESSES = Number(process.env.PROCESSES);
const HOST = process.env.HOST ?? '127.0.0.1';
// One session key for every process (the tokens of one validate in all), unless given.
const SESSION_KEY = (process.env.SESSION_KEY ?? '').trim() || randomBytes(32).toString('hex');
// The cores divided among the processes: each gets at least one pool worker.
const WORKERS = (process.env.WORKERS ?? '').trim() || String(Math.max(1, Math.floor(availableParallelism() / PROCESSES)));

let stopping = false;
const listening = new Set();
let announced = false;
/** Replacements in the last minute: a process that dies at once, over and over, is not restarted forever. */
let restarts = [];

function fork(index) {
  const worker = cluster.fork({ SESSION_KEY, WORKERS, CREDCORE_PROCESS_INDEX: String(index) });
  worker.credcoreIndex = index;
  worker.on('message', (message) => onMessage(worker, message));
  return worker;
}

function onMessage(worker, message) {
  if (message?.type === 'credcore:listening') {
    listening.add(worker.id);
    if (!announced && listening.size === PROCESSES) {
      announced = true;
      process.stdout.write(`listening on http://${HOST}:${message.port}\n`);
    }
  } else if (message?.type === 'credcore:metrics-request') {
    collect(message.id).then((processes) => {
      if (worker.isConnected()) worker.send({ type: 'credcore:metrics-result', id: message.id, processes });
    });
  }
}

/** Every live process's figures, each within a second (a busy or dying one is left out). */
function collect(id) {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
  return Promise.all(workers.map((w) => new Promise((resolve) => {
    const timer = setTimeout(() => { w.off('message', onReply); resolve(null); }, 1000);
    function onReply(message) {
      if (message?.type !== 'credcore:metrics-reply' || message.id !== id) return;
      clearTimeout(timer);
      w.off('message', onReply);
      const { pid, prometheus, metrics, sessions, memory } = message;
      resolve({ pid, prometheus, metrics, sessions, memory });
    }
    w.on('message', onReply);
    w.send({ type: 'credcore:metrics-collect', id });
  }))).then((all) => all.filter(Boolean));
}

cluster.on('exit', (worker, code, signal) => {
  listening.delete(worker.id);
  if (stopping) {
    if (Object.keys(cluster.workers ?? {}).length === 0) {
      process.stderr.write('stopped\n');
      process.exit(0);
    }
    return;
  }
  const now = Date.now();
  restarts = restarts.filter((t) => now - t < 60_000);
  process.stderr.write(`process ${worker.process.pid} exited (${signal ?? code}); ${restarts.length < 10 ? 'starting another' : 'too many restarts in a minute, not replacing it'}\n`);
  if (restarts.length < 10) {
    restarts.push(now);
    fork(worker.credcoreIndex);
  }
});

function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: stopping ${PROCESSES} processes\n`);
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

for (let i = 0; i < PROCESSES; i++) fork(i);
