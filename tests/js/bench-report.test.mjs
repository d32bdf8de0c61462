// The benchmark report (bench/report.mjs, written by `make bench`): one HTML page with a bar
// chart per peer table (credcore and peers told apart), a line per rate column of the
// forged-share sweep, every table as printed, and nothing loaded from anywhere (offline).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport, parseTable, number } from '../../bench/report.mjs';

const PRINTED = `# credcore benchmarks (2026-01-01T00:00:00.000Z, node v20, medians)

## Ed25519 verification, 4096 signatures, 16 keys (median of 7)
| implementation | median ms | signatures/s | credcore speedup vs this |
|---|---:|---:|---:|
| credcore verifySignatures (batch) | 98.6 | 41,537 | 1.00 (reference) |
| node:crypto verify (cached KeyObject) | 390.7 | 10,485 | 3.96x |
| @noble/ed25519 verify (loop) | 5281.4 | 776 | 53.56x |
target: verifySignatures vs node:crypto 3.96 >= 2 -> MET

## Forged signatures in a batch, 1024 signatures, 16 keys (median of 3, fresh items each run)
| forged | verifySignatures sig/s | verify loop sig/s | batch vs loop | vs the all-valid batch |
|---:|---:|---:|---:|---:|
| 0.0% | 39,143 | 9,418 | 4.16x | 100% |
| 1.0% | 13,795 | 8,938 | 1.54x | 35% |
| 100.0% | 9,233 | 8,938 | 1.03x | 24% |

## Pool throughput, 20,000 mixed credentials (median of 5, fresh pool per run)
| implementation | median ms | credentials/s | credcore speedup vs this |
|---|---:|---:|---:|
| pool, 1 worker | 1772.5 | 11,283 | 1.00 (reference) |
| pool, 2 workers | 961.3 | 20,805 | 0.54x |

(total 55 s)
`;

test('the report charts every peer table and the forged-share sweep, and loads nothing', () => {
  const html = renderReport(PRINTED, { generated: 'now' });
  assert.match(html, /^<!doctype html>/);
  // Three sections, three charts: two bar charts (peers, pool scaling), one line chart (sweep).
  assert.equal((html.match(/<section /g) ?? []).length, 3);
  assert.equal((html.match(/<svg class="chart"/g) ?? []).length, 3);
  const bars = [...html.matchAll(/<rect [^>]*fill="(#[0-9a-f]+)"><title>([^<]*)<\/title>/g)].map((m) => [m[2], m[1]]);
  assert.deepEqual(bars, [
    ['credcore verifySignatures (batch): 41,537 signatures/s', '#2f6fdf'],
    ['node:crypto verify (cached KeyObject): 10,485 signatures/s', '#d9822b'],
    ['@noble/ed25519 verify (loop): 776 signatures/s', '#d9822b'],
    ['pool, 1 worker: 11,283 credentials/s', '#2f6fdf'],
    ['pool, 2 workers: 20,805 credentials/s', '#2f6fdf'],
  ]);
  // Bars scale with the rate within a chart.
  const widths = [...html.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(Math.abs(widths[1] / widths[0] - 10_485 / 41_537) < 0.01, String(widths));
  // The sweep: one line per rate column, a point per forged share.
  assert.equal((html.match(/<polyline /g) ?? []).length, 2);
  assert.match(html, /<title>verifySignatures sig\/s at 1\.0%: 13,795<\/title>/);
  assert.match(html, /<title>verify loop sig\/s at 100\.0%: 8,938<\/title>/);
  // Every table as printed, and the lines around them.
  assert.match(html, /<td class="n">5281\.4<\/td>/);
  assert.match(html, /target: verifySignatures vs node:crypto 3\.96 &gt;= 2 -&gt; MET/);
  // Offline: no script, no external reference.
  assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i);
});

test('tables and numbers are read as printed', () => {
  const t = parseTable(['intro', '| a | b |', '|---|---:|', '| x | 1,234 |', 'after']);
  assert.deepEqual(t, { header: ['a', 'b'], rows: [['x', '1,234']], before: ['intro'], after: ['after'] });
  assert.equal(parseTable(['no table here']), null);
  assert.deepEqual(['12,345', '4.94x', '0.1%', '1.00 (reference)', '-'].map(number), [12345, 4.94, 0.1, 1, NaN]);
});
