// The SDK's hand-written layer (sdk/src/client.ts) against a scripted fetch: credentials, idempotency keys that survive
// retries, which failures are retried, decimal strings kept exact, and the typed problem error. The real server is
// exercised in test/e2e/sdk.e2e.test.ts.
import { AdlApiError, createAdlClient, unwrap, type AdlClientOptions } from "@adl/sdk";
import { describe, expect, it } from "vitest";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
type Step = Response | Error | "hang";

/** A fetch that records what it was sent and answers from a script. */
function scripted(steps: Step[]) {
  const seen: Seen[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    seen.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    const step = steps.shift() ?? new Response("no more scripted answers", { status: 599 });
    if (step === "hang") {
      return new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    }
    if (step instanceof Error) throw step;
    return step;
  };
  return { seen, fetch };
}

// Route-agnostic view of the client: these tests are about transport behaviour, not about any one operation's types.
type Result = { data?: unknown; error?: unknown; response: Response };
interface Untyped {
  GET(path: string, init?: object): Promise<Result>;
  POST(path: string, init?: object): Promise<Result>;
}
function client(steps: Step[], options: Partial<AdlClientOptions> = {}) {
  const { seen, fetch } = scripted(steps);
  const sdk = createAdlClient({ baseUrl: "http://adl.test", retryBaseDelayMs: 0, fetch, ...options }) as unknown as Untyped;
  return { sdk, seen };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const problem = (status: number, slug: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: `/problems/${slug}`, title: slug, status, detail: `${slug} detail`, requestId: "req-1", ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", "x-request-id": "req-1" },
  });

describe("configuration", () => {
  it("sends the API key as a bearer token and the configured headers to the base URL", async () => {
    const { sdk, seen } = client([json({ ok: true })], { apiKey: "k-123", headers: { "user-agent": "my-bot/1" } });
    await sdk.GET("/v1/markets/BTC-PERP");
    expect(seen[0]).toMatchObject({ method: "GET", url: "http://adl.test/v1/markets/BTC-PERP" });
    expect(seen[0]?.headers).toMatchObject({ authorization: "Bearer k-123", "user-agent": "my-bot/1" });
  });

  it("sends no Authorization header without an API key", async () => {
    const { sdk, seen } = client([json({})]);
    await sdk.GET("/healthz");
    expect(seen[0]?.headers).not.toHaveProperty("authorization");
  });
});

describe("idempotency keys", () => {
  it("adds a fresh UUID Idempotency-Key to each mutating call, none to reads", async () => {
    const { sdk, seen } = client([json({}), json({}), json({})]);
    await sdk.POST("/v1/x", { body: {} });
    await sdk.POST("/v1/x", { body: {} });
    await sdk.GET("/v1/x");
    const [a, b, c] = seen.map((s) => s.headers["idempotency-key"]);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(c).toBeUndefined();
  });

  it("keeps the caller's key", async () => {
    const { sdk, seen } = client([json({})]);
    await sdk.POST("/v1/x", { body: {}, params: { header: { "Idempotency-Key": "liq-42" } } });
    expect(seen[0]?.headers["idempotency-key"]).toBe("liq-42");
  });
});

describe("retries", () => {
  it("retries 5xx with the identical request (same key, same body) until it succeeds", async () => {
    const { sdk, seen } = client([problem(503, "unavailable"), problem(500, "internal"), json({ done: true })]);
    const data = await unwrap(sdk.POST("/v1/x", { body: { amount: "1.5" } }));
    expect(data).toEqual({ done: true });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.headers["idempotency-key"])).size).toBe(1);
    expect(new Set(seen.map((s) => s.body))).toEqual(new Set(['{"amount":"1.5"}']));
  });

  it("retries network errors with the same key", async () => {
    const { sdk, seen } = client([new TypeError("fetch failed"), json({ done: true })]);
    await expect(unwrap(sdk.POST("/v1/x", { body: {} }))).resolves.toEqual({ done: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers["idempotency-key"]).toBe(seen[1]?.headers["idempotency-key"]);
  });

  it("treats a timed-out attempt as a network error", async () => {
    const { sdk, seen } = client(["hang", json({ done: true })], { timeoutMs: 50 });
    await expect(unwrap(sdk.POST("/v1/x", { body: {} }))).resolves.toEqual({ done: true });
    expect(seen).toHaveLength(2);
  });

  it("does not retry after the caller aborts", async () => {
    const { sdk, seen } = client(["hang", json({})]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 20);
    await expect(sdk.POST("/v1/x", { body: {}, signal: controller.signal })).rejects.toThrow("caller gave up");
    expect(seen).toHaveLength(1);
  });

  it("never retries other 4xx answers", async () => {
    const { sdk, seen } = client([problem(422, "validation-error"), json({})]);
    await expect(unwrap(sdk.POST("/v1/x", { body: {} }))).rejects.toBeInstanceOf(AdlApiError);
    expect(seen).toHaveLength(1);
  });

  it("retries 429 after Retry-After, but returns it when Retry-After is longer than it would wait", async () => {
    const short = client([problem(429, "rate-limited", {}), json({ ok: 1 })]);
    await expect(unwrap(short.sdk.GET("/v1/x"))).resolves.toEqual({ ok: 1 });
    const long = client([new Response("{}", { status: 429, headers: { "retry-after": "60" } }), json({})], { retryMaxDelayMs: 1000 });
    const { response } = await long.sdk.GET("/v1/x");
    expect(response.status).toBe(429);
    expect(long.seen).toHaveLength(1);
  });

  it("gives up after `retries` extra attempts and reports the last answer", async () => {
    const { sdk, seen } = client([problem(503, "a"), problem(503, "b"), problem(503, "c")], { retries: 2 });
    const error = await unwrap(sdk.POST("/v1/x", { body: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdlApiError);
    expect((error as AdlApiError).problem.type).toBe("/problems/c");
    expect(seen).toHaveLength(3);
  });

  it("rethrows the last network error when every attempt fails", async () => {
    const { sdk } = client([new TypeError("down"), new TypeError("still down")], { retries: 1 });
    await expect(sdk.GET("/v1/x")).rejects.toThrow("still down");
  });
});

describe("decimal strings", () => {
  it("sends and returns decimal strings byte for byte (no Number round trip, no exponent notation)", async () => {
    const tiny = "0.000000000000000001";
    const huge = "123456789012345678901234567890.123456789012345678901234567890";
    const { sdk, seen } = client([json({ amount: huge, fee: tiny, negative: "-0.10" })]);
    const data = await unwrap(sdk.POST("/v1/x", { body: { amount: huge, fee: tiny } }));
    expect(seen[0]?.body).toBe(`{"amount":"${huge}","fee":"${tiny}"}`);
    expect(data).toEqual({ amount: huge, fee: tiny, negative: "-0.10" });
  });
});

describe("errors", () => {
  it("throws AdlApiError carrying the problem+json body, its code and request id", async () => {
    const errors = [{ pointer: "/positions/0/size", code: "invalid_string", detail: "must be a decimal string" }];
    const { sdk } = client([problem(422, "validation-error", { errors })]);
    const error = (await unwrap(sdk.POST("/v1/x", { body: {} })).catch((e: unknown) => e)) as AdlApiError;
    expect(error).toBeInstanceOf(AdlApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe("validation-error");
    expect(error.requestId).toBe("req-1");
    expect(error.problem.errors).toEqual(errors);
    expect(error.message).toBe("422 validation-error: validation-error detail");
  });

  it("builds a problem from a non-JSON error answer (e.g. a proxy's HTML page)", async () => {
    const { sdk } = client([new Response("<html>bad gateway</html>", { status: 404, statusText: "Not Found" })]);
    const error = (await unwrap(sdk.GET("/v1/x")).catch((e: unknown) => e)) as AdlApiError;
    expect(error.problem).toEqual({ type: "about:blank", title: "Not Found", status: 404, detail: "<html>bad gateway</html>" });
    expect(error.code).toBe("about:blank");
  });
});
