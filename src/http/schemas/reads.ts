/**
 * Schemas of the read APIs: the tenant's market list, ledger filters and export, fund history, ADL alert and the
 * stored liquidations. They validate the query and document the responses (with examples) in one place.
 */
import { z } from "@hono/zod-openapi";
import { DEFAULT_HISTORY_BUCKETS } from "../../durable-objects/fund-rpc";
import { HISTORY_INTERVALS, type HistoryInterval } from "../../domain/fund/history";
import { LEDGER_KINDS } from "../../durable-objects/fund-rpc";
import { MarketConfig } from "./fund";
import { ADL_TRIGGER_RULES } from "../../domain/fund/config";

const exampleMarket = {
  marketId: "BTC-USDT-PERP",
  contractType: "linear" as const,
  contractSize: "1",
  lotSize: "0.001",
  tickSize: "0.1",
  settlementAsset: "USDT",
  amountDecimals: 8,
  fundFloor: "1000",
  maxDrawPerEvent: "250000",
  adlTrigger: { rule: "drawdown" as const, windowMs: 28_800_000, triggerRatio: "0.3", stopRatio: "0.25" },
  adlPolicy: "queue" as const,
  version: 1,
  createdAt: "2026-11-29T10:00:00.000Z",
  updatedAt: "2026-11-29T10:00:00.000Z",
};

/** Market ids are [A-Za-z0-9._-]{1,64}: a cursor is the last id of the previous page. */
export const MarketListQuery = z.object({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be a nextCursor value from a previous page")
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "nextCursor of the previous page: markets with a greater id follow", example: "BTC-USDT-PERP" }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ param: { name: "limit", in: "query" }, example: 100 }),
});

export const MarketList = z
  .object({
    markets: z.array(MarketConfig).openapi({ description: "ascending by marketId (byte order of the ASCII id)" }),
    nextCursor: z.string().nullable().openapi({ description: "pass as cursor for the next page; null on the last page" }),
  })
  .openapi("MarketList", { example: { markets: [exampleMarket], nextCursor: null } });

/** ISO 8601 date (UTC midnight) or date-time with an explicit offset: a time without a zone would be ambiguous. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/** A real calendar day (Date.parse would roll 2026-02-30 over into March). */
function isCalendarDate(s: string): boolean {
  const m = ISO_8601.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export const Instant = z
  .string()
  .regex(ISO_8601, "must be an ISO 8601 date (2026-11-29) or date-time with offset (2026-11-29T10:00:00Z)")
  .refine(isCalendarDate, "is not a calendar date");

/** Epoch ms of a validated Instant. */
export const instantMs = (s: string) => Date.parse(s);

/** from < to when both are given (reported on `to`). */
function rangeOrdered(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (q.from !== undefined && q.to !== undefined && instantMs(q.from) >= instantMs(q.to)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be later than from" });
  }
}

const KIND_LIST = new RegExp(`^(?:${LEDGER_KINDS.join("|")})(?:,(?:${LEDGER_KINDS.join("|")}))*$`);

export const LedgerQuery = z
  .object({
    cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, "must be a nextCursor value from a previous page").optional().openapi({ param: { name: "cursor", in: "query" }, example: "120" }),
    limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: "limit", in: "query" }, description: "entries per JSON page (the CSV export is not paged)", example: 50 }),
    kind: z
      .string()
      .regex(KIND_LIST, `must be one or more of ${LEDGER_KINDS.join(", ")}, comma-separated`)
      .optional()
      .openapi({ param: { name: "kind", in: "query" }, description: `only these kinds (comma-separated): ${LEDGER_KINDS.join(", ")}`, example: "liquidation_draw,withdrawal" }),
    from: Instant.optional().openapi({ param: { name: "from", in: "query" }, description: "entries created at or after this instant (ISO 8601)", example: "2026-11-29T00:00:00Z" }),
    to: Instant.optional().openapi({ param: { name: "to", in: "query" }, description: "entries created before this instant (ISO 8601, exclusive)", example: "2026-11-30T00:00:00Z" }),
  })
  .superRefine(rangeOrdered);

export const ledgerCsvExample =
  "sequence,entryId,createdAt,kind,amount,balanceAfter,liquidationId,reference,idempotencyKey,requestDigest\r\n" +
  '2,2,2026-11-29T10:05:00.000Z,withdrawal,-1500,48500,,"fee sweep, November",wd-1,9f2c...\r\n' +
  "1,1,2026-11-29T10:00:00.000Z,deposit,50000,50000,,seed,dep-1,4b7e...\r\n";

export const HistoryQuery = z
  .object({
    interval: z.enum(Object.keys(HISTORY_INTERVALS) as [HistoryInterval, ...HistoryInterval[]]).openapi({ param: { name: "interval", in: "query" }, description: "bucket length: one minute, hour or day (UTC-aligned)", example: "1h" }),
    from: Instant.optional().openapi({
      param: { name: "from", in: "query" },
      description: `start (rounded down to the interval); default ${DEFAULT_HISTORY_BUCKETS} intervals before to`,
      example: "2026-11-29T00:00:00Z",
    }),
    to: Instant.optional().openapi({ param: { name: "to", in: "query" }, description: "end, exclusive (rounded up to the interval); default now", example: "2026-11-30T00:00:00Z" }),
  })
  .superRefine(rangeOrdered);

const exampleBucket = { start: "2026-11-29T10:00:00.000Z", open: "50000", high: "50000", low: "48500", close: "48749.5", netFlow: "-1250.5", entries: 3 };

export const FundHistory = z
  .object({
    marketId: z.string(),
    asset: z.string(),
    interval: z.enum(Object.keys(HISTORY_INTERVALS) as [HistoryInterval, ...HistoryInterval[]]),
    from: z.string().openapi({ description: "start of the first bucket" }),
    to: z.string().openapi({ description: "end of the last bucket (exclusive)" }),
    buckets: z
      .array(
        z.object({
          start: z.string().openapi({ description: "bucket start, ISO 8601 UTC" }),
          open: z.string().openapi({ description: "balance at the bucket's start" }),
          high: z.string(),
          low: z.string(),
          close: z.string().openapi({ description: "balance at the bucket's end; the last bucket's close is the balance at `to`" }),
          netFlow: z.string().openapi({ description: "close - open: the sum of the bucket's ledger amounts" }),
          entries: z.number().int(),
        }),
      )
      .openapi({ description: "every interval of the range, oldest first; an interval without entries is flat at the carried balance (entries 0)" }),
  })
  .openapi("FundHistory", {
    example: { marketId: "BTC-USDT-PERP", asset: "USDT", interval: "1h", from: "2026-11-29T10:00:00.000Z", to: "2026-11-29T12:00:00.000Z", buckets: [exampleBucket, { ...exampleBucket, start: "2026-11-29T11:00:00.000Z", open: "48749.5", high: "48749.5", low: "48749.5", netFlow: "0", entries: 0 }] },
  });

export const AdlAlert = z
  .object({
    marketId: z.string(),
    asset: z.string(),
    rule: z.enum(ADL_TRIGGER_RULES),
    adlActive: z.boolean().openapi({ description: "whether liquidations now go to ADL instead of the fund" }),
    since: z.string().nullable().openapi({ description: "when adlActive last took its current value (the last switch, or the fund's creation); null if not recorded (funds created before it was stored)" }),
    balance: z.string(),
    peakBalance: z.string().openapi({ description: "highest balance within peakWindowMs, including the current balance" }),
    peakWindowMs: z.number().int(),
    drawdownRatio: z.string().nullable().openapi({ description: "(balance - peak)/peak, 8 dp half-even (display only; the rule compares exactly); null without a peak" }),
    triggerRatio: z.string().nullable().openapi({ description: "drawdown rule: ADL switches on when drawdownRatio <= -triggerRatio; null for the floor rule" }),
    stopRatio: z.string().nullable().openapi({ description: "drawdown rule: ADL switches off when drawdownRatio > -stopRatio; null for the floor rule" }),
    floor: z.string().openapi({ description: "fundFloor: the fund never pays below it" }),
    triggerBalance: z.string().openapi({ description: "ADL switches on at or below this balance: floor, or peak*(1-triggerRatio)" }),
    stopBalance: z.string().openapi({ description: "once on, ADL switches off above this balance: floor, or peak*(1-stopRatio)" }),
    effectiveFloor: z.string().openapi({ description: "lowest balance the fund may be drawn to now: max(floor, peak*(1-triggerRatio))" }),
    drawCapacity: z.string().openapi({ description: "most the fund would pay for one liquidation now (0 while ADL is active under the drawdown rule; capped by maxDrawPerEvent)" }),
    asOf: z.string(),
  })
  .openapi("AdlAlert", {
    example: {
      marketId: "BTC-USDT-PERP",
      asset: "USDT",
      rule: "drawdown",
      adlActive: true,
      since: "2026-11-29T10:42:00.000Z",
      balance: "34000",
      peakBalance: "50000",
      peakWindowMs: 28_800_000,
      drawdownRatio: "-0.32",
      triggerRatio: "0.3",
      stopRatio: "0.25",
      floor: "1000",
      triggerBalance: "35000",
      stopBalance: "37500",
      effectiveFloor: "35000",
      drawCapacity: "0",
      asOf: "2026-11-29T10:45:00.000Z",
    },
  });

export const LiquidationIdParam = z.object({
  marketId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'")
    .openapi({ param: { name: "marketId", in: "path" }, example: "BTC-USDT-PERP" }),
  liquidationId: z
    .string()
    .regex(/^liq_[0-9a-f-]{36}$/, "must be a liquidationId as a liquidation returned it (liq_<uuid>)")
    .openapi({ param: { name: "liquidationId", in: "path" }, example: "liq_7d7f2f0e-4a59-4f5e-9c1b-2f1f6c0e8a11" }),
});

export const LiquidationListQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,16}_liq_[0-9a-f-]{36}$/, "must be a nextCursor value from a previous page")
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, example: "1795941000000_liq_7d7f2f0e-4a59-4f5e-9c1b-2f1f6c0e8a11" }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: "limit", in: "query" }, example: 50 }),
});

const exampleSummary = {
  liquidationId: "liq_7d7f2f0e-4a59-4f5e-9c1b-2f1f6c0e8a11",
  createdAt: "2026-11-29T10:30:00.000Z",
  batchId: null,
  marketVersion: 1,
  bankruptcyPrice: "10000",
  fund: { balanceBefore: "50000", credited: "100", drawn: "50", balanceAfter: "50050" },
  adlQuantity: "0.5",
  adlActiveAfter: false,
  ledgerEntryIds: ["17", "18"],
};

export const LiquidationList = z
  .object({
    liquidations: z
      .array(
        z.object({
          liquidationId: z.string(),
          createdAt: z.string(),
          batchId: z.string().nullable().openapi({ description: "the batch it was booked in, if any" }),
          marketVersion: z.number().int().openapi({ description: "configuration version it was decided under" }),
          bankruptcyPrice: z.string(),
          fund: z.object({ balanceBefore: z.string(), credited: z.string(), drawn: z.string(), balanceAfter: z.string() }),
          adlQuantity: z.string().openapi({ description: "quantity handed to ADL" }),
          adlActiveAfter: z.boolean(),
          ledgerEntryIds: z.array(z.string()),
        }),
      )
      .openapi({ description: "newest first (createdAt, then liquidationId, descending); GET by id returns the whole waterfall" }),
    nextCursor: z.string().nullable().openapi({ description: "pass as cursor for older liquidations; null on the last page" }),
  })
  .openapi("LiquidationList", { example: { liquidations: [exampleSummary], nextCursor: null } });
