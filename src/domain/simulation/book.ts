/**
 * The book a stress run starts from, prepared once for every path and policy: each position parsed once, its
 * liquidation price on the tick grid computed once (exact decimals, rounded toward earlier liquidation as the service
 * does), and the positions sorted once by it: longs by liquidation price descending (a falling mark reaches the highest
 * first), shorts ascending. Prices inside the loop are whole numbers of ticks (exact in float64 below 2^53, which the
 * request parser enforces), so crossing tests are integer comparisons.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal } from "../decimal";
import type { FundConfig } from "../fund/config";
import { type LiquidationConvention, liquidationPrice } from "../liquidation-price";
import { type ParsedPosition, hasBankruptcyPrice, parsePosition } from "../position";
import type { Market, PositionInput } from "../types";

export interface PreparedBook {
  config: FundConfig;
  /** The market as the wire (and prepareBatch) takes it. */
  market: Market;
  tick: Decimal;
  positions: readonly PositionInput[];
  parsed: readonly ParsedPosition[];
  /** Liquidation price in ticks; NaN when the position has none (it is never liquidated, only deleveraged). */
  lpTicks: Float64Array;
  /** Sizes as floats (contracts), for the impact models only. */
  sizeContracts: Float64Array;
  /** Longs with a liquidation price, highest first; ties by accountId. */
  longOrder: Int32Array;
  /** Shorts with a liquidation price, lowest first; ties by accountId. */
  shortOrder: Int32Array;
  mmr: Decimal;
  convention: LiquidationConvention;
  indexOf: ReadonlyMap<string, number>;
}

export function toTicks(price: Decimal, tick: Decimal): number {
  return price.div(tick).toNumber();
}

/** Ticks to a wire price (exact: an integer times the tick). */
export function ticksToWire(ticks: number, tick: Decimal): string {
  return tick.times(ticks).toFixed();
}

/** Liquidation price in ticks of a position as it stands, or NaN when it has none or no bankruptcy price. */
export function liquidationTicks(book: Pick<PreparedBook, "config" | "tick" | "mmr" | "convention">, pos: ParsedPosition): number {
  if (!hasBankruptcyPrice(book.config.market, pos)) return NaN;
  const lp = liquidationPrice(book.config.market, pos, book.mmr, book.convention);
  return lp === null ? NaN : toTicks(lp, book.tick);
}

export function prepareBook(config: FundConfig, market: Market, positions: readonly PositionInput[], mmr: Decimal, convention: LiquidationConvention): PreparedBook {
  const tick = config.market.tickSize;
  const parsed = positions.map((p, i) => parsePosition(p, config.market, `/positions/${i}`));
  const n = positions.length;
  const lpTicks = new Float64Array(n);
  const sizeContracts = new Float64Array(n);
  const longs: number[] = [];
  const shorts: number[] = [];
  const base = { config, tick, mmr, convention };
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = parsed[i]!;
    indexOf.set(p.accountId, i);
    lpTicks[i] = liquidationTicks(base, p);
    sizeContracts[i] = p.size.toNumber();
    if (Number.isNaN(lpTicks[i]!)) continue;
    (p.side === "long" ? longs : shorts).push(i);
  }
  const byId = (a: number, b: number) => (positions[a]!.accountId < positions[b]!.accountId ? -1 : positions[a]!.accountId > positions[b]!.accountId ? 1 : 0);
  longs.sort((a, b) => lpTicks[b]! - lpTicks[a]! || byId(a, b));
  shorts.sort((a, b) => lpTicks[a]! - lpTicks[b]! || byId(a, b));
  return { config, market, tick, positions, parsed, lpTicks, sizeContracts, longOrder: Int32Array.from(longs), shortOrder: Int32Array.from(shorts), mmr, convention, indexOf };
}
