import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { registerBatchRoute } from "../fast-batch";
import { rankColumns } from "../../domain/ranking/rank";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { RankingsRequest, RankingsResponse } from "../schemas/engine";
import { rankingsJsonBytes } from "../serialize-rankings";

export const rankingsRoute = createRoute({
  method: "post",
  path: "/v1/adl/rankings",
  security: requires("adl:compute"),
  operationId: "rankPositions",
  tags: ["ADL engine"],
  summary: "Rank both sides into ADL queues with venue-style indicators",
  description:
    "Longs and shorts are ranked separately; rank 1 is the first to be closed when the opposite side goes bankrupt. The order is total (score, then larger size, then accountId) and does not depend on the order of the batch.",
  request: { body: { required: true, content: { "application/json": { schema: RankingsRequest } } } },
  responses: {
    200: { description: "Both queues", content: { "application/json": { schema: RankingsResponse } } },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

export function registerRankings(app: OpenAPIHono<AppEnv>) {
  // The route is documented from its zod schemas; the body is validated by batchBodyValidator (the same schemas,
  // with a proven-equivalent fast loop for the positions) and serialised from columns (serialize-rankings.ts).
  registerBatchRoute(app, rankingsRoute, RankingsRequest, "positions", (c, body) => {
    return c.body(rankingsJsonBytes(rankColumns(body)), 200, { "content-type": "application/json" });
  });
}
