/**
 * ADL rankings for a batch: each side's queue (rank 1 = first to be closed), with indicator, score, pnlRatio,
 * effective leverage and bankruptcy price per position. Plain data in, result out; no I/O, no clock.
 */
import { RATIO_DP } from "../decimal";
import { DEFAULT_WEIGHTING, type IndicatorConvention, type IndicatorWeighting } from "../indicators";
import { parseMarket, parsePrice } from "../market";
import { DomainError, type Market, type PositionInput, type Side } from "../types";
import { computeBatchKeys, decimalsOf, type BatchKeys, type MarketGrid } from "./batch";
import { bankruptcyTicks, exactBankruptcyPrice } from "./exact-prices";
import { formatOnGrid, formatRatio } from "./format";
import { type ExactContext, exactMetrics, type RankingMethod } from "./methods";
import { type Comparator, queueComparator, sortQueue } from "./queue";
import { randomWalkOrder } from "./random-walk";
import { ratFromDecimal } from "./rational";

export interface RankingRequest {
  market: Market;
  markPrice: string;
  method: RankingMethod;
  indicator: IndicatorConvention;
  /** Default per convention: bitmex weights by quantity (its published example), the others by count. */
  indicatorWeighting?: IndicatorWeighting;
  positions: readonly PositionInput[];
  /** Required for method "random": makes the walk's start deterministic. */
  seed?: string;
}

export interface RankedPosition {
  accountId: string;
  size: string;
  /** null for method "random" and for positions at or past bankruptcy at mark (they go last). */
  score: string | null;
  rank: number;
  indicator: number;
  pnlRatio: string;
  effectiveLeverage: string | null;
  /** Rounded onto the tick grid in the fund's favour; null where none exists (linear long with margin >= notional). */
  bankruptcyPrice: string | null;
}

export interface Rankings {
  long: RankedPosition[];
  short: RankedPosition[];
}

/** What the queue machinery needs, shared by rankings and fill planning. */
export interface PreparedBatch {
  method: RankingMethod;
  grid: MarketGrid;
  ctx: ExactContext;
  keys: BatchKeys;
  compare: Comparator;
  seed?: string;
}

export function prepareBatch(market: Market, markPrice: string, method: RankingMethod, positions: readonly PositionInput[], seed: string | undefined, pointerPrefix = "/positions"): PreparedBatch {
  const parsed = parseMarket(market);
  parsePrice(parsed, markPrice, "/markPrice");
  if (method === "random" && (seed === undefined || seed.length === 0)) {
    throw new DomainError([{ pointer: "/seed", code: "seed_required", message: "method \"random\" needs a seed so the walk is deterministic" }]);
  }
  const grid: MarketGrid = {
    inverse: parsed.contractType === "inverse",
    contractSize: market.contractSize,
    K: Number(market.contractSize),
    lotSize: market.lotSize,
    tickSize: parsed.tickSize.toFixed(),
    tickDecimals: parsed.tickDecimals,
  };
  const ctx: ExactContext = { inverse: grid.inverse, K: ratFromDecimal(market.contractSize), P: ratFromDecimal(markPrice) };
  const keys = computeBatchKeys(method, grid, markPrice, positions, pointerPrefix);
  return { method, grid, ctx, keys, compare: queueComparator(method, ctx, keys), seed };
}

/** The full queue of one side, as indices into the batch. */
export function sideQueue(batch: PreparedBatch, side: Side): number[] {
  const indices = side === "long" ? batch.keys.longs : batch.keys.shorts;
  if (batch.method === "random") return randomWalkOrder(indices, (i) => batch.keys.positions[i]!.accountId, batch.seed!, side);
  return sortQueue(indices, batch.compare);
}

export function rankPositions(req: RankingRequest): Rankings {
  const batch = prepareBatch(req.market, req.markPrice, req.method, req.positions, req.seed);
  const weighting = req.indicatorWeighting ?? DEFAULT_WEIGHTING[req.indicator];
  return {
    long: describeQueue(batch, sideQueue(batch, "long"), req.indicator, weighting),
    short: describeQueue(batch, sideQueue(batch, "short"), req.indicator, weighting),
  };
}

/** Whole lots of each queued position (sizes are validated lot multiples), exact. */
export function lotsInOrder(batch: PreparedBatch, order: readonly number[]): bigint[] {
  const lot = batch.grid.lotSize;
  const dp = Math.max(decimalsOf(lot), 0);
  const scale = (s: string) => {
    const d = decimalsOf(s);
    const dot = s.indexOf(".");
    const digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1, dot + 1 + d);
    return BigInt(digits) * 10n ** BigInt(dp - d);
  };
  const lotScaled = scale(lot);
  return order.map((i) => scale(batch.keys.positions[i]!.size) / lotScaled);
}

function describeQueue(batch: PreparedBatch, order: readonly number[], convention: IndicatorConvention, weighting: IndicatorWeighting): RankedPosition[] {
  const { keys, ctx, method, grid } = batch;
  const n = order.length;
  const indicators = queueIndicators(convention, weighting === "count" ? null : lotsInOrder(batch, order), n);
  const out: RankedPosition[] = new Array(n);
  const tickInt = ratFromDecimal(grid.tickSize);
  const tickScaledInt = tickInt.n * (10n ** BigInt(grid.tickDecimals) / tickInt.d);
  const tickF = Number(grid.tickSize);
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    const p = keys.positions[i]!;
    let exactCache: ReturnType<typeof exactMetrics> | undefined;
    const exact = () => (exactCache ??= exactMetrics(method, ctx, p));
    const scoreF = keys.score[i]!;
    const score = method === "random" || scoreF === -Infinity ? null : formatRatio(scoreF, keys.scoreErr[i]!, RATIO_DP, () => exact().score!);
    const levF = keys.lev[i]!;
    const effectiveLeverage = Number.isNaN(levF) ? null : formatRatio(levF, keys.levErr[i]!, RATIO_DP, () => exact().effectiveLeverage!);
    const bpF = keys.bp[i]!;
    let bankruptcyPrice: string | null = null;
    if (!Number.isNaN(bpF)) {
      // Long BP rounds up, short BP down: the fund's favour (see exact-prices.ts).
      const mode = p.side === "long" ? "up" : "down";
      const exactTicks = () => {
        const bp = exactBankruptcyPrice(ctx.inverse, ctx.K, p.side, p.size, p.entryPrice, p.margin);
        return bp === null ? -1n : bankruptcyTicks(bp, tickInt, p.side);
      };
      bankruptcyPrice = formatOnGrid(bpF, keys.bpErr[i]!, tickF, tickScaledInt, grid.tickDecimals, mode, exactTicks);
      if (bankruptcyPrice.startsWith("-")) bankruptcyPrice = null;
    }
    out[r] = {
      accountId: p.accountId,
      size: p.size,
      score,
      rank: r + 1,
      indicator: indicators[r]!,
      pnlRatio: formatRatio(keys.pnl[i]!, keys.pnlErr[i]!, RATIO_DP, () => exact().pnlRatio),
      effectiveLeverage,
      bankruptcyPrice,
    };
  }
  return out;
}

/**
 * Indicator per queue position. The share of the side at or BEHIND a position decides its fifth:
 * q = ceil(5 * behind / total), so rank 1 is always in the top fifth (q = 5) and a side of one position shows the
 * highest risk, as every venue's UI does. Count weighting: behind = n - rank + 1 of n; quantity weighting: lots at or
 * behind of the side's lots (reproduces BitMEX's example table read from the back of the queue).
 * Venue scales: bybit/okx q (5 = first), binance q - 1 (4 = highest), gate 6 - q (1 = first), bitmex q/5.
 */
function queueIndicators(convention: IndicatorConvention, lots: bigint[] | null, n: number): number[] {
  const out = new Array<number>(n);
  if (lots) {
    // Exact in BigInt: lot counts may exceed 2^53.
    let total = 0n;
    for (const l of lots) total += l;
    let behind = total;
    for (let r = 0; r < n; r++) {
      out[r] = venueScale(convention, Number((5n * behind + total - 1n) / total));
      behind -= lots[r]!;
    }
    return out;
  }
  // ceil(5k/n) in doubles is exact here: 5k < 2^53 and a non-integer quotient is at least 1/n from an integer.
  for (let r = 0; r < n; r++) out[r] = venueScale(convention, Math.ceil((5 * (n - r)) / n));
  return out;
}

function venueScale(convention: IndicatorConvention, q: number): number {
  switch (convention) {
    case "bybit":
    case "okx":
      return q;
    case "binance":
      return q - 1;
    case "gate":
      return 6 - q;
    case "bitmex":
      return [0.2, 0.4, 0.6, 0.8, 1][q - 1]!;
  }
}
