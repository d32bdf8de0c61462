// The benchmark report as one HTML page with inline SVG charts, viewable offline (no script, no
// font, nothing fetched): built from the Markdown that the benchmarks print (`## title` and a
// table under it), so every benchmark is in it as printed, charts where they say something:
//   - peer tables (`| implementation | median ms | X/s | ... |`): throughput bars, credcore's
//     rows in their own colour (pool tables give pool scaling);
//   - the forged-share sweep (`| forged | ... sig/s | ... sig/s | ...`): one line per rate column.
// `make bench` writes bench/results/report.html (and report.md, the printout itself).

/** Splits Markdown into sections `{ title, lines }` at `## ` headings (text before the first is `intro`). */
export function sections(markdown) {
  const out = [];
  let current = { title: '', lines: [] };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      out.push(current);
      current = { title: line.slice(3).trim(), lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  out.push(current);
  return out.filter((s) => s.title !== '' || s.lines.some((l) => l.trim() !== ''));
}

/** The first Markdown table of `lines`: `{ header, rows, before, after }` (cells trimmed), or null. */
export function parseTable(lines) {
  const start = lines.findIndex((l, i) => l.trim().startsWith('|') && /^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1] ?? ''));
  if (start === -1) return null;
  const cells = (l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  let end = start + 2;
  while (end < lines.length && lines[end].trim().startsWith('|')) end++;
  return {
    header: cells(lines[start]),
    rows: lines.slice(start + 2, end).map(cells),
    before: lines.slice(0, start),
    after: lines.slice(end),
  };
}

/** A number printed in a cell (`12,345`, `4.94x`, `0.1%`), or NaN. */
export function number(cell) {
  const m = /-?[\d,]*\.?\d+/.exec(String(cell).replaceAll(' ', ''));
  return m ? Number(m[0].replaceAll(',', '')) : NaN;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
/** Rows that name a peer library (the benchmarks' other rows are credcore, in its configurations). */
const PEER = /^(@|node:|jose\b|anon-identity|canonicalize\b)/i;
const COLOURS = ['#2f6fdf', '#d9822b', '#3d9970', '#b10dc9', '#85144b', '#7f8c8d'];

/** Horizontal bars: `[{ label, value, own }]`, credcore's (`own`) in blue, peers in orange. */
export function barChart(bars, unit) {
  const width = 760;
  const labelWidth = 300;
  const barHeight = 22;
  const gap = 8;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const height = bars.length * (barHeight + gap) + gap;
  const rows = bars.map((b, i) => {
    const y = gap + i * (barHeight + gap);
    const w = Math.max(1, ((width - labelWidth - 110) * b.value) / max);
    return `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(b.label)}</text>`
      + `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${b.own ? COLOURS[0] : COLOURS[1]}"><title>${escape(b.label)}: ${fmt(b.value)} ${escape(unit)}</title></rect>`
      + `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${fmt(b.value)}</text>`;
  });
  return `<svg class="chart" role="img" aria-label="${escape(unit)} by implementation" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows.join('')}</svg>`;
}

/** Lines over a shared x axis: `xs` (labels) and `series` `[{ name, values }]`; y from 0. */
export function lineChart(xs, series, yLabel) {
  const width = 760;
  const height = 300;
  const left = 80;
  const right = 40;
  const top = 34;
  const bottom = 50;
  const max = Math.max(...series.flatMap((s) => s.values.filter(Number.isFinite)), 1e-9);
  const x = (i) => left + (xs.length === 1 ? 0 : (i * (width - left - right)) / (xs.length - 1));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line x1="${left}" x2="${width - right}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" stroke="#ddd"/>`
    + `<text x="${left - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end">${fmt(max * f)}</text>`).join('');
  const ticks = xs.map((label, i) => `<text x="${x(i).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${escape(label)}</text>`).join('');
  const lines = series.map((s, k) => {
    const points = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    const dots = s.values.map((v, i) => (Number.isFinite(v) ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${COLOURS[k % COLOURS.length]}"><title>${escape(s.name)} at ${escape(xs[i])}: ${fmt(v)}</title></circle>` : '')).join('');
    return `<polyline fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2.5" points="${points.join(' ')}"/>${dots}`;
  }).join('');
  const legend = series.map((s, k) => `<tspan fill="${COLOURS[k % COLOURS.length]}">■ ${escape(s.name)}</tspan>`).join('  ');
  return `<svg class="chart" role="img" aria-label="${escape(yLabel)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${grid}${ticks}${lines}`
    + `<text x="${left}" y="${height - 8}">${legend}</text><text x="${left}" y="14" font-weight="bold">${escape(yLabel)}</text></svg>`;
}

/** The chart a section's table calls for, or '' (see the header). */
export function chartFor(title, table) {
  const { header, rows } = table;
  if (/^implementation$/i.test(header[0] ?? '')) {
    const col = header.findIndex((h) => /\/s$/.test(h));
    if (col === -1) return '';
    const bars = rows.map((r) => ({ label: r[0], value: number(r[col]), own: !PEER.test(r[0]) })).filter((b) => Number.isFinite(b.value));
    return bars.length > 0 ? barChart(bars, header[col]) : '';
  }
  if (/^forged$/i.test(header[0] ?? '')) {
    const cols = header.map((h, i) => [h, i]).filter(([h]) => /\/s$/.test(h));
    if (cols.length === 0) return '';
    return lineChart(rows.map((r) => r[0]), cols.map(([h, i]) => ({ name: h, values: rows.map((r) => number(r[i])) })), 'signatures/s by forged share');
  }
  return '';
}

function tableHtml({ header, rows }) {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => Number.isFinite(number(r[i])) && !/^[a-z]/i.test(r[i])));
  const th = header.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escape(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escape(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

const para = (lines) => lines.map((l) => l.trim()).filter(Boolean).map((l) => `<p class="note">${escape(l)}</p>`).join('');

/**
 * The report page for `markdown` (what the benchmarks printed).
 * @param {string} markdown
 * @param {{ title?: string, generated?: string }} [meta]
 */
export function renderReport(markdown, { title = 'credcore benchmarks', generated = new Date().toISOString() } = {}) {
  const parts = [];
  const toc = [];
  sections(markdown).forEach((s, i) => {
    if (s.title === '') {
      parts.push(para(s.lines.map((l) => l.replace(/^#\s*/, ''))));
      return;
    }
    const id = `s${i}`;
    toc.push(`<li><a href="#${id}">${escape(s.title)}</a></li>`);
    const table = parseTable(s.lines);
    const body = table === null ? para(s.lines) : `${para(table.before)}${chartFor(s.title, table)}${tableHtml(table)}${para(table.after)}`;
    parts.push(`<section id="${id}"><h2>${escape(s.title)}</h2>${body}</section>`);
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 900px; margin: 2em auto; padding: 0 1em; color: #222; }
  h1 { font-size: 1.6em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
  table { border-collapse: collapse; margin: .8em 0; } th, td { padding: .25em .7em; border-bottom: 1px solid #eee; text-align: left; }
  .n { text-align: right; font-variant-numeric: tabular-nums; } .note { color: #555; margin: .3em 0; }
  svg.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; } svg.chart text { fill: #333; }
  .legend span { display: inline-block; margin-right: 1.5em; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="note">Generated ${escape(generated)}. Medians of repeated runs on one machine; compare ratios within a run.</p>
<p class="legend"><span style="color:${COLOURS[0]}">■ credcore</span><span style="color:${COLOURS[1]}">■ peer (same run)</span></p>
<nav><ol>${toc.join('')}</ol></nav>
${parts.join('\n')}
</body>
</html>
`;
}
