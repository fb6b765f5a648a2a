/// <reference types="vite/client" />
// The auth, rate-limit and logging middleware as units, on a small app with fake bindings: key records parsed
// strictly, keys found by hash in constant time, 401 vs 403 vs 429 as distinct problems, and log lines that carry
// who/what/how long but never a key or a body.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv, Bindings } from "../../src/env";
import { auth, bearerToken, constantTimeEqual, findKey, keyHash, parseApiKeys, requires, routeScopes } from "../../src/http/middleware/auth";
import { logging } from "../../src/http/middleware/logging";
import { RATE_LIMIT_PERIOD_SECONDS, rateLimit } from "../../src/http/middleware/rate-limit";
import { requestId } from "../../src/http/middleware/request-id";
import { ProblemError, problemResponse } from "../../src/http/problem";
import wranglerToml from "../../wrangler.toml?raw";

const KEY_A = "adl_unit_test_key_tenant_a_0000000000";
const KEY_RO = "adl_unit_test_key_read_only_000000000";
const KEY_LIMITED = "adl_unit_test_key_limited_0000000000";

async function keysJson(extra: object[] = []) {
  return JSON.stringify([
    { id: "a", tenant: "tenant-a", scopes: ["adl:compute", "fund:read", "fund:write", "liquidations:write"], rateLimit: "bulk", hash: await keyHash(KEY_A) },
    { id: "ro", tenant: "tenant-a", scopes: ["fund:read"], hash: await keyHash(KEY_RO) },
    { id: "lim", tenant: "tenant-c", scopes: ["fund:read"], rateLimit: "standard", hash: await keyHash(KEY_LIMITED) },
    ...extra,
  ]);
}

/** A fixed-window counter with the binding's interface. */
function fakeLimiter(limit: number) {
  const counts = new Map<string, number>();
  return {
    calls: [] as string[],
    async limit({ key }: { key: string }) {
      this.calls.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return { success: n <= limit };
    },
  };
}

const definitions = [
  { type: "route", route: { method: "get", path: "/v1/markets/{marketId}", security: requires("fund:read") } },
  { type: "route", route: { method: "post", path: "/v1/markets/{marketId}/insurance-fund/deposits", security: requires("fund:write") } },
  { type: "route", route: { method: "post", path: "/v1/undeclared" } },
];

function miniApp(lines: string[]) {
  const app = new Hono<AppEnv>();
  app.use("*", requestId());
  app.use("*", logging({ sink: (l) => lines.push(l) }));
  app.use("/v1/*", auth({ routes: () => routeScopes(definitions) }));
  app.use("/v1/*", rateLimit());
  app.get("/v1/markets/:marketId", (c) => c.json({ tenant: c.get("tenantId"), market: c.req.param("marketId") }));
  app.post("/v1/markets/:marketId/insurance-fund/deposits", (c) => c.json({ ok: true }, 201));
  app.post("/v1/undeclared", (c) => c.json({ ok: true }));
  app.notFound((c) => problemResponse(c, "not-found", "no route"));
  app.onError((err, c) => (err instanceof ProblemError ? problemResponse(c, err.slug, err.message, err.errors, err.extra, err.headers) : problemResponse(c, "internal", "x")));
  return app;
}

async function setup(env: Partial<Bindings> = {}) {
  const lines: string[] = [];
  const app = miniApp(lines);
  const bindings = { API_KEYS: await keysJson(), RATE_LIMIT: fakeLimiter(3), RATE_LIMIT_BULK: fakeLimiter(1000), ...env } as unknown as Bindings;
  const req = (path: string, key?: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) } }, bindings);
  return { app, req, lines, bindings };
}

describe("API key records (API_KEYS)", () => {
  it("valid: records with hashes, scopes, tiers and an optional expiry", async () => {
    const parsed = parseApiKeys(await keysJson([{ id: "x", tenant: "t", scopes: ["fund:read"], hash: await keyHash("adl_other_key_0000000000"), notAfter: "2030-01-01T00:00:00Z" }]));
    expect(parsed.problems).toEqual([]);
    expect(parsed.keys.map((k) => [k.id, k.tenant, k.rateLimit])).toEqual([
      ["a", "tenant-a", "bulk"],
      ["ro", "tenant-a", "standard"],
      ["lim", "tenant-c", "standard"],
      ["x", "t", "standard"],
    ]);
    expect(parsed.keys[3]?.notAfterMs).toBe(Date.parse("2030-01-01T00:00:00Z"));
  });

  it.each([
    ["invalid: plain key instead of a hash", { id: "p", tenant: "t", scopes: ["fund:read"], hash: "adl_plain_key" }, /hash must be/],
    ["invalid: uppercase hex", { id: "p", tenant: "t", scopes: ["fund:read"], hash: `sha256:${"A".repeat(64)}` }, /hash must be/],
    ["invalid: tenant with ':' (could alias another tenant's object name)", { id: "p", tenant: "a:b", scopes: ["fund:read"], hash: `sha256:${"0".repeat(64)}` }, /tenant/],
    ["invalid: unknown scope", { id: "p", tenant: "t", scopes: ["admin"], hash: `sha256:${"0".repeat(64)}` }, /scopes/],
    ["invalid: no scope", { id: "p", tenant: "t", scopes: [], hash: `sha256:${"0".repeat(64)}` }, /scopes/],
    ["invalid: unknown tier", { id: "p", tenant: "t", scopes: ["fund:read"], rateLimit: "unlimited", hash: `sha256:${"0".repeat(64)}` }, /rateLimit/],
    ["invalid: bad expiry", { id: "p", tenant: "t", scopes: ["fund:read"], notAfter: "soon", hash: `sha256:${"0".repeat(64)}` }, /notAfter/],
    ["invalid: duplicate id", { id: "a", tenant: "t", scopes: ["fund:read"], hash: `sha256:${"0".repeat(64)}` }, /duplicate id/],
  ])("%s: that record is skipped and reported, the others stay valid", async (_name, record, why) => {
    const parsed = parseApiKeys(await keysJson([record]));
    expect(parsed.keys.map((k) => k.id)).toEqual(["a", "ro", "lim"]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatch(why);
    // Problems name the record by index, never echo its hash.
    expect(parsed.problems[0]).not.toMatch(/[0-9a-f]{64}/);
  });

  it.each([undefined, "", "not json", '{"id":"a"}'])("invalid: API_KEYS %j configures no key at all (every request is refused)", (raw) => {
    const parsed = parseApiKeys(raw);
    expect(parsed.keys).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
  });

  it("a key is found by its hash; an unknown or truncated key is not", async () => {
    const { keys } = parseApiKeys(await keysJson());
    expect((await findKey(keys, KEY_A))?.id).toBe("a");
    expect((await findKey(keys, KEY_RO))?.id).toBe("ro");
    expect(await findKey(keys, KEY_A.slice(0, -1))).toBeUndefined();
    expect(await findKey(keys, `${KEY_A}x`)).toBeUndefined();
    expect(await findKey([], KEY_A)).toBeUndefined();
  });

  it("constant-time comparison: equal only for identical bytes of equal length", () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(a, new Uint8Array([1, 2]))).toBe(false);
  });

  it.each([
    [undefined, "missing"],
    ["", "missing"],
    ["Basic dXNlcjpwYXNz", "malformed"],
    ["Bearer", "malformed"],
    ["Bearer short", "malformed"],
    ["Bearer two words_aaaaaaaaaaaaaaaa", "malformed"],
    [`Bearer ${"x".repeat(600)}`, "malformed"],
    ["Bearer ключ_не_ascii_aaaaaaaaaaaa", "malformed"],
    [`bearer ${KEY_A}`, KEY_A],
    [`Bearer ${KEY_A}`, KEY_A],
  ])("Authorization %j -> %s", (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it("route scopes come from the route definitions, path parameters matching one segment", () => {
    const table = routeScopes(definitions);
    const get = table.find((r) => r.method === "GET");
    expect(get?.scopes).toEqual(["fund:read"]);
    expect(get?.pattern.test("/v1/markets/BTC-PERP")).toBe(true);
    expect(get?.pattern.test("/v1/markets/BTC/PERP")).toBe(false);
    expect(table.find((r) => r.path === "/v1/undeclared")?.scopes).toEqual([]);
  });
});

describe("auth middleware", () => {
  it("401 without a key, with a challenge, before anything else", async () => {
    const { req } = await setup();
    const res = await req("/v1/markets/M");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="adl"');
    expect(((await res.json()) as { type: string }).type).toBe("/problems/unauthorized");
  });

  it("401 invalid_token for an unknown, malformed or expired key; the key is never echoed", async () => {
    const expired = "adl_unit_test_key_expired_0000000000";
    const { req } = await setup({ API_KEYS: await keysJson([{ id: "old", tenant: "tenant-a", scopes: ["fund:read"], hash: await keyHash(expired), notAfter: "2001-01-01T00:00:00Z" }]) });
    for (const key of ["adl_unknown_key_00000000000000000", "bad key", expired]) {
      const res = await req("/v1/markets/M", key);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(await res.text()).not.toContain(key);
    }
  });

  it("401 for everything when API_KEYS is missing (fail closed)", async () => {
    const { req } = await setup({ API_KEYS: undefined });
    expect((await req("/v1/markets/M", KEY_A)).status).toBe(401);
  });

  it("403 insufficient_scope when the key lacks the route's scope; 200 with it; the tenant is the key's", async () => {
    const { req } = await setup();
    const refused = await req("/v1/markets/M/insurance-fund/deposits", KEY_RO, { method: "POST" });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="fund:write"');
    const body = (await refused.json()) as { type: string; requiredScopes: string[] };
    expect(body.type).toBe("/problems/forbidden");
    expect(body.requiredScopes).toEqual(["fund:write"]);
    expect((await req("/v1/markets/M/insurance-fund/deposits", KEY_A, { method: "POST" })).status).toBe(201);
    expect(await (await req("/v1/markets/M", KEY_RO)).json()).toEqual({ tenant: "tenant-a", market: "M" });
  });

  it("403 for an operation that declares no scope, whatever the key (fail closed)", async () => {
    const { req } = await setup();
    expect((await req("/v1/undeclared", KEY_A, { method: "POST" })).status).toBe(403);
  });

  it("an unknown path is 401 anonymously and 404 only once authenticated (routes cannot be probed)", async () => {
    const { req } = await setup();
    expect((await req("/v1/nothing-here")).status).toBe(401);
    expect((await req("/v1/nothing-here", KEY_A)).status).toBe(404);
  });
});

describe("rate limit middleware", () => {
  it("counts per key in the key's tier; over budget is 429 with Retry-After, other keys unaffected", async () => {
    const { req, bindings } = await setup();
    for (let i = 0; i < 3; i++) expect((await req("/v1/markets/M", KEY_LIMITED)).status).toBe(200);
    const limited = await req("/v1/markets/M", KEY_LIMITED);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    const body = (await limited.json()) as { type: string; retryAfterSeconds: number };
    expect(body.type).toBe("/problems/rate-limited");
    expect(body.retryAfterSeconds).toBe(RATE_LIMIT_PERIOD_SECONDS);
    // The same budget shape does not touch another key, nor a bulk-tier key.
    expect((await req("/v1/markets/M", KEY_RO)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await req("/v1/markets/M", KEY_A)).status).toBe(200);
    const standard = (bindings.RATE_LIMIT as unknown as ReturnType<typeof fakeLimiter>).calls;
    const bulk = (bindings.RATE_LIMIT_BULK as unknown as ReturnType<typeof fakeLimiter>).calls;
    expect(new Set(standard)).toEqual(new Set(["key:lim", "key:ro"]));
    expect(new Set(bulk)).toEqual(new Set(["key:a"]));
  });

  it("anonymous requests are refused before they count against anyone", async () => {
    const { req, bindings } = await setup();
    await req("/v1/markets/M");
    await req("/v1/markets/M", "adl_unknown_key_00000000000000000");
    expect((bindings.RATE_LIMIT as unknown as ReturnType<typeof fakeLimiter>).calls).toEqual([]);
  });

  it("fails open when the limiter itself fails, or is not bound", async () => {
    const broken = { limit: async () => Promise.reject(new Error("limiter down")) };
    const { req } = await setup({ RATE_LIMIT: broken as unknown as RateLimit });
    expect((await req("/v1/markets/M", KEY_LIMITED)).status).toBe(200);
    const unbound = await setup({ RATE_LIMIT: undefined });
    for (let i = 0; i < 5; i++) expect((await unbound.req("/v1/markets/M", KEY_LIMITED)).status).toBe(200);
  });
});

describe("rate limit configuration", () => {
  it("every [[ratelimits]] tier in wrangler.toml has the period the 429's Retry-After announces", () => {
    const periods = [...wranglerToml.matchAll(/^\s*simple\s*=\s*\{[^}]*period\s*=\s*(\d+)/gm)].map((m) => Number(m[1]));
    const names = [...wranglerToml.matchAll(/^\s*name\s*=\s*"(RATE_LIMIT\w*)"/gm)].map((m) => m[1]);
    expect(names).toEqual(["RATE_LIMIT", "RATE_LIMIT_BULK"]);
    expect(periods).toEqual([RATE_LIMIT_PERIOD_SECONDS, RATE_LIMIT_PERIOD_SECONDS]);
  });
});

describe("request log lines", () => {
  it("one JSON line per request: method, path without query, status, duration, request id, tenant and key id; no key, no body", async () => {
    const { req, lines } = await setup();
    await req("/v1/markets/M/insurance-fund/deposits?secret=q", KEY_A, {
      method: "POST",
      headers: { "x-request-id": "trace-1", "content-type": "application/json" },
      body: JSON.stringify({ amount: "123.45", accountId: "acct-secret" }),
    });
    await req("/v1/markets/M");
    expect(lines).toHaveLength(2);
    const [ok, anon] = lines.map((l) => JSON.parse(l));
    expect(ok).toMatchObject({ level: "info", msg: "request", requestId: "trace-1", method: "POST", path: "/v1/markets/M/insurance-fund/deposits", status: 201, tenant: "tenant-a", keyId: "a" });
    expect(typeof ok.durationMs).toBe("number");
    expect(anon).toMatchObject({ level: "warn", status: 401 });
    expect(anon.tenant).toBeUndefined();
    const all = lines.join("\n");
    for (const secret of [KEY_A, "123.45", "acct-secret", "secret=q", "sha256:"]) expect(all).not.toContain(secret);
  });

  it("LOG_LEVEL filters by severity", async () => {
    const { req, lines } = await setup({ LOG_LEVEL: "warn" });
    await req("/v1/markets/M", KEY_A);
    await req("/v1/markets/M");
    expect(lines.map((l) => JSON.parse(l).status)).toEqual([401]);
  });
});
