// Credential verification on one thread, medians, peers measured in the same run.
//
// (a) 10,000 VC-JWTs from 10 issuers: credcore verifyBatch versus a jose jwtVerify loop with the
//     issuers' keys imported once. What each side checks differs: credcore decodes each issuer's
//     did:key, checks that the kid belongs to it, the EdDSA signature (strict), exp/nbf/iat with
//     skew, the VC data model (type, issuer and subject agreeing with iss/sub, dates) and builds
//     a result object per item; jose checks the signature (with a key it is handed, chosen here
//     by issuer index), the algorithm allow-list and exp/nbf/iat, nothing of DIDs or the VC model.
// (b) 1,000 anon-identity presentations (one credential each: two signatures) versus
//     anon-identity's ServiceProvider.batchVerifyPresentations with checkRevocation: false, and
//     with its default revocation check.
//
// Inputs: fresh credentials and presentations (new ids, new signatures) for every timed run, so
// no result cache can serve them. Rows marked "cache off" use new Verifier({ cache: { results: 0 } }),
// rows without it the top-level verifyBatch with its default caches (issuer keys are cached by
// design; results of fresh inputs are misses).
//
// Run: make bench (or: node bench/credentials.mjs after make build)

import * as jose from 'jose';
import * as credcore from '../pkg/index.node.js';
import { loadAnonIdentity } from '../tests/js/lib/anon-identity.mjs';
import { median, table, target } from './lib.mjs';

let round = 0;

function makeVcJwts(issuers, holders, n) {
  round++;
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const k = i % issuers.length;
    const holder = holders[i % holders.length];
    const jwt = credcore.issueCredential(
      { type: ['VerifiableCredential', 'EmployeeCredential'], credentialSubject: { id: holder.did, name: `Employee ${round}-${i}`, level: i % 7 } },
      { issuer: issuers[k], format: 'vc-jwt', expiresIn: 3600, now },
    );
    return { jwt, k };
  });
}

function makeAnonPresentations(issuers, holders, n) {
  round++;
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const holder = holders[i % holders.length];
    const credential = credcore.issueCredential(
      { type: ['VerifiableCredential', 'BasicProfileCredential'], credentialSubject: { id: holder.did, givenName: `Ada ${round}-${i}`, dateOfBirth: '1990-01-15' } },
      { issuer: issuers[i % issuers.length], format: 'anon-identity', expiresIn: 3600, now },
    );
    return credcore.createPresentation([credential], { holder, format: 'anon-identity', now });
  });
}

const allValid = (results) => {
  const bad = results.findIndex((r) => !r.valid);
  if (bad >= 0) throw new Error(`item ${bad} failed: ${JSON.stringify(results[bad].errors)}`);
};

export async function run({ n = 10_000, issuersCount = 10, presentations = 1_000, runs = 7 } = {}) {
  const issuers = Array.from({ length: issuersCount }, () => credcore.generateKeyPair());
  const holders = Array.from({ length: 100 }, () => credcore.generateKeyPair());
  const trustedIssuers = issuers.map((k) => k.did);

  // (a) VC-JWTs.
  const joseKeys = await Promise.all(issuers.map((k) => jose.importJWK(k.publicJwk, 'EdDSA')));
  const vcSetup = () => makeVcJwts(issuers, holders, n);
  const noCache = new credcore.Verifier({ trustedIssuers, cache: { results: 0 } });
  const rows = [];
  rows.push({ name: 'credcore verifyBatch', items: n, ms: await median((items) => allValid(credcore.verifyBatch(items.map((x) => x.jwt), { trustedIssuers })), { runs, setup: vcSetup }) });
  rows.push({ name: 'credcore Verifier.verifyBatch (cache off)', items: n, ms: await median(async (items) => allValid(await noCache.verifyBatch(items.map((x) => x.jwt))), { runs, setup: vcSetup }) });
  rows.push({
    name: 'jose jwtVerify loop (keys imported once)',
    items: n,
    ms: await median(async (items) => {
      for (const { jwt, k } of items) await jose.jwtVerify(jwt, joseKeys[k], { algorithms: ['EdDSA'] });
    }, { runs, setup: vcSetup }),
  });
  table(`VC-JWT verification, ${n.toLocaleString('en-US')} credentials, ${issuersCount} issuers, one thread (median of ${runs}, fresh credentials per run)`, rows, { unit: 'credentials' });
  const [batch, , joseLoop] = rows.map((r) => r.ms);
  target('credcore verifyBatch VC-JWTs/s', (n / batch) * 1000, 10_000);
  target('credcore verifyBatch vs jose jwtVerify', joseLoop / batch, 2);

  // (b) anon-identity presentations.
  const { ai, version } = loadAnonIdentity();
  const spOff = new ai.ServiceProvider('bench', trustedIssuers, { checkRevocation: false });
  const spOn = new ai.ServiceProvider('bench', trustedIssuers);
  const vpSetup = () => makeAnonPresentations(issuers, holders, presentations);
  const anonRuns = Math.max(3, Math.floor(runs / 2));
  const vpRows = [];
  vpRows.push({ name: 'credcore verifyBatch', items: presentations, ms: await median((items) => allValid(credcore.verifyBatch(items, { trustedIssuers })), { runs, setup: vpSetup }) });
  vpRows.push({ name: 'credcore Verifier.verifyBatch (cache off)', items: presentations, ms: await median(async (items) => allValid(await noCache.verifyBatch(items)), { runs, setup: vpSetup }) });
  vpRows.push({ name: `anon-identity@${version} batchVerifyPresentations (checkRevocation: false)`, items: presentations, ms: await median(async (items) => allValid((await spOff.batchVerifyPresentations(items)).map((x) => x.result)), { runs: anonRuns, setup: vpSetup }) });
  vpRows.push({ name: `anon-identity@${version} batchVerifyPresentations (default revocation check)`, items: presentations, ms: await median(async (items) => allValid((await spOn.batchVerifyPresentations(items)).map((x) => x.result)), { runs: anonRuns, setup: vpSetup }) });
  table(`anon-identity presentations (1 credential, 2 signatures each), ${presentations.toLocaleString('en-US')} presentations, one thread (median)`, vpRows, { unit: 'presentations' });
  const [vpBatch, , off, on] = vpRows.map((r) => r.ms);
  target('credcore verifyBatch vs anon-identity (revocation off)', off / vpBatch, 6);
  target('credcore verifyBatch vs anon-identity (revocation on)', on / vpBatch, 6);
  spOff.destroy();
  spOn.destroy();
  noCache.free();
  return { vcJwt: rows, anonIdentity: vpRows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
  // anon-identity's batch API leaves a 30 s timer per presentation behind.
  process.exit(0);
}
