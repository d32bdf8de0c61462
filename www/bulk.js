// credcore demo: the bulk-verification panel. Issuance runs in the demo's workers (workers.js),
// verification in the package's pool (`createPool`); the main thread only moves chunks, updates
// the page, and tallies in slices so it stays responsive.

import { WorkerSet } from './workers.js';
import { FORMAT, SAMPLES, STATUS_SIZE, STATUS_URI, statusFormat } from './workload.js';

const $ = (id) => document.getElementById(id);
const GENERATE_CHUNK = 500;
const VERIFY_CHUNK = 250;
const SLICE = 2000;
const SAMPLE_MS = 250;

/** Gives the event loop a turn, so input and rendering are never held up for long. */
const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });


function clampInt(input, min, max) {
  const n = Number.parseInt(input.value, 10);
  const v = Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
  input.value = String(v);
  return v;
}

function setProgress(which, done, total) {
  const bar = $(`${which}-progress`);
  bar.max = Math.max(1, total);
  bar.value = done;
  $(`${which}-progress-text`).textContent = `${fmt(done)} / ${fmt(total)}`;
}

/** Distinct random positions in [0, n) for every planted sample: Map position -> kind. */
function plantSamples(n) {
  const planted = new Map();
  for (const [kind, { count }] of Object.entries(SAMPLES)) {
    for (let k = 0; k < count; k++) {
      let pos;
      do pos = Math.floor(Math.random() * n); while (planted.has(pos));
      planted.set(pos, kind);
    }
  }
  return new Map([...planted].sort((a, b) => a[0] - b[0]));
}

/** Draws the throughput series (items/s against seconds) as an SVG line chart. */
function drawChart(points) {
  const svg = $('bulk-chart');
  const ns = 'http://www.w3.org/2000/svg';
  const [w, h, left, bottom, top, right] = [420, 170, 52, 22, 10, 10];
  const el = (name, attrs, text) => {
    const node = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const desc = svg.querySelector('desc');
  svg.replaceChildren(desc);
  const maxT = Math.max(1, ...points.map((p) => p.t));
  const maxRate = Math.max(1, ...points.map((p) => p.rate)) * 1.1;
  const x = (t) => left + (t / maxT) * (w - left - right);
  const y = (r) => h - bottom - (r / maxRate) * (h - bottom - top);
  for (let g = 0; g <= 4; g++) {
    const r = (maxRate * g) / 4;
    svg.append(el('line', { class: 'grid', x1: left, x2: w - right, y1: y(r), y2: y(r) }));
    svg.append(el('text', { x: left - 4, y: y(r) + 3, 'text-anchor': 'end' }, fmt(r)));
  }
  svg.append(el('line', { class: 'axis', x1: left, x2: left, y1: top, y2: h - bottom }));
  svg.append(el('line', { class: 'axis', x1: left, x2: w - right, y1: h - bottom, y2: h - bottom }));
  svg.append(el('text', { x: left, y: h - 6 }, '0 s'));
  svg.append(el('text', { x: w - right, y: h - 6, 'text-anchor': 'end' }, `${fmt(maxT, 1)} s`));
  svg.append(el('text', { x: (left + w) / 2, y: h - 6, 'text-anchor': 'middle' }, 'items/s over time'));
  if (points.length > 0) {
    const line = points.map((p) => `${x(p.t).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' ');
    svg.append(el('polygon', { class: 'area', points: `${x(0)},${y(0)} ${line} ${x(points.at(-1).t).toFixed(1)},${y(0)}` }));
    svg.append(el('polyline', { class: 'line', points: line }));
    for (const p of points) svg.append(el('circle', { class: 'dot', cx: x(p.t).toFixed(1), cy: y(p.rate).toFixed(1), r: 2 }));
  }
  svg.setAttribute('aria-label', points.length ? `Throughput peaked at ${fmt(Math.max(...points.map((p) => p.rate)))} items per second` : 'No run yet');
}

function row(cells, attrs = {}) {
  const tr = document.createElement('tr');
  Object.assign(tr.dataset, attrs.data ?? {});
  if (attrs.className) tr.className = attrs.className;
  for (const [text, className] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.append(td);
  }
  return tr;
}

/** Watches for long main-thread tasks (Long Tasks API) during a run. */
function watchLongTasks() {
  let max = 0;
  let observer = null;
  if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) max = Math.max(max, entry.duration);
    });
    observer.observe({ type: 'longtask' });
  }
  return () => {
    observer?.disconnect();
    return observer ? max : NaN;
  };
}

/** Wires the panel; resolves once its controls are usable. */
export async function setupBulk({ credcore, module, issuer, audit }) {
  const form = $('bulk-form');
  const button = $('bulk-run');
  const section = $('bulk');
  const holder = credcore.generateKeyPair();
  let workers = null;
  $('bulk-format').textContent = FORMAT === 'sd-jwt' ? 'SD-JWT VC' : 'VC-JWT';
  $('bulk-workers').value = String(Math.min(4, Math.max(2, navigator.hardwareConcurrency || 2)));
  drawChart([]);

  async function run() {
    const n = clampInt($('bulk-count'), 100, 100_000);
    const k = clampInt($('bulk-workers'), 1, 16);
    section.dataset.state = 'running';
    button.disabled = true;
    const stopWatching = watchLongTasks();
    setProgress('gen', 0, n);
    setProgress('bulk', 0, n);
    for (const id of ['bulk-throughput', 'bulk-p50', 'bulk-p95', 'bulk-time', 'gen-time', 'bulk-longtask']) $(id).textContent = '–';
    $('bulk-counts').tBodies[0].replaceChildren();
    $('bulk-samples').tBodies[0].replaceChildren();
    drawChart([]);

    if (workers?.size !== k) {
      $('bulk-phase').textContent = `Starting ${k} workers…`;
      workers?.close();
      workers = await WorkerSet.create(k, module);
    }

    // The issuer's status list: one index per credential.
    $('bulk-phase').textContent = 'Allocating status-list entries…';
    const list = new credcore.StatusList({ format: statusFormat(), uri: STATUS_URI, size: STATUS_SIZE, issuer });
    const statusIndex = new Uint32Array(n);
    for (let start = 0; start < n; start += SLICE) {
      const end = Math.min(n, start + SLICE);
      for (let i = start; i < end; i++) statusIndex[i] = list.allocate();
      await yieldToPage();
    }
    const planted = plantSamples(n);

    // Generation in the workers.
    $('bulk-phase').textContent = `Issuing ${fmt(n)} credentials in ${k} workers…`;
    const genStart = performance.now();
    const inputs = new Array(n);
    let generated = 0;
    const now = Date.now();
    const jobs = [];
    for (let start = 0; start < n; start += GENERATE_CHUNK) {
      const items = [];
      for (let i = start; i < Math.min(n, start + GENERATE_CHUNK); i++) {
        items.push({ i, kind: planted.get(i) ?? 'valid', statusIndex: statusIndex[i] });
      }
      jobs.push(workers.run({ type: 'credcore:generate', issuerSeed: issuer.secretKey, subject: holder.did, items, now, format: FORMAT })
        .then((reply) => {
          for (let j = 0; j < reply.inputs.length; j++) inputs[start + j] = reply.inputs[j];
          generated += reply.inputs.length;
          setProgress('gen', generated, n);
        }));
    }
    await Promise.all(jobs);
    const genMs = performance.now() - genStart;
    $('gen-time').textContent = fmt(genMs);

    // Revocation, then the signed list the verifiers read.
    for (const [pos, kind] of planted) if (kind === 'revoked') list.set(statusIndex[pos], 1);
    const statusList = list.sign();
    list.free();
    const options = { trustedIssuers: [issuer.did], statusLists: { [STATUS_URI]: statusList } };

    // Verification in the workers, sampled for the chart.
    $('bulk-phase').textContent = `Verifying ${fmt(n)} credentials with ${k} workers…`;
    const latencies = [];
    const points = [];
    let done = 0;
    const verifyStart = performance.now();
    let last = { t: 0, done: 0 };
    const sample = (final = false) => {
      const t = (performance.now() - verifyStart) / 1000;
      // A last interval much shorter than the others gives a noisy rate: fold it into the series' end.
      if (t - last.t <= (final ? SAMPLE_MS / 2000 : 0)) return;
      points.push({ t, rate: (done - last.done) / (t - last.t) });
      last = { t, done };
      drawChart(points);
      $('bulk-throughput').textContent = fmt(done / t);
    };
    const timer = setInterval(sample, SAMPLE_MS);
    let results;
    let pool;
    try {
      // Verification runs in credcore's worker pool: the compiled module is posted to each worker,
      // chunks travel as transferred packed buffers, results come back in input order.
      pool = await credcore.createPool({ workers: k, chunkSize: VERIFY_CHUNK });
      results = await pool.verifyBatch(inputs, {
        ...options,
        onProgress: (p) => {
          done = p.done;
          setProgress('bulk', p.done, p.total);
        },
      });
      const item = pool.metrics().latency.item;
      latencies.push(item.p50, item.p95);
    } finally {
      clearInterval(timer);
      await pool?.close();
    }
    const verifyMs = performance.now() - verifyStart;
    sample(true);
    drawChart(points);

    // Tally in slices.
    $('bulk-phase').textContent = 'Counting outcomes…';
    let valid = 0;
    const codes = new Map();
    for (let start = 0; start < n; start += SLICE) {
      for (let i = start; i < Math.min(n, start + SLICE); i++) {
        const r = results[i];
        if (r.valid) {
          valid++;
          continue;
        }
        for (const code of new Set(r.errors.map((e) => e.code))) codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      await yieldToPage();
    }

    const counts = $('bulk-counts').tBodies[0];
    counts.append(row([['valid'], [fmt(valid), 'num']], { className: 'valid', data: { outcome: 'valid', count: valid } }));
    counts.append(row([['invalid'], [fmt(n - valid), 'num']], { data: { outcome: 'invalid', count: n - valid } }));
    for (const [code, count] of [...codes].sort()) {
      counts.append(row([[code], [fmt(count), 'num']], { className: 'code', data: { code, count } }));
    }
    const samples = $('bulk-samples').tBodies[0];
    for (const [pos, kind] of planted) {
      const got = [...new Set(results[pos].errors.map((e) => e.code))];
      samples.append(row([[String(pos), 'num'], [kind], [got.join(', ') || 'none (valid)', 'code-name']],
        { data: { index: pos, kind, codes: got.join(' ') } }));
    }

    $('bulk-throughput').textContent = fmt((n / verifyMs) * 1000);
    $('bulk-p50').textContent = fmt(latencies[0], 1);
    $('bulk-p95').textContent = fmt(latencies[1], 1);
    $('bulk-time').textContent = fmt(verifyMs);
    const longest = stopWatching();
    $('bulk-longtask').textContent = Number.isNaN(longest) ? 'n/a' : fmt(longest);
    section.dataset.longestTask = String(longest);
    audit.record({ type: 'bulk-verification', format: FORMAT, items: n, valid, invalid: n - valid, codes: Object.fromEntries(codes), workers: k });
    $('bulk-phase').textContent = `Done: ${fmt(valid)} valid, ${fmt(n - valid)} invalid, ${fmt((n / verifyMs) * 1000)} items/s with ${k} workers.`;
    section.dataset.state = 'done';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run().catch((err) => {
      section.dataset.state = 'error';
      $('bulk-phase').textContent = `Failed: ${err.code ?? ''} ${err.message}`;
      console.error(err);
    }).finally(() => {
      button.disabled = false;
    });
  });
  button.disabled = false;
}
