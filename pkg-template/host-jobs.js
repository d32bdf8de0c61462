// credcore: the signature jobs the core hands its host (ECDSA, RSA), as they cross the boundary
// (src/wasm/host.rs): packed fields (wire.js), four per job: the algorithm's JOSE name, the key
// (an EC key as its uncompressed SEC 1 point `04 || x || y`; an RSA key as a u32 little-endian
// length of `n`, `n`, then `e`), the signed message and the signature (ECDSA `r || s`). The core
// has applied every policy check before a job exists; a host only answers whether each verifies.

// @ts-check

const ascii = new TextDecoder();
const bytesText = new TextDecoder('latin1');

/**
 * @typedef {{ alg: string, key: Uint8Array, message: Uint8Array, signature: Uint8Array }} HostJob
 */

/**
 * The jobs of a packed buffer.
 * @param {Uint8Array} bytes
 * @returns {HostJob[]}
 */
export function unpackJobs(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  let offset = 4;
  const field = () => {
    const length = view.getUint32(offset, true);
    const out = bytes.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return out;
  };
  const jobs = [];
  // A batch's jobs share a few algorithms: a name is decoded when it differs from the last one.
  /** @type {Uint8Array} */
  let algBytes = new Uint8Array(0);
  let alg = '';
  for (let i = 0; i + 4 <= count; i += 4) {
    const name = field();
    if (!sameBytes(name, algBytes)) {
      algBytes = name;
      alg = ascii.decode(name);
    }
    jobs.push({ alg, key: field(), message: field(), signature: field() });
  }
  return jobs;
}

/**
 * Whether two byte strings are equal (length and every byte).
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
export function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The curve of each ECDSA algorithm (JWK `crv`). */
export const CURVES = /** @type {Record<string, string>} */ ({ ES256: 'P-256', ES384: 'P-384', ES256K: 'secp256k1' });
/** The hash of each algorithm a host settles. */
export const HASHES = /** @type {Record<string, string>} */ ({
  ES256: 'SHA-256',
  ES384: 'SHA-384',
  ES256K: 'SHA-256',
  RS256: 'SHA-256',
  RS384: 'SHA-384',
  RS512: 'SHA-512',
  PS256: 'SHA-256',
  PS384: 'SHA-384',
  PS512: 'SHA-512',
});
/** RSASSA-PSS salt length of each PS algorithm: the hash length (RFC 7518 section 3.5). */
export const PSS_SALT = /** @type {Record<string, number>} */ ({ PS256: 32, PS384: 48, PS512: 64 });

/** @param {Uint8Array} bytes */
function b64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The public JWK of a job's key, or null when the bytes are not what the algorithm takes.
 * @param {string} alg
 * @param {Uint8Array} key
 * @returns {Record<string, string> | null}
 */
export function jobJwk(alg, key) {
  const crv = CURVES[alg];
  if (crv !== undefined) {
    if (key.length < 3 || key[0] !== 4 || key.length % 2 !== 1) return null;
    const len = (key.length - 1) / 2;
    return { kty: 'EC', crv, x: b64url(key.subarray(1, 1 + len)), y: b64url(key.subarray(1 + len)) };
  }
  if (HASHES[alg] === undefined || key.length < 4) return null;
  const nLength = new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0, true);
  if (4 + nLength >= key.length) return null;
  return { kty: 'RSA', n: b64url(key.subarray(4, 4 + nLength)), e: b64url(key.subarray(4 + nLength)) };
}

/**
 * A bounded map of imported keys by algorithm and bytes: a key is imported once, and at most
 * `capacity` are held (the oldest goes first).
 * @template T
 */
export class KeyBook {
  /** @param {number} capacity */
  constructor(capacity) {
    this.capacity = capacity;
    /** @type {Map<string, T>} */
    this.map = new Map();
    /**
     * The key of the last lookup, with a copy of its bytes: a batch's jobs come in runs of one
     * issuer's key, found by comparing every byte instead of making the map's string.
     * @type {{ alg: string, bytes: Uint8Array, key: T } | null}
     */
    this.last = null;
  }

  /**
   * The imported key of `alg` and `bytes`, imported with `load` the first time.
   * @param {string} alg
   * @param {Uint8Array} bytes
   * @param {() => T} load
   * @returns {T}
   */
  get(alg, bytes, load) {
    const last = this.last;
    if (last !== null && last.alg === alg && sameBytes(last.bytes, bytes)) return last.key;
    // windows-1252 as WHATWG decodes it maps each byte to its own code point: one string per key.
    const id = `${alg}:${bytesText.decode(bytes)}`;
    let key = this.map.get(id);
    if (key === undefined) {
      key = load();
      if (this.map.size >= this.capacity) {
        const oldest = this.map.keys().next();
        if (!oldest.done) this.map.delete(oldest.value);
      }
      this.map.set(id, key);
    }
    this.last = { alg, bytes: bytes.slice(), key };
    return key;
  }
}

/** Keys a settler holds imported, at most. */
export const HOST_KEYS = 1024;
