// The lazily loaded modules (keys, Data Integrity) after a trap inside them: the instance that
// trapped is replaced, and when its replacement cannot be had at once (instantiation fails), the
// next use instantiates afresh instead of keeping the instance that trapped. wasm-bindgen's
// initSync keeps an instance once it has one, so loading "again" through it would have kept it.

import test from 'node:test';
import assert from 'node:assert/strict';
import * as c from 'credcore';

const pkg = (file) => new URL(`./${file}`, import.meta.resolve('credcore')).href;
const { lazyModule } = await import(pkg('lazy-module.js'));
const di = await import(pkg('data-integrity.js'));

/** A stand-in for a wasm-bindgen glue: counts instances, and fails resets while told to. */
function fakeGlue() {
  const glue = {
    instances: 0,
    live: /** @type {number | null} */ (null),
    failResets: false,
    initSync() {
      // wasm-bindgen's initSync: once instantiated, it returns the instance it has.
      if (glue.live === null) glue.live = ++glue.instances;
    },
    __wbg_reset_state() {
      if (glue.failResets) throw new Error('instantiation failed');
      glue.live = ++glue.instances;
    },
  };
  return glue;
}

test('lazyModule: a failed reset leaves no instance in use, and the next use instantiates afresh', async () => {
  const glue = fakeGlue();
  const module = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  let handed = 0;
  const lazy = lazyModule({ glue, fallback: () => new URL('https://example.invalid/x.wasm'), what: 'a test module', onInstance: () => handed++ });
  lazy.setSyncSource(() => module);
  assert.equal(lazy.ready(), true);
  assert.deepEqual([glue.live, handed], [1, 1]);

  // A trap, and a reset that works: a fresh instance, handed what instances get.
  lazy.reset();
  assert.deepEqual([glue.live, handed, lazy.module()], [2, 2, module]);

  // A trap, and a reset that fails: no module in use until one can be had.
  glue.failResets = true;
  lazy.reset();
  assert.equal(lazy.module(), null);
  assert.throws(() => lazy.ready(), /instantiation failed/);
  assert.equal(glue.live, 2, 'still failing: nothing new');

  // Instantiation works again: the next use replaces the instance that trapped (3), where
  // initSync would have kept it (2).
  glue.failResets = false;
  assert.equal(lazy.ready(), true);
  assert.deepEqual([glue.live, handed, lazy.module()], [3, 3, module]);
  assert.equal(lazy.ready(), true);
  assert.equal(glue.live, 3, 'one instance per reset');
});

test('lazyModule in a browser (no sync source): load() after a failed reset instantiates again', async () => {
  const glue = fakeGlue();
  const module = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  const lazy = lazyModule({ glue, fallback: () => new URL('https://example.invalid/x.wasm'), what: 'a test module' });
  assert.equal(lazy.ready(), false);
  assert.equal(lazy.takeWanted(), true);
  await lazy.load(module);
  assert.deepEqual([lazy.ready(), glue.live], [true, 1]);
  glue.failResets = true;
  lazy.reset();
  assert.equal(lazy.ready(), false, 'not ready: items answer NOT_INITIALIZED');
  assert.equal(lazy.takeWanted(), true, 'and the Verifier or pool is told to load it');
  glue.failResets = false;
  // The first load's promise is spent: this load runs again and replaces the instance.
  await lazy.load(module);
  assert.deepEqual([lazy.ready(), glue.live], [true, 2]);
});

test('the Data Integrity module: a failure inside it replaces its instance; a failed replacement is retried at the next proof', () => {
  c.hash(new Uint8Array(1)); // the package is initialized (Node: the module compiles on first use)
  const doc = JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:example:issuer', credentialSubject: { id: 'did:example:subject' } });
  const config = JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', created: '2026-01-01T00:00:00Z', verificationMethod: 'did:example:issuer#key-1', proofPurpose: 'assertionMethod' });
  const good = di.hashData(doc, config);
  assert.ok(good instanceof Uint8Array && good.length === 64, String(good));

  // A failure that is not a coded refusal (a length that throws while the glue copies the text
  // in) is handled as a trap: INTERNAL_ERROR for that proof, and a fresh instance.
  const poison = { get length() { throw new Error('poison'); } };
  const Instance = WebAssembly.Instance;
  let made = 0;
  WebAssembly.Instance = function (...args) {
    made++;
    return new Instance(...args);
  };
  try {
    assert.match(String(di.hashData(/** @type {any} */ (poison), config)), /^INTERNAL_ERROR/);
    assert.equal(made, 1, 'replaced once');
    assert.deepEqual(di.hashData(doc, config), good, 'the fresh instance answers as before');

    // The replacement fails (instantiation throws): that proof is INTERNAL_ERROR, the next one
    // finds no instance it could use and says so; once instantiation works, the next proof gets
    // a fresh instance (not the one that failed) and its true hash data.
    WebAssembly.Instance = function () {
      made++;
      throw new RangeError('out of memory');
    };
    assert.match(String(di.hashData(/** @type {any} */ (poison), config)), /^INTERNAL_ERROR/);
    assert.match(String(di.hashData(doc, config)), /^NOT_INITIALIZED\u0001\u0001the Data Integrity module could not be loaded: out of memory/);
    const before = made;
    WebAssembly.Instance = function (...args) {
      made++;
      return new Instance(...args);
    };
    assert.deepEqual(di.hashData(doc, config), good);
    assert.equal(made, before + 1, 'a fresh instance, made once');
    assert.deepEqual(di.hashData(doc, config), good);
    assert.equal(made, before + 1);
  } finally {
    WebAssembly.Instance = Instance;
  }
});
