/**
 * Part of the readable specification of the allocating policies (this folder): Decimal and BigInt arithmetic in the
 * order the sources state it, the double screens only where exact values decide every close case. The policies the
 * service runs (../fast/pro-rata.ts, ../fast/capped-pro-rata.ts, ../fast/leverage-draining.ts, on scaled integers and
 * wire strings) are accelerations of these and must give the same fill strings: test/domain/policies.reference.test.ts;
 * they use the helpers here that need no acceleration (splitEstimatedShares, compareIds, byAccountId) as they are.
 * Nothing here imports the accelerated code (dependency-cruiser: policies-spec-stands-alone).
 */
import { Decimal, ONE, ZERO } from "../../num/decimal";
import { type AdlFills, type PlannedFill, closePnl } from "../../fills";
import { type ParsedMarket, lotsOf } from "../../market";
import { type ParsedPosition, unrealizedPnl } from "../../position";
import { big } from "../../num/digits";
import type { Side } from "../../types";
import { FRACTION_ROOM, SHARE_MAX_MAGNITUDE, SHARE_RELATIVE_ERROR } from "../../num/float-screens";

/**
 * What every ADL policy shares: the input shape, the haircut a fill imposes, whole-lot allocation by largest
 * remainder, and the plan it ends in (fills.ts AdlFills, the shape the queue walk returns). Plain data in, result out; no I/O, no
 * clock.
 *
 * Allocation works on whole lots (BigInt): a policy computes each account's exact share in lots (a Decimal at the
 * domain's 160-digit precision), then `allocateLots` floors every share and hands the lots the floors left over to
 * the largest fractional parts, one each, never past an account's cap. No lot is lost or invented: the result sums
 * to the target unless the caps cannot hold it, and then the policy reports the rest as unfilled.
 */

export interface PolicyInput {
  market: ParsedMarket;
  /** Side of the bankrupt position; every counterparty holds the other side (the caller checked). */
  liquidatedSide: Side;
  /** Contracts to deleverage: > 0, a lot multiple (the caller checked). */
  quantity: Decimal;
  /** The ADL price every fill is at (bankruptcy price or mark; the caller chose and checked it). */
  price: Decimal;
  /** Mark price: PnL, equity and leverage are measured here. */
  mark: Decimal;
  /** Opposite-side positions with distinct account ids, any order (policies sort by their own total order). */
  counterparties: readonly ParsedPosition[];
  /**
   * Positive PnL an account may still give (capped-pro-rata's cap), by index. Default: uPnL at mark. Set by callers
   * that deleverage several bankrupt positions in one event, so that an account's haircuts over the whole event stay
   * within the PnL it had at its start.
   */
  pnlBudgets?: readonly Decimal[];
}

/** A policy decides the plan in parsed values (fills.ts AdlFills); the wire form is written at the edge. */
export type Policy = (input: PolicyInput) => AdlFills;

/**
 * What closing one contract at the ADL price x instead of at mark P costs its holder (side sign c), in the
 * settlement asset: linear c*K*(P - x); inverse c*K*(1/x - 1/P). Positive when the ADL price is worse for the
 * holder than mark (the usual case: the bankrupt side's BP lies beyond mark). This is the haircut per contract:
 * a winner closing q contracts realises its PnL on them at x and gives up q times this against mark.
 */
export function haircutPerContract(market: ParsedMarket, counterpartySign: 1 | -1, mark: Decimal, price: Decimal): Decimal {
  // closePnl at mark minus closePnl at x for one contract is the PnL of one contract entered at x and valued at mark.
  return closePnl(market, counterpartySign, price, ONE, mark);
}

/**
 * Most whole lots account `pos` can close at `price` without its haircut exceeding its uPnL at mark, when that
 * haircut is positive: q*h <= uPnL. Both sides carry the same factor, so the bound is a ratio of finite decimals
 * (exact, no rounding before the floor):
 *   linear  c*q*K*(P - x) <= c*Q*K*(P - E)                  ->  q <= Q*(P - E) / (P - x)
 *   inverse c*q*K*(P - x)/(x*P) <= c*Q*K*(P - E)/(E*P)      ->  q <= Q*(P - E)*x / ((P - x)*E)
 * Floor (toward fewer lots): rounding up would let the last lot take principal. Callers use it only when h > 0
 * and uPnL > 0, so numerator and denominator have the sign of c and the ratio is positive.
 */
export function lotsWithinPnl(market: ParsedMarket, pos: ParsedPosition, mark: Decimal, price: Decimal): bigint {
  let num = pos.size.times(mark.minus(pos.entryPrice));
  let den = mark.minus(price).times(market.lotSize);
  if (market.contractType === "inverse") {
    num = num.times(price);
    den = den.times(pos.entryPrice);
  }
  return floorRatio(num, den);
}

/** floor(num/den) for den != 0, checked by multiplication so a quotient rounded onto an integer cannot overshoot. */
export function floorRatio(num: Decimal, den: Decimal): bigint {
  if (den.isNeg()) {
    num = num.neg();
    den = den.neg();
  }
  // Doubles decide when the quotient is clearly between two integers (each operand within 2^-53 relative, so the
  // quotient within about 3*2^-53); otherwise the 160-digit quotient, checked by multiplication.
  const x = num.toNumber() / den.toNumber();
  const fl = Math.floor(x);
  const room = FRACTION_ROOM + Math.abs(x) * SHARE_RELATIVE_ERROR;
  if (Math.abs(x) < 2 ** 50 && x - fl > room && fl + 1 - x > room) return BigInt(fl);
  let k = BigInt(num.div(den).floor().toFixed(0));
  if (den.times(k.toString()).gt(num)) k -= 1n;
  else if (den.times((k + 1n).toString()).lte(num)) k += 1n;
  return k;
}

/** Whole lots of a lot-multiple size, exact (sizes were validated as lot multiples). */
export { lotsOf };

/** uPnL at mark of each counterparty, or the caller's budget when given (see PolicyInput.pnlBudgets). */
export function pnlBudgets(input: PolicyInput): Decimal[] {
  const { market, mark, counterparties } = input;
  return counterparties.map((c, i) => input.pnlBudgets?.[i] ?? unrealizedPnl(market, c, mark));
}


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
  const { whole } = shares;
  const n = whole.length;
  const lots = new Array<bigint>(n);
  let placed = 0n;
  for (let i = 0; i < n; i++) {
    const l = whole[i]! > caps[i]! ? caps[i]! : whole[i]!;
    lots[i] = l;
    placed += l;
  }
  const left = target - placed;
  if (left < 0n) return takeBackSurplus(shares, lots, left, accountIds);
  if (left === 0n) return lots;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (lots[i]! < caps[i]!) order.push(i);
  return placeLeftover(order.sort(byRemainder(shares, accountIds)), lots, caps, left);
}

/**
 * allocateLots when the floors already pass the target (`left` < 0): only reachable when a share computed at 160
 * digits sits within 1e-150 of an integer it is not. The surplus is taken back from the smallest fractional parts,
 * so the sum never exceeds the target.
 */
export function takeBackSurplus(shares: SplitShares, lots: bigint[], left: bigint, accountIds: readonly string[]): bigint[] {
  const { frac, cmpFrac } = shares;
  const back = lots.map((_, i) => i).filter((i) => lots[i]! > 0n);
  back.sort((a, b) => frac[a]! - frac[b]! || cmpFrac(a, b) || compareIds(accountIds[b]!, accountIds[a]!));
  for (const i of back) {
    if (left === 0n) break;
    lots[i] = lots[i]! - 1n;
    left++;
  }
  return lots;
}

/**
 * The largest-remainder order: fraction descending, then accountId ascending. Floats decide when they differ by more
 * than their rounding error (every float is within 1e-9 of its exact fraction); otherwise the exact fractions.
 */
export function byRemainder(shares: SplitShares, accountIds: readonly string[]): (a: number, b: number) => number {
  const { frac, cmpFrac } = shares;
  return (a, b) => {
    const fa = frac[a]!;
    const fb = frac[b]!;
    if (Math.abs(fa - fb) > FRACTION_ROOM) return fb - fa;
    const c = cmpFrac(b, a);
    if (c !== 0) return c;
    return compareIds(accountIds[a]!, accountIds[b]!);
  };
}

/** Hands the `left` lots out one at a time along `order`, in passes, skipping accounts at their cap. */
export function placeLeftover(order: readonly number[], lots: bigint[], caps: readonly bigint[], left: bigint): bigint[] {
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

/** Account ids by UTF-16 code units, the tie-break every policy uses (ids are unique per side). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The plan an allocation ends in: one fill per account with lots > 0, in the policy's order (`order`, indices into
 * counterparties), each with the lots it held (`held`, by index), at one price. Parsed values only: the strings are
 * written at the edge (fills.ts fillsToWire; realised PnL rounded down there, as for the queue's fills).
 */
export function buildPlan(input: PolicyInput, lots: readonly bigint[], order: readonly number[], held: readonly bigint[]): AdlFills {
  const { market, counterparties } = input;
  const fills: PlannedFill[] = [];
  // The sum in doubles while it stays a safe integer (each term exact; no BigInt addition per fill), else BigInt.
  let filledF = 0;
  for (const i of order) {
    const l = lots[i]!;
    if (l === 0n) continue;
    fills.push({ counterparty: counterparties[i]!, lots: l, heldLots: held[i]! });
    filledF += Number(l);
  }
  let filledLots = 0n;
  if (filledF < 2 ** 53) filledLots = BigInt(filledF);
  else for (const i of order) filledLots += lots[i]!;
  const filled = market.lotSize.times(filledLots.toString());
  return { market, price: input.price, fills, filledQuantity: filled, unfilledQuantity: input.quantity.minus(filled) };
}

/** Indices 0..n-1 sorted by accountId: the fill order of the pro-rata policies, where no account goes first. */
export function byAccountId(counterparties: readonly ParsedPosition[]): number[] {
  return counterparties.map((_, i) => i).sort((a, b) => compareIds(counterparties[a]!.accountId, counterparties[b]!.accountId));
}

