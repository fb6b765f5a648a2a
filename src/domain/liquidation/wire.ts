/**
 * A liquidation's values as decimal strings: the one place where the fund decision, its ADL price and its
 * settlement (parsed values inside the domain: fund/waterfall.ts, liquidate.ts, fund/settle.ts) become wire text, for
 * the route's response (response.ts), the record the market's Durable Object stores, its webhook facts and the
 * stress lab's exported events; and the one place a stored decision is read back (decisionFromWire).
 *
 * Rounding: none here. Every amount was rounded once where it was computed (fund/units.ts floorAmount, toward
 * -infinity on the asset's grid), the bankruptcy price on the tick grid in the fund's favour (bankruptcy-price.ts),
 * the other prices are the request's, quantities are lot multiples; `toWire` only writes a value's digits (plain
 * digits, trailing fraction zeros trimmed, never "-0"). Key order is part of the stored and returned bytes: keep it.
 */
import { Decimal, toWire } from "../num/decimal";
import type { PieceSettlement, Settlement } from "../fund/settle";
import type { AdlPiece, ExecutionDecision, FundDecision } from "../fund/waterfall";
import type { LiquidationOutcome } from "./liquidate";

/** `T` with every Decimal written as its wire string (the shape of the parsed type, on the wire). */
export type Wire<T> = T extends Decimal ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type FundDecisionWire = Wire<FundDecision>;
export type SettlementWire = Wire<Settlement>;

/** The outcome's parts that leave the domain as text (the ledger entries are booked from their Decimals). */
export type LiquidationWire = Wire<Pick<LiquidationOutcome, "accountId" | "decision" | "adl" | "settlement">>;

const executionToWire = (e: ExecutionDecision): Wire<ExecutionDecision> => ({
  requestedQuantity: toWire(e.requestedQuantity),
  quantity: toWire(e.quantity),
  price: toWire(e.price),
  fundDelta: toWire(e.fundDelta),
  returnedToAccount: toWire(e.returnedToAccount),
});

const pieceSource = (p: Pick<AdlPiece, "source" | "executionIndex">): Pick<AdlPiece, "source" | "executionIndex"> => ({ source: p.source, ...(p.executionIndex === undefined ? {} : { executionIndex: p.executionIndex }) });

export function decisionToWire(d: FundDecision): FundDecisionWire {
  return {
    bankruptcyPrice: toWire(d.bankruptcyPrice),
    executions: d.executions.map(executionToWire),
    fund: { balanceBefore: toWire(d.fund.balanceBefore), credited: toWire(d.fund.credited), drawn: toWire(d.fund.drawn), balanceAfter: toWire(d.fund.balanceAfter) },
    effectiveFloor: toWire(d.effectiveFloor),
    drawCapacity: toWire(d.drawCapacity),
    adlQuantity: toWire(d.adlQuantity),
    adlPieces: d.adlPieces.map((p) => ({ ...pieceSource(p), quantity: toWire(p.quantity), referencePrice: toWire(p.referencePrice) })),
    adlActiveBefore: d.adlActiveBefore,
    adlActiveAfter: d.adlActiveAfter,
  };
}

/**
 * A decision as a liquidation record stored it (written by decisionToWire, so every string is a valid decimal):
 * read back for the replay of a key stored before responses were (market-fund.ts).
 */
export function decisionFromWire(w: FundDecisionWire): FundDecision {
  const D = (s: string) => new Decimal(s);
  return {
    bankruptcyPrice: D(w.bankruptcyPrice),
    executions: w.executions.map((e) => ({ requestedQuantity: D(e.requestedQuantity), quantity: D(e.quantity), price: D(e.price), fundDelta: D(e.fundDelta), returnedToAccount: D(e.returnedToAccount) })),
    fund: { balanceBefore: D(w.fund.balanceBefore), credited: D(w.fund.credited), drawn: D(w.fund.drawn), balanceAfter: D(w.fund.balanceAfter) },
    effectiveFloor: D(w.effectiveFloor),
    drawCapacity: D(w.drawCapacity),
    adlQuantity: D(w.adlQuantity),
    adlPieces: w.adlPieces.map((p) => ({ ...pieceSource(p), quantity: D(p.quantity), referencePrice: D(p.referencePrice) })),
    adlActiveBefore: w.adlActiveBefore,
    adlActiveAfter: w.adlActiveAfter,
  };
}

const pieceSettlementToWire = (p: PieceSettlement): Wire<PieceSettlement> => ({
  ...pieceSource(p),
  quantity: toWire(p.quantity),
  referencePrice: toWire(p.referencePrice),
  filledQuantity: toWire(p.filledQuantity),
  unfilledQuantity: toWire(p.unfilledQuantity),
  transferred: toWire(p.transferred),
  socializedLoss: toWire(p.socializedLoss),
  returnedToAccount: toWire(p.returnedToAccount),
});

export function settlementToWire(s: Settlement): SettlementWire {
  const c = s.conservation;
  return {
    pieces: s.pieces.map(pieceSettlementToWire),
    adlTransferred: toWire(s.adlTransferred),
    socializedLoss: toWire(s.socializedLoss),
    returnedToAccount: toWire(s.returnedToAccount),
    unfilledQuantity: toWire(s.unfilledQuantity),
    conservation: {
      bankruptLoss: toWire(c.bankruptLoss),
      fundDrawn: toWire(c.fundDrawn),
      fundCredited: toWire(c.fundCredited),
      adlTransferred: toWire(c.adlTransferred),
      socializedLoss: toWire(c.socializedLoss),
      returnedToAccount: toWire(c.returnedToAccount),
    },
  };
}

export function outcomeToWire(o: Pick<LiquidationOutcome, "accountId" | "decision" | "adl" | "settlement">): LiquidationWire {
  return {
    accountId: o.accountId,
    decision: decisionToWire(o.decision),
    adl: { price: toWire(o.adl.price), plan: o.adl.plan, filledQuantity: toWire(o.adl.filledQuantity) },
    settlement: settlementToWire(o.settlement),
  };
}
