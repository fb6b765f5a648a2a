/**
 * The scaled-integer uPnL, equity and PnL cap of the accelerated policies (src/domain/policies/fast/scaled.ts) equal
 * their specifications: position.ts unrealizedPnl and equityAt, spec/common.ts lotsWithinPnl, on linear markets of
 * every lot, tick and contract size, for positions read from their wire strings (RawPosition) and parsed ones, with
 * magnitudes that leave the safe-integer doubles for BigInt. (PnlWriter against closePnl: policies.reference.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { parseMarket } from "../../src/domain/market";
import { heldLots, lotsWithinPnl } from "../../src/domain/policies/fast/common";
import { LinearCap, linearValues } from "../../src/domain/policies/fast/scaled";
import { entryString, fastPosition } from "../../src/domain/fast/parsed-position";
import { equityAt, parsePosition, unrealizedPnl } from "../../src/domain/position";
import { fromUnits } from "./arbitraries";

const caseArb = fc
  .record({
    contractSize: fc.constantFrom("1", "0.001", "0.01", "10", "100"),
    lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
    tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001", "0.1"),
  })
  .chain((raw) => {
    const m = parseMarket({ contractType: "linear", ...raw });
    const dp = m.tickDecimals;
    const price = fc.bigInt({ min: 1n, max: 10n ** BigInt(dp + 6) }).map((u) => fromUnits(u, dp));
    const position = fc.record({
      side: fc.constantFrom("long" as const, "short" as const),
      lots: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.bigInt({ min: 1n, max: 10n ** 12n })),
      entryPrice: price,
      margin: fc.bigInt({ min: 1n, max: 10n ** 16n }).map((u) => fromUnits(u, 8)),
      accountValue: fc.option(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }).map((u) => fromUnits(u, 6)), { nil: undefined }),
      raw: fc.boolean(),
    });
    return fc.record({ raw: fc.constant(raw), mark: price, price, positions: fc.array(position, { minLength: 1, maxLength: 12 }) });
  });

describe("scaled-integer values equal the specification", () => {
  it("valid: linearValues is unrealizedPnl and equityAt; LinearCap is lotsWithinPnl", () => {
    fc.assert(
      fc.property(caseArb, ({ raw, mark: markS, price: priceS, positions: ps }) => {
        const market = parseMarket({ contractType: "linear", ...raw });
        const lotSize = market.lotSize.toFixed();
        const positions = ps.map((p, i) => {
          const input = {
            accountId: `a${i}`,
            side: p.side,
            size: market.lotSize.times(p.lots.toString()).toFixed(),
            entryPrice: p.entryPrice,
            margin: p.margin,
            ...(p.accountValue === undefined ? {} : { accountValue: p.accountValue }),
          };
          const fast = p.raw ? fastPosition(input, market, lotSize, "/c", i) : undefined;
          return fast ?? parsePosition(input, market, `/c/${i}`);
        });
        const mark = new Decimal(markS);
        const price = new Decimal(priceS);
        const held = positions.map((c) => heldLots(market, c));
        const v = linearValues(market, mark, positions, held, true);
        const cap = mark.eq(price) ? null : new LinearCap(market, mark, price);
        positions.forEach((c, i) => {
          expect(new Decimal(v.upnl[i]!.toString()).div(new Decimal(10).pow(v.upnlDp)).eq(unrealizedPnl(market, c, mark))).toBe(true);
          expect(new Decimal(v.equity![i]!.toString()).div(new Decimal(10).pow(v.equityDp)).eq(equityAt(market, c, mark))).toBe(true);
          if (cap) expect(cap.lots(entryString(c), held[i]!)).toBe(lotsWithinPnl(market, c, mark, price));
        });
      }),
      { numRuns: 400 },
    );
  });
});
