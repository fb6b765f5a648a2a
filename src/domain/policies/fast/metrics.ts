/**
 * Acceleration of ../metrics.ts (the specification) for the common comparison: one bankrupt position on a linear
 * market. Then every counterparty fills at most once, at the one ADL price, so what account i gave is
 * given_i = lots_i * g, with g the haircut of one lot (haircutPerContract * lotSize, a finite decimal); its uPnL and
 * equity at mark are finite decimals too (scaled.ts linearValues). Written as integers at one scale 10^-dp they
 * are exact in doubles while below 2^53, which `prepareOneFill` checks once for the largest of them (else it answers
 * null and the caller measures with the specification). Every metric is then integer arithmetic, no screen needed:
 *   totalGiven    g * sum(lots), the Decimal built once;
 *   principal     lots_i*g > max(uPnL_i, 0), compared as integers;
 *   max ratios    the doubles pick the candidates, cross-multiplication in BigInt the maximum, one Decimal quotient;
 *   gini          the specification's closing formula on sum(v) and sum(rank*v), v sorted lots (native sort);
 *   inversions    pairs with uPnL_i > uPnL_j and after_i < after_j (after = uPnL - given), counted with a Fenwick
 *                 tree over the dense ranks of the after-values, walking the uPnL ranks descending, ties as a group.
 * Computed once per event and shared by every policy of the comparison: uPnL, equity and the uPnL order. Per policy:
 * the lots of its fills. Proven equal to computeMetrics by test/domain/metrics-fast.property.test.ts and, through
 * comparePolicies, by test/domain/compare-fast.property.test.ts.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ZERO, amountToWire, ratioToWire } from "../../num/decimal";
import { decimalsOf, scaledInt } from "../../num/digits";
import type { PlannedFill } from "../../fills";
import type { ParsedMarket } from "../../market";
import type { ParsedPosition } from "../../position";
import { QUOTIENT_SCREEN } from "../../num/float-screens";
import { heldLots } from "./common";
import type { Metrics } from "../metrics";
import { linearValues } from "./scaled";

const SAFE = 2 ** 53;

/** What one policy's fills closed: lots per account (0 when untouched) and whether any fill touched it. */
export interface OneFillBook {
  lots: Float64Array;
  touched: Uint8Array;
}

/** The event's values every policy is measured against, as exact integers at 10^-dp (doubles, all below 2^53). */
export interface OneFillEvent {
  readonly n: number;
  readonly dp: number;
  /** uPnL_i and equity_i at mark, times 10^dp. */
  readonly pnl: Float64Array;
  readonly equity: Float64Array;
  /** Haircut of one lot, times 10^dp: what closing a lot at the ADL price costs its holder against mark. */
  readonly perLot: number;
  /** Account indices by uPnL descending, and each one's dense uPnL rank (0 = largest). */
  readonly byPnl: Int32Array;
  readonly pnlRank: Int32Array;
  readonly index: ReadonlyMap<string, number>;
}

/**
 * The event's shared values, or null when the fast path does not apply (inverse market, or some value, or what a
 * fill can add to it, not a safe integer): the caller then measures with the specification.
 */
export function prepareOneFill(
  market: ParsedMarket,
  mark: Decimal,
  counterparties: readonly ParsedPosition[],
  haircut: Decimal,
  index: ReadonlyMap<string, number>,
): OneFillEvent | null {
  if (market.contractType !== "linear") return null;
  const n = counterparties.length;
  const held = counterparties.map((c) => heldLots(market, c));
  const g = haircut.times(market.lotSize);
  const gs = g.abs().toFixed();
  const v = linearValues(market, mark, counterparties, held, true);
  const dp = Math.max(v.upnlDp, v.equityDp, decimalsOf(gs));
  const gInt = scaledInt(gs, dp);
  if (gInt !== gInt) return null;
  const perLot = g.isNeg() ? -gInt : gInt;
  const pnl = new Float64Array(n);
  const equity = new Float64Array(n);
  const pnlShift = 10 ** (dp - v.upnlDp);
  const equityShift = 10 ** (dp - v.equityDp);
  let maxPnl = 0;
  let maxHeld = 0;
  let sumHeld = 0;
  for (let i = 0; i < n; i++) {
    // An integer times a power of ten that is still a safe integer is computed exactly (the product is representable).
    const p = Number(v.upnl[i]!) * pnlShift;
    const e = Number(v.equity![i]!) * equityShift;
    const h = Number(held[i]!);
    if (!(Math.abs(p) < SAFE && Math.abs(e) < SAFE && h < SAFE)) return null;
    pnl[i] = p;
    equity[i] = e;
    if (Math.abs(p) > maxPnl) maxPnl = Math.abs(p);
    if (h > maxHeld) maxHeld = h;
    sumHeld += h;
  }
  // Every given_i = lots_i*g (lots_i <= held_i), every after-value uPnL_i - given_i and the sum of all lots stay safe.
  if (!(maxHeld * Math.abs(perLot) + maxPnl < SAFE / 2 && sumHeld < SAFE / 2)) return null;
  const { rank: ascending, count } = denseRanks(pnl);
  const pnlRank = new Int32Array(n);
  for (let i = 0; i < n; i++) pnlRank[i] = count - 1 - ascending[i]!;
  return { n, dp, pnl, equity, perLot, byPnl: countingOrder(pnlRank, count), pnlRank, index };
}

/** Lots closed per account by one policy's fills (one bankrupt position: at most one fill per account). */
export function bookOneFill(ev: OneFillEvent, fills: readonly PlannedFill[], into?: OneFillBook): OneFillBook {
  const book = into ?? { lots: new Float64Array(ev.n), touched: new Uint8Array(ev.n) };
  for (const f of fills) {
    const i = ev.index.get(f.counterparty.accountId)!;
    // A lot count below 2^53 (prepareOneFill checked the side's largest): exact in a double.
    book.lots[i] = book.lots[i]! + Number(f.lots);
    book.touched[i] = 1;
  }
  return book;
}

/** Exact value of an integer at 10^-dp as a Decimal (a power of ten divides exactly). */
export function scaledDecimal(ev: OneFillEvent, x: number | bigint): Decimal {
  return new Decimal(x.toString()).div(new Decimal(10).pow(ev.dp));
}

/** given_i, uPnL_i and equity_i as Decimals (per-account output), equal to the specification's values. */
export const givenOf = (ev: OneFillEvent, book: OneFillBook, i: number): Decimal => scaledDecimal(ev, book.lots[i]! * ev.perLot);
export const pnlOf = (ev: OneFillEvent, i: number): Decimal => scaledDecimal(ev, ev.pnl[i]!);
export const equityOf = (ev: OneFillEvent, i: number): Decimal => scaledDecimal(ev, ev.equity[i]!);

/** The metrics of ../metrics.ts computeMetrics, for one policy's book on this event. */
export function oneFillMetrics(ev: OneFillEvent, neededBudget: Decimal, book: OneFillBook): Metrics {
  const { n, pnl, equity, perLot } = ev;
  const { lots, touched } = book;
  let lotSum = 0;
  let principal = 0;
  let touchedCount = 0;
  for (let i = 0; i < n; i++) {
    if (!touched[i]) continue;
    touchedCount++;
    lotSum += lots[i]!;
    const p = pnl[i]!;
    if (lots[i]! * perLot > (p > 0 ? p : 0)) principal++;
  }
  const total = scaledDecimal(ev, BigInt(lotSum) * BigInt(perLot));
  const maxPnl = maxRatio(ev, book, pnl);
  const maxEquity = maxRatio(ev, book, equity);
  return {
    neededBudget: amountToWire(neededBudget, "half-even"),
    totalGiven: amountToWire(total, "half-even"),
    overshoot: amountToWire(total.minus(neededBudget), "half-even"),
    maxHaircutOfPnl: maxPnl === null ? null : ratioToWire(maxPnl),
    maxHaircutOfEquity: maxEquity === null ? null : ratioToWire(maxEquity),
    principalTouched: principal,
    accountsTouched: touchedCount,
    gini: ratioToWire(gini(ev, book)),
    rankInversions: rankInversions(ev, book),
  };
}

/**
 * max given_i/den_i over touched accounts with den_i > 0, or null when there are none. given_i/den_i is a quotient of
 * two exact doubles, correctly rounded: the candidates within QUOTIENT_SCREEN of the largest are compared exactly by
 * cross-multiplication (den > 0), and the winner's quotient is the specification's own Decimal division.
 */
function maxRatio(ev: OneFillEvent, book: OneFillBook, den: Float64Array): Decimal | null {
  const { n, perLot } = ev;
  const { lots, touched } = book;
  let best = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!touched[i] || !(den[i]! > 0)) continue;
    const q = (lots[i]! * perLot) / den[i]!;
    if (q > best) best = q;
  }
  if (best === -Infinity) return null;
  if (perLot === 0) return ZERO;
  const cut = best - Math.abs(best) * QUOTIENT_SCREEN;
  let arg = -1;
  let argNum = 0n;
  let argDen = 1n;
  for (let i = 0; i < n; i++) {
    if (!touched[i] || !(den[i]! > 0) || (lots[i]! * perLot) / den[i]! < cut) continue;
    const num = BigInt(lots[i]! * perLot);
    const d = BigInt(den[i]!);
    if (arg < 0 || num * argDen > argNum * d) {
      arg = i;
      argNum = num;
      argDen = d;
    }
  }
  return new Decimal(argNum.toString()).div(argDen.toString());
}

/**
 * Gini of max(given_i, 0) over all n accounts, the specification's formula G = 2*sum(rank*v)/(n*sum v) - (n+1)/n on
 * the same exact sums: v_i = lots_i*g, so the lots sorted ascending give the ranks (g > 0), and g <= 0 gives no
 * positive haircut (0).
 */
function gini(ev: OneFillEvent, book: OneFillBook): Decimal {
  const { n, perLot } = ev;
  if (perLot <= 0) return ZERO;
  let m = 0;
  for (let i = 0; i < n; i++) if (book.touched[i] && book.lots[i]! > 0) m++;
  if (m === 0) return ZERO;
  const v = new Float64Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (book.touched[i] && book.lots[i]! > 0) v[m++] = book.lots[i]!;
  v.sort();
  const zeros = n - m;
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < m; k++) {
    sum += v[k]!;
    weighted += v[k]! * (zeros + k + 1);
  }
  let weightedBig: bigint;
  if (weighted < SAFE) weightedBig = BigInt(weighted);
  else {
    weightedBig = 0n;
    for (let k = 0; k < m; k++) weightedBig += BigInt(v[k]!) * BigInt(zeros + k + 1);
  }
  const g = BigInt(perLot);
  const sumD = scaledDecimal(ev, BigInt(sum) * g);
  const weightedD = scaledDecimal(ev, weightedBig * g);
  return weightedD.times(2).div(sumD.times(n)).minus(new Decimal(n + 1).div(n));
}

/**
 * Pairs (i, j) with uPnL_i > uPnL_j before ADL and after_i < after_j after it, after = uPnL - given (exact integers).
 * The accounts are walked by uPnL descending; each group of equal uPnL first counts the earlier accounts whose
 * after-value is strictly smaller (a Fenwick tree over the dense after-ranks), then joins them.
 */
function rankInversions(ev: OneFillEvent, book: OneFillBook): number {
  const { n, pnl, perLot, byPnl, pnlRank } = ev;
  const { lots, touched } = book;
  if (perLot === 0) return 0;
  const after = new Float64Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const given = touched[i] ? lots[i]! * perLot : 0;
    if (given !== 0) any = true;
    after[i] = pnl[i]! - given;
  }
  if (!any) return 0;
  const { rank, count } = denseRanks(after);
  const tree = new Int32Array(count + 1);
  let inversions = 0;
  let k = 0;
  while (k < n) {
    const group = pnlRank[byPnl[k]!]!;
    let end = k;
    while (end < n && pnlRank[byPnl[end]!] === group) end++;
    for (let j = k; j < end; j++) for (let r = rank[byPnl[j]!]!; r > 0; r -= r & -r) inversions += tree[r]!;
    for (let j = k; j < end; j++) for (let r = rank[byPnl[j]!]! + 1; r <= count; r += r & -r) tree[r] = tree[r]! + 1;
    k = end;
  }
  return inversions;
}

/** Dense ranks of exact doubles (0 = smallest, equal values share a rank) and how many distinct values there are. */
function denseRanks(values: Float64Array): { rank: Int32Array; count: number } {
  const sorted = values.slice().sort();
  let count = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[count++] = sorted[k]!;
  const rank = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { rank, count };
}

/** Indices ordered by an integer key in [0, count) ascending (stable counting sort). */
function countingOrder(key: Int32Array, count: number): Int32Array {
  const start = new Int32Array(count + 1);
  for (let i = 0; i < key.length; i++) start[key[i]! + 1] = start[key[i]! + 1]! + 1;
  for (let r = 0; r < count; r++) start[r + 1] = start[r + 1]! + start[r]!;
  const order = new Int32Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const r = key[i]!;
    order[start[r]!] = i;
    start[r] = start[r]! + 1;
  }
  return order;
}
