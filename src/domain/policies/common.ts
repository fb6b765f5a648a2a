/**
 * What every ADL policy shares: the input shape, the haircut a fill imposes, whole-lot allocation by largest
 * remainder, and the FillPlan it ends in (the same shape planFills returns). Plain data in, result out; no I/O, no
 * clock.
 *
 * Allocation works on whole lots (BigInt): a policy computes each account's exact share in lots (a Decimal at the
 * domain's 160-digit precision), then `allocateLots` floors every share and hands the lots the floors left over to
 * the largest fractional parts, one each, never past an account's cap. No lot is lost or invented: the result sums
 * to the target unless the caps cannot hold it, and then the policy reports the rest as unfilled.
 */
import { type Decimal, ZERO, toWire } from "../decimal";
import type { Fill, FillPlan } from "../fills";
import type { ParsedMarket } from "../market";
import { type ParsedPosition, equityAt } from "../position";
import { RawPosition, entryString } from "./raw";
import { big, scaledBig } from "../digits";
import { PnlWriter } from "./scaled";
import { FRACTION_ROOM, SELECTION_SLACK, SHARE_MAX_MAGNITUDE } from "../float-screens";

// The input shape, the haircut a fill imposes and the PnL budgets are the specification's own (spec/common.ts), used
// here as they are: each written once (an acceleration may import its specification, never the reverse).
import { type PolicyInput, lotsOfSize } from "./spec/common";
export { type Policy, type PolicyInput, floorRatio, haircutPerContract, lotsOfSize, lotsWithinPnl, pnlBudgets } from "./spec/common";

export { equityAt };

/**
 * Shares split for largest remainder: whole lots, the fractional part as a float (orders almost every pair), and
 * an exact comparison of two fractional parts for the pairs floats cannot separate.
 */
export interface SplitShares {
  whole: bigint[];
  frac: Float64Array;
  /** > 0 when account a's fractional part is larger than b's, 0 when equal (exact). */
  cmpFrac: (a: number, b: number) => number;
}

/**
 * Splits shares given as a double estimate plus an exact Decimal computed only when needed. `magnitude[i]` bounds
 * the terms the estimate was computed from (in lots); callers guarantee an error below magnitude*1e-15. Below 1e5
 * lots that is under 1e-10, so the estimate's floor is right when its fractional part has 1e-9 of room, and its
 * fractional part orders pairs that differ by more than allocateLots' 1e-9; otherwise `exact(i)` decides. A share
 * with estimate and magnitude 0 is exactly 0 (accounts the policy does not touch).
 */
export function splitEstimatedShares(estimate: Float64Array, magnitude: Float64Array, exact: (i: number) => Decimal): SplitShares {
  const n = estimate.length;
  const whole = new Array<bigint>(n);
  const frac = new Float64Array(n);
  const exactFrac: (Decimal | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = estimate[i]!;
    const m = magnitude[i]!;
    if (x === 0 && m === 0) {
      whole[i] = 0n;
      exactFrac[i] = ZERO;
      continue;
    }
    const fl = Math.floor(x);
    const f = x - fl;
    if (m < SHARE_MAX_MAGNITUDE && f > FRACTION_ROOM && f < 1 - FRACTION_ROOM) {
      whole[i] = big(fl);
      frac[i] = f;
    } else {
      const s = exact(i);
      const w = s.floor();
      whole[i] = BigInt(w.toFixed(0));
      exactFrac[i] = s.minus(w);
      frac[i] = exactFrac[i]!.toNumber();
    }
  }
  const fracOf = (i: number): Decimal => (exactFrac[i] ??= exact(i).minus(whole[i]!.toString()));
  return { whole, frac, cmpFrac: (a, b) => fracOf(a).cmp(fracOf(b)) };
}

/**
 * Exact shares target*held_i/total as integers: whole = floor, fractional part remainder/total (same denominator,
 * so comparing remainders compares fractional parts exactly).
 */
export function splitRatioShares(held: readonly bigint[], target: bigint, total: bigint): SplitShares {
  const n = held.length;
  const whole = new Array<bigint>(n);
  const rem = new Array<bigint>(n);
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
  for (let i = 0; i < n; i++) {
    const num = target * held[i]!;
    whole[i] = num / total; // BigInt division truncates; num >= 0, so this is the floor
    rem[i] = num % total;
    frac[i] = Number(rem[i]!) / totalF;
  }
  return { whole, frac, cmpFrac: (a, b) => (rem[a]! > rem[b]! ? 1 : rem[a]! < rem[b]! ? -1 : 0) };
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
  const { whole, frac, cmpFrac } = shares;
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
  let left = target - placed;
  if (left < 0n) {
    // Only reachable when a share computed at 160 digits sits within 1e-150 of an integer it is not: take the
    // surplus back from the smallest fractional parts, so the sum never exceeds the target.
    const back = lots.map((_, i) => i).filter((i) => lots[i]! > 0n);
    back.sort((a, b) => frac[a]! - frac[b]! || cmpFrac(a, b) || compareIds(accountIds[b]!, accountIds[a]!));
    for (const i of back) {
      if (left === 0n) break;
      lots[i] = lots[i]! - 1n;
      left++;
    }
    return lots;
  }
  if (left === 0n) return lots;
  let order: number[] = [];
  for (let i = 0; i < n; i++) if (lots[i]! < caps[i]!) order.push(i);
  // Floats decide when they differ by more than their rounding error; otherwise the exact fractions, then the id.
  // Every float is within 1e-9 of its exact fraction, so this is the exact order (fraction descending, then id).
  const byRemainder = (a: number, b: number): number => {
    const fa = frac[a]!;
    const fb = frac[b]!;
    if (Math.abs(fa - fb) > FRACTION_ROOM) return fb - fa;
    const c = cmpFrac(b, a);
    if (c !== 0) return c;
    return compareIds(accountIds[a]!, accountIds[b]!);
  };
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
  order.sort(byRemainder);
  let pool = order;
  while (left > 0n && pool.length > 0) {
    const next: number[] = [];
    for (const i of pool) {
      if (left === 0n) break;
      lots[i] = lots[i]! + 1n;
      left--;
      if (lots[i]! < caps[i]!) next.push(i);
    }
    pool = next;
  }
  return lots;
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

/** Account ids by UTF-16 code units, the tie-break every policy uses (ids are unique per side). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The FillPlan for an allocation: one fill per account with lots > 0, in the policy's order (`order`, indices into
 * counterparties), at one price (`held`: each account's lots, when the policy has them already); realised PnL rounded down as planFills does (the service never credits more than
 * the exact PnL).
 */
export function buildPlan(input: PolicyInput, lots: readonly bigint[], order: readonly number[], held?: readonly bigint[]): FillPlan {
  const { market, price, counterparties } = input;
  const priceWire = toWire(price);
  const fills: Fill[] = [];
  let filledLots = 0n;
  // Sizes and PnL from scaled integers (scaled.ts), the same strings toWire/amountToWire give, without decimal objects.
  const w = new PnlWriter(market, price);
  let filledF = 0; // filledLots in doubles while every count is a safe integer (no BigInt per fill)
  for (const i of order) {
    const l = lots[i]!;
    if (l === 0n) continue;
    const c = counterparties[i]!;
    const h = held?.[i] ?? heldLots(market, c);
    const hF = Number(h);
    const safe = hF < 2 ** 53 && l >= 0n;
    if (safe) filledF += Number(l);
    else filledLots += l;
    fills.push({
      accountId: c.accountId,
      quantity: w.size(safe ? Number(l) : l),
      price: priceWire,
      realizedPnl: w.pnl(c.sign, entryString(c), l),
      remainingSize: w.size(safe ? hF - Number(l) : h - l),
    });
  }
  // Each term is exact; the sum is exact while below 2^53, else the BigInt sum over the same fills.
  if (filledF < 2 ** 53) filledLots += BigInt(filledF);
  else {
    filledLots = 0n;
    for (const i of order) filledLots += lots[i]!;
  }
  const filled = market.lotSize.times(filledLots.toString());
  return { price: priceWire, fills, filledQuantity: toWire(filled), unfilledQuantity: toWire(input.quantity.minus(filled)) };
}


/** A position's size in whole lots: from the wire string when it has one and lots are 10^-k, else lotsOfSize. */
export function heldLots(market: ParsedMarket, c: ParsedPosition): bigint {
  const k = market.lotDecimalsIfPowerOfTen;
  return k !== null && c instanceof RawPosition ? scaledBig(c.raw.size, k) : lotsOfSize(market, c.size);
}

/** Indices 0..n-1 sorted by accountId: the fill order of the pro-rata policies, where no account goes first. */
export function byAccountId(counterparties: readonly ParsedPosition[]): number[] {
  return counterparties.map((_, i) => i).sort((a, b) => compareIds(counterparties[a]!.accountId, counterparties[b]!.accountId));
}
