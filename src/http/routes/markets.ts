/**
 * Market configuration and the market's insurance fund: balance, deposits, withdrawals, ledger. Every mutation is
 * one idempotent call into the market's Durable Object.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import {
  IdempotencyHeader,
  InsuranceFund,
  MarketConfig,
  MarketConfigRequest,
  MarketIdParam,
  TransferRequest,
  TransferResponse,
  WithdrawalRequest,
} from "../schemas/fund";
import { fundStub, replayHeaders, requestDigest, unwrap } from "./fund-shared";
import { ProblemError } from "../problem";

const tags = ["Insurance fund"];
const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

export const putMarketRoute = createRoute({
  method: "put",
  path: "/v1/markets/{marketId}",
  operationId: "putMarket",
  tags,
  security: requires("fund:write"),
  summary: "Create or replace a market's configuration (contract, settlement asset, fund floor, draw cap, ADL trigger)",
  description:
    "Idempotent. settlementAsset, amountDecimals and contractType cannot change once the fund has ledger entries (409). Each change increments version.",
  request: { params: MarketIdParam, headers: IdempotencyHeader, body: { required: true, ...json(MarketConfigRequest) } },
  responses: { 200: { description: "The stored configuration", ...json(MarketConfig) }, ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429) },
});

export const getMarketRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}",
  operationId: "getMarket",
  tags,
  security: requires("fund:read"),
  summary: "A market's configuration",
  description: "The configuration as stored by the last PUT, with its version (incremented by every change). 404 when the tenant has no market of that id.",
  request: { params: MarketIdParam },
  responses: { 200: { description: "The configuration", ...json(MarketConfig) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const getFundRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/insurance-fund",
  operationId: "getInsuranceFund",
  tags,
  security: requires("fund:read"),
  summary: "The market's insurance fund: balance, floor, peak balance in the window, ADL state",
  description: "Read from the market's Durable Object: the balance equals the sum of the ledger's amounts, exactly. For the figures that decide ADL see GET .../adl-alert; for the balance over time, GET .../insurance-fund/history.",
  request: { params: MarketIdParam },
  responses: { 200: { description: "The fund", ...json(InsuranceFund) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const depositRoute = createRoute({
  method: "post",
  path: "/v1/markets/{marketId}/insurance-fund/deposits",
  operationId: "depositToInsuranceFund",
  tags,
  security: requires("fund:write"),
  summary: "Add to the fund (one ledger entry)",
  description: "Idempotent on Idempotency-Key: a retry with the same key and body returns the stored answer and books nothing; the same key with another body is 409. A 201 means the entry is in durable storage.",
  request: { params: MarketIdParam, headers: IdempotencyHeader, body: { required: true, ...json(TransferRequest) } },
  responses: { 201: { description: "The entry and the new balance", ...json(TransferResponse) }, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429) },
});

export const withdrawalRoute = createRoute({
  method: "post",
  path: "/v1/markets/{marketId}/insurance-fund/withdrawals",
  operationId: "withdrawFromInsuranceFund",
  tags,
  security: requires("fund:write"),
  summary: "Take from the fund; refused (422 insufficient-funds, nothing changes) below zero, or below the floor unless allowBelowFloor",
  description: "Idempotent on Idempotency-Key, as deposits are. The ledger entry's amount is negative; a refusal books nothing and leaves the key unused.",
  request: { params: MarketIdParam, headers: IdempotencyHeader, body: { required: true, ...json(WithdrawalRequest) } },
  responses: { 201: { description: "The entry and the new balance", ...json(TransferResponse) }, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429) },
});

export function registerMarkets(app: OpenAPIHono<AppEnv>) {
  app.openapi(putMarketRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await fundStub(c, marketId).putMarket({ marketId, idempotencyKey: key, requestDigest: await requestDigest("put-market", body) }, body, c.get("tenantId"));
    const view = unwrap(res);
    return c.json(view, 200, replayHeaders(res));
  });

  app.openapi(getMarketRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const view = await fundStub(c, marketId).getMarket();
    if (!view) throw new ProblemError("not-found", `Market ${marketId} is not configured`);
    return c.json(view, 200);
  });

  app.openapi(getFundRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    return c.json(unwrap(await fundStub(c, marketId).getFund()), 200);
  });

  app.openapi(depositRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await fundStub(c, marketId).deposit({ marketId, idempotencyKey: key, requestDigest: await requestDigest("deposit", body) }, body);
    return c.json(unwrap(res), 201, replayHeaders(res));
  });

  app.openapi(withdrawalRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await fundStub(c, marketId).withdraw({ marketId, idempotencyKey: key, requestDigest: await requestDigest("withdrawal", body) }, body);
    return c.json(unwrap(res), 201, replayHeaders(res));
  });
}
