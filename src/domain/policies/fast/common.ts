/**
 * What every ADL policy shares: the input shape, the haircut a fill imposes, whole-lot allocation by largest
 * remainder, and the plan it ends in (spec/common.ts buildPlan, as it is). Plain data in, result out; no I/O, no
 * clock.
 *
 * Allocation works on whole lots (BigInt): a policy computes each account's exact share in lots (a Decimal at the
 * domain's 160-digit precision), then `allocateLots` floors every share and hands the lots the floors left over to
 * the largest fractional parts, one each, never past an account's cap. No lot is lost or invented: the result sums
 * to the target unless the caps cannot hold it, and then the policy reports the rest as unfilled.
 */
import { equityAt } from "../../position";
import { big } from "../../num/digits";
import { SELECTION_SLACK } from "../../num/float-screens";

// The input shape, the haircut a fill imposes, the PnL budgets and the helpers that need no acceleration (estimated
// shares, the accountId order) are the specification's own (spec/common.ts), used here as they are: each written
// once (an acceleration may import its specification, never the reverse).
import {
  type PolicyInput,
  type SplitShares,
  byRemainder,
  lotsOf,
  placeLeftover,
  splitRatioShares as exactRatioShares,
  takeBackSurplus,
} from "../spec/common";
export {
  type Policy,
  type PolicyInput,
  type SplitShares,
  buildPlan,
  byAccountId,
  compareIds,
  floorRatio,
  haircutPerContract,
  lotsOf,
  lotsWithinPnl,
  pnlBudgets,
  splitEstimatedShares,
} from "../spec/common";

export { equityAt };

/**
 * Exact shares target*held_i/total as integers: whole = floor, fractional part remainder/total (same denominator,
 * so comparing remainders compares fractional parts exactly).
 */
export function splitRatioShares(held: readonly bigint[], target: bigint, total: bigint): SplitShares {
  const n = held.length;
  const whole = new Array<bigint>(n);
  const frac = new Float64Array(n);
  const totalF = Number(total);
  let maxHeld = 0n;
  for (let i = 0; i < n; i++) if (held[i]! > maxHeld) maxHeld = held[i]!;
  if (target * maxHeld < 2n ** 52n && totalF < 2 ** 52) {
    // Every product is a safe integer: the same floors and remainders in doubles (quotient corrected exactly).
    const t = Number(target);
    const remF = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = t * Number(held[i]!);
      let w = Math.floor(p / totalF);
      let r = p - w * totalF;
      if (r < 0) {
        w--;
        r += totalF;
      } else if (r >= totalF) {
        w++;
        r -= totalF;
      }
      whole[i] = big(w);
      remF[i] = r;
      frac[i] = r / totalF;
    }
    return { whole, frac, cmpFrac: (a, b) => (remF[a]! > remF[b]! ? 1 : remF[a]! < remF[b]! ? -1 : 0) };
  }
  // Otherwise the specification's BigInt floors and remainders.
  return exactRatioShares(held, target, total);
}

/**
 * Largest remainder over whole lots. Every account gets the whole part of its share (at most its cap); the lots
 * left over go one at a time to accounts in descending order of fractional part (then accountId ascending, so the
 * result is deterministic and independent of input order), skipping accounts at their cap; a pass that places
 * nothing leaves the rest unplaced (the caller reports it). Rounding: the floor first is the only direction that
 * can never exceed a cap or the target; the remainder pass then restores the lots flooring took, so the sum is
 * exactly `target` whenever the caps allow it.
 */
export function allocateLots(shares: SplitShares, caps: readonly bigint[], target: bigint, accountIds: readonly string[]): bigint[] {
  const { whole, frac } = shares;
  const n = whole.length;
  const lots = new Array<bigint>(n);
  // The sum in doubles while it stays a safe integer (exact), in BigInt otherwise.
  let placedF = 0;
  let negative = false;
  for (let i = 0; i < n; i++) {
    const l = whole[i]! > caps[i]! ? caps[i]! : whole[i]!;
    lots[i] = l;
    placedF += Number(l);
    if (l < 0n) negative = true;
  }
  let placed = 0n;
  if (placedF < 2 ** 53 && !negative) placed = BigInt(placedF);
  else for (let i = 0; i < n; i++) placed += lots[i]!;
  const left = target - placed;
  if (left < 0n) return takeBackSurplus(shares, lots, left, accountIds);
  if (left === 0n) return lots;
  let order: number[] = [];
  for (let i = 0; i < n; i++) if (lots[i]! < caps[i]!) order.push(i);
  if (left < BigInt(order.length) && order.length > 256) {
    // One pass places everything: only the first `left` accounts of the order get a lot, so sort only the accounts
    // whose float is within 1e-6 of the left-th largest (any account of the first `left` is: floats err < 1e-9).
    const fs = new Float64Array(order.length);
    let nan = false;
    for (let j = 0; j < order.length; j++) {
      fs[j] = frac[order[j]!]!;
      if (fs[j] !== fs[j]) nan = true;
    }
    if (!nan) {
      const cut = selectAscending(fs, order.length - Number(left)) - SELECTION_SLACK;
      order = order.filter((i) => frac[i]! >= cut);
    }
  }
  return placeLeftover(order.sort(byRemainder(shares, accountIds)), lots, caps, left);
}

/** The k-th smallest of `xs` (0-based; no NaN), by quickselect: O(n), reorders xs. */
export function selectAscending(xs: Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi > lo) {
    const pivot = xs[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const s = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = s;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k]!;
  }
  return xs[k]!;
}

export { heldLots } from "../../fast/parsed-position";
