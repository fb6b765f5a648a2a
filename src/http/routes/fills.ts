import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { planAdl } from "../../domain/adl";
import type { AppEnv } from "../../env";
import { problemResponses } from "../schemas/common";
import { FillsRequest, FillsResponse } from "../schemas/engine";

export const fillsRoute = createRoute({
  method: "post",
  path: "/v1/adl/fills",
  operationId: "planFills",
  tags: ["ADL engine"],
  summary: "Plan the ADL fills that close a bankrupt position against the top of the opposite queue",
  description:
    "Greedy walk down the opposite side's queue: each counterparty gives min(remaining, its size) at one price. Planning that reaches k of n counterparties costs O(n + k log n), not a full sort. unfilledQuantity is what the opposite side could not absorb.",
  request: { body: { required: true, content: { "application/json": { schema: FillsRequest } } } },
  responses: {
    200: { description: "The fills, in queue order", content: { "application/json": { schema: FillsResponse } } },
    ...problemResponses(400, 413, 415, 422),
  },
});

export function registerFills(app: OpenAPIHono<AppEnv>) {
  app.openapi(fillsRoute, (c) => c.json(planAdl(c.req.valid("json")), 200));
}
