/**
 * Decimal strings as scaled integers, read without decimal objects: the allocation-free helpers the ranking and
 * policy hot paths share. Inputs are strict non-negative decimal strings (already checked by the HTTP schemas).
 */

/** Decimal places of a strict decimal string, ignoring trailing zeros ("1.50" has 1). */
export function decimalsOf(s: string): number {
  const dot = s.indexOf(".");
  if (dot < 0) return 0;
  let end = s.length;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/**
 * Integer value of `s * 10^dp` read digit by digit without allocating, or NaN when it is not an integer below 2^53
 * (then the BigInt path decides). `s` is a strict non-negative decimal string.
 */
export function scaledInt(s: string, dp: number): number {
  let v = 0;
  let frac = -1;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 46) {
      frac = 0;
      continue;
    }
    if (frac >= 0) {
      frac++;
      if (frac > dp) {
        if (c !== 48) return NaN;
        continue;
      }
    }
    v = v * 10 + (c - 48);
  }
  for (let k = frac < 0 ? 0 : frac; k < dp; k++) v *= 10;
  return v < 2 ** 53 ? v : NaN;
}

/** Exact test that decimal string `s` is a whole multiple of `step` (both positive strict decimals). */
export function isMultipleOf(s: string, step: string): boolean {
  const dp = Math.max(decimalsOf(s), decimalsOf(step));
  const fa = scaledInt(s, dp);
  const fb = scaledInt(step, dp);
  if (fa === fa && fb === fb) return fa % fb === 0;
  return scaledBig(s, dp) % scaledBig(step, dp) === 0n;
}

const SMALL: bigint[] = [];
/** BigInt(n) for a safe integer n, shared for small values (lot counts mostly are): no allocation per account. */
export function big(n: number): bigint {
  return n >= 0 && n < 65536 ? (SMALL[n] ??= BigInt(n)) : BigInt(n);
}

/** Exact s*10^dp of a strict non-negative decimal string with at most dp significant decimals. */
export function scaledBig(s: string, dp: number): bigint {
  const f = scaledInt(s, dp);
  if (f === f) return big(f);
  const dot = s.indexOf(".");
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? "" : s.slice(dot + 1, dot + 1 + dp);
  return BigInt(int + frac.padEnd(dp, "0"));
}
