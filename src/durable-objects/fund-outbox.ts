/**
 * The market object's webhook outbox. `recordEvents` runs inside the transaction of the ledger change (so an event
 * exists exactly when its change committed: none lost if the process dies right after, none from a rolled-back or
 * replayed request); `forwardOutbox` runs from the object's alarm and hands the rows to the tenant's WebhookHub,
 * which is idempotent by event id, then forgets them. A failed forward keeps the rows for the next alarm.
 */
import { Decimal } from "../domain/num/decimal";
import { type TransitionInput, eventsForTransition } from "../domain/webhooks/events";
import type { FundStore } from "./fund-store";
import type { WebhookHub } from "./webhook-hub";
import type { ForwardedEvent } from "./webhook-rpc";

/** Rows forwarded per call to the hub; the alarm runs again at once while more are waiting. */
const FORWARD_BATCH = 100;

export type Transition = Omit<TransitionInput, "compare" | "created">;

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes the events of one committed-to-be mutation; returns how many (the caller then sets the alarm). */
export function recordEvents(store: FundStore, tenant: string, t: Transition, now: number): number {
  const drafts = eventsForTransition({ ...t, compare: (a, b) => new Decimal(a).cmp(b), created: new Date(now).toISOString() });
  for (const d of drafts) {
    const id = `evt_${randomHex(16)}`;
    store.appendOutbox(id, tenant, d.type, JSON.stringify({ id, type: d.type, created: d.created, data: d.data }), now);
  }
  return drafts.length;
}

/** Forwards the oldest waiting events; true when more are waiting. Throws when the hub cannot be reached. */
export async function forwardOutbox(store: FundStore, env: { WEBHOOK_HUB: DurableObjectNamespace<WebhookHub> }): Promise<boolean> {
  const rows = store.outboxHead(FORWARD_BATCH);
  if (rows.length === 0) return false;
  // One object per tenant; a market object only ever holds its own tenant's rows, but group anyway.
  const byTenant = new Map<string, ForwardedEvent[]>();
  for (const r of rows) {
    const list = byTenant.get(r.tenant) ?? [];
    list.push({ id: r.event_id, type: r.type as ForwardedEvent["type"], createdMs: r.created_at, body: r.body });
    byTenant.set(r.tenant, list);
  }
  for (const [tenant, events] of byTenant) await env.WEBHOOK_HUB.get(env.WEBHOOK_HUB.idFromName(tenant)).enqueue(events);
  store.outboxForget(rows[rows.length - 1]!.seq);
  return rows.length === FORWARD_BATCH;
}

/**
 * The tenant of a market object named `${tenant}:${marketId}` (tenant ids cannot contain ':'). An object reached
 * some other way (tests name them freely) belongs to "default", as fundName does for a request without a tenant.
 */
export function tenantOf(objectName: string | undefined): string {
  const i = objectName?.indexOf(":") ?? -1;
  return objectName && i > 0 ? objectName.slice(0, i) : "default";
}
