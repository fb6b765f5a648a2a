/**
 * The allocating policies against their readable specification (src/domain/policies/spec/): on random sides, every fill
 * string (quantity, price, realised PnL, remaining size) and the filled/unfilled totals must be identical, both
 * through planAdl (raw wire strings in, the service's path) and when called directly with parsed positions and
 * caller budgets (the compare route's path). Draws cover linear and inverse markets, power-of-ten and other lots,
 * tiny and huge magnitudes, ties in size and entry, accounts at or past bankruptcy, losers, and shortfalls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAdl } from "../../src/domain/adl";
import { Decimal, amountToWire } from "../../src/domain/num/decimal";
import { closePnl } from "../../src/domain/fills";
import { parseMarket } from "../../src/domain/market";
import type { PolicyInput } from "../../src/domain/policies";
import { ALLOCATING_POLICIES, REFERENCE } from "./wire-plans";
import { selectAscending } from "../../src/domain/policies/fast/common";
import { PnlWriter } from "../../src/domain/policies/fast/scaled";
import { scaledToWire } from "../../src/domain/num/rational";
import { parsePosition } from "../../src/domain/position";
import type { ContractType, Market, PositionInput, Side } from "../../src/domain/types";
import { fromUnits } from "./arbitraries";

const NAMES = Object.keys(REFERENCE) as (keyof typeof REFERENCE)[];

const marketArb: fc.Arbitrary<Market> = fc.record({
  contractType: fc.constantFrom<ContractType>("linear", "inverse"),
  contractSize: fc.constantFrom("1", "0.001", "0.01", "10", "100", "0.00000001", "123456789.123"),
  lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25", "0.00000001", "1000"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001", "0.1", "0.0000000000001"),
});

/** A value of `dp` decimals from a few magnitudes: around one unit of the grid, ordinary, and very large. */
function gridValue(dp: number, min = 1n): fc.Arbitrary<bigint> {
  const scale = 10n ** BigInt(dp);
  return fc.oneof(
    fc.bigInt({ min, max: min + 20n }),
    fc.bigInt({ min: scale, max: 100_000n * scale }),
    fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n }),
  );
}

const caseArbOf = (minRows: number, maxRows: number) => marketArb.chain((m) => {
  const market = parseMarket(m);
  const tickDp = market.tickDecimals;
  const price = gridValue(tickDp).map((u) => fromUnits(u, tickDp));
  const lots = fc.oneof(fc.integer({ min: 1, max: 50 }).map(BigInt), fc.bigInt({ min: 1n, max: 10n ** 7n }), fc.bigInt({ min: 1n, max: 10n ** 25n }));
  const size = lots.map((l) => market.lotSize.times(l.toString()).toFixed());
  const margin = fc.oneof(fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 1n, max: 10n ** 14n }), fc.bigInt({ min: 1n, max: 10n ** 35n })).map((u) => fromUnits(u, 8));
  const accountValue = fc.option(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((u) => fromUnits(u, 4)), { nil: undefined });
  return fc.record({
    market: fc.constant(m),
    side: fc.constantFrom<Side>("long", "short"),
    mark: price,
    bp: price,
    // Few distinct values so that ties in size, entry and shares are common.
    pool: fc.record({ sizes: fc.array(size, { minLength: 1, maxLength: 3 }), entries: fc.array(price, { minLength: 1, maxLength: 3 }) }),
    rows: fc.array(fc.record({ s: fc.nat(), e: fc.nat(), margin, accountValue, own: fc.boolean(), pad: fc.boolean() }), { minLength: minRows, maxLength: maxRows }),
    quantityLots: lots,
    budgets: fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((u) => fromUnits(u, 6)), { minLength: maxRows, maxLength: maxRows }),
  });
});
const caseArb = caseArbOf(0, 14);
/** Sides past allocateLots' partial-selection threshold (256 open accounts), with few distinct sizes: many ties. */
const largeArb = caseArbOf(257, 700);

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The same value with a trailing zero ("1.5" -> "1.50", "2" -> "2.0"): valid on the wire, a different string. */
const padded = (s: string) => (s.includes(".") ? `${s}0` : `${s}.0`);

function counterparties(c: Case): PositionInput[] {
  const opposite: Side = c.side === "long" ? "short" : "long";
  return c.rows.map((r, i) => {
    const p: PositionInput = {
      accountId: `acc-${(i * 7) % 15}-${i}`,
      side: opposite,
      size: r.own ? c.pool.sizes[0]! : c.pool.sizes[r.s % c.pool.sizes.length]!,
      entryPrice: c.pool.entries[r.e % c.pool.entries.length]!,
      margin: r.margin,
    };
    if (r.accountValue !== undefined) p.accountValue = r.accountValue;
    if (r.pad) {
      p.size = padded(p.size);
      p.entryPrice = padded(p.entryPrice);
      p.margin = padded(p.margin);
    }
    return p;
  });
}

describe("allocating policies are identical to the reference implementation", () => {
  it("through planAdl (raw strings in)", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...NAMES), (c, name) => {
        const market = parseMarket(c.market);
        const cps = counterparties(c);
        const quantity = market.lotSize.times(c.quantityLots.toString()).toFixed();
        const got = planAdl({ market: c.market, markPrice: c.mark, policy: name, liquidated: { side: c.side, size: quantity, bankruptcyPrice: c.bp }, counterparties: cps });
        const parsed = cps.map((p, i) => parsePosition(p, market, `/counterparties/${i}`));
        const want = REFERENCE[name]({ market, liquidatedSide: c.side, quantity: new Decimal(quantity), price: new Decimal(c.bp), mark: new Decimal(c.mark), counterparties: parsed });
        expect(got).toEqual({ ...want, bankruptcyPrice: new Decimal(c.bp).toFixed(), queueReached: cps.length });
      }),
      { numRuns: 1500 },
    );
  });

  it("on large sides with many tied remainders (allocateLots' partial selection)", () => {
    fc.assert(
      fc.property(largeArb, fc.constantFrom(...NAMES), (c, name) => {
        const market = parseMarket(c.market);
        const cps = counterparties(c);
        // A quantity below the side's total, so that largest remainder places lots: a share of a few lots each.
        const quantity = market.lotSize.times((BigInt(cps.length) * ((c.quantityLots % 7n) + 1n) + (c.quantityLots % 101n)).toString()).toFixed();
        const parsed = cps.map((p, i) => parsePosition(p, market, `/counterparties/${i}`));
        const input: PolicyInput = { market, liquidatedSide: c.side, quantity: new Decimal(quantity), price: new Decimal(c.bp), mark: new Decimal(c.mark), counterparties: parsed };
        expect(ALLOCATING_POLICIES[name](input)).toEqual(REFERENCE[name](input));
      }),
      { numRuns: 60 },
    );
  });

  it("called directly with parsed positions, with and without caller budgets", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...NAMES), fc.boolean(), (c, name, withBudgets) => {
        const market = parseMarket(c.market);
        const parsed = counterparties(c).map((p, i) => parsePosition(p, market, `/counterparties/${i}`));
        const input: PolicyInput = {
          market,
          liquidatedSide: c.side,
          quantity: market.lotSize.times(c.quantityLots.toString()),
          price: new Decimal(c.bp),
          mark: new Decimal(c.mark),
          counterparties: parsed,
          ...(withBudgets ? { pnlBudgets: parsed.map((_, i) => new Decimal(c.budgets[i]!)) } : {}),
        };
        expect(ALLOCATING_POLICIES[name](input)).toEqual(REFERENCE[name](input));
      }),
      { numRuns: 1500 },
    );
  });
});

describe("PnlWriter (scaled integers) writes what closePnl + amountToWire(down) write", () => {
  it("on random markets, entries, prices and lot counts of every magnitude", () => {
    const arb = marketArb.chain((m) => {
      const market = parseMarket(m);
      const dp = market.tickDecimals;
      const price = gridValue(dp).map((u) => fromUnits(u, dp));
      return fc.record({
        market: fc.constant(market),
        sign: fc.constantFrom<1 | -1>(1, -1),
        entry: price,
        price,
        lots: fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 30n })),
      });
    });
    fc.assert(
      fc.property(arb, ({ market, sign, entry, price, lots }) => {
        const x = new Decimal(price);
        const w = new PnlWriter(market, x);
        const q = market.lotSize.times(lots.toString());
        const want = amountToWire(closePnl(market, sign, new Decimal(entry), q, x), "down");
        expect(w.pnl(sign, entry, lots)).toBe(want);
        expect(scaledToWire(w.exact(sign, entry, lots), 8)).toBe(want); // the BigInt path alone, too
        expect(w.size(lots)).toBe(q.toFixed());
      }),
      { numRuns: 20000 },
    );
  });
});

describe("selectAscending (allocateLots' cut)", () => {
  it("returns the k-th smallest, as a full sort would", () => {
    const values = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1));
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 300 }), fc.nat(), (a, k0) => {
        const k = k0 % a.length;
        const sorted = Float64Array.from(a).sort();
        expect(selectAscending(Float64Array.from(a), k) === sorted[k]).toBe(true); // == : -0 and 0 are one cut
      }),
      { numRuns: 2000 },
    );
  });
});
