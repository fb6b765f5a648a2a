// The README's SDK snippet (README.md shows this file verbatim; test/node/readme-snippet.test.ts keeps them equal).
//   npm run example examples/readme-snippet.ts     env: ADL_BASE_URL, ADL_API_KEY (default: the public local dev key)
import { AdlApiError, createAdlClient, unwrap, type Schemas } from "@adl/sdk";

const adl = createAdlClient({
  baseUrl: process.env.ADL_BASE_URL ?? "http://127.0.0.1:8787",
  apiKey: process.env.ADL_API_KEY ?? "adl_dev_local_only_not_a_secret_tenant_dev",
});
// Amounts are decimal strings end to end, never JS numbers.
const market: Schemas["Market"] = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
const positions: Schemas["Position"][] = [
  { accountId: "alice", side: "long", size: "2", entryPrice: "19000", margin: "3800" },
  { accountId: "bob", side: "long", size: "1", entryPrice: "18000", margin: "900" },
  { accountId: "carol", side: "short", size: "3", entryPrice: "21000", margin: "6300" },
];

try {
  // Stateless: both ADL queues of a batch (rank 1 is closed first).
  const queues = await unwrap(adl.POST("/v1/adl/rankings", { body: { market, markPrice: "20000", method: "bitmex", indicator: "bybit", positions } }));
  console.log("long queue:", queues.long.map((p) => `${p.rank}. ${p.accountId} (indicator ${p.indicator})`).join(", "));

  // Stateful: configure a market, then fund its insurance fund. Keys derive from your own ids, so a rerun replays.
  const path = { marketId: "BTC-USDT-PERP" };
  await unwrap(adl.PUT("/v1/markets/{marketId}", {
    params: { path, header: { "idempotency-key": "btc-usdt-perp-config-v1" } },
    body: { ...market, settlementAsset: "USDT", fundFloor: "1000" },
  }));
  const deposit = await unwrap(adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", {
    params: { path, header: { "idempotency-key": "treasury-2026-11-29-001" } },
    body: { amount: "5000" },
  }));
  console.log(`deposit ${deposit.entry.amount} ${deposit.asset}: fund balance ${deposit.balance}`);
} catch (error) {
  if (!(error instanceof AdlApiError)) throw error;
  console.error(`refused: ${error.status} ${error.code} (request ${error.requestId})`, error.problem?.errors ?? "");
  process.exitCode = 1;
}
