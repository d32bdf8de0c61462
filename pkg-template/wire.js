// credcore: the two wire formats of the JS/wasm boundary, the mirror of src/batch/wire.rs (see
// its documentation for the layouts; a change to either format changes both files together):
// packed fields going in (pack, packStrings, and the slices a call crosses by), framed results
// coming out (frames, splitNeeds).

// @ts-check

import { CredcoreError } from './errors.js';

const encoder = new TextEncoder();

/**
 * Bytes of `value`: a Uint8Array as is, a string as UTF-8 when `textOk`.
 * @param {unknown} value
 * @param {string} path
 * @param {boolean} textOk
 * @returns {Uint8Array}
 */
export function toBytes(value, path, textOk) {
  if (value instanceof Uint8Array) return value;
  if (textOk && typeof value === 'string') return encoder.encode(value);
  throw new CredcoreError('MALFORMED_INPUT', `${path} must be ${textOk ? 'a Uint8Array or a string' : 'a Uint8Array'}`, path);
}

/**
 * Packs fields as: u32 count, then per field u32 length and bytes (little-endian).
 * @param {Uint8Array[]} fields
 * @returns {Uint8Array}
 */
export function pack(fields) {
  let total = 4;
  for (const f of fields) total += 4 + f.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, fields.length, true);
  let offset = 4;
  for (const f of fields) {
    view.setUint32(offset, f.length, true);
    out.set(f, offset + 4);
    offset += 4 + f.length;
  }
  return out;
}

/**
 * Packs strings as UTF-8 fields without an intermediate array per string.
 * @param {string[]} strings
 * @returns {Uint8Array}
 */
export function packStrings(strings) {
  let bound = 4;
  for (const s of strings) bound += 4 + s.length * 3;
  const out = new Uint8Array(bound);
  const view = new DataView(out.buffer);
  view.setUint32(0, strings.length, true);
  let offset = 4;
  for (const s of strings) {
    const { written } = encoder.encodeInto(s, out.subarray(offset + 4));
    view.setUint32(offset, written, true);
    offset += 4 + written;
  }
  return out.subarray(0, offset);
}

/** Most input bytes (UTF-16 units, about bytes) per crossing into wasm: the core's pipeline group. */
export const SLICE_UNITS = 1 << 20;
/** Most items per crossing into wasm. */
export const SLICE_ITEMS = 1024;

/**
 * Consecutive `[start, end)` ranges of `strings`, each of at most SLICE_ITEMS items and about
 * SLICE_UNITS of text (an item longer than that is a range of its own), for one crossing each;
 * no strings give one empty range.
 *
 * Why: a wasm instance's memory never shrinks, and memory touched for the first time is costly
 * (on virtual machines, several times the verification itself), so a call of 20,000 items in one
 * crossing would both leave the instance holding its peak for good and run at half speed.
 * Crossing by slices keeps what the instance holds at any time to about one slice.
 * @param {string[]} strings
 * @returns {[number, number][]}
 */
export function sliceRanges(strings) {
  // An empty call still crosses once, so that its options are checked as any call's are.
  if (strings.length === 0) return [[0, 0]];
  /** @type {[number, number][]} */
  const out = [];
  let start = 0;
  while (start < strings.length) {
    let end = start;
    let units = 0;
    while (end < strings.length && end - start < SLICE_ITEMS && (end === start || units + strings[end].length <= SLICE_UNITS)) {
      units += strings[end].length;
      end++;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

/**
 * The framed results of `bytes`: per result its cache id (0: not cached) and its JSON bytes.
 * @param {Uint8Array} bytes
 * @returns {{ id: number, json: Uint8Array }[]}
 */
export function frames(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  const out = new Array(count);
  let offset = 4;
  for (let i = 0; i < count; i++) {
    const id = view.getFloat64(offset, true);
    const length = view.getUint32(offset + 8, true);
    offset += 12;
    out[i] = { id, json: bytes.subarray(offset, offset + length) };
    offset += length;
  }
  return out;
}

const needsDecoder = new TextDecoder();

/**
 * Framed results preceded by the needs JSON: the needs, parsed, and the framed results.
 * @param {Uint8Array} bytes
 * @returns {{ needs: { missing: string[], items: number[], keys?: { kind: string, id: string, url?: string }[], keyItems?: number[] }, framed: Uint8Array }}
 */
export function splitNeeds(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  return { needs: JSON.parse(needsDecoder.decode(bytes.subarray(4, 4 + length))), framed: bytes.subarray(4 + length) };
}
