// credcore: tamper-evident audit trails: RFC 8785 canonical JSON, HMAC-SHA-256, and a
// hash-chained log with key rotation, signed checkpoints and JSON Lines export.
//
// Across processes: each process keeps its own chain (a `chainId` in every event it appends) and
// publishes its signed checkpoints to the shared store; there is no chain shared by processes,
// so appending never waits for another process or for the store. A chain registers in the store
// (`AuditLog.registerChain`: the first free slot `chain-N`, claimed atomically), which is how a
// verifier learns which chains exist; `AuditLog.verifyChains` then checks every chain against its
// checkpoint, that each entry names its own chain, and that no registered chain is missing.

// @ts-check

import { CredcoreError } from './errors.js';
import { pack, toBytes } from './wire.js';
import { call } from './state.js';
import { issuingCall, pinIssuing } from './issuing.js';
import { storeOf, unavailable } from './store.js';

const encoder = new TextEncoder();

/** Longest chain id. */
const MAX_CHAIN_ID = 128;
/** Most chains a store registers, and slots read per round trip. */
const MAX_CHAINS = 4096;
const PAGE = 64;
/** How long a chain's registration and checkpoints stay in the store by default: 30 days. */
const RETENTION_SECONDS = 30 * 24 * 3600;


function jsonOf(value, name) {
  const text = JSON.stringify(value);
  if (text === undefined) throw new CredcoreError('MALFORMED_INPUT', `${name} is not representable as JSON`, name);
  return text;
}

// JSON.stringify writes an array element it cannot represent as null, and null is what was hashed.
function asJson(value) {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
}

function keysPacked(keys) {
  if (keys === null || typeof keys !== 'object') throw new CredcoreError('MALFORMED_INPUT', 'keys must map key ids to Uint8Array keys', 'keys');
  const fields = [];
  for (const [id, key] of Object.entries(keys)) fields.push(encoder.encode(id), toBytes(key, `keys.${id}`, false));
  return pack(fields);
}

/**
 * RFC 8785 (JCS) canonical JSON of a value: sorted keys, ES6 number formatting, minimal escapes.
 * @example canonicalize({ b: 1, a: [1e21, 'x'] }) // '{"a":[1e+21,"x"],"b":1}'
 */
export function canonicalize(value) {
  const text = jsonOf(value, 'value');
  return call((w) => w.canonicalize(text));
}

/** HMAC-SHA-256 of bytes or a string (UTF-8). @example hmacSha256(key, 'event') // Uint8Array(32) */
export function hmacSha256(key, data) {
  const k = toBytes(key, 'key', false);
  const d = toBytes(data, 'data', true);
  return call((w) => w.hmacSha256(k, d));
}

/** HMAC-SHA-256 of many items in one call. @example hmacBatch(key, ['a', 'b']) // [Uint8Array(32), Uint8Array(32)] */
export function hmacBatch(key, items) {
  const k = toBytes(key, 'key', false);
  if (!Array.isArray(items)) throw new CredcoreError('MALFORMED_INPUT', 'items must be an array', 'items');
  const out = call((w) => w.hmacBatchPacked(k, pack(items.map((x, i) => toBytes(x, `[${i}]`, true)))));
  return items.map((_, i) => out.subarray(i * 32, (i + 1) * 32));
}

/**
 * An append-only audit log: each entry's `hash = SHA-256(prevHash || seq || time || keyId ||
 * canonical(event))`, `mac = HMAC(key, hash)`. Verification tells modified, deleted, reordered,
 * inserted, bad MAC, unknown key and truncated apart.
 * @example const log = new AuditLog({ hmacKey, keyId: 'k1' }); const entries = log.append([{ action: 'verify' }]);
 */
export class AuditLog {
  #inner;
  #unpin;
  /** @type {string | undefined} */
  #chainId;

  /** @param {{ hmacKey: Uint8Array, keyId: string, head?: { count: number, headHash: string }, chainId?: string }} options */
  constructor(options) {
    const { hmacKey, keyId, head, chainId } = options ?? {};
    const key = toBytes(hmacKey, 'hmacKey', false);
    if (typeof keyId !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'keyId must be a string', 'keyId');
    if (chainId !== undefined && (typeof chainId !== 'string' || chainId.length === 0 || chainId.length > MAX_CHAIN_ID)) {
      throw new CredcoreError('MALFORMED_INPUT', `chainId must be a string of 1 to ${MAX_CHAIN_ID} characters`, 'chainId');
    }
    const headJson = head === undefined ? undefined : jsonOf(head, 'head');
    this.#chainId = chainId;
    this.#inner = issuingCall((w) => new w.AuditLog(key, keyId, headJson));
    // The chain's head lives in the instance: it is never recycled under a live log (state.js).
    this.#unpin = pinIssuing(this);
  }

  /** The chain this log appends to (`chainId`), if it has one. */
  get chainId() {
    return this.#chainId;
  }

  /**
   * Appends events; returns their entries `{ seq, prevHash, hash, mac, keyId, time, event }`.
   * Each entry's `event` is the value given (not a copy): what is hashed is its JSON form now,
   * so changing it afterwards makes the entry fail verification.
   */
  append(events) {
    if (!Array.isArray(events)) throw new CredcoreError('MALFORMED_INPUT', 'events must be an array', 'events');
    // A log of a chain: each event is `{ chain, ...event }`, so every entry names its chain.
    const chain = this.#chainId;
    if (chain !== undefined) {
      events = events.map((e, i) => {
        if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new CredcoreError('MALFORMED_INPUT', 'the events of a log with a chainId are objects', `[${i}]`);
        return { chain, ...e };
      });
    }
    const json = encoder.encode(jsonOf(events, 'events'));
    // The core returns the links without the events (the caller has them): a JSON line
    // { firstSeq, prevHash, keyId, time }, then each entry's hash and MAC, 128 hex digits each.
    const out = issuingCall(() => this.#inner.append(json, Date.now()));
    const lineEnd = out.indexOf('\n');
    const { firstSeq, prevHash, keyId, time } = JSON.parse(out.slice(0, lineEnd));
    const entries = new Array(events.length);
    let prev = prevHash;
    for (let i = 0; i < events.length; i++) {
      const at = lineEnd + 1 + i * 128;
      const hash = out.slice(at, at + 64);
      entries[i] = { seq: firstSeq + i, prevHash: prev, hash, mac: out.slice(at + 64, at + 128), keyId, time, event: asJson(events[i]) };
      prev = hash;
    }
    return entries;
  }

  /** Uses a new HMAC key (and key id) for the entries appended from now on. */
  rotate(hmacKey, keyId) {
    const key = toBytes(hmacKey, 'hmacKey', false);
    issuingCall(() => this.#inner.rotate(key, keyId));
  }

  /** The chain head `{ count, headHash }`, to resume a log or anchor a verification. */
  head() {
    return JSON.parse(issuingCall(() => this.#inner.head()));
  }

  /** A checkpoint `{ count, headHash, signer, signature }` signed by an Ed25519 key pair. */
  checkpoint(signer) {
    const secret = toBytes(signer?.secretKey, 'signer.secretKey', false);
    return JSON.parse(issuingCall(() => this.#inner.checkpoint(secret)));
  }

  /**
   * Signs a checkpoint (as `checkpoint`) and publishes it in the shared store as this chain's
   * latest, for `ttlSeconds` (default 30 days); returns it. STORE_UNAVAILABLE when the store
   * cannot take it (the chain goes on; publish again later).
   * @param {import('./store.js').Store} store
   * @param {{ secretKey: Uint8Array }} signer
   * @param {{ ttlSeconds?: number }} [options]
   */
  async publish(store, signer, options = {}) {
    if (this.#chainId === undefined) throw new CredcoreError('MALFORMED_INPUT', 'publish needs a log with a chainId', 'chainId');
    const s = storeOf(store);
    const checkpoint = this.checkpoint(signer);
    try {
      await s.set(`audit:checkpoint:${this.#chainId}`, JSON.stringify(checkpoint), { ttlMs: (options?.ttlSeconds ?? RETENTION_SECONDS) * 1000 });
    } catch (err) {
      throw unavailable(err);
    }
    return checkpoint;
  }

  /** Frees the wasm memory of this log. */
  free() {
    this.#unpin();
    this.#inner.free();
  }

  /**
   * Claims the next free chain id in the shared store (`chain-0`, `chain-1`, ...: the first slot
   * free, claimed with one atomic write-if-absent, so two processes never get the same), kept for
   * `ttlSeconds` (default 30 days). Give it to `new AuditLog({ chainId })`.
   * @param {import('./store.js').Store} store
   * @param {{ ttlSeconds?: number }} [options]
   * @returns {Promise<string>}
   */
  static async registerChain(store, options = {}) {
    const s = storeOf(store);
    const ttlMs = (options?.ttlSeconds ?? RETENTION_SECONDS) * 1000;
    try {
      for (let start = 0; start < MAX_CHAINS; start += PAGE) {
        const taken = await s.getMany(Array.from({ length: PAGE }, (_, i) => `audit:chain:${start + i}`));
        for (let i = 0; i < PAGE; i++) {
          if (taken[i] !== null) continue;
          const n = start + i;
          if (await s.setIfAbsent(`audit:chain:${n}`, JSON.stringify({ registeredAt: Date.now() }), { ttlMs })) return `chain-${n}`;
        }
      }
    } catch (err) {
      throw unavailable(err);
    }
    throw new CredcoreError('INPUT_TOO_LARGE', `the store holds ${MAX_CHAINS} audit chains already`);
  }

  /**
   * The chains registered in the shared store, in order, each with its latest published
   * checkpoint (null when it has published none): `[{ chainId, checkpoint }]`. The listing stops
   * at the first free slot.
   * @param {import('./store.js').Store} store
   */
  static async listChains(store) {
    const s = storeOf(store);
    const out = [];
    try {
      for (let start = 0; start < MAX_CHAINS; start += PAGE) {
        const slots = Array.from({ length: PAGE }, (_, i) => start + i);
        const [taken, checkpoints] = await Promise.all([
          s.getMany(slots.map((n) => `audit:chain:${n}`)),
          s.getMany(slots.map((n) => `audit:checkpoint:chain-${n}`)),
        ]);
        for (let i = 0; i < PAGE; i++) {
          if (taken[i] === null) return out;
          let checkpoint = null;
          try {
            checkpoint = checkpoints[i] === null ? null : JSON.parse(/** @type {string} */ (checkpoints[i]));
          } catch {
            checkpoint = null;
          }
          out.push({ chainId: `chain-${slots[i]}`, checkpoint });
        }
      }
    } catch (err) {
      throw unavailable(err);
    }
    return out;
  }

  /**
   * Verifies the chains of several processes together: `chains` maps each chain id to `{ entries,
   * checkpoint }`. Each chain must verify against its checkpoint (signed by one of
   * `trustedSigners`, did:key: a cut tail, an edit, a reordering are found), and every entry must
   * name its own chain (`event.chain`); with `expected` (chain ids, e.g. from `listChains`), a
   * chain that is expected but not given is `missing`. Returns `{ valid, chains: { id: report },
   * missing, firstInvalid: { chain, index, reason } | null }`.
   * @param {Record<string, { entries: any[], checkpoint: any }>} chains
   * @param {Record<string, Uint8Array>} keys
   * @param {string[]} trustedSigners
   * @param {{ expected?: string[] }} [options]
   */
  static verifyChains(chains, keys, trustedSigners, options = {}) {
    if (chains === null || typeof chains !== 'object') throw new CredcoreError('MALFORMED_INPUT', 'chains must map chain ids to { entries, checkpoint }', 'chains');
    if (!Array.isArray(trustedSigners)) throw new CredcoreError('MALFORMED_INPUT', 'trustedSigners must be an array of did:key', 'trustedSigners');
    /** @type {Record<string, any>} */
    const reports = {};
    /** @type {{ chain: string, index: number | null, reason: string } | null} */
    let firstInvalid = null;
    const fail = (chain, index, reason) => {
      reports[chain] = { valid: false, checked: index ?? 0, firstInvalid: index, reason };
      firstInvalid ??= { chain, index, reason };
    };
    for (const [chain, { entries, checkpoint } = /** @type {any} */ ({})] of Object.entries(chains)) {
      if (!Array.isArray(entries)) throw new CredcoreError('MALFORMED_INPUT', `chains.${chain}.entries must be an array`, `chains.${chain}`);
      if (checkpoint === null || typeof checkpoint !== 'object' || !trustedSigners.includes(checkpoint.signer)) {
        fail(chain, null, checkpoint ? 'untrusted_signer' : 'no_checkpoint');
        continue;
      }
      const report = AuditLog.verifyWithCheckpoint(entries, keys, checkpoint, checkpoint.signer);
      if (!report.valid) {
        fail(chain, report.firstInvalid, report.reason);
        continue;
      }
      const foreign = entries.findIndex((e) => e?.event?.chain !== chain);
      if (foreign !== -1) {
        fail(chain, foreign, 'foreign_entry');
        continue;
      }
      reports[chain] = report;
    }
    const missing = (options?.expected ?? []).filter((id) => !Object.hasOwn(chains, id));
    return { valid: firstInvalid === null && missing.length === 0, chains: reports, missing, firstInvalid };
  }

  /** Verifies a whole chain: `keys` maps key ids to HMAC keys. Returns `{ valid, checked, firstInvalid, reason }`. */
  static verify(entries, keys) {
    const text = jsonOf(entries, 'entries');
    return JSON.parse(issuingCall((w) => w.AuditLog.verify(text, keysPacked(keys))));
  }

  /** Verifies entries that continue from a trusted head. */
  static verifyFrom(head, entries, keys) {
    return JSON.parse(issuingCall((w) => w.AuditLog.verifyFrom(jsonOf(head, 'head'), jsonOf(entries, 'entries'), keysPacked(keys))));
  }

  /** Verifies a chain against a checkpoint signed by `trustedSigner` (a did:key); detects a cut tail. */
  static verifyWithCheckpoint(entries, keys, checkpoint, trustedSigner) {
    return JSON.parse(issuingCall((w) => w.AuditLog.verifyWithCheckpoint(jsonOf(entries, 'entries'), keysPacked(keys), jsonOf(checkpoint, 'checkpoint'), trustedSigner)));
  }

  /** Entries as JSON Lines (one entry per line). */
  static toJsonl(entries) {
    return issuingCall((w) => w.AuditLog.toJsonl(jsonOf(entries, 'entries')));
  }

  /** Entries from JSON Lines (strict: unknown fields, bad hex and duplicate keys are rejected). */
  static fromJsonl(text) {
    if (typeof text !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'JSONL must be a string', 'text');
    return JSON.parse(issuingCall((w) => w.AuditLog.fromJsonl(text)));
  }
}
