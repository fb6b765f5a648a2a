/**
 * ADL ranking methods and the exact value of each score (BigInt rationals).
 *
 * All values are in the settlement currency, so one definition serves linear and inverse contracts:
 *   linear:  notional N = Q*K*P,  entry value V = Q*K*E,  uPnL U = s*Q*K*(P - E)
 *   inverse: notional N = Q*K/P,  entry value V = Q*K/E,  uPnL U = s*Q*K*(1/E - 1/P)
 *   equity W = M + U (margin plus uPnL); account value A = accountValue when given, else W.
 *
 * - bitmex (BitMEX "Auto-Deleveraging" page): pnlPct = U/V (= (markValue - entryValue)/|entryValue|),
 *   effLev = N/W (= |markValue|/(markValue - bankruptValue), since markValue - bankruptValue = M + U);
 *   score = pnlPct*effLev when pnlPct > 0, else pnlPct/effLev.
 * - binance (Binance Futures ADL FAQ): pnlPct = U/N (uPnL over notional at mark), effLev = N/A
 *   (A = walletBalance + account uPnL); score = pnlPct*effLev when pnlPct >= 0, else pnlPct/effLev.
 * - hyperliquid (Hyperliquid docs, "Auto-deleveraging"): score = (mark/entry) * (notional/accountValue) as published
 *   for longs. The formula is published side-agnostic; for shorts this service uses (entry/mark) so that, mirroring
 *   longs, the short that gained most from the move and is most levered is first. pnlRatio = U/V, effLev = N/A.
 * - random (dYdX v4 `deleveraging.go`): no score; see random-walk.ts. pnlRatio = U/V, effLev = N/W are reported.
 *
 * A position whose leverage denominator (W, or A) is <= 0 is at or past bankruptcy at mark: it is itself due for
 * liquidation, its effective leverage is undefined (reported null), and it goes to the end of the queue
 * (score = -infinity, reported null).
 */
import { type Rational, add, cmp, div, mul, ratFromDecimal, sign, sub, ZERO } from "../../num/rational";
import type { Side } from "../../types";

export const RANKING_METHODS = ["bitmex", "binance", "hyperliquid", "random"] as const;
export type RankingMethod = (typeof RANKING_METHODS)[number];

export interface ExactContext {
  inverse: boolean;
  K: Rational;
  P: Rational;
}

export interface ExactInput {
  side: Side;
  size: string;
  entryPrice: string;
  margin: string;
  accountValue?: string;
}

/** Score: a rational, or null for "minus infinity" (position at or past bankruptcy at mark). */
export interface ExactMetrics {
  score: Rational | null;
  pnlRatio: Rational;
  effectiveLeverage: Rational | null;
}

/**
 * The PnL formula (position.ts pnlAt) in exact rationals: `QK` = q*K entered at E (side sign s), valued at x:
 * linear s*QK*(x - E), inverse s*QK*(1/E - 1/x). The rational uPnL of the scores below, and the exact principal check
 * of the compare metrics (policies/principal.ts: the haircut per contract is one contract entered at the ADL price,
 * valued at mark).
 */
export function exactPnl(inverse: boolean, sign: 1 | -1, QK: Rational, E: Rational, x: Rational): Rational {
  const s = { n: sign === 1 ? 1n : -1n, d: 1n };
  return inverse ? mul(s, sub(div(QK, E), div(QK, x))) : mul(s, sub(mul(QK, x), mul(QK, E)));
}

export function exactMetrics(method: RankingMethod, ctx: ExactContext, p: ExactInput): ExactMetrics {
  const Q = ratFromDecimal(p.size);
  const E = ratFromDecimal(p.entryPrice);
  const M = ratFromDecimal(p.margin);
  const QK = mul(Q, ctx.K);
  const N = ctx.inverse ? div(QK, ctx.P) : mul(QK, ctx.P);
  const V = ctx.inverse ? div(QK, E) : mul(QK, E);
  const U = exactPnl(ctx.inverse, p.side === "long" ? 1 : -1, QK, E, ctx.P);
  const W = add(M, U);
  const A = p.accountValue !== undefined ? ratFromDecimal(p.accountValue) : W;
  const levDen = method === "binance" || method === "hyperliquid" ? A : W;
  const pnlRatio = method === "binance" ? div(U, N) : div(U, V);
  if (sign(levDen) <= 0) return { score: null, pnlRatio, effectiveLeverage: null };
  const effectiveLeverage = div(N, levDen);
  let score: Rational;
  switch (method) {
    case "bitmex":
      score = sign(pnlRatio) > 0 ? mul(pnlRatio, effectiveLeverage) : div(pnlRatio, effectiveLeverage);
      break;
    case "binance":
      score = sign(pnlRatio) >= 0 ? mul(pnlRatio, effectiveLeverage) : div(pnlRatio, effectiveLeverage);
      break;
    case "hyperliquid":
      score = mul(p.side === "long" ? div(ctx.P, E) : div(E, ctx.P), effectiveLeverage);
      break;
    case "random":
      score = ZERO;
      break;
  }
  return { score, pnlRatio, effectiveLeverage };
}

/** Descending-score comparison of exact scores, null (minus infinity) last. */
export function cmpScoreDesc(a: Rational | null, b: Rational | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return -cmp(a, b);
}
