/**
 * The market's liquidations: a newest-first list of summaries, and one liquidation's complete stored response,
 * byte for byte what its POST returned (the market object stores it, chunked, in the booking's transaction).
 */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { ProblemError } from "../problem";
import { problemResponses } from "../schemas/common";
import { LiquidationResponse, MarketIdParam } from "../schemas/fund";
import { LiquidationIdParam, LiquidationList, LiquidationListQuery } from "../schemas/reads";
import { fundStub, unwrap } from "./fund-shared";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

export const listLiquidationsRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/liquidations",
  operationId: "listLiquidations",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "The market's liquidations, newest first, cursor-paginated (summaries; GET by id for the whole waterfall)",
  description: "One summary per booked liquidation (single or batch item): its id and time, the batch it came in, the bankruptcy price, the fund's part, the quantity handed to ADL and its ledger entries. Pass nextCursor as cursor for older ones.",
  request: { params: MarketIdParam, query: LiquidationListQuery },
  responses: { 200: { description: "A page of liquidations", ...json(LiquidationList) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const getLiquidationRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/liquidations/{liquidationId}",
  operationId: "getLiquidation",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "One liquidation's waterfall, exactly as its POST returned it",
  description: "The stored response, byte for byte what the POST answered (fills, fund decision, conservation identity), for audit. 404 for an unknown id or another tenant's.",
  request: { params: LiquidationIdParam },
  responses: { 200: { description: "The stored response", ...json(LiquidationResponse) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export function registerLiquidationReads(app: OpenAPIHono<AppEnv>) {
  app.openapi(listLiquidationsRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    const at = cursor?.indexOf("_") ?? -1;
    const parsed = cursor === undefined ? null : { createdAt: Number(cursor.slice(0, at)), id: cursor.slice(at + 1) };
    return c.json(unwrap(await fundStub(c, marketId).listLiquidations(parsed, limit)), 200);
  });

  app.openapi(getLiquidationRoute, async (c) => {
    const { marketId, liquidationId } = c.req.valid("param");
    const body = await fundStub(c, marketId).liquidationResponse(liquidationId);
    if (body === null) throw new ProblemError("not-found", `No liquidation ${liquidationId} in market ${marketId}`);
    // The stored text itself: re-serialising could change nothing but would cost a parse of up to megabytes.
    return c.body(body, 200, { "content-type": "application/json" }) as unknown as TypedResponse<z.infer<typeof LiquidationResponse>, 200, "json">;
  });
}
