/**
 * Read-only views of a market's insurance fund computed by its object: the balance history in OHLC buckets and the
 * ADL alert (the figures that decide whether liquidations go to ADL).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { MarketIdParam } from "../schemas/fund";
import { AdlAlert, FundHistory, HistoryQuery, instantMs } from "../schemas/reads";
import { fundStub, unwrap } from "./fund-shared";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

export const historyRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/insurance-fund/history",
  operationId: "getInsuranceFundHistory",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "The fund's balance over time: open, high, low, close, net flow and entry count per 1m, 1h or 1d bucket",
  description:
    "Computed exactly from the ledger (no rounding: every figure is a ledger balance or the difference of two). Buckets are UTC-aligned; from is rounded down and to up to the interval. Every interval of the range is a bucket: one without entries is flat at the carried balance with entries 0, so the last bucket closes at the balance at `to` (the current balance by default). At most 10,000 buckets per request.",
  request: { params: MarketIdParam, query: HistoryQuery },
  responses: { 200: { description: "The buckets, oldest first", ...json(FundHistory) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const adlAlertRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/adl-alert",
  operationId: "getAdlAlert",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "Whether ADL is active, since when, and the figures that decide it (after Bybit's /v5/market/adlAlert)",
  description:
    "floor rule: ADL is active while balance <= floor. drawdown rule: it switches on when (balance - peak)/peak <= -triggerRatio and off when the ratio is above -stopRatio (peak = highest balance within peakWindowMs); triggerBalance and stopBalance are those thresholds as balances, exact.",
  request: { params: MarketIdParam },
  responses: { 200: { description: "The ADL state", ...json(AdlAlert) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export function registerFundReads(app: OpenAPIHono<AppEnv>) {
  app.openapi(historyRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const q = c.req.valid("query");
    const res = await fundStub(c, marketId).history(q.interval, q.from === undefined ? undefined : instantMs(q.from), q.to === undefined ? undefined : instantMs(q.to));
    return c.json(unwrap(res), 200);
  });

  app.openapi(adlAlertRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    return c.json(unwrap(await fundStub(c, marketId).adlAlert()), 200);
  });
}
