import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  exports.default.fetch(`http://x${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeader(), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const market = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" };

describe("POST /v1/adl/rankings", () => {
  it("ranks each side, rank 1 first, with indicators and exact strings", async () => {
    const res = await post("/v1/adl/rankings", {
      market,
      markPrice: "20000",
      method: "bitmex",
      indicator: "bybit",
      positions: [
        { accountId: "bob", side: "long", size: "1", entryPrice: "18000", margin: "900" },
        { accountId: "alice", side: "long", size: "2", entryPrice: "19000", margin: "3800" },
        { accountId: "carol", side: "short", size: "3", entryPrice: "21000", margin: "6300" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { long: { accountId: string; rank: number; score: string; indicator: number; bankruptcyPrice: string; effectiveLeverage: string; pnlRatio: string }[]; short: unknown[] };
    // bob: pnl 2000/18000 = 0.1111, equity 900+2000 = 2900, lev 20000/2900; score = 0.1111*6.8966 = 0.76628...
    // alice: pnl 2000/19000, equity 3800+2000 = 5800, lev 40000/5800; score 0.72595...
    expect(body.long.map((p) => p.accountId)).toEqual(["bob", "alice"]);
    expect(body.long[0]).toMatchObject({ rank: 1, indicator: 5, score: "0.76628352", pnlRatio: "0.11111111", effectiveLeverage: "6.89655172", bankruptcyPrice: "17100" });
    expect(body.long[1]).toMatchObject({ rank: 2, indicator: 3, bankruptcyPrice: "17100" });
    expect(body.short).toHaveLength(1);
  });

  it("answers 422 with a pointer for each bad field, never a 500", async () => {
    const res = await post("/v1/adl/rankings", {
      market,
      markPrice: "2e4",
      method: "nope",
      positions: [{ accountId: "a", side: "long", size: 1, entryPrice: "100.123", margin: "-5" }],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { errors: { pointer: string }[]; status: number; type: string };
    expect(problem.type).toBe("/problems/validation-error");
    const pointers = problem.errors.map((e) => e.pointer).sort();
    expect(pointers).toEqual(["/markPrice", "/method", "/positions/0/margin", "/positions/0/size"]);
  });

  it("reports market-level mistakes by pointer: lot multiples, tick decimals, duplicate accounts", async () => {
    const res = await post("/v1/adl/rankings", {
      market,
      markPrice: "20000",
      method: "binance",
      positions: [
        { accountId: "a", side: "long", size: "0.0015", entryPrice: "100.25", margin: "5" },
        { accountId: "a", side: "long", size: "1", entryPrice: "100", margin: "5" },
      ],
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { pointer: string; code: string }[] };
    expect(problem.errors.map((e) => `${e.pointer} ${e.code}`).sort()).toEqual([
      "/positions/0/entryPrice too_many_decimals",
      "/positions/0/size not_lot_multiple",
      "/positions/1/accountId duplicate_account",
    ]);
  });

  it("malformed JSON is 400, a wrong content type 415, an unknown route 404, all problem+json", async () => {
    const bad = await post("/v1/adl/rankings", '{"market": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { type: string }).type).toBe("/problems/malformed-json");
    const wrongType = await post("/v1/adl/rankings", "{}", { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const missing = await exports.default.fetch("http://x/v1/nothing", { headers: authHeader() });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("an oversized body is 413 before it is parsed", async () => {
    const res = await post("/v1/adl/rankings", "x".repeat(17 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { type: string }).type).toBe("/problems/payload-too-large");
  });

  it("echoes a well-formed X-Request-Id and mints one otherwise", async () => {
    const a = await exports.default.fetch("http://x/healthz", { headers: { "x-request-id": "trace-123" } });
    expect(a.headers.get("x-request-id")).toBe("trace-123");
    const b = await exports.default.fetch("http://x/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    expect(b.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("POST /v1/positions/risk", () => {
  it("Bybit's published example: 1 BTC at 20,000, 50x (margin 400), MMR 0.5% -> liquidation price 19,700", async () => {
    const res = await post("/v1/positions/risk", {
      market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.01" },
      markPrice: "20000",
      maintenanceMarginRate: "0.005",
      positions: [{ accountId: "alice", side: "long", size: "1", entryPrice: "20000", margin: "400" }],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { positions: Record<string, unknown>[] };
    expect(body.positions[0]).toEqual({
      accountId: "alice",
      side: "long",
      notional: "20000",
      unrealizedPnl: "0",
      pnlRatio: "0",
      effectiveLeverage: "50",
      bankruptcyPrice: "19600",
      liquidationPrice: "19700",
    });
  });
});

describe("batch limits", () => {
  it("a batch over 100,000 positions is 413 with a pointer to the array", async () => {
    const p = { accountId: "a", side: "long", size: "1", entryPrice: "1", margin: "1" };
    const res = await post("/v1/adl/rankings", { market, markPrice: "1", method: "bitmex", positions: Array(100_001).fill(p) });
    expect(res.status).toBe(413);
    const problem = (await res.json()) as { type: string; errors: { pointer: string }[]; maxItems: number };
    expect(problem).toMatchObject({ type: "/problems/payload-too-large", maxItems: 100_000 });
    expect(problem.errors[0]!.pointer).toBe("/positions");
  });
});
