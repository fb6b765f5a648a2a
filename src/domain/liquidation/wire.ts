/**
 * A liquidation's values as decimal strings: the one place where the fund decision, its ADL price and its
 * settlement (parsed values inside the domain: fund/waterfall.ts, liquidate.ts, fund/settle.ts) become wire text, for
 * the route's response (response.ts), the record the market's Durable Object stores, its webhook facts and the
 * stress lab's exported events; and the one place a stored decision is read back (decisionFromWire).
 *
 * Rounding: none here. Every amount was rounded once where it was computed (fund/units.ts floorAmount, toward
 * -infinity on the asset's grid), the bankruptcy price on the tick grid in the fund's favour (bankruptcy-price.ts),
 * the other prices are the request's, quantities are lot multiples; `toWire` only writes a value's digits (plain
 * digits, trailing fraction zeros trimmed, never "-0"). The ADL plan's fills are written by fills.ts' writer (served
 * by fast/fills.ts), whose one rounding, a fill's realised PnL down at AMOUNT_DP, is stated there. Key order is part
 * of the stored and returned bytes: keep it.
 */
import { Decimal, toWire } from "../num/decimal";
import type { PieceSettlement, Settlement } from "../fund/settle";
import type { AdlPiece, FundDecision } from "../fund/waterfall";
import type { FillPlan } from "../fills";
import { fillsToWireFast } from "../fast/fills";
import type { LiquidationOutcome } from "./liquidate";

/** `T` with every Decimal replaced by `N`. */
type Numbers<T, N> = T extends Decimal ? N : T extends readonly (infer U)[] ? Numbers<U, N>[] : T extends object ? { [K in keyof T]: Numbers<T[K], N> } : T;

/** `T` with every Decimal written as its wire string (the shape of the parsed type, on the wire). */
export type Wire<T> = Numbers<T, string>;

export type FundDecisionWire = Wire<FundDecision>;
export type SettlementWire = Wire<Settlement>;

/** The outcome's parts that leave the domain as text (the ledger entries are booked from their Decimals). */
export interface LiquidationWire {
  accountId: string;
  decision: FundDecisionWire;
  /** The ADL step: its price, the plan as /v1/adl/fills writes it (null when nothing was handed to ADL), the filled quantity. */
  adl: { price: string; plan: (FillPlan & { queueReached: number }) | null; filledQuantity: string };
  settlement: SettlementWire;
}

const pieceSource = (p: Pick<AdlPiece, "source" | "executionIndex">): Pick<AdlPiece, "source" | "executionIndex"> => ({ source: p.source, ...(p.executionIndex === undefined ? {} : { executionIndex: p.executionIndex }) });

/** Every number of a decision through `f`, both ways, in the key order the stored and returned bytes have. */
function mapDecision<A, B>(d: Numbers<FundDecision, A>, f: (x: A) => B): Numbers<FundDecision, B> {
  return {
    bankruptcyPrice: f(d.bankruptcyPrice),
    executions: d.executions.map((e) => ({ requestedQuantity: f(e.requestedQuantity), quantity: f(e.quantity), price: f(e.price), fundDelta: f(e.fundDelta), returnedToAccount: f(e.returnedToAccount) })),
    fund: { balanceBefore: f(d.fund.balanceBefore), credited: f(d.fund.credited), drawn: f(d.fund.drawn), balanceAfter: f(d.fund.balanceAfter) },
    effectiveFloor: f(d.effectiveFloor),
    drawCapacity: f(d.drawCapacity),
    adlQuantity: f(d.adlQuantity),
    adlPieces: d.adlPieces.map((p) => ({ ...pieceSource(p), quantity: f(p.quantity), referencePrice: f(p.referencePrice) })),
    adlActiveBefore: d.adlActiveBefore,
    adlActiveAfter: d.adlActiveAfter,
  };
}

export function decisionToWire(d: FundDecision): FundDecisionWire {
  return mapDecision<Decimal, string>(d, toWire);
}

/**
 * A decision as a liquidation record stored it (written by decisionToWire, so every string is a valid decimal):
 * read back for the replay of a key stored before responses were (market-fund.ts).
 */
export function decisionFromWire(w: FundDecisionWire): FundDecision {
  return mapDecision<string, Decimal>(w, (s) => new Decimal(s));
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
    adl: { price: toWire(o.adl.price), plan: o.adl.plan === null ? null : { ...fillsToWireFast(o.adl.plan), queueReached: o.adl.plan.queueReached }, filledQuantity: toWire(o.adl.filledQuantity) },
    settlement: settlementToWire(o.settlement),
  };
}
