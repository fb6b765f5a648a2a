import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { registerFills } from "./fills";
import { registerFundReads } from "./fund-reads";
import { registerLedger } from "./ledger";
import { registerLiquidationReads } from "./liquidation-reads";
import { registerLiquidations } from "./liquidations";
import { registerLiquidationBatch } from "./liquidations-batch";
import { registerMarketList } from "./market-list";
import { registerMarkets } from "./markets";
import { registerPolicies } from "./policies";
import { registerRankings } from "./rankings";
import { registerRisk } from "./risk";
import { registerSimulations } from "./simulations";
import { registerWebhooks } from "./webhooks";

/** Every resource's routes, registered in one place so the OpenAPI document lists them all. */
export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  registerRisk(app);
  registerRankings(app);
  registerFills(app);
  registerPolicies(app);
  registerMarketList(app);
  registerMarkets(app);
  registerLedger(app);
  registerFundReads(app);
  registerLiquidations(app);
  registerLiquidationBatch(app);
  registerLiquidationReads(app);
  registerSimulations(app);
  registerWebhooks(app);
}
