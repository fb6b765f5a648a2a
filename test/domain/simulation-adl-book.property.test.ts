/**
 * The simulator's kept opposite side (src/domain/simulation/adl-book.ts) against the route: on seeded GBM paths (so
 * queue:random runs too) with many ADL events per mark, partly closed counterparties and holders past bankruptcy,
 * every exported event run through liquidate() (the liquidation route's pure function) from the fund as simulated
 * gives exactly the fills, balance and socialised loss the simulator recorded, under every policy.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type FundState, nextAdlActive } from "../../src/domain/fund/trigger";
import { liquidate } from "../../src/domain/liquidation";
import { withWire } from "./helpers";
import { COMPARE_CANDIDATES } from "../../src/domain/policies/compare";
import { parseSimulation, runPaths, summarize } from "../../src/domain/simulation";

const posArb = fc.record({ size: fc.integer({ min: 1, max: 40 }), entry: fc.integer({ min: 18_000, max: 22_000 }), lev: fc.integer({ min: 1, max: 60 }) });

describe("simulator's kept opposite side", { timeout: 120_000 }, () => {
  it("valid: every exported event replays through liquidate() to the recorded fills (seeded paths, every policy, queue:random included)", () => {
    let adlEvents = 0;
    fc.assert(
      fc.property(
        fc.array(posArb, { minLength: 1, maxLength: 15 }),
        fc.array(posArb, { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom("1", "0.1"),
        fc.constantFrom<"bankruptcy" | "mark">("bankruptcy", "mark"),
        (longs, shorts, seed, lot, priceRule) => {
          const mk = (side: "long" | "short", prefix: string) => (p: { size: number; entry: number; lev: number }, k: number) => {
            const size = new Decimal(p.size).times(lot);
            const entry = new Decimal(p.entry).div(2);
            return { accountId: `${prefix}${(k * 7919) % 101}-${k}`, side, size: size.toFixed(), entryPrice: entry.toFixed(), margin: size.times(entry).div(p.lev).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed() };
          };
          const input = {
            market: { contractType: "linear" as const, contractSize: "1", lotSize: lot, tickSize: "0.5", amountDecimals: 2 },
            markPrice: "10000",
            positions: [...longs.map(mk("long", "L")), ...shorts.map(mk("short", "S"))],
            fund: { balance: "0" },
            liquidation: { maintenanceMarginRate: "0.005" },
            scenario: { model: "gbm" as const, paths: 1, steps: 25, seed, sigma: "0.03" },
            // Book impact moves the mark within a step: several rounds, each ADL event of a round at one mark.
            impact: { model: "linear" as const, lambda: "5" },
            priceRule,
            policies: [...COMPARE_CANDIDATES],
            output: { events: true, steps: false },
          };
          const plan = parseSimulation(input);
          const res = summarize(plan, runPaths(plan, 0, 1, 1), 1);
          const config = plan.book.config;
          for (const p of res.policies) {
            const start = new Decimal(0);
            let state: FundState = { balance: start, peakBalance: start, adlActive: nextAdlActive(config, false, start, start) };
            for (const e of p.paths![0]!.events!) {
              const out = withWire(liquidate(config, state, e.request));
              expect(out.adl.plan?.fills ?? []).toEqual(e.fills);
              expect(out.decision.fund.balanceAfter).toBe(e.fundBalanceAfter);
              expect(out.settlement.socializedLoss).toBe(e.socializedLoss);
              if (e.adlQuantity !== "0") adlEvents++;
              state = out.fundAfter;
            }
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(adlEvents).toBeGreaterThan(200);
  });
});
