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
 * Sorting by Q_i/W_i (descending) the touched set is a prefix, and for a prefix of k accounts
 * mu = (sum Q - q) / sum W over it; the right k is the first whose mu is at or above the next account's Q/W.
 * Equity is taken before the ADL transfer (the haircut |P - x|*q*K against mark): it is second order next to the
 * notional removed, and including it would make the target non-linear and, for an account whose own bankruptcy
 * price lies past the ADL price, unreachable.
 * Accounts with W_i <= 0 are at or past their own bankruptcy: leverage is unbounded, so they are drained first and
 * completely; when they alone hold more than q they share it in proportion to size (they are tied at infinity).
 * Lots: shares floored, leftover lots by largest remainder (common.ts). Fills are listed most leveraged first.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ZERO } from "../decimal";
import type { FillPlan } from "../fills";
import { type PolicyInput, allocateLots, buildPlan, compareIds, equityAt, lotsOfSize, splitDecimalShares, splitRatioShares } from "./common";

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
  // Order: most leveraged first (Q/W descending; floats unless too close, then cross-multiplication), then id.
  const ratio = new Float64Array(n);
  for (const i of finite) ratio[i] = Number(held[i]!) / equity[i]!.toNumber();
  finite.sort((a, b) => {
    const ra = ratio[a]!;
    const rb = ratio[b]!;
    if (Math.abs(ra - rb) > 1e-9 * Math.max(ra, rb)) return rb - ra;
    const c = equity[a]!.times(held[b]!.toString()).cmp(equity[b]!.times(held[a]!.toString()));
    return c !== 0 ? c : compareIds(ids[a]!, ids[b]!);
  });
  unbounded.sort((a, b) => compareIds(ids[a]!, ids[b]!));
  const order = [...unbounded, ...finite];
  if (requested >= total) return buildPlan(input, held, order);

  const shares: Decimal[] = new Array(n).fill(ZERO);
  const unboundedLots = unbounded.reduce((s, i) => s + held[i]!, 0n);
  if (unboundedLots >= requested) {
    // Tied at infinite leverage: pro-rata by size among them (exact integer shares, as pro-rata.ts).
    const only = unbounded.map((i) => held[i]!);
    const split = splitRatioShares(only, requested, unboundedLots);
    const lots = allocateLots(split, only, requested, unbounded.map((i) => ids[i]!));
    const all = new Array<bigint>(n).fill(0n);
    unbounded.forEach((i, j) => (all[i] = lots[j]!));
    return buildPlan(input, all, order);
  } else {
    for (const i of unbounded) shares[i] = new Decimal(held[i]!.toString());
    const rest = requested - unboundedLots;
    let sumLots = 0n;
    let sumW = ZERO;
    let mu = ZERO;
    let k = 0;
    for (; k < finite.length; k++) {
      const i = finite[k]!;
      sumLots += held[i]!;
      sumW = sumW.plus(equity[i]!);
      mu = new Decimal((sumLots - rest).toString()).div(sumW);
      const next = finite[k + 1];
      // Stop when the next account's Q/W is at or below the level: mu*W_next >= Q_next.
      if (next === undefined || mu.times(equity[next]!).gte(held[next]!.toString())) break;
    }
    for (let j = 0; j <= k && j < finite.length; j++) {
      const i = finite[j]!;
      const s = new Decimal(held[i]!.toString()).minus(mu.times(equity[i]!));
      shares[i] = s.lt(0) ? ZERO : s;
    }
  }
  const lots = allocateLots(splitDecimalShares(shares), held, requested, ids);
  return buildPlan(input, lots, order);
}
