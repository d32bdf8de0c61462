// The keys module (credcore_keys_bg.wasm) in Node: compiled only when a chain (or a trustAnchors
// option) is to be checked, never for Ed25519 or ES256 work without x5c; after it loaded, the
// x5c path verifies what it certifies and refuses the rest, through the module functions, a
// Verifier and the CommonJS build. Each case runs in a fresh process that counts the wasm
// modules compiled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { FIXTURE } from './suites/x5c-fixture.mjs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs `body` (ESM, `credcore` imported as `c`) in a fresh process; returns its JSON output. */
function inFreshProcess(body, { cjs = false } = {}) {
  const count = `
    const sizes = [];
    const Original = WebAssembly.Module;
    WebAssembly.Module = function Module(bytes) { sizes.push(bytes.byteLength); return new Original(bytes); };
    WebAssembly.Module.prototype = Original.prototype;
    globalThis.__compiled = () => sizes.length;`;
  const load = cjs ? `const c = (await import('node:module')).createRequire(process.cwd() + '/')('credcore');` : `const c = await import('credcore');`;
  const script = `${count}\n${load}\nconst FIXTURE = ${JSON.stringify(FIXTURE)};\nconst out = {};\n${body}\nconsole.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' }));
}

for (const cjs of [false, true]) {
  test(`${cjs ? 'require' : 'import'}: the keys module is compiled on the first chain, not before; then x5c verifies and refuses as it should`, () => {
    const out = inFreshProcess(
      `
      out.atImport = __compiled();
      const issuer = c.generateKeyPair();
      const es = c.generateKeyPair({ alg: 'ES256' });
      const vc = (k) => c.issueCredential({ credentialSubject: { id: 'did:example:h' } }, { issuer: k, format: 'vc-jwt' });
      out.plain = [c.verifyCredential(vc(issuer)).valid, c.verifyCredential(vc(es)).valid];
      out.afterPlain = __compiled();
      const opts = { trustAnchors: [FIXTURE.anchor], now: FIXTURE.now };
      const r = c.verifyCredential(FIXTURE.token, opts);
      out.x5c = [r.valid, r.issuer, r.errors.map((e) => e.code)];
      out.other = c.verifyCredential(FIXTURE.token, { ...opts, trustAnchors: [FIXTURE.otherAnchor] }).errors.map((e) => e.code);
      out.afterX5c = __compiled();
      const v = new c.Verifier(opts);
      out.verifier = (await v.verifyBatch([FIXTURE.token, FIXTURE.token])).map((x) => x.valid);
      out.end = __compiled();
      `,
      { cjs },
    );
    assert.equal(out.atImport, 1, 'only the default module at import');
    assert.deepEqual(out.plain, [true, true]);
    assert.equal(out.afterPlain, 1, 'EdDSA and ES256 need no other module');
    assert.deepEqual(out.x5c, [true, FIXTURE.issuer, []]);
    assert.deepEqual(out.other, ['UNTRUSTED_CERTIFICATE']);
    assert.equal(out.afterX5c, 2, 'the keys module, once');
    assert.deepEqual(out.verifier, [true, true]);
    assert.equal(out.end, 2);
  });
}

test('trustAnchors that are not certificates fail a Verifier at construction (the module loads for it)', () => {
  const out = inFreshProcess(`
    try { new c.Verifier({ trustAnchors: ['-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----'] }); out.threw = null; }
    catch (err) { out.threw = [err.code, err.path]; }
    out.compiled = __compiled();
    try { c.verifyCredential('x', { trustAnchors: ['garbage'] }); out.call = 'returned'; } catch (err) { out.call = err.code; }
  `);
  assert.deepEqual(out.threw, ['MALFORMED_INPUT', 'options.trustAnchors[0]']);
  assert.equal(out.compiled, 2);
  assert.equal(out.call, 'MALFORMED_INPUT');
});
