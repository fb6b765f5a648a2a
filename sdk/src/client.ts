/**
 * The thin hand-written layer over the generated client: configuration (base URL, API key), safe retries that keep
 * the same Idempotency-Key, and a typed error carrying the RFC 9457 problem body. Everything about routes, parameters
 * and bodies comes from ./generated/schema.ts (openapi-typescript) through openapi-fetch; nothing here names a route.
 *
 * Runtime-neutral: only fetch, Request, Response, AbortSignal and crypto.randomUUID (Node >= 20.3, browsers, Workers).
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

export type Schemas = components["schemas"];

/** RFC 9457 problem details as the service sends them (`errors` names each bad field by JSON pointer). */
export type Problem = Schemas["Problem"];

export type AdlClient = Client<paths>;

export interface AdlClientOptions {
  /** Service origin, e.g. "http://127.0.0.1:8787" (no trailing /v1: paths carry their version). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Extra attempts after a network error, a timeout, a 5xx or a 429 (default 3). 0 disables retries. */
  retries?: number;
  /** First back-off in ms; doubles per attempt with full jitter (default 100). */
  retryBaseDelayMs?: number;
  /** Longest single back-off, and the longest Retry-After the client waits for (default 5000). */
  retryMaxDelayMs?: number;
  /** Per-attempt timeout in ms (default 30000); a timed-out attempt counts as a network error. */
  timeoutMs?: number;
  /** Headers added to every request (e.g. a User-Agent of your bot). */
  headers?: Record<string, string>;
  /** The fetch to use (default globalThis.fetch); useful for proxies, tests and fault injection. */
  fetch?: (request: Request) => Promise<Response>;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/**
 * A typed openapi-fetch client: `client.POST("/v1/adl/rankings", { body })` resolves to `{ data }` or `{ error }`
 * with the spec's types; `unwrap()` turns the latter into a thrown AdlApiError.
 *
 * Every mutating request carries an Idempotency-Key: the caller's, or a fresh UUID chosen once per call. Retries resend
 * the identical request (same key, same body), so a retry after a lost response returns the stored outcome instead of
 * applying the operation twice. Pass your own key (derived from your own event id) to make that hold across restarts
 * of your bot as well.
 */
export function createAdlClient(options: AdlClientOptions): AdlClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.headers,
    fetch: retryingFetch(options),
  });
  client.use(credentialsAndIdempotency(options.apiKey));
  return client;
}

function credentialsAndIdempotency(apiKey: string | undefined): Middleware {
  return {
    onRequest({ request }) {
      if (apiKey && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${apiKey}`);
      if (MUTATING.has(request.method) && !request.headers.has(IDEMPOTENCY_HEADER)) {
        request.headers.set(IDEMPOTENCY_HEADER, crypto.randomUUID());
      }
      return request;
    },
  };
}

function retryingFetch(options: AdlClientOptions): (request: Request) => Promise<Response> {
  const baseFetch = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const retries = Math.max(0, options.retries ?? 3);
  const baseDelayMs = options.retryBaseDelayMs ?? 100;
  const maxDelayMs = options.retryMaxDelayMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async function fetchWithRetries(request: Request): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      // Each attempt sends a copy, so the body (and the Idempotency-Key header) can be sent again unchanged.
      const copy = last ? request : request.clone();
      let waitMs: number;
      try {
        const response = await withTimeout(request.signal, timeoutMs, (signal) => baseFetch(new Request(copy, { signal })));
        if (last || !retryable(response.status)) return response;
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
        if (retryAfterMs !== undefined && retryAfterMs > maxDelayMs) return response;
        await response.body?.cancel();
        waitMs = retryAfterMs ?? backoff(attempt, baseDelayMs, maxDelayMs);
      } catch (error) {
        // The caller's own abort is final; network failures and our per-attempt timeout are retried.
        if (last || request.signal.aborted) throw error;
        waitMs = backoff(attempt, baseDelayMs, maxDelayMs);
      }
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
}

/**
 * Runs one attempt under its own signal, settled by whichever comes first: the answer, the caller's abort, or
 * `timeoutMs` (until the response headers arrive). The race does not depend on the fetch honouring the signal (a
 * Request's signal that follows another one can be collected before it fires), and a plain timer is used rather than
 * AbortSignal.timeout for the same reason.
 */
async function withTimeout<T>(callerSignal: AbortSignal, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onCallerAbort = () => {};
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    onCallerAbort = () => stop(callerSignal.reason);
    if (callerSignal.aborted) onCallerAbort();
    else callerSignal.addEventListener("abort", onCallerAbort, { once: true });
    timer = setTimeout(() => stop(new DOMException(`attempt timed out after ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener("abort", onCallerAbort);
  }
}

/** 5xx may be transient (a restarting instance); 429 asks us to come back later. Other 4xx are final. */
function retryable(status: number): boolean {
  return status >= 500 || status === 429;
}

function backoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt) * Math.random();
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A non-2xx answer: `problem` is the service's problem+json body (or one built from a non-JSON answer). */
export class AdlApiError extends Error {
  override readonly name = "AdlApiError";
  readonly status: number;
  readonly problem: Problem;
  readonly requestId: string | undefined;

  constructor(problem: Problem, readonly response: Response) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ""}`);
    this.status = response.status;
    this.problem = problem;
    this.requestId = problem.requestId ?? response.headers.get("x-request-id") ?? undefined;
  }

  /** The problem type's last segment, e.g. "validation-error" or "insufficient-funds". */
  get code(): string {
    return this.problem.type.slice(this.problem.type.lastIndexOf("/") + 1);
  }
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Resolves to the typed 2xx body, or throws AdlApiError with the problem body. */
export async function unwrap<R extends FetchResult>(call: Promise<R> | R): Promise<Exclude<R["data"], undefined>> {
  const result = await call;
  if (result.response.ok) return result.data as Exclude<R["data"], undefined>;
  throw new AdlApiError(toProblem(result.error, result.response), result.response);
}

function toProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === "object" && typeof (body as Problem).type === "string" && typeof (body as Problem).title === "string") {
    return body as Problem;
  }
  const detail = typeof body === "string" ? body.slice(0, 500) : undefined;
  return { type: "about:blank", title: response.statusText || "HTTP error", status: response.status, ...(detail ? { detail } : {}) } as Problem;
}
