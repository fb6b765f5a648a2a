/**
 * Schemas of the webhook-endpoint routes: they validate the wire shape and are the API documentation. Whether a URL
 * may be called (https, no private or loopback host) is decided by src/domain/webhooks/url-policy.ts in the tenant's
 * WebhookHub object, with a pointer to /url.
 */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES, TEST_EVENT_TYPE } from "../../domain/webhooks/events";
import { SIGNATURE_TOLERANCE_SECONDS } from "../../domain/webhooks/signature";
import { MAX_URL_LENGTH } from "../../domain/webhooks/url-policy";
import { DELIVERY_STATUSES, ENDPOINT_STATUSES, MAX_ENDPOINTS, ROTATION_OVERLAP_SECONDS } from "../../durable-objects/webhook-rpc";
import { strictObject } from "./strict";

export const EventType = z.enum(EVENT_TYPES).openapi("WebhookEventType", {
  description:
    "liquidation.adl: a liquidation handed size to ADL. liquidation.socialized_loss: a loss nobody covered. adl.activated / adl.deactivated: the trigger rule switched ADL on or off. fund.below_floor: the fund's balance went below its floor.",
});

export const EndpointIdParam = z.object({
  id: z
    .string()
    .regex(/^we_[0-9a-f]{24}$/, "must be a webhook endpoint id such as we_0123456789abcdef01234567")
    .openapi({ param: { name: "id", in: "path" }, example: "we_5f1c0b9a2e7d4c3b1a0f9e8d" }),
});

export const EndpointRequest = strictObject({
    url: z
      .string()
      .min(1)
      .max(MAX_URL_LENGTH)
      .openapi({
        description:
          "https URL the events are POSTed to. Refused (422): other schemes, user:password, literal private, loopback, link-local or reserved IPv4/IPv6 addresses (also IPv4-mapped and NAT64 forms), localhost, single-label names and private suffixes (.local, .internal, .home.arpa, ...). Redirects are not followed. Local development (`npm start`) also accepts http://127.0.0.1 / localhost receivers.",
        example: "https://risk.example.com/hooks/adl",
      }),
    events: z.array(EventType).min(1).max(EVENT_TYPES.length).refine((a) => new Set(a).size === a.length, "must not repeat an event type"),
    description: z.string().max(256).optional().openapi({ example: "risk desk pager" }),
  })
  .openapi("WebhookEndpointRequest", { example: { url: "https://risk.example.com/hooks/adl", events: ["liquidation.adl", "adl.activated", "adl.deactivated"], description: "risk desk pager" } });

const endpointShape = {
  id: z.string().openapi({ example: "we_5f1c0b9a2e7d4c3b1a0f9e8d" }),
  url: z.string(),
  events: z.array(EventType),
  description: z.string().nullable(),
  status: z.enum(ENDPOINT_STATUSES).openapi({ description: "disabled after one event failed through the whole retry schedule (about 3 days); disabledReason says which" }),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  previousSecretExpiresAt: z.string().nullable().openapi({ description: "after a rotation: until when the previous secret still signs (a second v1= in ADL-Signature)" }),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const Endpoint = z.object(endpointShape).openapi("WebhookEndpoint");
export const EndpointWithSecret = z
  .object({
    ...endpointShape,
    secret: z.string().openapi({
      description: `The signing secret: shown only in this answer (creation, rotation). Verify ADL-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>, and refuse t more than ${SIGNATURE_TOLERANCE_SECONDS} s from your clock.`,
      example: "whsec_3q2-7wE5m1bQvN0xYk8pR4tL6uJ9hGfDcA2sZ1oI0eW",
    }),
  })
  .openapi("WebhookEndpointWithSecret");

export const EndpointList = z.object({ endpoints: z.array(Endpoint).max(MAX_ENDPOINTS) }).openapi("WebhookEndpointList");

export const RotateRequest = strictObject({
    previousSecretTtlSeconds: z
      .number()
      .int()
      .min(0)
      .max(ROTATION_OVERLAP_SECONDS)
      .optional()
      .openapi({ description: `How long the old secret keeps signing beside the new one; default ${ROTATION_OVERLAP_SECONDS} (24 h); 0 revokes it at once (leaked secret)`, example: ROTATION_OVERLAP_SECONDS }),
  })
  .openapi("WebhookRotateRequest", { example: { previousSecretTtlSeconds: ROTATION_OVERLAP_SECONDS } });

export const TestRequest = strictObject({
    type: z
      .enum([TEST_EVENT_TYPE, ...EVENT_TYPES])
      .optional()
      .openapi({ description: `The type the test event carries (default ${TEST_EVENT_TYPE}); its data says test: true`, example: TEST_EVENT_TYPE }),
  })
  .openapi("WebhookTestRequest", { example: { type: TEST_EVENT_TYPE } });

export const TestResponse = z
  .object({ eventId: z.string().openapi({ example: "evt_0f3a9c2b7d1e4f6a8b5c0d2e9f1a3b4c" }), deliveryId: z.string(), type: z.string() })
  .openapi("WebhookTestResult");

const Attempt = z.object({
  attempt: z.number().int(),
  at: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable().openapi({ description: "the receiver's HTTP status; null when none came (refused, timeout)" }),
  error: z.string().nullable().openapi({ description: "why the attempt failed; receivers' bodies are never stored" }),
});

export const Delivery = z
  .object({
    id: z.string(),
    eventId: z.string().openapi({ description: "the event's id: the same on every attempt; deduplicate by it" }),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.array(Attempt),
    nextAttemptAt: z.string().nullable().openapi({ description: "when the next retry is due (null once delivered or failed)" }),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    failureReason: z.string().nullable(),
  })
  .openapi("WebhookDelivery");

export const DeliveryQuery = z.object({
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, "must be a nextCursor value from a previous page").optional().openapi({ param: { name: "cursor", in: "query" }, example: "120" }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: "limit", in: "query" }, example: 50 }),
});

export const DeliveryPage = z
  .object({ deliveries: z.array(Delivery), nextCursor: z.string().nullable().openapi({ description: "pass as cursor for older deliveries; null on the last page" }) })
  .openapi("WebhookDeliveryPage");
