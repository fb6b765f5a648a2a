import { DurableObject } from "cloudflare:workers";
import { Decimal, ONE, ZERO, parsePositive, ratioToWire, toWire } from "../domain/num/decimal";
import { type FundConfig, type FundConfigInput, type FundConfigWire, fundConfigFromWire, fundConfigToWire, parseFundConfig, peakWindowMs } from "../domain/fund/config";
import { drawCapacity, drawdownRatio, effectiveFloor, nextAdlActive } from "../domain/fund/trigger";
import type { FundState } from "../domain/fund/trigger";
import {
  type BatchRequest,
  type LiquidationOutcome,
  type LiquidationRequest,
  batchResponseJson,
  batchTailJson,
  type LiquidationWire,
  completeFromDecision,
  decisionFromWire,
  liquidate,
  liquidateBatch,
  liquidationResult,
  outcomeToWire,
} from "../domain/liquidation";
import { DomainError } from "../domain/types";
import type { Side } from "../domain/vocabulary";
import type {
  AuditView,
  FundView,
  LedgerEntryView,
  AdlAlertView,
  LiquidationPage,
  HistoryView,
  LedgerFilter,
  LedgerKind,
  LedgerPage,
  LiquidationRecord,
  MarketView,
  Mutation,
  RpcProblem,
  RpcResult,
  StoredResponse,
  TransferInput,
  TransferResult,
} from "./fund-rpc";
import { DEFAULT_HISTORY_BUCKETS, LEDGER_KINDS } from "./fund-rpc";
import { HISTORY_INTERVALS, type HistoryInterval, MAX_HISTORY_BUCKETS, alignDown, alignUp, fundHistory } from "../domain/fund/history";
import { FundStore, PEAK_BUCKET_MS, migrate } from "./fund-store";
import { forwardOutbox, recordEvents, tenantOf } from "./fund-outbox";
import type { FundSnapshot, LiquidationFacts } from "../domain/webhooks/events";
import { MAX_WINDOW_MS } from "../domain/fund/config";
import { directoryStub } from "./directory-rpc";
import { objectLog } from "./object-log";
import type { TenantDirectory } from "./tenant-directory";
import type { WebhookHub } from "./webhook-hub";

/** How soon a failed directory registration is retried by the alarm (the runtime also retries a failing alarm). */
const DIRECTORY_RETRY_MS = 30_000;

interface LoadedMarket {
  marketId: string;
  config: FundConfig;
  wire: FundConfigWire;
  version: number;
  createdAt: number;
  updatedAt: number;
}
interface LoadedFund {
  balance: Decimal;
  adlActive: boolean;
  version: number;
  updatedAt: number;
}

/** `liquidation`: the facts a liquidation's webhook events carry (written to the outbox with the ledger change). */
type Outcome<T> = { ok: true; value: T; liquidations?: LiquidationFacts[] } | { ok: false; problem: RpcProblem };
/** How a mutation's result is kept under its idempotency key when it is not stored as is. */
interface StoredCodec<T> {
  store(value: T): unknown;
  load(stored: unknown): T;
}

const iso = (ms: number) => new Date(ms).toISOString();
const problem = (slug: RpcProblem["slug"], detail: string, extra?: RpcProblem["extra"]): { ok: false; problem: RpcProblem } => ({
  ok: false,
  problem: { slug, detail, ...(extra ? { extra } : {}) },
});

/**
 * Insurance fund and ledger of one (tenant, market). The RPC methods below are the whole surface; each mutation is
 * one synchronous SQLite transaction (check idempotency key, validate, write ledger + balance + key), so concurrent
 * calls cannot interleave inside it and a failed one leaves nothing behind. The clock is read here and passed down.
 */
/** What a webhook event says about one booked liquidation (the fund decision's figures, as wire strings). */
function liquidationFacts(liquidationId: string, outcome: LiquidationWire, position: { side: Side; size: string }): LiquidationFacts {
  const d = outcome.decision;
  return {
    ...{ liquidationId, accountId: outcome.accountId, side: position.side, size: position.size, bankruptcyPrice: d.bankruptcyPrice, adlPrice: outcome.adl.price, adlQuantity: d.adlQuantity },
    ...{ fundDrawn: d.fund.drawn, fundCredited: d.fund.credited, socializedLoss: outcome.settlement.socializedLoss, unfilledQuantity: outcome.settlement.unfilledQuantity },
  };
}

/**
 * The bindings this object uses, named here rather than taken from src/env.ts: env.ts names this class, so importing
 * it back would be an import circle. The Worker's `Bindings` has every one of them.
 */
export interface MarketFundEnv {
  WEBHOOK_HUB: DurableObjectNamespace<WebhookHub>;
  TENANT_DIRECTORY: DurableObjectNamespace<TenantDirectory>;
  LOG_LEVEL?: string;
}

export class MarketFund extends DurableObject<MarketFundEnv> {
  private readonly store: FundStore;
  private market: LoadedMarket | null = null;
  private fund: LoadedFund | null = null;
  /** Highest balance per minute bucket, for the drawdown window (mirrors balance_peaks). */
  private peaks = new Map<number, Decimal>();

  constructor(ctx: DurableObjectState, env: MarketFundEnv) {
    super(ctx, env);
    migrate(ctx.storage);
    this.store = new FundStore(ctx.storage.sql);
    this.load();
  }

  /** (Re)reads the cached state from storage: at start-up and after any failed transaction. */
  private load(): void {
    const m = this.store.market();
    if (m) {
      const wire = JSON.parse(m.config) as FundConfigWire;
      this.market = { marketId: m.market_id, config: fundConfigFromWire(wire), wire, version: m.version, createdAt: m.created_at, updatedAt: m.updated_at };
    } else this.market = null;
    const f = this.store.fund();
    this.fund = f ? { balance: new Decimal(f.balance), adlActive: f.adl_active === 1, version: f.version, updatedAt: f.updated_at } : null;
    this.peaks = this.store.peaksSince(Math.floor((Date.now() - MAX_WINDOW_MS) / PEAK_BUCKET_MS));
  }

  // ---- reads ----

  async getMarket(): Promise<MarketView | null> {
    return this.market ? this.marketView(this.market) : null;
  }

  async getFund(): Promise<Outcome<FundView>> {
    const m = this.market;
    const f = this.fund;
    if (!m || !f) return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
    const windowMs = peakWindowMs(m.config.trigger);
    const peak = this.peakWithin(windowMs, Date.now(), f.balance);
    const ratio = drawdownRatio(f.balance, peak);
    return {
      ok: true,
      value: {
        marketId: m.marketId,
        asset: m.config.settlementAsset,
        balance: toWire(f.balance),
        floor: toWire(m.config.floor),
        peakBalance: toWire(peak),
        peakWindowMs: windowMs,
        drawdownRatio: ratio ? ratioToWire(ratio) : null,
        adlActive: f.adlActive,
        adlTrigger: m.wire.adlTrigger,
        version: f.version,
        ledgerEntries: this.store.entryCount(),
        updatedAt: iso(f.updatedAt),
      },
    };
  }

  /**
   * Newest first: entries with sequence < beforeSequence (omit for the newest) that pass `filter`. A time range is
   * turned into a sequence range (entry times never decrease along the sequence), and each kind is one index range,
   * so a page costs O(log n + limit) however large the ledger and however rare the kind.
   */
  async ledger(beforeSequence: number | null, limit: number, filter: LedgerFilter = {}): Promise<Outcome<LedgerPage>> {
    if (!this.market) return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
    const before = beforeSequence ?? Number.MAX_SAFE_INTEGER;
    const lo = filter.fromMs === undefined ? 1 : (this.store.firstSeqAtOrAfter(filter.fromMs) ?? Number.MAX_SAFE_INTEGER);
    const hi = filter.toMs === undefined ? Number.MAX_SAFE_INTEGER : (this.store.lastSeqBefore(filter.toMs) ?? 0);
    const kinds = filter.kinds && new Set(filter.kinds).size < LEDGER_KINDS.length ? [...new Set(filter.kinds)] : null;
    let rows: LedgerEntryView[];
    if (lo > hi) rows = [];
    else if (!kinds) rows = this.store.entriesIn(before, lo, hi, limit + 1, null);
    // Several kinds: merge each kind's newest limit + 1 (already in sequence order) and keep the newest limit + 1.
    else rows = kinds.flatMap((k) => this.store.entriesIn(before, lo, hi, limit + 1, k)).sort((a, b) => b.sequence - a.sequence).slice(0, limit + 1);
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    return { ok: true, value: { entries, nextCursor: rows.length > limit && last ? String(last.sequence) : null } };
  }

  /**
   * The fund's balance history over [fromMs, toMs) in `interval` buckets (src/domain/fund/history.ts), read from the
   * ledger row by row: O(entries in the range) time, O(buckets) memory. The range is aligned outwards to the
   * interval and defaults to the DEFAULT_HISTORY_BUCKETS intervals ending now (before the first entry the balance is
   * 0); more than MAX_HISTORY_BUCKETS buckets is refused.
   */
  async history(interval: HistoryInterval, fromMs?: number, toMs?: number): Promise<Outcome<HistoryView>> {
    const m = this.market;
    if (!m) return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
    const step = HISTORY_INTERVALS[interval];
    const end = alignUp(toMs ?? Date.now() + 1, step);
    const start = fromMs === undefined ? end - DEFAULT_HISTORY_BUCKETS * step : alignDown(fromMs, step);
    if ((end - start) / step > MAX_HISTORY_BUCKETS) {
      const detail = `the range holds ${(end - start) / step} ${interval} buckets, more than ${MAX_HISTORY_BUCKETS}`;
      return { ok: false, problem: { slug: "validation-error", detail: `At most ${MAX_HISTORY_BUCKETS} buckets per request; narrow from/to or use a longer interval`, errors: [{ pointer: "#query/from", code: "too_many_buckets", detail }] } };
    }
    const before = this.store.lastSeqBefore(start);
    const opening = before === null ? "0" : (this.store.balanceAfter(before) ?? "0");
    const lo = (before ?? 0) + 1;
    const hi = this.store.lastSeqBefore(end) ?? 0;
    const buckets = fundHistory(opening, lo <= hi ? this.store.historyRows(lo, hi) : [], start, end, step);
    return {
      ok: true,
      value: {
        marketId: m.marketId,
        asset: m.config.settlementAsset,
        interval,
        from: iso(start),
        to: iso(end),
        buckets: buckets.map((b) => ({ ...b, start: iso(b.start) })),
      },
    };
  }

  /** The ADL state and the exact figures that decide it (src/domain/fund/trigger.ts), as of now. */
  async adlAlert(): Promise<Outcome<AdlAlertView>> {
    const m = this.market;
    const f = this.fund;
    if (!m || !f) return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
    const now = Date.now();
    const t = m.config.trigger;
    const windowMs = peakWindowMs(t);
    const peak = this.peakWithin(windowMs, now, f.balance);
    const ratio = drawdownRatio(f.balance, peak);
    // Thresholds as balances, exact products (the rule compares balance <= peak*(1-ratio) the same way).
    const at = (r: Decimal) => peak.times(ONE.minus(r));
    const since = this.store.fund()?.adl_since ?? null;
    return {
      ok: true,
      value: {
        marketId: m.marketId,
        asset: m.config.settlementAsset,
        rule: t.rule,
        adlActive: f.adlActive,
        since: since === null ? null : iso(since),
        balance: toWire(f.balance),
        peakBalance: toWire(peak),
        peakWindowMs: windowMs,
        drawdownRatio: ratio ? ratioToWire(ratio) : null,
        triggerRatio: t.rule === "drawdown" ? toWire(t.triggerRatio) : null,
        stopRatio: t.rule === "drawdown" ? toWire(t.stopRatio) : null,
        floor: toWire(m.config.floor),
        triggerBalance: toWire(t.rule === "drawdown" ? at(t.triggerRatio) : m.config.floor),
        stopBalance: toWire(t.rule === "drawdown" ? at(t.stopRatio) : m.config.floor),
        effectiveFloor: toWire(effectiveFloor(m.config, peak)),
        drawCapacity: toWire(drawCapacity(m.config, f.balance, peak, f.adlActive)),
        asOf: iso(now),
      },
    };
  }

  /** Balance against the ledger: sum of amounts, and each balance_after equal to the running sum. */
  async audit(): Promise<AuditView> {
    let sum = ZERO;
    let chainOk = true;
    let last: string | null = null;
    const rows = this.store.allEntries();
    for (const r of rows) {
      sum = sum.plus(r.amount);
      if (!sum.eq(r.balance_after)) chainOk = false;
      last = r.balance_after;
    }
    return { balance: toWire(this.fund?.balance ?? ZERO), ledgerSum: toWire(sum), entries: rows.length, lastBalanceAfter: last, balanceAfterChainOk: chainOk };
  }

  // ---- mutations ----

  /**
   * Creates or replaces the configuration, and registers it in `tenantId`'s directory (GET /v1/markets) before
   * answering. The registration is queued in the configuration's own transaction (directory_outbox) and confirmed
   * afterwards; if the directory call fails, this throws (the client sees a 5xx and may retry with the same key,
   * which replays and registers again) and an alarm keeps retrying. So a 2xx means stored and listed, and a stored
   * configuration is listed eventually even if no client ever retries.
   */
  async putMarket(m: Mutation, input: FundConfigInput, tenantId: string): Promise<RpcResult<MarketView>> {
    const res = this.mutate(m, "put-market", (now) => {
      const config = parseFundConfig(input);
      const wire = fundConfigToWire(config);
      const prev = this.market;
      if (prev && this.store.entryCount() > 0) {
        for (const k of ["settlementAsset", "amountDecimals", "contractType"] as const) {
          if (prev.wire[k] !== wire[k]) {
            return problem("conflict", `${k} cannot change once the fund has ledger entries (was ${JSON.stringify(prev.wire[k])})`, { field: k });
          }
        }
      }
      const next: LoadedMarket = { marketId: m.marketId, config, wire, version: (prev?.version ?? 0) + 1, createdAt: prev?.createdAt ?? now, updatedAt: now };
      this.store.putMarket(next.marketId, JSON.stringify(wire), next.version, next.createdAt, next.updatedAt);
      this.store.queueDirectory(tenantId, this.marketView(next));
      this.market = next;
      const f = this.fund ?? { balance: ZERO, adlActive: false, version: 0, updatedAt: now };
      const peak = this.peakWithin(peakWindowMs(config.trigger), now, f.balance);
      const adlActive = nextAdlActive(config, f.adlActive, f.balance, peak);
      if (!this.fund || adlActive !== f.adlActive) {
        this.fund = { ...f, adlActive, updatedAt: now };
        this.store.putFund(f.balance, adlActive, f.version, now);
      }
      return { ok: true, value: this.marketView(next) };
    });
    // A replay too: its first attempt may have stored the configuration and then failed to register it.
    if (res.ok) await this.syncDirectory();
    return res;
  }

  /**
   * The one alarm serves two durable duties: retrying the directory registration (see putMarket) and forwarding the
   * webhook outbox. Neither blocks the other; a failure is rethrown so the runtime retries (both are idempotent).
   */
  override async alarm(): Promise<void> {
    const results = await Promise.allSettled([this.syncDirectory(), this.forwardWebhooks()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  async deposit(m: Mutation, input: TransferInput): Promise<RpcResult<TransferResult>> {
    return this.mutate(m, "deposit", (now, market) => {
      const amount = parsePositive(input.amount, "/amount", market.config.amountDecimals);
      const entry = this.applyEntry(market, "deposit", amount, m, null, input.reference ?? null, now);
      return { ok: true, value: { entry, balance: entry.balanceAfter, asset: market.config.settlementAsset } };
    });
  }

  async withdraw(m: Mutation, input: TransferInput): Promise<RpcResult<TransferResult>> {
    return this.mutate(m, "withdrawal", (now, market) => {
      const amount = parsePositive(input.amount, "/amount", market.config.amountDecimals);
      const balance = this.fund!.balance;
      const floor = market.config.floor;
      const after = balance.minus(amount);
      const facts = { balance: toWire(balance), floor: toWire(floor), available: toWire(Decimal.max(ZERO, balance.minus(floor))) };
      if (after.isNeg()) return problem("insufficient-funds", `Withdrawing ${toWire(amount)} would take the fund below zero`, facts);
      if (after.lt(floor) && input.allowBelowFloor !== true) {
        return problem("insufficient-funds", `Withdrawing ${toWire(amount)} would take the fund below its floor ${toWire(floor)}; set allowBelowFloor to force it`, facts);
      }
      const entry = this.applyEntry(market, "withdrawal", amount.neg(), m, null, input.reference ?? null, now);
      return { ok: true, value: { entry, balance: entry.balanceAfter, asset: market.config.settlementAsset } };
    });
  }

  /**
   * One liquidation, whole: the pure `liquidate` (fund decision, ADL plan, settlement, ledger entries) runs inside
   * this object's transaction against the balance only it knows, its entries are booked, and the complete response
   * is stored, so a replay returns these exact bytes without re-planning (and GET by id can read them).
   * `expectedMarketVersion`, when given, is the configuration the caller validated against: a different current
   * version answers `conflict` (a replay of a stored key is answered regardless).
   */
  async liquidate(m: Mutation, input: LiquidationRequest, expectedMarketVersion?: number): Promise<RpcResult<StoredResponse>> {
    return this.mutate(
      m,
      "liquidation",
      (now, market) => {
        if (expectedMarketVersion !== undefined && expectedMarketVersion !== market.version) {
          return problem("conflict", "Market configuration changed while the request was validated; retry", { marketVersion: market.version });
        }
        const outcome = liquidate(market.config, this.fundState(market, now), input);
        const liquidationId = `liq_${crypto.randomUUID()}`;
        const entries = this.bookLiquidation(market, outcome, m, liquidationId, now);
        const body = JSON.stringify(liquidationResult(outcome, { liquidationId, marketId: m.marketId, createdAt: iso(now) }, entries));
        const wire = outcomeToWire(outcome);
        const record: LiquidationRecord = { liquidationId, marketVersion: market.version, market: market.wire, decision: wire.decision, entries, createdAt: iso(now) };
        this.store.recordLiquidation(liquidationId, m.idempotencyKey, record, now);
        this.store.putResponse(liquidationId, body);
        return { ok: true, value: { id: liquidationId, body }, liquidations: [liquidationFacts(liquidationId, wire, input.liquidated)] };
      },
      {
        // The idempotency row points at the stored response (which may be far larger than one row may hold).
        store: (v) => ({ liquidationId: v.id }),
        load: (stored) => this.storedLiquidation(stored as { liquidationId: string } | LiquidationRecord, input),
      },
    );
  }

  /**
   * Every bankrupt position of a batch in this one transaction: the pure liquidateBatch (items in order, each on
   * the state the previous left), then each item booked like a single liquidation (own id, same entries) and stored
   * under its id; the batch response is assembled around the items' stored texts, so a replay rebuilds its bytes.
   */
  async liquidateBatch(m: Mutation, input: BatchRequest): Promise<RpcResult<StoredResponse & { liquidationIds: string[] }>> {
    return this.mutate(
      m,
      "liquidation-batch",
      (now, market) => {
        const outcome = liquidateBatch(market.config, this.fundState(market, now), input);
        const batchId = `lqb_${crypto.randomUUID()}`;
        const createdAt = iso(now);
        const liquidationIds: string[] = [];
        const facts: LiquidationFacts[] = [];
        const items = outcome.items.map((item, i) => {
          const liquidationId = `liq_${crypto.randomUUID()}`;
          const entries = this.bookLiquidation(market, item, m, liquidationId, now);
          const body = JSON.stringify(liquidationResult(item, { liquidationId, marketId: m.marketId, createdAt }, entries));
          const wire = outcomeToWire(item);
          const record: LiquidationRecord = { liquidationId, marketVersion: market.version, market: market.wire, decision: wire.decision, entries, createdAt };
          this.store.recordLiquidation(liquidationId, m.idempotencyKey, record, now, batchId);
          this.store.putResponse(liquidationId, body);
          liquidationIds.push(liquidationId);
          facts.push(liquidationFacts(liquidationId, wire, input.liquidated[i]!));
          return body;
        });
        const tail = batchTailJson(outcome, createdAt);
        this.store.putResponse(batchId, tail);
        return { ok: true, value: { id: batchId, body: batchResponseJson({ batchId, marketId: m.marketId }, items, tail), liquidationIds }, liquidations: facts };
      },
      {
        store: (v) => ({ batchId: v.id, liquidationIds: v.liquidationIds }),
        load: (stored) => {
          const { batchId, liquidationIds } = stored as { batchId: string; liquidationIds: string[] };
          const part = (id: string) => {
            const body = this.store.response(id);
            if (body === null) throw new Error(`stored response of ${id} is missing`);
            return body;
          };
          return { id: batchId, body: batchResponseJson({ batchId, marketId: m.marketId }, liquidationIds.map(part), part(batchId)), liquidationIds };
        },
      },
    );
  }

  /**
   * Newest first (createdAt, then liquidationId, both descending): a summary of each liquidation from its record;
   * the whole waterfall is GET by id. `cursor` is the previous page's nextCursor ("<epoch ms>_<liquidationId>").
   */
  async listLiquidations(cursor: { createdAt: number; id: string } | null, limit: number): Promise<Outcome<LiquidationPage>> {
    if (!this.market) return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
    // "~" sorts after every id character, so the first page starts at the newest row.
    const rows = this.store.liquidationsBefore(cursor?.createdAt ?? Number.MAX_SAFE_INTEGER, cursor?.id ?? "~", limit + 1);
    const page = rows.slice(0, limit);
    const items = page.map(({ record: r, batchId }) => ({
      liquidationId: r.liquidationId,
      createdAt: r.createdAt,
      batchId,
      marketVersion: r.marketVersion,
      bankruptcyPrice: r.decision.bankruptcyPrice,
      fund: r.decision.fund,
      adlQuantity: r.decision.adlQuantity,
      adlActiveAfter: r.decision.adlActiveAfter,
      ledgerEntryIds: r.entries.map((e) => e.entryId),
    }));
    const last = page[page.length - 1];
    return { ok: true, value: { liquidations: items, nextCursor: rows.length > limit && last ? `${Date.parse(last.record.createdAt)}_${last.id}` : null } };
  }

  /** A liquidation's stored response by id, exactly as its POST returned it; null if there is none. */
  async liquidationResponse(liquidationId: string): Promise<string | null> {
    return this.store.response(liquidationId);
  }

  // ---- internals ----

  /** The fund as a liquidation at `now` sees it: balance, peak within the trigger's window, ADL switch. */
  private fundState(market: LoadedMarket, now: number): FundState {
    const f = this.fund!;
    return { balance: f.balance, peakBalance: this.peakWithin(peakWindowMs(market.config.trigger), now, f.balance), adlActive: f.adlActive };
  }

  /**
   * The one place a liquidation's ledger entries are appended (inside the caller's transaction), with the check that
   * the booked balance is the one the pure decision computed.
   */
  private bookLiquidation(market: LoadedMarket, outcome: LiquidationOutcome, m: Mutation, liquidationId: string, now: number): LedgerEntryView[] {
    const entries = outcome.entries.map((e) => this.applyEntry(market, e.kind, e.amount, m, liquidationId, e.reference, now));
    const fund = this.fund!;
    if (!fund.balance.eq(outcome.decision.fund.balanceAfter)) throw new Error("ledger and decision disagree");
    if (fund.adlActive !== outcome.decision.adlActiveAfter) {
      fund.adlActive = outcome.decision.adlActiveAfter;
      this.store.putFund(fund.balance, fund.adlActive, fund.version, fund.updatedAt);
    }
    return entries;
  }

  /**
   * The replay of a stored liquidation key. Keys stored before responses were (schema v2) hold the fund decision
   * only: the same body re-derives the same fills from it against the configuration it was booked under.
   */
  private storedLiquidation(stored: { liquidationId: string } | LiquidationRecord, input: LiquidationRequest): StoredResponse {
    if (!("decision" in stored)) {
      const body = this.store.response(stored.liquidationId);
      if (body === null) throw new Error(`stored response of ${stored.liquidationId} is missing`);
      return { id: stored.liquidationId, body };
    }
    const rest = completeFromDecision(fundConfigFromWire(stored.market), input, decisionFromWire(stored.decision));
    const marketId = this.market?.marketId ?? "";
    return { id: stored.liquidationId, body: JSON.stringify(liquidationResult(rest, { liquidationId: stored.liquidationId, marketId, createdAt: stored.createdAt }, stored.entries)) };
  }

  /**
   * Sends the queued configuration to the tenant's directory and clears the queue for that version. An alarm is
   * armed first, so a failure here (or an eviction mid-call) is retried; registration is idempotent, so a retry
   * after a lost acknowledgement is harmless.
   */
  private async syncDirectory(): Promise<void> {
    const pending = this.store.directoryOutbox();
    if (!pending) return;
    const retryAt = Date.now() + DIRECTORY_RETRY_MS;
    const armed = await this.ctx.storage.getAlarm();
    // Never postpone an earlier alarm another duty may have set.
    if (armed === null || armed > retryAt) await this.ctx.storage.setAlarm(retryAt);
    await directoryStub(this.env, pending.tenantId).register(pending.view);
    this.store.clearDirectoryOutbox(pending.view.version);
  }

  /**
   * One idempotent mutation: the same key and digest replay the stored result; the same key with another operation
   * or body is refused; otherwise `run` validates and writes, and its result is stored under the key, all in one
   * transaction. Expected refusals (validation, insufficient funds) store nothing, so the key stays usable.
   */
  private mutate<T>(m: Mutation, operation: string, run: (now: number, market: LoadedMarket) => Outcome<T>, codec?: StoredCodec<T>): RpcResult<T> {
    const now = Date.now();
    let events = 0;
    try {
      const result = this.ctx.storage.transactionSync((): RpcResult<T> => {
        const prior = this.store.idempotency(m.idempotencyKey);
        if (prior) {
          if (prior.operation !== operation || prior.digest !== m.requestDigest) {
            return problem("idempotency-key-reused", `Idempotency-Key was already used for a different ${prior.operation === operation ? "request body" : `operation (${prior.operation})`}`, {
              firstUsedAt: iso(prior.created_at),
            });
          }
          const stored: unknown = JSON.parse(prior.response);
          return { ok: true, value: codec ? codec.load(stored) : (stored as T), replayed: true };
        }
        const market = this.market;
        if (!market && operation !== "put-market") return problem("not-found", "Market is not configured; PUT /v1/markets/{marketId} first");
        const before = this.snapshot();
        const lastSequence = this.store.entryCount();
        let out: Outcome<T>;
        try {
          out = run(now, market as LoadedMarket);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          // Validation happens before any write in every `run`, so there is nothing to undo.
          return { ok: false, problem: { slug: "validation-error", detail: `${e.issues.length} invalid field(s)`, errors: e.issues.map((i) => ({ pointer: i.pointer, code: i.code, detail: i.message })) } };
        }
        if (!out.ok) return out;
        events = this.recordWebhookEvents(operation, m, before, lastSequence, out.liquidations, now);
        this.store.remember(m.idempotencyKey, operation, m.requestDigest, codec ? codec.store(out.value) : out.value, now);
        this.store.prune(now);
        return { ok: true, value: out.value, replayed: false };
      });
      // Same synchronous turn as the commit, so the alarm is stored with the outbox rows (a restart still fires it).
      if (events > 0) {
        this.ctx.storage.setAlarm(now).catch((e: unknown) => objectLog(this.env, "error", "webhook-outbox-alarm", { message: String((e as Error)?.message ?? e) }));
      }
      return result;
    } catch (e) {
      // The transaction rolled back: drop cached state that may have run ahead of storage.
      this.load();
      throw e;
    }
  }

  /** Forwards the webhook outbox to the tenant's WebhookHub; retried in 5 s when the hub cannot be reached. */
  private async forwardWebhooks(): Promise<void> {
    try {
      if (await forwardOutbox(this.store, this.env)) await this.ctx.storage.setAlarm(Date.now());
    } catch (e) {
      // Rescheduled first: an object aborted meanwhile throws here and does not log at all (see object-log.ts).
      await this.ctx.storage.setAlarm(Date.now() + 5000);
      objectLog(this.env, "error", "webhook-outbox-forward", { message: String((e as Error)?.message ?? e) });
    }
  }

  /** Null before the market is first configured: its creation sets the initial state and emits no transition. */
  private snapshot(): FundSnapshot | null {
    if (!this.market || !this.fund) return null;
    return { balance: toWire(this.fund.balance), adlActive: this.fund.adlActive, floor: toWire(this.market.config.floor) };
  }

  /** The webhook events of a mutation that is about to commit, into the outbox in the same transaction. */
  private recordWebhookEvents(operation: string, m: Mutation, before: FundSnapshot | null, lastSequence: number, liquidations: LiquidationFacts[] | undefined, now: number): number {
    const market = this.market;
    const after = this.snapshot();
    if (!market || !before || !after) return 0;
    const count = this.store.entryCount();
    const ledgerSequences = Array.from({ length: count - lastSequence }, (_, i) => lastSequence + 1 + i);
    const transition = { marketId: m.marketId, asset: market.config.settlementAsset, before, after, ledgerSequences, liquidations, cause: { operation, idempotencyKey: m.idempotencyKey } };
    return recordEvents(this.store, tenantOf(this.ctx.id.name), transition, now);
  }

  /** Appends one ledger entry and moves the balance with it (inside the caller's transaction). */
  private applyEntry(market: LoadedMarket, kind: LedgerKind, amount: Decimal, m: Mutation, liquidationId: string | null, reference: string | null, now: number): LedgerEntryView {
    const f = this.fund!;
    const before = f.balance;
    const after = before.plus(amount);
    const entry = this.store.append({ kind, amount, balanceAfter: after, idempotencyKey: m.idempotencyKey, requestDigest: m.requestDigest, liquidationId, reference, now });
    this.notePeak(now, before, after);
    const peak = this.peakWithin(peakWindowMs(market.config.trigger), now, after);
    const adlActive = nextAdlActive(market.config, f.adlActive, after, peak);
    this.fund = { balance: after, adlActive, version: f.version + 1, updatedAt: now };
    this.store.putFund(after, adlActive, f.version + 1, now);
    return entry;
  }

  private notePeak(now: number, before: Decimal, after: Decimal): void {
    const bucket = Math.floor(now / PEAK_BUCKET_MS);
    const prev = this.peaks.get(bucket);
    const max = Decimal.max(prev ?? before, before, after);
    if (prev && prev.eq(max)) return;
    if (!prev) {
      const oldest = Math.floor((now - MAX_WINDOW_MS) / PEAK_BUCKET_MS);
      for (const b of this.peaks.keys()) if (b < oldest) this.peaks.delete(b);
      this.store.prunePeaks(oldest);
    }
    this.peaks.set(bucket, max);
    this.store.putPeak(bucket, max);
  }

  /** Highest balance in the buckets that start within the window, and the current balance. */
  private peakWithin(windowMs: number, now: number, current: Decimal): Decimal {
    const first = Math.floor((now - windowMs) / PEAK_BUCKET_MS);
    let peak = current;
    for (const [b, v] of this.peaks) if (b >= first && v.gt(peak)) peak = v;
    return peak;
  }

  private marketView(m: LoadedMarket): MarketView {
    return { marketId: m.marketId, ...m.wire, version: m.version, createdAt: iso(m.createdAt), updatedAt: iso(m.updatedAt) };
  }
}
