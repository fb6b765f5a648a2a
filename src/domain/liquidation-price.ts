/**
 * Liquidation price (isolated, maintenance margin rate m): the price at which M + uPnL = MM. Venues measure MM in
 * two ways (domain.md section 2), offered by name:
 *
 *   "entry": MM = m * notional at entry (Bybit USDT: MM = m*Q*K*E; Bybit inverse isolated: MM = Position Value x MMR
 *            with Position Value = Q/E). Linear LP = E - s*(M - MM)/(Q*K); inverse LP = Q*K/(Q*K/E + s*(M - MM)).
 *   "mark":  MM = m * notional at the liquidation price itself (Binance; Gate's published formulas
 *            (E -/+ M/(K*Q)) / (1 -/+ m) and Q*E*(1 +/- m)/(Q +/- M*E)). Linear: M + s*Q*K*(LP-E) = m*Q*K*LP gives
 *            LP = (E - s*M/(Q*K)) / (1 - s*m) = BP/(1 - s*m). Inverse: M + s*Q*K*(1/E - 1/LP) = m*Q*K/LP gives
 *            M + s*Q*K/E = (s + m)*Q*K/LP, so LP = (1 + s*m)*Q*K*E/(Q*K + s*M*E) = BP*(1 + s*m).
 *
 * Default "entry": it is the rule of the worked example domain.md cites (Bybit: 1 BTC at 20,000, 50x, MMR 0.5% gives
 * 19,700), and with m = 0 both rules give the bankruptcy price. Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, ONE, signed } from "./num/decimal";
import { type ParsedMarket, roundPriceToTick } from "./market";
import type { ParsedPosition } from "./parsed-position";
import { DEFAULT_LIQUIDATION_CONVENTION, type LiquidationConvention } from "./vocabulary";

export { DEFAULT_LIQUIDATION_CONVENTION, LIQUIDATION_CONVENTIONS, type LiquidationConvention } from "./vocabulary";

/** Numerator and denominator, each exact (one final division). */
function parts(market: ParsedMarket, pos: ParsedPosition, mmr: Decimal, convention: LiquidationConvention) {
  const { qk, entryPrice: e, margin: m, sign: s } = pos;
  if (market.contractType === "linear") {
    if (convention === "entry") {
      // (E*QK - s*(M - m*QK*E)) / QK
      return [e.times(qk).minus(signed(m.minus(mmr.times(qk).times(e)), s)), qk] as const;
    }
    // (E*QK - s*M) / (QK*(1 - s*m))
    return [e.times(qk).minus(signed(m, s)), qk.times(ONE.minus(signed(mmr, s)))] as const;
  }
  if (convention === "entry") {
    // QK*E / (QK + s*(M*E - m*QK))
    return [qk.times(e), qk.plus(signed(m.times(e).minus(mmr.times(qk)), s))] as const;
  }
  // (1 + s*m)*QK*E / (QK + s*M*E)
  return [ONE.plus(signed(mmr, s)).times(qk).times(e), qk.plus(signed(m.times(e), s))] as const;
}

/**
 * Exact liquidation price, or null when there is none: the margin above maintenance covers every price move (a
 * linear long whose LP would be <= 0; an inverse short whose denominator is <= 0). `mmr` is in [0, 1) (parseRate).
 * When M < MM the formula puts LP on the wrong side of entry: the position is liquidatable already; that value is
 * returned as is, since it is what the rule says.
 */
export function liquidationPriceExact(
  market: ParsedMarket,
  pos: ParsedPosition,
  mmr: Decimal,
  convention: LiquidationConvention = DEFAULT_LIQUIDATION_CONVENTION,
): Decimal | null {
  const [num, den] = parts(market, pos, mmr, convention);
  return num.lte(0) || den.lte(0) ? null : num.div(den);
}

/**
 * Liquidation price on the tick grid, rounded toward the side that liquidates earlier: a long's up, a short's down.
 * Safe because the trigger then fires at or before the exact point where equity reaches maintenance margin, never
 * after it. A short's LP that would round down to zero is reported as none (null).
 */
export function liquidationPrice(
  market: ParsedMarket,
  pos: ParsedPosition,
  mmr: Decimal,
  convention: LiquidationConvention = DEFAULT_LIQUIDATION_CONVENTION,
): Decimal | null {
  const exact = liquidationPriceExact(market, pos, mmr, convention);
  if (exact === null) return null;
  const rounded = roundPriceToTick(market, exact, pos.sign === 1 ? "up" : "down");
  return rounded.gt(0) ? rounded : null;
}
