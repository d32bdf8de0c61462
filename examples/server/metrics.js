// credcore example: the metrics of every process of the service. Behind one port, a scrape or a
// request reaches one process at random; that process asks the primary (cluster.js) for the
// figures of all of them, and answers with every process's samples, labelled `process="PID"`.

import cluster from 'node:cluster';

let nextId = 1;
const waiting = new Map();
if (cluster.isWorker) {
  process.on('message', (message) => {
    if (message?.type !== 'credcore:metrics-result') return;
    const settle = waiting.get(message.id);
    if (settle !== undefined) settle(message.processes);
  });
}

/**
 * The figures of every process (`own()` of each): through the primary in a cluster (at most
 * `timeoutMs`; then this process's own), else this process's.
 */
export function collectMetrics(own, timeoutMs = 2000) {
  if (!cluster.isWorker || typeof process.send !== 'function') return Promise.resolve([own()]);
  const id = `${process.pid}:${nextId++}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve([own()]);
    }, timeoutMs);
    waiting.set(id, (processes) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(processes.length > 0 ? processes : [own()]);
    });
    process.send({ type: 'credcore:metrics-request', id });
  });
}

/**
 * One Prometheus text of several processes' (`[{ pid, prometheus }]`): each family once, with its
 * HELP and TYPE, and every sample labelled with the process it came from.
 */
export function renderMerged(processes) {
  const families = new Map();
  for (const { pid, prometheus } of processes) {
    let current = null;
    for (const line of prometheus.split('\n')) {
      if (line === '') continue;
      const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (meta) {
        const [, kind, name, text] = meta;
        current = families.get(name) ?? { help: '', type: '', samples: [] };
        families.set(name, current);
        if (kind === 'HELP') current.help = text;
        else current.type = text;
        continue;
      }
      if (current === null) continue;
      // name{labels} value  or  name value
      const sample = /^([^\s{]+)(?:\{(.*)\})? (.*)$/.exec(line);
      if (!sample) continue;
      const [, name, labels, value] = sample;
      const all = labels ? `process="${pid}",${labels}` : `process="${pid}"`;
      current.samples.push(`${name}{${all}} ${value}`);
    }
  }
  const out = [];
  for (const [name, f] of families) out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`, ...f.samples);
  return `${out.join('\n')}\n`;
}
