/**
 * The stress lab's simulator, property-tested on random books and paths (issue 12):
 * conservation per event and in total; a path crossing no liquidation price liquidates nothing; more starting fund
 * never gives ADL earlier (nor at all when the smaller fund had none); with impact the price falls at least as far;
 * starting with fundNeeded gives no ADL and one asset unit less gives some; the same request gives the same result
 * byte for byte, however the paths are split; and every exported event, run through liquidate() (the liquidation
 * route's pure function) from the fund as simulated, gives exactly the balance and ADL fills the simulator recorded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type FundState, nextAdlActive } from "../../src/domain/fund/trigger";
import { liquidate } from "../../src/domain/liquidation";
import { withWire } from "./helpers";
import { type SimulationInput, parseSimulation, runPaths, summarize } from "../../src/domain/simulation";
import type { CompareCandidate } from "../../src/domain/policies/compare";

const START = 10_000;

interface BookSpec {
  longs: { size: number; entry: number; lev: number }[];
  shorts: { size: number; entry: number; lev: number }[];
  lot: "1" | "0.1";
}

const side = (entryMin: number, entryMax: number) =>
  fc.array(fc.record({ size: fc.integer({ min: 1, max: 30 }), entry: fc.integer({ min: entryMin, max: entryMax }), lev: fc.integer({ min: 2, max: 40 }) }), { minLength: 1, maxLength: 12 });

const bookArb: fc.Arbitrary<BookSpec> = fc.record({ longs: side(9_000, 11_000), shorts: side(10_000, 11_500), lot: fc.constantFrom<"1" | "0.1">("1", "0.1") });

function positions(b: BookSpec) {
  const lot = Number(b.lot);
  const mk = (s: "long" | "short", prefix: string) => (p: { size: number; entry: number; lev: number }, i: number) => {
    const size = new Decimal(p.size).times(lot);
    return { accountId: `${prefix}${i}`, side: s, size: size.toFixed(), entryPrice: `${p.entry}`, margin: size.times(p.entry).div(p.lev).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed() };
  };
  return [...b.longs.map(mk("long", "L")), ...b.shorts.map(mk("short", "S"))];
}

const impactArb = fc.constantFrom<SimulationInput["impact"]>(
  { model: "none" },
  { model: "linear", lambda: "3" },
  { model: "book", depth: "0.2", resilience: "0.5" },
  { model: "sqrt", sigma: "0.05", dailyVolume: "500", y: "1" },
);

const pathArb = fc.array(fc.integer({ min: -400, max: 250 }), { minLength: 1, maxLength: 25 }).map((moves) => {
  let p = START * 2;
  return moves.map((m) => {
    p = Math.max(2, p + m * 2);
    return new Decimal(p).div(2).toFixed(); // tick 0.5
  });
});

function input(b: BookSpec, markPath: string[], impact: SimulationInput["impact"], balance: string, extra: Partial<SimulationInput> = {}): SimulationInput {
  return {
    market: { contractType: "linear", contractSize: "1", lotSize: b.lot, tickSize: "0.5", amountDecimals: 2 },
    markPrice: `${START}`,
    positions: positions(b),
    fund: { balance },
    liquidation: { maintenanceMarginRate: "0.005" },
    scenario: { markPath },
    impact,
    output: { events: true, steps: true },
    ...extra,
  };
}

function run(i: SimulationInput) {
  const plan = parseSimulation(i);
  return summarize(plan, runPaths(plan, 0, plan.paths, plan.paths), plan.paths);
}

const RUNS = { numRuns: 25 };

describe("stress simulator", { timeout: 120_000 }, () => {
  it("valid: conservation per event (the route's identity) and in total (fund end = start + credits - draws)", () => {
    fc.assert(
      fc.property(bookArb, pathArb, impactArb, fc.constantFrom("0", "500", "20000"), (b, path, impact, balance) => {
        const res = run(input(b, path, impact, balance));
        for (const p of res.policies) {
          const t = p.paths![0]!.totals;
          let loss = new Decimal(0);
          let balanceNow = new Decimal(balance);
          for (const e of p.paths![0]!.events!) {
            const c = e.conservation;
            const rhs = new Decimal(c.fundDrawn!).minus(c.fundCredited!).plus(c.adlTransferred!).plus(c.socializedLoss!).minus(c.returnedToAccount!);
            expect(rhs.eq(c.bankruptLoss!)).toBe(true);
            balanceNow = balanceNow.plus(c.fundCredited!).minus(c.fundDrawn!);
            expect(balanceNow.toFixed()).toBe(e.fundBalanceAfter);
            loss = loss.plus(c.bankruptLoss!);
          }
          expect(loss.toFixed()).toBe(t.bankruptLoss);
          expect(new Decimal(t.fundStart).plus(t.credited).minus(t.drawn).toFixed()).toBe(t.fundEnd);
          const rhs = new Decimal(t.drawn).minus(t.credited).plus(t.adlTransferred).plus(t.socializedLoss).minus(t.returnedToAccount);
          expect(rhs.toFixed()).toBe(new Decimal(t.bankruptLoss).toFixed());
        }
      }),
      RUNS,
    );
  });

  it("valid: a path that crosses no liquidation price liquidates nothing", () => {
    fc.assert(
      fc.property(bookArb, fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 20 }), (b, jitter) => {
        const plan = parseSimulation(input(b, [`${START}`], { model: "none" }, "0"));
        const lps = Array.from(plan.book.lpTicks).map((x, i) => ({ x, side: plan.book.positions[i]!.side }));
        const longMax = Math.max(0, ...lps.filter((p) => p.side === "long" && !Number.isNaN(p.x)).map((p) => p.x));
        const shortMin = Math.min(1e12, ...lps.filter((p) => p.side === "short" && !Number.isNaN(p.x)).map((p) => p.x));
        fc.pre(shortMin - longMax > 8);
        const mid = Math.floor((longMax + shortMin) / 2);
        const path = jitter.map((j) => new Decimal(mid + j).div(2).toFixed());
        const res = run({ ...input(b, path, { model: "linear", lambda: "3" }, "0"), markPrice: new Decimal(mid).div(2).toFixed() });
        for (const p of res.policies) {
          expect(p.summary.liquidations).toBe(0);
          expect(p.paths![0]!.events).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it("valid: more starting fund never brings ADL earlier, nor at all when less fund had none", () => {
    fc.assert(
      fc.property(bookArb, pathArb, impactArb, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 3000 }), (b, path, impact, small, extra) => {
        const a = run(input(b, path, impact, `${small}`));
        const c = run(input(b, path, impact, `${small + extra}`));
        a.policies.forEach((p, k) => {
          const firstAdl = (r: typeof p) => r.paths![0]!.events!.findIndex((e) => e.adlQuantity !== "0");
          const fa = firstAdl(p);
          const fc2 = firstAdl(c.policies[k]!);
          if (fa === -1) expect(fc2).toBe(-1);
          else if (fc2 !== -1) expect(fc2).toBeGreaterThanOrEqual(fa);
        });
      }),
      RUNS,
    );
  });

  it("valid: with impact the price falls at least as far as without (a falling path, longs liquidated)", () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 5, max: 40 }), fc.integer({ min: 1, max: 20 }), impactArb, (b, dropPct, steps, impact) => {
        const none = run({ ...input(b, ["1"], { model: "none" }, "1000"), scenario: { shock: { drop: `0.${String(dropPct).padStart(2, "0")}`, steps } } });
        const imp = run({ ...input(b, ["1"], impact, "1000"), scenario: { shock: { drop: `0.${String(dropPct).padStart(2, "0")}`, steps } } });
        imp.policies.forEach((p, k) => {
          expect(new Decimal(p.summary.minMark).lte(none.policies[k]!.summary.minMark)).toBe(true);
          expect(p.summary.liquidatedQuantity >= "0").toBe(true);
          expect(new Decimal(p.summary.liquidatedQuantity).gte(none.policies[k]!.summary.liquidatedQuantity)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("valid: starting with fundNeeded gives no ADL under any policy; one asset unit less gives some", () => {
    fc.assert(
      fc.property(bookArb, pathArb, impactArb, (b, path, impact) => {
        const first = run(input(b, path, impact, "0"));
        const need = first.policies[0]!.summary.fundNeeded!;
        expect(need).not.toBeNull();
        const at = run(input(b, path, impact, need));
        for (const p of at.policies) expect(p.summary.adlQuantity).toBe("0");
        if (new Decimal(need).gt(0)) {
          const below = run(input(b, path, impact, new Decimal(need).minus("0.01").toFixed()));
          for (const p of below.policies) expect(new Decimal(p.summary.adlQuantity).gt(0)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("valid: every exported event, run through liquidate() (the route's pure function) from the fund as simulated, gives the recorded balance and fills", () => {
    fc.assert(
      fc.property(bookArb, pathArb, impactArb, fc.constantFrom("0", "300"), (b, path, impact, balance) => {
        const i = input(b, path, impact, balance);
        const plan = parseSimulation(i);
        const res = summarize(plan, runPaths(plan, 0, 1, 1), 1);
        const config = plan.book.config;
        for (const p of res.policies) {
          const start = new Decimal(balance);
          let state: FundState = { balance: start, peakBalance: start, adlActive: nextAdlActive(config, false, start, start) };
          for (const e of p.paths![0]!.events!) {
            const out = withWire(liquidate(config, state, e.request));
            expect(out.decision.fund.balanceAfter).toBe(e.fundBalanceAfter);
            expect(out.decision.adlQuantity).toBe(e.adlQuantity);
            expect(out.adl.plan?.fills ?? []).toEqual(e.fills);
            expect(out.settlement.socializedLoss).toBe(e.socializedLoss);
            state = out.fundAfter;
          }
        }
      }),
      RUNS,
    );
  });

  it("valid: deterministic byte for byte, and split-invariant over workers (GARCH, every policy)", () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 11 }), (b, paths, cut) => {
        fc.pre(cut < paths);
        const i: SimulationInput = {
          ...input(b, ["1"], { model: "linear", lambda: "2" }, "200"),
          scenario: { model: "garch", paths, steps: 30, seed: 42, omega: "0.00002", alpha: "0.1", beta: "0.85", innovations: "student-t", degreesOfFreedom: 4 },
          output: { events: false, steps: false },
        };
        const plan = parseSimulation(i);
        const whole = JSON.stringify(summarize(plan, runPaths(plan, 0, paths, 0), 0));
        const again = JSON.stringify(summarize(parseSimulation(i), runPaths(parseSimulation(i), 0, paths, 0), 0));
        const split = JSON.stringify(summarize(plan, [...runPaths(plan, cut, paths, 0), ...runPaths(plan, 0, cut, 0)], 0));
        expect(again).toBe(whole);
        expect(split).toBe(whole);
      }),
      { numRuns: 10 },
    );
  });

  it("invalid: limits are refused up front, naming the limit", () => {
    const b: BookSpec = { longs: [{ size: 1, entry: 10_000, lev: 10 }], shorts: [{ size: 1, entry: 10_000, lev: 10 }], lot: "1" };
    const big = { ...input(b, ["1"], { model: "none" }, "0"), scenario: { model: "gbm", paths: 10_000, steps: 10_000, seed: 1, sigma: "0.01" } } as SimulationInput;
    expect(() => parseSimulation(big)).toThrow(/MAX_PATH_STEPS/);
    const series = { ...input(b, ["1"], { model: "none" }, "0"), scenario: { model: "gbm", paths: 100, steps: 5000, seed: 1, sigma: "0.01" }, output: { steps: true } } as SimulationInput;
    expect(() => parseSimulation(series)).toThrow(/MAX_SERIES_POINTS/);
    const policies: CompareCandidate[] = ["queue:random"];
    expect(() => parseSimulation({ ...input(b, ["9000"], { model: "none" }, "0"), policies })).toThrow(/seeded scenario/);
  });
});
