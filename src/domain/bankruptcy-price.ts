/**
 * Bankruptcy price (domain.md section 2): the price at which M + uPnL = 0. Own algebra, matching the venues'
 * published forms: linear BP = E - s*M/(Q*K) (long E*(1-1/L), short E*(1+1/L) when M = Q*K*E/L); inverse long
 * Q*K/(Q*K/E + M), short Q*K/(Q*K/E - M) (long E*L/(L+1), Bybit's and BitMEX's published form).
 * Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, signed } from "./num/decimal";
import { fail } from "./fields";
import { type ParsedMarket, roundPriceToTick } from "./market";
import type { ParsedPosition } from "./parsed-position";

/**
 * BP as numerator/denominator, each exact, so the price is one correctly rounded division:
 *   linear:  (E*Q*K - s*M) / (Q*K)
 *   inverse: Q*K*E / (Q*K + s*M*E)     (Q*K/(Q*K/E + s*M), multiplied through by E)
 * BP exists when both are > 0: not for a linear long with M >= Q*K*E, nor an inverse short with M >= Q*K/E
 * (leverage <= 1: the margin covers every price move).
 */
function parts(market: ParsedMarket, pos: ParsedPosition): [Decimal, Decimal] {
  const sM = signed(pos.margin, pos.sign);
  if (market.contractType === "linear") return [pos.entryPrice.times(pos.qk).minus(sM), pos.qk];
  return [pos.qk.times(pos.entryPrice), pos.qk.plus(sM.times(pos.entryPrice))];
}

export function hasBankruptcyPrice(market: ParsedMarket, pos: ParsedPosition): boolean {
  const [num, den] = parts(market, pos);
  return num.gt(0) && den.gt(0);
}

function noBankruptcyPrice(pos: ParsedPosition, why: string): never {
  return fail(`${pos.pointer}/margin`, "no_bankruptcy_price", why);
}

/** Exact BP; throws `no_bankruptcy_price` (pointing at the margin) when the margin covers every price move. */
export function bankruptcyPriceExact(market: ParsedMarket, pos: ParsedPosition): Decimal {
  const [num, den] = parts(market, pos);
  if (num.lte(0) || den.lte(0)) {
    noBankruptcyPrice(pos, "the margin covers any price move (leverage <= 1), so the position cannot go bankrupt");
  }
  return num.div(den);
}

/**
 * BP on the tick grid, rounded in the insurance fund's favour: a long's BP up, a short's down.
 * Why this is safe: closing q contracts at x changes the fund by s*q*K*(x - BP) (linear) or s*q*K*(1/BP - 1/x)
 * (inverse), domain.md section 3; both are >= 0 when a long's x >= BP or a short's x <= BP. So closing at the
 * rounded BP never needs a fund payment: the bankrupt position's own margin covers its whole loss and the at most
 * one-tick remainder goes to the fund, as dYdX v4 rounds its bankruptcy price and as Bybit states ("for long
 * position, the bankruptcy price will be rounded up ... for short position ... rounded down").
 */
export function bankruptcyPrice(market: ParsedMarket, pos: ParsedPosition): Decimal {
  const rounded = onTickGrid(market, pos, bankruptcyPriceExact(market, pos));
  if (rounded.lte(0)) noBankruptcyPrice(pos, "the bankruptcy price rounds down to zero on the tick grid");
  return rounded;
}

/**
 * The same rounding without the refusals, for reports (the rankings' bankruptcyPrice column): null when the position
 * has no BP, and 0 when a short's BP rounds down to zero on the tick grid.
 */
export function reportedBankruptcyPrice(market: ParsedMarket, pos: ParsedPosition): Decimal | null {
  return hasBankruptcyPrice(market, pos) ? onTickGrid(market, pos, bankruptcyPriceExact(market, pos)) : null;
}

/** A long's BP rounded up, a short's down (see bankruptcyPrice). */
function onTickGrid(market: ParsedMarket, pos: ParsedPosition, exact: Decimal): Decimal {
  return roundPriceToTick(market, exact, pos.sign === 1 ? "up" : "down");
}
