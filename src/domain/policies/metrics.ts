/**
 * Fairness metrics of one ADL outcome, after Chitra et al., "Autodeleveraging as Online Learning" (arXiv 2602.15182)
 * (needed budget, overshoot, maximum haircut, rank inversions) plus two plain ones (accounts touched, Gini of the
 * haircuts). Everything is measured against mark P, the price the market would have given:
 *   haircut (given) of account i = what its fills gave up against closing at mark, sum over its fills of
 *     q*h(x) (spec/common.ts haircutPerContract); negative when a fill was better than mark for it;
 *   needed budget = sum over bankrupt positions of q_b*K*|P - BP_b| (linear) or q_b*K*|1/BP_b - 1/P| (inverse):
 *     what the bankrupt side's loss past its margin costs, had it been closed at mark;
 *   overshoot = total given - needed budget (negative: part of the loss was left to the fund or socialised);
 *   maxHaircutOfPnl = max given_i / uPnL_i over touched accounts with uPnL_i > 0; principalTouched counts touched
 *     accounts whose given exceeds their positive uPnL (a haircut into principal);
 *   maxHaircutOfEquity = max given_i / equity_i over touched accounts with equity > 0 (equity as position.ts);
 *   gini = Gini coefficient of max(given_i, 0) over every opposite-side account (0 = everyone gave the same);
 *   rankInversions = pairs (i, j) with uPnL_i > uPnL_j before ADL and uPnL_i - given_i < uPnL_j - given_j after:
 *     how often ADL reversed who was ahead.
 * Ratios and amounts here move no money: they leave the service rounded half-even.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ZERO, amountToWire, ratioToWire } from "../num/decimal";
import { QUOTIENT_SCREEN, READ_ORDER_SCREEN, UNIT_ROUNDOFF } from "../num/float-screens";

export interface Metrics {
  neededBudget: string;
  totalGiven: string;
  overshoot: string;
  maxHaircutOfPnl: string | null;
  maxHaircutOfEquity: string | null;
  principalTouched: number;
  accountsTouched: number;
  gini: string;
  rankInversions: number;
}

export interface MetricsInput {
  /** Exact needed budget (sum over bankrupt positions). */
  neededBudget: Decimal;
  /** Per opposite-side account, by index: uPnL and equity at mark before ADL. */
  pnl: readonly Decimal[];
  equity: readonly Decimal[];
  /** Haircut per account (ZERO when untouched) and whether any fill touched it. */
  given: readonly Decimal[];
  touched: readonly boolean[];
  /** Exact "given_i > max(uPnL_i, 0)" (principal.ts); without it the 160-digit values are compared directly. */
  exceedsPositivePnl?: (i: number) => boolean;
  /**
   * pnl and equity as doubles (`toDoubles`), when the caller measures several outcomes of one event (compare.ts):
   * computed once instead of once per outcome. Only ever used as screens in front of the exact values.
   */
  pnlF?: Float64Array;
  equityF?: Float64Array;
}

/** A double read from a Decimal is correctly rounded (decimal.js converts through the exact decimal string). */
const READ_ERROR = UNIT_ROUNDOFF;
const MAX_RATIO_SCREEN = QUOTIENT_SCREEN;
const SORT_SCREEN = READ_ORDER_SCREEN;

/** Doubles of Decimal values (each correctly rounded, see READ_ERROR). */
export function toDoubles(values: readonly Decimal[], only?: readonly boolean[]): Float64Array {
  const f = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) if (only === undefined || only[i]) f[i] = values[i]!.toNumber();
  return f;
}

export function computeMetrics(m: MetricsInput): Metrics {
  const n = m.pnl.length;
  const pnlF = m.pnlF ?? toDoubles(m.pnl);
  const equityF = m.equityF ?? toDoubles(m.equity);
  // Untouched accounts gave ZERO: their doubles stay 0.
  const givenF = toDoubles(m.given, m.touched);
  let total = ZERO;
  let principal = 0;
  let touchedCount = 0;
  const winners: number[] = [];
  const solvent: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!m.touched[i]) continue;
    touchedCount++;
    const g = m.given[i]!;
    total = total.plus(g);
    const p = m.pnl[i]!;
    const winner = p.gt(0);
    if (winner) winners.push(i);
    if (exceedsPositivePnl(m, i, winner, givenF[i]!, pnlF[i]!)) principal++;
    if (m.equity[i]!.gt(0)) solvent.push(i);
  }
  const maxPnl = maxRatio(m.given, m.pnl, winners, givenF, pnlF);
  const maxEquity = maxRatio(m.given, m.equity, solvent, givenF, equityF);
  return {
    neededBudget: amountToWire(m.neededBudget, "half-even"),
    totalGiven: amountToWire(total, "half-even"),
    overshoot: amountToWire(total.minus(m.neededBudget), "half-even"),
    maxHaircutOfPnl: maxPnl === null ? null : ratioToWire(maxPnl),
    maxHaircutOfEquity: maxEquity === null ? null : ratioToWire(maxEquity),
    principalTouched: principal,
    accountsTouched: touchedCount,
    gini: ratioToWire(gini(m.given, m.touched, givenF)),
    rankInversions: rankInversions(m.pnl, m.given, m.touched, pnlF, givenF),
  };
}

/**
 * given_i > max(uPnL_i, 0). The doubles decide when they are apart by more than both reads can be off (each within
 * READ_ERROR relative, so the gap's sign is certain); otherwise the exact check (principal.ts), or the Decimals.
 */
function exceedsPositivePnl(m: MetricsInput, i: number, winner: boolean, gF: number, pF: number): boolean {
  const floorF = winner ? pF : 0;
  if (Math.abs(gF - floorF) > 4 * READ_ERROR * (Math.abs(gF) + Math.abs(floorF))) return gF > floorF;
  if (m.exceedsPositivePnl) return m.exceedsPositivePnl(i);
  const g = m.given[i]!;
  return g.gt(winner ? m.pnl[i]! : ZERO);
}

/**
 * max num_i/den_i over `indices` (den_i > 0). Doubles find the candidates (MAX_RATIO_SCREEN); the exact quotient is
 * computed only for those.
 */
function maxRatio(num: readonly Decimal[], den: readonly Decimal[], indices: readonly number[], numF: Float64Array, denF: Float64Array): Decimal | null {
  if (indices.length === 0) return null;
  const q = new Float64Array(indices.length);
  let best = -Infinity;
  indices.forEach((i, k) => {
    q[k] = numF[i]! / denF[i]!;
    if (q[k]! > best) best = q[k]!;
  });
  const cut = best - Math.abs(best) * MAX_RATIO_SCREEN;
  let max: Decimal | null = null;
  indices.forEach((i, k) => {
    if (q[k]! < cut) return;
    const r = num[i]!.div(den[i]!);
    if (max === null || r.gt(max)) max = r;
  });
  return max;
}

/**
 * Sorts indices by exact values: the doubles `f` decide when apart by more than SORT_SCREEN (relative) and more than
 * their own error bound `err` (when given), the exact value (`exact(i)`) otherwise.
 */
function sortByValue(
  indices: number[],
  f: Float64Array,
  exact: (i: number) => Decimal,
  descending: boolean,
  then?: (a: number, b: number) => number,
  err?: Float64Array,
): number[] {
  const dir = descending ? -1 : 1;
  return indices.sort((a, b) => {
    const fa = f[a]!;
    const fb = f[b]!;
    const gap = Math.abs(fa - fb);
    let c: number;
    if (gap > SORT_SCREEN * Math.max(Math.abs(fa), Math.abs(fb)) && (err === undefined || gap > err[a]! + err[b]!)) c = fa < fb ? -1 : 1;
    else c = exact(a).cmp(exact(b));
    if (c !== 0) return c * dir;
    return then ? then(a, b) : 0;
  });
}

/**
 * Gini of v_i = max(given_i, 0) over all n accounts: with v sorted ascending (ranks 1..n),
 * G = 2*sum(rank*v)/(n*sum v) - (n+1)/n. Untouched accounts are zeros at the front, so only the touched need sorting.
 */
export function gini(given: readonly Decimal[], touched: readonly boolean[], givenF: Float64Array = toDoubles(given, touched)): Decimal {
  const n = given.length;
  const positive: number[] = [];
  for (let i = 0; i < n; i++) if (touched[i] && given[i]!.gt(0)) positive.push(i);
  if (positive.length === 0) return ZERO;
  sortByValue(positive, givenF, (i) => given[i]!, false);
  const zeros = n - positive.length;
  let sum = ZERO;
  let weighted = ZERO;
  positive.forEach((i, k) => {
    sum = sum.plus(given[i]!);
    weighted = weighted.plus(given[i]!.times(zeros + k + 1));
  });
  return weighted.times(2).div(sum.times(n)).minus(new Decimal(n + 1).div(n));
}

/**
 * Pairs ranked strictly ahead by uPnL before ADL and strictly behind after, in O(n log n): walk the accounts by
 * uPnL descending (ties by after descending, so tied pairs never count) and count, with a Fenwick tree over the
 * ranks of the after-values, the earlier ones whose after-value is strictly smaller.
 *
 * The after-values uPnL_i - given_i are compared as doubles pnlF_i - givenF_i when those are apart by more than
 * their error (each read within READ_ERROR, the subtraction rounded once: under 3*2^-53 of |uPnL| + |given|, bounded
 * here by 2^-51); the exact Decimal difference is built only for the pairs the doubles cannot separate.
 */
export function rankInversions(
  pnl: readonly Decimal[],
  given: readonly Decimal[],
  touched: readonly boolean[],
  pnlF: Float64Array = toDoubles(pnl),
  givenF: Float64Array = toDoubles(given, touched),
): number {
  const n = pnl.length;
  let any = false;
  for (let i = 0; i < n && !any; i++) any = touched[i]! && !given[i]!.isZero();
  if (!any) return 0;
  const afterF = new Float64Array(n);
  const afterErr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!touched[i]) {
      afterF[i] = pnlF[i]!;
      afterErr[i] = READ_ERROR * Math.abs(pnlF[i]!);
    } else {
      afterF[i] = pnlF[i]! - givenF[i]!;
      afterErr[i] = 4 * READ_ERROR * (Math.abs(pnlF[i]!) + Math.abs(givenF[i]!));
    }
  }
  const afterExact: (Decimal | undefined)[] = new Array(n);
  const after = (i: number): Decimal => (afterExact[i] ??= touched[i] ? pnl[i]!.minus(given[i]!) : pnl[i]!);
  const all = Array.from({ length: n }, (_, i) => i);
  const byAfter = sortByValue(all.slice(), afterF, after, false, undefined, afterErr);
  const rank = new Int32Array(n);
  let r = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0) {
      const a = byAfter[k]!;
      const b = byAfter[k - 1]!;
      const apart = Math.abs(afterF[a]! - afterF[b]!) > afterErr[a]! + afterErr[b]!;
      if (apart || !after(a).eq(after(b))) r++;
    }
    rank[byAfter[k]!] = r + 1;
  }
  const walk = sortByValue(all, pnlF, (i) => pnl[i]!, true, (a, b) => rank[b]! - rank[a]!);
  const tree = new Int32Array(r + 2);
  let count = 0;
  for (const i of walk) {
    for (let k = rank[i]! - 1; k > 0; k -= k & -k) count += tree[k]!;
    for (let k = rank[i]!; k <= r + 1; k += k & -k) tree[k] = tree[k]! + 1;
  }
  return count;
}
