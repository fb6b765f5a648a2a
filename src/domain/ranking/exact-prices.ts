/**
 * Exact bankruptcy price on the tick grid, the fall-back of the fast formatter and the reference for tests.
 * linear: BP = E - s*M/(Q*K); inverse: long Q*K/(Q*K/E + M), short Q*K/(Q*K/E - M) (none when M >= Q*K/E).
 * Rounded onto the tick grid in the fund's favour: a long's BP up, a short's down, so that closing at the rounded
 * BP leaves a non-negative remainder of margin (to the fund) and never needs a fund payment (as dYdX v4 rounds).
 * A linear long with M >= Q*K*E cannot go bankrupt at a positive price: null.
 */
import { type Rational, add, div, mul, ratFromDecimal, roundScaled, sign, sub } from "./rational";
import type { Side } from "../types";

export function exactBankruptcyPrice(inverse: boolean, K: Rational, side: Side, size: string, entryPrice: string, margin: string): Rational | null {
  const QK = mul(ratFromDecimal(size), K);
  const E = ratFromDecimal(entryPrice);
  const M = ratFromDecimal(margin);
  let bp: Rational;
  if (inverse) {
    const den = side === "long" ? add(div(QK, E), M) : sub(div(QK, E), M);
    if (sign(den) <= 0) return null;
    bp = div(QK, den);
  } else {
    const shift = div(M, QK);
    bp = side === "long" ? sub(E, shift) : add(E, shift);
  }
  return sign(bp) > 0 ? bp : null;
}

/** Whole number of ticks of the fund-favouring rounding of `bp` (long: up, short: down). */
export function bankruptcyTicks(bp: Rational, tick: Rational, side: Side): bigint {
  return roundScaled(div(bp, tick), 0, side === "long" ? "up" : "down");
}
