/**
 * The liquidation as one pure function, and its steps as separately callable pure functions.
 *
 * Exported API (src/domain/liquidation/):
 *   liquidate(config: FundConfig, state: FundState, request: LiquidationRequest): LiquidationOutcome     liquidate.ts
 *     = parseLiquidationRequest + liquidateParsed. Throws DomainError (pointer per bad field) on bad input, a plain
 *     Error when a step's check fails (a bug, never input).
 *   parseLiquidationRequest(config, request): ParsedLiquidationRequest                                 request.ts
 *     step 0, the one parse of a request against the market (position, executions, every counterparty).
 *   liquidateParsed(config, state, parsed): LiquidationOutcome                                          liquidate.ts
 *     steps 1-5 on a parsed request:
 *       decideFund(config, state, parsed.liquidation): FundDecision                  fund decision (fund/waterfall.ts)
 *       planLiquidationAdl(liquidation, terms, decision, opposite): AdlOutcomePlan   ADL plan (adl.ts deleverage)
 *       settleLiquidation(config, liquidation, decision, adl): Settlement            conservation (fund/settle.ts)
 *       ledgerEntriesFor(decision, accountId): LiquidationEntry[]                    entries to append, credit first
 *       fundStateAfter(state, decision): FundState                                   what the next event sees
 *   liquidationResult(outcome, { liquidationId, marketId, createdAt }, bookedEntries): LiquidationResult  response.ts
 *     the route's response body (the `Liquidation` schema), from the outcome and the entries as booked.
 *   outcomeToWire / decisionToWire / settlementToWire, decisionFromWire                                 wire.ts
 *     the one place the outcome's parsed values (Decimals) become decimal strings, and a stored decision is read.
 *   completeFromDecision(config, request, decision)                                                     liquidate.ts
 *     steps 2-3 for a decision booked before responses were stored (legacy replays).
 * ADL on a queue the caller keeps across events: planOnQueue(market, side, quantity, price, queue) and
 * prepareOpposite / deleverage in src/domain/adl.ts.
 *
 * Batches (issue 15), batch.ts: liquidateBatch(config, state, request: BatchRequest): BatchOutcome { items,
 *   counterparties (every one after the batch), totals, fundAfter }; singleRequest(request, i, counterparties) is the
 *   single request item i equals; afterFill (remaining.ts) the partly-deleveraged-counterparty convention;
 *   SideQueue (side-queue.ts) a side's queue kept across events (pop / pushChanged).
 *
 * Types: LiquidationRequest (the wire body: markPrice, liquidated, executions, counterparties?, method?, policy?,
 * priceRule?, liquidationFeeRate?, seed?), FundState (fund/trigger.ts: balance, peakBalance, adlActive as Decimals),
 * LiquidationOutcome { accountId, decision, adl: { price, plan, filledQuantity }, settlement, entries, fundAfter },
 * every amount a Decimal (FundDecisionWire, SettlementWire: the same shapes as strings).
 */
export { type AdlTerms, type LiquidationRequest, type ParsedLiquidationRequest, adlTerms, parseLiquidationRequest } from "./request";
export {
  type AdlOutcomePlan,
  type Deleverager,
  type LedgerEntryKind,
  type LiquidationEntry,
  type LiquidationOutcome,
  completeFromDecision,
  decideFund,
  fundStateAfter,
  ledgerEntriesFor,
  liquidate,
  liquidateParsed,
  planLiquidationAdl,
  settleLiquidation,
} from "./liquidate";
export { type LiquidationResult, liquidationResult } from "./response";
export { type FundDecisionWire, type LiquidationWire, type SettlementWire, type Wire, decisionFromWire, decisionToWire, outcomeToWire, settlementToWire } from "./wire";
export {
  type BatchItem,
  type BatchOutcome,
  type BatchRequest,
  type BatchTotals,
  MAX_BATCH_COUNTERPARTIES,
  MAX_BATCH_EXECUTIONS,
  MAX_BATCH_LIQUIDATIONS,
  MAX_BATCH_PAIRS,
  MAX_BATCH_REPLANNED_PAIRS,
  batchResponseJson,
  batchTailJson,
  canonicalPosition,
  liquidateBatch,
  singleRequest,
} from "./batch";
export { afterFill } from "./remaining";
export { SideQueue } from "./side-queue";
