/**
 * The one liquidation the stress lab runs per event, through the same pure code as POST /v1/markets/{id}/liquidations:
 *   1. parseLiquidation: the route's validation of the request against the market (bankruptcy price on the tick grid);
 *   2. decideWaterfall: the fund's part, exactly as the market's Durable Object decides it in its transaction;
 *   3. the ADL fills for what the fund handed over (planned by the caller: adl-book.ts, same queue order and fill walk
 *      as planAdl);
 *   4. settleAdl: transfers, socialised loss and the conservation identity (it throws if the identity breaks).
 * The fund's state evolves as the Durable Object's does: the peak is the highest balance seen (after the event's
 * credit and after its draw; a simulated run lies within one drawdown window), and adlActive is the decision's.
 * When the liquidation module of issue 11 exposes `liquidate(config, fundState, request)`, steps 1, 2 and 4 are that
 * function; this file is the only place that has to change.
 */
import { Decimal } from "../decimal";
import type { FundConfig } from "../fund/config";
import { type Settlement, settleAdl } from "../fund/settle";
import type { FundState } from "../fund/trigger";
import { type FundDecision, type LiquidationInput, type ParsedLiquidation, decideWaterfall, parseLiquidation } from "../fund/waterfall";

export interface FundDecisionStep {
  parsed: ParsedLiquidation;
  decision: FundDecision;
}

/** Steps 1 and 2: the request validated as the route validates it, and the fund's decision as the object makes it. */
export function decideFundPart(config: FundConfig, state: FundState, input: LiquidationInput): FundDecisionStep {
  const parsed = parseLiquidation(config, input);
  return { parsed, decision: decideWaterfall(config, state, parsed) };
}

/** Step 4: settlement of the ADL pieces with the planned fills (price and filled quantity). */
export function settle(config: FundConfig, step: FundDecisionStep, adlPrice: string, filledQuantity: string): Settlement {
  return settleAdl(config.market, config.amountDecimals, step.parsed.sign, step.decision, { price: adlPrice, filledQuantity });
}

/** The fund's state after a decision, as the Durable Object keeps it. */
export function nextFundState(state: FundState, decision: FundDecision): FundState {
  const afterCredit = new Decimal(decision.fund.balanceBefore).plus(decision.fund.credited);
  const after = new Decimal(decision.fund.balanceAfter);
  return { balance: after, peakBalance: Decimal.max(state.peakBalance, afterCredit, after), adlActive: decision.adlActiveAfter };
}
