/**
 * Acceleration of steps 1, 3 and 5 of a simulated liquidation (decideFund, settleLiquidation, fundStateAfter in
 * src/domain/liquidation) for the case almost every event of a Monte Carlo path is in: the whole position closed by
 * one execution, and the fund able to take all of it (a surplus, or a loss within its draw capacity), so nothing is
 * handed to ADL. The same unit formulas the waterfall uses (closeValue, cappedFee, drawCapacity, nextAdlActive),
 * in the same order, on the same decimals; what it leaves out is only what that case does not need: the per-execution
 * records, the wire strings and their re-parsing in the settlement, and the empty ADL pieces.
 *
 * Returns null whenever the case does not hold (any part of the loss beyond the capacity, an execution that is not
 * the whole size, an invariant the waterfall would refuse): the caller then runs the liquidation module's steps.
 * Used only where no event is exported (an exported event is always the module's own decision and settlement).
 * Proven equal by test/domain/simulation-fast.property.test.ts (whole runs against the exact engine, byte for byte,
 * and every event of random runs against decideFund + settleLiquidation + fundStateAfter).
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ZERO } from "../../num/decimal";
import type { FundConfig } from "../../fund/config";
import { type FundState, drawCapacity, nextAdlActive } from "../../fund/trigger";
import { cappedFee, closeValue } from "../../fund/units";
import type { ParsedLiquidation } from "../../fund/waterfall";

export interface PaidInFull {
  /** decision.fund.credited, decision.fund.drawn (as decimals). */
  credited: Decimal;
  drawn: Decimal;
  /** settlement.returnedToAccount and settlement.conservation.bankruptLoss; adlTransferred and socializedLoss are 0. */
  returnedToAccount: Decimal;
  bankruptLoss: Decimal;
  /** fundStateAfter(state, decision). */
  state: FundState;
}

export function paidInFull(config: FundConfig, state: FundState, liq: ParsedLiquidation): PaidInFull | null {
  if (liq.executions.length !== 1) return null;
  const e = liq.executions[0]!;
  if (!e.quantity.eq(liq.size)) return null;
  const m = config.market;
  const dp = config.amountDecimals;
  // decideWaterfall step 2 (a surplus fill, always taken) or step 3 (a loss fill, taken whole only if it fits).
  const v = closeValue(m, liq.sign, liq.bankruptcyPrice, e.quantity, e.price, dp);
  let credited = ZERO;
  let drawn = ZERO;
  let returned = ZERO;
  if (!v.isNeg()) {
    credited = cappedFee(m, e.quantity, e.price, v, liq.feeRate, dp);
    returned = v.minus(credited);
  }
  const afterCredit = state.balance.plus(credited);
  const peak = Decimal.max(state.peakBalance, afterCredit);
  if (v.isNeg()) {
    const capacity = drawCapacity(config, afterCredit, peak, state.adlActive);
    if (!v.neg().lte(capacity)) return null; // part of it goes to ADL: the module's steps decide
    drawn = v.neg();
  }
  const balanceAfter = afterCredit.minus(drawn);
  if (credited.isNeg() || balanceAfter.lt(0)) return null; // the waterfall would refuse it: let it say so
  // settleAdl with no pieces: the execution's value is the whole story (fund delta + returned = v).
  const bankruptLoss = v.isZero() ? ZERO : v.neg();
  const adlActive = nextAdlActive(config, state.adlActive, balanceAfter, Decimal.max(peak, balanceAfter));
  return { credited, drawn, returnedToAccount: returned, bankruptLoss, state: { balance: balanceAfter, peakBalance: peak, adlActive } };
}
