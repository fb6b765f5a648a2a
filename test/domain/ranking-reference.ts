/**
 * Pure-decimal reference for the ADL queue, written independently of src/domain/ranking (no floats, no BigInt):
 * each score is a fraction num/den of decimal.js values whose products are exact at 160 digits, and comparisons
 * cross-multiply. The fast implementation must agree with it exactly, order and strings.
 */
import DecimalJs from "decimal.js";
import type { PositionInput } from "../../src/domain/types";

const D = DecimalJs.clone({ precision: 400, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -500, toExpPos: 500 });
type Dec = InstanceType<typeof D>;
interface Frac {
  num: Dec;
  den: Dec;
}
const frac = (num: Dec, den: Dec): Frac => (den.isNegative() ? { num: num.neg(), den: den.neg() } : { num, den });
const fmul = (a: Frac, b: Frac) => frac(a.num.mul(b.num), a.den.mul(b.den));
const fdiv = (a: Frac, b: Frac) => frac(a.num.mul(b.den), a.den.mul(b.num));
const fcmp = (a: Frac, b: Frac) => a.num.mul(b.den).cmp(b.num.mul(a.den));

export interface RefMarket {
  contractType: "linear" | "inverse";
  contractSize: string;
  tickSize: string;
}

export interface RefItem {
  accountId: string;
  score: Frac | null;
  pnlRatio: Frac;
  lev: Frac | null;
  bp: Frac | null;
  size: Dec;
}

export function refMetrics(method: "bitmex" | "binance" | "hyperliquid", m: RefMarket, mark: string, p: PositionInput): RefItem {
  const Q = new D(p.size), K = new D(m.contractSize), E = new D(p.entryPrice), P = new D(mark), M = new D(p.margin);
  const s = p.side === "long" ? 1 : -1;
  const one = new D(1);
  // Settlement-currency values as fractions (inverse: coin values have price denominators).
  let N: Frac, V: Frac, Upnl: Frac;
  if (m.contractType === "linear") {
    N = frac(Q.mul(K).mul(P), one);
    V = frac(Q.mul(K).mul(E), one);
    Upnl = frac(Q.mul(K).mul(P.minus(E)).mul(s), one);
  } else {
    N = frac(Q.mul(K), P);
    V = frac(Q.mul(K), E);
    Upnl = frac(Q.mul(K).mul(P.minus(E)).mul(s), E.mul(P));
  }
  const W = frac(M.mul(Upnl.den).plus(Upnl.num), Upnl.den);
  const A = p.accountValue !== undefined ? frac(new D(p.accountValue), one) : W;
  const den = method === "bitmex" ? W : A;
  const pnlRatio = method === "binance" ? fdiv(Upnl, N) : fdiv(Upnl, V);
  // Bankruptcy price, from margin + s*Q*K*(BP - E) = 0 (linear) or margin + s*Q*K*(1/E - 1/BP) = 0 (inverse).
  let bp: Frac | null;
  if (m.contractType === "linear") {
    const b = E.minus(M.div(Q.mul(K)).mul(s));
    bp = b.isPositive() && !b.isZero() ? frac(E.mul(Q).mul(K).minus(M.mul(s)), Q.mul(K)) : null;
  } else {
    // 1/BP = 1/E + s*M/(Q*K)  ->  BP = Q*K*E / (Q*K + s*M*E)
    const d = Q.mul(K).plus(M.mul(E).mul(s));
    bp = d.isPositive() && !d.isZero() ? frac(Q.mul(K).mul(E), d) : null;
  }
  if (den.num.isNegative() || den.num.isZero()) return { accountId: p.accountId, score: null, pnlRatio, lev: null, bp, size: Q };
  const lev = fdiv(N, den);
  let score: Frac;
  const pos = pnlRatio.num.isPositive() && !pnlRatio.num.isZero();
  const nonNeg = !pnlRatio.num.isNegative() || pnlRatio.num.isZero();
  if (method === "bitmex") score = pos ? fmul(pnlRatio, lev) : fdiv(pnlRatio, lev);
  else if (method === "binance") score = nonNeg ? fmul(pnlRatio, lev) : fdiv(pnlRatio, lev);
  else score = fmul(p.side === "long" ? frac(P, E) : frac(E, P), lev);
  return { accountId: p.accountId, score, pnlRatio, lev, bp, size: Q };
}

export function refOrder(items: RefItem[]): RefItem[] {
  return items.slice().sort((a, b) => {
    if (a.score === null || b.score === null) {
      if (a.score !== b.score) return a.score === null ? 1 : -1;
    } else {
      const c = fcmp(b.score, a.score);
      if (c !== 0) return c;
    }
    const c = b.size.cmp(a.size);
    if (c !== 0) return c;
    return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
  });
}

const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
const wire = (x: Dec) => {
  const s = trim(x.toFixed());
  return s === "-0" ? "0" : s;
};
export function refRatio(f: Frac | null): string | null {
  if (f === null) return null;
  return wire(f.num.div(f.den).toDecimalPlaces(8, DecimalJs.ROUND_HALF_EVEN));
}
/** Long: up; short: down, onto the tick grid. */
export function refBp(f: Frac | null, tick: string, side: "long" | "short"): string | null {
  if (f === null) return null;
  const t = new D(tick);
  const ticks = f.num.div(f.den).div(t);
  const k = side === "long" ? ticks.ceil() : ticks.floor();
  return wire(k.mul(t));
}
