import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { comparePolicies } from "../../domain/policies/compare";
import { registerBatchRoute } from "../fast-batch";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { CompareRequest, CompareResponse } from "../schemas/policies";

export const comparePoliciesRoute = createRoute({
  method: "post",
  path: "/v1/adl/policies/compare",
  security: requires("adl:compute"),
  operationId: "comparePolicies",
  tags: ["ADL engine"],
  summary: "Compare ADL policies on one event: fills and fairness metrics per policy",
  description:
    "Deleverages the bankrupt position(s) against the same opposite side under each policy (ranked queues, pro-rata, capped-pro-rata, leverage-draining) from the same starting state, and reports each policy's fills, what every touched account gave up against mark, and metrics after Chitra et al. (arXiv 2602.15182): needed budget, overshoot, maximum haircut as a share of PnL and of equity, accounts touched, Gini of the haircuts, rank inversions. Nothing is booked.",
  request: { body: { required: true, content: { "application/json": { schema: CompareRequest } } } },
  responses: {
    200: { description: "One outcome per policy, in the requested order", content: { "application/json": { schema: CompareResponse } } },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

/**
 * The counterparties (up to 100,000) are checked by fast-batch's loop, as on /v1/adl/fills and /v1/adl/rankings:
 * through zod they cost more than some policies (the compare of three policies took twice the three fills calls).
 */
export function registerPolicies(app: OpenAPIHono<AppEnv>) {
  registerBatchRoute(app, comparePoliciesRoute, CompareRequest, "counterparties", (c, body) => c.json(comparePolicies(body), 200));
}
