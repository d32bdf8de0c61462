// The Digital Bazaar side of the Data Integrity interop tests, offline: a security document
// loader (@digitalbazaar/security-document-loader's bundled contexts) that resolves did:key for
// Ed25519, P-256 and P-384 Multikeys (@digitalbazaar/did-method-key), and ECDSA Multikeys that are
// also credcore key pairs.

import assert from 'node:assert/strict';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import { CachedResolver } from '@digitalbazaar/did-io';
import { securityLoader } from '@digitalbazaar/security-document-loader';

/** A security loader (not built yet: add static contexts, then `.build()`) resolving did:key. */
export function didKeyLoader() {
  const keys = didKeyDriver();
  keys.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  keys.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from });
  keys.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from });
  const resolver = new CachedResolver();
  resolver.use(keys);
  const loader = securityLoader();
  loader.setDidResolver(resolver);
  return loader;
}

/** A Digital Bazaar Multikey of `curve` as did:key, and the same key as a credcore key pair of `alg`. */
export async function ecdsaKeys(c, curve, alg) {
  const generated = await EcdsaMultikey.generate({ curve });
  const did = `did:key:${generated.publicKeyMultibase}`;
  const pair = await EcdsaMultikey.from({ ...(await generated.export({ publicKey: true, secretKey: true })), id: `${did}#${generated.publicKeyMultibase}`, controller: did });
  const jwk = await EcdsaMultikey.toJwk({ keyPair: pair, secretKey: true });
  const ours = c.keyPairFromSeed(new Uint8Array(Buffer.from(jwk.d, 'base64url')), { alg });
  assert.equal(ours.did, did, 'the same key, the same did:key');
  return { pair, did, ours };
}
