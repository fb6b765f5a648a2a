/**
 * fast/order.ts sortQueue against a plain comparator sort, on keys built to stress each of its shortcuts: clusters
 * of exactly equal scores (the packed sort on sizes, with size doubles one ulp apart that the index packing reorders),
 * scores without a bound (set aside and merged back by binary search), near-ties and subsets of a batch. The
 * comparator is a strict total order with the contract sortQueue states for `size`: an exact score inside each
 * float's bound, equal floats with zero bounds equal exactly, then larger size first, then an arbitrary tie-break.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { sortQueue } from "../../src/domain/ranking/fast/order";

const SCORES = [-Infinity, -1.5, -0, 0, 1e-9, 0.25, 1.5, 1.5 + 2 ** -52, 7];
const SIZES = [0.001, 1, 1 + 2 ** -52, 1 + 2 ** -40, 2, 3.000001, 5000];

const arbKeys = fc
  .array(
    fc.record({
      score: fc.oneof({ weight: 3, arbitrary: fc.constant(-Infinity) }, { weight: 2, arbitrary: fc.constant(1.5) }, { weight: 4, arbitrary: fc.constantFrom(...SCORES) }),
      err: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1e-12) }, { weight: 1, arbitrary: fc.constant(Infinity) }),
      // Where in the bound the exact score lies (in units of err; an unbounded score takes any value, -Infinity too).
      at: fc.constantFrom(-1, -0.5, 0, 0.5, 1),
      free: fc.constantFrom(-Infinity, -2, 0, 1.5, 9),
      size: fc.constantFrom(...SIZES),
      inBatch: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      // The last tie-break (accountId in the queue): not the index order, which the packing tends to keep.
      tie: fc.integer(),
    }),
    // fast-check's default size would stop near a dozen rows; clusters of equal scores need more.
    { minLength: 1, maxLength: 400, size: "max" },
  )
  .map((rows) => {
    const n = rows.length;
    const score = new Float64Array(n);
    const err = new Float64Array(n);
    const size = new Float64Array(n);
    const exact = new Float64Array(n);
    const tie = rows.map((r) => r.tie);
    rows.forEach((r, i) => {
      score[i] = r.score;
      // A -Infinity score is "none": decided, no bound.
      err[i] = r.score === -Infinity ? 0 : r.err;
      size[i] = r.size;
      exact[i] = err[i] === Infinity ? r.free : err[i] === 0 ? r.score : r.score + r.at * err[i]!;
    });
    const indices = rows.flatMap((r, i) => (r.inBatch ? [i] : []));
    return { score, err, size, exact, tie, indices };
  });

it("sortQueue equals indices.slice().sort(compare), with and without sizes", () => {
  fc.assert(
    fc.property(arbKeys, ({ score, err, size, exact, tie, indices }) => {
      const compare = (a: number, b: number): number => {
        if (exact[a] !== exact[b]) return exact[a]! > exact[b]! ? -1 : 1;
        if (size[a] !== size[b]) return size[a]! > size[b]! ? -1 : 1;
        return tie[a] !== tie[b] ? tie[a]! - tie[b]! : a - b;
      };
      const want = indices.slice().sort(compare);
      expect(sortQueue(indices, compare, score, err, size)).toEqual(want);
      expect(sortQueue(indices, compare, score, err)).toEqual(want);
    }),
    { numRuns: 1000 },
  );
});
