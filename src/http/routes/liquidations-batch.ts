/**
 * POST /v1/markets/{marketId}/liquidations/batch: every bankrupt position of a tick in one atomic, idempotent call.
 * HTTP concerns only, as on the single route: the shape (the counterparties through the fast position validator),
 * the digest for the Idempotency-Key; the market's Durable Object runs liquidateBatch in one transaction, books every
 * item's entries and stores the response (a replay gets the same bytes; a refused item refuses the whole batch).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { registerBatchRoute } from "../fast-batch";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { IdempotencyHeader, MarketIdParam } from "../schemas/fund";
import { LiquidationBatchRequest, LiquidationBatchResponse } from "../schemas/liquidation-batch";
import { fundStub, replayHeaders, requestDigest, unwrap } from "./fund-shared";
import { validationHook } from "../validation";

export const liquidationBatchRoute = createRoute({
  method: "post",
  path: "/v1/markets/{marketId}/liquidations/batch",
  security: requires("liquidations:write"),
  operationId: "liquidateBatch",
  tags: ["Insurance fund"],
  summary: "Run every bankrupt position of a tick through the waterfall in one atomic call, each seeing the state the previous left",
  description:
    "Items are processed in the order given; each sees the fund and the counterparties as the previous one left them (a partly deleveraged counterparty keeps its entry price, its margin shrinks in proportion to its size, rounded up; accountValue, when given, loses what the account gave up against mark). Each result equals the single route's answer for that item with the previous item's remaining positions as counterparties, and the ledger gets the same entries. One Durable Object transaction: all of it is booked or none of it; a refused item refuses the batch with its index in the pointer (/liquidated/{i}/...). Idempotent: a replay returns the identical response.",
  request: { params: MarketIdParam, headers: IdempotencyHeader, body: { required: true, content: { "application/json": { schema: LiquidationBatchRequest } } } },
  responses: {
    201: { description: "Every item's waterfall outcome, the totals and the counterparties after the batch", content: { "application/json": { schema: LiquidationBatchResponse } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429),
  },
});

const Params = liquidationBatchRoute.request.params;
const Headers = liquidationBatchRoute.request.headers;

export function registerLiquidationBatch(app: OpenAPIHono<AppEnv>) {
  registerBatchRoute(app, liquidationBatchRoute, LiquidationBatchRequest, "counterparties", async (c, body) => {
    const params = Params.safeParse(c.req.param());
    if (!params.success) return validationHook({ success: false, error: params.error, target: "param" }, c) as Response;
    const headers = Headers.safeParse({ "idempotency-key": c.req.header("idempotency-key") });
    if (!headers.success) return validationHook({ success: false, error: headers.error, target: "header" }, c) as Response;
    const { marketId } = params.data;
    const digest = await requestDigest("liquidation-batch", body);
    const res = await fundStub(c, marketId).liquidateBatch({ marketId, idempotencyKey: headers.data["idempotency-key"], requestDigest: digest }, body);
    return c.body(unwrap(res).body, 201, { "content-type": "application/json", ...replayHeaders(res) });
  });
}
