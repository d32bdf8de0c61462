// credcore demo: the bulk workload. One issuer's credentials, each with a status-list entry, and a
// few samples made invalid on purpose: forged (payload edited after signing), expired, revoked.
// Used by the generation workers (issuing) and the page (status list, verification options).

/** The format of the bulk credentials: 'vc-jwt' (VC-JWT) or 'sd-jwt' (SD-JWT VC). */
export const FORMAT = 'vc-jwt';

/** The status-list URI every bulk credential points at. */
export const STATUS_URI = 'https://issuer.demo.credcore.example/status/1';

/** Entries in the status list: room for the largest run (100,000) and the W3C minimum. */
export const STATUS_SIZE = 131072;

/** How many samples of each kind a run holds, and the code each must produce. */
export const SAMPLES = Object.freeze({
  forged: { count: 5, code: 'INVALID_SIGNATURE' },
  expired: { count: 4, code: 'EXPIRED_CREDENTIAL' },
  revoked: { count: 3, code: 'REVOKED_CREDENTIAL' },
});

/** The status-list format that goes with a credential format. */
export function statusFormat(format = FORMAT) {
  return format === 'sd-jwt' ? 'ietf' : 'w3c';
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie', 'Radia', 'Tony'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Lamport', 'Perlman', 'Hoare'];
const DAY = 86_400_000;

const b64 = {
  decode(text) {
    const s = text.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
    return new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
  },
  encode(text) {
    let bin = '';
    for (const byte of new TextEncoder().encode(text)) bin += String.fromCharCode(byte);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
};

/** Decodes one base64url part of a compact JWT or an SD-JWT disclosure as text. */
export const decodePart = b64.decode;

/**
 * The credential with the payload of its (first) JWS edited after signing: the subject's name
 * changes, the signature stays. Verification must fail with INVALID_SIGNATURE.
 */
export function forge(token) {
  const [jwt, ...rest] = token.split('~');
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(b64.decode(payload));
  const subject = claims.vc?.credentialSubject ?? claims;
  subject.name = 'Mallory Forger';
  return [`${header}.${b64.encode(JSON.stringify(claims))}.${signature}`, ...rest].join('~');
}

/**
 * Issues credential `i` of a run with the package namespace `c`.
 * `kind`: 'valid' | 'forged' | 'expired' | 'revoked' (a revoked one is valid until the status
 * list marks its index).
 */
export function issueOne(c, { issuer, subject, i, kind, statusIndex, now, format = FORMAT }) {
  const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
  // Expired samples were issued two days ago for one hour.
  const issuedAt = kind === 'expired' ? now - 2 * DAY : now - 60_000;
  const expiresIn = kind === 'expired' ? 3600 : 365 * 86_400;
  let token;
  if (format === 'sd-jwt') {
    const claims = {
      vct: 'https://credentials.demo.credcore.example/employee',
      sub: subject,
      name,
      employee_number: i,
      status: { status_list: { idx: statusIndex, uri: STATUS_URI } },
    };
    token = c.sdJwt.issue(claims, { issuer, disclose: ['/employee_number'], expiresIn, now: issuedAt });
  } else {
    const credential = {
      type: ['VerifiableCredential', 'EmployeeCredential'],
      credentialSubject: { id: subject, name, employeeNumber: i },
      credentialStatus: {
        id: `${STATUS_URI}#${statusIndex}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(statusIndex),
        statusListCredential: STATUS_URI,
      },
    };
    token = c.issueCredential(credential, { issuer, format: 'vc-jwt', expiresIn, now: issuedAt });
  }
  return kind === 'forged' ? forge(token) : token;
}
