/**
 * Wire formatting of float keys with an exact fall-back. A float `f` with error bound `err` brackets the exact value
 * in [f - err, f + err]; if every value of that interval rounds to the same result, that result is the correctly
 * rounded exact value, whatever the rounding rule. Otherwise (or when the scaled value is beyond 2^53) the exact
 * rational decides. So the strings are always exact roundings, and almost always cheap.
 */
import { type Rational, ratToWire, type RoundMode, scaledToWire } from "./rational";

const SAFE = 2 ** 52;
const U = 2 ** -53;

/** Round half-even to `dp` decimals (ratios: score, pnlRatio, effectiveLeverage). */
export function formatRatio(f: number, err: number, dp: number, exact: () => Rational): string {
  return fastRatio(f, err, dp) ?? ratToWire(exact(), dp, "half-even");
}

/** The float path of formatRatio alone: the exact rounding, or undefined when the bound does not decide it. */
export function fastRatio(f: number, err: number, dp: number): string | undefined {
  const k = fastRatioScaled(f, err, dp);
  return k === k ? scaledToWire(k, dp) : undefined;
}

/** As fastRatio, as the scaled integer (value * 10^dp, below 2^52), or NaN when floats do not decide. */
export function fastRatioScaled(f: number, err: number, dp: number): number {
  if (err !== Infinity) {
    const scale = 10 ** dp;
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
 * Directed rounding onto a grid of `step` (= stepInt / 10^stepDp): "up" toward +infinity, "down" toward -infinity.
 * Callers state why their direction is safe.
 */
export function formatOnGrid(f: number, err: number, step: number, stepInt: bigint, stepDp: number, mode: Exclude<RoundMode, "half-even">, exact: () => bigint): string {
  return fastOnGrid(f, err, step, stepInt, stepDp, mode) ?? scaledToWire(exact() * stepInt, stepDp);
}

/** The float path of formatOnGrid alone, or undefined when the bound does not decide it. */
export function fastOnGrid(f: number, err: number, step: number, stepInt: bigint, stepDp: number, mode: Exclude<RoundMode, "half-even">): string | undefined {
  const k = fastGridSteps(f, err, step, mode);
  if (k !== k) return undefined;
  return stepInt === 1n ? scaledToWire(k, stepDp) : scaledToWire(BigInt(k) * stepInt, stepDp);
}

/** As fastOnGrid, as the whole number of steps, or NaN when floats do not decide. */
export function fastGridSteps(f: number, err: number, step: number, mode: Exclude<RoundMode, "half-even">): number {
  if (err !== Infinity) {
    const slack = (Math.abs(f) + err) * 4 * U;
    const lo = (f - err - slack) / step;
    const hi = (f + err + slack) / step;
    const margin = (Math.abs(lo) + Math.abs(hi)) * 4 * U;
    const a = lo - margin;
    const b = hi + margin;
    if (Math.abs(a) < SAFE && Math.abs(b) < SAFE) {
      const ka = mode === "up" ? Math.ceil(a) : Math.floor(a);
      const kb = mode === "up" ? Math.ceil(b) : Math.floor(b);
      // Same grid point at both ends, and neither end sitting exactly on a grid point.
      if (ka === kb && ka !== a && kb !== b) return ka;
    }
  }
  return NaN;
}

