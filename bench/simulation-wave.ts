/**
 * The 16 ADL waves of Hyperliquid's 10 Oct 2025 event (data/hyperliquid-2025-10-10-waves.csv), each as a calibrated
 * book (src/domain/simulation/calibration.ts: the losers' deficit = the wave's needed budget, the winners' PnL = its
 * capacity), run through the stress simulator; prints the published needed and production budgets beside what the
 * simulator takes from winners (adlTransferred) and the fund it says would have avoided ADL (fundNeeded), per policy.
 * POLICIES (comma list) overrides the default: every policy a seedless scenario runs (queue:random needs a seed).
 */
import { readFileSync } from "node:fs";
import { parseSimulation, runPaths, summarize } from "../src/domain/simulation";
import { parseWaves, waveScenario } from "../src/domain/simulation/calibration";
import type { CompareCandidate } from "../src/domain/policies/compare";

const policies = (process.env.POLICIES ?? "queue:bitmex,queue:binance,queue:hyperliquid,pro-rata,capped-pro-rata,leverage-draining").split(",") as CompareCandidate[];
const waves = parseWaves(readFileSync(new URL("../data/hyperliquid-2025-10-10-waves.csv", import.meta.url), "utf8"));
console.log("| wave | losers | published needed | published production | policy | simulator adlTransferred | simulator fundNeeded | socialised | accounts deleveraged | ms |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const w of waves) {
  const t = performance.now();
  const plan = parseSimulation(waveScenario(w, policies));
  const res = summarize(plan, runPaths(plan, 0, 1, 0), 0);
  const ms = (performance.now() - t).toFixed(0);
  for (const p of res.policies) {
    const s = p.summary;
    console.log(`| ${w.wave} | ${w.uniqueLosers} | ${w.budgetNeededUsd} | ${w.budgetProductionUsd} | ${p.policy} | ${s.adlTransferred} | ${s.fundNeeded} | ${s.socializedLoss} | ${s.accountsDeleveraged} | ${ms} |`);
  }
}
