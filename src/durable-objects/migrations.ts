/**
 * Versioned SQLite migrations for a Durable Object's database: one `schema_meta` row records the version, and each
 * migration runs in its own transaction together with its version bump, so a crash leaves the database at a version
 * boundary. Shared by every object class (each passes its own ordered list).
 */
export interface Migration {
  version: number;
  description: string;
  up(sql: SqlStorage): void;
}

/** Schema version recorded in the database (0 for a new object). */
export function schemaVersion(sql: SqlStorage): number {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`);
  const row = sql.exec<{ version: number }>(`SELECT version FROM schema_meta WHERE id = 1`).toArray()[0];
  return row?.version ?? 0;
}

/** Applies every migration above the recorded version and at most `target`. */
export function applyMigrations(storage: DurableObjectStorage, migrations: readonly Migration[], target: number): { from: number; to: number } {
  const from = storage.transactionSync(() => schemaVersion(storage.sql));
  let current = from;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    storage.transactionSync(() => {
      m.up(storage.sql);
      storage.sql.exec(`INSERT INTO schema_meta (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version`, m.version);
    });
    current = m.version;
  }
  return { from, to: current };
}
