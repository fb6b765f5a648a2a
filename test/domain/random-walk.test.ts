/**
 * The `random` method (dYdX's cyclic walk) offers counterparties at or past bankruptcy at mark only after every
 * solvent one: a regression test on a seed whose walk starts at an insolvent account, and a property test over random
 * sides and seeds (rankings and fills), with solvency decided here independently in exact decimals.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAdl } from "../../src/domain/adl";
import { Decimal } from "../../src/domain/num/decimal";
import { rankPositions } from "./ranked-objects";
import { fnv1a32 } from "../../src/domain/ranking/spec/random-walk";
import type { Market, PositionInput } from "../../src/domain/types";

const linear: Market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" };
const inverse: Market = { contractType: "inverse", contractSize: "10", lotSize: "1", tickSize: "0.5" };

/** Equity M + uPnL at mark, exact: linear s*Q*K*(P - E), inverse s*Q*K*(1/E - 1/P). */
function equity(market: Market, mark: string, p: PositionInput): Decimal {
  const s = p.side === "long" ? 1 : -1;
  const qk = new Decimal(p.size).times(market.contractSize);
  const P = new Decimal(mark);
  const E = new Decimal(p.entryPrice);
  const u = market.contractType === "linear" ? qk.times(P.minus(E)) : qk.times(new Decimal(1).div(E).minus(new Decimal(1).div(P)));
  return new Decimal(p.margin).plus(u.times(s));
}

describe("random walk: insolvent counterparties last", () => {
  // Three longs at mark 20,000: b bought at 25,000 with 1,000 margin, so its equity is 1,000 - 5,000 < 0.
  const longs: PositionInput[] = [
    { accountId: "a", side: "long", size: "2", entryPrice: "19000", margin: "2000" },
    { accountId: "b", side: "long", size: "1", entryPrice: "25000", margin: "1000" },
    { accountId: "c", side: "long", size: "2", entryPrice: "18000", margin: "2000" },
  ];
  const seed = "event-8";

  it("valid: seed event-8 starts the walk at insolvent b; b is ranked last and a solvent account fills first", () => {
    // The seeded start over the canonical order [a, b, c] is index 1 = b: before the fix b was rank 1 and filled first.
    expect(fnv1a32(`${seed}|long`) % 3).toBe(1);
    const ranked = rankPositions({ market: linear, markPrice: "20000", method: "random", indicator: "bybit", seed, positions: longs }).long;
    expect(ranked.map((p) => p.accountId)).toEqual(["c", "a", "b"]);
    const plan = planAdl({ market: linear, markPrice: "20000", method: "random", seed, liquidated: { side: "short", size: "3", bankruptcyPrice: "20100" }, counterparties: longs });
    expect(plan.fills.map((f) => [f.accountId, f.quantity])).toEqual([["c", "2"], ["a", "1"]]);
  });

  it("valid: insolvent accounts are still used, after every solvent one, when the solvent side is not enough", () => {
    const plan = planAdl({ market: linear, markPrice: "20000", method: "random", seed, liquidated: { side: "short", size: "5", bankruptcyPrice: "20100" }, counterparties: longs });
    expect(plan.fills.map((f) => [f.accountId, f.quantity])).toEqual([["c", "2"], ["a", "2"], ["b", "1"]]);
  });

  it("valid: an account exactly at bankruptcy (equity 0) counts as insolvent", () => {
    const atZero: PositionInput[] = [...longs.filter((p) => p.accountId !== "b"), { accountId: "b", side: "long", size: "1", entryPrice: "21000", margin: "1000" }];
    expect(equity(linear, "20000", atZero[2]!).isZero()).toBe(true);
    const ranked = rankPositions({ market: linear, markPrice: "20000", method: "random", indicator: "bybit", seed, positions: atZero }).long;
    expect(ranked.at(-1)!.accountId).toBe("b");
  });
});

const positionArb = (side: "long" | "short") =>
  fc.record({
    side: fc.constant(side),
    size: fc.integer({ min: 1, max: 20 }).map(String),
    entryPrice: fc.integer({ min: 16_000, max: 24_000 }).map(String),
    // Margin around the move's loss so both solvent and insolvent holders (and exact zeros) are common.
    marginFraction: fc.integer({ min: 0, max: 40 }),
  });

const caseArb = fc.record({
  market: fc.constantFrom(linear, inverse),
  side: fc.constantFrom<"long" | "short">("long", "short"),
  seed: fc.string({ minLength: 1, maxLength: 8 }),
  mark: fc.integer({ min: 17_000, max: 23_000 }).map(String),
  size: fc.integer({ min: 1, max: 80 }),
}).chain((c) =>
  fc.record({
    c: fc.constant(c),
    holders: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-h]{1,3}$/), positionArb(c.side)), { minLength: 1, maxLength: 14, selector: ([id]) => id }),
  }),
);

describe("random walk, property-tested", () => {
  it("valid: every solvent holder comes before every insolvent one, each group in the seeded cyclic order; fills follow it", () => {
    let mixed = 0;
    fc.assert(
      fc.property(caseArb, ({ c, holders }) => {
        const market = c.market;
        const positions: PositionInput[] = holders.map(([accountId, h]) => {
          const qk = new Decimal(h.size).times(market.contractSize);
          const value = market.contractType === "linear" ? qk.times(h.entryPrice) : qk.div(h.entryPrice);
          // margin = value * fraction/400, at least one tick of the asset grid above 0 so a BP exists.
          const margin = Decimal.max(value.times(h.marginFraction).div(400).toDecimalPlaces(8, Decimal.ROUND_DOWN), "0.00000001");
          return { accountId, side: h.side, size: h.size, entryPrice: h.entryPrice, margin: margin.toFixed() };
        });
        const insolvent = new Set(positions.filter((p) => equity(market, c.mark, p).lte(0)).map((p) => p.accountId));
        if (insolvent.size > 0 && insolvent.size < positions.length) mixed++;
        let ranked;
        try {
          ranked = rankPositions({ market, markPrice: c.mark, method: "random", indicator: "bybit", seed: c.seed, positions })[c.side].map((p) => p.accountId);
        } catch {
          return; // an inverse short without a bankruptcy price; the other methods refuse it too
        }
        // Reference walk: canonical order, seeded start over all n holders, then stable partition.
        const canonical = positions.map((p) => p.accountId).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        const start = fnv1a32(`${c.seed}|${c.side}`) % canonical.length;
        const walk = canonical.slice(start).concat(canonical.slice(0, start));
        const expected = [...walk.filter((id) => !insolvent.has(id)), ...walk.filter((id) => insolvent.has(id))];
        expect(ranked).toEqual(expected);
        // Fills take the same order: no insolvent account gives while a solvent one still holds contracts.
        const opposite = c.side === "long" ? "short" : "long";
        const plan = planAdl({ market, markPrice: c.mark, method: "random", seed: c.seed, liquidated: { side: opposite, size: String(c.size), bankruptcyPrice: c.mark }, counterparties: positions });
        const filled = plan.fills.map((f) => f.accountId);
        expect(filled).toEqual(expected.slice(0, filled.length));
        const firstInsolvent = filled.findIndex((id) => insolvent.has(id));
        if (firstInsolvent >= 0) {
          for (const id of expected.filter((x) => !insolvent.has(x))) {
            const p = positions.find((q) => q.accountId === id)!;
            const f = plan.fills.find((x) => x.accountId === id);
            expect(f?.quantity).toBe(p.size);
          }
        }
      }),
      { numRuns: 200, seed: 10_2026 },
    );
    expect(mixed).toBeGreaterThan(60);
  }, 60_000);
});
