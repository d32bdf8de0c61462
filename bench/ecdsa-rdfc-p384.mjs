// ecdsa-rdfc-2019 with P-384 (SHA-384 hash data, ES384) on one thread, medians, a peer in the
// same run: credcore verifyBatch against @digitalbazaar/vc 7 with @digitalbazaar/data-integrity
// and @digitalbazaar/ecdsa-rdfc-2019-cryptosuite 1.3 (all at once under Promise.all, did:key
// resolved offline). Inputs: fresh credentials (new subjects, new signatures) for every timed run
// of each side; both verify every one.
//
// Run: make bench (BENCH=ecdsa-rdfc-p384), or node bench/ecdsa-rdfc-p384.mjs [n] [runs] after make build

import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import { CachedResolver } from '@digitalbazaar/did-io';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as credcore from '../pkg/index.node.js';

/** Runs the comparison: `n` fresh credentials a side, medians of `runs`. */
export async function run({ n = 50, runs = 5 } = {}) {
  const keys = didKeyDriver();
  keys.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from });
  const resolver = new CachedResolver();
  resolver.use(keys);
  const loader = securityLoader();
  loader.setDidResolver(resolver);
  const documentLoader = loader.build();
  const issuer = credcore.generateKeyPair({ alg: 'ES384' });
  const fresh = (run, side) => Array.from({ length: n }, (_, i) => credcore.issueCredential(
    { credentialSubject: { id: `did:example:${side}-${run}-${i}`, name: 'Ada' } },
    { issuer, format: 'data-integrity', cryptosuite: 'ecdsa-rdfc-2019' },
  ));
  const ours = [];
  const theirs = [];
  for (let run = 0; run < runs; run++) {
    const a = fresh(run, 'a');
    let t = performance.now();
    const results = credcore.verifyBatch(a);
    ours.push(performance.now() - t);
    if (!results.every((r) => r.valid)) throw new Error('credcore refused one of its own credentials');
    const b = fresh(run, 'b');
    t = performance.now();
    const verdicts = await Promise.all(b.map((credential) => vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader })));
    theirs.push(performance.now() - t);
    if (!verdicts.every((r) => r.verified)) throw new Error('@digitalbazaar/vc refused a credential');
  }
  const middle = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const [mine, peer] = [middle(ours), middle(theirs)];
  console.log(`ecdsa-rdfc-2019 P-384, ${n} fresh credentials, median of ${runs} runs: credcore verifyBatch ${mine.toFixed(1)} ms, @digitalbazaar/vc ${peer.toFixed(1)} ms (credcore ${(peer / mine).toFixed(1)}x faster)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ n: Number(process.argv[2] ?? 50), runs: Number(process.argv[3] ?? 5) });
