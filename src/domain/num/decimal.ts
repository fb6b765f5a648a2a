/**
 * Exact decimal arithmetic for the domain core: strict parsing of wire strings, named rounding, wire formatting.
 * Plain data in, result out; no I/O, no clock.
 *
 * Every amount is a decimal.js value from the local clone below, never a binary float. Sums and products of validated
 * inputs (at most MAX_SIGNIFICANT_DIGITS digits each) stay far below PRECISION digits, so they are exact; formulas
 * are written with a single final division, and decimal.js rounds a division correctly, so a quotient that has a
 * finite expansion within PRECISION digits (in particular every value on an AMOUNT_DP grid) is exact as well. What
 * remains (a non-terminating quotient) is off by less than 1e-150 relative, and only the named helpers below round
 * to what leaves the service.
 */
import DecimalJs from "decimal.js";
import { fail } from "../fields";
import { EXPONENT_RE, MAX_DECIMAL_LENGTH as MAX_LENGTH, MAX_SIGNIFICANT_DIGITS, NONZERO_DIGIT_RE, PLAIN_DECIMAL_RE as DECIMAL_RE, tooManySignificantDigits } from "./decimal-syntax";

export const PRECISION = 160;

/** The only Decimal constructor the domain uses: values made with the global default (20 digits) would round. */
export const Decimal = DecimalJs.clone({
  precision: PRECISION,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/** s*x for a side sign s, without allocating for longs. */
export function signed(x: Decimal, sign: 1 | -1): Decimal {
  return sign === 1 ? x : x.neg();
}

/** Decimal places of money results: notional, PnL, margin. */
export const AMOUNT_DP = 8;
/** Decimal places of dimensionless results: pnlRatio, effectiveLeverage, scores (always half-even). */
export const RATIO_DP = 8;
/** Default market tick when the market names none. */
export const DEFAULT_TICK_SIZE = "0.00000001";
/** The lexical rules (the domain's and the wire's, and why they differ) live in decimal-syntax.ts. */
export { MAX_SIGNIFICANT_DIGITS } from "./decimal-syntax";

/** Says why a string is not a plain decimal, precisely enough for a client to fix it. */
function shapeComplaint(value: string): string {
  if (value.length === 0) return "empty string is not a decimal";
  if (/\s/.test(value)) return "whitespace is not allowed in a decimal";
  if (value.startsWith("+")) return "a leading '+' is not allowed";
  if (/^-?0[0-9]/.test(value)) return "leading zeros are not allowed";
  if (/^-?\./.test(value) || /\.$/.test(value)) return "a decimal point needs digits on both sides";
  return "expected a decimal string such as \"12.5\" or \"-0.001\"";
}

/** A refusal of a decimal string, before it is placed at a pointer. */
export interface DecimalRefusal {
  code: string;
  message: string;
}

const NEGATIVE_ZERO: DecimalRefusal = { code: "not_decimal", message: "negative zero is not allowed" };
const TOO_MANY_SIGNIFICANT_DIGITS: DecimalRefusal = { code: "too_many_digits", message: `more than ${MAX_SIGNIFICANT_DIGITS} significant digits` };

/**
 * The domain rule's checks of a string that already has the plain shape (PLAIN_DECIMAL_RE) and at most
 * MAX_DECIMAL_LENGTH characters, in parseDecimal's order: negative zero ("-0", "-0.00"), then more than
 * MAX_SIGNIFICANT_DIGITS significant digits; null when it passes. Written once: parseDecimal refuses with it, and so
 * do the batch rules (ranking/spec/batch.ts) for every amount of a batch whose shape the wire rule checked (which lets
 * both through: its signed pattern accepts "-0", its patterns bound written digits, not significant ones).
 */
export function plainDecimalRefusal(value: string): DecimalRefusal | null {
  if (value.charCodeAt(0) === 45 && !NONZERO_DIGIT_RE.test(value)) return NEGATIVE_ZERO;
  if (tooManySignificantDigits(value)) return TOO_MANY_SIGNIFICANT_DIGITS;
  return null;
}

/**
 * Parses a decimal wire string: optional '-', digits without leading zeros (except a lone "0"), optional fraction;
 * no '+', no exponent, no whitespace, no negative zero, at most MAX_SIGNIFICANT_DIGITS significant digits.
 * Trailing fraction zeros are accepted ("1.50" is 1.5).
 */
export function parseDecimal(value: unknown, pointer: string): Decimal {
  if (typeof value !== "string") fail(pointer, "not_decimal", "expected a decimal string");
  if (value.length > MAX_LENGTH) fail(pointer, "too_many_digits", `longer than ${MAX_LENGTH} characters`);
  if (!DECIMAL_RE.test(value)) {
    if (EXPONENT_RE.test(value)) fail(pointer, "exponent_notation", "exponent notation is not allowed; write the digits out");
    fail(pointer, "not_decimal", shapeComplaint(value));
  }
  const refusal = plainDecimalRefusal(value);
  if (refusal !== null) fail(pointer, refusal.code, refusal.message);
  return new Decimal(value);
}

/**
 * The length and digit limits `parseDecimal` puts on a wire string, applied to a computed value that is quoted on
 * the wire as if it had been sent (the ADL price a queue walk fills at): the same codes and messages, in the same
 * order, as parsing its wire string would give, without building a second Decimal from it.
 */
export function checkWireLimits(x: Decimal, pointer: string): Decimal {
  if (toWire(x).length > MAX_LENGTH) fail(pointer, "too_many_digits", `longer than ${MAX_LENGTH} characters`);
  if (!x.isZero() && x.sd(true) > MAX_SIGNIFICANT_DIGITS) fail(pointer, TOO_MANY_SIGNIFICANT_DIGITS.code, TOO_MANY_SIGNIFICANT_DIGITS.message);
  return x;
}

function checkDecimals(x: Decimal, pointer: string, maxDecimals: number | undefined): Decimal {
  if (maxDecimals !== undefined && x.decimalPlaces() > maxDecimals) {
    fail(pointer, "too_many_decimals", `at most ${maxDecimals} decimal places allowed`);
  }
  return x;
}

/** A decimal > 0, optionally with at most `maxDecimals` decimal places (counted on the value, not the text). */
export function parsePositive(value: unknown, pointer: string, maxDecimals?: number): Decimal {
  const x = parseDecimal(value, pointer);
  if (x.lte(0)) fail(pointer, "not_positive", "must be greater than 0");
  return checkDecimals(x, pointer, maxDecimals);
}

/** A decimal >= 0, optionally with at most `maxDecimals` decimal places. */
export function parseNonNegative(value: unknown, pointer: string, maxDecimals?: number): Decimal {
  const x = parseDecimal(value, pointer);
  if (x.isNeg()) fail(pointer, "negative", "must not be negative");
  return checkDecimals(x, pointer, maxDecimals);
}

/** A decimal of any sign (e.g. an account value, which may be negative), optionally limited in decimal places. */
export function parseSigned(value: unknown, pointer: string, maxDecimals?: number): Decimal {
  return checkDecimals(parseDecimal(value, pointer), pointer, maxDecimals);
}

/** A rate in [0, 1): maintenance margin rates, fee rates. */
export function parseRate(value: unknown, pointer: string): Decimal {
  const x = parseNonNegative(value, pointer);
  if (x.gte(1)) fail(pointer, "rate_out_of_range", "must be less than 1");
  return x;
}

/**
 * Rounding directions. "down" is toward -infinity (floor) and "up" toward +infinity (ceiling) for both signs, so a
 * call site can say which party a rounding favours without reasoning about the sign; "half-even" is for figures that
 * move no money (ratios, scores) and must not drift in one direction.
 */
export type RoundingMode = "down" | "up" | "half-even";

const MODE: Record<RoundingMode, DecimalJs.Rounding> = {
  down: DecimalJs.ROUND_FLOOR,
  up: DecimalJs.ROUND_CEIL,
  "half-even": DecimalJs.ROUND_HALF_EVEN,
};

/** Rounds to `dp` decimal places in the named direction (see RoundingMode). */
export function roundToDecimals(x: Decimal, dp: number, mode: RoundingMode): Decimal {
  return x.toDecimalPlaces(dp, MODE[mode]);
}

/**
 * Rounds to a whole multiple of `step` (e.g. a tick of "0.5") in the named direction. decimal.js computes the
 * quotient's integer part and the rounding from the exact remainder, so a value already on the grid is unchanged.
 */
export function roundToStep(x: Decimal, step: Decimal, mode: RoundingMode): Decimal {
  return x.toNearest(step, MODE[mode]);
}

/**
 * Wire format: plain digits (never exponent notation), trailing fraction zeros trimmed, never "-0". Callers round
 * first with a named helper; this function only formats.
 */
export function toWire(x: Decimal): string {
  if (!x.isFinite()) throw new RangeError("cannot put a non-finite decimal on the wire");
  if (x.isZero()) return "0";
  return x.toFixed();
}

/** Money result on the wire: AMOUNT_DP places in the caller's named direction. */
export function amountToWire(x: Decimal, mode: RoundingMode): string {
  return toWire(roundToDecimals(x, AMOUNT_DP, mode));
}

/** Ratio on the wire: RATIO_DP places, half-even (ratios move no money, so no party needs favouring). */
export function ratioToWire(x: Decimal): string {
  return toWire(roundToDecimals(x, RATIO_DP, "half-even"));
}
