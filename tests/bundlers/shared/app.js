// The app every bundler test builds (copied into each app's src/ by bundlers.test.mjs): it
// verifies credentials on the page's thread and with a pool of workers, loads the lazily loaded
// modules (issuing, Data Integrity, keys) and verifies a Data Integrity proof over RDF with them on the
// page's thread and in a worker, checks that a worker script that cannot be had fails with an
// error naming its URL, and reports what it saw. The
// same code runs in Chromium (browser bundles) and in Node (Node bundles).

import { init, generateKeyPair, issueCredential, verifyCredential, createPool, loadDataIntegrity, loadIssuing, loadKeys } from 'credcore';

/** Runs the checks; resolves to a JSON-ready report (never rejects). */
export async function run() {
  const report = { ok: false, steps: [] };
  try {
    await init();
    // Issuance is the issuing module's, loaded where the bundle put it.
    await loadIssuing();
    const issuer = generateKeyPair();
    const vc = issueCredential({ credentialSubject: { id: 'did:example:holder', degree: 'BSc' } }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    const [head, payload, signature] = vc.split('.');
    // The same credential with one character of its signature changed: a forgery.
    const forged = `${head}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const single = verifyCredential(vc, { trustedIssuers: [issuer.did] });
    report.single = { valid: single.valid, format: single.format, degree: single.claims?.degree ?? null };
    report.steps.push('single');

    const pool = await createPool({ workers: 2, verifier: { trustedIssuers: [issuer.did] } });
    try {
      const inputs = [];
      for (let i = 0; i < 40; i++) inputs.push(i % 10 === 3 ? forged : vc);
      const results = await pool.verifyBatch(inputs);
      report.pool = {
        valid: results.filter((r) => r.valid).length,
        invalid: results.filter((r) => !r.valid).map((r) => r.errors[0]?.code),
        one: (await pool.verify(vc)).valid,
        workers: pool.metrics().workers.live,
      };
      report.steps.push('pool');
    } finally {
      await pool.close();
    }

    // The lazily loaded modules, where the bundle put them: a proof over RDF (eddsa-rdfc-2022)
    // issued and verified on this thread and in a pool's worker (posted the Data Integrity
    // module by the page), and the same credential edited, refused.
    await loadDataIntegrity();
    const di = issueCredential({ credentialSubject: { id: 'did:example:holder', name: 'Ada' } }, { issuer, format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022', expiresIn: 3600 });
    const edited = { ...di, credentialSubject: { ...di.credentialSubject, name: 'Eve' } };
    const options = { trustedIssuers: [issuer.did] };
    const diPool = await createPool({ workers: 1, verifier: options });
    try {
      const here = verifyCredential(di, options);
      const there = await diPool.verifyBatch([di, edited]);
      report.dataIntegrity = {
        valid: here.valid,
        format: here.format,
        edited: verifyCredential(edited, options).errors[0]?.code ?? null,
        pool: there.map((r) => r.valid),
        poolEdited: there[1]?.errors[0]?.code ?? null,
      };
    } finally {
      await diPool.close();
    }
    await loadKeys();
    report.keysModule = true;
    report.steps.push('lazy-modules');

    // A worker script that is not there: WORKER_FAILED, naming the URL.
    const missing = typeof window === 'undefined' ? new URL('./no-such-worker.js', `file://${process.cwd()}/`) : new URL('/no-such-worker.js', location.href);
    try {
      const broken = await createPool({ workers: 1, workerUrl: missing });
      await broken.close();
      report.missingWorker = { code: null };
    } catch (err) {
      report.missingWorker = { code: err.code, namesUrl: String(err.message).includes('no-such-worker.js'), message: err.message };
    }
    report.steps.push('missing-worker');
    report.ok = true;
  } catch (err) {
    report.error = `${err?.code ?? ''} ${err?.stack ?? err}`;
  }
  return report;
}
