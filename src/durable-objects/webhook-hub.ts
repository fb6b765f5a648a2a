import { DurableObject } from "cloudflare:workers";
import { type AnyEventType, EVENT_TYPES, TEST_EVENT_TYPE, testEventDraft } from "../domain/webhooks/events";
import { type RetrySchedule, PRODUCTION_SCHEDULE, nextAttemptAt, parseScheduleOverride } from "../domain/webhooks/retry-schedule";
import { SIGNATURE_HEADER, signatureHeader } from "../domain/webhooks/signature";
import { MAX_PARALLEL_SENDS, laneKey, lanes, runLanes } from "../domain/webhooks/lanes";
import { type UrlIssue, checkWebhookUrl } from "../domain/webhooks/url-policy";
import type { RpcProblem } from "./fund-rpc";
import type {
  DeliveryPage,
  EndpointInput,
  EndpointView,
  EndpointWithSecret,
  EnqueueResult,
  ForwardedEvent,
  HubMutation,
  RotateInput,
  RpcResult,
  TestInput,
  TestResult,
} from "./webhook-rpc";
import { MAX_ENDPOINTS, ROTATION_OVERLAP_SECONDS } from "./webhook-rpc";
import { type ResolutionSettings, checkHostResolution } from "./host-resolution";
import { objectLog } from "./object-log";
import { type DueDelivery, type EndpointRow, WebhookStore, endpointView, migrateHub } from "./webhook-store";

/** A receiver has this long to answer (Stripe: 10-30 s); no answer is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries sent by one alarm run; the rest follow in the next run, scheduled at once. */
const BATCH = 50;

type Outcome<T> = { ok: true; value: T } | { ok: false; problem: RpcProblem };
const problem = (slug: RpcProblem["slug"], detail: string, errors?: RpcProblem["errors"]): { ok: false; problem: RpcProblem } => ({
  ok: false,
  problem: { slug, detail, ...(errors ? { errors } : {}) },
});
const notFound = (id: string) => problem("not-found", `Webhook endpoint ${id} does not exist`);
/** A webhook URL refused by its text (url-policy.ts) or by what its host resolves to (host-resolution.ts). */
const urlRefused = (issue: UrlIssue) => problem("validation-error", "1 invalid field(s)", [{ pointer: "/url", code: issue.code, detail: issue.detail }]);

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
/** 256 random bits; the prefix lets people and secret scanners recognise it. */
function newSecret(): string {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** The bindings this object reads (named here: src/env.ts names this class, importing it back would be a circle). */
export interface WebhookHubEnv {
  WEBHOOKS_ALLOW_LOOPBACK?: string;
  WEBHOOK_DNS_RESOLVER?: string;
  WEBHOOK_RETRY_SCHEDULE_MS?: string;
  LOG_LEVEL?: string;
}

/**
 * One tenant's webhooks: endpoints and their secrets, the events forwarded by the tenant's market objects, and the
 * deliveries with every attempt. Sending is driven only by this object's alarm: each run sends what is due (in event
 * order per endpoint and market, markets and endpoints in parallel: domain/webhooks/lanes.ts), records each attempt
 * and schedules the next retry by the backoff schedule, then sets the alarm to the earliest pending attempt. A crash
 * mid-run leaves the attempt unrecorded, so it is sent again: at least once, with the event id for the receiver to
 * deduplicate.
 */
export class WebhookHub extends DurableObject<WebhookHubEnv> {
  private readonly store: WebhookStore;
  private readonly schedule: RetrySchedule;
  private sending = false;

  constructor(ctx: DurableObjectState, env: WebhookHubEnv) {
    super(ctx, env);
    migrateHub(ctx.storage);
    this.store = new WebhookStore(ctx.storage.sql);
    this.schedule = parseScheduleOverride(env.WEBHOOK_RETRY_SCHEDULE_MS) ?? PRODUCTION_SCHEDULE;
  }

  private get allowLoopback(): boolean {
    return this.env.WEBHOOKS_ALLOW_LOOPBACK === "true";
  }

  private get resolution(): ResolutionSettings {
    return { resolver: this.env.WEBHOOK_DNS_RESOLVER, allowLoopback: this.allowLoopback };
  }

  // ---- reads ----

  async listEndpoints(): Promise<EndpointView[]> {
    const now = Date.now();
    return this.store.endpoints().map((r) => endpointView(r, now));
  }

  async getEndpoint(id: string): Promise<Outcome<EndpointView>> {
    const row = this.store.endpoint(id);
    return row ? { ok: true, value: endpointView(row, Date.now()) } : notFound(id);
  }

  async deliveries(id: string, beforeId: number | null, limit: number): Promise<Outcome<DeliveryPage>> {
    if (!this.store.endpoint(id)) return notFound(id);
    const rows = this.store.deliveriesOf(id, beforeId ?? Number.MAX_SAFE_INTEGER, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { ok: true, value: { deliveries: page, nextCursor: rows.length > limit && last ? last.id : null } };
  }

  // ---- mutations (idempotent by key, like the market objects') ----

  async createEndpoint(m: HubMutation, input: EndpointInput): Promise<RpcResult<EndpointWithSecret>> {
    // What the host resolves to is checked before the transaction (it needs the network); a replay skips it and
    // answers what was stored, and a URL its text already refuses is refused below without a lookup.
    if (!this.store.idempotency(m.idempotencyKey) && !checkWebhookUrl(input.url, { allowLoopback: this.allowLoopback })) {
      const verdict = await checkHostResolution(input.url, this.resolution);
      if (!verdict.ok && "issue" in verdict) return urlRefused(verdict.issue);
      if (!verdict.ok) return problem("unavailable", `The webhook host's addresses could not be checked (${verdict.unavailable}); nothing was created, try again`);
    }
    return this.mutate(m, "create-endpoint", (now) => {
      const issue = checkWebhookUrl(input.url, { allowLoopback: this.allowLoopback });
      if (issue) return urlRefused(issue);
      if (this.store.endpointCount() >= MAX_ENDPOINTS) return problem("conflict", `At most ${MAX_ENDPOINTS} webhook endpoints per tenant; delete one first`);
      const id = `we_${randomHex(12)}`;
      const secret = newSecret();
      const events = EVENT_TYPES.filter((t) => input.events.includes(t));
      this.store.insertEndpoint(id, input.url, events, input.description ?? null, secret, now);
      return { ok: true, value: { ...endpointView(this.store.endpoint(id)!, now), secret } };
    });
  }

  async deleteEndpoint(m: HubMutation, id: string): Promise<RpcResult<EndpointView>> {
    return this.mutate(m, "delete-endpoint", (now) => {
      const row = this.store.endpoint(id);
      if (!row) return notFound(id);
      this.store.deleteEndpoint(id);
      return { ok: true, value: endpointView(row, now) };
    });
  }

  async rotateSecret(m: HubMutation, id: string, input: RotateInput): Promise<RpcResult<EndpointWithSecret>> {
    return this.mutate(m, "rotate-secret", (now) => {
      if (!this.store.endpoint(id)) return notFound(id);
      const secret = newSecret();
      const ttl = input.previousSecretTtlSeconds ?? ROTATION_OVERLAP_SECONDS;
      this.store.rotate(id, secret, now + ttl * 1000, now);
      return { ok: true, value: { ...endpointView(this.store.endpoint(id)!, now), secret } };
    });
  }

  /** A test event to this one endpoint, sent by the alarm like any other (so it shows in the delivery log). */
  async sendTest(m: HubMutation, id: string, input: TestInput): Promise<RpcResult<TestResult>> {
    const out = this.mutate(m, "test-endpoint", (now) => {
      const row = this.store.endpoint(id);
      if (!row) return notFound(id);
      if (row.status !== "enabled") return problem("conflict", `Webhook endpoint ${id} is disabled: ${row.disabled_reason ?? ""}`);
      const eventId = `evt_${randomHex(16)}`;
      const draft = testEventDraft(id, new Date(now).toISOString());
      const type: AnyEventType = input.type ?? TEST_EVENT_TYPE;
      const body = JSON.stringify({ id: eventId, type, created: draft.created, data: { ...draft.data, test: true } });
      this.store.insertEvent(eventId, type, body, now, now);
      const deliveryId = this.store.insertDelivery(id, eventId, now, now)!;
      return { ok: true, value: { eventId, deliveryId: String(deliveryId), type } };
    });
    if (out.ok && !out.replayed) await this.scheduleAt(Date.now());
    return out;
  }

  /**
   * Events forwarded by a market object's outbox. Idempotent by event id: an event seen before (the market object
   * forwarded it, then crashed before it could forget it) creates nothing. Each new event gets one delivery per
   * enabled endpoint subscribed to its type, due now.
   */
  async enqueue(events: ForwardedEvent[]): Promise<EnqueueResult> {
    const now = Date.now();
    const result = this.ctx.storage.transactionSync(() => {
      const endpoints = this.store.endpoints().filter((e) => e.status === "enabled");
      let accepted = 0;
      let duplicates = 0;
      let deliveriesCreated = 0;
      for (const ev of events) {
        if (!this.store.insertEvent(ev.id, ev.type, ev.body, ev.createdMs, now)) {
          duplicates++;
          continue;
        }
        accepted++;
        for (const ep of endpoints) {
          if ((JSON.parse(ep.events) as string[]).includes(ev.type) && this.store.insertDelivery(ep.id, ev.id, now, now) !== null) deliveriesCreated++;
        }
      }
      return { accepted, duplicates, deliveriesCreated };
    });
    if (result.deliveriesCreated > 0) await this.scheduleAt(now);
    return result;
  }

  // ---- sending ----

  override async alarm(): Promise<void> {
    // The runtime may start a second alarm run while one is awaiting receivers (seen after a restart with an overdue
    // alarm): one run at a time per object; the running one reschedules from storage when it ends.
    if (this.sending) return;
    this.sending = true;
    try {
      await this.sendDue();
    } finally {
      this.sending = false;
    }
  }

  private async sendDue(): Promise<void> {
    const due = this.store.due(Date.now(), BATCH);
    // Oldest due first within a lane (endpoint, market); lanes side by side, at most MAX_PARALLEL_SENDS in flight.
    const byLane = lanes(due, (d) => laneKey(d.endpoint_id, marketOf(d.body)));
    await runLanes(byLane, MAX_PARALLEL_SENDS, (d) => this.attempt(d.endpoint_id, d));
    this.ctx.storage.transactionSync(() => this.store.prune(Date.now()));
    const next = this.store.nextDue();
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }

  private async attempt(endpointId: string, d: DueDelivery): Promise<void> {
    const ep = this.store.endpoint(endpointId);
    const attempt = d.attempts + 1;
    const started = Date.now();
    const first = d.first_attempt_at ?? started;
    if (!ep || ep.status !== "enabled") {
      this.store.markFailed(d.id, d.attempts, first, "endpoint disabled");
      return;
    }
    // The URL is checked again at send time: the deployment's setting may have changed since creation.
    const issue = checkWebhookUrl(ep.url, { allowLoopback: this.allowLoopback });
    let statusCode: number | null = null;
    let error: string | null = null;
    const resolved = issue ? null : await checkHostResolution(ep.url, this.resolution);
    if (issue) error = `refused to send: ${issue.detail}`;
    // A host now resolving to a private address, or a resolver failure: this attempt fails and is retried.
    else if (resolved && !resolved.ok) error = "issue" in resolved ? `refused to send: ${resolved.issue.detail}` : `not sent: ${resolved.unavailable}`;
    else {
      try {
        const res = await fetch(ep.url, {
          method: "POST",
          redirect: "manual",
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          headers: {
            "content-type": "application/json",
            "user-agent": "adl-service-webhooks/1",
            [SIGNATURE_HEADER]: await signatureHeader(signingSecrets(ep, started), started / 1000, d.body),
            "adl-event-id": d.event_id,
            "adl-event-type": d.type,
            "adl-delivery-attempt": String(attempt),
          },
          body: d.body,
        });
        statusCode = res.status;
        // The receiver's body is neither read into memory nor stored.
        await res.body?.cancel();
        if (res.status >= 300 && res.status < 400) error = `redirect (${res.status}) not followed`;
        else if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error)?.name === "TimeoutError" ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : "connection failed";
      }
    }
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      // Recorded once: if anything else recorded this attempt meanwhile, its record stands.
      if (this.store.attemptsSoFar(d.id) !== d.attempts) return;
      this.store.recordAttempt(d.id, attempt, started, now - started, statusCode, error);
      if (error === null) return this.store.markDelivered(d.id, attempt, first, now);
      const next = issue ? null : nextAttemptAt(this.schedule, attempt, first, now, Math.random());
      if (next !== null) return this.store.markRetry(d.id, attempt, first, next);
      const reason = issue ? error! : `${attempt} attempts failed over ${Math.round((now - first) / 1000)} s (last: ${error})`;
      this.store.markFailed(d.id, attempt, first, reason);
      // An endpoint that failed one event through the whole schedule keeps failing: stop sending to it.
      this.store.disable(endpointId, `delivery of ${d.event_id} failed: ${reason}`, now);
    });
    // Metadata only: never the URL, the body, the signature or the receiver's answer.
    objectLog(this.env, error ? "warn" : "info", "webhook-attempt", { endpointId, eventId: d.event_id, attempt, statusCode, ok: error === null, durationMs: now - started });
  }

  private async scheduleAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private mutate<T>(m: HubMutation, operation: string, run: (now: number) => Outcome<T>): RpcResult<T> {
    const now = Date.now();
    return this.ctx.storage.transactionSync((): RpcResult<T> => {
      const prior = this.store.idempotency(m.idempotencyKey);
      if (prior) {
        if (prior.operation !== operation || prior.digest !== m.requestDigest) {
          return problem("idempotency-key-reused", `Idempotency-Key was already used for a different ${prior.operation === operation ? "request" : `operation (${prior.operation})`}`);
        }
        return { ok: true, value: JSON.parse(prior.response) as T, replayed: true };
      }
      const out = run(now);
      if (!out.ok) return out;
      this.store.remember(m.idempotencyKey, operation, m.requestDigest, out.value, now);
      this.store.prune(now);
      return { ok: true, value: out.value, replayed: false };
    });
  }
}

/** The market an event body names (`data.marketId`), or null (test events). The body is this hub's own JSON. */
function marketOf(body: string): string | null {
  const id = (JSON.parse(body) as { data?: { marketId?: unknown } }).data?.marketId;
  return typeof id === "string" ? id : null;
}

/** The current secret, and the previous one while its rotation overlap lasts (newest first). */
function signingSecrets(ep: EndpointRow, now: number): string[] {
  return ep.previous_secret !== null && ep.previous_expires_at !== null && ep.previous_expires_at > now ? [ep.secret, ep.previous_secret] : [ep.secret];
}
