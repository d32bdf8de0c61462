// credcore: node:crypto settles the core's ECDSA and RSA signature jobs (host-jobs.js): `settleSync`
// for the synchronous paths (installed into the wasm instance by the Node entry point and the
// pool's Node workers), `settleAsync` for the needs loop of a Verifier (host-round.js), on
// Node's crypto thread pool. Keys are imported once as KeyObjects, by their bytes (bounded).

// @ts-check

import * as crypto from 'node:crypto';
import { unpackJobs, jobJwk, KeyBook, HASHES, PSS_SALT, HOST_KEYS } from './host-jobs.js';

/** @type {KeyBook<ReturnType<typeof load>>} */
const keys = new KeyBook(HOST_KEYS);

/** Every algorithm the host settles (node:crypto has secp256k1). */
export const NODE_ALGS = Object.keys(HASHES).join(',');

/**
 * What node:crypto.verify takes for one job's key: the digest name and the key with its options,
 * or null when the key cannot be imported (then the job fails). Made once per key.
 * @param {string} alg
 * @param {Uint8Array} bytes
 */
function load(alg, bytes) {
  const hash = HASHES[alg];
  const jwk = hash === undefined ? null : jobJwk(alg, bytes);
  if (jwk === null) return null;
  let key;
  try {
    key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return null;
  }
  const digest = hash.replace('SHA-', 'sha');
  const salt = PSS_SALT[alg];
  // ECDSA signatures are JOSE's `r || s` (IEEE P1363), not DER; PSS salts are exactly the hash
  // length (node's default for verification would accept any).
  if (alg.startsWith('ES')) return { digest, key: { key, dsaEncoding: /** @type {const} */ ('ieee-p1363') } };
  if (salt !== undefined) return { digest, key: { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: salt } };
  return { digest, key: { key, padding: crypto.constants.RSA_PKCS1_PADDING } };
}

/** @param {import('./host-jobs.js').HostJob} job */
const prepare = (job) => keys.get(job.alg, job.key, () => load(job.alg, job.key));

/**
 * Settles packed jobs synchronously: one byte per job, 1 where the signature verifies.
 * @param {Uint8Array} packed
 * @returns {Uint8Array}
 */
export function settleSync(packed) {
  const jobs = unpackJobs(packed);
  const out = new Uint8Array(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    const p = prepare(job);
    if (p === null) continue;
    try {
      out[i] = crypto.verify(p.digest, job.message, p.key, job.signature) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  return out;
}

/**
 * Settles packed jobs on Node's crypto thread pool (the callback form of crypto.verify), all
 * at once: one byte per job, 1 where the signature verifies.
 * @param {Uint8Array} packed
 * @returns {Promise<Uint8Array>}
 */
export function settleAsync(packed) {
  const jobs = unpackJobs(packed);
  const out = new Uint8Array(jobs.length);
  return new Promise((resolve) => {
    let pending = jobs.length;
    if (pending === 0) resolve(out);
    const done = () => {
      if (--pending === 0) resolve(out);
    };
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      const p = prepare(job);
      if (p === null) {
        done();
        continue;
      }
      try {
        crypto.verify(p.digest, job.message, p.key, job.signature, (err, ok) => {
          out[i] = err === null && ok === true ? 1 : 0;
          done();
        });
      } catch {
        done();
      }
    }
  });
}

/** The host the Node entry point gives a Verifier's needs loop. */
export const nodeAsyncHost = Object.freeze({ algs: NODE_ALGS, settle: settleAsync });
