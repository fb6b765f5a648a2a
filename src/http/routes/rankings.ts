import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { rankPositions } from "../../domain/ranking/rank";
import type { AppEnv } from "../../env";
import { problemResponses } from "../schemas/common";
import { RankingsRequest, RankingsResponse } from "../schemas/engine";

export const rankingsRoute = createRoute({
  method: "post",
  path: "/v1/adl/rankings",
  operationId: "rankPositions",
  tags: ["ADL engine"],
  summary: "Rank both sides into ADL queues with venue-style indicators",
  description:
    "Longs and shorts are ranked separately; rank 1 is the first to be closed when the opposite side goes bankrupt. The order is total (score, then larger size, then accountId) and does not depend on the order of the batch.",
  request: { body: { required: true, content: { "application/json": { schema: RankingsRequest } } } },
  responses: {
    200: { description: "Both queues", content: { "application/json": { schema: RankingsResponse } } },
    ...problemResponses(400, 413, 415, 422),
  },
});

export function registerRankings(app: OpenAPIHono<AppEnv>) {
  app.openapi(rankingsRoute, (c) => c.json(rankPositions(c.req.valid("json")), 200));
}
