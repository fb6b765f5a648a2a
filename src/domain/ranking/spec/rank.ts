/**
 * The ADL rankings, the specification (domain.md section 4): each side's queue, rank 1 first to be closed, and for
 * every position the score, PnL ratio, effective leverage and bankruptcy price the rankings report, with the
 * indicator of its place in the queue. Exact arithmetic only: scores, ratios and leverage are BigInt rationals
 * (methods.ts), the bankruptcy price is bankruptcy-price.ts (Decimal), indicators are integers (indicators.ts).
 * Plain data in, result out; no I/O, no clock.
 *
 * The service computes the same from float keys with error bounds (../rank.ts rankColumns over ../fast/) and must
 * give the same queues, the same strings and the same errors: test/domain/ranking.property.test.ts. Nothing here
 * imports the service's ranking or its accelerations (dependency-cruiser: ranking-spec-stands-alone).
 */
import { reportedBankruptcyPrice } from "../../bankruptcy-price";
import { RATIO_DP, toWire } from "../../num/decimal";
import { DEFAULT_WEIGHTING, type IndicatorConvention, type IndicatorWeighting, sideIndicators } from "../../indicators";
import { lotsOf, parseMarket, parsePrice } from "../../market";
import { DomainError, type Market, type PositionInput, type Side } from "../../types";
import { type Rational, ratFromDecimal, ratToWire } from "../../num/rational";
import { batchGrid, batchIssues, positionValues, refusesNoBankruptcyPrice, requireSeed } from "./batch";
import { type ExactContext, exactMetrics, type RankingMethod } from "./methods";
import { queueOrder } from "./order";
import { randomWalkOrder } from "./random-walk";

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

/** One position of a ranked side, as the rankings report it (the wire's RankedPosition). */
export interface RankedEntry {
  accountId: string;
  size: string;
  /** null: method `random` (no score), or at or past bankruptcy at mark (minus infinity, last). */
  score: string | null;
  rank: number;
  indicator: number;
  pnlRatio: string;
  /** null: equity (or account value) <= 0 at mark, leverage undefined. */
  effectiveLeverage: string | null;
  /** null: a linear long whose margin covers every price move. */
  bankruptcyPrice: string | null;
}

export function rankExactly(req: RankingRequest): { long: RankedEntry[]; short: RankedEntry[] } {
  // 1. The market and the mark price, parsed once; `random` needs its seed.
  const market = parseMarket(req.market);
  parsePrice(market, req.markPrice, "/markPrice");
  requireSeed(req.method, req.seed);

  // 2. The batch's rules (batch.ts), every issue at once.
  const positions = req.positions;
  const values = positions.map((p, i) => positionValues(market, p, `/positions/${i}`));
  const issues = batchIssues(batchGrid(market), positions, "/positions", (i) => refusesNoBankruptcyPrice(market, values[i]!));
  if (issues.length > 0) throw new DomainError(issues);

  // 3. Each position's exact figures at mark (methods.ts).
  const ctx: ExactContext = { inverse: market.contractType === "inverse", K: ratFromDecimal(req.market.contractSize), P: ratFromDecimal(req.markPrice) };
  const metrics = positions.map((p) => exactMetrics(req.method, ctx, p));
  const queued = positions.map((p, i) => ({ accountId: p.accountId, size: ratFromDecimal(p.size), score: metrics[i]!.score }));

  // 4. Each side in its queue order, then what is reported per position.
  const weighting = req.indicatorWeighting ?? DEFAULT_WEIGHTING[req.indicator];
  const rankSide = (side: Side): RankedEntry[] => {
    const held = positions.flatMap((p, i) => (p.side === side ? [i] : []));
    const order =
      req.method === "random"
        ? // dYdX's walk from the seed, positions at or past bankruptcy (no score) after every solvent one.
          randomWalkOrder(held, (i) => positions[i]!.accountId, req.seed!, side, (i) => metrics[i]!.score === null)
        : held.sort((a, b) => queueOrder(queued[a]!, queued[b]!));
    const indicators = sideIndicators(req.indicator, order.map((i) => lotsOf(market, values[i]!.size)), weighting);
    return order.map((i, r) => {
      const m = metrics[i]!;
      const bp = reportedBankruptcyPrice(market, values[i]!);
      return {
        accountId: positions[i]!.accountId,
        size: positions[i]!.size,
        score: req.method === "random" ? null : ratio(m.score),
        rank: r + 1,
        indicator: indicators[r]!,
        pnlRatio: ratio(m.pnlRatio)!,
        effectiveLeverage: ratio(m.effectiveLeverage),
        // Already on the tick grid in the fund's favour (a long's up, a short's down): bankruptcy-price.ts.
        bankruptcyPrice: bp === null ? null : toWire(bp),
      };
    });
  };
  return { long: rankSide("long"), short: rankSide("short") };
}

/**
 * A reported ratio (score, PnL ratio, effective leverage): half-even to RATIO_DP (8) places, since a ratio moves no
 * money and so favours no party; none stays none.
 */
function ratio(x: Rational | null): string | null {
  return x === null ? null : ratToWire(x, RATIO_DP, "half-even");
}
