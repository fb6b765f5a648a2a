/**
 * The lexical rules of decimal strings: which texts are decimals at all, written once. Two layers check them, and
 * they accept different sets on purpose, so both rules are named here side by side:
 *
 *   - The wire rule (EDGE_*): what the HTTP schemas accept (src/http/schemas/common.ts, and its plain-loop
 *     acceleration src/http/fast-batch.ts) and publish in openapi.yaml as `pattern` + `maxLength`. A JSON Schema
 *     pattern cannot count significant digits, so the wire rule bounds the *written* digits instead: at most 40
 *     integer digits and at most 40 fraction digits (a positive number below 1 may have its first non-zero digit
 *     among the first 40 fraction digits and any number of digits after it, bounded by the length), and a length of
 *     at most 82 characters signed, 81 unsigned.
 *   - The domain rule (PLAIN_DECIMAL_RE, MAX_DECIMAL_LENGTH, MAX_SIGNIFICANT_DIGITS): what parseDecimal
 *     (decimal.ts) accepts from any caller, HTTP or not: any plain decimal of at most 100 characters with at most 40
 *     significant digits, the bound that keeps every sum and product of inputs exact at decimal.ts's PRECISION.
 *
 * Neither contains the other: "0.<45 zeros>1" is a domain decimal (1 significant digit) the wire refuses (more than
 * 40 fraction digits), and a 41-digit integer or "-0" are wire decimals the domain refuses (too_many_digits,
 * not_decimal). A request goes through both: the wire rule at the edge on every field the schemas declare, the domain
 * rule when the domain parses a field, or, for a position batch, for every amount of the batch at once
 * (ranking/spec/batch.ts calls parseDecimal's own remaining checks, decimal.ts plainDecimalRefusal). Changing either
 * changes which requests the API accepts, so they stay as they are and differ where this comment says.
 */

/** Longest wire decimal, signed: '-', 40 integer digits, '.', 40 decimals (also bounds the `0.000...1` branch of EDGE_POSITIVE_RE, which alone is unbounded). */
export const DECIMAL_MAX_LENGTH = 82;
/** Longest wire decimal without a sign. */
export const UNSIGNED_DECIMAL_MAX_LENGTH = 81;
/** Wire: a signed decimal; no exponent, no '+', no leading zeros, at most 40 integer and 40 fraction digits. */
export const EDGE_DECIMAL_RE = /^-?(?:0|[1-9]\d{0,39})(?:\.\d{1,40})?$/;
/** Wire: a decimal > 0 (some non-zero digit), same digit bounds; below 1, the first non-zero digit within 40 decimals. */
export const EDGE_POSITIVE_RE = /^(?:0\.\d{0,39}[1-9]\d*|[1-9]\d{0,39}(?:\.\d{1,40})?)$/;
/**
 * Wire: the simulation parameters' signed decimal, the same set as EDGE_DECIMAL_RE (whose digit bounds also cap its
 * length at 82) written with capturing groups: openapi.yaml publishes this text, so it keeps its spelling.
 */
export const EDGE_PARAM_DECIMAL_RE = /^-?(0|[1-9]\d{0,39})(\.\d{1,40})?$/;
/** Wire: a decimal >= 0, same digit bounds. */
export const EDGE_NON_NEGATIVE_RE = /^(?:0|[1-9]\d{0,39})(?:\.\d{1,40})?$/;

/** Domain: optional '-', digits without leading zeros (except a lone "0"), optional fraction; no '+', exponent or whitespace. */
export const PLAIN_DECIMAL_RE = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** Domain: PLAIN_DECIMAL_RE without the sign (the accelerations' check of a positive field, with NONZERO_DIGIT_RE). */
export const UNSIGNED_PLAIN_DECIMAL_RE = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** Some digit is not zero: a plain decimal matching this is not zero (so not "-0", and > 0 when unsigned). */
export const NONZERO_DIGIT_RE = /[1-9]/;
/** Exponent notation, recognised only to name it in the error (it is never accepted). */
export const EXPONENT_RE = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/;
/** Domain: longer strings are rejected before any digit is looked at, so a hostile body cannot cost a large allocation. */
export const MAX_DECIMAL_LENGTH = 100;
/**
 * Domain: inputs carry at most this many significant digits (first non-zero digit to last written digit), so sums
 * and products of inputs stay exact at decimal.ts's PRECISION. A string of at most this many characters meets this
 * and MAX_DECIMAL_LENGTH by its length alone (the accelerations' cheap check).
 */
export const MAX_SIGNIFICANT_DIGITS = 40;

/** Significant digits of a plain decimal string as MAX_SIGNIFICANT_DIGITS counts them: every digit after the leading zeros. */
export function significantDigits(s: string): number {
  return s.replace(/[-.]/g, "").replace(/^0+/, "").length;
}

/** Whether a plain decimal string has more than MAX_SIGNIFICANT_DIGITS significant digits (its length alone clears most). */
export function tooManySignificantDigits(s: string): boolean {
  return s.length > MAX_SIGNIFICANT_DIGITS && significantDigits(s) > MAX_SIGNIFICANT_DIGITS;
}
