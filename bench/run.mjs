// Runs every benchmark in one process, so that peers are measured in the same run, and writes
// what they printed to bench/results/report.md and as an HTML page with charts,
// bench/results/report.html (bench/report.mjs; one file, viewable offline).
// Run: make bench (BENCH=signatures,forgeries runs a subset)

import { mkdirSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import { renderReport } from './report.mjs';

const ALL = ['signatures', 'forgeries', 'credentials', 'algorithms', 'es256', 'es256-browser', 'data-integrity', 'data-integrity-pool', 'ecdsa-rdfc-p384', 'audit', 'sdjwt', 'cache', 'lifecycle', 'pool', 'cluster'];
const chosen = process.env.BENCH ? process.env.BENCH.split(',').filter((n) => ALL.includes(n)) : ALL;

// Everything printed goes to the terminal and into the report.
const printed = [];
const log = console.log;
console.log = (...args) => {
  printed.push(format(...args));
  log(...args);
};

const started = Date.now();
console.log(`# credcore benchmarks (${new Date().toISOString()}, node ${process.version}, medians)`);
for (const name of chosen) {
  const mod = await import(`./${name}.mjs`);
  await mod.run();
}
console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const markdown = `${printed.join('\n')}\n`;
writeFileSync(new URL('report.md', dir), markdown);
writeFileSync(new URL('report.html', dir), renderReport(markdown));
log(`report: bench/results/report.html (and report.md)`);
// anon-identity's batch API leaves a 30 s timer per presentation behind.
process.exit(0);
