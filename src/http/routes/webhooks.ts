/**
 * Webhook endpoints of the caller's tenant: register, list, inspect, delete, rotate the signing secret, send a test
 * event, read the delivery log. Each call goes to the tenant's WebhookHub object (one per tenant), mutations
 * idempotently by Idempotency-Key like every other mutation.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { IdempotencyHeader } from "../schemas/fund";
import { DeliveryPage, DeliveryQuery, Endpoint, EndpointIdParam, EndpointList, EndpointRequest, EndpointWithSecret, RotateRequest, TestRequest, TestResponse } from "../schemas/webhooks";
import { replayHeaders, requestDigest, unwrap } from "./fund-shared";

const tags = ["Webhooks"];
const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const writeErrors = problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429);

function hub(c: Context<AppEnv>) {
  const ns = c.env.WEBHOOK_HUB;
  return ns.get(ns.idFromName(c.get("tenantId") ?? "default"));
}

export const createEndpointRoute = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  tags,
  security: requires("webhooks:write"),
  summary: "Register a URL for signed webhook events; the answer shows the signing secret, once",
  description:
    "Events are POSTed as { id, type, created, data } with ADL-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t.body)>, retried with backoff (about 5 s, 30 s, 2 min, 10 min, 1 h, then hourly for 3 days) until a 2xx; the same id on every attempt.",
  request: { headers: IdempotencyHeader, body: { required: true, ...json(EndpointRequest) } },
  responses: { 201: { description: "The endpoint, with its secret", ...json(EndpointWithSecret) }, ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429, 503) },
});

export const listEndpointsRoute = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  tags,
  security: requires("fund:read"),
  summary: "The tenant's webhook endpoints (never their secrets)",
  description: "Every endpoint the tenant registered, with its events, state and rotation; the signing secret is shown only when an endpoint is created or its secret rotated.",
  responses: { 200: { description: "Every endpoint", ...json(EndpointList) }, ...problemResponses(401, 403, 429) },
});

export const getEndpointRoute = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints/{id}",
  operationId: "getWebhookEndpoint",
  tags,
  security: requires("fund:read"),
  summary: "One webhook endpoint, its state (enabled, or disabled and why) and rotation (never its secret)",
  description: "An endpoint that kept failing is disabled, and says so here and in its delivery log. 404 for an unknown id or another tenant's.",
  request: { params: EndpointIdParam },
  responses: { 200: { description: "The endpoint", ...json(Endpoint) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const deleteEndpointRoute = createRoute({
  method: "delete",
  path: "/v1/webhook-endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  tags,
  security: requires("webhooks:write"),
  summary: "Delete a webhook endpoint with its pending deliveries and log",
  description: "Nothing more is sent to it; the answer is the endpoint as it was before the deletion. 404 for an unknown id or another tenant's.",
  request: { params: EndpointIdParam, headers: IdempotencyHeader },
  responses: { 200: { description: "The endpoint as it was", ...json(Endpoint) }, ...problemResponses(401, 403, 404, 409, 422, 429) },
});

export const rotateSecretRoute = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints/{id}/rotate-secret",
  operationId: "rotateWebhookEndpointSecret",
  tags,
  security: requires("webhooks:write"),
  summary: "New signing secret (shown once); the old one keeps signing beside it for 24 h (two v1= values)",
  description: "During the 24 hours every delivery's ADL-Signature header carries one v1= value per secret, so a receiver can switch secrets without missing an event.",
  request: { params: EndpointIdParam, headers: IdempotencyHeader, body: { required: true, ...json(RotateRequest) } },
  responses: { 200: { description: "The endpoint with its new secret", ...json(EndpointWithSecret) }, ...writeErrors },
});

export const testEndpointRoute = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints/{id}/test",
  operationId: "testWebhookEndpoint",
  tags,
  security: requires("webhooks:write"),
  summary: "Send a signed test event to this endpoint now (it appears in the delivery log like any other)",
  description: "Signed and retried like any event, so a receiver can check its signature verification and tolerance before a real event arrives.",
  request: { params: EndpointIdParam, headers: IdempotencyHeader, body: { required: true, ...json(TestRequest) } },
  responses: { 202: { description: "Queued for delivery", ...json(TestResponse) }, ...writeErrors },
});

export const deliveriesRoute = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags,
  security: requires("fund:read"),
  summary: "Delivery log of one endpoint, newest first: each event's attempts, status codes and next retry",
  description: "Each delivery keeps the same event id on every attempt; retries back off exponentially with jitter (about 5 s, 30 s, 2 min, 10 min, 1 h, then hourly for 3 days). Bodies and secrets are never shown here.",
  request: { params: EndpointIdParam, query: DeliveryQuery },
  responses: { 200: { description: "A page of deliveries", ...json(DeliveryPage) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export function registerWebhooks(app: OpenAPIHono<AppEnv>) {
  app.openapi(createEndpointRoute, async (c) => {
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await hub(c).createEndpoint({ idempotencyKey: key, requestDigest: await requestDigest("create-endpoint", body) }, body);
    return c.json(unwrap(res), 201, replayHeaders(res));
  });

  app.openapi(listEndpointsRoute, async (c) => c.json({ endpoints: await hub(c).listEndpoints() }, 200));

  app.openapi(getEndpointRoute, async (c) => c.json(unwrap(await hub(c).getEndpoint(c.req.valid("param").id)), 200));

  app.openapi(deleteEndpointRoute, async (c) => {
    const { id } = c.req.valid("param");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await hub(c).deleteEndpoint({ idempotencyKey: key, requestDigest: await requestDigest("delete-endpoint", { id }) }, id);
    return c.json(unwrap(res), 200, replayHeaders(res));
  });

  app.openapi(rotateSecretRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await hub(c).rotateSecret({ idempotencyKey: key, requestDigest: await requestDigest("rotate-secret", { id, body }) }, id, body);
    return c.json(unwrap(res), 200, replayHeaders(res));
  });

  app.openapi(testEndpointRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const res = await hub(c).sendTest({ idempotencyKey: key, requestDigest: await requestDigest("test-endpoint", { id, body }) }, id, body);
    return c.json(unwrap(res), 202, replayHeaders(res));
  });

  app.openapi(deliveriesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    return c.json(unwrap(await hub(c).deliveries(id, cursor === undefined ? null : Number(cursor), limit)), 200);
  });
}
