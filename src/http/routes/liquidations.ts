/**
 * POST /v1/markets/{marketId}/liquidations: one bankrupt position through the whole waterfall.
 *
 * HTTP concerns only: the schema checks the body's shape, the digest names the request for its Idempotency-Key, and
 * the market's Durable Object does the rest in one transaction: idempotency (a replay gets the stored bytes, even
 * after the configuration changed), the pure `liquidate` (src/domain/liquidation: parse against the market, fund
 * decision, ADL plan, settlement, ledger entries) against the balance only it knows, booking, and storing the
 * response. Bad input is refused there before anything is written, so it changes nothing and the key stays usable.
 */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { IdempotencyHeader, LiquidationRequest, LiquidationResponse, MarketIdParam } from "../schemas/fund";
import { fundStub, replayHeaders, requestDigest, unwrap } from "./fund-shared";

export const liquidationRoute = createRoute({
  method: "post",
  path: "/v1/markets/{marketId}/liquidations",
  security: requires("liquidations:write"),
  operationId: "liquidate",
  tags: ["Insurance fund"],
  summary: "Run a bankrupt position through the waterfall: market executions, fund surplus or draw, ADL, socialised loss",
  description:
    "Surplus fills are always taken (the fund keeps the surplus, capped by liquidationFeeRate when given). Loss fills are taken while the fund can pay without going below its effective floor or past maxDrawPerEvent; the rest, and the size no execution covered, is auto-deleveraged against the ranked opposite side at the ADL price. What ADL cannot fill is reported as socialisedLoss / unfilledQuantity. `conservation` states bankruptLoss = fundDrawn - fundCredited + adlTransferred + socializedLoss - returnedToAccount. Idempotent: a replay returns the identical response.",
  request: { params: MarketIdParam, headers: IdempotencyHeader, body: { required: true, content: { "application/json": { schema: LiquidationRequest } } } },
  responses: {
    201: { description: "The waterfall's outcome", content: { "application/json": { schema: LiquidationResponse } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429),
  },
});

export function registerLiquidations(app: OpenAPIHono<AppEnv>) {
  app.openapi(liquidationRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const body = c.req.valid("json");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const digest = await requestDigest("liquidation", body);
    const res = await fundStub(c, marketId).liquidate({ marketId, idempotencyKey, requestDigest: digest }, body);
    // The stored JSON text of the `Liquidation` schema (liquidationResult), sent as stored: a replay is byte-identical.
    return c.body(unwrap(res).body, 201, { "content-type": "application/json", ...replayHeaders(res) }) as unknown as TypedResponse<z.infer<typeof LiquidationResponse>, 201, "json">;
  });
}
