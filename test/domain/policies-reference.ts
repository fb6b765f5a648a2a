/**
 * The allocating policies as they were before the scaled-integer fast paths (copied verbatim from
 * src/domain/policies/{common,pro-rata,capped-pro-rata,leverage-draining}.ts at 678b2f2, imports merged). Kept as the
 * reference the property tests compare the optimised code against: every fill string must stay identical.
 */
import { Decimal, ZERO, amountToWire, signed, toWire } from "../../src/domain/decimal";
import type { Fill, FillPlan } from "../../src/domain/fills";
import { closePnl } from "../../src/domain/fills";
import type { ParsedMarket } from "../../src/domain/market";
import { type ParsedPosition, equityAt, unrealizedPnl } from "../../src/domain/position";
import { scaledToWire } from "../../src/domain/ranking/rational";
import type { Side } from "../../src/domain/types";

// ---- copied from src/domain/policies/common.ts ----
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

export type Policy = (input: PolicyInput) => FillPlan;

/**
 * What closing one contract at the ADL price x instead of at mark P costs its holder (side sign c), in the
 * settlement asset: linear c*K*(P - x); inverse c*K*(1/x - 1/P). Positive when the ADL price is worse for the
 * holder than mark (the usual case: the bankrupt side's BP lies beyond mark). This is the haircut per contract:
 * a winner closing q contracts realises its PnL on them at x and gives up q times this against mark.
 */
export function haircutPerContract(market: ParsedMarket, counterpartySign: 1 | -1, mark: Decimal, price: Decimal): Decimal {
  // closePnl at mark minus closePnl at x for one contract, written out so the inverse case stays one division.
  const one = market.contractSize;
  const linear = signed(one.times(mark.minus(price)), counterpartySign);
  return market.contractType === "linear" ? linear : linear.div(price.times(mark));
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
  const room = 1e-9 + Math.abs(x) * 1e-15;
  if (Math.abs(x) < 2 ** 50 && x - fl > room && fl + 1 - x > room) return BigInt(fl);
  let k = BigInt(num.div(den).floor().toFixed(0));
  if (den.times(k.toString()).gt(num)) k -= 1n;
  else if (den.times((k + 1n).toString()).lte(num)) k += 1n;
  return k;
}

/** Whole lots of a lot-multiple size, exact (sizes were validated as lot multiples). */
export function lotsOfSize(market: ParsedMarket, size: Decimal): bigint {
  const k = market.lotDecimalsIfPowerOfTen;
  // Lots of 10^-k: the digits of the size written with k decimals are the lot count (no division).
  if (k !== null) return BigInt(k === 0 ? size.toFixed(0) : size.toFixed(k).replace(".", ""));
  return BigInt(size.div(market.lotSize).toFixed(0));
}

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
    if (m < 1e5 && f > 1e-9 && f < 1 - 1e-9) {
      whole[i] = BigInt(fl);
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
  const { whole, frac, cmpFrac } = shares;
  const n = whole.length;
  const lots = new Array<bigint>(n);
  let placed = 0n;
  for (let i = 0; i < n; i++) {
    const l = whole[i]! > caps[i]! ? caps[i]! : whole[i]!;
    lots[i] = l;
    placed += l;
  }
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
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (lots[i]! < caps[i]!) order.push(i);
  // Floats decide when they differ by more than their rounding error; otherwise the exact fractions, then the id.
  order.sort((a, b) => {
    const fa = frac[a]!;
    const fb = frac[b]!;
    if (Math.abs(fa - fb) > 1e-9) return fb - fa;
    const c = cmpFrac(b, a);
    if (c !== 0) return c;
    return compareIds(accountIds[a]!, accountIds[b]!);
  });
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
 * The FillPlan for an allocation: one fill per account with lots > 0, in the policy's order (`order`, indices into
 * counterparties), at one price (`held`: each account's lots, when the policy has them already); realised PnL rounded down as planFills does (the service never credits more than
 * the exact PnL).
 */
export function buildPlan(input: PolicyInput, lots: readonly bigint[], order: readonly number[], held?: readonly bigint[]): FillPlan {
  const { market, price, counterparties } = input;
  const priceWire = toWire(price);
  const fills: Fill[] = [];
  let filledLots = 0n;
  // Lots of 10^-k format straight from the integer lot count (no decimal objects); other lots through Decimal.
  const k = market.lotDecimalsIfPowerOfTen;
  const size = (l: bigint): string => (k !== null ? scaledToWire(l, k) : toWire(market.lotSize.times(l.toString())));
  for (const i of order) {
    const l = lots[i]!;
    if (l === 0n) continue;
    const c = counterparties[i]!;
    const q = market.lotSize.times(l.toString());
    filledLots += l;
    fills.push({
      accountId: c.accountId,
      quantity: size(l),
      price: priceWire,
      realizedPnl: amountToWire(closePnl(market, c.sign, c.entryPrice, q, price), "down"),
      remainingSize: k !== null ? size((held?.[i] ?? lotsOfSize(market, c.size)) - l) : toWire(c.size.minus(q)),
    });
  }
  const filled = market.lotSize.times(filledLots.toString());
  return { price: priceWire, fills, filledQuantity: toWire(filled), unfilledQuantity: toWire(input.quantity.minus(filled)) };
}

/** Indices 0..n-1 sorted by accountId: the fill order of the pro-rata policies, where no account goes first. */
export function byAccountId(counterparties: readonly ParsedPosition[]): number[] {
  return counterparties.map((_, i) => i).sort((a, b) => compareIds(counterparties[a]!.accountId, counterparties[b]!.accountId));
}

export const sumDecimals = (xs: readonly Decimal[]): Decimal => xs.reduce((s, x) => s.plus(x), ZERO);

// ---- copied from src/domain/policies/pro-rata.ts ----
/**
 * Contract pro-rata (domain.md section 6): every counterparty gives the same fraction of its position,
 * q_i = q * Q_i / sum(Q), rounded to whole lots by largest remainder so no lot is lost (the allocation dinero.js
 * uses for money, here for contracts). Source: the pro-rata baseline of Chitra, "Autodeleveraging: Impossibilities
 * and Optimization" (arXiv 2512.01112) and of Chitra et al., "Autodeleveraging as Online Learning" (arXiv 2602.15182),
 * which compare it with the production queue.
 *
 * Why contracts and not PnL: this is the rule a venue can state without a model, "everyone on the other side gives
 * the same share". Its haircut is proportional to size, not to profit, so a small winner with a large position gives
 * more than a large winner with a small one; capped-pro-rata is the PnL-proportional alternative.
 * When q >= sum(Q) every position closes fully and the rest is reported unfilled.
 * Plain data in, result out; no I/O, no clock.
 */

export function proRata(input: PolicyInput): FillPlan {
  const { market, counterparties } = input;
  const held = counterparties.map((c) => lotsOfSize(market, c.size));
  const total = held.reduce((s, l) => s + l, 0n);
  const requested = lotsOfSize(market, input.quantity);
  const order = byAccountId(counterparties);
  if (requested >= total) return buildPlan(input, held, order, held);
  // Exact share in lots R*L_i/L, in integers: whole part and remainder over the common L.
  const lots = allocateLots(splitRatioShares(held, requested, total), held, requested, counterparties.map((c) => c.accountId));
  return buildPlan(input, lots, order, held);
}

// ---- copied from src/domain/policies/capped-pro-rata.ts ----
/**
 * Capped (wealth) pro-rata. Source: Chitra, "Autodeleveraging: Impossibilities and Optimization" (arXiv 2512.01112):
 * every winner loses the same fraction theta of its positive PnL, up to a per-account cap, theta found by
 * water-filling; the paper shows it is the rule that resists account splitting, and principal is never haircut.
 *
 * The paper haircuts PnL directly; an exchange closes contracts at a price. The two meet through the haircut per
 * contract h = what closing one contract at the ADL price x costs its holder against mark P (common.ts:
 * linear c*K*(P - x), inverse c*K*(1/x - 1/P), c = the counterparty's side sign). A winner closing q_i contracts at x
 * realises its PnL on them and gives up exactly q_i*h against mark, so "haircut_i = theta * PnL_i" is
 * "q_i = t * PnL_i" with t = theta/h, the same t for everyone. The caps are what the paper requires, in contracts:
 *   - no more than the position: q_i <= Q_i;
 *   - principal never touched: q_i*h <= PnL_i, i.e. q_i <= PnL_i/h (only when h > 0; at h <= 0 closing costs
 *     nothing against mark and only the position caps).
 * Only winners (PnL_i > 0 at mark, or the caller's remaining budget) take part; losers give nothing. When the caps
 * together hold less than q, every winner gives its cap and the rest is reported unfilled: the policy refuses to
 * touch principal rather than fill.
 *
 * Water-filling: raise the level t until the unsaturated winners' shares t*PnL_i plus the saturated caps reach q
 * (in rounds, no sort: see below). Lots: each share is floored and the leftover lots go
 * by largest remainder, never past a cap (common.ts allocateLots). Rounding: caps in lots are floored, so rounding
 * can only keep a haircut inside the PnL, never push it past.
 * Plain data in, result out; no I/O, no clock.
 */

export function cappedProRata(input: PolicyInput): FillPlan {
  const { market, counterparties, mark, price } = input;
  const n = counterparties.length;
  const order = byAccountId(counterparties);
  const requested = lotsOfSize(market, input.quantity);
  const budgets = pnlBudgets(input);
  const sign = input.liquidatedSide === "long" ? -1 : 1;
  const h = haircutPerContract(market, sign, mark, price);
  const hPerLot = h.times(market.lotSize);

  // Winners and their caps in lots.
  const held = counterparties.map((c) => lotsOfSize(market, c.size));
  const caps = new Array<bigint>(n).fill(0n);
  const winners: number[] = [];
  let capTotal = 0n;
  for (let i = 0; i < n; i++) {
    const w = budgets[i]!;
    if (w.lte(0)) continue;
    let cap = held[i]!;
    if (hPerLot.gt(0)) {
      // The default budget is the uPnL itself: its cap is an exact ratio (common.ts lotsWithinPnl). A budget the
      // caller passed (what is left over an event) is divided directly; floorRatio keeps the floor honest.
      const byPnl = input.pnlBudgets === undefined ? lotsWithinPnl(market, counterparties[i]!, mark, price) : floorRatio(w, hPerLot);
      if (byPnl < cap) cap = byPnl;
    }
    if (cap <= 0n) continue;
    caps[i] = cap;
    capTotal += cap;
    winners.push(i);
  }
  if (capTotal <= requested) return buildPlan(input, caps, order, held);

  // Water level t (lots per unit of PnL): winner i saturates when t*w_i >= cap_i. Raised in rounds: t from the
  // winners not yet saturated, then every winner that t already saturates is fixed at its cap. t never falls
  // (each fixed winner had cap_i <= t*w_i) and never passes the solution, so the rounds end at it. Doubles screen
  // the clear cases (each within about 3*2^-53 relative); near the boundary the exact cross-multiplied test decides.
  const level = new Float64Array(n);
  for (const i of winners) level[i] = Number(caps[i]!) / budgets[i]!.toNumber();
  const saturated = new Uint8Array(n);
  let open = winners;
  let weight = winners.reduce((s, i) => s.plus(budgets[i]!), ZERO);
  let saturatedLots = 0n;
  for (;;) {
    const rest = requested - saturatedLots;
    const restDecimal = ZERO.plus(rest.toString());
    const tF = Number(rest) / weight.toNumber();
    const stillOpen: number[] = [];
    let fixedLots = 0n;
    let fixedWeight = ZERO;
    for (const i of open) {
      const l = level[i]!;
      const clear = Math.abs(tF - l) > 1e-12 * l;
      const fills = clear ? tF > l : budgets[i]!.times(restDecimal).gte(weight.times(caps[i]!.toString()));
      if (!fills) {
        stillOpen.push(i);
        continue;
      }
      saturated[i] = 1;
      fixedLots += caps[i]!;
      fixedWeight = fixedWeight.plus(budgets[i]!);
    }
    if (stillOpen.length === open.length) break;
    open = stillOpen;
    saturatedLots += fixedLots;
    weight = weight.minus(fixedWeight);
  }
  // capTotal > requested, so some winner stays open and weight > 0. Shares: caps for the saturated, t*w_i for the
  // rest, estimated in doubles (relative error about 5e-16) and computed exactly only where the estimate is unsure.
  const t = ZERO.plus((requested - saturatedLots).toString()).div(weight);
  const tF = t.toNumber();
  const estimate = new Float64Array(n);
  const magnitude = new Float64Array(n);
  for (const i of winners) {
    estimate[i] = saturated[i] ? Number(caps[i]!) : budgets[i]!.toNumber() * tF;
    magnitude[i] = saturated[i] ? 1e300 : estimate[i]!; // a saturated share is its cap: take the exact path
  }
  const shares = splitEstimatedShares(estimate, magnitude, (i) => (saturated[i] ? ZERO.plus(caps[i]!.toString()) : budgets[i]!.times(t)));
  const lots = allocateLots(shares, caps, requested, counterparties.map((c) => c.accountId));
  return buildPlan(input, lots, order, held);
}

// ---- copied from src/domain/policies/leverage-draining.ts ----
/**
 * Leverage draining. Source: Campbell, Hey, Moallemi, Nutz, "Risk-Based Auto-Deleveraging" (arXiv 2603.15963):
 * reduce the most leveraged accounts first, until their leverage equals the next one's, and so on (water-filling on
 * leverage), so that ADL removes risk where it is largest instead of where PnL is largest.
 *
 * Definition used here, per counterparty i at mark P:
 *   leverage L_i = notional_i / W_i with notional per contract n1 = K*P (linear) or K/P (inverse), and equity
 *   W_i = account value when given, else margin + uPnL (position.ts equityAt, the same equity the rankings use).
 * Closing q_i contracts leaves leverage (Q_i - q_i)*n1 / W_i. Water level lambda: every account above it is cut to
 * exactly lambda, every account at or below it is untouched, and the cuts add up to q:
 *   q_i = max(0, Q_i - mu*W_i) with mu = lambda/n1, and sum(q_i) = q.
 * The touched set T is the accounts with Q_i/W_i > mu, and mu = (sum Q - q) / sum W over T; found in rounds
 * without sorting (see the code), then only T is sorted for the fill order.
 * Equity is taken before the ADL transfer (the haircut |P - x|*q*K against mark): it is second order next to the
 * notional removed, and including it would make the target non-linear and, for an account whose own bankruptcy
 * price lies past the ADL price, unreachable.
 * Accounts with W_i <= 0 are at or past their own bankruptcy: leverage is unbounded, so they are drained first and
 * completely; when they alone hold more than q they share it in proportion to size (they are tied at infinity).
 * Lots: shares floored, leftover lots by largest remainder (common.ts). Fills are listed most leveraged first.
 * Plain data in, result out; no I/O, no clock.
 */

export function leverageDraining(input: PolicyInput): FillPlan {
  const { market, counterparties, mark } = input;
  const n = counterparties.length;
  const held = counterparties.map((c) => lotsOfSize(market, c.size));
  const equity = counterparties.map((c) => equityAt(market, c, mark));
  const ids = counterparties.map((c) => c.accountId);
  const requested = lotsOfSize(market, input.quantity);
  const total = held.reduce((s, l) => s + l, 0n);

  const unbounded: number[] = [];
  const finite: number[] = [];
  for (let i = 0; i < n; i++) (equity[i]!.lte(0) ? unbounded : finite).push(i);
  unbounded.sort((a, b) => compareIds(ids[a]!, ids[b]!));
  // Q/W in doubles: each within about 3*2^-53 relative.
  const ratio = new Float64Array(n);
  for (const i of finite) ratio[i] = Number(held[i]!) / equity[i]!.toNumber();
  // Fill order: most leveraged first (a relative gap above 1e-15 is real, closer pairs are cross-multiplied), then id.
  const byLeverage = (xs: number[]) =>
    xs.sort((a, b) => {
      const ra = ratio[a]!;
      const rb = ratio[b]!;
      if (Math.abs(ra - rb) > 1e-15 * Math.max(ra, rb)) return rb - ra;
      const c = equity[a]!.times(held[b]!.toString()).cmp(equity[b]!.times(held[a]!.toString()));
      return c !== 0 ? c : compareIds(ids[a]!, ids[b]!);
    });
  if (requested >= total) return buildPlan(input, held, [...unbounded, ...byLeverage(finite)], held);

  const unboundedLots = unbounded.reduce((s, i) => s + held[i]!, 0n);
  if (unboundedLots >= requested) {
    // Tied at infinite leverage: pro-rata by size among them (exact integer shares, as pro-rata.ts).
    const only = unbounded.map((i) => held[i]!);
    const lots = allocateLots(splitRatioShares(only, requested, unboundedLots), only, requested, unbounded.map((i) => ids[i]!));
    const all = new Array<bigint>(n).fill(0n);
    unbounded.forEach((i, j) => (all[i] = lots[j]!));
    return buildPlan(input, all, unbounded, held);
  }

  // Water level mu over the touched set T (all finite accounts at first): mu = (sum Q - rest) / sum W over T; an
  // account with Q/W <= mu would be cut to nothing or less, so it leaves T and mu is recomputed. mu only rises
  // (a leaving account has Q <= mu*W), so the rounds end, at the unique level where every account in T is above mu.
  const rest = requested - unboundedLots;
  let touched = finite;
  let sumLots = finite.reduce((s, i) => s + held[i]!, 0n);
  let sumW = finite.reduce((s, i) => s.plus(equity[i]!), ZERO);
  let mu: Decimal;
  for (;;) {
    mu = new Decimal((sumLots - rest).toString()).div(sumW);
    const muF = mu.toNumber();
    const stay: number[] = [];
    for (const i of touched) {
      const r = ratio[i]!;
      const above = Math.abs(r - muF) > 1e-12 * r ? r > muF : mu.times(equity[i]!).lt(held[i]!.toString());
      if (above) stay.push(i);
      else {
        sumLots -= held[i]!;
        sumW = sumW.minus(equity[i]!);
      }
    }
    if (stay.length === touched.length) break;
    touched = stay;
  }
  // Shares Q_i - mu*W_i, estimated in doubles (error below Q_i*1e-15: mu*W_i <= Q_i) and exact where unsure.
  const muF = mu.toNumber();
  const estimate = new Float64Array(n);
  const magnitude = new Float64Array(n);
  const inT = new Uint8Array(n);
  for (const i of unbounded) {
    estimate[i] = Number(held[i]!);
    magnitude[i] = 1e300; // whole positions: the exact path
  }
  for (const i of touched) {
    inT[i] = 1;
    magnitude[i] = Number(held[i]!);
    estimate[i] = magnitude[i]! - muF * equity[i]!.toNumber();
  }
  const m = mu;
  const exact = (i: number): Decimal => (inT[i] ? new Decimal(held[i]!.toString()).minus(m.times(equity[i]!)) : new Decimal(held[i]!.toString()));
  const lots = allocateLots(splitEstimatedShares(estimate, magnitude, exact), held, requested, ids);
  const order = [...unbounded, ...byLeverage(touched)];
  return buildPlan(input, lots, order, held);
}

