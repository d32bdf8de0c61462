// A Digital Bazaar Ed25519 Multikey of a fixed seed, controlled by its own did:key (for signing
// test credentials with @digitalbazaar/vc).

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

export async function seededKey(seed) {
  const pair = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(seed) });
  const did = `did:key:${pair.publicKeyMultibase}`;
  pair.controller = did;
  pair.id = `${did}#${pair.publicKeyMultibase}`;
  return { pair, did };
}
