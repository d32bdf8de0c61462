// Runs `fn(arg)` inside a fresh page of headless Chromium that serves the installed package at
// /pkg/ (host.html: an empty page), and returns what it returned with the page's uncaught errors.
// `fn` imports the package itself (`await import('/pkg/index.browser.js')`).

import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { serve, here } from './server.mjs';
import { launch } from './browser.mjs';

export async function inPage(fn, arg) {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('credcore/package.json'));
  const { server, origin } = await serve({ '/pkg/': pkgDir, '/': here(new URL('../', import.meta.url).href) });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/host.html`);
    return { out: await page.evaluate(fn, arg), errors };
  } finally {
    await browser.close();
    server.close();
  }
}
