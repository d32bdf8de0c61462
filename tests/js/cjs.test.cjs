// The CommonJS entry: require('credcore') works synchronously and shares the API.

const { test } = require('node:test');
const assert = require('node:assert/strict');

test('require("credcore") gives a ready API', () => {
  const c = require('credcore');
  const pair = c.keyPairFromSeed(new Uint8Array(32));
  assert.equal(pair.did, 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp');
  const sig = c.sign('hello', pair.secretKey);
  assert.equal(c.verify('hello', sig, pair.publicKey), true);
  assert.deepEqual(c.verifySignatures([{ message: 'hello', signature: sig, publicKey: pair.publicKey }]), [true]);
  assert.throws(() => c.publicKeyFromDid('nope'), (e) => e instanceof c.CredcoreError && e.code === 'INVALID_DID');
});
