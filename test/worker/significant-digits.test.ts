/**
 * An amount with more than 40 significant digits (the domain's limit; the wire patterns let up to 80 through) is
 * refused wherever it sits in a batch: before, a fills request was refused only when the queue walk reached that
 * counterparty, and the rankings accepted it. Same problem (422, too_many_digits, the field's pointer) on every route.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authHeader } from "./keys";

const post = (path: string, body: unknown) =>
  exports.default.fetch(`http://x${path}`, { method: "POST", headers: { "content-type": "application/json", ...authHeader() }, body: JSON.stringify(body) });

const market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" };
// 40 integer digits and one fraction digit: 41 significant digits, within the wire's pattern.
const long = "1234567890123456789012345678901234567890.5";
const counterparties = [
  { accountId: "first", side: "long", size: "5", entryPrice: "9000", margin: "1000" },
  { accountId: "last", side: "long", size: "1", entryPrice: "9000", margin: long },
];

describe("more than 40 significant digits", () => {
  it("invalid: a fills request is refused whether or not the walk reaches the position (quantity 1 stops at the first)", async () => {
    for (const size of ["1", "6"]) {
      const res = await post("/v1/adl/fills", { market, markPrice: "10000", method: "bitmex", liquidated: { side: "short", size, bankruptcyPrice: "10500" }, counterparties });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { errors: { pointer: string; code: string }[] };
      expect(body.errors).toContainEqual(expect.objectContaining({ pointer: "/counterparties/1/margin", code: "too_many_digits" }));
    }
  });

  it("invalid: the rankings refuse it too, naming the field", async () => {
    const res = await post("/v1/adl/rankings", { market, markPrice: "10000", method: "bitmex", indicator: "bybit", positions: [...counterparties, { accountId: "s", side: "short", size: "1", entryPrice: "9000", margin: "10", accountValue: `-${long}` }] });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { pointer: string; code: string }[] };
    expect(body.errors.map((e) => `${e.pointer} ${e.code}`)).toEqual(["/positions/1/margin too_many_digits", "/positions/2/accountValue too_many_digits"]);
  });

  it("valid: 40 significant digits are accepted", async () => {
    const ok = "123456789012345678901234567890123456789.5";
    const res = await post("/v1/adl/fills", { market, markPrice: "10000", method: "bitmex", liquidated: { side: "short", size: "1", bankruptcyPrice: "10500" }, counterparties: [counterparties[0], { ...counterparties[1], margin: ok }] });
    expect(res.status).toBe(200);
  });
});
