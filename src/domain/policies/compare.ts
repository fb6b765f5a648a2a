/**
 * Side-by-side comparison of ADL policies on one event: one or several bankrupt positions (same side) deleveraged
 * against the same opposite side, each policy from the same starting state, with the metrics of metrics.ts.
 *
 * Several bankrupt positions are one event processed in the given order, each at its own ADL price: the queue is
 * ranked once at the start of the event and the walk continues where the previous position left it (as a venue's
 * queue does); an allocating policy re-allocates for each position over what is left, and capped-pro-rata's cap is
 * the PnL an account still has from the start of the event (so principal stays untouched over the whole event).
 * A partially closed position keeps its entry price, its margin in proportion to what stays open, and its account
 * value less what it gave.
 * Plain data in, result out; no I/O, no clock.
 */
import { type PriceRule, type LiquidatedInput, resolveLiquidated } from "../adl";
import { Decimal, ZERO, amountToWire, parsePositive, ratioToWire, toWire } from "../num/decimal";
import { type AdlFills, type Fill, type PlannedFill, fillQuantity, walkQueue } from "../fills";
import { fillsToWireFast } from "../fast/fills";
import { parseMarket, type ParsedMarket } from "../market";
import { type ParsedPosition, equityAt, unrealizedPnl } from "../position";
import { lazyQueue } from "../ranking/queue";
import { prepareCheckedBatch, sideQueue } from "../ranking/rank";
import type { RankingMethod } from "../ranking/spec/methods";
import { DomainError, type Market, type PositionInput, type Side } from "../types";
import { type PolicyInput, haircutPerContract } from "./fast/common";
import { ALLOCATIONS, parseCounterparties } from "./index";
import { type Metrics, computeMetrics, toDoubles } from "./metrics";
import { type OneFillBook, type OneFillEvent, bookOneFill, equityOf, givenOf, oneFillMetrics, pnlOf, prepareOneFill } from "./fast/metrics";
import { type ExactFill, gaveMoreThanPositivePnl } from "./principal";
import { DEFAULT_ADL_PRICE_RULE, oppositeSide, sideSign } from "../vocabulary";

export const COMPARE_CANDIDATES = [
  "queue:bitmex",
  "queue:binance",
  "queue:hyperliquid",
  "queue:random",
  "pro-rata",
  "capped-pro-rata",
  "leverage-draining",
] as const;
export type CompareCandidate = (typeof COMPARE_CANDIDATES)[number];
export const COMPARE_DETAILS = ["full", "metrics"] as const;
/** Most bankrupt positions times counterparties one comparison takes (one bankrupt position against 100,000 fits). */
export const MAX_EVENT_WORK = 1_000_000;
export type CompareDetail = (typeof COMPARE_DETAILS)[number];

export interface CompareRequest {
  market: Market;
  markPrice: string;
  priceRule?: PriceRule;
  /** Needed by queue:random. */
  seed?: string;
  /** One or more bankrupt positions on the same side, deleveraged in this order (each its whole size). */
  liquidated: readonly LiquidatedInput[];
  counterparties: readonly PositionInput[];
  /** Default: every candidate, queue:random only when a seed is given. */
  policies?: readonly CompareCandidate[];
  /** "metrics" leaves out events and per-account figures (for large sides). Default "full". */
  detail?: CompareDetail;
}

export interface EventOutcome {
  bankruptcyPrice: string;
  price: string;
  fills: Fill[];
  filledQuantity: string;
  unfilledQuantity: string;
}

export interface AccountOutcome {
  accountId: string;
  /** Contracts closed over the event. */
  quantity: string;
  /** What its fills gave up against mark (metrics.ts), 8 dp half-even. */
  given: string;
  /** uPnL at mark before ADL. */
  pnl: string;
  haircutOfPnl: string | null;
  haircutOfEquity: string | null;
}

export interface PolicyOutcome {
  policy: CompareCandidate;
  filledQuantity: string;
  unfilledQuantity: string;
  metrics: Metrics;
  events?: EventOutcome[];
  accounts?: AccountOutcome[];
}

export interface Comparison {
  neededBudget: string;
  results: PolicyOutcome[];
}

interface Bankrupt {
  quantity: Decimal;
  bankruptcyPrice: Decimal;
  price: Decimal;
  /** Haircut per contract of a counterparty filled at `price` (spec/common.ts). */
  haircut: Decimal;
}

/** Each counterparty's uPnL and equity at mark before ADL, for the specification's metrics (metrics.ts). */
interface ExactValues {
  pnl: Decimal[];
  equity: Decimal[];
  /** pnl and equity as doubles, read once for every policy's metrics (screens only: metrics.ts). */
  pnlF: Float64Array;
  equityF: Float64Array;
}

interface Setup {
  market: ParsedMarket;
  mark: Decimal;
  side: Side;
  bankrupts: Bankrupt[];
  counterparties: ParsedPosition[];
  index: Map<string, number>;
  /**
   * How the outcomes are measured: one bankrupt position on a linear market in exact integers (fast/metrics.ts,
   * shared by every policy), anything else with the specification's Decimals (metrics.ts). Same results.
   */
  oneFill: OneFillEvent | null;
  exact: ExactValues | null;
}

export interface CompareOptions {
  /** Measure with the specification (metrics.ts on Decimals) even where fast/metrics.ts applies (tests prove them equal). */
  exact?: boolean;
}

export function comparePolicies(req: CompareRequest, options: CompareOptions = {}): Comparison {
  const market = parseMarket(req.market);
  const mark = parsePositive(req.markPrice, "/markPrice", market.tickDecimals);
  if (req.liquidated.length === 0) throw new DomainError([{ pointer: "/liquidated", code: "empty", message: "at least one bankrupt position" }]);
  // Each bankrupt position re-allocates over the whole side under every policy: bound the work of one request.
  if (req.liquidated.length * req.counterparties.length > MAX_EVENT_WORK) {
    throw new DomainError([{ pointer: "/liquidated", code: "event_too_large", message: `bankrupt positions times counterparties must not exceed ${MAX_EVENT_WORK.toLocaleString("en-US")}` }]);
  }
  const side = req.liquidated[0]!.side;
  const resolved = req.liquidated.map((l, i) => {
    if (l.side !== side) throw new DomainError([{ pointer: `/liquidated/${i}/side`, code: "mixed_sides", message: `every bankrupt position of one event must be ${side}, like the first` }]);
    return resolveLiquidated(market, l, `/liquidated/${i}`);
  });
  const cpSign = sideSign(oppositeSide(side));
  const bankrupts: Bankrupt[] = resolved.map((r) => {
    const price = (req.priceRule ?? DEFAULT_ADL_PRICE_RULE) === "mark" ? mark : r.bankruptcyPrice;
    return { quantity: r.size, bankruptcyPrice: r.bankruptcyPrice, price, haircut: haircutPerContract(market, cpSign, mark, price) };
  });
  const opposite: Side = oppositeSide(side);
  const ids = new Set(resolved.flatMap((r) => (r.accountId === undefined ? [] : [r.accountId])));
  const counterparties = parseCounterparties(market, req.counterparties, opposite, ids);
  const index = new Map(counterparties.map((c, i) => [c.accountId, i]));
  const oneFill = options.exact || bankrupts.length !== 1 ? null : prepareOneFill(market, mark, counterparties, bankrupts[0]!.haircut, index);
  const setup: Setup = { market, mark, side, bankrupts, counterparties, index, oneFill, exact: oneFill === null ? exactValues(market, mark, counterparties) : null };
  // Needed budget: q*K*|P - BP| (linear) or q*K*|P - BP|/(BP*P) (inverse), summed.
  let needed = ZERO;
  for (const b of bankrupts) {
    const move = b.quantity.times(market.contractSize).times(mark.minus(b.bankruptcyPrice).abs());
    needed = needed.plus(market.contractType === "linear" ? move : move.div(b.bankruptcyPrice.times(mark)));
  }
  const candidates = req.policies ?? COMPARE_CANDIDATES.filter((c) => c !== "queue:random" || req.seed !== undefined);
  const detail = req.detail ?? "full";
  const results = candidates.map((policy) => outcome(policy, setup, req, needed, detail));
  return { neededBudget: amountToWire(needed, "half-even"), results };
}

function exactValues(market: ParsedMarket, mark: Decimal, counterparties: readonly ParsedPosition[]): ExactValues {
  const pnl = counterparties.map((c) => unrealizedPnl(market, c, mark));
  const equity = counterparties.map((c) => equityAt(market, c, mark));
  return { pnl, equity, pnlF: toDoubles(pnl), equityF: toDoubles(equity) };
}

/** Mutable per-policy state of the counterparties over the event. */
interface EventState {
  positions: ParsedPosition[];
  /** The specification's bookkeeping (Setup.exact), else null. */
  exact: ExactBook | null;
  /** fast/metrics.ts bookkeeping (Setup.oneFill), else null. */
  oneFill: OneFillBook | null;
}

interface ExactBook {
  budgets: Decimal[];
  given: Decimal[];
  closed: Decimal[];
  touched: boolean[];
  /** Every fill of each account (price, quantity), for the exact principal check (principal.ts); made on first fill. */
  fills: (ExactFill[] | undefined)[];
}

function outcome(policy: CompareCandidate, s: Setup, req: CompareRequest, needed: Decimal, detail: CompareDetail): PolicyOutcome {
  const n = s.counterparties.length;
  const state: EventState = {
    positions: s.counterparties.slice(),
    exact:
      s.exact === null
        ? null
        : {
            budgets: s.exact.pnl.slice(),
            given: new Array<Decimal>(n).fill(ZERO),
            closed: new Array<Decimal>(n).fill(ZERO),
            touched: new Array<boolean>(n).fill(false),
            fills: new Array<ExactFill[] | undefined>(n),
          },
    oneFill: s.oneFill === null ? null : { lots: new Float64Array(n), touched: new Uint8Array(n) },
  };
  const plans = policy.startsWith("queue:") ? runQueue(policy.slice(6) as RankingMethod, s, state, req) : runAllocation(policy as keyof typeof ALLOCATIONS, s, state);
  let filled = ZERO;
  let unfilled = ZERO;
  for (const plan of plans) {
    filled = filled.plus(plan.filledQuantity);
    unfilled = unfilled.plus(plan.unfilledQuantity);
  }
  const measured = s.oneFill !== null ? measureOneFill(s, s.oneFill, state.oneFill!, needed) : measureExact(s, s.exact!, state.exact!, needed);
  const out: PolicyOutcome = { policy, filledQuantity: toWire(filled), unfilledQuantity: toWire(unfilled), metrics: measured.metrics };
  if (detail === "full") {
    // The fills as strings only here: detail "metrics" never writes them.
    out.events = plans.map((plan, e) => eventOutcome(s.bankrupts[e]!, plan));
    const touched: number[] = [];
    for (let i = 0; i < n; i++) if (measured.touched(i)) touched.push(i);
    touched.sort((a, b) => (s.counterparties[a]!.accountId < s.counterparties[b]!.accountId ? -1 : 1));
    out.accounts = touched.map((i) => {
      const { quantity: q, given: g, pnl: p, equity: e } = measured.account(i);
      return {
        accountId: s.counterparties[i]!.accountId,
        quantity: toWire(q),
        given: amountToWire(g, "half-even"),
        pnl: amountToWire(p, "half-even"),
        haircutOfPnl: p.gt(0) ? ratioToWire(g.div(p)) : null,
        haircutOfEquity: e.gt(0) ? ratioToWire(g.div(e)) : null,
      };
    });
  }
  return out;
}

/** One policy's metrics, and per account what it closed and gave against its uPnL and equity before ADL. */
interface Measured {
  metrics: Metrics;
  touched: (i: number) => boolean;
  account: (i: number) => { quantity: Decimal; given: Decimal; pnl: Decimal; equity: Decimal };
}

function measureExact(s: Setup, v: ExactValues, b: ExactBook, needed: Decimal): Measured {
  const metrics = computeMetrics({
    neededBudget: needed,
    pnl: v.pnl,
    equity: v.equity,
    given: b.given,
    touched: b.touched,
    pnlF: v.pnlF,
    equityF: v.equityF,
    exceedsPositivePnl: (i) => gaveMoreThanPositivePnl(s.market, s.counterparties[i]!, s.mark, b.given[i]!, v.pnl[i]!, fillsOf(s, b, i)),
  });
  return { metrics, touched: (i) => b.touched[i]!, account: (i) => ({ quantity: b.closed[i]!, given: b.given[i]!, pnl: v.pnl[i]!, equity: v.equity[i]! }) };
}

function measureOneFill(s: Setup, ev: OneFillEvent, b: OneFillBook, needed: Decimal): Measured {
  const lot = s.market.lotSize;
  return {
    metrics: oneFillMetrics(ev, needed, b),
    touched: (i) => b.touched[i] === 1,
    account: (i) => ({ quantity: lot.times(b.lots[i]!), given: givenOf(ev, b, i), pnl: pnlOf(ev, i), equity: equityOf(ev, i) }),
  };
}

/**
 * Books one event's fills into the state: haircuts and closed quantity; and, when another bankrupt position follows
 * (`more`), the budgets and the positions left open.
 */
function book(s: Setup, state: EventState, b: Bankrupt, fills: readonly PlannedFill[], more: boolean) {
  if (state.oneFill !== null) {
    // One bankrupt position (Setup.oneFill): no position changes, no budgets; lots per account.
    bookOneFill(s.oneFill!, fills, state.oneFill);
    return;
  }
  const x = state.exact!;
  for (const f of fills) {
    const i = s.index.get(f.counterparty.accountId)!;
    const q = fillQuantity(s.market, f);
    const g = b.haircut.times(q);
    // An account's first fill starts its sums (no addition to ZERO: one Decimal less per fill, on 100,000 fills).
    const first = !x.touched[i];
    x.given[i] = first ? g : x.given[i]!.plus(g);
    x.closed[i] = first ? q : x.closed[i]!.plus(q);
    x.touched[i] = true;
    // One bankrupt position: an account fills at most once, at its price, for what it closed (fillsOf), so no list.
    if (s.bankrupts.length > 1) (x.fills[i] ??= []).push({ price: b.price, quantity: toWire(q) });
    if (!more) continue;
    x.budgets[i] = x.budgets[i]!.minus(g);
    const p = state.positions[i]!;
    const size = p.size.minus(q);
    // Built field by field: a RawPosition (fast/parsed-position.ts) keeps its fields on the prototype, which a spread would drop.
    state.positions[i] = {
      pointer: p.pointer,
      accountId: p.accountId,
      side: p.side,
      sign: p.sign,
      entryPrice: p.entryPrice,
      size,
      qk: size.times(s.market.contractSize),
      // Exact while size > 0; a closed position is never offered again.
      margin: size.isZero() ? ZERO : p.margin.times(size).div(p.size),
      accountValue: p.accountValue === null ? null : p.accountValue.minus(g),
    };
  }
}

/** Every fill of account i over the event (the exact principal check needs them; rarely asked: metrics.ts). */
function fillsOf(s: Setup, b: ExactBook, i: number): readonly ExactFill[] {
  if (s.bankrupts.length > 1) return b.fills[i] ?? [];
  return b.touched[i] ? [{ price: s.bankrupts[0]!.price, quantity: toWire(b.closed[i]!) }] : [];
}

/** One bankrupt position's plan as the event's wire outcome (the fills written by fast/fills.ts, as /v1/adl/fills writes them). */
function eventOutcome(b: Bankrupt, plan: AdlFills): EventOutcome {
  const w = fillsToWireFast(plan);
  return { bankruptcyPrice: toWire(b.bankruptcyPrice), price: toWire(b.price), fills: w.fills, filledQuantity: w.filledQuantity, unfilledQuantity: w.unfilledQuantity };
}

function runAllocation(policy: keyof typeof ALLOCATIONS, s: Setup, state: EventState): AdlFills[] {
  return s.bankrupts.map((b, e) => {
    // Every counterparty is open for the first position (sizes are > 0); later ones skip what closed fully.
    const open: number[] = [];
    for (let i = 0; i < state.positions.length; i++) if (e === 0 || state.positions[i]!.size.gt(0)) open.push(i);
    const input: PolicyInput = {
      market: s.market,
      liquidatedSide: s.side,
      quantity: b.quantity,
      price: b.price,
      mark: s.mark,
      counterparties: open.map((i) => state.positions[i]!),
      // The first position sees the event's starting state, so its plan is exactly what /v1/adl/fills plans.
      pnlBudgets: e === 0 ? undefined : open.map((i) => state.exact!.budgets[i]!),
    };
    const plan = ALLOCATIONS[policy](input);
    book(s, state, b, plan.fills, e < s.bankrupts.length - 1);
    return plan;
  });
}

function runQueue(method: RankingMethod, s: Setup, state: EventState, req: CompareRequest): AdlFills[] {
  const opposite: Side = oppositeSide(s.side);
  // parseCounterparties validated every counterparty (one side, distinct accounts): the keys only, which still
  // refuse random without a seed and an inverse short without a bankruptcy price, as prepareBatch did.
  const batch = prepareCheckedBatch(s.market, s.mark, method, req.counterparties, req.seed, "/counterparties");
  const indices = opposite === "long" ? batch.keys.longs : batch.keys.shorts;
  const order = (method === "random" ? sideQueue(batch, opposite) : lazyQueue(indices, batch.compare))[Symbol.iterator]();
  // The walk continues over the event: the position the last event stopped in is offered first to the next.
  let head: number | null = null;
  const walk = (): Iterable<ParsedPosition> => ({
    [Symbol.iterator]: () => ({
      next: (): IteratorResult<ParsedPosition> => {
        if (head !== null) {
          const i = head;
          head = null;
          return { done: false, value: state.positions[i]! };
        }
        const r = order.next();
        return r.done ? { done: true, value: undefined } : { done: false, value: state.positions[r.value]! };
      },
    }),
  });
  return s.bankrupts.map((b, e) => {
    const plan = walkQueue({ market: s.market, liquidatedSide: s.side, quantity: b.quantity, price: b.price, queue: walk(), pointers: { quantity: "/liquidated", price: "/liquidated" } });
    book(s, state, b, plan.fills, e < s.bankrupts.length - 1);
    const last = plan.fills[plan.fills.length - 1];
    if (last !== undefined && last.lots < last.heldLots) head = s.index.get(last.counterparty.accountId)!;
    return plan;
  });
}
