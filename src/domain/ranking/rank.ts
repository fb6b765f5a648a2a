/**
 * ADL rankings as the service computes them, for batches of up to 100,000 positions: each side's queue (rank 1 =
 * first to be closed) with indicator, score, pnlRatio, effective leverage and bankruptcy price per position, as
 * columns. The specification is spec/rank.ts; this is it accelerated by the float keys of fast/ (a figure is rounded
 * from its float when the error bound decides the rounding, from the exact value otherwise), proven equal by
 * test/domain/ranking.property.test.ts. Plain data in, result out; no I/O, no clock.
 */
import { reportedBankruptcyPrice } from "../bankruptcy-price";
import { type Decimal, RATIO_DP, toWire } from "../num/decimal";
import { DEFAULT_WEIGHTING, type IndicatorConvention, type IndicatorWeighting, indicatorForQuintile, sideIndicators } from "../indicators";
import { type ParsedMarket, parseMarket, parsePrice } from "../market";
import type { Market, PositionInput, Side } from "../types";
import { decimalsOf, scaledBig } from "../num/digits";
import { BP, BP_ERR, CELLS, computeBatchKeys, LEV, LEV_ERR, PNL, PNL_ERR, SCORE, SCORE_ERR, type BatchKeys, type MarketGrid } from "./fast/batch";
import { fastGridSteps, fastRatioScaled, gridPointInBracket } from "./fast/format";
import { linearBpSteps, linearGrid } from "./fast/grid-price";
import { type ExactContext, exactMetrics, type RankingMethod } from "./spec/methods";
import type { Comparator } from "./queue";
import { queueComparator, sortQueue } from "./fast/order";
import { randomWalkOrder } from "./spec/random-walk";
import { type BatchRules, batchGrid, positionValues, requireSeed } from "./spec/batch";
import type { RankingRequest } from "./spec/rank";
import { ratFromDecimal, ratToWire, scaledToWire } from "../num/rational";

export type { RankingRequest } from "./spec/rank";

/** What the queue machinery needs, shared by rankings and fill planning. */
export interface PreparedBatch {
  method: RankingMethod;
  market: ParsedMarket;
  grid: MarketGrid;
  ctx: ExactContext;
  keys: BatchKeys;
  compare: Comparator;
  seed?: string;
}

/**
 * The ranking keys of a batch as the wire delivered it, on a market and mark the caller parsed once, refused by every
 * batch rule (spec/batch.ts). The float keys (fast/batch.ts) read decimal strings: the market's and the mark's
 * canonical wire forms (toWire), built here once per batch, so the keys do not depend on how a request wrote them
 * (the values are the same either way).
 */
export function prepareBatch(market: ParsedMarket, mark: Decimal, method: RankingMethod, positions: readonly PositionInput[], seed: string | undefined, pointerPrefix = "/positions"): PreparedBatch {
  return keyedBatch(market, mark, method, positions, seed, pointerPrefix, "all");
}

/**
 * prepareBatch for a batch already validated (spec/batch.ts BatchRules "checked": every position passed
 * parsePosition or fastPosition on this market, accounts distinct per side): the keys without reading the strings
 * against the rules again. It still refuses what only the preparation finds, as prepareBatch does, with the same
 * issues: random without a seed, an inverse short without a bankruptcy price (the keys decide it). Callers:
 * compare's queue candidates (after parseCounterparties), the stress lab (its book parsed every position).
 */
export function prepareCheckedBatch(market: ParsedMarket, mark: Decimal, method: RankingMethod, positions: readonly PositionInput[], seed: string | undefined, pointerPrefix = "/positions"): PreparedBatch {
  return keyedBatch(market, mark, method, positions, seed, pointerPrefix, "checked");
}

function keyedBatch(market: ParsedMarket, mark: Decimal, method: RankingMethod, positions: readonly PositionInput[], seed: string | undefined, pointerPrefix: string, rules: BatchRules): PreparedBatch {
  requireSeed(method, seed);
  const markPrice = toWire(mark);
  const contractSize = toWire(market.contractSize);
  const grid: MarketGrid = {
    ...batchGrid(market),
    market,
    inverse: market.contractType === "inverse",
    contractSize,
    K: Number(contractSize),
  };
  const ctx: ExactContext = { inverse: grid.inverse, K: ratFromDecimal(contractSize), P: ratFromDecimal(markPrice) };
  const keys = computeBatchKeys(method, grid, markPrice, positions, pointerPrefix, rules);
  return { method, market, grid, ctx, keys, compare: queueComparator(method, ctx, keys), seed };
}

/** The full queue of one side, as indices into the batch. */
export function sideQueue(batch: PreparedBatch, side: Side): number[] {
  const indices = side === "long" ? batch.keys.longs : batch.keys.shorts;
  if (batch.method === "random") return randomWalkOrder(indices, (i) => batch.keys.positions[i]!.accountId, batch.seed!, side, (i) => atOrPastBankruptcy(batch, i));
  return sortQueue(indices, batch.compare, batch.keys.score, batch.keys.scoreErr, batch.keys.size);
}

/**
 * Equity M + uPnL <= 0 at mark (for `random`: no account value). fast/batch.ts marks a certain case with a score of
 * -infinity and an undecided sign with an infinite bound; the exact rational decides the latter.
 */
export function atOrPastBankruptcy(batch: PreparedBatch, i: number): boolean {
  const { score, scoreErr, positions } = batch.keys;
  if (score[i] === -Infinity) return true;
  if (scoreErr[i] === 0) return false;
  return exactMetrics(batch.method, batch.ctx, positions[i]!).score === null;
}

/**
 * A column of decimal results: `scaled[r]` is the value * 10^dp as an exact integer below 2^53 when floats decided
 * it, else NaN and `text.get(r)` holds the exact wire string; no text (or null) is "none".
 */
export interface DecimalColumn {
  dp: number;
  scaled: Float64Array;
  text: Map<number, string | null>;
}

/** One side's queue as columns (index r is rank r + 1): no per-position objects, for 100k-position batches. */
export interface RankedColumns {
  n: number;
  /**
   * The whole batch in request order (both sides' columns hold the same array), and each rank's index into it: the
   * position at rank r + 1 is batch[index[r]].
   */
  batch: readonly PositionInput[];
  index: readonly number[];
  indicator: number[];
  score: DecimalColumn;
  pnlRatio: DecimalColumn;
  effectiveLeverage: DecimalColumn;
  bankruptcyPrice: DecimalColumn;
}

export function columnWire(col: DecimalColumn, r: number): string | null {
  const k = col.scaled[r]!;
  return k === k ? scaledToWire(k, col.dp) : (col.text.get(r) ?? null);
}

const column = (n: number, dp: number): DecimalColumn => ({ dp, scaled: new Float64Array(n), text: new Map() });

export function rankColumns(req: RankingRequest): { long: RankedColumns; short: RankedColumns } {
  const market = parseMarket(req.market);
  const batch = prepareBatch(market, parsePrice(market, req.markPrice, "/markPrice"), req.method, req.positions, req.seed);
  const weighting = req.indicatorWeighting ?? DEFAULT_WEIGHTING[req.indicator];
  return {
    long: describeQueue(batch, "long", sideQueue(batch, "long"), req.indicator, weighting),
    short: describeQueue(batch, "short", sideQueue(batch, "short"), req.indicator, weighting),
  };
}

/** Whole lots of each queued position (sizes are validated lot multiples), exact. */
export function lotsInOrder(batch: PreparedBatch, order: readonly number[]): bigint[] {
  const lot = batch.grid.lotSize;
  // Sizes passed the lot-multiple check, so none has more decimals than the lot.
  const dp = decimalsOf(lot);
  const lotScaled = scaledBig(lot, dp);
  return order.map((i) => scaledBig(batch.keys.positions[i]!.size, dp) / lotScaled);
}

/** One side's queue (`order`, every position on `side`) as columns. */
function describeQueue(batch: PreparedBatch, side: Side, order: readonly number[], convention: IndicatorConvention, weighting: IndicatorWeighting): RankedColumns {
  const { keys, ctx, method, grid } = batch;
  const n = order.length;
  const cols: RankedColumns = {
    n,
    batch: keys.positions,
    index: order,
    indicator: queueIndicators(convention, weighting === "count" ? null : lotsInOrder(batch, order), n),
    score: column(n, RATIO_DP),
    pnlRatio: column(n, RATIO_DP),
    effectiveLeverage: column(n, RATIO_DP),
    bankruptcyPrice: column(n, grid.tickDecimals),
  };
  const tickInt = ratFromDecimal(grid.tickSize);
  const tickScaledF = Number(tickInt.n * (10n ** BigInt(grid.tickDecimals) / tickInt.d));
  const tickF = Number(grid.tickSize);
  const linear = grid.inverse ? null : linearGrid(grid.tickSize, grid.contractSize);
  const { cells, positions } = keys;
  const scoreCol = cols.score;
  const pnlCol = cols.pnlRatio;
  const levCol = cols.effectiveLeverage;
  const bpCol = cols.bankruptcyPrice;
  // Long BP rounds up, short BP down: the fund's favour (bankruptcy-price.ts). Every position of the queue is on
  // `side`, so the loop does not read p.side (a cache miss per row: the queue visits the batch in score order).
  const bpMode = side === "long" ? "up" : "down";
  // Floats decide the printed rounding when their bounds allow (fast/format.ts); otherwise the exact rational does.
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    const o = i * CELLS;
    // Undecided floats include an equity too close to zero to sign: the exact value may then be null ("none").
    if (method === "random") setNone(scoreCol, r);
    else setRatio(scoreCol, r, cells[o + SCORE]!, cells[o + SCORE_ERR]!, method, ctx, positions, i, "score");
    setRatio(pnlCol, r, cells[o + PNL]!, cells[o + PNL_ERR]!, method, ctx, positions, i, "pnlRatio");
    setRatio(levCol, r, cells[o + LEV]!, cells[o + LEV_ERR]!, method, ctx, positions, i, "effectiveLeverage");
    const bpF = cells[o + BP]!;
    const bpErr = cells[o + BP_ERR]!;
    bpCol.scaled[r] = NaN; // no bankruptcy price (bpF NaN) stays so: NaN without text reads as null
    if (!Number.isNaN(bpF)) {
      let steps = fastGridSteps(bpF, bpErr, tickF, bpMode);
      if (steps !== steps && linear !== null) {
        // A grid point inside the bracket (often the BP itself): its exact sign against the BP decides.
        const k = gridPointInBracket(bpF, bpErr, tickF);
        if (k === k) {
          const p = positions[i]!;
          steps = linearBpSteps(linear, side, p.size, p.entryPrice, p.margin, k);
        }
      }
      const scaled = steps * tickScaledF;
      if (steps === steps && scaled < 2 ** 53) bpCol.scaled[r] = scaled;
      else {
        // The floats cannot round it: the specification does, on the position's values (the batch's checks passed).
        const exact = reportedBankruptcyPrice(batch.market, positionValues(batch.market, positions[i]!, `/positions/${i}`));
        bpCol.text.set(r, exact === null ? null : toWire(exact));
      }
    }
  }
  return cols;
}

/** "none": NaN and no text (a row without text reads as null: columnWire, the serialiser); no map entry per row. */
function setNone(col: DecimalColumn, r: number): void {
  col.scaled[r] = NaN;
}

/**
 * One ratio cell: the float's rounding when its bound decides it (fast/format.ts), else the exact rational's, else null.
 * A float of -Infinity (score) or NaN (leverage) means "none" already decided by fast/batch.ts.
 */
function setRatio(col: DecimalColumn, r: number, f: number, err: number, method: RankingMethod, ctx: ExactContext, positions: readonly PositionInput[], i: number, field: "score" | "pnlRatio" | "effectiveLeverage"): void {
  if (f === -Infinity || Number.isNaN(f)) return setNone(col, r);
  const k = fastRatioScaled(f, err, RATIO_DP);
  col.scaled[r] = k;
  if (k !== k) {
    // Only here is position i read (a cache miss a row if every row read it: the queue visits the batch in score order).
    const exact = exactMetrics(method, ctx, positions[i]!)[field];
    col.text.set(r, exact ? ratToWire(exact, RATIO_DP, "half-even") : null);
  }
}

/**
 * Indicators per queue position (rules and sources in indicators.ts). Count weighting is computed here without a
 * BigInt per position: q = floor(5(r-1)/n) + 1 is exact in doubles (5(r-1) < 2^53; a non-integer quotient is at
 * least 1/n from an integer), and tested equal to indicators.ts. Quantity weighting (BitMEX) uses indicators.ts.
 */
function queueIndicators(convention: IndicatorConvention, lots: bigint[] | null, n: number): number[] {
  if (lots) return sideIndicators(convention, lots, "quantity");
  const byQuintile = ([1, 2, 3, 4, 5] as const).map((q) => indicatorForQuintile(convention, q));
  const out = new Array<number>(n);
  for (let r = 0; r < n; r++) out[r] = byQuintile[Math.floor((5 * r) / n)]!;
  return out;
}
