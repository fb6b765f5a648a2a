/**
 * The WebhookHub object's RPC contract (one object per tenant): plain, structured-clone-safe data both ways, expected
 * failures as tagged values (the same RpcResult / RpcProblem as the market objects, mapped to problem+json in one
 * place). No imports from `cloudflare:*`, so the HTTP layer can share these types.
 */
import type { AnyEventType, EventType } from "../domain/webhooks/events";
import type { RpcProblem, RpcResult } from "./fund-rpc";

export type { RpcProblem, RpcResult };

/** Endpoints one tenant may register. */
export const MAX_ENDPOINTS = 16;
/** How long the previous secret keeps signing after a rotation, unless the request says otherwise. */
export const ROTATION_OVERLAP_SECONDS = 24 * 60 * 60;

/** A hub mutation carries its idempotency key (scoped to the tenant) and the digest of the request. */
export interface HubMutation {
  idempotencyKey: string;
  /** SHA-256 (hex) of the operation, the endpoint id and the canonical JSON body, computed by the HTTP layer. */
  requestDigest: string;
}

/** Declared once (the schema's enum imports it). */
export const ENDPOINT_STATUSES = ["enabled", "disabled"] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface EndpointView {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  status: EndpointStatus;
  /** Why the endpoint was disabled (null while enabled). */
  disabledReason: string | null;
  disabledAt: string | null;
  /** While a rotation's previous secret still signs beside the current one: until when. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Returned by creation and rotation only: the one time the signing secret is shown. */
export interface EndpointWithSecret extends EndpointView {
  secret: string;
}

export interface EndpointInput {
  url: string;
  events: EventType[];
  description?: string;
}

export interface RotateInput {
  /** Seconds the previous secret keeps signing beside the new one (default 86,400 = 24 h; 0 revokes it at once). */
  previousSecretTtlSeconds?: number;
}

export interface TestInput {
  type?: AnyEventType;
}

/** Declared once (the schema's enum imports it). */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface AttemptView {
  attempt: number;
  at: string;
  durationMs: number;
  /** HTTP status of the response, or null when none came (connection refused, timeout). */
  statusCode: number | null;
  /** Why the attempt failed, without the response body (never stored). */
  error: string | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: AnyEventType;
  status: DeliveryStatus;
  attempts: AttemptView[];
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** Why no further attempt will be made (null while pending or once delivered). */
  failureReason: string | null;
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  nextCursor: string | null;
}

export interface TestResult {
  eventId: string;
  deliveryId: string;
  type: AnyEventType;
}

/** One outbox row forwarded by a market object: the event id is fixed, the body is the exact JSON to sign. */
export interface ForwardedEvent {
  id: string;
  type: EventType;
  createdMs: number;
  body: string;
}

export interface EnqueueResult {
  accepted: number;
  duplicates: number;
  deliveriesCreated: number;
}
