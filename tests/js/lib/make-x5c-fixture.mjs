// Writes suites/x5c-fixture.mjs: an ES256 VC-JWT whose key an x5c chain (leaf, intermediate)
// certifies under a root, the root's PEM, and a second root that issued nothing, for the
// runtime-agnostic x5c suite (suites/x5c.mjs), which browsers run too and which cannot build
// certificates there. Certificates by @peculiar/x509, the JWT by jose, over WebCrypto.
// Run from tests/js: `node lib/make-x5c-fixture.mjs`.

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as jose from 'jose';
import { writeFileSync } from 'node:fs';

x509.cryptoProvider.set(globalThis.crypto);
const subtle = globalThis.crypto.subtle;
const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const NOW_S = 1_750_000_000;
const DAY = 86_400_000;
const ISS = 'https://issuer.example.com';

async function cert(name, keys, issuer, ca, san) {
  const extensions = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature, true),
  ];
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  return x509.X509CertificateGenerator.create({
    serialNumber: name.length.toString(16).padStart(4, '0'),
    subject: name,
    issuer: issuer.name,
    notBefore: new Date(NOW_S * 1000 - DAY),
    notAfter: new Date(NOW_S * 1000 + 3650 * DAY),
    signingAlgorithm: ES256,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions,
  });
}

const gen = () => subtle.generateKey(ES256, true, ['sign', 'verify']);
const [rootKeys, interKeys, leafKeys, otherKeys] = await Promise.all([gen(), gen(), gen(), gen()]);
const root = await cert('CN=Fixture Root', rootKeys, { name: 'CN=Fixture Root', keys: rootKeys }, true);
const other = await cert('CN=Fixture Root', otherKeys, { name: 'CN=Fixture Root', keys: otherKeys }, true);
const inter = await cert('CN=Fixture Intermediate', interKeys, { name: 'CN=Fixture Root', keys: rootKeys }, true);
const leaf = await cert('CN=Fixture Issuer', leafKeys, { name: 'CN=Fixture Intermediate', keys: interKeys }, false, [{ type: 'url', value: ISS }]);
const payload = {
  vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:holder', name: 'Ada' } },
  iss: ISS,
  sub: 'did:example:holder',
  nbf: NOW_S - 10,
  exp: NOW_S + 3650 * 86_400,
};
const token = await new jose.SignJWT(payload)
  .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [leaf, inter].map((c) => c.toString('base64')) })
  .sign(leafKeys.privateKey);
const fixture = { now: NOW_S * 1000, issuer: ISS, token, anchor: root.toString('pem'), otherAnchor: other.toString('pem') };
const header = '// Written by tests/js/lib/make-x5c-fixture.mjs (certificates by @peculiar/x509, the JWT by jose).\n\n';
writeFileSync(new URL('../suites/x5c-fixture.mjs', import.meta.url), `${header}export const FIXTURE = ${JSON.stringify(fixture, null, 2)};\n`);
