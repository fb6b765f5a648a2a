/**
 * Schemas of POST /v1/markets/{marketId}/liquidations/batch (issue 15). Shape only; the domain
 * (src/domain/liquidation/batch.ts) checks lots, ticks, accounts and the pair limits, with pointers into this body.
 */
import { z } from "@hono/zod-openapi";
import { MAX_EXECUTIONS } from "../../domain/fund/waterfall";
import { MAX_BATCH_COUNTERPARTIES, MAX_BATCH_EXECUTIONS, MAX_BATCH_LIQUIDATIONS, MAX_BATCH_PAIRS, MAX_BATCH_REPLANNED_PAIRS } from "../../domain/liquidation";
import { strictObject } from "./strict";
import { AccountId, NonNegativeDecimal, PositiveDecimal, Side } from "./common";
import { Policy, Position, RankingMethod } from "./engine";
import { LiquidationRequest, LiquidationResponse } from "./fund";

const BatchItem = strictObject({
  accountId: AccountId,
  side: Side,
  size: PositiveDecimal,
  entryPrice: PositiveDecimal,
  margin: NonNegativeDecimal,
  executions: z
    .array(strictObject({ quantity: PositiveDecimal, price: PositiveDecimal }))
    .max(MAX_EXECUTIONS)
    .openapi({ description: "market fills offered for this position, in order (as on the single route)" }),
});

export const LiquidationBatchRequest = strictObject({
    markPrice: PositiveDecimal.openapi({ example: "9950" }),
    liquidated: z
      .array(BatchItem)
      .min(1)
      .max(MAX_BATCH_LIQUIDATIONS)
      .openapi({
        description: `bankrupt positions, processed in the order given, each against the fund and the counterparties as the previous one left them; at most ${MAX_BATCH_LIQUIDATIONS} (413), at most ${MAX_BATCH_EXECUTIONS} executions over all of them (422)`,
      }),
    counterparties: z
      .array(Position)
      .max(MAX_BATCH_COUNTERPARTIES)
      .openapi({
        description: `both sides' positions for ADL (any order); each bankrupt position is deleveraged against the other side as it stands. At most ${MAX_BATCH_COUNTERPARTIES} (413); bankrupt positions x counterparties at most ${MAX_BATCH_PAIRS} on the ranked queue, ${MAX_BATCH_REPLANNED_PAIRS} for method random and the allocating policies (422)`,
      }),
    method: RankingMethod.optional().openapi({ description: "ranking method of the queue policy (required when the policy is queue)" }),
    policy: Policy.optional().openapi({ description: "overrides the market's adlPolicy for every item" }),
    priceRule: LiquidationRequest.shape.priceRule,
    liquidationFeeRate: LiquidationRequest.shape.liquidationFeeRate,
    seed: LiquidationRequest.shape.seed,
})
  .openapi("LiquidationBatchRequest", {
    example: {
      markPrice: "9950",
      liquidated: [
        { accountId: "bankrupt-1", side: "long", size: "2", entryPrice: "11000", margin: "2000", executions: [{ quantity: "1", price: "10100" }] },
        { accountId: "bankrupt-2", side: "long", size: "1", entryPrice: "10900", margin: "900", executions: [] },
      ],
      counterparties: [
        { accountId: "short-a", side: "short", size: "1", entryPrice: "12000", margin: "1200" },
        { accountId: "short-b", side: "short", size: "3", entryPrice: "11500", margin: "3000" },
      ],
      method: "bitmex",
      priceRule: "bankruptcy",
    },
  });

const RemainingPosition = z
  .object({
    accountId: z.string(),
    side: Side,
    size: z.string().openapi({ description: "remaining size; 0 once fully deleveraged" }),
    entryPrice: z.string().openapi({ description: "unchanged by a partial close" }),
    margin: z.string().openapi({ description: "margin * remaining/size, rounded up onto the asset grid (never above the margin sent); 0 once closed" }),
    accountValue: z.string().optional().openapi({ description: "when sent: minus what the account gave up against mark (closed quantity's uPnL at mark - realised PnL), rounded down" }),
  })
  .openapi("RemainingPosition");

export const LiquidationBatchResponse = z
  .object({
    batchId: z.string(),
    marketId: z.string(),
    results: z.array(LiquidationResponse).openapi({ description: "one waterfall result per bankrupt position, in order, each exactly as the single route returns it" }),
    totals: z.object({
      liquidations: z.number().int(),
      fills: z.number().int(),
      balanceBefore: z.string(),
      balanceAfter: z.string(),
      fundCredited: z.string(),
      fundDrawn: z.string(),
      adlQuantity: z.string(),
      adlFilledQuantity: z.string(),
      adlTransferred: z.string(),
      socializedLoss: z.string(),
      unfilledQuantity: z.string(),
      returnedToAccount: z.string(),
      bankruptLoss: z.string().openapi({ description: "= fundDrawn - fundCredited + adlTransferred + socializedLoss - returnedToAccount, exactly" }),
    }),
    counterparties: z.array(RemainingPosition).openapi({ description: "every counterparty after the batch, in request order" }),
    createdAt: z.string(),
  })
  .openapi("LiquidationBatch");
