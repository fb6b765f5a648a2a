import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { registerBatchRoute } from "../fast-batch";
import { amountToWire, parsePositive, parseRate, ratioToWire, toWire } from "../../domain/num/decimal";
import { parseMarket } from "../../domain/market";
import { bankruptcyPrice, effectiveLeverage, hasBankruptcyPrice, liquidationPrice, notional, parsePosition, pnlRatio, unrealizedPnl } from "../../domain/position";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { RiskRequest, RiskResponse } from "../schemas/engine";

export const riskRoute = createRoute({
  method: "post",
  path: "/v1/positions/risk",
  security: requires("adl:compute"),
  operationId: "positionRisk",
  tags: ["ADL engine"],
  summary: "Notional, PnL, leverage, bankruptcy and liquidation prices per position",
  description:
    "Rounding: notional half-even at 8 dp; unrealizedPnl toward -infinity at 8 dp (never overstates a gain); ratios half-even at 8 dp; prices on the tick grid, bankruptcy in the fund's favour (long up, short down), liquidation toward earlier liquidation (long up, short down). Null where a price does not exist.",
  request: { body: { required: true, content: { "application/json": { schema: RiskRequest } } } },
  responses: {
    200: { description: "Per-position risk figures, in request order", content: { "application/json": { schema: RiskResponse } } },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

export function registerRisk(app: OpenAPIHono<AppEnv>) {
  registerBatchRoute(app, riskRoute, RiskRequest, "positions", (c, body) => {
    const market = parseMarket(body.market);
    const mark = parsePositive(body.markPrice, "/markPrice", market.tickDecimals);
    const mmr = parseRate(body.maintenanceMarginRate, "/maintenanceMarginRate");
    const positions = body.positions.map((p, i) => {
      const pos = parsePosition(p, market, `/positions/${i}`);
      const lev = effectiveLeverage(market, pos, mark);
      const lp = liquidationPrice(market, pos, mmr, body.liquidationConvention);
      return {
        accountId: pos.accountId,
        side: pos.side,
        notional: amountToWire(notional(market, pos, mark), "half-even"),
        // Toward -infinity: a reported gain is never larger than the exact one.
        unrealizedPnl: amountToWire(unrealizedPnl(market, pos, mark), "down"),
        pnlRatio: ratioToWire(pnlRatio(market, pos, mark)),
        effectiveLeverage: lev === null ? null : ratioToWire(lev),
        bankruptcyPrice: hasBankruptcyPrice(market, pos) ? toWire(bankruptcyPrice(market, pos)) : null,
        liquidationPrice: lp === null ? null : toWire(lp),
      };
    });
    return c.json({ positions }, 200);
  });
}
