/**
 * What a stress run reports (stress.md section 4), aggregated exactly from the per-path figures: the same paths give
 * the same summary however they were split over workers (the aggregation sorts by path index and uses exact decimals).
 *
 * Over paths, per policy: the worst path's figure (largest fundNeeded, draw, ADL, socialised loss, liquidated
 * quantity, cascade amplification; smallest fundMin), the probabilities (share of paths with any ADL, and with the
 * fund at or below its floor), and nearest-rank quantiles (the value at rank ceil(q*n) of the sorted per-path
 * figures: an observed value, no interpolation) at 50, 95, 99 and 99.9%. With one path every figure is that path's.
 * Haircut figures (haircuts.ts, the comparison route's metrics per path): the worst path's (largest share of a winner's
 * PnL and of equity, largest Gini; null when no path had ADL), and quantiles over every path, a path where no winner
 * gave (no ADL, or none of its counterparties had positive uPnL or equity) counting 0, as adlQuantityQuantiles counts
 * a path without ADL as 0. Per-path ratios are already 8 dp half-even; the worst and the quantiles are those values.
 * Ratios (probabilities, amplification, slippage per notional) are 8 dp half-even: they move no money. Notional and
 * slippage sums are exact products rounded half-even at the asset's decimals for the same reason; fund amounts are
 * the ledger's own (already on the asset grid).
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ratioToWire, roundToDecimals, toWire } from "../num/decimal";
import type { CompareCandidate } from "../policies/compare";
import type { SimulationPlan } from "./request";
import type { PathResult } from "./run";
import type { PathTotals, SimulatedEvent, StepRecord } from "./simulate-path";
import { ticksToWire } from "./book";

export interface Quantiles {
  p50: string | null;
  p95: string | null;
  p99: string | null;
  p999: string | null;
}

export interface PolicySummary {
  paths: number;
  fundNeeded: string | null;
  fundNeededQuantiles: Quantiles;
  fundMin: string;
  fundDraw: string;
  fundDrawQuantiles: Quantiles;
  adlQuantity: string;
  adlQuantityQuantiles: Quantiles;
  adlFilledQuantity: string;
  /** What counterparties gave up against the prices the ADL pieces replaced (the PnL taken from winners). */
  adlTransferred: string;
  socializedLoss: string;
  socializedLossQuantiles: Quantiles;
  liquidatedQuantity: string;
  liquidatedNotional: string;
  liquidations: number;
  accountsDeleveraged: number;
  cascadeAmplification: string | null;
  cascadeAmplificationQuantiles: Quantiles;
  slippagePerNotional: string | null;
  minMark: string;
  adlPaths: number;
  adlProbability: string;
  fundExhaustedPaths: number;
  fundExhaustedProbability: string;
  maxCascadeRoundsUsed: number;
  cascadeCapHits: number;
  maxHaircutOfPnl: string | null;
  maxHaircutOfPnlQuantiles: Quantiles;
  maxHaircutOfEquity: string | null;
  maxHaircutOfEquityQuantiles: Quantiles;
  haircutGini: string | null;
  haircutGiniQuantiles: Quantiles;
}

export interface PathOutput {
  path: number;
  fundNeeded: string | null;
  totals: PathTotals & { cascadeAmplification: string | null };
  steps?: StepRecord[];
  events?: SimulatedEvent[];
}

export interface SimulationResult {
  paths: number;
  steps: number;
  policies: { policy: CompareCandidate; summary: PolicySummary; paths?: PathOutput[] }[];
}

/** A ratio of two figures (probabilities, slippage per notional): RATIO_DP places, half-even (it moves no money). */
const ratio = (a: Decimal, b: Decimal) => ratioToWire(a.div(b));
/**
 * A reported amount that moves no money (notional, slippage: sums of exact products with more places than the
 * asset's grid): `dp` places, half-even, so no direction is favoured and the figures do not drift.
 */
const figure = (x: Decimal, dp: number) => toWire(roundToDecimals(x, dp, "half-even"));
const Q = [
  ["p50", 500n],
  ["p95", 950n],
  ["p99", 990n],
  ["p999", 999n],
] as const;

/** Nearest-rank quantiles; null values (no fund avoids ADL) sort above every number. */
export function quantiles(values: readonly (Decimal | null)[]): Quantiles {
  const n = values.length;
  const sorted = values.slice().sort((a, b) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a.cmp(b)));
  const out = {} as Record<keyof Quantiles, string | null>;
  for (const [name, perMille] of Q) {
    const rank = Number((perMille * BigInt(n) + 999n) / 1000n); // ceil(q*n), exact
    const v = n === 0 ? null : sorted[Math.max(1, rank) - 1]!;
    out[name] = v === null ? null : v.toFixed();
  }
  return out as Quantiles;
}

/** Price drop with impact over the exogenous drop (null when the exogenous path never fell). */
export function amplification(t: PathTotals): Decimal | null {
  const exoDrop = t.startMarkTicks - t.minExogenousTicks;
  if (exoDrop <= 0) return null;
  return new Decimal(t.startMarkTicks - t.minMarkTicks).div(exoDrop);
}

/** The worst (largest) per-path haircut figure, and its quantiles over paths with null as 0 (see the header). */
function haircutFigure(values: readonly (string | null)[]): { worst: string | null; quantiles: Quantiles } {
  const present = values.filter((v): v is string => v !== null).map((v) => new Decimal(v));
  return {
    worst: present.length === 0 ? null : present.reduce((a, b) => (b.gt(a) ? b : a)).toFixed(),
    quantiles: quantiles(values.map((v) => new Decimal(v ?? 0))),
  };
}

function maxOf(xs: Decimal[]): Decimal {
  return xs.reduce((a, b) => (b.gt(a) ? b : a), new Decimal(0));
}

export function summarize(plan: SimulationPlan, results: readonly PathResult[], detailPaths: number): SimulationResult {
  const sorted = results.slice().sort((a, b) => a.path - b.path);
  if (sorted.length !== plan.paths || sorted.some((r, i) => r.path !== i)) throw new Error(`aggregation needs every path once: have ${sorted.length} of ${plan.paths}`);
  const dp = plan.book.config.amountDecimals;
  const floor = plan.book.config.floor;
  const tick = plan.book.tick;
  const needs = sorted.map((r) => (r.fundNeeded === null ? null : new Decimal(r.fundNeeded)));
  const fundNeeded = needs.some((x) => x === null) ? null : maxOf(needs as Decimal[]).toFixed();
  const fundNeededQuantiles = quantiles(needs);
  const n = sorted.length;

  const policies = plan.policies.map((policy, k) => {
    const totals = sorted.map((r) => r.runs[k]!.totals);
    const D = (f: (t: PathTotals) => string) => totals.map((t) => new Decimal(f(t)));
    const draws = totals.map((t) => new Decimal(t.fundStart).minus(t.fundMin));
    const adl = D((t) => t.adlQuantity);
    const soc = D((t) => t.socializedLoss);
    const amps = totals.map(amplification);
    const ampValues = amps.filter((a): a is Decimal => a !== null);
    const notional = D((t) => t.liquidatedNotional).reduce((a, b) => a.plus(b), new Decimal(0));
    const slippage = D((t) => t.slippage).reduce((a, b) => a.plus(b), new Decimal(0));
    const adlPaths = totals.filter((t) => t.adlQuantity !== "0").length;
    const exhausted = totals.filter((t) => new Decimal(t.fundMin).lte(floor)).length;
    const ofPnl = haircutFigure(totals.map((t) => t.maxHaircutOfPnl));
    const ofEquity = haircutFigure(totals.map((t) => t.maxHaircutOfEquity));
    const gini = haircutFigure(totals.map((t) => t.haircutGini));
    const summary: PolicySummary = {
      paths: n,
      fundNeeded,
      fundNeededQuantiles,
      fundMin: totals.map((t) => new Decimal(t.fundMin)).reduce((a, b) => (b.lt(a) ? b : a)).toFixed(),
      fundDraw: maxOf(draws).toFixed(),
      fundDrawQuantiles: quantiles(draws),
      adlQuantity: maxOf(adl).toFixed(),
      adlQuantityQuantiles: quantiles(adl),
      adlFilledQuantity: maxOf(D((t) => t.adlFilledQuantity)).toFixed(),
      adlTransferred: maxOf(D((t) => t.adlTransferred)).toFixed(),
      socializedLoss: maxOf(soc).toFixed(),
      socializedLossQuantiles: quantiles(soc),
      liquidatedQuantity: maxOf(D((t) => t.liquidatedQuantity)).toFixed(),
      liquidatedNotional: figure(maxOf(D((t) => t.liquidatedNotional)), dp),
      liquidations: Math.max(...totals.map((t) => t.liquidations)),
      accountsDeleveraged: Math.max(...totals.map((t) => t.accountsDeleveraged)),
      cascadeAmplification: ampValues.length === 0 ? null : ratioToWire(ampValues.reduce((a, b) => (b.gt(a) ? b : a))),
      cascadeAmplificationQuantiles: roundQ(quantiles(ampValues)),
      slippagePerNotional: notional.isZero() ? null : ratio(slippage, notional),
      minMark: ticksToWire(Math.min(...totals.map((t) => t.minMarkTicks)), tick),
      adlPaths,
      adlProbability: ratio(new Decimal(adlPaths), new Decimal(n)),
      fundExhaustedPaths: exhausted,
      fundExhaustedProbability: ratio(new Decimal(exhausted), new Decimal(n)),
      maxCascadeRoundsUsed: Math.max(...totals.map((t) => t.maxRoundsUsed)),
      cascadeCapHits: totals.reduce((a, t) => a + t.roundCapHits, 0),
      maxHaircutOfPnl: ofPnl.worst,
      maxHaircutOfPnlQuantiles: ofPnl.quantiles,
      maxHaircutOfEquity: ofEquity.worst,
      maxHaircutOfEquityQuantiles: ofEquity.quantiles,
      haircutGini: gini.worst,
      haircutGiniQuantiles: gini.quantiles,
    };
    const detail = sorted.slice(0, detailPaths).map((r): PathOutput => {
      const run = r.runs[k]!;
      const a = amplification(run.totals);
      return {
        path: r.path,
        fundNeeded: r.fundNeeded,
        totals: { ...run.totals, liquidatedNotional: round(run.totals.liquidatedNotional, dp), slippage: round(run.totals.slippage, dp), cascadeAmplification: a === null ? null : ratioToWire(a) },
        ...(run.steps ? { steps: run.steps.map((s) => ({ ...s, liquidatedNotional: round(s.liquidatedNotional, dp), slippage: round(s.slippage, dp) })) } : {}),
        ...(run.events ? { events: run.events } : {}),
      };
    });
    return { policy, summary, ...(detail.length > 0 ? { paths: detail } : {}) };
  });
  return { paths: plan.paths, steps: plan.steps, policies };
}

function round(x: string, dp: number): string {
  return figure(new Decimal(x), dp);
}

function roundQ(q: Quantiles): Quantiles {
  const r = (v: string | null) => (v === null ? null : ratioToWire(new Decimal(v)));
  return { p50: r(q.p50), p95: r(q.p95), p99: r(q.p99), p999: r(q.p999) };
}
