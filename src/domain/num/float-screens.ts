/**
 * The double-precision screens of the exact engine, each named once with the error bound that justifies it.
 *
 * A screen lets a double decide a comparison, a floor or a rounding only when the double is farther from the
 * decision boundary than the double can be wrong; anything closer is decided by the exact value (Decimal, BigInt
 * rational or scaled integer). So a screen changes speed, never a result, provided its bound holds: each constant
 * below says why it does, with a margin. Plain numbers, no I/O.
 */

/** Unit roundoff of IEEE 754 binary64: one correctly rounded operation is within this much, relative. */
export const UNIT_ROUNDOFF = 2 ** -53;

/**
 * A double quotient of two doubles each read from an exact value (Decimal.toNumber, BigInt -> Number: correctly
 * rounded) is within 3*2^-53 (about 3.3e-16) relative of the exact quotient (two reads and one division). A quotient
 * compared with another such quotient or level is certain when they differ by more than this relative gap: 1e-12 is
 * over 1,000 times the combined error. Used by capped-pro-rata (level test), leverage-draining (water level) and the
 * metrics' maximum ratio.
 */
export const QUOTIENT_SCREEN = 1e-12;

/**
 * Order of two such quotients (leverage-draining's fill order): their errors add to at most 6*2^-53 (about 6.7e-16)
 * of the larger, so a relative gap above 1e-15 is their true order; closer pairs are cross-multiplied exactly.
 */
export const QUOTIENT_ORDER_SCREEN = 1e-15;

/**
 * Order of two doubles each read from an exact value (within 2^-53 relative each): when they differ by more than
 * 1e-9 of the larger, their order is the exact order, with a margin of about 10^6 (metrics' sorts).
 */
export const READ_ORDER_SCREEN = 1e-9;

/**
 * Shares estimated in doubles (pro-rata family, common.ts): callers guarantee an error below
 * magnitude * SHARE_RELATIVE_ERROR, where magnitude bounds the terms in lots (a few roundings of values up to
 * magnitude: under 8*2^-53, about 8.9e-16, rounded up to 1e-15).
 */
export const SHARE_RELATIVE_ERROR = 1e-15;

/** Largest magnitude (lots) whose estimate the doubles may floor: 1e5 * 1e-15 = 1e-10 of absolute error at most. */
export const SHARE_MAX_MAGNITUDE = 1e5;

/**
 * Room a fractional part must keep from 0 and 1 (and two fractional parts from each other) for the double to decide
 * its floor or order: 1e-9, ten times the 1e-10 bound above. Also floorRatio's absolute room.
 */
export const FRACTION_ROOM = 1e-9;

/**
 * allocateLots' partial selection keeps every account whose fractional part is within this of the cut: a thousand
 * times FRACTION_ROOM, so no account that could belong to the first `left` is dropped before the exact sort.
 */
export const SELECTION_SLACK = 1e-6;
