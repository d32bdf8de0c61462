// credcore: a budget of JSON-LD limit hits per caller where `pool.verify` merges calls. The core
// stops canonicalizing in a call after 8 items that hit a limit of credcore-ld (poison graphs;
// MAX_LIMIT_HITS_PER_CALL in src/credential/data_integrity/rdfc.rs): the call's other proofs over
// RDF are INPUT_TOO_LARGE before any work, refused by the call's budget rather than by a limit of
// their own. A micro-batch is one call of the core, so without this, one caller's poison graphs
// would spend the budget of every call co-batched with them. After a micro-batch, each item so
// refused whose verdict goes to another caller runs again alone, with a budget of its own:
// - calls that name no `caller` are each a caller of their own: all their refused items;
// - a named caller's micro-batch holds only its own calls and shares its budget (its poison
//   costs it, no one else), except for an input another caller joined in flight (the
//   micro-batcher verifies identical inputs once).
// Work stays bounded: a run alone stops at its own limits, as a separate call would, and at most
// the micro-batch's items run again, once.

// @ts-check

/** The words of the core's refusal by the call's budget (src/credential/data_integrity/rdfc.rs). */
const BUDGET_SPENT = "this call's JSON-LD canonicalization budget is spent";

/**
 * Whether `result` (or a credential inside it) was refused by its call's budget.
 * @param {any} result
 */
export function refusedByBudget(result) {
  return Array.isArray(result?.errors) && result.errors.some((/** @type {any} */ e) => e?.code === 'INPUT_TOO_LARGE' && typeof e.message === 'string' && e.message.startsWith(BUDGET_SPENT));
}

/**
 * Runs a micro-batch, then runs again alone what the budget refused for another caller's sake.
 * @param {string[]} texts
 * @param {string} caller the micro-batch's caller ('' for calls that name none)
 * @param {readonly unknown[][]} followers per input, the calls that joined it in flight
 * @param {(texts: string[], at: number[]) => Promise<any[]>} run runs `texts`, the items `at` of the micro-batch
 * @returns {Promise<any[]>}
 */
export async function callerBudgets(texts, caller, followers, run) {
  const results = await run(texts, texts.map((_, i) => i));
  if (texts.length < 2) return results;
  const again = [];
  for (let i = 0; i < results.length; i++) {
    if (refusedByBudget(results[i]) && (caller === '' || (followers[i]?.length ?? 0) > 0)) again.push(i);
  }
  if (again.length === 0) return results;
  const alone = await Promise.all(again.map((i) => run([texts[i]], [i]).then((r) => r[0], () => results[i])));
  again.forEach((i, k) => {
    results[i] = alone[k];
  });
  return results;
}
