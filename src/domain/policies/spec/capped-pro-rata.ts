import { ZERO } from "../../num/decimal";
import type { AdlFills } from "../../fills";
import { QUOTIENT_SCREEN } from "../../num/float-screens";
import { type PolicyInput, haircutPerContract, lotsWithinPnl, floorRatio, lotsOf, pnlBudgets, splitEstimatedShares, allocateLots, buildPlan, byAccountId } from "./common";

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

export function cappedProRata(input: PolicyInput): AdlFills {
  const { market, counterparties, mark, price } = input;
  const n = counterparties.length;
  const order = byAccountId(counterparties);
  const requested = lotsOf(market, input.quantity);
  const budgets = pnlBudgets(input);
  const sign = input.liquidatedSide === "long" ? -1 : 1;
  const h = haircutPerContract(market, sign, mark, price);
  const hPerLot = h.times(market.lotSize);

  // Winners and their caps in lots.
  const held = counterparties.map((c) => lotsOf(market, c.size));
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
      const clear = Math.abs(tF - l) > QUOTIENT_SCREEN * l;
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
