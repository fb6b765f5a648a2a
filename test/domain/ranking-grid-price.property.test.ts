/**
 * src/domain/ranking/fast/grid-price.ts against the specification (bankruptcy-price.ts): the exact sign of BP - k*tick
 * from scaled integers equals the Decimal one for any grid point k, and the rankings' bankruptcyPrice column, where
 * that path decides a BP on or next to the grid, equals reportedBankruptcyPrice on books built to put BPs exactly on
 * the grid (margin = Q*K*E/L) and a few units off it, over several ticks and contract sizes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reportedBankruptcyPrice } from "../../src/domain/bankruptcy-price";
import { parseMarket } from "../../src/domain/market";
import { Decimal, toWire } from "../../src/domain/num/decimal";
import { parsePosition } from "../../src/domain/parsed-position";
import { linearBpSignAt, linearGrid } from "../../src/domain/ranking/fast/grid-price";
import type { Market, PositionInput } from "../../src/domain/types";
import { rankPositions } from "./ranked-objects";

const markets: Market[] = [
  { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" },
  { contractType: "linear", contractSize: "0.001", lotSize: "1", tickSize: "0.5" },
  { contractType: "linear", contractSize: "10", lotSize: "0.1", tickSize: "0.01" },
  { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "1" },
];

const positionArb = (m: Market) =>
  fc.record({
    long: fc.boolean(),
    lots: fc.integer({ min: 1, max: 50_000 }),
    entryTicks: fc.integer({ min: 10_000, max: 400_000 }),
    lev: fc.constantFrom(1, 2, 3, 4, 5, 8, 10, 20, 25, 40, 50, 100),
    offUnits: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 })),
  }).map(({ long, lots, entryTicks, lev, offUnits }) => {
    const size = new Decimal(lots).times(m.lotSize);
    const entry = new Decimal(entryTicks).times(m.tickSize!);
    // 8 decimals: margin = Q*K*E/L exactly when it terminates there, moved by a few units of 1e-8.
    const margin = size.times(m.contractSize).times(entry).div(lev).toDecimalPlaces(8).plus(new Decimal(offUnits).times("1e-8"));
    return { side: long ? "long" : "short", size: size.toFixed(), entryPrice: entry.toFixed(), margin: margin.gt(0) ? margin.toFixed() : "0.00000001" } as const;
  });

const cases = fc.constantFrom(...markets).chain((m) => fc.tuple(fc.constant(m), fc.array(positionArb(m), { minLength: 1, maxLength: 40 })));

describe("linear bankruptcy price on the tick grid (fast/grid-price.ts)", () => {
  it("valid: the sign of BP - k*tick from scaled integers is the exact one, for k near and at the BP", () => {
    fc.assert(
      fc.property(cases, fc.integer({ min: -2, max: 2 }), ([m, ps], dk) => {
        const market = parseMarket(m);
        const g = linearGrid(m.tickSize!, m.contractSize);
        for (const p of ps) {
          const pos = parsePosition({ accountId: "a", ...p }, market, "/p");
          const bp = pos.entryPrice.times(pos.qk).minus(pos.margin.times(pos.sign)).div(pos.qk);
          const k = bp.div(m.tickSize!).round().toNumber() + dk;
          expect(linearBpSignAt(g, p.side, p.size, p.entryPrice, p.margin, k)).toBe(bp.cmp(new Decimal(k).times(m.tickSize!)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("valid: the rankings' bankruptcy prices equal reportedBankruptcyPrice on books with BPs on and beside the grid", () => {
    fc.assert(
      fc.property(cases, ([m, ps]) => {
        const market = parseMarket(m);
        const positions: PositionInput[] = ps.map((p, i) => ({ accountId: `a${i}`, ...p }));
        const mark = new Decimal(positions[0]!.entryPrice).toFixed();
        const ranked = rankPositions({ market: m, markPrice: mark, method: "bitmex", indicator: "bybit", positions });
        for (const r of [...ranked.long, ...ranked.short]) {
          const input = positions.find((p) => p.accountId === r.accountId)!;
          const exact = reportedBankruptcyPrice(market, parsePosition(input, market, "/p"));
          expect(r.bankruptcyPrice).toBe(exact === null ? null : toWire(exact));
        }
      }),
      { numRuns: 200 },
    );
  });
});
