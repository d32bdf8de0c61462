// credcore: the pool's micro-batcher behind `pool.verify(input)`: calls with the same options and
// caller that arrive within `maxBatchWaitMs` (up to `maxBatchSize` of them) run as one batch (the
// caller's, for the scheduler's fair queueing), and a call
// whose input and options equal one already in flight joins it instead of running again. Every
// caller gets its own result objects.

// @ts-check

import { CredcoreError } from '../errors.js';

/**
 * Calls waiting to run as one batch: those with the same options JSON and caller.
 * @typedef {object} Group
 * @property {string} id the caller and the options JSON
 * @property {string} json
 * @property {string} caller
 * @property {string[]} texts
 * @property {string[]} keys
 * @property {number[]} starts when each call arrived (performance.now()), for latency metrics
 * @property {{ resolve: (r: any) => void, reject: (e: any) => void }[]} waiters
 * @property {{ resolve: (r: any) => void, reject: (e: any) => void }[][]} followers per input,
 *   the callers that joined it
 * @property {ReturnType<typeof setTimeout> | null} timer
 */

/** A copy of an error for another caller (callers share no objects). */
function copyError(err) {
  if (!(err instanceof CredcoreError)) return err;
  const copy = new CredcoreError(err.code, err.message, err.path);
  if (err.stack) copy.stack = err.stack;
  return copy;
}

export class MicroBatcher {
  /** Groups waiting for their timer or size: caller and options JSON -> group. @type {Map<string, Group>} */
  #groups = new Map();
  #waiting = 0;
  /** Inputs in flight: key -> the callers that joined it (each gets its own copy). */
  #inFlight = new Map();
  #settings;
  #run;
  #admit;
  #metrics;

  /**
   * @param {object} config
   * @param {{ maxBatchWaitMs: number, maxBatchSize: number }} config.settings read at each call,
   *   so that a live pool's settings can change
   * @param {(texts: string[], json: string, starts: number[], caller: string, followers: readonly unknown[][]) => Promise<any[]>} config.run
   *   runs a batch; `followers[i]` are the calls that joined input i (filled while it runs)
   * @param {(n: number) => void} config.admit reserves queue room for n items, or throws
   * @param {{ deduplicated: number }} config.metrics
   */
  constructor({ settings, run, admit, metrics }) {
    this.#settings = settings;
    this.#run = run;
    this.#admit = admit;
    this.#metrics = metrics;
  }

  /** Items waiting in groups (not queued yet). */
  get waiting() {
    return this.#waiting;
  }

  /** Groups waiting to run. */
  get groupCount() {
    return this.#groups.size;
  }

  /**
   * Verifies one input text under options `json`, in a micro-batch of `caller`'s; throws
   * QUEUE_FULL, CLOSED, ... from `admit`. An input identical to one in flight (any caller's) joins it.
   * @param {string} text
   * @param {string} json
   * @param {string} [caller]
   * @returns {Promise<any>}
   */
  submit(text, json, caller = '') {
    const key = `${json}\u0000${text}`;
    const followers = this.#inFlight.get(key);
    if (followers !== undefined) {
      // Answered with its own copy of the result, made when the result arrives (#answer).
      this.#metrics.deduplicated++;
      return new Promise((resolve, reject) => { followers.push({ resolve, reject }); });
    }
    this.#admit(1);
    const group = this.#groupOf(json, caller);
    const promise = new Promise((resolve, reject) => { group.waiters.push({ resolve, reject }); });
    group.texts.push(text);
    group.keys.push(key);
    group.starts.push(performance.now());
    const joined = [];
    group.followers.push(joined);
    this.#waiting++;
    this.#inFlight.set(key, joined);
    if (group.texts.length >= this.#settings.maxBatchSize) this.#flush(group);
    else if (group.timer === null) group.timer = setTimeout(() => this.#flush(group), this.#settings.maxBatchWaitMs);
    return promise;
  }

  /** Runs every waiting group now (the pool is closing). */
  flushAll() {
    for (const group of [...this.#groups.values()]) this.#flush(group);
  }

  /**
   * Drops every waiting group: each of its callers rejects with an error of `makeError()`.
   * @param {() => Error} makeError
   */
  destroy(makeError) {
    for (const group of [...this.#groups.values()]) {
      this.#groups.delete(group.id);
      if (group.timer !== null) clearTimeout(group.timer);
      for (const key of group.keys) this.#inFlight.delete(key);
      for (const w of group.waiters) w.reject(makeError());
      for (const joined of group.followers) for (const f of joined) f.reject(makeError());
    }
    this.#waiting = 0;
  }

  /**
   * The waiting group of options `json` and `caller`, created when there is none.
   * @param {string} json
   * @param {string} caller
   */
  #groupOf(json, caller) {
    const id = `${caller}\u0000${json}`;
    let group = this.#groups.get(id);
    if (group === undefined) {
      group = { id, json, caller, texts: [], keys: [], starts: [], waiters: [], followers: [], timer: null };
      this.#groups.set(id, group);
    }
    return group;
  }

  /** @param {Group} group */
  #flush(group) {
    if (this.#groups.get(group.id) !== group) return;
    this.#groups.delete(group.id);
    if (group.timer !== null) clearTimeout(group.timer);
    this.#waiting -= group.texts.length;
    this.#run(group.texts, group.json, group.starts, group.caller, group.followers).then(
      (results) => this.#answer(group, results, null),
      (err) => this.#answer(group, null, err),
    );
  }

  /**
   * Answers a micro-batch's callers: the first caller of each input gets its result, every caller
   * that joined it a deep copy of its own. All copies are made before any caller is answered, so
   * no caller's continuation can change what another gets, and no two callers share an object.
   * @param {Group} group
   * @param {any[] | null} results
   * @param {any} err
   */
  #answer(group, results, err) {
    for (const key of group.keys) this.#inFlight.delete(key);
    if (err !== null || results === null) {
      group.waiters.forEach((w, i) => {
        w.reject(err);
        for (const f of group.followers[i]) f.reject(copyError(err));
      });
      return;
    }
    const copies = group.followers.map((joined, i) => joined.map(() => structuredClone(results[i])));
    group.waiters.forEach((w, i) => {
      w.resolve(results[i]);
      group.followers[i].forEach((f, j) => f.resolve(copies[i][j]));
    });
  }
}
