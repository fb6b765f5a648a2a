/**
 * An account value written "-0" (the wire's signed pattern accepts it; the domain's parseDecimal refuses negative
 * zero) is refused wherever it sits in a batch: before, a fills or liquidation request was refused only when the
 * queue walk reached that counterparty, and the rankings accepted it. Same problem on every route (422, not_decimal,
 * "negative zero is not allowed", the field's pointer), the one a reached counterparty was refused with.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const post = (path: string, body: unknown) =>
  exports.default.fetch(`http://x${path}`, { method: "POST", headers: { "content-type": "application/json", ...authHeader() }, body: JSON.stringify(body) });

const market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" };
const counterparties = [
  { accountId: "first", side: "long", size: "5", entryPrice: "9000", margin: "1000", accountValue: "2000" },
  { accountId: "last", side: "long", size: "1", entryPrice: "9000", margin: "1000", accountValue: "-0.00" },
];
const refusal = { pointer: "/counterparties/1/accountValue", code: "not_decimal", detail: "negative zero is not allowed" };

describe("an account value of negative zero", () => {
  it("invalid: a fills request is refused whether or not the walk reaches the position (quantity 1 stops at the first)", async () => {
    for (const size of ["1", "6"]) {
      const res = await post("/v1/adl/fills", { market, markPrice: "10000", method: "binance", liquidated: { side: "short", size, bankruptcyPrice: "10500" }, counterparties });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { errors: unknown[] };
      expect(body.errors).toEqual([refusal]);
    }
  });

  it("invalid: the rankings refuse it too, naming the field", async () => {
    const res = await post("/v1/adl/rankings", { market, markPrice: "10000", method: "binance", indicator: "bybit", positions: counterparties });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: unknown[] };
    expect(body.errors).toEqual([{ ...refusal, pointer: "/positions/1/accountValue" }]);
  });

  it("valid: a zero account value without the sign is accepted", async () => {
    const res = await post("/v1/adl/fills", { market, markPrice: "10000", method: "binance", liquidated: { side: "short", size: "1", bankruptcyPrice: "10500" }, counterparties: [counterparties[0], { ...counterparties[1], accountValue: "0" }] });
    expect(res.status).toBe(200);
  });
});
