/**
 * Storage of one MarketFund object: the SQLite schema, its versioned migrations and every statement, in one module.
 *
 * Amounts are stored as exact decimal TEXT on the asset grid (never REAL); the balance cached in `fund` always equals
 * the sum of `ledger.amount` and the last `ledger.balance_after` (the ledger is append-only: no UPDATE or DELETE on
 * it exists in this file). Idempotency records expire after IDEMPOTENCY_RETENTION_MS; ledger rows keep their key and
 * request digest forever, for audit.
 */
import { Decimal } from "../domain/num/decimal";
import type { LedgerEntryView, LedgerKind, LiquidationRecord, MarketView } from "./fund-rpc";
import { type Migration, applyMigrations, schemaVersion } from "./migrations";

/** How long a key replays its stored result: far longer than any client retry loop (Stripe keeps 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Peak balances are kept per minute bucket; the drawdown window is measured at this granularity. */
export const PEAK_BUCKET_MS = 60_000;
/**
 * A Durable Object's SQLite value is at most 2 MB; a JavaScript string char is at most 3 UTF-8 bytes (a surrogate
 * pair, 2 chars, is 4), so 512 Ki chars is at most 1.5 MB per row whatever the account ids contain.
 */
export const RESPONSE_CHUNK_CHARS = 512 * 1024;

type Sql = SqlStorage;


/** Ordered, append-only: a released migration is never edited; a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "market configuration, fund balance, append-only ledger, idempotency records",
    up(sql) {
      sql.exec(`CREATE TABLE market (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        market_id TEXT NOT NULL,
        config TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE fund (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        balance TEXT NOT NULL,
        adl_active INTEGER NOT NULL,
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        amount TEXT NOT NULL,
        balance_after TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        reference TEXT)`);
      sql.exec(`CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        operation TEXT NOT NULL,
        digest TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL)`);
    },
  },
  {
    version: 2,
    description: "request digest and liquidation reference on ledger rows, liquidation records, per-minute peak balances",
    up(sql) {
      sql.exec(`ALTER TABLE ledger ADD COLUMN request_digest TEXT NOT NULL DEFAULT ''`);
      sql.exec(`ALTER TABLE ledger ADD COLUMN liquidation_id TEXT`);
      // Rows written before v2 get the digest their key was stored with, while the key is still retained.
      sql.exec(`UPDATE ledger SET request_digest = COALESCE((SELECT digest FROM idempotency i WHERE i.key = ledger.idempotency_key), '')`);
      sql.exec(`CREATE INDEX idempotency_by_age ON idempotency (created_at)`);
      sql.exec(`CREATE TABLE liquidations (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL,
        record TEXT NOT NULL,
        created_at INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE balance_peaks (bucket INTEGER PRIMARY KEY, max_balance TEXT NOT NULL)`);
      // Backfill peaks from the ledger: each bucket's highest balance before or after any of its entries.
      const peaks = new Map<number, Decimal>();
      for (const row of sql.exec<{ amount: string; balance_after: string; created_at: number }>(
        `SELECT amount, balance_after, created_at FROM ledger ORDER BY seq`,
      )) {
        const after = new Decimal(row.balance_after);
        const before = after.minus(row.amount);
        const bucket = Math.floor(row.created_at / PEAK_BUCKET_MS);
        peaks.set(bucket, Decimal.max(peaks.get(bucket) ?? before, before, after));
      }
      for (const [bucket, max] of peaks) sql.exec(`INSERT INTO balance_peaks (bucket, max_balance) VALUES (?, ?)`, bucket, max.toFixed());
    },
  },
  {
    version: 3,
    description: "directory outbox: the market's registration in its tenant's directory, until the directory confirmed it",
    up(sql) {
      // One row at most: the newest configuration not yet confirmed by the TenantDirectory. Written in the same
      // transaction as the configuration, deleted once the directory acknowledged that version (durable retry).
      sql.exec(`CREATE TABLE directory_outbox (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        tenant_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        view TEXT NOT NULL)`);
    },
  },
  {
    version: 4,
    description: "complete stored responses (liquidations, batches), chunked under the 2 MB row limit; batch id on liquidations",
    up(sql) {
      // One response per owner id (a liquidation id or a batch id), split into ordered chunks of RESPONSE_CHUNK_CHARS.
      sql.exec(`CREATE TABLE stored_responses (
        owner_id TEXT NOT NULL,
        chunk INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (owner_id, chunk)) WITHOUT ROWID`);
      sql.exec(`ALTER TABLE liquidations ADD COLUMN batch_id TEXT`);
      sql.exec(`CREATE INDEX liquidations_by_age ON liquidations (created_at)`);
    },
  },
  {
    version: 5,
    description: "ledger indexes for the kind and time filters; when ADL last switched",
    up(sql) {
      // Both end in seq (the rowid): a kind's entries newest first, and the sequence range of a time range, are
      // each one index range, O(log n + page) whatever the ledger's size.
      sql.exec(`CREATE INDEX ledger_by_kind ON ledger (kind, seq)`);
      sql.exec(`CREATE INDEX ledger_by_time ON ledger (created_at, seq)`);
      // Liquidations newest first with a total order (time, then id): keyset pages are one index range.
      sql.exec(`CREATE INDEX liquidations_by_time_id ON liquidations (created_at, id)`);
      // NULL for funds that existed before: their last switch was not recorded.
      sql.exec(`ALTER TABLE fund ADD COLUMN adl_since INTEGER`);
    },
  },
  {
    version: 6,
    description: "webhook outbox: events written in the transaction of the ledger change that caused them",
    up(sql) {
      sql.exec(`CREATE TABLE webhook_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        tenant TEXT NOT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL)`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export { schemaVersion };

/** Applies every migration above the recorded version, each in its own transaction with its version bump. */
export function migrate(storage: DurableObjectStorage, target = SCHEMA_VERSION): { from: number; to: number } {
  return applyMigrations(storage, MIGRATIONS, target);
}

export interface MarketRow {
  market_id: string;
  config: string;
  version: number;
  created_at: number;
  updated_at: number;
}
export interface FundRow {
  balance: string;
  adl_active: number;
  version: number;
  updated_at: number;
  adl_since: number | null;
}
export interface IdempotencyRow {
  operation: string;
  digest: string;
  response: string;
  created_at: number;
}
interface LedgerRow {
  seq: number;
  kind: string;
  amount: string;
  balance_after: string;
  idempotency_key: string;
  request_digest: string;
  liquidation_id: string | null;
  reference: string | null;
  created_at: number;
}

export interface NewEntry {
  kind: LedgerKind;
  amount: Decimal;
  balanceAfter: Decimal;
  idempotencyKey: string;
  requestDigest: string;
  liquidationId: string | null;
  reference: string | null;
  now: number;
}

type LedgerDbRow = LedgerRow & Record<string, string | number | null>;

export function entryView(r: LedgerRow): LedgerEntryView {
  return {
    entryId: String(r.seq),
    sequence: r.seq,
    kind: r.kind as LedgerKind,
    amount: r.amount,
    balanceAfter: r.balance_after,
    idempotencyKey: r.idempotency_key,
    requestDigest: r.request_digest,
    liquidationId: r.liquidation_id,
    reference: r.reference,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const Q = {
  market: `SELECT market_id, config, version, created_at, updated_at FROM market WHERE id = 1`,
  upsertMarket: `INSERT INTO market (id, market_id, config, version, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET market_id = excluded.market_id, config = excluded.config, version = excluded.version, updated_at = excluded.updated_at`,
  fund: `SELECT balance, adl_active, version, updated_at, adl_since FROM fund WHERE id = 1`,
  // adl_since: when adl_active took its current value (the row's creation, or the last switch).
  upsertFund: `INSERT INTO fund (id, balance, adl_active, version, updated_at, adl_since) VALUES (1, ?, ?, ?, ?, ?4)
    ON CONFLICT (id) DO UPDATE SET balance = excluded.balance, adl_active = excluded.adl_active, version = excluded.version, updated_at = excluded.updated_at,
      adl_since = CASE WHEN fund.adl_active = excluded.adl_active THEN fund.adl_since ELSE excluded.updated_at END`,
  idem: `SELECT operation, digest, response, created_at FROM idempotency WHERE key = ?`,
  insertIdem: `INSERT INTO idempotency (key, operation, digest, response, created_at) VALUES (?, ?, ?, ?, ?)`,
  pruneIdem: `DELETE FROM idempotency WHERE created_at < ?`,
  appendEntry: `INSERT INTO ledger (kind, amount, balance_after, idempotency_key, request_digest, liquidation_id, reference, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  entriesBefore: `SELECT * FROM ledger WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
  // One lower and one upper bound only: given two upper bounds (seq < cursor AND seq <= hi) SQLite seeks on one and
  // filters by the other, and when it seeks on hi every page scans down from the top of the ledger to its cursor
  // (paging 1,000,000 entries took minutes: bench/read-scale.mjs). The caller folds the cursor into hi.
  entriesIn: `SELECT * FROM ledger WHERE seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT ?`,
  entriesOfKindIn: `SELECT * FROM ledger INDEXED BY ledger_by_kind WHERE kind = ? AND seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT ?`,
  // Entry times never decrease along the sequence (append clamps them), so a time bound is a sequence bound.
  firstSeqAtOrAfter: `SELECT seq FROM ledger INDEXED BY ledger_by_time WHERE created_at >= ? ORDER BY created_at, seq LIMIT 1`,
  lastSeqBefore: `SELECT seq FROM ledger INDEXED BY ledger_by_time WHERE created_at < ? ORDER BY created_at DESC, seq DESC LIMIT 1`,
  lastEntryTime: `SELECT created_at FROM ledger ORDER BY seq DESC LIMIT 1`,
  balanceAt: `SELECT balance_after FROM ledger WHERE seq = ?`,
  historyRows: `SELECT balance_after, created_at FROM ledger WHERE seq BETWEEN ? AND ? ORDER BY seq`,
  // Sequences are dense (append-only, and a rolled-back insert rolls back its sequence too): MAX is the count, O(log n).
  entryCount: `SELECT COALESCE(MAX(seq), 0) AS n FROM ledger`,
  allEntries: `SELECT amount, balance_after FROM ledger ORDER BY seq`,
  liquidationsBefore: `SELECT id, record, batch_id FROM liquidations INDEXED BY liquidations_by_time_id
    WHERE created_at < ?1 OR (created_at = ?1 AND id < ?2) ORDER BY created_at DESC, id DESC LIMIT ?3`,
  insertLiquidation: `INSERT INTO liquidations (id, idempotency_key, record, created_at, batch_id) VALUES (?, ?, ?, ?, ?)`,
  insertResponseChunk: `INSERT INTO stored_responses (owner_id, chunk, body) VALUES (?, ?, ?)`,
  responseChunks: `SELECT body FROM stored_responses WHERE owner_id = ? ORDER BY chunk`,
  peaksSince: `SELECT bucket, max_balance FROM balance_peaks WHERE bucket >= ?`,
  upsertPeak: `INSERT INTO balance_peaks (bucket, max_balance) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET max_balance = excluded.max_balance`,
  prunePeaks: `DELETE FROM balance_peaks WHERE bucket < ?`,
  queueDirectory: `INSERT INTO directory_outbox (id, tenant_id, version, view) VALUES (1, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, version = excluded.version, view = excluded.view`,
  directoryOutbox: `SELECT tenant_id, version, view FROM directory_outbox WHERE id = 1`,
  // Only the confirmed version: a newer configuration queued meanwhile stays queued.
  clearDirectoryOutbox: `DELETE FROM directory_outbox WHERE id = 1 AND version = ?`,
  insertOutbox: `INSERT INTO webhook_outbox (event_id, tenant, type, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING seq`,
  outboxHead: `SELECT seq, event_id, tenant, type, body, created_at FROM webhook_outbox ORDER BY seq LIMIT ?`,
  outboxForget: `DELETE FROM webhook_outbox WHERE seq <= ?`,
  outboxCount: `SELECT COUNT(*) AS n FROM webhook_outbox`,
} as const;

/** The named statements, for tests that check their query plans and the rows each reads. */
export const FUND_STATEMENTS = Q;

/** An event waiting in the outbox to be forwarded to the tenant's webhooks object. */
export interface OutboxRow {
  seq: number;
  event_id: string;
  tenant: string;
  type: string;
  body: string;
  created_at: number;
}

/** Named statements over one object's database. Callers wrap check-then-write sequences in transactionSync. */
export class FundStore {
  constructor(private readonly sql: Sql) {}

  market(): MarketRow | null {
    return this.sql.exec<MarketRow & Record<string, string | number>>(Q.market).toArray()[0] ?? null;
  }
  putMarket(marketId: string, config: string, version: number, createdAt: number, updatedAt: number): void {
    this.sql.exec(Q.upsertMarket, marketId, config, version, createdAt, updatedAt);
  }
  fund(): FundRow | null {
    return this.sql.exec<FundRow & Record<string, string | number>>(Q.fund).toArray()[0] ?? null;
  }
  putFund(balance: Decimal, adlActive: boolean, version: number, updatedAt: number): void {
    this.sql.exec(Q.upsertFund, balance.toFixed(), adlActive ? 1 : 0, version, updatedAt);
  }
  idempotency(key: string): IdempotencyRow | null {
    return this.sql.exec<IdempotencyRow & Record<string, string | number>>(Q.idem, key).toArray()[0] ?? null;
  }
  remember(key: string, operation: string, digest: string, response: unknown, now: number): void {
    this.sql.exec(Q.insertIdem, key, operation, digest, JSON.stringify(response), now);
  }
  /** Forgets keys older than the retention period (indexed by age, so a no-op costs one index probe). */
  prune(now: number): void {
    this.sql.exec(Q.pruneIdem, now - IDEMPOTENCY_RETENTION_MS);
  }
  /**
   * Appends one entry. Its time is the later of `now` and the previous entry's time: a clock that steps back never
   * makes the ledger's time order differ from its sequence order (the time filters rely on it).
   */
  append(e: NewEntry): LedgerEntryView {
    const prev = this.sql.exec<{ created_at: number }>(Q.lastEntryTime).toArray()[0]?.created_at ?? e.now;
    const at = Math.max(e.now, prev);
    const { seq } = this.sql
      .exec<{ seq: number }>(Q.appendEntry, e.kind, e.amount.toFixed(), e.balanceAfter.toFixed(), e.idempotencyKey, e.requestDigest, e.liquidationId, e.reference, at)
      .one();
    return entryView({
      seq,
      kind: e.kind,
      amount: e.amount.toFixed(),
      balance_after: e.balanceAfter.toFixed(),
      idempotency_key: e.idempotencyKey,
      request_digest: e.requestDigest,
      liquidation_id: e.liquidationId,
      reference: e.reference,
      created_at: at,
    });
  }
  /** Newest first, entries with sequence < beforeSeq. */
  entriesBefore(beforeSeq: number, limit: number): LedgerEntryView[] {
    return this.sql.exec<LedgerRow & Record<string, string | number | null>>(Q.entriesBefore, beforeSeq, limit).toArray().map(entryView);
  }
  /** Newest first: entries with lo <= sequence <= hi and sequence < beforeSeq, of `kind` if given. */
  entriesIn(beforeSeq: number, lo: number, hi: number, limit: number, kind: LedgerKind | null): LedgerEntryView[] {
    const top = Math.min(hi, beforeSeq - 1);
    const rows = kind === null ? this.sql.exec<LedgerDbRow>(Q.entriesIn, lo, top, limit) : this.sql.exec<LedgerDbRow>(Q.entriesOfKindIn, kind, lo, top, limit);
    return rows.toArray().map(entryView);
  }
  /** Sequence of the first entry created at or after `ms`, null if none. */
  firstSeqAtOrAfter(ms: number): number | null {
    return this.sql.exec<{ seq: number }>(Q.firstSeqAtOrAfter, ms).toArray()[0]?.seq ?? null;
  }
  /** Sequence of the last entry created before `ms`, null if none. */
  lastSeqBefore(ms: number): number | null {
    return this.sql.exec<{ seq: number }>(Q.lastSeqBefore, ms).toArray()[0]?.seq ?? null;
  }
  balanceAfter(seq: number): string | null {
    return this.sql.exec<{ balance_after: string }>(Q.balanceAt, seq).toArray()[0]?.balance_after ?? null;
  }
  /** Entries lo..hi in ledger order, read row by row from SQLite's cursor (never the whole range in memory). */
  *historyRows(lo: number, hi: number): Generator<{ balanceAfter: string; at: number }> {
    for (const r of this.sql.exec<{ balance_after: string; created_at: number }>(Q.historyRows, lo, hi)) yield { balanceAfter: r.balance_after, at: r.created_at };
  }
  entryCount(): number {
    return this.sql.exec<{ n: number }>(Q.entryCount).one().n;
  }
  allEntries(): { amount: string; balance_after: string }[] {
    return this.sql.exec<{ amount: string; balance_after: string }>(Q.allEntries).toArray();
  }
  recordLiquidation(id: string, key: string, record: unknown, now: number, batchId: string | null = null): void {
    this.sql.exec(Q.insertLiquidation, id, key, JSON.stringify(record), now, batchId);
  }
  /** Newest first: liquidations before (createdAt, id) in the order (created_at DESC, id DESC). */
  liquidationsBefore(createdAt: number, id: string, limit: number): { id: string; record: LiquidationRecord; batchId: string | null }[] {
    return this.sql
      .exec<{ id: string; record: string; batch_id: string | null }>(Q.liquidationsBefore, createdAt, id, limit)
      .toArray()
      .map((r) => ({ id: r.id, record: JSON.parse(r.record) as LiquidationRecord, batchId: r.batch_id }));
  }
  /** Stores a complete response body (JSON text) under its liquidation or batch id, in chunks under the row limit. */
  putResponse(ownerId: string, body: string): void {
    let chunk = 0;
    let i = 0;
    do {
      let end = Math.min(body.length, i + RESPONSE_CHUNK_CHARS);
      // Never cut a surrogate pair: each half alone is not valid UTF-8 text and SQLite would replace it.
      const last = body.charCodeAt(end - 1);
      if (end < body.length && last >= 0xd800 && last <= 0xdbff) end--;
      this.sql.exec(Q.insertResponseChunk, ownerId, chunk++, body.slice(i, end));
      i = end;
    } while (i < body.length);
  }
  /** The stored response of a liquidation (or batch) id, exactly as first returned; null if none is stored. */
  response(ownerId: string): string | null {
    const parts = this.sql.exec<{ body: string }>(Q.responseChunks, ownerId).toArray();
    return parts.length === 0 ? null : parts.map((p) => p.body).join("");
  }
  peaksSince(bucket: number): Map<number, Decimal> {
    const out = new Map<number, Decimal>();
    for (const r of this.sql.exec<{ bucket: number; max_balance: string }>(Q.peaksSince, bucket)) out.set(r.bucket, new Decimal(r.max_balance));
    return out;
  }
  putPeak(bucket: number, max: Decimal): void {
    this.sql.exec(Q.upsertPeak, bucket, max.toFixed());
  }
  prunePeaks(beforeBucket: number): void {
    this.sql.exec(Q.prunePeaks, beforeBucket);
  }
  /** Queues `view` for the tenant's directory (inside the transaction that stores the configuration). */
  queueDirectory(tenantId: string, view: MarketView): void {
    this.sql.exec(Q.queueDirectory, tenantId, view.version, JSON.stringify(view));
  }
  directoryOutbox(): { tenantId: string; view: MarketView } | null {
    const r = this.sql.exec<{ tenant_id: string; version: number; view: string }>(Q.directoryOutbox).toArray()[0];
    return r ? { tenantId: r.tenant_id, view: JSON.parse(r.view) as MarketView } : null;
  }
  clearDirectoryOutbox(version: number): void {
    this.sql.exec(Q.clearDirectoryOutbox, version);
  }
  /** Inside the transaction of the ledger change that caused the event. */
  appendOutbox(eventId: string, tenant: string, type: string, body: string, now: number): number {
    return this.sql.exec<{ seq: number }>(Q.insertOutbox, eventId, tenant, type, body, now).one().seq;
  }
  /** The oldest events not yet forwarded, in order. */
  outboxHead(limit: number): OutboxRow[] {
    return this.sql.exec<OutboxRow & Record<string, string | number>>(Q.outboxHead, limit).toArray();
  }
  /** Forgets forwarded events (the webhooks object holds them now, idempotent by event id). */
  outboxForget(throughSeq: number): void {
    this.sql.exec(Q.outboxForget, throughSeq);
  }
  outboxCount(): number {
    return this.sql.exec<{ n: number }>(Q.outboxCount).one().n;
  }
}
