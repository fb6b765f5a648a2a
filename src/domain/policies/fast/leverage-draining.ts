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
import { Decimal } from "../../num/decimal";
import type { ParsedMarket } from "../../market";
import type { ParsedPosition } from "../../position";
import { type Column, decimalColumn, scaledColumn } from "./column";
import { linearValues } from "./scaled";
import type { AdlFills } from "../../fills";
import { type PolicyInput, allocateLots, buildPlan, compareIds, equityAt, heldLots, lotsOf, splitEstimatedShares, splitRatioShares } from "./common";
import { QUOTIENT_ORDER_SCREEN, QUOTIENT_SCREEN } from "../../num/float-screens";

export function leverageDraining(input: PolicyInput): AdlFills {
  const { market, counterparties, mark } = input;
  const n = counterparties.length;
  const held = counterparties.map((c) => heldLots(market, c));
  // Equity of each account: exact integers on linear markets (scaled.ts), the Decimals otherwise (column.ts).
  const equity: Column = market.contractType === "linear" ? linearEquity(market, mark, counterparties, held) : decimalColumn(counterparties.map((c) => equityAt(market, c, mark)));
  const ids = counterparties.map((c) => c.accountId);
  const requested = lotsOf(market, input.quantity);
  const total = held.reduce((s, l) => s + l, 0n);

  const unbounded: number[] = [];
  const finite: number[] = [];
  for (let i = 0; i < n; i++) (equity.sign(i) <= 0 ? unbounded : finite).push(i);
  unbounded.sort((a, b) => compareIds(ids[a]!, ids[b]!));
  // Q/W in doubles: each within about 3*2^-53 relative.
  const ratio = new Float64Array(n);
  for (const i of finite) ratio[i] = Number(held[i]!) / equity.f[i]!;
  // Fill order: most leveraged first (a relative gap above 1e-15 is real, closer pairs are cross-multiplied), then id.
  const byLeverage = (xs: number[]) =>
    xs.sort((a, b) => {
      const ra = ratio[a]!;
      const rb = ratio[b]!;
      if (Math.abs(ra - rb) > QUOTIENT_ORDER_SCREEN * Math.max(ra, rb)) return rb - ra;
      const c = equity.crossCmp(a, held[b]!, b, held[a]!);
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
  let sumW = finite.reduce((s, i) => equity.add(s, i), equity.zero());
  let mu: Decimal;
  for (;;) {
    mu = new Decimal((sumLots - rest).toString()).div(equity.dec(sumW));
    const muF = mu.toNumber();
    const stay: number[] = [];
    for (const i of touched) {
      const r = ratio[i]!;
      const above = Math.abs(r - muF) > QUOTIENT_SCREEN * r ? r > muF : mu.times(equity.at(i)).lt(held[i]!.toString());
      if (above) stay.push(i);
      else {
        sumLots -= held[i]!;
        sumW = equity.sub(sumW, i);
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
    estimate[i] = magnitude[i]! - muF * equity.f[i]!;
  }
  const m = mu;
  const exact = (i: number): Decimal => (inT[i] ? new Decimal(held[i]!.toString()).minus(m.times(equity.at(i))) : new Decimal(held[i]!.toString()));
  const lots = allocateLots(splitEstimatedShares(estimate, magnitude, exact), held, requested, ids);
  const order = [...unbounded, ...byLeverage(touched)];
  return buildPlan(input, lots, order, held);
}

function linearEquity(market: ParsedMarket, mark: Decimal, counterparties: readonly ParsedPosition[], held: readonly bigint[]): Column {
  const v = linearValues(market, mark, counterparties, held, true);
  return scaledColumn(v.equity!, v.equityDp);
}
