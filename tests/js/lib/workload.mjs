// A mixed workload for the pool suites, built through the public API in any runtime: VC-JWT,
// anon-identity and SD-JWT VC credentials, with forged, expired, revoked and malformed items.

export const STATUS_URI = 'https://issuer.example/status/1';

/**
 * `n` inputs cycling through the kinds; returns `{ inputs, kinds, issuer, statusList, options }`
 * where `options` verifies them on one thread with the status list given inline.
 */
export function mixedWorkload(c, n, { tag = 'w' } = {}) {
  const issuer = c.generateKeyPair();
  const holder = c.generateKeyPair();
  const list = new c.StatusList({ format: 'ietf', uri: STATUS_URI, size: 4096, bits: 1, issuer });
  const kinds = ['vc-jwt', 'anon-identity', 'sd-jwt', 'forged', 'expired', 'revoked', 'malformed'];
  const inputs = [];
  const used = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length];
    const subject = { id: holder.did, name: `${tag} ${i}` };
    switch (kind) {
      case 'vc-jwt':
        inputs.push(c.issueCredential({ credentialSubject: subject }, { issuer, format: 'vc-jwt', expiresIn: 3600 }));
        break;
      case 'anon-identity':
        inputs.push(c.issueCredential({ credentialSubject: subject }, { issuer, format: 'anon-identity', expiresIn: 3600 }));
        break;
      case 'sd-jwt':
      case 'revoked': {
        const idx = list.allocate();
        if (kind === 'revoked') list.set(idx, 1);
        inputs.push(c.sdJwt.issue({ vct: 'urn:example:id', given_name: `${tag} ${i}`, status: { status_list: { idx, uri: STATUS_URI } } }, { issuer, disclose: ['/given_name'], expiresIn: 3600 }));
        break;
      }
      case 'forged': {
        const jwt = c.issueCredential({ credentialSubject: subject }, { issuer, format: 'vc-jwt', expiresIn: 3600 });
        const [h, p, s] = jwt.split('.');
        inputs.push(`${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`);
        break;
      }
      case 'expired':
        inputs.push(c.issueCredential({ credentialSubject: subject }, { issuer, format: 'vc-jwt', expiresIn: 60, now: Date.now() - 3_600_000 }));
        break;
      default:
        inputs.push(`not a credential ${i}`);
    }
    used.push(kind);
  }
  const statusList = list.sign();
  list.free();
  return { inputs, kinds: used, issuer, statusList, options: { statusLists: { [STATUS_URI]: statusList } } };
}

/** The first error code of each result, or 'valid'. */
export const outcomes = (results) => results.map((r) => (r.valid ? 'valid' : r.errors[0]?.code));

/** Each result as JSON text, with the verification time in messages ("now 1795…") masked. */
export const comparable = (results) => results.map((r) => JSON.stringify(r).replace(/\(now \d+\)/g, '(now)'));

/** The first index where two result lists differ (ignoring the verification time), or -1. */
export function firstDifference(a, b) {
  const x = comparable(a);
  const y = comparable(b);
  if (x.length !== y.length) return Math.min(x.length, y.length);
  return x.findIndex((v, i) => v !== y[i]);
}
