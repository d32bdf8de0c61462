// Benchmark helpers: median of repeated timed runs, rates, ratio tables. Machines are shared and
// noisy, so every figure is a median over several runs, and peers are measured in the same run.

import { performance } from 'node:perf_hooks';

/**
 * Times `fn` `runs` times (after `warmup` untimed runs, so that the JIT has compiled the hot
 * paths) and returns the median milliseconds.
 * `setup(i)` may build fresh inputs for run i outside the timed region (i < 0 for warm-ups).
 */
export async function median(fn, { runs = 7, warmup = 1, setup = () => undefined } = {}) {
  for (let i = 0; i < warmup; i++) await fn(await setup(-1 - i));
  const times = [];
  for (let i = 0; i < runs; i++) {
    const input = await setup(i);
    const t0 = performance.now();
    await fn(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Percentile of a sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Prints a table of rows `{ name, ms, items }` with rates and ratios against `base`. */
export function table(title, rows, { base = rows[0]?.name, unit = 'items' } = {}) {
  const baseRow = rows.find((r) => r.name === base);
  console.log(`\n## ${title}`);
  console.log(`| implementation | median ms | ${unit}/s | credcore speedup vs this |`);
  console.log('|---|---:|---:|---:|');
  for (const r of rows) {
    const rate = (r.items / r.ms) * 1000;
    // A peer's row: how much faster the reference (credcore) is than it. Another credcore row
    // (a pool, another path): its rate over the reference's, which reads the other way round.
    const ratio = baseRow ? (r.ms / baseRow.ms) : NaN;
    const cell = r.name === base ? '1.00 (reference)' : r.name.startsWith('credcore') ? `its rate ${(1 / ratio).toFixed(2)}x the reference's` : `${ratio.toFixed(2)}x`;
    console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${Math.round(rate).toLocaleString('en-US')} | ${cell} |`);
  }
}

/** Asserts a target in the printout (benchmarks report, they never fail the build). */
export function target(label, value, threshold, cmp = '>=') {
  const met = cmp === '>=' ? value >= threshold : value <= threshold;
  console.log(`target: ${label} ${value.toFixed(2)} ${cmp} ${threshold} -> ${met ? 'MET' : 'NOT MET'}`);
  return met;
}
