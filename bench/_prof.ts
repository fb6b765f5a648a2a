import { parseSimulation, runPaths, summarize } from "../src/domain/simulation";
const positions: any[] = [];
const n = Number(process.env.N ?? 2000);
let s = 1;
const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
for (let i = 0; i < n; i++) {
  const side = i % 2 === 0 ? "long" : "short";
  const entry = Math.round(9000 + rnd() * 2000);
  const lev = 2 + Math.floor(rnd() * 48);
  const size = 1 + Math.floor(rnd() * 20);
  positions.push({ accountId: `a${i}`, side, size: String(size), entryPrice: String(entry), margin: (size * entry / lev).toFixed(2) });
}
const input: any = {
  market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" }, markPrice: "10000", positions,
  fund: { balance: process.env.FUND ?? "100000" }, liquidation: { maintenanceMarginRate: "0.005" },
  scenario: { model: "garch", paths: Number(process.env.P ?? 20), steps: Number(process.env.S ?? 200), seed: 1, omega: "0.00001", alpha: "0.1", beta: "0.85", innovations: "student-t", degreesOfFreedom: 4 },
  impact: { model: "book", depth: "0.5", resilience: "0.2" }, output: { events: false, steps: false },
  ...(process.env.POL ? { policies: process.env.POL.split(",") } : {}),
};
const plan = parseSimulation(input);
const t = performance.now();
const r = runPaths(plan, 0, plan.paths, 0);
const res = summarize(plan, r, 0);
console.log((performance.now() - t).toFixed(0), "ms", JSON.stringify(res.policies[0]!.summary).slice(0, 400));
