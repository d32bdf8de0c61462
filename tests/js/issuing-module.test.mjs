// The issuing module (credcore_issuing_bg.wasm) in Node: never compiled for verification (module
// functions, a Verifier, raw signatures, hashing, RFC 8785, HMAC), compiled once on the first
// call that issues, presents, makes keys, signs a status list, or keeps an audit log or sessions,
// through ESM and CommonJS alike; what it issues verifies in the default module. Each case runs in
// a fresh process that records the wasm modules compiled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inFreshProcess } from './lib/fresh-process.mjs';
import { createPrivateKey, sign } from 'node:crypto';

// An EdDSA VC-JWT signed by node:crypto (an RFC 8032 test key), so that verifying it needs no issuance.
const SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const PUBLIC = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
function nodeSignedJwt() {
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' });
  // did:key of the public key: multicodec 0xed01, base58btc.
  const bytes = [0xed, 0x01, ...PUBLIC];
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  let b58 = '';
  while (n > 0n) { b58 = alphabet[Number(n % 58n)] + b58; n /= 58n; }
  const did = `did:key:z${b58}`;
  const b64u = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const vc = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: 'did:example:h' } };
  const signing = `${b64u({ alg: 'EdDSA', typ: 'JWT', kid: `${did}#z${b58}` })}.${b64u({ iss: did, sub: 'did:example:h', nbf: now - 60, exp: now + 3600, vc })}`;
  return { did, jwt: `${signing}.${sign(null, Buffer.from(signing), key).toString('base64url')}` };
}

for (const cjs of [false, true]) {
  test(`${cjs ? 'require' : 'import'}: verification never compiles the issuing module; the first issuing call does, once`, () => {
    const { did, jwt } = nodeSignedJwt();
    const out = inFreshProcess(
      `
      const jwt = ${JSON.stringify(jwt)};
      const did = ${JSON.stringify(did)};
      const forged = jwt.slice(0, -4) + (jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      out.verdicts = [c.verifyCredential(jwt, { trustedIssuers: [did] }).valid, c.verifyBatch([jwt, forged]).map((r) => r.valid)];
      out.verifier = (await new c.Verifier({ trustedIssuers: [did] }).verifyBatch([jwt, forged])).map((r) => r.valid);
      out.utilities = [c.hash('abc').length, c.canonicalize({ b: 1, a: 2 }), c.hmacSha256(new Uint8Array(32), 'x').length, c.publicKeyFromDid(did).length];
      out.memoryBefore = c.instanceMemory().issuing;
      out.afterVerify = __compiled();
      const issuer = c.generateKeyPair();
      const vc = c.issueCredential({ credentialSubject: { id: 'did:example:h' } }, { issuer, format: 'vc-jwt', expiresIn: 60 });
      out.issued = c.verifyCredential(vc, { trustedIssuers: [issuer.did] }).valid;
      const sd = c.sdJwt.issue({ iss: issuer.did, vct: 'https://example.test/v', given_name: 'Ada' }, { issuer, disclose: ['/given_name'] });
      out.sd = c.verifyCredential(c.sdJwt.present(sd, { disclose: ['/given_name'] }), { trustedIssuers: [issuer.did] }).claims?.given_name ?? null;
      const list = new c.StatusList({ format: 'ietf', uri: 'https://example.test/l', size: 16, bits: 1, issuer });
      list.set(3, 1);
      out.list = c.StatusList.decode(list.sign(), { uri: 'https://example.test/l' }).get(3);
      const log = new c.AuditLog({ hmacKey: new Uint8Array(32).fill(1), keyId: 'k' });
      out.audit = c.AuditLog.verify(log.append([{ a: 1 }]), { k: new Uint8Array(32).fill(1) }).valid;
      const mem = c.instanceMemory().issuing;
      out.memoryAfter = mem === null ? null : [mem.bytes > 0, mem.pinned];
      out.end = __compiled();
      `,
      { cjs },
    );
    assert.deepEqual(out.verdicts, [true, [true, false]]);
    assert.deepEqual(out.verifier, [true, false]);
    assert.deepEqual(out.utilities, [32, '{"a":2,"b":1}', 32, 32]);
    assert.equal(out.memoryBefore, null, 'not loaded: no memory figures');
    assert.deepEqual(out.afterVerify, ['wasm'], 'verification is the default module alone');
    assert.equal(out.issued, true);
    assert.equal(out.sd, 'Ada');
    assert.equal(out.list, 1);
    assert.equal(out.audit, true);
    assert.deepEqual(out.memoryAfter, [true, 3], 'the live StatusLists (made, decoded) and AuditLog pin the issuing instance');
    assert.deepEqual(out.end, ['wasm', 'issuing'], 'the issuing module, once');
  });
}

test('loadIssuing() in Node: resolves (idempotent) and compiles the module at most once', () => {
  const out = inFreshProcess(`
    await c.loadIssuing();
    await c.loadIssuing();
    out.compiled = __compiled();
    out.works = c.generateKeyPair().did.startsWith('did:key:z6Mk');
    out.end = __compiled();
  `);
  assert.deepEqual(out.compiled, ['wasm', 'issuing']);
  assert.equal(out.works, true);
  assert.deepEqual(out.end, ['wasm', 'issuing']);
});
