/**
 * The ADL queue order of ../spec/order.ts (score descending exactly, then size descending, then accountId ascending),
 * accelerated by the float keys of batch.ts. This is where the comparator the service sorts with lives: it is the
 * specification's total order with a float deciding first wherever the error bounds separate the two values, and the
 * specification's exact score (spec/methods.ts exactMetrics) and exact size deciding the rest. The packed sort below
 * sorts a whole side natively and hands only the clusters floats cannot separate to that comparator.
 * Proven equal to the specification by test/domain/ranking.property.test.ts.
 */
import type { BatchKeys } from "./batch";
import { cmpScoreDesc, type ExactContext, exactMetrics, type RankingMethod } from "../spec/methods";
import { compareAccountIds } from "../spec/order";
import type { Comparator } from "../queue";
import { cmp, type Rational, ratFromDecimal } from "../../num/rational";

/** The ADL order (../spec/order.ts queueOrder) on batch indices, floats first. */
export function queueComparator(method: RankingMethod, ctx: ExactContext, keys: BatchKeys): Comparator {
  const { score, scoreErr, size, positions } = keys;
  const exact: (Rational | null | undefined)[] = new Array(keys.n);
  const exactScore = (i: number): Rational | null => {
    let v = exact[i];
    if (v === undefined) {
      v = exactMetrics(method, ctx, positions[i]!).score;
      exact[i] = v;
    }
    return v;
  };
  return function adlOrder(a: number, b: number): number {
    const fa = score[a]!;
    const fb = score[b]!;
    const gap = scoreErr[a]! + scoreErr[b]!;
    if (fa - fb > gap) return -1;
    if (fb - fa > gap) return 1;
    if (!(fa === fb && gap === 0)) {
      const c = cmpScoreDesc(exactScore(a), exactScore(b));
      if (c !== 0) return c;
    }
    const pa = positions[a]!;
    const pb = positions[b]!;
    const sa = size[a]!;
    const sb = size[b]!;
    // Distinct doubles of correctly rounded decimals order like the decimals; equal doubles need the exact check.
    if (sa !== sb) return sa > sb ? -1 : 1;
    if (pa.size !== pb.size) {
      const c = cmp(ratFromDecimal(pa.size), ratFromDecimal(pb.size));
      if (c !== 0) return -c;
    }
    return compareAccountIds(pa.accountId, pb.accountId);
  };
}

const INDEX_BITS = 20;
/** Batches up to 2^20 positions use the packed native sort; MAX_BATCH_POSITIONS is far below. */
export const PACKED_SORT_LIMIT = 1 << INDEX_BITS;

/**
 * Full queue: indices sorted by the ADL order.
 *
 * Fast path: each position's negated float score, with its low 20 mantissa bits replaced by its index, goes into a
 * Float64Array sorted natively (no comparator calls). Then the sequence is cut into clusters: a cut between k-1 and
 * k is made only where every value before has a lower bound (f - err) above every value after's upper bound
 * (f + err), so everything before a cut is exactly greater than everything after it, whatever the packing did.
 * Each cluster (near-ties, exact ties, positions at or past bankruptcy) is then sorted with the full exact
 * comparator. Correctness rests on the cuts and the comparator alone; the packing only makes it cheap.
 */
export function sortQueue(indices: readonly number[], compare: Comparator, score?: Float64Array, scoreErr?: Float64Array): number[] {
  const n = indices.length;
  if (!score || !scoreErr || n > PACKED_SORT_LIMIT) return indices.slice().sort(compare);
  const packed = new Float64Array(n);
  const words = new Uint32Array(packed.buffer);
  const mask = ~((1 << INDEX_BITS) - 1);
  for (let k = 0; k < n; k++) {
    let v = -score[indices[k]!]!;
    // +Infinity (a score of -Infinity) would turn into NaN with index bits: use the largest finite double.
    if (v === Infinity) v = Number.MAX_VALUE;
    else if (v === 0) v = 0; // -0 and +0 alike
    packed[k] = v;
    // Little-endian: words[2k] is the low word of the mantissa.
    words[2 * k] = ((words[2 * k]! & mask) | k) >>> 0;
  }
  packed.sort();
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = indices[words[2 * k]! & ((1 << INDEX_BITS) - 1)]!;
  // suffixMaxUpper[k] = max over j >= k of (f + err); a cut before k needs min over j < k of (f - err) above it.
  const suffixMaxUpper = new Float64Array(n + 1);
  suffixMaxUpper[n] = -Infinity;
  for (let k = n - 1; k >= 0; k--) {
    const i = out[k]!;
    const up = score[i]! + scoreErr[i]!;
    suffixMaxUpper[k] = up > suffixMaxUpper[k + 1]! ? up : suffixMaxUpper[k + 1]!;
  }
  let prefixMinLower = Infinity;
  let start = 0;
  for (let k = 1; k <= n; k++) {
    const prev = out[k - 1]!;
    const low = score[prev]! - scoreErr[prev]!;
    if (low < prefixMinLower) prefixMinLower = low;
    if (k === n || prefixMinLower > suffixMaxUpper[k]!) {
      if (k - start > 1) {
        const cluster = out.slice(start, k).sort(compare);
        for (let j = 0; j < cluster.length; j++) out[start + j] = cluster[j]!;
      }
      start = k;
    }
  }
  return out;
}
