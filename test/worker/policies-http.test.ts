import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const post = (path: string, body: unknown) =>
  exports.default.fetch(`http://x${path}`, { method: "POST", headers: { "content-type": "application/json", ...authHeader() }, body: JSON.stringify(body) });

type Problem = { status: number; errors: { pointer: string; code: string }[] };

const market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" };
const longs = [
  { accountId: "a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
  { accountId: "b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
  { accountId: "c", side: "long", size: "5", entryPrice: "11000", margin: "600" },
];
const liquidated = { side: "short", size: "20", bankruptcyPrice: "10050" };

describe("POST /v1/adl/fills with a policy", () => {
  it("pro-rata: same share of every position, whole lots by largest remainder, no method needed", async () => {
    const res = await post("/v1/adl/fills", { market, markPrice: "10100", policy: "pro-rata", liquidated, counterparties: longs });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fills: { accountId: string; quantity: string }[]; filledQuantity: string; queueReached: number };
    expect(body.fills.map((f) => [f.accountId, f.quantity])).toEqual([
      ["a", "6"],
      ["b", "11"],
      ["c", "3"],
    ]);
    expect(body.filledQuantity).toBe("20");
    expect(body.queueReached).toBe(3);
  });

  it("the queue stays the default and still needs a method; an unknown policy is a 422 naming the field", async () => {
    const res = await post("/v1/adl/fills", { market, markPrice: "10100", liquidated, counterparties: longs });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors.map((e) => [e.pointer, e.code])).toEqual([["/method", "method_required"]]);
    const bad = await post("/v1/adl/fills", { market, markPrice: "10100", policy: "lottery", liquidated, counterparties: longs });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors.map((e) => e.pointer)).toEqual(["/policy"]);
  });
});

describe("POST /v1/adl/policies/compare", () => {
  it("returns every policy's fills, per-account haircuts and metrics for one event", async () => {
    const res = await post("/v1/adl/policies/compare", { market, markPrice: "10100", liquidated: [liquidated], counterparties: longs });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      neededBudget: string;
      results: { policy: string; filledQuantity: string; metrics: { totalGiven: string; principalTouched: number; accountsTouched: number }; events: unknown[]; accounts: { accountId: string; given: string }[] }[];
    };
    // 20 contracts * (10100 - 10050).
    expect(body.neededBudget).toBe("1000");
    expect(body.results.map((r) => r.policy)).toEqual(["queue:bitmex", "queue:binance", "queue:hyperliquid", "pro-rata", "capped-pro-rata", "leverage-draining"]);
    for (const r of body.results) {
      expect(r.filledQuantity).toBe("20");
      expect(r.metrics.totalGiven).toBe("1000");
      expect(r.events).toHaveLength(1);
    }
    const capped = body.results.find((r) => r.policy === "capped-pro-rata")!;
    expect(capped.metrics.principalTouched).toBe(0);
    expect(capped.accounts).toEqual([
      expect.objectContaining({ accountId: "a", given: "500" }),
      expect.objectContaining({ accountId: "b", given: "500" }),
    ]);
    expect(body.results.find((r) => r.policy === "pro-rata")!.metrics.principalTouched).toBe(1);
  });

  it("detail metrics leaves out events and accounts", async () => {
    const res = await post("/v1/adl/policies/compare", { market, markPrice: "10100", liquidated: [liquidated], counterparties: longs, policies: ["leverage-draining"], detail: "metrics" });
    const body = (await res.json()) as { results: Record<string, unknown>[] };
    expect(Object.keys(body.results[0]!).sort()).toEqual(["filledQuantity", "metrics", "policy", "unfilledQuantity"]);
  });

  it("bad input is a 422 with pointers, never a 500", async () => {
    const cases: [unknown, string[]][] = [
      [{ market, markPrice: "10100", liquidated: [], counterparties: longs }, ["/liquidated"]],
      [{ market, markPrice: "10100", liquidated: [liquidated, { ...liquidated, side: "long" }], counterparties: longs }, ["/liquidated/1/side"]],
      [{ market, markPrice: "10100", liquidated: [liquidated], counterparties: [{ ...longs[0], size: "1.5" }] }, ["/counterparties/0/size"]],
      [{ market, markPrice: "10100", liquidated: [liquidated], counterparties: longs, policies: ["queue:random"] }, ["/seed"]],
      [{ market, markPrice: "10100", liquidated: [liquidated], counterparties: [...longs, longs[0]] }, ["/counterparties/3/accountId"]],
      [{ market, markPrice: "10100", liquidated: [{ ...liquidated, bankruptcyPrice: "10050.25" }], counterparties: longs }, ["/liquidated/0/bankruptcyPrice"]],
    ];
    for (const [body, pointers] of cases) {
      const res = await post("/v1/adl/policies/compare", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as Problem).errors.map((e) => e.pointer)).toEqual(pointers);
    }
  });
});
