/**
 * The accelerated metrics of one bankrupt position on a linear market (src/domain/policies/fast/metrics.ts) equal
 * the specification's (metrics.ts computeMetrics on Decimals, with the exact principal check of principal.ts), on
 * books crowded with equal entries, sizes and account values, so that uPnL ties, after-value ties, equal haircut
 * ratios and every sign of the haircut come up; and comparePolicies gives the same bytes through either path
 * (linear and inverse, every detail level).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import type { PlannedFill } from "../../src/domain/fills";
import { type ParsedMarket, lotsOf, parseMarket } from "../../src/domain/market";
import { COMPARE_CANDIDATES, type CompareRequest, comparePolicies } from "../../src/domain/policies/compare";
import { haircutPerContract } from "../../src/domain/policies/fast/common";
import { bookOneFill, equityOf, givenOf, oneFillMetrics, pnlOf, prepareOneFill } from "../../src/domain/policies/fast/metrics";
import { computeMetrics } from "../../src/domain/policies/metrics";
import { gaveMoreThanPositivePnl } from "../../src/domain/policies/principal";
import { equityAt, parsePosition, unrealizedPnl } from "../../src/domain/position";
import type { ContractType, PositionInput } from "../../src/domain/types";
import { fromUnits } from "./arbitraries";

const rawMarketArb = (types: readonly ContractType[]) =>
  fc.record({
    contractType: fc.constantFrom(...types),
    contractSize: fc.constantFrom("1", "0.001", "0.01", "10"),
    lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
    tickSize: fc.constantFrom("0.5", "0.01", "1", "0.1"),
  });

/** A price near 100 on the market's tick decimals, from a few values (ties) or anywhere in 50..150. */
function priceArb(m: ParsedMarket): fc.Arbitrary<string> {
  const dp = m.tickDecimals;
  const scale = 10n ** BigInt(dp);
  return fc.oneof(
    fc.constantFrom(90n, 99n, 100n, 101n, 110n).map((p) => fromUnits(p * scale, dp)),
    fc.bigInt({ min: 50n * scale, max: 150n * scale }).map((u) => fromUnits(u, dp)),
  );
}

/** Margins and account values below 10^6: every value of a case stays a safe integer at the case's scale (<= 10^-8). */
function counterpartiesArb(m: ParsedMarket, side: "long" | "short", n: number): fc.Arbitrary<PositionInput[]> {
  const one = fc.record({
    lots: fc.oneof(fc.constantFrom(1, 2, 4), fc.integer({ min: 1, max: 300 })),
    entryPrice: priceArb(m),
    margin: fc.oneof(fc.constantFrom("1", "50", "100"), fc.bigInt({ min: 1n, max: 10n ** 11n }).map((u) => fromUnits(u, 6))),
    accountValue: fc.option(fc.oneof(fc.constantFrom("0", "-5", "100"), fc.bigInt({ min: -(10n ** 8n), max: 10n ** 10n }).map((u) => fromUnits(u, 4))), { nil: undefined }),
  });
  return fc.array(one, { minLength: n, maxLength: n }).map((ps) =>
    ps.map((p, i) => ({
      accountId: `acct-${(i * 7919) % 1000}-${i}`,
      side,
      size: m.lotSize.times(p.lots).toFixed(),
      entryPrice: p.entryPrice,
      margin: p.margin,
      ...(p.accountValue === undefined ? {} : { accountValue: p.accountValue }),
    })),
  );
}

describe("fast one-fill metrics", () => {
  it("valid: equal computeMetrics (and the per-account values) for any fills of one bankrupt position", () => {
    const caseArb = rawMarketArb(["linear"]).chain((raw) => {
      const m = parseMarket(raw);
      return fc.integer({ min: 1, max: 30 }).chain((n) =>
        fc.record({
          raw: fc.constant(raw),
          side: fc.constantFrom("long" as const, "short" as const),
          mark: priceArb(m),
          price: priceArb(m),
          cps: counterpartiesArb(m, "long", n),
          // Per account: untouched, or a fill of some of its lots (at least one).
          take: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { minLength: n, maxLength: n }),
        }),
      );
    });
    fc.assert(
      fc.property(caseArb, ({ raw, side, mark: markS, price: priceS, cps, take }) => {
        const market = parseMarket(raw);
        const positions = cps.map((c, i) => parsePosition({ ...c, side: side === "long" ? "short" : "long" }, market, `/counterparties/${i}`));
        const mark = new Decimal(markS);
        const price = new Decimal(priceS);
        const h = haircutPerContract(market, positions[0]!.sign, mark, price);
        const fills: PlannedFill[] = [];
        const given: Decimal[] = positions.map(() => ZERO);
        const touched = positions.map(() => false);
        const closed: Decimal[] = positions.map(() => ZERO);
        positions.forEach((p, i) => {
          const t = take[i];
          if (t === null || t === undefined) return;
          const held = p.size.div(market.lotSize).toNumber();
          const lots = Math.max(1, Math.round(t * held));
          const q = market.lotSize.times(lots);
          fills.push({ counterparty: p, lots: BigInt(lots), heldLots: lotsOf(market, p.size) });
          given[i] = h.times(q);
          closed[i] = q;
          touched[i] = true;
        });
        const pnl = positions.map((p) => unrealizedPnl(market, p, mark));
        const equity = positions.map((p) => equityAt(market, p, mark));
        const needed = new Decimal("12.5");
        const spec = computeMetrics({
          neededBudget: needed,
          pnl,
          equity,
          given,
          touched,
          exceedsPositivePnl: (i) => gaveMoreThanPositivePnl(market, positions[i]!, mark, given[i]!, pnl[i]!, [{ price, quantity: closed[i]!.toFixed() }]),
        });
        const ev = prepareOneFill(market, mark, positions, h, new Map(positions.map((p, i) => [p.accountId, i])));
        expect(ev).not.toBeNull();
        const book = bookOneFill(ev!, fills);
        expect(oneFillMetrics(ev!, needed, book)).toEqual(spec);
        positions.forEach((_, i) => {
          expect(pnlOf(ev!, i).eq(pnl[i]!)).toBe(true);
          expect(equityOf(ev!, i).eq(equity[i]!)).toBe(true);
          expect(givenOf(ev!, book, i).eq(given[i]!)).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("valid: an inverse market, or values past 2^53, fall back to the specification (no fast event)", () => {
    const inverse = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5" });
    const p = parsePosition({ accountId: "a", side: "long", size: "1", entryPrice: "100", margin: "1" }, inverse, "/c/0");
    expect(prepareOneFill(inverse, new Decimal(110), [p], new Decimal(1), new Map([["a", 0]]))).toBeNull();
    const linear = parseMarket({ contractType: "linear", contractSize: "1", lotSize: "0.00000001", tickSize: "0.00000001" });
    const big = parsePosition({ accountId: "a", side: "long", size: "1000000", entryPrice: "1", margin: "1" }, linear, "/c/0");
    expect(prepareOneFill(linear, new Decimal(100000), [big], new Decimal(1), new Map([["a", 0]]))).toBeNull();
  });
});

describe("comparePolicies through the fast metrics", () => {
  it("valid: the same comparison, byte for byte, as the specification's measurement (one bankrupt position)", () => {
    const reqArb = rawMarketArb(["linear", "inverse"]).chain((raw) => {
      const m = parseMarket(raw);
      return fc.integer({ min: 1, max: 25 }).chain((n) =>
        fc.record({
          raw: fc.constant(raw),
          mark: priceArb(m),
          bankruptcyPrice: priceArb(m),
          lots: fc.integer({ min: 1, max: 2000 }),
          cps: counterpartiesArb(m, "long", n),
          priceRule: fc.constantFrom("bankruptcy" as const, "mark" as const),
          detail: fc.constantFrom("full" as const, "metrics" as const),
        }),
      );
    });
    fc.assert(
      fc.property(reqArb, ({ raw, mark, bankruptcyPrice, lots, cps, priceRule, detail }) => {
        const market = parseMarket(raw);
        const req: CompareRequest = {
          market: raw,
          markPrice: mark,
          priceRule,
          seed: "property",
          liquidated: [{ side: "short", size: market.lotSize.times(lots).toFixed(), bankruptcyPrice }],
          counterparties: cps,
          policies: COMPARE_CANDIDATES,
          detail,
        };
        expect(JSON.stringify(comparePolicies(req))).toBe(JSON.stringify(comparePolicies(req, { exact: true })));
      }),
      { numRuns: 150 },
    );
  });
});
