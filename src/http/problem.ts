/**
 * RFC 9457 problem details: the one place that decides how every failure looks on the wire.
 * `errors` lists each bad field by RFC 6901 JSON pointer into the request (body, or `#/query/...` style for others).
 */
import type { Context } from "hono";

export interface FieldError {
  pointer: string;
  code: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Problem types the API can answer with; `type` is `/problems/<slug>` (documented on /docs). */
export const PROBLEM_TYPES = {
  "malformed-json": { status: 400, title: "Malformed JSON" },
  "bad-request": { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  "idempotency-key-reused": { status: 409, title: "Idempotency key reused with a different request" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "validation-error": { status: 422, title: "Validation failed" },
  "insufficient-funds": { status: 422, title: "Insufficient funds" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const;
export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** Thrown anywhere in the HTTP layer; rendered by the app's single error handler. */
export class ProblemError extends Error {
  constructor(
    readonly slug: ProblemSlug,
    detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = "ProblemError";
  }
}

export function problemBody(slug: ProblemSlug, detail: string, c: Context, errors?: FieldError[], extra?: Record<string, unknown>): Problem {
  const { status, title } = PROBLEM_TYPES[slug];
  const body: Problem = { type: `/problems/${slug}`, title, status, detail, instance: new URL(c.req.url).pathname };
  const requestId = c.get("requestId" as never) as string | undefined;
  if (requestId) body.requestId = requestId;
  if (errors && errors.length > 0) body.errors = errors;
  return Object.assign(body, extra);
}

export function problemResponse(c: Context, slug: ProblemSlug, detail: string, errors?: FieldError[], extra?: Record<string, unknown>, headers?: Record<string, string>): Response {
  const body = problemBody(slug, detail, c, errors, extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
