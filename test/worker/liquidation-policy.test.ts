/** ADL policy per market (its default) and per liquidation (override) on the waterfall route. */
import { describe, expect, it } from "vitest";
import { callJson, configure, counterparties, linearMarket, uniqueMarket } from "./fund-helpers";

const bankrupt = { accountId: "bankrupt", side: "long", size: "3", entryPrice: "11000", margin: "3000" };
const body = (extra: Record<string, unknown> = {}) => ({ markPrice: "9900", liquidated: bankrupt, executions: [], counterparties: counterparties(3, "short", "2"), ...extra });

describe("ADL policy on liquidations", () => {
  it("a market's adlPolicy is stored, shown, and used when the liquidation names none", async () => {
    const m = uniqueMarket("prorata");
    const cfg = await configure(m, { ...linearMarket, adlPolicy: "pro-rata" });
    expect(cfg.adlPolicy).toBe("pro-rata");
    expect((await callJson("GET", `/v1/markets/${m}`)).body.adlPolicy).toBe("pro-rata");
    const res = await callJson("POST", `/v1/markets/${m}/liquidations`, body(), "liq-1");
    expect(res.status).toBe(201);
    // 3 contracts over three holders of 2 each: 1 from each (pro-rata), not 2 + 1 from the top of a queue.
    expect(res.body.adl.fills.map((f: { quantity: string }) => f.quantity)).toEqual(["1", "1", "1"]);
  });

  it("the request's policy overrides the market's; the queue needs a method", async () => {
    const m = uniqueMarket("override");
    await configure(m, { ...linearMarket, adlPolicy: "pro-rata" });
    const queue = await callJson("POST", `/v1/markets/${m}/liquidations`, body({ policy: "queue", method: "bitmex" }), "liq-q");
    expect(queue.status).toBe(201);
    expect(queue.body.adl.fills.map((f: { quantity: string }) => f.quantity)).toEqual(["2", "1"]);
    const noMethod = await callJson("POST", `/v1/markets/${m}/liquidations`, body({ policy: "queue" }), "liq-n");
    expect(noMethod.status).toBe(422);
    expect(noMethod.body.errors[0].pointer).toBe("/method");
  });

  it("markets configured without adlPolicy default to queue; an unknown policy is a 422 at /adlPolicy", async () => {
    const m = uniqueMarket("default");
    expect((await configure(m)).adlPolicy).toBe("queue");
    const bad = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, adlPolicy: "lottery" }, "cfg-bad");
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].pointer).toBe("/adlPolicy");
  });
});

describe("replays across a configuration change", () => {
  it("a retried liquidation gets its stored answer even when its body no longer validates against the new configuration", async () => {
    const m = uniqueMarket("reconf");
    await configure(m);
    const first = await callJson("POST", `/v1/markets/${m}/liquidations`, body({ method: "bitmex" }), "liq-r");
    expect(first.status).toBe(201);
    // Lot size 10: the 3-contract bankrupt position and the 2-contract counterparties no longer fit the grid.
    const reconf = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, lotSize: "10" }, "cfg-2");
    expect(reconf.status).toBe(200);
    const retry = await callJson("POST", `/v1/markets/${m}/liquidations`, body({ method: "bitmex" }), "liq-r");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    // A new key with the same body is judged against today's configuration.
    const fresh = await callJson("POST", `/v1/markets/${m}/liquidations`, body({ method: "bitmex" }), "liq-new");
    expect(fresh.status).toBe(422);
  });
});
