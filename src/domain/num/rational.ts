/**
 * Exact rationals over BigInt, used where floats cannot decide: near-tie comparisons in the ADL queue and the
 * fall-back formatting of scores and prices. Denominators are kept positive; no gcd reduction (values live for one
 * comparison or one formatting, and the operand sizes are bounded by a handful of multiplications).
 */
export interface Rational {
  n: bigint;
  d: bigint;
}

const POW10: bigint[] = [];
export function pow10(k: number): bigint {
  let v = POW10[k];
  if (v === undefined) {
    v = 10n ** BigInt(k);
    POW10[k] = v;
  }
  return v;
}

/** Exact value of a decimal string that already passed the strict decimal-string check (no exponent). */
export function ratFromDecimal(s: string): Rational {
  const dot = s.indexOf(".");
  if (dot < 0) return { n: BigInt(s), d: 1n };
  return { n: BigInt(s.slice(0, dot) + s.slice(dot + 1)), d: pow10(s.length - dot - 1) };
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };
export const int = (k: number | bigint): Rational => ({ n: BigInt(k), d: 1n });
export const add = (a: Rational, b: Rational): Rational => (a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const sub = (a: Rational, b: Rational): Rational => (a.d === b.d ? { n: a.n - b.n, d: a.d } : { n: a.n * b.d - b.n * a.d, d: a.d * b.d });
export const mul = (a: Rational, b: Rational): Rational => ({ n: a.n * b.n, d: a.d * b.d });
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError("division by zero");
  return b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n };
}
export const sign = (a: Rational): number => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);
/** Three-way comparison by cross-multiplication (denominators are positive). */
export function cmp(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export type RoundMode = "half-even" | "up" | "down";

/**
 * Rounds `a` to `dp` decimal places and returns the scaled integer (value * 10^dp).
 * "up" is toward +infinity, "down" toward -infinity, "half-even" to nearest with ties to even.
 */
export function roundScaled(a: Rational, dp: number, mode: RoundMode): bigint {
  const num = a.n * pow10(dp);
  let q = num / a.d; // truncates toward zero
  let r = num % a.d;
  if (r < 0n) {
    q -= 1n; // floor
    r += a.d;
  }
  if (r === 0n) return q;
  if (mode === "down") return q;
  if (mode === "up") return q + 1n;
  const twice = 2n * r;
  if (twice > a.d || (twice === a.d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Wire form of a scaled integer: plain decimal, trailing zeros trimmed, never "-0", never exponent notation. */
export function scaledToWire(scaled: bigint | number, dp: number): string {
  let negative = scaled < 0;
  let digits = (negative ? -scaled : scaled).toString();
  if (dp > 0) {
    if (digits.length <= dp) digits = "0".repeat(dp - digits.length + 1) + digits;
    let intPart = digits.slice(0, digits.length - dp);
    let frac = digits.slice(digits.length - dp);
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    digits = frac ? `${intPart}.${frac}` : intPart;
    if (negative && /^0(\.0*)?$/.test(digits)) negative = false;
  } else if (digits === "0") {
    negative = false;
  }
  return negative ? "-" + digits : digits;
}

export function ratToWire(a: Rational, dp: number, mode: RoundMode): string {
  return scaledToWire(roundScaled(a, dp, mode), dp);
}
