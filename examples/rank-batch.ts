// Bot: rank a batch of open positions into ADL queues and print each account's indicator (the "ADL lights").
//   npm run example examples/rank-batch.ts        env: ADL_BASE_URL (default http://127.0.0.1:8787), ADL_API_KEY
import { AdlApiError, createAdlClient, unwrap, type Schemas } from "@adl/sdk";

const adl = createAdlClient({ baseUrl: process.env.ADL_BASE_URL ?? "http://127.0.0.1:8787", apiKey: process.env.ADL_API_KEY });

// Amounts are decimal strings end to end: pass them as your venue reports them, never as JS numbers.
const market: Schemas["Market"] = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
const positions: Schemas["Position"][] = [
  { accountId: "alice", side: "long", size: "2", entryPrice: "19000", margin: "3800" },
  { accountId: "bob", side: "long", size: "1", entryPrice: "18000", margin: "900" },
  { accountId: "dave", side: "long", size: "0.5", entryPrice: "20500", margin: "2050" },
  { accountId: "carol", side: "short", size: "3", entryPrice: "21000", margin: "6300" },
  { accountId: "erin", side: "short", size: "1.25", entryPrice: "19800", margin: "990" },
];

try {
  const queues = await unwrap(
    adl.POST("/v1/adl/rankings", { body: { market, markPrice: "20000", method: "bitmex", indicator: "bybit", positions } }),
  );
  for (const side of ["long", "short"] as const) {
    console.log(`ADL queue (${side}), rank 1 is closed first:`);
    for (const p of queues[side]) {
      const lights = "#".repeat(p.indicator).padEnd(5, ".");
      console.log(
        `  #${p.rank} ${p.accountId.padEnd(8)} size ${p.size.padStart(6)}  pnl ${p.pnlRatio.padStart(12)}  lev ${(p.effectiveLeverage ?? "-").padStart(12)}  indicator ${p.indicator} [${lights}]`,
      );
    }
  }
} catch (error) {
  if (error instanceof AdlApiError) {
    // problem+json: `errors` points at each bad field of the request body.
    console.error(`rankings refused: ${error.status} ${error.code} (request ${error.requestId})`);
    for (const e of error.problem.errors ?? []) console.error(`  ${e.pointer}: ${e.detail}`);
    process.exit(1);
  }
  throw error;
}
