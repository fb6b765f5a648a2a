/** fast-check generators for the domain's plain-data inputs: markets, prices on their grids, positions, queues. */
import fc from "fast-check";
import { parseMarket, type ParsedMarket } from "../../src/domain/market";
import { parsePosition, type ParsedPosition } from "../../src/domain/position";
import type { ContractType, Side } from "../../src/domain/types";

/** `units` * 10^-dp as a plain decimal string. */
export function fromUnits(units: bigint, dp: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(dp + 1, "0");
  const int = digits.slice(0, digits.length - dp);
  const frac = digits.slice(digits.length - dp).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

export const marketArb: fc.Arbitrary<ParsedMarket> = fc
  .record({
    contractType: fc.constantFrom<ContractType>("linear", "inverse"),
    contractSize: fc.constantFrom("1", "0.001", "0.01", "10", "100"),
    lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
    tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001", "0.1"),
  })
  .map((m) => parseMarket(m));

/** A price within the market's tick decimals, between 1 and 100,000. */
export function priceArb(market: ParsedMarket): fc.Arbitrary<string> {
  const dp = market.tickDecimals;
  const scale = 10n ** BigInt(dp);
  return fc.bigInt({ min: scale, max: 100_000n * scale }).map((u) => fromUnits(u, dp));
}

/** Whole lots (1..maxLots) as a size string. */
export function sizeArb(market: ParsedMarket, maxLots = 1000): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max: maxLots }).map((lots) => market.lotSize.times(lots).toFixed());
}

/** A positive margin with up to 8 decimals. */
export const marginArb: fc.Arbitrary<string> = fc.bigInt({ min: 1n, max: 10n ** 14n }).map((u) => fromUnits(u, 8));

export function positionArb(market: ParsedMarket, side: Side, accountId: string, pointer: string): fc.Arbitrary<ParsedPosition> {
  return fc
    .record({ size: sizeArb(market), entryPrice: priceArb(market), margin: marginArb })
    .map((p) => parsePosition({ accountId, side, ...p }, market, pointer));
}

/** Opposite-side queue of distinct accounts, rank 1 first. */
export function queueArb(market: ParsedMarket, side: Side, maxLength = 25): fc.Arbitrary<ParsedPosition[]> {
  return fc.integer({ min: 0, max: maxLength }).chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => positionArb(market, side, `acc-${i}`, `/positions/${i}`))),
  );
}

export const sideArb: fc.Arbitrary<Side> = fc.constantFrom<Side>("long", "short");

export function opposite(side: Side): Side {
  return side === "long" ? "short" : "long";
}

/** Wraps items in a lazy iterable that counts how many entries were pulled. */
export function countingQueue<T>(items: readonly T[]): { queue: Iterable<T>; pulls: () => number } {
  let pulls = 0;
  return {
    queue: {
      *[Symbol.iterator]() {
        for (const item of items) {
          pulls++;
          yield item;
        }
      },
    },
    pulls: () => pulls,
  };
}

const digitsArb = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/**
 * Decimal-ish wire text near every lexical limit of num/decimal-syntax.ts: plain decimals with up to 45 integer and
 * 45 fraction digits (so 39, 40 and 41 characters and significant digits all occur), leading and trailing zeros,
 * "0", "-0", signs, exponents, whitespace, and a few non-strings.
 */
export const decimalTextArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom("", "", "", "-"), fc.oneof(digitsArb(1, 6), digitsArb(36, 45)), fc.oneof(fc.constant(""), digitsArb(1, 8), digitsArb(30, 45))).map(([sign, int, frac]) => `${sign}${int.replace(/^0+(?=\d)/, "")}${frac ? `.${frac}` : ""}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("", "-"), digitsArb(1, 4), digitsArb(0, 4)).map(([sign, int, frac]) => `${sign}${int}${frac ? `.${frac}` : ""}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 60 }), digitsArb(1, 12)).map(([zeros, tail]) => `0.${"0".repeat(zeros)}${tail}`) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>("0", "-0", "0.0", "-0.00", "+1", "1e3", "1.5E-2", " 1", "1 ", "1.", ".5", "", "01", "1,5", 1, null, undefined, "12.50", "100") },
);
