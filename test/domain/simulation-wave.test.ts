/**
 * The stress lab on a book calibrated to a published ADL wave of 10 Oct 2025 (data/hyperliquid-2025-10-10-waves.csv):
 * the calibration holds exactly (the losers' deficit is the wave's needed budget, the winners' PnL its capacity), and
 * under every policy the simulator takes exactly the needed budget from winners, needs exactly that much fund to avoid
 * ADL, and socialises nothing. bench/simulation-wave.ts prints the comparison for every wave (README).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { parseSimulation, runPaths, summarize } from "../../src/domain/simulation";
import { parseWaves, waveScenario } from "../../src/domain/simulation/calibration";

const waves = parseWaves(readFileSync(new URL("../../data/hyperliquid-2025-10-10-waves.csv", import.meta.url), "utf8"));

describe("calibrated 10 Oct 2025 wave", { timeout: 120_000 }, () => {
  it("valid: all 16 waves are read, with their budgets", () => {
    expect(waves.map((w) => w.wave)).toEqual([1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 17, 21, 25, 28]);
    expect(waves.find((w) => w.wave === 13)).toMatchObject({ uniqueLosers: 715, budgetNeededUsd: "5584123.65", budgetProductionUsd: "38449033.21" });
  });

  it("valid: wave 7's book matches the wave, and every policy takes exactly the needed budget from winners", () => {
    const w = waves.find((x) => x.wave === 7)!;
    const input = waveScenario(w);
    const deficit = input.positions.filter((p) => p.side === "long").reduce((a, p) => a.plus(new Decimal(p.size).times(p.entryPrice).minus(p.margin).minus(new Decimal(p.size).times(9000))), new Decimal(0));
    const capacity = input.positions.filter((p) => p.side === "short").reduce((a, p) => a.plus(new Decimal(p.size).times(new Decimal(p.entryPrice).minus(9000))), new Decimal(0));
    const quantity = (side: string) => input.positions.filter((p) => p.side === side).reduce((a, p) => a.plus(p.size), new Decimal(0));
    expect(quantity("short").gte(quantity("long"))).toBe(true);
    expect(deficit.toFixed()).toBe(w.budgetNeededUsd);
    expect(capacity.toFixed()).toBe(w.winnersCapacityUsd);
    const plan = parseSimulation(input);
    const res = summarize(plan, runPaths(plan, 0, 1, 0), 0);
    expect(res.policies.map((p) => p.policy)).toEqual(["queue:bitmex", "queue:binance", "queue:hyperliquid", "pro-rata", "capped-pro-rata", "leverage-draining"]);
    for (const p of res.policies) {
      expect(p.summary.liquidations).toBe(w.uniqueLosers);
      expect(p.summary.adlTransferred).toBe(w.budgetNeededUsd);
      expect(p.summary.fundNeeded).toBe(w.budgetNeededUsd);
      expect(p.summary.socializedLoss).toBe("0");
    }
  });
});
