import type { AdlFills } from "../../fills";
import { type PolicyInput, lotsOf, splitRatioShares, allocateLots, buildPlan, byAccountId } from "./common";

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

export function proRata(input: PolicyInput): AdlFills {
  const { market, counterparties } = input;
  const held = counterparties.map((c) => lotsOf(market, c.size));
  const total = held.reduce((s, l) => s + l, 0n);
  const requested = lotsOf(market, input.quantity);
  const order = byAccountId(counterparties);
  if (requested >= total) return buildPlan(input, held, order, held);
  // Exact share in lots R*L_i/L, in integers: whole part and remainder over the common L.
  const lots = allocateLots(splitRatioShares(held, requested, total), held, requested, counterparties.map((c) => c.accountId));
  return buildPlan(input, lots, order, held);
}
