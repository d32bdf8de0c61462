// credcore: the status-list generations a pool's workers have seen, shared between them.
//
// Each worker's Verifier keeps the newest list it has seen per URI and issuer and refuses an
// older one (a replayed list cannot roll a revocation back). A pool sends chunks to whichever
// worker is free, so without sharing, a worker that never saw the newer list would believe the
// older one. Workers report their generations when they change (worker-core.js); the pool keeps
// the newest of each and hands the copy to every worker before its next chunk, so each refuses
// what any of them has seen superseded. A worker only ever raises a generation from a copy,
// never lowers one (src/verifier/status.rs), so a copy can make a worker stricter, never laxer.

// @ts-check

/** The most (URI, issuer) generations kept: as many as a Verifier with 64 lists remembers. */
export const MAX_POOL_GENERATIONS = 4096;

/** A time as the core writes it: a decimal integer string (i64; an absent time is its minimum). */
const TIME = /^-?[0-9]{1,19}$/;
/** @param {unknown} e */
const isEntry = (e) => Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && typeof e[1] === 'string' && TIME.test(e[1]) && typeof e[2] === 'string' && TIME.test(e[2]);

export class PoolGenerations {
  /** key -> [issuedAt, expiry] (BigInt), least recently raised first. @type {Map<string, [bigint, bigint]>} */
  #newest = new Map();
  /** Bumped on every raise: a worker that has seen an older version is sent the copy. */
  version = 0;
  /** @type {string | null} */
  #copy = null;

  /**
   * Takes a worker's report (JSON `[[key, issuedAt, expiry], ...]`, times as decimal strings,
   * compared exactly as BigInt); malformed reports are
   * ignored (the worker's own Verifier still holds what it saw).
   * @param {unknown} text
   */
  merge(text) {
    if (typeof text !== 'string') return;
    let entries;
    try {
      entries = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(entries)) return;
    let raised = false;
    for (const e of entries) {
      if (!isEntry(e)) continue;
      const key = e[0];
      const a = BigInt(e[1]);
      const b = BigInt(e[2]);
      const seen = this.#newest.get(key);
      if (seen !== undefined && (a < seen[0] || (a === seen[0] && b <= seen[1]))) continue;
      this.#newest.delete(key);
      this.#newest.set(key, [a, b]);
      raised = true;
    }
    while (this.#newest.size > MAX_POOL_GENERATIONS) {
      const oldest = this.#newest.keys().next().value;
      if (oldest === undefined) break;
      this.#newest.delete(oldest);
    }
    if (raised) {
      this.version++;
      this.#copy = null;
    }
  }

  /** The copy to hand a worker, or null when there is nothing to hand. */
  copy() {
    if (this.#newest.size === 0) return null;
    this.#copy ??= JSON.stringify([...this.#newest].map(([k, [a, b]]) => [k, String(a), String(b)]));
    return this.#copy;
  }
}
