/**
 * Acceleration of parsePosition (../parsed-position.ts, the specification of a position's validation): a position
 * checked from its wire strings without building decimal objects. A policy that needs only sizes and entry prices
 * (pro-rata, every policy's fills) reads the strings as scaled integers (policies/fast/scaled.ts); the Decimal fields
 * are built on first use, so a policy that needs one pays only for it. Used where every position of a batch is
 * parsed: the allocating policies' counterparties (policies/index.ts) and the stress lab's book (simulation/).
 *
 * The fast check accepts only strings parsePosition accepts (a strict subset of its rules: each decimal at most
 * MAX_SIGNIFICANT_DIGITS characters, so within the domain's length and digit limits of num/decimal-syntax.ts), and
 * anything else goes through parsePosition, which reports the same errors it always did (or accepts what the fast
 * check was too strict for). test/domain/fast-parsed-position.property.test.ts proves that `fastPosition ??
 * parsePosition` accepts exactly what parsePosition accepts, with equal values field for field.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal } from "../num/decimal";
import { MAX_SIGNIFICANT_DIGITS, NONZERO_DIGIT_RE, UNSIGNED_PLAIN_DECIMAL_RE } from "../num/decimal-syntax";
import { type ParsedMarket, isLotMultiple, lotsOf } from "../market";
import { MAX_ACCOUNT_ID_LENGTH, type ParsedPosition } from "../parsed-position";
import { decimalsOf, scaledBig } from "../num/digits";
import type { PositionInput, Side } from "../types";
import { sideSign } from "../vocabulary";

/** A position checked from its strings; Decimal fields parsed on first read. */
export class RawPosition implements ParsedPosition {
  readonly sign: 1 | -1;
  readonly accountId: string;
  readonly side: Side;
  private s: Decimal | undefined;
  private e: Decimal | undefined;
  private m: Decimal | undefined;
  private a: Decimal | null | undefined;
  private k: Decimal | undefined;

  constructor(
    readonly raw: PositionInput,
    private readonly pointerPrefix: string,
    private readonly index: number,
    private readonly contractSize: Decimal,
  ) {
    this.accountId = raw.accountId;
    this.side = raw.side;
    this.sign = sideSign(raw.side);
  }

  /** Built when read (errors only): no string per counterparty on the hot path. */
  get pointer(): string {
    return `${this.pointerPrefix}/${this.index}`;
  }
  get size(): Decimal {
    return (this.s ??= new Decimal(this.raw.size));
  }
  get entryPrice(): Decimal {
    return (this.e ??= new Decimal(this.raw.entryPrice));
  }
  get margin(): Decimal {
    return (this.m ??= new Decimal(this.raw.margin));
  }
  get accountValue(): Decimal | null {
    if (this.a === undefined) this.a = this.raw.accountValue === undefined ? null : new Decimal(this.raw.accountValue);
    return this.a;
  }
  get qk(): Decimal {
    return (this.k ??= this.size.times(this.contractSize));
  }
}

const POSITIVE = UNSIGNED_PLAIN_DECIMAL_RE;
const NONZERO = NONZERO_DIGIT_RE;
/** At most 40 characters: within parseDecimal's 100-character and 40-significant-digit limits (decimal-syntax.ts). */
const SHORT = MAX_SIGNIFICANT_DIGITS;

const positive = (s: unknown): s is string => typeof s === "string" && s.length <= SHORT && POSITIVE.test(s) && NONZERO.test(s);
const signedOk = (s: unknown): boolean => {
  if (typeof s !== "string" || s.length > SHORT) return false;
  if (s.charCodeAt(0) === 45) return POSITIVE.test(s.slice(1)) && NONZERO.test(s); // no "-0"
  return POSITIVE.test(s);
};

/**
 * The position as a RawPosition when every field passes the strict subset of parsePosition's checks below, else
 * undefined (the caller then runs parsePosition, the source of truth for errors).
 */
export function fastPosition(input: PositionInput, market: ParsedMarket, lotSize: string, pointerPrefix: string, index: number): RawPosition | undefined {
  const id = input.accountId;
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ACCOUNT_ID_LENGTH) return undefined;
  if (input.side !== "long" && input.side !== "short") return undefined;
  const { size, entryPrice } = input;
  if (!positive(size) || !positive(entryPrice) || !positive(input.margin)) return undefined;
  if (input.accountValue !== undefined && !signedOk(input.accountValue)) return undefined;
  if (decimalsOf(entryPrice) > market.tickDecimals) return undefined;
  if (!isLotMultiple(market, size, lotSize)) return undefined;
  return new RawPosition(input, pointerPrefix, index, market.contractSize);
}

/** The entry price, margin and account value as decimal strings (the wire strings when the position has them). */
export function entryString(c: ParsedPosition): string {
  return c instanceof RawPosition ? c.raw.entryPrice : c.entryPrice.toFixed();
}
export function marginString(c: ParsedPosition): string {
  return c instanceof RawPosition ? c.raw.margin : c.margin.toFixed();
}
export function accountValueString(c: ParsedPosition): string | null {
  if (c instanceof RawPosition) return c.raw.accountValue ?? null;
  return c.accountValue === null ? null : c.accountValue.toFixed();
}

/**
 * A position's size in whole lots (market.ts lotsOf, accelerated): from the wire string when it has one and lots
 * are 10^-k (its digits are the count: no Decimal built), else lotsOf.
 */
export function heldLots(market: ParsedMarket, c: ParsedPosition): bigint {
  const k = market.lotDecimalsIfPowerOfTen;
  return k !== null && c instanceof RawPosition ? scaledBig(c.raw.size, k) : lotsOf(market, c.size);
}
