import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AMOUNT_DP, Decimal, ZERO, roundToDecimals, signed } from "../../src/domain/num/decimal";
import { bankruptSettlement, closePnl } from "../../src/domain/fills";
import { planFills } from "./wire-plans";
import type { ParsedMarket } from "../../src/domain/market";
import { bankruptcyPrice, bankruptcyPriceExact, type ParsedPosition, parsePosition } from "../../src/domain/position";
import { countingQueue, marketArb, opposite, priceArb, queueArb, sideArb } from "./arbitraries";

const d = (s: string) => new Decimal(s);
const TINY = d("1e-120");

/** A batch: market, liquidated side, opposite-side queue, requested lots (up to beyond the queue), price. */
const batchArb = marketArb.chain((market) =>
  sideArb.chain((liquidatedSide) =>
    fc.record({
      market: fc.constant(market),
      liquidatedSide: fc.constant(liquidatedSide),
      queue: queueArb(market, opposite(liquidatedSide)),
      lots: fc.integer({ min: 1, max: 30_000 }),
      price: priceArb(market),
    }),
  ),
);

describe("planFills invariants on random batches", () => {
  it("quantities add up, respect holdings and lots, one price, queue order, no over-pulling", () => {
    fc.assert(
      fc.property(batchArb, ({ market, liquidatedSide, queue, lots, price }) => {
        const requested = market.lotSize.times(lots);
        const { queue: lazy, pulls } = countingQueue(queue);
        const plan = planFills({ market, liquidatedSide, quantity: requested, price, queue: lazy });

        const filled = d(plan.filledQuantity);
        const unfilled = d(plan.unfilledQuantity);
        expect(plan.fills.reduce((sum, f) => sum.plus(f.quantity), ZERO).eq(filled)).toBe(true);
        expect(filled.plus(unfilled).eq(requested)).toBe(true);
        expect(unfilled.gte(0)).toBe(true);

        // One pull per fill, in queue order; the whole queue only when the quantity is not filled.
        expect(pulls()).toBe(plan.fills.length);
        expect(plan.fills.map((f) => f.accountId)).toEqual(queue.slice(0, plan.fills.length).map((p) => p.accountId));
        if (unfilled.gt(0)) expect(plan.fills.length).toBe(queue.length);

        plan.fills.forEach((f, i) => {
          const holder = queue[i]!;
          const q = d(f.quantity);
          expect(f.price).toBe(plan.price);
          expect(d(f.price).eq(d(price))).toBe(true);
          expect(q.gt(0) && q.lte(holder.size)).toBe(true);
          expect(q.mod(market.lotSize).isZero()).toBe(true);
          expect(d(f.remainingSize).eq(holder.size.minus(q))).toBe(true);
          // Everyone but the last is closed fully.
          if (i < plan.fills.length - 1) expect(f.remainingSize).toBe("0");
          // Realised PnL: rounded down, less than one unit of AMOUNT_DP below exact.
          const exact = closePnl(market, holder.sign, holder.entryPrice, q, d(price));
          const wire = d(f.realizedPnl);
          expect(wire.lte(exact)).toBe(true);
          expect(exact.minus(wire).lt(d("1e-8"))).toBe(true);
          expect(wire.eq(roundToDecimals(exact, AMOUNT_DP, "down"))).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});

/** A bankrupt position with a bankruptcy price: leverage 2..125 on its entry value, margin rounded down to 8 dp. */
const bankruptArb = marketArb.chain((market) =>
  fc
    .record({
      side: sideArb,
      lots: fc.integer({ min: 1, max: 1000 }),
      entryPrice: priceArb(market),
      leverage: fc.integer({ min: 2, max: 125 }),
      closeLots: fc.integer({ min: 1, max: 1000 }),
      mark: priceArb(market),
    })
    .map(({ side, lots, entryPrice, leverage, closeLots, mark }) => {
      const size = market.lotSize.times(lots);
      const e = d(entryPrice);
      const qk = size.times(market.contractSize);
      const entryValue = market.contractType === "linear" ? qk.times(e) : qk.div(e);
      const margin = roundToDecimals(entryValue.div(leverage), 8, "down");
      return {
        market,
        margin,
        mark: d(mark),
        quantity: market.lotSize.times(Math.min(lots, closeLots)),
        raw: { side, size: size.toFixed(), entryPrice },
      };
    })
    .filter((x) => x.margin.gt(0))
    .map(({ market, margin, mark, quantity, raw }) => ({
      market,
      mark,
      quantity,
      bankrupt: parsePosition({ accountId: "bankrupt", ...raw, margin: margin.toFixed() }, market, "/bankrupt"),
    })),
);

/** domain.md section 3: the fund changes by s*q*K*(x - BP) (linear) or s*q*K*(1/BP - 1/x) (inverse). */
function fundDelta(market: ParsedMarket, p: ParsedPosition, q: Decimal, x: Decimal, bp: Decimal): Decimal {
  const qk = q.times(market.contractSize);
  const v = market.contractType === "linear" ? qk.times(x.minus(bp)) : qk.times(x.minus(bp)).div(bp.times(x));
  return signed(v, p.sign);
}

describe("value conservation (domain.md section 5)", () => {
  it("at the exact BP the bankrupt side's loss on q is exactly its margin share", () => {
    fc.assert(
      fc.property(bankruptArb, ({ market, bankrupt, quantity }) => {
        // Equal up to the one correctly rounded division in BP (160 digits): exact whenever BP terminates.
        const s = bankruptSettlement(market, bankrupt, quantity, bankruptcyPriceExact(market, bankrupt));
        expect(s.difference.abs().lte(s.marginShare.times(TINY))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("at the rounded BP the margin covers the loss and the fund receives at most one tick's worth", () => {
    fc.assert(
      fc.property(bankruptArb, ({ market, bankrupt, quantity }) => {
        const bp = bankruptcyPriceExact(market, bankrupt);
        const x = bankruptcyPrice(market, bankrupt);
        const s = bankruptSettlement(market, bankrupt, quantity, x);
        expect(s.difference.gte(0)).toBe(true);
        const qk = quantity.times(market.contractSize);
        const oneTick = market.contractType === "linear" ? qk.times(market.tickSize) : qk.times(market.tickSize).div(bp.times(x));
        expect(s.difference.lte(oneTick.plus(s.marginShare.times(TINY)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("at mark the difference is the fund's change s*q*K*(x - BP) of domain.md section 3", () => {
    fc.assert(
      fc.property(bankruptArb, ({ market, bankrupt, quantity, mark }) => {
        const bp = bankruptcyPriceExact(market, bankrupt);
        const s = bankruptSettlement(market, bankrupt, quantity, mark);
        const expected = fundDelta(market, bankrupt, quantity, mark, bp);
        expect(s.difference.minus(expected).abs().lte(s.marginShare.plus(expected.abs()).times(TINY))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("relative to mark, what the bankrupt side gains at the ADL price the counterparties lose, exactly", () => {
    fc.assert(
      fc.property(bankruptArb, fc.integer({ min: 0, max: 1_000_000 }), ({ market, bankrupt, quantity, mark }, seed) => {
        // Counterparties: the opposite side, enough to absorb the quantity, entries derived from the seed.
        const counterSide = opposite(bankrupt.side);
        const lots = quantity.div(market.lotSize).toNumber();
        const queue = Array.from({ length: Math.min(lots, 4) }, (_, i) =>
          parsePosition(
            {
              accountId: `c${i}`,
              side: counterSide,
              size: market.lotSize.times(i === 0 ? lots : 1 + ((seed + i) % 7)).toFixed(),
              entryPrice: mark.plus(((seed * (i + 3)) % 97) * 1).toFixed(),
              margin: "1",
            },
            market,
            `/positions/${i}`,
          ),
        );
        const x = bankruptcyPrice(market, bankrupt);
        const plan = planFills({ market, liquidatedSide: bankrupt.side, quantity, price: x, queue });
        expect(plan.unfilledQuantity).toBe("0");
        const transfer = (p: ParsedPosition, q: Decimal) =>
          closePnl(market, p.sign, p.entryPrice, q, x).minus(closePnl(market, p.sign, p.entryPrice, q, mark));
        let net = transfer(bankrupt, quantity);
        plan.fills.forEach((f, i) => (net = net.plus(transfer(queue[i]!, d(f.quantity)))));
        const scale = quantity.times(market.contractSize).times(x.plus(mark));
        expect(net.abs().lte(scale.times(TINY))).toBe(true);
        if (market.contractType === "linear") expect(net.isZero()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
