/**
 * Stress-lab simulator cost (issue 12), in plain Node on the pure domain code:
 *   1. one GBM path of 1,000 steps over 100,000 positions (target <= 2 s), one policy (queue:bitmex);
 *   2. time against positions (1 path, 1,000 steps), steps (10,000 positions, 1 path), paths (10,000 positions,
 *      1,000 steps) and paths x steps in a calm market (nothing crossed: the per-step cost alone), with time /
 *      (paths x steps) and time / (n log2 n) printed so linear and n log n growth show.
 * Each figure is the best of REPEAT runs (default 2; the machine is shared), after one warm-up run (JIT). A path's
 * cost is its steps (O(1) each when nothing is crossed) plus its liquidations (each through the liquidation steps), so
 * the tables print both normalisations. BENCH_QUICK=1 runs a smaller table; HEADLINE_ONLY=1 only the headline.
 */
import { loadavg } from "node:os";
import { type SimulationInput, parseSimulation, runPaths, summarize } from "../src/domain/simulation";
import { book, market } from "./simulation-data";

const REPEAT = Number(process.env.REPEAT ?? 2);

function input(n: number, paths: number, steps: number, sigma = "0.0015"): SimulationInput {
  return {
    market,
    markPrice: "10000",
    positions: book(n),
    fund: { balance: String(n * 50) },
    liquidation: { maintenanceMarginRate: "0.005" },
    scenario: { model: "gbm", paths, steps, seed: 11, sigma },
    impact: { model: "book", depth: String(n / 50), resilience: "0.2" },
    policies: ["queue:bitmex"],
    output: { events: false, steps: false },
  };
}

function time(i: SimulationInput): { ms: number; liquidations: number; parseMs: number; runMs: number } {
  let best = Infinity;
  let parseBest = Infinity;
  let runBest = Infinity;
  let liquidations = 0;
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    const plan = parseSimulation(i);
    const t1 = performance.now();
    const results = runPaths(plan, 0, plan.paths, 0);
    summarize(plan, results, 0);
    // Summed over paths (the summary reports the worst path's count).
    const res = { liquidations: results.reduce((a, r) => a + r.runs[0]!.totals.liquidations, 0) };
    const t2 = performance.now();
    best = Math.min(best, t2 - t0);
    parseBest = Math.min(parseBest, t1 - t0);
    runBest = Math.min(runBest, t2 - t1);
    liquidations = res.liquidations;
  }
  return { ms: best, liquidations, parseMs: parseBest, runMs: runBest };
}



const quick = process.env.BENCH_QUICK === "1";
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`node ${process.version}, ${REPEAT} repeats (best), machine shared: load ${load()}, ${new Date().toISOString()}`);

// Warm-up (JIT), as in a server that has run before: the first run of a cold process is slower.
time(input(20_000, 1, 1_000));
const headline = time(input(100_000, 1, 1_000));
console.log(`one path, 1,000 steps, 100,000 positions: ${headline.ms.toFixed(0)} ms (parse + liquidation prices + sort: ${headline.parseMs.toFixed(0)} ms, path: ${headline.runMs.toFixed(0)} ms; ${headline.liquidations} liquidations; target <= 2000 ms)`);

if (process.env.HEADLINE_ONLY === "1") process.exit(0);

// Markdown tables (the README's): time against positions, steps and paths, with the normalised cost that should stay
// flat: ms / (n log2 n) for positions (the one sort), ms per 1,000 path-steps for steps and paths (linear).
console.log("\n| positions (1 path, 1,000 steps) | ms | of which parse + sort | ms / (n log2 n) x 1e6 | liquidations |\n|---|---|---|---|---|");
for (const n of quick ? [10_000, 50_000] : [12_500, 25_000, 50_000, 100_000]) {
  const r = time(input(n, 1, 1_000));
  console.log(`| ${n.toLocaleString("en-US")} | ${r.ms.toFixed(0)} | ${r.parseMs.toFixed(0)} | ${((r.ms / (n * Math.log2(n))) * 1e6).toFixed(2)} | ${r.liquidations.toLocaleString("en-US")} |`);
}
console.log("\n| steps (10,000 positions, 1 path) | ms | of which the path | liquidations | path ms per 1,000 steps | path ms per 1,000 liquidations |\n|---|---|---|---|---|---|");
for (const st of quick ? [500, 1_000] : [500, 1_000, 2_000, 4_000]) {
  const r = time(input(10_000, 1, st));
  console.log(`| ${st.toLocaleString("en-US")} | ${r.ms.toFixed(0)} | ${r.runMs.toFixed(0)} | ${r.liquidations.toLocaleString("en-US")} | ${((r.runMs / st) * 1000).toFixed(1)} | ${((r.runMs / r.liquidations) * 1000).toFixed(1)} |`);
}
console.log("\n| paths (10,000 positions, 1,000 steps) | ms | of which the paths | liquidations | path ms per 1,000 path-steps | path ms per 1,000 liquidations |\n|---|---|---|---|---|---|");
for (const p of quick ? [1, 4] : [1, 2, 4, 8, 16]) {
  const r = time(input(10_000, p, 1_000));
  console.log(`| ${p} | ${r.ms.toFixed(0)} | ${r.runMs.toFixed(0)} | ${r.liquidations.toLocaleString("en-US")} | ${((r.runMs / (p * 1_000)) * 1000).toFixed(1)} | ${((r.runMs / r.liquidations) * 1000).toFixed(1)} |`);
}
// A calm market (sigma 1e-6 per step: no liquidation price is reached) isolates the per-step cost, which must be
// constant: time grows linearly in paths x steps when nothing is crossed.
console.log("\n| calm market: paths x steps (10,000 positions, nothing crossed) | ms | of which the paths | liquidations | path ms per 1,000 path-steps |\n|---|---|---|---|---|");
for (const [p, st] of quick ? [[1, 1_000], [4, 1_000]] : [[1, 1_000], [1, 4_000], [4, 1_000], [4, 4_000], [16, 1_000], [16, 4_000]]) {
  const r = time(input(10_000, p!, st!, "0.000001"));
  console.log(`| ${p} x ${st!.toLocaleString("en-US")} | ${r.ms.toFixed(0)} | ${r.runMs.toFixed(0)} | ${r.liquidations.toLocaleString("en-US")} | ${((r.runMs / (p! * st!)) * 1000).toFixed(2)} |`);
}
console.log(`\nload at the end: ${load()}`);
