// Revocation and suspension end to end through the public API: StatusList, SD-JWT VCs with an
// IETF status claim, verifyBatch with statusLists, and the Verifier with a statusListResolver.

import { assert } from '../lib/assert.mjs';

const VCT = 'https://credentials.example/identity';

function codes(result) {
  return result.errors.map((e) => e.code);
}

function credential(c, issuer, name, idx, uri) {
  return c.sdJwt.issue({ vct: VCT, given_name: name, status: { status_list: { idx, uri } } }, { issuer, expiresIn: 3600 });
}

/** The same compact JWT with the first character of its signature changed. */
function forge(token) {
  const dot = token.lastIndexOf('.');
  return token.slice(0, dot + 1) + (token[dot + 1] === 'A' ? 'B' : 'A') + token.slice(dot + 2);
}

export const tests = [
  ['IETF list: issue, revoke, suspend, reinstate, through verifyBatch with statusLists', (c) => {
    const issuer = c.generateKeyPair();
    const uri = 'https://issuer.example/status/ietf/lifecycle';
    const list = new c.StatusList({ format: 'ietf', uri, size: 1000, bits: 2, issuer });
    const [i1, i2] = [list.allocate(), list.allocate()];
    const creds = [credential(c, issuer, 'one', i1, uri), credential(c, issuer, 'two', i2, uri)];
    const step = () => {
      const results = c.verifyBatch(creds, { statusLists: { [uri]: list.sign() } });
      assert.equal(results[1].valid, true, 'the other credential is untouched');
      return codes(results[0]);
    };
    assert.deepEqual(step(), []);
    list.set(i1, 1);
    assert.deepEqual(step(), ['REVOKED_CREDENTIAL']);
    list.set(i1, 2);
    assert.deepEqual(step(), ['CREDENTIAL_SUSPENDED']);
    list.set(i1, 0);
    assert.deepEqual(step(), []);
    list.free();
  }],

  ['W3C lists: a suspension list suspends and un-suspends, a revocation list revokes (VC-JWT)', (c) => {
    const issuer = c.generateKeyPair();
    const revUri = 'https://issuer.example/status/w3c/revocation';
    const susUri = 'https://issuer.example/status/w3c/suspension';
    const revocation = new c.StatusList({ format: 'w3c', uri: revUri, purpose: 'revocation', issuer });
    const suspension = new c.StatusList({ format: 'w3c', uri: susUri, purpose: 'suspension', issuer });
    const [ri, si] = [revocation.allocate(), suspension.allocate()];
    const entry = (purpose, uri, index) => ({ id: `${uri}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: uri });
    const jwt = c.issueCredential(
      { credentialSubject: { id: 'did:example:holder', name: 'Ada' }, credentialStatus: [entry('revocation', revUri, ri), entry('suspension', susUri, si)] },
      { issuer, format: 'vc-jwt', expiresIn: 3600 },
    );
    const check = () => c.verifyBatch([jwt], { statusLists: { [revUri]: revocation.sign(), [susUri]: suspension.sign() } })[0];
    assert.deepEqual(codes(check()), []);
    suspension.set(si, 1);
    const suspended = check();
    assert.deepEqual(codes(suspended), ['CREDENTIAL_SUSPENDED']);
    assert.equal(suspended.errors[0].path, 'payload.vc.credentialStatus[1]');
    suspension.set(si, 0);
    assert.deepEqual(codes(check()), []);
    revocation.set(ri, 1);
    assert.deepEqual(codes(check()), ['REVOKED_CREDENTIAL']);
    revocation.free();
    suspension.free();
  }],

  ['absent lists fail closed unless statusFailOpen; forged and foreign lists are INVALID_STATUS_LIST', (c) => {
    const issuer = c.generateKeyPair();
    const stranger = c.generateKeyPair();
    const uri = 'https://issuer.example/status/ietf/policy';
    const list = new c.StatusList({ format: 'ietf', uri, size: 1000, issuer });
    const cred = credential(c, issuer, 'x', list.allocate(), uri);
    const genuine = list.sign();
    assert.deepEqual(codes(c.verifyBatch([cred])[0]), ['STATUS_UNAVAILABLE']);
    assert.deepEqual(codes(c.verifyBatch([cred], { statusFailOpen: true })[0]), []);
    assert.deepEqual(codes(c.verifyBatch([cred], { statusLists: { [uri]: forge(genuine) } })[0]), ['INVALID_STATUS_LIST']);
    assert.deepEqual(codes(c.verifyBatch([cred], { statusFailOpen: true, statusLists: { [uri]: forge(genuine) } })[0]), ['INVALID_STATUS_LIST']);
    const foreign = list.sign({ issuer: stranger });
    assert.deepEqual(codes(c.verifyBatch([cred], { statusLists: { [uri]: foreign } })[0]), ['INVALID_STATUS_LIST']);
    assert.deepEqual(codes(c.verifyBatch([cred], { statusLists: { [uri]: foreign }, trustedStatusIssuers: [stranger.did] })[0]), []);
    assert.deepEqual(codes(c.verifyBatch([cred], { statusLists: { [uri]: genuine } })[0]), []);
    list.free();
  }],

  ['a call of 2,500 items crosses into wasm by slices: one clock, one resolver call per list for the whole call, verdicts as in one piece', async (c) => {
    const issuer = c.generateKeyPair();
    const uris = ['https://issuer.example/status/s1', 'https://issuer.example/status/s2'];
    const lists = Object.fromEntries(uris.map((uri) => [uri, new c.StatusList({ format: 'ietf', uri, size: 4096, issuer })]));
    const creds = Array.from({ length: 2500 }, (_, i) => {
      const uri = uris[i % 2];
      const idx = lists[uri].allocate();
      if (i % 7 === 0) lists[uri].set(idx, 1);
      return credential(c, issuer, `s${i}`, idx, uri);
    });
    const tokens = Object.fromEntries(uris.map((uri) => [uri, lists[uri].sign()]));
    const calls = [];
    const verifier = new c.Verifier({ statusListResolver: async (uri) => { calls.push(uri); return tokens[uri] ?? null; } });
    const results = await verifier.verifyBatch(creds);
    assert.deepEqual(calls.sort(), uris);
    const revoked = results.filter((r) => codes(r).includes('REVOKED_CREDENTIAL')).length;
    assert.equal(revoked, Math.ceil(2500 / 7));
    assert.equal(results.filter((r) => r.valid).length, 2500 - revoked);
    // The module function, lists given inline, says the same of every item.
    const inline = c.verifyBatch(creds, { statusLists: tokens });
    assert.deepEqual(inline.map((r) => [r.valid, codes(r)]), results.map((r) => [r.valid, codes(r)]));
    for (const l of Object.values(lists)) l.free();
  }],

  ['Verifier: the resolver is called once per distinct URI per batch; exact stats after a scripted sequence', async (c) => {
    const issuer = c.generateKeyPair();
    const [uriA, uriB] = ['https://issuer.example/status/a', 'https://issuer.example/status/b'];
    const lists = { [uriA]: new c.StatusList({ format: 'ietf', uri: uriA, size: 1000, issuer }), [uriB]: new c.StatusList({ format: 'ietf', uri: uriB, size: 1000, issuer }) };
    const entries = [[uriA, 'a1'], [uriA, 'a2'], [uriA, 'a3'], [uriB, 'b1'], [uriB, 'b2']].map(([uri, name]) => ({ uri, idx: lists[uri].allocate(), name }));
    const creds = entries.map((e) => credential(c, issuer, e.name, e.idx, e.uri));
    const calls = { [uriA]: 0, [uriB]: 0 };
    const statusListResolver = async (uri) => {
      calls[uri] = (calls[uri] ?? 0) + 1;
      await null;
      return lists[uri] ? lists[uri].sign() : null;
    };
    const verifier = new c.Verifier({ statusListResolver, cache: { keys: 8, results: 100, statusLists: 8, ttlSeconds: 300 } });
    const stat = () => {
      const s = verifier.stats();
      const pick = (x) => [x.hits, x.misses, x.evictions, x.expirations, x.entries, x.capacity];
      return { keys: pick(s.keys), results: pick(s.results), statusLists: pick(s.statusLists) };
    };

    // 1. Five credentials and a duplicate: one resolver call per list. The needs loop runs the
    //    batch, learns that only the two lists keep its items from a verdict, fetches them, and
    //    runs those items again: every lookup twice (keys: ten credential lookups and the two
    //    lists' issuer key, all one issuer: one decoding).
    let results = await verifier.verifyBatch([...creds, creds[0]]);
    assert.deepEqual(results.map((r) => r.valid), [true, true, true, true, true, true]);
    assert.deepEqual(calls, { [uriA]: 1, [uriB]: 1 });
    assert.deepEqual(stat(), { keys: [11, 1, 0, 0, 1, 8], results: [0, 10, 0, 0, 5, 100], statusLists: [0, 4, 0, 0, 2, 8] });

    // 2. The same batch again: every result from the cache, no resolver call.
    results = await verifier.verifyBatch(creds);
    assert.deepEqual(results.map((r) => r.valid), [true, true, true, true, true]);
    assert.deepEqual(calls, { [uriA]: 1, [uriB]: 1 });
    assert.deepEqual(stat(), { keys: [11, 1, 0, 0, 1, 8], results: [5, 10, 0, 0, 5, 100], statusLists: [0, 4, 0, 0, 2, 8] });
    // The shape index.d.ts declares (VerifierStats, CacheStats).
    const full = verifier.stats();
    assert.deepEqual(Object.keys(full).sort(), ['certificateChains', 'keys', 'levels', 'nonces', 'results', 'statusLists', 'store']);
    for (const name of ['keys', 'results', 'statusLists', 'certificateChains']) assert.deepEqual(Object.keys(full[name]).sort(), ['capacity', 'entries', 'evictions', 'expirations', 'hitRatio', 'hits', 'misses']);
    // The fetched lists by level: two misses in memory (then the resolver), no shared store.
    assert.deepEqual(full.levels.statusLists, { l1: { hits: 0, misses: 2, hitRatio: 0 }, l2: { hits: 0, misses: 0, writes: 0, errors: 0, hitRatio: 0 } });
    assert.equal(full.store, null);
    assert.equal(full.results.hitRatio, 1 / 3);

    // 3. Revoke a1 and b2; after clear() the lists are fetched again, once each, even
    //    for two batches in flight at once.
    lists[uriA].set(entries[0].idx, 1);
    lists[uriB].set(entries[4].idx, 1);
    verifier.clear();
    const [first, second] = await Promise.all([verifier.verifyBatch(creds.slice(0, 4)), verifier.verifyBatch(creds.slice(4))]);
    assert.deepEqual(calls, { [uriA]: 2, [uriB]: 2 });
    assert.deepEqual(first.map(codes), [['REVOKED_CREDENTIAL'], [], [], []]);
    assert.deepEqual(second.map(codes), [['REVOKED_CREDENTIAL']]);
    // List B was decoded by whichever batch came first and served from the cache to the other.
    // Each batch ran twice (the needs loop), every lookup counted (and each list decoded looked
    // up its issuer's key once).
    assert.deepEqual(stat(), { keys: [22, 2, 0, 0, 1, 8], results: [5, 20, 0, 0, 5, 100], statusLists: [1, 9, 0, 0, 2, 8] });

    // 4. A resolver that fails or finds nothing: fail closed, or open when asked.
    const failing = new c.Verifier({ statusListResolver: async () => { throw new Error('offline'); } });
    assert.deepEqual(codes(await failing.verify(creds[0])), ['STATUS_UNAVAILABLE']);
    assert.deepEqual(codes(await failing.verify(creds[0], { statusFailOpen: true })), []);
    const empty = new c.Verifier({ statusListResolver: () => null });
    assert.deepEqual(codes(await empty.verify(creds[1])), ['STATUS_UNAVAILABLE']);
    for (const v of [verifier, failing, empty]) v.free();
    for (const l of Object.values(lists)) l.free();
  }],
  ['cached results come back as fresh objects, equal to the computed ones, for Verifier and verifyBatch', async (c) => {
    const issuer = c.generateKeyPair();
    // A claim named __proto__ (an own property after JSON.parse) must survive copies as one.
    const subject = JSON.parse('{"name":"Ada","address":{"city":"Paris","lines":["1 rue A",{"floor":2}]},"__proto__":{"polluted":true}}');
    const jwt = c.issueCredential({ credentialSubject: subject }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
    const check = (r) => {
      assert.equal(r.valid, true);
      assert.equal(r.credentials[0].attributes.address.lines[1].floor, 2);
      assert.ok(Object.prototype.hasOwnProperty.call(r.credentials[0].attributes, '__proto__'), '__proto__ stays an own claim');
      assert.equal(Object.getPrototypeOf(r.credentials[0].attributes), Object.prototype);
      assert.equal(({}).polluted, undefined, 'no prototype pollution');
    };
    // No object or array is shared between two results (whatever fields results gain later).
    const disjoint = (a, b, path = 'result') => {
      if (a === null || typeof a !== 'object') return;
      assert.notEqual(a, b, `${path} is shared between two results`);
      for (const k of Object.keys(a)) disjoint(a[k], b?.[k], `${path}.${k}`);
    };
    const verifier = new c.Verifier({ cache: { results: 4 } });
    const surfaces = [
      ['Verifier', (inputs) => verifier.verifyBatch(inputs)],
      ['verifyBatch', async (inputs) => c.verifyBatch(inputs)],
    ];
    for (const [name, run] of surfaces) {
      const [first, twin] = await run([jwt, jwt]);
      check(first);
      disjoint(twin, first);
      assert.deepEqual(twin, first);
      const [hit] = await run([jwt]);
      assert.deepEqual(hit, first, `${name}: the cached result equals the computed one`);
      disjoint(hit, first);
      // Changing a returned result changes nothing that a later call returns.
      hit.valid = false;
      hit.credentials[0].attributes.address.lines[1].floor = 99;
      hit.errors.push({ code: 'EDITED', message: 'edited' });
      const [again] = await run([jwt]);
      check(again);
      assert.deepEqual(again, first, `${name}: unaffected by edits to an earlier result`);
    }
    // Single calls share the default verifier's cache: a kind mismatch is added to a copy, never
    // to the cached entry.
    const asPresentation = c.verifyPresentation(jwt);
    assert.equal(asPresentation.valid, false);
    assert.deepEqual(asPresentation.errors.map((e) => e.code), ['MALFORMED_INPUT']);
    const single = c.verifyCredential(jwt);
    assert.deepEqual(single, c.verifyBatch([jwt])[0]);
    check(single);
    disjoint(single, c.verifyCredential(jwt));
    assert.deepEqual(c.verifyPresentation(jwt), asPresentation);
    assert.equal(verifier.stats().results.hits, 2);
    // After clear() the result is computed again, and still equal.
    verifier.clear();
    assert.deepEqual((await verifier.verifyBatch([jwt]))[0], (await surfaces[1][1]([jwt]))[0]);
    assert.deepEqual([verifier.stats().results.hits, verifier.stats().results.misses], [2, 2]);
    verifier.free();
  }],
];
