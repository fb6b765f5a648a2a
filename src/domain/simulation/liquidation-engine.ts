/**
 * The one liquidation the stress lab runs per event, through the liquidation module's own steps
 * (src/domain/liquidation, the code POST /v1/markets/{id}/liquidations runs inside the market's Durable Object):
 *   0. parseLiquidationRequest: the request against the market (the counterparties are not re-parsed per event:
 *      the simulator keeps the opposite side itself, adl-book.ts, and plans on it with the route's queue order and
 *      fill walk; a property test checks those fills equal planAdl's on the exported request);
 *   1. decideFund: the fund's part, exactly as the object decides it;
 *   3. settleLiquidation: transfers, socialised loss and the conservation identity (it throws if the identity breaks);
 *   5. fundStateAfter: the fund as the next event sees it.
 * Step 2 (the ADL plan) is the caller's, on its kept queue; step 4 (ledger entries) books nothing in a simulation.
 */
import type { Decimal } from "../num/decimal";
import type { AdlFills } from "../fills";
import type { FundConfig } from "../fund/config";
import type { Settlement } from "../fund/settle";
import type { FundState } from "../fund/trigger";
import type { FundDecision, ParsedLiquidation } from "../fund/waterfall";
import { type LiquidationRequest, decideFund, fundStateAfter, parseLiquidationRequest, settleLiquidation } from "../liquidation";

export interface FundDecisionStep {
  parsed: ParsedLiquidation;
  decision: FundDecision;
}

/** Steps 0 and 1: the request validated as the route validates it, and the fund's decision as the object makes it. */
export function decideFundPart(config: FundConfig, state: FundState, request: LiquidationRequest): FundDecisionStep {
  const { counterparties: _kept, ...withoutSide } = request;
  const parsed = parseLiquidationRequest(config, withoutSide).liquidation;
  return { parsed, decision: decideFund(config, state, parsed) };
}

/**
 * Step 1 on a liquidation already parsed (the simulator's accelerated step 0, fast/parsed-liquidation.ts, builds the
 * value parseLiquidationRequest would return for the exported request).
 */
export function decideParsed(config: FundConfig, state: FundState, parsed: ParsedLiquidation): FundDecisionStep {
  return { parsed, decision: decideFund(config, state, parsed) };
}

/** Step 3: settlement of the ADL pieces with the planned fills (their price and filled quantity). */
export function settle(config: FundConfig, step: FundDecisionStep, adlPrice: Decimal, plan: AdlFills | null, filledQuantity: Decimal): Settlement {
  // queueReached is the route's cost statistic; settlement reads only the price and the filled quantity.
  return settleLiquidation(config, step.parsed, step.decision, { price: adlPrice, plan: plan === null ? null : { ...plan, queueReached: 0 }, filledQuantity });
}

/** Step 5: the fund's state after a decision, as the Durable Object keeps it. */
export function nextFundState(state: FundState, decision: FundDecision): FundState {
  return fundStateAfter(state, decision);
}
