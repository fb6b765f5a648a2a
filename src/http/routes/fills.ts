import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { registerBatchRoute } from "../fast-batch";
import { planAdl } from "../../domain/adl";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { FillsRequest, FillsResponse } from "../schemas/engine";

export const fillsRoute = createRoute({
  method: "post",
  path: "/v1/adl/fills",
  security: requires("adl:compute"),
  operationId: "planFills",
  tags: ["ADL engine"],
  summary: "Plan the ADL fills that close a bankrupt position against the opposite side, by the chosen policy",
  description:
    "policy queue (default): greedy walk down the opposite side's queue ranked by `method`; each counterparty gives min(remaining, its size) at one price; planning that reaches k of n counterparties costs O(n + k log n), not a full sort. pro-rata, capped-pro-rata and leverage-draining allocate over the whole side (whole lots, largest remainder, ties by accountId) and list fills in their own order. unfilledQuantity is what the opposite side could not absorb (for capped-pro-rata also what it refuses to take from principal).",
  request: { body: { required: true, content: { "application/json": { schema: FillsRequest } } } },
  responses: {
    200: { description: "The fills, in queue order", content: { "application/json": { schema: FillsResponse } } },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

export function registerFills(app: OpenAPIHono<AppEnv>) {
  registerBatchRoute(app, fillsRoute, FillsRequest, "counterparties", (c, body) => c.json(planAdl(body), 200));
}
