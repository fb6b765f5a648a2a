/**
 * The MarketFund object's RPC contract: plain, structured-clone-safe data both ways. Expected failures come back as
 * a tagged value (never a thrown error, whose class would not survive the RPC boundary); the HTTP layer maps each
 * to its problem type in one place. No imports from `cloudflare:*` so the HTTP layer can share these types.
 */
import type { FundConfigInput, FundConfigWire } from "../domain/fund/config";
import type { FundDecisionWire } from "../domain/liquidation/wire";
import type { LiquidationRequest } from "../domain/liquidation";

export type RpcProblemSlug = "not-found" | "conflict" | "idempotency-key-reused" | "insufficient-funds" | "validation-error" | "unavailable";

export interface RpcProblem {
  slug: RpcProblemSlug;
  detail: string;
  errors?: { pointer: string; code: string; detail: string }[];
  extra?: Record<string, string | number | boolean | null>;
}

export type RpcResult<T> = { ok: true; value: T; replayed: boolean } | { ok: false; problem: RpcProblem };

/** Every mutation carries its idempotency key and the digest of the request it stands for. */
export interface Mutation {
  marketId: string;
  idempotencyKey: string;
  /** SHA-256 (hex) of the operation name and the canonical JSON body, computed by the HTTP layer. */
  requestDigest: string;
}

export interface MarketView extends FundConfigWire {
  marketId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** GET /v1/markets: ascending by marketId; nextCursor is the last marketId of the page, null on the last page. */
export interface MarketListPage {
  markets: MarketView[];
  nextCursor: string | null;
}

export interface FundView {
  marketId: string;
  asset: string;
  balance: string;
  floor: string;
  peakBalance: string;
  peakWindowMs: number;
  drawdownRatio: string | null;
  adlActive: boolean;
  adlTrigger: FundConfigWire["adlTrigger"];
  version: number;
  ledgerEntries: number;
  updatedAt: string;
}

export const LEDGER_KINDS = ["deposit", "withdrawal", "liquidation_credit", "liquidation_draw"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntryView {
  entryId: string;
  sequence: number;
  kind: LedgerKind;
  /** Signed: + into the fund, - out of it. */
  amount: string;
  balanceAfter: string;
  idempotencyKey: string;
  requestDigest: string;
  liquidationId: string | null;
  reference: string | null;
  createdAt: string;
}

export interface TransferResult {
  entry: LedgerEntryView;
  balance: string;
  asset: string;
}

export interface TransferInput {
  amount: string;
  reference?: string;
  /** Withdrawals only: allow the balance to go below the floor (never below zero). */
  allowBelowFloor?: boolean;
}

/** Ledger filters: kinds (any of), and createdAt in [fromMs, toMs). */
export interface LedgerFilter {
  kinds?: LedgerKind[];
  fromMs?: number;
  toMs?: number;
}

/** History buckets a request gets when it names no `from`. */
export const DEFAULT_HISTORY_BUCKETS = 1_440;

export interface LiquidationSummary {
  liquidationId: string;
  createdAt: string;
  batchId: string | null;
  marketVersion: number;
  bankruptcyPrice: string;
  fund: { balanceBefore: string; credited: string; drawn: string; balanceAfter: string };
  adlQuantity: string;
  adlActiveAfter: boolean;
  ledgerEntryIds: string[];
}

export interface LiquidationPage {
  liquidations: LiquidationSummary[];
  nextCursor: string | null;
}

export interface AdlAlertView {
  marketId: string;
  asset: string;
  rule: "floor" | "drawdown";
  adlActive: boolean;
  since: string | null;
  balance: string;
  peakBalance: string;
  peakWindowMs: number;
  drawdownRatio: string | null;
  triggerRatio: string | null;
  stopRatio: string | null;
  floor: string;
  triggerBalance: string;
  stopBalance: string;
  effectiveFloor: string;
  drawCapacity: string;
  asOf: string;
}

export interface HistoryView {
  marketId: string;
  asset: string;
  interval: "1m" | "1h" | "1d";
  from: string;
  to: string;
  buckets: { start: string; open: string; high: string; low: string; close: string; netFlow: string; entries: number }[];
}

export interface LedgerPage {
  entries: LedgerEntryView[];
  nextCursor: string | null;
}

export interface LiquidationRecord {
  liquidationId: string;
  marketVersion: number;
  market: FundConfigWire;
  /** The fund decision as decimal strings (liquidation/wire.ts decisionToWire). */
  decision: FundDecisionWire;
  entries: LedgerEntryView[];
  createdAt: string;
}

export interface AuditView {
  balance: string;
  ledgerSum: string;
  entries: number;
  lastBalanceAfter: string | null;
  balanceAfterChainOk: boolean;
}

/** A response the object built and stored: its id (liquidation or batch) and the exact JSON text. */
export interface StoredResponse {
  id: string;
  body: string;
}

export type { FundConfigInput, LiquidationRequest };
