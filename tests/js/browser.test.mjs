// Runs every shared suite in headless Chromium against the installed package (browser entry).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, here } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { suites } from './suites/index.mjs';

const dir = here(import.meta.url);
const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));
// Every shared case, and the page's own check of issuance before and after loadIssuing().
const expected = Object.values(suites).reduce((n, cases) => n + cases.length, 0) + 1;

test('browser (headless Chromium)', async (t) => {
  const { server, origin } = await serve({ '/pkg/': pkgDir, '/': dir });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${origin}/browser.html`);
    await page.waitForFunction(() => window.__credcoreResults !== undefined, null, { timeout: 300_000 });
    const results = await page.evaluate(() => window.__credcoreResults);
    assert.deepEqual(pageErrors, []);
    assert.equal(results.length, expected, 'every suite case ran in the browser');
    for (const r of results) {
      await t.test(`browser ${r.suite}: ${r.name}`, () => {
        assert.ok(r.ok, r.error);
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
});
