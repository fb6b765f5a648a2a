/**
 * The ranking's acceleration: one pass over a position batch computes float64 keys with rigorous error bounds for
 * score, pnlRatio, effective leverage and bankruptcy price, whose exact values the specification defines
 * (../spec/methods.ts, bankruptcy-price.ts); then the batch is checked by the specification's own rules
 * (../spec/batch.ts batchIssues), the one float-decided input being which inverse shorts lack a bankruptcy price.
 * Proven equal to the specification (../spec/rank.ts) by test/domain/ranking.property.test.ts.
 *
 * Why floats: ranking 100k positions with decimal objects is ~9x slower than parsing the body. Floats decide almost
 * every comparison; the bound says when they cannot, and then the exact rational decides (order.ts, format.ts).
 * Error model: every input string converts with relative error <= u = 2^-53 (Number() rounds correctly; number.ts
 * decimalNumber is Number, faster), each float operation adds <= u relative; cancellation (P - E, M + U, 1/E - M/QK)
 * is tracked as absolute error.
 * Bounds are then doubled for safety. A bound of Infinity means "floats cannot decide: always use exact".
 */
import type { ParsedMarket } from "../../market";
import { DomainError, type PositionInput, type Side } from "../../types";
import { type BatchGrid, type BatchRules, batchIssues, positionValues, refusesNoBankruptcyPrice } from "../spec/batch";
import type { RankingMethod } from "../spec/methods";
import { sideSign } from "../../vocabulary";
import { UNIT_ROUNDOFF } from "../../num/float-screens";
import { decimalNumber } from "./number";

const U = UNIT_ROUNDOFF;
/** Relative errors above this are treated as "no information". */
const USELESS = 1e-6;

export interface MarketGrid extends BatchGrid {
  market: ParsedMarket;
  inverse: boolean;
  contractSize: string;
  K: number;
}

export interface BatchKeys {
  n: number;
  positions: readonly PositionInput[];
  /** Indices of longs and shorts, in input order. */
  longs: number[];
  shorts: number[];
  score: Float64Array;
  scoreErr: Float64Array;
  /**
   * Position i's printed figures with their bounds, CELLS doubles from i * CELLS (offsets below): one 64-byte row a
   * position, so describing a queue, which visits the batch in score order, reads one row instead of eight arrays.
   * The leverage is NaN where undefined (equity or account value <= 0); the bankruptcy price NaN where none exists
   * (linear long fully collateralised); the score and its bound are copies of `score` and `scoreErr`.
   */
  cells: Float64Array;
  size: Float64Array;
}

export const CELLS = 8;
export const PNL = 0;
export const PNL_ERR = 1;
export const LEV = 2;
export const LEV_ERR = 3;
export const BP = 4;
export const BP_ERR = 5;
export const SCORE = 6;
export const SCORE_ERR = 7;

export function computeBatchKeys(
  method: RankingMethod,
  grid: MarketGrid,
  markPrice: string,
  positions: readonly PositionInput[],
  pointerPrefix = "/positions",
  rules: BatchRules = "all",
): BatchKeys {
  const n = positions.length;
  const score = new Float64Array(n);
  const scoreErr = new Float64Array(n);
  const cells = new Float64Array(n * CELLS);
  const size = new Float64Array(n);
  const longs: number[] = [];
  const shorts: number[] = [];
  /** 1 where an inverse short has no bankruptcy price: the batch is refused (spec/batch.ts). */
  const lacksBp = new Uint8Array(n);
  const P = Number(markPrice);
  const K = grid.K;
  const inverse = grid.inverse;
  const accountLevel = method === "binance" || method === "hyperliquid";

  for (let i = 0; i < n; i++) {
    const o = i * CELLS;
    const p = positions[i]!;
    const side: Side = p.side;
    (side === "long" ? longs : shorts).push(i);

    const s = sideSign(side);
    const Q = decimalNumber(p.size);
    const E = decimalNumber(p.entryPrice);
    const M = decimalNumber(p.margin);
    size[i] = Q;
    const QK = Q * K;
    // d = P - E; exact zero when the strings are equal.
    const d = p.entryPrice === markPrice ? 0 : P - E;
    const dErr = p.entryPrice === markPrice ? 0 : U * (Math.abs(P) + Math.abs(E) + Math.abs(d));
    let N: number, V: number, Uv: number, UvErr: number;
    if (inverse) {
      N = QK / P;
      V = QK / E;
      Uv = (s * QK * d) / (E * P);
      UvErr = Math.abs(Uv) * 8 * U + (dErr * QK) / (E * P) * (1 + 8 * U);
    } else {
      N = QK * P;
      V = QK * E;
      Uv = s * QK * d;
      UvErr = Math.abs(Uv) * 5 * U + dErr * QK * (1 + 5 * U);
    }
    const relN = 5 * U;
    const W = M + Uv;
    const WErr = U * Math.abs(M) + UvErr + U * Math.abs(W);
    let A = W;
    let AErr = WErr;
    if (p.accountValue !== undefined) {
      A = decimalNumber(p.accountValue);
      AErr = U * Math.abs(A);
    }
    const levDen = accountLevel ? A : W;
    const levDenErr = accountLevel ? AErr : WErr;
    // pnlRatio: binance U/N, others U/V.
    const pr = method === "binance" ? Uv / N : Uv / V;
    const prErr = (UvErr / Math.abs(method === "binance" ? N : V)) * (1 + 8 * U) + Math.abs(pr) * (relN + 2 * U);
    cells[o + PNL] = pr;
    cells[o + PNL_ERR] = 2 * prErr;

    if (levDen <= levDenErr) {
      // Sign of equity undecided by floats, or certainly <= 0.
      if (levDen < -levDenErr) {
        score[i] = -Infinity;
        scoreErr[i] = 0;
        cells[o + LEV] = NaN;
        cells[o + LEV_ERR] = 0;
      } else {
        score[i] = 0;
        scoreErr[i] = Infinity;
        cells[o + LEV] = 0;
        cells[o + LEV_ERR] = Infinity;
      }
    } else {
      const relDen = levDenErr / levDen;
      const L = N / levDen;
      const relL = relN + relDen + 2 * U;
      cells[o + LEV] = L;
      cells[o + LEV_ERR] = relL > USELESS ? Infinity : 2 * relL * L;
      const relPr = pr === 0 ? (prErr === 0 ? 0 : Infinity) : prErr / Math.abs(pr);
      let sc: number;
      let rel: number;
      switch (method) {
        case "bitmex":
          sc = pr > 0 ? pr * L : pr / L;
          rel = relPr + relL + 2 * U;
          // The branch depends on the sign of pnlRatio; when floats cannot tell it, defer to exact.
          if (pr !== 0 && Math.abs(pr) <= prErr) rel = Infinity;
          break;
        case "binance":
          sc = pr >= 0 ? pr * L : pr / L;
          rel = relPr + relL + 2 * U;
          if (Math.abs(pr) <= prErr && prErr > 0) rel = Infinity;
          break;
        case "hyperliquid":
          sc = (side === "long" ? P / E : E / P) * L;
          rel = relL + 5 * U;
          break;
        default:
          sc = 0;
          rel = 0;
      }
      score[i] = sc;
      scoreErr[i] = sc === 0 && rel === 0 ? 0 : rel > USELESS || !Number.isFinite(rel) ? Infinity : 2 * rel * Math.abs(sc) + Number.MIN_VALUE;
    }

    // Bankruptcy price.
    const shift = M / QK;
    if (inverse) {
      const invE = 1 / E;
      const den = side === "long" ? invE + shift : invE - shift;
      const denErr = U * (3 * invE + 4 * shift + Math.abs(den));
      if (side === "short" && den <= denErr) {
        // The denominator is certainly <= 0, or floats cannot sign it: then the exact value decides.
        if (den < -denErr || refusesNoBankruptcyPrice(grid.market, positionValues(grid.market, p, `${pointerPrefix}/${i}`))) {
          lacksBp[i] = 1;
          cells[o + BP] = NaN;
          cells[o + BP_ERR] = 0;
        } else {
          cells[o + BP] = 1 / den;
          cells[o + BP_ERR] = Infinity;
        }
      } else {
        const b = 1 / den;
        cells[o + BP] = b;
        cells[o + BP_ERR] = 2 * (denErr / den + 2 * U) * b;
      }
    } else {
      const b = side === "long" ? E - shift : E + shift;
      const bErr = 2 * U * (Math.abs(E) + 4 * shift + Math.abs(b));
      if (side === "long" && b <= bErr) {
        cells[o + BP] = b < -bErr ? NaN : b;
        cells[o + BP_ERR] = b < -bErr ? 0 : Infinity;
      } else {
        cells[o + BP] = b;
        cells[o + BP_ERR] = bErr;
      }
    }
  }
  const issues = batchIssues(grid, positions, pointerPrefix, (i) => lacksBp[i] === 1, rules);
  if (issues.length > 0) throw new DomainError(issues);
  // Defence for extreme magnitudes: a key or bound that overflowed or became NaN carries no information, and NaN
  // would also be mistaken for "none" (lev, bp). Such a key becomes 0 with an infinite bound: the exact path decides.
  for (let i = 0; i < n; i++) {
    const o = i * CELLS;
    if (!Number.isFinite(score[i]!) ? !(score[i] === -Infinity && scoreErr[i] === 0) : !(scoreErr[i]! >= 0)) {
      score[i] = 0;
      scoreErr[i] = Infinity;
    }
    if (!Number.isFinite(cells[o + PNL]!) || !(cells[o + PNL_ERR]! >= 0)) {
      cells[o + PNL] = 0;
      cells[o + PNL_ERR] = Infinity;
    }
    if (!Number.isFinite(cells[o + LEV]!) ? !(Number.isNaN(cells[o + LEV]!) && cells[o + LEV_ERR]! === 0) : !(cells[o + LEV_ERR]! >= 0)) {
      cells[o + LEV] = 0;
      cells[o + LEV_ERR] = Infinity;
    }
    if (!Number.isFinite(cells[o + BP]!) ? !(Number.isNaN(cells[o + BP]!) && cells[o + BP_ERR]! === 0) : !(cells[o + BP_ERR]! >= 0)) {
      cells[o + BP] = 0;
      cells[o + BP_ERR] = Infinity;
    }
    cells[o + SCORE] = score[i]!;
    cells[o + SCORE_ERR] = scoreErr[i]!;
  }
  return { n, positions, longs, shorts, score, scoreErr, cells, size };
}
