// The browser demo (www/) end to end in headless Chromium: bulk verification of 10,000
// credentials with 2 workers, the SD-JWT playground, and the audit tamper flow. Screenshots of
// each state go to test-artifacts/www/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/browser.mjs';
import { start } from '../../www/serve.mjs';
import * as credcore from 'credcore';
import { FORMAT, SAMPLES, STATUS_SIZE, STATUS_URI, issueOne, statusFormat } from '../../www/workload.js';
import { CLAIMS } from '../../www/playground.js';

const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));
const artifacts = fileURLToPath(new URL('../../test-artifacts/www/', import.meta.url));
const N = 10_000;

test('www/serve.mjs serves the page and the package with the right types, and nothing outside them', async () => {
  const server = await start({ port: 0, pkgDir });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const types = {};
    for (const path of ['', 'app.js', 'style.css', 'pkg/index.browser.js', 'pkg/credcore_wasm_bg.wasm']) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      types[path] = res.headers.get('content-type');
      await res.arrayBuffer();
    }
    assert.deepEqual(types, {
      '': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'style.css': 'text/css; charset=utf-8',
      'pkg/index.browser.js': 'text/javascript; charset=utf-8',
      'pkg/credcore_wasm_bg.wasm': 'application/wasm',
    });
    for (const path of ['missing.js', '..%2fpackage.json', 'pkg/..%2f..%2fCargo.toml', '%2e%2e/%2e%2e/Cargo.toml']) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    const post = await fetch(server.url, { method: 'POST' });
    assert.equal(post.status, 405);
  } finally {
    await server.close();
  }
});

test('the bulk workload gives each planted sample its one code, as VC-JWT and as SD-JWT VC', async () => {
  assert.equal(FORMAT, 'vc-jwt');
  for (const format of ['vc-jwt', 'sd-jwt']) {
    const issuer = credcore.generateKeyPair();
    const holder = credcore.generateKeyPair();
    const list = new credcore.StatusList({ format: statusFormat(format), uri: STATUS_URI, size: STATUS_SIZE, issuer });
    const kinds = ['valid', 'forged', 'expired', 'revoked', 'valid'];
    const index = kinds.map(() => list.allocate());
    const now = Date.now();
    const inputs = kinds.map((kind, i) => issueOne(credcore, { issuer, subject: holder.did, i, kind, statusIndex: index[i], now, format }));
    list.set(index[3], 1);
    const options = { trustedIssuers: [issuer.did], statusLists: { [STATUS_URI]: list.sign() } };
    const codes = credcore.verifyBatch(inputs, options).map((r) => [r.valid, [...new Set(r.errors.map((e) => e.code))]]);
    assert.deepEqual(codes, [
      [true, []],
      [false, [SAMPLES.forged.code]],
      [false, [SAMPLES.expired.code]],
      [false, [SAMPLES.revoked.code]],
      [true, []],
    ], format);
    // Without its status list (a verifier that was never given it), a credential fails closed.
    const closed = await new credcore.Verifier({ trustedIssuers: [issuer.did] }).verify(inputs[0]);
    assert.deepEqual(closed.errors.map((e) => e.code), ['STATUS_UNAVAILABLE'], format);
    list.free();
  }
});

test('the demo page in Chromium: bulk verification, SD-JWT playground, audit tampering', async (t) => {
  await mkdir(artifacts, { recursive: true });
  const server = await start({ port: 0, pkgDir });
  const browser = await launch();
  const pageErrors = [];
  const requests = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => { if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`); });
    const shot = (name) => page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });

    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await shot('1-loaded');

    await t.test('every control has an accessible name and the page has a heading outline', async () => {
      const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, button, progress, select, textarea')]
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
        .map((el) => el.id || el.outerHTML));
      assert.deepEqual(unnamed, []);
      const headings = await page.evaluate(() => [...document.querySelectorAll('h1, h2')].map((h) => `${h.tagName}:${h.textContent.trim()}`));
      assert.deepEqual(headings, ['H1:credcore in the browser', 'H2:1. Bulk verification', 'H2:2. SD-JWT playground', 'H2:3. Audit trail']);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 1280, `no horizontal scrolling at 1280 px (scrollWidth ${width})`);
    });

    await t.test(`bulk: ${N} credentials with 2 workers, exact counts and codes`, async () => {
      await page.fill('#bulk-count', String(N));
      await page.fill('#bulk-workers', '2');
      await page.click('#bulk-run');
      await page.waitForFunction(() => Number(document.getElementById('bulk-progress').value) > 0, null, { timeout: 60_000 });
      await shot('2-bulk-running');
      // The page answers while the workers run: a round trip through the event loop stays short.
      const lag = await page.evaluate(() => new Promise((resolve) => {
        const t0 = performance.now();
        setTimeout(() => resolve(performance.now() - t0), 0);
      }));
      // Bounds wide enough for a loaded machine, far below what verifying on the main thread takes
      // (10,000 credentials in one task: over a second).
      assert.ok(lag < 500, `event loop answered in ${lag.toFixed(0)} ms during the run`);
      await page.waitForSelector('#bulk[data-state="done"]', { timeout: 90_000 });
      await shot('3-bulk-done');

      const counts = await page.$$eval('#bulk-counts tbody tr', (rows) => rows.map((r) => [r.dataset.outcome ?? r.dataset.code, Number(r.dataset.count), r.cells[1].textContent]));
      const planted = Object.values(SAMPLES).reduce((n, s) => n + s.count, 0);
      const expected = [
        ['valid', N - planted, (N - planted).toLocaleString('en-US')],
        ['invalid', planted, String(planted)],
        ...Object.values(SAMPLES).map((s) => [s.code, s.count, String(s.count)]).sort((a, b) => a[0].localeCompare(b[0])),
      ];
      assert.deepEqual(counts, expected);
      assert.deepEqual(expected.slice(0, 2).map((r) => r[1]), [9988, 12]);

      const samples = await page.$$eval('#bulk-samples tbody tr', (rows) => rows.map((r) => ({ index: Number(r.dataset.index), kind: r.dataset.kind, codes: r.dataset.codes })));
      assert.equal(samples.length, planted);
      for (const [kind, { count, code }] of Object.entries(SAMPLES)) {
        const ofKind = samples.filter((s) => s.kind === kind);
        assert.equal(ofKind.length, count, kind);
        for (const s of ofKind) assert.equal(s.codes, code, `${kind} sample #${s.index}`);
      }
      assert.equal(new Set(samples.map((s) => s.index)).size, planted);
      assert.ok(samples.every((s) => s.index >= 0 && s.index < N));

      const progress = await page.$eval('#bulk-progress', (p) => [p.value, p.max]);
      assert.deepEqual(progress, [N, N]);
      const throughput = Number((await page.textContent('#bulk-throughput')).replace(/,/g, ''));
      assert.ok(throughput > 0, `throughput ${throughput}`);
      const [p50, p95] = await Promise.all(['#bulk-p50', '#bulk-p95'].map(async (s) => Number((await page.textContent(s)).replace(/,/g, ''))));
      assert.ok(p50 > 0 && p95 >= p50, `p50 ${p50} p95 ${p95}`);
      const chartPoints = await page.$eval('#bulk-chart polyline', (l) => l.getAttribute('points').trim().split(/\s+/).length);
      assert.ok(chartPoints >= 2, `chart has ${chartPoints} points`);
      const longest = Number(await page.$eval('#bulk', (s) => s.dataset.longestTask));
      t.diagnostic(`verification ${await page.textContent('#bulk-time')} ms, ${throughput} items/s, item latency p50 ${p50} ms p95 ${p95} ms, longest main-thread task ${longest} ms`);
      assert.ok(longest < 500, `longest main-thread task during the run: ${longest} ms`);
    });

    await t.test('SD-JWT: a presentation shows only what the holder disclosed, and verifies', async () => {
      const disclose = new Set(['given_name', 'address.city']);
      for (const c of CLAIMS) await page.setChecked(`#sd-claim-${c.name.replace('.', '-')}`, disclose.has(c.name));
      await page.click('#sd-present');
      await page.waitForFunction(() => document.getElementById('sd-raw').textContent.length > 0);
      const raw = await page.textContent('#sd-raw');
      const decoded = await page.textContent('#sd-decoded');
      assert.equal(raw.split('~').length, 4, 'issuer JWT, two disclosures, key-binding JWT');
      for (const c of CLAIMS) {
        if (disclose.has(c.name)) {
          assert.ok(decoded.includes(JSON.stringify(c.value)), `${c.name} is shown decoded`);
        } else {
          assert.ok(!raw.includes(c.value), `${c.name}'s value is absent from the raw presentation`);
          assert.ok(!decoded.includes(c.value), `${c.name}'s value is absent from the decoded presentation`);
        }
      }
      const hidden = await page.$eval('#sd-hidden', (p) => p.dataset.hidden);
      assert.equal(hidden, 'family_name birthdate nationality address.street email');
      await page.click('#sd-verify');
      await page.waitForSelector('#sd-result:not([data-state="none"])');
      assert.equal(await page.$eval('#sd-result', (r) => r.dataset.state), 'valid');
      const claims = JSON.parse(await page.textContent('#sd-claims'));
      assert.equal(claims.given_name, 'Erika');
      assert.deepEqual(claims.address, { city: 'Heidelberg' });
      for (const k of ['family_name', 'birthdate', 'nationality', 'email']) assert.equal(claims[k], undefined, k);
      await shot('4-sdjwt-verified');

      await page.fill('#sd-expect-nonce', 'a-nonce-the-holder-never-saw');
      await page.click('#sd-verify');
      await page.waitForSelector('#sd-result[data-state="invalid"]');
      assert.equal(await page.$eval('#sd-result', (r) => r.dataset.codes), 'NONCE_MISMATCH');
      assert.equal(await page.textContent('#sd-claims'), '');
      await shot('5-sdjwt-wrong-nonce');
    });

    await t.test('audit: the chain verifies, and an edited entry is found and named', async () => {
      const seqs = await page.$$eval('#audit-chain tbody tr', (rows) => rows.map((r) => Number(r.dataset.seq)));
      assert.deepEqual(seqs, [0, 1, 2], 'bulk run, valid presentation, wrong nonce');
      const events = await page.$$eval('#audit-chain tbody tr', (rows) => rows.map((r) => r.cells[2].textContent));
      assert.match(events[0], /^bulk vc-jwt: 9988\/10000 valid; /);
      assert.match(events[2], /invalid; NONCE_MISMATCH/);
      await page.click('#audit-verify');
      await page.waitForSelector('#audit-result[data-state="valid"]');
      assert.match(await page.textContent('#audit-verdict'), /Chain valid: 3 entries checked/);

      await page.fill('#audit-index', '1');
      await page.click('#audit-edit');
      await page.click('#audit-verify');
      await page.waitForSelector('#audit-result[data-state="invalid"]');
      const report = await page.$eval('#audit-result', (r) => [r.dataset.firstInvalid, r.dataset.reason]);
      assert.deepEqual(report, ['1', 'modified']);
      assert.match(await page.textContent('#audit-verdict'), /Chain broken at entry 1 \(seq 1\): modified\. 1 entry before it intact/);
      assert.equal(await page.$eval('#audit-chain tr.first-invalid', (r) => r.dataset.seq), '1');
      assert.match(await page.$eval('#audit-chain tr.first-invalid', (r) => r.cells[2].textContent), /^✎ sd-jwt presentation: invalid;/);
      await shot('6-audit-tampered');
    });

    await t.test('no page errors, and only loopback requests', () => {
      assert.deepEqual(pageErrors, []);
      const foreign = requests.filter((u) => !u.startsWith(server.url));
      assert.deepEqual(foreign, []);
    });
  } finally {
    await browser.close();
    await server.close();
  }
});
