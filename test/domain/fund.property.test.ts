/**
 * Conservation of the liquidation waterfall, property-tested: for random markets (linear and inverse), positions,
 * market executions, fund states (floor, per-event cap, drawdown rule, fee cap) and ADL outcomes (partial fills, BP or
 * mark price), fund delta + ADL transfers + socialised loss (- surplus returned to the account) account for the
 * whole bankrupt loss, exactly in rounded amounts and within one rounding unit per piece of the exact value.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import { type FundConfigInput, parseFundConfig } from "../../src/domain/fund/config";
import { settleAdl } from "../../src/domain/fund/settle";
import { closeValueExact } from "../../src/domain/fund/units";
import { type LiquidationInput, decideWaterfall, parseLiquidation } from "../../src/domain/fund/waterfall";
import { DomainError } from "../../src/domain/types";
import { fromUnits } from "./arbitraries";

const configArb: fc.Arbitrary<FundConfigInput> = fc.record({
  contractType: fc.constantFrom<"linear" | "inverse">("linear", "inverse"),
  contractSize: fc.constantFrom("1", "0.001", "10", "100"),
  lotSize: fc.constantFrom("1", "0.1", "0.001", "5"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.1"),
  settlementAsset: fc.constant("USDT"),
  amountDecimals: fc.constantFrom(2, 6, 8),
  fundFloor: fc.constantFrom("0", "10", "1000"),
  maxDrawPerEvent: fc.option(fc.constantFrom("1", "50", "100000"), { nil: undefined }),
  adlTrigger: fc.constantFrom<FundConfigInput["adlTrigger"]>({ rule: "floor" }, { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" }),
});

const caseArb = configArb.chain((cfg) => {
  const tickDp = new Decimal(cfg.tickSize!).decimalPlaces();
  const price = fc.integer({ min: 1000, max: 100_000 }).map((u) => fromUnits(BigInt(u) * 10n ** BigInt(tickDp), tickDp));
  const lots = fc.integer({ min: 1, max: 200 });
  return fc.record({
    cfg: fc.constant(cfg),
    side: fc.constantFrom<"long" | "short">("long", "short"),
    sizeLots: lots,
    entry: price,
    leverage: fc.integer({ min: 2, max: 100 }),
    mark: price,
    execs: fc.array(fc.record({ lots: fc.integer({ min: 1, max: 60 }), moveBps: fc.integer({ min: -800, max: 800 }) }), { maxLength: 6 }),
    feeRate: fc.option(fc.constantFrom("0.005", "0.0001"), { nil: undefined }),
    balance: fc.integer({ min: 0, max: 5_000_000 }).map((u) => String(u)),
    peakExtra: fc.integer({ min: 0, max: 5_000_000 }),
    adlActive: fc.boolean(),
    fillShare: fc.double({ min: 0, max: 1, noNaN: true }),
    adlAtMark: fc.boolean(),
  });
});

it("fund delta + ADL transfers + socialised loss account for the whole bankrupt loss", () => {
  let checked = 0;
  fc.assert(
    fc.property(caseArb, (c) => {
      const cfg = parseFundConfig(c.cfg);
      const m = cfg.market;
      const size = m.lotSize.times(c.sizeLots);
      const entry = new Decimal(c.entry);
      // margin = notional / leverage on the asset grid (rounded down: still a valid positive margin).
      const notional = m.contractType === "linear" ? size.times(m.contractSize).times(entry) : size.times(m.contractSize).div(entry);
      const margin = notional.div(c.leverage).toDecimalPlaces(8, Decimal.ROUND_DOWN);
      if (margin.lte(0)) return;
      // Executions around the mark, truncated so they never exceed the size.
      let left = c.sizeLots;
      const executions: LiquidationInput["executions"] = [];
      for (const e of c.execs) {
        const l = Math.min(left, e.lots);
        if (l <= 0) break;
        left -= l;
        const px = new Decimal(c.mark).times(10_000 + e.moveBps).div(10_000).toNearest(m.tickSize, Decimal.ROUND_DOWN);
        if (px.lte(0)) continue;
        executions.push({ quantity: m.lotSize.times(l).toFixed(), price: px.toFixed() });
      }
      const input: LiquidationInput = {
        markPrice: c.mark,
        liquidated: { accountId: "x", side: c.side, size: size.toFixed(), entryPrice: c.entry, margin: margin.toFixed() },
        executions,
        liquidationFeeRate: c.feeRate,
      };
      let liq;
      try {
        liq = parseLiquidation(cfg, input);
      } catch (e) {
        if (e instanceof DomainError) return; // e.g. no bankruptcy price on the tick grid
        throw e;
      }
      const balance = new Decimal(c.balance);
      const st = { balance, peakBalance: balance.plus(c.peakExtra), adlActive: c.adlActive };
      const d = decideWaterfall(cfg, st, liq);

      // Fund rules.
      const drawn = new Decimal(d.fund.drawn);
      expect(drawn.lte(d.drawCapacity)).toBe(true);
      if (cfg.maxDrawPerEvent) expect(drawn.lte(cfg.maxDrawPerEvent)).toBe(true);
      if (drawn.gt(0)) expect(new Decimal(d.fund.balanceAfter).gte(d.effectiveFloor)).toBe(true);
      expect(new Decimal(d.fund.balanceAfter).eq(balance.plus(d.fund.credited).minus(drawn))).toBe(true);

      // A random ADL outcome: some lot-multiple share of what was handed over, at BP or mark.
      const adlLots = new Decimal(d.adlQuantity).div(m.lotSize);
      const filled = adlLots.times(c.fillShare).floor().times(m.lotSize);
      const adlPrice = c.adlAtMark ? c.mark : d.bankruptcyPrice;
      const s = settleAdl(m, cfg.amountDecimals, liq.sign, d, { price: new Decimal(adlPrice), filledQuantity: filled });

      // Exact in rounded amounts (settleAdl also asserts it; restated here from the parts).
      const k = s.conservation;
      const rhs = new Decimal(k.fundDrawn).minus(k.fundCredited).plus(k.adlTransferred).plus(k.socializedLoss).minus(k.returnedToAccount);
      expect(rhs.toFixed()).toBe(new Decimal(k.bankruptLoss).toFixed());

      // Within one rounding unit per piece of the exact (unrounded) loss.
      const bp = new Decimal(d.bankruptcyPrice);
      let exact = ZERO;
      let pieces = 0;
      d.executions.forEach((e) => {
        if (new Decimal(e.quantity).gt(0)) {
          exact = exact.plus(closeValueExact(m, liq.sign, bp, new Decimal(e.quantity), new Decimal(e.price)));
          pieces++;
        }
      });
      for (const p of s.pieces) {
        if (new Decimal(p.filledQuantity).gt(0)) {
          exact = exact.plus(closeValueExact(m, liq.sign, bp, new Decimal(p.filledQuantity), new Decimal(p.referencePrice)));
          pieces++;
        }
        if (new Decimal(p.unfilledQuantity).gt(0)) {
          exact = exact.plus(Decimal.min(ZERO, closeValueExact(m, liq.sign, bp, new Decimal(p.unfilledQuantity), new Decimal(p.referencePrice))));
          pieces++;
        }
      }
      const unit = new Decimal(10).pow(-cfg.amountDecimals);
      const err = new Decimal(k.bankruptLoss).minus(exact.neg()).abs();
      expect(err.lte(unit.times(pieces + 1))).toBe(true);

      // Quantities: taken + filled + unfilled = size.
      const taken = d.executions.reduce((a, e) => a.plus(e.quantity), ZERO);
      expect(taken.plus(filled).plus(s.unfilledQuantity).eq(size)).toBe(true);
      checked++;
    }),
    { numRuns: 1500 },
  );
  expect(checked).toBeGreaterThan(500);
});
