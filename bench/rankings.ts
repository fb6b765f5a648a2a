/**
 * `npm run bench` (part 1): rank 100,000 positions end to end through the Worker's fetch handler (Hono app in Node:
 * body parse, zod validation, domain, sort, JSON serialisation) and compare with a floor measured in the same run on
 * the same body: JSON.parse, one float64 key per position sorted, JSON.stringify of the ranked ids.
 * Then fill planning that reaches k = 10 of n = 100,000 counterparties, against a full sort of the same queue.
 */
import { app } from "../src/http/app";
import { benchEnv, benchHeaders } from "./auth";
import { MARKET, makePositions } from "./data";

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const positions = makePositions(N);
const body = JSON.stringify({ market: MARKET, markPrice: "20000", method: "bitmex", indicator: "bybit", positions });

function floor(): number {
  const t = performance.now();
  const parsed = JSON.parse(body) as { positions: { entryPrice: string; accountId: string }[] };
  const ps = parsed.positions;
  const keys = new Float64Array(ps.length);
  for (let i = 0; i < ps.length; i++) keys[i] = Number(ps[i]!.entryPrice);
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  JSON.stringify(order.map((i) => ps[i]!.accountId));
  return performance.now() - t;
}

async function endToEnd(path: string, payload: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t = performance.now();
  const res = await app.request(path, { method: "POST", headers: benchHeaders, body: payload }, benchEnv);
  const text = await res.text();
  return { ms: performance.now() - t, bytes: text.length, status: res.status };
}

const floors: number[] = [];
const e2e: number[] = [];
let outBytes = 0;
for (let r = 0; r < RUNS; r++) {
  floors.push(floor());
  const res = await endToEnd("/v1/adl/rankings", body);
  if (res.status !== 200) throw new Error(`rankings answered ${res.status}`);
  e2e.push(res.ms);
  outBytes = res.bytes;
}
const f = median(floors);
const e = median(e2e);
console.log(`rankings n=${N}: body ${(body.length / 1e6).toFixed(1)} MB in, ${(outBytes / 1e6).toFixed(1)} MB out`);
console.log(`  floor (JSON.parse + float sort + stringify ids): median ${f.toFixed(1)} ms`);
console.log(`  end to end (POST /v1/adl/rankings):              median ${e.toFixed(1)} ms  = ${(e / f).toFixed(2)}x floor (target <= 3x)`);

// Fills: k = 10 of n = 100,000 counterparties (all longs of one lot each against a liquidated short of ten lots).
const longs = positions.map((p) => ({ ...p, side: "long" as const, size: "0.001" }));
const fillsBody = JSON.stringify({
  market: MARKET,
  markPrice: "20000",
  method: "bitmex",
  liquidated: { side: "short", size: "0.010", bankruptcyPrice: "20500" },
  counterparties: longs,
});
const fillTimes: number[] = [];
let reached = 0;
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  const res = await app.request("/v1/adl/fills", { method: "POST", headers: benchHeaders, body: fillsBody }, benchEnv);
  const json = (await res.json()) as { queueReached: number };
  fillTimes.push(performance.now() - t);
  reached = json.queueReached;
}
const { prepareBatch, sideQueue } = await import("../src/domain/ranking/rank");
const { parseMarket } = await import("../src/domain/market");
const { Decimal } = await import("../src/domain/num/decimal");
const parsedMarket = parseMarket(MARKET);
const mark = new Decimal("20000");
const sortTimes: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const batch = prepareBatch(parsedMarket, mark, "bitmex", longs, undefined, "/counterparties");
  const t = performance.now();
  sideQueue(batch, "long");
  sortTimes.push(performance.now() - t);
}
const { lazyQueue } = await import("../src/domain/ranking/queue");
const lazyTimes: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const batch = prepareBatch(parsedMarket, mark, "bitmex", longs, undefined, "/counterparties");
  const t = performance.now();
  let k = 0;
  for (const _ of lazyQueue(batch.keys.longs, batch.compare)) if (++k === 10) break;
  lazyTimes.push(performance.now() - t);
}
console.log(`fills k=${reached} of n=${N}: POST /v1/adl/fills end to end median ${median(fillTimes).toFixed(1)} ms`);
console.log(`  queue only: first 10 from the lazy heap ${median(lazyTimes).toFixed(1)} ms vs full sort ${median(sortTimes).toFixed(1)} ms`);
