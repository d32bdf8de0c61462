// Test only: replaces a pool worker's crypto.subtle.verify before the package's worker.js runs
// (subtle-worker.js imports this first). The mode comes from the worker script's query:
// `count` counts calls and reports them on the BroadcastChannel 'credcore-subtle'; `throw`
// throws synchronously; `reject` rejects; `junk` resolves to a non-boolean; `yes` resolves true
// to everything (a host that lies: only the jobs it is asked can be affected).
const mode = new URLSearchParams(self.location.search).get('mode') ?? 'count';
const original = crypto.subtle.verify.bind(crypto.subtle);
const channel = new BroadcastChannel('credcore-subtle');
let calls = 0;
crypto.subtle.verify = (...args) => {
  calls++;
  channel.postMessage({ calls });
  if (mode === 'throw') throw new Error('host down');
  if (mode === 'reject') return Promise.reject(new Error('host gone'));
  if (mode === 'junk') return Promise.resolve('yes');
  if (mode === 'yes') return Promise.resolve(true);
  return original(...args);
};
