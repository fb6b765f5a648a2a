/**
 * RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers-09) on every /v1 response of the worker, in workerd: the
 * caller's tier with its quota and window, the default tier for anonymous callers, `RateLimit` with r=0 on a 429.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RATE_LIMIT_PERIOD_SECONDS, RATE_LIMIT_QUOTAS } from "../../src/http/middleware/rate-limit";
import { RATE_LIMIT_TEST_LIMIT, TEST_KEYS } from "./keys";

const get = (path: string, key?: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://x${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) } });

/** Structured-field syntax of a policy item: sf-string, then q and w as sf-integers (RFC 9651). */
const POLICY_ITEM = /^"(standard|bulk)";q=([0-9]{1,15});w=([0-9]{1,15})$/;

describe("RateLimit-Policy on /v1 responses", () => {
  it("valid: 2xx, 404, 422, 401 and a preflight all carry the caller's policy; routes outside /v1 carry none", async () => {
    const bulk = `"bulk";q=${RATE_LIMIT_QUOTAS.bulk};w=${RATE_LIMIT_PERIOD_SECONDS}`;
    const standard = `"standard";q=${RATE_LIMIT_QUOTAS.standard};w=${RATE_LIMIT_PERIOD_SECONDS}`;
    expect(standard).toBe('"standard";q=300;w=10');
    const cases: [Promise<Response>, number, string][] = [
      [get("/v1/adl/rankings", TEST_KEYS.tenantA.key, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" }, markPrice: "100", method: "bitmex", indicator: "bybit", positions: [] }) }), 200, bulk],
      [get("/v1/markets/NONE", TEST_KEYS.tenantA.key), 404, bulk],
      [get("/v1/adl/rankings", TEST_KEYS.tenantA.key, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), 422, bulk],
      [get("/v1/markets/NONE"), 401, standard],
      [get("/v1/markets/NONE", "adl_not_a_key_at_all_000000000000000000"), 401, standard],
      [get("/v1/markets/NONE", undefined, { method: "OPTIONS", headers: { origin: "http://localhost:1", "access-control-request-method": "GET" } }), 204, standard],
    ];
    for (const [p, status, policy] of cases) {
      const res = await p;
      expect(res.status).toBe(status);
      expect(res.headers.get("ratelimit-policy")).toBe(policy);
      expect(res.headers.get("ratelimit-policy")).toMatch(POLICY_ITEM);
      expect(res.headers.get("ratelimit")).toBeNull();
    }
    for (const path of ["/healthz", "/openapi.json"]) expect((await get(path)).headers.get("ratelimit-policy")).toBeNull();
  });

  it("valid: a 429 adds RateLimit with r=0 and t equal to Retry-After", async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 2 * RATE_LIMIT_TEST_LIMIT + 1 && !limited; i++) {
      const res = await get("/v1/markets/RLH", TEST_KEYS.limited.key);
      if (res.status === 429) limited = res;
      else expect(res.headers.get("ratelimit-policy")).toBe(`"standard";q=${RATE_LIMIT_QUOTAS.standard};w=${RATE_LIMIT_PERIOD_SECONDS}`);
    }
    expect(limited, "no 429 within two budgets").toBeDefined();
    expect(limited!.headers.get("ratelimit")).toBe(`"standard";r=0;t=${limited!.headers.get("retry-after")}`);
    expect(limited!.headers.get("ratelimit-policy")).toMatch(POLICY_ITEM);
  });
});
