// credcore demo: the page. Loads the package once, then wires the three panels: bulk
// verification in workers, the SD-JWT playground, and the audit trail.

import * as credcore from 'credcore';
import { AuditLog, generateKeyPair, init, loadIssuing, version, wasmModule } from 'credcore';
import { setupBulk } from './bulk.js';
import { setupPlayground } from './playground.js';

const $ = (id) => document.getElementById(id);

/** Renders a compact, single-line summary of an audit event. */
function summarize(event) {
  if (event.type === 'bulk-verification') {
    const codes = Object.entries(event.codes).map(([c, n]) => `${c}×${n}`).join(', ');
    return `bulk ${event.format}: ${event.valid}/${event.items} valid${codes ? `; ${codes}` : ''}`;
  }
  if (event.type === 'presentation-verification') {
    return `sd-jwt presentation: ${event.valid ? 'valid' : 'invalid'}${event.codes.length ? `; ${event.codes.join(', ')}` : ''}; disclosed ${event.disclosed.join(', ') || 'nothing'}`;
  }
  return JSON.stringify(event);
}

/** The audit panel: an AuditLog of every verification of the page, and its tampering. */
function setupAudit() {
  const keyId = 'demo-hmac-1';
  const hmacKey = crypto.getRandomValues(new Uint8Array(32));
  const log = new AuditLog({ hmacKey, keyId });
  const entries = [];
  const edited = new Set();
  let firstInvalid = null;

  function render() {
    const body = $('audit-chain').tBodies[0];
    body.replaceChildren(...entries.slice(-20).map((entry, k, shown) => {
      const index = entries.length - shown.length + k;
      const tr = document.createElement('tr');
      tr.dataset.index = String(index);
      tr.dataset.seq = String(entry.seq);
      if (edited.has(index)) tr.classList.add('edited');
      if (firstInvalid === index) tr.classList.add('first-invalid');
      const seq = document.createElement('td');
      seq.className = 'num';
      seq.textContent = String(entry.seq);
      const hash = document.createElement('td');
      hash.className = 'hash';
      hash.textContent = `${entry.hash.slice(0, 16)}…`;
      hash.title = entry.hash;
      const event = document.createElement('td');
      event.className = 'event';
      event.textContent = (edited.has(index) ? '✎ ' : '') + summarize(entry.event);
      tr.append(seq, hash, event);
      return tr;
    }));
    $('audit-index').max = String(Math.max(0, entries.length - 1));
    $('audit-edit').disabled = entries.length === 0;
    $('audit-verify').disabled = entries.length === 0;
  }

  $('audit-edit').addEventListener('click', () => {
    const index = Number.parseInt($('audit-index').value, 10);
    const entry = entries.find((e) => e.seq === index) ?? entries[index];
    if (!entry) return;
    const at = entries.indexOf(entry);
    // The edit an insider would make: turn the failures of a run into successes.
    const event = structuredClone(entry.event);
    if (event.type === 'bulk-verification') {
      event.valid = event.items;
      event.invalid = 0;
      event.codes = {};
    } else {
      event.valid = !event.valid;
      event.codes = [];
    }
    entries[at] = { ...entry, event };
    edited.add(at);
    firstInvalid = null;
    $('audit-result').dataset.state = 'none';
    $('audit-verdict').textContent = `Entry seq ${entry.seq} edited; verify the chain.`;
    render();
  });

  $('audit-verify').addEventListener('click', () => {
    const report = AuditLog.verify(entries, { [keyId]: hmacKey });
    firstInvalid = report.firstInvalid ?? null;
    const box = $('audit-result');
    box.dataset.state = report.valid ? 'valid' : 'invalid';
    box.dataset.firstInvalid = report.firstInvalid ?? '';
    box.dataset.reason = report.reason ?? '';
    $('audit-verdict').textContent = report.valid
      ? `Chain valid: ${report.checked} entries checked.`
      : `Chain broken at entry ${report.firstInvalid} (seq ${entries[report.firstInvalid]?.seq}): ${report.reason}. ${report.checked} ${report.checked === 1 ? 'entry' : 'entries'} before it intact.`;
    render();
  });

  render();
  return {
    /** Appends one event per verification and redraws. */
    record(event) {
      entries.push(...log.append([{ ...event, time: new Date().toISOString() }]));
      render();
    },
  };
}

async function main() {
  const started = performance.now();
  // Verification needs the default module only; this page also issues, signs and audits.
  await Promise.all([init(), loadIssuing()]);
  const loadMs = performance.now() - started;
  const issuer = generateKeyPair();
  const audit = setupAudit();
  await setupBulk({ credcore, module: wasmModule(), issuer, audit });
  setupPlayground({ credcore, issuer, audit });
  $('status').textContent = `credcore ${version()} ready (wasm loaded in ${loadMs.toFixed(0)} ms). Issuer ${issuer.did.slice(0, 24)}…`;
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  $('status').textContent = `Failed to start: ${err.code ?? ''} ${err.message}`;
  document.body.dataset.ready = 'error';
  throw err;
});
