// credcore demo: the module Web Workers (see worker.js) that issue the bulk workload, one chunk of
// it per idle worker, from a queue. Only issuance runs here: verification runs in the package's
// own pool (`createPool`, in bulk.js).

export class WorkerSet {
  #workers = [];
  #idle = [];
  #queue = [];
  #pending = new Map();
  #nextId = 1;

  /** Starts `count` workers and hands each the compiled wasm module. */
  static async create(count, module) {
    const set = new WorkerSet();
    await Promise.all(Array.from({ length: count }, () => set.#spawn(module)));
    return set;
  }

  get size() {
    return this.#workers.length;
  }

  async #spawn(module) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'credcore-demo' });
    this.#workers.push(worker);
    await new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        if (event.data.type === 'credcore:ready') resolve();
        else reject(new Error(event.data.message ?? 'worker failed to start'));
      };
      worker.onerror = (event) => reject(new Error(event.message || 'worker failed to load'));
      worker.postMessage({ type: 'credcore:init', module });
    });
    worker.onmessage = (event) => this.#settle(worker, event.data);
    worker.onerror = (event) => this.#fail(worker, new Error(event.message || 'worker error'));
    this.#idle.push(worker);
  }

  /** Runs one message on the next idle worker; resolves with the worker's reply. */
  run(message) {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#queue.push({ message: { ...message, id }, resolve, reject });
      this.#pump();
    });
  }

  #pump() {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop();
      const job = this.#queue.shift();
      this.#pending.set(worker, job);
      job.sent = performance.now();
      worker.postMessage(job.message);
    }
  }

  #settle(worker, reply) {
    const job = this.#pending.get(worker);
    this.#pending.delete(worker);
    this.#idle.push(worker);
    if (job) {
      if (reply.type === 'credcore:error') {
        const err = new Error(reply.message);
        err.code = reply.code;
        job.reject(err);
      } else {
        job.resolve({ ...reply, latencyMs: performance.now() - job.sent });
      }
    }
    this.#pump();
  }

  #fail(worker, err) {
    const job = this.#pending.get(worker);
    this.#pending.delete(worker);
    this.#idle.push(worker);
    job?.reject(err);
    this.#pump();
  }

  /** Stops every worker. */
  close() {
    for (const w of this.#workers) w.terminate();
    for (const job of this.#pending.values()) job.reject(new Error('closed'));
    for (const job of this.#queue) job.reject(new Error('closed'));
    this.#workers = [];
    this.#idle = [];
    this.#queue = [];
    this.#pending.clear();
  }
}
