/**
 * GET /v1/markets: the caller's tenant's markets, from its TenantDirectory (one object per tenant; the market
 * objects register there before a PUT is acknowledged). Keyset pagination by market id: a page never repeats or
 * skips a market that existed when paging began, whatever is created meanwhile.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { directoryStub } from "../../durable-objects/directory-rpc";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { MarketList, MarketListQuery } from "../schemas/reads";

export const listMarketsRoute = createRoute({
  method: "get",
  path: "/v1/markets",
  operationId: "listMarkets",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "The tenant's markets, ascending by marketId, cursor-paginated",
  description:
    "Each item is the market's configuration as GET /v1/markets/{marketId} returns it. Every acknowledged PUT /v1/markets/{marketId} is listed. Order: ascending by marketId, so pages are stable under concurrent creation (a new market shows up on a later page only if its id sorts after the cursor).",
  request: { query: MarketListQuery },
  responses: { 200: { description: "A page of markets", content: { "application/json": { schema: MarketList } } }, ...problemResponses(401, 403, 422, 429) },
});

export function registerMarketList(app: OpenAPIHono<AppEnv>) {
  app.openapi(listMarketsRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    return c.json(await directoryStub(c.env, c.get("tenantId")).list(cursor ?? null, limit), 200);
  });
}
