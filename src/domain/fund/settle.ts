/**
 * Step 5 of the waterfall (domain.md section 3): once the ADL fills are planned, account for every piece the fund
 * handed to ADL, and state the conservation identity. Plain data in, result out; no I/O, no clock.
 *
 * Every part of the liquidated position ends in exactly one place, valued against the bankruptcy price BP:
 *   - a taken execution: its value is credited to the fund (capped; the rest returned) or paid by the fund;
 *   - a piece ADL filled at price a instead of its reference r (the fill it replaces, or mark): the counterparties
 *     absorb transfer = v(a) - v(r); what is left at a, v(a), is a loss nobody covered when negative (socialised; only
 *     possible with the `mark` ADL price) or returned to the account when positive;
 *   - a piece nobody could take: its value at r, when negative, is socialised; when positive it carries no loss.
 * Hence, with every term a rounded amount and the identity exact by construction (mirrored deltas, as dYdX does):
 *   bankruptLoss = -(sum of piece values) = drawn - credited + adlTransferred + socializedLoss - returnedToAccount
 */
import { Decimal, ZERO } from "../num/decimal";
import type { ParsedMarket } from "../market";
import type { AdlPiece, FundDecision } from "./waterfall";
import { type Sign, closeValue } from "./units";

/** What ADL did with the pieces it was handed (parsed values; liquidation/liquidate.ts builds it from the plan). */
export interface AdlOutcome {
  /** Price every ADL fill is at (BP, or mark under the `mark` rule). */
  price: Decimal;
  filledQuantity: Decimal;
}

/** One ADL piece accounted for; every amount is a sum of rounded amounts (fund/units.ts closeValue), so exact. */
export interface PieceSettlement {
  source: AdlPiece["source"];
  executionIndex?: number;
  quantity: Decimal;
  referencePrice: Decimal;
  filledQuantity: Decimal;
  unfilledQuantity: Decimal;
  /** What the counterparties gave up (+) or gained (-) against the reference price. */
  transferred: Decimal;
  socializedLoss: Decimal;
  returnedToAccount: Decimal;
}

export interface Settlement {
  pieces: PieceSettlement[];
  adlTransferred: Decimal;
  socializedLoss: Decimal;
  returnedToAccount: Decimal;
  unfilledQuantity: Decimal;
  conservation: {
    bankruptLoss: Decimal;
    fundDrawn: Decimal;
    fundCredited: Decimal;
    adlTransferred: Decimal;
    socializedLoss: Decimal;
    returnedToAccount: Decimal;
  };
}

/** Settles the ADL pieces in order: the queue's fills take the first pieces first (losses before the remainder). */
export function settleAdl(market: ParsedMarket, amountDecimals: number, sign: Sign, decision: FundDecision, adl: AdlOutcome): Settlement {
  const dp = amountDecimals;
  const bp = decision.bankruptcyPrice;
  const a = adl.price;
  let fillLeft = adl.filledQuantity;
  if (fillLeft.gt(decision.adlQuantity)) throw new Error("ADL filled more than it was handed");
  let transferred = ZERO;
  let socialized = ZERO;
  let returnedAdl = ZERO;
  let pieceValues = ZERO;
  let unfilled = ZERO;
  const pieces = decision.adlPieces.map((p): PieceSettlement => {
    const q = p.quantity;
    const r = p.referencePrice;
    const filled = Decimal.min(q, fillLeft);
    fillLeft = fillLeft.minus(filled);
    const open = q.minus(filled);
    let t = ZERO;
    let soc = ZERO;
    let ret = ZERO;
    if (filled.gt(0)) {
      const vr = closeValue(market, sign, bp, filled, r, dp);
      const va = closeValue(market, sign, bp, filled, a, dp);
      t = va.minus(vr);
      if (va.isNeg()) soc = soc.plus(va.neg());
      else ret = ret.plus(va);
      pieceValues = pieceValues.plus(vr);
    }
    if (open.gt(0)) {
      const vo = Decimal.min(ZERO, closeValue(market, sign, bp, open, r, dp));
      soc = soc.plus(vo.neg());
      pieceValues = pieceValues.plus(vo);
    }
    transferred = transferred.plus(t);
    socialized = socialized.plus(soc);
    returnedAdl = returnedAdl.plus(ret);
    unfilled = unfilled.plus(open);
    return {
      source: p.source,
      ...(p.executionIndex === undefined ? {} : { executionIndex: p.executionIndex }),
      quantity: q,
      referencePrice: r,
      filledQuantity: filled,
      unfilledQuantity: open,
      transferred: t,
      socializedLoss: soc,
      returnedToAccount: ret,
    };
  });

  // Taken executions: their values are exactly the fund deltas plus what was returned above the fee cap.
  let executionValues = ZERO;
  let returnedExec = ZERO;
  for (const e of decision.executions) {
    executionValues = executionValues.plus(e.fundDelta).plus(e.returnedToAccount);
    returnedExec = returnedExec.plus(e.returnedToAccount);
  }
  const bankruptLoss = executionValues.plus(pieceValues).neg();
  const returned = returnedExec.plus(returnedAdl);
  const { drawn, credited } = decision.fund;
  const rhs = drawn.minus(credited).plus(transferred).plus(socialized).minus(returned);
  if (!rhs.eq(bankruptLoss)) throw new Error(`conservation broken: loss ${bankruptLoss.toFixed()} != ${rhs.toFixed()}`);
  return {
    pieces,
    adlTransferred: transferred,
    socializedLoss: socialized,
    returnedToAccount: returned,
    unfilledQuantity: unfilled,
    conservation: {
      bankruptLoss,
      fundDrawn: drawn,
      fundCredited: credited,
      adlTransferred: transferred,
      socializedLoss: socialized,
      returnedToAccount: returned,
    },
  };
}
