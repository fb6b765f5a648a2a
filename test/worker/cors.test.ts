/**
 * CORS in workerd: the allow-list of the worker project (CORS_TEST_ORIGINS: one deployed origin plus the local
 * default), preflights answered before authentication, allowed origins echoed with the exposed headers, every other
 * origin without any allow header; and the list's parsing as a unit.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, allowOrigin, parseAllowedOrigins } from "../../src/http/middleware/cors";
import { TEST_KEYS } from "./keys";

const fetchApp = (path: string, init: RequestInit = {}) => exports.default.fetch(`http://x${path}`, init);
const preflight = (path: string, origin: string, method = "POST", headers = "authorization, content-type, idempotency-key, x-request-id") =>
  fetchApp(path, { method: "OPTIONS", headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers } });
const list = (v: string | null) => (v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);

describe("preflight (OPTIONS with Origin and Access-Control-Request-Method)", () => {
  for (const origin of ["https://risk.example.com", "http://localhost:5173", "http://127.0.0.1:8080", "http://localhost"]) {
    it(`valid: ${origin} is allowed without credentials: 204 with the allowed methods and headers`, async () => {
      const res = await preflight("/v1/markets/BTC-USD/liquidations", origin);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(list(res.headers.get("access-control-allow-headers"))).toEqual(CORS_ALLOW_HEADERS.map((h) => h.toLowerCase()));
      expect(list(res.headers.get("access-control-allow-methods"))).toEqual(expect.arrayContaining(["get", "post", "put"]));
      expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(list(res.headers.get("vary"))).toContain("origin");
      expect(await res.text()).toBe("");
    });
  }

  for (const origin of ["https://evil.example.net", "https://risk.example.com.evil.net", "http://risk.example.com", "http://localhost.evil.net:5173", "null", "https://localhost:5173"]) {
    it(`invalid: ${origin} gets no allow header`, async () => {
      const res = await preflight("/v1/adl/rankings", origin);
      expect(res.status).toBe(204);
      for (const h of ["access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods", "access-control-allow-credentials"]) expect(res.headers.get(h)).toBeNull();
    });
  }

  it("valid: a preflight on a route that needs a scope is answered without Authorization (no 401)", async () => {
    const res = await preflight("/v1/markets/BTC-USD/insurance-fund/deposits", "http://localhost:3000");
    expect(res.status).toBe(204);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("actual requests from another origin", () => {
  it("valid: an allowed origin's answer carries the allow header and exposes X-Request-Id, Idempotent-Replayed, Retry-After", async () => {
    const res = await fetchApp("/v1/markets/NO-SUCH-MARKET", { headers: { origin: "https://risk.example.com", authorization: `Bearer ${TEST_KEYS.tenantA.key}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://risk.example.com");
    expect(list(res.headers.get("access-control-expose-headers"))).toEqual(expect.arrayContaining(["x-request-id", "idempotent-replayed", "retry-after"]));
    expect(list(res.headers.get("vary"))).toContain("origin");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(CORS_EXPOSE_HEADERS).toEqual(expect.arrayContaining(["X-Request-Id", "Idempotent-Replayed", "Retry-After"]));
  });

  it("valid: a 401 (no key) to an allowed origin is readable too, so the page can show why", async () => {
    const res = await fetchApp("/v1/adl/rankings", { method: "POST", headers: { origin: "http://localhost:5173", "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });

  it("invalid: another origin's answer has no allow or expose header, and says it varies by Origin", async () => {
    const res = await fetchApp("/healthz", { headers: { origin: "https://evil.example.net" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-expose-headers")).toBeNull();
    expect(list(res.headers.get("vary"))).toContain("origin");
  });

  it("valid: no Origin (server-to-server): no CORS headers at all", async () => {
    const res = await fetchApp("/healthz");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("vary")).toBeNull();
  });

  it("valid: OPTIONS without Access-Control-Request-Method is not a preflight and is routed as usual", async () => {
    const res = await fetchApp("/healthz", { method: "OPTIONS", headers: { origin: "http://localhost:5173" } });
    expect(res.status).not.toBe(204);
  });
});

describe("CORS_ALLOWED_ORIGINS parsing", () => {
  it("valid: origins, origin:* and * are rules; anything else is reported and matches nothing", () => {
    const p = parseAllowedOrigins(" https://A.example.com/ ,http://localhost:*, ,https://x.example.com/path, *.example.com, ftp://y");
    expect(p.rules).toEqual([{ kind: "exact", origin: "https://a.example.com" }, { kind: "any-port", prefix: "http://localhost:" }]);
    expect(p.invalid).toEqual(["https://x.example.com/path", "*.example.com", "ftp://y"]);
    expect(allowOrigin(p.rules, "https://a.example.com")).toBe("https://a.example.com");
    expect(allowOrigin(p.rules, "https://a.example.com:8443")).toBeNull();
    expect(allowOrigin(p.rules, "http://localhost:65535")).toBe("http://localhost:65535");
    expect(allowOrigin(p.rules, "http://localhost:")).toBeNull();
  });

  it("valid: unset or empty allows no origin; * allows any as \"*\" (never with credentials: none are ever allowed)", () => {
    expect(parseAllowedOrigins(undefined).rules).toEqual([]);
    expect(allowOrigin(parseAllowedOrigins("").rules, "http://localhost:5173")).toBeNull();
    expect(allowOrigin(parseAllowedOrigins("*").rules, "https://anything.example")).toBe("*");
    expect(allowOrigin(parseAllowedOrigins("*").rules, "null")).toBeNull();
  });
});
