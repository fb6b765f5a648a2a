/**
 * One liquidation through the whole waterfall, as named pure steps with a check after each (the shape of
 * drift-labs/protocol-v2 `resolve_perp_bankruptcy`: compute, assert, move on). No I/O, no clock: the fund state
 * (balance, peak within the trigger window, ADL switch) is a parameter, the ledger entries are returned, not
 * written; the Durable Object appends them inside its transaction, the simulator folds them into its own state.
 *
 *   0. parse      parseLiquidationRequest: the request against the market, once (request.ts)
 *   1. fund       decideFund: surplus fills credited (fee-capped), loss fills paid while the fund can, the rest
 *                 handed to ADL as ordered pieces (fund/waterfall.ts; checks its own invariants)
 *   2. adl        planLiquidationAdl: the handed-over quantity deleveraged against the opposite side at BP or mark
 *                 (adl.ts); check: filled + unfilled = handed over, no fill beyond a counterparty's size
 *   3. settle     settleLiquidation: every piece valued against BP; check: the conservation identity (fund/settle.ts)
 *   4. ledger     ledgerEntriesFor: at most one credit and one draw; check: they move the balance exactly from
 *                 balanceBefore to balanceAfter
 *   5. state      fundStateAfter: the state the next liquidation sees
 *
 * Every step takes and returns parsed values (Decimals, and the ADL plan's whole lots: fills.ts AdlFills): nothing
 * here reads back a string another step wrote. The outcome becomes decimal strings in one place, wire.ts (the
 * response, the stored record, the webhook facts).
 */
import { Decimal, ZERO } from "../num/decimal";
import { deleverage, type PreparedOpposite } from "../adl";
import type { AdlFills } from "../fills";
import type { FundConfig } from "../fund/config";
import { type Settlement, settleAdl } from "../fund/settle";
import type { FundState } from "../fund/trigger";
import { type FundDecision, type ParsedLiquidation, decideWaterfall } from "../fund/waterfall";
import { type AdlTerms, type LiquidationRequest, type ParsedLiquidationRequest, parseLiquidationRequest } from "./request";

export type LedgerEntryKind = "liquidation_credit" | "liquidation_draw";

/** A ledger entry to append: signed amount (+ into the fund, - out of it) and the balance it leaves. */
export interface LiquidationEntry {
  kind: LedgerEntryKind;
  amount: Decimal;
  balanceAfter: Decimal;
  reference: string;
}

/** Deleverages `quantity` at `price` against the opposite side as the caller keeps it (a batch's running queues). */
export type Deleverager = (quantity: Decimal, price: Decimal, pricePointer: string) => AdlFills & { queueReached: number };

/**
 * The ADL step's result: the price every fill is at, the plan (null when nothing was handed to ADL) and the
 * quantity it filled (the plan's, as the step's check summed it; 0 without a plan).
 */
export interface AdlOutcomePlan {
  price: Decimal;
  plan: (AdlFills & { queueReached: number }) | null;
  filledQuantity: Decimal;
}

export interface LiquidationOutcome {
  accountId: string;
  decision: FundDecision;
  adl: AdlOutcomePlan;
  settlement: Settlement;
  entries: LiquidationEntry[];
  fundAfter: FundState;
}

const fail = (step: string, what: string): never => {
  throw new Error(`liquidation step ${step}: ${what}`);
};

/** Step 1: the fund's part against its state at this instant. */
export function decideFund(config: FundConfig, state: FundState, liq: ParsedLiquidation): FundDecision {
  return decideWaterfall(config, state, liq);
}

/**
 * Step 2: what the fund handed over, deleveraged at the ADL price (BP on the tick grid, or mark). With no
 * prepared opposite side (no counterparties given) nothing is filled.
 */
export function planLiquidationAdl(liq: ParsedLiquidation, terms: AdlTerms, decision: FundDecision, opposite: PreparedOpposite | Deleverager | null): AdlOutcomePlan {
  const price = terms.priceRule === "mark" ? liq.markPrice : decision.bankruptcyPrice;
  const quantity = decision.adlQuantity;
  if (quantity.isZero() || opposite === null) return { price, plan: null, filledQuantity: ZERO };
  const pricePointer = terms.priceRule === "mark" ? "/markPrice" : "/liquidated/bankruptcyPrice";
  const plan = typeof opposite === "function" ? opposite(quantity, price, pricePointer) : deleverage(opposite, quantity, price, pricePointer);
  return { price, plan, filledQuantity: checkedFill(plan, quantity) };
}

/**
 * Step 2's check, on the plan in whole lots: every fill positive and within what its counterparty held, the fills
 * adding up to the plan's filled quantity, nothing unfilled below zero, filled + unfilled = handed over. Returns the
 * filled quantity (the fills' sum).
 */
export function checkedFill(plan: AdlFills, handedOver: Decimal): Decimal {
  let lots = 0n;
  for (const f of plan.fills) {
    if (f.lots <= 0n || f.lots > f.heldLots) fail("adl", `fill of ${f.counterparty.accountId} out of range`);
    lots += f.lots;
  }
  const filled = plan.market.lotSize.times(lots.toString());
  if (!filled.eq(plan.filledQuantity) || plan.unfilledQuantity.isNeg() || !filled.plus(plan.unfilledQuantity).eq(handedOver)) fail("adl", "filled + unfilled != handed over");
  return filled;
}

/** Step 3: the accounting of every piece; settleAdl throws when the conservation identity does not hold. */
export function settleLiquidation(config: FundConfig, liq: ParsedLiquidation, decision: FundDecision, adl: AdlOutcomePlan): Settlement {
  return settleAdl(config.market, config.amountDecimals, liq.sign, decision, { price: adl.price, filledQuantity: adl.filledQuantity });
}

/** Step 4: the ledger entries the decision books, credit first (so the balance never dips below what it pays from). */
export function ledgerEntriesFor(decision: FundDecision, accountId: string): LiquidationEntry[] {
  const reference = `liquidation of ${accountId}`;
  const entries: LiquidationEntry[] = [];
  let balance = decision.fund.balanceBefore;
  const { credited, drawn } = decision.fund;
  if (credited.gt(0)) {
    balance = balance.plus(credited);
    entries.push({ kind: "liquidation_credit", amount: credited, balanceAfter: balance, reference });
  }
  if (drawn.gt(0)) {
    balance = balance.minus(drawn);
    entries.push({ kind: "liquidation_draw", amount: drawn.neg(), balanceAfter: balance, reference });
  }
  if (!balance.eq(decision.fund.balanceAfter)) fail("ledger", "entries do not move the balance to balanceAfter");
  return entries;
}

/**
 * Step 5: the fund as the next liquidation sees it. The event's highest balance is right after its credits (draws
 * only lower it), so that is what the peak can have grown to.
 */
export function fundStateAfter(state: FundState, decision: FundDecision): FundState {
  const afterCredit = state.balance.plus(decision.fund.credited);
  return { balance: decision.fund.balanceAfter, peakBalance: Decimal.max(state.peakBalance, afterCredit), adlActive: decision.adlActiveAfter };
}

/** Steps 1-5 on an already parsed request (callers that parse once and run many times). */
export function liquidateParsed(config: FundConfig, state: FundState, parsed: ParsedLiquidationRequest): LiquidationOutcome {
  const decision = decideFund(config, state, parsed.liquidation);
  const adl = planLiquidationAdl(parsed.liquidation, parsed.terms, decision, parsed.opposite);
  const settlement = settleLiquidation(config, parsed.liquidation, decision, adl);
  const entries = ledgerEntriesFor(decision, parsed.accountId);
  return { accountId: parsed.accountId, decision, adl, settlement, entries, fundAfter: fundStateAfter(state, decision) };
}

/** The whole liquidation: parse (step 0, throws DomainError on bad input), then steps 1-5. */
export function liquidate(config: FundConfig, state: FundState, request: LiquidationRequest): LiquidationOutcome {
  return liquidateParsed(config, state, parseLiquidationRequest(config, request));
}

/**
 * Steps 2-3 for a fund decision taken earlier (a liquidation booked before responses were stored keeps only its
 * decision; its replay re-derives the same fills from the same body).
 */
export function completeFromDecision(config: FundConfig, request: LiquidationRequest, decision: FundDecision): Omit<LiquidationOutcome, "entries" | "fundAfter"> {
  const parsed = parseLiquidationRequest(config, request);
  const adl = planLiquidationAdl(parsed.liquidation, parsed.terms, decision, parsed.opposite);
  return { accountId: parsed.accountId, decision, adl, settlement: settleLiquidation(config, parsed.liquidation, decision, adl) };
}
