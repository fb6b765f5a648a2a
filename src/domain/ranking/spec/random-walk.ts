/**
 * `random` method (dYdX v4 `deleveraging.go`): no ranking by score. Holders of the side are put in a canonical order
 * (accountId ascending by UTF-16 code units, so batch order does not matter), a pseudo-random start is drawn from
 * the caller's seed, and the walk goes cyclically from there. The seed makes it deterministic and replayable.
 * start = FNV-1a-32(UTF-8 of `${seed}|${side}`) mod n, n = every holder of the side.
 *
 * Insolvent last: a holder at or past bankruptcy at mark (equity M + uPnL <= 0) is itself due for liquidation and
 * cannot absorb a loss, so the walk offers it only after every solvent holder, each group in walk order. dYdX skips
 * such a subaccount (`OffsetSubaccountPerpetualPosition` moves on when `ProcessDeleveraging` refuses an update that
 * would leave it undercollateralised); the score methods put it at the end of the queue (score -infinity). This
 * service keeps it at the end as the score methods do, so the same counterparties can always be used up.
 */
import type { Side } from "../../types";
import { compareAccountIds } from "./order";

export function fnv1a32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The walk over `indices`: solvent holders from the seeded start, cyclically, then insolvent ones in the same walk
 * order. `insolvent(i)` says whether holder i is at or past bankruptcy at mark. Adding or removing insolvent holders
 * moves the start (n counts every holder, as dYdX's index does), never the relative order of the solvent ones.
 */
export function randomWalkOrder(indices: readonly number[], accountIdOf: (i: number) => string, seed: string, side: Side, insolvent: (i: number) => boolean): number[] {
  const canonical = indices.slice().sort((a, b) => compareAccountIds(accountIdOf(a), accountIdOf(b)));
  const n = canonical.length;
  if (n === 0) return canonical;
  const start = fnv1a32(`${seed}|${side}`) % n;
  const solventFirst: number[] = [];
  const last: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = canonical[(start + k) % n]!;
    (insolvent(i) ? last : solventFirst).push(i);
  }
  for (const i of last) solventFirst.push(i);
  return solventFirst;
}
