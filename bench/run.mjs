// `npm run bench`: every benchmark, in order. Each prints what it measured; see README for recorded figures.
// BENCH_ONLY=rankings,memory runs a subset (BENCH_ONLY=simulation: the stress lab's three; workerd-abort: the runtime
// check of README "Known problems", 12 fresh-server trials by default).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const all = ["bench/rankings.ts", "bench/rankings-workerd.ts", "bench/memory.ts", "bench/policies.ts", "bench/liquidation-batch.ts", "bench/fund.mjs", "bench/load.mjs", "bench/webhooks-latency.ts", "bench/read-scale.mjs", "bench/simulation.ts", "bench/simulation-wave.ts", "bench/simulation-workerd.ts", "bench/workerd-abort.ts"];
const only = process.env.BENCH_ONLY?.split(",");
for (const script of all) {
  if (!existsSync(script)) continue;
  if (only && !only.some((o) => script.includes(o))) continue;
  console.log(`\n== ${script}`);
  execFileSync(process.execPath, ["--import", "tsx", script], { stdio: "inherit" });
}
