/**
 * The insurance fund's share of a liquidation (domain.md section 3, steps 1-4), decided in one pure step so the
 * Durable Object can run it inside one transaction. Plain data in, result out; no I/O, no clock.
 *
 * Named steps, each with its check:
 *   1. bankruptcy price of the liquidated position (rounded in the fund's favour);
 *   2. surplus fills: every market execution at or better than BP is taken; the fund keeps the surplus, capped by the
 *      liquidation fee rate when one is given (dYdX), and the rest returns to the account;
 *   3. loss fills: taken in the order given while the fund can pay them without going below its effective floor or
 *      past its per-event cap (a fill is taken in part, in whole lots, when only part fits);
 *   4. everything not taken (loss fills the fund cannot pay, and the size no execution covered) is handed to ADL as
 *      ordered pieces; the stateless handler plans the fills and settles them with `settleAdl`.
 * Invariants checked here: credited >= 0, drawn <= capacity, balanceAfter = balanceBefore + credited - drawn,
 * taken + handed-to-ADL quantity = liquidated size.
 *
 * The decision holds parsed values (Decimals), each already on its grid: amounts rounded by fund/units.ts
 * (floorAmount), prices on the tick grid or as the request gave them, quantities lot multiples. The steps after
 * this one read them as they are; they become decimal strings only in liquidation/wire.ts.
 */
import { Decimal, ZERO, parseNonNegative, parseRate, toWire } from "../num/decimal";
import { fail, parseFields } from "../fields";
import { checkLotMultiple, parsePrice, parseSize } from "../market";
import { DomainError, type DomainIssue, type Side } from "../types";
import type { FundConfig } from "./config";
import { type FundState, drawCapacity, effectiveFloor, nextAdlActive } from "./trigger";
import { bankruptcyPrice } from "../bankruptcy-price";
import { type Sign, cappedFee, closeValue, closeValueExact, floorAmount } from "./units";
import { sideSign } from "../vocabulary";

export const MAX_EXECUTIONS = 1000;
export type { AdlPriceRule } from "../vocabulary";

export interface LiquidationInput {
  markPrice: string;
  liquidated: { accountId: string; side: Side; size: string; entryPrice: string; margin: string };
  executions: { quantity: string; price: string }[];
  liquidationFeeRate?: string;
}

export interface ExecutionDecision {
  /** Quantity the execution offered. */
  requestedQuantity: Decimal;
  /** Quantity taken (all of a surplus fill; what the fund could pay for of a loss fill). */
  quantity: Decimal;
  price: Decimal;
  /** Signed: + credited to the fund, - paid by the fund. */
  fundDelta: Decimal;
  /** Surplus above the fee cap, returned to the liquidated account. */
  returnedToAccount: Decimal;
}

/** A part of the position handed to ADL, valued at its reference price (the fill it replaces, or mark). */
export interface AdlPiece {
  source: "execution" | "remainder";
  executionIndex?: number;
  quantity: Decimal;
  referencePrice: Decimal;
}

export interface FundDecision {
  bankruptcyPrice: Decimal;
  executions: ExecutionDecision[];
  fund: { balanceBefore: Decimal; credited: Decimal; drawn: Decimal; balanceAfter: Decimal };
  /** Balance floor this event could draw down to, and the capacity it had (after its own credits). */
  effectiveFloor: Decimal;
  drawCapacity: Decimal;
  adlQuantity: Decimal;
  adlPieces: AdlPiece[];
  adlActiveBefore: boolean;
  adlActiveAfter: boolean;
}

export interface ParsedLiquidation {
  sign: Sign;
  side: Side;
  size: Decimal;
  entryPrice: Decimal;
  margin: Decimal;
  markPrice: Decimal;
  bankruptcyPrice: Decimal;
  executions: { quantity: Decimal; price: Decimal }[];
  feeRate: Decimal | null;
}

/** Validates a liquidation against the market; reports every bad field at once. */
export function parseLiquidation(config: FundConfig, input: LiquidationInput): ParsedLiquidation {
  const m = config.market;
  if (input.executions.length > MAX_EXECUTIONS) fail("/executions", "too_many_executions", `at most ${MAX_EXECUTIONS} executions`);
  const f = parseFields({
    markPrice: () => parsePrice(m, input.markPrice, "/markPrice"),
    size: () => parseSize(m, input.liquidated.size, "/liquidated/size"),
    entryPrice: () => parsePrice(m, input.liquidated.entryPrice, "/liquidated/entryPrice"),
    margin: () => parseNonNegative(input.liquidated.margin, "/liquidated/margin"),
    feeRate: () => (input.liquidationFeeRate === undefined ? null : parseRate(input.liquidationFeeRate, "/liquidationFeeRate")),
    executions: () => {
      const issues: DomainIssue[] = [];
      const out = input.executions.map((e, i) => {
        try {
          return parseFields({
            quantity: () => parseSize(m, e.quantity, `/executions/${i}/quantity`),
            price: () => parsePrice(m, e.price, `/executions/${i}/price`),
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          issues.push(...err.issues);
          return null;
        }
      });
      if (issues.length > 0) throw new DomainError(issues);
      return out as { quantity: Decimal; price: Decimal }[];
    },
  });
  const sign: Sign = sideSign(input.liquidated.side);
  const executed = f.executions.reduce((a, e) => a.plus(e.quantity), ZERO);
  if (executed.gt(f.size)) fail("/executions", "executions_exceed_size", `executions total ${toWire(executed)}, more than the position size ${toWire(f.size)}`);
  // The shared rule (domain.md section 2): BP on the tick grid rounded in the fund's favour, so closing at it never
  // needs a fund payment. Margin 0 is allowed here (bankrupt at entry); the position parser insists on > 0.
  const position = { pointer: "/liquidated", accountId: input.liquidated.accountId, side: input.liquidated.side, sign, size: f.size, entryPrice: f.entryPrice, margin: f.margin, accountValue: null, qk: f.size.times(m.contractSize) };
  const bp = bankruptcyPrice(m, position);
  return { sign, side: input.liquidated.side, ...f, bankruptcyPrice: bp };
}

/**
 * The largest whole number of lots, at most `maxQty`, whose rounded loss at `x` fits in `capacity`, exactly.
 * Why not capacity / (rounded loss of one lot): rounding one lot's loss up to the amount grid before dividing
 * overstates the loss of n lots n-fold (0.0001 rounded to 0.01 pays for 100x fewer lots than fit), and the fund
 * would hand to ADL a loss it could have paid. Instead: the loss of n lots is ceil_grid(n * e), e the exact loss
 * of one lot (> 0 for a loss fill), non-decreasing in n; and ceil_grid(v) <= C exactly when v <= floor_grid(C).
 * So n = floor(floor_grid(C) / e), capped at maxQty. The quotient is exact or off by < 1e-150 relative (an
 * inverse market's e need not terminate), so the two checks below move it by at most one lot either way, and
 * they compare the very rounded amount the ledger books.
 */
export function lotsThatFit(config: FundConfig, liq: ParsedLiquidation, x: Decimal, maxQty: Decimal, capacity: Decimal): Decimal {
  const m = config.market;
  const dp = config.amountDecimals;
  const lossOf = (lots: Decimal) => closeValue(m, liq.sign, liq.bankruptcyPrice, lots.times(m.lotSize), x, dp).neg();
  const maxLots = maxQty.div(m.lotSize).floor();
  if (lossOf(maxLots).lte(capacity)) return maxLots.times(m.lotSize);
  const perLot = closeValueExact(m, liq.sign, liq.bankruptcyPrice, m.lotSize, x).neg();
  let lots = Decimal.max(ZERO, Decimal.min(maxLots, floorAmount(capacity, dp).div(perLot).floor()));
  while (lots.gt(0) && lossOf(lots).gt(capacity)) lots = lots.minus(1);
  while (lots.lt(maxLots) && lossOf(lots.plus(1)).lte(capacity)) lots = lots.plus(1);
  return lots.times(m.lotSize);
}

/**
 * Decides the fund's part of one liquidation against the fund's state at this instant (steps 2-4 above).
 * `state.peakBalance` is the peak within the rule's window before this event.
 */
export function decideWaterfall(config: FundConfig, state: FundState, liq: ParsedLiquidation): FundDecision {
  const m = config.market;
  const dp = config.amountDecimals;
  const { sign, bankruptcyPrice: bp } = liq;
  const values = liq.executions.map((e) => closeValue(m, sign, bp, e.quantity, e.price, dp));

  // Step 2: surplus fills, always taken.
  const decisions: ExecutionDecision[] = [];
  let credited = ZERO;
  liq.executions.forEach((e, i) => {
    const v = values[i]!;
    if (v.isNeg()) return;
    const fee = cappedFee(m, e.quantity, e.price, v, liq.feeRate, dp);
    credited = credited.plus(fee);
    decisions[i] = { requestedQuantity: e.quantity, quantity: e.quantity, price: e.price, fundDelta: fee, returnedToAccount: v.minus(fee) };
  });

  // Step 3: loss fills while the fund can pay.
  const afterCredit = state.balance.plus(credited);
  const peak = Decimal.max(state.peakBalance, afterCredit);
  const capacity = drawCapacity(config, afterCredit, peak, state.adlActive);
  let drawn = ZERO;
  const pieces: AdlPiece[] = [];
  liq.executions.forEach((e, i) => {
    const v = values[i]!;
    if (!v.isNeg()) return;
    const room = capacity.minus(drawn);
    const taken = v.neg().lte(room) ? e.quantity : lotsThatFit(config, liq, e.price, e.quantity, room);
    const paid = taken.eq(e.quantity) ? v.neg() : closeValue(m, sign, bp, taken, e.price, dp).neg();
    drawn = drawn.plus(paid);
    decisions[i] = { requestedQuantity: e.quantity, quantity: taken, price: e.price, fundDelta: paid.neg(), returnedToAccount: ZERO };
    const left = e.quantity.minus(taken);
    if (left.gt(0)) pieces.push({ source: "execution", executionIndex: i, quantity: left, referencePrice: e.price });
  });

  // Step 4: the size no execution covered goes to ADL, valued at mark.
  const executed = liq.executions.reduce((a, e) => a.plus(e.quantity), ZERO);
  const remainder = liq.size.minus(executed);
  if (remainder.gt(0)) pieces.push({ source: "remainder", quantity: remainder, referencePrice: liq.markPrice });
  const adlQuantity = pieces.reduce((a, p) => a.plus(p.quantity), ZERO);

  const balanceAfter = afterCredit.minus(drawn);
  if (credited.isNeg() || drawn.gt(capacity) || balanceAfter.lt(0)) throw new Error("waterfall invariant broken");
  const takenQty = decisions.reduce((a, d) => a.plus(d.quantity), ZERO);
  if (!takenQty.plus(adlQuantity).eq(liq.size)) throw new Error("waterfall quantity invariant broken");
  checkLotMultiple(m, adlQuantity.isZero() ? m.lotSize : adlQuantity, "/liquidated/size");

  return {
    bankruptcyPrice: bp,
    executions: decisions,
    fund: { balanceBefore: state.balance, credited, drawn, balanceAfter },
    effectiveFloor: effectiveFloor(config, peak),
    drawCapacity: capacity,
    adlQuantity,
    adlPieces: pieces,
    adlActiveBefore: state.adlActive,
    adlActiveAfter: nextAdlActive(config, state.adlActive, balanceAfter, Decimal.max(peak, balanceAfter)),
  };
}
