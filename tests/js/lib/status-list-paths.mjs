// The checks every test of third-party status lists runs on credcore's paths: the module functions
// (lists as objects and as JSON text), lists refused as INVALID_STATUS_LIST (named attacks and
// tampered fields), a Verifier with a resolver (results cached and not; older lists replayed),
// and the pool (lists through its resolver, given, and a stranger's). The caller makes the
// credentials and lists with the peer library under test.

import assert from 'node:assert/strict';

export const codes = (r) => [...new Set(r.errors.map((e) => e.code))].sort();
export const verdicts = (rs) => rs.map((r) => (r.valid ? 'valid' : codes(r).join(',')));

/**
 * @param {object} t
 * @param {any} t.c the package
 * @param {object} t.o verification options (`now`)
 * @param {object} t.vcA a credential revoked in `revoked` and suspended in `suspended`
 * @param {object} t.vcB a credential neither revokes nor suspends
 * @param {string} t.rev the revocation list's URI; t.sus the suspension list's
 * @param {Record<string, object>} t.clean both lists, nothing set; t.revoked, t.suspended
 * @param {[string, () => Promise<object> | object][]} t.refused lists that are INVALID_STATUS_LIST at `rev`
 * @param {[string, (list: object) => void][]} t.tampers edits of the revoked list, each refused
 * @param {() => Promise<object>} t.strangers a list at `rev` signed by another issuer
 */
export async function checkListPaths({ c, o, vcA, vcB, rev, sus, clean, revoked, suspended, refused, tampers, strangers }) {
  // 1. Module functions: lists as objects and as JSON text.
  const both = (lists) => verdicts(c.verifyBatch([vcA, vcB], { ...o, statusLists: lists }));
  assert.deepEqual(both(clean), ['valid', 'valid']);
  assert.deepEqual(both(revoked), ['REVOKED_CREDENTIAL', 'valid']);
  assert.deepEqual(both(suspended), ['CREDENTIAL_SUSPENDED', 'valid']);
  assert.deepEqual(both(Object.fromEntries(Object.entries(revoked).map(([k, v]) => [k, JSON.stringify(v)]))), ['REVOKED_CREDENTIAL', 'valid']);
  assert.deepEqual(codes(c.verifyCredential(vcA, o)), ['STATUS_UNAVAILABLE']);

  // 2. Lists refused: the caller's attacks, then every tampered field of the revoked list.
  const bad = (lists, why) => assert.deepEqual(codes(c.verifyCredential(vcA, { ...o, statusLists: { ...clean, ...lists } })), ['INVALID_STATUS_LIST'], why);
  for (const [why, make] of refused) bad({ [rev]: await make() }, why);
  for (const [field, edit] of tampers) {
    const t = structuredClone(revoked[rev]);
    edit(t);
    bad({ [rev]: t }, `tampered ${field}`);
  }

  // 3. A Verifier with a resolver, results cached and not: a replayed older list is refused.
  for (const results of [0, 100]) {
    let served = revoked;
    const asked = [];
    const verifier = new c.Verifier({ ...o, cache: { results }, statusListResolver: async (uri) => { asked.push(uri); return served[uri] ?? null; } });
    assert.deepEqual(verdicts(await verifier.verifyBatch([vcA, vcB])), ['REVOKED_CREDENTIAL', 'valid'], `cache ${results}`);
    assert.deepEqual(asked.sort(), [rev, sus].sort());
    assert.deepEqual(verdicts(await verifier.verifyBatch([vcA, vcB])), ['REVOKED_CREDENTIAL', 'valid'], `cache ${results}, again`);
    assert.deepEqual(codes(await verifier.verify(vcA, { statusLists: clean })), ['INVALID_STATUS_LIST'], 'an older list after a newer one');
    served = clean;
    verifier.clear();
    assert.deepEqual(codes(await verifier.verify(vcA)), ['INVALID_STATUS_LIST'], 'a resolver replaying an older list');
    verifier.free();
    const foreign = new c.Verifier({ ...o, cache: { results }, statusListResolver: async (uri) => (uri === rev ? strangers() : clean[uri]) });
    assert.deepEqual(codes(await foreign.verify(vcA)), ['INVALID_STATUS_LIST']);
    foreign.free();
  }

  // 4. The pool: lists through its resolver, and given.
  const pool = await c.createPool({ workers: 2, chunkSize: 1, statusListResolver: async (uri) => suspended[uri] ?? null });
  try {
    assert.deepEqual(verdicts(await pool.verifyBatch([vcA, vcB], o)), ['CREDENTIAL_SUSPENDED', 'valid']);
    assert.deepEqual(verdicts(await pool.verifyBatch([vcA, vcB], { ...o, statusLists: { [rev]: revoked[rev], [sus]: suspended[sus] } })), ['CREDENTIAL_SUSPENDED,REVOKED_CREDENTIAL', 'valid']);
    // The suspension list its workers hold still counts; the stranger's list does not.
    assert.deepEqual(verdicts(await pool.verifyBatch([vcA], { ...o, statusLists: { [rev]: await strangers() } })), ['CREDENTIAL_SUSPENDED,INVALID_STATUS_LIST']);
  } finally {
    await pool.close();
  }
}
