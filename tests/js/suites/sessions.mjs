// Sessions through the public API: created from a real SD-JWT VC verification, validated with
// the key alone, expiring on the caller's clock, refused when tampered with, under another key,
// or revoked through a store.

import { assert } from '../lib/assert.mjs';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const AUDIENCE = 'https://rp.example';

function key(byte) {
  return new Uint8Array(32).fill(byte);
}

/** An SD-JWT VC with key binding presenting `given_name` only, verified. */
function verified(c) {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const sd = c.sdJwt.issue(
    { vct: 'urn:example:pid', sub: 'did:example:ada', given_name: 'Ada', family_name: 'Lovelace' },
    { issuer, disclose: ['/given_name', '/family_name'], holderPublicKey: holder.publicKey, expiresIn: 3600, now: NOW },
  );
  const presentation = c.sdJwt.present(sd, { disclose: ['/given_name'], holder, nonce: 'n-1', audience: AUDIENCE, now: NOW });
  const result = c.sdJwt.verify(presentation, { nonce: 'n-1', audience: AUDIENCE, trustedIssuers: [issuer.did], now: NOW });
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  return { issuer, holder, result };
}

export const tests = [
  ['a session from a verified SD-JWT VC round-trips with the key alone', (c) => {
    const { issuer, holder, result } = verified(c);
    const { token, session } = c.createSession(result, { key: key(7), ttlSeconds: 600, now: NOW });
    assert.ok(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(token), `token shape: ${token}`);
    assert.deepEqual(session.attributes, { given_name: 'Ada' });
    assert.equal(session.holder, holder.did);
    assert.equal(session.subject, 'did:example:ada');
    assert.equal(session.issuer, issuer.did);
    assert.deepEqual([session.issuedAt, session.expiresAt], [NOW / 1000, NOW / 1000 + 600]);
    assert.equal(session.id.length, 22);
    const back = c.validateSession(token, { key: key(7), now: NOW + 1000 });
    assert.deepEqual(back, session);
    // A second session of the same result gets its own id.
    assert.notEqual(c.createSession(result, { key: key(7), now: NOW }).session.id, session.id);
  }],
  ['sessions expire on the caller clock', (c) => {
    const { result } = verified(c);
    const { token, session } = c.createSession(result, { key: key(7), ttlSeconds: 60, now: NOW });
    assert.equal(c.validateSession(token, { key: key(7), now: NOW + 59_999 }).id, session.id);
    assert.throwsCode(() => c.validateSession(token, { key: key(7), now: NOW + 60_000 }), 'SESSION_EXPIRED');
    assert.throwsCode(() => c.validateSession(token, { key: key(7), now: new Date(NOW + 3_600_000) }), 'SESSION_EXPIRED');
  }],
  ['tampered tokens are SESSION_INVALID', (c) => {
    const { result } = verified(c);
    const { token } = c.createSession(result, { key: key(7), now: NOW });
    const [body, tag] = token.split('.');
    const flip = (s, i) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    // A payload re-encoded with other attributes keeps its old tag.
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(body.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))));
    json.attrs.given_name = 'Eve';
    const forged = btoa(JSON.stringify(json)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const bad of [
      `${flip(body, 0)}.${tag}`, `${flip(body, body.length >> 1)}.${tag}`, `${body}.${flip(tag, 0)}`,
      `${body}.${tag.slice(0, -1)}`, `${body}.${tag}.${tag}`, `${body}${tag}`, `${forged}.${tag}`, '', 'x.y',
    ]) {
      assert.throwsCode(() => c.validateSession(bad, { key: key(7), now: NOW }), 'SESSION_INVALID');
    }
    assert.throwsCode(() => c.validateSession(42, { key: key(7), now: NOW }), 'SESSION_INVALID');
  }],
  ['another key is SESSION_INVALID; short keys and invalid results are refused', (c) => {
    const { result } = verified(c);
    const { token } = c.createSession(result, { key: key(7), now: NOW });
    assert.throwsCode(() => c.validateSession(token, { key: key(8), now: NOW }), 'SESSION_INVALID');
    assert.throwsCode(() => c.validateSession(token, { key: new Uint8Array(16), now: NOW }), 'MALFORMED_INPUT', 'key');
    assert.throwsCode(() => c.createSession(result, { key: 'secret', now: NOW }), 'MALFORMED_INPUT', 'key');
    assert.throwsCode(() => c.createSession(result, { key: key(7), ttlSeconds: 0 }), 'MALFORMED_INPUT', 'ttlSeconds');
    const revoked = { ...result, valid: false, errors: [{ code: 'REVOKED_CREDENTIAL', message: 'revoked' }] };
    assert.throwsCode(() => c.createSession(revoked, { key: key(7) }), 'REVOKED_CREDENTIAL', 'result');
    const failed = c.sdJwt.verify('not an sd-jwt', {});
    assert.throwsCode(() => c.createSession(failed, { key: key(7) }), failed.errors[0].code, 'result');
  }],
  ['a store revokes sessions; bounded, it refuses what it no longer holds', (c) => {
    const { result } = verified(c);
    const store = new c.SessionStore({ max: 2, ttlSeconds: 3600 });
    const a = c.createSession(result, { key: key(7), store, now: NOW });
    const b = c.createSession(result, { key: key(7), store, now: NOW });
    assert.equal(c.validateSession(a.token, { key: key(7), store, now: NOW }).id, a.session.id);
    assert.equal(store.revokeSession(a.session.id, { now: NOW }), true);
    assert.equal(store.revokeSession(a.session.id, { now: NOW }), false);
    assert.throwsCode(() => c.validateSession(a.token, { key: key(7), store, now: NOW }), 'SESSION_REVOKED');
    // Without the store the token itself is still genuine.
    assert.equal(c.validateSession(a.token, { key: key(7), now: NOW }).id, a.session.id);
    assert.equal(store.isActive(b.session.id, { now: NOW }), true);
    // Two more sessions evict b (least recently used): it is refused, never revived.
    c.createSession(result, { key: key(7), store, now: NOW });
    c.createSession(result, { key: key(7), store, now: NOW });
    assert.throwsCode(() => c.validateSession(b.token, { key: key(7), store, now: NOW }), 'SESSION_REVOKED');
    const stats = store.stats();
    assert.deepEqual(
      [stats.entries, stats.capacity, stats.evictions, stats.revocations, stats.hits, stats.misses],
      [2, 2, 1, 1, 1, 2],
    );
    assert.throwsCode(() => c.validateSession(a.token, { key: key(7), store: {}, now: NOW }), 'MALFORMED_INPUT', 'store');
    store.free();
  }],
];
