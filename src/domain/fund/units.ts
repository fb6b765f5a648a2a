/**
 * Fund arithmetic in the settlement asset (domain.md sections 2 and 3). Plain data in, result out; no I/O, no clock.
 *
 * Every amount that reaches the ledger is rounded once, by `floorAmount`, toward -infinity on the asset's grid:
 * a surplus is credited rounded down (the fund never books more than the fill realised) and a loss is paid rounded up
 * in magnitude (the fund never pays less than the fill lost, so no hole is left for anyone else). Each value is a
 * single division of exact products, so the only inexactness is that one rounding.
 */
import { Decimal, roundToDecimals } from "../num/decimal";
import { closePnl } from "../fills";
import type { ParsedMarket } from "../market";

import type { Sign } from "../vocabulary";

export type { Sign };

/** Rounds an amount onto the asset grid toward -infinity (see the file header for why this direction). */
export function floorAmount(x: Decimal, dp: number): Decimal {
  return roundToDecimals(x, dp, "down");
}

/**
 * Value, relative to the bankruptcy price, of closing q contracts of the liquidated position at price x: the fund
 * delta of domain.md section 3. Linear s*q*K*(x - BP); inverse s*q*K*(1/BP - 1/x) = s*q*K*(x - BP)/(BP*x).
 * Positive: surplus; negative: loss. Rounded with floorAmount.
 */
export function closeValue(market: ParsedMarket, sign: Sign, bp: Decimal, q: Decimal, x: Decimal, dp: number): Decimal {
  return floorAmount(closeValueExact(market, sign, bp, q, x), dp);
}

/**
 * The unrounded value: the close PnL (fills.ts closePnl) of q contracts entered at BP and closed at x, which is what
 * the fund gains or pays against the bankrupt position's margin.
 */
export function closeValueExact(market: ParsedMarket, sign: Sign, bp: Decimal, q: Decimal, x: Decimal): Decimal {
  return closePnl(market, sign, bp, q, x);
}

/** Notional of q contracts at x in the settlement asset: linear q*K*x (quote), inverse q*K/x (coin). */
export function notionalAt(market: ParsedMarket, q: Decimal, x: Decimal): Decimal {
  const qk = q.times(market.contractSize);
  return market.contractType === "linear" ? qk.times(x) : qk.div(x);
}

/**
 * dYdX-style liquidation fee cap: the fund keeps min(|notional| * rate, surplus) and the rest of the surplus goes back
 * to the liquidated account. The fee is rounded down: the fund never keeps more than the cap allows.
 */
export function cappedFee(market: ParsedMarket, q: Decimal, x: Decimal, surplus: Decimal, rate: Decimal | null, dp: number): Decimal {
  if (rate === null) return surplus;
  return Decimal.min(surplus, floorAmount(notionalAt(market, q, x).times(rate), dp));
}
