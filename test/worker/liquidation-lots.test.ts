/**
 * Issue 10's money defect over HTTP (inside workerd, through the Durable Object): after a surplus the fund pays for
 * every whole lot of a loss fill whose rounded loss fits, and hands only the rest to ADL.
 */
import { describe, expect, it } from "vitest";
import { callJson, configure, counterparties, uniqueMarket } from "./fund-helpers";

describe("POST /v1/markets/{id}/liquidations: a partly paid loss fill", () => {
  for (const amountDecimals of [6, 2]) {
    it(`valid: linear BTC, lot 0.0001, amounts to ${amountDecimals} decimals: the fund pays for 0.25 BTC of the 0.75 BTC loss fill, ADL gets 0.5`, async () => {
      const m = uniqueMarket(`lots-${amountDecimals}`);
      await configure(m, { contractType: "linear", contractSize: "1", lotSize: "0.0001", tickSize: "0.01", settlementAsset: "USD", amountDecimals });
      // Long bankrupt at BP 100 (entry 101, margin 1 on 1 BTC): 0.25 BTC at 101 credits $0.25 to the empty fund,
      // 0.75 BTC at 99 loses $0.75, of which the fund can pay $0.25.
      const res = await callJson(
        "POST",
        `/v1/markets/${m}/liquidations`,
        {
          markPrice: "100",
          liquidated: { accountId: "bankrupt", side: "long", size: "1", entryPrice: "101", margin: "1" },
          executions: [{ quantity: "0.25", price: "101" }, { quantity: "0.75", price: "99" }],
          counterparties: counterparties(2, "short"),
          method: "bitmex",
        },
        `liq-${m}`,
      );
      expect(res.status).toBe(201);
      expect(res.body.bankruptcyPrice).toBe("100");
      expect(res.body.executions[1]).toEqual({ requestedQuantity: "0.75", quantity: "0.25", price: "99", fundDelta: "-0.25", returnedToAccount: "0" });
      expect(res.body.fund).toMatchObject({ balanceBefore: "0", credited: "0.25", drawn: "0.25", balanceAfter: "0" });
      expect(res.body.adl).toMatchObject({ quantity: "0.5", filledQuantity: "0.5" });
      expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body.balance).toBe("0");
    });
  }
});
