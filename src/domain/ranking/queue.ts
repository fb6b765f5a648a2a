/**
 * The ADL queue order, a total order on one side's positions:
 *   1. score, descending (exact; floats decide only when their error bounds separate the values);
 *   2. then larger size first (same market, so larger notional first: notional is proportional to size);
 *   3. then accountId ascending by UTF-16 code units (unique per side, so the order is total).
 * Because it is total and depends only on each position's own data, the queue does not depend on batch order.
 */
import type { BatchKeys } from "./batch";
import { cmpScoreDesc, type ExactContext, exactMetrics, type RankingMethod } from "./methods";
import { cmp, type Rational, ratFromDecimal } from "./rational";

export type Comparator = (a: number, b: number) => number;

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
    return pa.accountId < pb.accountId ? -1 : pa.accountId > pb.accountId ? 1 : 0;
  };
}

/** Full queue: indices sorted by the ADL order. */
export function sortQueue(indices: number[], compare: Comparator): number[] {
  return indices.slice().sort(compare);
}

/**
 * The queue as a lazy iterator: a binary heap built in O(n), then O(log n) per position taken, so taking the first k
 * of n costs O(n + k log n) instead of a full O(n log n) sort.
 */
export function* lazyQueue(indices: readonly number[], compare: Comparator): Generator<number, void, undefined> {
  const heap = indices.slice();
  const n = heap.length;
  const siftDown = (start: number, end: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= end) return;
      const r = l + 1;
      let best = l;
      if (r < end && compare(heap[r]!, heap[l]!) < 0) best = r;
      if (compare(heap[best]!, heap[i]!) >= 0) return;
      const t = heap[i]!;
      heap[i] = heap[best]!;
      heap[best] = t;
      i = best;
    }
  };
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(i, n);
  for (let end = n; end > 0; end--) {
    const top = heap[0]!;
    heap[0] = heap[end - 1]!;
    siftDown(0, end - 1);
    yield top;
  }
}
