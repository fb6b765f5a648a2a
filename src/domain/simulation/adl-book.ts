/**
 * ADL fills for a simulated liquidation, exactly as planAdl (src/domain/adl.ts) would plan them for the request the
 * simulator exports (the opposite side as it stands at that moment), without re-ranking the whole side per event:
 *
 * - queue:bitmex / binance / hyperliquid: the opposite side is ranked only when ADL is first needed at a mark (the
 *   route's keys and sortQueue, by prepareCheckedBatch: the book parsed every position and refused a second position
 *   of an account, so the batch rules are not run again; an inverse short without a bankruptcy price is still
 *   refused, as the route refuses it) and the order is kept for every later event at that mark. The queue is a total
 *   order on each position's own data, so closed positions simply drop out; the one position a walk leaves partly
 *   closed is moved to its new place by binary search with the exact comparator (score, then larger size, then
 *   accountId). The mark changes, the ranking is rebuilt (scores depend on mark).
 * - queue:random: dYdX's walk (ranking/spec/random-walk.ts) is the side in accountId order, cyclically from
 *   hash(seed|side) mod n (n = the holders open now), solvent holders first, those at or past bankruptcy at mark
 *   after them. The accountId order and each holder's solvency are kept per mark like the ranked queue (solvency from
 *   the route's screens, prepareCheckedBatch, once per mark; a partly closed holder re-decided exactly,
 *   exactMetrics); per event only the open holders are counted, the start taken mod n, and the walk is offered
 *   lazily, so an event costs the holders it fills, not a batch over the side.
 * - pro-rata, capped-pro-rata, leverage-draining: allocate over the whole side per event, as the route does (the
 *   counterparties' parsed views are cached per position until ADL changes it).
 * The walk itself is walkQueue, the route's code. Plain data in, result out; no I/O, no clock.
 */
import type { Decimal } from "../num/decimal";
import { type AdlFills, walkQueue } from "../fills";
import { type CompareCandidate } from "../policies/compare";
import { planAllocation } from "../policies";
import type { ParsedPosition } from "../position";
import { type ExactContext, exactMetrics, type RankingMethod } from "../ranking/spec/methods";
import { type Queued, compareAccountIds, queueOrder } from "../ranking/spec/order";
import { atOrPastBankruptcy, prepareCheckedBatch } from "../ranking/rank";
import { sortQueue } from "../ranking/fast/order";
import { fnv1a32 } from "../ranking/spec/random-walk";
import { ratFromDecimal } from "../num/rational";
import type { Side } from "../types";
import type { OpenBook } from "./open-book";

interface KeptQueue {
  markWire: string;
  order: number[];
}

/** queue:random's side at one mark: holders in accountId order (closed ones dropped as found) and their solvency. */
interface KeptWalk {
  markWire: string;
  canonical: number[];
  /** By book index: 1 when the holder is at or past bankruptcy at this mark. */
  insolvent: Map<number, boolean>;
}

export interface AdlRequestPart {
  liquidatedIndex: number;
  liquidatedSide: Side;
  quantity: Decimal;
  price: Decimal;
  /** The mark, and its wire string (what the kept queues are keyed by). */
  mark: Decimal;
  markWire: string;
}

export class AdlBook {
  private kept: Partial<Record<Side, KeptQueue>> = {};
  private keptWalk: Partial<Record<Side, KeptWalk>> = {};
  /** How many times a side was ranked (the cost the design keeps low). */
  rankings = 0;

  constructor(
    private readonly open: OpenBook,
    readonly policy: CompareCandidate,
    private readonly seed: string | undefined,
  ) {}

  /** Plans the fills and applies them to the open book (closed counterparties drop out, partial ones shrink). */
  fill(req: AdlRequestPart): AdlFills {
    const opposite: Side = req.liquidatedSide === "long" ? "short" : "long";
    const { market } = this.open.book.config;
    const plan = this.policy.startsWith("queue:") ? this.walk(req, opposite, this.policy.slice(6) as RankingMethod) : this.allocate(req, opposite);
    let partial: number | undefined;
    for (const f of plan.fills) {
      const i = this.open.book.indexOf.get(f.counterparty.accountId)!;
      if (f.lots === f.heldLots) this.open.close(i);
      else {
        // What stays open, in whole lots: exact.
        this.open.reduce(i, market.lotSize.times((f.heldLots - f.lots).toString()));
        partial = i;
      }
    }
    const kept = this.kept[opposite];
    if (partial !== undefined && kept && kept.markWire === req.markWire && this.policy !== "queue:random") this.replace(kept, partial, this.policy.slice(6) as RankingMethod);
    const walk = this.keptWalk[opposite];
    if (partial !== undefined && walk && walk.markWire === req.markWire) walk.insolvent.set(partial, this.insolventExact(partial, walk.markWire));
    return plan;
  }

  private walk(req: AdlRequestPart, opposite: Side, method: RankingMethod): AdlFills {
    const { config } = this.open.book;
    let order: Iterable<number>;
    if (method === "random") order = this.randomWalk(opposite, req.mark, req.markWire);
    else {
      let kept = this.kept[opposite];
      if (!kept || kept.markWire !== req.markWire) {
        kept = { markWire: req.markWire, order: this.rank(opposite, method, req.mark) };
        this.kept[opposite] = kept;
      }
      order = kept.order;
    }
    const open = this.open;
    function* queue(): Generator<ParsedPosition> {
      for (const i of order) if (open.dead[i] === 0) yield open.parsed(i);
    }
    return walkQueue({ market: config.market, liquidatedSide: req.liquidatedSide, quantity: req.quantity, price: req.price, queue: queue() });
  }

  /**
   * dYdX's walk over the side as it stands (randomWalkOrder on the route's batch, without the batch): the kept
   * accountId order less the holders closed since, from hash(seed|side) mod n, solvent first, then the insolvent in
   * the same walk order. Lazy: walkQueue stops reading once the quantity is filled.
   */
  private randomWalk(opposite: Side, mark: Decimal, markWire: string): Iterable<number> {
    let kept = this.keptWalk[opposite];
    if (!kept || kept.markWire !== markWire) {
      const openIdx = this.open.openOf(opposite);
      const batch = prepareCheckedBatch(this.open.book.config.market, mark, "random", openIdx.map((i) => this.open.input(i)), this.seed, "/counterparties");
      const insolvent = new Map<number, boolean>();
      openIdx.forEach((i, k) => insolvent.set(i, atOrPastBankruptcy(batch, k)));
      const { positions } = this.open.book;
      // randomWalkOrder's order: accountId by UTF-16 code units (unique, so total).
      const canonical = openIdx.slice().sort((a, b) => compareAccountIds(positions[a]!.accountId, positions[b]!.accountId));
      kept = { markWire, canonical, insolvent };
      this.keptWalk[opposite] = kept;
    }
    const dead = this.open.dead;
    kept.canonical = kept.canonical.filter((i) => dead[i] === 0);
    const canonical = kept.canonical;
    const insolvent = kept.insolvent;
    const n = canonical.length;
    const start = n === 0 ? 0 : fnv1a32(`${this.seed}|${opposite}`) % n;
    function* walk(): Generator<number> {
      for (let k = 0; k < n; k++) {
        const i = canonical[(start + k) % n]!;
        if (!insolvent.get(i)) yield i;
      }
      for (let k = 0; k < n; k++) {
        const i = canonical[(start + k) % n]!;
        if (insolvent.get(i)) yield i;
      }
    }
    return walk();
  }

  /** Whether position i, as it stands, is at or past bankruptcy at the mark (the exact score of method random). */
  private insolventExact(i: number, markWire: string): boolean {
    const m = this.open.book.config.market;
    const ctx: ExactContext = { inverse: m.contractType === "inverse", K: ratFromDecimal(m.contractSize.toFixed()), P: ratFromDecimal(markWire) };
    return exactMetrics("random", ctx, this.open.input(i)).score === null;
  }

  private rank(opposite: Side, method: RankingMethod, mark: Decimal): number[] {
    this.rankings++;
    const openIdx = this.open.openOf(opposite);
    const batch = prepareCheckedBatch(this.open.book.config.market, mark, method, openIdx.map((i) => this.open.input(i)), this.seed, "/counterparties");
    const side = opposite === "long" ? batch.keys.longs : batch.keys.shorts;
    return sortQueue(side, batch.compare, batch.keys.score, batch.keys.scoreErr).map((k) => openIdx[k]!);
  }

  /** Moves the partly closed position `i` to its place in the kept order (the exact queue order, ranking/spec/order.ts). */
  private replace(kept: KeptQueue, i: number, method: RankingMethod): void {
    const at = kept.order.indexOf(i);
    if (at < 0) return;
    kept.order.splice(at, 1);
    const m = this.open.book.config.market;
    const ctx: ExactContext = { inverse: m.contractType === "inverse", K: ratFromDecimal(m.contractSize.toFixed()), P: ratFromDecimal(kept.markWire) };
    const key = (j: number): Queued => {
      const p = this.open.input(j);
      return { score: exactMetrics(method, ctx, p).score, size: ratFromDecimal(p.size), accountId: p.accountId };
    };
    const me = key(i);
    const before = (j: number): boolean => queueOrder(key(j), me) < 0;
    let lo = 0;
    let hi = kept.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(kept.order[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    kept.order.splice(lo, 0, i);
  }

  private allocate(req: AdlRequestPart, opposite: Side): AdlFills {
    const { config } = this.open.book;
    const openIdx = this.open.openOf(opposite);
    // What parseCounterparties checks (one side, distinct accounts, not the bankrupt one) holds by construction of
    // the open book; the views are the same string-checked positions it builds, cached until ADL changes one.
    const counterparties = openIdx.map((i) => this.open.counterpartyView(i));
    const policy = this.policy as Exclude<CompareCandidate, `queue:${string}`>;
    return planAllocation(policy, {
      market: config.market,
      liquidatedSide: req.liquidatedSide,
      quantity: req.quantity,
      price: req.price,
      mark: req.mark,
      counterparties,
    });
  }
}
