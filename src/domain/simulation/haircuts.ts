/**
 * The haircut figures of one path under one policy (stress.md section 4: "largest haircut as a share of a winner's
 * PnL and equity, Gini of haircuts"), measured by the comparison route's own metrics (policies/metrics.ts
 * computeMetrics), reused: no second Gini here.
 *
 * Definition, per path and policy:
 *   - the accounts measured are every account that stood on the opposite side of at least one ADL event of the path
 *     (the counterparties of that event's exported request, as they stood before its fills);
 *   - each is measured against its uPnL and equity (position.ts unrealizedPnl, equityAt) at the mark of the first
 *     ADL event it stood against, before that event's fills;
 *   - given_i = the sum over all its ADL fills on the path of q*h, h = haircutPerContract at that event's mark and ADL
 *     price (what the fill gave up against closing at the event's mark, as the comparison route measures one event).
 * maxHaircutOfPnl = max given_i / uPnL_i over touched accounts with uPnL_i > 0, maxHaircutOfEquity the same over
 * equity_i > 0, haircutGini = Gini of max(given_i, 0) over every measured account. All null when the path had no ADL
 * event (nothing was measured). Ratios move no money: computeMetrics rounds them half-even at 8 places.
 * Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, ZERO } from "../num/decimal";
import { type PlannedFill, fillQuantity } from "../fills";
import { computeMetrics } from "../policies/metrics";
import { haircutPerContract } from "../policies/spec/common";
import { equityAt, unrealizedPnl } from "../position";
import type { Side } from "../types";
import { sideSign } from "../vocabulary";
import type { OpenBook } from "./open-book";

export interface HaircutFigures {
  maxHaircutOfPnl: string | null;
  maxHaircutOfEquity: string | null;
  haircutGini: string | null;
}

export const NO_HAIRCUTS: HaircutFigures = { maxHaircutOfPnl: null, maxHaircutOfEquity: null, haircutGini: null };

export class PathHaircuts {
  /** Book index -> slot in the columns below. */
  private readonly slot = new Map<number, number>();
  private readonly pnl: Decimal[] = [];
  private readonly equity: Decimal[] = [];
  private readonly given: Decimal[] = [];
  private readonly touched: boolean[] = [];
  private readonly measured = new Set<Side>();

  constructor(private readonly open: OpenBook) {}

  /**
   * Before an ADL event's fills are applied: the first event against `side` measures every open position of that
   * side at the event's mark (later events against it find the same accounts, or fewer: positions only close).
   */
  stand(side: Side, mark: Decimal): void {
    if (this.measured.has(side)) return;
    this.measured.add(side);
    const market = this.open.book.config.market;
    for (const i of this.open.openOf(side)) {
      const p = this.open.parsed(i);
      this.slot.set(i, this.pnl.length);
      this.pnl.push(unrealizedPnl(market, p, mark));
      this.equity.push(equityAt(market, p, mark));
      this.given.push(ZERO);
      this.touched.push(false);
    }
  }

  /** An ADL event's fills (counterparties on `side`, measured by stand()) at the event's mark and ADL price. */
  give(side: Side, mark: Decimal, price: Decimal, fills: readonly PlannedFill[]): void {
    if (fills.length === 0) return;
    const market = this.open.book.config.market;
    const h = haircutPerContract(market, sideSign(side), mark, price);
    for (const f of fills) {
      const k = this.slot.get(this.open.book.indexOf.get(f.counterparty.accountId)!)!;
      const g = h.times(fillQuantity(market, f));
      this.given[k] = this.touched[k] ? this.given[k]!.plus(g) : g;
      this.touched[k] = true;
    }
  }

  figures(): HaircutFigures {
    if (this.measured.size === 0) return NO_HAIRCUTS;
    // The needed budget is not reported per path (the path's fund figures say it): any value leaves these unchanged.
    const m = computeMetrics({ neededBudget: ZERO, pnl: this.pnl, equity: this.equity, given: this.given, touched: this.touched });
    return { maxHaircutOfPnl: m.maxHaircutOfPnl, maxHaircutOfEquity: m.maxHaircutOfEquity, haircutGini: m.gini };
  }
}
