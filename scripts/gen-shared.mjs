#!/usr/bin/env node
// Generates the facts the JS harness shares with the Rust core from the Rust sources, so that
// they are written once: the error codes (the `error_codes!` list in src/error.rs) and the cache
// defaults (`impl Default for CacheConfig` in src/verifier/config.rs).
//
//   node scripts/gen-shared.mjs --out DIR        writes DIR/shared.js (ERROR_CODES, CACHE_DEFAULTS)
//   node scripts/gen-shared.mjs --dts FILE       replaces the ErrorCode marker of FILE in place
//   node scripts/gen-shared.mjs --check          parses and prints what it found
//
// Any surprise (no list, a duplicate code, a default that is not a number, a field without a
// default, a marker missing or repeated) fails with a message naming the file: the build stops
// rather than ship a list that drifted.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ERROR_RS = 'src/error.rs';
const CACHE_RS = 'src/verifier/config.rs';

/** The line in pkg-template/index.d.ts that becomes the ErrorCode union. */
export const ERROR_CODE_MARKER = 'export type ErrorCode = /* @generated: the codes of src/error.rs */ string;';

class GenError extends Error {}

function fail(file, message) {
  throw new GenError(`gen-shared: ${file}: ${message}`);
}

/** Rust source without comments (line and block); string and char literals kept as they are. */
function stripComments(source) {
  let out = '';
  let i = 0;
  const copyUntil = (end) => {
    out += source.slice(i, end);
    i = end;
  };
  while (i < source.length) {
    const c = source[i];
    const raw = c === 'r' && !/\w/.test(source[i - 1] ?? '') ? /^r(#*)"/.exec(source.slice(i, i + 260)) : null;
    if (raw) {
      // r"..." and r#"..."#: no escapes, ends at the quote followed by as many hashes.
      const close = source.indexOf(`"${raw[1]}`, i + raw[0].length);
      copyUntil(close === -1 ? source.length : close + 1 + raw[1].length);
    } else if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      copyUntil(j + 1);
    } else if (c === "'" && /^'(\\.[^']{0,8}|[^\\'])'/.test(source.slice(i, i + 12))) {
      // A char literal ('"', '\'', '\u{..}'), not a lifetime ('a, 'static).
      copyUntil(source.indexOf("'", i + 2) + 1);
    } else if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The text between the brace that opens at `open` and its matching close. */
function braced(source, open, file, what) {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(open + 1, i);
  }
  return fail(file, `${what}: unbalanced braces`);
}

/** The error codes, in declaration order, from the `error_codes! { Variant = "CODE", ... }` invocation. */
export function parseErrorCodes(source, file = ERROR_RS) {
  const code = stripComments(source);
  // The invocation, not the `macro_rules! error_codes` definition.
  const at = code.search(/(^|[^\w!])error_codes!\s*\{/m);
  if (at === -1) fail(file, 'no `error_codes! { ... }` invocation found');
  const body = braced(code, code.indexOf('{', at), file, 'error_codes!');
  const codes = [];
  const entry = /^\s*(?:#\[[^\]]*\]\s*)*([A-Za-z]\w*)\s*=\s*"([^"]*)"\s*,?\s*$/;
  for (const part of body.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = entry.exec(part);
    if (!m) fail(file, `cannot read error_codes! entry \`${part.replace(/\s+/g, ' ')}\``);
    if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(m[2])) fail(file, `error code "${m[2]}" is not UPPER_SNAKE_CASE`);
    if (codes.includes(m[2])) fail(file, `error code "${m[2]}" appears twice`);
    codes.push(m[2]);
  }
  if (codes.length === 0) fail(file, 'the error_codes! list is empty');
  return codes;
}

/** A Rust numeric literal expression: literals (`10_000`, `300.0`, `64usize`) joined by `*` or `+`. */
function evalNumber(expr, file, field) {
  const text = expr.trim().replace(/\s+/g, ' ');
  const literal = /^(\d[\d_]*(?:\.\d[\d_]*)?)(?:_?(?:u8|u16|u32|u64|u128|usize|f32|f64))?$/;
  const number = (term) => {
    const m = literal.exec(term.trim());
    if (!m) fail(file, `CacheConfig::default: ${field} is \`${text}\`, not products and sums of numeric literals`);
    return Number(m[1].replaceAll('_', ''));
  };
  const value = text.split('+').reduce((sum, t) => sum + t.split('*').reduce((p, f) => p * number(f), 1), 0);
  if (!Number.isFinite(value)) fail(file, `CacheConfig::default: ${field} = \`${text}\` is not a finite number`);
  return value;
}

const camel = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * The cache defaults, camelCase as the JS options name them (`#[serde(rename_all = "camelCase")]`),
 * from the struct literal in `impl Default for CacheConfig`; every field of the struct must have one.
 */
export function parseCacheDefaults(source, file = CACHE_RS) {
  const code = stripComments(source);
  const struct = /pub\s+struct\s+CacheConfig\s*\{/.exec(code);
  if (!struct) fail(file, 'no `pub struct CacheConfig { ... }` found');
  const before = code.slice(Math.max(0, struct.index - 400), struct.index);
  if (!/rename_all\s*=\s*"camelCase"/.test(before)) fail(file, 'CacheConfig is no longer `#[serde(rename_all = "camelCase")]`: its JS names would differ');
  const declared = braced(code, code.indexOf('{', struct.index), file, 'CacheConfig');
  const fields = [...declared.matchAll(/(?:^|,)\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?([a-z_]\w*)\s*:(?!:)/g)].map((m) => m[1]);
  if (fields.length === 0) fail(file, 'CacheConfig has no fields');

  const impl = /impl\s+Default\s+for\s+CacheConfig\s*\{/.exec(code);
  if (!impl) fail(file, 'no `impl Default for CacheConfig` found');
  const block = braced(code, code.indexOf('{', impl.index), file, 'impl Default for CacheConfig');
  const fn = /fn\s+default\s*\(\s*\)\s*->\s*(?:Self|CacheConfig)\s*\{/.exec(block);
  if (!fn) fail(file, 'impl Default for CacheConfig has no `fn default() -> Self`');
  const body = braced(block, fn.index + fn[0].length - 1, file, 'CacheConfig::default');
  const literal = /^\s*(?:CacheConfig|Self)\s*\{/.exec(body);
  if (!literal) fail(file, 'impl Default for CacheConfig builds no `CacheConfig { ... }` literal');
  const inner = braced(body, body.indexOf('{', literal.index), file, 'the CacheConfig literal');
  if (/\.\./.test(inner.replace(/\d\.\d/g, ''))) fail(file, 'the CacheConfig default uses `..`: every field must be written out');
  const out = {};
  for (const part of inner.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_]\w*)\s*:\s*([\s\S]+)$/.exec(part);
    if (!m) fail(file, `cannot read CacheConfig default \`${part.replace(/\s+/g, ' ')}\``);
    if (!fields.includes(m[1])) fail(file, `CacheConfig default sets \`${m[1]}\`, which is not a field`);
    out[camel(m[1])] = evalNumber(m[2], file, m[1]);
  }
  for (const f of fields) if (!(camel(f) in out)) fail(file, `CacheConfig default has no value for \`${f}\``);
  // Field order, as the struct declares them.
  return Object.fromEntries(fields.map((f) => [camel(f), out[camel(f)]]));
}

/** The text of shared.js. */
export function sharedModule(codes, defaults) {
  const list = codes.map((c) => `  '${c}',`).join('\n');
  const cache = Object.entries(defaults).map(([k, v]) => `  ${k}: ${v},`).join('\n');
  return `// credcore: facts shared with the Rust core. Generated by scripts/gen-shared.mjs from
// ${ERROR_RS} (the error_codes! list) and ${CACHE_RS} (CacheConfig::default): do not edit.

/**
 * Every stable error code, in the core's order (what \`errorCodes()\` returns).
 * @type {readonly string[]}
 */
export const ERROR_CODES = Object.freeze([
${list}
]);

/**
 * The core's cache defaults (a Verifier's \`cache\` option): entries, bytes, seconds.
 * @type {Readonly<{ ${Object.keys(defaults).map((k) => `${k}: number`).join('; ')} }>}
 */
export const CACHE_DEFAULTS = Object.freeze({
${cache}
});
`;
}

/** `dts` with its ErrorCode marker replaced by the union of `codes`. */
export function withErrorCodeUnion(dts, codes, file) {
  const count = dts.split(ERROR_CODE_MARKER).length - 1;
  if (count !== 1) fail(file, `expected the ErrorCode marker once, found it ${count} times:\n  ${ERROR_CODE_MARKER}`);
  const union = `export type ErrorCode =\n${codes.map((c) => `  | '${c}'`).join('\n')};`;
  return dts.replace(ERROR_CODE_MARKER, union);
}

function main(argv) {
  const args = { out: [], dts: [], check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) args.out.push(argv[++i]);
    else if (argv[i] === '--dts' && i + 1 < argv.length) args.dts.push(argv[++i]);
    else if (argv[i] === '--check') args.check = true;
    else throw new GenError(`gen-shared: unknown argument ${argv[i]}\nusage: gen-shared.mjs [--out DIR] [--dts FILE] [--check]`);
  }
  const codes = parseErrorCodes(readFileSync(join(root, ERROR_RS), 'utf8'));
  const defaults = parseCacheDefaults(readFileSync(join(root, CACHE_RS), 'utf8'));
  for (const dir of args.out) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'shared.js'), sharedModule(codes, defaults));
  }
  for (const file of args.dts) writeFileSync(file, withErrorCodeUnion(readFileSync(file, 'utf8'), codes, relative(root, file)));
  if (args.check || (args.out.length === 0 && args.dts.length === 0)) {
    console.log(JSON.stringify({ errorCodes: codes, cacheDefaults: defaults }, null, 2));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof GenError ? err.message : err);
    process.exit(1);
  }
}
