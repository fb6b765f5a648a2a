/**
 * Schemas of POST /v1/adl/policies/compare: the wire shape only; the domain (policies/compare.ts) checks what needs
 * the market and answers with pointers into the same body.
 */
import { z } from "@hono/zod-openapi";
import { COMPARE_CANDIDATES, COMPARE_DETAILS } from "../../domain/policies/compare";
import { PositiveDecimal } from "./common";
import { strictObject } from "./strict";
import { Fill, LiquidatedPosition, MAX_BATCH_POSITIONS, MarketSpec, Position } from "./engine";
import { ADL_PRICE_RULES, DEFAULT_ADL_PRICE_RULE } from "../../domain/vocabulary";

/** Bankrupt positions one comparison may carry (one event). */
export const MAX_LIQUIDATED = 100;

export const CompareCandidate = z.enum(COMPARE_CANDIDATES).openapi({
  description: "queue:<method> walks the side ranked by that method; pro-rata, capped-pro-rata and leverage-draining allocate over the whole side",
  example: "capped-pro-rata",
});

export const CompareRequest = strictObject({
  market: MarketSpec,
  markPrice: PositiveDecimal.openapi({ description: "PnL, equity, leverage and every haircut are measured against mark" }),
  priceRule: z.enum(ADL_PRICE_RULES).default(DEFAULT_ADL_PRICE_RULE).openapi({ description: "ADL price of each bankrupt position: its bankruptcy price, or mark" }),
  seed: z.string().min(1).max(256).optional().openapi({ description: "needed by queue:random (included by default only when given)" }),
  liquidated: z
    .array(LiquidatedPosition)
    .min(1)
    .max(MAX_LIQUIDATED)
    .openapi({ description: "one bankrupt position, or several on the same side as one event, deleveraged in this order, each its whole size. Bankrupt positions times counterparties may not exceed 1,000,000 (422 event_too_large at /liquidated)" }),
  counterparties: z.array(Position).max(MAX_BATCH_POSITIONS).openapi({ description: "the opposite side" }),
  policies: z.array(CompareCandidate).min(1).max(COMPARE_CANDIDATES.length).optional().openapi({ description: "default: all (queue:random only with a seed)" }),
  detail: z.enum(COMPARE_DETAILS).default("full").openapi({ description: "full: events with fills and per-account figures; metrics: only the metrics (for sides of many thousands)" }),
}).openapi("CompareRequest", {
  example: {
    market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
    markPrice: "10100",
    priceRule: "bankruptcy",
    liquidated: [{ side: "short", size: "20", bankruptcyPrice: "10050" }],
    counterparties: [
      { accountId: "long-a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
      { accountId: "long-b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
      { accountId: "long-c", side: "long", size: "5", entryPrice: "11000", margin: "600" },
    ],
    policies: ["queue:bitmex", "pro-rata", "capped-pro-rata", "leverage-draining"],
    detail: "full",
  },
});

export const PolicyMetrics = z
  .object({
    neededBudget: z.string().openapi({ description: "sum over bankrupt positions of q*K*|mark - BP| (inverse q*K*|1/BP - 1/mark|): the loss past margin, had they closed at mark" }),
    totalGiven: z.string().openapi({ description: "sum of what the counterparties gave up against closing at mark" }),
    overshoot: z.string().openapi({ description: "totalGiven - neededBudget; negative when part of the loss is left to the fund or socialised" }),
    maxHaircutOfPnl: z.string().nullable().openapi({ description: "largest given / uPnL among touched winners (uPnL > 0); null if none" }),
    maxHaircutOfEquity: z.string().nullable().openapi({ description: "largest given / equity among touched accounts with equity > 0" }),
    principalTouched: z.number().int().openapi({ description: "touched accounts that gave more than their positive uPnL" }),
    accountsTouched: z.number().int(),
    gini: z.string().openapi({ description: "Gini coefficient of max(given, 0) over every opposite-side account" }),
    rankInversions: z.number().int().openapi({ description: "pairs ahead by uPnL before ADL and strictly behind after it" }),
  })
  .openapi("PolicyMetrics");

export const PolicyEvent = z
  .object({
    bankruptcyPrice: z.string(),
    price: z.string(),
    fills: z.array(Fill),
    filledQuantity: z.string(),
    unfilledQuantity: z.string(),
  })
  .openapi("PolicyEvent");

export const PolicyAccount = z
  .object({
    accountId: z.string(),
    quantity: z.string().openapi({ description: "contracts closed over the event" }),
    given: z.string().openapi({ description: "what its fills gave up against mark, 8 dp half-even" }),
    pnl: z.string().openapi({ description: "uPnL at mark before ADL" }),
    haircutOfPnl: z.string().nullable(),
    haircutOfEquity: z.string().nullable(),
  })
  .openapi("PolicyAccount");

export const PolicyOutcome = z
  .object({
    policy: CompareCandidate,
    filledQuantity: z.string(),
    unfilledQuantity: z.string().openapi({ description: "what the policy did not fill: the side could not absorb it, or (capped-pro-rata) only principal could have" }),
    metrics: PolicyMetrics,
    events: z.array(PolicyEvent).optional().openapi({ description: "one per bankrupt position, in order (detail full)" }),
    accounts: z.array(PolicyAccount).optional().openapi({ description: "touched accounts by accountId (detail full)" }),
  })
  .openapi("PolicyOutcome");

export const CompareResponse = z
  .object({
    neededBudget: z.string(),
    results: z.array(PolicyOutcome),
  })
  .openapi("PolicyComparison");
