// Runs every shared suite in Node against the installed package (ESM entry).

import { test } from 'node:test';
import * as credcore from 'credcore';
import { suites } from './suites/index.mjs';

for (const [suite, cases] of Object.entries(suites)) {
  for (const [name, fn] of cases) {
    test(`node ${suite}: ${name}`, async () => {
      await fn(credcore, { runtime: 'node' });
    });
  }
}
