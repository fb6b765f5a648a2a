/**
 * The ADL plan's wire writer, fast/fills.ts fillsToWireFast (scaled integers: the one the service serves), against its
 * specification fills.ts fillsToWire (Decimal closePnl rounded down, toWire): the same strings for every plan. Draws
 * cover linear and inverse markets, power-of-ten and other lots, tiny and huge contract sizes and lot counts (past
 * 2^53), counterparties read by fastPosition (raw strings, with trailing zeros) and by parsePosition, fills that
 * close a position and fills that leave part of it open.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AdlFills, type PlannedFill, fillsToWire } from "../../src/domain/fills";
import { fillsToWireFast } from "../../src/domain/fast/fills";
import { fastPosition } from "../../src/domain/fast/parsed-position";
import { lotsOf, parseMarket } from "../../src/domain/market";
import { Decimal } from "../../src/domain/num/decimal";
import { parsePosition } from "../../src/domain/position";
import type { ContractType, PositionInput, Side } from "../../src/domain/types";
import { fromUnits } from "./arbitraries";

const marketArb = fc
  .record({
    contractType: fc.constantFrom<ContractType>("linear", "inverse"),
    contractSize: fc.constantFrom("1", "0.001", "0.01", "10", "100", "0.00000001", "123456789.123"),
    lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25", "0.00000001", "1000"),
    tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001", "0.1", "0.0000000000001"),
  })
  .map((m) => parseMarket(m));

const lotsArb = fc.oneof(fc.bigInt({ min: 1n, max: 50n }), fc.bigInt({ min: 1n, max: 10n ** 7n }), fc.bigInt({ min: 1n, max: 10n ** 25n }));

const padded = (s: string) => (s.includes(".") ? `${s}0` : `${s}.0`);

const caseArb = marketArb.chain((market) => {
  const dp = market.tickDecimals;
  const scale = 10n ** BigInt(dp);
  const price = fc.oneof(fc.bigInt({ min: 1n, max: 20n }), fc.bigInt({ min: scale, max: 100_000n * scale }), fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n })).map((u) => fromUnits(u, dp));
  const row = fc.record({
    side: fc.constantFrom<Side>("long", "short"),
    held: lotsArb,
    closeAll: fc.boolean(),
    part: fc.double({ min: 0, max: 1, noNaN: true }),
    entry: price,
    margin: fc.bigInt({ min: 1n, max: 10n ** 20n }).map((u) => fromUnits(u, 8)),
    raw: fc.boolean(),
    pad: fc.boolean(),
  });
  return fc.record({ market: fc.constant(market), price, rows: fc.array(row, { minLength: 0, maxLength: 12 }), unfilledLots: lotsArb });
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function planOf(c: Case): AdlFills {
  const { market } = c;
  const lotSize = market.lotSize.toFixed();
  const fills: PlannedFill[] = c.rows.map((r, i) => {
    const size = market.lotSize.times(r.held.toString()).toFixed();
    const input: PositionInput = { accountId: `acc-${i}`, side: r.side, size, entryPrice: r.entry, margin: r.margin };
    if (r.pad) {
      input.size = padded(input.size);
      input.entryPrice = padded(input.entryPrice);
    }
    const counterparty = (r.raw ? fastPosition(input, market, lotSize, "/counterparties", i) : undefined) ?? parsePosition(input, market, `/counterparties/${i}`);
    const heldLots = lotsOf(market, counterparty.size);
    const part = BigInt(Math.floor(Number(heldLots) * r.part));
    const lots = r.closeAll ? heldLots : part < 1n ? 1n : part > heldLots ? heldLots : part;
    return { counterparty, lots, heldLots };
  });
  const filledLots = fills.reduce((s, f) => s + f.lots, 0n);
  return {
    market,
    price: new Decimal(c.price),
    fills,
    filledQuantity: market.lotSize.times(filledLots.toString()),
    unfilledQuantity: market.lotSize.times(c.unfilledLots.toString()),
  };
}

describe("fast/fills.ts writes the plan as fills.ts specifies", () => {
  it("property: fillsToWireFast equals fillsToWire, string for string", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const plan = planOf(c);
        expect(fillsToWireFast(plan)).toEqual(fillsToWire(plan));
      }),
      { numRuns: 2000 },
    );
  });

  it("a closed fill leaves size 0; realised PnL rounds down (toward -infinity) at 8 places", () => {
    const market = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5" });
    const input: PositionInput = { accountId: "a", side: "long", size: "3", entryPrice: "30000", margin: "1" };
    const counterparty = parsePosition(input, market, "/counterparties/0");
    // Inverse long closing 3 at 29999.5: 3 * (1/30000 - 1/29999.5) = -0.00000000166669... -> down -0.00000001.
    const plan: AdlFills = { market, price: new Decimal("29999.5"), fills: [{ counterparty, lots: 3n, heldLots: 3n }], filledQuantity: new Decimal(3), unfilledQuantity: new Decimal(0) };
    const want = { price: "29999.5", fills: [{ accountId: "a", quantity: "3", price: "29999.5", realizedPnl: "-0.00000001", remainingSize: "0" }], filledQuantity: "3", unfilledQuantity: "0" };
    expect(fillsToWire(plan)).toEqual(want);
    expect(fillsToWireFast(plan)).toEqual(want);
  });
});
