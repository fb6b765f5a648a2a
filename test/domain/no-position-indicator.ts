/**
 * The value a venue shows for an account without a position on that side (domain.md section 4, the indicator
 * conventions): bybit 0, binance 0 (its lowest quantile; Binance has no separate value), okx 0, gate 6 ("no position
 * / in liquidation"), bitmex null (no percentile). The service never reports an account without a position, so no
 * code in src needs it: it is kept here, beside the venue-scale test, as the reference of those values.
 */
import type { IndicatorConvention } from "../../src/domain/indicators";

export function noPositionIndicator(convention: IndicatorConvention): number | null {
  switch (convention) {
    case "gate":
      return 6;
    case "bitmex":
      return null;
    default:
      return 0;
  }
}
