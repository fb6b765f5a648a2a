/**
 * What a partly deleveraged counterparty looks like afterwards, so the next bankrupt position of the same tick sees
 * it as the previous one left it (issue 15's convention, stated once here):
 *   - size: size - q (closed positions stay in the list with size "0" and margin "0" and are no longer counterparties);
 *   - entry price: unchanged (closing part of a position does not move its entry);
 *   - margin: shrinks in proportion to the size, M * size'/size, rounded UP onto the asset grid (amountDecimals), and
 *     never above M: a position still open never shows zero margin (the single route refuses margin 0), and the
 *     margin kept is never less than the closed share left behind;
 *   - accountValue (only when given): loses what the account gave up against mark, A' = A - (u - r), where u is the
 *     closed quantity's exact uPnL at mark and r the fill's realised PnL as reported (rounded down): the account
 *     realises r instead of holding u. Rounded DOWN onto the asset grid (an account value is never overstated).
 */
import { type Decimal, roundToDecimals, toWire } from "../num/decimal";
import { type Fill, closePnl } from "../fills";
import type { ParsedMarket } from "../market";
import { Decimal as D } from "../num/decimal";
import type { PositionInput } from "../types";
import { sideSign } from "../vocabulary";

export function afterFill(market: ParsedMarket, amountDecimals: number, mark: Decimal, p: PositionInput, fill: Fill): PositionInput {
  const size = new D(p.size);
  const q = new D(fill.quantity);
  const left = size.minus(q);
  if (left.isNeg()) throw new Error(`fill of ${p.accountId} exceeds its size`);
  let margin: string;
  if (left.isZero()) margin = "0";
  else {
    const m = new D(p.margin);
    margin = toWire(D.min(m, roundToDecimals(m.times(left).div(size), amountDecimals, "up")));
  }
  const out: PositionInput = { accountId: p.accountId, side: p.side, size: toWire(left), entryPrice: p.entryPrice, margin };
  if (p.accountValue !== undefined) {
    const sign = sideSign(p.side);
    const u = closePnl(market, sign, new D(p.entryPrice), q, mark);
    out.accountValue = toWire(roundToDecimals(new D(p.accountValue).minus(u.minus(fill.realizedPnl)), amountDecimals, "down"));
  }
  return out;
}
