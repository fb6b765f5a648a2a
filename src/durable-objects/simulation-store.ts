/**
 * Storage of one tenant's SimulationRuns object: schema, versioned migrations and every statement, in one module.
 *
 * A run is one row in `runs` (status, progress, idempotency key and request digest, expiry). Large texts (the request,
 * each chunk of path results, the final result) live in `blobs`, split into pieces below the 2 MB row limit of
 * Durable Object SQLite. A run is marked succeeded in the same transaction that stores its result, so a reader never
 * sees "succeeded" without the whole result (a crash before the commit leaves it running, then failed or resumed).
 */
/** A run's status, declared once (the schema's enum imports it). */
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Runs (request, partial and final results) are kept this long after creation, then deleted. */
export const RESULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Largest piece of a stored text (characters, well below the 2 MB value limit even as UTF-8 of ASCII JSON). */
export const BLOB_PIECE_CHARS = 1_000_000;

type Sql = SqlStorage;

interface Migration {
  version: number;
  description: string;
  up(sql: Sql): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "simulation runs, their blobs (request, chunk results, final result)",
    up(sql) {
      sql.exec(`CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL,
        chunks INTEGER NOT NULL,
        chunks_done INTEGER NOT NULL,
        paths INTEGER NOT NULL,
        paths_done INTEGER NOT NULL,
        error TEXT,
        attempt INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL)`);
      sql.exec(`CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC)`);
      sql.exec(`CREATE TABLE blobs (
        run_id TEXT NOT NULL,
        name TEXT NOT NULL,
        piece INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, name, piece))`);
    },
  },
  {
    version: 2,
    description: "the tenant of each run, for the watchdog that resumes a stalled run unread",
    up(sql) {
      sql.exec(`ALTER TABLE runs ADD COLUMN tenant TEXT`);
    },
  },
];

export type RunRow = {
  id: string;
  status: RunStatus;
  idempotency_key: string;
  digest: string;
  chunks: number;
  chunks_done: number;
  paths: number;
  paths_done: number;
  error: string | null;
  /** Workflow instances started for this run: 1, then one more per resume after a stall. */
  attempt: number;
  created_at: number;
  updated_at: number;
  expires_at: number;
  /** Null for runs stored before migration 2 (a read still resumes those). */
  tenant: string | null;
};

export class SimulationStore {
  constructor(private readonly sql: Sql) {}

  migrate(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
    const row = this.sql.exec<{ version: number }>(`SELECT version FROM schema_version`).toArray()[0];
    let current = row?.version ?? 0;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      m.up(this.sql);
      current = m.version;
    }
    this.sql.exec(`DELETE FROM schema_version`);
    this.sql.exec(`INSERT INTO schema_version (version) VALUES (?)`, current);
  }

  run(id: string): RunRow | null {
    return (this.sql.exec<RunRow>(`SELECT * FROM runs WHERE id = ?`, id).toArray()[0] as RunRow | undefined) ?? null;
  }

  runByKey(key: string): RunRow | null {
    return (this.sql.exec<RunRow>(`SELECT * FROM runs WHERE idempotency_key = ?`, key).toArray()[0] as RunRow | undefined) ?? null;
  }

  insertRun(r: RunRow): void {
    this.sql.exec(
      `INSERT INTO runs (id, status, idempotency_key, digest, chunks, chunks_done, paths, paths_done, error, attempt, created_at, updated_at, expires_at, tenant)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r.id, r.status, r.idempotency_key, r.digest, r.chunks, r.chunks_done, r.paths, r.paths_done, r.error, r.attempt, r.created_at, r.updated_at, r.expires_at, r.tenant,
    );
  }

  touch(id: string, now: number): void {
    this.sql.exec(`UPDATE runs SET updated_at = ? WHERE id = ?`, now, id);
  }

  nextAttempt(id: string, now: number): void {
    this.sql.exec(`UPDATE runs SET attempt = attempt + 1, updated_at = ? WHERE id = ?`, now, id);
  }

  hasBlob(id: string, name: string): boolean {
    return this.sql.exec(`SELECT 1 FROM blobs WHERE run_id = ? AND name = ? LIMIT 1`, id, name).toArray().length > 0;
  }

  setStatus(id: string, status: RunStatus, error: string | null, now: number): void {
    this.sql.exec(`UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?`, status, error, now, id);
  }

  /** Progress is recounted from the stored chunks, so a chunk stored twice (a retried step) counts once. */
  recountProgress(id: string, pathsPerChunk: (chunk: number) => number, now: number): void {
    const rows = this.sql.exec<{ name: string }>(`SELECT DISTINCT name FROM blobs WHERE run_id = ? AND name LIKE 'chunk:%'`, id).toArray();
    const paths = rows.reduce((a, r) => a + pathsPerChunk(Number(r.name.slice(6))), 0);
    this.sql.exec(`UPDATE runs SET chunks_done = ?, paths_done = ?, updated_at = ?, status = CASE WHEN status = 'queued' THEN 'running' ELSE status END WHERE id = ?`, rows.length, paths, now, id);
  }

  putBlob(id: string, name: string, text: string): void {
    this.sql.exec(`DELETE FROM blobs WHERE run_id = ? AND name = ?`, id, name);
    for (let k = 0, piece = 0; k < text.length || piece === 0; k += BLOB_PIECE_CHARS, piece++) {
      this.sql.exec(`INSERT INTO blobs (run_id, name, piece, body) VALUES (?, ?, ?, ?)`, id, name, piece, text.slice(k, k + BLOB_PIECE_CHARS));
    }
  }

  blob(id: string, name: string): string | null {
    const rows = this.sql.exec<{ body: string }>(`SELECT body FROM blobs WHERE run_id = ? AND name = ? ORDER BY piece`, id, name).toArray();
    return rows.length === 0 ? null : rows.map((r) => r.body).join("");
  }

  /** Every stored chunk's text, in chunk order. */
  chunks(id: string): string[] {
    const names = this.sql.exec<{ name: string }>(`SELECT DISTINCT name FROM blobs WHERE run_id = ? AND name LIKE 'chunk:%'`, id).toArray();
    return names
      .map((r) => Number(r.name.slice(6)))
      .sort((a, b) => a - b)
      .map((k) => this.blob(id, `chunk:${k}`)!);
  }

  dropChunks(id: string): void {
    this.sql.exec(`DELETE FROM blobs WHERE run_id = ? AND name LIKE 'chunk:%'`, id);
  }

  /** Newest first; the cursor is the last row's (created_at, id). */
  list(limit: number, after: { createdAt: number; id: string } | null, now: number): RunRow[] {
    const rows = after
      ? this.sql.exec<RunRow>(`SELECT * FROM runs WHERE expires_at > ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?`, now, after.createdAt, after.createdAt, after.id, limit)
      : this.sql.exec<RunRow>(`SELECT * FROM runs WHERE expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ?`, now, limit);
    return rows.toArray() as RunRow[];
  }

  /** Deletes runs past their retention, with their blobs; returns how many. */
  purgeExpired(now: number): number {
    const ids = this.sql.exec<{ id: string }>(`SELECT id FROM runs WHERE expires_at <= ?`, now).toArray();
    for (const { id } of ids) {
      this.sql.exec(`DELETE FROM blobs WHERE run_id = ?`, id);
      this.sql.exec(`DELETE FROM runs WHERE id = ?`, id);
    }
    return ids.length;
  }

  /** Runs still queued or running, oldest heartbeat first (the watchdog's list). */
  active(): RunRow[] {
    return this.sql.exec<RunRow>(`SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY updated_at, id`).toArray() as RunRow[];
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ t: number | null }>(`SELECT MIN(expires_at) AS t FROM runs`).toArray()[0]?.t ?? null;
  }
}
