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
 * Water-filling: sort winners by the level t at which they saturate (cap_i / PnL_i), then raise t until the
 * unsaturated winners' shares plus the saturated caps reach q. Lots: each share is floored and the leftover lots go
 * by largest remainder, never past a cap (common.ts allocateLots). Rounding: caps in lots are floored, so rounding
 * can only keep a haircut inside the PnL, never push it past.
 * Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, ZERO } from "../decimal";
import type { FillPlan } from "../fills";
import { type PolicyInput, allocateLots, buildPlan, byAccountId, compareIds, floorRatio, haircutPerContract, lotsOfSize, lotsWithinPnl, pnlBudgets, splitDecimalShares } from "./common";

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
  const caps = new Array<bigint>(n).fill(0n);
  const winners: number[] = [];
  let capTotal = 0n;
  for (let i = 0; i < n; i++) {
    const w = budgets[i]!;
    if (w.lte(0)) continue;
    let cap = lotsOfSize(market, counterparties[i]!.size);
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
  if (capTotal <= requested) return buildPlan(input, caps, order);

  // Saturation levels cap_i / w_i, ascending (floats order them unless too close, then cross-multiplication).
  const level = new Float64Array(n);
  for (const i of winners) level[i] = Number(caps[i]!) / budgets[i]!.toNumber();
  winners.sort((a, b) => {
    const la = level[a]!;
    const lb = level[b]!;
    if (Math.abs(la - lb) > 1e-9 * Math.max(la, lb)) return la - lb;
    const c = budgets[b]!.times(caps[a]!.toString()).cmp(budgets[a]!.times(caps[b]!.toString()));
    return c !== 0 ? c : compareIds(counterparties[a]!.accountId, counterparties[b]!.accountId);
  });
  let weight = winners.reduce((s, i) => s.plus(budgets[i]!), ZERO);
  let saturatedLots = 0n;
  let k = 0;
  // t = (R - saturated) / remaining weight; winner k saturates when t * w_k >= cap_k.
  for (; k < winners.length; k++) {
    const i = winners[k]!;
    const rest = requested - saturatedLots;
    if (budgets[i]!.times(rest.toString()).lt(weight.times(caps[i]!.toString()))) break;
    saturatedLots += caps[i]!;
    weight = weight.minus(budgets[i]!);
  }
  // One division for the level t = (R - saturated) / remaining weight, then a product per winner.
  const shares: Decimal[] = new Array(n).fill(ZERO);
  const t = weight.gt(0) ? ZERO.plus((requested - saturatedLots).toString()).div(weight) : null;
  for (let j = 0; j < winners.length; j++) {
    const i = winners[j]!;
    shares[i] = j < k || t === null ? ZERO.plus(caps[i]!.toString()) : budgets[i]!.times(t);
  }
  const lots = allocateLots(splitDecimalShares(shares), caps, requested, counterparties.map((c) => c.accountId));
  return buildPlan(input, lots, order);
}
