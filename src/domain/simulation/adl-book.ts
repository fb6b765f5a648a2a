/**
 * ADL fills for a simulated liquidation, exactly as planAdl (src/domain/adl.ts) would plan them for the request the
 * simulator exports (the opposite side as it stands at that moment), without re-ranking the whole side per event:
 *
 * - queue:bitmex / binance / hyperliquid: the opposite side is ranked only when ADL is first needed at a mark (the
 *   same prepareBatch + sortQueue as the route) and the order is kept for every later event at that mark. The queue
 *   is a total order on each position's own data, so closed positions simply drop out; the one position a walk
 *   leaves partly closed is moved to its new place by binary search with the exact comparator (score, then larger
 *   size, then accountId). The mark changes, the ranking is rebuilt (scores depend on mark).
 * - queue:random: dYdX's walk starts at hash(seed) mod n, so it depends on how many positions are open: re-derived per
 *   event (a sort by accountId, no scores).
 * - pro-rata, capped-pro-rata, leverage-draining: allocate over the whole side per event, as the route does (the
 *   counterparties' parsed views are cached per position until ADL changes it).
 * The walk itself is planFills, the route's code. Plain data in, result out; no I/O, no clock.
 */
import { Decimal } from "../decimal";
import { type FillPlan, planFills } from "../fills";
import { type CompareCandidate } from "../policies/compare";
import { planAllocation } from "../policies";
import type { ParsedPosition } from "../position";
import { cmpScoreDesc, type ExactContext, exactMetrics, type RankingMethod } from "../ranking/methods";
import { prepareBatch, sideQueue } from "../ranking/rank";
import { sortQueue } from "../ranking/queue";
import { cmp, ratFromDecimal } from "../ranking/rational";
import type { Side } from "../types";
import type { OpenBook } from "./open-book";

interface KeptQueue {
  markWire: string;
  order: number[];
}

export interface AdlRequestPart {
  liquidatedIndex: number;
  liquidatedSide: Side;
  quantity: string;
  price: string;
  markWire: string;
}

export class AdlBook {
  private kept: Partial<Record<Side, KeptQueue>> = {};
  /** How many times a side was ranked (the cost the design keeps low). */
  rankings = 0;

  constructor(
    private readonly open: OpenBook,
    readonly policy: CompareCandidate,
    private readonly seed: string | undefined,
  ) {}

  /** Plans the fills and applies them to the open book (closed counterparties drop out, partial ones shrink). */
  fill(req: AdlRequestPart): FillPlan {
    const opposite: Side = req.liquidatedSide === "long" ? "short" : "long";
    const { market } = this.open.book.config;
    const plan = this.policy.startsWith("queue:") ? this.walk(req, opposite, this.policy.slice(6) as RankingMethod) : this.allocate(req, opposite);
    let partial: number | undefined;
    for (const f of plan.fills) {
      const i = this.open.book.indexOf.get(f.accountId)!;
      const remaining = new Decimal(f.remainingSize);
      if (remaining.isZero()) this.open.close(i);
      else {
        this.open.reduce(i, remaining);
        partial = i;
      }
    }
    const kept = this.kept[opposite];
    if (partial !== undefined && kept && kept.markWire === req.markWire && this.policy !== "queue:random") this.replace(kept, partial, this.policy.slice(6) as RankingMethod);
    void market;
    return plan;
  }

  private walk(req: AdlRequestPart, opposite: Side, method: RankingMethod): FillPlan {
    const { config } = this.open.book;
    let order: readonly number[];
    if (method === "random") {
      // The route's own walk (sideQueue: canonical order, seeded start, positions past bankruptcy last) on the side
      // as it stands now.
      const openIdx = this.open.openOf(opposite);
      const batch = prepareBatch(this.open.book.market, req.markWire, "random", openIdx.map((i) => this.open.input(i)), this.seed, "/counterparties");
      order = sideQueue(batch, opposite).map((k) => openIdx[k]!);
    } else {
      let kept = this.kept[opposite];
      if (!kept || kept.markWire !== req.markWire) {
        kept = { markWire: req.markWire, order: this.rank(opposite, method, req.markWire) };
        this.kept[opposite] = kept;
      }
      order = kept.order;
    }
    const open = this.open;
    function* queue(): Generator<ParsedPosition> {
      for (const i of order) if (open.dead[i] === 0) yield open.parsed(i);
    }
    return planFills({ market: config.market, liquidatedSide: req.liquidatedSide, quantity: new Decimal(req.quantity), price: new Decimal(req.price), queue: queue() });
  }

  private rank(opposite: Side, method: RankingMethod, markWire: string): number[] {
    this.rankings++;
    const openIdx = this.open.openOf(opposite);
    const batch = prepareBatch(this.open.book.market, markWire, method, openIdx.map((i) => this.open.input(i)), this.seed, "/counterparties");
    const side = opposite === "long" ? batch.keys.longs : batch.keys.shorts;
    return sortQueue(side, batch.compare, batch.keys.score, batch.keys.scoreErr).map((k) => openIdx[k]!);
  }

  /** Moves the partly closed position `i` to its place in the kept order (the exact queue order, see queue.ts). */
  private replace(kept: KeptQueue, i: number, method: RankingMethod): void {
    const at = kept.order.indexOf(i);
    if (at < 0) return;
    kept.order.splice(at, 1);
    const m = this.open.book.config.market;
    const ctx: ExactContext = { inverse: m.contractType === "inverse", K: ratFromDecimal(m.contractSize.toFixed()), P: ratFromDecimal(kept.markWire) };
    const key = (j: number) => {
      const p = this.open.input(j);
      return { score: exactMetrics(method, ctx, p).score, size: ratFromDecimal(p.size), id: p.accountId };
    };
    const me = key(i);
    const before = (j: number): boolean => {
      const o = key(j);
      const c = cmpScoreDesc(o.score, me.score) || -cmp(o.size, me.size) || (o.id < me.id ? -1 : 1);
      return c < 0;
    };
    let lo = 0;
    let hi = kept.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(kept.order[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    kept.order.splice(lo, 0, i);
  }

  private allocate(req: AdlRequestPart, opposite: Side): FillPlan {
    const { config } = this.open.book;
    const openIdx = this.open.openOf(opposite);
    // What parseCounterparties checks (one side, distinct accounts, not the bankrupt one) holds by construction of
    // the open book; the views are the same string-checked positions it builds, cached until ADL changes one.
    const counterparties = openIdx.map((i) => this.open.counterpartyView(i));
    const policy = this.policy as Exclude<CompareCandidate, `queue:${string}`>;
    return planAllocation(policy, {
      market: config.market,
      liquidatedSide: req.liquidatedSide,
      quantity: new Decimal(req.quantity),
      price: new Decimal(req.price),
      mark: new Decimal(req.markWire),
      counterparties,
    });
  }
}
