/**
 * One position's value, PnL and leverage (domain.md section 1), exact. Plain data in, result out; no I/O, no clock.
 *
 * Results are unrounded Decimals so that rankings compare exact values; callers put them on the wire with
 * ratioToWire / amountToWire and a named direction. Each formula is rearranged to end in one division (see
 * num/decimal.ts for why that keeps terminating results exact).
 */
import { type Decimal, signed } from "./num/decimal";
import type { ParsedMarket } from "./market";
import type { ParsedPosition } from "./parsed-position";

export { MAX_ACCOUNT_ID_LENGTH, type ParsedPosition, SIDES, parsePosition } from "./parsed-position";
export { bankruptcyPrice, bankruptcyPriceExact, hasBankruptcyPrice } from "./bankruptcy-price";
export {
  DEFAULT_LIQUIDATION_CONVENTION,
  LIQUIDATION_CONVENTIONS,
  type LiquidationConvention,
  liquidationPrice,
  liquidationPriceExact,
} from "./liquidation-price";

/** Notional at `price`: linear Q*K*P (quote), inverse Q*K/P (coin). Always > 0. */
export function notional(market: ParsedMarket, pos: ParsedPosition, price: Decimal): Decimal {
  return market.contractType === "linear" ? pos.qk.times(price) : pos.qk.div(price);
}

/**
 * The PnL formula, written once: `qk` = q*K contracts-times-size entered at `entry` (side sign s) and valued at
 * `price` x: linear s*q*K*(x - E) (quote); inverse s*q*K*(1/E - 1/x) = s*q*K*(x - E)/(E*x) (coin, one division).
 * Every Decimal PnL of the domain is this function: the unrealised PnL at mark (below), a fill's realised PnL
 * (fills.ts closePnl), the fund delta of an execution (fund/units.ts: the bankrupt position's close PnL with the
 * entry at BP) and the haircut per contract (policies/spec/common.ts: one contract entered at the ADL price, valued
 * at mark).
 */
export function pnlAt(market: ParsedMarket, sign: 1 | -1, entry: Decimal, qk: Decimal, price: Decimal): Decimal {
  const move = signed(qk.times(price.minus(entry)), sign);
  return market.contractType === "linear" ? move : move.div(entry.times(price));
}

/** Unrealised PnL at `mark`: linear s*Q*K*(P-E); inverse s*Q*K*(1/E - 1/P) = s*Q*K*(P-E)/(E*P). */
export function unrealizedPnl(market: ParsedMarket, pos: ParsedPosition, mark: Decimal): Decimal {
  return pnlAt(market, pos.sign, pos.entryPrice, pos.qk, mark);
}

/** Equity backing the position at `mark`: A when given, else M + uPnL. */
export function equityAt(market: ParsedMarket, pos: ParsedPosition, mark: Decimal): Decimal {
  return pos.accountValue ?? pos.margin.plus(unrealizedPnl(market, pos, mark));
}

/**
 * Denominator of a PnL ratio. "entry": BitMEX `pnlPct = (markValue - entryValue)/abs(entryValue)` (BitMEX ADL page),
 * i.e. uPnL over the notional at entry. "mark": Binance `uPnL/abs(notional)` (Binance ADL FAQ), the notional at mark.
 */
export const PNL_RATIO_BASES = ["entry", "mark"] as const;
export type PnlRatioBasis = (typeof PNL_RATIO_BASES)[number];

/**
 * uPnL / |notional at the basis price|. Q*K cancels, leaving one division:
 *   linear:  entry s*(P-E)/E,  mark s*(P-E)/P;
 *   inverse: entry s*(P-E)/P,  mark s*(P-E)/E   (uPnL s*QK*(P-E)/(EP) over QK/E resp. QK/P).
 */
export function pnlRatio(market: ParsedMarket, pos: ParsedPosition, mark: Decimal, basis: PnlRatioBasis = "entry"): Decimal {
  const overEntry = (market.contractType === "linear") === (basis === "entry");
  return signed(mark.minus(pos.entryPrice), pos.sign).div(overEntry ? pos.entryPrice : mark);
}

/**
 * Effective leverage at `mark`: notional / equity, where equity is A when the position carries an account value
 * (Binance `abs(notional)/(walletBalance + uPnL)`), else M + uPnL (BitMEX `abs(markValue)/(markValue - bankruptValue)`,
 * the same thing since markValue - bankruptValue = uPnL(mark) - uPnL(BP) = uPnL + M).
 *
 * Returns null when equity <= 0: the position is at or past bankruptcy, leverage is unbounded, and no finite number
 * would rank it correctly; callers decide how such positions rank (they are not solvent counterparties).
 *
 * Inverse without A is rearranged to one division: (QK/P) / (M + s*QK*(P-E)/(EP)) = QK*E / (M*E*P + s*QK*(P-E)).
 */
export function effectiveLeverage(market: ParsedMarket, pos: ParsedPosition, mark: Decimal): Decimal | null {
  if (pos.accountValue !== null) {
    if (pos.accountValue.lte(0)) return null;
    return notional(market, pos, mark).div(pos.accountValue);
  }
  const move = signed(pos.qk.times(mark.minus(pos.entryPrice)), pos.sign);
  if (market.contractType === "linear") {
    const equity = pos.margin.plus(move);
    return equity.lte(0) ? null : pos.qk.times(mark).div(equity);
  }
  const scaledEquity = pos.margin.times(pos.entryPrice).times(mark).plus(move);
  return scaledEquity.lte(0) ? null : pos.qk.times(pos.entryPrice).div(scaledEquity);
}
