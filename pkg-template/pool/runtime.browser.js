// credcore: the pool's runtime in browsers: module Web Workers of worker.js. The entry point
// creates the package's worker as `new Worker(new URL('./worker.js', import.meta.url), { type:
// 'module' })`, the form Vite, webpack 5 and Parcel recognize and bundle; esbuild and Rollup
// leave it as it is, and then worker.js (one self-contained file) must be served beside the
// bundle, or named by `workerUrl`.

// @ts-check

/**
 * The runtime of the browser entry point.
 * @param {() => Worker} startOwn a module worker of the package's worker.js, written in the
 *   entry point as `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
 * @param {() => string} ownHref where the entry point expects worker.js, for messages
 * @returns {import('./workers.js').WorkerRuntime}
 */
export function browserRuntime(startOwn, ownHref) {
  /** @param {URL | string | undefined} url */
  const describe = (url) => (url === undefined ? ownHref() : String(url));
  return {
    node: false,
    defaultCount() {
      return Math.max(1, Number(globalThis.navigator?.hardwareConcurrency) || 2);
    },
    start(url) {
      if (typeof Worker !== 'function') throw new Error('this runtime has no Worker');
      if (url !== undefined) return new Worker(url, { type: 'module', name: 'credcore' });
      return startOwn();
    },
    describe,
    diagnose(url, message) {
      return diagnoseUrl(describe(url), message);
    },
  };
}

/**
 * Why a worker script did not start, from a look at what its URL serves: HTTP errors, HTML
 * where JavaScript was expected (an SPA fallback), or a script that failed to run.
 * @param {string} href
 * @param {string} message
 */
async function diagnoseUrl(href, message) {
  const fix = 'serve credcore\'s worker.js there (see the README\'s bundler section: with esbuild or Rollup, copy node_modules/credcore/worker.js beside your bundle), or pass createPool({ workerUrl })';
  if (!/^(https?|blob|data):/.test(href)) return `${href}: ${message}; ${fix}`;
  let response;
  try {
    response = await fetch(href);
  } catch (err) {
    return `${href} could not be fetched (${String(/** @type {any} */ (err)?.message ?? err)}); ${fix}`;
  }
  if (!response.ok) return `${href} answered HTTP ${response.status}; ${fix}`;
  const type = response.headers.get('content-type') ?? '';
  if (/html/i.test(type)) return `${href} served HTML (${type}), not JavaScript; ${fix}`;
  return `${href} loaded, but the worker failed (${message}): a module worker needs a JavaScript MIME type, the page's origin (or CORS) and a CSP that allows it (worker-src)`;
}
