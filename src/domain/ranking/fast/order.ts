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
const INDEX_MASK = (1 << INDEX_BITS) - 1;
/** Batches up to 2^20 positions use the packed native sort; MAX_BATCH_POSITIONS is far below. */
export const PACKED_SORT_LIMIT = 1 << INDEX_BITS;
/** Clusters of exactly equal scores smaller than this are sorted by the comparator directly. */
const SIZE_SORT_MIN = 16;

/**
 * Full queue: indices sorted by the ADL order, equal to `indices.slice().sort(compare)` for a comparator that is a
 * strict total order (the ADL order is: accountIds are distinct on a side).
 *
 * Fast path: each position's negated float score, with its low 20 mantissa bits replaced by its index, goes into a
 * Float64Array sorted natively (no comparator calls). Then the sequence is cut into clusters: a cut between k-1 and
 * k is made only where every value before has a lower bound (f - err) above every value after's upper bound
 * (f + err), so everything before a cut is exactly greater than everything after it, whatever the packing did.
 * Each cluster (near-ties, exact ties, positions at or past bankruptcy) is then sorted with the full exact
 * comparator. Correctness rests on the cuts and the comparator alone; the packing only makes it cheap.
 *
 * Two refinements, each resting on the same two facts:
 *   - a position whose score has no bound (err Infinity: floats could not sign its equity, or its score is 0 with an
 *     unknown sign) would stop every cut around it and turn half a side into one cluster; such positions are set
 *     aside, sorted by the comparator, and each is put in its place by binary search with the comparator;
 *   - with `size` (the float sizes of queueComparator's keys): a cluster whose scores are all the same float with a
 *     zero bound (the positions at or past bankruptcy, "none": a quarter of a live book) is ordered by the comparator
 *     by size first, so it is sorted the same way on the sizes (packed, cut where two size doubles differ: distinct
 *     doubles of decimals order like the decimals) and only equal sizes reach the comparator. A caller passing
 *     `size` states that its comparator orders two such positions by larger size first when their size doubles
 *     differ.
 */
export function sortQueue(indices: readonly number[], compare: Comparator, score?: Float64Array, scoreErr?: Float64Array, size?: Float64Array): number[] {
  const n = indices.length;
  if (!score || !scoreErr || n > PACKED_SORT_LIMIT) return indices.slice().sort(compare);
  let bounded: readonly number[] = indices;
  let unbounded: number[] | null = null;
  for (let k = 0; k < n; k++) {
    if (scoreErr[indices[k]!] === Infinity) {
      unbounded = [];
      break;
    }
  }
  if (unbounded !== null) {
    const rest: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      (scoreErr[i] === Infinity ? unbounded : rest).push(i);
    }
    bounded = rest;
  }
  const out = packedDescending(bounded, score);
  sortClusters(out, score, scoreErr, (start, end) => {
    if (size !== undefined && end - start >= SIZE_SORT_MIN && sameExactScore(out, start, end, score, scoreErr)) {
      const bySize = packedDescending(out.slice(start, end), size);
      sortClusters(bySize, size, null, (s, e) => sortRange(bySize, s, e, compare));
      for (let j = 0; j < bySize.length; j++) out[start + j] = bySize[j]!;
    } else sortRange(out, start, end, compare);
  });
  return unbounded === null ? out : mergeInto(out, unbounded.sort(compare), compare);
}

/** `list` in descending order of `key`, up to the packing of the index into the low 20 mantissa bits. */
function packedDescending(list: readonly number[], key: Float64Array): number[] {
  const n = list.length;
  const packed = new Float64Array(n);
  const words = new Uint32Array(packed.buffer);
  const mask = ~INDEX_MASK;
  for (let k = 0; k < n; k++) {
    let v = -key[list[k]!]!;
    // +Infinity (a score of -Infinity) would turn into NaN with index bits: use the largest finite double.
    if (v === Infinity) v = Number.MAX_VALUE;
    else if (v === 0) v = 0; // -0 and +0 alike
    packed[k] = v;
    // Little-endian: words[2k] is the low word of the mantissa.
    words[2 * k] = ((words[2 * k]! & mask) | k) >>> 0;
  }
  packed.sort();
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = list[words[2 * k]! & INDEX_MASK]!;
  return out;
}

/**
 * Cuts `out` (nearly in descending order of `key`) where the bounds separate it (every key before a cut minus its
 * bound above every key after plus its bound; `err` null: exact keys), and hands each run of two or more between
 * cuts to `sortCluster(start, end)`.
 */
function sortClusters(out: number[], key: Float64Array, err: Float64Array | null, sortCluster: (start: number, end: number) => void): void {
  const n = out.length;
  // suffixMaxUpper[k] = max over j >= k of (f + err); a cut before k needs min over j < k of (f - err) above it.
  const suffixMaxUpper = new Float64Array(n + 1);
  suffixMaxUpper[n] = -Infinity;
  for (let k = n - 1; k >= 0; k--) {
    const i = out[k]!;
    const up = err === null ? key[i]! : key[i]! + err[i]!;
    suffixMaxUpper[k] = up > suffixMaxUpper[k + 1]! ? up : suffixMaxUpper[k + 1]!;
  }
  let prefixMinLower = Infinity;
  let start = 0;
  for (let k = 1; k <= n; k++) {
    const prev = out[k - 1]!;
    const low = err === null ? key[prev]! : key[prev]! - err[prev]!;
    if (low < prefixMinLower) prefixMinLower = low;
    if (k === n || prefixMinLower > suffixMaxUpper[k]!) {
      if (k - start > 1) sortCluster(start, k);
      start = k;
    }
  }
}

function sortRange(out: number[], start: number, end: number, compare: Comparator): void {
  const cluster = out.slice(start, end).sort(compare);
  for (let j = 0; j < cluster.length; j++) out[start + j] = cluster[j]!;
}

/** Whether every score of out[start, end) is the same float with a zero bound (queueComparator: equal scores). */
function sameExactScore(out: readonly number[], start: number, end: number, score: Float64Array, scoreErr: Float64Array): boolean {
  const f = score[out[start]!]!;
  for (let k = start; k < end; k++) {
    const i = out[k]!;
    if (score[i] !== f || scoreErr[i] !== 0) return false;
  }
  return true;
}

/** The sorted `sorted` with each of the sorted `few` put before the first element the comparator places after it. */
function mergeInto(sorted: readonly number[], few: readonly number[], compare: Comparator): number[] {
  const out: number[] = [];
  let from = 0;
  for (const x of few) {
    let lo = from;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(x, sorted[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    for (let k = from; k < lo; k++) out.push(sorted[k]!);
    out.push(x);
    from = lo;
  }
  for (let k = from; k < sorted.length; k++) out.push(sorted[k]!);
  return out;
}
