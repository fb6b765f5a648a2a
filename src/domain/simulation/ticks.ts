/**
 * Prices inside the simulator are whole numbers of ticks (exact in float64 below 2^53, which the request parser
 * enforces), so crossing tests are integer comparisons. This file is the specification of the tick conversions and
 * of a position's liquidation price in ticks, in exact decimals; fast/liquidation-ticks.ts accelerates the latter and
 * is property-tested against it. Plain data in, result out; no I/O, no clock.
 */
import type { Decimal } from "../num/decimal";
import type { FundConfig } from "../fund/config";
import { type LiquidationConvention, liquidationPrice } from "../liquidation-price";
import { type ParsedPosition, bankruptcyPrice, hasBankruptcyPrice } from "../position";

export function toTicks(price: Decimal, tick: Decimal): number {
  return price.div(tick).toNumber();
}

/** Ticks to a wire price (exact: an integer times the tick). */
export function ticksToWire(ticks: number, tick: Decimal): string {
  return tick.times(ticks).toFixed();
}

export interface TickContext {
  config: FundConfig;
  tick: Decimal;
  mmr: Decimal;
  convention: LiquidationConvention;
}

/**
 * Liquidation price in ticks of a position as it stands (liquidationPrice: on the tick grid, rounded toward earlier
 * liquidation), or NaN when it has none or no bankruptcy price (it is never liquidated, only deleveraged).
 */
export function liquidationTicks(book: TickContext, pos: ParsedPosition): number {
  if (!hasBankruptcyPrice(book.config.market, pos)) return NaN;
  const lp = liquidationPrice(book.config.market, pos, book.mmr, book.convention);
  return lp === null ? NaN : toTicks(lp, book.tick);
}

/** Bankruptcy price in ticks (bankruptcyPrice: on the grid, in the fund's favour); throws as it does when there is none. */
export function bankruptcyTicks(book: TickContext, pos: ParsedPosition): number {
  return toTicks(bankruptcyPrice(book.config.market, pos), book.tick);
}
