import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import {
  LIQUIDATION_CONVENTIONS,
  bankruptcyPrice,
  bankruptcyPriceExact,
  effectiveLeverage,
  hasBankruptcyPrice,
  liquidationPrice,
  liquidationPriceExact,
  notional,
  pnlRatio,
  unrealizedPnl,
} from "../../src/domain/position";
import { marketArb, positionArb, priceArb, sideArb } from "./arbitraries";

const TINY = new Decimal("1e-120");
const caseArb = marketArb.chain((market) =>
  fc.record({
    market: fc.constant(market),
    pos: sideArb.chain((side) => positionArb(market, side, "a", "/positions/0")),
    mark: priceArb(market).map((p) => new Decimal(p)),
    mmr: fc.integer({ min: 0, max: 500 }).map((bp) => new Decimal(bp).div(10_000)),
  }),
);

/** |a - b| within TINY relative to the larger magnitude (one correctly rounded division at 160 digits). */
function close(a: Decimal, b: Decimal): boolean {
  return a.minus(b).abs().lte(Decimal.max(a.abs(), b.abs(), 1).times(TINY));
}

describe("position formulas hold their defining equations", () => {
  it("bankruptcy: M + uPnL(BP) = 0; at the rounded BP, M + uPnL >= 0", () => {
    fc.assert(
      fc.property(caseArb, ({ market, pos }) => {
        fc.pre(hasBankruptcyPrice(market, pos));
        const bp = bankruptcyPriceExact(market, pos);
        expect(close(pos.margin.plus(unrealizedPnl(market, pos, bp)), new Decimal(0))).toBe(true);
        const rounded = bankruptcyPrice(market, pos);
        expect(pos.margin.plus(unrealizedPnl(market, pos, rounded)).gte(0)).toBe(true);
        expect(rounded.minus(bp).abs().lt(market.tickSize)).toBe(true);
        expect(rounded.mod(market.tickSize).isZero()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("liquidation: M + uPnL(LP) = MM under each convention; rounding liquidates earlier", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...LIQUIDATION_CONVENTIONS), ({ market, pos, mmr }, convention) => {
        const lp = liquidationPriceExact(market, pos, mmr, convention);
        if (lp === null) return;
        const mm = mmr.times(notional(market, pos, convention === "entry" ? pos.entryPrice : lp));
        expect(close(pos.margin.plus(unrealizedPnl(market, pos, lp)), mm)).toBe(true);
        const rounded = liquidationPrice(market, pos, mmr, convention);
        if (rounded === null) return;
        expect(pos.sign === 1 ? rounded.gte(lp) : rounded.lte(lp)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("pnlRatio times the basis notional is uPnL; effective leverage is null exactly when equity <= 0", () => {
    fc.assert(
      fc.property(caseArb, ({ market, pos, mark }) => {
        const u = unrealizedPnl(market, pos, mark);
        expect(close(pnlRatio(market, pos, mark, "entry").times(notional(market, pos, pos.entryPrice)), u)).toBe(true);
        expect(close(pnlRatio(market, pos, mark, "mark").times(notional(market, pos, mark)), u)).toBe(true);
        const equity = pos.margin.plus(u);
        const lev = effectiveLeverage(market, pos, mark);
        if (equity.lte(0)) expect(lev).toBeNull();
        else expect(close(lev!.times(equity), notional(market, pos, mark))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
