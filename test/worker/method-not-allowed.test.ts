/**
 * Routing answers (issue 10): a wrong method on a known path is 405 problem+json with an `Allow` header listing what
 * the path answers, not 404; an unknown path stays 404; a body-less PUT or POST is routed like any other request
 * (the operation's validation names what is missing) instead of a 415 decided before routing.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const auth = authHeader();
const call = (method: string, path: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://x${path}`, { method, ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });

describe("405 with Allow", () => {
  it("DELETE on a POST-only operation is 405 and names POST", async () => {
    const res = await call("DELETE", "/v1/adl/rankings");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as { type: string; allow: string[]; detail: string };
    expect(body.type).toBe("/problems/method-not-allowed");
    expect(body.allow).toEqual(["POST"]);
  });

  it("a path template with a parameter lists every method it has (GET, HEAD, PUT on a market)", async () => {
    const res = await call("POST", "/v1/markets/any-market", { headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, PUT");
  });

  it("a PATCH without a body on a known path is 405, not 415; pages and /healthz answer 405 too", async () => {
    expect((await call("PATCH", "/v1/markets/m1")).status).toBe(405);
    const health = await call("POST", "/healthz");
    expect([health.status, health.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });

  it("an unknown path is still 404, and an unknown path with a JSON body is not parsed (404, not 400)", async () => {
    expect((await call("GET", "/v1/nothing")).status).toBe(404);
    const res = await call("POST", "/v1/nothing", { headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(404);
  });

  it("without a key a wrong method is 401 (routes are not probed anonymously)", async () => {
    const res = await exports.default.fetch("http://x/v1/adl/rankings", { method: "DELETE" });
    expect(res.status).toBe(401);
  });
});

describe("a body-less request is routed", () => {
  it("PUT /v1/markets/{id} without a body: 422 naming the missing fields, not 415", async () => {
    const res = await call("PUT", "/v1/markets/bodyless", { headers: { "idempotency-key": "bodyless-1" } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { pointer: string }[] };
    expect(body.errors.map((e) => e.pointer)).toContain("/contractType");
    expect((await call("GET", "/v1/markets/bodyless")).status).toBe(404);
  });

  it("an empty body declared as JSON is validated as an empty object (422 naming the missing fields), never a 500", async () => {
    for (const path of ["/v1/positions/risk", "/v1/adl/rankings", "/v1/adl/fills"]) {
      const res = await call("POST", path, { headers: { "content-type": "application/json" }, body: "" });
      expect(res.status, path).toBe(422);
      expect(((await res.json()) as { errors: unknown[] }).errors.length, path).toBeGreaterThan(0);
    }
  });

  it("a body sent with a wrong media type is still 415", async () => {
    const res = await call("PUT", "/v1/markets/bodyless", { headers: { "idempotency-key": "bodyless-2", "content-type": "text/plain" }, body: "{}" });
    expect(res.status).toBe(415);
  });
});
