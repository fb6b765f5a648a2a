/**
 * ADL queue indicators as venues publish them (domain.md section 4): quintiles of the ranked side in 20% steps,
 * mapped onto each venue's scale. Integer arithmetic only (no floats). Plain data in, result out.
 *
 * Quintile q in 1..5, 1 = the fifth of the queue closed first (rank 1 = first to be closed). Two weightings:
 *   "count":    q = floor(5 * (rank - 1) / n) + 1, the fifth of the n positions in which this one starts. Rank 1 is
 *               always q = 1, so the first in the queue always shows the venue's top value (Bybit "5 = first in
 *               queue", Binance "4 = highest risk"), even on a side of fewer than five positions.
 *   "quantity": q = ceil(5 * through / total), through = contracts at or ahead of this position, total = the side's
 *               contracts: the fifth in which the position's last contract sits.
 *
 * BitMEX's worked example ("Auto-Deleveraging Examples", bitmex.com/app/autoDeleveragingExamples): six longs ranked
 * with quantities 10, 20, 30, 10, 10, 20 show 20%, 40%, 60%, 80%, 80%, 100%. BitMEX publishes the table, not the
 * rule. Quantity weighting reproduces it exactly (cumulative 10, 30, 60, 70, 80, 100 of 100 contracts -> ceil(5x) =
 * 1, 2, 3, 4, 4, 5); no rule on counts can (ranks 4 and 5 of 6 share 80% while ranks 1, 2, 3 differ; by count
 * either ceil(5r/6) gives 100% to rank 5 or floor(5(r-1)/6)+1 gives 20% to rank 2). So BitMEX defaults to quantity
 * weighting; the other venues publish no rule beyond "20% steps of the ranked side" and default to count weighting.
 */

export const INDICATOR_CONVENTIONS = ["bybit", "binance", "okx", "gate", "bitmex"] as const;
export type IndicatorConvention = (typeof INDICATOR_CONVENTIONS)[number];

export const INDICATOR_WEIGHTINGS = ["count", "quantity"] as const;
export type IndicatorWeighting = (typeof INDICATOR_WEIGHTINGS)[number];

export const DEFAULT_WEIGHTING: Readonly<Record<IndicatorConvention, IndicatorWeighting>> = {
  bybit: "count",
  binance: "count",
  okx: "count",
  gate: "count",
  bitmex: "quantity",
};

export type Quintile = 1 | 2 | 3 | 4 | 5;

function checkPlace(t: bigint, n: bigint): void {
  if (n < 1n || t < 1n || t > n) throw new RangeError(`queue place ${t} of ${n} is out of range`);
}

/** Count weighting: floor(5 * (rank - 1) / n) + 1 for 1 <= rank <= n, exact integer arithmetic. */
export function countQuintile(rank: number | bigint, n: number | bigint): Quintile {
  const r = BigInt(rank);
  const total = BigInt(n);
  checkPlace(r, total);
  return Number((5n * (r - 1n)) / total + 1n) as Quintile;
}

/** Quantity weighting: ceil(5 * through / total) for 1 <= through <= total (whole lots), exact integer arithmetic. */
export function quantityQuintile(throughLots: bigint, totalLots: bigint): Quintile {
  checkPlace(throughLots, totalLots);
  return Number((5n * throughLots + totalLots - 1n) / totalLots) as Quintile;
}

/** BitMEX percentiles as exact literals (q/5 in floats would print 0.6000000000000001 for q = 3). */
const BITMEX_PERCENTILE = [0.2, 0.4, 0.6, 0.8, 1] as const;

/**
 * Venue scale for quintile q (1 = front of the queue):
 *   bybit   `adlRankIndicator` 1..5, 5 = first in queue        -> 6 - q
 *   binance `adlQuantile`      0..4, 4 = highest ADL risk       -> 5 - q
 *   okx     `adl`              1..5, 5 = strongest ADL          -> 6 - q
 *   gate    `adl_ranking`      1..5, 1 = highest priority       -> q
 *   bitmex  `deleveragePercentile` in (0, 1], 0.2 = first fifth -> q / 5 (as in BitMEX's example table)
 */
export function indicatorForQuintile(convention: IndicatorConvention, q: Quintile): number {
  switch (convention) {
    case "bybit":
    case "okx":
      return 6 - q;
    case "binance":
      return 5 - q;
    case "gate":
      return q;
    case "bitmex":
      return BITMEX_PERCENTILE[q - 1] as number;
  }
}

/** Count-weighted indicator of the position at `rank` (1 = first to be closed) on a side of `n` positions. */
export function indicatorFor(convention: IndicatorConvention, rank: number | bigint, n: number | bigint): number {
  return indicatorForQuintile(convention, countQuintile(rank, n));
}

/** Quantity-weighted indicator: `throughLots` = lots at or ahead of the position, `totalLots` = the side's lots. */
export function indicatorForShare(convention: IndicatorConvention, throughLots: bigint, totalLots: bigint): number {
  return indicatorForQuintile(convention, quantityQuintile(throughLots, totalLots));
}


/**
 * Indicators for a whole side given its sizes in queue order (rank 1 first), as whole lots (market.lotsOf).
 * One pass, integer arithmetic.
 */
export function sideIndicators(
  convention: IndicatorConvention,
  lotsInQueueOrder: readonly bigint[],
  weighting: IndicatorWeighting = DEFAULT_WEIGHTING[convention],
): number[] {
  const n = lotsInQueueOrder.length;
  if (weighting === "count") return lotsInQueueOrder.map((_, r) => indicatorFor(convention, r + 1, n));
  let total = 0n;
  for (const lots of lotsInQueueOrder) {
    if (lots < 1n) throw new RangeError("every queued position holds at least one lot");
    total += lots;
  }
  let through = 0n;
  return lotsInQueueOrder.map((lots) => indicatorForShare(convention, (through += lots), total));
}
