/**
 * The stress lab's accelerations against the specifications they accelerate (issue 12):
 * - fast/liquidation-ticks.ts (float liquidation price with an error bound) equals liquidationTicks (exact decimals)
 *   on random positions of linear and inverse markets under both conventions, and on positions built so that the
 *   exact liquidation price sits on a tick (where a float alone would round the wrong way);
 * - fast/paid-in-full.ts equals decideFund + settleLiquidation + fundStateAfter on random one-execution liquidations
 *   and fund states (floor and drawdown rules, per-event caps, fee caps), or declines (and then ADL is needed);
 * - the whole simulator (lazy book, float liquidation prices, parse-free events) equals the exact engine
 *   (parseSimulation(input, { exact: true }): every position parsed, exact prices, every event parsed from its
 *   exported request by the route's parseLiquidationRequest; comparator sorts) byte for byte, on random books, paths
 *   and policies, and the prepared book itself (prices and sorted orders, on books full of ties).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import { parseFundConfig } from "../../src/domain/fund/config";
import type { FundState } from "../../src/domain/fund/trigger";
import { decideFund, fundStateAfter, parseLiquidationRequest, settleLiquidation, settlementToWire } from "../../src/domain/liquidation";
import { paidInFull } from "../../src/domain/simulation/fast/paid-in-full";
import { parsePosition } from "../../src/domain/position";
import { type SimulationInput, parseSimulation, runPaths, summarize } from "../../src/domain/simulation";
import { fastLiquidationTicks, fastTickContext } from "../../src/domain/simulation/fast/liquidation-ticks";
import { bankruptcyTicks, liquidationTicks } from "../../src/domain/simulation/ticks";
import type { PositionInput } from "../../src/domain/types";

interface MarketSpec {
  contractType: "linear" | "inverse";
  tickSize: string;
  contractSize: string;
  mmr: string;
  convention: "entry" | "mark";
}

const marketArb: fc.Arbitrary<MarketSpec> = fc.record({
  contractType: fc.constantFrom<"linear" | "inverse">("linear", "inverse"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.1"),
  contractSize: fc.constantFrom("1", "0.001", "100"),
  mmr: fc.constantFrom("0", "0.005", "0.01", "0.05", "0.3333"),
  convention: fc.constantFrom<"entry" | "mark">("entry", "mark"),
});

function context(m: MarketSpec) {
  const config = parseFundConfig({ contractType: m.contractType, contractSize: m.contractSize, lotSize: "0.001", tickSize: m.tickSize, settlementAsset: "X", amountDecimals: 8 });
  const exact = { config, tick: config.market.tickSize, mmr: new Decimal(m.mmr), convention: m.convention };
  return { config, exact, fast: fastTickContext(exact) };
}

const positionArb = fc.record({
  side: fc.constantFrom<"long" | "short">("long", "short"),
  lots: fc.integer({ min: 1, max: 5_000_000 }),
  entryTicks: fc.integer({ min: 1, max: 20_000_000 }),
  margin: fc.oneof(fc.integer({ min: 1, max: 10 ** 12 }).map((x) => new Decimal(x).div(10 ** 6).toFixed()), fc.integer({ min: 1, max: 10 ** 15 }).map((x) => new Decimal(x).div(10 ** 8).toFixed())),
});

/** A decided float bankruptcy price is the exact one; NaN (undecided, or none) leaves it to the specification. */
function expectSameBankruptcy(fast: number, exact: () => number) {
  if (Number.isNaN(fast)) return;
  expect(fast).toBe(exact());
}

describe("stress lab accelerations", { timeout: 300_000 }, () => {
  it("valid: the float liquidation price in ticks equals the exact one on random positions", () => {
    fc.assert(
      fc.property(marketArb, fc.array(positionArb, { minLength: 1, maxLength: 50 }), (m, ps) => {
        const { config, exact, fast } = context(m);
        ps.forEach((p, i) => {
          const input: PositionInput = { accountId: `a${i}`, side: p.side, size: new Decimal(p.lots).div(1000).toFixed(), entryPrice: config.market.tickSize.times(p.entryTicks).toFixed(), margin: p.margin };
          const parsed = parsePosition(input, config.market, `/positions/${i}`);
          const out = { bankruptcyTicks: -1 };
          expect(fastLiquidationTicks(fast, input, () => parsed, out)).toBe(liquidationTicks(exact, parsed));
          expectSameBankruptcy(out.bankruptcyTicks, () => bankruptcyTicks(exact, parsed));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("valid: equal where the exact liquidation price sits on a tick or within a hair of one (the fallback decides)", () => {
    fc.assert(
      fc.property(marketArb.filter((m) => m.contractType === "linear" && m.convention === "entry"), positionArb, fc.integer({ min: 1, max: 400 }), fc.constantFrom("0", "0.00000001", "-0.00000001"), (m, p, offTicks, hair) => {
        const { config, exact, fast } = context(m);
        // Linear, entry convention: LP = E - s*(M - m*QK*E)/QK, so M = m*QK*E + s*(E - LP)*QK for a chosen LP.
        const tick = config.market.tickSize;
        const s = p.side === "long" ? 1 : -1;
        const size = new Decimal(p.lots).div(1000);
        const entry = tick.times(p.entryTicks + 500);
        const qk = size.times(config.market.contractSize);
        const lp = entry.minus(tick.times(offTicks).times(s));
        const margin = new Decimal(m.mmr).times(qk).times(entry).plus(entry.minus(lp).times(qk).times(s)).plus(hair);
        fc.pre(margin.gt(0) && margin.decimalPlaces() <= 30);
        const input: PositionInput = { accountId: "a", side: p.side, size: size.toFixed(), entryPrice: entry.toFixed(), margin: margin.toFixed() };
        const parsed = parsePosition(input, config.market, "/positions/0");
        const out = { bankruptcyTicks: -1 };
        expect(fastLiquidationTicks(fast, input, () => parsed, out)).toBe(liquidationTicks(exact, parsed));
        expectSameBankruptcy(out.bankruptcyTicks, () => bankruptcyTicks(exact, parsed));
      }),
      { numRuns: 500 },
    );
  });

  it("valid: a liquidation the fund takes whole is decided and settled as the liquidation module does; otherwise it declines", () => {
    const caseArb = fc.record({
      inverse: fc.boolean(),
      side: fc.constantFrom<"long" | "short">("long", "short"),
      size: fc.integer({ min: 1, max: 50 }),
      entry: fc.integer({ min: 9_000, max: 11_000 }),
      lev: fc.integer({ min: 2, max: 80 }),
      move: fc.integer({ min: -3_000, max: 3_000 }),
      fee: fc.constantFrom(undefined, "0", "0.001", "0.02"),
      balance: fc.integer({ min: 0, max: 50_000 }),
      peakExtra: fc.integer({ min: 0, max: 30_000 }),
      adlActive: fc.boolean(),
      floor: fc.constantFrom(undefined, "0", "1000"),
      cap: fc.constantFrom(undefined, "50", "5000"),
      drawdown: fc.boolean(),
    });
    fc.assert(
      fc.property(caseArb, (c) => {
        const K = c.inverse ? 100 : 1;
        const config = parseFundConfig({
          contractType: c.inverse ? "inverse" : "linear", contractSize: String(K), lotSize: "1", tickSize: "0.5", settlementAsset: "X", amountDecimals: c.inverse ? 8 : 2,
          ...(c.floor === undefined ? {} : { fundFloor: c.floor }), ...(c.cap === undefined ? {} : { maxDrawPerEvent: c.cap }),
          ...(c.drawdown ? { adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.1" } } : {}),
        });
        const notional = c.inverse ? new Decimal(c.size * K).div(c.entry) : new Decimal(c.size).times(c.entry);
        const margin = notional.div(c.lev).toDecimalPlaces(c.inverse ? 8 : 2, Decimal.ROUND_UP).toFixed();
        const exec = String(Math.max(1, c.entry + c.move));
        const request = { markPrice: exec, liquidated: { accountId: "x", side: c.side, size: String(c.size), entryPrice: String(c.entry), margin }, executions: [{ quantity: String(c.size), price: exec }], ...(c.fee === undefined ? {} : { liquidationFeeRate: c.fee }) };
        let parsed;
        try {
          parsed = parseLiquidationRequest(config, request).liquidation;
        } catch {
          return; // no bankruptcy price (leverage <= 1 on an inverse short): never liquidated by the simulator
        }
        const balance = new Decimal(c.balance);
        const state: FundState = { balance, peakBalance: balance.plus(c.peakExtra), adlActive: c.adlActive };
        const fast = paidInFull(config, state, parsed);
        const d = decideFund(config, state, parsed);
        if (!d.adlQuantity.isZero()) {
          expect(fast).toBeNull();
          return;
        }
        expect(fast).not.toBeNull();
        const s = settlementToWire(settleLiquidation(config, parsed, d, { price: d.bankruptcyPrice, plan: null, filledQuantity: ZERO }));
        const after = fundStateAfter(state, d);
        expect(fast!.credited.toFixed()).toBe(new Decimal(d.fund.credited).toFixed());
        expect(fast!.drawn.toFixed()).toBe(new Decimal(d.fund.drawn).toFixed());
        expect(fast!.returnedToAccount.toFixed()).toBe(new Decimal(s.returnedToAccount).toFixed());
        expect(fast!.bankruptLoss.toFixed()).toBe(new Decimal(s.conservation.bankruptLoss).toFixed());
        expect([s.adlTransferred, s.socializedLoss]).toEqual(["0", "0"]);
        expect([fast!.state.balance.toFixed(), fast!.state.peakBalance.toFixed(), fast!.state.adlActive]).toEqual([after.balance.toFixed(), after.peakBalance.toFixed(), after.adlActive]);
      }),
      { numRuns: 2_000 },
    );
  });

  const START = 10_000;
  const sideArb = fc.array(fc.record({ size: fc.integer({ min: 1, max: 30 }), entry: fc.integer({ min: 9_000, max: 11_500 }), lev: fc.integer({ min: 2, max: 60 }) }), { minLength: 1, maxLength: 14 });
  interface RunSpec {
    longs: { size: number; entry: number; lev: number }[];
    shorts: { size: number; entry: number; lev: number }[];
    inverse: boolean;
    convention: "entry" | "mark";
    fee: string | undefined;
    balance: string;
    impact: SimulationInput["impact"];
    moves: number[];
    fundRule: "floor" | "drawdown" | "cap";
  }
  const runArb: fc.Arbitrary<RunSpec> = fc.record({
    longs: sideArb,
    shorts: sideArb,
    inverse: fc.boolean(),
    convention: fc.constantFrom<"entry" | "mark">("entry", "mark"),
    fee: fc.constantFrom(undefined, "0.002"),
    balance: fc.constantFrom("0", "300", "20000"),
    impact: fc.constantFrom<SimulationInput["impact"]>({ model: "none" }, { model: "linear", lambda: "3" }, { model: "book", depth: "0.2", resilience: "0.5" }, { model: "sqrt", sigma: "0.05", dailyVolume: "500", y: "1" }),
    moves: fc.array(fc.integer({ min: -400, max: 250 }), { minLength: 1, maxLength: 25 }),
    fundRule: fc.constantFrom<"floor" | "drawdown" | "cap">("floor", "drawdown", "cap"),
  });

  function inputOf(r: RunSpec): SimulationInput {
    const K = r.inverse ? 100 : 1;
    const mk = (side: "long" | "short", prefix: string) => (p: { size: number; entry: number; lev: number }, i: number) => {
      const notional = r.inverse ? new Decimal(p.size * K).div(p.entry) : new Decimal(p.size).times(p.entry);
      return { accountId: `${prefix}${i}`, side, size: String(p.size), entryPrice: String(p.entry), margin: notional.div(p.lev).toDecimalPlaces(8, Decimal.ROUND_UP).toFixed() };
    };
    let mark = START * 2;
    const markPath = r.moves.map((m) => {
      mark = Math.max(2, mark + m * 2);
      return new Decimal(mark).div(2).toFixed();
    });
    return {
      market: { contractType: r.inverse ? "inverse" : "linear", contractSize: String(K), lotSize: "1", tickSize: "0.5", amountDecimals: 8 },
      markPrice: `${START}`,
      positions: [...r.longs.map(mk("long", "L")), ...r.shorts.map(mk("short", "S"))],
      fund: { balance: r.balance, ...(r.fundRule === "drawdown" ? { adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.1" } } : r.fundRule === "cap" ? { maxDrawPerEvent: "40" } : {}) },
      liquidation: { maintenanceMarginRate: "0.005", liquidationConvention: r.convention, ...(r.fee ? { liquidationFeeRate: r.fee } : {}) },
      scenario: { markPath },
      impact: r.impact,
      output: { events: true, steps: true },
    };
  }

  const result = (i: SimulationInput, exact: boolean) => {
    const plan = parseSimulation(i, { exact });
    return JSON.stringify(summarize(plan, runPaths(plan, 0, plan.paths, plan.paths), plan.paths));
  };

  it("valid: the prepared book (liquidation prices, both sorted orders with their accountId tie-breaks) equals the exact one", () => {
    const many = fc.array(fc.record({ size: fc.integer({ min: 1, max: 3 }), entry: fc.constantFrom(9_990, 10_000, 10_010), lev: fc.constantFrom(5, 10, 20) }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(runArb, many, many, (r, longs, shorts) => {
        const i = inputOf({ ...r, longs, shorts });
        const fast = parseSimulation(i).book;
        const exact = parseSimulation(i, { exact: true }).book;
        expect(Array.from(fast.lpTicks)).toEqual(Array.from(exact.lpTicks));
        expect(Array.from(fast.longOrder)).toEqual(Array.from(exact.longOrder));
        expect(Array.from(fast.shortOrder)).toEqual(Array.from(exact.shortOrder));
      }),
      { numRuns: 100 },
    );
  });

  it("valid: the accelerated simulator equals the exact engine byte for byte (every policy, events and series)", () => {
    fc.assert(
      fc.property(runArb, fc.boolean(), (r, withEvents) => {
        // Without exported events the fast decision (paid-in-full) runs too; with them, every event is the module's.
        const i = { ...inputOf(r), output: { events: withEvents, steps: true } };
        expect(result(i, false)).toBe(result(i, true));
      }),
      { numRuns: 60 },
    );
  });

  it("valid: equal over many GARCH paths without detail (the shared per-position memo across paths and policies)", () => {
    fc.assert(
      fc.property(runArb, fc.integer({ min: 1, max: 1_000_000 }), (r, seed) => {
        const i: SimulationInput = { ...inputOf(r), scenario: { model: "garch", paths: 6, steps: 40, seed, omega: "0.00002", alpha: "0.1", beta: "0.85", innovations: "student-t", degreesOfFreedom: 4 }, output: { events: false, steps: false } };
        const plan = (exact: boolean) => parseSimulation(i, { exact });
        const run = (exact: boolean) => {
          const p = plan(exact);
          return JSON.stringify(summarize(p, runPaths(p, 0, p.paths, 0), 0));
        };
        expect(run(false)).toBe(run(true));
      }),
      { numRuns: 20 },
    );
  });
});
