/**
 * The 100,000-position ranking request against the real local server (`npm start`: workerd behind wrangler's local
 * proxy) over loopback, transfer of 10 MB in and 17 MB out included. Complements bench/rankings.ts, which measures
 * the handler in Node against the parse floor.
 */
import { startServer } from "../test/e2e/server";
import { MARKET, makePositions } from "./data";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const server = await startServer();
try {
  const body = JSON.stringify({ market: MARKET, markPrice: "20000", method: "bitmex", indicator: "bybit", positions: makePositions(100_000) });
  const headers = { "content-type": "application/json", authorization: "Bearer adl_dev_local_only_not_a_secret_tenant_dev" };
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/adl/rankings`, { method: "POST", headers, body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`rankings answered ${res.status}: ${text.slice(0, 300)}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`rankings n=100000 via npm start (workerd) over loopback: median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[RUNS - 1]!.toFixed(0)}, ${RUNS} requests)`);
} finally {
  await server.stop();
}
