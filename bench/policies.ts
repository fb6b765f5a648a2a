/**
 * `npm run bench` (policies): each ADL policy on n = 100,000 counterparties in one request, end to end through the
 * Worker's Hono app in Node (body parse, zod, domain, JSON): POST /v1/adl/fills with `policy`, deleveraging 5% of the
 * side (so the pro-rata policies fill every account), then POST /v1/adl/policies/compare with detail "metrics"
 * (every policy and its metrics on the same event), and the compare of three policies (queue:bitmex, pro-rata,
 * capped-pro-rata: one of each kind) against the sum of the same three /v1/adl/fills calls (issue 11: comparing costs
 * no more than running the policies one by one). Medians of BENCH_RUNS; the machine is shared, so expect noise.
 */
import { app } from "../src/http/app";
import { benchEnv, benchHeaders } from "./auth";
import { MARKET, makePositions } from "./data";

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const longs = makePositions(N).map((p) => ({ ...p, side: "long" as const }));
let lots = 0;
for (const p of longs) lots += Math.round(Number(p.size) * 1000);
const size = (Math.floor(lots / 20) / 1000).toFixed(3);
// Mark below the longs' average entry (about 20,000) would make most of them losers: put it above, and the bankrupt
// short's BP just above mark, so winners give up (BP - mark) per contract.
const base = { market: MARKET, markPrice: "24000", liquidated: { side: "short", size, bankruptcyPrice: "24100" }, counterparties: longs };

async function time(path: string, body: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const res = await app.request(path, { method: "POST", headers: benchHeaders, body }, benchEnv);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms: performance.now() - t, bytes: text.length };
}

console.log(`policies n=${N}, deleveraging ${size} of ${(lots / 1000).toFixed(3)} contracts (5%):`);
const fills: [string, Record<string, unknown>][] = [
  ["queue (bitmex)", { policy: "queue", method: "bitmex" }],
  ["pro-rata", { policy: "pro-rata" }],
  ["capped-pro-rata", { policy: "capped-pro-rata" }],
  ["leverage-draining", { policy: "leverage-draining" }],
];
const fillMedians = new Map<string, number>();
for (const [name, extra] of fills) {
  const body = JSON.stringify({ ...base, ...extra });
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = await time("/v1/adl/fills", body);
    times.push(t.ms);
    bytes = t.bytes;
  }
  fillMedians.set(name, median(times));
  console.log(`  POST /v1/adl/fills ${name.padEnd(18)} median ${median(times).toFixed(0).padStart(5)} ms  (${(bytes / 1e6).toFixed(1)} MB out)`);
}
const compare = JSON.stringify({ ...base, liquidated: [base.liquidated], detail: "metrics" });
const times: number[] = [];
for (let r = 0; r < RUNS; r++) times.push((await time("/v1/adl/policies/compare", compare)).ms);
console.log(`  POST /v1/adl/policies/compare (6 policies + metrics, detail metrics) median ${median(times).toFixed(0)} ms`);

// The same three policies through compare and one by one: compare must cost no more than the sum.
const three = ["queue:bitmex", "pro-rata", "capped-pro-rata"];
const threeFills = ["queue (bitmex)", "pro-rata", "capped-pro-rata"].reduce((sum, name) => sum + fillMedians.get(name)!, 0);
const compareThree = JSON.stringify({ ...base, liquidated: [base.liquidated], policies: three, detail: "metrics" });
const threeTimes: number[] = [];
for (let r = 0; r < RUNS; r++) threeTimes.push((await time("/v1/adl/policies/compare", compareThree)).ms);
const c3 = median(threeTimes);
console.log(`  POST /v1/adl/policies/compare (${three.join(", ")}; detail metrics) median ${c3.toFixed(0)} ms vs the three fills ${threeFills.toFixed(0)} ms = ${(c3 / threeFills).toFixed(2)}x`);
