/**
 * Storage of one TenantDirectory object (one per tenant): the tenant's markets, in one module with its schema,
 * versioned migrations and statements. Durable Objects cannot be enumerated, so this table is the only way to list
 * a tenant's markets; each market object registers itself here (see MarketFund.syncDirectory).
 *
 * A row holds the market's configuration as last registered, with its version: registration is an idempotent
 * upsert that never replaces a newer version with an older one, so retries and out-of-order deliveries are safe.
 */
import type { MarketView } from "./fund-rpc";
import { type Migration, applyMigrations } from "./migrations";

export const DIRECTORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "the tenant's markets, keyed (and listed) by market id",
    up(sql) {
      sql.exec(`CREATE TABLE markets (
        market_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        view TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        registered_at INTEGER NOT NULL)`);
    },
  },
];

export const DIRECTORY_SCHEMA_VERSION = DIRECTORY_MIGRATIONS[DIRECTORY_MIGRATIONS.length - 1]!.version;

export function migrateDirectory(storage: DurableObjectStorage, target = DIRECTORY_SCHEMA_VERSION) {
  return applyMigrations(storage, DIRECTORY_MIGRATIONS, target);
}

const Q = {
  // market_id is ASCII ([A-Za-z0-9._-], checked by the route), so SQLite's BINARY collation is byte order = id order.
  register: `INSERT INTO markets (market_id, version, view, created_at, registered_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (market_id) DO UPDATE SET version = excluded.version, view = excluded.view, registered_at = excluded.registered_at
    WHERE excluded.version > markets.version`,
  after: `SELECT view FROM markets WHERE market_id > ? ORDER BY market_id LIMIT ?`,
  count: `SELECT COUNT(*) AS n FROM markets`,
} as const;

export class DirectoryStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Inserts or advances one market; an equal or older version is a no-op (idempotent retries). */
  register(view: MarketView, now: number): void {
    this.sql.exec(Q.register, view.marketId, view.version, JSON.stringify(view), Date.parse(view.createdAt), now);
  }
  /** Markets with id > `after` ("" for the first page), ascending by id. */
  after(after: string, limit: number): MarketView[] {
    return this.sql.exec<{ view: string }>(Q.after, after, limit).toArray().map((r) => JSON.parse(r.view) as MarketView);
  }
  count(): number {
    return this.sql.exec<{ n: number }>(Q.count).one().n;
  }
}
