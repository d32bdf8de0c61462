// credcore: WebCrypto settles the core's P-256, P-384 and RSA signature jobs (host-jobs.js) for
// the needs loop of a Verifier in browsers (host-round.js). secp256k1 is not in WebCrypto: the
// core settles ES256K in-process. Keys are imported once as CryptoKeys, by their bytes (bounded).

// @ts-check

import { unpackJobs, jobJwk, KeyBook, HASHES, PSS_SALT, HOST_KEYS } from './host-jobs.js';

/**
 * An imported key: the import's promise, and once it has settled, its CryptoKey (null: refused).
 * @typedef {{ promise: Promise<CryptoKey | null>, done: boolean, key: CryptoKey | null }} Imported
 */

/** @type {KeyBook<Imported>} */
const keys = new KeyBook(HOST_KEYS);

/** The algorithms WebCrypto settles. */
export const WEB_ALGS = 'ES256,ES384,RS256,RS384,RS512,PS256,PS384,PS512';

/** @param {string} alg */
function params(alg) {
  const hash = HASHES[alg];
  if (alg === 'ES256') return { name: 'ECDSA', namedCurve: 'P-256', hash };
  if (alg === 'ES384') return { name: 'ECDSA', namedCurve: 'P-384', hash };
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', hash, saltLength: PSS_SALT[alg] };
  return null;
}

/** The parameters of each algorithm, made once (WebCrypto reads them on every call). */
const PARAMS = new Map();
/** @param {string} alg */
function paramsOf(alg) {
  let p = PARAMS.get(alg);
  if (p === undefined && Object.prototype.hasOwnProperty.call(HASHES, alg)) PARAMS.set(alg, (p = params(alg)));
  return p ?? null;
}

/**
 * Starts importing a job's key.
 * @param {import('./host-jobs.js').HostJob} job
 * @param {NonNullable<ReturnType<typeof params>>} p the algorithm's WebCrypto parameters
 * @returns {Imported}
 */
function importKey(job, p) {
  const jwk = jobJwk(job.alg, job.key);
  /** @type {Imported} */
  const entry = { promise: Promise.resolve(null), done: jwk === null, key: null };
  if (jwk === null) return entry;
  const refused = () => {
    entry.done = true;
    entry.key = null;
    return null;
  };
  try {
    entry.promise = globalThis.crypto.subtle.importKey('jwk', jwk, p, false, ['verify']).then((key) => {
      entry.key = key;
      entry.done = true;
      return key;
    }, refused);
  } catch {
    // A WebCrypto that throws instead of rejecting: the key is refused, and its jobs answer 0.
    refused();
  }
  return entry;
}

/**
 * Whether one job verifies (false for a key WebCrypto refuses or an algorithm it lacks). With
 * its key imported, the job goes to WebCrypto at once, in the caller's turn: the host round
 * prepares the next step while WebCrypto's threads work on this one (a job that awaited first
 * would start only once the whole round had been prepared).
 * @param {import('./host-jobs.js').HostJob} job
 * @returns {Promise<boolean>}
 */
function verifyOne(job) {
  const p = paramsOf(job.alg);
  if (p === null) return Promise.resolve(false);
  const entry = keys.get(job.alg, job.key, () => importKey(job, p));
  const check = (/** @type {CryptoKey | null} */ key) =>
    key === null ? false : globalThis.crypto.subtle.verify(p, key, /** @type {BufferSource} */ (job.signature), /** @type {BufferSource} */ (job.message));
  if (!entry.done) return entry.promise.then(check);
  try {
    return Promise.resolve(check(entry.key));
  } catch {
    return Promise.resolve(false);
  }
}

/**
 * Settles packed jobs with crypto.subtle, all at once: one byte per job, 1 where it verifies.
 * @param {Uint8Array} packed
 * @returns {Promise<Uint8Array>}
 */
export async function settleWeb(packed) {
  const jobs = unpackJobs(packed);
  const verdicts = await Promise.all(jobs.map((job) => verifyOne(job).then((ok) => ok === true, () => false)));
  return Uint8Array.from(verdicts, (ok) => (ok ? 1 : 0));
}

/** The host the browser entry point gives a Verifier's needs loop. */
export const webAsyncHost = Object.freeze({ algs: WEB_ALGS, settle: settleWeb });
