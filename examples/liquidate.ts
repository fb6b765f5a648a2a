// Bot: run a bankrupt position through the liquidation waterfall (market fills, insurance fund, ADL, socialised loss),
// surviving a lost response: the SDK retries with the same Idempotency-Key and the service returns the stored
// outcome instead of liquidating twice. Safe to run again: every key is derived from the bot's own event ids.
//   npm run example examples/liquidate.ts      env: ADL_BASE_URL, ADL_API_KEY, ADL_MARKET_ID (default BTC-USDT-PERP)
import { AdlApiError, createAdlClient, unwrap, type Schemas } from "@adl/sdk";

const baseUrl = process.env.ADL_BASE_URL ?? "http://127.0.0.1:8787";
const apiKey = process.env.ADL_API_KEY;
const marketId = process.env.ADL_MARKET_ID ?? "BTC-USDT-PERP";

// Fault injection for the demo: the first liquidation call reaches the service, which books it, but the answer is
// "lost" on the way back, exactly what a dropped connection does to a real bot.
let liquidationAttempts = 0;
const lossyFetch = async (request: Request): Promise<Response> => {
  const isLiquidation = request.method === "POST" && new URL(request.url).pathname.endsWith("/liquidations");
  if (isLiquidation) liquidationAttempts++;
  const response = await fetch(request);
  if (isLiquidation && liquidationAttempts === 1) {
    await response.arrayBuffer();
    throw new TypeError("connection reset by peer (simulated, after the service answered)");
  }
  return response;
};
const adl = createAdlClient({ baseUrl, apiKey, fetch: lossyFetch, retryBaseDelayMs: 50 });

const market: Schemas["MarketConfigRequest"] = {
  contractType: "linear",
  contractSize: "1",
  lotSize: "0.001",
  tickSize: "0.1",
  settlementAsset: "USDT",
  amountDecimals: 8,
  fundFloor: "1000",
  adlTrigger: { rule: "floor" },
};

// The bankrupt long and what the matching engine could offer for it; the opposite side is the ADL queue.
const event = { id: "liq-000001" };
const liquidation: Schemas["LiquidationRequest"] = {
  markPrice: "9950",
  liquidated: { accountId: "bankrupt-1", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [
    { quantity: "1", price: "10100" },
    { quantity: "0.5", price: "9900" },
  ],
  counterparties: [
    { accountId: "short-a", side: "short", size: "1", entryPrice: "12000", margin: "1200" },
    { accountId: "short-b", side: "short", size: "3", entryPrice: "11500", margin: "3000" },
  ],
  method: "bitmex",
  priceRule: "bankruptcy",
};

try {
  const path = { marketId };
  await unwrap(adl.PUT("/v1/markets/{marketId}", { params: { path, header: { "idempotency-key": `${marketId}:config:v1` } }, body: market }));
  await unwrap(
    adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", {
      params: { path, header: { "idempotency-key": `${marketId}:seed-deposit` } },
      body: { amount: "1500", reference: "initial fund" },
    }),
  );

  const { data: outcome, response } = await adl.POST("/v1/markets/{marketId}/liquidations", {
    params: { path, header: { "idempotency-key": `${marketId}:${event.id}` } },
    body: liquidation,
  });
  if (!outcome) throw new Error(`liquidation failed: ${response.status}`);
  const replayed = response.headers.get("idempotent-replayed") === "true";
  console.log(`liquidation ${outcome.liquidationId}: ${liquidationAttempts} attempt(s), answer ${replayed ? "replayed from the stored outcome" : "fresh"}`);
  console.log(`  bankruptcy price ${outcome.bankruptcyPrice}`);
  for (const e of outcome.executions) console.log(`  execution ${e.quantity}/${e.requestedQuantity} @ ${e.price}: fund ${e.fundDelta}`);
  const f = outcome.fund;
  console.log(`  insurance fund ${f.balanceBefore} -> ${f.balanceAfter} (drawn ${f.drawn}, credited ${f.credited}, floor ${f.effectiveFloor})`);
  console.log(`  ADL ${outcome.adl.quantity} @ ${outcome.adl.price}, filled ${outcome.adl.filledQuantity}:`);
  for (const fill of outcome.adl.fills) console.log(`    ${fill.accountId} closes ${fill.quantity} @ ${fill.price} (realised ${fill.realizedPnl}, left ${fill.remainingSize})`);
  console.log(`  socialised loss ${outcome.socializedLoss}, unfilled ${outcome.unfilledQuantity}`);
  const c = outcome.conservation;
  console.log(
    `  conservation: loss ${c.bankruptLoss} = drawn ${c.fundDrawn} - credited ${c.fundCredited} + ADL ${c.adlTransferred} + socialised ${c.socializedLoss} - returned ${c.returnedToAccount}`,
  );

  // Proof of idempotency from the service's own books: this liquidation appears in the ledger once.
  const ledger = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund/ledger", { params: { path, query: { limit: 500 } } }));
  const booked = ledger.entries.filter((e) => e.liquidationId === outcome.liquidationId);
  const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path } }));
  console.log(`ledger entries for ${outcome.liquidationId}: ${booked.length} (${booked.map((e) => `${e.kind} ${e.amount}`).join(", ") || "none"})`);
  console.log(`fund balance ${fund.balance} ${fund.asset}; matches the outcome: ${fund.balance === outcome.fund.balanceAfter}`);
  if (booked.length !== outcome.ledgerEntries.length || fund.balance !== outcome.fund.balanceAfter) process.exit(2);
} catch (error) {
  if (error instanceof AdlApiError) {
    console.error(`refused: ${error.status} ${error.code}: ${error.problem.detail ?? ""} (request ${error.requestId})`);
    for (const e of error.problem.errors ?? []) console.error(`  ${e.pointer}: ${e.detail}`);
    process.exit(1);
  }
  throw error;
}
