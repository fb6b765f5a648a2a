/**
 * One side's ADL queue kept across the bankrupt positions of a batch: ranked once, then only the positions a walk
 * touched move. A binary heap under the queue's total order (score exact, then larger size, then accountId;
 * src/domain/ranking/spec/order.ts): a walk pops from the top, a fully closed position is gone, a partly closed one is
 * pushed back with its new size, margin and account value, so its new rank is exactly the one a fresh ranking of the
 * remaining side would give it. Untouched pairs use the batch's prepared comparator (float keys with error bounds,
 * exact where they cannot decide); a pair with a touched position is compared exactly.
 */
import type { PreparedBatch } from "../ranking/rank";
import { exactMetrics } from "../ranking/spec/methods";
import { type Queued, queueOrder } from "../ranking/spec/order";
import { ratFromDecimal, type Rational } from "../num/rational";
import type { PositionInput } from "../types";

export class SideQueue {
  private readonly heap: Int32Array;
  private n = 0;
  private readonly touched = new Set<number>();
  private readonly exact = new Map<number, Rational | null>();

  /** `current(i)`: the position's state now (the request's, or as the last fill left it). */
  constructor(
    private readonly batch: PreparedBatch,
    indices: readonly number[],
    private readonly current: (i: number) => PositionInput,
  ) {
    this.heap = new Int32Array(indices.length);
    for (const i of indices) this.heap[this.n++] = i;
    for (let k = (this.n >> 1) - 1; k >= 0; k--) this.down(k);
  }

  get size(): number {
    return this.n;
  }

  private exactScore(i: number): Rational | null {
    let v = this.exact.get(i);
    if (v === undefined) {
      v = exactMetrics(this.batch.method, this.batch.ctx, this.current(i)).score;
      this.exact.set(i, v);
    }
    return v;
  }

  /** Negative when a goes first. */
  compare(a: number, b: number): number {
    if (!this.touched.has(a) && !this.touched.has(b)) return this.batch.compare(a, b);
    return queueOrder(this.queued(a), this.queued(b));
  }

  /** The position as it stands, as the specification's order reads it (exact score, exact size, accountId). */
  private queued(i: number): Queued {
    const p = this.current(i);
    return { accountId: p.accountId, size: ratFromDecimal(p.size), score: this.exactScore(i) };
  }

  /** Whether a fill changed position i after the batch was prepared (pushed back by pushChanged). */
  changed(i: number): boolean {
    return this.touched.has(i);
  }

  pop(): number | undefined {
    if (this.n === 0) return undefined;
    const top = this.heap[0]!;
    this.heap[0] = this.heap[--this.n]!;
    if (this.n > 0) this.down(0);
    return top;
  }

  /** Puts back a position whose state `current` now reports changed (partly closed). */
  pushChanged(i: number): void {
    this.touched.add(i);
    this.exact.delete(i);
    let k = this.n++;
    this.heap[k] = i;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (this.compare(this.heap[parent]!, i) <= 0) break;
      this.heap[k] = this.heap[parent]!;
      k = parent;
    }
    this.heap[k] = i;
  }

  private down(k: number): void {
    const h = this.heap;
    const x = h[k]!;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= this.n) break;
      if (c + 1 < this.n && this.compare(h[c + 1]!, h[c]!) < 0) c++;
      if (this.compare(h[c]!, x) >= 0) break;
      h[k] = h[c]!;
      k = c;
    }
    h[k] = x;
  }
}
