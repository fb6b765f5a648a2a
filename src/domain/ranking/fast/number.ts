/**
 * Number(s) for the decimal strings of a batch, without V8's general string-to-number conversion (a runtime call,
 * ~70 ns a string: 300k strings a 100k-position batch). For a plain decimal of at most 15 digits (digits, at most one
 * point, nothing else) the digits form an integer m < 10^15 < 2^53 and the fraction length f is at most 15, so m and
 * 10^f are exact doubles and m / 10^f, one correctly rounded IEEE division, is the double nearest the decimal: the
 * value Number(s) returns (it rounds correctly). Anything else (longer, signed, exponent, no digit) is Number(s)
 * itself. Proven equal to Number by test/domain/ranking-fast-number.property.test.ts.
 */

/** 10 ** f for the fraction lengths of the fast path (exact doubles up to 10^22). */
const POW10 = Array.from({ length: 16 }, (_, f) => 10 ** f);

/** Strings longer than this (15 digits and a point) go to Number(). */
const FAST_LENGTH = 16;

export function decimalNumber(s: string): number {
  const n = s.length;
  if (n > FAST_LENGTH) return Number(s);
  let m = 0;
  let digits = 0;
  let f = -1;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x2e) {
      if (f >= 0) return Number(s);
      f = 0;
      continue;
    }
    const d = c - 0x30;
    if (d < 0 || d > 9) return Number(s);
    m = m * 10 + d;
    digits++;
    if (f >= 0) f++;
  }
  if (digits === 0 || digits > 15) return Number(s);
  return f > 0 ? m / POW10[f]! : m;
}
