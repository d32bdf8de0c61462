// credcore: tamper-evident audit trails: RFC 8785 canonical JSON, HMAC-SHA-256, and a
// hash-chained log with key rotation, signed checkpoints and JSON Lines export.

// @ts-check

import { CredcoreError } from './errors.js';
import { pack, toBytes } from './wire.js';
import { call } from './state.js';

const encoder = new TextEncoder();


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

  /** @param {{ hmacKey: Uint8Array, keyId: string, head?: { count: number, headHash: string } }} options */
  constructor(options) {
    const { hmacKey, keyId, head } = options ?? {};
    const key = toBytes(hmacKey, 'hmacKey', false);
    if (typeof keyId !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'keyId must be a string', 'keyId');
    const headJson = head === undefined ? undefined : jsonOf(head, 'head');
    this.#inner = call((w) => new w.AuditLog(key, keyId, headJson));
  }

  /**
   * Appends events; returns their entries `{ seq, prevHash, hash, mac, keyId, time, event }`.
   * Each entry's `event` is the value given (not a copy): what is hashed is its JSON form now,
   * so changing it afterwards makes the entry fail verification.
   */
  append(events) {
    if (!Array.isArray(events)) throw new CredcoreError('MALFORMED_INPUT', 'events must be an array', 'events');
    const json = encoder.encode(jsonOf(events, 'events'));
    // The core returns the links without the events (the caller has them): a JSON line
    // { firstSeq, prevHash, keyId, time }, then each entry's hash and MAC, 128 hex digits each.
    const out = call(() => this.#inner.append(json, Date.now()));
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
    call(() => this.#inner.rotate(key, keyId));
  }

  /** The chain head `{ count, headHash }`, to resume a log or anchor a verification. */
  head() {
    return JSON.parse(call(() => this.#inner.head()));
  }

  /** A checkpoint `{ count, headHash, signer, signature }` signed by an Ed25519 key pair. */
  checkpoint(signer) {
    const secret = toBytes(signer?.secretKey, 'signer.secretKey', false);
    return JSON.parse(call(() => this.#inner.checkpoint(secret)));
  }

  /** Frees the wasm memory of this log. */
  free() {
    this.#inner.free();
  }

  /** Verifies a whole chain: `keys` maps key ids to HMAC keys. Returns `{ valid, checked, firstInvalid, reason }`. */
  static verify(entries, keys) {
    const text = jsonOf(entries, 'entries');
    return JSON.parse(call((w) => w.AuditLog.verify(text, keysPacked(keys))));
  }

  /** Verifies entries that continue from a trusted head. */
  static verifyFrom(head, entries, keys) {
    return JSON.parse(call((w) => w.AuditLog.verifyFrom(jsonOf(head, 'head'), jsonOf(entries, 'entries'), keysPacked(keys))));
  }

  /** Verifies a chain against a checkpoint signed by `trustedSigner` (a did:key); detects a cut tail. */
  static verifyWithCheckpoint(entries, keys, checkpoint, trustedSigner) {
    return JSON.parse(call((w) => w.AuditLog.verifyWithCheckpoint(jsonOf(entries, 'entries'), keysPacked(keys), jsonOf(checkpoint, 'checkpoint'), trustedSigner)));
  }

  /** Entries as JSON Lines (one entry per line). */
  static toJsonl(entries) {
    return call((w) => w.AuditLog.toJsonl(jsonOf(entries, 'entries')));
  }

  /** Entries from JSON Lines (strict: unknown fields, bad hex and duplicate keys are rejected). */
  static fromJsonl(text) {
    if (typeof text !== 'string') throw new CredcoreError('MALFORMED_INPUT', 'JSONL must be a string', 'text');
    return JSON.parse(call((w) => w.AuditLog.fromJsonl(text)));
  }
}
