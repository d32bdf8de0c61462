// credcore: the pool's runtime in Node: worker_threads workers of worker.node.js, as many as the
// cores by default and at most that many, started with the Node flags a worker accepts.

// @ts-check

import { Worker } from 'node:worker_threads';
import { availableParallelism, cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** @returns {number} */
function cores() {
  return Math.max(1, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
}

/**
 * The parent's Node flags minus those that describe the parent's own entry (`-e`, `--print`,
 * `--input-type`): a worker inherits execArgv, and those flags make it fail to start.
 * @param {readonly string[]} argv
 */
export function entryFree(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '-r' || a === '--require' || a === '--import') {
      // Preloads (-r, --import) ran in the parent; `-e`/`-p` take the script as the next argument.
      if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
      else out.push(a, argv[++i]);
    } else if (!/^--(input-type|eval|print)=/.test(a)) {
      out.push(a);
    }
  }
  return out;
}

/**
 * Splits the parent's flags into what a worker accepts and what becomes `resourceLimits`. Flags
 * that only a process takes (`--max-old-space-size`, `--title`, `--stack-size`, ...) make
 * `new Worker` throw ERR_WORKER_INVALID_EXEC_ARGV: the heap bound is carried over as
 * `resourceLimits.maxOldGenerationSizeMb` (from execArgv, else from NODE_OPTIONS, which workers
 * do not read), and what Node names as invalid is dropped (startWorker).
 * @param {readonly string[]} argv the parent's execArgv
 * @param {string} [nodeOptions] the parent's NODE_OPTIONS
 * @returns {{ execArgv: string[], resourceLimits: { maxOldGenerationSizeMb?: number } }}
 */
export function workerFlags(argv, nodeOptions = '') {
  const execArgv = [];
  /** @type {{ maxOldGenerationSizeMb?: number }} */
  const resourceLimits = {};
  const fromEnv = /(?:^|\s)--max[-_]old[-_]space[-_]size[=\s](\d+)/.exec(nodeOptions)?.[1];
  if (fromEnv !== undefined && Number(fromEnv) > 0) resourceLimits.maxOldGenerationSizeMb = Number(fromEnv);
  const flags = entryFree(argv);
  for (let i = 0; i < flags.length; i++) {
    const a = flags[i];
    const m = /^--max[-_]old[-_]space[-_]size(?:=(\d+))?$/.exec(a);
    if (m) {
      const value = m[1] ?? flags[++i];
      const mb = Number(value);
      if (Number.isInteger(mb) && mb > 0) resourceLimits.maxOldGenerationSizeMb = mb;
      continue;
    }
    execArgv.push(a);
  }
  return { execArgv, resourceLimits };
}

/**
 * Drops the flags an ERR_WORKER_INVALID_EXEC_ARGV message names (with their separate values).
 * @param {readonly string[]} execArgv
 * @param {string} message
 * @returns {string[] | null} the flags left, or null when the message names none of them
 */
export function withoutInvalid(execArgv, message) {
  const listed = /invalid execArgv flags: (.*)$/.exec(message)?.[1];
  if (listed === undefined) return null;
  const invalid = new Set(listed.split(/,\s*/).map((f) => f.trim()).filter(Boolean));
  const out = [];
  let dropped = false;
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (invalid.has(a) || invalid.has(a.split('=')[0])) {
      dropped = true;
      // `--flag value`: the value goes too.
      if (!a.includes('=') && i + 1 < execArgv.length && !execArgv[i + 1].startsWith('-')) i++;
      continue;
    }
    out.push(a);
  }
  return dropped ? out : null;
}

/** The flags every worker of this process starts with, settled by the first start. */
let settled = null;

/**
 * A worker of `url` with the parent's flags that a worker accepts.
 * @param {URL | string} url
 */
function startWorker(url) {
  settled ??= workerFlags(process.execArgv, process.env.NODE_OPTIONS);
  for (let attempt = 0; ; attempt++) {
    const { execArgv, resourceLimits } = settled;
    try {
      return new Worker(url, { execArgv, resourceLimits });
    } catch (err) {
      const e = /** @type {any} */ (err);
      const rest = e?.code === 'ERR_WORKER_INVALID_EXEC_ARGV' && attempt < 3 ? withoutInvalid(execArgv, String(e.message)) : null;
      if (rest === null) throw err;
      settled = { execArgv: rest, resourceLimits };
    }
  }
}

/**
 * The runtime of the Node entry point.
 * @param {() => URL} ownWorker where the package's worker.node.js is (see locate.node.js)
 * @returns {import('./workers.js').WorkerRuntime}
 */
export function nodeRuntime(ownWorker) {
  /** @param {URL | string | undefined} url */
  const describe = (url) => {
    try {
      const u = url ?? ownWorker();
      return typeof u === 'string' ? u : u.protocol === 'file:' ? fileURLToPath(u) : u.href;
    } catch (err) {
      return String(/** @type {any} */ (err)?.message ?? err);
    }
  };
  return {
    node: true,
    defaultCount: cores,
    start(url) {
      return startWorker(url ?? ownWorker());
    },
    describe,
    async diagnose(url, message) {
      const where = describe(url);
      try {
        const u = url === undefined ? ownWorker() : new URL(url);
        if (u.protocol === 'file:' && !existsSync(u)) return `${where} does not exist (pass workerUrl, or keep the credcore package installed): ${message}`;
      } catch {
        // A path, not a URL: Node reports it.
      }
      return `${where}: ${message}`;
    },
  };
}
