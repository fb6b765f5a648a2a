/**
 * Storage of one tenant's WebhookHub object: schema, versioned migrations and every statement, in one module.
 *
 * Secrets are stored here (the object must sign with them) and leave only in the creation and rotation answers;
 * nothing in this file selects a secret for a listing. Event bodies are stored as the exact JSON that is signed and
 * sent, so every attempt carries the same bytes and the same event id. Response bodies of receivers are never stored.
 */
import type { AttemptView, DeliveryStatus, DeliveryView, EndpointStatus, EndpointView } from "./webhook-rpc";
import type { AnyEventType, EventType } from "../domain/webhooks/events";

type Sql = SqlStorage;

/** Idempotency keys of hub mutations are kept as long as the market objects keep theirs. */
export const HUB_IDEMPOTENCY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Delivered and failed deliveries (and events no delivery needs any more) are kept this long for the log. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

interface Migration {
  version: number;
  description: string;
  up(sql: Sql): void;
}

export const HUB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "endpoints with secrets, events, deliveries with their attempts, idempotency records",
    up(sql) {
      sql.exec(`CREATE TABLE endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        description TEXT,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_expires_at INTEGER,
        status TEXT NOT NULL,
        disabled_reason TEXT,
        disabled_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        endpoint_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        first_attempt_at INTEGER,
        next_attempt_at INTEGER,
        failure_reason TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        UNIQUE (endpoint_id, event_id))`);
      sql.exec(`CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)`);
      sql.exec(`CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, id)`);
      sql.exec(`CREATE TABLE attempts (
        delivery_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        PRIMARY KEY (delivery_id, attempt))`);
      sql.exec(`CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        operation TEXT NOT NULL,
        digest TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL)`);
      sql.exec(`CREATE INDEX hub_idempotency_by_age ON idempotency (created_at)`);
    },
  },
];

export const HUB_SCHEMA_VERSION = HUB_MIGRATIONS[HUB_MIGRATIONS.length - 1]!.version;

/** Applies every migration above the recorded version, each in its own transaction with its version bump. */
export function migrateHub(storage: DurableObjectStorage): { from: number; to: number } {
  const read = () => {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS schema_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`);
    return storage.sql.exec<{ version: number }>(`SELECT version FROM schema_meta WHERE id = 1`).toArray()[0]?.version ?? 0;
  };
  const from = storage.transactionSync(read);
  let current = from;
  for (const m of HUB_MIGRATIONS) {
    if (m.version <= current) continue;
    storage.transactionSync(() => {
      m.up(storage.sql);
      storage.sql.exec(`INSERT INTO schema_meta (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version`, m.version);
    });
    current = m.version;
  }
  return { from, to: current };
}

export interface EndpointRow {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_expires_at: number | null;
  status: string;
  disabled_reason: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DueDelivery {
  id: number;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  first_attempt_at: number | null;
  body: string;
  type: string;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  type: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  failure_reason: string | null;
  created_at: number;
  delivered_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function endpointView(r: EndpointRow, now: number): EndpointView {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as EventType[],
    description: r.description,
    status: r.status as EndpointStatus,
    disabledReason: r.disabled_reason,
    disabledAt: iso(r.disabled_at),
    previousSecretExpiresAt: r.previous_secret !== null && r.previous_expires_at !== null && r.previous_expires_at > now ? iso(r.previous_expires_at) : null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

const Q = {
  endpoint: `SELECT * FROM endpoints WHERE id = ?`,
  endpoints: `SELECT * FROM endpoints ORDER BY created_at, id`,
  endpointCount: `SELECT COUNT(*) AS n FROM endpoints`,
  insertEndpoint: `INSERT INTO endpoints (id, url, events, description, secret, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'enabled', ?, ?)`,
  deleteEndpoint: `DELETE FROM endpoints WHERE id = ?`,
  deleteEndpointAttempts: `DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE endpoint_id = ?)`,
  deleteEndpointDeliveries: `DELETE FROM deliveries WHERE endpoint_id = ?`,
  rotate: `UPDATE endpoints SET previous_secret = secret, previous_expires_at = ?, secret = ?, updated_at = ? WHERE id = ?`,
  disable: `UPDATE endpoints SET status = 'disabled', disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE id = ?`,
  failPendingOf: `UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, failure_reason = ? WHERE endpoint_id = ? AND status = 'pending'`,
  insertEvent: `INSERT INTO events (id, type, body, created_at, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id`,
  insertDelivery: `INSERT INTO deliveries (endpoint_id, event_id, status, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?) ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
  due: `SELECT d.id, d.endpoint_id, d.event_id, d.attempts, d.first_attempt_at, e.body, e.type
    FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`,
  attemptsSoFar: `SELECT attempts FROM deliveries WHERE id = ?`,
  nextDue: `SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'`,
  insertAttempt: `INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, status_code, error) VALUES (?, ?, ?, ?, ?, ?)`,
  delivered: `UPDATE deliveries SET status = 'delivered', attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = NULL, delivered_at = ? WHERE id = ?`,
  retry: `UPDATE deliveries SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = ? WHERE id = ?`,
  failed: `UPDATE deliveries SET status = 'failed', attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = NULL, failure_reason = ? WHERE id = ?`,
  deliveriesOf: `SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.failure_reason, d.created_at, d.delivered_at
    FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.endpoint_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
  attemptsOf: `SELECT attempt, started_at, duration_ms, status_code, error FROM attempts WHERE delivery_id = ? ORDER BY attempt`,
  idem: `SELECT operation, digest, response, created_at FROM idempotency WHERE key = ?`,
  insertIdem: `INSERT INTO idempotency (key, operation, digest, response, created_at) VALUES (?, ?, ?, ?, ?)`,
  pruneIdem: `DELETE FROM idempotency WHERE created_at < ?`,
  pruneAttempts: `DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE status != 'pending' AND created_at < ?)`,
  pruneDeliveries: `DELETE FROM deliveries WHERE status != 'pending' AND created_at < ?`,
  pruneEvents: `DELETE FROM events WHERE received_at < ? AND id NOT IN (SELECT event_id FROM deliveries)`,
} as const;

export class WebhookStore {
  constructor(private readonly sql: Sql) {}

  endpoint(id: string): EndpointRow | null {
    return this.sql.exec<EndpointRow & Record<string, string | number | null>>(Q.endpoint, id).toArray()[0] ?? null;
  }
  endpoints(): EndpointRow[] {
    return this.sql.exec<EndpointRow & Record<string, string | number | null>>(Q.endpoints).toArray();
  }
  endpointCount(): number {
    return this.sql.exec<{ n: number }>(Q.endpointCount).one().n;
  }
  insertEndpoint(id: string, url: string, events: readonly EventType[], description: string | null, secret: string, now: number): void {
    this.sql.exec(Q.insertEndpoint, id, url, JSON.stringify(events), description, secret, now, now);
  }
  /** The endpoint, its deliveries and their attempts (events stay while another endpoint's delivery needs them). */
  deleteEndpoint(id: string): void {
    this.sql.exec(Q.deleteEndpointAttempts, id);
    this.sql.exec(Q.deleteEndpointDeliveries, id);
    this.sql.exec(Q.deleteEndpoint, id);
  }
  rotate(id: string, secret: string, previousExpiresAt: number, now: number): void {
    this.sql.exec(Q.rotate, previousExpiresAt, secret, now, id);
  }
  /** Disables the endpoint and ends its pending deliveries with the same reason. */
  disable(id: string, reason: string, now: number): void {
    this.sql.exec(Q.disable, reason, now, now, id);
    this.sql.exec(Q.failPendingOf, `endpoint disabled: ${reason}`, id);
  }
  /** True when the event is new (false: already received, nothing written). */
  insertEvent(id: string, type: AnyEventType, body: string, createdAt: number, now: number): boolean {
    return this.sql.exec(Q.insertEvent, id, type, body, createdAt, now).toArray().length > 0;
  }
  insertDelivery(endpointId: string, eventId: string, dueAt: number, now: number): number | null {
    const row = this.sql.exec<{ id: number }>(Q.insertDelivery, endpointId, eventId, dueAt, now).toArray()[0];
    return row?.id ?? null;
  }
  due(now: number, limit: number): DueDelivery[] {
    return this.sql.exec<DueDelivery & Record<string, string | number | null>>(Q.due, now, limit).toArray();
  }
  attemptsSoFar(id: number): number | null {
    return this.sql.exec<{ attempts: number }>(Q.attemptsSoFar, id).toArray()[0]?.attempts ?? null;
  }
  nextDue(): number | null {
    return this.sql.exec<{ at: number | null }>(Q.nextDue).one().at;
  }
  recordAttempt(deliveryId: number, attempt: number, startedAt: number, durationMs: number, statusCode: number | null, error: string | null): void {
    this.sql.exec(Q.insertAttempt, deliveryId, attempt, startedAt, durationMs, statusCode, error);
  }
  markDelivered(id: number, attempts: number, firstAttemptAt: number, now: number): void {
    this.sql.exec(Q.delivered, attempts, firstAttemptAt, now, id);
  }
  markRetry(id: number, attempts: number, firstAttemptAt: number, nextAt: number): void {
    this.sql.exec(Q.retry, attempts, firstAttemptAt, nextAt, id);
  }
  markFailed(id: number, attempts: number, firstAttemptAt: number, reason: string): void {
    this.sql.exec(Q.failed, attempts, firstAttemptAt, reason, id);
  }
  /** Newest first, deliveries with id < before. */
  deliveriesOf(endpointId: string, before: number, limit: number): DeliveryView[] {
    const rows = this.sql.exec<DeliveryRow & Record<string, string | number | null>>(Q.deliveriesOf, endpointId, before, limit).toArray();
    return rows.map((r) => ({
      id: String(r.id),
      eventId: r.event_id,
      eventType: r.type as AnyEventType,
      status: r.status as DeliveryStatus,
      attempts: this.attemptsOf(r.id),
      nextAttemptAt: iso(r.next_attempt_at),
      createdAt: iso(r.created_at)!,
      deliveredAt: iso(r.delivered_at),
      failureReason: r.failure_reason,
    }));
  }
  private attemptsOf(deliveryId: number): AttemptView[] {
    return this.sql
      .exec<{ attempt: number; started_at: number; duration_ms: number; status_code: number | null; error: string | null }>(Q.attemptsOf, deliveryId)
      .toArray()
      .map((a) => ({ attempt: a.attempt, at: iso(a.started_at)!, durationMs: a.duration_ms, statusCode: a.status_code, error: a.error }));
  }
  idempotency(key: string): { operation: string; digest: string; response: string; created_at: number } | null {
    return this.sql.exec<{ operation: string; digest: string; response: string; created_at: number }>(Q.idem, key).toArray()[0] ?? null;
  }
  remember(key: string, operation: string, digest: string, response: unknown, now: number): void {
    this.sql.exec(Q.insertIdem, key, operation, digest, JSON.stringify(response), now);
  }
  prune(now: number): void {
    this.sql.exec(Q.pruneIdem, now - HUB_IDEMPOTENCY_RETENTION_MS);
    this.sql.exec(Q.pruneAttempts, now - DELIVERY_RETENTION_MS);
    this.sql.exec(Q.pruneDeliveries, now - DELIVERY_RETENTION_MS);
    this.sql.exec(Q.pruneEvents, now - DELIVERY_RETENTION_MS);
  }
}
