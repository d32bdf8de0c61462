// credcore demo: the SD-JWT playground. A holder presents an SD-JWT VC with a chosen subset of
// claims and a key-binding JWT; a verifier checks it against its own nonce and audience.

import { decodePart } from './workload.js';

const $ = (id) => document.getElementById(id);

/** The selectively disclosable claims of the demo credential, by JSON pointer. */
export const CLAIMS = [
  { path: '/given_name', name: 'given_name', value: 'Erika' },
  { path: '/family_name', name: 'family_name', value: 'Mustermann' },
  { path: '/birthdate', name: 'birthdate', value: '1963-08-12' },
  { path: '/nationality', name: 'nationality', value: 'German' },
  { path: '/address/city', name: 'address.city', value: 'Heidelberg' },
  { path: '/address/street', name: 'address.street', value: 'Hauptstraße 117' },
  { path: '/email', name: 'email', value: 'erika.mustermann@example.org' },
];
const CHECKED = new Set(['given_name', 'family_name', 'address.city']);

function claimsObject() {
  const claims = { vct: 'https://credentials.demo.credcore.example/identity' };
  for (const { path, value } of CLAIMS) {
    const keys = path.slice(1).split('/');
    let at = claims;
    for (const key of keys.slice(0, -1)) at = at[key] ??= {};
    at[keys.at(-1)] = value;
  }
  return claims;
}

function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function part(kind, title, body) {
  const box = document.createElement('div');
  box.className = `part ${kind}`;
  const h = document.createElement('h4');
  h.textContent = title;
  const pre = document.createElement('pre');
  pre.textContent = body;
  box.append(h, pre);
  return box;
}

/** Each part of a presentation (issuer JWT, disclosures, key-binding JWT), decoded. */
function decodedParts(presentation) {
  const pieces = presentation.split('~');
  const [jwt, ...rest] = pieces;
  const kb = rest.pop();
  const out = [];
  const [h, p] = jwt.split('.');
  out.push(part('jwt', 'Issuer-signed JWT: header', pretty(decodePart(h))));
  out.push(part('jwt', 'Issuer-signed JWT: payload (undisclosed claims appear only as digests in _sd)', pretty(decodePart(p))));
  rest.forEach((d, i) => {
    const [salt, name, value] = JSON.parse(decodePart(d));
    out.push(part('disclosure', `Disclosure ${i + 1}: [salt, name, value]`, `${JSON.stringify(salt)}, ${JSON.stringify(name)}, ${JSON.stringify(value)}`));
  });
  if (kb) {
    const [kh, kp] = kb.split('.');
    out.push(part('kb', 'Key-binding JWT: header', pretty(decodePart(kh))));
    out.push(part('kb', 'Key-binding JWT: payload', pretty(decodePart(kp))));
  }
  return out;
}

/** Wires the panel: issues the holder's credential and enables present/verify. */
export function setupPlayground({ credcore, issuer, audit }) {
  const holder = credcore.generateKeyPair();
  const token = credcore.sdJwt.issue(claimsObject(), {
    issuer,
    holderPublicKey: holder.publicKey,
    disclose: CLAIMS.map((c) => c.path),
    expiresIn: 365 * 86_400,
  });
  let presentation = null;

  const choice = $('sd-claims-choice');
  choice.replaceChildren(...CLAIMS.map(({ name, value }) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'disclose';
    box.value = name;
    box.id = `sd-claim-${name.replace('.', '-')}`;
    box.checked = CHECKED.has(name);
    const text = document.createElement('span');
    text.textContent = name;
    const shown = document.createElement('span');
    shown.className = 'value';
    shown.textContent = value;
    label.append(box, text, shown);
    return label;
  }));
  const nonce = randomNonce();
  $('sd-nonce').value = nonce;
  $('sd-expect-nonce').value = nonce;

  $('sd-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = CLAIMS.filter((c) => $(`sd-claim-${c.name.replace('.', '-')}`).checked);
    const hidden = CLAIMS.filter((c) => !chosen.includes(c));
    presentation = credcore.sdJwt.present(token, {
      disclose: chosen.map((c) => c.path),
      holder,
      nonce: $('sd-nonce').value,
      audience: $('sd-audience').value,
    });
    $('sd-raw').textContent = presentation;
    $('sd-decoded').replaceChildren(...decodedParts(presentation));
    // What the holder withheld, by name only: the holder knows it, the presentation does not say.
    const p = $('sd-hidden');
    p.replaceChildren('Withheld by the holder: ');
    const names = document.createElement('span');
    names.className = 'names';
    names.textContent = hidden.length ? hidden.map((c) => c.name).join(', ') : 'nothing';
    p.append(names, ` (${chosen.length} of ${CLAIMS.length} claims disclosed)`);
    p.dataset.hidden = hidden.map((c) => c.name).join(' ');
    $('sd-verify').disabled = false;
    $('sd-result').dataset.state = 'none';
    $('sd-verdict').textContent = 'Not verified yet.';
    $('sd-codes').replaceChildren();
    $('sd-claims').textContent = '';
  });

  $('sd-verify').addEventListener('click', () => {
    if (presentation === null) return;
    const result = credcore.sdJwt.verify(presentation, {
      trustedIssuers: [issuer.did],
      nonce: $('sd-expect-nonce').value,
      audience: $('sd-expect-audience').value,
      requireKeyBinding: true,
    });
    const codes = result.errors.map((e) => e.code);
    const box = $('sd-result');
    box.dataset.state = result.valid ? 'valid' : 'invalid';
    box.dataset.codes = codes.join(' ');
    $('sd-verdict').textContent = result.valid
      ? `Valid: issued by ${result.issuer.slice(0, 24)}…, bound to the holder's key.`
      : `Invalid: ${codes.length} error${codes.length === 1 ? '' : 's'}.`;
    $('sd-codes').replaceChildren(...result.errors.map((e) => {
      const li = document.createElement('li');
      li.textContent = `${e.code}${e.path ? ` at ${e.path}` : ''}: ${e.message}`;
      li.dataset.code = e.code;
      return li;
    }));
    // Claims of a presentation that failed verification are not to be relied on: none are shown.
    $('sd-claims').textContent = result.valid && result.claims ? JSON.stringify(result.claims, null, 2) : '';
    audit.record({ type: 'presentation-verification', format: result.format, valid: result.valid, codes, disclosed: result.disclosed ?? [] });
  });

  $('sd-present').disabled = false;
}
