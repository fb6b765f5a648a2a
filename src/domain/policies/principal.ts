/**
 * Exact "did this account give more than its positive uPnL?" for the principalTouched metric.
 *
 * given and uPnL are decimal.js values; for inverse markets both contain non-terminating quotients (1/x, 1/E) rounded
 * at 160 digits along different paths, so an account that gave exactly its uPnL (e.g. an entry equal to the ADL
 * price) can compare one unit in the 160th digit above it. A comparison that clear of that noise is taken as is;
 * otherwise the exact rationals of the same formulas decide (BigInt, from the decimal strings):
 *   haircut per contract h = c*K*(P - x) (linear) or c*K*(P - x)/(x*P) (inverse)   [spec/common.ts haircutPerContract]
 *   uPnL = s*Q*K*(P - E) (linear) or s*Q*K*(P - E)/(E*P) (inverse)                 [position.ts unrealizedPnl]
 * both the one rational PnL formula (ranking/spec/methods.ts exactPnl): h is one contract entered at x, valued at mark.
 */
import type { Decimal } from "../num/decimal";
import type { ParsedMarket } from "../market";
import type { ParsedPosition } from "../position";
import { exactPnl } from "../ranking/spec/methods";
import { type Rational, add, cmp, mul, ratFromDecimal, ZERO } from "../num/rational";

/** Relative gap above which the 160-digit values decide; far above their rounding (1e-150), far below any real gap. */
const CLEAR = "1e-100";

export interface ExactFill {
  /** ADL price of the fill and the quantity closed there. */
  price: Decimal;
  quantity: string;
}


export function gaveMoreThanPositivePnl(market: ParsedMarket, pos: ParsedPosition, mark: Decimal, given: Decimal, pnl: Decimal, fills: readonly ExactFill[]): boolean {
  const floor = pnl.gt(0) ? pnl : pnl.mul(0);
  const gap = given.minus(floor);
  if (gap.abs().gt(given.abs().plus(floor.abs()).times(CLEAR))) return gap.gt(0);
  const inverse = market.contractType === "inverse";
  const P = ratFromDecimal(mark.toFixed());
  const K = ratFromDecimal(market.contractSize.toFixed());
  let g: Rational = ZERO;
  for (const f of fills) g = add(g, mul(exactPnl(inverse, pos.sign, K, ratFromDecimal(f.price.toFixed()), P), ratFromDecimal(f.quantity)));
  const p = exactPnl(inverse, pos.sign, mul(ratFromDecimal(pos.size.toFixed()), K), ratFromDecimal(pos.entryPrice.toFixed()), P);
  return cmp(g, p.n > 0n ? p : ZERO) > 0;
}
