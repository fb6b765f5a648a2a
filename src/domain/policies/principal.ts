/**
 * Exact "did this account give more than its positive uPnL?" for the principalTouched metric.
 *
 * given and uPnL are decimal.js values; for inverse markets both contain non-terminating quotients (1/x, 1/E) rounded
 * at 160 digits along different paths, so an account that gave exactly its uPnL (e.g. an entry equal to the ADL
 * price) can compare one unit in the 160th digit above it. A comparison that clear of that noise is taken as is;
 * otherwise the exact rationals of the same formulas decide (BigInt, from the decimal strings):
 *   haircut per contract h = c*K*(P - x) (linear) or c*K*(P - x)/(x*P) (inverse)   [common.ts haircutPerContract]
 *   uPnL = s*Q*K*(P - E) (linear) or s*Q*K*(P - E)/(E*P) (inverse)                 [position.ts unrealizedPnl]
 */
import type { Decimal } from "../decimal";
import type { ParsedMarket } from "../market";
import type { ParsedPosition } from "../position";
import { type Rational, add, cmp, div, mul, ratFromDecimal, sub, ZERO } from "../ranking/rational";

/** Relative gap above which the 160-digit values decide; far above their rounding (1e-150), far below any real gap. */
const CLEAR = "1e-100";

export interface ExactFill {
  /** ADL price of the fill and the quantity closed there. */
  price: Decimal;
  quantity: string;
}

function haircutExact(market: ParsedMarket, sign: 1 | -1, mark: Rational, price: Rational): Rational {
  const K = ratFromDecimal(market.contractSize.toFixed());
  const move = mul({ n: BigInt(sign), d: 1n }, mul(K, sub(mark, price)));
  return market.contractType === "linear" ? move : div(move, mul(price, mark));
}

function pnlExact(market: ParsedMarket, pos: ParsedPosition, mark: Rational): Rational {
  const E = ratFromDecimal(pos.entryPrice.toFixed());
  const QK = mul(ratFromDecimal(pos.size.toFixed()), ratFromDecimal(market.contractSize.toFixed()));
  const move = mul({ n: BigInt(pos.sign), d: 1n }, mul(QK, sub(mark, E)));
  return market.contractType === "linear" ? move : div(move, mul(E, mark));
}

export function gaveMoreThanPositivePnl(market: ParsedMarket, pos: ParsedPosition, mark: Decimal, given: Decimal, pnl: Decimal, fills: readonly ExactFill[]): boolean {
  const floor = pnl.gt(0) ? pnl : pnl.mul(0);
  const gap = given.minus(floor);
  if (gap.abs().gt(given.abs().plus(floor.abs()).times(CLEAR))) return gap.gt(0);
  const P = ratFromDecimal(mark.toFixed());
  let g: Rational = ZERO;
  for (const f of fills) g = add(g, mul(haircutExact(market, pos.sign, P, ratFromDecimal(f.price.toFixed())), ratFromDecimal(f.quantity)));
  const p = pnlExact(market, pos, P);
  return cmp(g, p.n > 0n ? p : ZERO) > 0;
}
