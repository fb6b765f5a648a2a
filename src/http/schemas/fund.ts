/**
 * Schemas of the market-configuration, insurance-fund and liquidation routes. They check the wire shape; the domain
 * (src/domain/fund) checks what needs the market (lots, ticks, asset decimals) with pointers into the same body.
 */
import { z } from "@hono/zod-openapi";
import { MAX_WINDOW_MS, MIN_WINDOW_MS } from "../../domain/fund/config";
import { MAX_EXECUTIONS } from "../../domain/fund/waterfall";
import { IDEMPOTENCY_RETENTION_MS } from "../../durable-objects/fund-store";
import { LEDGER_KINDS } from "../../durable-objects/fund-rpc";
import { AccountId, NonNegativeDecimal, PositiveDecimal, Side } from "./common";
import { Fill, Policy, Position, RankingMethod } from "./engine";
import { strictObject } from "./strict";
import { ADL_PRICE_RULES, CONTRACT_TYPES, DEFAULT_ADL_PRICE_RULE } from "../../domain/vocabulary";

/** Counterparties one liquidation may carry. */
export const MAX_COUNTERPARTIES = 20_000;

export const MarketIdParam = z.object({
  marketId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'")
    .openapi({ param: { name: "marketId", in: "path" }, example: "BTC-USDT-PERP" }),
});

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string({ error: "the Idempotency-Key header is required on every mutation" })
    .regex(/^[\x21-\x7E]{1,255}$/, "must be 1-255 printable ASCII characters without spaces")
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: `Required. The same key with the same body replays the stored result (header Idempotent-Replayed: true); with a different body it is refused (409). Keys are retained for ${IDEMPOTENCY_RETENTION_MS / 86_400_000} days; a request refused with 4xx stores nothing, so its key can be retried.`,
      example: "dep-2026-11-29-0001",
    }),
});

const Ratio = PositiveDecimal.openapi({ description: "a ratio in (0, 1)", example: "0.3" });

export const AdlTrigger = z
  .discriminatedUnion("rule", [
    strictObject({ rule: z.literal("floor") }).openapi({ description: "the fund pays while its balance stays at or above fundFloor (BitMEX, Bybit pool rule, Bitget)" }),
    strictObject({
      rule: z.literal("drawdown"),
      windowMs: z.number().int().min(MIN_WINDOW_MS).max(MAX_WINDOW_MS).optional().openapi({ description: "peak-balance window; default 8 h (Bybit)", example: 28_800_000 }),
      triggerRatio: Ratio.openapi({ description: "ADL on when (balance - peak)/peak <= -triggerRatio", example: "0.3" }),
      stopRatio: Ratio.openapi({ description: "ADL off again when (balance - peak)/peak > -stopRatio; must be < triggerRatio", example: "0.25" }),
    }).openapi({ description: "Bybit-style drawdown from the window's peak balance, with hysteresis" }),
  ])
  .openapi("AdlTrigger");

const exampleConfig = {
  contractType: "linear" as const,
  contractSize: "1",
  lotSize: "0.001",
  tickSize: "0.1",
  settlementAsset: "USDT",
  amountDecimals: 8,
  fundFloor: "1000",
  maxDrawPerEvent: "250000",
  adlTrigger: { rule: "drawdown" as const, windowMs: 28_800_000, triggerRatio: "0.3", stopRatio: "0.25" },
};

export const MarketConfigRequest = strictObject({
  contractType: z.enum(CONTRACT_TYPES),
  contractSize: PositiveDecimal.openapi({ description: "linear: base units per contract; inverse: USD face value per contract", example: "1" }),
  lotSize: PositiveDecimal.openapi({ example: "0.001" }),
  tickSize: PositiveDecimal.optional().openapi({ example: "0.1" }),
  settlementAsset: z.string().regex(/^[A-Z0-9]{1,16}$/, "must be 1-16 upper-case letters or digits").openapi({ example: "USDT" }),
  amountDecimals: z.number().int().min(0).max(18).optional().openapi({ description: "decimal places of the settlement asset; every ledger amount lives on this grid. Default 8", example: 8 }),
  fundFloor: NonNegativeDecimal.optional().openapi({ description: "the fund never pays below this balance; default 0", example: "1000" }),
  maxDrawPerEvent: PositiveDecimal.optional().openapi({ description: "most the fund pays for one liquidation (Drift-style claim cap)", example: "250000" }),
  adlTrigger: AdlTrigger.optional(),
  adlPolicy: Policy.optional().openapi({ description: "how ADL shares what the fund cannot cover when a liquidation names no policy; default queue" }),
}).openapi("MarketConfigRequest", { example: exampleConfig });

export const MarketConfig = z
  .object({
    marketId: z.string(),
    contractType: z.enum(CONTRACT_TYPES),
    contractSize: z.string(),
    lotSize: z.string(),
    tickSize: z.string(),
    settlementAsset: z.string(),
    amountDecimals: z.number().int(),
    fundFloor: z.string(),
    maxDrawPerEvent: z.string().nullable(),
    adlTrigger: z.union([
      z.object({ rule: z.literal("floor"), windowMs: z.number().int() }),
      z.object({ rule: z.literal("drawdown"), windowMs: z.number().int(), triggerRatio: z.string(), stopRatio: z.string() }),
    ]),
    adlPolicy: Policy,
    version: z.number().int().openapi({ description: "increments on every configuration change" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("MarketConfig");

export const InsuranceFund = z
  .object({
    marketId: z.string(),
    asset: z.string(),
    balance: z.string(),
    floor: z.string(),
    peakBalance: z.string().openapi({ description: "highest balance within peakWindowMs (per-minute buckets), including the current balance" }),
    peakWindowMs: z.number().int(),
    drawdownRatio: z.string().nullable().openapi({ description: "(balance - peak)/peak, 8 dp half-even; null without a peak" }),
    adlActive: z.boolean().openapi({ description: "floor rule: balance <= floor; drawdown rule: the hysteresis state" }),
    adlTrigger: MarketConfig.shape.adlTrigger,
    version: z.number().int().openapi({ description: "increments with every ledger entry" }),
    ledgerEntries: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi("InsuranceFund");

export const LedgerEntry = z
  .object({
    entryId: z.string(),
    sequence: z.number().int(),
    kind: z.enum(LEDGER_KINDS),
    amount: z.string().openapi({ description: "signed: + into the fund, - out of it", example: "-250.5" }),
    balanceAfter: z.string(),
    idempotencyKey: z.string(),
    requestDigest: z.string().openapi({ description: "SHA-256 of the operation and the canonical request body" }),
    liquidationId: z.string().nullable(),
    reference: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("LedgerEntry");

const transferFields = {
  amount: PositiveDecimal.openapi({ description: "at most amountDecimals decimal places", example: "5000" }),
  reference: z.string().min(1).max(256).optional().openapi({ example: "treasury top-up 2026-11" }),
};

export const TransferRequest = strictObject(transferFields).openapi("FundTransferRequest", { example: { amount: "5000", reference: "treasury top-up 2026-11" } });

// One flat object, not TransferRequest.extend(): the generator renders an extension of a named schema as allOf of
// two objects that each say additionalProperties: false, which refuses every body (amount is unknown to the second).
export const WithdrawalRequest = strictObject({
  ...transferFields,
  allowBelowFloor: z.boolean().optional().openapi({ description: "force a withdrawal below the floor (never below zero)" }),
}).openapi("FundWithdrawalRequest", { example: { amount: "1500", reference: "fee sweep" } });

export const TransferResponse = z
  .object({ entry: LedgerEntry, balance: z.string(), asset: z.string() })
  .openapi("FundTransfer");

export const LedgerPage = z
  .object({ entries: z.array(LedgerEntry), nextCursor: z.string().nullable().openapi({ description: "pass as cursor for older entries; null on the last page" }) })
  .openapi("LedgerPage");

export const LiquidationRequest = strictObject({
  markPrice: PositiveDecimal.openapi({ example: "9950" }),
  liquidated: strictObject({
    accountId: AccountId,
    side: Side,
    size: PositiveDecimal.openapi({ example: "2" }),
    entryPrice: PositiveDecimal.openapi({ example: "11000" }),
    margin: NonNegativeDecimal.openapi({ example: "2000" }),
  }),
  executions: z
    .array(strictObject({ quantity: PositiveDecimal, price: PositiveDecimal }))
    .max(MAX_EXECUTIONS)
    .openapi({ description: "market fills offered for the position, in order; a loss fill the fund cannot pay is not taken and goes to ADL" }),
  counterparties: z.array(Position).max(MAX_COUNTERPARTIES).openapi({ description: "opposite-side positions for ADL (any order; ranked by method)" }),
  method: RankingMethod.optional().openapi({ description: "ranking method of the queue policy (required when the policy is queue)" }),
  policy: Policy.optional().openapi({ description: "overrides the market's adlPolicy for this liquidation" }),
  priceRule: z.enum(ADL_PRICE_RULES).default(DEFAULT_ADL_PRICE_RULE).openapi({ description: "ADL price: bankruptcy (BitMEX, Binance, Bybit, Gate, dYdX) or mark (Hyperliquid, OKX)" }),
  liquidationFeeRate: z.string().regex(/^0(\.\d{1,18})?$/, "must be a decimal rate in [0, 1)").optional().openapi({ description: "dYdX-style cap on the fund's take of a surplus: min(|notional| * rate, surplus)", example: "0.005" }),
  seed: z.string().min(1).max(256).optional().openapi({ description: "required for method random" }),
}).openapi("LiquidationRequest", {
  example: {
    markPrice: "9950",
    liquidated: { accountId: "bankrupt-1", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
    executions: [
      { quantity: "1", price: "10100" },
      { quantity: "0.5", price: "9900" },
    ],
    counterparties: [
      { accountId: "short-a", side: "short", size: "1", entryPrice: "12000", margin: "1200" },
      { accountId: "short-b", side: "short", size: "3", entryPrice: "11500", margin: "3000" },
    ],
    method: "bitmex",
    priceRule: "bankruptcy",
  },
});

const AdlPieceSettlement = z.object({
  source: z.enum(["execution", "remainder"]),
  executionIndex: z.number().int().optional(),
  quantity: z.string(),
  referencePrice: z.string().openapi({ description: "the fill it replaces (execution) or mark (remainder)" }),
  filledQuantity: z.string(),
  unfilledQuantity: z.string(),
  transferred: z.string().openapi({ description: "what the counterparties gave up (+) or gained (-) against the reference price" }),
  socializedLoss: z.string(),
  returnedToAccount: z.string(),
});

export const LiquidationResponse = z
  .object({
    liquidationId: z.string(),
    marketId: z.string(),
    bankruptcyPrice: z.string(),
    executions: z.array(
      z.object({
        quantity: z.string().openapi({ description: "taken" }),
        requestedQuantity: z.string(),
        price: z.string(),
        fundDelta: z.string().openapi({ description: "+ credited to the fund, - paid by it" }),
        returnedToAccount: z.string().openapi({ description: "surplus above the fee cap" }),
      }),
    ),
    fund: z.object({
      balanceBefore: z.string(),
      credited: z.string(),
      drawn: z.string(),
      balanceAfter: z.string(),
      effectiveFloor: z.string(),
      drawCapacity: z.string(),
      adlActive: z.boolean(),
    }),
    adl: z.object({
      quantity: z.string().openapi({ description: "handed to ADL: loss fills the fund could not pay plus the size no execution covered" }),
      price: z.string(),
      fills: z.array(Fill),
      filledQuantity: z.string(),
      transferred: z.string(),
      pieces: z.array(AdlPieceSettlement),
    }),
    socializedLoss: z.string().openapi({ description: "loss nobody absorbed; reported, never hidden" }),
    unfilledQuantity: z.string(),
    returnedToAccount: z.string(),
    conservation: z
      .object({
        bankruptLoss: z.string(),
        fundDrawn: z.string(),
        fundCredited: z.string(),
        adlTransferred: z.string(),
        socializedLoss: z.string(),
        returnedToAccount: z.string(),
      })
      .openapi({ description: "bankruptLoss = fundDrawn - fundCredited + adlTransferred + socializedLoss - returnedToAccount, exactly" }),
    ledgerEntries: z.array(LedgerEntry),
    createdAt: z.string(),
  })
  .openapi("Liquidation");
