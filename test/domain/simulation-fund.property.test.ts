/**
 * The stress lab's fund figures against what they claim (issue 12, stress.md section 4):
 * - what more starting fund does not guarantee (fewer ADL contracts, less socialised loss), pinned by the two
 *   counterexamples fast-check found (the fund pays events in order, in whole lots);
 * - over many paths, fundNeeded is the largest per-path need and each quantile is the nearest-rank value of the
 *   per-path needs sorted here by hand; every per-path need is itself checked by re-running that path alone (its
 *   randomness comes from (seed, i) only) from that need (no ADL) and from one asset unit less (ADL).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type SimulationInput, parseSimulation, runPaths, summarize } from "../../src/domain/simulation";

interface Pos {
  size: number;
  entry: number;
  lev: number;
}
const side = (entryMin: number, entryMax: number) =>
  fc.array(fc.record({ size: fc.integer({ min: 1, max: 30 }), entry: fc.integer({ min: entryMin, max: entryMax }), lev: fc.integer({ min: 2, max: 40 }) }), { minLength: 1, maxLength: 12 });
const bookArb = fc.record({ longs: side(9_000, 11_000), shorts: side(10_000, 11_500) });

function positions(b: { longs: Pos[]; shorts: Pos[] }) {
  const mk = (s: "long" | "short", prefix: string) => (p: Pos, i: number) => ({
    accountId: `${prefix}${i}`,
    side: s,
    size: `${p.size}`,
    entryPrice: `${p.entry}`,
    margin: new Decimal(p.size).times(p.entry).div(p.lev).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(),
  });
  return [...b.longs.map(mk("long", "L")), ...b.shorts.map(mk("short", "S"))];
}

const pathArb = fc.array(fc.integer({ min: -400, max: 250 }), { minLength: 1, maxLength: 25 }).map((moves) => {
  let p = 20_000;
  return moves.map((m) => {
    p = Math.max(2, p + m * 2);
    return new Decimal(p).div(2).toFixed();
  });
});

const impactArb = fc.constantFrom<SimulationInput["impact"]>({ model: "none" }, { model: "linear", lambda: "3" }, { model: "book", depth: "0.2", resilience: "0.5" });

function base(b: { longs: Pos[]; shorts: Pos[] }, scenario: SimulationInput["scenario"], impact: SimulationInput["impact"], balance: string): SimulationInput {
  return {
    market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5", amountDecimals: 2 },
    markPrice: "10000",
    positions: positions(b),
    fund: { balance },
    liquidation: { maintenanceMarginRate: "0.005" },
    scenario,
    impact,
    output: { events: true, steps: false },
  };
}

const run = (i: SimulationInput) => {
  const plan = parseSimulation(i);
  return summarize(plan, runPaths(plan, 0, plan.paths, plan.paths), plan.paths);
};

describe("stress lab fund figures", { timeout: 120_000 }, () => {
  // What does not hold, found by fast-check when this file asserted it over random books, pinned here so a change of
  // the waterfall that alters it is seen: the fund pays events in order, in whole lots, so a larger fund can be spent
  // to zero on an early bankrupt position and hand a later one to ADL whole. More fund never brings ADL earlier (and
  // fundNeeded is exact: simulation.property.test.ts); the amounts after the first ADL are not monotone in the fund.
  const book = (longs: Pos[], shorts: Pos[], mark: string, balance: string) =>
    run(base({ longs, shorts }, { markPath: [mark, mark] }, { model: "book", depth: "0.2", resilience: "0.5" }, balance)).policies[0]!.summary;

  it("valid: ADL quantity is not monotone in the fund: 1463 takes 1 of L1's 19 lots and keeps enough for L0; 3872 takes 4, reaches 0, and L0's 4 lots go to ADL (18 -> 19)", () => {
    const longs = [{ size: 4, entry: 9761, lev: 37 }, { size: 19, entry: 10823, lev: 36 }, { size: 1, entry: 9000, lev: 2 }];
    const shorts = [{ size: 1, entry: 10000, lev: 2 }];
    const small = book(longs, shorts, "9602", "1463");
    const large = book(longs, shorts, "9602", "3872");
    expect([small.adlQuantity, large.adlQuantity]).toEqual(["18", "19"]);
    expect([small.socializedLoss, large.socializedLoss]).toEqual(["16456", "13554"]);
  });

  it("valid: socialised loss is not monotone in the fund: with 4343 the first position's ADL uses 4 of the 7 short contracts, and the second's 7 lots find only 3 (0 -> 2 socialised)", () => {
    const longs = [{ size: 13, entry: 10967, lev: 17 }, { size: 8, entry: 10363, lev: 18 }];
    const shorts = [{ size: 7, entry: 10000, lev: 2 }];
    const small = book(longs, shorts, "9872", "2988");
    const large = book(longs, shorts, "9872", "4343");
    expect([small.adlQuantity, large.adlQuantity]).toEqual(["7", "11"]);
    expect([small.socializedLoss, large.socializedLoss]).toEqual(["0", "2"]);
  });

  it("valid: fundNeeded and its quantiles over many GARCH paths are the per-path needs, each checked alone", () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 8, max: 30 }), fc.integer({ min: 1, max: 1_000_000 }), (b, paths, seed) => {
        const scenario: SimulationInput["scenario"] = { model: "garch", paths, steps: 40, seed, omega: "0.0004", alpha: "0.1", beta: "0.85", innovations: "student-t", degreesOfFreedom: 4 };
        const i = { ...base(b, scenario, { model: "linear", lambda: "2" }, "0"), output: { events: false, steps: false } };
        const plan = parseSimulation(i);
        const whole = summarize(plan, runPaths(plan, 0, paths, paths), paths);
        const needs = whole.policies[0]!.paths!.map((p) => p.fundNeeded);
        expect(needs).toHaveLength(paths);
        fc.pre(needs.every((x) => x !== null)); // a path no fund saves has a null need (and a null fundNeeded)
        const sorted = needs.map((x) => new Decimal(x!)).sort((x, y) => x.cmp(y));
        const rank = (q: number) => sorted[Math.max(1, Math.ceil((q * paths) / 1000)) - 1]!.toFixed();
        for (const p of whole.policies) {
          expect(p.summary.fundNeeded).toBe(sorted[paths - 1]!.toFixed());
          expect(p.summary.fundNeededQuantiles).toEqual({ p50: rank(500), p95: rank(950), p99: rank(990), p999: rank(999) });
        }
        // Each path's need, re-run alone from it and from one asset unit (0.01) less.
        for (let k = 0; k < paths; k++) {
          const need = new Decimal(needs[k]!);
          const alone = (balance: Decimal) => {
            const p2 = parseSimulation({ ...i, fund: { balance: balance.toFixed() } });
            const [r] = runPaths(p2, k, k + 1, 0);
            expect(r!.path).toBe(k);
            return r!.runs.map((x) => x.totals.adlQuantity);
          };
          for (const q of alone(need)) expect(q).toBe("0");
          if (need.gt(0)) for (const q of alone(need.minus("0.01"))) expect(new Decimal(q).gt(0)).toBe(true);
        }
      }),
      { numRuns: 6 },
    );
  });
});
