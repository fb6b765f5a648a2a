/**
 * Taking one side's queue lazily: the fills walk only as far into the queue as the liquidation needs, so they take
 * positions one at a time from a heap instead of sorting the whole side. Any comparator: the service passes the ADL
 * order (fast/order.ts queueComparator, the specification's total order spec/order.ts decided by float keys first).
 */

/** A three-way comparison of two batch indices: negative when a comes first. */
export type Comparator = (a: number, b: number) => number;

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
