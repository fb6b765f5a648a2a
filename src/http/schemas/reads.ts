/**
 * Schemas of the read APIs: the tenant's market list, ledger filters and export, fund history, ADL alert and the
 * stored liquidations. They validate the query and document the responses (with examples) in one place.
 */
import { z } from "@hono/zod-openapi";
import { MarketConfig } from "./fund";

const exampleMarket = {
  marketId: "BTC-USDT-PERP",
  contractType: "linear" as const,
  contractSize: "1",
  lotSize: "0.001",
  tickSize: "0.1",
  settlementAsset: "USDT",
  amountDecimals: 8,
  fundFloor: "1000",
  maxDrawPerEvent: "250000",
  adlTrigger: { rule: "drawdown" as const, windowMs: 28_800_000, triggerRatio: "0.3", stopRatio: "0.25" },
  adlPolicy: "queue" as const,
  version: 1,
  createdAt: "2026-11-29T10:00:00.000Z",
  updatedAt: "2026-11-29T10:00:00.000Z",
};

/** Market ids are [A-Za-z0-9._-]{1,64}: a cursor is the last id of the previous page. */
export const MarketListQuery = z.object({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be a nextCursor value from a previous page")
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "nextCursor of the previous page: markets with a greater id follow", example: "BTC-USDT-PERP" }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ param: { name: "limit", in: "query" }, example: 100 }),
});

export const MarketList = z
  .object({
    markets: z.array(MarketConfig).openapi({ description: "ascending by marketId (byte order of the ASCII id)" }),
    nextCursor: z.string().nullable().openapi({ description: "pass as cursor for the next page; null on the last page" }),
  })
  .openapi("MarketList", { example: { markets: [exampleMarket], nextCursor: null } });
