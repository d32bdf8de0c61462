// credcore/worker: the pool's worker script (worker.js in browsers, worker.node.js in Node). It
// exports nothing: it is started by `createPool`, or by a page that passes its URL as `workerUrl`.
export {};
