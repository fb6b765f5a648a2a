// A bounded mixed load on the real local server (bench/load.mjs: autocannon on loopback, ADL rankings and
// liquidations at the same time): zero errors, zero non-2xx, p50/p99 printed, and the fund's balance equal to its
// ledger sum afterwards. `npm run bench:load` runs the same for longer.
import { afterAll, beforeAll, expect, it } from "vitest";
import { formatLoad, runMixedLoad } from "../../bench/load.mjs";
import { DEV_KEY, startServer, type LocalServer } from "./server";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 5);

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

it(`mixed ranking + liquidation load for ${SECONDS} s: zero errors, latency printed, fund balanced`, async () => {
  const result = await runMixedLoad({ url: server.url, key: DEV_KEY, seconds: SECONDS, connections: 16 });
  console.log(formatLoad(result));
  expect(result.combined.errors).toBe(0);
  expect(result.rankings.requests).toBeGreaterThan(0);
  expect(result.liquidations.acknowledged).toBeGreaterThan(0);
  expect(Object.keys(result.rankings.statusCodes)).toEqual(["200"]);
  expect(Object.keys(result.liquidations.statusCodes)).toEqual(["201"]);
  expect(result.fund.balanceEqualsLedgerSum).toBe(true);
  // Every booked liquidation wrote the same two entries (credit and draw) after the seed deposit.
  expect((result.fund.ledgerEntries - 1) % 2).toBe(0);
  expect((result.fund.ledgerEntries - 1) / 2).toBeGreaterThanOrEqual(result.liquidations.acknowledged);
}, 120_000);
