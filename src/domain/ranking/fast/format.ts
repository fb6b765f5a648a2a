/**
 * Rounding of float keys that is exact when it answers. A float `f` with error bound `err` brackets the exact value
 * in [f - err, f + err]; if every value of that interval rounds to the same result, that result is the correctly
 * rounded exact value, whatever the rounding rule. Otherwise (or when the scaled value is beyond 2^52) these return
 * NaN and the caller rounds the exact rational instead (../rank.ts). So results are always exact roundings, and almost
 * always cheap.
 */
import type { RoundMode } from "../../num/rational";
import { UNIT_ROUNDOFF } from "../../num/float-screens";

const SAFE = 2 ** 52;
const U = UNIT_ROUNDOFF;
/** 10 ** dp for the usual dp, computed once by the same expression (Math.pow per cell cost ~25 ns, 300k cells a batch). */
const POW10 = Array.from({ length: 23 }, (_, dp) => 10 ** dp);

/**
 * Round half-even to `dp` decimals (ratios: score, pnlRatio, effectiveLeverage), as the scaled integer
 * (value * 10^dp, below 2^52), or NaN when floats do not decide.
 */
export function fastRatioScaled(f: number, err: number, dp: number): number {
  if (err !== Infinity) {
    const scale = POW10[dp] ?? 10 ** dp;
    const slack = (Math.abs(f) + err) * 4 * U;
    const lo = (f - err - slack) * scale;
    const hi = (f + err + slack) * scale;
    const margin = (Math.abs(lo) + Math.abs(hi)) * 2 * U;
    const a = lo - margin;
    const b = hi + margin;
    if (Math.abs(a) < SAFE && Math.abs(b) < SAFE) {
      const k = Math.floor(a + 0.5);
      if (k === Math.floor(b + 0.5) && a + 0.5 !== k) return k;
    }
  }
  return NaN;
}

/**
 * Directed rounding onto a grid of `step`: "up" toward +infinity, "down" toward -infinity, as the whole number of
 * steps, or NaN when floats do not decide. Callers state why their direction is safe.
 */
export function fastGridSteps(f: number, err: number, step: number, mode: Exclude<RoundMode, "half-even">): number {
  if (!stepBracket(f, err, step)) return NaN;
  const a = bracketLo;
  const b = bracketHi;
  const ka = mode === "up" ? Math.ceil(a) : Math.floor(a);
  const kb = mode === "up" ? Math.ceil(b) : Math.floor(b);
  // Same grid point at both ends, and neither end sitting exactly on a grid point.
  return ka === kb && ka !== a && kb !== b ? ka : NaN;
}

/**
 * The one grid point k (in steps) inside the float bracket of `f`, when exactly one is: then the exact value lies in
 * (k - 1, k + 1) steps, and its sign against k alone decides any directed rounding (./grid-price.ts). NaN otherwise.
 */
export function gridPointInBracket(f: number, err: number, step: number): number {
  if (!stepBracket(f, err, step)) return NaN;
  const k = Math.ceil(bracketLo);
  return k === Math.floor(bracketHi) ? k : NaN;
}

/** The last bracket stepBracket computed (module scratch: the per-position hot path allocates nothing). */
let bracketLo = 0;
let bracketHi = 0;

/**
 * Sets [bracketLo, bracketHi] in steps, certain to hold the exact value / step (the float bound plus every rounding of
 * this arithmetic); false when the bound is infinite or the bracket reaches 2^52.
 */
function stepBracket(f: number, err: number, step: number): boolean {
  if (err === Infinity) return false;
  const slack = (Math.abs(f) + err) * 4 * U;
  const lo = (f - err - slack) / step;
  const hi = (f + err + slack) / step;
  const margin = (Math.abs(lo) + Math.abs(hi)) * 4 * U;
  bracketLo = lo - margin;
  bracketHi = hi + margin;
  return Math.abs(bracketLo) < SAFE && Math.abs(bracketHi) < SAFE;
}
