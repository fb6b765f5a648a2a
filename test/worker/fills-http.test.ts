import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const post = (path: string, body: unknown) =>
  exports.default.fetch(`http://x${path}`, { method: "POST", headers: { "content-type": "application/json", ...authHeader() }, body: JSON.stringify(body) });

const market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" };
const longs = [
  { accountId: "long-b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
  { accountId: "long-a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
];

describe("POST /v1/adl/fills", () => {
  it("BitMEX's example: a 20-contract short at BP closes the first long (10) fully and 10 of the second's 20", async () => {
    const res = await post("/v1/adl/fills", {
      market,
      markPrice: "10000",
      method: "bitmex",
      liquidated: { accountId: "bankrupt", side: "short", size: "20", entryPrice: "9500", margin: "9500" },
      counterparties: longs,
    });
    expect(res.status).toBe(200);
    // BP = 9500 + 9500/20 = 9975 (short: rounded down onto the 0.5 grid, already on it).
    expect(await res.json()).toEqual({
      price: "9975",
      bankruptcyPrice: "9975",
      fills: [
        { accountId: "long-a", quantity: "10", price: "9975", realizedPnl: "19750", remainingSize: "0" },
        { accountId: "long-b", quantity: "10", price: "9975", realizedPnl: "9750", remainingSize: "10" },
      ],
      filledQuantity: "20",
      unfilledQuantity: "0",
      queueReached: 2,
    });
  });

  it("fills at mark under priceRule mark, and reports what the queue cannot absorb", async () => {
    const res = await post("/v1/adl/fills", {
      market,
      markPrice: "10000",
      method: "binance",
      priceRule: "mark",
      liquidated: { side: "short", size: "40", bankruptcyPrice: "9975" },
      counterparties: longs,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { price: string; filledQuantity: string; unfilledQuantity: string; fills: unknown[] };
    expect(body).toMatchObject({ price: "10000", filledQuantity: "30", unfilledQuantity: "10" });
    expect(body.fills).toHaveLength(2);
  });

  it("points at counterparties on the wrong side and at a quantity larger than the position", async () => {
    const res = await post("/v1/adl/fills", {
      market,
      markPrice: "10000",
      method: "bitmex",
      quantity: "21",
      liquidated: { side: "short", size: "20", bankruptcyPrice: "9975" },
      counterparties: [...longs, { accountId: "s", side: "short", size: "1", entryPrice: "1", margin: "1" }],
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { pointer: string; code: string }[] };
    expect(problem.errors.map((e) => `${e.pointer} ${e.code}`)).toEqual(["/quantity exceeds_position"]);
    const wrong = await post("/v1/adl/fills", {
      market,
      markPrice: "10000",
      method: "bitmex",
      liquidated: { side: "short", size: "20", bankruptcyPrice: "9975" },
      counterparties: [...longs, { accountId: "s", side: "short", size: "1", entryPrice: "1", margin: "1" }],
    });
    expect(((await wrong.json()) as { errors: { pointer: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ pointer: "/counterparties/2/side", code: "wrong_side" }),
    ]);
  });

  it("random needs a seed and is deterministic given one", async () => {
    const body = { market, markPrice: "10000", method: "random", liquidated: { side: "short", size: "5", bankruptcyPrice: "9975" }, counterparties: longs };
    expect((await post("/v1/adl/fills", body)).status).toBe(422);
    const a = await (await post("/v1/adl/fills", { ...body, seed: "event-42" })).json();
    const b = await (await post("/v1/adl/fills", { ...body, seed: "event-42", counterparties: longs.slice().reverse() })).json();
    expect(a).toEqual(b);
  });
});
