/**
 * The acceleration of parsePosition (src/domain/fast/parsed-position.ts fastPosition) equals its specification
 * (src/domain/parsed-position.ts parsePosition): whatever fastPosition accepts, parsePosition accepts with equal
 * values field for field, so `fastPosition ?? parsePosition` (how every caller reads a position) accepts exactly what
 * parsePosition accepts and yields the same position. Inputs are hostile text near every lexical limit
 * (arbitraries.ts decimalTextArb), account ids around the length bound and sides, on markets with power-of-ten and
 * other lots; the test also checks that the fast path is taken often enough to mean something.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastPosition } from "../../src/domain/fast/parsed-position";
import { parseMarket } from "../../src/domain/market";
import { type ParsedPosition, parsePosition } from "../../src/domain/parsed-position";
import { DomainError, type PositionInput } from "../../src/domain/types";
import { decimalTextArb } from "./arbitraries";

const marketInputArb = fc.record({
  contractType: fc.constantFrom("linear" as const, "inverse" as const),
  contractSize: fc.constantFrom("1", "0.001", "100"),
  lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001"),
});

/** A field: mostly a valid-looking value for the market, sometimes hostile text. */
const fieldArb = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: decimalTextArb });

const inputArb = fc.record({
  accountId: fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>("", "x".repeat(128), "x".repeat(129), 7, undefined) }),
  side: fc.oneof({ weight: 8, arbitrary: fc.constantFrom("long", "short") }, { weight: 1, arbitrary: fc.constantFrom<unknown>("LONG", "", undefined) }),
  lots: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 10_000 }) }, { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 40n }) }),
  size: decimalTextArb,
  sizeValid: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  entryPrice: fieldArb(fc.bigInt({ min: 1n, max: 10n ** 12n }).map((u) => String(u))),
  priceDp: fc.integer({ min: 0, max: 3 }),
  margin: fieldArb(fc.bigInt({ min: 1n, max: 10n ** 14n }).map((u) => `${u}`)),
  accountValue: fc.option(fieldArb(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((u) => `${u}`)), { nil: undefined }),
});

function spec(input: PositionInput, market: ReturnType<typeof parseMarket>, pointer: string): ParsedPosition | DomainError {
  try {
    return parsePosition(input, market, pointer);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

const decimalFields = ["size", "entryPrice", "margin", "qk"] as const;

describe("fastPosition is parsePosition, accelerated", () => {
  it("accepts only what parsePosition accepts, with equal values field for field", () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(marketInputArb, inputArb, (m, r) => {
        const market = parseMarket(m);
        // A price string with priceDp decimals (valid when within the tick's decimals).
        const withDp = (s: unknown) => (typeof s === "string" && /^[1-9][0-9]*$/.test(s) && r.priceDp > 0 ? `${s.slice(0, -1) || "0"}.${"0".repeat(Math.max(0, r.priceDp - 1))}${s.slice(-1)}`.replace(/^0+(?=\d)/, "") : s);
        const input = {
          accountId: r.accountId,
          side: r.side,
          size: r.sizeValid ? market.lotSize.times(r.lots.toString()).toFixed() : r.size,
          entryPrice: withDp(r.entryPrice),
          margin: r.margin,
          ...(r.accountValue === undefined ? {} : { accountValue: r.accountValue }),
        } as unknown as PositionInput;
        runs++;
        const got = fastPosition(input, market, market.lotSize.toFixed(), "/c", 3);
        const want = spec(input, market, "/c/3");
        if (got === undefined) return; // the caller runs parsePosition itself
        fast++;
        expect(want).not.toBeInstanceOf(DomainError);
        const p = want as ParsedPosition;
        expect([got.pointer, got.accountId, got.side, got.sign]).toEqual([p.pointer, p.accountId, p.side, p.sign]);
        for (const f of decimalFields) expect([f, got[f].toString(), got[f].eq(p[f])]).toEqual([f, p[f].toString(), true]);
        expect(got.accountValue === null ? null : got.accountValue.toString()).toEqual(p.accountValue === null ? null : p.accountValue.toString());
      }),
      { numRuns: 3000 },
    );
    // The fast path must carry real weight, or the property says nothing.
    expect([fast > runs / 20, fast, runs]).toEqual([true, fast, runs]);
  });
});
