/**
 * POST /v1/markets/{marketId}/liquidations: one bankrupt position through the whole waterfall.
 *
 *   1. validate everything first (the market's lots and ticks, the executions, the counterparties via a planning
 *      dry run), so bad input changes no state;
 *   2. the market's object decides the fund's part atomically and idempotently (it alone knows the balance) and
 *      books it in the ledger;
 *   3. this stateless handler plans the ADL fills for what the fund handed over (planAdl: rank the opposite side by
 *      `method`, walk the queue) and settles them: transfers, socialised loss, the conservation identity.
 * A replay of the same key gets the stored decision back and re-plans deterministically from the same body, so the
 * response is identical (same entry ids, same fills).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AdlPlan, planAdl } from "../../domain/adl";
import { fundConfigFromWire } from "../../domain/fund/config";
import { settleAdl } from "../../domain/fund/settle";
import { parseLiquidation } from "../../domain/fund/waterfall";
import type { LiquidationRecord } from "../../durable-objects/fund-rpc";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { IdempotencyHeader, LiquidationRequest, LiquidationResponse, MarketIdParam } from "../schemas/fund";
import type { z } from "@hono/zod-openapi";
import { fundStub, replayHeaders, requestDigest, unwrap } from "./fund-shared";
import { marketFor } from "./market-cache";

type Body = z.infer<typeof LiquidationRequest>;

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

function plan(record: Pick<LiquidationRecord, "market">, body: Body, bankruptcyPrice: string, quantity: string): AdlPlan {
  const { contractType, contractSize, lotSize, tickSize } = record.market;
  return planAdl({
    market: { contractType, contractSize, lotSize, tickSize },
    markPrice: body.markPrice,
    method: body.method,
    // The request's policy, else the market's default; a replay re-plans from the stored record, so it agrees.
    policy: body.policy ?? record.market.adlPolicy ?? "queue",
    priceRule: body.priceRule,
    liquidated: { accountId: body.liquidated.accountId, side: body.liquidated.side, size: body.liquidated.size, bankruptcyPrice },
    quantity,
    counterparties: body.counterparties,
    seed: body.seed,
  });
}

export function registerLiquidations(app: OpenAPIHono<AppEnv>) {
  app.openapi(liquidationRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const digest = await requestDigest("liquidation", body);
    const stub = fundStub(c, marketId);

    let record: LiquidationRecord;
    let res;
    let dryRun: AdlPlan | undefined;
    let validatedVersion: number | undefined;
    for (let attempt = 0; ; attempt++) {
      const cached = await marketFor(c, marketId, attempt > 0);
      validatedVersion = cached.view.version;
      // Step 1: everything the object and the planner would refuse, refused before any state changes.
      try {
        const liq = parseLiquidation(cached.config, body);
        dryRun = plan({ market: cached.view }, body, liq.bankruptcyPrice.toFixed(), body.liquidated.size);
      } catch (e) {
        // A retry of a liquidation booked under an earlier configuration still gets its stored answer.
        const stored = await stub.replayLiquidation({ marketId, idempotencyKey: key, requestDigest: digest });
        if (!stored) throw e;
        res = stored;
        record = unwrap(stored);
        dryRun = undefined;
        break;
      }
      // Step 2: the fund's part, atomically.
      res = await stub.liquidate({ marketId, idempotencyKey: key, requestDigest: digest }, body, cached.view.version);
      if (!res.ok && res.problem.slug === "conflict" && res.problem.extra?.marketVersion !== undefined && attempt === 0) continue;
      record = unwrap(res);
      break;
    }

    // Step 3: ADL for what the fund handed over, then the accounting of every piece.
    const d = record.decision;
    const config = fundConfigFromWire(record.market);
    const sign = body.liquidated.side === "long" ? 1 : -1;
    const adlPrice = body.priceRule === "mark" ? body.markPrice : d.bankruptcyPrice;
    // The dry run already planned the whole size against the same configuration: reuse it when that is the answer.
    const reuse = dryRun !== undefined && d.adlQuantity === body.liquidated.size && record.marketVersion === validatedVersion;
    const adl: AdlPlan | null = d.adlQuantity === "0" ? null : reuse ? dryRun! : plan(record, body, d.bankruptcyPrice, d.adlQuantity);
    const s = settleAdl(config.market, config.amountDecimals, sign, d, { price: adl?.price ?? adlPrice, filledQuantity: adl?.filledQuantity ?? "0" });

    return c.json(
      {
        liquidationId: record.liquidationId,
        marketId,
        bankruptcyPrice: d.bankruptcyPrice,
        executions: d.executions.map((e) => ({ quantity: e.quantity, requestedQuantity: e.requestedQuantity, price: e.price, fundDelta: e.fundDelta, returnedToAccount: e.returnedToAccount })),
        fund: { ...d.fund, effectiveFloor: d.effectiveFloor, drawCapacity: d.drawCapacity, adlActive: d.adlActiveAfter },
        adl: {
          quantity: d.adlQuantity,
          price: adl?.price ?? adlPrice,
          fills: adl?.fills ?? [],
          filledQuantity: adl?.filledQuantity ?? "0",
          transferred: s.adlTransferred,
          pieces: s.pieces,
        },
        socializedLoss: s.socializedLoss,
        unfilledQuantity: s.unfilledQuantity,
        returnedToAccount: s.returnedToAccount,
        conservation: s.conservation,
        ledgerEntries: record.entries,
        createdAt: record.createdAt,
      },
      201,
      replayHeaders(res),
    );
  });
}
