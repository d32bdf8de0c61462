// credcore: what the pool does with a chunk whose run failed (it trapped, or its worker died).
//
// Its first failure: run it again whole (a worker may die for reasons of its own). Its second:
// split it in two halves that run on their own, each of which splits again when it fails, down
// to single items; a single item that fails after that gets WORKER_FAILED, and every other item
// of the chunk its real verdict. A chunk of n items with one such item costs at most
// 2 + 2 * ceil(log2 n) runs (the chunk twice, then both halves of each level), of which
// 2 + ceil(log2 n) fail. Operations that cannot isolate items (a boolean carries no code) give
// up after the second failure.

// @ts-check

import { OPERATIONS } from './operations.js';

/**
 * @typedef {{ retry: import('./scheduler.js').Chunk }
 *   | { halves: import('./scheduler.js').Chunk[] }
 *   | { giveUp: string }} NextRuns
 */

/**
 * What follows a failed run of `chunk`: run it again, run its two halves, or give up on its
 * items with `giveUp` as their message. Counts the failure on `chunk` (`attempts`).
 * @param {import('./scheduler.js').Chunk} chunk
 * @param {string} message why the run failed
 * @returns {NextRuns}
 */
export function afterFailure(chunk, message) {
  chunk.attempts++;
  chunk.buffer = null;
  if (chunk.attempts < 2) return { retry: chunk };
  const op = OPERATIONS[chunk.op];
  if (!op.isolate || chunk.count < 2) {
    const runs = chunk.depth === 0 ? 'twice' : `alone after ${chunk.depth} splits`;
    return { giveUp: `the worker failed on ${chunk.count === 1 ? 'this item' : 'these items'} ${runs}: ${message}` };
  }
  const half = Math.ceil(chunk.count / 2);
  const halves = [[0, half], [half, chunk.count]].map(([from, to]) => {
    const items = chunk.items.slice(from, to);
    // A half inherits the failure: if it fails, it splits at once.
    return {
      ...chunk, start: chunk.start + from, count: to - from, items, buffer: null, pack: () => op.pack(items),
      args: { ...chunk.args }, attempts: 1, depth: chunk.depth + 1, id: 0,
    };
  });
  return { halves };
}
