import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { rankColumns } from "../../domain/ranking/rank";
import type { AppEnv } from "../../env";
import { problemResponses } from "../schemas/common";
import { RankingsRequest, RankingsResponse } from "../schemas/engine";
import { rankingsJson } from "../serialize-rankings";

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
  // Serialised from columns (see serialize-rankings.ts); the schema above still documents and types the shape.
  app.openapi(rankingsRoute, (c) => c.body(rankingsJson(rankColumns(c.req.valid("json"))), 200, { "content-type": "application/json" }) as never);
}
