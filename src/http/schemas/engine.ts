/**
 * Schemas of the stateless engine routes. They validate the wire shape (strings that are decimals, enums, sizes of
 * batches); the domain then checks what needs the market (lot multiples, tick decimals, consistency) and answers
 * with pointers into the same body.
 */
import { z } from "@hono/zod-openapi";
import { INDICATOR_CONVENTIONS, INDICATOR_WEIGHTINGS } from "../../domain/indicators";
import { DEFAULT_POLICY, POLICIES } from "../../domain/policies";
import { RANKING_METHODS } from "../../domain/ranking/spec/methods";
import { AccountId, DecimalString, NonNegativeDecimal, PositiveDecimal, Side } from "./common";
import { strictObject } from "./strict";
import { ADL_PRICE_RULES, CONTRACT_TYPES, DEFAULT_ADL_PRICE_RULE, DEFAULT_LIQUIDATION_CONVENTION, LIQUIDATION_CONVENTIONS } from "../../domain/vocabulary";

/** Largest batch of positions one request may carry; a larger one gets 413 (see README, memory figures). */
export const MAX_BATCH_POSITIONS = 100_000;

export const MarketSpec = strictObject({
  contractType: z.enum(CONTRACT_TYPES).openapi({ description: "linear: quote-margined; inverse: coin-margined (USD face value)" }),
  contractSize: PositiveDecimal.openapi({ description: "linear: base units per contract; inverse: USD face value per contract", example: "1" }),
  lotSize: PositiveDecimal.openapi({ description: "sizes must be whole multiples of this", example: "0.001" }),
  tickSize: PositiveDecimal.optional().openapi({ description: "prices may have no more decimals than this; computed prices land on this grid. Default 0.00000001", example: "0.1" }),
}).openapi("Market");

export const Position = strictObject({
  accountId: AccountId,
  side: Side,
  size: PositiveDecimal.openapi({ description: "contracts, a multiple of lotSize", example: "2.5" }),
  entryPrice: PositiveDecimal.openapi({ example: "20000" }),
  margin: PositiveDecimal.openapi({ description: "collateral backing the position, settlement asset (isolated margin, or cross collateral available to it)", example: "1000" }),
  accountValue: DecimalString.optional().openapi({ description: "account equity (wallet balance + uPnL of all positions), for account-level formulas (binance, hyperliquid); default margin + uPnL", example: "5000" }),
}).openapi("Position");

export const RankingMethod = z.enum(RANKING_METHODS).openapi({ description: "bitmex | binance | hyperliquid score formulas, or random (seeded dYdX-style cyclic walk)", example: "bitmex" });
export const IndicatorConvention = z.enum(INDICATOR_CONVENTIONS).openapi({ description: "how the queue position is expressed: bybit 1..5 (5 first), binance 0..4 (4 highest), okx 1..5, gate 1..5 (1 first), bitmex percentile", example: "bybit" });

const exampleMarket = { contractType: "linear" as const, contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
const examplePositions = [
  { accountId: "alice", side: "long" as const, size: "2", entryPrice: "19000", margin: "3800" },
  { accountId: "bob", side: "long" as const, size: "1", entryPrice: "18000", margin: "900" },
  { accountId: "carol", side: "short" as const, size: "3", entryPrice: "21000", margin: "6300" },
];

export const RankingsRequest = strictObject({
  market: MarketSpec,
  markPrice: PositiveDecimal.openapi({ example: "20000" }),
  method: RankingMethod,
  indicator: IndicatorConvention.default("bybit"),
  indicatorWeighting: z.enum(INDICATOR_WEIGHTINGS).optional().openapi({ description: "count: share of positions; quantity: share of contracts. Default: quantity for bitmex (reproduces its published table), count otherwise" }),
  seed: z.string().min(1).max(256).optional().openapi({ description: "required for method random: the walk's start is derived from it" }),
  positions: z.array(Position).max(MAX_BATCH_POSITIONS),
}).openapi("RankingsRequest", { example: { market: exampleMarket, markPrice: "20000", method: "bitmex", indicator: "bybit", positions: examplePositions } });

export const RankedPosition = z
  .object({
    accountId: z.string(),
    size: z.string(),
    score: z.string().nullable().openapi({ description: "ranking score, 8 dp half-even; null for random and for positions at or past bankruptcy at mark" }),
    rank: z.number().int().openapi({ description: "1 = first to be closed" }),
    indicator: z.number().openapi({ description: "per the requested convention" }),
    pnlRatio: z.string(),
    effectiveLeverage: z.string().nullable(),
    bankruptcyPrice: z.string().nullable().openapi({ description: "on the tick grid in the fund's favour (long up, short down); null if none" }),
  })
  .openapi("RankedPosition");

export const RankingsResponse = z.object({ long: z.array(RankedPosition), short: z.array(RankedPosition) }).openapi("Rankings");

export const RiskRequest = strictObject({
  market: MarketSpec,
  markPrice: PositiveDecimal,
  maintenanceMarginRate: NonNegativeDecimal.openapi({ description: "fraction, e.g. 0.005 for 0.5%", example: "0.005" }),
  liquidationConvention: z.enum(LIQUIDATION_CONVENTIONS).default(DEFAULT_LIQUIDATION_CONVENTION).openapi({ description: "entry: maintenance margin measured at entry value (Bybit, default); mark: measured at the liquidation price itself" }),
  positions: z.array(Position).max(MAX_BATCH_POSITIONS),
}).openapi("RiskRequest", {
  example: { market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.01" }, markPrice: "20000", maintenanceMarginRate: "0.005", liquidationConvention: "entry", positions: [{ accountId: "alice", side: "long", size: "1", entryPrice: "20000", margin: "400" }] },
});

export const PositionRisk = z
  .object({
    accountId: z.string(),
    side: Side,
    notional: z.string().openapi({ description: "linear Q*K*P (quote); inverse Q*K/P (coin); 8 dp" }),
    unrealizedPnl: z.string(),
    pnlRatio: z.string().openapi({ description: "uPnL over the notional at entry (BitMEX pnlPct)" }),
    effectiveLeverage: z.string().nullable(),
    bankruptcyPrice: z.string().nullable(),
    liquidationPrice: z.string().nullable(),
  })
  .openapi("PositionRisk");

export const RiskResponse = z.object({ positions: z.array(PositionRisk) }).openapi("RiskResponse");

export { DecimalString };

export const LiquidatedPosition = z
  .union([
    strictObject({
      accountId: AccountId,
      side: Side,
      size: PositiveDecimal,
      entryPrice: PositiveDecimal,
      margin: PositiveDecimal,
    }),
    strictObject({
      accountId: AccountId.optional(),
      side: Side,
      size: PositiveDecimal,
      bankruptcyPrice: PositiveDecimal.openapi({ description: "used as given (already on the tick grid)" }),
    }),
  ])
  .openapi("LiquidatedPosition", { description: "The bankrupt position: full (its bankruptcy price is computed) or just side, size and bankruptcy price" });

export const Policy = z.enum(POLICIES).openapi({
  description:
    "how the quantity is shared among the opposite side: queue (ranked by `method`, the top gives first), pro-rata (same fraction of every position), capped-pro-rata (same fraction of every winner's positive PnL, principal never touched; Chitra arXiv 2512.01112), leverage-draining (most leveraged first, down to a common leverage; Campbell, Hey, Moallemi, Nutz arXiv 2603.15963)",
  example: "queue",
});

export const FillsRequest = strictObject({
  market: MarketSpec,
  markPrice: PositiveDecimal,
  policy: Policy.default(DEFAULT_POLICY),
  method: RankingMethod.optional().openapi({ description: "ranking of the queue: required for policy queue, ignored by the others" }),
  priceRule: z.enum(ADL_PRICE_RULES).default(DEFAULT_ADL_PRICE_RULE).openapi({ description: "bankruptcy (BitMEX, Binance, Bybit, Gate, dYdX) or mark (Hyperliquid, OKX)" }),
  seed: z.string().min(1).max(256).optional().openapi({ description: "required for method random" }),
  liquidated: LiquidatedPosition,
  quantity: PositiveDecimal.optional().openapi({ description: "contracts to deleverage; default the liquidated size" }),
  counterparties: z.array(Position).max(MAX_BATCH_POSITIONS).openapi({ description: "opposite-side positions (any order; they are ranked by `method`)" }),
}).openapi("FillsRequest", {
  example: {
    market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
    markPrice: "10000",
    method: "bitmex",
    priceRule: "bankruptcy",
    liquidated: { accountId: "bankrupt", side: "short", size: "20", entryPrice: "9500", margin: "9500" },
    counterparties: [
      { accountId: "long-a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
      { accountId: "long-b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
    ],
  },
});

export const Fill = z
  .object({
    accountId: z.string(),
    quantity: z.string(),
    price: z.string(),
    realizedPnl: z.string().openapi({ description: "the counterparty's PnL on the closed quantity, 8 dp toward -infinity" }),
    remainingSize: z.string(),
  })
  .openapi("Fill");

export const FillsResponse = z
  .object({
    price: z.string(),
    bankruptcyPrice: z.string(),
    fills: z.array(Fill),
    filledQuantity: z.string(),
    unfilledQuantity: z.string().openapi({ description: "what the opposite side could not absorb: report it as socialised loss" }),
    queueReached: z.number().int(),
  })
  .openapi("FillsPlan");
